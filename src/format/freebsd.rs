//! FreeBSD ≥ 9 utx database (FORMATS.md §3.1): the packed 197-byte
//! big-endian `futx` with microsecond times, fixed-size in utx.active and
//! utx.lastlogin; utx.log frames it (see `utx_log`).

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// FreeBSD's own numbering, which differs from everyone else's.
const TYPES: [EntryType; 9] = [
    EntryType::Empty,
    EntryType::BootTime,
    EntryType::OldTime,
    EntryType::NewTime,
    EntryType::UserProcess,
    EntryType::InitProcess,
    EntryType::LoginProcess,
    EntryType::DeadProcess,
    EntryType::ShutdownTime,
];

pub fn futx_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    TYPES.get(usize::try_from(raw).ok()?).copied()
}

/// utx.lastlogin holds one USER_PROCESS record per user name.
pub fn lastlogin_type(raw: i64, e: &Entry) -> Option<EntryType> {
    match futx_type(raw, e)? {
        EntryType::UserProcess => Some(EntryType::LastLogin),
        t => Some(t),
    }
}

/// Size of a whole `futx`.
pub const FUTX_SIZE: usize = 197;

pub static FUTX_197: RecordLayout = RecordLayout {
    raw_type: Int::U8(0),
    time: Time::Micros(Int::U64(1)),
    id: Some((9, 8)),
    pid: Int::U32(17),
    user: Some((21, 32)),
    line: Some((53, 16)),
    host: Some((69, 128)),
    // libc's futx_to_utx drops a record of unknown type: getutxent, and
    // so every FreeBSD tool, skips it (as utx.log's reader does).
    unknown_types: false,
    ..blank(
        Format::FreebsdUtx,
        FUTX_SIZE,
        Endian::Big,
        Kind::Events,
        futx_type as Classify,
    )
};

pub static FUTX_LASTLOGIN_197: RecordLayout = RecordLayout {
    format: Format::FreebsdUtxLastlogin,
    classify: lastlogin_type as Classify,
    ..FUTX_197
};
