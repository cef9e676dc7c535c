//! Real FreeBSD, NetBSD, OpenBSD and Solaris-layout files from the shared
//! corpus, checked against the text their own systems' tools printed
//! (`last`, `lastlogin`) and the values MANIFEST.md quotes.

use crate::helpers::corpus_root as corpus;
use crate::helpers::*;
use utx::entry::flags;
use utx::{EntryType, Format, Options, Reader};

/// One line of a `last` listing: user, line, host ("" when not shown) and
/// the date tokens (`n_date` of them) joined by single spaces.
fn parse_last(text: &str, n_date: usize) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for l in text.lines() {
        let tokens: Vec<&str> = l.split_whitespace().collect();
        if tokens.is_empty() || l.contains(" begins ") {
            continue;
        }
        let ds = date_start(&tokens).unwrap_or_else(|| panic!("no date in {l:?}"));
        let before = &tokens[..ds];
        let (user, line, host) = match before {
            ["boot", "time"] => ("boot time", "", ""),
            ["shutdown", "time"] => ("shutdown time", "", ""),
            [u, l] => (*u, *l, ""),
            [u, l, h] => (*u, *l, *h),
            _ => panic!("unexpected line {l:?}"),
        };
        out.push((
            user.to_string(),
            line.to_string(),
            host.to_string(),
            tokens[ds..ds + n_date].join(" "),
        ));
    }
    out
}

/// Compare entries (newest first) with `last` lines. `host` is compared
/// only where the tool printed one.
fn assert_last_matches(
    what: &str,
    ours: &[(String, String, String, String)],
    theirs: &[(String, String, String, String)],
) {
    assert_eq!(ours.len(), theirs.len(), "{what}: {ours:#?} vs {theirs:#?}");
    for (o, t) in ours.iter().zip(theirs) {
        assert_eq!((&o.0, &o.1, &o.3), (&t.0, &t.1, &t.3), "{what}");
        if !t.2.is_empty() {
            assert_eq!(o.2, t.2, "{what}: host");
        }
    }
}

fn companion(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("companion text")
}

#[test]
fn freebsd_utx_log_matches_last() {
    let Some(c) = corpus() else { return };
    let dir = c.join("s4/logs/FreeBSD13.1/x86_64");
    let (f, v) = read_file(&dir.join("utx.log"));
    assert_eq!(f, Format::FreebsdUtxLog);
    // MANIFEST/FORMATS: 83 records ending exactly at EOF.
    assert_eq!(v.len(), 83);
    assert!(v
        .iter()
        .all(|e| e.flags & (flags::PARTIAL_RECORD | flags::RECOVERED) == 0));
    assert!(v.windows(2).all(|w| w[0].offset < w[1].offset));
    // FreeBSD `last` in America/Los_Angeles, newest first.
    let la = |t: i64| hm(t + us_offset(t, -8));
    let ours: Vec<_> = v
        .iter()
        .rev()
        .filter(|e| is_session(e))
        .map(|e| {
            let who = match e.entry_type {
                EntryType::BootTime => "boot time".to_string(),
                EntryType::ShutdownTime => "shutdown time".to_string(),
                _ => s(&e.user),
            };
            (who, s(&e.line), s(&e.host), la(e.sec))
        })
        .collect();
    let text = companion(&dir, "utx.log.txt");
    assert_last_matches("utx.log", &ours, &parse_last(&text, 4));
    // "begins Wed Mar 15 22:15:38 PDT 2023": the first record.
    let t = v[0].sec;
    assert_eq!(us_offset(t, -8), -7 * 3600);
    assert!(text.contains(&format!(
        "begins {} PDT 2023",
        ymdhms(t - 7 * 3600).replace(" 2023", "")
    )));
    // FreeBSD numbering, kept raw: USER_PROCESS is 4, DEAD_PROCESS 7,
    // SHUTDOWN_TIME 8.
    let raw_of = |t: EntryType| v.iter().find(|e| e.entry_type == t).map(|e| e.raw_type);
    assert_eq!(raw_of(EntryType::UserProcess), Some(4));
    assert_eq!(raw_of(EntryType::DeadProcess), Some(7));
    assert_eq!(raw_of(EntryType::ShutdownTime), Some(8));
    assert_eq!(raw_of(EntryType::BootTime), Some(1));
    // Second record: root on ttyv0, pid 842, opaque 8-byte id.
    assert_eq!(
        (s(&v[1].user).as_str(), s(&v[1].line).as_str(), v[1].pid),
        ("root", "ttyv0", 842)
    );
    assert_eq!(v[1].id.as_bytes(), b"\x8c\x78\xde\x3f\x33\x8f\x04\xfc");
    assert_eq!((v[1].sec, v[1].usec), (1_678_943_745, 471_319));
    assert_eq!(v[1].offset, 11);
    // Reverse reading gives the same entries newest first.
    let opts = Options {
        reverse: true,
        ..Options::default()
    };
    let rev: Vec<_> = Reader::open(dir.join("utx.log"), opts)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    let fwd: Vec<_> = v.iter().rev().map(|e| (e.offset, e.sec, e.usec)).collect();
    let back: Vec<_> = rev.iter().map(|e| (e.offset, e.sec, e.usec)).collect();
    assert_eq!(fwd, back);
}

#[test]
fn freebsd_utx_lastlogin_and_active() {
    let Some(c) = corpus() else { return };
    let dir = c.join("s4/logs/FreeBSD13.1/x86_64");
    // Its name says what the futx records are: last logins.
    let (f, v) = read_file(&dir.join("utx.lastlogin"));
    assert_eq!(f, Format::FreebsdUtxLastlogin);
    let text = companion(&dir, "utx.lastlogin.txt");
    let theirs: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(v.len(), theirs.len());
    assert_eq!(v.len(), 3);
    for (e, t) in v.iter().zip(&theirs) {
        assert_eq!((e.entry_type, e.raw_type), (EntryType::LastLogin, 4));
        assert_eq!(s(&e.user), t[0]);
        assert_eq!(s(&e.line), t[1]);
        assert_eq!(s(&e.host), t[2]);
        assert_eq!(hms_y(e.sec + us_offset(e.sec, -8)), t[3..].join(" "));
    }
    // A copy under another name is utx.active's format (the bytes are
    // the same); under a rotated name it is still a utx.lastlogin.
    let bytes = std::fs::read(dir.join("utx.lastlogin")).unwrap();
    let tmp = Scratch::new("utx-lastlogin");
    for (name, want, t) in [
        ("copy", Format::FreebsdUtx, EntryType::UserProcess),
        (
            "utx.lastlogin.0",
            Format::FreebsdUtxLastlogin,
            EntryType::LastLogin,
        ),
        ("utx.lastlogins", Format::FreebsdUtx, EntryType::UserProcess),
    ] {
        let (f, w) = read_file(&tmp.write(name, &bytes));
        assert_eq!(f, want, "{name}");
        assert_eq!(w.len(), 3);
        for (a, b) in w.iter().zip(&v) {
            assert_eq!(a.entry_type, t, "{name}");
            assert_eq!((s(&a.user), a.sec, a.usec), (s(&b.user), b.sec, b.usec));
        }
    }
    assert_eq!(
        Format::of_path("/var/log/utx.lastlogin"),
        Some((Format::FreebsdUtx, Format::FreebsdUtxLastlogin))
    );
    let (f, v) = read_file(&dir.join("utx.active"));
    assert_eq!(f, Format::FreebsdUtx);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0].entry_type, EntryType::BootTime);
    assert_eq!((v[0].sec, v[0].usec), (1_706_917_712, 61_886));
    assert_eq!(v[1].entry_type, EntryType::UserProcess);
    assert_eq!(
        (s(&v[1].user), s(&v[1].line), s(&v[1].host), s(&v[1].id)),
        (
            "root".into(),
            "pts/0".into(),
            "host.net".into(),
            "pts/0".into()
        )
    );
    assert_eq!(v[1].pid, 855);
    assert_eq!(v[2].entry_type, EntryType::DeadProcess);
    assert_eq!((s(&v[2].id).as_str(), v[2].pid), ("pts/1", 2275));
    // No exit status, session or address in a futx.
    assert!(v
        .iter()
        .all(|e| e.exit_status == -1 && e.session == -1 && e.addr_text.is_empty()));
}

#[test]
fn netbsd_files_match_last() {
    let Some(c) = corpus() else { return };
    let dir = c.join("s4/logs/NetBSD9.3/x86_64");
    let est = |t: i64| ymdhms(t + us_offset(t, -5));
    let cut8 = |x: String| x.chars().take(8).collect::<String>();
    // utmpx: the signature is skipped; `last` shows USER and LOGIN records.
    let (f, v) = read_file(&dir.join("utmpx"));
    assert_eq!(f, Format::NetbsdUtmpx520Le);
    assert_eq!(v.len(), 9, "10 records, the signature not returned");
    assert_eq!(v[0].offset, 520);
    assert!(v.iter().all(|e| e.entry_type != EntryType::Signature));
    assert_eq!(
        (v[0].entry_type, s(&v[0].line).as_str()),
        (EntryType::BootTime, "system boot")
    );
    assert_eq!(
        (v[1].entry_type, v[1].raw_type),
        (EntryType::ShutdownTime, 11)
    );
    let ours: Vec<_> = v
        .iter()
        .rev()
        .filter(|e| {
            matches!(
                e.entry_type,
                EntryType::UserProcess | EntryType::LoginProcess
            )
        })
        .map(|e| (cut8(s(&e.user)), s(&e.line), s(&e.host), est(e.sec)))
        .collect();
    assert_last_matches(
        "utmpx",
        &ours,
        &parse_last(&companion(&dir, "utmpx.last.txt"), 5),
    );
    let root = &v[8];
    assert_eq!((root.pid, root.usec), (201, 794_868));
    assert_eq!(s(&root.addr_text), "192.168.124.180", "ut_ss AF_INET");
    // wtmpx (no signature) and wtmp: reboot/shutdown markers on line "~".
    for (name, fmt, n) in [
        ("wtmpx", Format::NetbsdUtmpx520Le, 7),
        ("wtmp", Format::NetbsdUtmp40Le, 3),
    ] {
        let (f, v) = read_file(&dir.join(name));
        assert_eq!(f, fmt, "{name}");
        assert_eq!(v.len(), n, "{name}");
        let ours: Vec<_> = v
            .iter()
            .rev()
            .filter(|e| is_session(e))
            .map(|e| (cut8(s(&e.user)), s(&e.line), s(&e.host), est(e.sec)))
            .collect();
        let theirs = parse_last(&companion(&dir, &format!("{name}.last.txt")), 5);
        assert_last_matches(name, &ours, &theirs);
    }
    // utmp: 19 slots, one in use.
    let (f, v) = read_file(&dir.join("utmp"));
    assert_eq!(f, Format::NetbsdUtmp40Le);
    let users: Vec<_> = v
        .iter()
        .filter(|e| e.entry_type == EntryType::UserProcess)
        .map(|e| (cut8(s(&e.user)), s(&e.line), s(&e.host), est(e.sec)))
        .collect();
    assert_last_matches(
        "utmp",
        &users,
        &parse_last(&companion(&dir, "utmp.last.txt"), 5),
    );
    assert_eq!(v.len(), 19);
    // lastlog: uid 0.
    let (f, v) = read_file(&dir.join("lastlog"));
    assert_eq!(f, Format::NetbsdLastlog32Le);
    assert_eq!(v.len(), 1);
    let t: Vec<String> = companion(&dir, "lastlog.lastlogin.txt")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(t[0], "root");
    assert_eq!(v[0].uid, 0);
    assert_eq!(v[0].entry_type, EntryType::LastLogin);
    assert_eq!((s(&v[0].line), s(&v[0].host)), (t[1].clone(), t[2].clone()));
    assert_eq!(hms_y(v[0].sec + us_offset(v[0].sec, -5)), t[3..].join(" "));
}

#[test]
fn netbsd_lastlogx_berkeley_db_matches_lastlogin() {
    let Some(c) = corpus() else { return };
    let dir = c.join("s4/logs/NetBSD9.3/x86_64");
    let path = dir.join("lastlogx");
    let src = utx::source::file::FileSource::open(&path).unwrap();
    assert_eq!(
        utx::format::detect::detect(&src).unwrap(),
        Format::NetbsdLastlogx
    );
    let (f, v) = read_file(&path);
    assert_eq!(f, Format::NetbsdLastlogx);
    assert_eq!(v.len(), 1);
    let e = &v[0];
    let t: Vec<String> = companion(&dir, "lastlogx.lastlogin.txt")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!((t[0].as_str(), e.uid), ("root", 0));
    assert_eq!(e.entry_type, EntryType::LastLogin);
    assert_eq!((s(&e.line), s(&e.host)), (t[1].clone(), t[2].clone()));
    assert_eq!(hms_y(e.sec + us_offset(e.sec, -5)), t[3..].join(" "));
    // lastlogx keeps microseconds and the sockaddr the flat file lacks.
    assert_eq!((e.sec, e.usec), (1_708_850_203, 796_645));
    assert_eq!(s(&e.addr_text), "192.168.124.180");
    // The record is the value at the end of bucket page 1 (page size 16 KiB).
    assert_eq!(e.offset, 0x7e4c);
}

#[test]
fn openbsd_files_match_last() {
    let Some(c) = corpus() else { return };
    let dir = c.join("s4/logs/OpenBSD7.4/x86_64");
    // The companions were printed at UTC-8 (January: standard time).
    let pst = |t: i64| hm(t + us_offset(t, -8));
    let (f, v) = read_file(&dir.join("wtmp"));
    assert_eq!(f, Format::OpenbsdUtmp304Le);
    assert_eq!(v.len(), 5);
    // MANIFEST: reboot, root login, logout (empty name), root, root+host.
    let kinds: Vec<_> = v.iter().map(|e| e.entry_type).collect();
    assert_eq!(
        kinds,
        [
            EntryType::BootTime,
            EntryType::UserProcess,
            EntryType::DeadProcess,
            EntryType::UserProcess,
            EntryType::UserProcess
        ]
    );
    assert!(v.iter().all(|e| e.raw_type == -1 && e.pid == -1));
    assert_eq!(v[2].sec, 1_706_487_437, "00:17:17Z logout");
    let ours: Vec<_> = v
        .iter()
        .rev()
        .filter(|e| is_session(e))
        .map(|e| (s(&e.user), s(&e.line), s(&e.host), pst(e.sec)))
        .collect();
    assert_last_matches("wtmp", &ours, &parse_last(&companion(&dir, "wtmp.txt"), 4));
    let (f, v) = read_file(&dir.join("utmp"));
    assert_eq!(f, Format::OpenbsdUtmp304Le);
    assert_eq!(v.len(), 23, "6992 bytes = 23 slots");
    let ours: Vec<_> = v
        .iter()
        .rev()
        .filter(|e| e.entry_type == EntryType::UserProcess)
        .map(|e| (s(&e.user), s(&e.line), s(&e.host), pst(e.sec)))
        .collect();
    assert_last_matches("utmp", &ours, &parse_last(&companion(&dir, "utmp.txt"), 4));
    let (f, v) = read_file(&dir.join("lastlog"));
    assert_eq!(f, Format::OpenbsdLastlog272Le);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].uid, s(&v[0].line), s(&v[0].host), v[0].sec),
        (0, "ttyp0".into(), "192.168.100.254".into(), 1_706_487_506)
    );
}

#[test]
fn solaris_layout_wtmpx() {
    let Some(c) = corpus() else { return };
    let (f, v) = read_file(&c.join("solaris-synthetic/wtmpx"));
    assert_eq!(f, Format::SolarisUtmpx372Be);
    assert_eq!(v.len(), 53);
    let users = v
        .iter()
        .filter(|e| e.entry_type == EntryType::UserProcess)
        .count();
    let dead = v
        .iter()
        .filter(|e| e.entry_type == EntryType::DeadProcess)
        .count();
    assert_eq!((users, dead), (27, 26));
    for name in ["lidz", "baizt", "tongxy", "moxb", "huangr"] {
        assert!(v.iter().any(|e| s(&e.user) == name), "{name}");
    }
    let first = civil(v.iter().map(|e| e.sec).min().unwrap());
    let last = civil(v.iter().map(|e| e.sec).max().unwrap());
    assert_eq!((first.0, first.1, first.2), (2013, 8, 1));
    assert_eq!((last.0, last.1, last.2), (2015, 4, 10));
    // ut_syslen is 0 in this file: the host is cut at its NUL instead.
    assert_eq!(
        (s(&v[0].user), s(&v[0].host), v[0].pid, v[0].sec),
        ("lidz".into(), "192.168.1.61".into(), 441_232, 1_375_334_515)
    );
    assert_eq!((v[0].raw_type, v[0].exit_status), (7, 0));
}
