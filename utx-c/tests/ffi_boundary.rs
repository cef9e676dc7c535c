//! The panic boundary, proved by reading the source (ABI rule 4): every
//! `extern "C" fn` in utx-c/src/ is `#[no_mangle]`, named `ut_*`, and its
//! body is exactly one `guard(…)` call. A function added without the
//! boundary fails this test (rustls-ffi #286 was such a miss). The set of
//! exported functions must also equal the functions declared in
//! include/utx.h; the core crate (src/) exports nothing; and every
//! `unsafe` block of the ABI crate says why it is sound (`// SAFETY:`).
//!
//! No parser dependency: a small scanner blanks comments and the brackets
//! inside string and char literals, then matches braces.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// One `extern "C" fn` found in a source file.
#[derive(Debug)]
struct ExternFn {
    name: String,
    file: String,
    line: usize,
    no_mangle: bool,
    /// The body between its braces, sanitized and trimmed.
    body: String,
}

/// Comments become spaces; inside string and char literals the
/// structural characters become spaces (so `"{x}"` cannot unbalance the
/// braces) while the rest stays, so `extern "C"` is still visible.
/// Newlines are kept so line numbers still hold.
fn sanitize(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let structural = |c: char| matches!(c, '{' | '}' | '(' | ')' | '[' | ']' | ';' | '#');
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !is_ident(b.get(i.wrapping_sub(1)))
        {
            // Raw string r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.extend(&b[i..=j]);
            i = j + 1;
            while i < b.len() {
                if b[i] == '"' && (0..hashes).all(|h| b.get(i + 1 + h) == Some(&'#')) {
                    for _ in 0..=hashes {
                        out.push(b[i]);
                        i += 1;
                    }
                    break;
                }
                out.push(if structural(b[i]) { ' ' } else { b[i] });
                i += 1;
            }
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' && i + 1 < b.len() {
                    out.push_str("  ");
                    i += 2;
                    continue;
                }
                out.push(if structural(b[i]) { ' ' } else { b[i] });
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 2..b.len().min(i + 12)).find(|&k| b[k] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(end) => {
                    out.push('\'');
                    for _ in i + 1..end {
                        out.push(' ');
                    }
                    out.push('\'');
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// Index of the bracket matching the opening one at `open`.
fn matching(s: &[u8], open: usize) -> Option<usize> {
    let (o, c) = match s[open] {
        b'(' => (b'(', b')'),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (k, &ch) in s.iter().enumerate().skip(open) {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Index of the opening bracket matching the closing one at `close`.
fn matching_back(s: &[u8], close: usize) -> Option<usize> {
    let (o, c) = match s[close] {
        b']' => (b'[', b']'),
        b')' => (b'(', b')'),
        _ => return None,
    };
    let mut depth = 0usize;
    for k in (0..=close).rev() {
        if s[k] == c {
            depth += 1;
        } else if s[k] == o {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Every `extern "C" fn NAME` (or `extern fn`, `extern "C-unwind" fn`)
/// definition in `src`, with its attributes and body.
fn extern_fns(file: &str, src: &str) -> Result<Vec<ExternFn>, String> {
    let text = sanitize(src);
    let s = text.as_bytes();
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(off) = text[pos..].find("extern") {
        let at = pos + off;
        pos = at + 6;
        if is_ident(text[..at].chars().last().as_ref())
            || is_ident(text[at + 6..].chars().next().as_ref())
        {
            continue;
        }
        // Optional ABI string, then `fn NAME`.
        let mut k = at + 6;
        while k < s.len() && s[k].is_ascii_whitespace() {
            k += 1;
        }
        if k < s.len() && s[k] == b'"' {
            let end = text[k + 1..]
                .find('"')
                .map(|e| k + 1 + e)
                .ok_or("unterminated ABI string")?;
            k = end + 1;
            while k < s.len() && s[k].is_ascii_whitespace() {
                k += 1;
            }
        }
        if !text[k..].starts_with("fn") || is_ident(text[k + 2..].chars().next().as_ref()) {
            continue; // `extern "C" {` block or `extern crate`
        }
        k += 2;
        while k < s.len() && s[k].is_ascii_whitespace() {
            k += 1;
        }
        let name: String = text[k..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue; // a function pointer type: `extern "C" fn(…)`
        }
        let line = text[..at].matches('\n').count() + 1;
        // Parameters, then the body's opening brace (or `;` for a
        // declaration without a body, which is not a definition).
        let lparen = k + text[k..]
            .find('(')
            .ok_or(format!("{file}:{line}: no parameter list"))?;
        let rparen = matching(s, lparen).ok_or(format!("{file}:{line}: unbalanced parameters"))?;
        let brace = match text[rparen..].find(['{', ';']) {
            Some(b) if s[rparen + b] == b'{' => rparen + b,
            _ => continue,
        };
        let end = matching(s, brace).ok_or(format!("{file}:{line}: unbalanced body"))?;
        let body = text[brace + 1..end].trim().to_string();

        // Attributes: walk back over qualifiers, then over `#[…]` groups.
        let mut a = at;
        let mut attrs = Vec::new();
        loop {
            let before = text[..a].trim_end();
            a = before.len();
            if let Some(rest) = ["unsafe", "pub(crate)", "pub", "const", "async"]
                .iter()
                .find(|q| {
                    before.ends_with(*q)
                        && !is_ident(before[..before.len() - q.len()].chars().last().as_ref())
                })
            {
                a -= rest.len();
                continue;
            }
            if before.ends_with(']') {
                let open = matching_back(s, a - 1)
                    .ok_or(format!("{file}:{line}: unbalanced attribute"))?;
                let hash = text[..open].trim_end();
                if hash.ends_with('#') {
                    attrs.push(text[open + 1..a - 1].split_whitespace().collect::<String>());
                    a = hash.len() - 1;
                    continue;
                }
            }
            break;
        }
        let no_mangle = attrs
            .iter()
            .any(|a| a == "no_mangle" || a == "unsafe(no_mangle)");
        found.push(ExternFn {
            name,
            file: file.to_string(),
            line,
            no_mangle,
            body,
        });
    }
    Ok(found)
}

/// Problems with one function: the rule of ABI rule 4 and the naming.
fn check_fn(f: &ExternFn) -> Vec<String> {
    let mut bad = Vec::new();
    let at = format!("{}:{}: {}", f.file, f.line, f.name);
    if !f.no_mangle {
        bad.push(format!("{at}: extern \"C\" fn without #[no_mangle]"));
    }
    if !f.name.starts_with("ut_") {
        bad.push(format!("{at}: exported name does not start with ut_"));
    }
    // The body must be `guard(…)` (or `path::guard(…)`) and nothing else.
    let body = f.body.as_str();
    let call = body.find("guard").filter(|&g| {
        // Nothing before it, or a path: `boundary::guard`.
        let head = &body[..g];
        let path_ok = head.is_empty()
            || (head.ends_with("::")
                && head
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == ':'));
        path_ok && body[g + 5..].trim_start().starts_with('(')
    });
    match call {
        None => bad.push(format!("{at}: body does not start with a guard(…) call")),
        Some(g) => {
            let s = body.as_bytes();
            let open = g + 5 + (body[g + 5..].len() - body[g + 5..].trim_start().len());
            match matching(s, open) {
                Some(close) if body[close + 1..].trim().is_empty() => {}
                _ => bad.push(format!("{at}: body is more than one guard(…) call")),
            }
        }
    }
    bad
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The ABI crate (utx-c/).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository (the workspace root, the core crate's directory).
fn repo() -> PathBuf {
    root().join("..")
}

/// Functions declared in include/utx.h.
fn header_functions() -> BTreeSet<String> {
    let h = fs::read_to_string(repo().join("include/utx.h")).expect("include/utx.h");
    let h = sanitize(&h.replace("#", " "));
    let mut out = BTreeSet::new();
    // A declaration: `… ut_name(…);` at the top level.
    let s = h.as_bytes();
    let mut pos = 0;
    while let Some(off) = h[pos..].find("ut_") {
        let at = pos + off;
        pos = at + 3;
        if is_ident(h[..at].chars().last().as_ref()) {
            continue;
        }
        let name: String = h[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after = at + name.len();
        if !h[after..].starts_with('(') {
            continue;
        }
        if let Some(close) = matching(s, after) {
            if h[close + 1..].trim_start().starts_with(';') {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_exported_function_is_guarded() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for path in &files {
        let src = fs::read_to_string(path).unwrap();
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        for f in extern_fns(&rel, &src).unwrap_or_else(|e| panic!("{e}")) {
            problems.extend(check_fn(&f));
            if !names.insert(f.name.clone()) {
                problems.push(format!("{rel}:{}: {} defined twice", f.line, f.name));
            }
        }
    }
    assert!(
        names.contains("ut_reader_open") && names.len() >= 10,
        "scanner found too few functions: {names:?}"
    );
    assert!(
        problems.is_empty(),
        "panic-boundary violations:\n  {}",
        problems.join("\n  ")
    );

    let declared = header_functions();
    let missing: Vec<_> = declared.difference(&names).collect();
    let undeclared: Vec<_> = names.difference(&declared).collect();
    assert!(
        missing.is_empty() && undeclared.is_empty(),
        "include/utx.h and utx-c/src differ: declared but not exported {missing:?}, exported but not declared \
         {undeclared:?} (run `make header`)"
    );
}

/// `extern "C"` functions the core may define: callbacks it gives to the
/// bundled SQLite (its `open` system call, see src/source/sqlite.rs).
const CORE_CALLBACKS: &[(&str, &str)] = &[("src/source/sqlite.rs", "checked_open")];

#[test]
fn no_exports_outside_the_abi_crate() {
    let mut files = Vec::new();
    rust_files(&repo().join("src"), &mut files);
    assert!(files.len() > 10, "core sources not found: {files:?}");
    let mut bad = Vec::new();
    for path in &files {
        let text = sanitize(&fs::read_to_string(path).unwrap());
        for pat in ["no_mangle", "export_name"] {
            if text.contains(pat) {
                bad.push(format!("{}: {pat}", path.display()));
            }
        }
        // An `extern "C" fn` definition in the core would escape the check.
        let rel = path.display().to_string();
        for f in extern_fns(&rel, &fs::read_to_string(path).unwrap()).unwrap() {
            // A private callback handed to C code the core links (never
            // exported: no `no_mangle`, checked above), listed here by name.
            let callback = CORE_CALLBACKS
                .iter()
                .any(|(file, name)| rel.ends_with(file) && f.name == *name && !f.no_mangle);
            if !callback {
                bad.push(format!("{}:{}: extern fn {}", f.file, f.line, f.name));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "exported items in the core crate (src/): {bad:?}"
    );
}

/// Lines of `unsafe` blocks in `src` without a `// SAFETY:` comment on
/// the comment lines right above (or at the end of the line before).
fn unsafe_without_safety(src: &str) -> Vec<usize> {
    let code = sanitize(src);
    let raw: Vec<&str> = src.lines().collect();
    let mut bad = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let mut rest = line;
        let mut found = false;
        while let Some(at) = rest.find("unsafe") {
            let after = rest[at + 6..].trim_start();
            let before_ok = !is_ident(rest[..at].chars().last().as_ref());
            if before_ok && after.starts_with('{') {
                found = true;
            }
            rest = &rest[at + 6..];
        }
        if !found {
            continue;
        }
        // Walk up over comment lines (and attribute lines).
        let mut ok = raw[i].contains("SAFETY:");
        let mut k = i;
        while !ok && k > 0 {
            k -= 1;
            let t = raw[k].trim_start();
            if t.starts_with("//") {
                ok = t.contains("SAFETY:");
            } else if !t.starts_with("#[") {
                break;
            }
        }
        if !ok {
            bad.push(i + 1);
        }
    }
    bad
}

#[test]
fn every_unsafe_block_has_a_safety_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut bad = Vec::new();
    let mut blocks = 0;
    for path in &files {
        let src = fs::read_to_string(path).unwrap();
        blocks += sanitize(&src).matches("unsafe {").count();
        for line in unsafe_without_safety(&src) {
            bad.push(format!("{}:{line}", path.display()));
        }
    }
    assert!(blocks >= 10, "scanner found only {blocks} unsafe blocks");
    assert!(
        bad.is_empty(),
        "unsafe blocks without a `// SAFETY:` comment: {bad:?}"
    );
}

#[test]
fn safety_scanner_rejects_an_unexplained_block() {
    let good = "// SAFETY: fine.\nlet x = unsafe { f() };\n";
    assert!(unsafe_without_safety(good).is_empty());
    let good2 = "match x {\n    // SAFETY: fine.\n    Err(e) => unsafe { g() },\n}\n";
    assert!(unsafe_without_safety(good2).is_empty());
    let bad = "// A comment.\nlet x = unsafe { f() };\n";
    assert_eq!(unsafe_without_safety(bad), [2]);
    let far = "// SAFETY: about something else.\nlet y = 1;\nlet x = unsafe { f() };\n";
    assert_eq!(unsafe_without_safety(far), [3]);
    // `unsafe fn` and `unsafe extern` are not blocks.
    assert!(unsafe_without_safety("pub unsafe fn f() {}\n").is_empty());
}

#[test]
fn guard_catches_panics() {
    // The helper itself must be a real boundary.
    let src = fs::read_to_string(root().join("src/panic.rs")).unwrap();
    let text = sanitize(&src);
    let at = text
        .find("fn guard")
        .expect("fn guard in utx-c/src/panic.rs");
    let open = at + text[at..].find('{').unwrap();
    let close = matching(text.as_bytes(), open).unwrap();
    assert!(
        text[open..close].contains("catch_unwind"),
        "guard() does not call catch_unwind"
    );
}

// The scanner must reject what it is meant to reject.

fn problems_in(src: &str) -> Vec<String> {
    extern_fns("t.rs", src)
        .unwrap()
        .iter()
        .flat_map(check_fn)
        .collect()
}

#[test]
fn scanner_accepts_a_guarded_function() {
    let src = r#"
        /// Doc with a brace { and guard( in it.
        #[no_mangle]
        pub unsafe extern "C" fn ut_ok(p: *const c_char) -> ut_status {
            guard(UT_ERR_INTERNAL, || {
                let s = format!("{p:?} is NULL }}");
                let c = '}';
                if p.is_null() { return UT_ERR_NULL; }
                UT_OK
            })
        }
        #[unsafe(no_mangle)]
        pub extern "C" fn ut_other() -> *const c_char {
            boundary::guard(ptr::null(), || ptr::null())
        }
        type Callback = Option<unsafe extern "C" fn(x: i32) -> i32>;
        extern "C" { fn strlen(s: *const c_char) -> usize; }
    "#;
    let fns = extern_fns("t.rs", src).unwrap();
    assert_eq!(
        fns.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["ut_ok", "ut_other"]
    );
    assert_eq!(problems_in(src), Vec::<String>::new());
}

#[test]
fn scanner_rejects_statements_around_guard() {
    let before = "#[no_mangle] pub extern \"C\" fn ut_a() -> i32 { let x = 1; guard(0, || x) }";
    assert!(
        problems_in(before)
            .iter()
            .any(|p| p.contains("does not start with a guard")),
        "{:?}",
        problems_in(before)
    );
    let after = "#[no_mangle] pub extern \"C\" fn ut_b() -> i32 { guard(0, || 1); 2 }";
    assert!(
        problems_in(after)
            .iter()
            .any(|p| p.contains("more than one")),
        "{:?}",
        problems_in(after)
    );
    let two = "#[no_mangle] pub extern \"C\" fn ut_c() -> i32 { guard(0, || 1) + guard(0, || 2) }";
    assert!(
        problems_in(two).iter().any(|p| p.contains("more than one")),
        "{:?}",
        problems_in(two)
    );
    let none = "#[no_mangle] pub extern \"C\" fn ut_d() -> i32 { 1 }";
    assert!(!problems_in(none).is_empty());
    let renamed = "#[no_mangle] pub extern \"C\" fn ut_e() -> i32 { unguard(0, || 1) }";
    assert!(!problems_in(renamed).is_empty());
}

#[test]
fn scanner_rejects_missing_no_mangle_and_bad_names() {
    let no_attr = "pub extern \"C\" fn ut_f() -> i32 { guard(0, || 1) }";
    assert!(problems_in(no_attr).iter().any(|p| p.contains("no_mangle")));
    let other_attr = "#[inline] pub extern \"C\" fn ut_g() -> i32 { guard(0, || 1) }";
    assert!(problems_in(other_attr)
        .iter()
        .any(|p| p.contains("no_mangle")));
    let name = "#[no_mangle] pub unsafe extern \"C\" fn utx_h() -> i32 { guard(0, || 1) }";
    assert!(problems_in(name).iter().any(|p| p.contains("ut_")));
    let implicit_abi = "#[no_mangle] pub extern fn ut_i() -> i32 { 1 }";
    assert!(!problems_in(implicit_abi).is_empty());
}
