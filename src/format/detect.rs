//! Detect a file's format from its content: text first, then a score over
//! sampled records for every fixed-size layout. Size alone decides nothing.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{self, Kind, RecordLayout};
use crate::format::{utmpdump_text, Format};
use crate::source::ByteSource;

/// Records sampled from each end of the file.
const SAMPLE_RECORDS: u64 = 64;
/// Non-zero records sampled from a sparse (lastlog-like) file.
const SAMPLE_SPARSE: usize = 64;
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
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut best: Option<(Candidate, Format)> = None;
    for layout in layout::ALL {
        let cand = match layout.kind {
            Kind::Events => score_events(src, layout, size, now),
            Kind::LastLog => score_lastlog(src, layout, size, now),
        }
        .map_err(|e| Error::io("read", &e))?;
        if let Some(c) = cand {
            if best.as_ref().is_none_or(|(b, _)| c.better_than(b)) {
                best = Some((c, layout.format));
            }
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        Error::new(
            ErrorKind::NotRecognised,
            "not a recognised format (no known record layout fits the content)",
        )
    })
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
    /// Mean score of the sampled records.
    mean: u32,
}

impl Candidate {
    fn better_than(&self, other: &Candidate) -> bool {
        (self.good_permille, self.good, self.whole, self.mean)
            > (other.good_permille, other.good, other.whole, other.mean)
    }
}

/// Score with the time judged against today, not just the 2100 bound
/// the entry flag uses, so byte-swapped times lose.
fn record_score(layout: &RecordLayout, rec: &[u8], now: i64) -> u32 {
    let base = layout.score(rec);
    if base == 0 {
        return 0;
    }
    let (sec, _) = layout.time(rec);
    if sec > now + 366 * 86400 {
        base.saturating_sub(20)
    } else {
        base
    }
}

fn score_events(
    src: &dyn ByteSource,
    layout: &RecordLayout,
    size: u64,
    now: i64,
) -> std::io::Result<Option<Candidate>> {
    let rec = layout.size as u64;
    let count = size / rec;
    if count == 0 {
        return Ok(None);
    }
    // The first records and the last ones.
    let mut indexes: Vec<u64> = (0..count.min(SAMPLE_RECORDS)).collect();
    let tail_from = count
        .saturating_sub(SAMPLE_RECORDS)
        .max(indexes.len() as u64);
    indexes.extend(tail_from..count);
    let mut buf = vec![0u8; layout.size];
    let (mut good, mut total, mut sampled, mut zeros) = (0u64, 0u64, 0u64, 0u64);
    for i in indexes {
        if src.read_full_at(&mut buf, i * rec)? < layout.size {
            break;
        }
        // An all-zero record fits every layout: no evidence either way.
        if buf.iter().all(|&b| b == 0) {
            zeros += 1;
            continue;
        }
        let mut s = record_score(layout, &buf, now);
        // Bytes that decode to an empty record are what a misaligned
        // layout sees in a mostly-zero file: weak evidence at best.
        if looks_empty(layout, &buf) {
            s = s.min(GOOD_SCORE / 2);
        }
        sampled += 1;
        total += s as u64;
        if s >= GOOD_SCORE {
            good += 1;
        }
    }
    if sampled == 0 && zeros > 0 {
        // Only empty records: any layout with this record size will do.
        return Ok(Some(Candidate {
            good_permille: 0,
            good: 0,
            whole: size % rec == 0,
            mean: 0,
        }));
    }
    Ok(accept(good, sampled, total, size % rec == 0))
}

/// Decodes as an EMPTY record with no strings.
fn looks_empty(layout: &RecordLayout, rec: &[u8]) -> bool {
    let mut e = crate::entry::Entry::default();
    layout.decode(rec, 0, &mut e)
        && e.entry_type == crate::entry::EntryType::Empty
        && e.user.is_empty()
        && e.line.is_empty()
        && e.host.is_empty()
}

fn score_lastlog(
    src: &dyn ByteSource,
    layout: &RecordLayout,
    size: u64,
    now: i64,
) -> std::io::Result<Option<Candidate>> {
    let rec = layout.size as u64;
    let mut buf = vec![0u8; layout.size];
    let (mut good, mut total, mut sampled) = (0u64, 0u64, 0u64);
    'extents: for (start, end) in src.data_extents(0)? {
        let mut i = start / rec;
        while i * rec < end && (i + 1) * rec <= size {
            if src.read_full_at(&mut buf, i * rec)? < layout.size {
                break 'extents;
            }
            i += 1;
            if buf.iter().all(|&b| b == 0) {
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
            total += s as u64;
            if s >= GOOD_SCORE {
                good += 1;
            }
            if sampled as usize >= SAMPLE_SPARSE {
                break 'extents;
            }
        }
    }
    Ok(accept(good, sampled, total, size % rec == 0))
}

/// A layout is a candidate when at least a quarter of the sampled records
/// (and at least one) fit it.
fn accept(good: u64, sampled: u64, total: u64, whole: bool) -> Option<Candidate> {
    if good == 0 || good * 4 < sampled {
        return None;
    }
    Some(Candidate {
        good_permille: (good * 1000 / sampled) as u32,
        good,
        whole,
        mean: (total / sampled) as u32,
    })
}
