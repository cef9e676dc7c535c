//! Linux glibc, utmps and lastlog layouts (FORMATS.md §2).
//!
//! Layout A (384): x86, arm, riscv, ppc, mips, sparc… Layout A′ (382): m68k.
//! Layout B (400): aarch64, alpha, loongarch64, s390x. B′ (392): arc, or1k.
//! utmps/musl (400): B with a 32-bit session. lastlog: 292 or 296.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{Addr, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// Linux type numbers are the normalized ones (0..=9).
fn linux_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    EntryType::from_linux(raw)
}

fn last_login(_raw: i64, _e: &Entry) -> Option<EntryType> {
    Some(EntryType::LastLogin)
}

/// The fields shared by layouts A and B (offsets 0..332).
const fn glibc(
    format: Format,
    size: usize,
    endian: Endian,
    session: Int,
    time: Time,
    addr: usize,
    padding: &'static [(usize, usize)],
) -> RecordLayout {
    RecordLayout {
        format,
        size,
        endian,
        kind: Kind::Events,
        raw_type: Int::I16(0),
        classify: linux_type as Classify,
        pid: Int::I32(4),
        session,
        exit_termination: Int::I16(332),
        exit_status: Int::I16(334),
        time,
        user: Some((44, 32)),
        line: Some((8, 32)),
        id: Some((40, 4)),
        host: Some((76, 256)),
        host_len: Int::Absent,
        addr: Addr::V6Words(addr),
        padding,
        unknown_types: true,
    }
}

/// Layout A: u32 seconds at 340 (glibc ≥ 2.40 reads them unsigned).
const A_TIME: Time = Time::SecUsec(Int::U32(340), Int::I32(344));
const A_PAD: &[(usize, usize)] = &[(2, 2), (364, 20)];
pub static GLIBC_384_LE: RecordLayout = glibc(
    Format::Glibc384Le,
    384,
    Endian::Little,
    Int::I32(336),
    A_TIME,
    348,
    A_PAD,
);
pub static GLIBC_384_BE: RecordLayout = glibc(
    Format::Glibc384Be,
    384,
    Endian::Big,
    Int::I32(336),
    A_TIME,
    348,
    A_PAD,
);

/// Layout B: i64 session, i64 seconds and microseconds.
const B_TIME: Time = Time::SecUsec(Int::I64(344), Int::I64(352));
const B_PAD: &[(usize, usize)] = &[(2, 2), (376, 24)];
pub static GLIBC_400_LE: RecordLayout = glibc(
    Format::Glibc400Le,
    400,
    Endian::Little,
    Int::I64(336),
    B_TIME,
    360,
    B_PAD,
);
pub static GLIBC_400_BE: RecordLayout = glibc(
    Format::Glibc400Be,
    400,
    Endian::Big,
    Int::I64(336),
    B_TIME,
    360,
    B_PAD,
);

/// utmps and musl: like B, but the session is an i32 at 336 (then padding).
pub static UTMPS_400_LE: RecordLayout = glibc(
    Format::Utmps400Le,
    400,
    Endian::Little,
    Int::I32(336),
    B_TIME,
    360,
    B_PAD,
);
pub static UTMPS_400_BE: RecordLayout = glibc(
    Format::Utmps400Be,
    400,
    Endian::Big,
    Int::I32(336),
    B_TIME,
    360,
    B_PAD,
);

/// Layout B′ (arc, or1k): i32 session at 336, 16-byte timeval at 340.
const B2_TIME: Time = Time::SecUsec(Int::I64(340), Int::I64(348));
const B2_PAD: &[(usize, usize)] = &[(2, 2), (372, 20)];
pub static GLIBC_392_LE: RecordLayout = glibc(
    Format::Glibc392Le,
    392,
    Endian::Little,
    Int::I32(336),
    B2_TIME,
    356,
    B2_PAD,
);
pub static GLIBC_392_BE: RecordLayout = glibc(
    Format::Glibc392Be,
    392,
    Endian::Big,
    Int::I32(336),
    B2_TIME,
    356,
    B2_PAD,
);

/// Layout A′ (m68k, big-endian): layout A without the 2 bytes after
/// `ut_type`, so every later field is 2 bytes earlier.
pub static GLIBC_382_BE: RecordLayout = RecordLayout {
    format: Format::Glibc382Be,
    size: 382,
    endian: Endian::Big,
    kind: Kind::Events,
    raw_type: Int::I16(0),
    classify: linux_type as Classify,
    pid: Int::I32(2),
    session: Int::I32(334),
    exit_termination: Int::I16(330),
    exit_status: Int::I16(332),
    time: Time::SecUsec(Int::U32(338), Int::I32(342)),
    user: Some((42, 32)),
    line: Some((6, 32)),
    id: Some((38, 4)),
    host: Some((74, 256)),
    host_len: Int::Absent,
    addr: Addr::V6Words(346),
    padding: &[(362, 20)],
    unknown_types: true,
};

const fn lastlog(format: Format, endian: Endian, wide_time: bool) -> RecordLayout {
    let (time, base) = if wide_time {
        (Int::I64(0), 8)
    } else {
        (Int::U32(0), 4)
    };
    RecordLayout {
        format,
        size: base + 32 + 256,
        endian,
        kind: Kind::LastLog,
        raw_type: Int::Absent,
        classify: last_login as Classify,
        pid: Int::Absent,
        session: Int::Absent,
        exit_termination: Int::Absent,
        exit_status: Int::Absent,
        time: Time::SecUsec(time, Int::Absent),
        user: None,
        line: Some((base, 32)),
        id: None,
        host: Some((base + 32, 256)),
        host_len: Int::Absent,
        addr: Addr::Absent,
        padding: &[],
        unknown_types: true,
    }
}

pub static LASTLOG_292_LE: RecordLayout = lastlog(Format::Lastlog292Le, Endian::Little, false);
pub static LASTLOG_292_BE: RecordLayout = lastlog(Format::Lastlog292Be, Endian::Big, false);
pub static LASTLOG_296_LE: RecordLayout = lastlog(Format::Lastlog296Le, Endian::Little, true);
pub static LASTLOG_296_BE: RecordLayout = lastlog(Format::Lastlog296Be, Endian::Big, true);
