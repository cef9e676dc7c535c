//! systemd "env files" as logind writes its state (FORMATS.md §2.14):
//! `KEY=value` lines, `#`/`;` comment lines, values unquoted, in double
//! quotes (backslash escapes `\"`, `\\`, `` \` ``, `\$`, line continuation)
//! or in single quotes (literal). This follows systemd's `parse_env_file`
//! closely enough for every value logind writes; unknown keys are kept.

/// The key/value pairs of an env file, in file order (a later duplicate
/// wins in [`EnvFile::get`]).
#[derive(Debug, Default, Clone)]
pub struct EnvFile {
    pairs: Vec<(String, Vec<u8>)>,
}

impl EnvFile {
    /// The value of `key`, raw bytes; `None` when absent.
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// The value as UTF-8 text (lossy), `None` when absent.
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.get(key)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// The value parsed as a decimal integer, `None` when absent or bad.
    pub fn get_int(&self, key: &str) -> Option<i64> {
        std::str::from_utf8(self.get(key)?)
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Set `key` (a later value wins over the file's).
    pub fn set(&mut self, key: &str, value: Vec<u8>) {
        self.pairs.push((key.to_string(), value));
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Before a key, at the start of a line.
    LineStart,
    Key,
    /// In a comment, up to the end of the line.
    Comment,
    /// After `=`, before the value's first non-blank byte.
    PreValue,
    Value,
    ValueEscape,
    SingleQuote,
    DoubleQuote,
    DoubleQuoteEscape,
}

/// Parse env-file text. Never fails: a malformed line is skipped, as
/// systemd skips lines without `=`.
pub fn parse(text: &[u8]) -> EnvFile {
    let mut out = EnvFile::default();
    let mut state = State::LineStart;
    let mut key: Vec<u8> = Vec::new();
    let mut value: Vec<u8> = Vec::new();
    // Length of `value` up to its last byte that is not trailing blank
    // (unquoted trailing whitespace is dropped, quoted is kept).
    let mut keep = 0usize;

    let mut finish = |key: &mut Vec<u8>, value: &mut Vec<u8>, keep: usize| {
        value.truncate(keep);
        let k = String::from_utf8_lossy(key.trim_ascii()).into_owned();
        if !k.is_empty() {
            out.pairs.push((k, std::mem::take(value)));
        }
        key.clear();
        value.clear();
    };

    for &b in text.iter().chain(std::iter::once(&b'\n')) {
        state = match state {
            State::LineStart => match b {
                b'#' | b';' => State::Comment,
                b'\n' | b'\r' | b' ' | b'\t' => State::LineStart,
                _ => {
                    key.push(b);
                    State::Key
                }
            },
            State::Comment => {
                if b == b'\n' {
                    State::LineStart
                } else {
                    State::Comment
                }
            }
            State::Key => match b {
                b'=' => {
                    keep = 0;
                    State::PreValue
                }
                b'\n' => {
                    // No '=': not an assignment.
                    key.clear();
                    State::LineStart
                }
                _ => {
                    key.push(b);
                    State::Key
                }
            },
            State::PreValue | State::Value => match b {
                b'\n' => {
                    finish(&mut key, &mut value, keep);
                    State::LineStart
                }
                b' ' | b'\t' if state == State::PreValue => State::PreValue,
                b'\'' => State::SingleQuote,
                b'"' => State::DoubleQuote,
                b'\\' => State::ValueEscape,
                _ => {
                    value.push(b);
                    if !matches!(b, b' ' | b'\t' | b'\r') {
                        keep = value.len();
                    }
                    State::Value
                }
            },
            State::ValueEscape => {
                // Backslash-newline continues the line; otherwise literal.
                if b != b'\n' {
                    value.push(b);
                    keep = value.len();
                }
                State::Value
            }
            State::SingleQuote => {
                if b == b'\'' {
                    keep = value.len();
                    State::Value
                } else {
                    value.push(b);
                    State::SingleQuote
                }
            }
            State::DoubleQuote => match b {
                b'"' => {
                    keep = value.len();
                    State::Value
                }
                b'\\' => State::DoubleQuoteEscape,
                _ => {
                    value.push(b);
                    State::DoubleQuote
                }
            },
            State::DoubleQuoteEscape => {
                match b {
                    b'\n' => {}
                    b'"' | b'\\' | b'`' | b'$' => value.push(b),
                    _ => {
                        value.push(b'\\');
                        value.push(b);
                    }
                }
                State::DoubleQuote
            }
        };
    }
    // An unterminated quote at the end of the file: keep what was read.
    if matches!(
        state,
        State::SingleQuote | State::DoubleQuote | State::DoubleQuoteEscape
    ) {
        // Drop the newline this parser appended as an end marker.
        if state != State::DoubleQuoteEscape && value.last() == Some(&b'\n') {
            value.pop();
        }
        let n = value.len();
        finish(&mut key, &mut value, n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logind_session_file() {
        let f = parse(
            b"# This is private data. Do not parse.\n\
              UID=1000\nUSER=alice\nACTIVE=1\nSTATE=active\n\
              REMOTE_HOST=\"host with \\\"quotes\\\" and \\\\ \"\n\
              SERVICE='sshd'\n  TTY = /dev/pts/0  \n; other comment\nnoequals\n\
              DESKTOP=a\\ b\\\nc\n",
        );
        assert_eq!(f.get("UID"), Some(&b"1000"[..]));
        assert_eq!(f.get_int("UID"), Some(1000));
        assert_eq!(f.get("USER"), Some(&b"alice"[..]));
        assert_eq!(
            f.get("REMOTE_HOST"),
            Some(&b"host with \"quotes\" and \\ "[..])
        );
        assert_eq!(f.get("SERVICE"), Some(&b"sshd"[..]));
        assert_eq!(f.get("TTY"), Some(&b"/dev/pts/0"[..]));
        assert_eq!(f.get("DESKTOP"), Some(&b"a bc"[..]));
        assert_eq!(f.get("noequals"), None);
        assert_eq!(f.get("MISSING"), None);
        assert_eq!(f.len(), 8);
    }

    #[test]
    fn empty_and_garbage() {
        assert!(parse(b"").is_empty());
        assert!(parse(b"\0\xff\n=x\n#").is_empty());
        let f = parse(b"A=\"unterminated");
        assert_eq!(f.get("A"), Some(&b"unterminated"[..]));
        let f = parse(b"A=1\nA=2\r\n");
        assert_eq!(f.get("A"), Some(&b"2"[..]));
    }

    /// Random bytes drawn from the characters that steer the parser never
    /// panic, and every key comes out trimmed and non-empty.
    #[test]
    fn random_input_never_panics() {
        let alphabet = b"AB=#;'\"\\ \t\r\n\x00\xffx";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut buf = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 64) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                buf.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let f = parse(&buf);
            for (k, _) in &f.pairs {
                assert!(!k.is_empty());
                assert_eq!(k.trim(), k.as_str());
            }
        }
    }
}
