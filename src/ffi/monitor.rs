//! C API: change notification (see `monitor`), shaped like
//! sd_login_monitor: a pollable fd, the events and timeout to poll with,
//! and a flush after each wake-up.

use std::ffi::{CString, OsStr};
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::boundary::{c_str, fail, guard, status_of, write_errbuf};
use super::null_arg;
use super::types::*;
use crate::error::Error;
use crate::monitor::{category, Monitor};

// The C category constants are the core's bits.
const _: () = assert!(
    UT_LOGIND_SEATS == category::SEATS
        && UT_LOGIND_SESSIONS == category::SESSIONS
        && UT_LOGIND_USERS == category::USERS
        && UT_LOGIND_MACHINES == category::MACHINES
        && UT_MONITOR_UTMP == category::UTMP
        && UT_MONITOR_ALL == category::ALL
);

/// A change monitor. Opaque; created by `ut_monitor_open*`, freed by
/// `ut_monitor_close` (which closes its fd).
pub struct ut_monitor {
    monitor: Monitor,
    description: CString,
    error: CString,
    os_errno: i32,
}

impl ut_monitor {
    fn record(&mut self, err: &Error) -> ut_status {
        self.error = CString::new(err.message.replace('\0', " ")).unwrap_or_default();
        self.os_errno = err.os_errno;
        status_of(err.kind)
    }

    fn refresh_description(&mut self) {
        self.description =
            CString::new(self.monitor.describe().replace('\0', " ")).unwrap_or_default();
    }
}

unsafe fn open_at(
    root: &Path,
    categories: ut_category,
    out: *mut *mut ut_monitor,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    if out.is_null() {
        return null_arg(errbuf, errlen, "out");
    }
    match Monitor::open_in(root, categories) {
        Ok(monitor) => {
            let mut m = Box::new(ut_monitor {
                monitor,
                description: CString::default(),
                error: CString::default(),
                os_errno: 0,
            });
            m.refresh_description();
            // SAFETY: `out` checked non-NULL above.
            *out = Box::into_raw(m);
            write_errbuf(errbuf, errlen, "");
            UT_OK
        }
        Err(err) => fail(errbuf, errlen, &err),
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
        open_at(Path::new("/"), categories, out, errbuf, errlen)
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
        let root = c_str(root).map_or(Path::new("/"), |r| {
            Path::new(OsStr::from_bytes(r.to_bytes()))
        });
        open_at(root, categories, out, errbuf, errlen)
    })
}

/// The descriptor to poll; it becomes readable on a change. Owned by the
/// monitor: do not close or read it.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_fd(monitor: *const ut_monitor, fd: *mut i32) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if monitor.is_null() || fd.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL monitor came from ut_monitor_open* (caller's promise).
        *fd = (*monitor).monitor.fd();
        UT_OK
    })
}

/// The poll(2) events to wait for on the fd: always `POLLIN`.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_events(
    monitor: *const ut_monitor,
    events: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if monitor.is_null() || events.is_null() {
            return UT_ERR_NULL;
        }
        *events = i32::from(libc::POLLIN);
        UT_OK
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
        if monitor.is_null() || timeout_usec.is_null() {
            return UT_ERR_NULL;
        }
        *timeout_usec = u64::MAX;
        UT_OK
    })
}

/// Reset the wake-up state after the fd became readable (drains it, and
/// starts watching paths that appeared or were replaced since); then read
/// the state again.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_flush(monitor: *mut ut_monitor) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if monitor.is_null() {
            return UT_ERR_NULL;
        }
        let m = &mut *monitor;
        match m.monitor.flush() {
            Ok(()) => {
                m.refresh_description();
                UT_OK
            }
            Err(err) => m.record(&err),
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
        if monitor.is_null() || categories.is_null() {
            return UT_ERR_NULL;
        }
        *categories = (*monitor).monitor.watched();
        UT_OK
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
        if monitor.is_null() || text.is_null() {
            return UT_ERR_NULL;
        }
        *text = (*monitor).description.as_ptr();
        UT_OK
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
        if monitor.is_null() {
            return UT_ERR_NULL;
        }
        let m = &*monitor;
        if !message.is_null() {
            *message = m.error.as_ptr();
        }
        if !os_errno.is_null() {
            *os_errno = m.os_errno;
        }
        UT_OK
    })
}

/// Free a monitor and close its fd. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_monitor_close(monitor: *mut ut_monitor) {
    guard((), || {
        if !monitor.is_null() {
            // SAFETY: came from Box::into_raw in ut_monitor_open*.
            drop(Box::from_raw(monitor));
        }
    })
}
