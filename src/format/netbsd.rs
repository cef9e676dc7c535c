//! NetBSD ≥ 5 (FORMATS.md §4): utmpx/wtmpx (520 bytes LP64, 516 i386,
//! optional `utmpx-2.00` signature record), 40-byte utmp/wtmp and 32-byte
//! lastlog. lastlogx is a Berkeley DB hash file: see `lastlogx`.

use crate::entry::{Entry, EntryType};
use crate::format::bsd::{self, lastlog, utmp};
use crate::format::layout::{
    blank, svr4_type, Addr, Classify, Endian, Int, Kind, RecordLayout, Time,
};
use crate::format::Format;

/// SVR4 numbers plus SIGNATURE 10 and DOWN_TIME 11. NetBSD's wtmpx also
/// holds BSD `~` reboot/shutdown markers typed INIT_PROCESS; NetBSD `last`
/// reads them as markers, and so do we (the raw type is kept).
pub fn utmpx_type(raw: i64, e: &Entry) -> Option<EntryType> {
    let t = svr4_type(
        raw,
        &[(10, EntryType::Signature), (11, EntryType::ShutdownTime)],
    )?;
    if t == EntryType::InitProcess || t == EntryType::UserProcess {
        if let Some(m) = bsd::marker(e) {
            return Some(m);
        }
    }
    Some(t)
}

const fn utmpx(format: Format, size: usize, endian: Endian) -> RecordLayout {
    RecordLayout {
        raw_type: Int::U16(326),
        user: Some((0, 32)),
        id: Some((32, 4)),
        line: Some((36, 32)),
        host: Some((68, 256)),
        session: Int::U16(324),
        pid: Int::I32(328),
        exit_termination: Int::U16(332),
        exit_status: Int::U16(334),
        addr: Addr::SockaddrBsd(336),
        time: Time::SecUsec(Int::I64(464), Int::I32(472)),
        // ut_pad: 36 bytes at 480 (LP64) or 40 at 476 (i386).
        padding: if size == 520 {
            &[(480, 36)]
        } else {
            &[(476, 40)]
        },
        ..blank(format, size, endian, Kind::Events, utmpx_type as Classify)
    }
}

pub static UTMPX_520_LE: RecordLayout = utmpx(Format::NetbsdUtmpx520Le, 520, Endian::Little);
pub static UTMPX_520_BE: RecordLayout = utmpx(Format::NetbsdUtmpx520Be, 520, Endian::Big);
pub static UTMPX_516_LE: RecordLayout = utmpx(Format::NetbsdUtmpx516Le, 516, Endian::Little);

/// utmp: line[8] name[8] host[16] i64 time (also LP64 4.4BSD).
pub static UTMP_40_LE: RecordLayout = utmp(
    Format::NetbsdUtmp40Le,
    Endian::Little,
    (8, 8, 16),
    Int::I64(32),
    40,
);
pub static UTMP_40_BE: RecordLayout = utmp(
    Format::NetbsdUtmp40Be,
    Endian::Big,
    (8, 8, 16),
    Int::I64(32),
    40,
);
/// lastlog: i64 time, line[8], host[16].
pub static LASTLOG_32_LE: RecordLayout = lastlog(
    Format::NetbsdLastlog32Le,
    Endian::Little,
    Int::I64(0),
    (8, 8, 16),
);
pub static LASTLOG_32_BE: RecordLayout = lastlog(
    Format::NetbsdLastlog32Be,
    Endian::Big,
    Int::I64(0),
    (8, 8, 16),
);

/// The signature record's name: `utmpx-` and a version digit.
pub const SIGNATURE_PREFIX: &[u8] = b"utmpx-";
