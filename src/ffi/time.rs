//! Time queries on a reader: a since/until filter (and, on readers of
//! fixed-size records, seeking to a time).

use super::boundary::guard;
use super::types::*;
use super::ut_reader;

/// Only return entries with `since <= sec <= until` (seconds, UTC). Pass
/// `INT64_MIN` / `INT64_MAX` for an open end. `UT_ERR_INVALID` when
/// `since > until`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_set_time_range(
    reader: *mut ut_reader,
    since: i64,
    until: i64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() {
            return UT_ERR_NULL;
        }
        if since > until {
            return UT_ERR_INVALID;
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        let r = &mut (*reader).reader;
        r.set_since((since != i64::MIN).then_some(since));
        r.set_until((until != i64::MAX).then_some(until));
        UT_OK
    })
}

/// Position the reader at the first entry at or after `sec` (a forward
/// reader), or at the newest entry at or before `sec` (a reverse reader),
/// as a scan from the start would find it; reading continues from there
/// in the reader's direction. Event files of fixed-size records bisect,
/// checking the time order where they look and scanning when it does not
/// hold; other sources scan. `UT_END` is never returned: past the end,
/// the next `ut_reader_next` gives `UT_END`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_seek_time(reader: *mut ut_reader, sec: i64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        let r = &mut *reader;
        match r.reader.seek_time(sec) {
            Ok(()) => UT_OK,
            Err(err) => r.record(&err),
        }
    })
}

/// How many chunks (reads of at most 256 KiB) the reader has made so far;
/// for tests and benchmarks. 0 for sources that do not count.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_chunks_read(
    reader: *const ut_reader,
    count: *mut u64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || count.is_null() {
            return UT_ERR_NULL;
        }
        *count = (*reader).reader.chunks_read();
        UT_OK
    })
}
