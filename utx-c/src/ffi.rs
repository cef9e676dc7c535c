//! Pointer, out-parameter and error-buffer helpers, after rustls-ffi's
//! `ffi.rs`: every exported function turns its raw arguments into Rust
//! references through these, so the NULL checks and the `unsafe` they
//! need are written once. Nothing here is exported.
//!
//! The macros return from the enclosing function (in practice the closure
//! given to `guard`): `UT_ERR_NULL` when the pointer is NULL, or the
//! status of the expression given as a second argument (which may write
//! a message to the caller's error buffer first).

use std::ffi::{CStr, CString, OsStr};
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr::NonNull;

use crate::types::*;
use utx::{Error, ErrorKind};

/// `&T` from a handle pointer, or return from the enclosing function.
macro_rules! try_ref {
    ($p:expr) => {
        try_ref!($p, $crate::types::UT_ERR_NULL)
    };
    ($p:expr, $on_null:expr) => {
        // SAFETY: the exported function's contract: a non-NULL handle came
        // from its constructor, is still open, and no other thread uses it.
        match unsafe { $crate::ffi::handle_ref($p) } {
            Some(r) => r,
            None => return $on_null,
        }
    };
}

/// `&mut T` from a handle pointer, or return from the enclosing function.
macro_rules! try_mut {
    ($p:expr) => {
        try_mut!($p, $crate::types::UT_ERR_NULL)
    };
    ($p:expr, $on_null:expr) => {
        // SAFETY: the exported function's contract: a non-NULL handle came
        // from its constructor, is still open, and no other thread uses it.
        match unsafe { $crate::ffi::handle_mut($p) } {
            Some(r) => r,
            None => return $on_null,
        }
    };
}

/// An [`Out`] for an out-parameter, or return from the enclosing function.
macro_rules! try_out {
    ($p:expr) => {
        try_out!($p, $crate::types::UT_ERR_NULL)
    };
    ($p:expr, $on_null:expr) => {
        // SAFETY: the exported function's contract: a non-NULL
        // out-parameter points to writable memory for its type.
        match unsafe { $crate::ffi::Out::new($p) } {
            Some(o) => o,
            None => return $on_null,
        }
    };
}

/// `&CStr` from a string argument, or return from the enclosing function.
macro_rules! try_cstr {
    ($p:expr) => {
        try_cstr!($p, $crate::types::UT_ERR_NULL)
    };
    ($p:expr, $on_null:expr) => {
        // SAFETY: the exported function's contract: a non-NULL string
        // argument is NUL-terminated and outlives the call.
        match unsafe { $crate::ffi::c_str($p) } {
            Some(s) => s,
            None => return $on_null,
        }
    };
}

/// The shape of every getter: `*out = value` (an expression of the handle
/// named by the closure-like binder), then `UT_OK`; `UT_ERR_NULL` when the
/// handle or `out` is NULL.
macro_rules! getter {
    ($handle:expr, $out:expr, |$h:pat_param| $value:expr) => {{
        let $h = try_ref!($handle);
        try_out!($out).write($value);
        $crate::types::UT_OK
    }};
}

/// The caller's error buffer (`errbuf`, `errlen`) as an [`ErrBuf`].
macro_rules! err_buf {
    ($buf:expr, $len:expr) => {
        // SAFETY: the exported function's contract: `errbuf` is NULL or
        // holds `errlen` writable bytes.
        unsafe { $crate::ffi::ErrBuf::new($buf, $len) }
    };
}

/// The handle behind `p`, `None` when it is NULL.
///
/// # Safety
/// `p` is NULL or points to a live `T` not mutated during `'a`.
pub(crate) unsafe fn handle_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: forwarded to the caller.
    unsafe { p.as_ref() }
}

/// The handle behind `p`, `None` when it is NULL.
///
/// # Safety
/// `p` is NULL or points to a live `T` not otherwise used during `'a`.
pub(crate) unsafe fn handle_mut<'a, T>(p: *mut T) -> Option<&'a mut T> {
    // SAFETY: forwarded to the caller.
    unsafe { p.as_mut() }
}

/// A C string argument, `None` when it is NULL.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn c_str<'a>(p: *const c_char) -> Option<&'a CStr> {
    // SAFETY: `p` is non-NULL here, and NUL-terminated (the caller's promise).
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) })
}

/// A C string as a path (its bytes, whatever their encoding).
pub(crate) fn path_of(s: &CStr) -> &Path {
    Path::new(OsStr::from_bytes(s.to_bytes()))
}

/// The root directory argument of the `_at` functions: NULL is "/".
///
/// # Safety
/// As for [`c_str`].
pub(crate) unsafe fn root_path<'a>(p: *const c_char) -> &'a Path {
    // SAFETY: forwarded to the caller.
    unsafe { c_str(p) }.map_or(Path::new("/"), path_of)
}

/// An out-parameter: a non-NULL pointer the caller lets us write one
/// value to.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// `None` when `p` is NULL.
    ///
    /// # Safety
    /// `p` is NULL or valid for writing a `T` for as long as the `Out`
    /// lives.
    pub(crate) unsafe fn new(p: *mut T) -> Option<Out<T>> {
        NonNull::new(p).map(Out)
    }

    /// Store `value` (the old contents are not read or dropped: C memory).
    pub(crate) fn write(self, value: T) {
        // SAFETY: writable, as `new`'s caller promised.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A box as a new C handle.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Free a handle made by [`into_handle`]; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `into_handle` and was not freed yet.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: made by Box::into_raw, freed once (the caller's promise).
        drop(unsafe { Box::from_raw(p) });
    }
}

/// The status code of an error kind.
pub(crate) fn status_of(kind: ErrorKind) -> ut_status {
    match kind {
        ErrorKind::InvalidArgument => UT_ERR_INVALID,
        ErrorKind::NotFound => UT_ERR_NOT_FOUND,
        ErrorKind::PermissionDenied => UT_ERR_PERMISSION,
        ErrorKind::Io => UT_ERR_IO,
        ErrorKind::NotRecognised => UT_ERR_FORMAT,
        ErrorKind::Unsupported => UT_ERR_UNSUPPORTED,
        ErrorKind::OutOfMemory => UT_ERR_NOMEM,
        ErrorKind::Internal => UT_ERR_INTERNAL,
        ErrorKind::Busy => UT_ERR_BUSY,
    }
}

/// `Ok` when `flags` has no bit outside `known`; else an invalid-argument
/// error "unknown WHAT flags 0x…" naming the unknown bits.
pub(crate) fn check_flags(flags: u32, known: u32, what: &str) -> Result<(), Error> {
    let unknown = flags & !known;
    if unknown == 0 {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidArgument,
        format!("unknown {what} flags 0x{unknown:x}"),
    ))
}

/// Text as a C string; NUL bytes (which cannot be in one) become spaces.
pub(crate) fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', " ")).unwrap_or_default()
}

/// The caller's error buffer (`errbuf`, `errlen`) of the open functions.
#[derive(Clone, Copy)]
pub(crate) struct ErrBuf {
    buf: *mut c_char,
    len: usize,
}

impl ErrBuf {
    /// # Safety
    /// `buf` is NULL or holds `len` writable bytes.
    pub(crate) unsafe fn new(buf: *mut c_char, len: usize) -> ErrBuf {
        ErrBuf { buf, len }
    }

    /// Copy `msg`, cut and NUL-terminated. A NULL buffer or zero length is
    /// fine: nothing is written.
    pub(crate) fn write(self, msg: &str) {
        if self.buf.is_null() || self.len == 0 {
            return;
        }
        let mut n = msg.len().min(self.len - 1);
        // Do not cut a UTF-8 sequence in half.
        while !msg.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: `buf` holds `len` writable bytes (`new`'s contract); we
        // write n + 1 <= len of them.
        unsafe {
            std::ptr::copy_nonoverlapping(msg.as_ptr(), self.buf.cast::<u8>(), n);
            *self.buf.add(n) = 0;
        }
    }

    /// Success: the buffer is cleared ("").
    pub(crate) fn ok(self) -> ut_status {
        self.write("");
        UT_OK
    }

    /// Report `err` and return its status.
    pub(crate) fn fail(self, err: &Error) -> ut_status {
        self.write(&err.message);
        status_of(err.kind)
    }

    /// "WHAT is NULL", `UT_ERR_NULL`.
    pub(crate) fn null(self, what: &str) -> ut_status {
        self.write(&format!("{what} is NULL"));
        UT_ERR_NULL
    }
}

/// The last failure on a handle, for `ut_reader_error` and
/// `ut_monitor_error`: a message (NUL-terminated) and the OS errno.
#[derive(Default)]
pub(crate) struct LastError {
    message: CString,
    os_errno: i32,
}

impl LastError {
    /// Keep `err` and return its status.
    pub(crate) fn record(&mut self, err: &Error) -> ut_status {
        self.message = c_string(&err.message);
        self.os_errno = err.os_errno;
        status_of(err.kind)
    }

    /// Write the message and errno to whichever outputs are not NULL.
    ///
    /// # Safety
    /// Each output is NULL or writable.
    pub(crate) unsafe fn report(&self, message: *mut *const c_char, os_errno: *mut i32) {
        // SAFETY: NULL or writable, as the caller promised.
        if let Some(m) = unsafe { Out::new(message) } {
            m.write(self.message.as_ptr());
        }
        // SAFETY: as above.
        if let Some(e) = unsafe { Out::new(os_errno) } {
            e.write(self.os_errno);
        }
    }
}
