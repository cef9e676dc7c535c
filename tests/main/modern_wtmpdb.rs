//! wtmpdb databases (written here with wtmpdb's exact schema, and with the
//! sqlite3 tool when installed) read as wtmp-like entries.
#![cfg(feature = "sqlite")]

use crate::helpers::*;
use utx::{EntryType, ErrorKind, Format, Options, Reader};

const S: i64 = 1_000_000;
const T0: i64 = 1_700_000_000;

fn sample(path: &std::path::Path) {
    write_wtmpdb(
        path,
        &[
            // ID 1: a boot, shut down at T0+500.
            (
                1,
                "reboot",
                T0 * S,
                Some((T0 + 500) * S),
                "~",
                Some("6.1.0-28-amd64"),
                None,
            ),
            // ID 2: alice over ssh, logged out.
            (
                3,
                "alice",
                (T0 + 10) * S + 250_000,
                Some((T0 + 100) * S),
                "pts/0",
                Some("192.0.2.7"),
                Some("sshd"),
            ),
            // ID 3: bob on tty1, still logged in (Logout NULL).
            (3, "bob", (T0 + 20) * S, None, "tty1", None, Some("login")),
            // ID 4: an sshd session without a tty (the service in TTY, as jelmd notes).
            (
                3,
                "carol",
                (T0 + 30) * S,
                Some((T0 + 40) * S),
                "ssh",
                Some("2001:db8::1"),
                Some("sshd"),
            ),
        ],
    );
}

fn read_all(path: &std::path::Path, reverse: bool) -> Vec<utx::Entry> {
    let r = Reader::open(
        path,
        Options {
            reverse,
            ..Options::default()
        },
    )
    .unwrap();
    r.collect::<Result<Vec<_>, _>>().unwrap()
}

#[test]
fn rows_become_time_ordered_wtmp_entries() {
    let dir = Scratch::new("wtmpdb");
    let db = dir.join("wtmp.db");
    sample(&db);
    let r = Reader::open(&db, Options::default()).unwrap();
    assert_eq!(r.format(), Format::Wtmpdb);
    assert_eq!(r.source(), format!("wtmpdb:{}", db.display()));
    let got: Vec<_> = read_all(&db, false)
        .iter()
        .map(|e| {
            (
                e.entry_type,
                e.user.to_string_lossy(),
                e.line.to_string_lossy(),
                e.sec - T0,
                e.usec,
                e.offset,
            )
        })
        .collect();
    use EntryType::*;
    let want = vec![
        (BootTime, "reboot".into(), "~".into(), 0, 0, 1),
        (UserProcess, "alice".into(), "pts/0".into(), 10, 250_000, 2),
        (UserProcess, "bob".into(), "tty1".into(), 20, 0, 3),
        (UserProcess, "carol".into(), "ssh".into(), 30, 0, 4),
        (DeadProcess, "carol".into(), "ssh".into(), 40, 0, 4),
        (DeadProcess, "alice".into(), "pts/0".into(), 100, 0, 2),
        (ShutdownTime, "shutdown".into(), "~".into(), 500, 0, 1),
    ];
    assert_eq!(got, want);
}

#[test]
fn fields_service_host_address_and_raw_type() {
    let dir = Scratch::new("wtmpdb-fields");
    let db = dir.join("wtmp.db");
    sample(&db);
    let all = read_all(&db, false);
    let boot = &all[0];
    assert_eq!(boot.host.to_string_lossy(), "6.1.0-28-amd64");
    assert_eq!(boot.raw_type, 1);
    assert_eq!(boot.format, Format::Wtmpdb);
    let alice = &all[1];
    assert_eq!(alice.service.to_string_lossy(), "sshd");
    assert_eq!(alice.host.to_string_lossy(), "192.0.2.7");
    assert_eq!(alice.addr_text.to_string_lossy(), "192.0.2.7");
    assert_eq!(alice.raw_type, 3);
    assert_eq!(alice.pid, -1);
    let carol = &all[3];
    assert_eq!(carol.addr_family, utx::AddrFamily::Ipv6);
    assert_eq!(carol.addr_text.to_string_lossy(), "2001:db8::1");
    let bob = &all[2];
    assert_eq!(bob.service.to_string_lossy(), "login");
    assert_eq!(bob.host.to_string_lossy(), "");
}

#[test]
fn reverse_is_exactly_newest_first() {
    let dir = Scratch::new("wtmpdb-rev");
    let db = dir.join("wtmp.db");
    sample(&db);
    let key = |e: &utx::Entry| (e.entry_type, e.offset, e.sec, e.usec);
    let fwd: Vec<_> = read_all(&db, false).iter().map(key).collect();
    let mut rev: Vec<_> = read_all(&db, true).iter().map(key).collect();
    rev.reverse();
    assert_eq!(fwd, rev);
    // Rewind gives the same again.
    let mut r = Reader::open(&db, Options::default()).unwrap();
    let first: Vec<_> = (&mut r).map(|e| key(&e.unwrap())).collect();
    r.rewind().unwrap();
    let second: Vec<_> = (&mut r).map(|e| key(&e.unwrap())).collect();
    assert_eq!(first, second);
}

#[test]
fn forced_format_and_rotated_file_name() {
    let dir = Scratch::new("wtmpdb-rot");
    let db = dir.join("wtmp_20250101.db");
    sample(&db);
    let opts = Options {
        format: Format::Wtmpdb,
        ..Options::default()
    };
    assert_eq!(Reader::open(&db, opts).unwrap().count(), 7);
    // A lastlog2 reader refuses a wtmpdb database with a schema message.
    let opts = Options {
        format: Format::Lastlog2,
        ..Options::default()
    };
    let err = Reader::open(&db, opts).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
    assert!(err.message.contains("Lastlog2"), "{}", err.message);
    // Forcing wtmpdb on a file that is not SQLite at all.
    let txt = dir.write("not.db", b"hello, not a database\n");
    let opts = Options {
        format: Format::Wtmpdb,
        ..Options::default()
    };
    let err = Reader::open(&txt, opts).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
}

#[test]
fn other_schemas_are_not_recognised() {
    let dir = Scratch::new("wtmpdb-schema");
    // wtmpdb's very first draft: PID and no ID column.
    let draft = dir.join("draft.db");
    rusqlite::Connection::open(&draft)
        .unwrap()
        .execute_batch("CREATE TABLE wtmp(Type INTEGER, User TEXT, PID INTEGER, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);")
        .unwrap();
    let err = Reader::open(&draft, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotRecognised);
    assert!(
        err.message.contains("lacks column(s) ID"),
        "{}",
        err.message
    );
    // Some other application's database.
    let other = dir.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT);")
        .unwrap();
    let err = Reader::open(&other, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotRecognised);
    assert!(err.message.contains("neither wtmpdb"), "{}", err.message);
    // The SQLite magic followed by garbage.
    let mut junk = b"SQLite format 3\0".to_vec();
    junk.extend(std::iter::repeat_n(0xA5u8, 4096));
    let junk = dir.write("junk.db", &junk);
    let err = Reader::open(&junk, Options::default()).err().unwrap();
    assert!(
        matches!(err.kind, ErrorKind::NotRecognised | ErrorKind::Io),
        "{:?} {}",
        err.kind,
        err.message
    );
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn reading_never_creates_or_modifies_anything() {
    let dir = Scratch::new("wtmpdb-ro");
    let db = dir.join("wtmp.db");
    sample(&db);
    let before = std::fs::read(&db).unwrap();
    let names = listing(dir.path());
    let n = read_all(&db, false).len() + read_all(&db, true).len();
    assert_eq!(n, 14);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "database bytes changed"
    );
    assert_eq!(
        listing(dir.path()),
        names,
        "a journal or other file was created"
    );
    // A missing database is NotFound, and is not created.
    let missing = dir.join("absent.db");
    let opts = Options {
        format: Format::Wtmpdb,
        ..Options::default()
    };
    let err = Reader::open(&missing, opts).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(!missing.exists());
    // A read-only file (as for an unprivileged reader of root's database).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(read_all(&db, false).len(), 7);
    assert_eq!(listing(dir.path()), names);
}

#[test]
fn a_writer_holding_the_lock_gives_a_clear_bounded_error() {
    let dir = Scratch::new("wtmpdb-busy");
    let db = dir.join("wtmp.db");
    sample(&db);
    let writer = rusqlite::Connection::open(&db).unwrap();
    // An exclusive transaction (DELETE journal mode) blocks every reader.
    writer
        .execute_batch("BEGIN EXCLUSIVE; UPDATE wtmp SET Logout = 1 WHERE ID = 3;")
        .unwrap();
    let err = Reader::open(&db, Options::default())
        .err()
        .expect("locked database must fail, not hang or succeed");
    assert_eq!(err.kind, ErrorKind::Io, "{}", err.message);
    assert!(err.message.contains("locked"), "{}", err.message);
    assert_eq!(err.os_errno, libc::EBUSY);
    writer.execute_batch("ROLLBACK;").unwrap();
    assert_eq!(read_all(&db, false).len(), 7);
}

#[test]
fn written_by_the_sqlite3_tool() {
    let Some(cli) = sqlite3_cli() else {
        eprintln!("SKIP: sqlite3 command-line tool not installed (apt-get install sqlite3)");
        return;
    };
    let dir = Scratch::new("wtmpdb-cli");
    let db = dir.join("wtmp.db");
    // What `wtmpdb boot` and pam_wtmpdb would insert, via an independent writer.
    let sql = format!(
        "{WTMPDB_SCHEMA}\
         INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost) VALUES (1, 'reboot', 1700000000000000, '~', '6.12.0');\
         INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost, Service) VALUES (3, 'dave', 1700000060123456, 'pts/3', '198.51.100.4', 'sshd');\
         UPDATE wtmp SET Logout = 1700000120000000 WHERE ID = 2;"
    );
    let st = std::process::Command::new(cli)
        .arg(&db)
        .arg(sql)
        .status()
        .unwrap();
    assert!(st.success());
    let all = read_all(&db, false);
    let got: Vec<_> = all
        .iter()
        .map(|e| (e.entry_type, e.user.to_string_lossy(), e.sec, e.usec))
        .collect();
    assert_eq!(
        got,
        vec![
            (EntryType::BootTime, "reboot".to_string(), 1_700_000_000, 0),
            (
                EntryType::UserProcess,
                "dave".to_string(),
                1_700_000_060,
                123_456
            ),
            (EntryType::DeadProcess, "dave".to_string(), 1_700_000_120, 0),
        ]
    );
}

/// wtmpdb and lastlog2 may run in WAL mode (`PRAGMA journal_mode`): a
/// reader must still work, and while no writer has it open must leave no
/// -wal/-shm files behind.
#[test]
fn wal_mode_database() {
    let dir = Scratch::new("wtmpdb-wal");
    let db = dir.join("wtmp.db");
    sample(&db);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
    let names = listing(dir.path());
    assert_eq!(names, vec!["wtmp.db"], "writer left WAL files");
    match Reader::open(&db, Options::default()) {
        Ok(r) => assert_eq!(r.count(), 7),
        Err(e) => panic!("WAL database unreadable: {}", e.message),
    }
    assert_eq!(listing(dir.path()), names, "reader left files behind");
    // With a writer holding it open (the -wal and -shm files exist).
    let w = rusqlite::Connection::open(&db).unwrap();
    w.execute(
        "INSERT INTO wtmp (Type, User, Login, TTY) VALUES (3, 'walter', 1700000900000000, 'pts/8')",
        [],
    )
    .unwrap();
    let users: Vec<_> = Reader::open(&db, Options::default())
        .unwrap()
        .map(|e| e.unwrap().user.to_string_lossy())
        .collect();
    assert!(users.contains(&"walter".to_string()), "{users:?}");
}

#[test]
fn rotated_history_is_read_oldest_file_first() {
    let dir = Scratch::new("wtmpdb-hist");
    let db = dir.join("wtmp.db");
    let row = |user, t: i64| (3, user, t * S, Some((t + 1) * S), "pts/0", None, None);
    write_wtmpdb(&dir.join("wtmp_20240101.db"), &[row("old1", T0 - 2000)]);
    write_wtmpdb(&dir.join("wtmp_20240601.db"), &[row("old2", T0 - 1000)]);
    write_wtmpdb(&db, &[row("new", T0)]);
    dir.write("wtmp_backup.db", b"not a rotated file");
    let rotated = utx::format::wtmpdb::rotated_files(&db);
    assert_eq!(
        rotated,
        vec![dir.join("wtmp_20240101.db"), dir.join("wtmp_20240601.db")]
    );
    let read = |reverse| {
        let opts = Options {
            reverse,
            ..Options::default()
        };
        let r = utx::reader::open_sqlite::open_wtmpdb_history(&db, &opts).unwrap();
        assert_eq!(r.source(), format!("wtmpdb:{} (+2 rotated)", db.display()));
        r.map(|e| {
            let e = e.unwrap();
            (e.entry_type, e.user.to_string_lossy())
        })
        .collect::<Vec<_>>()
    };
    let fwd = read(false);
    let users: Vec<_> = fwd.iter().map(|(_, u)| u.as_str()).collect();
    assert_eq!(users, vec!["old1", "old1", "old2", "old2", "new", "new"]);
    let mut rev = read(true);
    rev.reverse();
    assert_eq!(rev, fwd);
}
