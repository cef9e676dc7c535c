//! `ut_monitor`: a `utx::Monitor` (change notification), shaped like
//! sd_login_monitor: a pollable fd, the events and timeout to poll with,
//! and a flush after each wake-up.

use std::ffi::CString;
use std::os::raw::c_char;
use std::path::Path;

use crate::ffi::{c_string, free_handle, into_handle, root_path, ErrBuf, LastError, Out};
use crate::panic::guard;
use crate::types::*;
use utx::Monitor;

/// A change monitor. Opaque; created by `ut_monitor_open*`, freed by
/// `ut_monitor_close` (which closes its fd).
pub struct ut_monitor {
    monitor: Monitor,
    description: CString,
    error: LastError,
}

impl ut_monitor {
    fn refresh_description(&mut self) {
        self.description = c_string(&self.monitor.describe());
    }
}

fn open_at(
    root: &Path,
    categories: ut_category,
    out: Out<*mut ut_monitor>,
    err: ErrBuf,
) -> ut_status {
    match Monitor::open_in(root, categories) {
        Ok(monitor) => {
            let mut m = ut_monitor {
                monitor,
                description: CString::default(),
                error: LastError::default(),
            };
            m.refresh_description();
            out.write(into_handle(m));
            err.ok()
        }
        Err(e) => err.fail(&e),
    }
}

/// Watch `categories` (`UT_LOGIND_SEATS | UT_LOGIND_SESSIONS |
/// UT_LOGIND_USERS | UT_LOGIND_MACHINES | UT_MONITOR_UTMP`, or
/// `UT_MONITOR_ALL`) on this system. Paths that do not exist are skipped
/// (see `ut_monitor_watched`, `ut_monitor_describe`) and picked up by a
/// later `ut_monitor_flush` once they appear; `UT_ERR_NOT_FOUND` when
/// nothing at all can be watched, `UT_ERR_UNSUPPORTED` off Linux.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_open(
    categories: ut_category,
    out: *mut *mut ut_monitor,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let out = try_out!(out, err.null("out"));
        open_at(Path::new("/"), categories, out, err)
    })
}

/// As `ut_monitor_open`, for the system whose root directory is `root`
/// (NULL for "/").
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_open_at(
    root: *const c_char,
    categories: ut_category,
    out: *mut *mut ut_monitor,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        // SAFETY: `root` is NULL or a NUL-terminated string (the contract).
        let root = unsafe { root_path(root) };
        let out = try_out!(out, err.null("out"));
        open_at(root, categories, out, err)
    })
}

/// The descriptor to poll; it becomes readable on a change. Owned by the
/// monitor: do not close or read it.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_fd(monitor: *const ut_monitor, fd: *mut i32) -> ut_status {
    guard(UT_ERR_INTERNAL, || getter!(monitor, fd, |m| m.monitor.fd()))
}

/// The poll(2) events to wait for on the fd: always `POLLIN`.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_events(
    monitor: *const ut_monitor,
    events: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(monitor, events, |_| i32::from(libc::POLLIN))
    })
}

/// The absolute timeout (CLOCK_MONOTONIC µs) to poll with: always
/// `UINT64_MAX`, none is needed.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_timeout(
    monitor: *const ut_monitor,
    timeout_usec: *mut u64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(monitor, timeout_usec, |_| u64::MAX)
    })
}

/// Reset the wake-up state after the fd became readable (drains it, and
/// starts watching paths that appeared or were replaced since); then read
/// the state again.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_flush(monitor: *mut ut_monitor) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let m = try_mut!(monitor);
        match m.monitor.flush() {
            Ok(()) => {
                m.refresh_description();
                UT_OK
            }
            Err(e) => m.error.record(&e),
        }
    })
}

/// The categories actually watched now (the ones asked for whose paths
/// exist).
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_watched(
    monitor: *const ut_monitor,
    categories: *mut ut_category,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(monitor, categories, |m| m.monitor.watched())
    })
}

/// "watching: PATHS; missing: PATHS", valid until the next call on the
/// monitor.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_describe(
    monitor: *const ut_monitor,
    text: *mut *const c_char,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(monitor, text, |m| m.description.as_ptr())
    })
}

/// The last failure on this monitor (as `ut_reader_error`).
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_error(
    monitor: *const ut_monitor,
    message: *mut *const c_char,
    os_errno: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let m = try_ref!(monitor);
        // SAFETY: either output is NULL or writable (the contract).
        unsafe { m.error.report(message, os_errno) };
        UT_OK
    })
}

/// Free a monitor and close its fd. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_close(monitor: *mut ut_monitor) {
    guard((), || {
        // SAFETY: NULL, or a monitor from ut_monitor_open* not yet closed
        // (the contract).
        unsafe { free_handle(monitor) }
    })
}
