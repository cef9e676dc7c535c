//! Throughput of the SQLite sources on generated databases. Ignored by
//! default (prints numbers, asserts only counts): run with
//! `cargo test --release --test modern_perf -- --ignored --nocapture`.
#![cfg(feature = "sqlite")]

use std::time::Instant;

use crate::helpers::*;
use utx::{Options, Reader};

#[test]
#[ignore]
fn wtmpdb_and_lastlog2_throughput() {
    let dir = Scratch::new("perf");
    let db = dir.join("wtmp.db");
    let n = 200_000i64;
    {
        let mut c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(WTMPDB_SCHEMA).unwrap();
        let tx = c.transaction().unwrap();
        for i in 0..n {
            tx.execute(
                "INSERT INTO wtmp (Type, User, Login, Logout, TTY, RemoteHost, Service) VALUES (3, ?1, ?2, ?3, 'pts/1', '192.0.2.1', 'sshd')",
                rusqlite::params![format!("user{}", i % 500), 1_600_000_000_000_000 + i * 1_000_000, 1_600_000_000_000_000 + i * 1_000_000 + 500_000],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    for reverse in [false, true] {
        let t = Instant::now();
        let mut r = Reader::open(
            &db,
            Options {
                reverse,
                ..Options::default()
            },
        )
        .unwrap();
        let mut e = utx::Entry::default();
        let mut count = 0u64;
        while r.next_into(&mut e).unwrap() {
            count += 1;
        }
        let s = t.elapsed().as_secs_f64();
        assert_eq!(count, 2 * n as u64);
        println!(
            "wtmpdb {} rows reverse={reverse}: {count} entries in {s:.3} s ({:.0} entries/s)",
            n,
            count as f64 / s
        );
    }
    let ll = dir.join("lastlog2.db");
    let names: Vec<String> = (0..n).map(|i| format!("ldapuser{i:07}")).collect();
    let rows: Vec<_> = names
        .iter()
        .map(|u| (u.as_str(), 1_700_000_000i64, "pts/0", "", "sshd"))
        .collect();
    write_lastlog2(&ll, &rows);
    let t = Instant::now();
    let count = Reader::open(&ll, Options::default()).unwrap().count();
    let s = t.elapsed().as_secs_f64();
    assert_eq!(count, n as usize);
    println!(
        "lastlog2 {n} users: {count} entries in {s:.3} s ({:.0} entries/s)",
        count as f64 / s
    );
}
