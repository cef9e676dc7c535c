//! Names and numbers: status, format and type names, a format's family,
//! the library version, and counting logged-in users in one call.
//!
//! The names come from the core (`Format::name`, `EntryType::name`) and
//! are turned into C strings once, in tables that live as long as the
//! library.

use std::ffi::CString;
use std::os::raw::c_char;
use std::ptr;
use std::sync::OnceLock;

use crate::ffi::check_flags;
use crate::panic::guard;
use crate::reader::{database_of, options, ut_reader};
use crate::types::*;
use utx::{count_users, CountOptions, EntryType, Format, Reader};

/// Every format (with `Auto`) and its name as a C string.
fn format_names() -> &'static [(Format, CString)] {
    static NAMES: OnceLock<Vec<(Format, CString)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        std::iter::once(Format::Auto)
            .chain(Format::all())
            .map(|f| (f, crate::ffi::c_string(f.name())))
            .collect()
    })
}

/// Every entry type's name as a C string, indexed by type number.
fn type_names() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| {
        EntryType::ALL
            .iter()
            .map(|t| crate::ffi::c_string(t.name()))
            .collect()
    })
}

/// A short English description of a status; never NULL.
#[no_mangle]
pub extern "C" fn ut_status_str(status: ut_status) -> *const c_char {
    guard(c"internal error".as_ptr(), || {
        match status {
            UT_OK => c"ok",
            UT_END => c"no more entries",
            UT_ERR_NULL => c"NULL argument",
            UT_ERR_INVALID => c"invalid argument",
            UT_ERR_NOT_FOUND => c"not found",
            UT_ERR_PERMISSION => c"permission denied",
            UT_ERR_IO => c"I/O error",
            UT_ERR_FORMAT => c"not a recognised format",
            UT_ERR_UNSUPPORTED => c"unsupported",
            UT_ERR_NOMEM => c"out of memory",
            UT_ERR_INTERNAL => c"internal error",
            UT_ERR_BUSY => c"busy: another writer holds the lock",
            _ => c"unknown status",
        }
        .as_ptr()
    })
}

/// The name of a format (`"linux-384-le"`), or NULL for an unknown number.
#[no_mangle]
pub extern "C" fn ut_format_name(format: ut_format) -> *const c_char {
    guard(ptr::null(), || {
        format_names()
            .iter()
            .find(|(f, _)| *f as u32 == format)
            .map_or(ptr::null(), |(_, name)| name.as_ptr())
    })
}

/// The format with this name (as `ut_format_name` gives it).
#[no_mangle]
pub unsafe extern "C" fn ut_format_from_name(
    name: *const c_char,
    format: *mut ut_format,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let name = try_cstr!(name);
        let format = try_out!(format);
        match name.to_str().ok().and_then(Format::from_name) {
            Some(f) => {
                format.write(f as u32);
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
        let family = try_out!(family);
        match Format::from_u32(format) {
            Some(f) => {
                family.write(f.family() as u32);
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
        usize::try_from(entry_type)
            .ok()
            .and_then(|i| type_names().get(i))
            .map_or(ptr::null(), |name| name.as_ptr())
    })
}

/// The library version, `"MAJOR.MINOR.PATCH"`.
#[no_mangle]
pub extern "C" fn ut_version() -> *const c_char {
    guard(ptr::null(), || {
        static VERSION: OnceLock<CString> = OnceLock::new();
        VERSION
            .get_or_init(|| crate::ffi::c_string(utx::VERSION))
            .as_ptr()
    })
}

/// How many users are logged in, the way `who -q`, `users` and `uptime`
/// should count them: `USER_PROCESS` entries with a user name whose
/// process is alive (checked through /proc where there is one).
///
/// Counts the remaining entries of `reader` when it is not NULL (then
/// `database` must be 0); otherwise opens this host's `database`
/// (`UT_DB_UTMP` for "now"), counts, and closes it. `flags`:
/// `UT_COUNT_DISTINCT` counts each user name once; `UT_COUNT_INCLUDE_DEAD`
/// skips the process check (for files from another machine). Stores the
/// count in `*count`. Errors of opening go to `errbuf`; read errors on a
/// caller's reader are also recorded on it (`ut_reader_error`).
#[no_mangle]
pub unsafe extern "C" fn ut_count_users(
    reader: *mut ut_reader,
    database: ut_database,
    flags: u32,
    count: *mut u64,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let count = try_out!(count, err.null("count"));
        if let Err(e) = check_flags(flags, UT_COUNT_DISTINCT | UT_COUNT_INCLUDE_DEAD, "count") {
            return err.fail(&e);
        }
        let opts = CountOptions {
            distinct: flags & UT_COUNT_DISTINCT != 0,
            include_dead: flags & UT_COUNT_INCLUDE_DEAD != 0,
        };
        // SAFETY: NULL, or a reader from ut_reader_open* that no other
        // thread uses (the contract).
        let result = match unsafe { crate::ffi::handle_mut(reader) } {
            Some(_) if database != 0 => {
                return err.fail(&utx::Error::new(
                    utx::ErrorKind::InvalidArgument,
                    "give a reader or a database, not both",
                ));
            }
            Some(r) => count_users(&mut r.reader, opts).inspect_err(|e| {
                r.record(e);
            }),
            None => database_of(database)
                .and_then(|db| Ok((db, options(UT_FORMAT_AUTO, 0)?)))
                .and_then(|(db, o)| Reader::open_db(db, o))
                .and_then(|mut r| count_users(&mut r, opts)),
        };
        match result {
            Ok(n) => {
                count.write(n);
                err.ok()
            }
            Err(e) => err.fail(&e),
        }
    })
}

/// The ABI version of the loaded library: the N of `libutx.so.N`, 1 here.
/// A binding compares it with the `UTX_ABI_VERSION` of the header it was
/// made from, and refuses to run on a mismatch (see `UTX_ABI_VERSION`).
#[no_mangle]
pub extern "C" fn ut_abi_version() -> u32 {
    guard(0, || UTX_ABI_VERSION)
}
