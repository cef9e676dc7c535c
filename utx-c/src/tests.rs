//! Unit tests of the ABI: its constants against the core's enums, and
//! the C sessions against the Rust ones.

use crate::types::*;
use utx::Format;

/// Every UT_FORMAT_* constant names the Format with that number.
#[test]
fn format_constants_match_the_rust_enum() {
    let pairs = [
        (UT_FORMAT_AUTO, Format::Auto),
        (UT_FORMAT_LINUX_384_LE, Format::Glibc384Le),
        (UT_FORMAT_LINUX_384_BE, Format::Glibc384Be),
        (UT_FORMAT_LINUX_400_LE, Format::Glibc400Le),
        (UT_FORMAT_LINUX_400_BE, Format::Glibc400Be),
        (UT_FORMAT_LINUX_382_BE, Format::Glibc382Be),
        (UT_FORMAT_LINUX_392_LE, Format::Glibc392Le),
        (UT_FORMAT_LINUX_392_BE, Format::Glibc392Be),
        (UT_FORMAT_UTMPS_400_LE, Format::Utmps400Le),
        (UT_FORMAT_UTMPS_400_BE, Format::Utmps400Be),
        (UT_FORMAT_LASTLOG_292_LE, Format::Lastlog292Le),
        (UT_FORMAT_LASTLOG_292_BE, Format::Lastlog292Be),
        (UT_FORMAT_LASTLOG_296_LE, Format::Lastlog296Le),
        (UT_FORMAT_LASTLOG_296_BE, Format::Lastlog296Be),
        (UT_FORMAT_UTMPDUMP_TEXT, Format::UtmpdumpText),
        (UT_FORMAT_WTMPDB, Format::Wtmpdb),
        (UT_FORMAT_LASTLOG2, Format::Lastlog2),
        (UT_FORMAT_LOGIND, Format::Logind),
        (UT_FORMAT_FREEBSD_UTX, Format::FreebsdUtx),
        (UT_FORMAT_FREEBSD_UTX_LOG, Format::FreebsdUtxLog),
        (UT_FORMAT_FREEBSD_UTMP_44_LE, Format::FreebsdUtmp44Le),
        (UT_FORMAT_FREEBSD_UTMP_44_BE, Format::FreebsdUtmp44Be),
        (UT_FORMAT_BSD_LASTLOG_28_LE, Format::BsdLastlog28Le),
        (UT_FORMAT_BSD_LASTLOG_28_BE, Format::BsdLastlog28Be),
        (UT_FORMAT_NETBSD_UTMPX_520_LE, Format::NetbsdUtmpx520Le),
        (UT_FORMAT_NETBSD_UTMPX_520_BE, Format::NetbsdUtmpx520Be),
        (UT_FORMAT_NETBSD_UTMPX_516_LE, Format::NetbsdUtmpx516Le),
        (UT_FORMAT_NETBSD_UTMP_40_LE, Format::NetbsdUtmp40Le),
        (UT_FORMAT_NETBSD_UTMP_40_BE, Format::NetbsdUtmp40Be),
        (UT_FORMAT_NETBSD_LASTLOG_32_LE, Format::NetbsdLastlog32Le),
        (UT_FORMAT_NETBSD_LASTLOG_32_BE, Format::NetbsdLastlog32Be),
        (UT_FORMAT_NETBSD_LASTLOGX, Format::NetbsdLastlogx),
        (UT_FORMAT_OPENBSD_UTMP_304_LE, Format::OpenbsdUtmp304Le),
        (UT_FORMAT_OPENBSD_UTMP_304_BE, Format::OpenbsdUtmp304Be),
        (
            UT_FORMAT_OPENBSD_LASTLOG_272_LE,
            Format::OpenbsdLastlog272Le,
        ),
        (
            UT_FORMAT_OPENBSD_LASTLOG_272_BE,
            Format::OpenbsdLastlog272Be,
        ),
        (UT_FORMAT_BSD_UTMP_36_LE, Format::BsdUtmp36Le),
        (UT_FORMAT_BSD_UTMP_36_BE, Format::BsdUtmp36Be),
        (UT_FORMAT_MACOS_UTMPX_628_LE, Format::MacosUtmpx628Le),
        (UT_FORMAT_MACOS_UTMPX_628_BE, Format::MacosUtmpx628Be),
        (UT_FORMAT_SOLARIS_UTMPX_372_LE, Format::SolarisUtmpx372Le),
        (UT_FORMAT_SOLARIS_UTMPX_372_BE, Format::SolarisUtmpx372Be),
        (UT_FORMAT_IRIX_UTMPX_372_BE, Format::IrixUtmpx372Be),
        (UT_FORMAT_SVR4_UTMP_36_LE, Format::Svr4Utmp36Le),
        (UT_FORMAT_SVR4_UTMP_36_BE, Format::Svr4Utmp36Be),
        (UT_FORMAT_AIX_UTMP_648_BE, Format::AixUtmp648Be),
        (UT_FORMAT_HPUX_UTMP_60_BE, Format::HpuxUtmp60Be),
        (UT_FORMAT_FREEBSD_UTX_LASTLOGIN, Format::FreebsdUtxLastlogin),
        (UT_FORMAT_CYGWIN_UTMP_308_LE, Format::CygwinUtmp308Le),
        (UT_FORMAT_CYGWIN_UTMP_320_LE, Format::CygwinUtmp320Le),
    ];
    for (c, f) in pairs {
        assert_eq!(c, f as u32, "{}", f.name());
        assert_eq!(Format::from_u32(c), Some(f));
    }
    assert_eq!(
        Format::all().count() + 1,
        pairs.len(),
        "a format without a UT_FORMAT_ constant"
    );
}

/// Every UT_FAMILY_* constant names the Family with that number.
#[test]
fn family_constants_match_the_rust_enum() {
    use utx::Family;
    let pairs = [
        (UT_FAMILY_LINUX, Family::Linux),
        (UT_FAMILY_FREEBSD, Family::FreeBsd),
        (UT_FAMILY_NETBSD, Family::NetBsd),
        (UT_FAMILY_OPENBSD, Family::OpenBsd),
        (UT_FAMILY_CLASSIC_BSD, Family::ClassicBsd),
        (UT_FAMILY_MACOS, Family::MacOs),
        (UT_FAMILY_SOLARIS, Family::Solaris),
        (UT_FAMILY_IRIX, Family::Irix),
        (UT_FAMILY_AIX, Family::Aix),
        (UT_FAMILY_HPUX, Family::HpUx),
    ];
    for (c, f) in pairs {
        assert_eq!(c, f as u32);
        assert_eq!(Family::from_u32(c), Some(f));
    }
    assert_eq!(Family::from_u32(pairs.len() as u32), None);
}

#[test]
fn ut_format_family_answers_and_validates() {
    let mut fam: ut_family = 99;
    // SAFETY: a valid out-pointer, then a NULL one the function checks.
    unsafe {
        assert_eq!(
            crate::misc::ut_format_family(UT_FORMAT_FREEBSD_UTX_LOG, &mut fam),
            UT_OK
        );
        assert_eq!(fam, UT_FAMILY_FREEBSD);
        assert_eq!(
            crate::misc::ut_format_family(UT_FORMAT_MACOS_UTMPX_628_LE, &mut fam),
            UT_OK
        );
        assert_eq!(fam, UT_FAMILY_MACOS);
        assert_eq!(
            crate::misc::ut_format_family(9999, &mut fam),
            UT_ERR_INVALID
        );
        assert_eq!(fam, UT_FAMILY_MACOS, "not written on failure");
        assert_eq!(
            crate::misc::ut_format_family(UT_FORMAT_AUTO, std::ptr::null_mut()),
            UT_ERR_NULL
        );
    }
}

#[test]
fn session_constants_match_the_rust_enums() {
    use utx::{SessionEnd as E, SessionKind as K, TimeChange as T};
    let kinds = [
        (UT_KIND_USER, K::User),
        (UT_KIND_REBOOT, K::Reboot),
        (UT_KIND_SHUTDOWN, K::Shutdown),
        (UT_KIND_RUN_LEVEL, K::RunLevel),
        (UT_KIND_CLOCK_CHANGE, K::ClockChange),
    ];
    for (c, k) in kinds {
        assert_eq!(c, k as u32);
    }
    let ends = [
        (UT_ENDED_LOGGED_OUT, E::LoggedOut),
        (UT_ENDED_STILL_LOGGED_IN, E::StillLoggedIn),
        (UT_ENDED_GONE, E::Gone),
        (UT_ENDED_CRASH, E::Crash),
        (UT_ENDED_DOWN, E::Down),
        (UT_ENDED_STILL_RUNNING, E::StillRunning),
        (UT_ENDED_INSTANT, E::Instant),
    ];
    for (c, e) in ends {
        assert_eq!(c, e as u32);
    }
    assert_eq!(UT_TIME_CHANGE_NONE, T::None as u32);
    assert_eq!(UT_TIME_CHANGE_OLD, T::Old as u32);
    assert_eq!(UT_TIME_CHANGE_NEW, T::New as u32);
}

#[test]
fn type_constants_match_the_rust_enum() {
    use utx::EntryType;
    for t in EntryType::ALL {
        assert_eq!(EntryType::from_i32(t as i32), Some(t));
    }
    assert_eq!(UT_TYPE_USER_PROCESS, EntryType::UserProcess as i32);
    assert_eq!(UT_TYPE_LAST_LOGIN, EntryType::LastLogin as i32);
    assert_eq!(UT_TYPE_UNKNOWN, EntryType::Unknown as i32);
    assert_eq!(UT_TYPE_MASK_ALL, (1u32 << EntryType::ALL.len()) - 1);
}

/// The UT_ENTRY_* bits are the core's entry flags.
#[test]
fn entry_flag_constants_match_the_core() {
    use utx::entry::flags;
    assert_eq!(UT_ENTRY_NOT_UTF8, flags::NOT_UTF8);
    assert_eq!(UT_ENTRY_FULL_WIDTH, flags::FULL_WIDTH);
    assert_eq!(UT_ENTRY_PARTIAL_RECORD, flags::PARTIAL_RECORD);
    assert_eq!(UT_ENTRY_TIME_IMPLAUSIBLE, flags::TIME_IMPLAUSIBLE);
    assert_eq!(UT_ENTRY_RECOVERED, flags::RECOVERED);
    assert_eq!(UT_ENTRY_ROTATED, flags::ROTATED);
    assert_eq!(UT_ENTRY_TRUNCATED, flags::TRUNCATED);
}

/// The UT_LOGIND_* / UT_MONITOR_* bits are the core monitor's categories.
#[test]
fn category_constants_match_the_core() {
    use utx::monitor_category as c;
    assert_eq!(UT_LOGIND_SEATS, c::SEATS);
    assert_eq!(UT_LOGIND_SESSIONS, c::SESSIONS);
    assert_eq!(UT_LOGIND_USERS, c::USERS);
    assert_eq!(UT_LOGIND_MACHINES, c::MACHINES);
    assert_eq!(UT_MONITOR_UTMP, c::UTMP);
    assert_eq!(UT_MONITOR_ALL, c::ALL);
}

/// A session as both APIs can give it, for comparing them field by field.
#[derive(Debug, PartialEq)]
struct Row {
    kind: u32,
    end: u32,
    has_logout: bool,
    user: Vec<u8>,
    line: Vec<u8>,
    id: Vec<u8>,
    host: Vec<u8>,
    addr_family: u32,
    addr: [u8; 16],
    addr_text: Vec<u8>,
    pid: i64,
    login: (i64, i32),
    logout: (i64, i32),
    login_offset: u64,
    logout_offset: i64,
    runlevel: i32,
    time_change: u32,
    format: u32,
}

fn c_bytes(p: *const std::os::raw::c_char) -> Vec<u8> {
    assert!(!p.is_null(), "a ut_session string is NULL");
    // SAFETY: the library's strings are NUL-terminated and live until the
    // next call on the handle; copied at once.
    unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec()
}

fn err_text(buf: &[std::os::raw::c_char]) -> String {
    String::from_utf8_lossy(&c_bytes(buf.as_ptr())).into_owned()
}

fn row_of_c(s: &ut_session) -> Row {
    assert_eq!(s.size as usize, std::mem::size_of::<ut_session>());
    Row {
        kind: s.kind,
        end: s.end,
        has_logout: s.flags & UT_SESSION_HAS_LOGOUT != 0,
        user: c_bytes(s.user),
        line: c_bytes(s.line),
        id: c_bytes(s.id),
        host: c_bytes(s.host),
        addr_family: s.addr_family,
        addr: s.addr,
        addr_text: c_bytes(s.addr_text),
        pid: s.pid,
        login: (s.login_sec, s.login_usec),
        logout: (s.logout_sec, s.logout_usec),
        login_offset: s.login_offset,
        logout_offset: s.logout_offset,
        runlevel: s.runlevel,
        time_change: s.time_change,
        format: s.format,
    }
}

fn row_of_rust(s: &utx::Session) -> Row {
    Row {
        kind: s.kind as u32,
        end: s.end as u32,
        has_logout: s.logout.is_some(),
        user: s.user.as_bytes().to_vec(),
        line: s.line.as_bytes().to_vec(),
        id: s.id.as_bytes().to_vec(),
        host: s.host.as_bytes().to_vec(),
        addr_family: s.addr_family as u32,
        addr: s.addr,
        addr_text: s.addr_text.as_bytes().to_vec(),
        pid: s.pid,
        login: (s.login_sec, s.login_usec),
        logout: s.logout.unwrap_or((0, 0)),
        login_offset: s.login_offset,
        logout_offset: s.logout_offset.map_or(-1, |o| o as i64),
        runlevel: s.runlevel,
        time_change: s.time_change as u32,
        format: s.format as u32,
    }
}

/// The sessions of `path` through the C ABI (`ut_sessions_open` with
/// `flags`, on a reverse reader).
fn c_sessions(path: &std::path::Path, flags: u32) -> Vec<Row> {
    use std::os::unix::ffi::OsStrExt;
    let cpath = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    let mut err = [0 as std::os::raw::c_char; 256];
    let mut reader = std::ptr::null_mut();
    let mut sessions = std::ptr::null_mut();
    let mut rows = Vec::new();
    // SAFETY: valid pointers and buffer sizes; the reader outlives the
    // sessions handle and is not used meanwhile; both are closed once.
    unsafe {
        let st = crate::reader::ut_reader_open(
            cpath.as_ptr(),
            UT_FORMAT_AUTO,
            UT_OPEN_REVERSE,
            &mut reader,
            err.as_mut_ptr(),
            err.len(),
        );
        assert_eq!(st, UT_OK, "{}: {}", path.display(), err_text(&err));
        let st = crate::sessions::ut_sessions_open(
            reader,
            flags,
            &mut sessions,
            err.as_mut_ptr(),
            err.len(),
        );
        assert_eq!(st, UT_OK, "{}: {}", path.display(), err_text(&err));
        let mut s = std::ptr::null();
        loop {
            match crate::sessions::ut_sessions_next(sessions, &mut s) {
                UT_OK => rows.push(row_of_c(&*s)),
                UT_END => break,
                st => panic!("{}: ut_sessions_next: {st}", path.display()),
            }
        }
        crate::sessions::ut_sessions_close(sessions);
        crate::reader::ut_reader_close(reader);
    }
    rows
}

/// The sessions of `path` through the Rust API, default options.
fn rust_sessions(path: &std::path::Path) -> Vec<Row> {
    let opts = utx::Options {
        reverse: true,
        ..utx::Options::default()
    };
    let reader = utx::Reader::open(path, opts).unwrap();
    utx::Sessions::new(reader, utx::SessionOptions::default())
        .unwrap()
        .map(|s| row_of_rust(&s.unwrap()))
        .collect()
}

/// The shared corpus: $UTX_CORPUS (relative to the repository, as
/// ci/test.sh sets it), else `shared/corpus` beside the repository (or
/// beside its parent, from a nested worktree).
fn corpus() -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if let Some(d) = std::env::var_os("UTX_CORPUS") {
        return repo.join(d);
    }
    ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|r| repo.join(r))
        .find(|d| d.is_dir())
        .expect("the shared corpus (set UTX_CORPUS or put shared/ beside the repository)")
}

/// A rule of `Sessions::new` holds for C callers too: another system's
/// file is never judged by this host's processes, so C and Rust give the
/// same sessions, field for field, although the C caller asked for the
/// liveness check (flags 0).
#[test]
fn c_and_rust_sessions_of_a_foreign_file_agree() {
    let dir = corpus().join("s4/logs");
    let netbsd = dir.join("NetBSD9.3/x86_64/wtmpx");
    let files = [
        netbsd.clone(),
        dir.join("NetBSD9.3/x86_64/wtmp"),
        dir.join("FreeBSD13.1/x86_64/utx.log"),
    ];
    for f in &files {
        let c = c_sessions(f, 0);
        assert!(!c.is_empty(), "{}: no sessions", f.display());
        assert_eq!(c, rust_sessions(f), "{}", f.display());
        assert_eq!(c, c_sessions(f, UT_SESSIONS_NO_LIVENESS), "{}", f.display());
    }
    // NetBSD's own `last -f wtmpx`: "root pts/2 192.168.100.254 … still
    // logged in" (pid 201 of that machine, whatever runs here as 201).
    let root = c_sessions(&netbsd, 0)
        .into_iter()
        .find(|s| s.user == b"root" && s.line == b"pts/2")
        .expect("root on pts/2 in NetBSD wtmpx");
    assert_eq!(root.pid, 201);
    assert_eq!(root.end, UT_ENDED_STILL_LOGGED_IN);
}

/// On this system's own (Linux) file, the C sessions are the Rust ones
/// too, liveness check included.
#[test]
fn c_and_rust_sessions_of_a_linux_file_agree() {
    let wtmp = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/wtmp");
    let c = c_sessions(&wtmp, 0);
    assert!(!c.is_empty());
    assert_eq!(c, rust_sessions(&wtmp));
}
