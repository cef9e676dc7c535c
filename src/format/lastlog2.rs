//! lastlog2 (FORMATS.md §2.12): util-linux's SQLite successor of lastlog.
//!
//! One row per user *name*: `Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER,
//! TTY TEXT, RemoteHost TEXT, Service TEXT)`, Time in seconds. Each row is
//! a `LAST_LOGIN` entry with user = Name, line = TTY, host = RemoteHost,
//! service = Service, offset = the row's rowid; uid is unknown (-1: the
//! table has none, and looking names up in NSS could block on a directory
//! server).
//!
//! Order: by Name (byte order), like a lastlog file's uid order; a reverse
//! reader goes from the last name to the first. Rows are read in pages of
//! [`PAGE`] through the primary-key index, so memory stays bounded however
//! many directory users the table holds.

/// Columns of the table util-linux creates.
pub const COLUMNS: &[&str] = &["Name", "Time", "TTY", "RemoteHost", "Service"];

/// Default database path (util-linux `LL2_DEFAULT_DATABASE`).
pub const DEFAULT_PATH: &str = "/var/lib/lastlog/lastlog2.db";

/// Rows fetched per query.
#[cfg(feature = "sqlite")]
const PAGE: usize = 512;

#[cfg(feature = "sqlite")]
pub use imp::Lastlog2Stream;

#[cfg(feature = "sqlite")]
mod imp {
    use super::*;
    use crate::entry::{Entry, EntryType, StrField};
    use crate::error::Result;
    use crate::format::Format;
    use crate::source::sqlite::{self, bounded, int_value, sql_error, text_vec, MAX_FIELD};
    use crate::stream::EntryStream;
    use rusqlite::types::{ToSqlOutput, ValueRef};
    use rusqlite::Connection;
    use std::collections::VecDeque;
    use std::path::Path;

    struct Row {
        rowid: i64,
        name: Vec<u8>,
        time: Option<i64>,
        tty: Vec<u8>,
        host: Vec<u8>,
        service: Vec<u8>,
    }

    pub struct Lastlog2Stream {
        conn: Connection,
        shown: String,
        reverse: bool,
        page: VecDeque<Row>,
        /// The last name handed out (the keyset cursor); None at the start.
        after: Option<Vec<u8>>,
        done: bool,
    }

    impl Lastlog2Stream {
        pub fn open(path: &Path, reverse: bool) -> Result<Lastlog2Stream> {
            let conn = sqlite::open_read_only(path, "lastlog2")?;
            Self::from_connection(conn, path.display().to_string(), reverse)
        }

        pub(crate) fn from_connection(
            conn: Connection,
            shown: String,
            reverse: bool,
        ) -> Result<Lastlog2Stream> {
            sqlite::check_columns(&conn, &shown, "lastlog2", "Lastlog2", COLUMNS)?;
            let mut s = Lastlog2Stream {
                conn,
                shown,
                reverse,
                page: VecDeque::new(),
                after: None,
                done: false,
            };
            // Fail at open, not at the first read, when the table is unreadable.
            s.fill_page()?;
            Ok(s)
        }

        fn fill_page(&mut self) -> Result<()> {
            let (cmp, dir) = if self.reverse {
                ("<", "DESC")
            } else {
                (">", "ASC")
            };
            // Keyset paging on the primary key: each page is an index range.
            let filter = if self.after.is_some() {
                format!("WHERE Name {cmp} ?1")
            } else {
                String::new()
            };
            // Text fields cut to MAX_FIELD bytes (the Name cursor is kept
            // whole: it is the key the next page starts after).
            let field = |c: &str| format!("substr({c}, 1, {MAX_FIELD})");
            let sql = format!(
                "SELECT rowid, Name, Time, {}, {}, {} FROM main.Lastlog2 \
                 {filter} ORDER BY Name {dir} LIMIT {PAGE}",
                field("TTY"),
                field("RemoteHost"),
                field("Service"),
            );
            let err = |e| sql_error(&self.shown, "lastlog2", e);
            let map = |r: &rusqlite::Row<'_>| {
                Ok(Row {
                    rowid: r.get(0)?,
                    name: text_vec(r.get_ref(1)?)?,
                    time: int_value(r.get_ref(2)?),
                    tty: text_vec(r.get_ref(3)?)?,
                    host: text_vec(r.get_ref(4)?)?,
                    service: text_vec(r.get_ref(5)?)?,
                })
            };
            let after = self.after.as_deref();
            let page = bounded(&self.conn, |c| {
                let mut stmt = c.prepare_cached(&sql)?;
                let rows = match after {
                    // Bound as TEXT (raw bytes) so it compares like the column.
                    Some(name) => {
                        stmt.query_map([ToSqlOutput::Borrowed(ValueRef::Text(name))], map)?
                    }
                    None => stmt.query_map([], map)?,
                };
                rows.collect::<rusqlite::Result<VecDeque<Row>>>()
            })
            .map_err(err)?;
            self.done = page.len() < PAGE;
            if let Some(last) = page.back() {
                self.after = Some(last.name.clone());
            }
            self.page = page;
            Ok(())
        }
    }

    impl EntryStream for Lastlog2Stream {
        fn next(&mut self, e: &mut Entry) -> Result<bool> {
            if self.page.is_empty() && !self.done {
                self.fill_page()?;
            }
            let Some(row) = self.page.pop_front() else {
                return Ok(false);
            };
            e.reset(Format::Lastlog2, u64::try_from(row.rowid).unwrap_or(0));
            e.entry_type = EntryType::LastLogin;
            e.set_str(StrField::User, &row.name);
            e.set_str(StrField::Line, &row.tty);
            e.set_str(StrField::Host, &row.host);
            e.set_str(StrField::Service, &row.service);
            e.set_addr_from_host_text();
            e.set_time(row.time.unwrap_or(0), 0);
            Ok(true)
        }

        fn rewind(&mut self) -> Result<()> {
            self.after = None;
            self.done = false;
            self.fill_page()
        }
    }
}
