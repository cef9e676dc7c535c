//! Change notification: the monitor's fd becomes readable when a logind
//! session file or the utmp file changes. Waits are bounds (poll with a
//! timeout), not timing assertions.
#![cfg(target_os = "linux")]

use crate::helpers::*;
use utx::monitor::{category, Monitor};
use utx::ErrorKind;

/// Generous bound for an event that inotify delivers synchronously.
const WAIT_MS: i32 = 10_000;

fn readable(fd: i32, timeout_ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    assert!(n >= 0, "poll failed: {}", std::io::Error::last_os_error());
    n == 1 && p.revents & libc::POLLIN != 0
}

#[test]
fn session_and_utmp_changes_wake_the_fd() {
    let root = Scratch::new("mon");
    logind_tree(&root, &standard_sessions(now_us()));
    std::fs::remove_dir_all(root.join("run/systemd/machines")).unwrap();
    let utmp = root.write(
        "run/utmp",
        &utmp384(2, 0, "~", "~~", "reboot", "", 1_700_000_000),
    );
    let mut m = Monitor::open_in(root.path(), category::ALL).unwrap();
    let want = category::SEATS | category::SESSIONS | category::USERS | category::UTMP;
    assert_eq!(m.watched(), want);
    assert!(m.describe().contains("missing:"), "{}", m.describe());
    assert!(m.describe().contains("machines"), "{}", m.describe());
    assert!(!readable(m.fd(), 0), "readable before any change");

    // logind replaces a session file by rename.
    let tmp = root.write(
        "run/systemd/sessions/.#20tmp",
        &session_file(&[("UID", "1000"), ("USER", "alice")]),
    );
    std::fs::rename(&tmp, root.join("run/systemd/sessions/20")).unwrap();
    assert!(readable(m.fd(), WAIT_MS), "no wake-up for a new session");
    m.flush().unwrap();
    assert!(!readable(m.fd(), 0), "flush did not drain");

    // A session ends.
    std::fs::remove_file(root.join("run/systemd/sessions/20")).unwrap();
    assert!(
        readable(m.fd(), WAIT_MS),
        "no wake-up for a removed session"
    );
    m.flush().unwrap();

    // utmp is rewritten in place (pwrite by login/sshd).
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&utmp)
        .unwrap();
    f.write_all(&utmp384(7, 1, "pts/0", "ts/0", "bob", "", 1_700_000_100))
        .unwrap();
    drop(f);
    assert!(readable(m.fd(), WAIT_MS), "no wake-up for a utmp write");
    m.flush().unwrap();
    assert!(!readable(m.fd(), 0));

    // machined starts later: picked up at the next flush.
    root.mkdir("run/systemd/machines");
    m.flush().unwrap();
    assert_eq!(m.watched(), category::ALL);
    root.write("run/systemd/machines/vm1", b"NAME=vm1\n");
    assert!(readable(m.fd(), WAIT_MS), "no wake-up for a new machine");
}

#[test]
fn utmp_replaced_by_rename_is_rewatched() {
    let root = Scratch::new("mon-utmp");
    let utmp = root.write(
        "var/run/utmp",
        &utmp384(2, 0, "~", "~~", "reboot", "", 1_700_000_000),
    );
    let mut m = Monitor::open_in(root.path(), category::UTMP).unwrap();
    assert_eq!(m.watched(), category::UTMP);
    let tmp = root.write(
        "var/run/utmp.new",
        &utmp384(2, 0, "~", "~~", "reboot", "", 1_700_000_001),
    );
    std::fs::rename(&tmp, &utmp).unwrap();
    assert!(readable(m.fd(), WAIT_MS), "replacing utmp must wake");
    m.flush().unwrap();
    assert_eq!(m.watched(), category::UTMP, "the new file is watched again");
    std::fs::write(&utmp, utmp384(8, 0, "pts/0", "ts/0", "", "", 1_700_000_002)).unwrap();
    assert!(
        readable(m.fd(), WAIT_MS),
        "a write to the new utmp must wake"
    );
}

#[test]
fn nothing_to_watch_and_bad_categories() {
    let root = Scratch::new("mon-none");
    let err = Monitor::open_in(root.path(), category::ALL).err().unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("nothing to watch"), "{}", err.message);
    assert!(err.message.contains("sessions"), "{}", err.message);
    for bad in [0, 32, 0xffff_ffff] {
        let err = Monitor::open_in(root.path(), bad).err().unwrap();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
    }
}
