//! `ut_writer`: a `utx::Writer` (records of one fixed-size layout written
//! the way that system's libc writes them), `ut_entry_encode`, and glibc
//! libutil's `login`, `logout` and `logwtmp` (`ut_login`, `ut_logout`,
//! `ut_logwtmp` and their `_at` forms with paths).

use std::ffi::CStr;
use std::os::raw::{c_char, c_void};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::ffi::{check_flags, free_handle, into_handle, path_of, LastError};
use crate::panic::guard;
use crate::types::*;
use utx::entry::{AddrFamily, StrField};
use utx::write::{self as w, Mode};
use utx::{Entry, EntryType, Error, ErrorKind, Format, Writer};

/// A file open for writing. Opaque; create with `ut_writer_open`, free
/// with `ut_writer_close`. Not for use by two threads at once.
pub struct ut_writer {
    writer: Writer,
    entry: Entry,
    batch: Vec<Entry>,
    error: LastError,
}

/// glibc's `_PATH_UTMP` and `_PATH_WTMP`.
const PATH_UTMP: &str = "/var/run/utmp";
const PATH_WTMP: &str = "/var/log/wtmp";

fn invalid(msg: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// A C string argument's bytes; NULL is "".
///
/// # Safety
/// `p` is NULL or NUL-terminated.
unsafe fn bytes<'a>(p: *const c_char) -> &'a [u8] {
    // SAFETY: forwarded to the caller.
    unsafe { crate::ffi::c_str(p) }.map_or(&[], CStr::to_bytes)
}

/// A path argument; NULL is `default`.
///
/// # Safety
/// `p` is NULL or NUL-terminated.
unsafe fn path_or(p: *const c_char, default: &str) -> &Path {
    // SAFETY: forwarded to the caller.
    unsafe { crate::ffi::c_str(p) }.map_or(Path::new(default), path_of)
}

/// Fill `e` from the caller's `ut_entry`: its `size` must cover every
/// field up to `format`; NULL strings are "".
///
/// # Safety
/// `c` is a readable `ut_entry` of at least `c.size` bytes whose string
/// pointers are NULL or NUL-terminated.
unsafe fn entry_from(c: &ut_entry, e: &mut Entry) -> Result<(), Error> {
    let need = std::mem::offset_of!(ut_entry, format);
    if (c.size as usize) < need {
        return Err(invalid(
            "ut_entry.size is smaller than the fields a writer reads",
        ));
    }
    let t = EntryType::from_i32(c.entry_type)
        .ok_or_else(|| invalid(&format!("unknown entry type {}", c.entry_type)))?;
    e.reset(Format::Auto, 0);
    e.entry_type = t;
    e.raw_type = c.raw_type;
    for (which, p) in [
        (StrField::User, c.user),
        (StrField::Line, c.line),
        (StrField::Id, c.id),
        (StrField::Host, c.host),
        (StrField::Service, c.service),
    ] {
        // SAFETY: NULL or NUL-terminated (the contract).
        e.set_str(which, unsafe { bytes(p) });
    }
    e.pid = c.pid;
    e.session = c.session;
    e.uid = c.uid;
    e.exit_termination = c.exit_termination;
    e.exit_status = c.exit_status;
    e.sec = c.sec;
    e.usec = c.usec;
    match c.addr_family {
        UT_ADDR_NONE => {}
        UT_ADDR_IPV4 => e.set_ipv4([c.addr[0], c.addr[1], c.addr[2], c.addr[3]]),
        UT_ADDR_IPV6 => e.set_addr_v6_bytes(&c.addr),
        n => return Err(invalid(&format!("unknown address family {n}"))),
    }
    if c.addr_family == UT_ADDR_IPV6 && e.addr_family != AddrFamily::Ipv6 {
        // 16 bytes with zero words 1–3 read as IPv4; keep the caller's.
        e.addr_family = AddrFamily::Ipv6;
        e.addr = c.addr;
    }
    Ok(())
}

/// Open `path` to write records of `format` (`UT_FORMAT_AUTO`: detect
/// from a non-empty file). `flags`: `UT_WRITE_CREATE` creates a missing
/// file (0664, never through a symlink); `UT_WRITE_SLOTS` writes utmp
/// slots as `pututxline` does (default: append as `updwtmpx`; lastlog
/// layouts always write at `uid × size`); `UT_WRITE_STRICT` refuses an
/// entry with a field that would be cut. Only fixed-size record formats
/// can be written (else `UT_ERR_UNSUPPORTED`); a non-empty file of
/// another format is `UT_ERR_FORMAT`.
#[no_mangle]
pub unsafe extern "C" fn ut_writer_open(
    path: *const c_char,
    format: ut_format,
    flags: u32,
    out: *mut *mut ut_writer,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let out = try_out!(out, err.null("out"));
        // SAFETY: NULL or a C string (the contract).
        let Some(path) = (unsafe { crate::ffi::c_str(path) }) else {
            out.write(std::ptr::null_mut());
            return err.null("path");
        };
        let known = UT_WRITE_CREATE | UT_WRITE_SLOTS | UT_WRITE_STRICT;
        let opened = check_flags(flags, known, "ut_writer_open").and_then(|()| {
            let format = Format::from_u32(format)
                .ok_or_else(|| invalid(&format!("unknown format {format}")))?;
            let opts = w::Options {
                format,
                mode: (flags & UT_WRITE_SLOTS != 0).then_some(Mode::Slots),
                create: flags & UT_WRITE_CREATE != 0,
                strict: flags & UT_WRITE_STRICT != 0,
                ..w::Options::default()
            };
            Writer::open(path_of(path), opts)
        });
        match opened {
            Ok(writer) => {
                out.write(into_handle(ut_writer {
                    writer,
                    entry: Entry::default(),
                    batch: Vec::new(),
                    error: LastError::default(),
                }));
                err.ok()
            }
            Err(e) => {
                out.write(std::ptr::null_mut());
                err.fail(&e)
            }
        }
    })
}

/// Write one entry (its `size` set; unknown numbers -1; NULL strings are
/// ""). A slot file replaces the record `pututxline` would; a log
/// appends; a lastlog writes the record of `entry->uid`. `cut` (may be
/// NULL) receives the `UT_CUT_*` bits of the fields that were cut. An
/// entry whose time or type the layout cannot hold is `UT_ERR_INVALID`;
/// another writer holding the lock past 10 s is `UT_ERR_BUSY`. On an
/// error the file is unchanged.
#[no_mangle]
pub unsafe extern "C" fn ut_writer_put(
    writer: *mut ut_writer,
    entry: *const ut_entry,
    cut: *mut u32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let wr = try_mut!(writer);
        let c = try_ref!(entry);
        // SAFETY: a readable ut_entry of `size` bytes (the contract).
        if let Err(e) = unsafe { entry_from(c, &mut wr.entry) } {
            return wr.error.record(&e);
        }
        match wr.writer.put(&wr.entry) {
            Ok(bits) => {
                // SAFETY: NULL or writable (the contract).
                if let Some(o) = unsafe { crate::ffi::Out::new(cut) } {
                    o.write(bits);
                }
                UT_OK
            }
            Err(e) => wr.error.record(&e),
        }
    })
}

/// `ut_writer_put` for `count` entries at once, under one lock (a log
/// gets one `pwrite`); all or nothing.
#[no_mangle]
pub unsafe extern "C" fn ut_writer_put_many(
    writer: *mut ut_writer,
    entries: *const ut_entry,
    count: usize,
    cut: *mut u32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let wr = try_mut!(writer);
        if entries.is_null() {
            return UT_ERR_NULL;
        }
        wr.batch.resize_with(count, Entry::default);
        for i in 0..count {
            // SAFETY: `entries` holds `count` readable ut_entry (the contract).
            let c = unsafe { &*entries.add(i) };
            // SAFETY: as for ut_writer_put.
            if let Err(e) = unsafe { entry_from(c, &mut wr.batch[i]) } {
                return wr.error.record(&e);
            }
        }
        match wr.writer.put_all(&wr.batch) {
            Ok(bits) => {
                // SAFETY: NULL or writable (the contract).
                if let Some(o) = unsafe { crate::ffi::Out::new(cut) } {
                    o.write(bits);
                }
                UT_OK
            }
            Err(e) => wr.error.record(&e),
        }
    })
}

/// The last failure on this writer: a message (valid until the next call
/// on it) and the OS errno. Either output may be NULL.
#[no_mangle]
pub unsafe extern "C" fn ut_writer_error(
    writer: *const ut_writer,
    message: *mut *const c_char,
    os_errno: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let wr = try_ref!(writer);
        // SAFETY: either output is NULL or writable (the contract).
        unsafe { wr.error.report(message, os_errno) };
        UT_OK
    })
}

/// The format a writer writes (the detected one after `UT_FORMAT_AUTO`).
#[no_mangle]
pub unsafe extern "C" fn ut_writer_format(
    writer: *const ut_writer,
    format: *mut ut_format,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(writer, format, |w| w.writer.format() as u32)
    })
}

/// Close a writer; NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_writer_close(writer: *mut ut_writer) {
    guard((), || {
        // SAFETY: NULL or from ut_writer_open, closed once (the contract).
        unsafe { free_handle(writer) }
    })
}

/// One record of the fixed-size `format` from `entry` into `buf` (`len`
/// bytes), the inverse of reading it: `*written` gets the record size,
/// `cut` (may be NULL) the `UT_CUT_*` bits of the fields cut as that
/// system's libc cuts them. `UT_FORMAT_AUTO` is this host's utmp
/// layout. A buffer shorter than a record is
/// `UT_ERR_INVALID`; a format that is not fixed-size records is
/// `UT_ERR_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn ut_entry_encode(
    entry: *const ut_entry,
    format: ut_format,
    buf: *mut c_void,
    len: usize,
    written: *mut usize,
    cut: *mut u32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let c = try_ref!(entry);
        let written = try_out!(written);
        if buf.is_null() {
            return UT_ERR_NULL;
        }
        let format = match Format::from_u32(format) {
            Some(Format::Auto) => utx::format::detect::native_format(),
            Some(f) => f,
            None => return UT_ERR_INVALID,
        };
        let mut e = Entry::default();
        // SAFETY: a readable ut_entry (the contract).
        if let Err(err) = unsafe { entry_from(c, &mut e) } {
            return crate::ffi::status_of(err.kind);
        }
        // SAFETY: `buf` holds `len` writable bytes (the contract).
        let out = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
        match w::encode(&e, format, out) {
            Ok((n, bits)) => {
                written.write(n);
                // SAFETY: NULL or writable (the contract).
                if let Some(o) = unsafe { crate::ffi::Out::new(cut) } {
                    o.write(bits);
                }
                UT_OK
            }
            Err(err) => crate::ffi::status_of(err.kind),
        }
    })
}

fn now() -> (i64, i32) {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_micros() as i32)
}

/// The terminal of fd 0, 1 or 2 as glibc's `login` names it: without
/// `/dev/`, else its last component; empty when none is a terminal.
fn tty_line() -> Vec<u8> {
    for fd in 0..3 {
        let mut buf = [0 as c_char; 256];
        // SAFETY: ttyname_r writes at most `buf.len()` bytes to `buf`.
        if unsafe { libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len()) } == 0 {
            // SAFETY: ttyname_r succeeded, so `buf` holds a C string.
            let name = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes();
            return match name.strip_prefix(b"/dev/") {
                Some(rest) => rest.to_vec(),
                None => name.rsplit(|&b| b == b'/').next().unwrap_or(name).to_vec(),
            };
        }
    }
    Vec::new()
}

/// glibc `login(3)` on the given files (NULL: `/var/run/utmp`,
/// `/var/log/wtmp`): `entry` as USER_PROCESS with this process's pid, on
/// the terminal of stdin, stdout or stderr, written to that utmp slot
/// (skipped when none is a terminal, as glibc does) and appended to
/// wtmp. Both files must exist.
#[no_mangle]
pub unsafe extern "C" fn ut_login_at(
    utmp: *const c_char,
    wtmp: *const c_char,
    entry: *const ut_entry,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let c = try_ref!(entry);
        let mut e = Entry::default();
        // SAFETY: a readable ut_entry; paths NULL or C strings (the contract).
        let r = unsafe { entry_from(c, &mut e) }.and_then(|()| {
            // SAFETY: NULL or C strings (the contract).
            let (u, wt) = unsafe { (path_or(utmp, PATH_UTMP), path_or(wtmp, PATH_WTMP)) };
            w::login(u, wt, &e, &tty_line(), std::process::id() as i64)
        });
        r.map_or_else(|err| crate::ffi::status_of(err.kind), |_| UT_OK)
    })
}

/// `ut_login_at(NULL, NULL, entry)`.
#[no_mangle]
pub unsafe extern "C" fn ut_login(entry: *const ut_entry) -> ut_status {
    // SAFETY: forwarded (the same contract).
    guard(UT_ERR_INTERNAL, || unsafe {
        ut_login_at(std::ptr::null(), std::ptr::null(), entry)
    })
}

/// glibc `logout(3)` on `utmp` (NULL: `/var/run/utmp`): the first
/// USER_PROCESS or LOGIN_PROCESS slot on `line` becomes DEAD_PROCESS at
/// `sec`.`usec`, its user and host cleared. `UT_OK` when a slot was
/// changed, `UT_END` when none matched. Like glibc's, wtmp is not
/// written (use `ut_logwtmp`). A negative time is `UT_ERR_INVALID`.
#[no_mangle]
pub unsafe extern "C" fn ut_logout_at(
    utmp: *const c_char,
    line: *const c_char,
    sec: i64,
    usec: i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let line = try_cstr!(line);
        if sec < 0 || !(0..1_000_000).contains(&usec) {
            return UT_ERR_INVALID;
        }
        // SAFETY: NULL or a C string (the contract).
        let path = unsafe { path_or(utmp, PATH_UTMP) };
        match w::logout(path, line.to_bytes(), sec, usec) {
            Ok(true) => UT_OK,
            Ok(false) => UT_END,
            Err(err) => crate::ffi::status_of(err.kind),
        }
    })
}

/// `ut_logout_at(NULL, line, now)`.
#[no_mangle]
pub unsafe extern "C" fn ut_logout(line: *const c_char) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let (sec, usec) = now();
        // SAFETY: forwarded (the same contract).
        unsafe { ut_logout_at(std::ptr::null(), line, sec, usec) }
    })
}

/// glibc `logwtmp(3)` on `wtmp` (NULL: `/var/log/wtmp`): append a record
/// on `line` for `user` from `host` (USER_PROCESS, or DEAD_PROCESS when
/// `user` is ""), this process's pid, time `sec`.`usec`. NULL strings are
/// "". A negative time is `UT_ERR_INVALID`.
#[no_mangle]
pub unsafe extern "C" fn ut_logwtmp_at(
    wtmp: *const c_char,
    line: *const c_char,
    user: *const c_char,
    host: *const c_char,
    sec: i64,
    usec: i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if sec < 0 || !(0..1_000_000).contains(&usec) {
            return UT_ERR_INVALID;
        }
        // SAFETY: NULL or C strings (the contract).
        let (path, line, user, host) = unsafe {
            (
                path_or(wtmp, PATH_WTMP),
                bytes(line),
                bytes(user),
                bytes(host),
            )
        };
        let pid = std::process::id() as i64;
        match w::logwtmp(path, line, user, host, pid, sec, usec) {
            Ok(_) => UT_OK,
            Err(err) => crate::ffi::status_of(err.kind),
        }
    })
}

/// `ut_logwtmp_at(NULL, line, user, host, now)`.
#[no_mangle]
pub unsafe extern "C" fn ut_logwtmp(
    line: *const c_char,
    user: *const c_char,
    host: *const c_char,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let (sec, usec) = now();
        // SAFETY: forwarded (the same contract).
        unsafe { ut_logwtmp_at(std::ptr::null(), line, user, host, sec, usec) }
    })
}

/// This host's utmp and wtmp layout (what glibc writes here), for a new
/// file.
#[no_mangle]
pub unsafe extern "C" fn ut_native_format(format: *mut ut_format) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        try_out!(format).write(utx::format::detect::native_format() as u32);
        UT_OK
    })
}

/// wtmpdb's and lastlog2's default databases.
const PATH_WTMPDB: &str = "/var/lib/wtmpdb/wtmp.db";
const PATH_LASTLOG2: &str = "/var/lib/lastlog/lastlog2.db";

/// libwtmpdb's `wtmpdb_login` on `db` (NULL: /var/lib/wtmpdb/wtmp.db;
/// created with the upstream schema when missing): a row for `entry`
/// (USER_PROCESS, BOOT_TIME or RUN_LVL: user, line, host, service, time);
/// `*id` gets its row ID for `ut_wtmpdb_logout`. `UT_ERR_UNSUPPORTED`
/// in a build without SQLite.
#[no_mangle]
pub unsafe extern "C" fn ut_wtmpdb_login(
    db: *const c_char,
    entry: *const ut_entry,
    id: *mut i64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let c = try_ref!(entry);
        let id = try_out!(id);
        let mut e = Entry::default();
        // SAFETY: a readable ut_entry (the contract).
        if let Err(err) = unsafe { entry_from(c, &mut e) } {
            return crate::ffi::status_of(err.kind);
        }
        // SAFETY: NULL or a C string (the contract).
        let path = unsafe { path_or(db, PATH_WTMPDB) };
        #[cfg(feature = "sqlite")]
        return match w::sqlite::wtmpdb_login(path, &e) {
            Ok(row) => {
                id.write(row);
                UT_OK
            }
            Err(err) => crate::ffi::status_of(err.kind),
        };
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = (path, id, e);
            UT_ERR_UNSUPPORTED
        }
    })
}

/// libwtmpdb's `wtmpdb_logout`: set the logout time of row `id` of `db`
/// (NULL: the default). `UT_ERR_NOT_FOUND` when there is no such row.
#[no_mangle]
pub unsafe extern "C" fn ut_wtmpdb_logout(
    db: *const c_char,
    id: i64,
    sec: i64,
    usec: i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        // SAFETY: NULL or a C string (the contract).
        let path = unsafe { path_or(db, PATH_WTMPDB) };
        #[cfg(feature = "sqlite")]
        return match w::sqlite::wtmpdb_logout(path, id, sec, usec) {
            Ok(()) => UT_OK,
            Err(err) => crate::ffi::status_of(err.kind),
        };
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = (path, id, sec, usec);
            UT_ERR_UNSUPPORTED
        }
    })
}

/// liblastlog2's `ll2_write_entry` on `db` (NULL:
/// /var/lib/lastlog/lastlog2.db; created with the upstream schema when
/// missing): the row of `entry->user` replaced by its time (seconds),
/// line, host and service.
#[no_mangle]
pub unsafe extern "C" fn ut_lastlog2_update(
    db: *const c_char,
    entry: *const ut_entry,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let c = try_ref!(entry);
        let mut e = Entry::default();
        // SAFETY: a readable ut_entry (the contract).
        if let Err(err) = unsafe { entry_from(c, &mut e) } {
            return crate::ffi::status_of(err.kind);
        }
        // SAFETY: NULL or a C string (the contract).
        let path = unsafe { path_or(db, PATH_LASTLOG2) };
        #[cfg(feature = "sqlite")]
        return match w::sqlite::lastlog2_update(path, &e) {
            Ok(()) => UT_OK,
            Err(err) => crate::ffi::status_of(err.kind),
        };
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = (path, e);
            UT_ERR_UNSUPPORTED
        }
    })
}
