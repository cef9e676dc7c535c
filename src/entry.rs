//! The normalized entry: one struct for every format.
//!
//! Strings are kept as raw bytes (as stored on disk) with a NUL kept after
//! them, so the C layer can hand out pointers without copying.

use std::fmt::Write as _;
use std::net::Ipv6Addr;

use crate::format::Format;

/// Normalized entry type. 0–9 follow the Linux/POSIX numbering; each format
/// maps its own numbers onto these and keeps the stored value in `raw_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum EntryType {
    Empty = 0,
    RunLevel = 1,
    BootTime = 2,
    NewTime = 3,
    OldTime = 4,
    InitProcess = 5,
    LoginProcess = 6,
    UserProcess = 7,
    DeadProcess = 8,
    Accounting = 9,
    Signature = 10,
    ShutdownTime = 11,
    /// A last-login record (lastlog, lastlog2, utx.lastlogin).
    LastLogin = 12,
    /// A record of a well-formed file whose stored type number is outside
    /// its format's range (`raw_type` keeps it): util-linux `utmpdump`
    /// prints such records and `last` lists them by user and line.
    Unknown = 13,
}

impl EntryType {
    pub const ALL: [EntryType; 14] = [
        EntryType::Empty,
        EntryType::RunLevel,
        EntryType::BootTime,
        EntryType::NewTime,
        EntryType::OldTime,
        EntryType::InitProcess,
        EntryType::LoginProcess,
        EntryType::UserProcess,
        EntryType::DeadProcess,
        EntryType::Accounting,
        EntryType::Signature,
        EntryType::ShutdownTime,
        EntryType::LastLogin,
        EntryType::Unknown,
    ];

    /// The type with the Linux/glibc number `n`, if 0..=9.
    pub fn from_linux(n: i64) -> Option<EntryType> {
        if (0..=9).contains(&n) {
            Some(Self::ALL[n as usize])
        } else {
            None
        }
    }

    pub fn from_i32(n: i32) -> Option<EntryType> {
        Self::ALL.get(usize::try_from(n).ok()?).copied()
    }

    /// Upper-case name as in the C headers (`USER_PROCESS`).
    pub fn name(self) -> &'static str {
        match self {
            EntryType::Empty => "EMPTY",
            EntryType::RunLevel => "RUN_LVL",
            EntryType::BootTime => "BOOT_TIME",
            EntryType::NewTime => "NEW_TIME",
            EntryType::OldTime => "OLD_TIME",
            EntryType::InitProcess => "INIT_PROCESS",
            EntryType::LoginProcess => "LOGIN_PROCESS",
            EntryType::UserProcess => "USER_PROCESS",
            EntryType::DeadProcess => "DEAD_PROCESS",
            EntryType::Accounting => "ACCOUNTING",
            EntryType::Signature => "SIGNATURE",
            EntryType::ShutdownTime => "SHUTDOWN_TIME",
            EntryType::LastLogin => "LAST_LOGIN",
            EntryType::Unknown => "UNKNOWN",
        }
    }

    /// Bit of this type in a type mask.
    pub fn mask_bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Address family of an entry's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u32)]
pub enum AddrFamily {
    #[default]
    None = 0,
    Ipv4 = 1,
    Ipv6 = 2,
}

/// Entry flags (bit values are part of the C ABI).
pub mod flags {
    /// A string field holds bytes that are not valid UTF-8.
    pub const NOT_UTF8: u32 = 1 << 0;
    /// A fixed-width string field filled its width (no NUL on disk).
    pub const FULL_WIDTH: u32 = 1 << 1;
    /// This entry stands for a trailing partial record; no field was decoded.
    pub const PARTIAL_RECORD: u32 = 1 << 2;
    /// The time is 0, negative, after 2100, or its microseconds are out of range.
    pub const TIME_IMPLAUSIBLE: u32 = 1 << 3;
    /// Corrupt bytes before this record were skipped.
    pub const RECOVERED: u32 = 1 << 4;
    /// A followed path now names another file (rotation); this entry is
    /// the first read from it.
    pub const ROTATED: u32 = 1 << 5;
    /// A followed file was cut shorter than the position reached; this
    /// entry is the first read again from its start.
    pub const TRUNCATED: u32 = 1 << 6;
}

/// A string field: raw bytes with a NUL kept after them. The buffer is
/// reused from record to record and may be longer than the text: the text
/// is `buf[..len]` and `buf[len]` is its NUL (so `buf` is never empty).
#[derive(Clone)]
pub struct Field {
    buf: Vec<u8>,
    len: usize,
}

impl Default for Field {
    fn default() -> Self {
        Field {
            buf: vec![0],
            len: 0,
        }
    }
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Field")
            .field(&self.as_bytes_with_nul())
            .finish()
    }
}

impl Field {
    /// The bytes, without the terminating NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The bytes, followed by a NUL.
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.buf[..=self.len]
    }

    /// Where `as_bytes_with_nul` starts (for the C view, without the
    /// slicing).
    #[inline(always)]
    pub fn as_ptr(&self) -> *const u8 {
        self.buf.as_ptr()
    }

    #[inline(always)]
    pub fn clear(&mut self) {
        self.len = 0;
        self.buf[0] = 0;
    }

    /// A buffer of at least `n` bytes (grows once, then is reused).
    #[inline(always)]
    fn room(&mut self, n: usize) -> &mut [u8] {
        if self.buf.len() < n {
            self.buf.resize(n, 0);
        }
        &mut self.buf[..n]
    }

    /// Replace the contents with `bytes`, cut at the first NUL.
    pub fn set(&mut self, bytes: &[u8]) {
        let n = memchr0(bytes);
        let buf = self.room(n + 1);
        buf[..n].copy_from_slice(&bytes[..n]);
        buf[n] = 0;
        self.len = n;
    }

    /// `set` for a fixed-width field, a word at a time (the per-record hot
    /// path): copies up to the first NUL and returns the length and whether
    /// those bytes are all ASCII.
    #[inline(always)]
    fn set_scan(&mut self, raw: &[u8]) -> (usize, bool) {
        // Whole words are stored, so up to 7 bytes past the NUL.
        let buf = self.room(raw.len() + 8);
        let mut seen = 0u64;
        let mut i = 0;
        let mut words = raw.chunks_exact(8);
        let mut tail = 0;
        for c in &mut words {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            if zero_bytes(w) != 0 {
                tail = w;
                break;
            }
            seen |= w;
            buf[i..i + 8].copy_from_slice(&w.to_le_bytes());
            i += 8;
        }
        if i == raw.len() - raw.len() % 8 {
            // No NUL in the whole words: the rest, read as NUL-padded.
            tail = tail_word(words.remainder());
        }
        // The word holding the NUL (there is one: past the end is NUL).
        // Keep the bytes before it; the rest of the word is then zero, so
        // the first byte after them is the NUL.
        let k = (zero_bytes(tail).trailing_zeros() / 8) as usize;
        let kept = tail & ((1u64 << (8 * k)) - 1);
        seen |= kept;
        buf[i..i + 8].copy_from_slice(&kept.to_le_bytes());
        self.len = i + k;
        (i + k, seen & HIGH_BITS == 0)
    }

    /// Replace the contents with the dotted-quad text of an IPv4
    /// address: each octet's digits (and dot) as one 4-byte store at the
    /// end of the text so far, straight into the buffer. A later store
    /// overwrites what an earlier one wrote past its text, and the last
    /// octet's cell holds at most 3 digits, so its zero bytes end the text
    /// with its NUL (at most 16 bytes: "255." three times, then "255").
    #[inline(always)]
    fn set_ipv4_text(&mut self, octets: [u8; 4]) {
        let buf: &mut [u8; 16] = self.room(16).try_into().expect("16 bytes");
        let mut n = 0;
        for &o in &octets[..3] {
            let (cell, len) = DECIMAL_DOT[o as usize];
            // At most 4 + 4 (+ 4) before the last cell: the min is a no-op
            // that lets the compiler drop the bounds checks.
            let at = n.min(12);
            buf[at..at + 4].copy_from_slice(&cell.to_le_bytes());
            n += len as usize;
        }
        let (cell, len) = DECIMAL[octets[3] as usize];
        let at = n.min(12);
        buf[at..at + 4].copy_from_slice(&cell.to_le_bytes());
        self.len = n + len as usize;
    }

    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `w` (read little-endian); bits above
/// the first zero byte may be wrong, so only its lowest set bit is exact.
#[inline(always)]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(LOW_BITS) & !w & HIGH_BITS
}

/// Up to 7 bytes as a little-endian word, zero-filled (in registers: a
/// 4-byte `ut_id` is one load).
#[inline(always)]
pub(crate) fn tail_word(rest: &[u8]) -> u64 {
    let (mut w, done) = match rest.first_chunk::<4>() {
        Some(h) => (u32::from_le_bytes(*h) as u64, 4),
        None => (0, 0),
    };
    for (j, &b) in rest.iter().enumerate().skip(done).take(7) {
        w |= (b as u64) << (8 * j);
    }
    w
}

/// Index of the first NUL, or the length; a word at a time.
pub(crate) fn memchr0(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut i = 0;
    for c in &mut words {
        let zero = zero_bytes(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + words
        .remainder()
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(words.remainder().len())
}

/// Decimal text of every byte value as a little-endian word (NUL-padded)
/// and its length; with `DOT`, a '.' follows the digits and is counted.
const fn decimal_table<const DOT: bool>() -> [(u32, u8); 256] {
    let mut t = [(0u32, 0u8); 256];
    let mut i = 0;
    while i < 256 {
        let v = i as u32;
        let (digits, len) = if v >= 100 {
            (
                (b'0' as u32 + v / 100)
                    | (b'0' as u32 + v / 10 % 10) << 8
                    | (b'0' as u32 + v % 10) << 16,
                3,
            )
        } else if v >= 10 {
            ((b'0' as u32 + v / 10) | (b'0' as u32 + v % 10) << 8, 2)
        } else {
            (b'0' as u32 + v, 1)
        };
        t[i] = if DOT {
            (digits | (b'.' as u32) << (8 * len), len as u8 + 1)
        } else {
            (digits, len as u8)
        };
        i += 1;
    }
    t
}

static DECIMAL_DOT: [(u32, u8); 256] = decimal_table::<true>();
static DECIMAL: [(u32, u8); 256] = decimal_table::<false>();

/// One normalized login-accounting record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub entry_type: EntryType,
    /// The type number as stored, -1 when the format has none.
    pub raw_type: i32,
    pub user: Field,
    pub line: Field,
    pub id: Field,
    pub host: Field,
    pub service: Field,
    /// -1 when unknown.
    pub pid: i64,
    pub session: i64,
    pub uid: i64,
    pub exit_termination: i32,
    pub exit_status: i32,
    /// Seconds since the epoch, UTC.
    pub sec: i64,
    pub usec: i32,
    pub addr_family: AddrFamily,
    /// Network byte order; IPv4 in the first 4 bytes.
    pub addr: [u8; 16],
    pub addr_text: Field,
    pub format: Format,
    /// Byte offset of the record in its file (or row id for databases).
    pub offset: u64,
    pub flags: u32,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            entry_type: EntryType::Empty,
            raw_type: -1,
            user: Field::default(),
            line: Field::default(),
            id: Field::default(),
            host: Field::default(),
            service: Field::default(),
            pid: -1,
            session: -1,
            uid: -1,
            exit_termination: -1,
            exit_status: -1,
            sec: 0,
            usec: 0,
            addr_family: AddrFamily::None,
            addr: [0; 16],
            addr_text: Field::default(),
            format: Format::Auto,
            offset: 0,
            flags: 0,
        }
    }
}

/// Latest plausible time (2100-01-01).
const LATEST_PLAUSIBLE: i64 = 4_102_444_800;

impl Entry {
    /// Reset every field to its "unknown" value, keeping the buffers.
    #[inline(always)]
    pub fn reset(&mut self, format: Format, offset: u64) {
        for f in [
            &mut self.user,
            &mut self.line,
            &mut self.id,
            &mut self.host,
            &mut self.service,
            &mut self.addr_text,
        ] {
            f.clear();
        }
        self.reset_scalars(format, offset);
    }

    /// `reset` without the strings, for a decoder that sets them all.
    #[inline(always)]
    pub(crate) fn reset_scalars(&mut self, format: Format, offset: u64) {
        self.entry_type = EntryType::Empty;
        self.raw_type = -1;
        self.pid = -1;
        self.session = -1;
        self.uid = -1;
        self.exit_termination = -1;
        self.exit_status = -1;
        self.sec = 0;
        self.usec = 0;
        self.addr_family = AddrFamily::None;
        self.addr = [0; 16];
        self.format = format;
        self.offset = offset;
        self.flags = 0;
    }

    /// Set a string field from a fixed-width on-disk field, noting full
    /// width and non-UTF-8 bytes in the flags.
    #[inline(always)]
    pub fn set_fixed(&mut self, which: StrField, raw: &[u8]) {
        let field = self.field_mut(which);
        let (n, ascii) = field.set_scan(raw);
        let not_utf8 = !ascii && std::str::from_utf8(field.as_bytes()).is_err();
        if n == raw.len() && n > 0 {
            self.flags |= flags::FULL_WIDTH;
        }
        if not_utf8 {
            self.flags |= flags::NOT_UTF8;
        }
    }

    /// Set a string field from a variable-length value (a database column
    /// or a text file), noting non-UTF-8 bytes in the flags.
    pub fn set_str(&mut self, which: StrField, bytes: &[u8]) {
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            self.flags |= flags::NOT_UTF8;
        }
        self.field_mut(which).set(bytes);
    }

    /// Set the address from a host field that is a literal IPv4 or IPv6
    /// address (as logind, wtmpdb and lastlog2 store it); otherwise leave
    /// it unset.
    pub fn set_addr_from_host_text(&mut self) {
        let parsed = std::str::from_utf8(self.host.as_bytes())
            .ok()
            .and_then(|s| s.parse::<std::net::IpAddr>().ok());
        match parsed {
            Some(std::net::IpAddr::V4(a)) => self.set_ipv4(a.octets()),
            Some(std::net::IpAddr::V6(a)) => {
                self.addr_family = AddrFamily::Ipv6;
                self.addr = a.octets();
                self.addr_text.set(ipv6_text(&a.octets()).as_bytes());
            }
            None => {}
        }
    }

    #[inline(always)]
    pub fn field_mut(&mut self, which: StrField) -> &mut Field {
        match which {
            StrField::User => &mut self.user,
            StrField::Line => &mut self.line,
            StrField::Id => &mut self.id,
            StrField::Host => &mut self.host,
            StrField::Service => &mut self.service,
        }
    }

    /// No address.
    #[inline(always)]
    pub fn clear_addr(&mut self) {
        self.addr_family = AddrFamily::None;
        self.addr = [0; 16];
        self.addr_text.clear();
    }

    /// Set the address from 16 raw bytes the way util-linux decides:
    /// IPv4 when words 1–3 are zero, none when all are zero.
    #[inline(always)]
    pub fn set_addr_v6_bytes(&mut self, raw: &[u8; 16]) {
        let words = u128::from_le_bytes(*raw);
        if words == 0 {
            self.clear_addr();
        } else if words >> 32 == 0 {
            self.set_ipv4([raw[0], raw[1], raw[2], raw[3]]);
        } else {
            self.addr_family = AddrFamily::Ipv6;
            self.addr = *raw;
            self.addr_text.set(ipv6_text(raw).as_bytes());
        }
    }

    #[inline(always)]
    pub fn set_ipv4(&mut self, octets: [u8; 4]) {
        self.addr_family = AddrFamily::Ipv4;
        self.addr = [0; 16];
        self.addr[..4].copy_from_slice(&octets);
        self.addr_text.set_ipv4_text(octets);
    }

    /// Set the time and flag it when implausible.
    #[inline(always)]
    pub fn set_time(&mut self, sec: i64, usec: i64) {
        self.sec = sec;
        self.usec = usec.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
        if sec <= 0 || sec >= LATEST_PLAUSIBLE || !(0..1_000_000).contains(&usec) {
            self.flags |= flags::TIME_IMPLAUSIBLE;
        }
    }
}

/// Names the string fields an on-disk layout may fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrField {
    User,
    Line,
    Id,
    Host,
    Service,
}

/// IPv6 text as glibc's `inet_ntop` writes it: like Rust's, except that an
/// IPv4-compatible address (`::a.b.c.d`) keeps its dotted quad.
pub fn ipv6_text(raw: &[u8; 16]) -> String {
    let mut s = String::with_capacity(40);
    let zero_head = raw[..12].iter().all(|&b| b == 0);
    let last = u32::from_be_bytes([raw[12], raw[13], raw[14], raw[15]]);
    if zero_head && last > 1 {
        let _ = write!(s, "::{}.{}.{}.{}", raw[12], raw[13], raw[14], raw[15]);
    } else {
        let _ = write!(s, "{}", Ipv6Addr::from(*raw));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts glibc's inet_ntop gives (checked with `python3 -c
    /// "import socket; socket.inet_ntop(...)"`, which calls it).
    #[test]
    fn ipv6_text_matches_inet_ntop() {
        let cases: [(&str, &str); 5] = [
            ("::c000:201", "::192.0.2.1"),
            ("::ffff:c000:201", "::ffff:192.0.2.1"),
            ("2001:503:ba3e::2:30", "2001:503:ba3e::2:30"),
            ("::1", "::1"),
            ("fe80::1", "fe80::1"),
        ];
        for (input, want) in cases {
            let a: Ipv6Addr = input.parse().unwrap();
            assert_eq!(ipv6_text(&a.octets()), want);
        }
    }
}

#[cfg(test)]
mod fast_path_tests {
    use std::net::Ipv4Addr;

    use super::*;

    /// Deterministic bytes for the comparisons below (xorshift).
    fn noise(seed: &mut u32) -> u32 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 17;
        *seed ^= *seed << 5;
        *seed
    }

    /// The word-at-a-time paths against the byte-at-a-time definitions,
    /// on fields of many widths with NULs, high bytes, valid and broken
    /// UTF-8 at every position.
    #[test]
    fn fixed_fields_match_the_plain_definition() {
        let mut seed = 0x1234_5678;
        let alphabet: &[u8] = b"\0\0\0ab~/.-\x7f\x80\xc3\xa9\xe2\x82\xac\xff";
        for width in (0..=40).chain([256, 257]) {
            for _ in 0..300 {
                let raw: Vec<u8> = (0..width)
                    .map(|_| alphabet[noise(&mut seed) as usize % alphabet.len()])
                    .collect();
                let n = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
                assert_eq!(memchr0(&raw), n);
                let mut want = 0;
                if n == raw.len() && n > 0 {
                    want |= flags::FULL_WIDTH;
                }
                if std::str::from_utf8(&raw[..n]).is_err() {
                    want |= flags::NOT_UTF8;
                }
                let mut e = Entry::default();
                // A longer value first: nothing of it may show through.
                e.set_fixed(StrField::Host, &[b'x'; 300]);
                e.flags = 0;
                e.set_fixed(StrField::Host, &raw);
                assert_eq!(e.host.as_bytes(), &raw[..n], "{raw:?}");
                assert_eq!(e.host.as_bytes_with_nul(), [&raw[..n], &[0]].concat());
                assert_eq!(e.host.as_ptr(), e.host.as_bytes_with_nul().as_ptr());
                assert_eq!(e.flags, want, "{raw:?}");
            }
        }
    }

    #[test]
    fn ipv4_text_matches_std() {
        let mut seed = 0x9e37_79b9;
        let edge = [0u8, 1, 9, 10, 99, 100, 199, 200, 255];
        let mut all: Vec<[u8; 4]> = Vec::new();
        for a in edge {
            for b in edge {
                all.push([a, b, 255 - a, b / 2]);
            }
        }
        for v in 0..=255u8 {
            all.push([v, v, v, v]);
        }
        all.extend((0..2000).map(|_| noise(&mut seed).to_be_bytes()));
        let mut e = Entry::default();
        for octets in all {
            e.set_ipv4(octets);
            let want = Ipv4Addr::from(octets).to_string();
            assert_eq!(e.addr_text.as_bytes(), want.as_bytes());
            assert_eq!(*e.addr_text.as_bytes_with_nul().last().unwrap(), 0);
            assert_eq!(e.addr_family, AddrFamily::Ipv4);
        }
    }

    #[test]
    fn cleared_and_default_fields_are_empty_strings() {
        let mut f = Field::default();
        assert_eq!(f.as_bytes_with_nul(), b"\0");
        f.set(b"pts/12\0junk");
        assert_eq!(f.as_bytes(), b"pts/12");
        assert_eq!(format!("{f:?}"), "Field([112, 116, 115, 47, 49, 50, 0])");
        f.clear();
        assert!(f.is_empty());
        assert_eq!(f.as_bytes_with_nul(), b"\0");
        let mut e = Entry::default();
        e.set_fixed(StrField::User, b"root\0\0\0\0");
        e.reset(Format::Auto, 0);
        assert_eq!(e.user.as_bytes_with_nul(), b"\0");
    }
}
