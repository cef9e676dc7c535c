//! Classic BSD utmp/wtmp/lastlog without a type field (FORMATS.md §6, §3.2):
//! 4.xBSD 36 bytes, FreeBSD ≤ 8 44 bytes, and the 28-byte lastlog that
//! 4.xBSD, FreeBSD ≤ 8 and Solaris share. The meaning of a record comes
//! from `ut_line` and `ut_name`, as BSD `last` reads them.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// The marker records: `~` reboot/shutdown, `|`/`{` date (time before and
/// after a clock change). Used by every BSD family, typed or not.
pub fn marker(e: &Entry) -> Option<EntryType> {
    match (e.line.as_bytes(), e.user.as_bytes()) {
        (b"~", b"shutdown") => Some(EntryType::ShutdownTime),
        // `last` treats any other `~` record as a reboot ("crash").
        (b"~", _) => Some(EntryType::BootTime),
        (b"|", b"date") => Some(EntryType::OldTime),
        (b"{", b"date") => Some(EntryType::NewTime),
        _ => None,
    }
}

/// Type of a record without a type field: a marker, a login (name set),
/// a logout (line set, name empty) or a free slot.
pub fn untyped(_raw: i64, e: &Entry) -> Option<EntryType> {
    Some(marker(e).unwrap_or(if !e.user.is_empty() {
        EntryType::UserProcess
    } else if !e.line.is_empty() {
        EntryType::DeadProcess
    } else {
        EntryType::Empty
    }))
}

pub fn last_login(_raw: i64, _e: &Entry) -> Option<EntryType> {
    Some(EntryType::LastLogin)
}

/// `line[l] name[n] host[h] time`, the shape of every BSD utmp.
pub const fn utmp(
    format: Format,
    endian: Endian,
    (line, name, host): (usize, usize, usize),
    time: Int,
    size: usize,
) -> RecordLayout {
    RecordLayout {
        line: Some((0, line)),
        user: Some((line, name)),
        host: Some((line + name, host)),
        time: Time::SecUsec(time, Int::Absent),
        ..blank(format, size, endian, Kind::Events, untyped as Classify)
    }
}

/// `time line[l] host[h]`, the shape of every BSD lastlog.
pub const fn lastlog(
    format: Format,
    endian: Endian,
    time: Int,
    (at, line, host): (usize, usize, usize),
) -> RecordLayout {
    RecordLayout {
        line: Some((at, line)),
        host: Some((at + line, host)),
        time: Time::SecUsec(time, Int::Absent),
        ..blank(
            format,
            at + line + host,
            endian,
            Kind::LastLog,
            last_login as Classify,
        )
    }
}

use Endian::{Big, Little};

/// 4.2/4.3/4.4BSD and macOS < 10.5: 8/8/16 and an i32 time.
pub static UTMP_36_LE: RecordLayout =
    utmp(Format::BsdUtmp36Le, Little, (8, 8, 16), Int::I32(32), 36);
pub static UTMP_36_BE: RecordLayout = utmp(Format::BsdUtmp36Be, Big, (8, 8, 16), Int::I32(32), 36);
/// FreeBSD ≤ 8: a 16-byte name.
pub static FREEBSD_44_LE: RecordLayout = utmp(
    Format::FreebsdUtmp44Le,
    Little,
    (8, 16, 16),
    Int::I32(40),
    44,
);
pub static FREEBSD_44_BE: RecordLayout =
    utmp(Format::FreebsdUtmp44Be, Big, (8, 16, 16), Int::I32(40), 44);
/// lastlog of 4.xBSD, FreeBSD ≤ 8 and Solaris: i32 time, line[8], host[16].
pub static LASTLOG_28_LE: RecordLayout =
    lastlog(Format::BsdLastlog28Le, Little, Int::I32(0), (4, 8, 16));
pub static LASTLOG_28_BE: RecordLayout =
    lastlog(Format::BsdLastlog28Be, Big, Int::I32(0), (4, 8, 16));
