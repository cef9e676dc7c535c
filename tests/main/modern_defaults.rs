//! Default sources with fallback (utmp → logind, wtmp → wtmpdb, lastlog →
//! lastlog2, btmp → unsupported), "unavailable" versus "empty", and the
//! live view that drops stale utmp slots.

use std::path::Path;

use crate::helpers::*;
use utx::reader::defaults::open_db_in;
use utx::{Database, EntryType, ErrorKind, Options, Reader};

fn now_s() -> i64 {
    now_us() / 1_000_000
}

#[test]
fn utmp_falls_back_to_logind_and_says_so() {
    let root = Scratch::new("def-utmp");
    // Nothing at all: unavailable, naming both sources.
    let err = open_db_in(root.path(), Database::Utmp, Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(
        err.message.contains("logind is not running"),
        "{}",
        err.message
    );
    assert!(err.message.contains("run/utmp"), "{}", err.message);
    // logind running, no utmp: logind.
    logind_tree(&root, &standard_sessions(now_us()));
    let r = open_db_in(root.path(), Database::Utmp, Options::default()).unwrap();
    assert_eq!(
        r.source(),
        format!("logind:{}", root.join("run/systemd").display())
    );
    assert_eq!(r.count(), 2);
    // An empty utmp (nothing writes it) does not hide logind.
    root.write("run/utmp", b"");
    let r = open_db_in(root.path(), Database::Utmp, Options::default()).unwrap();
    assert!(r.source().starts_with("logind:"), "{}", r.source());
    // A utmp with records wins: the system writes it.
    let rec = utmp384(
        7,
        std::process::id() as i32,
        "pts/5",
        "ts/5",
        "utmpuser",
        "",
        now_s() as u32,
    );
    let utmp = root.write("run/utmp", &rec);
    let r = open_db_in(root.path(), Database::Utmp, Options::default()).unwrap();
    assert_eq!(r.source(), utmp.display().to_string());
    let users: Vec<_> = r.map(|e| e.unwrap().user.to_string_lossy()).collect();
    assert_eq!(users, vec!["utmpuser"]);
    // logind gone, empty utmp: the (empty) utmp is the answer.
    std::fs::remove_dir_all(root.join("run/systemd")).unwrap();
    root.write("run/utmp", b"");
    let r = open_db_in(root.path(), Database::Utmp, Options::default());
    match r {
        Ok(r) => assert_eq!(r.source(), utmp.display().to_string()),
        // An empty file may be refused by detection; it must still name it.
        Err(e) => assert!(e.message.contains("utmp"), "{}", e.message),
    }
}

#[test]
fn wtmp_falls_back_to_wtmpdb() {
    let root = Scratch::new("def-wtmp");
    let err = open_db_in(root.path(), Database::Wtmp, Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("wtmpdb"), "{}", err.message);
    if cfg!(not(feature = "sqlite")) {
        return;
    }
    // Debian forky path, with an empty legacy wtmp left behind.
    root.write("var/log/wtmp", b"");
    let db = root.join("var/log/wtmp.db");
    write_wtmpdb(
        &db,
        &[(
            3,
            "alice",
            1_700_000_000_000_000,
            None,
            "pts/0",
            None,
            Some("sshd"),
        )],
    );
    let r = open_db_in(root.path(), Database::Wtmp, Options::default()).unwrap();
    assert_eq!(r.source(), format!("wtmpdb:{}", db.display()));
    assert_eq!(r.count(), 1);
    // trixie's path is preferred over forky's.
    let db2 = root.mkdir("var/lib/wtmpdb").join("wtmp.db");
    write_wtmpdb(&db2, &[]);
    let r = open_db_in(root.path(), Database::Wtmp, Options::default()).unwrap();
    assert_eq!(r.source(), format!("wtmpdb:{}", db2.display()));
    // A wtmp with records wins.
    let rec = utmp384(7, 100, "pts/1", "ts/1", "old", "", 1_600_000_000);
    let wtmp = root.write("var/log/wtmp", &rec);
    let r = open_db_in(root.path(), Database::Wtmp, Options::default()).unwrap();
    assert_eq!(r.source(), wtmp.display().to_string());
}

#[test]
fn lastlog_falls_back_to_lastlog2_and_btmp_is_unsupported() {
    let root = Scratch::new("def-ll");
    let err = open_db_in(root.path(), Database::Lastlog, Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("lastlog2"), "{}", err.message);
    let err = open_db_in(root.path(), Database::Btmp, Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(
        err.message
            .starts_with("unsupported on this system: btmp does not exist and has no successor"),
        "{}",
        err.message
    );
    if cfg!(not(feature = "sqlite")) {
        return;
    }
    // A sparse lastlog with no login in it, and a lastlog2 database.
    let f = std::fs::File::create(root.mkdir("var/log").join("lastlog")).unwrap();
    f.set_len(292 * 1001).unwrap();
    let db = root.mkdir("var/lib/lastlog").join("lastlog2.db");
    write_lastlog2(&db, &[("alice", 1_700_000_000, "pts/0", "", "sshd")]);
    let r = open_db_in(root.path(), Database::Lastlog, Options::default()).unwrap();
    assert_eq!(r.source(), format!("lastlog2:{}", db.display()));
    let e: Vec<_> = r.map(|e| e.unwrap()).collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].entry_type, EntryType::LastLogin);
}

/// The test's own pid and the current time; a pid that has exited; and
/// the own pid with a time before this boot (kept, as coreutils `who`
/// keeps it: only the pid decides).
#[test]
fn live_view_drops_dead_pids() {
    let root = Scratch::new("def-live");
    let me = std::process::id() as i32;
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id() as i32;
    child.wait().unwrap();
    let mut bytes = Vec::new();
    bytes.extend(utmp384(
        2,
        0,
        "~",
        "~~",
        "reboot",
        "6.1.0",
        now_s() as u32 - 50,
    ));
    bytes.extend(utmp384(7, me, "pts/1", "ts/1", "alive", "", now_s() as u32));
    bytes.extend(utmp384(
        7,
        dead,
        "pts/2",
        "ts/2",
        "deadpid",
        "",
        now_s() as u32,
    ));
    bytes.extend(utmp384(7, me, "pts/3", "ts/3", "preboot", "", 1000));
    let utmp = root.write("var/run/utmp", &bytes);
    let users = |opts: Options| -> Vec<String> {
        Reader::open(&utmp, opts)
            .unwrap()
            .map(|e| e.unwrap().user.to_string_lossy())
            .collect()
    };
    assert_eq!(
        users(Options::default()),
        vec!["reboot", "alive", "deadpid", "preboot"]
    );
    let live = Options {
        live: true,
        ..Options::default()
    };
    assert_eq!(users(live), vec!["reboot", "alive", "preboot"]);
    // The same through the default-source path.
    let r = open_db_in(root.path(), Database::Utmp, live).unwrap();
    assert!(r
        .map(|e| e.unwrap().user.to_string_lossy())
        .any(|u| u == "alive"));
}

/// On this machine (no /run/utmp, no logind) the default reader must say
/// why there is no answer instead of returning nobody.
#[test]
fn this_host_says_which_source_or_why_none() {
    match Reader::open_db(Database::Utmp, Options::default()) {
        Ok(r) => {
            let s = r.source().to_string();
            assert!(s.contains("utmp") || s.starts_with("logind:"), "{s}");
            eprintln!("this host: who is logged in comes from {s}");
        }
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::NotFound);
            assert!(!Path::new("/run/utmp").exists() && !Path::new("/var/run/utmp").exists());
            assert!(!utx::format::logind::Logind::at_root(Path::new("/")).is_running());
            assert!(e.message.contains("logind is not running"), "{}", e.message);
            eprintln!("this host: {}", e.message);
        }
    }
}

/// Built without SQLite: the databases are reported as unsupported, never
/// as empty.
#[cfg(not(feature = "sqlite"))]
#[test]
fn without_sqlite_databases_are_unsupported() {
    let root = Scratch::new("def-nosql");
    let db = root.write("var/lib/wtmpdb/wtmp.db", b"SQLite format 3\0rest-of-header");
    let err = open_db_in(root.path(), Database::Wtmp, Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(err.message.contains("sqlite"), "{}", err.message);
    let err = Reader::open(&db, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::Unsupported);
}
