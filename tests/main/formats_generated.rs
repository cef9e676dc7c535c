//! Files written by a small writer built from each platform's published
//! layout (FORMATS.md, its own offset table here, not the library's), in
//! each byte order the platform used, with edge cases: full-width fields
//! without NUL, empty records, a corrupt record in the middle, a trailing
//! partial record. Then every generated file is auto-detected and must
//! come out as exactly its own format.

use crate::helpers::*;
use utx::entry::flags;
use utx::{EntryType, ErrorKind, Format};

/// Where the writer puts a field: (offset, width).
type At = (usize, usize);

#[derive(Clone, Copy)]
enum TimeAt {
    /// Seconds (offset, width) and microseconds (offset, width) or none.
    Sec(At, Option<At>),
    /// FreeBSD: u64 microseconds.
    Micros(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum AddrAt {
    None,
    /// 4 bytes, network order.
    V4(usize),
    /// glibc ut_addr_v6.
    V6(usize),
    /// BSD sockaddr_storage (len, family, port, addr).
    Ss(usize),
}

#[derive(Clone, Copy)]
struct Spec {
    format: Format,
    size: usize,
    be: bool,
    lastlog: bool,
    /// Type field (offset, width) and the platform's numbers for BOOT,
    /// USER, DEAD and SHUTDOWN (-1: the platform has none).
    ty: Option<(At, [i64; 4])>,
    pid: Option<At>,
    user: Option<At>,
    line: At,
    id: Option<At>,
    host: At,
    time: TimeAt,
    syslen: Option<usize>,
    addr: AddrAt,
    /// Signature record: (user text, type number).
    sig: Option<(&'static [u8], i64)>,
}

const fn base(format: Format, size: usize, be: bool) -> Spec {
    Spec {
        format,
        size,
        be,
        lastlog: false,
        ty: None,
        pid: None,
        user: None,
        line: (0, 0),
        id: None,
        host: (0, 0),
        time: TimeAt::Sec((0, 0), None),
        syslen: None,
        addr: AddrAt::None,
        sig: None,
    }
}

fn linux(format: Format, size: usize, be: bool) -> Spec {
    let wide = size == 400;
    Spec {
        ty: Some(((0, 2), [2, 7, 8, -1])),
        pid: Some((4, 4)),
        line: (8, 32),
        id: Some((40, 4)),
        user: Some((44, 32)),
        host: (76, 256),
        time: if wide {
            TimeAt::Sec((344, 8), Some((352, 8)))
        } else {
            TimeAt::Sec((340, 4), Some((344, 4)))
        },
        addr: AddrAt::V6(if wide { 360 } else { 348 }),
        ..base(format, size, be)
    }
}

fn bsd(format: Format, size: usize, be: bool, (l, n, h): (usize, usize, usize), tw: usize) -> Spec {
    Spec {
        line: (0, l),
        user: Some((l, n)),
        host: (l + n, h),
        time: TimeAt::Sec((l + n + h, tw), None),
        ..base(format, size, be)
    }
}

fn lastlog(format: Format, be: bool, tw: usize, (at, l, h): (usize, usize, usize)) -> Spec {
    Spec {
        lastlog: true,
        line: (at, l),
        host: (at + l, h),
        time: TimeAt::Sec((0, tw), None),
        ..base(format, at + l + h, be)
    }
}

fn netbsd(format: Format, size: usize, be: bool) -> Spec {
    Spec {
        user: Some((0, 32)),
        id: Some((32, 4)),
        line: (36, 32),
        host: (68, 256),
        ty: Some(((326, 2), [2, 7, 8, 11])),
        pid: Some((328, 4)),
        addr: AddrAt::Ss(336),
        time: TimeAt::Sec((464, 8), Some((472, 4))),
        ..base(format, size, be)
    }
}

fn macos(format: Format, be: bool) -> Spec {
    Spec {
        user: Some((0, 256)),
        id: Some((256, 4)),
        line: (260, 32),
        pid: Some((292, 4)),
        ty: Some(((296, 2), [2, 7, 8, 11])),
        time: TimeAt::Sec((300, 4), Some((304, 4))),
        host: (308, 256),
        ..base(format, 628, be)
    }
}

fn futmpx(format: Format, be: bool, shutdown: i64) -> Spec {
    Spec {
        user: Some((0, 32)),
        id: Some((32, 4)),
        line: (36, 32),
        pid: Some((68, 4)),
        ty: Some(((72, 2), [2, 7, 8, shutdown])),
        time: TimeAt::Sec((80, 4), Some((84, 4))),
        syslen: Some(112),
        host: (114, 257),
        ..base(format, 372, be)
    }
}

/// Every format with a fixed-record writer.
fn specs() -> Vec<Spec> {
    use Format as F;
    let mut v = vec![
        linux(F::Glibc384Le, 384, false),
        linux(F::Glibc384Be, 384, true),
        linux(F::Glibc400Le, 400, false),
        linux(F::Glibc400Be, 400, true),
        Spec {
            ty: Some(((0, 1), [1, 4, 7, 8])),
            time: TimeAt::Micros(1),
            id: Some((9, 8)),
            pid: Some((17, 4)),
            user: Some((21, 32)),
            line: (53, 16),
            host: (69, 128),
            ..base(F::FreebsdUtx, 197, true)
        },
        bsd(F::FreebsdUtmp44Le, 44, false, (8, 16, 16), 4),
        bsd(F::FreebsdUtmp44Be, 44, true, (8, 16, 16), 4),
        lastlog(F::BsdLastlog28Le, false, 4, (4, 8, 16)),
        lastlog(F::BsdLastlog28Be, true, 4, (4, 8, 16)),
        netbsd(F::NetbsdUtmpx520Le, 520, false),
        netbsd(F::NetbsdUtmpx520Be, 520, true),
        netbsd(F::NetbsdUtmpx516Le, 516, false),
        bsd(F::NetbsdUtmp40Le, 40, false, (8, 8, 16), 8),
        bsd(F::NetbsdUtmp40Be, 40, true, (8, 8, 16), 8),
        lastlog(F::NetbsdLastlog32Le, false, 8, (8, 8, 16)),
        lastlog(F::NetbsdLastlog32Be, true, 8, (8, 8, 16)),
        bsd(F::OpenbsdUtmp304Le, 304, false, (8, 32, 256), 8),
        bsd(F::OpenbsdUtmp304Be, 304, true, (8, 32, 256), 8),
        lastlog(F::OpenbsdLastlog272Le, false, 8, (8, 8, 256)),
        lastlog(F::OpenbsdLastlog272Be, true, 8, (8, 8, 256)),
        bsd(F::BsdUtmp36Le, 36, false, (8, 8, 16), 4),
        bsd(F::BsdUtmp36Be, 36, true, (8, 8, 16), 4),
        macos(F::MacosUtmpx628Le, false),
        macos(F::MacosUtmpx628Be, true),
        futmpx(F::SolarisUtmpx372Le, false, 10),
        futmpx(F::SolarisUtmpx372Be, true, 10),
        futmpx(F::IrixUtmpx372Be, true, -1),
        Spec {
            user: Some((0, 256)),
            id: Some((256, 14)),
            line: (270, 64),
            pid: Some((336, 4)),
            ty: Some(((340, 2), [2, 7, 8, -1])),
            time: TimeAt::Sec((344, 8), None),
            host: (356, 256),
            ..base(F::AixUtmp648Be, 648, true)
        },
        Spec {
            user: Some((0, 8)),
            id: Some((8, 4)),
            line: (12, 12),
            pid: Some((24, 4)),
            ty: Some(((28, 2), [2, 7, 8, -1])),
            time: TimeAt::Sec((36, 4), None),
            host: (40, 16),
            addr: AddrAt::V4(56),
            ..base(F::HpuxUtmp60Be, 60, true)
        },
    ];
    // Cygwin (newlib sys/utmp.h): i686 and x86_64.
    for (f, size, tw, (u, h, a)) in [
        (F::CygwinUtmp308Le, 308, 4, (32, 48, 304)),
        (F::CygwinUtmp320Le, 320, 8, (40, 56, 312)),
    ] {
        v.push(Spec {
            ty: Some(((0, 2), [2, 7, 8, -1])),
            pid: Some((4, 4)),
            line: (8, 16),
            id: Some((24, 2)),
            time: TimeAt::Sec((u - tw, tw), None),
            user: Some((u, 16)),
            host: (h, 256),
            addr: AddrAt::V4(a),
            ..base(f, size, false)
        });
    }
    for (f, be) in [(F::Svr4Utmp36Le, false), (F::Svr4Utmp36Be, true)] {
        v.push(Spec {
            user: Some((0, 8)),
            id: Some((8, 4)),
            line: (12, 12),
            pid: Some((24, 2)),
            ty: Some(((26, 2), [2, 7, 8, 10])),
            time: TimeAt::Sec((32, 4), None),
            ..base(f, 36, be)
        });
    }
    v
}

/// One logical record to write.
#[derive(Clone, Debug, Default)]
struct Rec {
    ty: Option<i64>,
    user: Vec<u8>,
    line: Vec<u8>,
    id: Vec<u8>,
    host: Vec<u8>,
    pid: i64,
    sec: i64,
    usec: i64,
    v4: Option<[u8; 4]>,
}

fn put_int(buf: &mut [u8], (off, w): At, v: i64, be: bool) {
    let bytes = if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let b = if be { &bytes[8 - w..] } else { &bytes[..w] };
    buf[off..off + w].copy_from_slice(b);
}

fn put_str(buf: &mut [u8], (off, w): At, s: &[u8]) {
    let n = s.len().min(w);
    buf[off..off + n].copy_from_slice(&s[..n]);
}

fn write(spec: &Spec, r: &Rec) -> Vec<u8> {
    let mut b = vec![0u8; spec.size];
    if let (Some((at, _)), Some(t)) = (spec.ty, r.ty) {
        put_int(&mut b, at, t, spec.be);
    }
    if let Some(at) = spec.pid {
        put_int(&mut b, at, r.pid, spec.be);
    }
    if let Some(at) = spec.user {
        put_str(&mut b, at, &r.user);
    }
    if let Some(at) = spec.id {
        put_str(&mut b, at, &r.id);
    }
    put_str(&mut b, spec.line, &r.line);
    put_str(&mut b, spec.host, &r.host);
    if let Some(off) = spec.syslen {
        let n = if r.host.is_empty() {
            0
        } else {
            r.host.len() as i64 + 1
        };
        put_int(&mut b, (off, 2), n, spec.be);
    }
    match spec.time {
        TimeAt::Sec(s, u) => {
            put_int(&mut b, s, r.sec, spec.be);
            if let Some(u) = u {
                put_int(&mut b, u, r.usec, spec.be);
            }
        }
        TimeAt::Micros(o) => put_int(&mut b, (o, 8), r.sec * 1_000_000 + r.usec, true),
    }
    if let Some(a) = r.v4 {
        match spec.addr {
            AddrAt::V4(o) | AddrAt::V6(o) => b[o..o + 4].copy_from_slice(&a),
            AddrAt::Ss(o) => {
                b[o] = 16;
                b[o + 1] = 2;
                b[o + 4..o + 8].copy_from_slice(&a);
            }
            AddrAt::None => {}
        }
    }
    b
}

const T0: i64 = 1_700_000_000;

/// The records of a generated event file and the entries expected back:
/// (type, user, line, host, sec, usec or None, pid or None, flags).
type Expect = (
    EntryType,
    String,
    String,
    String,
    i64,
    Option<i32>,
    Option<i64>,
    u32,
);

fn has_usec(spec: &Spec) -> bool {
    matches!(spec.time, TimeAt::Sec(_, Some(_)) | TimeAt::Micros(_))
}

/// Build an event file: boot, a full-width login, an empty slot, (a
/// corrupt record,) the logout, a shutdown and a trailing partial record.
fn event_file(spec: &Spec, corrupt: bool, partial: bool) -> (Vec<u8>, Vec<Expect>) {
    let uw = spec.user.map_or(0, |u| u.1);
    let full_user: Vec<u8> = (0..uw).map(|i| b'a' + (i % 26) as u8).collect();
    let typed = spec.ty.map(|t| t.1);
    let mut out = Vec::new();
    let mut exp: Vec<Expect> = Vec::new();
    let usec = |u: i32| has_usec(spec).then_some(u);
    let pid = |p: i64| spec.pid.map(|_| p);
    if let Some((sig, n)) = spec.sig {
        out.extend(write(
            spec,
            &Rec {
                ty: Some(n),
                user: sig.to_vec(),
                ..Rec::default()
            },
        ));
    }
    // Boot.
    let boot = match typed {
        Some(t) => Rec {
            ty: Some(t[0]),
            line: b"system boot".to_vec(),
            sec: T0,
            ..Rec::default()
        },
        None => Rec {
            user: b"reboot".to_vec(),
            line: b"~".to_vec(),
            sec: T0,
            ..Rec::default()
        },
    };
    let boot_line =
        String::from_utf8(boot.line[..boot.line.len().min(spec.line.1)].to_vec()).unwrap();
    out.extend(write(spec, &boot));
    exp.push((
        EntryType::BootTime,
        s_of(&boot.user, spec.user),
        boot_line,
        String::new(),
        T0,
        usec(0),
        pid(0),
        0,
    ));
    // A login whose user name fills its field (no NUL).
    let login = Rec {
        ty: typed.map(|t| t[1]),
        user: full_user.clone(),
        line: b"pts/1".to_vec(),
        id: b"p1".to_vec(),
        host: b"host.example".to_vec(),
        pid: 4242,
        sec: T0 + 60,
        usec: 123_456,
        v4: Some([10, 1, 2, 3]),
    };
    out.extend(write(spec, &login));
    let host = String::from_utf8(login.host[..login.host.len().min(spec.host.1)].to_vec()).unwrap();
    exp.push((
        EntryType::UserProcess,
        String::from_utf8(full_user).unwrap(),
        "pts/1".into(),
        host,
        T0 + 60,
        usec(123_456),
        pid(4242),
        if uw > 0 { flags::FULL_WIDTH } else { 0 },
    ));
    // An empty slot.
    out.extend(vec![0u8; spec.size]);
    exp.push((
        EntryType::Empty,
        String::new(),
        String::new(),
        String::new(),
        0,
        usec(0),
        pid(0),
        0,
    ));
    let mut logout_flags = 0;
    if corrupt {
        if let Some(t) = spec.ty {
            // A type number no platform uses, in a well-formed record:
            // UNKNOWN, as utmpdump shows it (FreeBSD's libc skips it).
            let mut r = write(spec, &login);
            put_int(&mut r, t.0, 99, spec.be);
            out.extend(r);
            if spec.format != Format::FreebsdUtx {
                let mut unknown = exp[1].clone();
                unknown.0 = EntryType::Unknown;
                exp.push(unknown);
            }
            // The same with control bytes in its strings: corrupt, skipped
            // (as FreeBSD skips both).
            let mut r = write(spec, &login);
            put_int(&mut r, t.0, 99, spec.be);
            put_str(&mut r, spec.line, b"\x01\x02");
            out.extend(r);
            logout_flags = flags::RECOVERED;
        }
    }
    let logout = Rec {
        ty: typed.map(|t| t[2]),
        line: b"pts/1".to_vec(),
        id: b"p1".to_vec(),
        pid: 4242,
        sec: T0 + 120,
        usec: 5,
        ..Rec::default()
    };
    out.extend(write(spec, &logout));
    exp.push((
        EntryType::DeadProcess,
        String::new(),
        "pts/1".into(),
        String::new(),
        T0 + 120,
        usec(5),
        pid(4242),
        logout_flags,
    ));
    let shutdown = match typed {
        Some(t) if t[3] >= 0 => Some(Rec {
            ty: Some(t[3]),
            line: b"system down".to_vec(),
            sec: T0 + 180,
            ..Rec::default()
        }),
        Some(_) => None,
        None => Some(Rec {
            user: b"shutdown".to_vec(),
            line: b"~".to_vec(),
            sec: T0 + 180,
            ..Rec::default()
        }),
    };
    if let Some(r) = shutdown {
        out.extend(write(spec, &r));
        let line = String::from_utf8(r.line[..r.line.len().min(spec.line.1)].to_vec()).unwrap();
        exp.push((
            EntryType::ShutdownTime,
            s_of(&r.user, spec.user),
            line,
            String::new(),
            T0 + 180,
            usec(0),
            pid(0),
            0,
        ));
    }
    if spec.ty.is_none() {
        // Clock change markers: `|` before, `{` after.
        for (line, t, et) in [
            (b"|", T0 + 200, EntryType::OldTime),
            (b"{", T0 + 201, EntryType::NewTime),
        ] {
            out.extend(write(
                spec,
                &Rec {
                    user: b"date".to_vec(),
                    line: line.to_vec(),
                    sec: t,
                    ..Rec::default()
                },
            ));
            exp.push((
                et,
                "date".into(),
                String::from_utf8(line.to_vec()).unwrap(),
                String::new(),
                t,
                None,
                None,
                0,
            ));
        }
    }
    if partial {
        out.extend([7u8; 5]);
        exp.push((
            EntryType::Empty,
            String::new(),
            String::new(),
            String::new(),
            0,
            None,
            None,
            flags::PARTIAL_RECORD,
        ));
    }
    (out, exp)
}

fn s_of(user: &[u8], at: Option<At>) -> String {
    at.map_or(String::new(), |_| String::from_utf8(user.to_vec()).unwrap())
}

fn check(spec: &Spec, bytes: &[u8], exp: &[Expect], reverse: bool) {
    let name = spec.format.name();
    let got = read_bytes(bytes, spec.format, reverse);
    let mut exp = exp.to_vec();
    if reverse {
        // Newest first, "recovered" is on the record read right after the
        // corrupt one: the one before it in the file.
        let moved: Vec<u32> = (0..exp.len())
            .map(|i| exp.get(i + 1).map_or(0, |n| n.7 & flags::RECOVERED))
            .collect();
        for (x, m) in exp.iter_mut().zip(moved) {
            x.7 = (x.7 & !flags::RECOVERED) | m;
        }
        exp.reverse();
    }
    assert_eq!(got.len(), exp.len(), "{name} reverse={reverse}: {got:#?}");
    for (e, x) in got.iter().zip(&exp) {
        let what = format!("{name} reverse={reverse} at {}", e.offset);
        assert_eq!(e.flags & x.7, x.7, "{what}: flags {:#x}", e.flags);
        if x.7 & flags::PARTIAL_RECORD != 0 {
            continue;
        }
        assert_eq!(e.entry_type, x.0, "{what}");
        assert_eq!(s(&e.user), x.1, "{what}");
        assert_eq!(s(&e.line), x.2, "{what}");
        assert_eq!(s(&e.host), x.3, "{what}");
        assert_eq!(e.sec, x.4, "{what}");
        assert_eq!(e.format, spec.format, "{what}");
        if let Some(u) = x.5 {
            assert_eq!(e.usec, u, "{what}");
        }
        assert_eq!(e.pid, x.6.unwrap_or(-1), "{what}: pid");
        if spec.ty.is_none() {
            assert_eq!(e.raw_type, -1, "{what}: no type field");
        }
    }
    // The login's address where the layout has one.
    if let Some(login) = got.iter().find(|e| e.entry_type == EntryType::UserProcess) {
        match spec.addr {
            AddrAt::None => assert!(login.addr_text.is_empty(), "{name}"),
            _ => assert_eq!(s(&login.addr_text), "10.1.2.3", "{name}"),
        }
    }
}

fn signed(spec: Spec) -> Vec<Spec> {
    let mut v = vec![spec];
    match spec.format {
        Format::MacosUtmpx628Le | Format::MacosUtmpx628Be => v[0].sig = Some((b"utmpx-1.00", 10)),
        Format::NetbsdUtmpx520Le | Format::NetbsdUtmpx520Be | Format::NetbsdUtmpx516Le => {
            v.push(Spec {
                sig: Some((b"utmpx-2.00", 10)),
                ..spec
            });
        }
        _ => {}
    }
    v
}

#[test]
fn every_fixed_event_format_decodes_its_generated_files() {
    let mut n = 0;
    for spec in specs().into_iter().filter(|s| !s.lastlog).flat_map(signed) {
        for (corrupt, partial) in [(false, false), (true, false), (false, true), (true, true)] {
            let (bytes, exp) = event_file(&spec, corrupt, partial);
            check(&spec, &bytes, &exp, false);
            check(&spec, &bytes, &exp, true);
            n += 1;
        }
    }
    assert!(n >= 100, "{n} files");
}

/// lastlog: sparse, indexed by uid; all-zero slots are skipped.
fn lastlog_file(spec: &Spec) -> Vec<u8> {
    let mut out = vec![0u8; spec.size * 7];
    let rec = |line: &[u8], host: &[u8], sec: i64| {
        write(
            spec,
            &Rec {
                line: line.to_vec(),
                host: host.to_vec(),
                sec,
                ..Rec::default()
            },
        )
    };
    let full_line: Vec<u8> = (0..spec.line.1).map(|i| b'0' + (i % 10) as u8).collect();
    out[spec.size * 2..spec.size * 3].copy_from_slice(&rec(b"tty1", b"", T0));
    out[spec.size * 6..].copy_from_slice(&rec(&full_line, b"10.9.8.7", T0 + 5));
    out
}

#[test]
fn every_lastlog_format_decodes_its_generated_files() {
    for spec in specs().into_iter().filter(|s| s.lastlog) {
        let name = spec.format.name();
        let bytes = lastlog_file(&spec);
        for reverse in [false, true] {
            let mut v = read_bytes(&bytes, spec.format, reverse);
            if reverse {
                v.reverse();
            }
            assert_eq!(v.len(), 2, "{name}");
            assert_eq!(
                (v[0].uid, s(&v[0].line), v[0].sec),
                (2, "tty1".into(), T0),
                "{name}"
            );
            assert_eq!(v[1].uid, 6, "{name}");
            assert_eq!(s(&v[1].line).len(), spec.line.1, "{name}: full-width line");
            assert_ne!(v[1].flags & flags::FULL_WIDTH, 0, "{name}");
            assert_eq!(
                (s(&v[1].host), v[1].sec),
                ("10.9.8.7".into(), T0 + 5),
                "{name}"
            );
            assert!(v
                .iter()
                .all(|e| e.entry_type == EntryType::LastLogin && e.pid == -1));
        }
    }
}

/// FreeBSD utx.log frames: u16 BE length + the futx without its trailing
/// zero bytes.
fn utx_frame(rec: &[u8]) -> Vec<u8> {
    let n = rec.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let mut v = (n as u16).to_be_bytes().to_vec();
    v.extend(&rec[..n]);
    v
}

fn futx_spec() -> Spec {
    specs()
        .into_iter()
        .find(|s| s.format == Format::FreebsdUtx)
        .unwrap()
}

fn utx_log_file(edge: bool) -> (Vec<u8>, Vec<(EntryType, i64, u32)>) {
    let spec = futx_spec();
    let mut out = Vec::new();
    let mut exp = Vec::new();
    let boot = write(
        &spec,
        &Rec {
            ty: Some(1),
            sec: T0,
            usec: 9,
            ..Rec::default()
        },
    );
    out.extend(utx_frame(&boot));
    exp.push((EntryType::BootTime, T0, 0));
    let login = Rec {
        ty: Some(4),
        user: b"user12345678901234567890abcdefgh".to_vec(),
        line: b"pts/0".to_vec(),
        id: vec![0x8c, 0x78, 0xde, 0x3f, 0x33, 0x8f, 0x04, 0xfc],
        host: b"host.net".to_vec(),
        pid: 855,
        sec: T0 + 10,
        usec: 1,
        v4: None,
    };
    out.extend(utx_frame(&write(&spec, &login)));
    exp.push((EntryType::UserProcess, T0 + 10, flags::FULL_WIDTH));
    let mut after_edge = 0;
    if edge {
        // A zero length: getfutxent skips one byte.
        out.extend([0u8]);
        // A corrupt record (type 99).
        let mut bad = write(
            &spec,
            &Rec {
                ty: Some(4),
                sec: T0 + 11,
                ..Rec::default()
            },
        );
        bad[0] = 99;
        out.extend(utx_frame(&bad));
        after_edge = flags::RECOVERED;
    }
    let dead = write(
        &spec,
        &Rec {
            ty: Some(7),
            id: login.id.clone(),
            pid: 855,
            sec: T0 + 20,
            ..Rec::default()
        },
    );
    out.extend(utx_frame(&dead));
    exp.push((
        EntryType::DeadProcess,
        T0 + 20,
        flags::FULL_WIDTH | after_edge,
    ));
    if edge {
        // An over-long record: 197 bytes kept, 3 more skipped.
        let mut long = write(
            &spec,
            &Rec {
                ty: Some(8),
                sec: T0 + 30,
                ..Rec::default()
            },
        );
        long.extend([0xee; 3]);
        out.extend((long.len() as u16).to_be_bytes());
        out.extend(&long);
        exp.push((EntryType::ShutdownTime, T0 + 30, 0));
        // A record cut by the end of the file.
        out.extend([0, 58, 4, 0, 0]);
        exp.push((EntryType::Empty, 0, flags::PARTIAL_RECORD));
    } else {
        let sd = write(
            &spec,
            &Rec {
                ty: Some(8),
                sec: T0 + 30,
                ..Rec::default()
            },
        );
        out.extend(utx_frame(&sd));
        exp.push((EntryType::ShutdownTime, T0 + 30, 0));
    }
    (out, exp)
}

#[test]
fn freebsd_utx_log_generated_with_edge_cases() {
    for edge in [false, true] {
        let (bytes, exp) = utx_log_file(edge);
        for reverse in [false, true] {
            let mut got = read_bytes(&bytes, Format::FreebsdUtxLog, reverse);
            let mut exp = exp.clone();
            if reverse {
                // The partial record comes first, newest first; "recovered"
                // is on the record read right after the skipped bytes.
                got.reverse();
                let moved: Vec<u32> = (0..exp.len())
                    .map(|i| exp.get(i + 1).map_or(0, |n| n.2 & flags::RECOVERED))
                    .collect();
                for (x, m) in exp.iter_mut().zip(moved) {
                    x.2 = (x.2 & !flags::RECOVERED) | m;
                }
            }
            let kinds: Vec<_> = got
                .iter()
                .map(|e| {
                    (
                        e.entry_type,
                        e.sec,
                        e.flags & (flags::RECOVERED | flags::PARTIAL_RECORD | flags::FULL_WIDTH),
                    )
                })
                .collect();
            assert_eq!(kinds, exp, "edge={edge} reverse={reverse}");
            let login = &got[1];
            assert_eq!(s(&login.user), "user12345678901234567890abcdefgh");
            assert_eq!(
                login.id.as_bytes(),
                [0x8c, 0x78, 0xde, 0x3f, 0x33, 0x8f, 0x04, 0xfc]
            );
            assert_eq!((login.pid, login.usec, login.raw_type), (855, 1, 4));
            assert!(got.iter().all(|e| e.format == Format::FreebsdUtxLog));
        }
        assert_eq!(
            detect_bytes(&bytes).unwrap(),
            Format::FreebsdUtxLog,
            "edge={edge}"
        );
    }
}

/// Every generated file with the format detection must find: event
/// files in four variants (corrupt record, partial tail), lastlogs. IRIX
/// and big-endian Solaris files are byte-for-byte the same layout, so an
/// IRIX file is (documentedly) detected as Solaris.
pub(crate) fn generated_files() -> Vec<(Format, Vec<u8>)> {
    let mut out = Vec::new();
    for spec in specs().into_iter().flat_map(signed) {
        let expected = match spec.format {
            Format::IrixUtmpx372Be => Format::SolarisUtmpx372Be,
            f => f,
        };
        if spec.lastlog {
            out.push((expected, lastlog_file(&spec)));
        } else {
            for (c, p) in [(false, false), (true, false), (false, true), (true, true)] {
                out.push((expected, event_file(&spec, c, p).0));
            }
        }
    }
    out
}

/// Auto-detection of every generated file: exactly its own format.
#[test]
fn detection_matrix_over_generated_files() {
    let files = generated_files();
    for (i, (expected, f)) in files.iter().enumerate() {
        let got = detect_bytes(f);
        assert_eq!(
            got.as_ref().ok().copied(),
            Some(*expected),
            "{} file {i} ({} bytes): {:?}",
            expected.name(),
            f.len(),
            got.err()
        );
    }
    assert!(files.len() > 100);
}

/// 9600 = 25 × 384 = 24 × 400: both Linux layouts must still be told apart.
#[test]
fn common_multiple_sizes_are_told_apart() {
    let specs = specs();
    for fmt in [
        Format::Glibc384Le,
        Format::Glibc400Le,
        Format::Glibc384Be,
        Format::Glibc400Be,
    ] {
        let spec = specs.iter().find(|s| s.format == fmt).unwrap();
        let n = 9600 / spec.size;
        let mut bytes = Vec::new();
        for i in 0..n {
            bytes.extend(write(
                spec,
                &Rec {
                    ty: Some(if i % 2 == 0 { 7 } else { 8 }),
                    user: b"alice".to_vec(),
                    line: format!("pts/{i}").into_bytes(),
                    id: b"ts/1".to_vec(),
                    host: b"10.0.0.1".to_vec(),
                    pid: 1000 + i as i64,
                    sec: T0 + i as i64,
                    usec: 1,
                    v4: Some([10, 0, 0, 1]),
                },
            ));
        }
        assert_eq!(bytes.len(), 9600);
        assert_eq!(detect_bytes(&bytes).unwrap(), fmt);
    }
    // lcm(372, 384) = 11904 and lcm(520, 516) = 67080 with real records.
    for (fmt, size) in [
        (Format::SolarisUtmpx372Be, 11904),
        (Format::NetbsdUtmpx516Le, 67080),
        (Format::NetbsdUtmpx520Le, 67080),
    ] {
        let spec = specs.iter().find(|s| s.format == fmt).unwrap();
        let mut bytes = Vec::new();
        for i in 0..size / spec.size {
            bytes.extend(write(
                spec,
                &Rec {
                    ty: Some(7),
                    user: b"bob".to_vec(),
                    line: b"pts/2".to_vec(),
                    host: b"h".to_vec(),
                    pid: 7,
                    sec: T0 + i as i64,
                    ..Rec::default()
                },
            ));
        }
        assert_eq!(detect_bytes(&bytes).unwrap(), fmt);
    }
}

/// Random bytes are refused; zeros are a file of empty native records when
/// the size allows, refused otherwise.
#[test]
fn random_bytes_and_zeros() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for size in [9600usize, 11904, 67080, 7296, 197 * 30, 628 * 10] {
        let bytes: Vec<u8> = (0..size)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let err = detect_bytes(&bytes).expect_err("random bytes must be refused");
        assert_eq!(err.kind, ErrorKind::NotRecognised, "{size}");
        // Forced, the stream formats read garbage without panicking.
        for f in [Format::FreebsdUtxLog, Format::NetbsdLastlogx] {
            for reverse in [false, true] {
                let opts = utx::Options {
                    format: f,
                    reverse,
                    ..utx::Options::default()
                };
                if let Ok(r) = utx::Reader::from_bytes(&bytes, opts) {
                    assert!(r.take(100_000).all(|e| e.is_ok()));
                }
            }
        }
    }
    // Forced formats over a long run of zeros (no newline anywhere: the
    // text reader must skip over-long lines, not re-read them forever).
    let zeros = vec![0u8; 200_000];
    for f in Format::all() {
        for reverse in [false, true] {
            let opts = utx::Options {
                format: f,
                reverse,
                ..utx::Options::default()
            };
            if let Ok(r) = utx::Reader::from_bytes(&zeros, opts) {
                assert!(r.take(1_000_000).count() < 1_000_000, "{}", f.name());
            }
        }
    }
    let native = utx::format::detect::native_format();
    let rec = native.layout().unwrap().size;
    for size in [9600usize, 11904] {
        assert_eq!(detect_bytes(&vec![0u8; size]).unwrap(), native);
    }
    let odd = 372 * 7;
    assert_ne!(odd % rec, 0);
    assert_eq!(
        detect_bytes(&vec![0u8; odd]).unwrap_err().kind,
        ErrorKind::NotRecognised
    );
}

#[test]
fn every_format_is_reachable_by_name_and_has_a_family() {
    use utx::format::Family;
    for f in Format::all() {
        assert_eq!(Format::from_name(f.name()), Some(f));
        assert_eq!(Format::from_u32(f as u32), Some(f));
    }
    assert_eq!(Format::FreebsdUtxLog.family(), Family::FreeBsd);
    assert_eq!(Format::MacosUtmpx628Le.family(), Family::MacOs);
    assert_eq!(Format::OpenbsdUtmp304Le.family(), Family::OpenBsd);
    assert_eq!(Format::BsdUtmp36Le.family(), Family::ClassicBsd);
    assert_eq!(Format::FreebsdUtmp44Le.family(), Family::ClassicBsd);
    assert_eq!(Format::NetbsdUtmpx516Le.family(), Family::NetBsd);
    assert_eq!(Format::Svr4Utmp36Be.family(), Family::Solaris);
    assert_eq!(Format::AixUtmp648Be.family(), Family::Aix);
    assert_eq!(Format::HpuxUtmp60Be.family(), Family::HpUx);
    assert_eq!(Format::Glibc384Le.family(), Family::Linux);
    assert_eq!(Format::UtmpdumpText.family(), Family::Linux);
}

/// A `struct lastlogx` value: timeval, line[32], host[256], sockaddr
/// (428 bytes on i386, 432 elsewhere).
fn lastlogx_value(be: bool, i386: bool, uid: u32) -> Vec<u8> {
    let line_at = if i386 { 12 } else { 16 };
    let mut v = vec![0u8; line_at + 32 + 256 + 128];
    let sec = T0 + uid as i64;
    let usec = 1000 + uid as i64;
    put_int(&mut v, (0, 8), sec, be);
    put_int(&mut v, (8, 4), usec, be);
    put_str(&mut v, (line_at, 32), format!("pts/{uid}").as_bytes());
    put_str(&mut v, (line_at + 32, 256), b"lastlogx.example");
    let ss = line_at + 288;
    v[ss] = 16;
    v[ss + 1] = 2;
    v[ss + 4..ss + 8].copy_from_slice(&[10, 0, 0, uid as u8]);
    v
}

/// A Berkeley DB 1.85 hash file as db/hash writes it: big-endian header,
/// pages in `lorder`; bucket 0 on page 1 with an overflow page (page 3),
/// bucket 1 on page 2.
fn lastlogx_file(be: bool, i386: bool) -> (Vec<u8>, Vec<u32>) {
    const PAGE: usize = 2048;
    let mut file = vec![0u8; PAGE * 4];
    let hdr = [
        0x0006_1561u32,
        2,
        if be { 4321 } else { 1234 },
        PAGE as u32,
        11,
        256,
        256,
        8,
        1,
        0,
        1,
        1,
        0,
        65536,
        5,
        1,
        0,
    ];
    for (i, w) in hdr.iter().enumerate() {
        file[i * 4..i * 4 + 4].copy_from_slice(&w.to_be_bytes());
    }
    // spares[1] = 1 overflow page at split point 1.
    file[(17 + 1) * 4..(17 + 2) * 4].copy_from_slice(&1u32.to_be_bytes());
    let u16b = |v: u16| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut page = |pno: usize, uids: &[u32], ovfl: Option<u16>| {
        let p = &mut file[pno * PAGE..(pno + 1) * PAGE];
        let mut idx: Vec<u16> = Vec::new();
        let mut end = PAGE;
        for &uid in uids {
            let key = if be {
                uid.to_be_bytes()
            } else {
                uid.to_le_bytes()
            };
            let k = end - 4;
            p[k..end].copy_from_slice(&key);
            let val = lastlogx_value(be, i386, uid);
            let d = k - val.len();
            p[d..k].copy_from_slice(&val);
            idx.extend([k as u16, d as u16]);
            end = d;
        }
        if let Some(o) = ovfl {
            idx.extend([o, 0]);
        }
        p[0..2].copy_from_slice(&u16b(idx.len() as u16));
        for (i, v) in idx.iter().enumerate() {
            p[2 + i * 2..4 + i * 2].copy_from_slice(&u16b(*v));
        }
    };
    // Overflow address: split 1, page 1 → BUCKET_TO_PAGE(1) + 1 = page 3.
    page(1, &[1000, 0, 5], Some((1 << 11) | 1));
    page(2, &[7], None);
    page(3, &[42], None);
    (file, vec![0, 5, 7, 42, 1000])
}

#[test]
fn lastlogx_generated_in_both_byte_orders_and_sizes() {
    for (be, i386) in [(false, false), (false, true), (true, false)] {
        let (bytes, uids) = lastlogx_file(be, i386);
        assert_eq!(detect_bytes(&bytes).unwrap(), Format::NetbsdLastlogx);
        for reverse in [false, true] {
            let v = read_bytes(&bytes, Format::NetbsdLastlogx, reverse);
            let mut want = uids.clone();
            if reverse {
                want.reverse();
            }
            let got: Vec<u32> = v.iter().map(|e| e.uid as u32).collect();
            assert_eq!(got, want, "be={be} i386={i386}");
            for e in &v {
                let uid = e.uid;
                assert_eq!(e.entry_type, EntryType::LastLogin);
                assert_eq!((e.sec, e.usec as i64), (T0 + uid, 1000 + uid));
                assert_eq!(s(&e.line), format!("pts/{uid}"));
                assert_eq!(s(&e.host), "lastlogx.example");
                assert_eq!(s(&e.addr_text), format!("10.0.0.{uid}", uid = uid as u8));
                assert_eq!(e.flags & flags::TIME_IMPLAUSIBLE, 0);
            }
        }
    }
}

/// Damaged hash files never panic or loop: every byte of the header and
/// the page indexes is overwritten in turn.
#[test]
fn lastlogx_damage_is_survived() {
    let (bytes, _) = lastlogx_file(false, false);
    let spots: Vec<usize> = (0..200).chain(2048..2070).chain(4096..4110).collect();
    for at in spots {
        for v in [0u8, 0xff, 0x7f, 3] {
            let mut b = bytes.clone();
            b[at] = v;
            if let Ok(r) = utx::Reader::from_bytes(
                &b,
                utx::Options {
                    format: Format::NetbsdLastlogx,
                    ..utx::Options::default()
                },
            ) {
                assert!(r.take(100).all(|e| e.is_ok()));
            }
        }
    }
}

/// Solaris `ut_syslen` (host length including the NUL) limits the host:
/// bytes past it are not part of the name even without a NUL there.
#[test]
fn solaris_syslen_limits_the_host() {
    for fmt in [Format::SolarisUtmpx372Le, Format::SolarisUtmpx372Be] {
        let spec = specs().into_iter().find(|s| s.format == fmt).unwrap();
        let r = Rec {
            ty: Some(7),
            user: b"carol".to_vec(),
            line: b"pts/3".to_vec(),
            host: b"gateway.example.com".to_vec(),
            pid: 9,
            sec: T0,
            ..Rec::default()
        };
        let mut rec = write(&spec, &r);
        // syslen 8: "gateway" and its NUL; the rest is stale bytes.
        put_int(&mut rec, (112, 2), 8, spec.be);
        let mut full = write(&spec, &r);
        // A 257-byte host with no NUL and syslen 0: cut at the width.
        put_str(&mut full, (114, 257), &[b'h'; 257]);
        put_int(&mut full, (112, 2), 0, spec.be);
        let bytes = [rec, full].concat();
        let v = read_bytes(&bytes, fmt, false);
        assert_eq!(s(&v[0].host), "gateway", "{}", fmt.name());
        assert_eq!(s(&v[1].host).len(), 257);
        assert_ne!(v[1].flags & flags::FULL_WIDTH, 0);
        assert_eq!(detect_bytes(&bytes).unwrap(), fmt);
    }
}

/// Both `ut_syslen` conventions: libc's `strlen + 1` and OpenSSH
/// `loginrec.c`'s `strlen` (no NUL counted, so a cut at `syslen - 1` lost
/// the last character of every remote host on a real SPARC utmpx), and 0
/// or a length past the 257-byte field: the whole name each time.
#[test]
fn solaris_syslen_with_and_without_the_nul() {
    let host = b"acs-cseb240-26.ucsd.edu";
    for fmt in [Format::SolarisUtmpx372Le, Format::SolarisUtmpx372Be] {
        let spec = specs().into_iter().find(|s| s.format == fmt).unwrap();
        let full: Vec<u8> = (0..257).map(|i| b'a' + (i % 26) as u8).collect();
        let cases: [(&str, &[u8], i64); 6] = [
            ("strlen", host, host.len() as i64),
            ("strlen + 1", host, host.len() as i64 + 1),
            ("0", host, 0),
            ("past the field", host, 300),
            ("strlen of a full field", &full, 257),
            ("strlen + 1 of a full field", &full, 258),
        ];
        let mut bytes = Vec::new();
        for (i, (_, h, syslen)) in cases.iter().enumerate() {
            let mut rec = write(
                &spec,
                &Rec {
                    ty: Some(7),
                    user: b"dave".to_vec(),
                    line: format!("pts/{i}").into_bytes(),
                    host: h.to_vec(),
                    pid: 100 + i as i64,
                    sec: T0 + i as i64,
                    ..Rec::default()
                },
            );
            put_int(&mut rec, (112, 2), *syslen, spec.be);
            bytes.extend(rec);
        }
        assert_eq!(detect_bytes(&bytes).unwrap(), fmt);
        let v = read_bytes(&bytes, fmt, false);
        assert_eq!(v.len(), cases.len());
        for (e, (what, h, _)) in v.iter().zip(&cases) {
            assert_eq!(e.host.as_bytes(), *h, "{} syslen {what}", fmt.name());
            let full_width = h.len() == 257;
            assert_eq!(e.flags & flags::FULL_WIDTH != 0, full_width, "{what}");
        }
    }
}

/// NetBSD utmpx version 1 (before NetBSD 5) has an unconfirmed layout:
/// refused with a clear message rather than misread.
#[test]
fn netbsd_utmpx_version_1_is_refused() {
    let spec = specs()
        .into_iter()
        .find(|s| s.format == Format::NetbsdUtmpx520Le)
        .unwrap();
    let v1 = Spec {
        sig: Some((b"utmpx-1.00", 10)),
        ..spec
    };
    let (bytes, _) = event_file(&v1, false, false);
    let err = detect_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(err.message.contains("version 1"), "{}", err.message);
}

/// A utx.log spanning many read chunks (and reverse checkpoints), with
/// damage scattered through it: forward and reverse agree record for
/// record, and the damage is flagged on the right records.
#[test]
fn big_utx_log_forward_and_reverse_agree() {
    let spec = futx_spec();
    let mut bytes = Vec::new();
    let mut want = Vec::new();
    let mut damaged = false;
    for i in 0..6000i64 {
        if i % 997 == 13 {
            bytes.push(0); // zero length: skip one byte
            damaged = true;
        }
        if i % 1499 == 7 {
            let mut bad = write(
                &spec,
                &Rec {
                    ty: Some(4),
                    sec: T0,
                    ..Rec::default()
                },
            );
            bad[0] = 200;
            bytes.extend(utx_frame(&bad));
            damaged = true;
        }
        let user = format!("u{i}");
        let r = Rec {
            ty: Some(if i % 2 == 0 { 4 } else { 7 }),
            user: user.clone().into_bytes(),
            line: b"pts/9".to_vec(),
            id: (i as u64).to_be_bytes().to_vec(),
            pid: i,
            sec: T0 + i,
            usec: i % 1_000_000,
            ..Rec::default()
        };
        let off = bytes.len() as u64;
        bytes.extend(utx_frame(&write(&spec, &r)));
        want.push((off, T0 + i, std::mem::take(&mut damaged)));
    }
    assert!(bytes.len() > 4 * 64 * 1024);
    let fwd = read_bytes(&bytes, Format::FreebsdUtxLog, false);
    let got: Vec<_> = fwd
        .iter()
        .map(|e| (e.offset, e.sec, e.flags & flags::RECOVERED != 0))
        .collect();
    assert_eq!(got, want);
    let rev = read_bytes(&bytes, Format::FreebsdUtxLog, true);
    assert_eq!(rev.len(), want.len());
    for (k, e) in rev.iter().enumerate() {
        // Newest first: the flag sits on the record read right after the
        // skipped bytes, i.e. the one before them in the file.
        let i = want.len() - 1 - k;
        let flagged = want.get(i + 1).is_some_and(|w| w.2);
        assert_eq!((e.offset, e.sec), (want[i].0, want[i].1), "at {k}");
        assert_eq!(e.flags & flags::RECOVERED != 0, flagged, "at {k}");
    }
    assert_eq!(detect_bytes(&bytes).unwrap(), Format::FreebsdUtxLog);
}
