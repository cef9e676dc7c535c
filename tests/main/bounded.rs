//! Bounded work on hostile input (issue 10); the C-level cases, each in a
//! child with a time and a memory bound, are in tests/hostile/.

use crate::helpers::*;
use std::io::Write;
use utx::{ErrorKind, Format, GzipLimits, Options, Reader};

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A `.gz` that expands past the caller's limit is refused, with a status
/// and a message, before more than the limit is written.
#[test]
fn gzip_past_its_limit_is_refused() {
    let dir = Scratch::new("gz-limit");
    let wtmp = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/wtmp")).unwrap();
    let mut big = Vec::new();
    while big.len() < 2 << 20 {
        big.extend_from_slice(&wtmp);
    }
    let path = dir.write("wtmp.1.gz", &gz(&big));
    let opts = |max_bytes| Options {
        gzip: GzipLimits {
            max_bytes,
            ..GzipLimits::default()
        },
        ..Options::default()
    };
    let err = Reader::open(&path, opts(1 << 20)).err().expect("refused");
    assert_eq!(err.kind, ErrorKind::Unsupported, "{}", err.message);
    assert!(err.message.contains("gzip bomb"), "{}", err.message);
    let n = Reader::open(&path, opts(4 << 20)).unwrap().count();
    assert_eq!(n, big.len() / 384);
}

/// Ratio: zeros expand about 1000 times; past the first 64 MiB that is
/// refused, whatever the byte limit.
#[test]
fn gzip_bomb_is_refused_by_its_ratio() {
    let dir = Scratch::new("gz-ratio");
    // 80 gzip members of 1 MiB of zeros each (gzip readers read them all).
    let member = gz(&vec![0u8; 1 << 20]);
    let path = dir.write("bomb.gz", &member.repeat(80));
    let err = Reader::open(&path, Options::default())
        .err()
        .expect("refused");
    assert_eq!(err.kind, ErrorKind::Unsupported, "{}", err.message);
}

/// logind state files: a FIFO never blocks, a huge file is refused.
#[test]
fn logind_state_files_are_type_checked_and_capped() {
    let root = Scratch::new("logind-hostile");
    logind_tree(&root, &standard_sessions(now_us()));
    let sessions = root.join("run/systemd/sessions");
    let fifo = sessions.join("hostile");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let opts = Options {
        format: Format::Logind,
        ..Options::default()
    };
    let dir = root.join("run/systemd");
    let err = Reader::open(&dir, opts).err().expect("FIFO refused");
    assert_eq!(err.kind, ErrorKind::InvalidArgument, "{}", err.message);
    std::fs::remove_file(&fifo).unwrap();
    let f = std::fs::File::create(&fifo).unwrap();
    f.set_len(utx::format::logind::MAX_STATE_FILE as u64 + 1)
        .unwrap();
    let err = Reader::open(&dir, opts).err().expect("huge file refused");
    assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
    f.set_len(utx::format::logind::MAX_STATE_FILE as u64)
        .unwrap();
    assert!(Reader::open(&dir, opts).is_ok());
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;

    /// `n` sessions with a logout, in one transaction.
    fn many_rows(db: &std::path::Path, n: i64) {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch(WTMPDB_SCHEMA).unwrap();
        conn.execute(
            "WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < ?1) \
             INSERT INTO wtmp (Type, User, Login, Logout, TTY, RemoteHost, Service) \
             SELECT 3, 'user', i * 1000000, i * 1000000 + 500, 'pts/1', 'host', 'sshd' FROM r",
            [n],
        )
        .unwrap();
    }

    /// A view (here over an endless recursive query) is refused at once,
    /// detected or forced, for both database kinds.
    #[test]
    fn views_are_refused() {
        let dir = Scratch::new("sqlite-view");
        let db = dir.join("view.db");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE VIEW wtmp AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) \
             SELECT i AS ID, 3 AS Type, 'u' AS User, i AS Login, NULL AS Logout, '' AS TTY, \
             '' AS RemoteHost, '' AS Service FROM r ORDER BY i DESC; \
             CREATE VIEW Lastlog2 AS SELECT 'u' AS Name, 1 AS Time, '' AS TTY, '' AS RemoteHost, \
             '' AS Service;",
        )
        .unwrap();
        drop(conn);
        for format in [Format::Auto, Format::Wtmpdb, Format::Lastlog2] {
            let opts = Options {
                format,
                ..Options::default()
            };
            let err = Reader::open(&db, opts).err().expect("view refused");
            assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
        }
    }

    /// A corrupt database is a format error, not an I/O error.
    #[test]
    fn corrupt_database_is_a_format_error() {
        let dir = Scratch::new("sqlite-corrupt");
        let db = dir.join("wtmp.db");
        many_rows(&db, 2000);
        let mut bytes = std::fs::read(&db).unwrap();
        let page = 4096;
        for b in &mut bytes[page..page * 8] {
            *b = b'x';
        }
        std::fs::write(&db, &bytes).unwrap();
        let err = match Reader::open(&db, Options::default()) {
            Err(e) => e,
            Ok(r) => r
                .into_iter()
                .find_map(|e| e.err())
                .expect("a corrupt database gives an error"),
        };
        assert_eq!(err.kind, ErrorKind::NotRecognised, "{}", err.message);
    }

    /// A text field longer than MAX_FIELD is cut, never copied whole.
    #[test]
    fn long_fields_are_cut() {
        let dir = Scratch::new("sqlite-long");
        let db = dir.join("wtmp.db");
        let user = "u".repeat(1 << 20);
        write_wtmpdb(&db, &[(3, &user, 1, None, "pts/0", None, None)]);
        let e = Reader::open(&db, Options::default())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(e.user.as_bytes().len(), utx::source::sqlite::MAX_FIELD);
    }

    /// No lock is held between reads: a writer commits with no busy
    /// timeout at all while a reader is in the middle of the database,
    /// forward and newest first; the reader still gives every entry.
    #[test]
    fn a_writer_never_waits_for_a_reader_between_pages() {
        let dir = Scratch::new("sqlite-writer");
        let db = dir.join("wtmp.db");
        many_rows(&db, 3000);
        for reverse in [false, true] {
            let opts = Options {
                reverse,
                ..Options::default()
            };
            let r = Reader::open(&db, opts).unwrap();
            let mut n = 0;
            let writer = rusqlite::Connection::open(&db).unwrap();
            writer.busy_timeout(std::time::Duration::ZERO).unwrap();
            for e in r {
                e.unwrap();
                n += 1;
                if n % 700 == 0 {
                    writer
                        .execute_batch(
                            "BEGIN IMMEDIATE; UPDATE wtmp SET TTY = 'pts/2' WHERE ID = 1; COMMIT;",
                        )
                        .unwrap();
                }
            }
            assert_eq!(n, 6000);
        }
    }
}

/// Several .gz read as one history give the same entries after a rewind
/// (each released copy is made again), forward and newest first.
#[test]
fn released_gzip_copies_are_made_again() {
    let dir = Scratch::new("gz-release");
    let wtmp = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/wtmp")).unwrap();
    let paths: Vec<_> = (0..3)
        .map(|i| dir.write(&format!("wtmp.{i}.gz"), &gz(&wtmp)))
        .collect();
    for reverse in [false, true] {
        let opts = Options {
            reverse,
            ..Options::default()
        };
        let mut r = Reader::open_files(&paths, opts).unwrap();
        let key = |e: utx::Entry| (e.offset, e.sec, e.usec);
        let first: Vec<_> = r.by_ref().map(|e| key(e.unwrap())).collect();
        assert_eq!(first.len(), 3 * wtmp.len() / 384);
        r.rewind().unwrap();
        let again: Vec<_> = r.by_ref().map(|e| key(e.unwrap())).collect();
        assert_eq!(first, again);
    }
}
