//! One history over several files: rotated logs given oldest first
//! (`wtmp.2.gz`, `wtmp.1`, `wtmp`), read as if they were one file, in
//! either direction. Each file is detected (and decompressed) on its own.
//!
//! Offsets are positions in the concatenation of the (decompressed)
//! files, so they stay unique and ordered across files.

use crate::entry::Entry;
use crate::error::Result;
use crate::reader::{EntryStream, Reader};

pub struct MultiStream {
    /// In reading order (newest file first when reverse).
    readers: Vec<Reader>,
    /// Offset of each reader's file in the concatenation.
    bases: Vec<u64>,
    cur: usize,
    /// An entry found by `seek_time`, handed out next.
    pending: Option<Entry>,
}

impl MultiStream {
    /// `readers` and their file sizes, oldest file first.
    pub fn new(mut readers: Vec<Reader>, sizes: &[u64], reverse: bool) -> MultiStream {
        let mut bases: Vec<u64> = sizes
            .iter()
            .scan(0u64, |acc, s| {
                let base = *acc;
                *acc = acc.saturating_add(*s);
                Some(base)
            })
            .collect();
        if reverse {
            readers.reverse();
            bases.reverse();
        }
        MultiStream {
            readers,
            bases,
            cur: 0,
            pending: None,
        }
    }
}

impl EntryStream for MultiStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        if let Some(p) = self.pending.take() {
            *e = p;
            return Ok(true);
        }
        while let Some(r) = self.readers.get_mut(self.cur) {
            if r.next_into(e)? {
                e.offset = e.offset.saturating_add(self.bases[self.cur]);
                return Ok(true);
            }
            r.release();
            self.cur += 1;
        }
        Ok(false)
    }

    fn rewind(&mut self) -> Result<()> {
        self.pending = None;
        self.cur = 0;
        for r in &mut self.readers {
            r.rewind()?;
        }
        Ok(())
    }

    /// The first file (in reading order) holding an entry on the right
    /// side of `sec` is positioned by its own seek; later files start over.
    fn seek_time(&mut self, sec: i64) -> Result<bool> {
        self.rewind()?;
        let mut e = Entry::default();
        for i in 0..self.readers.len() {
            self.readers[i].seek_time(sec)?;
            if self.readers[i].next_into(&mut e)? {
                e.offset = e.offset.saturating_add(self.bases[i]);
                self.pending = Some(e);
                self.cur = i;
                return Ok(true);
            }
            self.readers[i].release();
        }
        self.cur = self.readers.len();
        Ok(true)
    }

    fn chunks_read(&self) -> u64 {
        self.readers.iter().map(|r| r.chunks_read()).sum()
    }
}
