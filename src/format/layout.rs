//! Fixed-size record layouts as data (the schema), and the one decoder
//! that reads them. Detection's scoring of a record is in `detect`.

use crate::entry::{flags, Entry, EntryType, StrField};
use crate::format::linux;
use crate::format::Format;

/// Byte order of a layout's integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

/// Where an integer field sits and how wide it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int {
    Absent,
    U8(usize),
    I16(usize),
    U16(usize),
    I32(usize),
    U32(usize),
    I64(usize),
    U64(usize),
}

/// How a record stores its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Time {
    /// Seconds and microseconds in two integers.
    SecUsec(Int, Int),
    /// Microseconds since the epoch in one integer.
    Micros(Int),
}

/// How a record stores its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr {
    Absent,
    /// glibc `ut_addr_v6`: 16 bytes, IPv4 when words 1–3 are zero.
    V6Words(usize),
    /// A 4-byte IPv4 address in network order.
    V4(usize),
    /// A BSD `sockaddr_storage`: `ss_len`, `ss_family` (AF_INET 2,
    /// NetBSD AF_INET6 24), then `sin_addr` at +4 or `sin6_addr` at +8.
    SockaddrBsd(usize),
}

/// What the records of a file are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// utmp, wtmp, btmp: one event per record.
    Events,
    /// lastlog: indexed by uid, sparse, all-zero records mean "never".
    LastLog,
}

/// Maps the stored type number (-1 when there is none) and the decoded
/// strings to a normalized type; `None` marks a record that is not valid.
pub type Classify = fn(raw: i64, entry: &Entry) -> Option<EntryType>;

/// A layout with no fields yet, for rows that name only what they have
/// (`RecordLayout { user: …, ..layout::blank(…) }`).
pub const fn blank(
    format: Format,
    size: usize,
    endian: Endian,
    kind: Kind,
    classify: Classify,
) -> RecordLayout {
    RecordLayout {
        format,
        size,
        endian,
        kind,
        raw_type: Int::Absent,
        classify,
        pid: Int::Absent,
        session: Int::Absent,
        exit_termination: Int::Absent,
        exit_status: Int::Absent,
        time: Time::SecUsec(Int::Absent, Int::Absent),
        user: None,
        line: None,
        id: None,
        host: None,
        host_len: Int::Absent,
        addr: Addr::Absent,
        padding: &[],
        unknown_types: true,
    }
}

/// The SVR4 type numbering (Solaris, IRIX, AIX, HP-UX, NetBSD, macOS):
/// Linux's, with OLD_TIME (3) and NEW_TIME (4) swapped. `extra` maps the
/// family's numbers above 9.
pub fn svr4_type(raw: i64, extra: &[(i64, EntryType)]) -> Option<EntryType> {
    match raw {
        3 => Some(EntryType::OldTime),
        4 => Some(EntryType::NewTime),
        0..=9 => EntryType::from_linux(raw),
        _ => extra.iter().find(|(n, _)| *n == raw).map(|(_, t)| *t),
    }
}

/// One fixed-size record format.
#[derive(Debug)]
pub struct RecordLayout {
    pub format: Format,
    pub size: usize,
    pub endian: Endian,
    pub kind: Kind,
    pub raw_type: Int,
    pub classify: Classify,
    pub pid: Int,
    pub session: Int,
    pub exit_termination: Int,
    pub exit_status: Int,
    pub time: Time,
    pub user: Option<(usize, usize)>,
    pub line: Option<(usize, usize)>,
    pub id: Option<(usize, usize)>,
    pub host: Option<(usize, usize)>,
    /// Solaris `ut_syslen`: significant bytes of the host (incl. NUL);
    /// 0 or out of range means "cut at the first NUL".
    pub host_len: Int,
    pub addr: Addr,
    /// Byte ranges that are padding: zero in every writer seen (used by
    /// detection, and to tell an UNKNOWN record from a corrupt one).
    pub padding: &'static [(usize, usize)],
    /// A well-formed record with a type number outside the format's range
    /// is returned as UNKNOWN (its system's tools show it); otherwise it
    /// is skipped as corrupt.
    pub unknown_types: bool,
}

impl RecordLayout {
    /// Read an integer field; `None` when the layout has no such field.
    #[inline(always)]
    pub fn int(&self, rec: &[u8], at: Int) -> Option<i64> {
        let le = self.endian == Endian::Little;
        fn arr<const N: usize>(rec: &[u8], off: usize) -> [u8; N] {
            rec[off..off + N].try_into().expect("field inside record")
        }
        Some(match at {
            Int::Absent => return None,
            Int::U8(o) => rec[o] as i64,
            Int::I16(o) if le => i16::from_le_bytes(arr(rec, o)) as i64,
            Int::I16(o) => i16::from_be_bytes(arr(rec, o)) as i64,
            Int::U16(o) if le => u16::from_le_bytes(arr(rec, o)) as i64,
            Int::U16(o) => u16::from_be_bytes(arr(rec, o)) as i64,
            Int::I32(o) if le => i32::from_le_bytes(arr(rec, o)) as i64,
            Int::I32(o) => i32::from_be_bytes(arr(rec, o)) as i64,
            Int::U32(o) if le => u32::from_le_bytes(arr(rec, o)) as i64,
            Int::U32(o) => u32::from_be_bytes(arr(rec, o)) as i64,
            Int::I64(o) if le => i64::from_le_bytes(arr(rec, o)),
            Int::I64(o) => i64::from_be_bytes(arr(rec, o)),
            // Saturate: a u64 above i64::MAX is an implausible time anyway.
            Int::U64(o) if le => u64::from_le_bytes(arr(rec, o)).min(i64::MAX as u64) as i64,
            Int::U64(o) => u64::from_be_bytes(arr(rec, o)).min(i64::MAX as u64) as i64,
        })
    }

    /// Seconds and microseconds of a record.
    #[inline(always)]
    pub fn time(&self, rec: &[u8]) -> (i64, i64) {
        match self.time {
            Time::SecUsec(s, u) => (self.int(rec, s).unwrap_or(0), self.int(rec, u).unwrap_or(0)),
            Time::Micros(m) => {
                let us = self.int(rec, m).unwrap_or(0);
                (us.div_euclid(1_000_000), us.rem_euclid(1_000_000))
            }
        }
    }

    /// Decode one record (exactly `self.size` bytes) into `e`. Returns
    /// false when the record is not valid for this layout (unknown type).
    #[inline(always)]
    pub fn decode(&self, rec: &[u8], offset: u64, e: &mut Entry) -> bool {
        self.decode_as(rec, offset, e, true)
    }

    /// `decode`, with or without the address. Detection never looks at
    /// it (the type is classified before it is read), and formatting the
    /// garbage a wrong layout sees there as IPv6 text was a tenth of its
    /// time.
    #[inline(always)]
    pub(crate) fn decode_as(&self, rec: &[u8], offset: u64, e: &mut Entry, addr: bool) -> bool {
        // The hosts' own layouts get a copy of the decoder compiled for
        // their constant offsets and types (the hot path when reading
        // big local files); every other layout uses the generic one.
        if std::ptr::eq(self, &linux::GLIBC_384_LE) {
            linux::GLIBC_384_LE.decode_inline(rec, offset, e, addr)
        } else if std::ptr::eq(self, &linux::GLIBC_400_LE) {
            linux::GLIBC_400_LE.decode_inline(rec, offset, e, addr)
        } else {
            self.decode_inline(rec, offset, e, addr)
        }
    }

    /// Every scalar of `e` is stored once, after the strings and the
    /// type (a reset first, then the decoded values over it, was two
    /// stores each on the per-record path).
    #[inline(always)]
    fn decode_inline(&self, rec: &[u8], offset: u64, e: &mut Entry, addr: bool) -> bool {
        // Every later field offset is checked against this length: for
        // the hot layouts a constant, so those checks fold away.
        let rec = &rec[..self.size];
        // The strings note FULL_WIDTH and NOT_UTF8 here.
        e.flags = 0;
        e.service.clear();
        // Unrolled: this runs once per record of every file read.
        set_string(e, StrField::User, rec, self.user);
        set_string(e, StrField::Line, rec, self.line);
        set_string(e, StrField::Id, rec, self.id);
        self.set_host(rec, e);
        let raw = self.int(rec, self.raw_type);
        let raw_type = raw.map_or(-1, |r| r as i32);
        let Some(t) = (self.classify)(raw.unwrap_or(-1), e).or_else(|| self.unknown(rec, e)) else {
            invalid(e, self.format, offset, raw_type);
            return false;
        };
        e.entry_type = t;
        e.raw_type = raw_type;
        e.format = self.format;
        e.offset = offset;
        e.pid = self.int(rec, self.pid).unwrap_or(-1);
        e.session = self.int(rec, self.session).unwrap_or(-1);
        e.uid = if self.kind == Kind::LastLog {
            (offset / self.size as u64) as i64
        } else {
            -1
        };
        e.exit_termination = self
            .int(rec, self.exit_termination)
            .map_or(-1, |v| v as i32);
        e.exit_status = self.int(rec, self.exit_status).map_or(-1, |v| v as i32);
        let (sec, usec) = self.time(rec);
        e.set_time(sec, usec);
        match self.addr {
            Addr::V6Words(o) if addr => e.set_addr_v6_bytes(rec[o..o + 16].try_into().expect("16")),
            Addr::V4(o) if addr => {
                let v4: [u8; 4] = rec[o..o + 4].try_into().expect("4");
                if v4 != [0; 4] {
                    e.set_ipv4(v4);
                } else {
                    e.clear_addr();
                }
            }
            Addr::SockaddrBsd(o) if addr => match rec[o + 1] {
                2 => e.set_ipv4(rec[o + 4..o + 8].try_into().expect("4")),
                24 | 28 | 30 => e.set_addr_v6_bytes(rec[o + 8..o + 24].try_into().expect("16")),
                _ => e.clear_addr(),
            },
            _ => e.clear_addr(),
        }
        // An empty record's zero time is not a sign of damage.
        if t == EntryType::Empty && sec == 0 {
            e.flags &= !flags::TIME_IMPLAUSIBLE;
        }
        true
    }
}

/// The entry of a record that is not valid for its layout: the strings
/// as decoded, the stored type, every other scalar unknown.
#[cold]
#[inline(never)]
fn invalid(e: &mut Entry, format: Format, offset: u64, raw_type: i32) {
    let string_flags = e.flags;
    e.reset_scalars(format, offset);
    e.addr_text.clear();
    e.raw_type = raw_type;
    e.flags = string_flags;
}

impl RecordLayout {
    /// Set the host, cut at Solaris `ut_syslen` where the layout has it.
    /// Writers disagree on what it counts: libc's `getutxent` family
    /// stores `strlen + 1` (the NUL included), OpenSSH's `loginrec.c`
    /// `strlen`. A NUL at `n - 1` is the first convention, at `n` (or `n`
    /// filling the field) the second; with neither (stale bytes after the
    /// name) the NUL-counting one. 0, or a length past the field, cuts at
    /// the first NUL (or the width).
    #[inline(always)]
    fn set_host(&self, rec: &[u8], e: &mut Entry) {
        let Some((off, len)) = self.host else {
            e.host.clear();
            return;
        };
        let field = &rec[off..off + len];
        let cut = match self.int(rec, self.host_len) {
            Some(n) if n >= 1 && (n as usize) <= len => {
                let n = n as usize;
                if field[n - 1] != 0 && (n == len || field[n] == 0) {
                    n
                } else {
                    n - 1
                }
            }
            _ => len,
        };
        let full_width = e.flags & flags::FULL_WIDTH;
        e.set_fixed(StrField::Host, &field[..cut]);
        if cut < len {
            // Cut by the length, not by the width of the field.
            e.flags = e.flags & !flags::FULL_WIDTH | full_width;
        }
    }

    /// The type of a record whose type number is outside the format's
    /// range: UNKNOWN when the rest of it is well-formed (its strings are
    /// printable UTF-8 text and its padding is zero), as
    /// util-linux `utmpdump` and `last` still show such records; `None`
    /// (skipped as corrupt) otherwise. The cold path of the decoder.
    #[cold]
    #[inline(never)]
    fn unknown(&self, rec: &[u8], e: &Entry) -> Option<EntryType> {
        let text_ok = [self.user, self.line, self.host]
            .iter()
            .flatten()
            .all(|&(o, n)| crate::format::detect::printable_text(&rec[o..o + n]));
        let padding_ok = self
            .padding
            .iter()
            .all(|&(o, n)| crate::format::detect::all_zero(&rec[o..o + n]));
        let ok = self.unknown_types && self.raw_type != Int::Absent && text_ok && padding_ok;
        (ok && e.flags & flags::NOT_UTF8 == 0).then_some(EntryType::Unknown)
    }
}

/// Set a string field from its place in the record, or clear it.
#[inline(always)]
fn set_string(e: &mut Entry, which: StrField, rec: &[u8], at: Option<(usize, usize)>) {
    match at {
        Some((off, len)) => e.set_fixed(which, &rec[off..off + len]),
        None => e.field_mut(which).clear(),
    }
}
