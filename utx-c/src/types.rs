//! Types and constants of the C ABI. Numbers here are the ABI: never
//! renumber, only append.

use std::os::raw::c_char;

/// Result of every fallible call: 0 OK, positive "no more entries",
/// negative an error.
pub type ut_status = i32;

/// Success.
pub const UT_OK: ut_status = 0;
/// No more entries (not an error).
pub const UT_END: ut_status = 1;
/// A required pointer argument was NULL.
pub const UT_ERR_NULL: ut_status = -1;
/// An argument had an unknown or out-of-range value.
pub const UT_ERR_INVALID: ut_status = -2;
/// The file or database does not exist on this system.
pub const UT_ERR_NOT_FOUND: ut_status = -3;
/// The OS refused access (EACCES, EPERM).
pub const UT_ERR_PERMISSION: ut_status = -4;
/// Another I/O error; see `ut_reader_error` for the errno.
pub const UT_ERR_IO: ut_status = -5;
/// The content is not a recognised format (or not the one forced).
pub const UT_ERR_FORMAT: ut_status = -6;
/// The operation or format is not supported here.
pub const UT_ERR_UNSUPPORTED: ut_status = -7;
/// Memory could not be allocated.
pub const UT_ERR_NOMEM: ut_status = -8;
/// A bug in utx (a caught panic); the reader must be closed.
pub const UT_ERR_INTERNAL: ut_status = -9;
/// Another writer held the file's lock longer than the bounded wait.
pub const UT_ERR_BUSY: ut_status = -10;

/// A format number (`UT_FORMAT_*`).
pub type ut_format = u32;
/// Detect the format from the content.
pub const UT_FORMAT_AUTO: ut_format = 0;
/// Linux glibc, 384-byte records (x86, arm, riscv, ppc, mips, sparc), little-endian.
pub const UT_FORMAT_LINUX_384_LE: ut_format = 1;
/// Linux glibc, 384-byte records, big-endian.
pub const UT_FORMAT_LINUX_384_BE: ut_format = 2;
/// Linux glibc, 400-byte records (aarch64, alpha, loongarch64, s390x), little-endian.
pub const UT_FORMAT_LINUX_400_LE: ut_format = 3;
/// Linux glibc, 400-byte records, big-endian (s390x).
pub const UT_FORMAT_LINUX_400_BE: ut_format = 4;
/// Linux glibc on m68k, 382-byte records, big-endian.
pub const UT_FORMAT_LINUX_382_BE: ut_format = 5;
/// Linux glibc on arc/or1k, 392-byte records, little-endian.
pub const UT_FORMAT_LINUX_392_LE: ut_format = 6;
/// Linux glibc on arc/or1k, 392-byte records, big-endian.
pub const UT_FORMAT_LINUX_392_BE: ut_format = 7;
/// utmps/musl, 400-byte records with a 32-bit session, little-endian.
pub const UT_FORMAT_UTMPS_400_LE: ut_format = 8;
/// utmps/musl, 400-byte records with a 32-bit session, big-endian.
pub const UT_FORMAT_UTMPS_400_BE: ut_format = 9;
/// Linux lastlog, 292-byte records (32-bit time), little-endian.
pub const UT_FORMAT_LASTLOG_292_LE: ut_format = 10;
/// Linux lastlog, 292-byte records, big-endian.
pub const UT_FORMAT_LASTLOG_292_BE: ut_format = 11;
/// Linux lastlog, 296-byte records (64-bit time), little-endian.
pub const UT_FORMAT_LASTLOG_296_LE: ut_format = 12;
/// Linux lastlog, 296-byte records, big-endian.
pub const UT_FORMAT_LASTLOG_296_BE: ut_format = 13;
/// util-linux `utmpdump` text.
pub const UT_FORMAT_UTMPDUMP_TEXT: ut_format = 14;
/// wtmpdb SQLite database (the wtmp successor).
pub const UT_FORMAT_WTMPDB: ut_format = 15;
/// lastlog2 SQLite database (the lastlog successor).
pub const UT_FORMAT_LASTLOG2: ut_format = 16;
/// systemd-logind session state (/run/systemd).
pub const UT_FORMAT_LOGIND: ut_format = 17;
/// FreeBSD ≥ 9 utx.active / utx.lastlogin: fixed 197-byte big-endian `futx`.
pub const UT_FORMAT_FREEBSD_UTX: ut_format = 18;
/// FreeBSD ≥ 9 utx.log: u16 big-endian length + trimmed `futx`.
pub const UT_FORMAT_FREEBSD_UTX_LOG: ut_format = 19;
/// FreeBSD ≤ 8 utmp/wtmp, 44 bytes, little-endian.
pub const UT_FORMAT_FREEBSD_UTMP_44_LE: ut_format = 20;
/// FreeBSD ≤ 8 utmp/wtmp, 44 bytes, big-endian.
pub const UT_FORMAT_FREEBSD_UTMP_44_BE: ut_format = 21;
/// 4.xBSD, FreeBSD ≤ 8 and Solaris lastlog, 28 bytes, little-endian.
pub const UT_FORMAT_BSD_LASTLOG_28_LE: ut_format = 22;
/// 4.xBSD, FreeBSD ≤ 8 and Solaris lastlog, 28 bytes, big-endian.
pub const UT_FORMAT_BSD_LASTLOG_28_BE: ut_format = 23;
/// NetBSD ≥ 5 utmpx/wtmpx, 520 bytes (LP64), little-endian.
pub const UT_FORMAT_NETBSD_UTMPX_520_LE: ut_format = 24;
/// NetBSD ≥ 5 utmpx/wtmpx, 520 bytes, big-endian.
pub const UT_FORMAT_NETBSD_UTMPX_520_BE: ut_format = 25;
/// NetBSD ≥ 5 utmpx/wtmpx on i386, 516 bytes.
pub const UT_FORMAT_NETBSD_UTMPX_516_LE: ut_format = 26;
/// NetBSD ≥ 5 utmp/wtmp, 40 bytes, little-endian.
pub const UT_FORMAT_NETBSD_UTMP_40_LE: ut_format = 27;
/// NetBSD ≥ 5 utmp/wtmp, 40 bytes, big-endian.
pub const UT_FORMAT_NETBSD_UTMP_40_BE: ut_format = 28;
/// NetBSD ≥ 5 lastlog, 32 bytes, little-endian.
pub const UT_FORMAT_NETBSD_LASTLOG_32_LE: ut_format = 29;
/// NetBSD ≥ 5 lastlog, 32 bytes, big-endian.
pub const UT_FORMAT_NETBSD_LASTLOG_32_BE: ut_format = 30;
/// NetBSD lastlogx (Berkeley DB 1.85 hash keyed by uid), read in uid order.
pub const UT_FORMAT_NETBSD_LASTLOGX: ut_format = 31;
/// OpenBSD ≥ 5.5 utmp/wtmp, 304 bytes, little-endian.
pub const UT_FORMAT_OPENBSD_UTMP_304_LE: ut_format = 32;
/// OpenBSD ≥ 5.5 utmp/wtmp, 304 bytes, big-endian.
pub const UT_FORMAT_OPENBSD_UTMP_304_BE: ut_format = 33;
/// OpenBSD ≥ 5.5 lastlog, 272 bytes, little-endian.
pub const UT_FORMAT_OPENBSD_LASTLOG_272_LE: ut_format = 34;
/// OpenBSD ≥ 5.5 lastlog, 272 bytes, big-endian.
pub const UT_FORMAT_OPENBSD_LASTLOG_272_BE: ut_format = 35;
/// 4.xBSD / old macOS utmp/wtmp, 36 bytes, little-endian.
pub const UT_FORMAT_BSD_UTMP_36_LE: ut_format = 36;
/// 4.xBSD / old macOS utmp/wtmp, 36 bytes, big-endian.
pub const UT_FORMAT_BSD_UTMP_36_BE: ut_format = 37;
/// macOS ≥ 10.5 utmpx, 628 bytes, little-endian.
pub const UT_FORMAT_MACOS_UTMPX_628_LE: ut_format = 38;
/// macOS utmpx, 628 bytes, big-endian (PowerPC).
pub const UT_FORMAT_MACOS_UTMPX_628_BE: ut_format = 39;
/// Solaris/illumos futmpx, 372 bytes, little-endian (x86).
pub const UT_FORMAT_SOLARIS_UTMPX_372_LE: ut_format = 40;
/// Solaris futmpx, 372 bytes, big-endian (SPARC).
pub const UT_FORMAT_SOLARIS_UTMPX_372_BE: ut_format = 41;
/// IRIX utmpx, 372 bytes, big-endian.
pub const UT_FORMAT_IRIX_UTMPX_372_BE: ut_format = 42;
/// SVR4 / Solaris legacy utmp, 36 bytes, little-endian.
pub const UT_FORMAT_SVR4_UTMP_36_LE: ut_format = 43;
/// SVR4 / Solaris legacy utmp, 36 bytes, big-endian.
pub const UT_FORMAT_SVR4_UTMP_36_BE: ut_format = 44;
/// AIX ≥ 5 utmp/wtmp/failedlogin, 648 bytes, big-endian.
pub const UT_FORMAT_AIX_UTMP_648_BE: ut_format = 45;
/// HP-UX 9–11i utmp/wtmp/btmp, 60 bytes, big-endian.
pub const UT_FORMAT_HPUX_UTMP_60_BE: ut_format = 46;
/// FreeBSD ≥ 9 utx.lastlogin: `futx` records read as last logins (never
/// chosen by detection: the bytes are those of UT_FORMAT_FREEBSD_UTX).
pub const UT_FORMAT_FREEBSD_UTX_LASTLOGIN: ut_format = 47;
/// Cygwin utmp/wtmp, 32-bit (i686), 308 bytes.
pub const UT_FORMAT_CYGWIN_UTMP_308_LE: ut_format = 48;
/// Cygwin utmp/wtmp, 64-bit (x86_64), 320 bytes.
pub const UT_FORMAT_CYGWIN_UTMP_320_LE: ut_format = 49;

/// System family of a format (`ut_format_family`): decides how `last`
/// pairs logins with logouts.
pub type ut_family = u32;
/// Linux (glibc, utmps, utmpdump text, wtmpdb, lastlog2, logind): pair by line.
pub const UT_FAMILY_LINUX: ut_family = 0;
/// FreeBSD ≥ 9: pair by `ut_id`.
pub const UT_FAMILY_FREEBSD: ut_family = 1;
/// NetBSD: pair by line; `~` markers.
pub const UT_FAMILY_NETBSD: ut_family = 2;
/// OpenBSD: no type field; pair by line.
pub const UT_FAMILY_OPENBSD: ut_family = 3;
/// 4.xBSD, FreeBSD ≤ 8, old macOS: no type field; pair by line.
pub const UT_FAMILY_CLASSIC_BSD: ut_family = 4;
/// macOS: pair by id and pid.
pub const UT_FAMILY_MACOS: ut_family = 5;
/// Solaris, illumos, SVR4: pair by line.
pub const UT_FAMILY_SOLARIS: ut_family = 6;
/// IRIX.
pub const UT_FAMILY_IRIX: ut_family = 7;
/// AIX.
pub const UT_FAMILY_AIX: ut_family = 8;
/// HP-UX.
pub const UT_FAMILY_HPUX: ut_family = 9;

/// A database of this host (`UT_DB_*`) for `ut_reader_open_db`.
pub type ut_database = u32;
/// Who is logged in now (utmp).
pub const UT_DB_UTMP: ut_database = 1;
/// Login history (wtmp).
pub const UT_DB_WTMP: ut_database = 2;
/// Failed logins (btmp).
pub const UT_DB_BTMP: ut_database = 3;
/// Last login per user (lastlog).
pub const UT_DB_LASTLOG: ut_database = 4;

/// Open flags (bitwise or).
pub type ut_open_flags = u32;
/// Read newest (last) entries first.
pub const UT_OPEN_REVERSE: ut_open_flags = 1;
/// "Who is logged in now", as coreutils who: drop USER_PROCESS entries
/// whose process is gone (a positive pid for which kill(pid, 0) fails with
/// ESRCH).
pub const UT_OPEN_LIVE: ut_open_flags = 2;
/// logind: keep sessions that are not a user logged in (classes manager,
/// manager-early, background, background-light; state closing).
pub const UT_OPEN_ALL_SESSIONS: ut_open_flags = 4;
/// Follow the file as it grows (`ut_reader_open` only; forward only; event
/// files of fixed-size records): after `UT_END`, a later `ut_reader_next`
/// returns the records appended since. Truncation and rotation are
/// followed and flag the next entry (`UT_ENTRY_TRUNCATED`,
/// `UT_ENTRY_ROTATED`); `ut_reader_follow_fd` gives a descriptor to wait on.
pub const UT_OPEN_FOLLOW: ut_open_flags = 8;

/// Categories of logind state and change notification (bitwise or).
pub type ut_category = u32;
/// logind seats (`/run/systemd/seats`).
pub const UT_LOGIND_SEATS: ut_category = 1;
/// logind sessions (`/run/systemd/sessions`).
pub const UT_LOGIND_SESSIONS: ut_category = 2;
/// Users with logind state (`/run/systemd/users`): uids as decimal text.
pub const UT_LOGIND_USERS: ut_category = 4;
/// Virtual machines and containers (`/run/systemd/machines`, machined).
pub const UT_LOGIND_MACHINES: ut_category = 8;
/// The utmp file (monitor only).
pub const UT_MONITOR_UTMP: ut_category = 16;
/// Every category (monitor only).
pub const UT_MONITOR_ALL: ut_category = 31;

// The same categories under one prefix, for binding generators that derive
// an enumeration from it (`UT_LOGIND_*`/`UT_MONITOR_*` stay, equal).

/// = `UT_LOGIND_SEATS`.
pub const UT_CATEGORY_SEATS: ut_category = 1u32;
/// = `UT_LOGIND_SESSIONS`.
pub const UT_CATEGORY_SESSIONS: ut_category = 2u32;
/// = `UT_LOGIND_USERS`.
pub const UT_CATEGORY_USERS: ut_category = 4u32;
/// = `UT_LOGIND_MACHINES`.
pub const UT_CATEGORY_MACHINES: ut_category = 8u32;
/// = `UT_MONITOR_UTMP`.
pub const UT_CATEGORY_UTMP: ut_category = 16u32;
/// = `UT_MONITOR_ALL`.
pub const UT_CATEGORY_ALL: ut_category = 31u32;

/// Normalized entry types (`ut_entry.entry_type`); bit `1u << type` in a type mask.
pub type ut_type = i32;

pub const UT_TYPE_EMPTY: ut_type = 0;
pub const UT_TYPE_RUN_LVL: ut_type = 1;
pub const UT_TYPE_BOOT_TIME: ut_type = 2;
pub const UT_TYPE_NEW_TIME: ut_type = 3;
pub const UT_TYPE_OLD_TIME: ut_type = 4;
pub const UT_TYPE_INIT_PROCESS: ut_type = 5;
pub const UT_TYPE_LOGIN_PROCESS: ut_type = 6;
pub const UT_TYPE_USER_PROCESS: ut_type = 7;
pub const UT_TYPE_DEAD_PROCESS: ut_type = 8;
pub const UT_TYPE_ACCOUNTING: ut_type = 9;
pub const UT_TYPE_SIGNATURE: ut_type = 10;
pub const UT_TYPE_SHUTDOWN_TIME: ut_type = 11;
/// A last-login record (lastlog).
pub const UT_TYPE_LAST_LOGIN: ut_type = 12;
/// A record whose stored type number is outside its format's range
/// (`raw_type` holds it), in an otherwise well-formed file.
pub const UT_TYPE_UNKNOWN: ut_type = 13;
/// Every type, for `ut_reader_set_types`: the or of every `UT_TYPE_MASK_*`.
/// (Type masks are plain unsigned literals, so that binding generators
/// can read them; utx-c/tests/abi_constants.rs checks them against the types.)
pub const UT_TYPE_MASK_ALL: u32 = 16383u32;
/// `UT_TYPE_BIT(UT_TYPE_EMPTY)`.
pub const UT_TYPE_MASK_EMPTY: u32 = 1u32;
/// `UT_TYPE_BIT(UT_TYPE_RUN_LVL)`.
pub const UT_TYPE_MASK_RUN_LVL: u32 = 2u32;
/// `UT_TYPE_BIT(UT_TYPE_BOOT_TIME)`.
pub const UT_TYPE_MASK_BOOT_TIME: u32 = 4u32;
/// `UT_TYPE_BIT(UT_TYPE_NEW_TIME)`.
pub const UT_TYPE_MASK_NEW_TIME: u32 = 8u32;
/// `UT_TYPE_BIT(UT_TYPE_OLD_TIME)`.
pub const UT_TYPE_MASK_OLD_TIME: u32 = 16u32;
/// `UT_TYPE_BIT(UT_TYPE_INIT_PROCESS)`.
pub const UT_TYPE_MASK_INIT_PROCESS: u32 = 32u32;
/// `UT_TYPE_BIT(UT_TYPE_LOGIN_PROCESS)`.
pub const UT_TYPE_MASK_LOGIN_PROCESS: u32 = 64u32;
/// `UT_TYPE_BIT(UT_TYPE_USER_PROCESS)`.
pub const UT_TYPE_MASK_USER_PROCESS: u32 = 128u32;
/// `UT_TYPE_BIT(UT_TYPE_DEAD_PROCESS)`.
pub const UT_TYPE_MASK_DEAD_PROCESS: u32 = 256u32;
/// `UT_TYPE_BIT(UT_TYPE_ACCOUNTING)`.
pub const UT_TYPE_MASK_ACCOUNTING: u32 = 512u32;
/// `UT_TYPE_BIT(UT_TYPE_SIGNATURE)`.
pub const UT_TYPE_MASK_SIGNATURE: u32 = 1024u32;
/// `UT_TYPE_BIT(UT_TYPE_SHUTDOWN_TIME)`.
pub const UT_TYPE_MASK_SHUTDOWN_TIME: u32 = 2048u32;
/// `UT_TYPE_BIT(UT_TYPE_LAST_LOGIN)`.
pub const UT_TYPE_MASK_LAST_LOGIN: u32 = 4096u32;
/// `UT_TYPE_BIT(UT_TYPE_UNKNOWN)`.
pub const UT_TYPE_MASK_UNKNOWN: u32 = 8192u32;

// Entry flags (`ut_entry.flags`, bitwise or).

/// A string field holds bytes that are not valid UTF-8.
pub const UT_ENTRY_NOT_UTF8: u32 = 1;
/// A fixed-width string field filled its width on disk (no NUL there).
pub const UT_ENTRY_FULL_WIDTH: u32 = 2;
/// The entry stands for a trailing partial record; nothing was decoded.
pub const UT_ENTRY_PARTIAL_RECORD: u32 = 4;
/// The time is 0, negative, after 2100, or has out-of-range microseconds.
pub const UT_ENTRY_TIME_IMPLAUSIBLE: u32 = 8;
/// Corrupt records before this one were skipped.
pub const UT_ENTRY_RECOVERED: u32 = 16;
/// A followed path now names another file (rotation); this is the first
/// entry read from it.
pub const UT_ENTRY_ROTATED: u32 = 32;
/// A followed file was cut shorter than the position reached; this is the
/// first entry read again from its start.
pub const UT_ENTRY_TRUNCATED: u32 = 64;

/// Address families (`ut_entry.addr_family`).
pub const UT_ADDR_NONE: u32 = 0;
pub const UT_ADDR_IPV4: u32 = 1;
pub const UT_ADDR_IPV6: u32 = 2;

/// One normalized record, owned by the reader and valid until the next
/// call on that reader. Starts with its size; fields are only appended.
#[repr(C)]
pub struct ut_entry {
    /// `sizeof(ut_entry)` as the library was built; check it before
    /// reading fields added after the ones your header knows.
    pub size: u32,
    /// Normalized type (`UT_TYPE_*`).
    pub entry_type: ut_type,
    /// The type number as stored on disk, -1 when the format has none.
    pub raw_type: i32,
    /// `UT_ENTRY_*` bits.
    pub flags: u32,
    /// User name; never NULL, "" when absent.
    pub user: *const c_char,
    /// Terminal line without `/dev/` ("~" for system records).
    pub line: *const c_char,
    /// Terminal id (`ut_id`), up to 4 bytes on Linux.
    pub id: *const c_char,
    /// Remote host (or kernel release on boot records).
    pub host: *const c_char,
    /// PAM service (wtmpdb, lastlog2), "" otherwise.
    pub service: *const c_char,
    /// Process id, -1 when unknown.
    pub pid: i64,
    /// Session id, -1 when unknown.
    pub session: i64,
    /// User id, -1 when unknown (lastlog: the record's uid).
    pub uid: i64,
    /// `ut_exit.e_termination`, -1 when unknown.
    pub exit_termination: i32,
    /// `ut_exit.e_exit`, -1 when unknown.
    pub exit_status: i32,
    /// Seconds since 1970-01-01 UTC.
    pub sec: i64,
    /// Microseconds (0..999999 when plausible).
    pub usec: i32,
    /// `UT_ADDR_*`.
    pub addr_family: u32,
    /// Address in network byte order; IPv4 in the first 4 bytes.
    pub addr: [u8; 16],
    /// Address as text ("" when none).
    pub addr_text: *const c_char,
    /// Format of the record (`UT_FORMAT_*`).
    pub format: ut_format,
    /// Byte offset of the record in its file.
    pub offset: u64,
}

/// Flags of `ut_sessions_open` (bitwise or).
/// Do not look at this host's processes: a session with no logout and no
/// later boot is `UT_ENDED_STILL_LOGGED_IN`, never `UT_ENDED_GONE`. Use it
/// for files from other machines.
pub const UT_SESSIONS_NO_LIVENESS: u32 = 1;

/// `ut_count_users` flag: count each user name once.
pub const UT_COUNT_DISTINCT: u32 = 1;
/// `ut_count_users` flag: do not check that the login process is alive.
pub const UT_COUNT_INCLUDE_DEAD: u32 = 2;

// Session kinds (`ut_session.kind`).

/// A user's login.
pub const UT_KIND_USER: u32 = 0;
/// A system boot, lasting until the next shutdown.
pub const UT_KIND_REBOOT: u32 = 1;
/// An orderly shutdown, lasting until the next boot.
pub const UT_KIND_SHUTDOWN: u32 = 2;
/// A run-level change (`ut_session.runlevel`), lasting until the next one.
pub const UT_KIND_RUN_LEVEL: u32 = 3;
/// A clock change (`ut_session.time_change`); a point in time.
pub const UT_KIND_CLOCK_CHANGE: u32 = 4;

// How a session ended (`ut_session.end`).

/// A logout record closed it.
pub const UT_ENDED_LOGGED_OUT: u32 = 0;
/// No logout and no later boot: still logged in.
pub const UT_ENDED_STILL_LOGGED_IN: u32 = 1;
/// No logout and no later boot, but its process is gone.
pub const UT_ENDED_GONE: u32 = 2;
/// The system booted again without a shutdown (logout = that boot).
pub const UT_ENDED_CRASH: u32 = 3;
/// The system was shut down (logout = the shutdown).
pub const UT_ENDED_DOWN: u32 = 4;
/// A boot or run level still in effect.
pub const UT_ENDED_STILL_RUNNING: u32 = 5;
/// A point event (clock change).
pub const UT_ENDED_INSTANT: u32 = 6;

/// `ut_session.flags`: `logout_sec`/`logout_usec` hold a time.
pub const UT_SESSION_HAS_LOGOUT: u32 = 1;

// `ut_session.time_change`.
pub const UT_TIME_CHANGE_NONE: u32 = 0;
/// The time before a clock change (`OLD_TIME`).
pub const UT_TIME_CHANGE_OLD: u32 = 1;
/// The time after a clock change (`NEW_TIME`).
pub const UT_TIME_CHANGE_NEW: u32 = 2;

/// One session, owned by its `ut_sessions` handle and valid until the next
/// call on it. Starts with its size; fields are only appended.
#[repr(C)]
pub struct ut_session {
    /// `sizeof(ut_session)` as the library was built.
    pub size: u32,
    /// `UT_KIND_*`.
    pub kind: u32,
    /// `UT_ENDED_*`.
    pub end: u32,
    /// `UT_SESSION_*` bits.
    pub flags: u32,
    /// User name of the login (or "reboot", "shutdown", "runlevel"…);
    /// never NULL.
    pub user: *const c_char,
    /// Terminal line of the login ("~" for system events).
    pub line: *const c_char,
    /// Terminal id (`ut_id`).
    pub id: *const c_char,
    /// Remote host (kernel release for boots).
    pub host: *const c_char,
    /// `UT_ADDR_*`.
    pub addr_family: u32,
    /// Address in network byte order, as stored (16 bytes).
    pub addr: [u8; 16],
    /// Address as text ("" when none).
    pub addr_text: *const c_char,
    /// Process id of the login, -1 when unknown.
    pub pid: i64,
    /// Login (or event) time, seconds since 1970-01-01 UTC.
    pub login_sec: i64,
    pub login_usec: i32,
    /// Logout time microseconds (see `logout_sec`).
    pub logout_usec: i32,
    /// Logout or end time when `flags & UT_SESSION_HAS_LOGOUT`, else 0.
    /// For crash and down: the time of the boot or shutdown.
    pub logout_sec: i64,
    /// Byte offset of the login (or event) record.
    pub login_offset: u64,
    /// Byte offset of the record that ended it (logout, or the boot or
    /// shutdown for crash and down); -1 when none.
    pub logout_offset: i64,
    /// For `UT_KIND_RUN_LEVEL`: the new level as a character ('5'); else -1.
    pub runlevel: i32,
    /// `UT_TIME_CHANGE_*`.
    pub time_change: u32,
    /// Format of the records (`UT_FORMAT_*`).
    pub format: ut_format,
}

// Versions.

/// The ABI version: the N of `libutx.so.N`. It changes only with an
/// incompatible change of the ABI, which also renames the library; within
/// one ABI version functions and constants are only added (compare
/// `UTX_VERSION_*` to know which). `ut_abi_version()` returns the
/// library's value: a binding checks it against this one when it loads.
pub const UTX_ABI_VERSION: u32 = 1u32;
/// The library version this header belongs to (`ut_version()` gives the
/// loaded library's): major.
pub const UTX_VERSION_MAJOR: u32 = 1u32;
/// Minor version (see `UTX_VERSION_MAJOR`).
pub const UTX_VERSION_MINOR: u32 = 0u32;
/// Patch version (see `UTX_VERSION_MAJOR`).
pub const UTX_VERSION_PATCH: u32 = 0u32;

/// Component `k` (0 major, 1 minor, 2 patch) of a "MAJOR.MINOR.PATCH" text.
const fn version_part(v: &str, k: usize) -> u32 {
    let b = v.as_bytes();
    let (mut i, mut part, mut n) = (0, 0, 0u32);
    while i < b.len() && b[i] != b'-' && b[i] != b'+' {
        if b[i] == b'.' {
            part += 1;
        } else if part == k {
            n = n * 10 + (b[i] - b'0') as u32;
        }
        i += 1;
    }
    n
}

// The version macros are literals (cbindgen copies literals only); the
// build fails when they disagree with the crate's version.
const _: () = assert!(
    UTX_VERSION_MAJOR == version_part(utx::VERSION, 0)
        && UTX_VERSION_MINOR == version_part(utx::VERSION, 1)
        && UTX_VERSION_PATCH == version_part(utx::VERSION, 2),
    "UTX_VERSION_* in utx-c/src/types.rs disagree with Cargo.toml's version"
);

/// Most entries one `ut_reader_next_batch` call returns, whatever its `cap`.
pub const UT_BATCH_MAX: usize = 256;

// Writer flags (`ut_writer_open`, bitwise or).

/// Create a missing file (mode 0664 before the umask; never through a
/// symlink).
pub const UT_WRITE_CREATE: u32 = 1;
/// Write utmp slots as `pututxline` does (default: append, as `updwtmpx`).
pub const UT_WRITE_SLOTS: u32 = 2;
/// Refuse an entry with a field that would be cut (default: cut strings
/// as the system's libc does).
pub const UT_WRITE_STRICT: u32 = 4;

// Fields cut by a writer or `ut_entry_encode` (bitwise or).

pub const UT_CUT_USER: u32 = 1;
pub const UT_CUT_LINE: u32 = 2;
pub const UT_CUT_ID: u32 = 4;
pub const UT_CUT_HOST: u32 = 8;
/// The layout has no number for the entry's type.
pub const UT_CUT_TYPE: u32 = 16;
/// The seconds do not fit the layout's time field.
pub const UT_CUT_TIME: u32 = 32;
pub const UT_CUT_PID: u32 = 64;
pub const UT_CUT_SESSION: u32 = 128;
pub const UT_CUT_EXIT: u32 = 256;
/// An IPv6 address in a layout that holds only IPv4.
pub const UT_CUT_ADDR: u32 = 512;
/// The layout keeps no microseconds and they were not 0.
pub const UT_CUT_USEC: u32 = 1024;
