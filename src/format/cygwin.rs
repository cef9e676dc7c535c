//! Cygwin utmp/wtmp (newlib `sys/utmp.h` for Cygwin): `short ut_type;
//! pid_t ut_pid; char ut_line[16]; char ut_id[2]; time_t ut_time;
//! char ut_user[16]; char ut_host[256]; long ut_addr;`, Linux type
//! numbers. `pututxline` writes this struct (utmpx only appends a timeval
//! in memory). Sizes computed for i686 (ILP32, 32-bit `time_t`: 308) and
//! x86_64 (LP64: 320); no real Cygwin file was available.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, Addr, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

pub fn cygwin_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    EntryType::from_linux(raw)
}

/// The fields after `ut_id` move with the size of `time_t` and `long`.
const fn utmp(
    format: Format,
    size: usize,
    time: Int,
    (user, host, addr): (usize, usize, usize),
    padding: &'static [(usize, usize)],
) -> RecordLayout {
    RecordLayout {
        raw_type: Int::I16(0),
        pid: Int::I32(4),
        line: Some((8, 16)),
        id: Some((24, 2)),
        time: Time::SecUsec(time, Int::Absent),
        user: Some((user, 16)),
        host: Some((host, 256)),
        addr: Addr::V4(addr),
        padding,
        ..blank(
            format,
            size,
            Endian::Little,
            Kind::Events,
            cygwin_type as Classify,
        )
    }
}

/// i686: time@28 (4), user@32, host@48, addr@304.
pub static UTMP_308_LE: RecordLayout = utmp(
    Format::CygwinUtmp308Le,
    308,
    Int::I32(28),
    (32, 48, 304),
    &[(2, 2), (26, 2)],
);
/// x86_64: time@32 (8), user@40, host@56, addr@312 (a `long`).
pub static UTMP_320_LE: RecordLayout = utmp(
    Format::CygwinUtmp320Le,
    320,
    Int::I64(32),
    (40, 56, 312),
    &[(2, 2), (26, 6), (316, 4)],
);
