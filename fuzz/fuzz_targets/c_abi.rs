#![no_main]
// The code is utx_fuzz::c_abi (fuzz/src/abi.rs), which fuzz/regressions replays.
libfuzzer_sys::fuzz_target!(|data: &[u8]| utx_fuzz::c_abi(data));
