//! A source whose first and last blocks were read ahead, for format
//! detection: it samples many small records at both ends of a file, and
//! one `pread` each made opening a big file cost about 1,500 system calls
//! (most of the time to read its newest 10 entries).

use std::io;

use super::ByteSource;

/// Bytes read ahead at each end (more than 64 of the largest records).
const BLOCK: u64 = 64 * 1024;

pub struct Prefetched<'a> {
    inner: &'a mut dyn ByteSource,
    /// Bytes `[0, head.len())` and `[tail_at, tail_at + tail.len())`.
    head: Vec<u8>,
    tail: Vec<u8>,
    tail_at: u64,
}

impl<'a> Prefetched<'a> {
    /// Read both ends of `inner`. Never fails: a block that cannot be read
    /// is left empty, and reading it again through `read_at` reports the
    /// error.
    pub fn new(inner: &'a mut dyn ByteSource) -> Prefetched<'a> {
        let size = inner.size().unwrap_or(0);
        let head = read_block(&*inner, 0, size.min(BLOCK));
        let tail_at = size.saturating_sub(BLOCK).max(head.len() as u64);
        let tail = read_block(&*inner, tail_at, size.saturating_sub(tail_at));
        Prefetched {
            inner,
            head,
            tail,
            tail_at,
        }
    }
}

fn read_block(src: &dyn ByteSource, at: u64, len: u64) -> Vec<u8> {
    let mut buf = vec![0; len as usize];
    match src.read_full_at(&mut buf, at) {
        Ok(n) => buf.truncate(n),
        Err(_) => buf.clear(),
    }
    buf
}

impl ByteSource for Prefetched<'_> {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        for (at, block) in [(0, &self.head), (self.tail_at, &self.tail)] {
            let end = at + block.len() as u64;
            if offset >= at && offset.saturating_add(buf.len() as u64) <= end {
                let start = (offset - at) as usize;
                buf.copy_from_slice(&block[start..start + buf.len()]);
                return Ok(buf.len());
            }
        }
        self.inner.read_at(buf, offset)
    }

    fn size(&self) -> io::Result<u64> {
        self.inner.size()
    }

    fn data_extents(&self, offset: u64) -> io::Result<Vec<(u64, u64)>> {
        self.inner.data_extents(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::memory::MemorySource;

    /// Every read through the cache equals the same read of the source,
    /// inside, across and past both blocks.
    #[test]
    fn reads_match_the_source() {
        for size in [0usize, 1, 5000, 65536, 65537, 131072, 200_001] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 + i / 251) as u8).collect();
            let plain = MemorySource::new(bytes.clone());
            let mut inner = MemorySource::new(bytes);
            let cached = Prefetched::new(&mut inner);
            let s = size as u64;
            for (off, len) in [
                (0, 4096),
                (0, 384),
                (s.saturating_sub(384), 384),
                (s / 2, 400),
                (BLOCK - 10, 20),
                (s.saturating_sub(BLOCK + 5), 10),
                (s.saturating_sub(3), 10),
                (s + 10, 5),
            ] {
                let (mut a, mut b) = (vec![0; len], vec![0; len]);
                let na = cached.read_full_at(&mut a, off).unwrap();
                let nb = plain.read_full_at(&mut b, off).unwrap();
                assert_eq!((na, &a[..na]), (nb, &b[..nb]), "size {size} at {off}+{len}");
            }
            assert_eq!(cached.size().unwrap(), s);
        }
    }
}
