//! The encoder: one record of any fixed layout from an [`Entry`], driven
//! by the same [`RecordLayout`] rows the decoder reads. It is the inverse
//! of [`RecordLayout::decode`] for every entry that fits.

use crate::entry::{AddrFamily, Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{Addr, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// Which fields of an entry did not fit the layout and were cut, as the
/// system's libc cuts them (`strncpy` into the fixed field: the first
/// bytes are kept, with no NUL when the field is full). Bits of
/// [`Encoded::cut`]; the C ABI's `UT_CUT_*`.
pub mod cut {
    pub const USER: u32 = 1 << 0;
    pub const LINE: u32 = 1 << 1;
    pub const ID: u32 = 1 << 2;
    pub const HOST: u32 = 1 << 3;
    /// The layout has no number for the entry's type.
    pub const TYPE: u32 = 1 << 4;
    /// The seconds do not fit (negative in an unsigned field, too large).
    pub const TIME: u32 = 1 << 5;
    pub const PID: u32 = 1 << 6;
    pub const SESSION: u32 = 1 << 7;
    pub const EXIT: u32 = 1 << 8;
    /// An IPv6 address in a layout that holds only IPv4.
    pub const ADDR: u32 = 1 << 9;
    /// The layout keeps no microseconds and they were not 0.
    pub const USEC: u32 = 1 << 10;
    /// Bits that make a record wrong rather than shortened: a writer
    /// refuses such an entry.
    pub const REFUSED: u32 = TYPE | TIME;
}

/// The raw type number `layout` stores for `e`'s type: the entry's own
/// `raw_type` when the layout reads it back as the same type, else the
/// smallest number that does. `None`: the layout has no type field (the
/// type is implied by the strings) or no number for this type.
fn raw_type(layout: &RecordLayout, e: &Entry) -> Option<i64> {
    let back = |raw: i64| (layout.classify)(raw, e) == Some(e.entry_type);
    if e.raw_type >= 0 && back(e.raw_type as i64) {
        return Some(e.raw_type as i64);
    }
    (0..=64).find(|&raw| back(raw))
}

/// Store `v` in the integer field `at`; false when it does not fit. An
/// unknown value (-1) in an unsigned field is stored as 0 and counts as
/// fitting.
fn put_int(rec: &mut [u8], endian: Endian, at: Int, v: i64) -> bool {
    put_num(rec, endian, at, v, true)
}

/// `put_int`; `unknown` says whether -1 means "unknown" (a time does not).
fn put_num(rec: &mut [u8], endian: Endian, at: Int, v: i64, unknown: bool) -> bool {
    fn put<const N: usize>(rec: &mut [u8], o: usize, le: [u8; N], be: [u8; N], endian: Endian) {
        rec[o..o + N].copy_from_slice(if endian == Endian::Little { &le } else { &be });
    }
    macro_rules! store {
        ($o:expr, $t:ty, $signed:expr) => {{
            let v = if !$signed && unknown && v == -1 { 0 } else { v };
            let fits = <$t>::try_from(v).is_ok();
            let x = v as $t;
            put(rec, $o, x.to_le_bytes(), x.to_be_bytes(), endian);
            fits
        }};
    }
    match at {
        Int::Absent => true,
        Int::U8(o) => store!(o, u8, false),
        Int::I16(o) => store!(o, i16, true),
        Int::U16(o) => store!(o, u16, false),
        Int::I32(o) => store!(o, i32, true),
        Int::U32(o) => store!(o, u32, false),
        Int::I64(o) => store!(o, i64, true),
        Int::U64(o) => store!(o, u64, false),
    }
}

/// `strncpy` of `text` into the field `at`: the first bytes, zero-filled;
/// true when it was cut.
fn put_str(rec: &mut [u8], at: Option<(usize, usize)>, text: &[u8]) -> bool {
    let Some((off, len)) = at else {
        return false;
    };
    let n = text.len().min(len);
    rec[off..off + n].copy_from_slice(&text[..n]);
    rec[off + n..off + len].fill(0);
    text.len() > len
}

/// Encode `e` as one record of `layout` into `rec` (exactly `layout.size`
/// bytes; every byte is written, padding as zeros). Returns the
/// [`cut`] bits.
pub fn encode_into(layout: &RecordLayout, e: &Entry, rec: &mut [u8]) -> u32 {
    debug_assert_eq!(rec.len(), layout.size);
    let end = layout.endian;
    let mut cuts = 0;
    let mut flag = |bit: u32, cut: bool| {
        if cut {
            cuts |= bit;
        }
    };
    // Fields the layout does not name are zero (padding, reserved).
    rec.fill(0);
    flag(cut::USER, put_str(rec, layout.user, e.user.as_bytes()));
    flag(cut::LINE, put_str(rec, layout.line, e.line.as_bytes()));
    flag(cut::ID, put_str(rec, layout.id, e.id.as_bytes()));
    match (layout.host, layout.host_len) {
        (Some((off, len)), Int::Absent) => {
            flag(cut::HOST, put_str(rec, Some((off, len)), e.host.as_bytes()));
        }
        (Some((off, len)), at) => {
            // Solaris ut_syslen counts the host's NUL, so the host keeps
            // one byte for it; 0 for no host.
            flag(
                cut::HOST,
                put_str(rec, Some((off, len - 1)), e.host.as_bytes()),
            );
            let n = match e.host.as_bytes().len() {
                0 => 0,
                l => l.min(len - 1) + 1,
            };
            put_int(rec, end, at, n as i64);
        }
        (None, _) => {}
    }
    if layout.kind == Kind::Events {
        match layout.raw_type {
            Int::Absent => flag(cut::TYPE, (layout.classify)(-1, e) != Some(e.entry_type)),
            at => match raw_type(layout, e) {
                Some(raw) => {
                    put_int(rec, end, at, raw);
                }
                None => flag(cut::TYPE, true),
            },
        }
    }
    flag(cut::PID, !put_int(rec, end, layout.pid, e.pid));
    flag(cut::SESSION, !put_int(rec, end, layout.session, e.session));
    let t = put_int(rec, end, layout.exit_termination, e.exit_termination as i64);
    let s = put_int(rec, end, layout.exit_status, e.exit_status as i64);
    flag(cut::EXIT, !(t && s));
    let usec = e.usec as i64;
    let time_ok = match layout.time {
        Time::SecUsec(s, Int::Absent) => {
            flag(cut::USEC, usec != 0);
            put_num(rec, end, s, e.sec, false)
        }
        Time::SecUsec(s, u) => {
            flag(cut::USEC, !put_num(rec, end, u, usec, false));
            put_num(rec, end, s, e.sec, false)
        }
        Time::Micros(m) => e
            .sec
            .checked_mul(1_000_000)
            .and_then(|us| us.checked_add(usec))
            .is_some_and(|us| put_num(rec, end, m, us, false)),
    };
    flag(cut::TIME, !time_ok);
    let v4 = [e.addr[0], e.addr[1], e.addr[2], e.addr[3]];
    match (layout.addr, e.addr_family) {
        (_, AddrFamily::None) | (Addr::Absent, _) => {}
        (Addr::V6Words(o), AddrFamily::Ipv4) => rec[o..o + 4].copy_from_slice(&v4),
        (Addr::V6Words(o), AddrFamily::Ipv6) => rec[o..o + 16].copy_from_slice(&e.addr),
        (Addr::V4(o), AddrFamily::Ipv4) => rec[o..o + 4].copy_from_slice(&v4),
        (Addr::V4(_), AddrFamily::Ipv6) => flag(cut::ADDR, true),
        (Addr::SockaddrBsd(o), AddrFamily::Ipv4) => {
            // sockaddr_in: sin_len 16, AF_INET, port 0, the address.
            rec[o] = 16;
            rec[o + 1] = 2;
            rec[o + 4..o + 8].copy_from_slice(&v4);
        }
        (Addr::SockaddrBsd(o), AddrFamily::Ipv6) => {
            // NetBSD sockaddr_in6: sin6_len 28, AF_INET6 24.
            rec[o] = 28;
            rec[o + 1] = 24;
            rec[o + 8..o + 24].copy_from_slice(&e.addr);
        }
    }
    cuts
}

/// The record layout of a format utx can write, or why it cannot.
pub fn writable_layout(format: Format) -> Result<&'static RecordLayout> {
    format.layout().ok_or_else(|| {
        Error::new(
            ErrorKind::Unsupported,
            format!(
                "{}: not a fixed-size record format; utx writes only those",
                format.name()
            ),
        )
    })
}

/// One record of `format` from `e` into `buf`; returns the bytes written
/// (the record size) and the [`cut`] bits. `buf` shorter than a record is
/// an invalid argument (nothing written).
pub fn encode(e: &Entry, format: Format, buf: &mut [u8]) -> Result<(usize, u32)> {
    let layout = writable_layout(format)?;
    let have = buf.len();
    let rec = buf.get_mut(..layout.size).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "buffer of {} bytes; a {} record needs {}",
                have,
                format.name(),
                layout.size
            ),
        )
    })?;
    Ok((layout.size, encode_into(layout, e, rec)))
}

/// Whether an entry of this type can be written to a `layout` file at all
/// (a lastlog takes only last logins and user logins).
pub(crate) fn type_allowed(layout: &RecordLayout, t: EntryType) -> bool {
    layout.kind == Kind::Events || matches!(t, EntryType::LastLogin | EntryType::UserProcess)
}
