//! Reading behaviour: chunk boundaries, reverse order, partial tails,
//! sparse lastlog, files that change while read, and bad input.

use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;

use crate::helpers::{read_all, Scratch};
use utx::entry::flags;
use utx::{EntryType, ErrorKind, Format, Options, Reader};

/// One glibc layout-A (384-byte, little-endian) record.
fn rec384(ty: i16, pid: i32, line: &str, user: &str, sec: u32) -> Vec<u8> {
    let mut r = vec![0u8; 384];
    r[0..2].copy_from_slice(&ty.to_le_bytes());
    r[4..8].copy_from_slice(&pid.to_le_bytes());
    r[8..8 + line.len()].copy_from_slice(line.as_bytes());
    r[44..44 + user.len()].copy_from_slice(user.as_bytes());
    r[340..344].copy_from_slice(&sec.to_le_bytes());
    r[348..352].copy_from_slice(&[10, 0, 0, (pid % 250) as u8 + 1]);
    r
}

/// `n` login records with increasing pids and times.
fn wtmp(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            rec384(
                7,
                i as i32 + 1,
                &format!("pts/{}", i % 50),
                &format!("user{i}"),
                1_600_000_000 + i as u32,
            )
        })
        .collect()
}

fn pids(path: &std::path::Path, opts: Options) -> Vec<i64> {
    read_all(path, opts)
        .iter()
        .filter(|e| e.flags & flags::PARTIAL_RECORD == 0)
        .map(|e| e.pid)
        .collect()
}

#[test]
fn forward_and_reverse_across_chunks() {
    let dir = Scratch::new("chunks");
    let p = dir.join("wtmp");
    // 3000 records = 1.1 MB: several 256 KiB chunks, not a multiple of one.
    fs::write(&p, wtmp(3000)).unwrap();
    let fwd = pids(&p, Options::default());
    assert_eq!(fwd, (1..=3000).collect::<Vec<_>>());
    let mut rev = pids(
        &p,
        Options {
            reverse: true,
            ..Options::default()
        },
    );
    rev.reverse();
    assert_eq!(rev, fwd);
    // Offsets are the record positions.
    let es = read_all(&p, Options::default());
    assert!(es
        .iter()
        .enumerate()
        .all(|(i, e)| e.offset == i as u64 * 384));
}

#[test]
fn rewind_restarts_in_both_directions() {
    let dir = Scratch::new("rewind");
    let p = dir.join("wtmp");
    fs::write(&p, wtmp(1000)).unwrap();
    for reverse in [false, true] {
        let mut r = Reader::open(
            &p,
            Options {
                reverse,
                ..Options::default()
            },
        )
        .unwrap();
        let first: Vec<i64> = (&mut r).take(700).map(|e| e.unwrap().pid).collect();
        r.rewind().unwrap();
        let again: Vec<i64> = (&mut r).take(700).map(|e| e.unwrap().pid).collect();
        assert_eq!(first, again);
    }
}

#[test]
fn type_mask_filters() {
    let dir = Scratch::new("mask");
    let p = dir.join("wtmp");
    let mut bytes = wtmp(10);
    bytes.extend(rec384(8, 3, "pts/3", "", 1_600_000_100));
    bytes.extend(rec384(2, 0, "~", "reboot", 1_600_000_200));
    fs::write(&p, bytes).unwrap();
    let opts = Options {
        type_mask: EntryType::DeadProcess.mask_bit() | EntryType::BootTime.mask_bit(),
        ..Options::default()
    };
    let es = read_all(&p, opts);
    assert_eq!(
        es.iter().map(|e| e.entry_type).collect::<Vec<_>>(),
        vec![EntryType::DeadProcess, EntryType::BootTime]
    );
}

#[test]
fn trailing_partial_record_is_flagged_not_misread() {
    let dir = Scratch::new("partial");
    let p = dir.join("wtmp");
    let mut bytes = wtmp(700);
    bytes.extend_from_slice(&rec384(7, 9999, "pts/9", "half", 1_700_000_000)[..200]);
    fs::write(&p, &bytes).unwrap();
    for reverse in [false, true] {
        let es = read_all(
            &p,
            Options {
                reverse,
                ..Options::default()
            },
        );
        assert_eq!(es.len(), 701);
        let partial: Vec<_> = es
            .iter()
            .filter(|e| e.flags & flags::PARTIAL_RECORD != 0)
            .collect();
        assert_eq!(partial.len(), 1);
        assert_eq!(partial[0].offset, 700 * 384);
        assert!(partial[0].user.is_empty() && partial[0].pid == -1);
        assert!(!es.iter().any(|e| e.pid == 9999));
    }
}

#[test]
fn file_growing_while_read_is_read_to_its_last_whole_record() {
    let dir = Scratch::new("grow");
    let p = dir.join("wtmp");
    fs::write(&p, wtmp(1000)).unwrap();
    let mut r = Reader::open(&p, Options::default()).unwrap();
    let mut n = 0;
    let mut appended = false;
    let mut saw_partial = false;
    for e in r.by_ref() {
        let e = e.unwrap();
        if e.flags & flags::PARTIAL_RECORD != 0 {
            saw_partial = true;
            continue;
        }
        n += 1;
        if n == 10 && !appended {
            // A writer appends 500 whole records and half of another.
            let mut f = OpenOptions::new().append(true).open(&p).unwrap();
            f.write_all(&wtmp(1500)[1000 * 384..]).unwrap();
            f.write_all(&[7, 0, 0, 0, 1]).unwrap();
            appended = true;
        }
    }
    assert_eq!(n, 1500);
    assert!(saw_partial);
}

#[test]
fn file_truncated_while_read_ends_cleanly() {
    let dir = Scratch::new("shrink");
    let p = dir.join("wtmp");
    for reverse in [false, true] {
        fs::write(&p, wtmp(3000)).unwrap();
        let mut r = Reader::open(
            &p,
            Options {
                reverse,
                ..Options::default()
            },
        )
        .unwrap();
        let mut n = 0;
        for e in r.by_ref() {
            let e = e.unwrap();
            n += 1;
            if n == 5 {
                File::options()
                    .write(true)
                    .open(&p)
                    .unwrap()
                    .set_len(384 * 100 + 17)
                    .unwrap();
            }
            assert!(e.pid >= 1 && e.pid <= 3000);
        }
        // Forward: what was buffered, then nothing past the new end.
        // Backward: the buffered chunk, then the 100 records still there.
        assert!(n < 3000, "reverse={reverse}: read {n}");
    }
}

#[test]
fn huge_sparse_lastlog_reads_only_its_data() {
    let dir = Scratch::new("sparse");
    let p = dir.join("lastlog");
    let mut f = File::create(&p).unwrap();
    let record = |sec: u32, line: &str, host: &str| {
        let mut r = vec![0u8; 292];
        r[0..4].copy_from_slice(&sec.to_le_bytes());
        r[4..4 + line.len()].copy_from_slice(line.as_bytes());
        r[36..36 + host.len()].copy_from_slice(host.as_bytes());
        r
    };
    f.write_all(&record(1_700_000_000, "pts/0", "10.1.2.3"))
        .unwrap();
    let uid: u64 = 4_294_967_294;
    f.seek(SeekFrom::Start(uid * 292)).unwrap();
    f.write_all(&record(1_700_000_500, "pts/7", "far.example"))
        .unwrap();
    drop(f);
    assert!(fs::metadata(&p).unwrap().len() > 1_000_000_000_000);
    for reverse in [false, true] {
        let es = read_all(
            &p,
            Options {
                reverse,
                ..Options::default()
            },
        );
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].format, Format::Lastlog292Le);
        let mut uids: Vec<i64> = es.iter().map(|e| e.uid).collect();
        uids.sort();
        assert_eq!(uids, vec![0, uid as i64]);
        let far = es.iter().find(|e| e.uid == uid as i64).unwrap();
        assert_eq!(
            (far.line.as_bytes(), far.host.as_bytes(), far.sec),
            (&b"pts/7"[..], &b"far.example"[..], 1_700_000_500)
        );
        assert_eq!(far.entry_type, EntryType::LastLogin);
    }
}

#[test]
fn random_bytes_are_refused_not_misread() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for size in [
        1usize, 7, 383, 384, 385, 400, 768, 9600, 11904, 65536, 300_000,
    ] {
        let bytes: Vec<u8> = (0..size).map(|_| next() as u8).collect();
        match Reader::from_bytes(&bytes, Options::default()) {
            Err(e) => assert_eq!(e.kind, ErrorKind::NotRecognised, "size {size}: {e}"),
            Ok(r) => panic!("random {size} bytes detected as {}", r.format().name()),
        }
        // Forced formats read random bytes without panicking.
        for f in Format::all().filter(|f| f.layout().is_some() || *f == Format::UtmpdumpText) {
            let r = Reader::from_bytes(
                &bytes,
                Options {
                    format: f,
                    ..Options::default()
                },
            )
            .unwrap();
            for e in r {
                e.unwrap();
            }
        }
    }
}

#[test]
fn odd_files_give_clear_errors() {
    let dir = Scratch::new("odd");
    // Missing file.
    let err = Reader::open(dir.join("missing"), Options::default())
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("missing") && err.os_errno == libc_enoent());
    // A directory.
    let err = Reader::open(&dir.0, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert!(err.message.contains("directory"));
    // A FIFO with no writer: refused at once, never blocks.
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let err = Reader::open(&fifo, Options::default()).err().unwrap();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
    assert!(err.message.contains("not a regular file"));
    // Empty file: no entries.
    let empty = dir.join("empty");
    fs::write(&empty, b"").unwrap();
    assert_eq!(Reader::open(&empty, Options::default()).unwrap().count(), 0);
    // All 0xFF: not a format.
    let ff = dir.join("ff");
    fs::write(&ff, [0xffu8; 384]).unwrap();
    assert_eq!(
        Reader::open(&ff, Options::default()).err().unwrap().kind,
        ErrorKind::NotRecognised
    );
    // Permission denied (root bypasses file modes, so only as a user).
    let secret = dir.join("secret");
    fs::write(&secret, wtmp(2)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    if File::open(&secret).is_err() {
        let err = Reader::open(&secret, Options::default()).err().unwrap();
        assert_eq!(err.kind, ErrorKind::PermissionDenied);
    } else {
        eprintln!("SKIP: running as root, permission-denied case not testable");
    }
}

fn libc_enoent() -> i32 {
    2
}

#[test]
fn utmpdump_text_backward_matches_forward() {
    let dir = Scratch::new("text");
    let p = dir.join("dump.txt");
    // 3000 lines (well over one 64 KiB chunk), a blank line, an over-long
    // junk line in the middle, and no newline after the last line.
    let mut text = String::new();
    for i in 0..3000 {
        if i == 1500 {
            text.push_str(&"x".repeat(9000));
            text.push('\n');
        }
        if i == 10 {
            text.push('\n');
        }
        text.push_str(&format!(
            "[7] [{:05}] [ts/{}] [user{i}  ] [pts/{}       ] [host{i}              ] [10.0.0.{}       ] [2013-08-28T03:00:{:02},000000+00:00]",
            i + 1,
            i % 10,
            i % 10,
            i % 250,
            i % 60
        ));
        if i != 2999 {
            text.push('\n');
        }
    }
    fs::write(&p, &text).unwrap();
    let fwd = read_all(&p, Options::default());
    assert_eq!(fwd.len(), 3000);
    assert_eq!(fwd[0].format, Format::UtmpdumpText);
    assert!(
        fwd[1500].flags & flags::RECOVERED != 0,
        "the junk line is reported"
    );
    let mut rev = read_all(
        &p,
        Options {
            reverse: true,
            ..Options::default()
        },
    );
    assert_eq!(rev.len(), 3000);
    rev.reverse();
    for (a, b) in fwd.iter().zip(&rev) {
        assert_eq!(
            (a.pid, a.offset, a.user.as_bytes(), a.sec),
            (b.pid, b.offset, b.user.as_bytes(), b.sec)
        );
    }
}
