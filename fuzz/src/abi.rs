//! Targets through the C ABI (`utx-c`'s exported `ut_*` functions, called
//! as a C program calls them): the handles, out-parameters, error buffers
//! and the panic boundary, over the same hostile bytes.
//!
//! Besides "no crash", each checks: no call reports `UT_ERR_INTERNAL` (a
//! panic caught at the boundary), every string the library hands out is a
//! NUL-terminated string inside its buffer, an error buffer is always
//! NUL-terminated, `ut_reader_next` and `ut_reader_next_batch` give the
//! same entries, no more entries than input bytes, and `ut_reader_tell`
//! then `ut_reader_seek_offset` on a new reader continues exactly where
//! the first one stood.

use std::ffi::{c_char, CStr};
use std::ptr;

use utx_c::logind::ut_logind_list;
use utx_c::reader::*;
use utx_c::sessions::*;
use utx_c::strlist::*;
use utx_c::types::*;

/// A status that is not the boundary's "a panic was caught".
fn ok(st: ut_status, what: &str) -> ut_status {
    assert_ne!(
        st, UT_ERR_INTERNAL,
        "{what}: UT_ERR_INTERNAL (a caught panic)"
    );
    st
}

/// A string the library returned: non-NULL, NUL-terminated (reading it
/// is the check; under a sanitizer an overrun is a report).
fn text(p: *const c_char) -> Vec<u8> {
    assert!(!p.is_null(), "a NULL string");
    // SAFETY: the library promises a NUL-terminated string here.
    unsafe { CStr::from_ptr(p) }.to_bytes().to_vec()
}

/// What an entry is, for comparing two readings.
type Key = (u64, i64, i32, u32, u32, Vec<u8>, Vec<u8>, Vec<u8>);

fn key(e: &ut_entry) -> Key {
    assert_eq!(e.size as usize, std::mem::size_of::<ut_entry>());
    let _ = (text(e.id), text(e.service), text(e.addr_text));
    (
        e.offset,
        e.sec,
        e.raw_type,
        e.entry_type as u32,
        e.flags,
        text(e.user),
        text(e.line),
        text(e.host),
    )
}

struct Reader(*mut ut_reader);

impl Drop for Reader {
    fn drop(&mut self) {
        // SAFETY: a handle from ut_reader_open_memory, closed once.
        unsafe { ut_reader_close(self.0) };
    }
}

fn open(data: &[u8], flags: ut_open_flags) -> Option<Reader> {
    let mut r = ptr::null_mut();
    let mut err = [0x55 as c_char; 64];
    // SAFETY: valid pointers and lengths.
    let st = unsafe {
        ut_reader_open_memory(
            data.as_ptr(),
            data.len(),
            UT_FORMAT_AUTO,
            flags,
            &mut r,
            err.as_mut_ptr(),
            err.len(),
        )
    };
    ok(st, "ut_reader_open_memory");
    assert!(err.contains(&0), "the error buffer is not NUL-terminated");
    if st == UT_OK {
        assert!(!r.is_null());
        Some(Reader(r))
    } else {
        assert!(st < 0, "open: status {st}");
        assert!(r.is_null(), "a failed open stored a handle");
        assert!(err[0] != 0, "a failed open left no message");
        None
    }
}

/// The reader's last error message must be a string.
fn check_error(r: &Reader) {
    let mut msg = ptr::null();
    let mut errno = 0;
    // SAFETY: an open handle and valid out-pointers.
    ok(
        unsafe { ut_reader_error(r.0, &mut msg, &mut errno) },
        "error",
    );
    text(msg);
}

/// Up to `max` entries with ut_reader_next (all when `max` is None).
fn drain_next(r: &Reader, max: Option<usize>, limit: usize) -> Vec<Key> {
    let mut out = Vec::new();
    while max.is_none_or(|m| out.len() < m) {
        let mut e = ptr::null();
        // SAFETY: an open handle; `e` is written on UT_OK.
        let st = ok(unsafe { ut_reader_next(r.0, &mut e) }, "ut_reader_next");
        if st != UT_OK {
            if st < 0 {
                check_error(r);
            }
            break;
        }
        // SAFETY: valid until the next call on the reader.
        out.push(key(unsafe { &*e }));
        assert!(out.len() <= limit, "more entries than input bytes");
    }
    out
}

fn drain_batch(r: &Reader, cap: usize, limit: usize) -> Vec<Key> {
    let mut out = Vec::new();
    let mut slots = vec![ptr::null::<ut_entry>(); cap];
    loop {
        let mut n = usize::MAX;
        // SAFETY: `cap` writable slots.
        let st = ok(
            unsafe { ut_reader_next_batch(r.0, slots.as_mut_ptr(), cap, &mut n) },
            "ut_reader_next_batch",
        );
        if st != UT_OK {
            if st == UT_END {
                assert_eq!(n, 0, "UT_END with entries");
            } else {
                check_error(r);
            }
            return out;
        }
        assert!(
            n >= 1 && n <= cap.min(UT_BATCH_MAX),
            "batch of {n} for {cap}"
        );
        for &e in &slots[..n] {
            // SAFETY: valid until the next call on the reader.
            out.push(key(unsafe { &*e }));
        }
        assert!(out.len() <= limit, "more entries than input bytes");
    }
}

/// The whole records of a reading, without `UT_ENTRY_RECOVERED` (it
/// marks the entry read after skipped bytes, which depends on where
/// reading started). A trailing partial record is left out: `tell` stays
/// before it (a follower reads it again once it is complete), so a
/// reader continuing there reports it again.
fn without_recovered(v: &[Key]) -> Vec<Key> {
    v.iter()
        .filter(|k| k.4 & UT_ENTRY_PARTIAL_RECORD == 0)
        .map(|k| {
            let mut k = k.clone();
            k.4 &= !UT_ENTRY_RECOVERED;
            k
        })
        .collect()
}

/// `ut_reader_open_memory` with detection, then, through the C ABI: every
/// entry by `ut_reader_next` and again by `ut_reader_next_batch`,
/// `ut_reader_tell` / `ut_reader_seek_offset`, `ut_reader_seek_time`,
/// and sessions. Bytes 0..6: flags (bit 0 reverse), the batch capacity,
/// how many entries to read before `tell`, and the seek time (i32); the
/// rest is the file.
pub fn c_abi(data: &[u8]) {
    if data.len() < 7 {
        return;
    }
    let (head, file) = data.split_at(7);
    let reverse = head[0] & 1 != 0;
    let flags = if reverse { UT_OPEN_REVERSE } else { 0 };
    let cap = 1 + head[1] as usize; // up to 256, UT_BATCH_MAX
    let stop = head[2] as usize;
    let sec = i32::from_le_bytes([head[3], head[4], head[5], head[6]]) as i64;
    let limit = file.len();
    let Some(r) = open(file, flags) else {
        return;
    };
    let mut fmt = 0;
    // SAFETY: an open handle, valid out-pointers.
    ok(unsafe { ut_reader_format(r.0, &mut fmt) }, "format");
    let mut src = ptr::null();
    ok(unsafe { ut_reader_source(r.0, &mut src) }, "source");
    text(src);

    let all = drain_next(&r, None, limit);
    // SAFETY: an open handle.
    assert_eq!(ok(unsafe { ut_reader_rewind(r.0) }, "rewind"), UT_OK);
    let batched = drain_batch(&r, cap, limit);
    assert_eq!(
        all, batched,
        "ut_reader_next_batch differs from ut_reader_next"
    );
    let mut skipped = 0;
    ok(unsafe { ut_reader_skipped(r.0, &mut skipped) }, "skipped");
    if all.iter().any(|k| k.4 & UT_ENTRY_RECOVERED != 0) {
        assert!(skipped > 0, "RECOVERED entries but ut_reader_skipped is 0");
    }

    // tell after `stop` entries; a new reader seeking there reads the rest.
    unsafe { ut_reader_rewind(r.0) };
    let head_part = drain_next(&r, Some(stop), limit);
    let mut at = 0u64;
    let st = ok(unsafe { ut_reader_tell(r.0, &mut at) }, "tell");
    if st == UT_OK {
        let Some(r2) = open(file, flags) else {
            panic!("the same bytes opened once, not twice");
        };
        let st = ok(unsafe { ut_reader_seek_offset(r2.0, at) }, "seek_offset");
        assert_eq!(st, UT_OK, "seek_offset({at}) of what tell said");
        let tail = drain_next(&r2, None, limit);
        if head_part.len() == stop {
            assert_eq!(
                without_recovered(&tail),
                without_recovered(&all[stop.min(all.len())..]),
                "seek_offset(tell()) after {stop} entries does not continue there"
            );
        }
        // A bad offset is refused, the position unchanged.
        let st = ok(
            unsafe { ut_reader_seek_offset(r2.0, at + 1) },
            "seek_offset",
        );
        assert!(
            st < 0 || at + 1 == u64::MAX,
            "seek_offset({}) accepted",
            at + 1
        );
    } else {
        assert!(st < 0);
        check_error(&r);
    }

    // seek_time: never UT_END; then read on.
    let st = ok(unsafe { ut_reader_seek_time(r.0, sec) }, "seek_time");
    assert!(st <= UT_OK, "seek_time gave {st}");
    drain_next(&r, None, limit);
    let st = ok(
        unsafe { ut_reader_set_time_range(r.0, sec, sec.saturating_add(3600)) },
        "set_time_range",
    );
    assert_eq!(st, UT_OK);
    unsafe { ut_reader_rewind(r.0) };
    for k in drain_next(&r, None, limit) {
        assert!(
            (sec..=sec + 3600).contains(&k.1),
            "an entry outside the range"
        );
    }
    unsafe { ut_reader_set_time_range(r.0, i64::MIN, i64::MAX) };

    // Sessions: a reverse reader only.
    unsafe { ut_reader_rewind(r.0) };
    let mut s = ptr::null_mut();
    let mut err = [0x55 as c_char; 64];
    let st = ok(
        unsafe {
            ut_sessions_open(
                r.0,
                UT_SESSIONS_NO_LIVENESS,
                &mut s,
                err.as_mut_ptr(),
                err.len(),
            )
        },
        "ut_sessions_open",
    );
    assert!(err.contains(&0), "the error buffer is not NUL-terminated");
    if !reverse {
        assert!(st < 0, "sessions over a forward reader");
        return;
    }
    if st != UT_OK {
        return;
    }
    let mut n = 0usize;
    loop {
        let mut out = ptr::null();
        let st = ok(unsafe { ut_sessions_next(s, &mut out) }, "ut_sessions_next");
        if st != UT_OK {
            break;
        }
        // SAFETY: valid until the next call on the handle.
        let se = unsafe { &*out };
        assert_eq!(se.size as usize, std::mem::size_of::<ut_session>());
        let _ = (text(se.user), text(se.line), text(se.id), text(se.host));
        n += 1;
        assert!(n <= limit, "{n} sessions from {limit} bytes");
    }
    // SAFETY: handles opened above, each closed once (sessions first).
    unsafe { ut_sessions_close(s) };
}

/// A logind state tree built from the input, read through the C ABI
/// (`ut_reader_open_db_at` for utmp, which falls back to logind, and
/// `ut_logind_list` for each category). The input is a list of files:
/// a byte picking the directory (sessions, users, seats, machines) and
/// the name, a byte of length (×4), then the contents; byte 0 is the
/// reader's flags.
pub fn logind(data: &[u8]) {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let dir = std::env::temp_dir().join(format!("utx-fuzz-logind-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = dir.join("run/systemd");
    const DIRS: [&str; 4] = ["sessions", "users", "seats", "machines"];
    for d in DIRS {
        std::fs::create_dir_all(run.join(d)).expect("temp dir");
    }
    let (flags, mut rest) = match data.split_first() {
        Some((b, r)) => (*b, r),
        None => (0, data),
    };
    let mut files = 0;
    while rest.len() >= 2 && files < 32 {
        let (pick, len) = (rest[0], rest[1] as usize * 4);
        let body = &rest[2..(2 + len).min(rest.len())];
        rest = &rest[2 + body.len()..];
        let d = DIRS[pick as usize % 4];
        let n = pick / 4;
        let name = match d {
            "users" => format!("{}", 1000 + n as u32),
            "seats" => format!("seat{n}"),
            "machines" => format!("m{n}"),
            _ => format!("{n}"),
        };
        std::fs::write(run.join(d).join(name), body).expect("write a state file");
        files += 1;
    }
    let root = CString::new(dir.as_os_str().as_bytes()).expect("no NUL");
    let open_flags = (flags as u32) & (UT_OPEN_REVERSE | UT_OPEN_ALL_SESSIONS);
    let mut r = ptr::null_mut();
    let mut err = [0x55 as c_char; 64];
    let st = ok(
        unsafe {
            ut_reader_open_db_at(
                root.as_ptr(),
                UT_DB_UTMP,
                open_flags,
                &mut r,
                err.as_mut_ptr(),
                err.len(),
            )
        },
        "ut_reader_open_db_at",
    );
    assert!(err.contains(&0), "the error buffer is not NUL-terminated");
    if st == UT_OK {
        let r = Reader(r);
        let limit = data.len().max(1) * 4;
        let first = drain_next(&r, None, limit);
        unsafe { ut_reader_rewind(r.0) };
        let again = drain_next(&r, None, limit);
        assert_eq!(first.len(), again.len(), "a second reading differs");
    }
    for cat in [
        UT_LOGIND_SEATS,
        UT_LOGIND_SESSIONS,
        UT_LOGIND_USERS,
        UT_LOGIND_MACHINES,
    ] {
        let mut list = ptr::null_mut();
        let st = ok(
            unsafe { ut_logind_list(root.as_ptr(), cat, &mut list, err.as_mut_ptr(), err.len()) },
            "ut_logind_list",
        );
        if st != UT_OK {
            continue;
        }
        let mut n = 0;
        ok(unsafe { ut_strlist_count(list, &mut n) }, "count");
        assert!(n <= data.len() + 32, "{n} names from {} bytes", data.len());
        for i in 0..n {
            let mut s = ptr::null();
            assert_eq!(ok(unsafe { ut_strlist_get(list, i, &mut s) }, "get"), UT_OK);
            text(s);
        }
        let mut s = ptr::null();
        assert!(
            unsafe { ut_strlist_get(list, n, &mut s) } < 0,
            "get past the end"
        );
        unsafe { ut_strlist_close(list) };
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A seed for `logind`: a seat, two sessions (a tty and an ssh login),
/// two users and a machine, as systemd-logind and machined write them.
pub fn logind_seed() -> Vec<u8> {
    let files: [(u8, &str); 6] = [
        (2, "IS_SEAT0=1\nCAN_MULTI_SESSION=1\nACTIVE=3\nACTIVE_UID=1000\nSESSIONS=3\nUIDS=1000\n"),
        (3 * 4, "UID=1000\nUSER=alice\nACTIVE=1\nIS_DISPLAY=0\nSTATE=active\nREMOTE=0\nTYPE=tty\nCLASS=user\nSCOPE=session-3.scope\nSEAT=seat0\nTTY=tty1\nLEADER=1234\nREALTIME=1700000000000000\nMONOTONIC=100\n"),
        (4 * 4, "UID=1001\nUSER=bob\nACTIVE=1\nSTATE=online\nREMOTE=1\nTYPE=tty\nCLASS=user\nTTY=pts/0\nREMOTE_HOST=192.0.2.7\nSERVICE=sshd\nLEADER=2345\nREALTIME=1700000100000000\n"),
        (1, "NAME=alice\nSTATE=active\nSESSIONS=3\n"),
        (4 + 1, "NAME=bob\nSTATE=online\nSESSIONS=4\n"),
        (3, "NAME=debian-12\nCLASS=container\nLEADER=1\n"),
    ];
    let mut out = vec![0u8];
    for (pick, body) in files {
        let body = body.as_bytes();
        let len = body.len().div_ceil(4);
        out.push(pick);
        out.push(len as u8);
        out.extend(body);
        out.resize(out.len() + (len * 4 - body.len()), b'\n');
    }
    out
}
