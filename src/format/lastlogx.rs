//! NetBSD lastlogx (FORMATS.md §4.2): a Berkeley DB 1.85 hash file keyed
//! by the 4-byte uid, each value a `struct lastlogx`.
//!
//! DB 1.85 hash layout, as `db/hash` writes it: the header page(s) hold a
//! big-endian `HASHHDR` (magic 0x061561, version 2, the byte order
//! `lorder` of the pages, page size, `max_bucket`, `hdrpages`, and the
//! `spares` table that maps buckets and overflow addresses to pages).
//! Every bucket page, in `lorder`, starts with an array of u16: `n`, then
//! `n` offsets, alternately key and data, packed down from the end of the
//! page (a key ends where the previous pair's data starts). A pair whose
//! data offset is 0 (`OVFLPAGE`) links to an overflow page instead; data
//! offsets 1..3 mark big keys spread over overflow pages, which a
//! 4-byte-key, ≤ 432-byte-value database never needs (they are skipped).
//! Entries come out in uid order (reverse: descending).

use crate::entry::{Entry, EntryType, StrField};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::source::ByteSource;
use crate::stream::EntryStream;

/// DB 1.85 hash magic.
const MAGIC: u32 = 0x0006_1561;
/// `OVFLPAGE` and `REAL_KEY` of db/hash/hash.h.
const OVFLPAGE: u16 = 0;
const REAL_KEY: u16 = 4;
/// Overflow addresses: split number above bit 11, page number below.
const SPLITSHIFT: u32 = 11;
const SPLITMASK: u32 = 0x7ff;

/// True when `head` starts with a DB 1.85 hash header (version 2).
pub fn looks_like(head: &[u8]) -> bool {
    head.len() >= 12
        && [true, false]
            .into_iter()
            .any(|be| word(head, 0, be) == Some(MAGIC) && word(head, 4, be) == Some(2))
}

fn word(b: &[u8], at: usize, be: bool) -> Option<u32> {
    let a: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    })
}

fn bad(what: &str) -> Error {
    Error::new(
        ErrorKind::NotRecognised,
        format!("lastlogx: {what} (not a readable Berkeley DB 1.85 hash file)"),
    )
}

/// What the header says.
struct Header {
    page_size: u64,
    little: bool,
    max_bucket: u32,
    hdrpages: u32,
    spares: [u32; 32],
}

impl Header {
    fn parse(h: &[u8]) -> Result<Header> {
        // The header is always big-endian; a byte-swapped magic means a
        // little-endian header, which some ports may have written.
        let be = word(h, 0, true) == Some(MAGIC);
        let w = |i: usize| word(h, i * 4, be).ok_or_else(|| bad("short header"));
        if w(0)? != MAGIC || w(1)? != 2 {
            return Err(bad("no hash magic"));
        }
        let little = match w(2)? {
            1234 => true,
            4321 => false,
            _ => return Err(bad("unknown byte order")),
        };
        let page_size = w(3)? as u64;
        if !(256..=65536).contains(&page_size) || !page_size.is_power_of_two() {
            return Err(bad("bad page size"));
        }
        let mut spares = [0u32; 32];
        for (i, s) in spares.iter_mut().enumerate() {
            *s = w(17 + i)?;
        }
        Ok(Header {
            page_size,
            little,
            max_bucket: w(10)?,
            hdrpages: w(15)?,
            spares,
        })
    }

    /// `BUCKET_TO_PAGE`.
    fn bucket_page(&self, b: u32) -> u64 {
        let spare = if b == 0 {
            0
        } else {
            // __log2(b + 1): the smallest i with 2^i >= b + 1.
            let log2 = 32 - b.leading_zeros();
            self.spares[(log2 as usize - 1).min(31)]
        };
        b as u64 + self.hdrpages as u64 + spare as u64
    }

    /// `OADDR_TO_PAGE`.
    fn overflow_page(&self, addr: u16) -> u64 {
        let split = (addr as u32 >> SPLITSHIFT).min(31);
        self.bucket_page((1u32 << split) - 1) + (addr as u32 & SPLITMASK) as u64
    }

    fn u16_at(&self, page: &[u8], i: usize) -> Option<u16> {
        let a: [u8; 2] = page.get(i * 2..i * 2 + 2)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        })
    }
}

/// One found record: uid, file offset and length of its value.
#[derive(Clone, Copy, Debug)]
struct Found {
    uid: u32,
    at: u64,
    len: usize,
}

pub struct LastlogxStream {
    src: Box<dyn ByteSource>,
    little: bool,
    found: Vec<Found>,
    next: usize,
    reverse: bool,
    buf: Vec<u8>,
}

impl LastlogxStream {
    pub fn new(src: Box<dyn ByteSource>, reverse: bool) -> Result<LastlogxStream> {
        let io = |e: std::io::Error| Error::io("read", &e);
        let mut head = vec![0u8; 256];
        let n = src.read_full_at(&mut head, 0).map_err(io)?;
        let hdr = Header::parse(&head[..n])?;
        let size = src.size().map_err(io)?;
        let pages = size / hdr.page_size;
        let mut found = Vec::new();
        let mut page = vec![0u8; hdr.page_size as usize];
        // Every page belongs to one bucket's chain: a page reached twice
        // is a loop (or two chains sharing a page). One bit per page of
        // the file bounds the whole walk by the file's page count.
        let mut seen = Vec::new();
        seen.try_reserve_exact(pages.div_ceil(8) as usize)
            .map_err(|_| Error::new(ErrorKind::OutOfMemory, "lastlogx: page map"))?;
        seen.resize(pages.div_ceil(8) as usize, 0u8);
        for bucket in 0..=hdr.max_bucket.min(pages as u32) {
            let mut pno = hdr.bucket_page(bucket);
            while pno < pages {
                let (byte, bit) = ((pno / 8) as usize, 1u8 << (pno % 8));
                if seen[byte] & bit != 0 {
                    return Err(bad(&format!(
                        "page {pno} is reached twice (an overflow chain loops)"
                    )));
                }
                seen[byte] |= bit;
                // A page holds at most page_size / 8 records: reserve
                // fallibly, so a huge file is ENOMEM, not an abort.
                found
                    .try_reserve(hdr.page_size as usize / 8)
                    .map_err(|_| Error::new(ErrorKind::OutOfMemory, "lastlogx: record index"))?;
                let base = pno * hdr.page_size;
                if src.read_full_at(&mut page, base).map_err(io)? < page.len() {
                    break;
                }
                let Some(next) = scan_page(&hdr, &page, base, &mut found) else {
                    break;
                };
                pno = next;
            }
        }
        found.sort_by_key(|f| f.uid);
        Ok(LastlogxStream {
            src,
            little: hdr.little,
            found,
            next: 0,
            reverse,
            buf: Vec::new(),
        })
    }

    fn decode(&mut self, f: Found, e: &mut Entry) -> Result<()> {
        self.buf.resize(f.len, 0);
        let n = self
            .src
            .read_full_at(&mut self.buf, f.at)
            .map_err(|e| Error::io("read", &e))?;
        self.buf.truncate(n);
        e.reset(Format::NetbsdLastlogx, f.at);
        e.entry_type = EntryType::LastLogin;
        e.uid = f.uid as i64;
        let b = &self.buf;
        // i386 packs the timeval into 12 bytes (value 428), other ports
        // into 16 (value 432).
        let line_at = if b.len() == 428 { 12 } else { 16 };
        if b.len() < line_at + 32 + 256 + 128 {
            e.flags |= crate::entry::flags::PARTIAL_RECORD;
            return Ok(());
        }
        let int = |at: usize, w: usize| {
            let mut v = [0u8; 8];
            if self.little {
                v[..w].copy_from_slice(&b[at..at + w]);
                i64::from_le_bytes(v)
            } else {
                v[8 - w..].copy_from_slice(&b[at..at + w]);
                i64::from_be_bytes(v)
            }
        };
        let (sec, usec) = (int(0, 8), int(8, 4) as i32 as i64);
        e.set_fixed(StrField::Line, &b[line_at..line_at + 32]);
        e.set_fixed(StrField::Host, &b[line_at + 32..line_at + 288]);
        let ss = &b[line_at + 288..line_at + 288 + 128];
        match ss[1] {
            2 => e.set_ipv4(ss[4..8].try_into().expect("4")),
            24 | 28 | 30 => e.set_addr_v6_bytes(ss[8..24].try_into().expect("16")),
            _ => {}
        }
        e.set_time(sec, usec);
        Ok(())
    }
}

/// Collect the pairs of one page; the next page of its chain, if any.
fn scan_page(hdr: &Header, page: &[u8], base: u64, found: &mut Vec<Found>) -> Option<u64> {
    let n = hdr.u16_at(page, 0)? as usize;
    let mut key_end = page.len();
    let mut i = 1;
    while i < n {
        let k = hdr.u16_at(page, i)?;
        let d = hdr.u16_at(page, i + 1)?;
        if d == OVFLPAGE {
            return Some(hdr.overflow_page(k));
        }
        if d < REAL_KEY {
            // A big key/data pair on overflow pages: not a lastlogx record.
            i += 2;
            continue;
        }
        let (k, d) = (k as usize, d as usize);
        if !(d <= k && k + 4 <= key_end && key_end <= page.len()) {
            return None;
        }
        let key = &page[k..key_end];
        if key.len() == 4 {
            let a: [u8; 4] = key.try_into().expect("4");
            let uid = if hdr.little {
                u32::from_le_bytes(a)
            } else {
                u32::from_be_bytes(a)
            };
            found.push(Found {
                uid,
                at: base + d as u64,
                len: k - d,
            });
        }
        key_end = d;
        i += 2;
    }
    None
}

impl EntryStream for LastlogxStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        if self.next >= self.found.len() {
            return Ok(false);
        }
        let i = if self.reverse {
            self.found.len() - 1 - self.next
        } else {
            self.next
        };
        self.next += 1;
        let f = self.found[i];
        self.decode(f, e)?;
        Ok(true)
    }

    fn rewind(&mut self) -> Result<()> {
        self.next = 0;
        Ok(())
    }
}
