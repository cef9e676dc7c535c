//! Pairing rules on hand-made entries, newest first (as a reverse reader
//! hands them out).

use super::*;
use crate::entry::EntryType;

fn rec(t: EntryType, user: &str, line: &str, pid: i64, sec: i64) -> Entry {
    let mut e = Entry {
        entry_type: t,
        raw_type: t as i32,
        pid,
        sec,
        offset: sec as u64 * 384,
        ..Default::default()
    };
    e.user.set(user.as_bytes());
    e.line.set(line.as_bytes());
    e
}

/// Pair `oldest_first` (written in time order) and return the sessions in
/// the order they come out.
fn pair(oldest_first: &[Entry]) -> Vec<Session> {
    let mut p = Pairing::new(&rules::LINUX, false);
    let mut out = Vec::new();
    for e in oldest_first.iter().rev() {
        let mut s = Session::default();
        if p.feed(&mut e.clone(), &mut s) {
            out.push(s);
        }
    }
    out
}

use EntryType::*;

#[test]
fn logout_closes_the_login_on_the_same_line() {
    let s = pair(&[
        rec(UserProcess, "alice", "pts/0", 10, 100),
        rec(UserProcess, "bob", "pts/1", 11, 110),
        rec(DeadProcess, "", "pts/0", 10, 200),
    ]);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].user.as_bytes(), b"bob");
    assert_eq!(s[0].end, SessionEnd::StillLoggedIn);
    assert_eq!(s[0].logout, None);
    assert_eq!(s[1].user.as_bytes(), b"alice");
    assert_eq!(s[1].end, SessionEnd::LoggedOut);
    assert_eq!(s[1].logout, Some((200, 0)));
    assert_eq!(s[1].login_offset, 100 * 384);
    assert_eq!(s[1].logout_offset, Some(200 * 384));
}

#[test]
fn boot_without_shutdown_is_a_crash() {
    let s = pair(&[
        rec(BootTime, "reboot", "~", 0, 50),
        rec(UserProcess, "alice", "tty1", 10, 100),
        rec(BootTime, "reboot", "~", 0, 300),
    ]);
    let kinds: Vec<_> = s.iter().map(|s| (s.kind, s.end)).collect();
    assert_eq!(
        kinds,
        [
            (SessionKind::Reboot, SessionEnd::StillRunning),
            (SessionKind::User, SessionEnd::Crash),
            // The first boot lasts until the next shutdown: there is none.
            (SessionKind::Reboot, SessionEnd::StillRunning),
        ]
    );
    assert_eq!(s[1].logout, Some((300, 0)));
    assert_eq!(s[1].logout_offset, Some(300 * 384));
}

#[test]
fn shutdown_ends_sessions_as_down() {
    let s = pair(&[
        rec(BootTime, "reboot", "~", 0, 50),
        rec(UserProcess, "alice", "tty1", 10, 100),
        rec(RunLevel, "shutdown", "~", 0, 200),
        rec(BootTime, "reboot", "~", 0, 300),
    ]);
    let kinds: Vec<_> = s.iter().map(|s| (s.kind, s.end)).collect();
    assert_eq!(
        kinds,
        [
            (SessionKind::Reboot, SessionEnd::StillRunning),
            (SessionKind::Shutdown, SessionEnd::LoggedOut),
            (SessionKind::User, SessionEnd::Down),
            (SessionKind::Reboot, SessionEnd::LoggedOut),
        ]
    );
    assert_eq!(s[1].logout, Some((300, 0)));
    assert_eq!(s[2].logout, Some((200, 0)));
    assert_eq!(s[3].logout, Some((200, 0)));
}

#[test]
fn runlevel_0_and_6_count_as_shutdown() {
    for level in [b'0', b'6'] {
        let s = pair(&[
            rec(UserProcess, "alice", "tty1", 10, 100),
            rec(
                RunLevel,
                "runlevel",
                "~",
                (b'5' as i64) << 8 | level as i64,
                200,
            ),
        ]);
        assert_eq!(s[0].kind, SessionKind::RunLevel);
        assert_eq!(s[0].runlevel, level as i32);
        assert_eq!(s[0].end, SessionEnd::StillRunning);
        assert_eq!(s[1].end, SessionEnd::Down, "level {}", level as char);
    }
    // Run level 3 does not end anything.
    let s = pair(&[
        rec(UserProcess, "alice", "tty1", 10, 100),
        rec(RunLevel, "runlevel", "~", b'3' as i64, 200),
    ]);
    assert_eq!(s[1].end, SessionEnd::StillLoggedIn);
}

#[test]
fn clock_changes_are_instants_and_do_not_pair() {
    let s = pair(&[
        rec(UserProcess, "alice", "tty1", 10, 100),
        rec(OldTime, "date", "|", 0, 150),
        rec(NewTime, "date", "{", 0, 90),
        rec(DeadProcess, "", "tty1", 10, 200),
    ]);
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].kind, SessionKind::ClockChange);
    assert_eq!(s[0].time_change, TimeChange::New);
    assert_eq!(s[0].end, SessionEnd::Instant);
    assert_eq!(s[1].time_change, TimeChange::Old);
    assert_eq!(s[2].end, SessionEnd::LoggedOut);
    assert_eq!(s[2].logout, Some((200, 0)));
}

#[test]
fn old_writers_types_are_normalised_like_util_linux() {
    // An EMPTY record with user and line is a login; an empty user is a
    // logout whatever its type; LOGIN is not a login.
    let s = pair(&[
        rec(Empty, "nonvalid", "foo", 1, 100),
        rec(LoginProcess, "LOGIN", "tty2", 2, 110),
        rec(UserProcess, "", "foo", 1, 200),
    ]);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].user.as_bytes(), b"nonvalid");
    assert_eq!(s[0].end, SessionEnd::LoggedOut);
    assert_eq!(s[0].logout, Some((200, 0)));
}

#[test]
fn nearest_later_record_wins_and_reused_lines_pair_once() {
    let s = pair(&[
        rec(UserProcess, "a", "pts/3", 1, 100),
        rec(UserProcess, "b", "pts/3", 2, 150),
        rec(DeadProcess, "", "pts/3", 2, 160),
        rec(DeadProcess, "", "pts/3", 2, 170),
    ]);
    assert_eq!(s[0].user.as_bytes(), b"b");
    assert_eq!(s[0].logout, Some((160, 0)));
    // a's nearest later record on pts/3 is b's login.
    assert_eq!(s[1].logout, Some((150, 0)));
}

#[test]
fn gone_when_the_last_rule_says_so() {
    // A user no password database knows: gone (util-linux is_phantom).
    let e = rec(
        UserProcess,
        "no-such-user-utx",
        "pts/0",
        1,
        i64::from(u32::MAX),
    );
    assert!(crate::host::gone_by_last_rule(&e, None));
    let mut p = Pairing::new(&rules::LINUX, true);
    let mut s = Session::default();
    assert!(p.feed(&mut e.clone(), &mut s));
    assert_eq!(s.end, SessionEnd::Gone);
    // Without liveness the same login is still logged in.
    let mut p = Pairing::new(&rules::LINUX, false);
    assert!(p.feed(&mut e.clone(), &mut s));
    assert_eq!(s.end, SessionEnd::StillLoggedIn);
}

#[test]
fn liveness_is_judged_on_the_login_itself() {
    // `out` still holds another session's strings when the login comes;
    // the rule must read the login's user and line, not those. No process
    // has this pid, so root's login on "null" is judged by who owns
    // /dev/null: root, so not gone (where root and /dev/null exist).
    let e = rec(
        UserProcess,
        "root",
        "null",
        i64::from(i32::MAX),
        i64::from(u32::MAX),
    );
    let want = crate::host::gone_by_last_rule(&e, crate::host::boot_time());
    let mut p = Pairing::new(&rules::LINUX, true);
    let mut s = Session::default();
    s.user.set(b"no-such-user-utx");
    s.line.set(b"no-such-line-utx");
    assert!(p.feed(&mut e.clone(), &mut s));
    let want = if want {
        SessionEnd::Gone
    } else {
        SessionEnd::StillLoggedIn
    };
    assert_eq!(s.end, want);
    assert_eq!(s.user.as_bytes(), b"root");
}

#[test]
fn pending_table_is_bounded_by_distinct_lines() {
    let mut p = Pairing::new(&rules::LINUX, false);
    let mut s = Session::default();
    for i in 0..10_000i64 {
        let line = format!("pts/{}", i % 7);
        let t = if i % 2 == 0 { DeadProcess } else { UserProcess };
        let user = if t == DeadProcess { "" } else { "u" };
        p.feed(&mut rec(t, user, &line, i, 1_000_000 - i), &mut s);
        assert!(p.pending_len() <= 7);
    }
}

fn pair_with(rules: &'static Rules, oldest_first: &[Entry]) -> Vec<Session> {
    let mut p = Pairing::new(rules, false);
    let mut out = Vec::new();
    for e in oldest_first.iter().rev() {
        let mut s = Session::default();
        if p.feed(&mut e.clone(), &mut s) {
            out.push(s);
        }
    }
    out
}

fn with_id(mut e: Entry, id: &str) -> Entry {
    e.id.set(id.as_bytes());
    e
}

#[test]
fn freebsd_pairs_by_id_not_line() {
    // FreeBSD's DEAD_PROCESS keeps only id and pid (no line).
    let s = pair_with(
        &rules::FREEBSD,
        &[
            with_id(rec(UserProcess, "alice", "pts/0", 10, 100), "a1"),
            with_id(rec(UserProcess, "bob", "pts/0", 11, 110), "b2"),
            with_id(rec(DeadProcess, "", "", 10, 200), "a1"),
            rec(ShutdownTime, "", "", 0, 300),
        ],
    );
    assert_eq!(s[0].kind, SessionKind::Shutdown);
    assert_eq!(s[1].user.as_bytes(), b"bob");
    assert_eq!(s[1].end, SessionEnd::Down);
    assert_eq!(s[2].user.as_bytes(), b"alice");
    assert_eq!(s[2].end, SessionEnd::LoggedOut);
    assert_eq!(s[2].logout, Some((200, 0)));
}

#[test]
fn macos_pairs_by_id_and_pid() {
    let s = pair_with(
        &rules::MACOS,
        &[
            with_id(rec(UserProcess, "alice", "ttys000", 10, 100), "s000"),
            with_id(rec(DeadProcess, "", "ttys000", 99, 150), "s000"),
            with_id(rec(DeadProcess, "", "ttys000", 10, 200), "s000"),
        ],
    );
    assert_eq!(s[0].logout, Some((200, 0)));
}

#[test]
fn bsd_pairs_ftp_lines_by_prefix_and_boot_is_a_crash() {
    let s = pair_with(
        &rules::BSD,
        &[
            rec(UserProcess, "alice", "ftp123", -1, 100),
            rec(DeadProcess, "", "ftp456", -1, 200),
            rec(UserProcess, "bob", "ttyp0", -1, 250),
            rec(BootTime, "reboot", "~", -1, 300),
        ],
    );
    assert_eq!(s[1].user.as_bytes(), b"bob");
    assert_eq!(s[1].end, SessionEnd::Crash);
    assert_eq!(s[2].end, SessionEnd::LoggedOut);
    assert_eq!(s[2].logout, Some((200, 0)));
}

#[test]
fn svr4_boot_ends_open_sessions_as_down() {
    let s = pair_with(
        &rules::SVR4,
        &[
            rec(UserProcess, "alice", "pts/1", 10, 100),
            rec(BootTime, "", "system boot", 0, 300),
        ],
    );
    assert_eq!(s[1].end, SessionEnd::Down);
}

/// `Sessions` over a lent reader (`&mut Reader`, as the C ABI's handle
/// lends its reader) pairs as over an owned one, and the reader stays the
/// caller's: read to its end, it can be rewound and read again.
#[test]
fn sessions_over_a_borrowed_reader_equal_an_owned_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/wtmp");
    let opts = crate::reader::Options {
        reverse: true,
        ..Default::default()
    };
    let no_live = SessionOptions {
        check_liveness: false,
        rules: None,
    };
    let key = |s: Session| (s.kind, s.end, s.login_offset, s.logout_offset);
    let owned: Vec<_> = Sessions::new(Reader::open(path, opts).unwrap(), no_live)
        .unwrap()
        .map(|s| key(s.unwrap()))
        .collect();
    assert!(owned.len() > 2);
    let mut reader = Reader::open(path, opts).unwrap();
    let lent: Vec<_> = Sessions::new(&mut reader, no_live)
        .unwrap()
        .map(|s| key(s.unwrap()))
        .collect();
    assert_eq!(lent, owned);
    assert!(
        reader.next().is_none(),
        "the sessions read the reader to its end"
    );
    reader.rewind().unwrap();
    assert!(reader.next().is_some());
}
