//! Diagnostics: functions for tests and benchmarks, not for applications.
//! Their answers describe how the library works, not the data, and may
//! change between versions.

use crate::panic::guard;
use crate::reader::ut_reader;
use crate::types::*;

/// Diagnostics: how many chunks (reads of at most 256 KiB) the reader has
/// made so far; for tests and benchmarks. 0 for sources that do not count.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_chunks_read(
    reader: *const ut_reader,
    count: *mut u64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(reader, count, |r| r.reader.chunks_read())
    })
}
