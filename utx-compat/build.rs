//! Link settings: the SONAME and the export list (libutx-compat.map).

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=libutx-compat.map");
    if target_os != "macos" && target_os != "ios" && target_os != "windows" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libutx-compat.so.1");
        println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={dir}/libutx-compat.map");
    }
}
