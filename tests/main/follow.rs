//! Record offsets (`tell`, `seek_offset`) and following a growing file:
//! appends, a partial tail, truncation and rotation, and the descriptor
//! to wait on.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::io::RawFd;

use crate::helpers::{s, utmp384, Scratch};
use utx::entry::flags;
use utx::{Entry, ErrorKind, Format, Options, Reader};

fn rec(i: u32) -> Vec<u8> {
    utmp384(
        7,
        100 + i as i32,
        &format!("pts/{i}"),
        "ts",
        &format!("u{i}"),
        "h",
        1_700_000_000 + i,
    )
}

fn recs(from: u32, to: u32) -> Vec<u8> {
    (from..to).flat_map(rec).collect()
}

fn append(path: &std::path::Path, bytes: &[u8]) {
    let mut f = OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}

fn linux() -> Options {
    Options {
        format: Format::Glibc384Le,
        ..Options::default()
    }
}

/// Users of the entries `r` returns until the end, with their flags.
fn drain(r: &mut Reader) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut e = Entry::default();
    while r.next_into(&mut e).unwrap() {
        out.push((s(&e.user), e.flags));
    }
    out
}

fn users(v: &[(String, u32)]) -> Vec<String> {
    v.iter().map(|(u, _)| u.clone()).collect()
}

fn names(from: u32, to: u32) -> Vec<String> {
    (from..to).map(|i| format!("u{i}")).collect()
}

fn readable(fd: RawFd, ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd we own.
    unsafe { libc::poll(&mut p, 1, ms) == 1 }
}

#[test]
fn tell_and_seek_offset_on_records() {
    let dir = Scratch::new("tell");
    let path = dir.write("wtmp", &recs(0, 5));
    let mut r = Reader::open(&path, linux()).unwrap();
    assert_eq!(r.tell().unwrap(), 0);
    let mut e = Entry::default();
    assert!(r.next_into(&mut e).unwrap());
    assert!(r.next_into(&mut e).unwrap());
    assert_eq!(r.tell().unwrap(), 768);
    // A second reader resumes exactly there.
    let mut r2 = Reader::open(&path, linux()).unwrap();
    r2.seek_offset(768).unwrap();
    assert_eq!(users(&drain(&mut r2)), names(2, 5));
    assert_eq!(r2.tell().unwrap(), 5 * 384);
    // Misaligned and out of range are refused, and the reader is unmoved.
    for bad in [1u64, 383, 6 * 384, 5 * 384 + 384] {
        let err = r.seek_offset(bad).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::InvalidArgument,
            "{bad}: {}",
            err.message
        );
    }
    assert_eq!(r.tell().unwrap(), 768);
    // The end, by value and by u64::MAX.
    r.seek_offset(5 * 384).unwrap();
    assert!(drain(&mut r).is_empty());
    r.seek_offset(u64::MAX).unwrap();
    assert_eq!(r.tell().unwrap(), 5 * 384);
    // Backward: tell is the start of the last record read; seeking there
    // continues with the records before it.
    let mut rev = Reader::open(
        &path,
        Options {
            reverse: true,
            ..linux()
        },
    )
    .unwrap();
    assert_eq!(rev.tell().unwrap(), 5 * 384);
    assert!(rev.next_into(&mut e).unwrap());
    assert_eq!(s(&e.user), "u4");
    assert_eq!(rev.tell().unwrap(), 4 * 384);
    rev.seek_offset(2 * 384).unwrap();
    assert_eq!(users(&drain(&mut rev)), vec!["u1", "u0"]);
    // A type filter moves the offset past what it drops.
    let mut only_dead = Reader::open(&path, linux()).unwrap();
    only_dead.set_type_mask(1 << 8);
    assert!(drain(&mut only_dead).is_empty());
    assert_eq!(only_dead.tell().unwrap(), 5 * 384);
}

#[test]
fn tell_is_unsupported_without_record_offsets() {
    let text = b"[7] [00001] [ts  ] [u0      ] [pts/0       ] [h                   ] [0.0.0.0        ] [2023-11-14T22:13:20,000000+00:00]\n";
    let mut r = Reader::from_bytes(text, Options::default()).unwrap();
    assert_eq!(r.format(), Format::UtmpdumpText);
    assert_eq!(r.tell().unwrap_err().kind, ErrorKind::Unsupported);
    assert_eq!(r.seek_offset(0).unwrap_err().kind, ErrorKind::Unsupported);
    // Several files as one history: no single file to give offsets of.
    let dir = Scratch::new("tell-multi");
    let a = dir.write("a", &recs(0, 2));
    let b = dir.write("b", &recs(2, 3));
    let m = Reader::open_files(&[a, b], linux()).unwrap();
    assert_eq!(m.tell().unwrap_err().kind, ErrorKind::Unsupported);
}

#[test]
fn follow_refusals() {
    let dir = Scratch::new("follow-no");
    let path = dir.write("wtmp", &recs(0, 2));
    let rev = Options {
        reverse: true,
        ..linux()
    };
    assert_eq!(
        Reader::open_follow(&path, rev).err().unwrap().kind,
        ErrorKind::InvalidArgument
    );
    let ll = dir.write("lastlog", &vec![0u8; 292 * 3]);
    let err = Reader::open_follow(
        &ll,
        Options {
            format: Format::Lastlog292Le,
            ..Options::default()
        },
    )
    .err()
    .unwrap();
    assert_eq!(err.kind, ErrorKind::Unsupported, "{}", err.message);
    let mut plain = Reader::open(&path, linux()).unwrap();
    assert!(!plain.is_following());
    assert_eq!(
        plain.follow_fd().unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
}

#[test]
fn follow_appends_partial_truncation_rotation() {
    let dir = Scratch::new("follow");
    let path = dir.write("wtmp", &recs(0, 3));
    let mut r = Reader::open_follow(&path, linux()).unwrap();
    assert!(r.is_following());
    let fd = r.follow_fd().unwrap();
    assert_eq!(users(&drain(&mut r)), names(0, 3));
    assert!(!readable(fd, 0));

    // Appends, one of them torn: the torn record waits until it is whole.
    let more = recs(3, 6);
    append(&path, &more[..384 + 100]);
    assert!(readable(fd, 2000));
    assert_eq!(users(&drain(&mut r)), names(3, 4));
    assert_eq!(r.tell().unwrap(), 4 * 384);
    assert!(!readable(fd, 0), "reading emptied the descriptor");
    append(&path, &more[384 + 100..]);
    assert!(readable(fd, 2000));
    let got = drain(&mut r);
    assert_eq!(users(&got), names(4, 6));
    assert!(got
        .iter()
        .all(|(_, f)| f & (flags::ROTATED | flags::TRUNCATED) == 0));

    // Truncation: read again from the start, the first entry flagged.
    fs::write(&path, recs(10, 12)).unwrap();
    assert!(readable(fd, 2000));
    let got = drain(&mut r);
    assert_eq!(users(&got), names(10, 12));
    assert_eq!(got[0].1 & flags::TRUNCATED, flags::TRUNCATED);
    assert_eq!(got[1].1 & flags::TRUNCATED, 0);

    // Rotation: the old file's last records first, then the new file.
    append(&path, &recs(12, 13));
    fs::rename(&path, dir.join("wtmp.1")).unwrap();
    append(&dir.join("wtmp.1"), &recs(13, 14));
    fs::write(&path, recs(20, 22)).unwrap();
    assert!(readable(fd, 2000));
    let got = drain(&mut r);
    let mut want = names(12, 14);
    want.extend(names(20, 22));
    assert_eq!(users(&got), want);
    assert_eq!(got[2].1 & flags::ROTATED, flags::ROTATED);
    assert!(got.iter().filter(|(_, f)| f & flags::ROTATED != 0).count() == 1);
    // The new file is watched: an append wakes the caller.
    while readable(fd, 0) {
        drain(&mut r);
    }
    append(&path, &recs(22, 23));
    assert!(readable(fd, 2000));
    assert_eq!(users(&drain(&mut r)), names(22, 23));
    assert_eq!(r.tell().unwrap(), 3 * 384);

    // The path gone for a while: the end, then the new file when it comes.
    fs::remove_file(&path).unwrap();
    assert!(drain(&mut r).is_empty());
    fs::write(&path, recs(30, 31)).unwrap();
    assert!(readable(fd, 2000));
    let got = drain(&mut r);
    assert_eq!(users(&got), names(30, 31));
    assert_eq!(got[0].1 & flags::ROTATED, flags::ROTATED);
}

#[test]
fn follow_resumes_from_an_offset() {
    let dir = Scratch::new("follow-resume");
    let path = dir.write("wtmp", &recs(0, 4));
    let mut r = Reader::open_follow(&path, linux()).unwrap();
    r.seek_offset(2 * 384).unwrap();
    assert_eq!(users(&drain(&mut r)), names(2, 4));
    r.seek_offset(u64::MAX).unwrap();
    append(&path, &recs(4, 5));
    assert_eq!(users(&drain(&mut r)), names(4, 5));
}
