//! Rotated and gzipped history: `Reader::open` on a .gz file, and
//! `Reader::open_files` over several files, against the same records read
//! from one plain file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::helpers::Scratch;
use flate2::write::GzEncoder;
use flate2::Compression;
use utx::{Options, Reader, SessionOptions, Sessions};

/// 384-byte little-endian glibc records: logins and logouts on a few lines.
fn records(n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..n {
        let mut r = vec![0u8; 384];
        let login = i % 2 == 0;
        r[0..2].copy_from_slice(&(if login { 7i16 } else { 8 }).to_le_bytes());
        r[4..8].copy_from_slice(&(100 + (i / 2) as i32).to_le_bytes());
        let line = format!("pts/{}", (i / 2) % 5);
        r[8..8 + line.len()].copy_from_slice(line.as_bytes());
        if login {
            let user = format!("user{}", i % 7);
            r[44..44 + user.len()].copy_from_slice(user.as_bytes());
        }
        r[340..344].copy_from_slice(&(1_600_000_000u32 + 60 * i as u32).to_le_bytes());
        v.extend_from_slice(&r);
    }
    v
}

/// Write `name` in `dir`, gzipped when `gz`.
fn write(dir: &Scratch, name: &str, bytes: &[u8], gz: bool) -> PathBuf {
    if !gz {
        return dir.write(name, bytes);
    }
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    dir.write(name, &e.finish().unwrap())
}

fn entries(r: Reader) -> Vec<(u64, i64, String, String)> {
    r.map(|e| {
        let e = e.unwrap();
        (
            e.offset,
            e.sec,
            e.user.to_string_lossy(),
            e.line.to_string_lossy(),
        )
    })
    .collect()
}

fn opts(reverse: bool) -> Options {
    Options {
        reverse,
        ..Options::default()
    }
}

#[test]
fn a_gzip_file_reads_like_the_plain_one() {
    let dir = Scratch::new("gz");
    let bytes = records(3000); // several 256 KiB chunks
    let plain = write(&dir, "wtmp", &bytes, false);
    let gz = write(&dir, "wtmp.1.gz", &bytes, true);
    for reverse in [false, true] {
        let a = entries(Reader::open(&plain, opts(reverse)).unwrap());
        let b = entries(Reader::open(&gz, opts(reverse)).unwrap());
        assert_eq!(a.len(), 3000);
        assert_eq!(a, b, "reverse={reverse}");
    }
    // Seeking works on the decompressed data too.
    let mut r = Reader::open(&gz, opts(false)).unwrap();
    r.seek_time(1_600_000_000 + 60 * 1234).unwrap();
    assert_eq!(r.next().unwrap().unwrap().offset, 1234 * 384);
}

#[test]
fn bad_gzip_data_is_an_error_not_a_crash() {
    let dir = Scratch::new("badgz");
    let mut bytes = {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(&records(50)).unwrap();
        e.finish().unwrap()
    };
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    bytes.truncate(n - 3);
    let p = write(&dir, "broken.gz", &bytes, false);
    let err = Reader::open(&p, opts(false)).err().expect("an error");
    assert!(err.message.contains("broken.gz"), "{}", err.message);
}

#[test]
fn rotated_files_read_as_one_history() {
    let dir = Scratch::new("multi");
    let all = records(2100);
    let (a, rest) = all.split_at(384 * 700);
    let (b, c) = rest.split_at(384 * 900);
    let whole = write(&dir, "whole", &all, false);
    let files: Vec<PathBuf> = vec![
        write(&dir, "wtmp.2.gz", a, true),
        write(&dir, "wtmp.1", b, false),
        write(&dir, "wtmp", c, false),
    ];
    for reverse in [false, true] {
        let one = entries(Reader::open(&whole, opts(reverse)).unwrap());
        let many = entries(Reader::open_files(&files, opts(reverse)).unwrap());
        assert_eq!(one, many, "reverse={reverse}");
        // seek_time across files lands where it does on the whole file.
        for t in [
            0i64,
            1_600_000_000 + 60 * 650,
            1_600_000_000 + 60 * 1650,
            i64::MAX,
        ] {
            let mut x = Reader::open(&whole, opts(reverse)).unwrap();
            let mut y = Reader::open_files(&files, opts(reverse)).unwrap();
            x.seek_time(t).unwrap();
            y.seek_time(t).unwrap();
            assert_eq!(entries(x), entries(y), "reverse={reverse} t={t}");
        }
    }
    // Sessions pair across file boundaries as on the whole file.
    type Paired = Vec<(i64, Option<(i64, i32)>, Option<u64>)>;
    let pair = |r: Reader| -> Paired {
        let so = SessionOptions {
            check_liveness: false,
            rules: None,
        };
        Sessions::new(r, so)
            .unwrap()
            .map(|s| {
                let s = s.unwrap();
                (s.login_sec, s.logout, s.logout_offset)
            })
            .collect()
    };
    let one = pair(Reader::open(&whole, opts(true)).unwrap());
    let many = pair(Reader::open_files(&files, opts(true)).unwrap());
    assert_eq!(one.len(), 1050);
    assert_eq!(one, many);
}

#[test]
fn open_files_reports_the_missing_file() {
    let dir = Scratch::new("missing");
    let a = write(&dir, "wtmp.1", &records(4), false);
    let missing: &Path = &dir.0.join("nope");
    let err = Reader::open_files(&[a.as_path(), missing], opts(false))
        .err()
        .expect("an error");
    assert!(err.message.contains("nope"), "{}", err.message);
    assert!(Reader::open_files::<&Path>(&[], opts(false)).is_err());
}
