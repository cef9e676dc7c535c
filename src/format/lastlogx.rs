//! NetBSD lastlogx (FORMATS.md §4.2): a Berkeley DB 1.85 hash file keyed
//! by uid. Recognised by its magic; reading it is not supported yet.

use crate::error::{Error, ErrorKind};

/// DB 1.85 hash magic, as stored at offset 0 in either byte order.
const MAGIC: u32 = 0x0006_1561;

/// True when `head` starts with a DB 1.85 hash header (version 2).
pub fn looks_like(head: &[u8]) -> bool {
    if head.len() < 12 {
        return false;
    }
    let word = |i: usize, be: bool| {
        let b: [u8; 4] = head[i..i + 4].try_into().expect("4");
        if be {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    };
    [true, false]
        .into_iter()
        .any(|be| word(0, be) == MAGIC && word(4, be) == 2)
}

pub fn unsupported() -> Error {
    Error::new(
        ErrorKind::Unsupported,
        "NetBSD lastlogx is a Berkeley DB hash file, which utx cannot read yet; \
         read the flat /var/log/lastlog (format netbsd-lastlog-32-le) instead",
    )
}
