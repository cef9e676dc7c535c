//! C API: which source a reader opened, and the default sources of a
//! system under another root directory (a copied tree, a test).

use std::ffi::OsStr;
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::boundary::{c_str, guard};
use super::types::*;
use super::{finish_open, null_arg, open_database, ut_reader};

/// The source a reader opened, valid as long as the reader: a path
/// ("/var/run/utmp"), or kind and path ("logind:/run/systemd",
/// "wtmpdb:/var/lib/wtmpdb/wtmp.db", "lastlog2:/var/lib/lastlog/lastlog2.db"),
/// or "memory".
#[no_mangle]
pub unsafe extern "C" fn ut_reader_source(
    reader: *const ut_reader,
    source: *mut *const c_char,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || source.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        *source = (*reader).source.as_ptr();
        UT_OK
    })
}

/// As `ut_reader_open_db`, for the system whose root directory is `root`
/// (NULL or "/" for this one): every default path, logind's
/// `<root>/run/systemd` included, is looked up under it. For offline
/// forensics on a copied tree, and for tests.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_db_at(
    root: *const c_char,
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
        let root = c_str(root).map_or(Path::new("/"), |r| {
            Path::new(OsStr::from_bytes(r.to_bytes()))
        });
        finish_open(open_database(root, database, flags), out, errbuf, errlen)
    })
}
