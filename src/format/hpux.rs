//! HP-UX 9 to 11i utmp/wtmp/btmp (FORMATS.md §10): 60 bytes in the 32-bit
//! ABI, big-endian, with a 4-byte IPv4 address.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{
    blank, svr4_type, Addr, Classify, Endian, Int, Kind, RecordLayout, Time,
};
use crate::format::Format;

pub fn hpux_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    svr4_type(raw, &[])
}

pub static HPUX_60_BE: RecordLayout = RecordLayout {
    user: Some((0, 8)),
    id: Some((8, 4)),
    line: Some((12, 12)),
    pid: Int::I32(24),
    raw_type: Int::I16(28),
    exit_termination: Int::I16(30),
    exit_status: Int::I16(32),
    time: Time::SecUsec(Int::I32(36), Int::Absent),
    host: Some((40, 16)),
    addr: Addr::V4(56),
    padding: &[(34, 2)],
    ..blank(
        Format::HpuxUtmp60Be,
        60,
        Endian::Big,
        Kind::Events,
        hpux_type as Classify,
    )
};
