//! Sessions and seeking over damaged or random data: no panic, bounded
//! results, and every session's offsets point inside the file.

use utx::{Format, Options, Reader, SessionOptions, Sessions};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Records with random bytes, but a valid type (so they are decoded) and
/// short random-ish lines, so pairing has work to do.
fn noisy(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n * 384 + (rng.next() % 384) as usize];
    for b in v.iter_mut() {
        *b = rng.next() as u8;
    }
    for i in 0..n {
        let r = &mut v[i * 384..(i + 1) * 384];
        r[0] = (rng.next() % 10) as u8;
        r[1] = 0;
        r[8] = b"~tp"[(rng.next() % 3) as usize];
        r[9] = b'0' + (rng.next() % 4) as u8;
        r[10] = 0;
        if rng.next() % 3 == 0 {
            r[44] = 0;
        }
    }
    v
}

#[test]
fn random_records_pair_without_panics() {
    let mut rng = Rng(0xdead_beef);
    for round in 0..60 {
        let n = (rng.next() % 2000) as usize;
        let bytes = noisy(&mut rng, n);
        let len = bytes.len() as u64;
        let reader = Reader::from_bytes(
            &bytes,
            Options {
                format: Format::Glibc384Le,
                reverse: true,
                ..Options::default()
            },
        )
        .unwrap();
        let so = SessionOptions {
            check_liveness: round % 2 == 0,
            rules: None,
        };
        let mut count = 0;
        for s in Sessions::new(reader, so).unwrap() {
            let s = s.unwrap();
            assert!(s.login_offset < len);
            if let Some(o) = s.logout_offset {
                assert!(
                    o < len && o > s.login_offset,
                    "logout record after the login"
                );
            }
            count += 1;
        }
        assert!(count <= n);
        // Seeking random times on the same noise: never panics, and what
        // follows is a suffix of the file in reading order.
        for reverse in [false, true] {
            let mut r = Reader::from_bytes(
                &bytes,
                Options {
                    format: Format::Glibc384Le,
                    reverse,
                    ..Options::default()
                },
            )
            .unwrap();
            r.seek_time((rng.next() % (1u64 << 33)) as i64 - (1 << 31))
                .unwrap();
            let offs: Vec<u64> = r.map(|e| e.unwrap().offset).collect();
            assert!(offs.windows(2).all(|w| (w[0] < w[1]) != reverse));
        }
    }
}

#[test]
fn a_forward_reader_is_refused() {
    let r = Reader::from_bytes(&[0u8; 384], Options::default()).unwrap();
    let err = Sessions::new(r, SessionOptions::default()).err().unwrap();
    assert!(err.message.contains("UT_OPEN_REVERSE"));
}
