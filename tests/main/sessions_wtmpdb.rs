//! Sessions over a wtmpdb database: the login and end entries the wtmpdb
//! reader makes from each row pair back into the rows' sessions.
#![cfg(feature = "sqlite")]

use utx::{Options, Reader, SessionEnd, SessionKind, SessionOptions, Sessions};

#[test]
fn wtmpdb_rows_pair_back_into_sessions() {
    let dir = std::env::temp_dir().join(format!("utx-sess-wtmpdb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wtmp.db");
    let _ = std::fs::remove_file(&path);
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL,
         Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);",
    )
    .unwrap();
    let us = 1_700_000_000_000_000i64;
    /// ID, Type, User, Login, Logout, TTY, RemoteHost.
    type Row<'a> = (i64, i64, &'a str, i64, Option<i64>, &'a str, &'a str);
    let rows: [Row; 4] = [
        (1, 1, "reboot", us, Some(us + 7_200_000_000), "~", "6.1.0"),
        (
            2,
            3,
            "alice",
            us + 60_000_000,
            Some(us + 3_600_000_000),
            "pts/0",
            "10.0.0.1",
        ),
        (3, 3, "bob", us + 120_000_000, None, "pts/1", ""),
        (4, 1, "reboot", us + 8_000_000_000, None, "~", "6.1.1"),
    ];
    for (id, t, user, login, logout, tty, host) in rows {
        db.execute(
            "INSERT INTO wtmp VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, '')",
            rusqlite::params![id, t, user, login, logout, tty, host],
        )
        .unwrap();
    }
    drop(db);
    let reader = Reader::open(
        &path,
        Options {
            reverse: true,
            ..Options::default()
        },
    )
    .unwrap();
    let so = SessionOptions {
        check_liveness: false,
        rules: None,
    };
    type Got = (SessionKind, String, SessionEnd, Option<i64>);
    let got: Vec<Got> = Sessions::new(reader, so)
        .unwrap()
        .map(|s| {
            let s = s.unwrap();
            (
                s.kind,
                s.user.to_string_lossy(),
                s.end,
                s.logout.map(|l| l.0),
            )
        })
        .collect();
    let t = |d: i64| Some(1_700_000_000 + d);
    assert_eq!(
        got,
        vec![
            (
                SessionKind::Reboot,
                "reboot".into(),
                SessionEnd::StillRunning,
                None
            ),
            (
                SessionKind::Shutdown,
                "shutdown".into(),
                SessionEnd::LoggedOut,
                t(8000)
            ),
            // bob never logged out: the shutdown ended his session.
            (SessionKind::User, "bob".into(), SessionEnd::Down, t(7200)),
            (
                SessionKind::User,
                "alice".into(),
                SessionEnd::LoggedOut,
                t(3600)
            ),
            (
                SessionKind::Reboot,
                "reboot".into(),
                SessionEnd::LoggedOut,
                t(7200)
            ),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
