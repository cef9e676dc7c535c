//! Solaris/illumos `futmpx` (372 bytes, FORMATS.md §8), the same layout
//! from IRIX (§11, big-endian, no DOWN_TIME), and the legacy 36-byte SVR4
//! `futmp`. The 28-byte lastlog is `bsd::LASTLOG_28_*`.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, svr4_type, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// SVR4 numbers plus DOWN_TIME 10.
pub fn solaris_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    svr4_type(raw, &[(10, EntryType::ShutdownTime)])
}

/// IRIX stops at ACCOUNTING 9.
pub fn irix_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    svr4_type(raw, &[])
}

const fn futmpx(format: Format, endian: Endian, classify: Classify) -> RecordLayout {
    RecordLayout {
        user: Some((0, 32)),
        id: Some((32, 4)),
        line: Some((36, 32)),
        pid: Int::I32(68),
        raw_type: Int::I16(72),
        exit_termination: Int::I16(74),
        exit_status: Int::I16(76),
        time: Time::SecUsec(Int::I32(80), Int::I32(84)),
        session: Int::I32(88),
        host_len: Int::I16(112),
        host: Some((114, 257)),
        padding: &[(78, 2), (92, 20), (371, 1)],
        ..blank(format, 372, endian, Kind::Events, classify)
    }
}

pub static FUTMPX_372_LE: RecordLayout = futmpx(
    Format::SolarisUtmpx372Le,
    Endian::Little,
    solaris_type as Classify,
);
pub static FUTMPX_372_BE: RecordLayout = futmpx(
    Format::SolarisUtmpx372Be,
    Endian::Big,
    solaris_type as Classify,
);
pub static IRIX_372_BE: RecordLayout =
    futmpx(Format::IrixUtmpx372Be, Endian::Big, irix_type as Classify);

/// Legacy `futmp`: user[8] id[4] line[12] i16 pid, i16 type, exit, i32 time.
const fn futmp(format: Format, endian: Endian) -> RecordLayout {
    RecordLayout {
        user: Some((0, 8)),
        id: Some((8, 4)),
        line: Some((12, 12)),
        pid: Int::I16(24),
        raw_type: Int::I16(26),
        exit_termination: Int::I16(28),
        exit_status: Int::I16(30),
        time: Time::SecUsec(Int::I32(32), Int::Absent),
        ..blank(format, 36, endian, Kind::Events, solaris_type as Classify)
    }
}

pub static FUTMP_36_LE: RecordLayout = futmp(Format::Svr4Utmp36Le, Endian::Little);
pub static FUTMP_36_BE: RecordLayout = futmp(Format::Svr4Utmp36Be, Endian::Big);
