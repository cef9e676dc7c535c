//! util-linux `utmpdump` text, one record per line:
//! `[type] [pid] [id  ] [user] [line] [host] [addr] [time]`.
//! Read the way `utmpdump -r` reads it: the id is 4 characters verbatim,
//! the other tokens end at their first space.

use crate::entry::{flags, Entry, EntryType, StrField};
use crate::error::{Error, Result};
use crate::format::Format;
use crate::source::ByteSource;
use crate::stream::EntryStream;

/// Longest line accepted; longer ones are skipped as corrupt.
const MAX_LINE: usize = 4096;
const CHUNK: usize = 64 * 1024;

/// True when the first line of `head` is a whole utmpdump record:
/// `[type] [pid] [id] [user] [line] [host] [addr] [time]`.
pub fn looks_like(head: &[u8]) -> bool {
    head.first() == Some(&b'[') && {
        let line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        parse_line(line, 0, &mut Entry::default())
    }
}

/// Splits `[a] [b] …` into the text between brackets.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Self {
        Tokens { rest: s }
    }

    fn next_raw(&mut self) -> Option<&'a str> {
        let open = self.rest.find('[')?;
        let after = &self.rest[open + 1..];
        let close = after.find(']')?;
        self.rest = &after[close + 1..];
        Some(&after[..close])
    }

    /// A token cut at its first space, as `utmpdump -r` does.
    fn next_word(&mut self) -> Option<&'a str> {
        self.next_raw().map(|t| t.split(' ').next().unwrap_or(""))
    }
}

/// Parse one line into `e`; false when the line is not a record.
pub fn parse_line(line: &[u8], offset: u64, e: &mut Entry) -> bool {
    e.reset(Format::UtmpdumpText, offset);
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let mut t = Tokens::new(text.trim_end_matches(['\n', '\r']));
    let Some(Ok(raw_type)) = t.next_raw().map(|s| s.trim().parse::<i16>()) else {
        return false;
    };
    let Some(Ok(pid)) = t.next_raw().map(|s| s.trim().parse::<i32>()) else {
        return false;
    };
    let (Some(id), Some(user), Some(tty), Some(host), Some(addr), Some(time)) = (
        t.next_raw(),
        t.next_word(),
        t.next_word(),
        t.next_word(),
        t.next_word(),
        t.next_raw(),
    ) else {
        return false;
    };
    // utmpdump -r writes any number: one outside 0..=9 is UNKNOWN.
    let kind = EntryType::from_linux(raw_type as i64).unwrap_or(EntryType::Unknown);
    e.raw_type = raw_type as i32;
    e.entry_type = kind;
    e.pid = pid as i64;
    e.set_fixed(StrField::Id, &id.as_bytes()[..id.len().min(4)]);
    e.set_fixed(StrField::User, user.as_bytes());
    e.set_fixed(StrField::Line, tty.as_bytes());
    e.set_fixed(StrField::Host, host.as_bytes());
    // Text has no fixed width: full-width does not apply.
    e.flags &= !flags::FULL_WIDTH;
    if let Ok(v4) = addr.parse::<std::net::Ipv4Addr>() {
        if !v4.is_unspecified() {
            e.set_ipv4(v4.octets());
        }
    } else if let Ok(v6) = addr.parse::<std::net::Ipv6Addr>() {
        e.set_addr_v6_bytes(&v6.octets());
    }
    let (sec, usec) = parse_time(time.trim()).unwrap_or((0, 0));
    e.set_time(sec, usec);
    if kind == EntryType::Empty && sec == 0 {
        e.flags &= !flags::TIME_IMPLAUSIBLE;
    }
    true
}

/// `2013-08-28T03:00:00,000000+00:00` or the legacy
/// `Wed Aug 28 03:00:00 2013 GMT` (read as UTC). Empty is time 0.
pub fn parse_time(s: &str) -> Option<(i64, i64)> {
    if s.is_empty() {
        return Some((0, 0));
    }
    if s.len() >= 19 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' {
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &s[19..];
        let mut usec = 0;
        if let Some(frac) = rest.strip_prefix([',', '.']) {
            let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
            rest = &frac[digits.len()..];
            let six: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(6)
                .collect();
            usec = six.parse().ok()?;
        }
        let offset = parse_offset(rest)?;
        let sec = days_from_civil(y, mo, d) * 86400 + i128::from(h * 3600 + mi * 60 + se) - offset;
        return Some((i64::try_from(sec).ok()?, usec));
    }
    // Legacy: "Wed Aug 28 03:00:00 2013 GMT"
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() < 5 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mo = MONTHS.iter().position(|m| *m == parts[1])? as i64 + 1;
    let d: i64 = parts[2].parse().ok()?;
    let hms: Vec<i64> = parts[3].split(':').filter_map(|p| p.parse().ok()).collect();
    let y: i64 = parts[4].parse().ok()?;
    if hms.len() != 3 {
        return None;
    }
    let [h, mi, se] = [hms[0], hms[1], hms[2]].map(i128::from);
    let sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    Some((i64::try_from(sec).ok()?, 0))
}

/// `+00:00`, `-05:30`, `Z` or nothing, in seconds east of UTC.
fn parse_offset(s: &str) -> Option<i128> {
    if s.is_empty() || s == "Z" {
        return Some(0);
    }
    let sign = match s.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hm: Vec<i128> = s[1..]
        .split(':')
        .filter_map(|p| p.parse::<i64>().ok())
        .map(i128::from)
        .collect();
    match hm.as_slice() {
        [h, m] => Some(sign * (h * 3600 + m * 60)),
        [hm] if s.len() == 5 => Some(sign * ((hm / 100) * 3600 + (hm % 100) * 60)),
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). In
/// i128, where any i64 fields fit: a text file's year, day or hour can be
/// anything (fuzz/regressions/utmpdump_text), and a time outside i64 is
/// then refused rather than wrapped.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i128 {
    let (y, m, d) = (i128::from(y), i128::from(m), i128::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Lines of a text source, forward or backward, in chunks: memory stays
/// bounded by a chunk plus the longest line accepted.
pub struct TextStream {
    src: Box<dyn ByteSource>,
    reverse: bool,
    buf: Vec<u8>,
    /// File offset of `buf[0]`; `pos` is the next unread byte in `buf`.
    buf_off: u64,
    pos: usize,
    eof: bool,
    /// Backward only: the end of the unread region is held in `tail`,
    /// which starts at file offset `tail_off` (everything before it is
    /// still to read).
    tail: Vec<u8>,
    tail_off: u64,
    /// Backward only: inside an over-long line being dropped.
    discarding: bool,
    skipped: bool,
    /// Lines skipped as corrupt since open or rewind.
    skipped_count: u64,
}

impl TextStream {
    pub fn new(src: Box<dyn ByteSource>, reverse: bool) -> Result<TextStream> {
        let mut s = TextStream {
            src,
            reverse,
            buf: Vec::new(),
            buf_off: 0,
            pos: 0,
            eof: false,
            tail: Vec::new(),
            tail_off: 0,
            discarding: false,
            skipped: false,
            skipped_count: 0,
        };
        s.rewind()?;
        Ok(s)
    }

    /// The next line (without its newline) and its offset, forward.
    fn next_line(&mut self) -> Result<Option<(u64, Vec<u8>)>> {
        loop {
            if let Some(nl) = self.buf[self.pos..].iter().position(|&b| b == b'\n') {
                let start = self.pos;
                self.pos += nl + 1;
                return Ok(Some((
                    self.buf_off + start as u64,
                    self.buf[start..start + nl].to_vec(),
                )));
            }
            if self.eof {
                if self.pos < self.buf.len() {
                    let start = self.pos;
                    self.pos = self.buf.len();
                    return Ok(Some((
                        self.buf_off + start as u64,
                        self.buf[start..].to_vec(),
                    )));
                }
                return Ok(None);
            }
            // Keep the unread tail, append the next chunk.
            self.buf.drain(..self.pos);
            self.buf_off += self.pos as u64;
            self.pos = 0;
            if self.buf.len() > MAX_LINE {
                // An over-long line: drop it up to the next newline (the
                // dropped bytes still count, or they would be read again).
                self.buf_off += self.buf.len() as u64;
                self.buf.clear();
                self.skipped = true;
            }
            let old = self.buf.len();
            self.buf.resize(old + CHUNK, 0);
            let at = self.buf_off + old as u64;
            let n = self
                .src
                .read_full_at(&mut self.buf[old..], at)
                .map_err(|e| Error::io("read", &e))?;
            self.buf.truncate(old + n);
            self.eof = n < CHUNK;
        }
    }
}

impl TextStream {
    /// The previous line (without its newline) and its offset, backward.
    fn prev_line(&mut self) -> Result<Option<(u64, Vec<u8>)>> {
        loop {
            // The newline that ends the last held line is not part of it.
            let body_len = self.tail.len() - usize::from(self.tail.last() == Some(&b'\n'));
            let body = &self.tail[..body_len];
            if let Some(nl) = body.iter().rposition(|&b| b == b'\n') {
                let line = (!self.discarding).then(|| body[nl + 1..].to_vec());
                let off = self.tail_off + nl as u64 + 1;
                self.tail.truncate(nl + 1);
                self.discarding = false;
                match line {
                    Some(l) => return Ok(Some((off, l))),
                    None => continue,
                }
            }
            if self.tail_off == 0 {
                let line = (!self.discarding && !body.is_empty()).then(|| body.to_vec());
                self.tail.clear();
                self.discarding = false;
                return Ok(line.map(|l| (0, l)));
            }
            if body.len() > MAX_LINE {
                // An over-long line: drop what is held of it and keep
                // dropping until its start.
                self.tail.clear();
                self.discarding = true;
                self.skipped = true;
            }
            let n = (CHUNK as u64).min(self.tail_off) as usize;
            let at = self.tail_off - n as u64;
            let mut chunk = vec![0; n];
            let got = self
                .src
                .read_full_at(&mut chunk, at)
                .map_err(|e| Error::io("read", &e))?;
            if got < n {
                // The file shrank under us: end cleanly.
                self.tail.clear();
                self.tail_off = 0;
                return Ok(None);
            }
            chunk.extend_from_slice(&self.tail);
            self.tail = chunk;
            self.tail_off = at;
        }
    }
}

impl EntryStream for TextStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        loop {
            let next = if self.reverse {
                self.prev_line()?
            } else {
                self.next_line()?
            };
            let Some((off, line)) = next else {
                return Ok(false);
            };
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if parse_line(&line, off, e) {
                if std::mem::take(&mut self.skipped) {
                    e.flags |= flags::RECOVERED;
                }
                return Ok(true);
            }
            self.skipped = true;
            self.skipped_count += 1;
        }
    }

    fn skipped(&self) -> u64 {
        self.skipped_count
    }

    fn rewind(&mut self) -> Result<()> {
        self.buf.clear();
        self.buf_off = 0;
        self.pos = 0;
        self.eof = false;
        self.skipped = false;
        self.skipped_count = 0;
        self.tail.clear();
        self.discarding = false;
        self.tail_off = if self.reverse {
            self.src.size().map_err(|e| Error::io("stat", &e))?
        } else {
            0
        };
        Ok(())
    }
}
