// The Rust reader peer of `make bench` (bench/run.sh): utmp-rs, the
// crate on crates.io, reading FILE through its iterator (UtmpParser, the
// native glibc layout).  Built by bench/run.sh in a throwaway cargo
// project under build/bench/utmp-rs (never a dependency of utx).  Prints
// key=value lines as bench/bench.c does: seconds, records (entries it
// returned, errors included), errors (records it refused: an unknown
// type, a string that is not UTF-8, a bad time).
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: utmprs-peer FILE");
    let t0 = Instant::now();
    let (mut records, mut errors) = (0u64, 0u64);
    for entry in utmp_rs::UtmpParser::from_path(&path).expect("open") {
        records += 1;
        match entry {
            Ok(e) => {
                std::hint::black_box(&e);
            }
            Err(utmp_rs::ParseError::Utmp(_)) => errors += 1,
            Err(e) => panic!("{path}: {e}"),
        }
    }
    println!("seconds={:.6}", t0.elapsed().as_secs_f64());
    println!("records={records}");
    println!("errors={errors}");
}
