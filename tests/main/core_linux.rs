//! Linux formats against the real corpus (values quoted in its MANIFEST.md)
//! and against util-linux's own test files.

use crate::helpers::{corpus, entries, entries_rev};
use utx::entry::flags;
use utx::{AddrFamily, EntryType, Format, Options, Reader};

#[test]
fn util_linux_wtmp_a_both_byte_orders() {
    let Some(dir) = corpus("util-linux/ts/utmp") else {
        return;
    };
    let le = entries(&dir.join("wtmp-a.LE"));
    let be = entries(&dir.join("wtmp-a.BE"));
    assert_eq!(le.len(), 19);
    assert_eq!(le[0].format, Format::Glibc384Le);
    assert_eq!(be[0].format, Format::Glibc384Be);
    for (a, b) in le.iter().zip(&be) {
        assert_eq!(
            (
                a.entry_type,
                a.user.as_bytes(),
                a.line.as_bytes(),
                a.host.as_bytes(),
                a.sec,
                a.usec,
                a.pid
            ),
            (
                b.entry_type,
                b.user.as_bytes(),
                b.line.as_bytes(),
                b.host.as_bytes(),
                b.sec,
                b.usec,
                b.pid
            )
        );
        assert_eq!(a.addr_text.as_bytes(), b.addr_text.as_bytes());
    }
    // txt-a: [7] [00013] [ts/1] [torvalds] [linux] [hobby] [128.214.205.14] [1991-08-26T00:57:08]
    let t = le
        .iter()
        .find(|e| e.user.as_bytes() == b"torvalds")
        .unwrap();
    assert_eq!(t.entry_type, EntryType::UserProcess);
    assert_eq!(
        (t.pid, t.id.as_bytes(), t.line.as_bytes()),
        (13, &b"ts/1"[..], &b"linux"[..])
    );
    assert_eq!(t.addr_family, AddrFamily::Ipv4);
    assert_eq!(t.addr_text.as_bytes(), b"128.214.205.14");
    assert_eq!(t.sec, 683_168_228);
    // Every Linux type 0..=9 appears, raw value kept.
    for ty in 0..=9 {
        assert!(
            le.iter()
                .any(|e| e.raw_type == ty && e.entry_type as i32 == ty),
            "type {ty}"
        );
    }
    // rick: login at 1970-01-01T00:00:00, logout at 2038-01-19T03:14:07.
    let rick: Vec<_> = le.iter().filter(|e| e.user.as_bytes() == b"rick").collect();
    assert_eq!(
        rick.iter().map(|e| e.sec).collect::<Vec<_>>(),
        vec![0, 2_147_483_647]
    );
    assert!(rick[0].flags & flags::TIME_IMPLAUSIBLE != 0);
}

#[test]
fn util_linux_ipv6() {
    let Some(dir) = corpus("util-linux/ts/utmp") else {
        return;
    };
    for name in ["wtmp-ipv6.LE", "wtmp-ipv6.BE"] {
        let es = entries(&dir.join(name));
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].addr_family, AddrFamily::Ipv6);
        assert_eq!(es[0].addr_text.as_bytes(), b"2001:503:ba3e::2:30");
        // The binary files hold whole seconds (the text has the microseconds).
        assert_eq!((es[0].sec, es[0].usec), (1_377_721_840, 0));
        assert_eq!(
            (es[1].entry_type, es[1].sec),
            (EntryType::DeadProcess, 1_377_722_450)
        );
    }
}

#[test]
fn utmpdump_text_reads_like_its_binary() {
    let Some(dir) = corpus("util-linux/ts/utmp") else {
        return;
    };
    for (txt, bin) in [
        ("txt-a", "wtmp-a.LE"),
        ("txt-b", "wtmp-b.LE"),
        ("txt-ipv6", "wtmp-ipv6.LE"),
        ("txt-a-old", "wtmp-a.LE"),
    ] {
        let t = entries(&dir.join(txt));
        let b = entries(&dir.join(bin));
        assert_eq!(t[0].format, Format::UtmpdumpText, "{txt}");
        assert_eq!(t.len(), b.len(), "{txt}");
        for (x, y) in t.iter().zip(&b) {
            assert_eq!(x.entry_type, y.entry_type, "{txt}");
            assert_eq!(x.user.as_bytes(), y.user.as_bytes(), "{txt}");
            assert_eq!(x.line.as_bytes(), y.line.as_bytes(), "{txt}");
            assert_eq!(x.host.as_bytes(), y.host.as_bytes(), "{txt}");
            assert_eq!(x.addr_text.as_bytes(), y.addr_text.as_bytes(), "{txt}");
            assert_eq!(x.sec, y.sec, "{txt}");
            if !txt.ends_with("-old") {
                assert_eq!(x.usec, y.usec, "{txt}");
            }
        }
    }
}

#[test]
fn plaso_x86_aarch64_s390() {
    let Some(dir) = corpus("plaso") else { return };
    // utmp: 14 records; record 2 is tty4 LOGIN pid 1115 at 2013-12-13T14:45:09.
    let u = entries(&dir.join("utmp"));
    assert_eq!(u.len(), 14);
    let r = &u[2];
    assert_eq!(
        (r.entry_type, r.pid, r.line.as_bytes(), r.user.as_bytes()),
        (EntryType::LoginProcess, 1115, &b"tty4"[..], &b"LOGIN"[..])
    );
    assert_eq!(r.sec, 1_386_945_909);
    // aarch64, 400-byte little-endian.
    let a = entries(&dir.join("utmp_aarch64"));
    assert_eq!(a.len(), 6);
    assert_eq!(a[0].format, Format::Glibc400Le);
    assert_eq!(
        (a[1].offset, a[1].pid, a[1].line.as_bytes(), a[1].entry_type),
        (400, 18, &b"tty2"[..], EntryType::DeadProcess)
    );
    assert_eq!(a[1].addr_text.as_bytes(), b"4.3.2.1");
    assert_eq!(
        (a[2].user.as_bytes(), a[2].entry_type, a[2].offset),
        (&b"reboot"[..], EntryType::BootTime, 800)
    );
    assert_eq!(
        (
            a[5].user.as_bytes(),
            a[5].line.as_bytes(),
            a[5].raw_type,
            a[5].offset
        ),
        (&b"date"[..], &b"}"[..], 3, 2000)
    );
    // s390x, 400-byte big-endian.
    let s = entries(&dir.join("utmp_s390"));
    assert_eq!(s[0].format, Format::Glibc400Be);
    assert_eq!(
        (s[1].offset, s[1].pid, s[1].line.as_bytes(), s[1].entry_type),
        (400, 32, &b"tty2"[..], EntryType::DeadProcess)
    );
    assert_eq!(s[1].addr_text.as_bytes(), b"1.2.3.4");
    assert_eq!(s[2].user.as_bytes(), b"reboot");
}

#[test]
fn plaso_wtmp_with_stray_byte() {
    let Some(dir) = corpus("plaso") else { return };
    // 4 x 384 + 1 stray byte: 4 records, then the partial tail flagged.
    let es = entries(&dir.join("wtmp.1"));
    assert_eq!(es.len(), 5);
    let e = &es[0];
    assert_eq!(
        (e.entry_type, e.pid, e.line.as_bytes(), e.user.as_bytes()),
        (EntryType::UserProcess, 20060, &b"pts/32"[..], &b"userA"[..])
    );
    assert_eq!(
        (e.addr_text.as_bytes(), e.sec, e.usec),
        (&b"10.10.122.1"[..], 1_322_760_998, 432_935)
    );
    assert_eq!(es[4].flags, flags::PARTIAL_RECORD);
    assert_eq!(es[4].offset, 1536);
    // Newest first: the partial tail comes first, then record 3.
    let rev = entries_rev(&dir.join("wtmp.1"));
    assert_eq!(rev.len(), 5);
    assert_eq!(rev[0].flags, flags::PARTIAL_RECORD);
    assert_eq!(rev[1].offset, 1152);
}

/// plaso's "corrupted" file: alice, two records of type 99, bob and 50
/// stray bytes. The type-99 records are otherwise well-formed (all zero
/// but the type): UNKNOWN entries with their number, as util-linux
/// `utmpdump` prints them; nothing is skipped.
#[test]
fn plaso_corrupted_unknown_types_are_kept() {
    let Some(dir) = corpus("plaso") else { return };
    let es = entries(&dir.join("utmp_corrupted"));
    let real: Vec<_> = es
        .iter()
        .filter(|e| e.flags & flags::PARTIAL_RECORD == 0)
        .collect();
    assert_eq!(es[0].format, Format::Glibc384Le);
    assert_eq!(real.len(), 4, "alice, two unknown, bob");
    for u in &real[1..3] {
        assert_eq!((u.entry_type, u.raw_type), (EntryType::Unknown, 99));
    }
    let bob = real[3];
    assert_eq!(
        (bob.offset, bob.pid, bob.line.as_bytes(), bob.entry_type),
        (1152, 3003, &b"pts/0"[..], EntryType::UserProcess)
    );
    assert_eq!(bob.addr_text.as_bytes(), b"10.0.0.5");
    assert!(es.iter().all(|e| e.flags & flags::RECOVERED == 0));
    assert!(es.last().unwrap().flags & flags::PARTIAL_RECORD != 0);
    let mut r = Reader::open(dir.join("utmp_corrupted"), Options::default()).unwrap();
    assert_eq!((&mut r).count(), 5);
    assert_eq!(r.skipped(), 0);
}

#[test]
fn utmp_rs_full_width_names_and_aarch64() {
    let Some(dir) = corpus("utmp-rs") else { return };
    let es = entries(&dir.join("long_user_32.utmp"));
    assert_eq!(es.len(), 18);
    assert!(es.iter().all(|e| e.entry_type == EntryType::LoginProcess));
    let full = es.iter().find(|e| e.user.as_bytes().len() == 32).unwrap();
    assert!(full.user.as_bytes().iter().all(|&b| b == b'a' || b == b'b'));
    assert!(full.flags & flags::FULL_WIDTH != 0);
    let b = entries(&dir.join("basic64.utmp"));
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].format, Format::Glibc400Le);
    assert_eq!(
        (b[0].entry_type, b[0].sec, b[0].usec),
        (EntryType::BootTime, 1_658_083_371, 314_869)
    );
    assert_eq!(
        (b[2].pid, b[2].line.as_bytes(), b[2].session),
        (1219, &b"ttyAMA0"[..], 1219)
    );
    let w = entries(&dir.join("with_host_32.utmp"));
    assert_eq!(w.len(), 19);
    let last = &w[18];
    assert_eq!(
        (last.pid, last.user.as_bytes(), last.host.as_bytes()),
        (13369, &b"root"[..], &b"112.124.2.209"[..])
    );
    assert_eq!((last.sec, last.usec), (1_675_768_806, 832_709));
    assert!(entries(&dir.join("empty.utmp")).is_empty());
}

#[test]
fn s4_lastlog_292_and_296() {
    let Some(dir) = corpus("s4/logs") else { return };
    let es = entries(&dir.join("CentOS7/x86_64/lastlog"));
    assert_eq!(es.len(), 2);
    assert_eq!(es[0].format, Format::Lastlog292Le);
    assert!(es
        .iter()
        .all(|e| e.entry_type == EntryType::LastLogin && e.uid >= 0));
    assert_eq!(es[0].uid, 0);
    assert_eq!(es[1].uid, 1001);
    assert_eq!(es[1].offset, 1001 * 292);
}

#[test]
fn every_linux_corpus_file_is_detected_as_linux() {
    let Some(dir) = corpus("s4/logs") else { return };
    for rel in [
        "CentOS7/x86_64/wtmp",
        "CentOS7/x86_64/btmp",
        "CentOS7/x86_64/utmp",
        "CentOS9/x86_64/wtmp",
        "Debian11/aarch64_ARMv6/wtmp",
        "Debian13/RISC-V/wtmp",
        "OpenSUSE15/wtmp",
        "Ubuntu16/x86_32/wtmp",
    ] {
        let r = Reader::open(dir.join(rel), Options::default()).unwrap();
        assert_eq!(r.format(), Format::Glibc384Le, "{rel}");
    }
    for rel in [
        "CentOS7/x86_64/lastlog",
        "Ubuntu20/x86_64/lastlog",
        "OpenSUSE15/lastlog",
    ] {
        let r = Reader::open(dir.join(rel), Options::default()).unwrap();
        assert_eq!(r.format(), Format::Lastlog292Le, "{rel}");
    }
}
