//! The panic boundary and the small pointer helpers every exported
//! function uses. Nothing here is exported.

use std::ffi::CStr;
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::types::*;
use crate::error::{Error, ErrorKind};

/// Run an exported function's body; a panic becomes `on_panic`.
pub fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// The status code of an error kind.
pub fn status_of(kind: ErrorKind) -> ut_status {
    match kind {
        ErrorKind::InvalidArgument => UT_ERR_INVALID,
        ErrorKind::NotFound => UT_ERR_NOT_FOUND,
        ErrorKind::PermissionDenied => UT_ERR_PERMISSION,
        ErrorKind::Io => UT_ERR_IO,
        ErrorKind::NotRecognised => UT_ERR_FORMAT,
        ErrorKind::Unsupported => UT_ERR_UNSUPPORTED,
        ErrorKind::OutOfMemory => UT_ERR_NOMEM,
        ErrorKind::Internal => UT_ERR_INTERNAL,
    }
}

/// Copy `msg` into a caller buffer of `len` bytes, cut and NUL-terminated.
/// A NULL buffer or zero length is fine: nothing is written.
pub fn write_errbuf(buf: *mut c_char, len: usize, msg: &str) {
    if buf.is_null() || len == 0 {
        return;
    }
    let mut n = msg.len().min(len - 1);
    // Do not cut a UTF-8 sequence in half.
    while !msg.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: the caller promises `buf` holds `len` writable bytes; we
    // write n + 1 <= len of them.
    unsafe {
        std::ptr::copy_nonoverlapping(msg.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
    }
}

/// Report `err` through the caller's buffer and return its status.
pub fn fail(buf: *mut c_char, len: usize, err: &Error) -> ut_status {
    write_errbuf(buf, len, &err.message);
    status_of(err.kind)
}

/// Borrow a C string argument as UTF-8-or-bytes path text.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub unsafe fn c_str<'a>(p: *const c_char) -> Option<&'a CStr> {
    if p.is_null() {
        None
    } else {
        Some(CStr::from_ptr(p))
    }
}

/// A `'static` C string from a Rust literal that ends in `\0`.
pub fn static_c(s: &'static str) -> *const c_char {
    debug_assert!(s.ends_with('\0'));
    s.as_ptr().cast()
}
