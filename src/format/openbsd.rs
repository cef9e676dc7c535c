//! OpenBSD ≥ 5.5 (FORMATS.md §5): 304-byte utmp/wtmp with no type field
//! (an empty name is a free slot or a logout) and a 272-byte lastlog.

use crate::format::bsd::{lastlog, utmp};
use crate::format::layout::{Endian, Int, RecordLayout};
use crate::format::Format;

pub static UTMP_304_LE: RecordLayout = utmp(
    Format::OpenbsdUtmp304Le,
    Endian::Little,
    (8, 32, 256),
    Int::I64(296),
    304,
);
pub static UTMP_304_BE: RecordLayout = utmp(
    Format::OpenbsdUtmp304Be,
    Endian::Big,
    (8, 32, 256),
    Int::I64(296),
    304,
);
pub static LASTLOG_272_LE: RecordLayout = lastlog(
    Format::OpenbsdLastlog272Le,
    Endian::Little,
    Int::I64(0),
    (8, 8, 256),
);
pub static LASTLOG_272_BE: RecordLayout = lastlog(
    Format::OpenbsdLastlog272Be,
    Endian::Big,
    Int::I64(0),
    (8, 8, 256),
);
