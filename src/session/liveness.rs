//! "Still logged in" or "gone": whether a login with no logout record
//! still has a live process on this host. Only meaningful for the host's
//! own files; callers reading other machines' files turn it off.

use std::path::Path;

use crate::entry::Entry;

pub struct Liveness {
    /// This host's boot time (seconds); a login before it cannot be live.
    boot_time: Option<i64>,
    /// Whether /proc can tell live pids (Linux and a few others).
    have_proc: bool,
}

impl Liveness {
    pub fn of_this_host() -> Liveness {
        Liveness {
            boot_time: boot_time(),
            have_proc: Path::new("/proc/self").exists(),
        }
    }

    /// True when the login's process is known to be gone.
    pub fn is_gone(&self, e: &Entry) -> bool {
        if self.boot_time.is_some_and(|b| e.sec < b) {
            return true;
        }
        self.have_proc && pid_alive(e.pid) == Some(false)
    }
}

/// `btime` from /proc/stat (Linux).
fn boot_time() -> Option<i64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// Whether process `pid` exists on this host: `None` when that cannot be
/// told (no /proc, or no pid recorded).
pub fn pid_alive(pid: i64) -> Option<bool> {
    if pid <= 0 || !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new(&format!("/proc/{pid}")).exists())
}
