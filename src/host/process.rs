//! What the running system says about the boot and about processes:
//! the facts "who is logged in now" and "still logged in or gone" need.
//! One implementation of each rule, used by the reader's live view
//! (`Options::live`), by `count_users` and by session pairing.

use std::ffi::CString;

use crate::entry::{Entry, EntryType};

/// Boot time in seconds since the epoch: now minus `CLOCK_BOOTTIME`
/// (as util-linux `last` computes it), else `btime` in `/proc/stat`;
/// `None` where neither can tell.
pub fn boot_time() -> Option<i64> {
    clock_boot_time().or_else(|| parse_btime(&std::fs::read_to_string("/proc/stat").ok()?))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[allow(clippy::unnecessary_cast)] // time_t and long are 32 bits on some targets
fn clock_boot_time() -> Option<i64> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut up = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `up` is a valid, writable timespec.
    if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut up) } != 0 {
        return None;
    }
    let mut sec = now.as_secs() as i64 - up.tv_sec as i64;
    if i64::from(now.subsec_micros()) - (up.tv_nsec as i64 / 1000) < 0 {
        sec -= 1;
    }
    Some(sec)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn clock_boot_time() -> Option<i64> {
    None
}

fn parse_btime(stat: &str) -> Option<i64> {
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// Whether process `pid` is known to be gone: `kill(pid, 0)` fails with
/// ESRCH. A process we may not signal (EPERM) exists; pids that are not
/// positive 32-bit numbers are never asked about (0 and negatives would
/// signal process groups), so they are not known to be gone.
fn pid_gone(pid: i64) -> bool {
    let Ok(p) = i32::try_from(pid) else {
        return false;
    };
    if p <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission; nothing
    // is delivered and no memory is touched.
    let r = unsafe { libc::kill(p as libc::pid_t, 0) };
    r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// The `who` rule (gnulib `read_utmp` with READ_UTMP_CHECK_PIDS, as
/// coreutils `who`, `users` and `uptime` use it): a USER_PROCESS entry is
/// gone when its pid is positive and `kill(pid, 0)` fails with ESRCH.
pub fn gone_by_who_rule(e: &Entry) -> bool {
    e.entry_type == EntryType::UserProcess && pid_gone(e.pid)
}

/// The `last` rule (util-linux `last`'s `is_phantom`) for a login with
/// no logout: gone when it predates `boot_time`; when its user (cut at
/// 31 bytes) is unknown to the password database; when
/// `/proc/PID/loginuid` is readable and does not hold the user's uid; or,
/// where there is no loginuid, when `/dev/LINE` is missing or not owned
/// by the user.
pub fn gone_by_last_rule(e: &Entry, boot_time: Option<i64>) -> bool {
    if boot_time.is_some_and(|b| e.sec < b) {
        return true;
    }
    let user = e.user.as_bytes();
    let Some(uid) = user_uid(&user[..user.len().min(31)]) else {
        return true;
    };
    // util-linux prints the pid with %u (a negative pid wraps).
    let loginuid = format!("/proc/{}/loginuid", e.pid as i32 as u32);
    if readable(&loginuid) {
        let Ok(text) = std::fs::read_to_string(&loginuid) else {
            return true;
        };
        // fscanf("%u"): leading blanks, then digits.
        let digits: String = text
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        return digits.parse::<u32>() != Ok(uid);
    }
    let line = e.line.as_bytes();
    let mut dev = b"/dev/".to_vec();
    dev.extend_from_slice(&line[..line.len().min(32)]);
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(std::ffi::OsStr::from_bytes(&dev)) {
        Ok(m) => m.uid() != uid,
        Err(_) => true,
    }
}

/// access(path, R_OK).
fn readable(path: &str) -> bool {
    let Ok(c) = CString::new(path) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path.
    unsafe { libc::access(c.as_ptr(), libc::R_OK) == 0 }
}

/// The uid of user `name` (getpwnam_r); `None` when unknown.
fn user_uid(name: &[u8]) -> Option<u32> {
    let name = CString::new(name).ok()?;
    let mut buf = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: zeroed passwd is a valid out-parameter.
        let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call; `buf` is writable
        // for `buf.len()` bytes.
        let r = unsafe {
            libc::getpwnam_r(
                name.as_ptr(),
                &mut pw,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
            )
        };
        if r == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        return (r == 0 && !found.is_null()).then_some(pw.pw_uid);
    }
}

/// Whether a process whose name (`/proc/<pid>/comm`) is one of `names`
/// runs; `None` where /proc cannot tell: there is none, or it hides other
/// users' processes (`hidepid`, seen as an unreadable `/proc/1/comm`), so
/// a root daemon would look absent.
pub fn process_running(names: &[&str]) -> Option<bool> {
    if std::fs::read("/proc/1/comm").is_err() {
        return None;
    }
    let rd = std::fs::read_dir("/proc").ok()?;
    for ent in rd.flatten() {
        let name = ent.file_name();
        let Some(pid) = name.to_str() else { continue };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(comm) = std::fs::read_to_string(ent.path().join("comm")) {
            if names.contains(&comm.trim_end()) {
                return Some(true);
            }
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn btime_line() {
        assert_eq!(
            parse_btime("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_btime("cpu 1\n"), None);
    }

    #[test]
    fn finds_itself_by_name() {
        let me = std::fs::read_to_string("/proc/self/comm").unwrap();
        assert_eq!(process_running(&[me.trim_end()]), Some(true));
        assert_eq!(process_running(&["no-such-process-name"]), Some(false));
    }

    #[test]
    fn own_pid_is_not_gone() {
        assert!(!pid_gone(std::process::id() as i64));
        // Above any pid_max (4194304): no such process.
        assert!(pid_gone(0x7fff_fff0));
        assert!(!pid_gone(0) && !pid_gone(-1) && !pid_gone(i64::MAX));
    }

    #[test]
    fn boot_time_is_in_the_past() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        if let Some(b) = boot_time() {
            assert!(b > 0 && b <= now);
        }
    }

    #[test]
    fn last_rule_unknown_user_or_before_boot_is_gone() {
        let mut e = Entry {
            entry_type: EntryType::UserProcess,
            pid: std::process::id() as i64,
            sec: 2_000_000_000,
            ..Default::default()
        };
        e.user.set(b"no-such-user-utx-test");
        assert!(gone_by_last_rule(&e, None));
        e.user.set(b"root");
        assert!(gone_by_last_rule(&e, Some(e.sec + 1)));
    }
}
