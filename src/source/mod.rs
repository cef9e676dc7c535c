//! Where bytes come from: files (chunked `pread`, sparse extents) and
//! caller memory; state-file parsing; change notification.

pub mod envfile;
pub mod file;
pub mod gzip;
pub mod memory;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::io;

/// Random-access bytes. Implementations never map memory (a file
/// truncated under a mapping raises SIGBUS) and take no locks.
pub trait ByteSource: Send {
    /// Read at `offset` into `buf`, returning how many bytes were read
    /// (0 at end of data). Short reads only at the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;

    /// Current size in bytes (may change while reading).
    fn size(&self) -> io::Result<u64>;

    /// The data extents `(start, end)` of a sparse source, in order, from
    /// `offset` on, at most `max` of them. Sources without holes return
    /// one extent.
    fn data_extents(&self, offset: u64, max: usize) -> io::Result<Vec<(u64, u64)>> {
        let size = self.size()?;
        Ok(if offset < size && max > 0 {
            vec![(offset, size)]
        } else {
            Vec::new()
        })
    }

    /// Free what can be made again (a `.gz`'s decompressed copy) until the
    /// next read; other sources keep everything.
    fn release(&mut self) {}

    /// Fill `buf` from `offset` as far as the data goes.
    fn read_full_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            match self.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
}
