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

/// The most SQLite virtual-machine steps one query may take
/// ([`bounded`]): a page of rows takes a few hundred thousand; a view over
/// a recursive query or a scan of a hostile table stops here, with
/// `ErrorKind::NotRecognised`.
pub const MAX_QUERY_STEPS: u64 = 100_000_000;

/// The most bytes of one text field kept (`substr` in the queries);
/// wtmp-style fields are at most a few hundred bytes.
pub const MAX_FIELD: usize = 4096;

/// How often (in VM steps) the progress handler counts.
const STEP_GRAIN: u64 = 10_000;

/// Run `f` (one query) with the step bound of [`MAX_QUERY_STEPS`].
pub fn bounded<T>(conn: &Connection, f: impl FnOnce(&Connection) -> T) -> T {
    let mut calls = 0u64;
    conn.progress_handler(
        STEP_GRAIN as i32,
        Some(move || {
            calls += 1;
            calls > MAX_QUERY_STEPS / STEP_GRAIN
        }),
    );
    let out = f(conn);
    conn.progress_handler(0, None::<fn() -> bool>);
    out
}

/// Make every file SQLite opens (the database, its journal, WAL and
/// shared-memory files) open with `O_NONBLOCK`, and refuse any that is
/// not a regular file or a directory by `fstat` on that very descriptor.
/// A FIFO swapped in for the database between utx's own check and
/// SQLite's open cannot block the open: the check is on the descriptor
/// SQLite reads. This changes the `open` system call of the unix VFS of
/// utx's own SQLite (built into the library), once per process.
fn install_checked_open() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use rusqlite::ffi;
        // SAFETY: sqlite3_vfs_find initializes SQLite and returns the
        // registered VFS (or NULL). xSetSystemCall is called once, before
        // this process opens any connection of this SQLite copy (this is
        // the first open), as SQLite's documentation requires.
        unsafe {
            let vfs = ffi::sqlite3_vfs_find(std::ptr::null());
            if vfs.is_null() {
                return;
            }
            if let Some(set) = (*vfs).xSetSystemCall {
                let f: unsafe extern "C" fn(
                    *const libc::c_char,
                    libc::c_int,
                    libc::c_int,
                ) -> libc::c_int = checked_open;
                let ptr: ffi::sqlite3_syscall_ptr = Some(std::mem::transmute::<
                    unsafe extern "C" fn(
                        *const libc::c_char,
                        libc::c_int,
                        libc::c_int,
                    ) -> libc::c_int,
                    unsafe extern "C" fn(),
                >(f));
                set(vfs, c"open".as_ptr(), ptr);
            }
        }
    });
}

/// SQLite's `open(path, flags, mode)`, non-blocking and type-checked.
unsafe extern "C" fn checked_open(
    path: *const libc::c_char,
    flags: libc::c_int,
    mode: libc::c_int,
) -> libc::c_int {
    // SAFETY: SQLite passes a NUL-terminated path; the descriptor opened
    // here is returned to SQLite, which owns it, or closed here.
    unsafe {
        let fd = libc::open(
            path,
            flags | libc::O_NONBLOCK | libc::O_NOCTTY,
            mode as libc::c_uint,
        );
        if fd < 0 {
            return fd;
        }
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        if libc::fstat(fd, st.as_mut_ptr()) == 0 {
            let kind = st.assume_init().st_mode & libc::S_IFMT;
            if kind != libc::S_IFREG && kind != libc::S_IFDIR {
                libc::close(fd);
                *libc::__errno_location() = libc::EINVAL;
                return -1;
            }
        }
        fd
    }
}

/// Open `path` read-only without ever creating anything. `what` names the
/// database kind in messages ("wtmpdb").
pub fn open_read_only(path: &Path, what: &str) -> Result<Connection> {
    let shown = path.display().to_string();
    // Check first so a missing file gives ENOENT and a FIFO a clear
    // message (opened O_NONBLOCK, fstat on that descriptor; SQLite's own
    // open is checked the same way by `checked_open`).
    let src = crate::source::file::FileSource::open(path)?;
    let mut header = [0u8; 20];
    let n = crate::source::ByteSource::read_full_at(&src, &mut header, 0)
        .map_err(|e| Error::io(&shown, &e))?;
    let immutable = n == header.len() && wal_without_writer(path, &header);
    install_checked_open();
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

/// Whether `path` (whose first 20 bytes are `header`) is a WAL-mode
/// database that no connection has open (no `-wal` and `-shm` files
/// beside it).
///
/// Why it matters: to read a WAL database SQLite needs those two files and
/// creates them when it may (leaving them behind after a read-only
/// connection), or fails when it may not (an unprivileged reader of
/// /var/lib/wtmpdb). Without a `-wal` file every committed row is in the
/// main file, so it is opened with `immutable=1`, which creates nothing.
/// In every other case (rollback journal, or a writer holding the WAL
/// open) the database is opened normally, with locking (`immutable=0`).
fn wal_without_writer(path: &Path, header: &[u8; 20]) -> bool {
    let is_wal = header.starts_with(MAGIC) && header[18] == 2 && header[19] == 2;
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

/// Refuse `table` unless it is a plain table: not a view (whose query
/// could be anything, even endless), not a virtual table and not a
/// WITHOUT ROWID table (the readers page by rowid).
pub fn check_plain_table(conn: &Connection, shown: &str, what: &str, table: &str) -> Result<()> {
    let found: Option<(String, String)> = bounded(conn, |c| {
        c.query_row(
            "SELECT type, ifnull(sql, '') FROM main.sqlite_master WHERE name = ?1 COLLATE NOCASE",
            [table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
    })
    .map_err(|e| sql_error(shown, what, e))?;
    let refuse = |why: &str| {
        Err(Error::new(
            ErrorKind::NotRecognised,
            format!("{shown}: a SQLite database but not {what}'s: {table} is {why}"),
        ))
    };
    let Some((kind, sql)) = found else {
        return refuse("missing");
    };
    let sql = sql.to_ascii_uppercase();
    if kind != "table" {
        return refuse(&format!("a {kind}, not a table"));
    }
    if sql.trim_start().starts_with("CREATE VIRTUAL") {
        return refuse("a virtual table");
    }
    if sql
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w == ["WITHOUT", "ROWID"])
    {
        return refuse("a WITHOUT ROWID table");
    }
    Ok(())
}

/// Names of the tables in the database (also proves it is SQLite at all).
pub fn table_names(conn: &Connection, shown: &str, what: &str) -> Result<Vec<String>> {
    bounded(conn, |c| {
        let mut stmt = c.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table'")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })
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
    let have = bounded(conn, |c| {
        let mut stmt = c.prepare("SELECT name FROM pragma_table_info(?1, 'main')")?;
        let rows = stmt.query_map([table], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })
    .map_err(|e| sql_error(shown, what, e))?;
    if have.is_empty() {
        return Err(Error::new(
            ErrorKind::NotRecognised,
            format!("{shown}: a SQLite database but not {what}'s: it has no table {table}"),
        ));
    }
    check_plain_table(conn, shown, what, table)?;
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
        Some(ErrorCode::DatabaseCorrupt) => (
            ErrorKind::NotRecognised,
            0,
            format!("{what} database is corrupt: {err}"),
        ),
        Some(ErrorCode::OperationInterrupted) => (
            ErrorKind::NotRecognised,
            0,
            format!(
                "a query ran past its bound of {MAX_QUERY_STEPS} steps: not a plausible {what} database"
            ),
        ),
        Some(ErrorCode::OutOfMemory) | Some(ErrorCode::TooBig) => {
            (ErrorKind::OutOfMemory, libc::ENOMEM, format!("{what}: {err}"))
        }
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

/// A text column copied out (see [`text_bytes`]); the copy is made with
/// a fallible allocation, so a huge value gives SQLITE_NOMEM
/// (`ErrorKind::OutOfMemory`), never an abort.
pub fn text_vec(v: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<Vec<u8>> {
    let b = text_bytes(v);
    let mut out = Vec::new();
    out.try_reserve_exact(b.len()).map_err(|_| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOMEM),
            Some(format!("{} bytes for one field", b.len())),
        )
    })?;
    out.extend_from_slice(b);
    Ok(out)
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

    /// An endless query stops at the step bound with a format error.
    #[test]
    fn a_query_is_bounded() {
        let conn = Connection::open_in_memory().unwrap();
        let err = bounded(&conn, |c| {
            c.query_row(
                "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) \
                 SELECT count(*) FROM r",
                [],
                |r| r.get::<_, i64>(0),
            )
        })
        .unwrap_err();
        let err = sql_error("mem", "wtmpdb", err);
        assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
        assert!(err.message.contains("bound"), "{}", err.message);
        // The handler is removed afterwards: a later query is unbounded.
        let n: i64 = conn
            .query_row("SELECT count(*) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT 10) SELECT i FROM r)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 10);
    }

    #[test]
    fn uri_path_escapes_uri_syntax() {
        assert_eq!(uri_path(Path::new("/a b/c?d#e%f")), "/a%20b/c%3Fd%23e%25f");
        assert_eq!(
            uri_path(Path::new("/var/lib/wtmpdb/wtmp.db")),
            "/var/lib/wtmpdb/wtmp.db"
        );
    }
}
