//! Helpers shared by every test module: the corpus, reading entries,
//! scratch directories, wtmpdb/lastlog2 databases with the exact upstream
//! schemas, logind trees in the format logind writes, hand-built utmp
//! records, and time formatting for the native-tool companions.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use utx::{Entry, EntryType, Format, Options, Reader};

/// The shared corpus: `$UTX_CORPUS`, else `../shared/corpus`, else
/// `../../shared/corpus` (from a git worktree one level deeper), beside
/// the repository. `None`, after saying so on stderr, when it is absent:
/// the corpus tests are then not run.
pub fn corpus_root() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates: Vec<PathBuf> = match std::env::var_os("UTX_CORPUS") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![
            manifest.join("../shared/corpus"),
            manifest.join("../../shared/corpus"),
        ],
    };
    if let Some(dir) = candidates.iter().find(|p| p.is_dir()) {
        return Some(dir.clone());
    }
    eprintln!(
        "SKIP: the sample corpus is absent (looked in {}; set UTX_CORPUS to its path): corpus test not run",
        candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    None
}

/// A folder of the corpus, or `None` (with a clear message) when the
/// corpus or the folder is absent.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let dir = corpus_root()?.join(rel);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: {} not found in the corpus: corpus test not run",
            dir.display()
        );
        None
    }
}

/// Every entry of a file, forward, format detected.
pub fn entries(path: &Path) -> Vec<Entry> {
    read_all(path, Options::default())
}

/// Every entry of a file, newest first.
pub fn entries_rev(path: &Path) -> Vec<Entry> {
    read_all(
        path,
        Options {
            reverse: true,
            ..Options::default()
        },
    )
}

pub fn read_all(path: &Path, opts: Options) -> Vec<Entry> {
    let reader = Reader::open(path, opts).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader.map(|e| e.unwrap()).collect()
}

/// A scratch directory removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "utx-modern-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Write `rel` (creating parent directories).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.join(rel);
        fs::create_dir_all(&p).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// wtmpdb's schema, verbatim from thkukuk/wtmpdb lib/sqlite.c.
pub const WTMPDB_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;";

/// lastlog2's schema, verbatim from util-linux liblastlog2/src/lastlog2.c.
pub const LASTLOG2_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);";

/// One wtmpdb row: (Type, User, Login µs, Logout µs, TTY, RemoteHost, Service).
pub type WtmpRow<'a> = (
    i64,
    &'a str,
    i64,
    Option<i64>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

/// Without the sqlite feature the tests return before writing databases.
#[cfg(not(feature = "sqlite"))]
pub fn write_wtmpdb(_path: &Path, _rows: &[WtmpRow<'_>]) {
    unreachable!("writing a wtmpdb database needs the sqlite feature")
}

#[cfg(not(feature = "sqlite"))]
pub fn write_lastlog2(_path: &Path, _rows: &[(&str, i64, &str, &str, &str)]) {
    unreachable!("writing a lastlog2 database needs the sqlite feature")
}

/// Write a wtmpdb database the way wtmpdb does (INSERT, then UPDATE of
/// Logout as a logout would), in DELETE journal mode.
#[cfg(feature = "sqlite")]
pub fn write_wtmpdb(path: &Path, rows: &[WtmpRow<'_>]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(WTMPDB_SCHEMA).unwrap();
    for (ty, user, login, logout, tty, host, service) in rows {
        conn.execute(
            "INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost, Service) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![ty, user, login, tty, host, service],
        )
        .unwrap();
        if let Some(out) = logout {
            let id = conn.last_insert_rowid();
            conn.execute(
                "UPDATE wtmp SET Logout = ?1 WHERE ID = ?2",
                rusqlite::params![out, id],
            )
            .unwrap();
        }
    }
}

/// Write a lastlog2 database the way liblastlog2 does (REPLACE INTO).
#[cfg(feature = "sqlite")]
pub fn write_lastlog2(path: &Path, rows: &[(&str, i64, &str, &str, &str)]) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(LASTLOG2_SCHEMA).unwrap();
    let tx = conn.transaction().unwrap();
    for (name, time, tty, host, service) in rows {
        tx.execute(
            "REPLACE INTO Lastlog2 VALUES(?,?,?,?,?)",
            rusqlite::params![name, time, tty, host, service],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The sqlite3 command-line tool, when installed (an independent writer).
pub fn sqlite3_cli() -> Option<PathBuf> {
    ["/usr/bin/sqlite3", "/bin/sqlite3", "/usr/local/bin/sqlite3"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// A session file as logind writes it (first line a comment, KEY=value).
pub fn session_file(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut s = String::from("# This is private data. Do not parse.\n");
    for (k, v) in pairs {
        s.push_str(&format!("{k}={v}\n"));
    }
    s.into_bytes()
}

/// A logind tree under `root`: seat0, the given sessions, users 1000 and
/// 1001, one machine plus machined's "unit:" symlink.
pub fn logind_tree(root: &Scratch, sessions: &[(&str, Vec<u8>)]) {
    root.write(
        "run/systemd/seats/seat0",
        b"# This is private data. Do not parse.\nIS_SEAT0=1\nCAN_MULTI_SESSION=1\nCAN_TTY=1\nCAN_GRAPHICAL=0\nACTIVE=3\nACTIVE_UID=1000\nSESSIONS=3\nUIDS=1000\n",
    );
    root.mkdir("run/systemd/sessions");
    for (id, body) in sessions {
        root.write(&format!("run/systemd/sessions/{id}"), body);
    }
    root.write(
        "run/systemd/users/1000",
        b"# This is private data. Do not parse.\nNAME=alice\nSTATE=active\nSTOPPING=no\nSESSIONS=\"3 c1\"\n",
    );
    root.write(
        "run/systemd/users/1001",
        b"# This is private data. Do not parse.\nNAME=bob\nSTATE=online\n",
    );
    root.write(
        "run/systemd/machines/debian-12",
        b"# This is private data. Do not parse.\nNAME=debian-12\nCLASS=container\nLEADER=1\n",
    );
    let _ = std::os::unix::fs::symlink(
        "debian-12",
        root.join("run/systemd/machines/unit:machine-debian\\x2d12.scope"),
    );
}

/// The standard set of sessions used by several tests.
pub fn standard_sessions(now_us: i64) -> Vec<(&'static str, Vec<u8>)> {
    let t = |d: i64| (now_us - d * 1_000_000).to_string();
    vec![
        (
            "3",
            session_file(&[
                ("UID", "1000"),
                ("USER", "alice"),
                ("ACTIVE", "1"),
                ("IS_DISPLAY", "0"),
                ("STATE", "active"),
                ("REMOTE", "1"),
                ("TYPE", "tty"),
                ("CLASS", "user"),
                ("SCOPE", "session-3.scope"),
                ("TTY", "/dev/pts/0"),
                ("REMOTE_HOST", "192.0.2.7"),
                ("SERVICE", "sshd"),
                ("LEADER", "4242"),
                ("REALTIME", &t(300)),
                ("MONOTONIC", "123456"),
            ]),
        ),
        (
            "c1",
            session_file(&[
                ("UID", "1000"),
                ("USER", "alice"),
                ("ACTIVE", "0"),
                ("STATE", "online"),
                ("REMOTE", "0"),
                ("CLASS", "manager"),
                ("SERVICE", "systemd-user"),
                ("LEADER", "4000"),
                ("REALTIME", &t(400)),
            ]),
        ),
        (
            "7",
            session_file(&[
                ("UID", "1001"),
                ("USER", "bob"),
                ("ACTIVE", "0"),
                ("STATE", "online"),
                ("REMOTE", "1"),
                ("CLASS", "user"),
                // Quoted, with escapes, as env_file_fputs_assignment writes.
                ("REMOTE_HOST", "\"host \\\"seven\\\".example\""),
                ("SERVICE", "'login'"),
                ("DISPLAY", ":1"),
                ("REALTIME", &t(200)),
                // No LEADER, no TTY: optional keys.
            ]),
        ),
        (
            "9",
            session_file(&[
                ("UID", "0"),
                ("USER", "root"),
                ("STATE", "closing"),
                ("CLASS", "user"),
                ("TTY", "tty2"),
                ("REALTIME", &t(100)),
            ]),
        ),
        (
            "12",
            session_file(&[
                ("UID", "0"),
                ("USER", "root"),
                ("STATE", "online"),
                ("CLASS", "background"),
                ("SERVICE", "crond"),
                ("REALTIME", &t(50)),
            ]),
        ),
        // logind's temporary file before the rename: never a session.
        (".#3abcdef", session_file(&[("UID", "1"), ("USER", "tmp")])),
    ]
}

pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64
}

/// One 384-byte glibc utmp record (x86-64 layout A, little-endian).
pub fn utmp384(
    ty: i16,
    pid: i32,
    line: &str,
    id: &str,
    user: &str,
    host: &str,
    sec: u32,
) -> Vec<u8> {
    let mut r = vec![0u8; 384];
    r[0..2].copy_from_slice(&ty.to_le_bytes());
    r[4..8].copy_from_slice(&pid.to_le_bytes());
    r[8..8 + line.len()].copy_from_slice(line.as_bytes());
    r[40..40 + id.len()].copy_from_slice(id.as_bytes());
    r[44..44 + user.len()].copy_from_slice(user.as_bytes());
    r[76..76 + host.len()].copy_from_slice(host.as_bytes());
    r[340..344].copy_from_slice(&sec.to_le_bytes());
    r
}

/// Every entry of a file, with the format detection chose.
pub fn read_file(path: &std::path::Path) -> (Format, Vec<Entry>) {
    let r = Reader::open(path, Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f = r.format();
    let v: Vec<Entry> = r.map(|e| e.expect("entry")).collect();
    (f, v)
}

pub fn read_bytes(bytes: &[u8], format: Format, reverse: bool) -> Vec<Entry> {
    let opts = Options {
        format,
        reverse,
        ..Options::default()
    };
    Reader::from_bytes(bytes, opts)
        .expect("open")
        .map(|e| e.expect("entry"))
        .collect()
}

pub fn detect_bytes(bytes: &[u8]) -> Result<Format, utx::Error> {
    Reader::from_bytes(bytes, Options::default()).map(|r| r.format())
}

pub fn s(f: &utx::entry::Field) -> String {
    f.to_string_lossy()
}

/// (year, month 1-12, day, hour, minute, second, weekday 0=Sunday).
pub fn civil(t: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400) as u32;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = (days + 4).rem_euclid(7) as u32;
    (y, m, d, secs / 3600, secs / 60 % 60, secs % 60, wd)
}

/// Days since the epoch of a civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The UTC offset in seconds of a US time zone (standard offset `std_h`
/// hours) at `t`, with the 2007 DST rules: 2nd Sunday of March to the
/// 1st Sunday of November, at 02:00 local.
pub fn us_offset(t: i64, std_h: i64) -> i64 {
    let (y, ..) = civil(t);
    let nth_sunday = |m: u32, n: i64| {
        let first = days_from_civil(y, m, 1);
        let wd = (first + 4).rem_euclid(7);
        first + (7 - wd) % 7 + 7 * (n - 1)
    };
    let start = nth_sunday(3, 2) * 86400 + 2 * 3600 - std_h * 3600;
    let end = nth_sunday(11, 1) * 86400 + 2 * 3600 - (std_h + 1) * 3600;
    if t >= start && t < end {
        (std_h + 1) * 3600
    } else {
        std_h * 3600
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Www Mmm d HH:MM` (tokens joined by single spaces).
pub fn hm(t: i64) -> String {
    let (_, m, d, h, mi, _, wd) = civil(t);
    format!(
        "{} {} {} {:02}:{:02}",
        DAYS[wd as usize],
        MONTHS[m as usize - 1],
        d,
        h,
        mi
    )
}

/// `Www Mmm d YYYY HH:MM:SS` (NetBSD `last`).
pub fn ymdhms(t: i64) -> String {
    let (y, m, d, h, mi, sec, wd) = civil(t);
    format!(
        "{} {} {} {} {:02}:{:02}:{:02}",
        DAYS[wd as usize],
        MONTHS[m as usize - 1],
        d,
        y,
        h,
        mi,
        sec
    )
}

/// `Www Mmm d HH:MM:SS YYYY` (lastlogin tools).
pub fn hms_y(t: i64) -> String {
    let (y, m, d, h, mi, sec, wd) = civil(t);
    format!(
        "{} {} {} {:02}:{:02}:{:02} {}",
        DAYS[wd as usize],
        MONTHS[m as usize - 1],
        d,
        h,
        mi,
        sec,
        y
    )
}

/// Index of the first `Www Mmm` pair in whitespace tokens.
pub fn date_start(tokens: &[&str]) -> Option<usize> {
    (0..tokens.len().saturating_sub(1))
        .find(|&i| DAYS.contains(&tokens[i]) && MONTHS.contains(&tokens[i + 1]))
}

pub fn is_session(e: &Entry) -> bool {
    matches!(
        e.entry_type,
        EntryType::UserProcess | EntryType::BootTime | EntryType::ShutdownTime
    )
}
