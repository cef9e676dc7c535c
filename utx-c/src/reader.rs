//! `ut_reader`: a `utx::Reader` of one file, buffer, database or list of
//! files, and the C view (`ut_entry`) of its current entry.

use std::ffi::{CString, OsStr};
use std::os::raw::c_char;
use std::path::Path;

use crate::ffi::{check_flags, free_handle, into_handle, path_of, root_path, ErrBuf, LastError};
use crate::panic::guard;
use crate::types::*;
use utx::{Database, Entry, Error, ErrorKind, Format, Options, Reader};

/// A reader of one file, buffer or database. Opaque; create with
/// `ut_reader_open*`, free with `ut_reader_close`. Not for use by two
/// threads at once; different readers are independent.
pub struct ut_reader {
    pub(crate) reader: Reader,
    entry: Entry,
    c_entry: ut_entry,
    /// Last failure on this reader, for `ut_reader_error`.
    pub(crate) error: LastError,
    /// `Reader::source()` as a C string, for `ut_reader_source`.
    source: CString,
    /// The entries of `ut_reader_next_batch`.
    batch: Batch,
}

impl ut_reader {
    fn new(reader: Reader) -> ut_reader {
        ut_reader {
            source: crate::ffi::c_string(reader.source()),
            reader,
            entry: Entry::default(),
            c_entry: empty_c_entry(),
            error: LastError::default(),
            batch: Batch::default(),
        }
    }

    /// Keep `err` for `ut_reader_error` and return its status.
    pub(crate) fn record(&mut self, err: &Error) -> ut_status {
        self.error.record(err)
    }

    /// Point the C view at the current entry's buffers.
    fn publish(&mut self) {
        c_view(&self.entry, &mut self.c_entry);
    }
}

/// Point `c` at `e`'s fields and buffers.
fn c_view(e: &Entry, c: &mut ut_entry) {
    c.entry_type = e.entry_type as i32;
    c.raw_type = e.raw_type;
    c.flags = e.flags;
    c.user = e.user.as_ptr().cast();
    c.line = e.line.as_ptr().cast();
    c.id = e.id.as_ptr().cast();
    c.host = e.host.as_ptr().cast();
    c.service = e.service.as_ptr().cast();
    c.pid = e.pid;
    c.session = e.session;
    c.uid = e.uid;
    c.exit_termination = e.exit_termination;
    c.exit_status = e.exit_status;
    c.sec = e.sec;
    c.usec = e.usec;
    c.addr_family = e.addr_family as u32;
    c.addr = e.addr;
    c.addr_text = e.addr_text.as_ptr().cast();
    c.format = e.format as u32;
    c.offset = e.offset;
}

fn empty_c_entry() -> ut_entry {
    let empty = c"".as_ptr();
    ut_entry {
        size: std::mem::size_of::<ut_entry>() as u32,
        entry_type: 0,
        raw_type: -1,
        flags: 0,
        user: empty,
        line: empty,
        id: empty,
        host: empty,
        service: empty,
        pid: -1,
        session: -1,
        uid: -1,
        exit_termination: -1,
        exit_status: -1,
        sec: 0,
        usec: 0,
        addr_family: UT_ADDR_NONE,
        addr: [0; 16],
        addr_text: empty,
        format: UT_FORMAT_AUTO,
        offset: 0,
    }
}

/// Validate a format number and open flags into reader options.
pub(crate) fn options(format: ut_format, flags: ut_open_flags) -> Result<Options, Error> {
    let format = Format::from_u32(format).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown format number {format}"),
        )
    })?;
    check_flags(
        flags,
        UT_OPEN_REVERSE | UT_OPEN_LIVE | UT_OPEN_ALL_SESSIONS | UT_OPEN_FOLLOW,
        "open",
    )?;
    Ok(Options {
        format,
        reverse: flags & UT_OPEN_REVERSE != 0,
        type_mask: u32::MAX,
        live: flags & UT_OPEN_LIVE != 0,
        all_sessions: flags & UT_OPEN_ALL_SESSIONS != 0,
        ..Options::default()
    })
}

/// Options of the open calls that cannot follow: `UT_OPEN_FOLLOW` is
/// refused (`UT_ERR_UNSUPPORTED`) with a message saying what can.
fn options_no_follow(
    format: ut_format,
    flags: ut_open_flags,
    what: &str,
) -> Result<Options, Error> {
    let opts = options(format, flags)?;
    if flags & UT_OPEN_FOLLOW != 0 {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "{what} cannot be followed; open one file with ut_reader_open and UT_OPEN_FOLLOW"
            ),
        ));
    }
    Ok(opts)
}

/// A database number (`UT_DB_*`).
pub(crate) fn database_of(database: ut_database) -> Result<Database, Error> {
    Database::from_u32(database).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown database number {database}"),
        )
    })
}

/// Validate a database number and flags, then open that database of the
/// system whose root directory is `root`.
fn open_database(root: &Path, db: ut_database, flags: ut_open_flags) -> Result<Reader, Error> {
    let db = database_of(db)?;
    Reader::open_db_in(
        root,
        db,
        options_no_follow(UT_FORMAT_AUTO, flags, "a database")?,
    )
}

/// Store a new reader in `out`, or report `err` in the caller's buffer.
fn finish_open(
    opened: Result<Reader, Error>,
    out: crate::ffi::Out<*mut ut_reader>,
    err: ErrBuf,
) -> ut_status {
    match opened {
        Ok(reader) => {
            out.write(into_handle(ut_reader::new(reader)));
            err.ok()
        }
        Err(e) => err.fail(&e),
    }
}

/// Open the file at `path`. `format` is a `UT_FORMAT_*` (`UT_FORMAT_AUTO`
/// detects it), `flags` a combination of `UT_OPEN_*`. On success stores a
/// new reader in `*out`. On failure `*out` is untouched and, when `errbuf`
/// is not NULL, a message of at most `errlen - 1` bytes is written there.
///
/// With `UT_OPEN_FOLLOW` (forward only) the reader follows the file as it
/// grows: after `UT_END`, a later `ut_reader_next` returns the records
/// appended since; a record still being written at the tail is returned
/// once whole. A file cut shorter than the position is read again from its
/// start, and a path that now names another file (rotation, compared by
/// device and inode) is read from the new file's start once the old file
/// has nothing more; the next entry carries `UT_ENTRY_TRUNCATED` or
/// `UT_ENTRY_ROTATED`. Only event files of fixed-size records (wtmp, btmp,
/// utmp and their kin) can be followed: `UT_ERR_UNSUPPORTED` for other
/// formats, gzip and SQLite files; `UT_ERR_INVALID` with
/// `UT_OPEN_REVERSE`. The other open calls refuse the flag
/// (`UT_ERR_UNSUPPORTED`).
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open(
    path: *const c_char,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let path = try_cstr!(path, err.null("path"));
        let out = try_out!(out, err.null("out"));
        let opened = options(format, flags).and_then(|opts| {
            if flags & UT_OPEN_FOLLOW != 0 {
                Reader::open_follow(path_of(path), opts)
            } else {
                Reader::open(path_of(path), opts)
            }
        });
        finish_open(opened, out, err)
    })
}

/// Parse `len` bytes at `bytes` (copied: the buffer may be freed after the
/// call). `bytes` may be NULL only when `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_memory(
    bytes: *const u8,
    len: usize,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        if bytes.is_null() && len != 0 {
            return err.null("bytes");
        }
        let out = try_out!(out, err.null("out"));
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: the caller promises `len` readable bytes at `bytes`
            // (non-NULL, checked above).
            unsafe { std::slice::from_raw_parts(bytes, len) }
        };
        let opened = options_no_follow(format, flags, "memory")
            .and_then(|opts| Reader::from_bytes(data, opts));
        finish_open(opened, out, err)
    })
}

/// Open this host's `database` (`UT_DB_*`): the classic file where this
/// system writes it, else its successor (utmp: logind; wtmp: wtmpdb;
/// lastlog: lastlog2). `ut_reader_source` says which was opened.
/// `UT_ERR_NOT_FOUND` (with a message naming what is missing, e.g. "logind
/// is not running") when neither exists; `UT_ERR_UNSUPPORTED` for
/// `UT_DB_BTMP` where btmp does not exist (it has no successor).
/// `UT_OPEN_LIVE` keeps only live sessions; `UT_OPEN_ALL_SESSIONS` keeps
/// logind's manager/background/closing sessions.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_db(
    database: ut_database,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let out = try_out!(out, err.null("out"));
        finish_open(open_database(Path::new("/"), database, flags), out, err)
    })
}

/// Read the next entry. `UT_OK` stores in `*entry` a pointer valid until
/// the next call on this reader; `UT_END` when there are no more.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_next(
    reader: *mut ut_reader,
    entry: *mut *const ut_entry,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        let entry = try_out!(entry);
        // Tested before it is taken: moving the empty `Option<Error>` out
        // and back was a tenth of this call.
        if r.batch.pending.is_some() {
            if let Some(err) = r.batch.pending.take() {
                return r.record(&err);
            }
        }
        match r.reader.next_into(&mut r.entry) {
            Ok(true) => {
                r.publish();
                entry.write(&r.c_entry);
                UT_OK
            }
            Ok(false) => UT_END,
            Err(err) => r.record(&err),
        }
    })
}

/// Start again from the first entry (newest first for a reverse reader).
#[no_mangle]
pub unsafe extern "C" fn ut_reader_rewind(reader: *mut ut_reader) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        r.batch.pending = None;
        match r.reader.rewind() {
            Ok(()) => UT_OK,
            Err(err) => r.record(&err),
        }
    })
}

/// Only return entries whose type bit (`1u << UT_TYPE_*`) is set in `mask`.
/// `UT_ERR_INVALID` for bits of unknown types.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_set_types(reader: *mut ut_reader, mask: u32) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        if check_flags(mask, UT_TYPE_MASK_ALL, "type").is_err() {
            return UT_ERR_INVALID;
        }
        r.reader.set_type_mask(mask);
        UT_OK
    })
}

/// Free a reader and every entry it handed out. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_close(reader: *mut ut_reader) {
    guard((), || {
        // SAFETY: NULL, or a reader from ut_reader_open* not yet closed
        // (the contract).
        unsafe { free_handle(reader) }
    })
}

/// The format being read (detected or forced), a `UT_FORMAT_*`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_format(
    reader: *const ut_reader,
    format: *mut ut_format,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(reader, format, |r| r.reader.format() as u32)
    })
}

/// How many records (or text lines) the reader has skipped as corrupt
/// since it was opened or rewound. Each skip also flags the next entry
/// `UT_ENTRY_RECOVERED`; this count also shows skips after the last entry,
/// and a file (read with a forced format) whose every record was invalid.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_skipped(reader: *const ut_reader, count: *mut u64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(reader, count, |r| r.reader.skipped())
    })
}

/// The last failure on this reader: a message (valid until the next call
/// on the reader; "" when none) and the OS errno (0 when none). Either
/// output may be NULL.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_error(
    reader: *const ut_reader,
    message: *mut *const c_char,
    os_errno: *mut i32,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_ref!(reader);
        // SAFETY: either output is NULL or writable (the contract).
        unsafe { r.error.report(message, os_errno) };
        UT_OK
    })
}

/// The source a reader opened, valid as long as the reader: a path
/// ("/var/run/utmp"), or kind and path ("logind:/run/systemd",
/// "wtmpdb:/var/lib/wtmpdb/wtmp.db", "lastlog2:/var/lib/lastlog/lastlog2.db"),
/// or "memory".
#[no_mangle]
pub unsafe extern "C" fn ut_reader_source(
    reader: *const ut_reader,
    source: *mut *const c_char,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(reader, source, |r| r.source.as_ptr())
    })
}

/// As `ut_reader_open_db`, for the system whose root directory is `root`
/// (NULL or "/" for this one): every default path, logind's
/// `<root>/run/systemd` included, is looked up under it. For offline
/// forensics on a copied tree, and for tests.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_db_at(
    root: *const c_char,
    database: ut_database,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let out = try_out!(out, err.null("out"));
        // SAFETY: `root` is NULL or a NUL-terminated string (the contract).
        let root = unsafe { root_path(root) };
        finish_open(open_database(root, database, flags), out, err)
    })
}

/// Open `count` files as one history, given oldest first (for example
/// "wtmp.2.gz", "wtmp.1", "wtmp"); reading follows `flags` (with
/// `UT_OPEN_REVERSE`, the newest entry of the last file comes first).
/// Each file is detected on its own when `format` is `UT_FORMAT_AUTO`, and
/// gzip files (magic bytes 1f 8b) are decompressed transparently, as by
/// `ut_reader_open`. Entry offsets are positions in the concatenation of
/// the (decompressed) files. Errors as for `ut_reader_open`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_open_files(
    paths: *const *const c_char,
    count: usize,
    format: ut_format,
    flags: ut_open_flags,
    out: *mut *mut ut_reader,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        if paths.is_null() {
            return err.null("paths");
        }
        let out = try_out!(out, err.null("out"));
        let mut list: Vec<&OsStr> = Vec::with_capacity(count.min(4096));
        for i in 0..count {
            // SAFETY: the caller promises `count` readable pointers at
            // `paths` (non-NULL, checked above).
            let p = unsafe { *paths.add(i) };
            list.push(path_of(try_cstr!(p, err.null("a path"))).as_os_str());
        }
        let opened = options_no_follow(format, flags, "a list of files")
            .and_then(|opts| Reader::open_files(&list, opts));
        finish_open(opened, out, err)
    })
}

/// Only return entries with `since <= sec <= until` (seconds, UTC). Pass
/// `INT64_MIN` / `INT64_MAX` for an open end. `UT_ERR_INVALID` when
/// `since > until`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_set_time_range(
    reader: *mut ut_reader,
    since: i64,
    until: i64,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = &mut try_mut!(reader).reader;
        if since > until {
            return UT_ERR_INVALID;
        }
        r.set_since((since != i64::MIN).then_some(since));
        r.set_until((until != i64::MAX).then_some(until));
        UT_OK
    })
}

/// Position the reader at the first entry at or after `sec` (a forward
/// reader), or at the newest entry at or before `sec` (a reverse reader),
/// as a scan from the start would find it; reading continues from there
/// in the reader's direction. Event files of fixed-size records bisect,
/// checking the time order where they look and scanning when it does not
/// hold; other sources scan. `UT_END` is never returned: past the end,
/// the next `ut_reader_next` gives `UT_END`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_seek_time(reader: *mut ut_reader, sec: i64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        r.batch.pending = None;
        match r.reader.seek_time(sec) {
            Ok(()) => UT_OK,
            Err(err) => r.record(&err),
        }
    })
}

/// What `ut_reader_next_batch` hands out: up to `UT_BATCH_MAX` entries
/// reused from call to call (no allocation once they have grown), their C
/// views, and an error met after some entries were read, kept for the next
/// call on the reader.
#[derive(Default)]
struct Batch {
    entries: Vec<Entry>,
    c_entries: Vec<ut_entry>,
    pending: Option<Error>,
}

/// Read up to `cap` entries in one call (at most `UT_BATCH_MAX`, whatever
/// `cap`): `entries[0]` .. `entries[*count - 1]` then point to them, and
/// they and their strings stay valid until the next call on this reader
/// (`ut_reader_next` included). `UT_OK` with `*count` >= 1; `UT_END` with
/// `*count` = 0 only when no entry is left; an error as `ut_reader_next`
/// gives it, with `entries` and `*count` untouched. An error met after
/// some entries were read is kept: those entries come back with `UT_OK`,
/// the error from the next call. `entries` is an array of `cap` pointers
/// (not of structs, so `ut_entry` can still grow); `cap` 0 is
/// `UT_ERR_INVALID`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_next_batch(
    reader: *mut ut_reader,
    entries: *mut *const ut_entry,
    cap: usize,
    count: *mut usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        if entries.is_null() {
            return UT_ERR_NULL;
        }
        let count = try_out!(count);
        if cap == 0 {
            let err = Error::new(ErrorKind::InvalidArgument, "batch capacity is 0");
            return r.record(&err);
        }
        if let Some(err) = r.batch.pending.take() {
            return r.record(&err);
        }
        let want = cap.min(UT_BATCH_MAX);
        let b = &mut r.batch;
        if b.entries.len() < want {
            b.entries.resize_with(want, Entry::default);
            b.c_entries.resize_with(want, empty_c_entry);
        }
        let mut n = 0;
        while n < want {
            match r.reader.next_into(&mut b.entries[n]) {
                Ok(true) => n += 1,
                Ok(false) => break,
                Err(err) if n == 0 => return r.error.record(&err),
                Err(err) => {
                    b.pending = Some(err);
                    break;
                }
            }
        }
        if n == 0 {
            count.write(0);
            return UT_END;
        }
        // SAFETY: the caller promises `cap` writable pointers at `entries`
        // (non-NULL, checked above), and n <= cap.
        let out = unsafe { std::slice::from_raw_parts_mut(entries, n) };
        for ((slot, e), c) in out.iter_mut().zip(&b.entries).zip(&mut b.c_entries) {
            c_view(e, c);
            *slot = c;
        }
        count.write(n);
        UT_OK
    })
}

/// Store in `*offset` where reading continues, as a byte offset of the
/// file: forward, just past the last record read (returned, or dropped by
/// the type or time filter); backward, the start of the last record read.
/// Give it to `ut_reader_seek_offset` (on this reader, or on a new one
/// over the same file after a restart) to continue exactly there. A new
/// forward reader says 0, a new reverse one the end of its last whole
/// record. `UT_ERR_UNSUPPORTED` (with a message) for formats without
/// fixed-size records (utmpdump text, FreeBSD utx.log, lastlogx, SQLite,
/// logind) and for several files opened as one.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_tell(reader: *mut ut_reader, offset: *mut u64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        let offset = try_out!(offset);
        match r.reader.tell() {
            Ok(at) => {
                offset.write(at);
                UT_OK
            }
            Err(err) => r.record(&err),
        }
    })
}

/// Continue reading at `offset`, a record boundary of the file: forward
/// from the record that starts there, backward from the record that ends
/// there (what `ut_reader_tell` says). `UINT64_MAX` is the end of the
/// last whole record (a follower then returns only what is appended).
/// `UT_ERR_INVALID` for an offset that is not a multiple of the record
/// size or lies past the last whole record (the position is unchanged);
/// `UT_ERR_UNSUPPORTED` as for `ut_reader_tell`.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_seek_offset(reader: *mut ut_reader, offset: u64) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        match r.reader.seek_offset(offset) {
            Ok(()) => UT_OK,
            Err(err) => r.record(&err),
        }
    })
}

/// Store in `*fd` a descriptor of a reader opened with `UT_OPEN_FOLLOW`
/// that becomes readable (`poll` POLLIN) when the file or its directory
/// changes (inotify): after `UT_END`, wait on it, then call
/// `ut_reader_next` again (which also empties it). Owned by the reader:
/// do not read or close it. Wake-ups may be spurious (another file of the
/// directory changed): `ut_reader_next` then gives `UT_END` again.
/// `UT_ERR_INVALID` for a reader that does not follow,
/// `UT_ERR_UNSUPPORTED` where inotify does not exist.
#[no_mangle]
pub unsafe extern "C" fn ut_reader_follow_fd(
    reader: *mut ut_reader,
    fd: *mut std::os::raw::c_int,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let r = try_mut!(reader);
        let fd = try_out!(fd);
        match r.reader.follow_fd() {
            Ok(n) => {
                fd.write(n);
                UT_OK
            }
            Err(err) => r.record(&err),
        }
    })
}
