//! `Reader::seek_time` on 384-byte Linux records against a full scan, on
//! ordered and disordered files, forward and reverse, with and without a
//! trailing partial record.

use utx::{Format, Options, Reader};

/// One 384-byte little-endian glibc record: USER_PROCESS at `sec`.
fn record(i: usize, sec: u32) -> Vec<u8> {
    let mut r = vec![0u8; 384];
    r[0..2].copy_from_slice(&7i16.to_le_bytes());
    r[4..8].copy_from_slice(&(1000 + i as i32).to_le_bytes());
    let line = format!("pts/{}", i % 50);
    r[8..8 + line.len()].copy_from_slice(line.as_bytes());
    r[44..45].copy_from_slice(b"u");
    r[340..344].copy_from_slice(&sec.to_le_bytes());
    r
}

fn file(times: &[u32], partial: bool) -> Vec<u8> {
    let mut v: Vec<u8> = times
        .iter()
        .enumerate()
        .flat_map(|(i, &t)| record(i, t))
        .collect();
    if partial {
        v.extend_from_slice(&[7, 0, 0]);
    }
    v
}

fn open(bytes: &[u8], reverse: bool) -> Reader {
    Reader::from_bytes(
        bytes,
        Options {
            format: Format::Glibc384Le,
            reverse,
            ..Options::default()
        },
    )
    .unwrap()
}

/// Offsets of the entries a reader hands out after seeking to `t`.
fn after_seek(bytes: &[u8], reverse: bool, t: i64) -> Vec<u64> {
    let mut r = open(bytes, reverse);
    r.seek_time(t).unwrap();
    r.map(|e| e.unwrap())
        .filter(|e| e.flags & 4 == 0)
        .map(|e| e.offset)
        .collect()
}

/// What a scan gives: from the first entry with time >= t onward, or
/// (reverse) from the last entry with time <= t backward.
fn by_scan(times: &[u32], reverse: bool, t: i64) -> Vec<u64> {
    let n = times.len();
    let idx: Vec<usize> = if reverse {
        match times.iter().rposition(|&x| x as i64 <= t) {
            Some(q) => (0..=q).rev().collect(),
            None => vec![],
        }
    } else {
        let p = times.iter().position(|&x| x as i64 >= t).unwrap_or(n);
        (p..n).collect()
    };
    idx.into_iter().map(|i| i as u64 * 384).collect()
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

fn ordered(rng: &mut Rng, n: usize) -> Vec<u32> {
    let mut t = 1_400_000_000u32;
    (0..n)
        .map(|_| {
            t += rng.below(5) as u32;
            t
        })
        .collect()
}

#[test]
fn ordered_files_match_a_scan_both_ways() {
    let mut rng = Rng(1);
    // 682 records per 256 KiB chunk: sizes around chunk edges.
    for n in [0usize, 1, 2, 681, 682, 683, 1364, 3000] {
        let times = ordered(&mut rng, n);
        for partial in [false, true] {
            let bytes = file(&times, partial);
            for _ in 0..12 {
                let t = 1_400_000_000 - 2 + rng.below(n as u64 * 5 + 4) as i64;
                for reverse in [false, true] {
                    assert_eq!(
                        after_seek(&bytes, reverse, t),
                        by_scan(&times, reverse, t),
                        "n={n} partial={partial} reverse={reverse} t={t}"
                    );
                }
            }
        }
    }
}

#[test]
fn disorder_near_the_target_falls_back_to_the_scan_answer() {
    // A clock excursion (times a day ahead, then corrected) within the
    // chunk of the answer or the one before: seen, and the answer is the
    // scan's, both ways.
    let mut rng = Rng(99);
    let k = 682usize;
    for round in 0..30 {
        let n = 700 + rng.below(3000) as usize;
        let mut times = ordered(&mut rng, n);
        let t = times[rng.below(n as u64) as usize] as i64;
        let c = times.iter().position(|&x| x as i64 >= t).unwrap() / k;
        let lo = c.saturating_sub(1) * k;
        let hi = ((c + 1) * k).min(n);
        let at = lo + rng.below((hi - lo) as u64) as usize;
        let end = at + 1 + rng.below((hi - at) as u64) as usize;
        for x in &mut times[at..end] {
            *x += 86_400;
        }
        let bytes = file(&times, false);
        for reverse in [false, true] {
            let got = after_seek(&bytes, reverse, t);
            let want = by_scan(&times, reverse, t);
            assert_eq!(
                got.first(),
                want.first(),
                "round {round} n={n} at={at} end={end} c={c} t={t} reverse={reverse} times[at-1..at+1]={:?} end-1..end+1={:?}",
                &times[at - 1..at + 1],
                &times[end - 1..(end + 1).min(n)]
            );
            assert_eq!(got, want);
        }
    }
}

#[test]
fn bisection_reads_few_chunks() {
    let mut rng = Rng(5);
    let times = ordered(&mut rng, 682 * 200 + 17);
    let bytes = file(&times, false);
    let mut r = open(&bytes, false);
    let mid = times[times.len() / 2] as i64;
    r.seek_time(mid).unwrap();
    let before = r.chunks_read();
    assert!(before <= 12, "{before} chunks to seek in 201 chunks");
    let e = r.next().unwrap().unwrap();
    assert!(e.sec >= mid);
}
