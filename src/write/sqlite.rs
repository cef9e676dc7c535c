//! Writing wtmpdb and lastlog2 the way their upstream libraries do
//! (libwtmpdb `wtmpdb_login`/`wtmpdb_logout`, liblastlog2
//! `ll2_write_entry`): the same schemas, statements and NULLs, so their
//! own readers, `sqlite3` and utx's readers all read what was written.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags};

use crate::entry::{Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::source::sqlite::sql_error;

/// wtmpdb's table, verbatim from thkukuk/wtmpdb lib/sqlite.c.
pub const WTMPDB_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;";

/// lastlog2's table, verbatim from util-linux liblastlog2/src/lastlog2.c.
pub const LASTLOG2_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);";

/// How long a writer waits for another's SQLite lock before
/// [`ErrorKind::Busy`].
const BUSY: Duration = Duration::from_secs(10);

/// Open (creating it, as the upstream libraries do) and make the table.
fn open_rw(path: &Path, what: &str, schema: &str) -> Result<Connection> {
    let shown = path.display().to_string();
    let fail = |e| busy(sql_error(&shown, what, e));
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .map_err(fail)?;
    conn.busy_timeout(BUSY).map_err(fail)?;
    conn.execute_batch(schema).map_err(fail)?;
    Ok(conn)
}

/// A lock held past the timeout is `Busy`, as for the record writers.
fn busy(mut e: Error) -> Error {
    if e.os_errno == libc::EBUSY {
        e.kind = ErrorKind::Busy;
    }
    e
}

/// Text as upstream binds it: an empty string is NULL.
fn text(bytes: &[u8]) -> Option<String> {
    (!bytes.is_empty()).then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// libwtmpdb `wtmpdb_login`: a row for `e` (USER_PROCESS, BOOT_TIME or
/// RUN_LVL) with Login = its time in µs; returns the row ID.
pub fn wtmpdb_login(db: &Path, e: &Entry) -> Result<i64> {
    use crate::format::wtmpdb::row_type;
    let ty = match e.entry_type {
        EntryType::UserProcess => row_type::USER_PROCESS,
        EntryType::BootTime => row_type::BOOT_TIME,
        EntryType::RunLevel => row_type::RUNLEVEL,
        t => {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("a wtmpdb row starts with a login or boot, not {}", t.name()),
            ))
        }
    };
    let login = e
        .sec
        .checked_mul(1_000_000)
        .and_then(|us| us.checked_add(e.usec as i64))
        .filter(|&us| us >= 0)
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "login time out of range"))?;
    let conn = open_rw(db, "wtmpdb", WTMPDB_SCHEMA)?;
    let shown = db.display().to_string();
    conn.execute(
        "INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost, Service) VALUES(?,?,?,?,?,?)",
        params![
            ty,
            String::from_utf8_lossy(e.user.as_bytes()),
            login,
            text(e.line.as_bytes()),
            text(e.host.as_bytes()),
            text(e.service.as_bytes()),
        ],
    )
    .map_err(|err| busy(sql_error(&shown, "wtmpdb", err)))?;
    Ok(conn.last_insert_rowid())
}

/// libwtmpdb `wtmpdb_logout`: set the Logout of row `id` (µs); a missing
/// row is `NotFound`.
pub fn wtmpdb_logout(db: &Path, id: i64, sec: i64, usec: i32) -> Result<()> {
    let logout = sec
        .checked_mul(1_000_000)
        .and_then(|us| us.checked_add(usec as i64))
        .filter(|&us| us >= 0)
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "logout time out of range"))?;
    let conn = open_rw(db, "wtmpdb", WTMPDB_SCHEMA)?;
    let shown = db.display().to_string();
    let n = conn
        .execute(
            "UPDATE wtmp SET Logout = ? WHERE ID = ?",
            params![logout, id],
        )
        .map_err(|err| busy(sql_error(&shown, "wtmpdb", err)))?;
    if n == 0 {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("{shown}: entry with ID {id} not found"),
        ));
    }
    Ok(())
}

/// liblastlog2 `ll2_write_entry`: the user's row replaced by `e`'s time
/// (seconds), line, host and service.
pub fn lastlog2_update(db: &Path, e: &Entry) -> Result<()> {
    if e.user.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a lastlog2 row needs a user name",
        ));
    }
    let conn = open_rw(db, "lastlog2", LASTLOG2_SCHEMA)?;
    let shown = db.display().to_string();
    conn.execute(
        "REPLACE INTO Lastlog2 VALUES(?,?,?,?,?)",
        params![
            String::from_utf8_lossy(e.user.as_bytes()),
            e.sec,
            text(e.line.as_bytes()),
            text(e.host.as_bytes()),
            text(e.service.as_bytes()),
        ],
    )
    .map_err(|err| busy(sql_error(&shown, "lastlog2", err)))?;
    Ok(())
}
