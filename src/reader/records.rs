//! Fixed-size records read in large chunks, forward or backward, over one
//! or more byte ranges of a source (one open-ended range for an event log;
//! the data extents of a sparse lastlog).

use crate::entry::{flags, Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{Kind, RecordLayout};
use crate::reader::{seek, EntryStream};
use crate::source::ByteSource;

/// Bytes per read; rounded down to whole records.
const CHUNK_BYTES: usize = 256 * 1024;

pub struct RecordStream {
    src: Box<dyn ByteSource>,
    layout: &'static RecordLayout,
    /// `layout.size` and whether it is a lastlog, kept here: the
    /// per-record path reads them without going through `layout`.
    size: usize,
    lastlog: bool,
    reverse: bool,
    /// Byte ranges in reading order; `end == u64::MAX` reads to end of data.
    ranges: Vec<(u64, u64)>,
    range: usize,
    buf: Vec<u8>,
    /// File offset of `buf[0]`, and how many bytes of `buf` hold data.
    buf_off: u64,
    buf_len: usize,
    /// Forward: start of the next record in `buf`. Backward: its end.
    pos: usize,
    /// Whether the current range has been read from; then `cursor` is the
    /// next offset to read (forward) or the lowest offset read (backward).
    started: bool,
    cursor: u64,
    /// Offset of a trailing partial record still to be reported.
    partial: Option<u64>,
    partial_reported: bool,
    /// A record was skipped as invalid since the last one returned.
    skipped: bool,
    /// Records skipped as invalid since open or rewind.
    skipped_count: u64,
    /// Reads from the source so far (each at most one chunk).
    chunks_read: u64,
    /// What `tell` says: the boundary between records read and not.
    next_off: u64,
}

impl RecordStream {
    pub fn new(
        src: Box<dyn ByteSource>,
        layout: &'static RecordLayout,
        reverse: bool,
    ) -> Result<RecordStream> {
        let size = layout.size;
        let chunk = (CHUNK_BYTES / size).max(1) * size;
        let mut stream = RecordStream {
            src,
            layout,
            size,
            lastlog: layout.kind == Kind::LastLog,
            reverse,
            ranges: Vec::new(),
            range: 0,
            buf: vec![0; chunk],
            buf_off: 0,
            buf_len: 0,
            pos: 0,
            started: false,
            cursor: 0,
            partial: None,
            partial_reported: false,
            skipped: false,
            skipped_count: 0,
            chunks_read: 0,
            next_off: 0,
        };
        stream.rewind()?;
        Ok(stream)
    }

    fn io_err(&self, e: std::io::Error) -> Error {
        Error::io("read", &e)
    }

    /// Compute the ranges to read, from the source's current size.
    fn plan(&mut self) -> Result<()> {
        let rec = self.layout.size as u64;
        let size = self.src.size().map_err(|e| self.io_err(e))?;
        let whole = size / rec * rec;
        // Forward reading finds the partial tail when it gets there.
        self.partial = (self.reverse && whole != size).then_some(whole);
        self.ranges = match (self.layout.kind, self.reverse) {
            (Kind::Events, false) => vec![(0, u64::MAX)],
            (Kind::Events, true) => vec![(0, whole)],
            (Kind::LastLog, _) => {
                let extents = self
                    .src
                    .data_extents(0, usize::MAX)
                    .map_err(|e| self.io_err(e))?;
                let mut ranges: Vec<(u64, u64)> = Vec::new();
                for (s, e) in extents {
                    let (s, e) = (
                        s / rec * rec,
                        e.div_ceil(rec).saturating_mul(rec).min(whole),
                    );
                    match ranges.last_mut() {
                        Some(last) if s <= last.1 => last.1 = last.1.max(e),
                        _ if s < e => ranges.push((s, e)),
                        _ => {}
                    }
                }
                if self.reverse {
                    ranges.reverse();
                }
                ranges
            }
        };
        Ok(())
    }

    /// Fill the buffer with the next chunk in reading order. Returns false
    /// when every range is done.
    #[cold]
    #[inline(never)]
    fn refill(&mut self) -> Result<bool> {
        let rec = self.layout.size;
        while let Some(&(start, end)) = self.ranges.get(self.range) {
            let (at, len) = if !self.reverse {
                let at = if self.started { self.cursor } else { start };
                (at, end.saturating_sub(at).min(self.buf.len() as u64))
            } else {
                let top = if self.started { self.cursor } else { end };
                let len = top.saturating_sub(start).min(self.buf.len() as u64);
                (top - len, len)
            };
            let n = if len == 0 {
                0
            } else {
                let buf = &mut self.buf[..len as usize];
                self.chunks_read += 1;
                self.src
                    .read_full_at(buf, at)
                    .map_err(|e| Error::io("read", &e))?
            };
            self.started = true;
            self.buf_off = at;
            // Only whole records are used; a file that shrank loses the rest.
            self.buf_len = n / rec * rec;
            if !self.reverse {
                self.pos = 0;
                self.cursor = at + self.buf_len as u64;
                if self.buf_len > 0 {
                    return Ok(true);
                }
                // Fewer bytes than one record: the end of this range.
                if end == u64::MAX {
                    self.partial = (n > 0).then_some(at);
                }
            } else {
                self.pos = self.buf_len;
                self.cursor = at;
                if self.buf_len > 0 {
                    return Ok(true);
                }
                if at > start && len > 0 {
                    continue;
                }
            }
            self.range += 1;
            self.started = false;
        }
        Ok(false)
    }

    /// The next record in reading order as (offset, start index in buf).
    /// Inlined: the per-record path only moves `pos`; refilling is cold.
    #[inline(always)]
    fn next_record(&mut self) -> Result<Option<(u64, usize)>> {
        let rec = self.size;
        loop {
            if !self.reverse {
                if self.pos + rec <= self.buf_len {
                    let i = self.pos;
                    self.pos += rec;
                    let off = self.buf_off + i as u64;
                    self.next_off = off + rec as u64;
                    return Ok(Some((off, i)));
                }
            } else if self.pos >= rec {
                self.pos -= rec;
                self.next_off = self.buf_off + self.pos as u64;
                return Ok(Some((self.next_off, self.pos)));
            }
            if !self.refill()? {
                return Ok(None);
            }
        }
    }

    #[cold]
    fn emit_partial(&mut self, e: &mut Entry) -> bool {
        match self.partial {
            Some(off) if !self.partial_reported => {
                self.partial_reported = true;
                e.reset(self.layout.format, off);
                e.entry_type = EntryType::Empty;
                e.flags = flags::PARTIAL_RECORD;
                true
            }
            _ => false,
        }
    }
}

impl EntryStream for RecordStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        // Newest first: the trailing partial record comes before the rest.
        // (Tested here first: the cold call per record was measurable.)
        if self.reverse
            && self.partial.is_some()
            && !self.partial_reported
            && self.layout.kind == Kind::Events
            && self.emit_partial(e)
        {
            return Ok(true);
        }
        while let Some((off, i)) = self.next_record()? {
            let rec = &self.buf[i..i + self.size];
            if self.lastlog && rec.iter().all(|&b| b == 0) {
                continue;
            }
            if !self.layout.decode(rec, off, e) {
                self.skipped = true;
                self.skipped_count += 1;
                continue;
            }
            // NetBSD and macOS signature records describe the file, not a
            // login: never returned.
            if e.entry_type == EntryType::Signature {
                continue;
            }
            if std::mem::take(&mut self.skipped) {
                e.flags |= flags::RECOVERED;
            }
            return Ok(true);
        }
        Ok(!self.reverse && self.layout.kind == Kind::Events && self.emit_partial(e))
    }

    fn seek_time(&mut self, sec: i64) -> Result<bool> {
        if self.layout.kind != Kind::Events {
            return Ok(false);
        }
        self.rewind()?;
        let reverse = self.reverse;
        // Forward: the first record with t >= sec. Reverse: the last one
        // with t <= sec, that is, just before the first with t > sec.
        let pred = move |t: i64| if reverse { t > sec } else { t >= sec };
        let found = seek::first_where(self, &pred, reverse)?;
        let at = found.index * self.layout.size as u64;
        self.range = 0;
        self.started = true;
        self.cursor = at;
        self.next_off = at;
        self.buf_len = 0;
        self.pos = 0;
        // A trailing partial record has no time; it is past any seek.
        self.partial_reported = reverse;
        Ok(true)
    }

    fn chunks_read(&self) -> u64 {
        self.chunks_read
    }

    fn skipped(&self) -> u64 {
        self.skipped_count
    }

    fn release(&mut self) {
        self.src.release();
    }

    fn size(&self) -> u64 {
        self.src.size().unwrap_or(0)
    }

    fn tell(&self) -> Option<u64> {
        Some(self.next_off)
    }

    fn seek_offset(&mut self, offset: u64) -> Result<()> {
        let rec = self.layout.size as u64;
        let size = self.src.size().map_err(|e| self.io_err(e))?;
        let whole = size / rec * rec;
        let off = if offset == u64::MAX { whole } else { offset };
        if off % rec != 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("offset {off} is not a multiple of the {rec}-byte record size"),
            ));
        }
        if off > whole {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("offset {off} is past the last whole record (at {whole} of {size} bytes)"),
            ));
        }
        self.rewind()?;
        // Keep only what lies after (forward) or before (backward) `off`.
        if self.reverse {
            self.ranges.retain(|r| r.0 < off);
            for r in &mut self.ranges {
                r.1 = r.1.min(off);
            }
            // A trailing partial record lies past any offset but the end.
            self.partial_reported = off < whole;
        } else {
            self.ranges.retain(|r| r.1 > off);
            if let Some(first) = self.ranges.first_mut() {
                first.0 = first.0.max(off);
            }
        }
        self.next_off = off;
        Ok(())
    }

    fn rewind(&mut self) -> Result<()> {
        self.plan()?;
        self.next_off = if self.reverse {
            self.src.size().map_err(|e| self.io_err(e))? / self.layout.size as u64
                * self.layout.size as u64
        } else {
            0
        };
        self.range = 0;
        self.buf_off = 0;
        self.buf_len = 0;
        self.pos = 0;
        self.started = false;
        self.cursor = 0;
        self.partial_reported = false;
        self.skipped = false;
        self.skipped_count = 0;
        Ok(())
    }
}

impl seek::TimeProbe for RecordStream {
    fn records(&self) -> u64 {
        // Only event logs bisect; their plan is one range from 0.
        let rec = self.layout.size as u64;
        match self.ranges.first() {
            Some(&(_, end)) if end != u64::MAX => end / rec,
            _ => self.src.size().unwrap_or(0) / rec,
        }
    }

    fn per_chunk(&self) -> u64 {
        (self.buf.len() / self.layout.size) as u64
    }

    fn chunk_times(&mut self, c: u64, out: &mut Vec<Option<i64>>) -> Result<()> {
        let rec = self.layout.size;
        let k = self.per_chunk();
        let n = self.records();
        let first = c * k;
        let count = k.min(n.saturating_sub(first)) as usize;
        let buf = &mut self.buf[..count * rec];
        self.chunks_read += 1;
        let got = self
            .src
            .read_full_at(buf, first * rec as u64)
            .map_err(|e| Error::io("read", &e))?;
        // The records `next` never returns (corrupt ones, signatures)
        // have no time for bisection.
        let mut e = Entry::default();
        for (i, r) in buf[..got / rec * rec].chunks_exact(rec).enumerate() {
            let off = (first + i as u64) * rec as u64;
            let shown = self.layout.decode_as(r, off, &mut e, false)
                && e.entry_type != EntryType::Signature;
            out.push(shown.then_some(e.sec));
        }
        Ok(())
    }
}
