//! The numbers every layer shares (and the C ABI keeps): which format a
//! record came from and which system family it belongs to. Everything
//! else about a format is its row of [`crate::format::FORMATS`].

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
