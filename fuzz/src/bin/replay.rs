//! Replay inputs through the fuzz targets' code, on any toolchain:
//!
//!   replay                 every file of fuzz/regressions/<target>/
//!   replay TARGET FILE...  the given files through TARGET
//!   replay --seed DIR FILE...
//!                          write seed inputs made from real files to
//!                          DIR/<target>/ (see `utx_fuzz::seeds`)
//!
//! A failing input panics (the process exits non-zero with the panic
//! message, after naming the file); a directory under regressions/ that
//! names no target is an error too, so a renamed target cannot silently
//! stop being replayed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An input that takes longer than this (in a debug build) has hung.
const SLOW: Duration = Duration::from_secs(20);

fn replay(target: &str, file: &Path) -> Duration {
    let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    eprintln!("replay {target} {}", file.display());
    let start = Instant::now();
    assert!(
        utx_fuzz::run(target, &data),
        "no fuzz target named {target}"
    );
    let took = start.elapsed();
    assert!(
        took < SLOW,
        "{target} {}: took {took:?} (hang)",
        file.display()
    );
    took
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--seed") {
        let Some((dir, files)) = args[1..].split_first() else {
            panic!("usage: replay --seed DIR FILE...");
        };
        seed(Path::new(dir), files);
        return;
    }
    if let Some((target, files)) = args.split_first() {
        for f in files {
            replay(target, Path::new(f));
        }
        println!("replay: {} inputs through {target}: ok", files.len());
        return;
    }
    // Every libFuzzer binary has its code in utx_fuzz::TARGETS and back.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_targets");
    let mut bins: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|d| d.ok()?.path().file_stem()?.to_str().map(String::from))
        .collect();
    bins.sort();
    let mut named: Vec<String> = utx_fuzz::TARGETS
        .iter()
        .map(|(t, _)| t.to_string())
        .collect();
    named.sort();
    assert_eq!(
        bins, named,
        "fuzz_targets/*.rs and utx_fuzz::TARGETS differ"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut n = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|d| d.expect("read_dir").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            utx_fuzz::TARGETS.iter().any(|(t, _)| *t == target),
            "{}: no fuzz target named {target}",
            dir.display()
        );
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read_dir")
            .map(|d| d.expect("read_dir").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            replay(&target, &f);
            n += 1;
        }
    }
    println!("replay: {n} regression inputs under {}: ok", root.display());
}

fn seed(dir: &Path, files: &[String]) {
    for (target, _) in utx_fuzz::TARGETS {
        let out = dir.join(target);
        std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        let mut n = 0;
        for f in files {
            let data = std::fs::read(f).unwrap_or_else(|e| panic!("{f}: {e}"));
            for (i, s) in utx_fuzz::seeds(target, &data).into_iter().enumerate() {
                // Named by origin, so that seeding twice does not add copies.
                let name = format!(
                    "seed-{}-{i}",
                    f.replace(['/', ' '], "_").trim_start_matches(['.', '_'])
                );
                std::fs::write(out.join(name), s).expect("write seed");
                n += 1;
            }
        }
        if *target == "logind" {
            // Not made from files: a state tree built in.
            std::fs::write(out.join("seed-tree"), utx_fuzz::abi::logind_seed())
                .expect("write seed");
            n += 1;
        }
        println!("seed: {n:4} inputs in {}", out.display());
    }
}
