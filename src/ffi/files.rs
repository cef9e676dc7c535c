//! Several files as one history (rotated logs, gzipped or not).

use std::ffi::OsStr;
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;

use super::boundary::{c_str, guard};
use super::types::*;
use super::{finish_open, null_arg, options, ut_reader};
use crate::reader::Reader;

/// Open `count` files as one history, given oldest first (for example
/// "wtmp.2.gz", "wtmp.1", "wtmp"); reading follows `flags` (with
/// `UT_OPEN_REVERSE`, the newest entry of the last file comes first).
/// Each file is detected on its own when `format` is `UT_FORMAT_AUTO`, and
/// gzip files (magic bytes 1f 8b) are decompressed transparently, as by
/// `ut_reader_open`. Entry offsets are positions in the concatenation of
/// the (decompressed) files. Errors as for `ut_reader_open`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_files(
    paths: *const *const c_char,
    count: usize,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if paths.is_null() {
            return null_arg(errbuf, errlen, "paths");
        }
        if out.is_null() {
            return null_arg(errbuf, errlen, "out");
        }
        let mut list: Vec<&OsStr> = Vec::with_capacity(count.min(4096));
        for i in 0..count {
            // SAFETY: the caller promises `count` readable pointers.
            let Some(p) = c_str(*paths.add(i)) else {
                return null_arg(errbuf, errlen, "a path");
            };
            list.push(OsStr::from_bytes(p.to_bytes()));
        }
        let opened = options(format, flags).and_then(|opts| Reader::open_files(&list, opts));
        finish_open(opened, out, errbuf, errlen)
    })
}
