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
pub mod macos;
pub mod netbsd;
pub mod openbsd;
pub mod solaris;
pub mod utmpdump_text;
pub mod utx_log;
pub mod wtmpdb;

use layout::RecordLayout;

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
        use Family::*;
        [
            Linux, FreeBsd, NetBsd, OpenBsd, ClassicBsd, MacOs, Solaris, Irix, Aix, HpUx,
        ]
        .into_iter()
        .find(|f| *f as u32 == n)
    }
}

/// One row per format, in ABI order, with its name (NUL-terminated for
/// the C ABI). Names are what `utx --format NAME` accepts.
const NAMES: &[(Format, &str)] = &[
    (Format::Auto, "auto\0"),
    (Format::Glibc384Le, "linux-384-le\0"),
    (Format::Glibc384Be, "linux-384-be\0"),
    (Format::Glibc400Le, "linux-400-le\0"),
    (Format::Glibc400Be, "linux-400-be\0"),
    (Format::Glibc382Be, "linux-m68k-382-be\0"),
    (Format::Glibc392Le, "linux-392-le\0"),
    (Format::Glibc392Be, "linux-392-be\0"),
    (Format::Utmps400Le, "utmps-400-le\0"),
    (Format::Utmps400Be, "utmps-400-be\0"),
    (Format::Lastlog292Le, "linux-lastlog-292-le\0"),
    (Format::Lastlog292Be, "linux-lastlog-292-be\0"),
    (Format::Lastlog296Le, "linux-lastlog-296-le\0"),
    (Format::Lastlog296Be, "linux-lastlog-296-be\0"),
    (Format::UtmpdumpText, "utmpdump-text\0"),
    (Format::Wtmpdb, "wtmpdb\0"),
    (Format::Lastlog2, "lastlog2\0"),
    (Format::Logind, "logind\0"),
    (Format::FreebsdUtx, "freebsd-utx\0"),
    (Format::FreebsdUtxLog, "freebsd-utx-log\0"),
    (Format::FreebsdUtmp44Le, "freebsd-utmp-44-le\0"),
    (Format::FreebsdUtmp44Be, "freebsd-utmp-44-be\0"),
    (Format::BsdLastlog28Le, "bsd-lastlog-28-le\0"),
    (Format::BsdLastlog28Be, "bsd-lastlog-28-be\0"),
    (Format::NetbsdUtmpx520Le, "netbsd-utmpx-520-le\0"),
    (Format::NetbsdUtmpx520Be, "netbsd-utmpx-520-be\0"),
    (Format::NetbsdUtmpx516Le, "netbsd-utmpx-516-le\0"),
    (Format::NetbsdUtmp40Le, "netbsd-utmp-40-le\0"),
    (Format::NetbsdUtmp40Be, "netbsd-utmp-40-be\0"),
    (Format::NetbsdLastlog32Le, "netbsd-lastlog-32-le\0"),
    (Format::NetbsdLastlog32Be, "netbsd-lastlog-32-be\0"),
    (Format::NetbsdLastlogx, "netbsd-lastlogx\0"),
    (Format::OpenbsdUtmp304Le, "openbsd-utmp-304-le\0"),
    (Format::OpenbsdUtmp304Be, "openbsd-utmp-304-be\0"),
    (Format::OpenbsdLastlog272Le, "openbsd-lastlog-272-le\0"),
    (Format::OpenbsdLastlog272Be, "openbsd-lastlog-272-be\0"),
    (Format::BsdUtmp36Le, "bsd-utmp-36-le\0"),
    (Format::BsdUtmp36Be, "bsd-utmp-36-be\0"),
    (Format::MacosUtmpx628Le, "macos-utmpx-628-le\0"),
    (Format::MacosUtmpx628Be, "macos-utmpx-628-be\0"),
    (Format::SolarisUtmpx372Le, "solaris-utmpx-372-le\0"),
    (Format::SolarisUtmpx372Be, "solaris-utmpx-372-be\0"),
    (Format::IrixUtmpx372Be, "irix-utmpx-372-be\0"),
    (Format::Svr4Utmp36Le, "svr4-utmp-36-le\0"),
    (Format::Svr4Utmp36Be, "svr4-utmp-36-be\0"),
    (Format::AixUtmp648Be, "aix-utmp-648-be\0"),
    (Format::HpuxUtmp60Be, "hpux-utmp-60-be\0"),
    (Format::FreebsdUtxLastlogin, "freebsd-utx-lastlogin\0"),
    (Format::CygwinUtmp308Le, "cygwin-utmp-308-le\0"),
    (Format::CygwinUtmp320Le, "cygwin-utmp-320-le\0"),
];

/// Family of each format that is not Linux.
const FAMILIES: &[(Family, &[Format])] = &[
    (
        Family::FreeBsd,
        &[
            Format::FreebsdUtx,
            Format::FreebsdUtxLog,
            Format::FreebsdUtxLastlogin,
        ],
    ),
    (
        Family::NetBsd,
        &[
            Format::NetbsdUtmpx520Le,
            Format::NetbsdUtmpx520Be,
            Format::NetbsdUtmpx516Le,
            Format::NetbsdUtmp40Le,
            Format::NetbsdUtmp40Be,
            Format::NetbsdLastlog32Le,
            Format::NetbsdLastlog32Be,
            Format::NetbsdLastlogx,
        ],
    ),
    (
        Family::OpenBsd,
        &[
            Format::OpenbsdUtmp304Le,
            Format::OpenbsdUtmp304Be,
            Format::OpenbsdLastlog272Le,
            Format::OpenbsdLastlog272Be,
        ],
    ),
    (
        Family::ClassicBsd,
        &[
            Format::FreebsdUtmp44Le,
            Format::FreebsdUtmp44Be,
            Format::BsdUtmp36Le,
            Format::BsdUtmp36Be,
            Format::BsdLastlog28Le,
            Format::BsdLastlog28Be,
        ],
    ),
    (
        Family::MacOs,
        &[Format::MacosUtmpx628Le, Format::MacosUtmpx628Be],
    ),
    (
        Family::Solaris,
        &[
            Format::SolarisUtmpx372Le,
            Format::SolarisUtmpx372Be,
            Format::Svr4Utmp36Le,
            Format::Svr4Utmp36Be,
        ],
    ),
    (Family::Irix, &[Format::IrixUtmpx372Be]),
    (Family::Aix, &[Format::AixUtmp648Be]),
    (Family::HpUx, &[Format::HpuxUtmp60Be]),
];

impl Format {
    pub fn from_u32(n: u32) -> Option<Format> {
        NAMES.iter().map(|(f, _)| *f).find(|f| *f as u32 == n)
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::all_with_auto().find(|f| f.name() == name)
    }

    /// The name, as `utx --format NAME` takes it.
    pub fn name(self) -> &'static str {
        let n = self.name_with_nul();
        &n[..n.len() - 1]
    }

    /// The name followed by a NUL, for the C ABI.
    pub fn name_with_nul(self) -> &'static str {
        NAMES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .expect("every format has a name")
    }

    fn all_with_auto() -> impl Iterator<Item = Format> {
        NAMES.iter().map(|(f, _)| *f)
    }

    /// Every format except `Auto`, in ABI order.
    pub fn all() -> impl Iterator<Item = Format> {
        NAMES.iter().map(|(f, _)| *f).filter(|f| *f != Format::Auto)
    }

    /// The system family the format comes from (`Auto` counts as Linux).
    pub fn family(self) -> Family {
        FAMILIES
            .iter()
            .find(|(_, fs)| fs.contains(&self))
            .map_or(Family::Linux, |(f, _)| *f)
    }

    /// The record layout of a fixed-size record format.
    pub fn layout(self) -> Option<&'static RecordLayout> {
        layout::ALL.iter().copied().find(|l| l.format == self)
    }
}
