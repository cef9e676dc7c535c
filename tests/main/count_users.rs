//! Counting logged-in users: USER_PROCESS with a name and a live process.

use utx::session::{count_users, CountOptions};
use utx::{Format, Options, Reader};

fn rec(t: i16, pid: i32, user: &str, line: &str) -> Vec<u8> {
    let mut r = vec![0u8; 384];
    r[0..2].copy_from_slice(&t.to_le_bytes());
    r[4..8].copy_from_slice(&pid.to_le_bytes());
    r[8..8 + line.len()].copy_from_slice(line.as_bytes());
    r[44..44 + user.len()].copy_from_slice(user.as_bytes());
    r[340..344].copy_from_slice(&1_700_000_000u32.to_le_bytes());
    r
}

fn count(bytes: &[u8], distinct: bool, include_dead: bool) -> u64 {
    let mut r = Reader::from_bytes(
        bytes,
        Options {
            format: Format::Glibc384Le,
            ..Options::default()
        },
    )
    .unwrap();
    count_users(
        &mut r,
        CountOptions {
            distinct,
            include_dead,
        },
    )
    .unwrap()
}

#[test]
fn counts_live_user_processes() {
    let me = std::process::id() as i32;
    let parent = std::os::unix::process::parent_id() as i32;
    let dead = 0x7fff_fff0; // above any pid_max
    let utmp: Vec<u8> = [
        rec(2, 0, "reboot", "~"),
        rec(6, me, "LOGIN", "tty1"),
        rec(7, me, "alice", "pts/0"),
        rec(7, parent, "alice", "pts/1"),
        rec(7, me, "bob", "pts/2"),
        rec(7, dead, "carol", "pts/3"),
        rec(7, me, "", "pts/4"),
        rec(8, me, "", "pts/5"),
    ]
    .concat();
    if std::path::Path::new("/proc/self").exists() {
        assert_eq!(count(&utmp, false, false), 3);
        assert_eq!(count(&utmp, true, false), 2);
    }
    assert_eq!(count(&utmp, false, true), 4);
    assert_eq!(count(&utmp, true, true), 3);
    assert_eq!(count(&[], false, false), 0);
}
