//! Read-only access to the SQLite databases that replaced wtmp and lastlog
//! (wtmpdb, lastlog2).
//!
//! Why so careful: these files belong to PAM modules that write them on
//! every login. A reader must never create the file, a journal or a
//! directory, never change the journal mode, and never wait forever on a
//! writer's lock (wtmpdb#12). So the database is opened through a
//! `file:…?mode=ro` URI with `SQLITE_OPEN_READ_ONLY` (no `CREATE`), and a
//! busy writer is retried for a bounded time (`busy_timeout`) before the
//! read fails with a clear "database is locked" error. The one exception
//! to `immutable=0` is a WAL database no writer has open (see
//! [`wal_without_writer`]).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, ErrorKind, Result};

/// How long a read waits for a writer's lock before giving up. SQLite's
/// busy handler retries with short sleeps until this has passed.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

/// First 16 bytes of every SQLite 3 database file.
pub const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Percent-encode a path for a `file:` URI (RFC 3986 unreserved bytes and
/// `/` stay as they are; everything else, including `?`, `#` and `%`, is
/// encoded so no path byte can be taken for a URI parameter).
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::with_capacity(path.as_os_str().len() + 8);
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Open `path` read-only without ever creating anything. `what` names the
/// database kind in messages ("wtmpdb").
pub fn open_read_only(path: &Path, what: &str) -> Result<Connection> {
    let shown = path.display().to_string();
    // Check first so a missing file gives ENOENT, not SQLite's CANTOPEN.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(&shown, &e))?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{shown}: not a regular file"),
        ));
    }
    let immutable = wal_without_writer(path);
    let uri = format!(
        "file:{}?mode=ro{}",
        uri_path(path),
        if immutable { "&immutable=1" } else { "" }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| sql_error(&shown, what, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| sql_error(&shown, what, e))?;
    Ok(conn)
}

/// Whether `path` is a WAL-mode database that no connection has open
/// (no `-wal` and `-shm` files beside it).
///
/// Why it matters: to read a WAL database SQLite needs those two files and
/// creates them when it may (leaving them behind after a read-only
/// connection), or fails when it may not (an unprivileged reader of
/// /var/lib/wtmpdb). Without a `-wal` file every committed row is in the
/// main file, so it is opened with `immutable=1`, which creates nothing.
/// In every other case (rollback journal, or a writer holding the WAL
/// open) the database is opened normally, with locking (`immutable=0`).
fn wal_without_writer(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    let is_wal = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map(|()| header.starts_with(MAGIC) && header[18] == 2 && header[19] == 2)
        .unwrap_or(false);
    if !is_wal {
        return false;
    }
    let sibling = |suffix: &str| {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        std::path::PathBuf::from(p).exists()
    };
    !(sibling("-wal") && sibling("-shm"))
}

/// Names of the tables in the database (also proves it is SQLite at all).
pub fn table_names(conn: &Connection, shown: &str, what: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .map_err(|e| sql_error(shown, what, e))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| sql_error(shown, what, e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| sql_error(shown, what, e))
}

/// Check that `table` exists with every column in `columns` (names compare
/// case-insensitively, as SQL does). Anything else is not this schema.
pub fn check_columns(
    conn: &Connection,
    shown: &str,
    what: &str,
    table: &str,
    columns: &[&str],
) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .map_err(|e| sql_error(shown, what, e))?;
    let have = stmt
        .query_map([table], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| sql_error(shown, what, e))?;
    if have.is_empty() {
        return Err(Error::new(
            ErrorKind::NotRecognised,
            format!("{shown}: a SQLite database but not {what}'s: it has no table {table}"),
        ));
    }
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !have.iter().any(|h| h.eq_ignore_ascii_case(c)))
        .collect();
    if !missing.is_empty() {
        return Err(Error::new(
            ErrorKind::NotRecognised,
            format!(
                "{shown}: a SQLite database but not {what}'s schema: table {table} lacks column(s) {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Classify a SQLite failure: a busy lock that outlived the timeout, a
/// file that is not a database, a permission problem, or plain I/O.
pub fn sql_error(shown: &str, what: &str, err: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    let code = err.sqlite_error_code();
    let (kind, errno, detail) = match code {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => (
            ErrorKind::Io,
            libc::EBUSY,
            format!(
                "database is locked by a writer (gave up after {} ms)",
                BUSY_TIMEOUT.as_millis()
            ),
        ),
        Some(ErrorCode::NotADatabase) => (
            ErrorKind::NotRecognised,
            0,
            format!("not a {what} database (not SQLite 3)"),
        ),
        Some(ErrorCode::PermissionDenied) | Some(ErrorCode::AuthorizationForStatementDenied) => {
            (ErrorKind::PermissionDenied, libc::EACCES, err.to_string())
        }
        Some(ErrorCode::CannotOpen) => (
            ErrorKind::Io,
            0,
            format!("cannot open {what} database read-only: {err}"),
        ),
        Some(ErrorCode::ReadOnly) => (
            ErrorKind::Io,
            libc::EROFS,
            format!("{what} database needs recovery or WAL files a read-only reader may not create: {err}"),
        ),
        _ => (ErrorKind::Io, 0, format!("{what}: {err}")),
    };
    let mut e = Error::new(kind, format!("{shown}: {detail}"));
    e.os_errno = errno;
    e
}

/// A text column as bytes; NULL (and any non-text value) is "".
pub fn text_bytes<'a>(v: rusqlite::types::ValueRef<'a>) -> &'a [u8] {
    match v {
        rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => b,
        _ => &[],
    }
}

/// An integer column; `None` for NULL or a non-integer.
pub fn int_value(v: rusqlite::types::ValueRef<'_>) -> Option<i64> {
    match v {
        rusqlite::types::ValueRef::Integer(n) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_path_escapes_uri_syntax() {
        assert_eq!(uri_path(Path::new("/a b/c?d#e%f")), "/a%20b/c%3Fd%23e%25f");
        assert_eq!(
            uri_path(Path::new("/var/lib/wtmpdb/wtmp.db")),
            "/var/lib/wtmpdb/wtmp.db"
        );
    }
}
