//! Seeking to a time by bisection over chunks of fixed-size records.
//!
//! wtmp is appended in time order, with exceptions (clock changes, late
//! records). Bisection assumes the order and checks it where it looks:
//! every chunk it reads must be non-decreasing in time, the chunks it
//! probed must agree with each other, the chunks on both sides of the
//! answer are read too, and the one before must fall wholly before it. When any check fails, it scans
//! linearly from the start instead, which is exact on any file.
//!
//! Limit: disorder that lies wholly inside chunks the bisection never
//! reads (a clock step far from every probe) is not seen; a later
//! since/until filter on the reader still removes the entries it would
//! wrongly include, but cannot restore ones it skipped.

use std::collections::HashMap;

use crate::error::Result;

/// Random access to the times of a file's records, a chunk at a time.
pub trait TimeProbe {
    /// Number of whole records.
    fn records(&self) -> u64;
    /// Records per chunk (at least 1).
    fn per_chunk(&self) -> u64;
    /// The times (seconds) of the records of chunk `c`, in file order;
    /// `None` for a record that is never returned as an entry (a NetBSD
    /// or macOS signature record, a corrupt record): it has no say.
    fn chunk_times(&mut self, c: u64, out: &mut Vec<Option<i64>>) -> Result<()>;
}

/// A chunk's times for bisection: each hidden record takes the time of
/// the visible record before it in the chunk (else the one after it), a
/// value between its neighbours that moves no answer. `None` when the
/// chunk has records but none visible (bisection cannot place it).
fn fill_hidden(raw: &[Option<i64>]) -> Option<Vec<i64>> {
    let first = raw.iter().find_map(|t| *t);
    if first.is_none() && !raw.is_empty() {
        return None;
    }
    let mut prev = first.unwrap_or(0);
    Some(
        raw.iter()
            .map(|t| {
                if let Some(t) = t {
                    prev = *t;
                }
                prev
            })
            .collect(),
    )
}

/// Where a seek landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of the first record whose time satisfies the predicate
    /// (`records()` when none does).
    pub index: u64,
    /// The order checks failed and a linear scan gave the answer.
    pub scanned: bool,
}

/// The boundary of `pred`, a predicate that is false and then true along
/// an ordered file (`t >= T`, or `t > T`). Searching from the start, the
/// index of the first record that satisfies it; `from_end`, one past the
/// last record that does not (what a scan from the end finds). Both are
/// the same on an ordered file; a scan after seen disorder honours the
/// direction.
pub fn first_where(
    probe: &mut dyn TimeProbe,
    pred: &dyn Fn(i64) -> bool,
    from_end: bool,
) -> Result<Found> {
    let n = probe.records();
    let k = probe.per_chunk().max(1);
    let chunks = n.div_ceil(k);
    let mut seen: HashMap<u64, Vec<i64>> = HashMap::new();
    let mut ordered = true;

    // Read (once) chunk c and check that it is non-decreasing.
    let mut read = |c: u64, seen: &mut HashMap<u64, Vec<i64>>, ordered: &mut bool| -> Result<()> {
        if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(c) {
            let mut raw = Vec::new();
            probe.chunk_times(c, &mut raw)?;
            // A chunk of hidden records only: scan.
            let v = fill_hidden(&raw).unwrap_or_else(|| {
                *ordered = false;
                Vec::new()
            });
            if v.windows(2).any(|w| w[1] < w[0]) {
                *ordered = false;
            }
            slot.insert(v);
        }
        Ok(())
    };

    // Lower bound over chunks: the first chunk whose last record satisfies.
    let (mut lo, mut hi) = (0u64, chunks);
    while lo < hi && ordered {
        let mid = lo + (hi - lo) / 2;
        read(mid, &mut seen, &mut ordered)?;
        let last = seen[&mid].last().copied();
        if last.is_some_and(pred) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let c = lo;
    let mut index = n;
    if ordered && c < chunks {
        read(c, &mut seen, &mut ordered)?;
        let j = seen[&c].iter().position(|&t| pred(t));
        index = c * k + j.unwrap_or(seen[&c].len()) as u64;
    }
    // The chunks on both sides must fall wholly before / after it (a
    // clock excursion ending next to the answer shows there), and so must
    // the answer's own chunk.
    if ordered && c + 1 < chunks {
        read(c + 1, &mut seen, &mut ordered)?;
        if !seen[&(c + 1)].iter().all(|&t| pred(t)) {
            ordered = false;
        }
    }
    if ordered && c > 0 {
        read(c - 1, &mut seen, &mut ordered)?;
        if seen[&(c - 1)].iter().any(|&t| pred(t)) {
            ordered = false;
        }
    }
    if ordered && c < chunks {
        let v = &seen[&c];
        let j = (index - c * k) as usize;
        if v[..j].iter().any(|&t| pred(t)) || !v[j..].iter().all(|&t| pred(t)) {
            ordered = false;
        }
    }
    // Probed chunks must agree with each other.
    if ordered {
        let mut probes: Vec<(&u64, &Vec<i64>)> = seen.iter().collect();
        probes.sort_by_key(|(c, _)| **c);
        ordered = probes
            .windows(2)
            .all(|w| match (w[0].1.last(), w[1].1.first()) {
                (Some(a), Some(b)) => a <= b,
                _ => true,
            });
    }
    if ordered {
        return Ok(Found {
            index,
            scanned: false,
        });
    }
    // Disorder seen: scan, over the visible records.
    let mut v: Vec<Option<i64>> = Vec::new();
    if from_end {
        for c in (0..chunks).rev() {
            v.clear();
            probe.chunk_times(c, &mut v)?;
            if let Some(j) = v.iter().rposition(|t| t.is_some_and(|t| !pred(t))) {
                return Ok(Found {
                    index: c * k + j as u64 + 1,
                    scanned: true,
                });
            }
        }
        return Ok(Found {
            index: 0,
            scanned: true,
        });
    }
    for c in 0..chunks {
        v.clear();
        probe.chunk_times(c, &mut v)?;
        if let Some(j) = v.iter().position(|t| t.is_some_and(pred)) {
            return Ok(Found {
                index: c * k + j as u64,
                scanned: true,
            });
        }
    }
    Ok(Found {
        index: n,
        scanned: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Times in memory, counting chunk reads.
    struct Mem {
        times: Vec<i64>,
        k: u64,
        reads: u64,
    }

    impl TimeProbe for Mem {
        fn records(&self) -> u64 {
            self.times.len() as u64
        }
        fn per_chunk(&self) -> u64 {
            self.k
        }
        fn chunk_times(&mut self, c: u64, out: &mut Vec<Option<i64>>) -> Result<()> {
            self.reads += 1;
            let a = (c * self.k) as usize;
            let b = (a + self.k as usize).min(self.times.len());
            out.extend(self.times[a..b].iter().copied().map(Some));
            Ok(())
        }
    }

    /// A small deterministic PRNG (xorshift64*), so no crate is needed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
    }

    fn scan(times: &[i64], pred: &dyn Fn(i64) -> bool) -> u64 {
        times.iter().position(|&t| pred(t)).unwrap_or(times.len()) as u64
    }

    /// One past the last record that does not satisfy (a scan from the end).
    fn scan_end(times: &[i64], pred: &dyn Fn(i64) -> bool) -> u64 {
        times
            .iter()
            .rposition(|&t| !pred(t))
            .map_or(0, |i| i as u64 + 1)
    }

    fn ordered(rng: &mut Rng, n: usize) -> Vec<i64> {
        let mut t = 1_000_000_000 + rng.below(1000) as i64;
        (0..n)
            .map(|_| {
                t += rng.below(4) as i64; // equal times happen
                t
            })
            .collect()
    }

    fn check(times: Vec<i64>, k: u64, rng: &mut Rng, rounds: usize) -> (u64, bool) {
        let lo = times.iter().min().copied().unwrap_or(0) - 3;
        let hi = times.iter().max().copied().unwrap_or(0) + 3;
        let mut mem = Mem { times, k, reads: 0 };
        let mut any_scan = false;
        for _ in 0..rounds {
            let t = lo + rng.below((hi - lo) as u64 + 1) as i64;
            for strict in [false, true] {
                let pred = move |x: i64| if strict { x > t } else { x >= t };
                for from_end in [false, true] {
                    let got = first_where(&mut mem, &pred, from_end).unwrap();
                    let want = if from_end {
                        scan_end(&mem.times, &pred)
                    } else {
                        scan(&mem.times, &pred)
                    };
                    assert_eq!(
                        got.index,
                        want,
                        "T={t} strict={strict} k={k} from_end={from_end} n={}",
                        mem.times.len()
                    );
                    any_scan |= got.scanned;
                }
            }
        }
        (mem.reads, any_scan)
    }

    #[test]
    fn ordered_files_bisect_exactly_and_cheaply() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for n in [0usize, 1, 2, 3, 7, 100, 1000, 4097] {
            for k in [1u64, 2, 3, 64, 682] {
                let times = ordered(&mut rng, n);
                let (reads, scanned) = check(times, k, &mut rng, 20);
                assert!(!scanned, "an ordered file needed a scan (n={n} k={k})");
                let chunks = (n as u64).div_ceil(k).max(1);
                let per_seek = 64 - (chunks.leading_zeros() as u64) + 3;
                assert!(
                    reads <= 80 * per_seek,
                    "n={n} k={k}: {reads} reads for 80 seeks"
                );
            }
        }
    }

    /// Disorder of each kind wtmp shows: late records (a time below its
    /// neighbours) and clock steps (back, or forward and back again).
    fn disorder(rng: &mut Rng, times: &mut [i64], at: usize, kind: u64) {
        let n = times.len();
        match kind {
            0 => times[at] -= 1 + rng.below(50) as i64,
            1 => {
                let back = 1 + rng.below(5000) as i64;
                for t in &mut times[at..] {
                    *t -= back;
                }
            }
            _ => {
                let end = at + 1 + rng.below((n - at) as u64) as usize;
                for t in &mut times[at..end] {
                    *t += 100_000;
                }
            }
        }
    }

    #[test]
    fn disorder_where_the_answer_is_gives_the_scan_answer() {
        // Local disorder (late records, a short clock excursion) inside the
        // chunk of the ordered answer or the one before: the bisection's
        // final checks read those chunks, so they must see it, and the
        // result must be the scan's.
        let mut rng = Rng(42);
        let mut scans = 0;
        for round in 0..2000u64 {
            let n = 2 + rng.below(3000) as usize;
            let k = 1 + rng.below(200);
            let mut times = ordered(&mut rng, n);
            let t = times[rng.below(n as u64) as usize];
            let p = scan(&times, &|x| x >= t);
            let c = p / k;
            let lo = (c.saturating_sub(1) * k) as usize;
            let hi = (((c + 1) * k) as usize).min(n);
            let at = lo + rng.below((hi - lo) as u64) as usize;
            if round % 2 == 0 {
                times[at] -= 1 + rng.below(50) as i64;
            } else {
                let end = at + 1 + rng.below((hi - at) as u64) as usize;
                for x in &mut times[at..end] {
                    *x += 100_000;
                }
            }
            let pred = move |x: i64| x >= t;
            let want = scan(&times, &pred);
            let mut mem = Mem { times, k, reads: 0 };
            let got = first_where(&mut mem, &pred, false).unwrap();
            assert_eq!(got.index, want, "round {round}: n={n} k={k} at={at} T={t}");
            scans += got.scanned as u32;
        }
        assert!(scans > 0, "no case exercised the scan fallback");
    }

    #[test]
    fn disorder_anywhere_is_exact_or_overshoots_past_unseen_records() {
        // The documented limit: a descent in chunks the bisection never
        // reads can make it overshoot; it never undershoots, and a scan
        // (after seen disorder) is always exact.
        let mut rng = Rng(7);
        for round in 0..600u64 {
            let n = 2 + rng.below(3000) as usize;
            let k = 1 + rng.below(200);
            let mut times = ordered(&mut rng, n);
            let at = 1 + rng.below(n as u64 - 1) as usize;
            disorder(&mut rng, &mut times, at, round % 3);
            let t = times[rng.below(n as u64) as usize] + rng.below(3) as i64 - 1;
            let pred = move |x: i64| x >= t;
            let want = scan(&times, &pred);
            let mut mem = Mem {
                times: times.clone(),
                k,
                reads: 0,
            };
            let got = first_where(&mut mem, &pred, false).unwrap();
            if got.index != want {
                assert!(!got.scanned, "round {round}: a scan must be exact");
                assert!(got.index > want, "round {round}: undershoot");
                assert!(
                    times[..got.index as usize].windows(2).any(|w| w[1] < w[0]),
                    "round {round}: overshoot without a descent"
                );
            }
        }
    }
}
