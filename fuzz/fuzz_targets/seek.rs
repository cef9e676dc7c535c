#![no_main]
// The code is utx_fuzz::seek (fuzz/src/lib.rs), which fuzz/regressions replays.
libfuzzer_sys::fuzz_target!(|data: &[u8]| utx_fuzz::seek(data));
