//! wtmpdb (FORMATS.md §2.13): the SQLite successor of wtmp, read as the
//! same normalized entries a wtmp file gives.
//!
//! One row is one session (or one boot). It becomes:
//! - a login entry at `Login`: `USER_PROCESS` (Type 3), `BOOT_TIME`
//!   (Type 1, user "reboot", line "~", host = kernel release), `RUN_LVL`
//!   (Type 2) or `EMPTY` (Type 0 and unknown types);
//! - when `Logout` is set, an end entry at `Logout`: `DEAD_PROCESS` for a
//!   session (user, line, host and service kept, so it can be matched by
//!   line as in a wtmp file, or by `offset`), `SHUTDOWN_TIME` (user
//!   "shutdown", line "~") for a boot row.
//!
//! `raw_type` is the row's Type, `service` the PAM service, `offset` the
//! row ID (the login and end entries of one row share it), pid and
//! session are unknown (-1).
//!
//! Order: like a wtmp file, by time: every login and end event sorted by
//! (time in µs, row ID, login before end). A reverse reader gives exactly
//! the reverse (newest first).
//!
//! How, with memory independent of the number of rows and no long lock:
//! when opened or rewound, the reader copies each row's event keys (time,
//! rowid, kind: no text) into a temporary table of its own connection
//! (`temp.utx_ev`, a WITHOUT ROWID table keyed in that order, kept by
//! SQLite in an unnamed file of its temporary directory, with a bounded
//! page cache), [`SNAPSHOT_PAGE`] rows per statement by rowid range. Each
//! statement is its own short read transaction on the database, so a
//! writer waits at most for one page. Then it reads [`PAGE`] events at a
//! time with a keyset query on that table (after the last key returned),
//! joined to their rows, each field cut to [`MAX_FIELD`] bytes. Rows
//! deleted meanwhile (rotation) are skipped; a Logout set after the
//! snapshot shows on the next rewind.
//!
//! [`MAX_FIELD`]: crate::source::sqlite::MAX_FIELD

use crate::entry::EntryType;

/// Columns wtmpdb has written since 2023-03-28 (the first draft had no ID).
pub const COLUMNS: &[&str] = &[
    "ID",
    "Type",
    "User",
    "Login",
    "Logout",
    "TTY",
    "RemoteHost",
    "Service",
];

/// wtmpdb's own type numbers (not utmp's); EMPTY is 0.
pub(crate) mod row_type {
    pub(crate) const BOOT_TIME: i64 = 1;
    pub(crate) const RUNLEVEL: i64 = 2;
    pub(crate) const USER_PROCESS: i64 = 3;
}

/// Default database paths on Linux, newest layout last: Debian trixie and
/// openSUSE use /var/lib/wtmpdb; Debian forky moved it to /var/log.
pub const DEFAULT_PATHS: &[&str] = &["/var/lib/wtmpdb/wtmp.db", "/var/log/wtmp.db"];

/// The rotated databases `wtmpdb rotate` wrote beside `db`
/// (`<dir>/<stem>_YYYYMMDD.db`), oldest first.
pub fn rotated_files(db: &std::path::Path) -> Vec<std::path::PathBuf> {
    let (Some(dir), Some(stem)) = (db.parent(), db.file_stem().and_then(|s| s.to_str())) else {
        return Vec::new();
    };
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = format!("{stem}_");
    let mut out: Vec<_> = rd
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            let date = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".db"));
            date.is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// What entry a row gives at its login time and at its logout time.
pub fn classify(row_type: i64, at_logout: bool) -> EntryType {
    match (row_type, at_logout) {
        (row_type::USER_PROCESS, false) => EntryType::UserProcess,
        (row_type::BOOT_TIME, false) => EntryType::BootTime,
        (row_type::RUNLEVEL, false) => EntryType::RunLevel,
        (row_type::BOOT_TIME, true) => EntryType::ShutdownTime,
        (_, true) => EntryType::DeadProcess,
        // row_type::EMPTY and types wtmpdb does not define.
        _ => EntryType::Empty,
    }
}

/// Split microseconds since the epoch into seconds and microseconds.
pub fn split_usec(us: i64) -> (i64, i64) {
    (us.div_euclid(1_000_000), us.rem_euclid(1_000_000))
}

#[cfg(feature = "sqlite")]
pub use imp::WtmpdbStream;

/// Rows whose event keys one snapshot statement copies.
pub const SNAPSHOT_PAGE: i64 = 4096;

/// Events (with their rows) one read statement returns.
pub const PAGE: usize = 256;

#[cfg(feature = "sqlite")]
mod imp {
    use super::*;
    use crate::entry::{Entry, StrField};
    use crate::error::Result;
    use crate::format::Format;
    use crate::source::sqlite::{self, bounded, int_value, sql_error, text_vec, MAX_FIELD};
    use crate::stream::EntryStream;
    use rusqlite::Connection;
    use std::collections::VecDeque;
    use std::path::Path;

    /// One event: (time µs, rowid, 0 = login / 1 = end).
    type Key = (i64, i64, i64);

    /// One event and the columns of its row.
    struct Row {
        key: Key,
        id: i64,
        row_type: i64,
        user: Vec<u8>,
        tty: Vec<u8>,
        host: Vec<u8>,
        service: Vec<u8>,
    }

    pub struct WtmpdbStream {
        conn: Connection,
        shown: String,
        reverse: bool,
        page: VecDeque<Row>,
        /// The key of the last event handed out (keyset cursor).
        after: Key,
        done: bool,
    }

    /// An integer time column as SQL: non-integers count as 0.
    fn int_sql(col: &str) -> String {
        format!("CASE WHEN typeof({col}) = 'integer' THEN {col} ELSE 0 END")
    }

    impl WtmpdbStream {
        /// Open a wtmpdb database read-only and check its schema.
        pub fn open(path: &Path, reverse: bool) -> Result<WtmpdbStream> {
            let conn = sqlite::open_read_only(path, "wtmpdb")?;
            Self::from_connection(conn, path.display().to_string(), reverse)
        }

        pub(crate) fn from_connection(
            conn: Connection,
            shown: String,
            reverse: bool,
        ) -> Result<WtmpdbStream> {
            sqlite::check_columns(&conn, &shown, "wtmpdb", "wtmp", COLUMNS)?;
            let err = |e| sql_error(&shown, "wtmpdb", e);
            conn.execute_batch(
                "PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -2048; \
                 CREATE TEMP TABLE utx_ev(t INTEGER NOT NULL, r INTEGER NOT NULL, \
                 k INTEGER NOT NULL, PRIMARY KEY (t, r, k)) WITHOUT ROWID;",
            )
            .map_err(err)?;
            let mut s = WtmpdbStream {
                conn,
                shown,
                reverse,
                page: VecDeque::new(),
                after: (0, 0, 0),
                done: false,
            };
            s.rewind()?;
            Ok(s)
        }

        /// Copy every row's event keys into `temp.utx_ev`, one rowid
        /// range (one short read transaction) at a time.
        fn snapshot(&mut self) -> Result<()> {
            let err = |e| sql_error(&self.shown, "wtmpdb", e);
            bounded(&self.conn, |c| c.execute("DELETE FROM temp.utx_ev", [])).map_err(err)?;
            let upper = format!(
                "SELECT rowid FROM main.wtmp WHERE rowid > ?1 ORDER BY rowid LIMIT 1 OFFSET {}",
                SNAPSHOT_PAGE - 1
            );
            let copy = format!(
                "INSERT OR IGNORE INTO temp.utx_ev \
                 SELECT {login}, rowid, 0 FROM main.wtmp WHERE rowid > ?1 AND rowid <= ?2 \
                 UNION ALL SELECT {logout}, rowid, 1 FROM main.wtmp \
                 WHERE rowid > ?1 AND rowid <= ?2 AND Logout IS NOT NULL",
                login = int_sql("Login"),
                logout = int_sql("Logout"),
            );
            let mut lo = i64::MIN;
            loop {
                let hi: Option<i64> = bounded(&self.conn, |c| {
                    c.prepare_cached(&upper)?
                        .query_row([lo], |r| r.get(0))
                        .map(Some)
                        .or_else(|e| match e {
                            rusqlite::Error::QueryReturnedNoRows => Ok(None),
                            e => Err(e),
                        })
                })
                .map_err(err)?;
                let top = hi.unwrap_or(i64::MAX);
                bounded(&self.conn, |c| c.prepare_cached(&copy)?.execute([lo, top]))
                    .map_err(err)?;
                match hi {
                    Some(h) if h < i64::MAX => lo = h,
                    _ => return Ok(()),
                }
            }
        }

        /// The next page of events after `self.after`, with their rows.
        fn fill_page(&mut self) -> Result<()> {
            let (cmp, dir) = if self.reverse {
                ("<", "DESC")
            } else {
                (">", "ASC")
            };
            let field = |c: &str| format!("substr(w.{c}, 1, {MAX_FIELD})");
            let sql = format!(
                "SELECT e.t, e.r, e.k, w.ID, w.Type, {}, {}, {}, {} \
                 FROM temp.utx_ev e JOIN main.wtmp w ON w.rowid = e.r \
                 WHERE (e.t, e.r, e.k) {cmp} (?1, ?2, ?3) \
                 ORDER BY e.t {dir}, e.r {dir}, e.k {dir} LIMIT {PAGE}",
                field("User"),
                field("TTY"),
                field("RemoteHost"),
                field("Service"),
            );
            let (t, r, k) = self.after;
            let page = bounded(&self.conn, |c| {
                let mut stmt = c.prepare_cached(&sql)?;
                let rows = stmt.query_map([t, r, k], |r| {
                    Ok(Row {
                        key: (r.get(0)?, r.get(1)?, r.get(2)?),
                        id: int_value(r.get_ref(3)?).unwrap_or(0),
                        row_type: int_value(r.get_ref(4)?).unwrap_or(-1),
                        user: text_vec(r.get_ref(5)?)?,
                        tty: text_vec(r.get_ref(6)?)?,
                        host: text_vec(r.get_ref(7)?)?,
                        service: text_vec(r.get_ref(8)?)?,
                    })
                })?;
                rows.collect::<rusqlite::Result<VecDeque<Row>>>()
            })
            .map_err(|e| sql_error(&self.shown, "wtmpdb", e))?;
            self.done = page.len() < PAGE;
            if let Some(last) = page.back() {
                self.after = last.key;
            }
            self.page = page;
            Ok(())
        }
    }

    /// Fill `e` from one event and its row.
    fn fill(row: &Row, e: &mut Entry) {
        let (time, _, kind) = row.key;
        e.reset(Format::Wtmpdb, row.id as u64);
        e.entry_type = classify(row.row_type, kind == 1);
        e.raw_type = i32::try_from(row.row_type).unwrap_or(-1);
        if e.entry_type == EntryType::ShutdownTime {
            // As a wtmp file's shutdown record: user "shutdown".
            e.set_str(StrField::User, b"shutdown");
        } else {
            e.set_str(StrField::User, &row.user);
        }
        e.set_str(StrField::Line, &row.tty);
        e.set_str(StrField::Host, &row.host);
        e.set_str(StrField::Service, &row.service);
        e.set_addr_from_host_text();
        let (sec, usec) = split_usec(time);
        e.set_time(sec, usec);
    }

    impl EntryStream for WtmpdbStream {
        fn next(&mut self, e: &mut Entry) -> Result<bool> {
            if self.page.is_empty() && !self.done {
                self.fill_page()?;
            }
            let Some(row) = self.page.pop_front() else {
                return Ok(false);
            };
            fill(&row, e);
            Ok(true)
        }

        fn rewind(&mut self) -> Result<()> {
            self.snapshot()?;
            self.after = if self.reverse {
                (i64::MAX, i64::MAX, i64::MAX)
            } else {
                (i64::MIN, i64::MIN, i64::MIN)
            };
            self.page.clear();
            self.done = false;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_rows() {
        assert_eq!(classify(3, false), EntryType::UserProcess);
        assert_eq!(classify(3, true), EntryType::DeadProcess);
        assert_eq!(classify(1, false), EntryType::BootTime);
        assert_eq!(classify(1, true), EntryType::ShutdownTime);
        assert_eq!(classify(2, false), EntryType::RunLevel);
        assert_eq!(classify(0, false), EntryType::Empty);
        assert_eq!(classify(99, false), EntryType::Empty);
    }

    #[test]
    fn split_negative_usec() {
        assert_eq!(split_usec(1_700_000_000_123_456), (1_700_000_000, 123_456));
        assert_eq!(split_usec(-1), (-1, 999_999));
    }
}
