//! On-disk formats: one module per family, plus detection.
//!
//! Fixed-size record formats are data: a [`layout::RecordLayout`] row
//! (record size, byte order, field offsets, a type mapping). The few formats
//! that are not fixed-size records have their own stream types.

pub mod aix;
pub mod bsd;
pub mod cygwin;
pub mod detect;
pub mod freebsd;
pub mod hpux;
pub mod lastlog2;
pub mod lastlogx;
pub mod layout;
pub mod linux;
pub mod logind;
pub mod macos;
pub mod netbsd;
pub mod openbsd;
pub mod solaris;
pub mod utmpdump_text;
pub mod utx_log;
pub mod wtmpdb;

use layout::RecordLayout;

use crate::error::Result;
use crate::source::ByteSource;
use crate::stream::EntryStream;

/// Every format utx knows. The numbers are part of the C ABI: never reuse
/// or renumber, only append.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Format {
    /// Detect from content.
    Auto = 0,
    Glibc384Le = 1,
    Glibc384Be = 2,
    Glibc400Le = 3,
    Glibc400Be = 4,
    /// m68k: no padding after `ut_type`.
    Glibc382Be = 5,
    /// arc, or1k: 64-bit time, 4-byte alignment.
    Glibc392Le = 6,
    Glibc392Be = 7,
    /// utmps (skarnet) and musl: 400 bytes, 32-bit session.
    Utmps400Le = 8,
    Utmps400Be = 9,
    Lastlog292Le = 10,
    Lastlog292Be = 11,
    Lastlog296Le = 12,
    Lastlog296Be = 13,
    /// util-linux `utmpdump` text.
    UtmpdumpText = 14,
    /// wtmpdb SQLite database (the wtmp successor).
    Wtmpdb = 15,
    /// lastlog2 SQLite database (the lastlog successor).
    Lastlog2 = 16,
    /// systemd-logind state under /run/systemd.
    Logind = 17,
    /// FreeBSD ≥ 9 utx.active / utx.lastlogin: fixed 197-byte `futx`, BE.
    FreebsdUtx = 18,
    /// FreeBSD ≥ 9 utx.log: u16 BE length + trimmed `futx`.
    FreebsdUtxLog = 19,
    /// FreeBSD ≤ 8 utmp/wtmp: 44 bytes (16-byte name, i32 time).
    FreebsdUtmp44Le = 20,
    FreebsdUtmp44Be = 21,
    /// 4.xBSD, FreeBSD ≤ 8 and Solaris lastlog: 28 bytes (i32 time).
    BsdLastlog28Le = 22,
    BsdLastlog28Be = 23,
    /// NetBSD ≥ 5 utmpx/wtmpx, LP64 (and ILP32 ports aligning i64 to 8).
    NetbsdUtmpx520Le = 24,
    NetbsdUtmpx520Be = 25,
    /// NetBSD ≥ 5 utmpx/wtmpx on i386.
    NetbsdUtmpx516Le = 26,
    /// NetBSD ≥ 5 utmp/wtmp (also LP64 4.4BSD): 40 bytes, i64 time.
    NetbsdUtmp40Le = 27,
    NetbsdUtmp40Be = 28,
    /// NetBSD ≥ 5 lastlog: 32 bytes, i64 time.
    NetbsdLastlog32Le = 29,
    NetbsdLastlog32Be = 30,
    /// NetBSD lastlogx: a Berkeley DB 1.85 hash keyed by uid (read in uid
    /// order).
    NetbsdLastlogx = 31,
    /// OpenBSD ≥ 5.5 utmp/wtmp: 304 bytes, no type field.
    OpenbsdUtmp304Le = 32,
    OpenbsdUtmp304Be = 33,
    /// OpenBSD ≥ 5.5 lastlog: 272 bytes.
    OpenbsdLastlog272Le = 34,
    OpenbsdLastlog272Be = 35,
    /// 4.2/4.3/4.4BSD and old macOS utmp/wtmp: 36 bytes, i32 time.
    BsdUtmp36Le = 36,
    BsdUtmp36Be = 37,
    /// macOS ≥ 10.5 /var/run/utmpx: 628 bytes behind `utmpx-1.00`.
    MacosUtmpx628Le = 38,
    /// PowerPC-era macOS.
    MacosUtmpx628Be = 39,
    /// Solaris/illumos `futmpx`: 372 bytes (x86).
    SolarisUtmpx372Le = 40,
    /// Solaris `futmpx` on SPARC.
    SolarisUtmpx372Be = 41,
    /// IRIX utmpx/wtmpx: the `futmpx` layout, big-endian, no DOWN_TIME.
    IrixUtmpx372Be = 42,
    /// SVR4 (Solaris legacy) utmp/wtmp: 36 bytes with a type field.
    Svr4Utmp36Le = 43,
    Svr4Utmp36Be = 44,
    /// AIX ≥ 5 utmp/wtmp/failedlogin: 648 bytes, big-endian.
    AixUtmp648Be = 45,
    /// HP-UX 9 to 11i utmp/wtmp/btmp: 60 bytes, big-endian.
    HpuxUtmp60Be = 46,
    /// FreeBSD ≥ 9 utx.lastlogin: the `futx` layout, USER_PROCESS records
    /// read as last logins. Same bytes as `FreebsdUtx`, so detection picks
    /// that; `Reader::open_db` and `--format` choose this one.
    FreebsdUtxLastlogin = 47,
    /// Cygwin utmp/wtmp, 32-bit (i686): 308 bytes, i32 time.
    CygwinUtmp308Le = 48,
    /// Cygwin utmp/wtmp, 64-bit (x86_64): 320 bytes, i64 time.
    CygwinUtmp320Le = 49,
}

/// The system family a format comes from; it decides how `last` pairs
/// logins with logouts (Linux and BSD by line, FreeBSD by `ut_id`, macOS
/// by id and pid, Solaris by line). Numbers are part of the C ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Family {
    /// Linux (glibc, utmps, utmpdump text, wtmpdb, lastlog2, logind) and
    /// Cygwin (Linux type numbers, pairs by line).
    Linux = 0,
    /// FreeBSD ≥ 9 (`futx`). FreeBSD ≤ 8 files are `ClassicBsd`.
    FreeBsd = 1,
    NetBsd = 2,
    OpenBsd = 3,
    /// 4.xBSD, FreeBSD ≤ 8 and old macOS: no type field, `~`/`|`/`{`
    /// marker lines, pairs by line.
    ClassicBsd = 4,
    MacOs = 5,
    /// Solaris, illumos and SVR4 (`futmpx`, legacy `futmp`).
    Solaris = 6,
    Irix = 7,
    Aix = 8,
    HpUx = 9,
}

impl Family {
    pub fn from_u32(n: u32) -> Option<Family> {
        [
            Family::Linux,
            Family::FreeBsd,
            Family::NetBsd,
            Family::OpenBsd,
            Family::ClassicBsd,
            Family::MacOs,
            Family::Solaris,
            Family::Irix,
            Family::Aix,
            Family::HpUx,
        ]
        .into_iter()
        .find(|f| *f as u32 == n)
    }
}

/// How a format's entries are decoded.
#[derive(Clone, Copy)]
pub enum Decoder {
    /// `Auto`: detect from content.
    Detect,
    /// Fixed-size records: the layout is data, read by the one layout
    /// decoder.
    Records(&'static RecordLayout),
    /// A byte stream with its own decoder.
    Stream(OpenStream),
    /// A SQLite database, opened by path (wtmpdb, lastlog2).
    Sqlite,
    /// A directory of state files, opened by path (logind).
    Directory,
}

/// Opens a stream decoder over bytes, newest first when `reverse`.
pub type OpenStream = fn(Box<dyn ByteSource>, bool) -> Result<Box<dyn EntryStream>>;

/// A stream decoder's constructor result, as an [`OpenStream`] returns it.
fn boxed<S: EntryStream + 'static>(s: Result<S>) -> Result<Box<dyn EntryStream>> {
    Ok(Box::new(s?))
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Decoder::Detect => "Detect",
            Decoder::Records(_) => "Records",
            Decoder::Stream(_) => "Stream",
            Decoder::Sqlite => "Sqlite",
            Decoder::Directory => "Directory",
        })
    }
}

/// Everything utx knows about one format: one row of [`FORMATS`].
#[derive(Debug)]
pub struct FormatInfo {
    pub format: Format,
    /// What `utx --format NAME` accepts.
    pub name: &'static str,
    /// How `last` pairs its logins (see [`Family`]).
    pub family: Family,
    pub decoder: Decoder,
    /// "real file" in docs/formats.md: a file written by a real system (or
    /// its own tool) in this format is in the test corpus and read by a
    /// test; otherwise the layout comes from headers, measurements and
    /// documentation (FORMATS.md).
    pub confirmed: bool,
}

const fn row(
    format: Format,
    name: &'static str,
    family: Family,
    decoder: Decoder,
    confirmed: bool,
) -> FormatInfo {
    FormatInfo {
        format,
        name,
        family,
        decoder,
        confirmed,
    }
}

use Decoder::{Detect, Directory, Records, Sqlite, Stream};
use Family::{Aix, ClassicBsd, FreeBsd, HpUx, Irix, Linux, MacOs, NetBsd, OpenBsd, Solaris};

/// Every format, one row each: the only place a format's name, family
/// and decoder are written. Names, families, detection candidates and
/// the reader's dispatch all come from here. Fixed-size rows are in
/// detection order: on a tie the earlier row wins, so the Linux layouts
/// come first, then records with a type field and many checked bytes.
/// (ABI numbers are the enum's; order here is not part of the ABI.)
#[rustfmt::skip]
pub static FORMATS: &[FormatInfo] = &[
    row(Format::Auto, "auto", Linux, Detect, false),
    row(Format::Glibc384Le, "linux-384-le", Linux, Records(&linux::GLIBC_384_LE), true),
    row(Format::Glibc384Be, "linux-384-be", Linux, Records(&linux::GLIBC_384_BE), true),
    row(Format::Glibc400Le, "linux-400-le", Linux, Records(&linux::GLIBC_400_LE), true),
    row(Format::Glibc400Be, "linux-400-be", Linux, Records(&linux::GLIBC_400_BE), true),
    row(Format::Glibc382Be, "linux-m68k-382-be", Linux, Records(&linux::GLIBC_382_BE), false),
    row(Format::Glibc392Le, "linux-392-le", Linux, Records(&linux::GLIBC_392_LE), false),
    row(Format::Glibc392Be, "linux-392-be", Linux, Records(&linux::GLIBC_392_BE), false),
    row(Format::Utmps400Le, "utmps-400-le", Linux, Records(&linux::UTMPS_400_LE), false),
    row(Format::Utmps400Be, "utmps-400-be", Linux, Records(&linux::UTMPS_400_BE), false),
    row(Format::Lastlog292Le, "linux-lastlog-292-le", Linux, Records(&linux::LASTLOG_292_LE), true),
    row(Format::Lastlog292Be, "linux-lastlog-292-be", Linux, Records(&linux::LASTLOG_292_BE), false),
    row(Format::Lastlog296Le, "linux-lastlog-296-le", Linux, Records(&linux::LASTLOG_296_LE), false),
    row(Format::Lastlog296Be, "linux-lastlog-296-be", Linux, Records(&linux::LASTLOG_296_BE), false),
    row(Format::AixUtmp648Be, "aix-utmp-648-be", Aix, Records(&aix::AIX_648_BE), false),
    row(Format::MacosUtmpx628Le, "macos-utmpx-628-le", MacOs, Records(&macos::MACOS_628_LE), false),
    row(Format::MacosUtmpx628Be, "macos-utmpx-628-be", MacOs, Records(&macos::MACOS_628_BE), false),
    row(Format::NetbsdUtmpx520Le, "netbsd-utmpx-520-le", NetBsd, Records(&netbsd::UTMPX_520_LE), true),
    row(Format::NetbsdUtmpx520Be, "netbsd-utmpx-520-be", NetBsd, Records(&netbsd::UTMPX_520_BE), false),
    row(Format::NetbsdUtmpx516Le, "netbsd-utmpx-516-le", NetBsd, Records(&netbsd::UTMPX_516_LE), false),
    row(Format::SolarisUtmpx372Le, "solaris-utmpx-372-le", Solaris, Records(&solaris::FUTMPX_372_LE), false),
    row(Format::SolarisUtmpx372Be, "solaris-utmpx-372-be", Solaris, Records(&solaris::FUTMPX_372_BE), false),
    row(Format::IrixUtmpx372Be, "irix-utmpx-372-be", Irix, Records(&solaris::IRIX_372_BE), false),
    row(Format::CygwinUtmp320Le, "cygwin-utmp-320-le", Linux, Records(&cygwin::UTMP_320_LE), false),
    row(Format::CygwinUtmp308Le, "cygwin-utmp-308-le", Linux, Records(&cygwin::UTMP_308_LE), false),
    row(Format::FreebsdUtx, "freebsd-utx", FreeBsd, Records(&freebsd::FUTX_197), true),
    row(Format::FreebsdUtxLastlogin, "freebsd-utx-lastlogin", FreeBsd, Records(&freebsd::FUTX_LASTLOGIN_197), true),
    row(Format::HpuxUtmp60Be, "hpux-utmp-60-be", HpUx, Records(&hpux::HPUX_60_BE), false),
    row(Format::Svr4Utmp36Le, "svr4-utmp-36-le", Solaris, Records(&solaris::FUTMP_36_LE), false),
    row(Format::Svr4Utmp36Be, "svr4-utmp-36-be", Solaris, Records(&solaris::FUTMP_36_BE), false),
    row(Format::OpenbsdUtmp304Le, "openbsd-utmp-304-le", OpenBsd, Records(&openbsd::UTMP_304_LE), true),
    row(Format::OpenbsdUtmp304Be, "openbsd-utmp-304-be", OpenBsd, Records(&openbsd::UTMP_304_BE), false),
    row(Format::OpenbsdLastlog272Le, "openbsd-lastlog-272-le", OpenBsd, Records(&openbsd::LASTLOG_272_LE), true),
    row(Format::OpenbsdLastlog272Be, "openbsd-lastlog-272-be", OpenBsd, Records(&openbsd::LASTLOG_272_BE), false),
    row(Format::FreebsdUtmp44Le, "freebsd-utmp-44-le", ClassicBsd, Records(&bsd::FREEBSD_44_LE), false),
    row(Format::FreebsdUtmp44Be, "freebsd-utmp-44-be", ClassicBsd, Records(&bsd::FREEBSD_44_BE), false),
    row(Format::NetbsdUtmp40Le, "netbsd-utmp-40-le", NetBsd, Records(&netbsd::UTMP_40_LE), true),
    row(Format::NetbsdUtmp40Be, "netbsd-utmp-40-be", NetBsd, Records(&netbsd::UTMP_40_BE), false),
    row(Format::BsdUtmp36Le, "bsd-utmp-36-le", ClassicBsd, Records(&bsd::UTMP_36_LE), false),
    row(Format::BsdUtmp36Be, "bsd-utmp-36-be", ClassicBsd, Records(&bsd::UTMP_36_BE), false),
    row(Format::NetbsdLastlog32Le, "netbsd-lastlog-32-le", NetBsd, Records(&netbsd::LASTLOG_32_LE), true),
    row(Format::NetbsdLastlog32Be, "netbsd-lastlog-32-be", NetBsd, Records(&netbsd::LASTLOG_32_BE), false),
    row(Format::BsdLastlog28Le, "bsd-lastlog-28-le", ClassicBsd, Records(&bsd::LASTLOG_28_LE), false),
    row(Format::BsdLastlog28Be, "bsd-lastlog-28-be", ClassicBsd, Records(&bsd::LASTLOG_28_BE), false),
    row(Format::UtmpdumpText, "utmpdump-text", Linux, Stream(|s, r| boxed(utmpdump_text::TextStream::new(s, r))), true),
    row(Format::FreebsdUtxLog, "freebsd-utx-log", FreeBsd, Stream(|s, r| boxed(utx_log::UtxLogStream::new(s, r))), true),
    row(Format::NetbsdLastlogx, "netbsd-lastlogx", NetBsd, Stream(|s, r| boxed(lastlogx::LastlogxStream::new(s, r))), true),
    row(Format::Wtmpdb, "wtmpdb", Linux, Sqlite, false),
    row(Format::Lastlog2, "lastlog2", Linux, Sqlite, false),
    row(Format::Logind, "logind", Linux, Directory, false),
];

impl Format {
    /// This format's row of [`FORMATS`].
    pub fn info(self) -> &'static FormatInfo {
        FORMATS
            .iter()
            .find(|r| r.format == self)
            .expect("every format has a row")
    }

    pub fn from_u32(n: u32) -> Option<Format> {
        FORMATS.iter().map(|r| r.format).find(|f| *f as u32 == n)
    }

    pub fn from_name(name: &str) -> Option<Format> {
        FORMATS.iter().find(|r| r.name == name).map(|r| r.format)
    }

    /// The name, as `utx --format NAME` takes it.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Every format except `Auto`, in ABI order.
    pub fn all() -> impl Iterator<Item = Format> {
        let last = FORMATS.iter().map(|r| r.format as u32).max().unwrap_or(0);
        (1..=last).filter_map(Format::from_u32)
    }

    /// The system family the format comes from (`Auto` counts as Linux).
    pub fn family(self) -> Family {
        self.info().family
    }

    /// The record layout of a fixed-size record format.
    pub fn layout(self) -> Option<&'static RecordLayout> {
        match self.info().decoder {
            Decoder::Records(l) => Some(l),
            _ => None,
        }
    }
}

/// File names whose bytes are another format's too: FreeBSD
/// utx.lastlogin holds `futx` records, as utx.active does. (name, the
/// format detection finds, the format the name says).
pub const NAMED_FORMATS: &[(&str, Format, Format)] = &[(
    "utx.lastlogin",
    Format::FreebsdUtx,
    Format::FreebsdUtxLastlogin,
)];

impl Format {
    /// What a path's file name says: `(detected, meant)` when a file
    /// whose content is detected as `detected` holds `meant` (its name is
    /// `utx.lastlogin`, or a rotated `utx.lastlogin.N`, `.gz` and so on).
    pub fn of_path(path: &str) -> Option<(Format, Format)> {
        let name = path.rsplit('/').next().unwrap_or(path);
        NAMED_FORMATS
            .iter()
            .find(|(n, _, _)| {
                name.strip_prefix(n)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
            .map(|&(_, detected, meant)| (detected, meant))
    }
}

/// Every fixed-size layout, in detection order.
pub fn layouts() -> impl Iterator<Item = &'static RecordLayout> {
    FORMATS.iter().filter_map(|r| match r.decoder {
        Decoder::Records(l) => Some(l),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_format_and_name() {
        let mut numbers: Vec<u32> = FORMATS.iter().map(|r| r.format as u32).collect();
        numbers.sort_unstable();
        let expected: Vec<u32> = (0..FORMATS.len() as u32).collect();
        assert_eq!(numbers, expected, "ABI numbers 0..N, each once");
        for r in FORMATS {
            assert_eq!(
                FORMATS.iter().filter(|o| o.name == r.name).count(),
                1,
                "{}",
                r.name
            );
            assert_eq!(Format::from_name(r.name), Some(r.format));
            if let Decoder::Records(l) = r.decoder {
                assert_eq!(l.format, r.format, "{}: the layout names its row", r.name);
            }
        }
    }
}
