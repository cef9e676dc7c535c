//! Every exported C function's body is exactly one `guard(…)` call, so no
//! panic can cross the C boundary (DESIGN.md rule 4). Scans src/ffi/.

use std::fs;

/// Index just past the bracket that closes the one at `open`.
fn matching(text: &[u8], open: usize, (l, r): (u8, u8)) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    let mut in_str = false;
    while i < text.len() {
        let c = text[i];
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == l {
            depth += 1;
        } else if c == r {
            depth -= 1;
            if depth == 0 {
                return Some(i + 1);
            }
        }
        i += 1;
    }
    None
}

#[test]
fn every_exported_function_is_one_guard_call() {
    let mut checked = 0;
    for ent in fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ffi")).unwrap() {
        let path = ent.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let b = text.as_bytes();
        let mut from = 0;
        while let Some(pos) = text[from..].find("extern \"C\" fn ") {
            let at = from + pos;
            from = at + 1;
            let before = &text[..at];
            let line_start = before.rfind('\n').map_or(0, |n| n + 1);
            if !text[line_start..at].contains("pub") {
                continue;
            }
            let name: String = text[at + 14..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let params = at + text[at..].find('(').unwrap();
            let after_params = matching(b, params, (b'(', b')')).unwrap();
            let body_open = after_params + text[after_params..].find('{').unwrap();
            let body_close = matching(b, body_open, (b'{', b'}')).unwrap();
            let body = text[body_open + 1..body_close - 1].trim();
            assert!(
                body.starts_with("guard("),
                "{}: {name} does not start with guard(",
                path.display()
            );
            let call_end = matching(body.as_bytes(), 5, (b'(', b')')).unwrap();
            assert_eq!(
                body[call_end..].trim(),
                "",
                "{}: {name} has code after its guard(…) call",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} exported functions found");
}
