//! The pairing engine's table: per pairing key, the nearest later login
//! or logout (a [`Mark`]).
//!
//! Keys of up to 32 bytes (every tty line, every `ut_id`) live in place
//! in an open-addressing table: four words, hashed and compared without a
//! call or an allocation, one slot of 64 bytes per key, found with one
//! probe sequence for a lookup and its update (a `HashMap` lookup then
//! insert walked the table twice, and its group probing missed branch
//! predictions on random lines). A boot or shutdown empties the table in
//! O(1): slots belong to a generation, and clearing starts a new one.
//! Longer keys, which no known format produces, go to a `HashMap`.

use std::collections::HashMap;

use super::Mark;

/// Keys longer than this go to the overflow map.
const SHORT: usize = 32;

/// One key and its mark. `gen` says whether it is live: only slots of the
/// table's current generation are.
#[derive(Clone, Copy)]
struct Slot {
    words: [u64; 4],
    sec: i64,
    offset: u64,
    usec: i32,
    gen: u32,
    len: u8,
}

const DEAD: Slot = Slot {
    words: [0; 4],
    sec: 0,
    offset: 0,
    usec: 0,
    gen: 0,
    len: 0,
};

/// A key of up to 32 bytes as four little-endian words, zero-padded.
/// Keys of up to 8 bytes (tty lines) get theirs without a store: a word
/// stored by index and loaded back as a pair stalled on store forwarding.
#[inline(always)]
fn words_of(bytes: &[u8]) -> [u64; 4] {
    if bytes.len() <= 8 {
        return [last_word(bytes), 0, 0, 0];
    }
    let mut words = [0u64; 4];
    for (w, c) in words.iter_mut().zip(bytes.chunks(8)) {
        *w = last_word(c);
    }
    words
}

/// Up to 8 bytes as a little-endian word, zero-filled, with no branch on
/// the length but "at least 4" (a tty line's "pts/N" and "pts/NN" take
/// the same path): two overlapping 4-byte loads, or three single bytes.
#[inline(always)]
fn last_word(b: &[u8]) -> u64 {
    let n = b.len();
    debug_assert!(n <= 8);
    if let (Some(lo), Some(hi)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        u32::from_le_bytes(*lo) as u64 | (u32::from_le_bytes(*hi) as u64) << (8 * (n - 4))
    } else if let Some(&first) = b.first() {
        first as u64 | (b[n / 2] as u64) << (8 * (n / 2)) | (b[n - 1] as u64) << (8 * (n - 1))
    } else {
        0
    }
}

/// Whether two keys' words are equal, word by word in registers.
#[inline(always)]
fn same(a: &[u64; 4], b: &[u64; 4]) -> bool {
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0
}

/// The words folded with rotations, then mixed by two multiplications
/// (the first spreads the bytes upwards, the second brings every bit to
/// the top, where the table takes its index from).
#[inline(always)]
fn hash(words: &[u64; 4], len: u8) -> u64 {
    let x = words[0]
        ^ words[1].rotate_left(16)
        ^ words[2].rotate_left(32)
        ^ words[3].rotate_left(48)
        ^ (len as u64).rotate_right(8);
    let h = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    (h ^ (h >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[derive(Default)]
pub(super) struct Pending {
    /// A power of two in length (or empty), at most a quarter live: a
    /// lookup then mostly ends at its first slot.
    slots: Vec<Slot>,
    /// 64 - log2(slots.len()): a hash's top bits are its home slot.
    shift: u32,
    /// The live generation; 0 marks a dead slot and is never live.
    gen: u32,
    /// Live slots.
    live: usize,
    /// Keys over 32 bytes.
    long: HashMap<Vec<u8>, Mark>,
}

impl Pending {
    pub(super) fn len(&self) -> usize {
        self.live + self.long.len()
    }

    /// Forget every key: O(1) for the table (a new generation).
    pub(super) fn clear(&mut self) {
        self.live = 0;
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            // After 2^32 clears: no slot may look live by its old number.
            self.slots.fill(DEAD);
            self.gen = 1;
        }
        if !self.long.is_empty() {
            self.long.clear();
        }
    }

    /// Set `key`'s mark to `m`; returns the mark it replaced.
    #[inline(always)]
    pub(super) fn replace(&mut self, key: &[u8], m: Mark) -> Option<Mark> {
        if key.len() > SHORT {
            if let Some(v) = self.long.get_mut(key) {
                return Some(std::mem::replace(v, m));
            }
            return self.long.insert(key.to_vec(), m);
        }
        let (words, len) = (words_of(key), key.len() as u8);
        if (self.live + 1) * 4 > self.slots.len() {
            self.grow();
        }
        let i = match self.find(&words, len) {
            Ok(i) => i,
            Err(i) => {
                self.live += 1;
                self.slots[i] = Slot {
                    words,
                    sec: m.sec,
                    offset: m.offset,
                    usec: m.usec,
                    gen: self.gen,
                    len,
                };
                return None;
            }
        };
        let s = &mut self.slots[i];
        let old = Mark {
            sec: s.sec,
            usec: s.usec,
            offset: s.offset,
        };
        s.sec = m.sec;
        s.usec = m.usec;
        s.offset = m.offset;
        Some(old)
    }

    /// Remove `key`; returns its mark.
    pub(super) fn remove(&mut self, key: &[u8]) -> Option<Mark> {
        if key.len() > SHORT {
            return self.long.remove(key);
        }
        if self.slots.is_empty() {
            return None;
        }
        let i = self.find(&words_of(key), key.len() as u8).ok()?;
        let s = self.slots[i];
        self.unlink(i);
        Some(Mark {
            sec: s.sec,
            usec: s.usec,
            offset: s.offset,
        })
    }

    /// The slot holding the key (`Ok`), or the free slot that ends its
    /// probe sequence (`Err`). The table is never full.
    #[inline(always)]
    fn find(&self, words: &[u64; 4], len: u8) -> std::result::Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (hash(words, len) >> self.shift) as usize;
        loop {
            let s = &self.slots[i];
            if s.gen != self.gen {
                return Err(i);
            }
            if same(&s.words, words) && s.len == len {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Empty slot `i`, moving later slots of its probe run back so every
    /// live key stays reachable from its home slot (no tombstones).
    fn unlink(&mut self, mut i: usize) {
        let mask = self.slots.len() - 1;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let s = self.slots[j];
            if s.gen != self.gen {
                break;
            }
            let home = (hash(&s.words, s.len) >> self.shift) as usize;
            // The slot stays when its home lies cyclically in (i, j].
            let stays = if i <= j {
                i < home && home <= j
            } else {
                i < home || home <= j
            };
            if !stays {
                self.slots[i] = s;
                i = j;
            }
        }
        self.slots[i].gen = 0;
        self.live -= 1;
    }

    /// Double the table (16 slots at first) and re-place the live keys.
    #[cold]
    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![DEAD; cap]);
        self.shift = 64 - cap.trailing_zeros();
        let gen = self.gen;
        if self.gen == 0 {
            self.gen = 1;
        }
        let mask = cap - 1;
        for s in old.into_iter().filter(|s| s.gen == gen && gen != 0) {
            let mut i = (hash(&s.words, s.len) >> self.shift) as usize;
            while self.slots[i].gen == self.gen {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot { gen: self.gen, ..s };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(n: i64) -> Mark {
        Mark {
            sec: n,
            usec: n as i32,
            offset: n as u64,
        }
    }

    /// The table against a `HashMap` model, with keys crowded into few
    /// home slots (short, similar lines) and long ones, through inserts,
    /// replacements, removals (backward shifts) and clears.
    #[test]
    fn behaves_like_a_map() {
        let mut p = Pending::default();
        let mut model: HashMap<Vec<u8>, i64> = HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for n in 0..200_000i64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let k = (x % 97) as usize;
            let key: Vec<u8> = match k % 5 {
                0 => format!("pts/{k}").into_bytes(),
                1 => format!("tty{k}").into_bytes(),
                2 => vec![b'x'; 33 + k % 3],
                3 => vec![0u8; k % 33],
                _ => format!("{k:0>31}").into_bytes(),
            };
            match (x >> 40) % 16 {
                0..=7 => {
                    let old = p.replace(&key, mark(n)).map(|m| m.sec);
                    assert_eq!(old, model.insert(key, n));
                }
                8..=14 => {
                    let old = p.remove(&key).map(|m| m.sec);
                    assert_eq!(old, model.remove(&key));
                }
                _ => {
                    if (x >> 50) % 64 == 0 {
                        p.clear();
                        model.clear();
                    }
                }
            }
            assert_eq!(p.len(), model.len());
        }
        for (k, v) in &model {
            assert_eq!(
                p.remove(k).map(|m| (m.sec, m.usec, m.offset)),
                Some((*v, *v as i32, *v as u64))
            );
        }
        assert_eq!(p.len(), 0);
    }

    #[test]
    fn words_are_the_bytes_zero_padded() {
        for n in 0..=32usize {
            let key: Vec<u8> = (1..=n as u8).map(|b| b.wrapping_mul(37) | 1).collect();
            let mut padded = [0u8; 32];
            padded[..n].copy_from_slice(&key);
            let want: Vec<u64> = padded
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(words_of(&key).to_vec(), want, "{n} bytes");
        }
    }

    #[test]
    fn clear_wraps_its_generation() {
        let mut p = Pending::default();
        p.replace(b"pts/1", mark(1));
        p.gen = u32::MAX;
        p.slots
            .iter_mut()
            .filter(|s| s.gen != 0)
            .for_each(|s| s.gen = u32::MAX);
        assert_eq!(p.replace(b"pts/1", mark(2)).map(|m| m.sec), Some(1));
        p.clear();
        assert_eq!(p.gen, 1);
        assert_eq!(p.len(), 0);
        assert_eq!(p.remove(b"pts/1").map(|m| m.sec), None);
        assert_eq!(p.replace(b"pts/1", mark(3)).map(|m| m.sec), None);
        assert_eq!(p.remove(b"pts/1").map(|m| m.sec), Some(3));
    }
}
