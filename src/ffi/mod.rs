//! The C ABI (`include/utx.h`): opaque handles, status codes, NULL checks
//! and the panic boundary. The only module that deals in raw pointers.
//!
//! Every exported function's body is one `guard(…)` call: a test reads
//! this folder and checks it.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

mod boundary;
pub mod count;
pub mod files;
mod logind;
mod monitor;
pub mod sessions;
mod sources;
pub mod time;
pub mod types;

use std::ffi::{CString, OsStr};
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::ptr;

use boundary::{c_str, fail, guard, static_c, status_of};
pub use types::*;

use crate::entry::{Entry, EntryType};
use crate::error::{Error, ErrorKind};
use crate::format::Format;
use crate::host::Database;
use crate::reader::{Options, Reader};

/// A reader of one file, buffer or database. Opaque; create with
/// `ut_reader_open*`, free with `ut_reader_close`. Not for use by two
/// threads at once; different readers are independent.
pub struct ut_reader {
    reader: Reader,
    entry: Entry,
    c_entry: ut_entry,
    /// Last failure on this reader: message (NUL-terminated) and errno.
    error: CString,
    os_errno: i32,
    /// `Reader::source()` as a C string, for `ut_reader_source`.
    source: CString,
}

impl ut_reader {
    fn new(reader: Reader) -> Box<ut_reader> {
        let source = CString::new(reader.source().replace('\0', " ")).unwrap_or_default();
        Box::new(ut_reader {
            source,
            reader,
            entry: Entry::default(),
            c_entry: empty_c_entry(),
            error: CString::default(),
            os_errno: 0,
        })
    }

    fn record(&mut self, err: &Error) -> ut_status {
        self.error = CString::new(err.message.replace('\0', " ")).unwrap_or_default();
        self.os_errno = err.os_errno;
        status_of(err.kind)
    }

    /// Point the C view at the current entry's buffers.
    fn publish(&mut self) {
        let e = &self.entry;
        let c = &mut self.c_entry;
        c.entry_type = e.entry_type as i32;
        c.raw_type = e.raw_type;
        c.flags = e.flags;
        c.user = e.user.as_ptr().cast();
        c.line = e.line.as_ptr().cast();
        c.id = e.id.as_ptr().cast();
        c.host = e.host.as_ptr().cast();
        c.service = e.service.as_ptr().cast();
        c.pid = e.pid;
        c.session = e.session;
        c.uid = e.uid;
        c.exit_termination = e.exit_termination;
        c.exit_status = e.exit_status;
        c.sec = e.sec;
        c.usec = e.usec;
        c.addr_family = e.addr_family as u32;
        c.addr = e.addr;
        c.addr_text = e.addr_text.as_ptr().cast();
        c.format = e.format as u32;
        c.offset = e.offset;
    }
}

fn empty_c_entry() -> ut_entry {
    let empty = static_c("\0");
    ut_entry {
        size: std::mem::size_of::<ut_entry>() as u32,
        entry_type: 0,
        raw_type: -1,
        flags: 0,
        user: empty,
        line: empty,
        id: empty,
        host: empty,
        service: empty,
        pid: -1,
        session: -1,
        uid: -1,
        exit_termination: -1,
        exit_status: -1,
        sec: 0,
        usec: 0,
        addr_family: UT_ADDR_NONE,
        addr: [0; 16],
        addr_text: empty,
        format: UT_FORMAT_AUTO,
        offset: 0,
    }
}

/// Validate a format number and open flags into reader options.
fn options(format: ut_format, flags: ut_open_flags) -> Result<Options, Error> {
    let format = Format::from_u32(format).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown format number {format}"),
        )
    })?;
    const KNOWN: ut_open_flags = UT_OPEN_REVERSE | UT_OPEN_LIVE | UT_OPEN_ALL_SESSIONS;
    if flags & !KNOWN != 0 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown open flags 0x{:x}", flags & !KNOWN),
        ));
    }
    Ok(Options {
        format,
        reverse: flags & UT_OPEN_REVERSE != 0,
        type_mask: u32::MAX,
        live: flags & UT_OPEN_LIVE != 0,
        all_sessions: flags & UT_OPEN_ALL_SESSIONS != 0,
    })
}

/// Validate a database number and flags, then open that database of the
/// system whose root directory is `root`.
fn open_database(
    root: &std::path::Path,
    database: ut_database,
    flags: ut_open_flags,
) -> Result<Reader, Error> {
    let db = Database::from_u32(database).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown database number {database}"),
        )
    })?;
    let opts = options(UT_FORMAT_AUTO, flags)?;
    crate::reader::defaults::open_db_in(root, db, opts)
}

/// Store a new reader in `*out`, or report `err` in the caller's buffer.
fn finish_open(
    opened: Result<Reader, Error>,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    match opened {
        Ok(reader) => {
            // SAFETY: `out` was checked non-NULL by the caller of this helper.
            unsafe { *out = Box::into_raw(ut_reader::new(reader)) };
            boundary::write_errbuf(errbuf, errlen, "");
            UT_OK
        }
        Err(err) => fail(errbuf, errlen, &err),
    }
}

fn null_arg(errbuf: *mut c_char, errlen: usize, what: &str) -> ut_status {
    boundary::write_errbuf(errbuf, errlen, &format!("{what} is NULL"));
    UT_ERR_NULL
}

/// Open the file at `path`. `format` is a `UT_FORMAT_*` (`UT_FORMAT_AUTO`
/// detects it), `flags` a combination of `UT_OPEN_*`. On success stores a
/// new reader in `*out`. On failure `*out` is untouched and, when `errbuf`
/// is not NULL, a message of at most `errlen - 1` bytes is written there.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open(
    path: *const c_char,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let Some(path) = c_str(path) else {
            return null_arg(errbuf, errlen, "path");
        };
        if out.is_null() {
            return null_arg(errbuf, errlen, "out");
        }
        let opened = options(format, flags)
            .and_then(|opts| Reader::open(OsStr::from_bytes(path.to_bytes()), opts));
        finish_open(opened, out, errbuf, errlen)
    })
}

/// Parse `len` bytes at `bytes` (copied: the buffer may be freed after the
/// call). `bytes` may be NULL only when `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_memory(
    bytes: *const u8,
    len: usize,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if bytes.is_null() && len != 0 {
            return null_arg(errbuf, errlen, "bytes");
        }
        if out.is_null() {
            return null_arg(errbuf, errlen, "out");
        }
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: the caller promises `len` readable bytes at `bytes`.
            std::slice::from_raw_parts(bytes, len)
        };
        let opened = options(format, flags).and_then(|opts| Reader::from_bytes(data, opts));
        finish_open(opened, out, errbuf, errlen)
    })
}

/// Open this host's `database` (`UT_DB_*`): the classic file where this
/// system writes it, else its successor (utmp: logind; wtmp: wtmpdb;
/// lastlog: lastlog2). `ut_reader_source` says which was opened.
/// `UT_ERR_NOT_FOUND` (with a message naming what is missing, e.g. "logind
/// is not running") when neither exists; `UT_ERR_UNSUPPORTED` for
/// `UT_DB_BTMP` where btmp does not exist (it has no successor).
/// `UT_OPEN_LIVE` keeps only live sessions; `UT_OPEN_ALL_SESSIONS` keeps
/// logind's manager/background/closing sessions.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_db(
    database: ut_database,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if out.is_null() {
            return null_arg(errbuf, errlen, "out");
        }
        let opened = open_database(std::path::Path::new("/"), database, flags);
        finish_open(opened, out, errbuf, errlen)
    })
}

/// Read the next entry. `UT_OK` stores in `*entry` a pointer valid until
/// the next call on this reader; `UT_END` when there are no more.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_next(
    reader: *mut ut_reader,
    entry: *mut *const ut_entry,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || entry.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        let r = &mut *reader;
        match r.reader.next_into(&mut r.entry) {
            Ok(true) => {
                r.publish();
                *entry = &r.c_entry;
                UT_OK
            }
            Ok(false) => UT_END,
            Err(err) => r.record(&err),
        }
    })
}

/// Start again from the first entry (newest first for a reverse reader).
#[no_mangle]
pub unsafe extern "C" fn ut_reader_rewind(reader: *mut ut_reader) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() {
            return UT_ERR_NULL;
        }
        let r = &mut *reader;
        match r.reader.rewind() {
            Ok(()) => UT_OK,
            Err(err) => r.record(&err),
        }
    })
}

/// Only return entries whose type bit (`1u << UT_TYPE_*`) is set in `mask`.
/// `UT_ERR_INVALID` for bits of unknown types.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_set_types(reader: *mut ut_reader, mask: u32) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() {
            return UT_ERR_NULL;
        }
        if mask & !UT_TYPE_MASK_ALL != 0 {
            return UT_ERR_INVALID;
        }
        (*reader).reader.set_type_mask(mask);
        UT_OK
    })
}

/// Free a reader and every entry it handed out. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_close(reader: *mut ut_reader) {
    guard((), || {
        if !reader.is_null() {
            // SAFETY: came from Box::into_raw in ut_reader_open*.
            drop(Box::from_raw(reader));
        }
    })
}

/// The format being read (detected or forced), a `UT_FORMAT_*`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_format(
    reader: *const ut_reader,
    format: *mut ut_format,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || format.is_null() {
            return UT_ERR_NULL;
        }
        *format = (*reader).reader.format() as u32;
        UT_OK
    })
}

/// How many records (or text lines) the reader has skipped as corrupt
/// since it was opened or rewound. Each skip also flags the next entry
/// `UT_ENTRY_RECOVERED`; this count also shows skips after the last entry,
/// and a file (read with a forced format) whose every record was invalid.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_skipped(reader: *const ut_reader, count: *mut u64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || count.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        *count = (*reader).reader.skipped();
        UT_OK
    })
}

/// The last failure on this reader: a message (valid until the next call
/// on the reader; "" when none) and the OS errno (0 when none). Either
/// output may be NULL.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_error(
    reader: *const ut_reader,
    message: *mut *const c_char,
    os_errno: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() {
            return UT_ERR_NULL;
        }
        let r = &*reader;
        if !message.is_null() {
            *message = r.error.as_ptr();
        }
        if !os_errno.is_null() {
            *os_errno = r.os_errno;
        }
        UT_OK
    })
}

/// A short English description of a status; never NULL.
#[no_mangle]
pub extern "C" fn ut_status_str(status: ut_status) -> *const c_char {
    guard(static_c("internal error\0"), || {
        static_c(match status {
            UT_OK => "ok\0",
            UT_END => "no more entries\0",
            UT_ERR_NULL => "NULL argument\0",
            UT_ERR_INVALID => "invalid argument\0",
            UT_ERR_NOT_FOUND => "not found\0",
            UT_ERR_PERMISSION => "permission denied\0",
            UT_ERR_IO => "I/O error\0",
            UT_ERR_FORMAT => "not a recognised format\0",
            UT_ERR_UNSUPPORTED => "unsupported\0",
            UT_ERR_NOMEM => "out of memory\0",
            UT_ERR_INTERNAL => "internal error\0",
            _ => "unknown status\0",
        })
    })
}

static FORMAT_NAMES: std::sync::OnceLock<Vec<CString>> = std::sync::OnceLock::new();
static TYPE_NAMES: std::sync::OnceLock<Vec<CString>> = std::sync::OnceLock::new();

/// The C string of name number `n`: the core's names have no NUL, so
/// the C copies (numbers 0 up to the first gap) are made once and live
/// as long as the library.
fn c_name(
    cell: &'static std::sync::OnceLock<Vec<CString>>,
    n: usize,
    name: impl Fn(usize) -> Option<&'static str>,
) -> *const c_char {
    let names = cell.get_or_init(|| {
        (0..)
            .map_while(&name)
            .map(|s| CString::new(s).expect("names have no NUL"))
            .collect()
    });
    names.get(n).map_or(ptr::null(), |c| c.as_ptr())
}

/// The name of a format (`"linux-384-le"`), or NULL for an unknown number.
#[no_mangle]
pub extern "C" fn ut_format_name(format: ut_format) -> *const c_char {
    guard(ptr::null(), || {
        Format::from_u32(format).map_or(ptr::null(), |f| {
            c_name(&FORMAT_NAMES, f as usize, |n| {
                Format::from_u32(n as u32).map(Format::name)
            })
        })
    })
}

/// The format with this name (as `ut_format_name` gives it).
#[no_mangle]
pub unsafe extern "C" fn ut_format_from_name(
    name: *const c_char,
    format: *mut ut_format,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let Some(name) = c_str(name) else {
            return UT_ERR_NULL;
        };
        if format.is_null() {
            return UT_ERR_NULL;
        }
        match name.to_str().ok().and_then(Format::from_name) {
            Some(f) => {
                *format = f as u32;
                UT_OK
            }
            None => UT_ERR_INVALID,
        }
    })
}

/// The system family of a format (`UT_FAMILY_*`), which decides how
/// `last` pairs logins with logouts.
#[no_mangle]
pub unsafe extern "C" fn ut_format_family(format: ut_format, family: *mut ut_family) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if family.is_null() {
            return UT_ERR_NULL;
        }
        match Format::from_u32(format) {
            Some(f) => {
                *family = f.family() as u32;
                UT_OK
            }
            None => UT_ERR_INVALID,
        }
    })
}

/// The name of a normalized type (`"USER_PROCESS"`), or NULL if unknown.
#[no_mangle]
pub extern "C" fn ut_type_name(entry_type: ut_type) -> *const c_char {
    guard(ptr::null(), || {
        EntryType::from_i32(entry_type).map_or(ptr::null(), |t| {
            c_name(&TYPE_NAMES, t as usize, |n| {
                EntryType::from_i32(n as i32).map(EntryType::name)
            })
        })
    })
}

/// The library version, `"MAJOR.MINOR.PATCH"`.
#[no_mangle]
pub extern "C" fn ut_version() -> *const c_char {
    guard(ptr::null(), || {
        static_c(concat!(env!("CARGO_PKG_VERSION"), "\0"))
    })
}
