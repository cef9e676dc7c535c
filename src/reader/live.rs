//! The live view of "who is logged in now": drops USER_PROCESS entries
//! whose process is gone or that were written before the current boot, so
//! stale utmp slots (a crashed sshd, a copied /var/run/utmp) do not count.
//! Entries without a pid (-1, or 0) are kept unless they predate the boot.

use crate::entry::{Entry, EntryType};
use crate::error::Result;
use crate::source::proc;
use crate::stream::EntryStream;

pub struct LiveFilter {
    inner: Box<dyn EntryStream>,
    /// Seconds since the epoch; None when unknown (nothing is dropped by time).
    boot_time: Option<i64>,
}

impl LiveFilter {
    pub fn new(inner: Box<dyn EntryStream>) -> LiveFilter {
        LiveFilter {
            inner,
            boot_time: proc::boot_time(),
        }
    }

    /// Whether a user entry is a live session now.
    pub fn is_live(e: &Entry, boot_time: Option<i64>) -> bool {
        if e.entry_type != EntryType::UserProcess {
            return true;
        }
        if matches!(boot_time, Some(bt) if e.sec < bt) {
            return false;
        }
        e.pid <= 0 || proc::pid_alive(e.pid)
    }
}

impl EntryStream for LiveFilter {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        while self.inner.next(e)? {
            if Self::is_live(e, self.boot_time) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn rewind(&mut self) -> Result<()> {
        self.boot_time = proc::boot_time();
        self.inner.rewind()
    }
}
