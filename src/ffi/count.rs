//! Counting logged-in users in one call.

use std::os::raw::c_char;

use super::boundary::{fail, guard, write_errbuf};
use super::types::*;
use super::{options, ut_reader};
use crate::error::{Error, ErrorKind};
use crate::host::Database;
use crate::reader::Reader;
use crate::session::{count_users, CountOptions};

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
        if count.is_null() {
            write_errbuf(errbuf, errlen, "count is NULL");
            return UT_ERR_NULL;
        }
        let known = UT_COUNT_DISTINCT | UT_COUNT_INCLUDE_DEAD;
        let invalid = |msg: String| Error::new(ErrorKind::InvalidArgument, msg);
        if flags & !known != 0 {
            return fail(
                errbuf,
                errlen,
                &invalid(format!("unknown count flags 0x{:x}", flags & !known)),
            );
        }
        let opts = CountOptions {
            distinct: flags & UT_COUNT_DISTINCT != 0,
            include_dead: flags & UT_COUNT_INCLUDE_DEAD != 0,
        };
        let result = if !reader.is_null() {
            if database != 0 {
                return fail(
                    errbuf,
                    errlen,
                    &invalid("give a reader or a database, not both".into()),
                );
            }
            // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
            let r = &mut *reader;
            match count_users(&mut r.reader, opts) {
                Ok(n) => Ok(n),
                Err(err) => {
                    r.record(&err);
                    Err(err)
                }
            }
        } else {
            Database::from_u32(database)
                .ok_or_else(|| invalid(format!("unknown database number {database}")))
                .and_then(|db| options(UT_FORMAT_AUTO, 0).map(|o| (db, o)))
                .and_then(|(db, o)| Reader::open_db(db, o))
                .and_then(|mut r| count_users(&mut r, opts))
        };
        match result {
            Ok(n) => {
                *count = n;
                write_errbuf(errbuf, errlen, "");
                UT_OK
            }
            Err(err) => fail(errbuf, errlen, &err),
        }
    })
}
