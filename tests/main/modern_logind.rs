//! logind state trees (files in the format logind writes) under a
//! temporary root.

use crate::helpers::*;
use utx::format::logind::Logind;
use utx::{EntryType, ErrorKind, Format, Options, Reader};

fn sessions_reader(root: &Scratch, all: bool) -> Reader {
    let opts = Options {
        format: Format::Logind,
        all_sessions: all,
        ..Options::default()
    };
    Reader::open(root.join("run/systemd"), opts).unwrap()
}

#[test]
fn lists_like_python_systemd_login() {
    let root = Scratch::new("logind-lists");
    logind_tree(&root, &standard_sessions(now_us()));
    let l = Logind::at_root(root.path());
    assert!(l.is_running());
    assert_eq!(l.seats().unwrap(), vec!["seat0"]);
    assert_eq!(l.sessions().unwrap(), vec!["12", "3", "7", "9", "c1"]);
    assert_eq!(l.uids().unwrap(), vec![1000, 1001]);
    assert_eq!(l.machine_names().unwrap(), vec!["debian-12"]);
}

#[test]
fn sessions_are_user_process_entries() {
    let root = Scratch::new("logind-sessions");
    let now = now_us();
    logind_tree(&root, &standard_sessions(now));
    let r = sessions_reader(&root, false);
    assert_eq!(r.format(), Format::Logind);
    assert_eq!(
        r.source(),
        format!("logind:{}", root.join("run/systemd").display())
    );
    let all: Vec<_> = r.collect::<Result<Vec<_>, _>>().unwrap();
    // Oldest first; manager (c1), background (12) and closing (9) are not logins.
    let ids: Vec<_> = all.iter().map(|e| e.id.to_string_lossy()).collect();
    assert_eq!(ids, vec!["3", "7"]);
    let a = &all[0];
    assert_eq!(a.entry_type, EntryType::UserProcess);
    assert_eq!(a.user.to_string_lossy(), "alice");
    assert_eq!(a.uid, 1000);
    assert_eq!(a.line.to_string_lossy(), "pts/0");
    assert_eq!(a.host.to_string_lossy(), "192.0.2.7");
    assert_eq!(a.addr_text.to_string_lossy(), "192.0.2.7");
    assert_eq!(a.service.to_string_lossy(), "sshd");
    assert_eq!(a.pid, 4242);
    assert_eq!(a.session, 3);
    let start = now - 300 * 1_000_000;
    assert_eq!(
        (a.sec, a.usec as i64),
        (start / 1_000_000, start % 1_000_000)
    );
    assert_eq!(a.format, Format::Logind);
    let b = &all[1];
    assert_eq!(b.user.to_string_lossy(), "bob");
    assert_eq!(
        b.line.to_string_lossy(),
        ":1",
        "DISPLAY stands in for a missing TTY"
    );
    assert_eq!(b.host.to_string_lossy(), "host \"seven\".example");
    assert_eq!(b.service.to_string_lossy(), "login");
    assert_eq!(b.pid, -1, "no LEADER key");
}

#[test]
fn all_sessions_flag_keeps_manager_background_closing() {
    let root = Scratch::new("logind-all");
    logind_tree(&root, &standard_sessions(now_us()));
    let ids: Vec<_> = sessions_reader(&root, true)
        .map(|e| e.unwrap())
        .map(|e| (e.id.to_string_lossy(), e.session))
        .collect();
    let want: Vec<(String, i64)> = vec![
        ("c1".into(), -1),
        ("3".into(), 3),
        ("7".into(), 7),
        ("9".into(), 9),
        ("12".into(), 12),
    ];
    assert_eq!(ids, want);
    // Reverse: newest first.
    let opts = Options {
        format: Format::Logind,
        all_sessions: true,
        reverse: true,
        ..Options::default()
    };
    let rev: Vec<_> = Reader::open(root.join("run/systemd"), opts)
        .unwrap()
        .map(|e| e.unwrap().id.to_string_lossy())
        .collect();
    assert_eq!(rev, vec!["12", "9", "7", "3", "c1"]);
}

#[test]
fn not_running_is_an_error_and_no_sessions_is_empty() {
    let root = Scratch::new("logind-none");
    let opts = Options {
        format: Format::Logind,
        ..Options::default()
    };
    // No /run/systemd/seats: logind is not running here.
    let err = Reader::open(root.join("run/systemd"), opts).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(
        err.message.contains("logind is not running"),
        "{}",
        err.message
    );
    let l = Logind::at_root(root.path());
    assert_eq!(l.sessions().unwrap_err().kind, ErrorKind::NotFound);
    // logind runs, nobody is logged in: an empty reader, not an error.
    root.mkdir("run/systemd/seats");
    root.mkdir("run/systemd/sessions");
    let r = Reader::open(root.join("run/systemd"), opts).unwrap();
    assert_eq!(r.count(), 0);
    assert_eq!(l.sessions().unwrap(), Vec::<String>::new());
    // Missing category directories count as none once logind runs.
    assert_eq!(l.machine_names().unwrap(), Vec::<String>::new());
    assert_eq!(l.uids().unwrap(), Vec::<u32>::new());
}

#[test]
fn rewind_sees_the_sessions_of_now() {
    let root = Scratch::new("logind-rewind");
    logind_tree(&root, &standard_sessions(now_us()));
    let mut r = sessions_reader(&root, false);
    assert_eq!((&mut r).count(), 2);
    std::fs::remove_file(root.join("run/systemd/sessions/7")).unwrap();
    r.rewind().unwrap();
    assert_eq!(r.count(), 1);
}

#[test]
fn garbage_session_files_do_not_break_the_reader() {
    let root = Scratch::new("logind-garbage");
    logind_tree(
        &root,
        &[
            (
                "1",
                b"\x00\xff\xfe garbage\n=\n==\nUSER\nUID=notanumber\nREALTIME=-5\n".to_vec(),
            ),
            ("2", Vec::new()),
            ("3", b"USER=\"unterminated\nUID=7".to_vec()),
        ],
    );
    let all: Vec<_> = sessions_reader(&root, true)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|e| e.entry_type == EntryType::UserProcess));
    assert_eq!(all.iter().find(|e| e.session == 1).unwrap().uid, -1);
}

#[test]
fn a_state_directory_is_detected() {
    let root = Scratch::new("logind-detect");
    logind_tree(&root, &standard_sessions(now_us()));
    let r = Reader::open(root.join("run/systemd"), Options::default()).unwrap();
    assert_eq!(r.format(), Format::Logind);
    assert_eq!(r.count(), 2);
    // Any other directory is still refused.
    let err = Reader::open(root.join("run/systemd/seats"), Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidArgument, "{}", err.message);
}

#[test]
fn a_session_without_user_takes_the_name_from_its_user_file() {
    let root = Scratch::new("logind-noname");
    logind_tree(
        &root,
        &[(
            "8",
            session_file(&[("UID", "1001"), ("STATE", "online"), ("TTY", "tty4")]),
        )],
    );
    let all: Vec<_> = sessions_reader(&root, false).map(|e| e.unwrap()).collect();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].user.to_string_lossy(), "bob");
    assert_eq!(all[0].uid, 1001);
}
