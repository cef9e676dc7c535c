//! The stream every decoder implements: the leaf the formats, the
//! sources and the reader all depend on (it depends on nothing but the
//! entry and the error).

use crate::entry::Entry;
use crate::error::{Error, ErrorKind, Result};

/// A stream of entries in one direction; the reader adds filtering.
pub trait EntryStream: Send {
    /// Decode the next entry into `e`; false at the end.
    fn next(&mut self, e: &mut Entry) -> Result<bool>;
    /// Start again from the first entry (in the stream's direction).
    fn rewind(&mut self) -> Result<()>;
    /// Position at the first entry at or after `sec` (forward), or at the
    /// newest entry at or before `sec` (reverse), when the stream can do
    /// it faster than a scan. False: not supported, the reader scans.
    fn seek_time(&mut self, _sec: i64) -> Result<bool> {
        Ok(false)
    }
    /// Chunks (or rows) read from the source so far, for tests and benches.
    fn chunks_read(&self) -> u64 {
        0
    }
    /// Size in bytes of what the stream reads (offsets of the next file of
    /// a multi-file reader start after it); 0 when unknown.
    fn size(&self) -> u64 {
        0
    }
    /// Free what the stream can make again (a `.gz`'s decompressed copy)
    /// until it is read again: a multi-file reader releases each file it
    /// is done with, so it holds one decompressed copy at a time.
    fn release(&mut self) {}
    /// Records (or text lines) skipped as corrupt since the stream was
    /// opened or rewound; streams that cannot tell say 0.
    fn skipped(&self) -> u64 {
        0
    }
    /// Where reading continues, as a byte offset: forward, just past the
    /// last record read (returned, filtered or skipped); backward, the
    /// start of the last record read. `None` for streams without record
    /// offsets that can be sought (text, variable-length records, SQLite,
    /// logind, several files).
    fn tell(&self) -> Option<u64> {
        None
    }
    /// Continue reading at `offset`, a record boundary (what `tell` says):
    /// forward from the record that starts there, backward from the record
    /// that ends there. `u64::MAX` is the end of the last whole record.
    fn seek_offset(&mut self, _offset: u64) -> Result<()> {
        Err(Error::new(
            ErrorKind::Unsupported,
            "this format has no record offsets to seek to (only files of fixed-size records do)",
        ))
    }
}
