//! lastlog2 databases (util-linux's exact schema) as LAST_LOGIN entries.
#![cfg(feature = "sqlite")]

use crate::helpers::*;
use utx::{EntryType, ErrorKind, Format, Options, Reader};

fn read_all(path: &std::path::Path, reverse: bool) -> Vec<utx::Entry> {
    Reader::open(
        path,
        Options {
            reverse,
            ..Options::default()
        },
    )
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

#[test]
fn rows_are_last_logins_by_name() {
    let dir = Scratch::new("ll2");
    let db = dir.join("lastlog2.db");
    write_lastlog2(
        &db,
        &[
            ("root", 1_700_000_100, "tty1", "", "login"),
            ("alice", 1_700_000_200, "pts/0", "192.0.2.7", "sshd"),
            // REPLACE keeps one row per name: the later login wins.
            ("alice", 1_700_000_300, "pts/1", "2001:db8::5", "sshd"),
            (
                "svc-ldap-user-with-a-very-long-name-beyond-32-bytes",
                1_700_000_400,
                "",
                "",
                "cron",
            ),
        ],
    );
    let r = Reader::open(&db, Options::default()).unwrap();
    assert_eq!(r.format(), Format::Lastlog2);
    assert_eq!(r.source(), format!("lastlog2:{}", db.display()));
    let all = read_all(&db, false);
    let got: Vec<_> = all
        .iter()
        .map(|e| {
            (
                e.entry_type,
                e.user.to_string_lossy(),
                e.sec,
                e.line.to_string_lossy(),
                e.host.to_string_lossy(),
                e.service.to_string_lossy(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (
                EntryType::LastLogin,
                s("alice"),
                1_700_000_300,
                s("pts/1"),
                s("2001:db8::5"),
                s("sshd")
            ),
            (
                EntryType::LastLogin,
                s("root"),
                1_700_000_100,
                s("tty1"),
                s(""),
                s("login")
            ),
            (
                EntryType::LastLogin,
                s("svc-ldap-user-with-a-very-long-name-beyond-32-bytes"),
                1_700_000_400,
                s(""),
                s(""),
                s("cron")
            ),
        ]
    );
    assert_eq!(all[0].addr_family, utx::AddrFamily::Ipv6);
    assert!(all
        .iter()
        .all(|e| e.format == Format::Lastlog2 && e.uid == -1));
    let mut rev: Vec<_> = read_all(&db, true)
        .iter()
        .map(|e| e.user.to_string_lossy())
        .collect();
    rev.reverse();
    assert_eq!(
        rev,
        all.iter()
            .map(|e| e.user.to_string_lossy())
            .collect::<Vec<_>>()
    );
}

#[test]
fn many_directory_users_are_paged_in_order() {
    let dir = Scratch::new("ll2-many");
    let db = dir.join("lastlog2.db");
    let names: Vec<String> = (0..1300).map(|i| format!("user{i:05}")).collect();
    let rows: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), 1_600_000_000 + i as i64, "pts/9", "", "sshd"))
        .collect();
    write_lastlog2(&db, &rows);
    let fwd: Vec<_> = read_all(&db, false)
        .iter()
        .map(|e| e.user.to_string_lossy())
        .collect();
    assert_eq!(fwd, names);
    let mut rev: Vec<_> = read_all(&db, true)
        .iter()
        .map(|e| e.user.to_string_lossy())
        .collect();
    rev.reverse();
    assert_eq!(rev, names);
    let mut r = Reader::open(&db, Options::default()).unwrap();
    assert_eq!((&mut r).take(700).count(), 700);
    r.rewind().unwrap();
    assert_eq!(r.count(), 1300);
}

#[test]
fn wrong_schema_is_not_recognised() {
    let dir = Scratch::new("ll2-schema");
    let db = dir.join("lastlog2.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER);")
        .unwrap();
    let err = Reader::open(&db, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotRecognised);
    assert!(
        err.message.contains("TTY, RemoteHost, Service"),
        "{}",
        err.message
    );
}

#[test]
fn written_by_the_sqlite3_tool() {
    let Some(cli) = sqlite3_cli() else {
        eprintln!("SKIP: sqlite3 command-line tool not installed (apt-get install sqlite3)");
        return;
    };
    let dir = Scratch::new("ll2-cli");
    let db = dir.join("lastlog2.db");
    let sql = format!(
        "{LASTLOG2_SCHEMA}REPLACE INTO Lastlog2 VALUES('erin', 1700000500, 'pts/2', '203.0.113.9', 'sshd');"
    );
    assert!(std::process::Command::new(cli)
        .arg(&db)
        .arg(sql)
        .status()
        .unwrap()
        .success());
    let all = read_all(&db, false);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].user.to_string_lossy(), "erin");
    assert_eq!(all[0].sec, 1_700_000_500);
    assert_eq!(all[0].addr_text.to_string_lossy(), "203.0.113.9");
}

#[test]
fn non_utf8_and_null_columns() {
    let dir = Scratch::new("ll2-bytes");
    let db = dir.join("lastlog2.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(LASTLOG2_SCHEMA).unwrap();
    c.execute_batch(
        "INSERT INTO Lastlog2 VALUES(CAST(X'6cf6776521' AS TEXT), 1700000000, NULL, NULL, NULL);\
         INSERT INTO Lastlog2 VALUES('nulltime', NULL, 'pts/0', 'h', 's');",
    )
    .unwrap();
    drop(c);
    let all = read_all(&db, false);
    assert_eq!(all.len(), 2);
    let latin1 = all
        .iter()
        .find(|e| e.user.as_bytes() == b"l\xf6we!")
        .unwrap();
    assert_ne!(latin1.flags & utx::entry::flags::NOT_UTF8, 0);
    assert_eq!(latin1.line.as_bytes(), b"");
    let nt = all
        .iter()
        .find(|e| e.user.as_bytes() == b"nulltime")
        .unwrap();
    assert_eq!(nt.sec, 0);
    assert_ne!(nt.flags & utx::entry::flags::TIME_IMPLAUSIBLE, 0);
}
