//! What the running system says about processes and the boot: the two
//! facts a "who is logged in now" view needs to drop stale utmp slots.

use std::path::Path;

/// Boot time in seconds since the epoch, from `btime` in `/proc/stat`;
/// `None` where there is no /proc (or it says nothing).
pub fn boot_time() -> Option<i64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    parse_btime(&text)
}

fn parse_btime(stat: &str) -> Option<i64> {
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// Whether process `pid` exists. A process we may not signal (EPERM)
/// exists. Where neither kill(2) nor /proc can tell, assume it does: the
/// live view drops only what is known to be gone.
pub fn pid_alive(pid: i64) -> bool {
    let Ok(p) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if p <= 0 {
        // 0 and negatives would signal process groups: never ask.
        return true;
    }
    // SAFETY: signal 0 only checks for existence and permission; nothing
    // is delivered and no memory is touched.
    let r = unsafe { libc::kill(p, 0) };
    if r == 0 {
        return true;
    }
    if std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH) {
        return false;
    }
    // EPERM: it exists. Anything else: ask /proc where there is one.
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{p}")).exists()
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
    fn own_pid_is_alive() {
        assert!(pid_alive(std::process::id() as i64));
        assert!(!pid_alive(i64::MAX));
    }
}
