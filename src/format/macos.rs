//! macOS ≥ 10.5 /var/run/utmpx (FORMATS.md §7.1): 628-byte `utmpx32`
//! records behind a `utmpx-1.00` signature record.

use crate::entry::{Entry, EntryType};
use crate::format::layout::{blank, svr4_type, Classify, Endian, Int, Kind, RecordLayout, Time};
use crate::format::Format;

/// SVR4 numbers plus SIGNATURE 10 and SHUTDOWN_TIME 11.
pub fn utmpx_type(raw: i64, _e: &Entry) -> Option<EntryType> {
    svr4_type(
        raw,
        &[(10, EntryType::Signature), (11, EntryType::ShutdownTime)],
    )
}

const fn utmpx(format: Format, endian: Endian) -> RecordLayout {
    RecordLayout {
        user: Some((0, 256)),
        id: Some((256, 4)),
        line: Some((260, 32)),
        pid: Int::I32(292),
        raw_type: Int::I16(296),
        time: Time::SecUsec(Int::I32(300), Int::I32(304)),
        host: Some((308, 256)),
        padding: &[(298, 2), (564, 64)],
        ..blank(format, 628, endian, Kind::Events, utmpx_type as Classify)
    }
}

pub static MACOS_628_LE: RecordLayout = utmpx(Format::MacosUtmpx628Le, Endian::Little);
pub static MACOS_628_BE: RecordLayout = utmpx(Format::MacosUtmpx628Be, Endian::Big);

/// The signature record's `ut_user`, NUL included.
pub const SIGNATURE: &[u8] = b"utmpx-1.00\0";
