//! Detection says "no" (issue 9): files that are not login files are
//! refused, and every login file is still detected as exactly its format.
//!
//! The files that are not login files: this machine's `/etc`,
//! `/usr/share/doc` (text, HTML, gzipped changelogs) and `/usr/bin`
//! (executables, scripts), each file opened by path as a user would
//! (gzip decompressed, so the text inside is judged too), plus generated
//! data: random bytes at every record size, text, UTF-16 text, tables of
//! little integers, records of printable junk and sparse-looking blocks.
//! Login files: the shared corpus and the generated files of every format.
//! Both numbers are printed (`cargo test -- --nocapture detect_refuses`).

use std::path::{Path, PathBuf};

use crate::helpers::{corpus_root, detect_bytes};
use utx::{ErrorKind, Format, Options, Reader};

/// Files taken from each directory of this machine, and the largest
/// compressed file opened (it is decompressed whole).
const PER_DIR: usize = 250;
const MAX_GZ: u64 = 256 * 1024;

/// Regular, readable, non-empty files under `dir`, sorted, at most `max`,
/// spread over the whole tree (every k-th file).
fn files_under(dir: &Path, max: usize) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(p);
            } else if let Ok(m) = std::fs::metadata(&p) {
                let gz_too_big = p.extension().is_some_and(|x| x == "gz") && m.len() > MAX_GZ;
                if m.is_file() && m.len() > 0 && !gz_too_big && std::fs::File::open(&p).is_ok() {
                    all.push(p);
                }
            }
        }
    }
    all.sort();
    all.dedup();
    let step = all.len().div_ceil(max.max(1)).max(1);
    all.into_iter().step_by(step).collect()
}

/// The first `CAP` bytes of a file.
fn read_capped(p: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    const CAP: u64 = 128 * 1024;
    let mut v = Vec::new();
    std::fs::File::open(p)
        .ok()?
        .take(CAP)
        .read_to_end(&mut v)
        .ok()?;
    Some(v)
}

/// A deterministic byte generator (xorshift).
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }

    fn fill(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next()).collect()
    }
}

/// Generated data that is not login records.
fn generated_non_login() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut g = Bytes(0x2545_f491_4f6c_dd1d);
    let sizes: Vec<usize> = Format::all()
        .filter_map(|f| f.layout().map(|l| l.size))
        .collect();
    for &rec in &sizes {
        for n in [1usize, 3, 20] {
            out.push((format!("random {n}x{rec}"), g.fill(rec * n)));
        }
        // Printable junk with NULs sprinkled in, record-sized.
        let junk: Vec<u8> = (0..rec * 8)
            .map(|i| if i % 11 == 0 { 0 } else { b'!' + g.next() % 90 })
            .collect();
        out.push((format!("printable junk 8x{rec}"), junk));
        // Mostly zeros with random words: a sparse-looking binary.
        let mut sparse = vec![0u8; rec * 16];
        for i in (0..sparse.len()).step_by(97) {
            sparse[i] = g.next() | 1;
        }
        out.push((format!("zeros and noise 16x{rec}"), sparse));
    }
    let text: Vec<u8> = (0..2000)
        .flat_map(|i| format!("line {i}: the quick brown fox {}\n", i * 7).into_bytes())
        .collect();
    out.push(("ascii text".into(), text.clone()));
    let utf16: Vec<u8> = text.iter().flat_map(|&b| [b, 0]).collect();
    out.push(("utf-16le text".into(), utf16));
    let csv: Vec<u8> = (0..3000)
        .flat_map(|i| format!("{i},{},{}\r\n", i * 3, i % 7).into_bytes())
        .collect();
    out.push(("csv".into(), csv));
    // Tables of little-endian integers (counters, offsets).
    for width in [2usize, 4, 8] {
        let t: Vec<u8> = (0..4096u64)
            .flat_map(|i| (i * 37).to_le_bytes()[..width].to_vec())
            .collect();
        out.push((format!("u{} table", width * 8), t));
    }
    // JSON lines of login-like data: text, not records.
    let json: Vec<u8> = (0..300)
        .flat_map(|i| {
            format!(
                "{{\"user\":\"u{i}\",\"line\":\"pts/{i}\",\"time\":{}}}\n",
                1_700_000_000 + i
            )
            .into_bytes()
        })
        .collect();
    out.push(("json lines".into(), json));
    out
}

fn refused(r: Result<Reader, utx::Error>) -> Result<(), String> {
    match r {
        Err(e) if e.kind == ErrorKind::NotRecognised => Ok(()),
        Err(e) => Err(format!("refused, but as {:?}: {}", e.kind, e.message)),
        Ok(r) => Err(format!("read as {}", r.format().name())),
    }
}

#[test]
fn non_login_files_are_refused_and_login_files_detected() {
    let mut wrong = Vec::new();
    let mut refused_n = 0;
    for dir in ["/etc", "/usr/share/doc", "/usr/bin"] {
        for p in files_under(Path::new(dir), PER_DIR) {
            match refused(Reader::open(&p, Options::default())) {
                Ok(()) => refused_n += 1,
                // A file that vanished or is unreadable after listing.
                Err(m) if m.contains("NotFound") || m.contains("Permission") => {}
                Err(m) => wrong.push(format!("{}: {m}", p.display())),
            }
            // Executables again without their magic number, so their
            // bytes are judged as records (at most CAP bytes read).
            if dir == "/usr/bin" {
                let Some(bytes) = read_capped(&p) else {
                    continue;
                };
                if bytes.len() > 64 && bytes.starts_with(b"\x7fELF") {
                    match refused(Reader::from_bytes(&bytes[64..], Options::default())) {
                        Ok(()) => refused_n += 1,
                        Err(m) => wrong.push(format!("{} without its header: {m}", p.display())),
                    }
                }
            }
        }
    }
    for (name, bytes) in generated_non_login() {
        match refused(Reader::from_bytes(&bytes, Options::default())) {
            Ok(()) => refused_n += 1,
            Err(m) => wrong.push(format!("generated {name}: {m}")),
        }
    }
    // Login files: the corpus (where present) and every generated one.
    let mut detected = 0;
    if let Some(c) = corpus_root() {
        for (path, want) in crate::formats_detect::EXPECTED {
            if want.starts_with("ERR:") {
                continue;
            }
            match Reader::open(c.join(path), Options::default()) {
                Ok(r) if r.format().name() == *want => detected += 1,
                Ok(r) => wrong.push(format!("{path}: {} not {want}", r.format().name())),
                Err(e) => wrong.push(format!("{path}: {}", e.message)),
            }
        }
    }
    for (want, bytes) in crate::formats_generated::generated_files() {
        match detect_bytes(&bytes) {
            Ok(f) if f == want => detected += 1,
            got => wrong.push(format!("generated {}: {got:?}", want.name())),
        }
    }
    println!(
        "detection: {refused_n} files that are not login files refused, {detected} login files detected as their format, {} wrong",
        wrong.len()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(refused_n >= 300, "only {refused_n} non-login files found");
    assert!(detected >= 100, "only {detected} login files");
}

/// A file whose size says 0 but which has content (procfs) is decided
/// from what a read returns: /proc/self/maps is text, refused, not an
/// empty Linux utmp (issue 10 #10). An empty file is still this host's
/// empty utmp.
#[test]
fn procfs_text_is_refused_not_read_as_empty() {
    let maps = Path::new("/proc/self/maps");
    if !maps.exists() {
        eprintln!("SKIP: no /proc/self/maps here");
        return;
    }
    assert_eq!(std::fs::metadata(maps).unwrap().len(), 0);
    refused(Reader::open(maps, Options::default())).unwrap();
    let empty = crate::helpers::Scratch::new("empty");
    let r = Reader::open(empty.write("utmp", b""), Options::default()).unwrap();
    assert_eq!(r.format(), utx::format::detect::native_format());
}

/// A Linux lastlog record: u32 time, line[32], host[256].
fn lastlog292(sec: u32, line: &[u8], host: &[u8]) -> Vec<u8> {
    let mut r = vec![0u8; 292];
    r[..4].copy_from_slice(&sec.to_le_bytes());
    r[4..4 + line.len()].copy_from_slice(line);
    r[36..36 + host.len()].copy_from_slice(host);
    r
}

/// A machine without a battery-backed clock logs in "in 1970" (seconds
/// since boot). When 292 is the only record size that divides the file
/// size, such a lastlog is read; when another size divides it too, the
/// small time is no evidence and the file is refused.
#[test]
fn rtc_less_lastlog_with_1970_times() {
    let mut bytes = vec![0u8; 292 * 3];
    bytes[292 * 2..].copy_from_slice(&lastlog292(35, b"ttyS0", b""));
    assert_eq!(detect_bytes(&bytes).unwrap(), Format::Lastlog292Le);
    let v = crate::helpers::read_bytes(&bytes, Format::Auto, false);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].uid, v[0].sec, v[0].line.as_bytes()),
        (2, 35, &b"ttyS0"[..])
    );
    // 7 × 292 = 73 × 28: the 28-byte lastlog divides it too.
    let mut shared = vec![0u8; 292 * 7];
    shared[292 * 6..].copy_from_slice(&lastlog292(35, b"ttyS0", b""));
    assert_eq!(
        detect_bytes(&shared).unwrap_err().kind,
        ErrorKind::NotRecognised
    );
    // The same login at a real time is read whatever the size.
    shared[292 * 6..].copy_from_slice(&lastlog292(1_700_000_000, b"ttyS0", b""));
    assert_eq!(detect_bytes(&shared).unwrap(), Format::Lastlog292Le);
}

/// A historic V7 utmp (20-byte records: line[8], name[8], time) of 60
/// bytes is no 60-byte HP-UX record.
#[test]
fn v7_utmp_is_not_hpux() {
    let mut bytes = Vec::new();
    for (line, name, t) in [
        (&b"console"[..], &b"root"[..], 300_000_000i32),
        (b"tty0", b"dmr", 300_000_100),
        (b"tty1", b"", 300_000_200),
    ] {
        let mut r = vec![0u8; 20];
        r[..line.len()].copy_from_slice(line);
        r[8..8 + name.len()].copy_from_slice(name);
        r[16..].copy_from_slice(&t.to_le_bytes());
        bytes.extend(r);
    }
    assert_eq!(bytes.len(), 60);
    assert_eq!(
        detect_bytes(&bytes).unwrap_err().kind,
        ErrorKind::NotRecognised
    );
}

/// Detection reads a bounded sample whatever the size: zeros (sparse, or
/// written) are decided in well under 100 ms, and a sparse lastlog whose
/// logins are far apart is found by its data extents and its tail.
#[test]
fn detection_time_is_bounded() {
    let dir = crate::helpers::Scratch::new("bounded");
    let sparse = dir.join("sparse-zeros");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(256 << 20)
        .unwrap();
    let written = dir.write("zeros", &vec![0u8; 32 << 20]);
    for p in [&sparse, &written] {
        let t = std::time::Instant::now();
        let r = Reader::open(p, Options::default());
        let took = t.elapsed();
        // 2^28 and 2^25 bytes are no whole number of utmp records.
        assert_eq!(r.err().map(|e| e.kind), Some(ErrorKind::NotRecognised));
        assert!(took.as_millis() < 100, "{}: {took:?}", p.display());
    }
    let ll = dir.join("lastlog");
    {
        use std::os::unix::fs::FileExt;
        let f = std::fs::File::create(&ll).unwrap();
        for (uid, t) in [(1000u64, 1_700_000_000u32), (60_000, 1_700_000_100)] {
            f.write_all_at(&lastlog292(t, b"pts/0", b"10.0.0.1"), uid * 292)
                .unwrap();
        }
    }
    let t = std::time::Instant::now();
    let r = Reader::open(&ll, Options::default()).unwrap();
    assert!(t.elapsed().as_millis() < 100);
    assert_eq!(r.format(), Format::Lastlog292Le);
    let uids: Vec<i64> = r.map(|e| e.unwrap().uid).collect();
    assert_eq!(uids, [1000, 60_000]);
}
