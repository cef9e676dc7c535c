//! include/utx.h is what cbindgen generates from this crate, and it
//! declares nothing without the library's prefix.
//!
//! cbindgen is a pinned dev-dependency (Cargo.lock), so no installed
//! cbindgen is needed. `make header` (that is,
//! `UTX_UPDATE_HEADER=1 cargo test -p utx-c --test header`) rewrites the
//! header through the same code.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    crate_dir().join("../include/utx.h")
}

/// The header as cbindgen generates it from utx-c/ with cbindgen.toml.
fn generate() -> String {
    let dir = crate_dir();
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("UTF-8 header")
}

#[test]
fn header_is_up_to_date() {
    let generated = generate();
    let path = header_path();
    if std::env::var_os("UTX_UPDATE_HEADER").is_some_and(|v| v == "1") {
        fs::write(&path, &generated).expect("write include/utx.h");
        eprintln!("wrote {}", path.display());
        return;
    }
    let current = fs::read_to_string(&path).unwrap_or_default();
    if current != generated {
        // The first differing line, to say what changed.
        let (n, (old, new)) = current
            .lines()
            .chain(std::iter::repeat("<end of file>"))
            .zip(generated.lines().chain(std::iter::repeat("<end of file>")))
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("", "")));
        panic!(
            "include/utx.h is stale (utx-c/src changed): run `make header` and commit it\n\
             first difference at line {}:\n  header:    {old}\n  generated: {new}",
            n + 1
        );
    }
}

/// Comments become spaces (newlines kept).
fn strip_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            let end = src[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            out.extend(
                src[i..end]
                    .chars()
                    .map(|c| if c == '\n' { '\n' } else { ' ' }),
            );
            i = end;
        } else if b[i..].starts_with(b"//") {
            let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
            i = end;
        } else {
            let c = src[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str,
    Punct(char),
}

fn tokens(code: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() || c == '_' {
            let mut s = c.to_string();
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    s.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Ident(s));
        } else if c.is_ascii_digit() {
            while chars.peek().is_some_and(|d| d.is_alphanumeric()) {
                chars.next();
            }
        } else if c == '"' {
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
            }
            out.push(Tok::Str);
        } else if !c.is_whitespace() {
            out.push(Tok::Punct(c));
        }
    }
    out
}

/// Every name a C header declares: macros, typedefs, struct, union and
/// enum tags, enum constants and functions (not fields or parameters).
fn declared_names(header: &str) -> BTreeSet<String> {
    let text = strip_comments(header);
    let mut names = BTreeSet::new();
    let mut code = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            let rest = rest.trim_start();
            if let Some(def) = rest.strip_prefix("define") {
                let name: String = def
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        } else {
            code.push_str(line);
            code.push('\n');
        }
    }
    let toks = tokens(&code);
    let ident = |k: usize| match toks.get(k) {
        Some(Tok::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    let punct = |k: usize, p: char| toks.get(k) == Some(&Tok::Punct(p));
    // Brace depth of struct/union/enum bodies (an `extern "C"` block's
    // braces do not count), whether the innermost body is an enum's, and
    // paren depth.
    let mut bodies: Vec<bool> = Vec::new();
    let mut parens = 0usize;
    let mut in_typedef = false;
    let mut last_ident: Option<String> = None;
    let mut pending_enum = false;
    let mut k = 0;
    while k < toks.len() {
        match &toks[k] {
            Tok::Ident(w) if w == "extern" && toks.get(k + 1) == Some(&Tok::Str) => {
                k += if punct(k + 2, '{') { 3 } else { 2 };
                continue;
            }
            Tok::Ident(w) if matches!(w.as_str(), "struct" | "union" | "enum") => {
                if let Some(tag) = ident(k + 1) {
                    names.insert(tag.to_string());
                }
                pending_enum = w == "enum";
            }
            Tok::Ident(w) if w == "typedef" && bodies.is_empty() => in_typedef = true,
            Tok::Ident(w) => {
                if bodies.last() == Some(&true)
                    && parens == 0
                    && (punct(k.wrapping_sub(1), '{') || punct(k.wrapping_sub(1), ','))
                {
                    names.insert(w.clone()); // an enum constant
                }
                if bodies.is_empty() && parens == 0 && punct(k + 1, '(') && !in_typedef {
                    names.insert(w.clone()); // a function
                }
                last_ident = Some(w.clone());
            }
            Tok::Punct('{') => {
                bodies.push(pending_enum);
                pending_enum = false;
            }
            Tok::Punct('}') => {
                bodies.pop();
            }
            Tok::Punct('(') => parens += 1,
            Tok::Punct(')') => parens = parens.saturating_sub(1),
            Tok::Punct(';') if bodies.is_empty() => {
                if in_typedef {
                    if let Some(n) = last_ident.take() {
                        names.insert(n);
                    }
                }
                in_typedef = false;
                pending_enum = false;
            }
            _ => {}
        }
        k += 1;
    }
    names
}

fn unprefixed(names: &BTreeSet<String>) -> Vec<&String> {
    names
        .iter()
        .filter(|n| !(n.starts_with("ut_") || n.starts_with("UT_") || n.starts_with("UTX_")))
        .collect()
}

#[test]
fn header_declares_only_prefixed_names() {
    let header = fs::read_to_string(header_path()).expect("include/utx.h");
    let names = declared_names(&header);
    for expected in [
        "ut_reader_open",
        "ut_reader",
        "ut_entry",
        "ut_status",
        "UT_OK",
        "UT_TYPE_BIT",
        "UTX_H",
    ] {
        assert!(
            names.contains(expected),
            "the scanner missed {expected}: {names:?}"
        );
    }
    let bad = unprefixed(&names);
    assert!(
        bad.is_empty(),
        "include/utx.h declares names without the ut_/UT_/UTX_ prefix: {bad:?}"
    );
}

#[test]
fn scanner_finds_every_kind_of_declaration() {
    let h = r#"
        /* #define IN_COMMENT 1 */
        #define FUTX_SIZE 197
        #define UT_OK 0
        typedef uint32_t foo_t;
        typedef struct bar { int32_t field; const char *(*cb)(int x); } bar;
        struct baz;
        enum colour { RED = 1, UT_GREEN };
        #ifdef __cplusplus
        extern "C" {
        #endif
        int qux(const struct ut_reader *reader, size_t len);
        void ut_fine(void);
        #ifdef __cplusplus
        }  // extern "C"
        #endif
    "#;
    let names = declared_names(h);
    let bad: BTreeSet<&str> = unprefixed(&names).into_iter().map(|s| s.as_str()).collect();
    let want: BTreeSet<&str> = ["FUTX_SIZE", "foo_t", "bar", "baz", "colour", "RED", "qux"]
        .into_iter()
        .collect();
    assert_eq!(bad, want);
    for n in ["UT_OK", "UT_GREEN", "ut_reader", "ut_fine"] {
        assert!(names.contains(n), "{n} missing: {names:?}");
    }
    for n in ["field", "cb", "x", "reader", "len", "IN_COMMENT"] {
        assert!(!names.contains(n), "{n} is not a declaration: {names:?}");
    }
}
