//! Detect a file's format from its content (FORMATS.md §13): text and
//! database magic first, then signature records, then FreeBSD utx.log
//! framing, then a judgement of sampled records for every fixed-size
//! layout the size and the first bytes allow.
//!
//! Detection says "no" unless a layout shows positive evidence: plausible
//! types and times in several records, NUL-padded printable strings, zero
//! padding. Layouts never seen in a real file (the `confirmed` column of
//! `FORMATS`) need more of it. Text, and bytes with almost no NUL (every
//! login record is mostly NUL-padded strings), are never records.
//!
//! The work is bounded whatever the content: at most two 64 KiB blocks
//! (the ends of the file) and a few 16 KiB blocks at the first data
//! extents of a sparse file are read, one `pread` each; a fixed number of
//! non-zero records is judged per layout; a layout stops at its first bad
//! record; and the first confirmed layout whose every sampled record is
//! strong ends the search.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::entry::{Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{Int, Kind, RecordLayout};
use crate::format::{lastlogx, macos, netbsd, utmpdump_text, utx_log, Format};
use crate::source::memory::MemorySource;
use crate::source::ByteSource;

/// Bytes read at each end of the file.
const BLOCK: u64 = 64 * 1024;
/// Bytes read at each further data extent of a sparse file, and how many
/// extents are looked at.
const EXTENT_BLOCK: u64 = 16 * 1024;
const MAX_EXTENTS: usize = 8;
/// Non-zero records judged from the front (head block, extents) and from
/// the back (tail block) of the file.
const SAMPLE_FRONT: usize = 12;
const SAMPLE_BACK: usize = 12;
/// This many strong records and nothing else: clearly ahead, stop.
const CLEAR_LEAD: usize = 8;
/// 1980-01-01: earlier times are "small" (a clock without a battery).
const EARLIEST: i64 = 315_532_800;
/// 2100-01-01: later times are never real.
const LATEST: i64 = 4_102_444_800;

/// The format of an empty file: this host's own utmp layout.
pub fn native_format() -> Format {
    let big = cfg!(target_endian = "big");
    let wide = cfg!(any(
        target_arch = "aarch64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    ));
    match (wide, big) {
        (false, false) => Format::Glibc384Le,
        (false, true) => Format::Glibc384Be,
        (true, false) => Format::Glibc400Le,
        (true, true) => Format::Glibc400Be,
    }
}

fn refuse(why: &str) -> Error {
    Error::new(
        ErrorKind::NotRecognised,
        format!("not a recognised format ({why})"),
    )
}

/// Choose the format of `src`.
pub fn detect(src: &dyn ByteSource) -> Result<Format> {
    let size = src.size().map_err(|e| Error::io("stat", &e))?;
    if size == 0 {
        // Empty, or a file that does not report its size (procfs, sysfs):
        // what a read returns decides.
        let head = read_block(src, 0, BLOCK).map_err(|e| Error::io("read", &e))?;
        if head.is_empty() {
            return Ok(native_format());
        }
        return detect(&MemorySource::new(head));
    }
    let sample = Sample::read(src, size).map_err(|e| Error::io("read", &e))?;
    let head = &sample.blocks[0].1[..sample.blocks[0].1.len().min(4096)];
    if utmpdump_text::looks_like(head) {
        return Ok(Format::UtmpdumpText);
    }
    if lastlogx::looks_like(head) {
        return Ok(Format::NetbsdLastlogx);
    }
    let signed = signature(head)?;
    if signed.is_none() && utx_log::looks_like(head, head.len() as u64 == size) {
        return Ok(Format::FreebsdUtxLog);
    }
    if let Some(why) = not_records(head) {
        return Err(refuse(why));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let candidates: Vec<(&'static RecordLayout, bool)> = crate::format::FORMATS
        .iter()
        .filter_map(|r| match r.decoder {
            crate::format::Decoder::Records(l) => Some((l, r.confirmed)),
            _ => None,
        })
        .filter(|(l, _)| signed.is_none_or(|c| c.contains(&l.format)))
        .filter(|(l, _)| size >= l.size as u64)
        .collect();
    if sample.all_zero() {
        return zeros(size, signed);
    }
    // The record sizes that divide the file size: when only one does, a
    // layout of that size may show small (1970) times.
    let dividing = |n: usize| size % n as u64 == 0;
    let unique_size = {
        let mut sizes = candidates
            .iter()
            .map(|(l, _)| l.size)
            .filter(|&n| dividing(n));
        let first = sizes.next();
        first.filter(|&f| sizes.all(|n| n == f))
    };
    let mut best: Option<(Key, Format)> = None;
    for &(layout, confirmed) in &candidates {
        // A layout that is not a whole number of records cannot outrank
        // one with no bad record that is (see `Key`): not judged.
        if best.is_some_and(|(b, _)| b.0 && b.1) && !dividing(layout.size) {
            continue;
        }
        let ctx = Ctx {
            now,
            small_times_ok: unique_size == Some(layout.size),
        };
        let tally = sample.judge(layout, &ctx);
        let Some(key) = tally.accepted(confirmed, dividing(layout.size)) else {
            continue;
        };
        if confirmed && tally.clearly_ahead() && dividing(layout.size) {
            return Ok(layout.format);
        }
        if best.is_none_or(|(b, _)| key > b) {
            best = Some((key, layout.format));
        }
    }
    best.map(|(_, f)| f)
        .ok_or_else(|| refuse("no known record layout fits the content"))
}

/// A file whose sampled bytes are all zero: EMPTY slots, read in this
/// host's layout when the size allows, else in the first Linux event
/// layout it fits (or the one a signature named); otherwise refused.
fn zeros(size: u64, signed: Option<&'static [Format]>) -> Result<Format> {
    if let Some(first) = signed.and_then(|c| c.first()) {
        return Ok(*first);
    }
    let native = native_format();
    let linux = crate::format::layouts().map(|l| l.format).filter(|f| {
        f.family() == crate::format::Family::Linux
            && f.layout().is_some_and(|l| l.kind == Kind::Events)
    });
    std::iter::once(native)
        .chain(linux)
        .find(|f| f.layout().is_some_and(|l| size % l.size as u64 == 0))
        .ok_or_else(|| refuse("only zero bytes, in no size of this host's records"))
}

/// Why `head` cannot be fixed-size login records, if it cannot: text
/// (mostly printable with newlines: utmpdump text was tried already),
/// well-known file magic, or almost no NUL bytes (every login record is
/// mostly NUL-padded strings and zero fields).
fn not_records(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[&[u8]] = &[
        b"\x7fELF",
        b"\x1f\x8b",
        b"BZh",
        b"\xfd7zXZ\x00",
        b"\x28\xb5\x2f\xfd",
        b"PK\x03\x04",
        b"\x89PNG",
        b"%PDF-",
        b"!<arch>\n",
        b"SQLite format 3\x00",
    ];
    if MAGIC.iter().any(|m| head.starts_with(m)) {
        return Some("the file starts with another file type's magic");
    }
    // The first 512 bytes tell (and this runs on every open).
    let head = &head[..head.len().min(512)];
    let (mut nul, mut text, mut newline) = (0, 0, false);
    for &b in head {
        nul += (b == 0) as usize;
        text += (b >= 0x20 && b != 0x7f || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) as usize;
        newline |= b == b'\n';
    }
    if newline && text * 10 >= head.len() * 9 && nul * 100 < head.len() {
        return Some("text, not binary records");
    }
    if nul * 50 < head.len() {
        return Some("too few zero bytes for login records");
    }
    None
}

/// Signature records (FORMATS.md §13.2) narrow the candidates to one
/// family: macOS `utmpx-1.00` with type 10 at 296, NetBSD `utmpx-2.00`
/// with type 10 at 326. A NetBSD version-1 signature is refused: that
/// layout is not confirmed.
fn signature(head: &[u8]) -> Result<Option<&'static [Format]>> {
    let type_is_10 = |at: usize| {
        head.len() >= at + 2 && (head[at..at + 2] == [10, 0] || head[at..at + 2] == [0, 10])
    };
    let le = |at: usize| head.get(at) == Some(&10);
    if head.starts_with(macos::SIGNATURE) && type_is_10(296) {
        return Ok(Some(if le(296) {
            &[Format::MacosUtmpx628Le]
        } else {
            &[Format::MacosUtmpx628Be]
        }));
    }
    if head.starts_with(netbsd::SIGNATURE_PREFIX) && type_is_10(326) {
        return match head.get(6) {
            Some(b'2') if le(326) => Ok(Some(&[Format::NetbsdUtmpx520Le, Format::NetbsdUtmpx516Le])),
            Some(b'2') => Ok(Some(&[Format::NetbsdUtmpx520Be])),
            _ => Err(Error::new(
                ErrorKind::Unsupported,
                "NetBSD utmpx version 1 (before NetBSD 5): its record layout is not confirmed, so it is not read",
            )),
        };
    }
    Ok(None)
}

/// Read up to `len` bytes at `at`.
fn read_block(src: &dyn ByteSource, at: u64, len: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len as usize];
    let n = src.read_full_at(&mut buf, at)?;
    buf.truncate(n);
    Ok(buf)
}

/// The bytes detection looks at: the head, the first data extents after
/// it (a sparse lastlog), and the tail, in file order, not overlapping.
struct Sample {
    blocks: Vec<(u64, Vec<u8>)>,
}

impl Sample {
    fn read(src: &dyn ByteSource, size: u64) -> std::io::Result<Sample> {
        let head = read_block(src, 0, size.min(BLOCK))?;
        let head_end = head.len() as u64;
        let tail_at = size.saturating_sub(BLOCK).max(head_end);
        let mut blocks = vec![(0, head)];
        if tail_at > head_end {
            for (start, end) in src.data_extents(head_end, MAX_EXTENTS)? {
                let end = end.min(tail_at).min(start.saturating_add(EXTENT_BLOCK));
                if start >= head_end && start < end {
                    blocks.push((start, read_block(src, start, end - start)?));
                }
            }
        }
        if size > tail_at {
            blocks.push((tail_at, read_block(src, tail_at, size - tail_at)?));
        }
        Ok(Sample { blocks })
    }

    fn all_zero(&self) -> bool {
        self.blocks.iter().all(|(_, b)| all_zero(b))
    }

    /// The records of size `rec` wholly inside block `b`, as (index, bytes).
    fn records(&self, b: usize, rec: usize) -> impl DoubleEndedIterator<Item = (u64, &[u8])> {
        let (at, bytes) = &self.blocks[b];
        let rec64 = rec as u64;
        let first = at.div_ceil(rec64);
        let last = (at + bytes.len() as u64) / rec64;
        (first..last).map(move |i| {
            let from = (i * rec64 - at) as usize;
            (i, &bytes[from..from + rec])
        })
    }

    /// Judge up to `SAMPLE_FRONT` non-zero records from the front and
    /// `SAMPLE_BACK` from the back of the file. Judging stops at a bad
    /// first record (a layout that fits has none there, and rarely any),
    /// at too many bad ones, and once `CLEAR_LEAD` front records are
    /// strong with a known type (enough evidence).
    fn judge(&self, layout: &RecordLayout, ctx: &Ctx) -> Tally {
        let mut t = Tally::default();
        let nonzero = |r: &(u64, &[u8])| !all_zero(r.1);
        let back = self.blocks.len() - 1;
        let mut front_last = None;
        let front = (0..self.blocks.len())
            .filter(|&b| b < back || back == 0)
            .flat_map(|b| self.records(b, layout.size))
            .filter(nonzero)
            .take(SAMPLE_FRONT);
        for (i, rec) in front {
            front_last = Some(i);
            if !t.add(judge(layout, rec, ctx)) || t.known == CLEAR_LEAD {
                return t;
            }
        }
        // One block is the whole file: every non-zero record was judged
        // unless the sample was full.
        t.complete = back == 0 && t.sampled < SAMPLE_FRONT;
        if back > 0 {
            let tail = self
                .records(back, layout.size)
                .rev()
                .take_while(|(i, _)| front_last.is_none_or(|f| *i > f))
                .filter(nonzero)
                .take(SAMPLE_BACK);
            for (_, rec) in tail {
                if !t.add(judge(layout, rec, ctx)) {
                    return t;
                }
            }
        }
        t
    }
}

/// What judging a record needs besides the record.
struct Ctx {
    now: i64,
    /// The layout's record size is the only one dividing the file size:
    /// small (1970s) times are a clock without a battery, not damage.
    small_times_ok: bool,
}

/// How one record fits a layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Contradicts the layout: junk after a string's NUL, control bytes,
    /// non-zero padding, impossible time or microseconds.
    Bad,
    /// Consistent, but no evidence for the layout.
    Weak,
    /// Consistent with some evidence (a known type, or text and a
    /// plausible time).
    Good,
    /// Strong but for a type number outside the format's range (util-linux
    /// writes any number): evidence for the layout, not for its byte order.
    StrongUnknown,
    /// A known type (or, without a type field, text), a plausible time,
    /// strings that are only text and NUL padding.
    Strong,
}

/// Verdicts of a layout's sampled records.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    sampled: usize,
    /// Strong records, and those of them with a known type.
    strong: usize,
    known: usize,
    good: usize,
    bad: usize,
    first: Option<Verdict>,
    /// Earliest and latest time of the strong records.
    span: Option<(i64, i64)>,
    /// Every non-zero record of the file was judged.
    complete: bool,
}

/// Larger is better: no bad record, a whole number of records, the share
/// of strong records with a known type, of strong and of good records, a
/// confirmed layout, more evidence, and times close together (the right
/// byte order).
type Key = (bool, bool, usize, usize, usize, bool, usize, i64);

impl Tally {
    /// Count a verdict; false when judging can stop (a bad first record).
    fn add(&mut self, v: (Verdict, i64)) -> bool {
        let (v, sec) = v;
        self.sampled += 1;
        self.first.get_or_insert(v);
        match v {
            Verdict::Bad => self.bad += 1,
            Verdict::Weak => {}
            Verdict::Good => self.good += 1,
            Verdict::StrongUnknown => {
                self.good += 1;
                self.strong += 1;
            }
            Verdict::Strong => {
                self.good += 1;
                self.strong += 1;
                self.known += 1;
                let (lo, hi) = self.span.unwrap_or((sec, sec));
                self.span = Some((lo.min(sec), hi.max(sec)));
            }
        }
        self.first != Some(Verdict::Bad) && self.bad * 4 <= self.sampled.max(4)
    }

    /// The ranking key when the layout has enough positive evidence:
    /// no bad first record, at most a quarter of bad records, at least
    /// half good (two thirds for a layout never seen in a real file), and
    /// several strong ones (two of three or more, one of fewer; three, or
    /// every one when fewer were sampled, for a layout not confirmed).
    fn accepted(&self, confirmed: bool, whole: bool) -> Option<Key> {
        let n = self.sampled;
        let need_strong = match (confirmed, n) {
            (true, 0..=2) => 1,
            (true, _) => 2,
            (false, _) => n.min(3),
        };
        let good_ok = if confirmed {
            self.good * 2 >= n
        } else {
            self.good * 3 >= n * 2
        };
        let ok = n > 0
            && self.first != Some(Verdict::Bad)
            && self.bad * 4 <= n
            && good_ok
            && self.strong >= need_strong
            && (confirmed || self.known >= need_strong);
        ok.then(|| {
            let spread = self.span.map_or(0, |(lo, hi)| hi.saturating_sub(lo));
            (
                self.bad == 0,
                whole,
                self.known * 1000 / n,
                self.strong * 1000 / n,
                self.good * 1000 / n,
                confirmed,
                self.strong,
                -spread,
            )
        })
    }

    /// Enough records sampled (or every record of a small file, two at
    /// least), none bad, three in four strong with a known type: no other
    /// layout can do better (a wrong byte order or record size does not
    /// get a single one).
    fn clearly_ahead(&self) -> bool {
        let enough = self.sampled >= CLEAR_LEAD || self.complete && self.sampled >= 2;
        enough && self.bad == 0 && self.known * 4 >= self.sampled * 3
    }
}

/// How `rec` fits `layout`, and its time in seconds.
fn judge(layout: &RecordLayout, rec: &[u8], ctx: &Ctx) -> (Verdict, i64) {
    let (sec, usec) = layout.time(rec);
    (judge_at(layout, rec, ctx, sec, usec), sec)
}

fn judge_at(layout: &RecordLayout, rec: &[u8], ctx: &Ctx, sec: i64, usec: i64) -> Verdict {
    // Writers leave stale bytes after a string's NUL (agetty's line,
    // login's uninitialised lastlog host), and some put control bytes in
    // the text; a field with both is not a string. A non-empty printable
    // string padded with NULs alone is the evidence.
    let (mut text, mut stale) = (false, false);
    for (o, n) in [layout.user, layout.line, layout.host]
        .into_iter()
        .flatten()
    {
        let field = &rec[o..o + n];
        let len = crate::entry::memchr0(field);
        let (clean, padded) = (printable(&field[..len]), all_zero(&field[len..]));
        if !clean && !padded {
            return Verdict::Bad;
        }
        // A field with no NUL at all (full width) is no evidence: text
        // read as records is all full-width fields.
        text |= len > 0 && len < n && clean && padded;
        stale |= !clean || !padded;
    }
    if !layout
        .padding
        .iter()
        .all(|&(o, n)| all_zero(&rec[o..o + n]))
    {
        return Verdict::Bad;
    }
    let has_usec = match layout.time {
        crate::format::layout::Time::SecUsec(_, u) => u != Int::Absent,
        crate::format::layout::Time::Micros(_) => true,
    };
    if has_usec && !(0..1_000_000).contains(&usec) || !(0..=LATEST).contains(&sec) {
        return Verdict::Bad;
    }
    // A plausible time; a 32-bit time read in the wrong byte order often
    // has its low 16 bits zero.
    let time_ok = sec >= EARLIEST && sec <= ctx.now + 366 * 86400 && sec % 65536 != 0
        || ctx.small_times_ok && sec > 0 && sec < EARLIEST;
    if layout.raw_type == Int::Absent {
        // No type field: a used record always has a time.
        return match (sec > 0, time_ok, text) {
            (false, _, _) => Verdict::Bad,
            (true, true, true) if !stale => Verdict::Strong,
            (true, true, true) => Verdict::Good,
            _ => Verdict::Weak,
        };
    }
    // A type out of range in an otherwise sound record (which the
    // decoder skips or calls UNKNOWN) is no evidence either way.
    let Some(t) = decoded_type(layout, rec) else {
        return Verdict::Weak;
    };
    match t {
        // An EMPTY slot holding data is another layout's bytes, often.
        EntryType::Empty => Verdict::Weak,
        EntryType::Unknown if time_ok && text && !stale => Verdict::StrongUnknown,
        EntryType::Unknown if time_ok && text => Verdict::Good,
        EntryType::Unknown => Verdict::Weak,
        _ if time_ok && !stale => Verdict::Strong,
        _ => Verdict::Good,
    }
}

/// The text of a string field (up to its NUL) has no control bytes.
pub fn printable_text(field: &[u8]) -> bool {
    printable(&field[..crate::entry::memchr0(field)])
}

/// Text as login records hold it: no control bytes.
fn printable(text: &[u8]) -> bool {
    text.iter().all(|&b| b >= 0x20 && b != 0x7f || b == b'\t')
}

/// The type the decoder gives `rec` (`None`: invalid, skipped as
/// corrupt). The address is not decoded.
fn decoded_type(layout: &RecordLayout, rec: &[u8]) -> Option<EntryType> {
    thread_local!(static SCRATCH: std::cell::RefCell<Entry> = Default::default());
    let decode = |e: &mut Entry| layout.decode_as(rec, 0, e, false).then_some(e.entry_type);
    SCRATCH
        .try_with(|s| s.try_borrow_mut().ok().map(|mut e| decode(&mut e)))
        .ok()
        .flatten()
        .unwrap_or_else(|| decode(&mut Entry::default()))
}

/// Whether every byte is zero, a word at a time.
pub fn all_zero(bytes: &[u8]) -> bool {
    let words = bytes.chunks_exact(8);
    words.remainder().iter().all(|&b| b == 0)
        && words
            .into_iter()
            .all(|w| u64::from_ne_bytes(w.try_into().expect("8 bytes")) == 0)
}
