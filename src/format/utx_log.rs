//! FreeBSD utx.log (FORMATS.md §3.1): each record is a big-endian u16
//! length followed by that many bytes of a `futx` whose trailing zero bytes
//! were dropped. Read as FreeBSD's `getfutxent` does: a zero length skips
//! one byte; a length over 197 keeps 197 bytes and skips the rest; a record
//! cut by the end of the file ends the scan (reported as a partial record).
//!
//! Forward reading streams chunks. The framing cannot be walked backwards,
//! so reverse reading first walks the file once keeping one checkpoint per
//! chunk (bounded memory), then decodes chunk by chunk from the end.

use crate::entry::{flags, Entry, EntryType};
use crate::error::{Error, Result};
use crate::format::freebsd::{FUTX_197, FUTX_SIZE};
use crate::format::Format;
use crate::source::ByteSource;
use crate::stream::EntryStream;

/// Bytes per read, and the spacing of reverse checkpoints.
const CHUNK: usize = 64 * 1024;

/// One framed item found by the walk.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// A record at `at` (its length prefix) with `len` bytes after it.
    Rec {
        at: u64,
        len: usize,
        recovered: bool,
    },
    /// A record cut by the end of the data.
    Partial { at: u64 },
}

pub struct UtxLogStream {
    src: Box<dyn ByteSource>,
    reverse: bool,
    size: u64,
    win: Vec<u8>,
    win_off: u64,
    win_len: usize,
    /// Forward: next offset to walk, and whether bytes were skipped there.
    pos: u64,
    skipped: bool,
    done: bool,
    /// Reverse: frame-aligned (offset, skipped-before) checkpoints, the
    /// next segment to load, and the frames of the current one.
    checkpoints: Vec<(u64, bool)>,
    segment: usize,
    frames: Vec<Frame>,
    /// Reverse: whether the first record of the segment loaded last (the
    /// next one in file order) followed skipped bytes.
    carry: bool,
    partial: Option<u64>,
    /// Runs of skipped bytes walked since open or rewind (what
    /// `skipped()` reports): each run flags the record after it.
    skip_runs: u64,
}

impl UtxLogStream {
    pub fn new(src: Box<dyn ByteSource>, reverse: bool) -> Result<UtxLogStream> {
        let mut s = UtxLogStream {
            src,
            reverse,
            size: 0,
            win: vec![0; 2 * CHUNK],
            win_off: 0,
            win_len: 0,
            pos: 0,
            skipped: false,
            done: false,
            checkpoints: Vec::new(),
            segment: 0,
            frames: Vec::new(),
            carry: false,
            partial: None,
            skip_runs: 0,
        };
        s.rewind()?;
        Ok(s)
    }

    /// `len` (≤ 2 + 197) bytes at `off`, from the cached window, reloaded
    /// to start at `off` when needed. The window holds two chunks, so a
    /// reverse segment (one chunk plus one record) is read once.
    fn fetch(&mut self, off: u64, len: usize) -> Result<&[u8]> {
        let end = off + len as u64;
        if off < self.win_off || end > self.win_off + self.win_len as u64 {
            let start = off;
            let want = (self.size.saturating_sub(start)).min(self.win.len() as u64) as usize;
            let n = self
                .src
                .read_full_at(&mut self.win[..want], start)
                .map_err(|e| Error::io("read", &e))?;
            self.win_off = start;
            self.win_len = n;
            if end > start + n as u64 {
                // The file shrank under us: treat the rest as missing.
                self.size = start + n as u64;
                return Ok(&[]);
            }
        }
        let i = (off - self.win_off) as usize;
        Ok(&self.win[i..i + len])
    }

    /// Note bytes skipped at the walk's position: a new run of them
    /// (not one continuing) is counted.
    fn skip(&mut self, skipped: &mut bool) {
        if !std::mem::replace(skipped, true) {
            self.skip_runs += 1;
        }
    }

    /// Walk from `*pos` to the next record (skipping zero lengths and
    /// records with an unknown type, which mark the next one recovered).
    /// Each run of skipped bytes is counted once per reading: forward
    /// by `next`, reverse by `load_segment` (`index` walks the file
    /// before any entry is read and its count is dropped).
    fn walk(&mut self, pos: &mut u64, skipped: &mut bool) -> Result<Option<Frame>> {
        loop {
            let at = *pos;
            if at >= self.size {
                return Ok(None);
            }
            if self.size - at < 2 {
                return Ok(Some(Frame::Partial { at }));
            }
            let hdr = self.fetch(at, 2)?;
            if hdr.len() < 2 {
                return Ok(None);
            }
            let len = u16::from_be_bytes([hdr[0], hdr[1]]) as usize;
            if len == 0 {
                // getfutxent: ungetc one NUL, so the walk advances one byte.
                *pos += 1;
                self.skip(skipped);
                continue;
            }
            if self.size - at - 2 < len as u64 {
                return Ok(Some(Frame::Partial { at }));
            }
            *pos = at + 2 + len as u64;
            let ty = self.fetch(at + 2, 1)?.first().copied();
            match ty {
                Some(t) if t as usize <= 8 => {
                    let recovered = std::mem::take(skipped);
                    return Ok(Some(Frame::Rec { at, len, recovered }));
                }
                Some(_) => self.skip(skipped),
                None => return Ok(None),
            }
        }
    }

    fn decode(&mut self, frame: Frame, e: &mut Entry) -> Result<()> {
        match frame {
            Frame::Rec { at, len, recovered } => {
                let keep = len.min(FUTX_SIZE);
                let mut rec = [0u8; FUTX_SIZE];
                let bytes = self.fetch(at + 2, keep)?;
                rec[..bytes.len()].copy_from_slice(bytes);
                if !FUTX_197.decode(&rec, at, e) {
                    // Cannot happen: the walk checked the type.
                    e.entry_type = EntryType::Empty;
                }
                e.format = Format::FreebsdUtxLog;
                if recovered {
                    e.flags |= flags::RECOVERED;
                }
            }
            Frame::Partial { at } => {
                e.reset(Format::FreebsdUtxLog, at);
                e.flags = flags::PARTIAL_RECORD;
            }
        }
        Ok(())
    }

    /// Reverse: walk the whole file once, keeping checkpoints.
    fn index(&mut self) -> Result<()> {
        let (mut pos, mut skipped) = (0u64, false);
        self.checkpoints = vec![(0, false)];
        self.partial = None;
        let mut last = 0u64;
        while let Some(f) = self.walk(&mut pos, &mut skipped)? {
            if let Frame::Partial { at } = f {
                self.partial = Some(at);
                break;
            }
            if pos - last >= CHUNK as u64 {
                self.checkpoints.push((pos, skipped));
                last = pos;
            }
        }
        let end = self.partial.unwrap_or(pos.min(self.size));
        if self.checkpoints.last().map(|c| c.0) != Some(end) {
            self.checkpoints.push((end, false));
        }
        self.segment = self.checkpoints.len() - 1;
        self.carry = false;
        Ok(())
    }

    /// Reverse: the frames of the segment before the current one.
    fn load_segment(&mut self) -> Result<bool> {
        if self.segment == 0 {
            return Ok(false);
        }
        self.segment -= 1;
        let (start, mut skipped) = self.checkpoints[self.segment];
        let end = self.checkpoints[self.segment + 1].0;
        let mut pos = start;
        self.frames.clear();
        let saved = self.size;
        self.size = end;
        while let Some(f) = self.walk(&mut pos, &mut skipped)? {
            if let Frame::Rec { .. } = f {
                self.frames.push(f);
            } else {
                break;
            }
        }
        self.size = saved;
        // Newest first, "recovered" belongs to the record read after the
        // skipped bytes: the one before them in the file.
        let mut next = self.carry;
        for f in self.frames.iter_mut().rev() {
            if let Frame::Rec { recovered, .. } = f {
                (*recovered, next) = (next, *recovered);
            }
        }
        self.carry = next;
        Ok(true)
    }
}

impl EntryStream for UtxLogStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        if !self.reverse {
            if self.done {
                return Ok(false);
            }
            let (mut pos, mut skipped) = (self.pos, self.skipped);
            let mut frame = self.walk(&mut pos, &mut skipped)?;
            if frame.is_none() {
                // The file may have grown since the last look.
                self.size = self.src.size().map_err(|e| Error::io("stat", &e))?;
                frame = self.walk(&mut pos, &mut skipped)?;
            }
            (self.pos, self.skipped) = (pos, skipped);
            return match frame {
                Some(f) => {
                    self.done = matches!(f, Frame::Partial { .. });
                    self.decode(f, e)?;
                    Ok(true)
                }
                None => {
                    self.done = true;
                    Ok(false)
                }
            };
        }
        if let Some(at) = self.partial.take() {
            self.decode(Frame::Partial { at }, e)?;
            return Ok(true);
        }
        loop {
            if let Some(f) = self.frames.pop() {
                self.decode(f, e)?;
                return Ok(true);
            }
            if !self.load_segment()? {
                return Ok(false);
            }
        }
    }

    fn rewind(&mut self) -> Result<()> {
        self.size = self.src.size().map_err(|e| Error::io("stat", &e))?;
        self.win_off = 0;
        self.win_len = 0;
        self.pos = 0;
        self.skipped = false;
        self.done = false;
        self.frames.clear();
        if self.reverse {
            self.index()?;
        }
        self.skip_runs = 0;
        Ok(())
    }

    fn skipped(&self) -> u64 {
        self.skip_runs
    }
}

/// Detection: walk `head` (the whole file when `complete`, else its first
/// bytes) as the reader would. It is utx.log when at least one record
/// frames with a known type and a plausible time (2001..2096 in µs), the
/// damage the reader tolerates (zero lengths, over-long or unknown-type
/// records) is rarer than good records, and the walk ends at the end of
/// the data (or in a record cut by it).
pub fn looks_like(head: &[u8], complete: bool) -> bool {
    let (mut pos, mut good, mut bad) = (0usize, 0usize, 0usize);
    while pos + 2 <= head.len() {
        let len = u16::from_be_bytes([head[pos], head[pos + 1]]) as usize;
        if len == 0 {
            // getfutxent skips one byte at a time over zeros: a run of
            // them is one damage, walked at once (other formats' records
            // are mostly zeros, and this runs on every open).
            bad += 1;
            pos = head[pos + 1..]
                .iter()
                .position(|&b| b != 0)
                .map_or(head.len(), |k| pos + k);
            continue;
        }
        if pos + 2 + len > head.len() {
            // Cut by the end of the data (or of the sample).
            break;
        }
        let rec = &head[pos + 2..pos + 2 + len.min(FUTX_SIZE)];
        pos += 2 + len;
        // Every record FreeBSD writes holds at least its type and time.
        let time_ok = rec.len() >= 9 && {
            let us = u64::from_be_bytes(rec[1..9].try_into().expect("8"));
            (1_000_000_000_000_000..4_000_000_000_000_000).contains(&us)
        };
        if len > FUTX_SIZE || rec[0] > 8 || !time_ok {
            bad += 1;
        } else {
            good += 1;
        }
    }
    let ended = !complete || head.len() - pos < 2 + FUTX_SIZE;
    good > 0 && bad <= good && ended
}
