//! Link settings for the C library: the SONAME and the export list.
//!
//! Cargo sets no SONAME on a cdylib, and a .so without one gets linked by
//! path, so every consumer would break on the next rebuild. The version
//! script (libutx.map) exports only the `ut_*` functions and hides Rust's
//! internals (`rust_eh_personality`, mangled std symbols).

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=libutx.map");
    // ELF platforms only: macOS uses -install_name and exported-symbol lists.
    if target_os != "macos" && target_os != "ios" && target_os != "windows" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libutx.so.1");
        println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={dir}/libutx.map");
    }
}
