//! AIX ≥ 5 utmp, wtmp and /etc/security/failedlogin (FORMATS.md §9): 648
//! bytes, big-endian. Offsets follow C alignment of the AIX 5.3 header
//! (kaitai's spec disagrees at 334–343); no real AIX file was available.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, svr4_type, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

pub fn aix_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    svr4_type(raw, &[])
}

pub static AIX_648_BE: RecordLayout = RecordLayout {
    user: Some((0, 256)),
    id: Some((256, 14)),
    line: Some((270, 64)),
    pid: Int::I32(336),
    raw_type: Int::I16(340),
    // One i64 in the 64-bit ABI; 4 spare bytes + an i32 in the 32-bit one.
    // Both read as a BE i64 for non-negative times.
    time: Time::SecUsec(Int::I64(344), Int::Absent),
    exit_termination: Int::I16(352),
    exit_status: Int::I16(354),
    host: Some((356, 256)),
    padding: &[(334, 2), (342, 2), (612, 36)],
    ..blank(
        Format::AixUtmp648Be,
        648,
        Endian::Big,
        Kind::Events,
        aix_type as Classify,
    )
};
