//! The integration tests of the core crate, one binary: one module per
//! area under `tests/main/`, and one helper module (`helpers`) they all
//! share. (A crate root looks for `mod x;` beside itself, hence the
//! `#[path]`s; Cargo would build each `tests/*.rs` as its own binary.)

#[path = "main/helpers.rs"]
mod helpers;

#[path = "main/bounded.rs"]
mod bounded;
#[path = "main/core_linux.rs"]
mod core_linux;
#[path = "main/core_reading.rs"]
mod core_reading;
#[path = "main/count_users.rs"]
mod count_users;
#[path = "main/detect_refuses.rs"]
mod detect_refuses;
#[path = "main/follow.rs"]
mod follow;
#[path = "main/formats_corpus.rs"]
mod formats_corpus;
#[path = "main/formats_detect.rs"]
mod formats_detect;
#[path = "main/formats_generated.rs"]
mod formats_generated;
#[path = "main/fuzz_findings.rs"]
mod fuzz_findings;
#[path = "main/modern_defaults.rs"]
mod modern_defaults;
#[path = "main/modern_lastlog2.rs"]
mod modern_lastlog2;
#[path = "main/modern_logind.rs"]
mod modern_logind;
#[path = "main/modern_monitor.rs"]
mod modern_monitor;
#[path = "main/modern_perf.rs"]
mod modern_perf;
#[path = "main/modern_wtmpdb.rs"]
mod modern_wtmpdb;
#[path = "main/rotated.rs"]
mod rotated;
#[path = "main/seek_time.rs"]
mod seek_time;
#[path = "main/sessions_robust.rs"]
mod sessions_robust;
#[path = "main/sessions_wtmpdb.rs"]
mod sessions_wtmpdb;
#[path = "main/write.rs"]
mod write;
