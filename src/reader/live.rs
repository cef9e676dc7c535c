//! The live view of "who is logged in now": drops USER_PROCESS entries
//! that are gone by the `who` rule of [`crate::host`] (their pid is
//! positive and `kill(pid, 0)` fails with ESRCH), so stale utmp slots (a
//! crashed sshd) do not count, as coreutils `who` leaves them out.
//! Entries without a pid (-1, or 0) are kept.

use crate::entry::Entry;
use crate::error::Result;
use crate::host;
use crate::stream::EntryStream;

pub struct LiveFilter {
    inner: Box<dyn EntryStream>,
}

impl LiveFilter {
    pub fn new(inner: Box<dyn EntryStream>) -> LiveFilter {
        LiveFilter { inner }
    }
}

impl EntryStream for LiveFilter {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        while self.inner.next(e)? {
            if !host::gone_by_who_rule(e) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn rewind(&mut self) -> Result<()> {
        self.inner.rewind()
    }

    fn size(&self) -> u64 {
        self.inner.size()
    }

    fn tell(&self) -> Option<u64> {
        self.inner.tell()
    }

    fn seek_offset(&mut self, offset: u64) -> Result<()> {
        self.inner.seek_offset(offset)
    }
}
