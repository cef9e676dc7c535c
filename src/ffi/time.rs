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
