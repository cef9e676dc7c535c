//! The code of every fuzz target, shared by the libFuzzer binaries
//! (`fuzz_targets/*.rs`, one line each) and by `replay`, which runs the
//! files of `fuzz/regressions/<target>/` through the same functions on a
//! stable toolchain.
//!
//! `abi` holds the targets through the C ABI (the `utx-c` crate).
//!
//! Only public root items of the core are used (`utx::Reader`,
//! `utx::Options`, `utx::Format`, `utx::Sessions`, …), so the fuzz crate
//! does not depend on where the core keeps its modules.
//!
//! Besides "no panic, no crash, no hang" (libFuzzer's `-timeout` and
//! `-rss_limit_mb` catch the last two), each target checks properties that
//! hold for any input:
//! - bounded work: a reader never returns more entries than its input has
//!   bytes (an entry needs at least one byte of input), and a session
//!   list is never longer than the entries it was paired from;
//! - determinism: reading again after `rewind` gives the same entries;
//! - direction: the reverse reader gives the forward reader's entries;
//! - filters: `set_since`/`set_until` only let entries in range through;
//! - seeking: on a file whose entries are in time order, `seek_time` lands
//!   where a scan from the start (or, reverse, from the end) lands.

use utx::{Entry, Format, Options, Reader, Session, SessionOptions, Sessions};

pub mod abi;
pub use abi::{c_abi, logind};

/// A target: one input, checked; a failed check panics.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz_targets/` file.
pub const TARGETS: &[(&str, Target)] = &[
    ("reader_auto", reader_auto),
    ("fixed_layout", fixed_layout),
    ("utmpdump_text", utmpdump_text),
    ("utx_log", utx_log),
    ("lastlogx", lastlogx),
    ("sqlite", sqlite),
    ("sessions", sessions),
    ("seek", seek),
    ("c_abi", c_abi),
    ("logind", logind),
];

/// Run the target called `name` on `data`; false if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, f)) => {
            f(data);
            true
        }
        None => false,
    }
}

/// Formats that are not fixed-size record layouts (each has its own
/// target, or cannot be read from bytes). Every other format is a layout;
/// a layout appended to `Format` is fuzzed by `fixed_layout` unchanged.
const NOT_FIXED: &[Format] = &[
    Format::Auto,
    Format::UtmpdumpText,
    Format::Wtmpdb,
    Format::Lastlog2,
    Format::Logind,
    Format::FreebsdUtxLog,
    Format::NetbsdLastlogx,
];

fn fixed_formats() -> Vec<Format> {
    Format::all().filter(|f| !NOT_FIXED.contains(f)).collect()
}

/// The first byte chooses, the rest is the file.
fn split_first(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    }
}

fn opts(format: Format, reverse: bool) -> Options {
    Options {
        format,
        reverse,
        ..Options::default()
    }
}

/// Entry flags (UT_ENTRY_*; numbers of the C ABI).
const PARTIAL: u32 = 1 << 2;
const RECOVERED: u32 = 1 << 4;

/// What an entry is, for comparing two readings of one input.
type Key = (u64, i64, i32, u32, Vec<u8>, Vec<u8>);

fn key(e: &Entry) -> Key {
    (
        e.offset,
        e.sec,
        e.entry_type as i32,
        e.flags,
        e.user.as_bytes().to_vec(),
        e.line.as_bytes().to_vec(),
    )
}

/// Every entry of `r` (stopping at the first error, then `Err` holds
/// what was read before it). Panics when there are more entries than
/// `limit`: the reader would be looping.
fn drain(r: &mut Reader, limit: usize) -> Result<Vec<Key>, Vec<Key>> {
    let mut out = Vec::new();
    let mut e = Entry::default();
    loop {
        match r.next_into(&mut e) {
            Ok(true) => {
                out.push(key(&e));
                assert!(
                    out.len() <= limit,
                    "{} entries from {limit} bytes: unbounded work",
                    out.len()
                );
            }
            Ok(false) => return Ok(out),
            Err(_) => return Err(out),
        }
    }
}

/// Open `data` as `format` both ways and check the properties above.
fn read_both_ways(data: &[u8], format: Format) {
    let limit = data.len();
    let Ok(mut fwd) = Reader::from_bytes(data, opts(format, false)) else {
        // A refusal is an answer; the reverse open must agree.
        assert!(
            Reader::from_bytes(data, opts(format, true)).is_err(),
            "opened reverse but not forward"
        );
        return;
    };
    let detected = fwd.format();
    let first = drain(&mut fwd, limit);
    fwd.rewind().expect("rewind of a memory reader");
    let again = drain(&mut fwd, limit);
    assert_eq!(first, again, "a second reading after rewind differs");

    let mut rev =
        Reader::from_bytes(data, opts(format, true)).expect("opened forward but not reverse");
    assert_eq!(rev.format(), detected, "reverse detected another format");
    let backwards = drain(&mut rev, limit);
    if let (Ok(f), Ok(b)) = (&first, &backwards) {
        // RECOVERED marks the entry read just after skipped bytes, so it
        // sits on another entry in each direction: compare without it.
        let strip = |v: &[Key]| -> Vec<Key> {
            v.iter()
                .map(|k| {
                    let mut k = k.clone();
                    k.3 &= !RECOVERED;
                    k
                })
                .collect()
        };
        let mut b = strip(b);
        b.reverse();
        if fwd.skipped() == 0 && rev.skipped() == 0 {
            assert_eq!(
                strip(f),
                b,
                "reverse reading is not the forward one reversed"
            );
        }
    }
    // Each skip flags the next entry RECOVERED and is counted by
    // `skipped` (ut_reader_skipped's contract).
    for (r, entries) in [(&fwd, &first), (&rev, &backwards)] {
        let flagged = entries
            .as_ref()
            .unwrap_or_else(|v| v)
            .iter()
            .any(|k| k.3 & RECOVERED != 0);
        assert!(
            !flagged || r.skipped() > 0,
            "an entry is RECOVERED but skipped() is 0"
        );
    }
}

/// The reader as a caller uses it: detection, then every entry forward
/// and backward.
pub fn reader_auto(data: &[u8]) {
    read_both_ways(data, Format::Auto);
}

/// Every fixed-size record layout, forced: the first byte picks it.
pub fn fixed_layout(data: &[u8]) {
    let fixed = fixed_formats();
    let (b, rest) = split_first(data);
    read_both_ways(rest, fixed[b as usize % fixed.len()]);
}

/// util-linux `utmpdump` text, forced.
pub fn utmpdump_text(data: &[u8]) {
    read_both_ways(data, Format::UtmpdumpText);
}

/// FreeBSD utx.log (length-prefixed records), forced.
pub fn utx_log(data: &[u8]) {
    read_both_ways(data, Format::FreebsdUtxLog);
}

/// NetBSD lastlogx (a Berkeley DB 1.85 hash), forced.
pub fn lastlogx(data: &[u8]) {
    read_both_ways(data, Format::NetbsdLastlogx);
}

/// wtmpdb and lastlog2 databases. SQLite reads a path, so the input is
/// written to a file of this process first; the first byte picks wtmpdb,
/// lastlog2 or detection.
pub fn sqlite(data: &[u8]) {
    use std::io::Write;
    let (b, rest) = split_first(data);
    let format = [Format::Auto, Format::Wtmpdb, Format::Lastlog2][b as usize % 3];
    let dir = std::env::temp_dir().join(format!("utx-fuzz-sqlite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("db");
    // A fresh file each time: SQLite must not see a journal of a
    // previous input.
    for p in ["db", "db-journal", "db-wal", "db-shm"] {
        let _ = std::fs::remove_file(dir.join(p));
    }
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(rest))
        .expect("write the database file");
    // A database's rows are not bounded by its size in bytes the way a
    // record file's are (a row is a few bytes), but each needs one.
    let limit = rest.len();
    for reverse in [false, true] {
        if let Ok(mut r) = Reader::open(&path, opts(format, reverse)) {
            let first = drain(&mut r, limit);
            if r.rewind().is_ok() {
                let again = drain(&mut r, limit);
                assert_eq!(first, again, "a second reading after rewind differs");
            }
        }
    }
}

/// Sessions paired over a reverse reader of any format (the first byte
/// picks it: detection or a forced format).
pub fn sessions(data: &[u8]) {
    let (b, rest) = split_first(data);
    let formats: Vec<Format> = std::iter::once(Format::Auto)
        .chain(
            Format::all()
                .filter(|f| !matches!(f, Format::Wtmpdb | Format::Lastlog2 | Format::Logind)),
        )
        .collect();
    let format = formats[b as usize % formats.len()];
    // A forward reader is refused.
    if let Ok(fwd) = Reader::from_bytes(rest, opts(format, false)) {
        assert!(
            Sessions::new(fwd, SessionOptions::default()).is_err(),
            "sessions accepted a forward reader"
        );
    }
    let Ok(rev) = Reader::from_bytes(rest, opts(format, true)) else {
        return;
    };
    // Liveness looks at this host's processes: off, so that an input
    // always gives the same sessions.
    let so = SessionOptions {
        check_liveness: false,
        ..SessionOptions::default()
    };
    let Ok(mut s) = Sessions::new(rev, so) else {
        return;
    };
    let mut out = Session::default();
    let mut n = 0usize;
    while let Ok(true) = s.next_into(&mut out) {
        n += 1;
        assert!(n <= rest.len(), "{n} sessions from {} bytes", rest.len());
    }
}

/// `seek_time` and the time range. Bytes 0..6: the format (detection or a
/// fixed layout), the direction, the seek time (i32) and the range flags;
/// the rest is the file.
pub fn seek(data: &[u8]) {
    if data.len() < 7 {
        return;
    }
    let (head, file) = data.split_at(7);
    let formats: Vec<Format> = std::iter::once(Format::Auto)
        .chain(fixed_formats())
        .collect();
    let format = formats[head[0] as usize % formats.len()];
    let reverse = head[1] & 1 != 0;
    let sec = i32::from_le_bytes([head[2], head[3], head[4], head[5]]) as i64;
    let range = head[6];
    let limit = file.len();
    let Ok(mut r) = Reader::from_bytes(file, opts(format, reverse)) else {
        return;
    };
    let Ok(all) = drain(&mut r, limit) else {
        return;
    };

    // The scan's answer: the first entry in reading order at or after
    // `sec` (forward) or at or before it (reverse) that is not a partial
    // record.
    let hit = |k: &Key| (if reverse { k.1 <= sec } else { k.1 >= sec }) && k.3 & PARTIAL == 0;
    let scanned = all.iter().position(hit);
    let mut e = Entry::default();
    if r.seek_time(sec).is_ok() {
        // A trailing partial record has no time: bisection puts it past
        // any seek (it comes next even when no entry is late enough),
        // the scan never stops on it. Compare the first whole entries.
        let mut got = None;
        while let Ok(true) = r.next_into(&mut e) {
            if e.flags & PARTIAL == 0 {
                got = Some(key(&e));
                break;
            }
        }
        // When the entries are in time order, bisection must agree with
        // the scan (on other files it may not: see the core's seek docs).
        // Records never returned (signatures, corrupt records) have no
        // say in either.
        let ordered = all.windows(2).all(|w| {
            if reverse {
                w[0].1 >= w[1].1
            } else {
                w[0].1 <= w[1].1
            }
        });
        if ordered {
            let want = scanned.map(|i| all[i].clone());
            let got_cmp = got.map(|mut k| {
                // The entry after a seek may carry RECOVERED/PARTIAL
                // flags by position; compare what the record is.
                k.3 = 0;
                k
            });
            let want_cmp = want.map(|mut k| {
                k.3 = 0;
                k
            });
            assert_eq!(
                got_cmp, want_cmp,
                "seek_time({sec}) is not where a scan lands"
            );
        }
    }

    // since/until: only entries inside the range come out.
    let since = (range & 1 != 0).then_some(sec);
    let until = (range & 2 != 0).then_some(sec.saturating_add(i64::from(range >> 2) * 3600));
    r.set_since(since);
    r.set_until(until);
    if r.rewind().is_ok() {
        if let Ok(inside) = drain(&mut r, limit) {
            for k in &inside {
                assert!(
                    since.is_none_or(|s| k.1 >= s),
                    "entry at {} before since {since:?}",
                    k.1
                );
                assert!(
                    until.is_none_or(|u| k.1 <= u),
                    "entry at {} after until {until:?}",
                    k.1
                );
            }
            let expect = all
                .iter()
                .filter(|k| since.is_none_or(|s| k.1 >= s) && until.is_none_or(|u| k.1 <= u))
                .count();
            assert_eq!(
                inside.len(),
                expect,
                "the time range dropped entries in range"
            );
        }
    }
}

/// Seed inputs for `target` made from a real file: the file as the target
/// reads it, with the leading choice bytes that select the file's own
/// format (so the fuzzer starts from inputs that decode). Empty when the
/// file is not of the target's format.
pub fn seeds(target: &str, file: &[u8]) -> Vec<Vec<u8>> {
    let detected = Reader::from_bytes(file, Options::default())
        .ok()
        .map(|r| r.format());
    let with = |prefix: &[u8]| [prefix, file].concat();
    let only_if = |f: Format| {
        if detected == Some(f) {
            vec![file.to_vec()]
        } else {
            vec![]
        }
    };
    match target {
        "reader_auto" => vec![file.to_vec()],
        "utmpdump_text" => only_if(Format::UtmpdumpText),
        "utx_log" => only_if(Format::FreebsdUtxLog),
        "lastlogx" => only_if(Format::NetbsdLastlogx),
        "fixed_layout" => {
            let fixed = fixed_formats();
            match detected.and_then(|d| fixed.iter().position(|f| *f == d)) {
                Some(i) => vec![with(&[i as u8])],
                None => vec![],
            }
        }
        "sqlite" if file.starts_with(b"SQLite format 3\0") => {
            (0..3u8).map(|b| with(&[b])).collect()
        }
        "sqlite" => vec![],
        "sessions" => match detected {
            Some(_) => vec![with(&[0])],
            None => vec![],
        },
        "seek" => {
            let formats: Vec<Format> = std::iter::once(Format::Auto)
                .chain(fixed_formats())
                .collect();
            let Some(i) = detected.and_then(|d| formats.iter().position(|f| *f == d)) else {
                return vec![];
            };
            let Ok(mut r) = Reader::from_bytes(file, Options::default()) else {
                return vec![];
            };
            let Ok(all) = drain(&mut r, file.len()) else {
                return vec![];
            };
            let Some(mid) = all.get(all.len() / 2) else {
                return vec![];
            };
            let sec = (mid.1.clamp(i32::MIN as i64, i32::MAX as i64) as i32).to_le_bytes();
            [0u8, 1]
                .iter()
                .map(|rev| with(&[i as u8, *rev, sec[0], sec[1], sec[2], sec[3], 3 | 24 << 2]))
                .collect()
        }
        "c_abi" => {
            // Forward and reverse, batches of 16, tell after 3 entries,
            // seek to the middle of 2023.
            let sec = 1_688_000_000i32.to_le_bytes();
            [0u8, 1]
                .iter()
                .map(|rev| with(&[*rev, 15, 3, sec[0], sec[1], sec[2], sec[3]]))
                .collect()
        }
        _ => vec![],
    }
}
