//! Detect a file's format from its content (FORMATS.md §13): text and
//! database magic first, then signature records, then FreeBSD utx.log
//! framing, then a score over sampled records for every fixed-size layout
//! in both byte orders. Size alone decides nothing; all-zero records
//! count for no layout.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::entry::{flags, Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{Int, Kind, RecordLayout};
use crate::format::{lastlogx, macos, netbsd, utmpdump_text, utx_log, Format};
use crate::source::ByteSource;

/// Records sampled from each end of the file.
const SAMPLE_RECORDS: u64 = 64;
/// Non-zero records sampled from a sparse (lastlog-like) file.
const SAMPLE_SPARSE: usize = 64;
/// 1980-01-01: the earliest time a record without a type field may hold.
const EARLIEST_TYPELESS: i64 = 315_532_800;
/// A record scoring at least this fits its layout.
const GOOD_SCORE: u32 = 80;

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

/// Choose the format of `src`.
pub fn detect(src: &dyn ByteSource) -> Result<Format> {
    let size = src.size().map_err(|e| Error::io("stat", &e))?;
    if size == 0 {
        return Ok(native_format());
    }
    let mut head = vec![0u8; 4096.min(size as usize)];
    let n = src
        .read_full_at(&mut head, 0)
        .map_err(|e| Error::io("read", &e))?;
    head.truncate(n);
    if utmpdump_text::looks_like(&head) {
        return Ok(Format::UtmpdumpText);
    }
    if lastlogx::looks_like(&head) {
        return Ok(Format::NetbsdLastlogx);
    }
    let candidates = match signature(&head)? {
        Some(c) => c,
        None if utx_log::looks_like(&head, head.len() as u64 == size) => {
            return Ok(Format::FreebsdUtxLog);
        }
        None => &[],
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut best: Option<(Candidate, Format)> = None;
    let mut any_data = false;
    for layout in crate::format::layouts() {
        if !candidates.is_empty() && !candidates.contains(&layout.format) {
            continue;
        }
        let cand = match layout.kind {
            Kind::Events => score_events(src, layout, size, now),
            Kind::LastLog => score_lastlog(src, layout, size, now),
        }
        .map_err(|e| Error::io("read", &e))?;
        any_data |= cand.sampled > 0;
        if let Some(c) = cand.accepted() {
            if best.as_ref().is_none_or(|(b, _)| c.better_than(b)) {
                best = Some((c, layout.format));
            }
        }
    }
    if best.is_none() && !any_data {
        // Only zero bytes where records were sampled: a file of EMPTY
        // slots, read in this host's layout when the size allows.
        // Else the first Linux event layout the size fits.
        let native = native_format();
        let linux = crate::format::layouts().map(|l| l.format).filter(|f| {
            f.family() == crate::format::Family::Linux
                && f.layout().is_some_and(|l| l.kind == Kind::Events)
        });
        let fits = std::iter::once(native)
            .chain(linux)
            .find(|f| f.layout().is_some_and(|l| size % l.size as u64 == 0));
        if let (Some(f), true) = (fits, candidates.is_empty()) {
            return Ok(f);
        }
        if let Some(first) = candidates.first() {
            return Ok(*first);
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        Error::new(
            ErrorKind::NotRecognised,
            "not a recognised format (no known record layout fits the content)",
        )
    })
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

/// Counts of sampled records for one layout.
#[derive(Debug, Clone, Copy)]
struct Tally {
    good: u64,
    sampled: u64,
    /// Sum of the good records' scores.
    total: u64,
    /// Earliest and latest time of the good records.
    span: (i64, i64),
    whole: bool,
}

impl Tally {
    /// A layout is a candidate when at least a quarter of the sampled
    /// records (and at least one) fit it.
    fn accepted(&self) -> Option<Candidate> {
        if self.good == 0 || self.good * 4 < self.sampled {
            return None;
        }
        Some(Candidate {
            good_permille: (self.good * 1000 / self.sampled) as u32,
            good: self.good,
            whole: self.whole,
            mean: (self.total / self.good) as u32,
            spread: self.span.1.saturating_sub(self.span.0),
        })
    }
}

/// How well a layout fits a file.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Share of sampled records that fit, in per mille.
    good_permille: u32,
    /// How many sampled records fit (more evidence wins a tie).
    good: u64,
    /// The size is a whole number of records.
    whole: bool,
    /// Mean score of the records that fit.
    mean: u32,
    /// Time between the earliest and latest good record: the right byte
    /// order keeps a file's times close together.
    spread: i64,
}

impl Candidate {
    fn better_than(&self, other: &Candidate) -> bool {
        let key = |c: &Candidate| (c.good_permille, c.whole, c.good, c.mean, -c.spread);
        key(self) > key(other)
    }
}

/// Score with the time judged against today, not just the 2100 bound
/// the entry flag uses, so byte-swapped times lose. A layout without a
/// type field has only its time to go by: an implausible one disqualifies.
fn record_score(layout: &RecordLayout, rec: &[u8], now: i64) -> u32 {
    let mut base = layout_score(layout, rec);
    if base == 0 {
        return 0;
    }
    // FreeBSD's fu_id is opaque, often random binary: it must not cost
    // the record its string points.
    if layout.format.family() == crate::format::Family::FreeBsd {
        let ok =
            |f: Option<(usize, usize)>| f.is_none_or(|(o, n)| plausible_string(&rec[o..o + n]));
        let id_only = !ok(layout.id) && ok(layout.user) && ok(layout.line) && ok(layout.host);
        if id_only {
            base += 25;
        }
    }
    let (sec, usec) = layout.time(rec);
    // Byte-swapped 32-bit times often land in the 1970s; no typeless
    // format's writer predates 1980.
    let plausible =
        sec >= EARLIEST_TYPELESS && sec <= now + 366 * 86400 && (0..1_000_000).contains(&usec);
    if layout.raw_type == Int::Absent && !plausible {
        return 0;
    }
    let mut score = if sec > now + 366 * 86400 {
        base.saturating_sub(20)
    } else {
        base
    };
    // A typed layout that calls a record with data in it EMPTY is likely
    // reading another layout's strings where its type field should be.
    if layout.raw_type != Int::Absent && layout.int(rec, layout.raw_type) == Some(0) {
        score = score.saturating_sub(15);
    }
    score
}

fn score_events(
    src: &dyn ByteSource,
    layout: &RecordLayout,
    size: u64,
    now: i64,
) -> std::io::Result<Tally> {
    let rec = layout.size as u64;
    let count = size / rec;
    // The first records and the last ones.
    let mut indexes: Vec<u64> = (0..count.min(SAMPLE_RECORDS)).collect();
    let tail_from = count
        .saturating_sub(SAMPLE_RECORDS)
        .max(indexes.len() as u64);
    indexes.extend(tail_from..count);
    let mut buf = vec![0u8; layout.size];
    let (mut good, mut total, mut sampled) = (0u64, 0u64, 0u64);
    let mut span = (i64::MAX, i64::MIN);
    for i in indexes {
        if src.read_full_at(&mut buf, i * rec)? < layout.size {
            break;
        }
        if all_zero(&buf) {
            continue;
        }
        let mut s = record_score(layout, &buf, now);
        // Bytes that decode to an empty record are what a misaligned
        // layout sees in a mostly-zero file: weak evidence at best.
        if looks_empty(layout, &buf) {
            s = s.min(GOOD_SCORE / 2);
        }
        sampled += 1;
        if s >= GOOD_SCORE {
            good += 1;
            total += s as u64;
            let t = layout.time(&buf).0;
            span = (span.0.min(t), span.1.max(t));
        }
    }
    Ok(Tally {
        good,
        sampled,
        total,
        span,
        whole: size % rec == 0,
    })
}

/// Decodes as an EMPTY record with no strings.
fn looks_empty(layout: &RecordLayout, rec: &[u8]) -> bool {
    decodes_empty(layout, rec)
}

fn score_lastlog(
    src: &dyn ByteSource,
    layout: &RecordLayout,
    size: u64,
    now: i64,
) -> std::io::Result<Tally> {
    let rec = layout.size as u64;
    let mut buf = vec![0u8; layout.size];
    let (mut good, mut total, mut sampled) = (0u64, 0u64, 0u64);
    let mut span = (i64::MAX, i64::MIN);
    'extents: for (start, end) in src.data_extents(0)? {
        let mut i = start / rec;
        while i * rec < end && (i + 1) * rec <= size {
            if src.read_full_at(&mut buf, i * rec)? < layout.size {
                break 'extents;
            }
            i += 1;
            if all_zero(&buf) {
                continue;
            }
            let (sec, _) = layout.time(&buf);
            // A used lastlog slot always has a login time.
            let s = if sec <= 0 {
                0
            } else {
                record_score(layout, &buf, now)
            };
            sampled += 1;
            if s >= GOOD_SCORE {
                good += 1;
                total += s as u64;
                span = (span.0.min(sec), span.1.max(sec));
            }
            if sampled as usize >= SAMPLE_SPARSE {
                break 'extents;
            }
        }
    }
    Ok(Tally {
        good,
        sampled,
        total,
        span,
        whole: size % rec == 0,
    })
}

/// Decode (without the address) into this thread's scratch entry and
/// look at it with `f`; `None` for an invalid record. Detection
/// decodes thousands of records per open, each twice (score, then the
/// empty test): a fresh entry each time (buffers allocated, grown and
/// freed) was most of its cost, and the second decode of the same
/// bytes is skipped.
fn with_scratch<T>(layout: &RecordLayout, rec: &[u8], f: impl FnOnce(&Entry) -> T) -> Option<T> {
    thread_local!(static SCRATCH: std::cell::RefCell<Scratch> = Default::default());
    let mut f = Some(f);
    let from_scratch = SCRATCH
        .try_with(|s| {
            let mut s = s.try_borrow_mut().ok()?;
            let s = &mut *s;
            // Only a static layout's result is reused: a temporary
            // one could have been at the same address.
            let at: *const RecordLayout = layout;
            let again = s.layout == at
                && s.rec == rec
                && crate::format::layouts().any(|l| std::ptr::eq(l, layout));
            if !again {
                s.layout = at;
                s.rec.clear();
                s.rec.extend_from_slice(rec);
                s.valid = layout.decode_as(rec, 0, &mut s.entry, false);
            }
            let f = f.take()?;
            Some(s.valid.then(|| f(&s.entry)))
        })
        .ok()
        .flatten();
    // The scratch entry was busy (re-entered) or gone (thread exiting).
    from_scratch.unwrap_or_else(|| {
        let mut e = Entry::default();
        let f = f.take()?;
        layout.decode_as(rec, 0, &mut e, false).then(|| f(&e))
    })
}

/// Whether `rec` decodes as an EMPTY record with no user, line or host:
/// what a misaligned layout sees in a mostly-zero file (detection).
fn decodes_empty(layout: &RecordLayout, rec: &[u8]) -> bool {
    with_scratch(layout, rec, |e| {
        e.entry_type == EntryType::Empty
            && e.user.is_empty()
            && e.line.is_empty()
            && e.host.is_empty()
    })
    .unwrap_or(false)
}

/// How well `rec` fits this layout, 0 (not at all) to 100. Used by
/// detection, never by decoding.
fn layout_score(layout: &RecordLayout, rec: &[u8]) -> u32 {
    let scored = |e: &Entry| Scored {
        entry_type: e.entry_type,
        flags: e.flags,
    };
    let Some(e) = with_scratch(layout, rec, scored) else {
        return 0;
    };
    let mut score = 40;
    if layout
        .padding
        .iter()
        .all(|&(o, n)| all_zero(&rec[o..o + n]))
    {
        score += 15;
    }
    let strings_ok = [layout.user, layout.line, layout.id, layout.host]
        .iter()
        .flatten()
        .all(|&(o, n)| plausible_string(&rec[o..o + n]));
    if strings_ok {
        score += 25;
    }
    let (sec, usec) = layout.time(rec);
    let empty = e.entry_type == EntryType::Empty && sec == 0 && usec == 0;
    if empty || e.flags & flags::TIME_IMPLAUSIBLE == 0 {
        score += 20;
    }
    score
}

/// A thread's detection scratch: an entry and what was last decoded into
/// it.
struct Scratch {
    entry: Entry,
    layout: *const RecordLayout,
    rec: Vec<u8>,
    valid: bool,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            entry: Entry::default(),
            layout: std::ptr::null(),
            rec: Vec::new(),
            valid: false,
        }
    }
}

/// What scoring needs of a decoded record.
struct Scored {
    entry_type: EntryType,
    flags: u32,
}

/// Printable text followed only by NUL padding.
pub fn plausible_string(field: &[u8]) -> bool {
    let n = crate::entry::memchr0(field);
    all_zero(&field[n..])
        && field[..n]
            .iter()
            .all(|&b| b >= 0x20 && b != 0x7f || b == b'\t')
}

/// Whether every byte is zero, a word at a time (detection checks the
/// padding and the 256-byte host of every sampled record).
pub fn all_zero(bytes: &[u8]) -> bool {
    let words = bytes.chunks_exact(8);
    words.remainder().iter().all(|&b| b == 0)
        && words
            .into_iter()
            .all(|w| u64::from_ne_bytes(w.try_into().expect("8 bytes")) == 0)
}
