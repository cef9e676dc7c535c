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
}

impl EntryType {
    pub const ALL: [EntryType; 13] = [
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
        let n = self.name_with_nul();
        &n[..n.len() - 1]
    }

    /// The name followed by a NUL, for the C ABI.
    pub fn name_with_nul(self) -> &'static str {
        match self {
            EntryType::Empty => "EMPTY\0",
            EntryType::RunLevel => "RUN_LVL\0",
            EntryType::BootTime => "BOOT_TIME\0",
            EntryType::NewTime => "NEW_TIME\0",
            EntryType::OldTime => "OLD_TIME\0",
            EntryType::InitProcess => "INIT_PROCESS\0",
            EntryType::LoginProcess => "LOGIN_PROCESS\0",
            EntryType::UserProcess => "USER_PROCESS\0",
            EntryType::DeadProcess => "DEAD_PROCESS\0",
            EntryType::Accounting => "ACCOUNTING\0",
            EntryType::Signature => "SIGNATURE\0",
            EntryType::ShutdownTime => "SHUTDOWN_TIME\0",
            EntryType::LastLogin => "LAST_LOGIN\0",
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
}

/// A string field: raw bytes with a NUL kept after them.
#[derive(Clone, Debug)]
pub struct Field(Vec<u8>);

impl Default for Field {
    fn default() -> Self {
        Field(vec![0])
    }
}

impl Field {
    /// The bytes, without the terminating NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..self.0.len() - 1]
    }

    /// The bytes, followed by a NUL.
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.0
    }

    #[inline(always)]
    pub fn clear(&mut self) {
        // The buffer always holds at least the NUL.
        self.0.truncate(1);
        self.0[0] = 0;
    }

    /// Replace the contents with `bytes`, cut at the first NUL.
    pub fn set(&mut self, bytes: &[u8]) {
        let n = memchr0(bytes);
        self.0.clear();
        self.0.extend_from_slice(&bytes[..n]);
        self.0.push(0);
    }

    /// `set` for a fixed-width field, a word at a time (the per-record hot
    /// path): copies up to the first NUL and returns the length and whether
    /// those bytes are all ASCII.
    #[inline(always)]
    fn set_scan(&mut self, raw: &[u8]) -> (usize, bool) {
        let v = &mut self.0;
        v.clear();
        let mut seen = 0u64;
        let mut i = 0;
        while i < raw.len() {
            // Past the end of the field the word reads as NUL bytes.
            let w = load_word(raw, i);
            let zero = zero_bytes(w);
            if zero != 0 {
                // Keep the bytes before the NUL; the rest of the word is
                // then zero, so its first byte after them is the NUL.
                let k = (zero.trailing_zeros() / 8) as usize;
                let kept = w & ((1u64 << (8 * k)) - 1);
                seen |= kept;
                v.extend_from_slice(&kept.to_le_bytes());
                v.truncate(i + k + 1);
                return (i + k, seen & HIGH_BITS == 0);
            }
            seen |= w;
            v.extend_from_slice(&w.to_le_bytes());
            i += 8;
        }
        v.push(0);
        (i, seen & HIGH_BITS == 0)
    }

    /// Replace the contents with text known to hold no NUL, given as a
    /// zero-filled buffer and the text's length (one fixed-size copy).
    #[inline(always)]
    fn set_padded<const N: usize>(&mut self, buf: &[u8; N], len: usize) {
        debug_assert!(len < N && buf[len..].iter().all(|&b| b == 0));
        self.0.clear();
        self.0.extend_from_slice(buf);
        self.0.truncate(len + 1);
    }

    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }

    pub fn is_empty(&self) -> bool {
        self.0.len() == 1
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

/// The 8 bytes of `raw` at `i` as a little-endian word, zero-filled past
/// the end of `raw`.
#[inline(always)]
fn load_word(raw: &[u8], i: usize) -> u64 {
    let rest = &raw[i..];
    if let Some(w) = rest.first_chunk::<8>() {
        return u64::from_le_bytes(*w);
    }
    let mut w = [0u8; 8];
    if let Some(h) = rest.first_chunk::<4>() {
        // The common short tail: a 4-byte ut_id.
        w[..4].copy_from_slice(h);
        for (d, &b) in w[4..].iter_mut().zip(&rest[4..]) {
            *d = b;
        }
    } else {
        for (d, &b) in w.iter_mut().zip(rest) {
            *d = b;
        }
    }
    u64::from_le_bytes(w)
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

/// Dotted-quad text of an IPv4 address into `out`; returns its length.
/// (`Ipv4Addr`'s `Display` goes through the formatting machinery, which
/// is most of a record's decoding time.)
fn format_ipv4(octets: [u8; 4], out: &mut [u8; 16]) -> usize {
    let mut n = 0;
    for (i, o) in octets.into_iter().enumerate() {
        // `n` stays below 16 (at most 15 characters); the mask lets the
        // compiler drop the bounds checks.
        if i > 0 {
            out[n & 15] = b'.';
            n += 1;
        }
        if o >= 100 {
            out[n & 15] = b'0' + o / 100;
            n += 1;
        }
        if o >= 10 {
            out[n & 15] = b'0' + o / 10 % 10;
            n += 1;
        }
        out[n & 15] = b'0' + o % 10;
        n += 1;
    }
    n
}

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
        self.entry_type = EntryType::Empty;
        self.raw_type = -1;
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

    pub fn field_mut(&mut self, which: StrField) -> &mut Field {
        match which {
            StrField::User => &mut self.user,
            StrField::Line => &mut self.line,
            StrField::Id => &mut self.id,
            StrField::Host => &mut self.host,
            StrField::Service => &mut self.service,
        }
    }

    /// Set the address from 16 raw bytes the way util-linux decides:
    /// IPv4 when words 1–3 are zero, none when all are zero.
    pub fn set_addr_v6_bytes(&mut self, raw: &[u8; 16]) {
        let words = u128::from_le_bytes(*raw);
        if words == 0 {
            self.addr_family = AddrFamily::None;
            self.addr = [0; 16];
            self.addr_text.clear();
        } else if words >> 32 == 0 {
            self.set_ipv4([raw[0], raw[1], raw[2], raw[3]]);
        } else {
            self.addr_family = AddrFamily::Ipv6;
            self.addr = *raw;
            let mut s = String::with_capacity(40);
            let _ = write!(s, "{}", Ipv6Addr::from(*raw));
            self.addr_text.set(s.as_bytes());
        }
    }

    pub fn set_ipv4(&mut self, octets: [u8; 4]) {
        self.addr_family = AddrFamily::Ipv4;
        self.addr = [0; 16];
        self.addr[..4].copy_from_slice(&octets);
        let mut text = [0u8; 16];
        let n = format_ipv4(octets, &mut text);
        self.addr_text.set_padded(&text, n);
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
