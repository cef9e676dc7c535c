//! The writer: round trips through every writable layout in both byte
//! orders, byte-identical re-encoding of the corpus, and bad input.

use std::fs;
use std::path::{Path, PathBuf};

use utx::entry::{AddrFamily, StrField};
use utx::format::layout::Kind;
use utx::write::{self, cut, Mode};
use utx::{Entry, EntryType, ErrorKind, Format, WriteOptions, Writer};

use crate::helpers::{corpus_root, Scratch};

/// Deterministic noise (xorshift).
fn noise(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// A random entry whose every field fits `layout` (strings within their
/// widths, numbers within their ranges), of a type the layout can hold.
fn fitting_entry(format: Format, seed: &mut u64) -> Option<Entry> {
    let l = format.layout()?;
    let mut e = Entry::default();
    let types: Vec<EntryType> = EntryType::ALL
        .into_iter()
        .filter(|&t| {
            let probe = Entry {
                entry_type: t,
                ..Entry::default()
            };
            let mut rec = vec![0; l.size];
            write::encode_into(l, &probe, &mut rec) & cut::TYPE == 0
                && l.decode(&rec, 0, &mut Entry::default())
        })
        .collect();
    e.entry_type = types[noise(seed) as usize % types.len()];
    let syslen = l.host_len != utx::format::layout::Int::Absent;
    let text = |width: Option<(usize, usize)>, seed: &mut u64| -> Vec<u8> {
        let w = width.map_or(0, |(_, n)| n);
        // Solaris keeps a byte of the host for its NUL (ut_syslen).
        let w = if syslen && width == l.host { w - 1 } else { w };
        let n = (noise(seed) as usize) % (w + 1);
        (0..n).map(|_| b'a' + (noise(seed) % 26) as u8).collect()
    };
    for (f, at) in [
        (StrField::User, l.user),
        (StrField::Line, l.line),
        (StrField::Id, l.id),
        (StrField::Host, l.host),
    ] {
        let t = text(at, seed);
        e.set_str(f, &t);
    }
    // The BSD layouts without a type field tell the type by the strings.
    if l.raw_type == utx::format::layout::Int::Absent {
        e.entry_type = (l.classify)(-1, &e).unwrap();
    }
    e.sec = 1_000_000_000 + (noise(seed) % 1_000_000_000) as i64;
    e.usec = (noise(seed) % 1_000_000) as i32;
    e.pid = (noise(seed) % 30000) as i64 + 1;
    e.session = (noise(seed) % 30000) as i64;
    e.exit_termination = (noise(seed) % 100) as i32;
    e.exit_status = (noise(seed) % 100) as i32;
    match noise(seed) % 3 {
        0 => e.set_ipv4((noise(seed) as u32 | 1).to_be_bytes()),
        1 => {
            let mut a = [0u8; 16];
            a[..8].copy_from_slice(&noise(seed).to_be_bytes());
            a[8..].copy_from_slice(&(noise(seed) | 1).to_be_bytes());
            e.set_addr_v6_bytes(&a);
        }
        _ => {}
    }
    if l.kind == Kind::LastLog {
        e.uid = (noise(seed) % 5000) as i64;
    }
    Some(e)
}

/// The fields `layout` holds, as the decoder reports them.
fn view(e: &Entry) -> String {
    format!(
        "{:?} u={:?} l={:?} i={:?} h={:?} pid={} ses={} exit={}/{} t={}.{} a={:?}{:?}",
        e.entry_type,
        e.user.as_bytes(),
        e.line.as_bytes(),
        e.id.as_bytes(),
        e.host.as_bytes(),
        e.pid,
        e.session,
        e.exit_termination,
        e.exit_status,
        e.sec,
        e.usec,
        e.addr_family,
        e.addr
    )
}

/// Every fixed-size layout is writable; decode(encode(e)) gives back
/// every field the layout has, for 300 random entries that fit, in each
/// layout (both byte orders where the format has both).
#[test]
fn round_trip_every_layout() {
    let mut seed = 0x5eed_u64;
    let mut layouts = 0;
    for format in Format::all() {
        let Some(l) = format.layout() else { continue };
        layouts += 1;
        let mut rec = vec![0u8; l.size];
        let mut tried = 0;
        for _ in 0..300 {
            let e = fitting_entry(format, &mut seed).unwrap();
            let cuts = write::encode_into(l, &e, &mut rec);
            if cuts & cut::TYPE != 0 {
                continue; // untyped BSD records: strings decide the type
            }
            tried += 1;
            let mut back = Entry::default();
            assert!(
                l.decode(&rec, 0, &mut back),
                "{}: {}",
                format.name(),
                view(&e)
            );
            // Compare what the layout keeps: fields it lacks read as unknown.
            let mut want = e.clone();
            let mut probe = Entry::default();
            l.decode(&vec![0u8; l.size], 0, &mut probe);
            if l.user.is_none() {
                want.user.clear();
            }
            if l.id.is_none() {
                want.id.clear();
            }
            if l.pid == utx::format::layout::Int::Absent {
                want.pid = -1;
            }
            if l.session == utx::format::layout::Int::Absent {
                want.session = -1;
            }
            if l.exit_termination == utx::format::layout::Int::Absent {
                want.exit_termination = -1;
                want.exit_status = -1;
            }
            if cuts & cut::USEC != 0 {
                want.usec = 0;
            }
            if l.addr == utx::format::layout::Addr::Absent || (cuts & cut::ADDR != 0) {
                want.addr_family = AddrFamily::None;
                want.addr = [0; 16];
            }
            let last_login = l.format == Format::FreebsdUtxLastlogin
                && want.entry_type == EntryType::UserProcess;
            if l.kind == Kind::LastLog || last_login {
                want.entry_type = EntryType::LastLogin;
            }
            assert_eq!(cuts & !(cut::USEC | cut::ADDR), 0, "{}", format.name());
            assert_eq!(view(&back), view(&want), "{}", format.name());
            // Re-encoding the decoded record gives the same bytes.
            let mut again = vec![0u8; l.size];
            write::encode_into(l, &back, &mut again);
            assert_eq!(again, rec, "{}: re-encode", format.name());
        }
        assert!(tried >= 100, "{}: only {tried} entries fit", format.name());
    }
    assert_eq!(layouts, Format::all().filter_map(|f| f.layout()).count());
    assert!(layouts >= 40, "{layouts}");
}

/// Strings longer than a field are cut as strncpy cuts them, and
/// reported; numbers that do not fit are reported.
#[test]
fn cuts_are_reported() {
    let mut e = Entry {
        entry_type: EntryType::UserProcess,
        sec: -5,
        ..Entry::default()
    };
    e.set_str(StrField::User, &[b'u'; 40]);
    e.set_str(StrField::Line, b"pts/1");
    e.set_str(StrField::Host, &[b'h'; 300]);
    let mut buf = [0u8; 400];
    let (n, cuts) = write::encode(&e, Format::Glibc384Le, &mut buf).unwrap();
    assert_eq!(n, 384);
    assert_eq!(cuts, cut::USER | cut::HOST | cut::TIME);
    assert_eq!(&buf[44..76], &[b'u'; 32]);
    assert_eq!(&buf[76..332], &[b'h'; 256][..]);
    // i64 time in layout B keeps the negative seconds.
    let (_, cuts) = write::encode(&e, Format::Glibc400Le, &mut buf).unwrap();
    assert_eq!(cuts, cut::USER | cut::HOST);
    assert_eq!(
        write::encode(&e, Format::Glibc384Le, &mut buf[..100])
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        write::encode(&e, Format::Wtmpdb, &mut buf)
            .unwrap_err()
            .kind,
        ErrorKind::Unsupported
    );
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for ent in rd.flatten() {
        let p = ent.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// Zero the bytes a format leaves undefined: a string field's bytes after
/// its first NUL (writers that do not use strncpy leave stale bytes
/// there), the padding ranges of the layout, and NetBSD utmpx's 4 bytes
/// after the 32-bit `tv_usec` (alignment of `struct timeval`; NetBSD 9
/// leaves stale bytes there). Not undefined but not kept by an entry: a
/// BSD `sockaddr`'s port (and IPv6 flow label and scope).
fn mask(l: &utx::format::layout::RecordLayout, rec: &mut [u8]) {
    if let utx::format::layout::Addr::SockaddrBsd(o) = l.addr {
        rec[o + 2..o + 4].fill(0);
        if rec[o + 1] != 2 {
            rec[o + 4..o + 8].fill(0);
            rec[o + 24..o + 28].fill(0);
        }
    }
    if matches!(
        l.format,
        Format::NetbsdUtmpx520Le | Format::NetbsdUtmpx520Be
    ) {
        rec[476..480].fill(0);
    }
    for (off, len) in [l.user, l.line, l.id, l.host].into_iter().flatten() {
        if let Some(nul) = rec[off..off + len].iter().position(|&b| b == 0) {
            rec[off + nul..off + len].fill(0);
        }
    }
    for &(off, len) in l.padding {
        rec[off..off + len].fill(0);
    }
}

/// Every corpus file of a fixed-size layout whose records all decode is
/// re-encoded record by record to the same bytes, apart from the bytes
/// `mask` names.
#[test]
fn corpus_files_re_encode_byte_identical() {
    let Some(root) = corpus_root() else { return };
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let (mut checked, mut records) = (0, 0);
    let mut formats = std::collections::BTreeSet::new();
    for path in files {
        // Real systems' files only: the synthetic Solaris file leaves
        // ut_syslen 0, which no Solaris writer does.
        if path.to_string_lossy().contains("synthetic") {
            continue;
        }
        let Ok(bytes) = fs::read(&path) else { continue };
        if bytes.is_empty() || bytes.len() > 64 << 20 {
            continue;
        }
        let Ok(r) = utx::Reader::open(&path, utx::Options::default()) else {
            continue;
        };
        let Some(l) = r.format().layout() else {
            continue;
        };
        if bytes.len() % l.size != 0 {
            continue;
        }
        let mut e = Entry::default();
        let all_decode = bytes
            .chunks_exact(l.size)
            .enumerate()
            .all(|(i, rec)| l.decode(rec, (i * l.size) as u64, &mut e));
        if !all_decode {
            continue;
        }
        let mut out = vec![0u8; l.size];
        for (i, rec) in bytes.chunks_exact(l.size).enumerate() {
            l.decode(rec, (i * l.size) as u64, &mut e);
            write::encode_into(l, &e, &mut out);
            let mut want = rec.to_vec();
            mask(l, &mut want);
            mask(l, &mut out);
            assert_eq!(
                out,
                want,
                "{} record {i} ({})",
                path.display(),
                l.format.name()
            );
            records += 1;
        }
        formats.insert(l.format.name());
        checked += 1;
    }
    eprintln!("re-encoded {checked} corpus files, {records} records: {formats:?}");
    assert!(checked >= 5, "{checked}");
}

fn login(line: &[u8], id: &[u8], user: &[u8], sec: i64) -> Entry {
    let mut e = Entry {
        entry_type: EntryType::UserProcess,
        pid: 100,
        sec,
        ..Entry::default()
    };
    e.set_str(StrField::Line, line);
    e.set_str(StrField::Id, id);
    e.set_str(StrField::User, user);
    e
}

fn open(path: &Path, format: Format, mode: Option<Mode>) -> utx::Result<Writer> {
    Writer::open(
        path,
        WriteOptions {
            format,
            mode,
            create: true,
            ..WriteOptions::default()
        },
    )
}

/// A log whose size is not a whole number of records: the next record
/// replaces the torn tail (at the size rounded down), as glibc's updwtmp
/// and FreeBSD's utxdb do; every earlier byte is kept.
#[test]
fn log_rounds_a_torn_tail_down() {
    let s = Scratch::new("write-torn");
    let path = s.join("wtmp");
    let mut w = open(&path, Format::Glibc384Le, None).unwrap();
    assert_eq!(w.mode(), Mode::Log);
    w.put(&login(b"pts/1", b"ts/1", b"alice", 1_700_000_000))
        .unwrap();
    drop(w);
    let first = fs::read(&path).unwrap();
    let mut torn = first.clone();
    torn.extend_from_slice(&[0xee; 100]);
    fs::write(&path, &torn).unwrap();
    let mut w = open(&path, Format::Auto, None).unwrap();
    assert_eq!(w.format(), Format::Glibc384Le);
    w.put(&login(b"pts/2", b"ts/2", b"bob", 1_700_000_100))
        .unwrap();
    let after = fs::read(&path).unwrap();
    assert_eq!(after.len(), 768);
    assert_eq!(&after[..384], &first[..]);
    let users: Vec<String> = crate::helpers::entries(&path)
        .iter()
        .map(|e| e.user.to_string_lossy())
        .collect();
    assert_eq!(users, ["alice", "bob"]);
}

/// Slots: a record with the same id replaces its slot, a BOOT_TIME
/// replaces the BOOT_TIME, others are appended; a lastlog writes uid × size.
#[test]
fn slots_and_lastlog() {
    // Plausible times: detection does not take 1970 times as evidence.
    const T: i64 = 1_700_000_000;
    let s = Scratch::new("write-slots");
    let path = s.join("utmp");
    let mut w = open(&path, Format::Glibc400Le, Some(Mode::Slots)).unwrap();
    let mut boot = login(b"~", b"~~", b"reboot", T + 1);
    boot.entry_type = EntryType::BootTime;
    w.put(&boot).unwrap();
    w.put(&login(b"pts/1", b"ts/1", b"alice", T + 2)).unwrap();
    w.put(&login(b"pts/2", b"ts/2", b"bob", T + 3)).unwrap();
    let mut dead = login(b"pts/1", b"ts/1", b"", T + 4);
    dead.entry_type = EntryType::DeadProcess;
    w.put(&dead).unwrap();
    boot.sec = T + 5;
    w.put(&boot).unwrap();
    let got: Vec<(EntryType, String, i64)> = crate::helpers::entries(&path)
        .iter()
        .map(|e| (e.entry_type, e.user.to_string_lossy(), e.sec))
        .collect();
    assert_eq!(
        got,
        [
            (EntryType::BootTime, "reboot".to_string(), T + 5),
            (EntryType::DeadProcess, String::new(), T + 4),
            (EntryType::UserProcess, "bob".to_string(), T + 3),
        ]
    );
    let ll = s.join("lastlog");
    let mut w = open(&ll, Format::Lastlog292Le, None).unwrap();
    assert_eq!(w.mode(), Mode::LastLog);
    let mut e = login(b"pts/9", b"", b"", 1_700_000_000);
    e.uid = 1000;
    w.put(&e).unwrap();
    assert_eq!(fs::metadata(&ll).unwrap().len(), 1001 * 292);
    let entries = crate::helpers::entries(&ll);
    let last = entries.iter().find(|e| e.uid == 1000).unwrap();
    assert_eq!(
        (last.line.as_bytes(), last.sec),
        (&b"pts/9"[..], 1_700_000_000)
    );
    // A slot mode for a lastlog layout is refused.
    let err = open(&ll, Format::Lastlog292Le, Some(Mode::Slots)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
}

/// `put_slot_from`: glibc's `pututxline` searches from its cursor, so a
/// match before `from` is not reused (the record is appended) and a match
/// at or after it is; the offset written is returned.
#[test]
fn slot_search_starts_at_the_cursor() {
    const T: i64 = 1_700_000_000;
    let s = Scratch::new("write-slot-from");
    let path = s.join("utmp");
    let mut w = open(&path, Format::Glibc384Le, Some(Mode::Slots)).unwrap();
    w.put(&login(b"pts/1", b"ts/1", b"alice", T)).unwrap();
    w.put(&login(b"pts/2", b"ts/2", b"bob", T + 1)).unwrap();
    // From record 1: alice's slot (record 0) is behind the cursor.
    let r = w.put_slot_from(&login(b"pts/1", b"ts/1", b"carol", T + 2), 384);
    assert_eq!(r.unwrap(), (0, 768, false));
    // From record 0: bob's slot (record 1) is found.
    let r = w.put_slot_from(&login(b"pts/2", b"ts/2", b"dave", T + 3), 0);
    assert_eq!(r.unwrap(), (0, 384, true));
    let users: Vec<String> = crate::helpers::entries(&path)
        .iter()
        .map(|e| e.user.to_string_lossy())
        .collect();
    assert_eq!(users, ["alice", "dave", "carol"]);
    // Only in slots mode.
    let mut log = open(&s.join("wtmp"), Format::Glibc384Le, None).unwrap();
    let err = log.put_slot_from(&login(b"pts/1", b"ts/1", b"x", T), 0);
    assert_eq!(err.unwrap_err().kind, ErrorKind::InvalidArgument);
}

/// wtmpdb and lastlog2 written as libwtmpdb and liblastlog2 write them:
/// the sqlite3 CLI reads the rows with the upstream tools' queries, and
/// utx's readers read them as entries.
#[cfg(feature = "sqlite")]
#[test]
fn wtmpdb_and_lastlog2_rows() {
    use utx::write::sqlite;
    let s = Scratch::new("write-sqlite");
    let db = s.join("wtmp.db");
    let mut e = login(b"pts/4", b"", b"carol", 1_700_000_000);
    e.usec = 250_000;
    e.set_str(StrField::Host, b"192.0.2.4");
    e.set_str(StrField::Service, b"sshd");
    let id = sqlite::wtmpdb_login(&db, &e).unwrap();
    let mut boot = login(b"~", b"", b"reboot", 1_699_999_000);
    boot.entry_type = EntryType::BootTime;
    boot.set_str(StrField::Host, b"6.1.0");
    let boot_id = sqlite::wtmpdb_login(&db, &boot).unwrap();
    assert_ne!(id, boot_id);
    sqlite::wtmpdb_logout(&db, id, 1_700_003_600, 0).unwrap();
    assert_eq!(
        sqlite::wtmpdb_logout(&db, 999, 1, 0).unwrap_err().kind,
        ErrorKind::NotFound
    );
    let mut dead = e.clone();
    dead.entry_type = EntryType::DeadProcess;
    assert_eq!(
        sqlite::wtmpdb_login(&db, &dead).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    let got: Vec<(EntryType, String, String, String, i64, i32)> = crate::helpers::entries(&db)
        .iter()
        .map(|e| {
            (
                e.entry_type,
                e.user.to_string_lossy(),
                e.line.to_string_lossy(),
                e.service.to_string_lossy(),
                e.sec,
                e.usec,
            )
        })
        .collect();
    let row = |t, u: &str, l: &str, sv: &str, sec, usec| {
        (t, u.to_string(), l.to_string(), sv.to_string(), sec, usec)
    };
    assert_eq!(
        got,
        [
            row(EntryType::BootTime, "reboot", "~", "", 1_699_999_000, 0),
            row(
                EntryType::UserProcess,
                "carol",
                "pts/4",
                "sshd",
                1_700_000_000,
                250_000
            ),
            row(
                EntryType::DeadProcess,
                "carol",
                "pts/4",
                "sshd",
                1_700_003_600,
                0
            ),
        ]
    );
    let ll2 = s.join("lastlog2.db");
    sqlite::lastlog2_update(&ll2, &e).unwrap();
    e.sec += 10;
    sqlite::lastlog2_update(&ll2, &e).unwrap();
    let rows = crate::helpers::entries(&ll2);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].user.as_bytes(), rows[0].sec),
        (&b"carol"[..], 1_700_000_010)
    );
    if let Some(cli) = crate::helpers::sqlite3_cli() {
        // wtmpdb's `last` query and lastlog2's ll2_read_entry query.
        let q = |db: &Path, sql: &str| {
            let out = std::process::Command::new(&cli)
                .arg(db)
                .arg(sql)
                .output()
                .unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        };
        assert_eq!(
            q(&db, "SELECT * FROM wtmp ORDER BY Login DESC, Logout ASC"),
            format!(
                "{id}|3|carol|1700000000250000|1700003600000000|pts/4|192.0.2.4|sshd\n\
                 {boot_id}|1|reboot|1699999000000000||~|6.1.0|\n"
            )
        );
        assert_eq!(
            q(
                &ll2,
                "SELECT Time, TTY, RemoteHost, Service FROM Lastlog2 WHERE Name = 'carol'"
            ),
            "1700000010|pts/4|192.0.2.4|sshd\n"
        );
    } else {
        eprintln!("SKIP: sqlite3 CLI absent: upstream queries not run");
    }
}
