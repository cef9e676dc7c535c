//! Defects the fuzz targets found (fuzz/regressions/README.md), checked
//! on files built here from their formats' definitions.

use utx::{Entry, EntryType, Format, Options, Reader};

/// A NetBSD LP64 utmpx record (520 bytes, little-endian): user, line,
/// `ut_type` at 326, `ut_tv` at 464.
fn netbsd_utmpx(ty: u16, user: &str, sec: i64) -> Vec<u8> {
    let mut r = vec![0u8; 520];
    r[..user.len()].copy_from_slice(user.as_bytes());
    r[36..41].copy_from_slice(b"pts/1");
    r[326..328].copy_from_slice(&ty.to_le_bytes());
    r[328..332].copy_from_slice(&100i32.to_le_bytes());
    r[464..472].copy_from_slice(&sec.to_le_bytes());
    r
}

/// NetBSD's `utmpx-2.00` signature record (type SIGNATURE, 10).
fn signature(sec: i64) -> Vec<u8> {
    netbsd_utmpx(10, "utmpx-2.00", sec)
}

fn opts(reverse: bool) -> Options {
    Options {
        format: Format::NetbsdUtmpx520Le,
        reverse,
        ..Options::default()
    }
}

/// The entries a reader returns from where it stands.
fn rest(r: &mut Reader) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut e = Entry::default();
    while r.next_into(&mut e).unwrap() {
        assert_ne!(e.entry_type, EntryType::Signature);
        out.push((e.sec, e.user.to_string_lossy()));
    }
    out
}

/// A signature record's time is not an entry's: `seek_time` lands where
/// a scan of the returned entries lands, wherever the signature is and
/// whatever its time (fuzz/regressions/seek/signature-time-moves-seek).
#[test]
fn signature_records_do_not_move_seek_time() {
    let t0 = 1_700_000_000i64;
    let logins: Vec<Vec<u8>> = (0..6)
        .map(|i| netbsd_utmpx(7, &format!("u{i}"), t0 + 100 * i))
        .collect();
    // The fuzzer's case: a late signature first, entries at time 0.
    let mut zero = signature(t0);
    for i in 0..4 {
        zero.extend(netbsd_utmpx(7, &format!("z{i}"), 0));
    }
    let mut files = vec![zero];
    for sig_time in [0, t0 - 50, t0 + 250, t0 + 10_000] {
        for at in [0, 3, 6] {
            let mut f: Vec<u8> = Vec::new();
            for (i, l) in logins.iter().enumerate() {
                if i == at {
                    f.extend(signature(sig_time));
                }
                f.extend(l);
            }
            if at == 6 {
                f.extend(signature(sig_time));
            }
            files.push(f);
        }
    }
    for file in &files {
        for reverse in [false, true] {
            let mut r = Reader::from_bytes(file, opts(reverse)).unwrap();
            let all = rest(&mut r);
            for sec in [-1, 0, 1, t0 - 1, t0, t0 + 150, t0 + 200, t0 + 500, t0 + 501] {
                // A scan: the entries from the first at or after `sec`
                // (reverse: at or before it) in reading order.
                let hit = |k: &(i64, String)| if reverse { k.0 <= sec } else { k.0 >= sec };
                let want = all
                    .iter()
                    .position(hit)
                    .map_or(vec![], |i| all[i..].to_vec());
                r.seek_time(sec).unwrap();
                assert_eq!(rest(&mut r), want, "seek_time({sec}), reverse={reverse}");
            }
        }
    }
}

/// A FreeBSD utx.log record: u16 big-endian length, then a `futx` cut
/// after its last non-zero byte (type, time in µs, id, user, line).
fn utx_log_record(ty: u8, user: &str, sec: i64) -> Vec<u8> {
    let mut futx = [0u8; 197];
    futx[0] = ty;
    futx[1..9].copy_from_slice(&((sec * 1_000_000) as u64).to_be_bytes());
    futx[21..21 + user.len()].copy_from_slice(user.as_bytes());
    futx[53..58].copy_from_slice(b"pts/1");
    let len = futx.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let mut r = (len as u16).to_be_bytes().to_vec();
    r.extend(&futx[..len]);
    r
}

/// Every run of bytes the utx.log reader skips is counted by
/// `skipped()`, in both directions, as every other format's reader
/// counts its skips (fuzz/regressions/reader_auto/
/// utx-log-recovered-by-direction): before, RECOVERED entries came with
/// `skipped() == 0`.
#[test]
fn utx_log_skips_are_counted() {
    let t0 = 1_700_000_000i64;
    let good = |i: i64| utx_log_record(4, &format!("u{i}"), t0 + i);
    // Five runs of skipped bytes: three zero lengths (one run), a record
    // of an unknown type, one zero length, an unknown type followed by
    // zero lengths (one run), and an unknown type at the end.
    let mut f = good(0);
    f.extend([0, 0, 0]);
    f.extend(good(1));
    f.extend(utx_log_record(99, "bad", t0));
    f.extend(good(2));
    f.extend([0]);
    f.extend(good(3));
    f.extend(utx_log_record(200, "bad", t0));
    f.extend([0, 0]);
    f.extend(good(4));
    f.extend(utx_log_record(9, "bad", t0));
    let opts = |reverse| Options {
        format: Format::FreebsdUtxLog,
        reverse,
        ..Options::default()
    };
    for reverse in [false, true] {
        let mut r = Reader::from_bytes(&f, opts(reverse)).unwrap();
        let mut e = Entry::default();
        let (mut n, mut recovered) = (0, 0);
        while r.next_into(&mut e).unwrap() {
            n += 1;
            recovered += (e.flags & utx::entry::flags::RECOVERED != 0) as u64;
        }
        assert_eq!(n, 5, "reverse={reverse}");
        // Forward, the entry after each run but the last; backward, the
        // one before each run but the first is read after it.
        assert_eq!(recovered, 4, "reverse={reverse}: RECOVERED entries");
        assert_eq!(r.skipped(), 5, "reverse={reverse}: skips counted");
        r.rewind().unwrap();
        assert_eq!(r.skipped(), 0, "reverse={reverse}: rewind resets the count");
    }
    // A clean file skips nothing.
    let clean: Vec<u8> = (0..5).flat_map(good).collect();
    for reverse in [false, true] {
        let mut r = Reader::from_bytes(&clean, opts(reverse)).unwrap();
        let mut e = Entry::default();
        while r.next_into(&mut e).unwrap() {}
        assert_eq!(r.skipped(), 0);
    }
}
