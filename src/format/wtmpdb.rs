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
//! the reverse (newest first). The reader takes a snapshot of the event
//! times (24 bytes per event) when opened or rewound and fetches the rows
//! of the next 256 events with one primary-key query when it reaches them,
//! so memory grows with the number of rows but not with their text; rows
//! deleted meanwhile (rotation) are skipped, and a Logout set after the
//! snapshot shows on the next rewind.

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

#[cfg(feature = "sqlite")]
mod imp {
    use super::*;
    use crate::entry::{Entry, StrField};
    use crate::error::Result;
    use crate::format::Format;
    use crate::source::sqlite::{self, int_value, sql_error, text_bytes};
    use crate::stream::EntryStream;
    use rusqlite::Connection;
    use std::collections::HashMap;
    use std::path::Path;

    /// One event: (time µs, row ID, 0 = login / 1 = end).
    type Event = (i64, i64, u8);

    /// Events whose rows are fetched with one query (one `IN (…)` list).
    const BATCH: usize = 256;

    /// The text columns of one row, and its Type.
    struct Row {
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
        events: Vec<Event>,
        pos: usize,
        /// Rows of the events from `pos` to the end of the current batch.
        rows: HashMap<i64, Row>,
        batch_end: usize,
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
            let mut s = WtmpdbStream {
                conn,
                shown,
                reverse,
                events: Vec::new(),
                pos: 0,
                rows: HashMap::new(),
                batch_end: 0,
            };
            s.rewind()?;
            Ok(s)
        }

        fn snapshot(&self) -> Result<Vec<Event>> {
            let err = |e| sql_error(&self.shown, "wtmpdb", e);
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT Login, ID, 0 FROM wtmp \
                     UNION ALL SELECT Logout, ID, 1 FROM wtmp WHERE Logout IS NOT NULL \
                     ORDER BY 1, 2, 3",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        int_value(r.get_ref(0)?).unwrap_or(0),
                        r.get::<_, i64>(1)?,
                        r.get::<_, u8>(2)?,
                    ))
                })
                .map_err(err)?;
            let mut events = rows
                .collect::<rusqlite::Result<Vec<Event>>>()
                .map_err(err)?;
            if self.reverse {
                events.reverse();
            }
            Ok(events)
        }

        /// Fetch the rows of the next batch of events with one query.
        fn load_batch(&mut self) -> Result<()> {
            let end = (self.pos + BATCH).min(self.events.len());
            let mut ids: Vec<i64> = self.events[self.pos..end].iter().map(|e| e.1).collect();
            ids.sort_unstable();
            ids.dedup();
            let marks = vec!["?"; ids.len()].join(",");
            let sql = format!(
                "SELECT ID, Type, User, TTY, RemoteHost, Service FROM wtmp WHERE ID IN ({marks})"
            );
            let err = |e| sql_error(&self.shown, "wtmpdb", e);
            let mut stmt = self.conn.prepare_cached(&sql).map_err(err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(ids.iter()), |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        Row {
                            row_type: int_value(r.get_ref(1)?).unwrap_or(-1),
                            user: text_bytes(r.get_ref(2)?).to_vec(),
                            tty: text_bytes(r.get_ref(3)?).to_vec(),
                            host: text_bytes(r.get_ref(4)?).to_vec(),
                            service: text_bytes(r.get_ref(5)?).to_vec(),
                        },
                    ))
                })
                .map_err(err)?;
            self.rows.clear();
            for row in rows {
                let (id, row) = row.map_err(err)?;
                self.rows.insert(id, row);
            }
            self.batch_end = end;
            Ok(())
        }
    }

    /// Fill `e` from one event and its row.
    fn fill((time, id, kind): Event, row: &Row, e: &mut Entry) {
        e.reset(Format::Wtmpdb, id as u64);
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
            while self.pos < self.events.len() {
                if self.pos >= self.batch_end {
                    self.load_batch()?;
                }
                let ev = self.events[self.pos];
                self.pos += 1;
                // A row deleted since the snapshot (rotation) is skipped.
                if let Some(row) = self.rows.get(&ev.1) {
                    fill(ev, row, e);
                    return Ok(true);
                }
            }
            Ok(false)
        }

        fn rewind(&mut self) -> Result<()> {
            self.events = self.snapshot()?;
            self.pos = 0;
            self.batch_end = 0;
            self.rows.clear();
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
