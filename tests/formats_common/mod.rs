//! Helpers shared by the formats_* integration tests: the corpus path,
//! reading entries, and time formatting for the native-tool companions.
#![allow(dead_code)]

use std::path::PathBuf;

use utx::{Entry, EntryType, Format, Options, Reader};

/// The shared corpus, or `None` (after saying so) when it is absent.
/// `UTX_CORPUS` overrides the path (for git worktrees elsewhere).
pub fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("UTX_CORPUS").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")),
        PathBuf::from,
    );
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIP: /work/shared corpus not found");
        None
    }
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
