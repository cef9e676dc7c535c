#![no_main]
// The code is utx_fuzz::logind (fuzz/src/abi.rs), which fuzz/regressions replays.
libfuzzer_sys::fuzz_target!(|data: &[u8]| utx_fuzz::logind(data));
