//! The constants of include/utx.h are usable by binding generators (cgo,
//! ctypes through bindings/gen-constants.py, cffi's `cdef`): every macro
//! is a plain integer literal, never an expression; each entry type has
//! its `UT_TYPE_MASK_*`; the `UT_CATEGORY_*` aliases equal the older
//! names; the version macros agree with the crate and the SONAME.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every object-like `#define NAME VALUE` of the header, VALUE as written.
fn defines() -> BTreeMap<String, String> {
    let header = fs::read_to_string(repo().join("include/utx.h")).expect("include/utx.h");
    let mut out = BTreeMap::new();
    for line in header.lines() {
        let Some(rest) = line.trim_start().strip_prefix("#define") else {
            continue;
        };
        let rest = rest.trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let value = rest[name.len()..].trim();
        if rest[name.len()..].starts_with('(') || value.is_empty() {
            continue; // a function-like macro, or the include guard
        }
        out.insert(name, value.to_string());
    }
    out
}

/// The value of an integer literal as C (and cffi's `cdef`) reads it: an
/// optional `-`, decimal or `0x` digits, an optional `u`/`l` suffix.
fn literal(text: &str) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let t = t.trim_end_matches(['u', 'U', 'l', 'L']);
    let v = match t.strip_prefix("0x") {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() => t.parse().ok()?,
        None => return None,
    };
    Some(if neg { -v } else { v })
}

fn value(defs: &BTreeMap<String, String>, name: &str) -> i64 {
    let text = defs
        .get(name)
        .unwrap_or_else(|| panic!("include/utx.h has no #define {name}"));
    literal(text).unwrap_or_else(|| panic!("{name} is {text}, not an integer literal"))
}

#[test]
fn every_constant_is_an_integer_literal() {
    let defs = defines();
    assert!(defs.len() > 100, "the scanner found only {defs:?}");
    let bad: Vec<String> = defs
        .iter()
        .filter(|(_, v)| literal(v).is_none())
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    assert!(
        bad.is_empty(),
        "macros a binding generator cannot read as a number: {bad:?}"
    );
}

#[test]
fn literal_reader_accepts_only_literals() {
    assert_eq!(literal("8191u"), Some(8191));
    assert_eq!(literal("-9"), Some(-9));
    assert_eq!(literal("0x10"), Some(16));
    assert_eq!(literal("((1 << 13) - 1)"), None);
    assert_eq!(literal("UT_LOGIND_SEATS"), None);
    assert_eq!(literal("u"), None);
}

#[test]
fn each_type_has_its_mask() {
    let defs = defines();
    let types: Vec<(&str, i64)> = defs
        .keys()
        .filter_map(|n| n.strip_prefix("UT_TYPE_"))
        .filter(|t| !t.starts_with("MASK_"))
        .map(|t| (t, value(&defs, &format!("UT_TYPE_{t}"))))
        .collect();
    assert!(types.len() >= 13, "types: {types:?}");
    let mut all = 0i64;
    for (t, n) in &types {
        assert!(
            (0..32).contains(n),
            "UT_TYPE_{t} = {n} has no bit in a u32 mask"
        );
        assert_eq!(
            value(&defs, &format!("UT_TYPE_MASK_{t}")),
            1 << n,
            "UT_TYPE_MASK_{t} is not UT_TYPE_BIT(UT_TYPE_{t})"
        );
        all |= 1 << n;
    }
    assert_eq!(value(&defs, "UT_TYPE_MASK_ALL"), all, "UT_TYPE_MASK_ALL");
    let masks = defs
        .keys()
        .filter(|n| n.starts_with("UT_TYPE_MASK_"))
        .count();
    assert_eq!(masks, types.len() + 1, "a UT_TYPE_MASK_* of no type");
}

#[test]
fn category_aliases_equal_the_older_names() {
    let defs = defines();
    let pairs = [
        ("SEATS", "UT_LOGIND_SEATS"),
        ("SESSIONS", "UT_LOGIND_SESSIONS"),
        ("USERS", "UT_LOGIND_USERS"),
        ("MACHINES", "UT_LOGIND_MACHINES"),
        ("UTMP", "UT_MONITOR_UTMP"),
        ("ALL", "UT_MONITOR_ALL"),
    ];
    for (alias, old) in pairs {
        assert_eq!(
            value(&defs, &format!("UT_CATEGORY_{alias}")),
            value(&defs, old)
        );
    }
    let older = defs
        .keys()
        .filter(|n| n.starts_with("UT_LOGIND_") || n.starts_with("UT_MONITOR_"))
        .count();
    let aliases = defs
        .keys()
        .filter(|n| n.starts_with("UT_CATEGORY_"))
        .count();
    assert_eq!(
        (older, aliases),
        (pairs.len(), pairs.len()),
        "a category without its alias"
    );
}

#[test]
fn versions_agree_with_the_crate_and_the_soname() {
    let defs = defines();
    let version: Vec<i64> = utx::VERSION
        .split(['-', '+'])
        .next()
        .unwrap()
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect();
    let macros = ["MAJOR", "MINOR", "PATCH"].map(|p| value(&defs, &format!("UTX_VERSION_{p}")));
    assert_eq!(
        macros.to_vec(),
        version,
        "UTX_VERSION_* vs {}",
        utx::VERSION
    );
    let soname = format!("libutx.so.{}", value(&defs, "UTX_ABI_VERSION"));
    for file in ["utx-c/build.rs", "Makefile"] {
        let text = fs::read_to_string(repo().join(file)).expect(file);
        assert!(
            text.contains(&soname),
            "{file} does not name {soname} (UTX_ABI_VERSION)"
        );
    }
}
