//! libutx-compat: the POSIX utmpx API (`setutxent`, `getutxent`,
//! `getutxid`, `getutxline`, `pututxline`, `endutxent`, `utmpxname`,
//! `updwtmpx`, `getutmp`, `getutmpx`) and glibc libutil's `login`,
//! `logout`, `logwtmp`, with the host's `struct utmpx`, over the utx
//! crate's public API.
//!
//! Semantics are glibc's where POSIX is silent, with two choices of its own:
//! - the cursor and the static result buffer are per thread (glibc has
//!   one per process), so threads can each walk the whole list; the file
//!   name set by `utmpxname` is per process, as in glibc;
//! - the default database (no `utmpxname`, or `utmpxname` of the host's
//!   utmp path) is `utx::Database::Utmp` opened through its fallback chain:
//!   the utmp file where it is current, else logind's sessions as
//!   USER_PROCESS records after a BOOT_TIME record of the host's boot time.
//!   The source is chosen when the cursor opens (`setutxent`, or the first
//!   read after `endutxent`/`utmpxname`). `UTX_COMPAT_ROOT`, when set,
//!   names the root directory whose databases the default reads (a test
//!   tree, a chroot).
//!
//! errno is glibc's: ESRCH when `getutxid`/`getutxline` find nothing,
//! EINVAL for a bad argument, unchanged at the end of `getutxent` and
//! after a successful call.
//!
//! Reads take no lock (utx's reader); writes go through utx's writer,
//! which takes glibc's `fcntl` lock. Records convert through utx's own
//! decoder and encoder of the host's utmp layout. No panic crosses the
//! boundary, nothing is printed, nothing exits.

#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::RefCell;
use std::ffi::{CStr, OsStr};
use std::os::raw::{c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use libc::utmpx;
use utx::format::detect::native_format;
use utx::format::layout::RecordLayout;
use utx::write::{Mode, Options as WriteOptions, Writer};
use utx::{Database, Entry, EntryType, Format, Options, Reader};

/// glibc's `struct utmpx` on x86-64 is 384 bytes; utx's native layout must
/// be exactly the struct this library hands out.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
const _: () = assert!(std::mem::size_of::<utmpx>() == 384);

const RUN_LVL: i16 = 1;
const BOOT_TIME: i16 = 2;
const NEW_TIME: i16 = 3;
const OLD_TIME: i16 = 4;
const INIT_PROCESS: i16 = 5;
const LOGIN_PROCESS: i16 = 6;
const USER_PROCESS: i16 = 7;
const DEAD_PROCESS: i16 = 8;

/// Where glibc's `login`, `logout` and `logwtmp` write (`_PATH_UTMP`,
/// `_PATH_WTMP`).
const PATH_UTMP: &str = "/var/run/utmp";
const PATH_WTMP: &str = "/var/log/wtmp";

/// The file named by `utmpxname`; `None`: the default database.
static FILE_NAME: Mutex<Option<PathBuf>> = Mutex::new(None);

/// One thread's cursor and result buffer.
struct Cursor {
    /// `None`: closed (the next read opens the source).
    reader: Option<Reader>,
    /// The source could not be opened: reads see no records.
    open: bool,
    /// A BOOT_TIME record still to return before the reader's records.
    boot: Option<i64>,
    entry: Entry,
    /// The static result buffer (`getutxent`'s return value).
    buf: Box<utmpx>,
    /// glibc's `file_offset`: the byte after the last record read or
    /// written (where `pututxline` starts its search).
    offset: u64,
    /// glibc's `last_entry`: the last record read.
    last: Box<utmpx>,
    /// The last read failed (errno is set).
    failed: bool,
}

thread_local! {
    static CURSOR: RefCell<Cursor> = RefCell::new(Cursor {
        reader: None,
        open: false,
        boot: None,
        entry: Entry::default(),
        buf: zeroed(),
        offset: 0,
        last: zeroed(),
        failed: false,
    });
}

fn zeroed() -> Box<utmpx> {
    // SAFETY: utmpx is plain old data; all zeros is a valid value.
    Box::new(unsafe { std::mem::zeroed() })
}

/// Run an export's body; a panic becomes `on_panic`.
fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

fn set_errno(n: c_int) {
    // SAFETY: __errno_location returns this thread's errno.
    unsafe { *libc::__errno_location() = n };
}

fn errno() -> c_int {
    // SAFETY: as in set_errno.
    unsafe { *libc::__errno_location() }
}

fn errno_of(e: &utx::Error) -> c_int {
    if e.os_errno != 0 {
        e.os_errno
    } else {
        match e.kind {
            utx::ErrorKind::NotFound => libc::ENOENT,
            utx::ErrorKind::Busy => libc::EBUSY,
            _ => libc::EINVAL,
        }
    }
}

/// The host's utmp layout (the layout of `struct utmpx`).
fn layout() -> Option<&'static RecordLayout> {
    native_format()
        .layout()
        .filter(|l| l.size == std::mem::size_of::<utmpx>())
}

fn bytes_of(u: &utmpx) -> &[u8] {
    // SAFETY: utmpx is plain old data of size_of::<utmpx>() bytes.
    unsafe { std::slice::from_raw_parts(u as *const utmpx as *const u8, size_of_utmpx()) }
}

fn bytes_of_mut(u: &mut utmpx) -> &mut [u8] {
    // SAFETY: as above; every byte pattern is a valid utmpx.
    unsafe { std::slice::from_raw_parts_mut(u as *mut utmpx as *mut u8, size_of_utmpx()) }
}

const fn size_of_utmpx() -> usize {
    std::mem::size_of::<utmpx>()
}

/// `e` as a `struct utmpx` (utx's encoder of the host layout).
fn to_utmpx(e: &Entry, out: &mut utmpx) -> bool {
    match layout() {
        Some(l) => {
            utx::write::encode_into(l, e, bytes_of_mut(out));
            // A type number outside glibc's 0-9 in a file of the host's
            // layout: glibc returns it as stored (the encoder has no
            // number for an unknown type).
            if e.entry_type == EntryType::Unknown && e.format == native_format() {
                out.ut_type = e.raw_type as i16;
            }
            // Fields another system's record lacks (-1, unknown) read as
            // 0, as in a glibc record that never set them.
            if e.format != native_format() {
                if e.exit_termination < 0 && e.exit_status < 0 {
                    out.ut_exit.e_termination = 0;
                    out.ut_exit.e_exit = 0;
                }
                if e.session < 0 {
                    out.ut_session = 0;
                }
            }
            true
        }
        None => false,
    }
}

/// A `struct utmpx` as an entry (utx's decoder of the host layout).
fn from_utmpx(u: &utmpx) -> Option<Entry> {
    let l = layout()?;
    let mut e = Entry::default();
    l.decode(bytes_of(u), 0, &mut e).then_some(e)
}

fn default_root() -> PathBuf {
    std::env::var_os("UTX_COMPAT_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// Whether `path` names the host's utmp (so the default database is read).
fn is_default_utmp(path: &Path) -> bool {
    Database::Utmp
        .default_paths()
        .iter()
        .any(|p| Path::new(p) == path)
}

/// A file named by `utmpxname`: any format utx detects, else read as the
/// host's utmp layout (as glibc reads every file).
fn open_file(path: &Path) -> utx::Result<Reader> {
    Reader::open(path, Options::default()).or_else(|_| {
        Reader::open(
            path,
            Options {
                format: native_format(),
                ..Options::default()
            },
        )
    })
}

impl Cursor {
    fn close(&mut self) {
        self.reader = None;
        self.open = false;
        self.boot = None;
        self.offset = 0;
    }

    /// Choose and open the source (once per `setutxent`).
    fn reopen(&mut self) {
        self.close();
        let name = FILE_NAME.lock().map(|n| n.clone()).unwrap_or(None);
        let opened = match name {
            Some(p) if !is_default_utmp(&p) => open_file(&p),
            _ => Reader::open_db_in(default_root(), Database::Utmp, Options::default()),
        };
        if let Ok(r) = opened {
            if r.format() == Format::Logind {
                self.boot = utx::host::boot_time();
            }
            self.reader = Some(r);
        }
        self.open = true;
    }

    /// The next record into `buf`; false at the end (errno unchanged, as
    /// glibc) or on an error (errno set).
    fn next(&mut self) -> bool {
        if !self.open {
            self.reopen();
        }
        if let Some(sec) = self.boot.take() {
            let mut e = Entry {
                entry_type: EntryType::BootTime,
                sec,
                ..Entry::default()
            };
            e.line.set(b"~");
            e.id.set(b"~~");
            e.user.set(b"reboot");
            return to_utmpx(&e, &mut self.buf);
        }
        let Some(r) = self.reader.as_mut() else {
            return false;
        };
        loop {
            match r.next_into(&mut self.entry) {
                Ok(true) => {
                    if to_utmpx(&self.entry, &mut self.buf) {
                        // Byte offsets only mean something in a file of
                        // the host's layout (the one pututxline writes).
                        self.offset = if self.entry.format == native_format() {
                            self.entry.offset + size_of_utmpx() as u64
                        } else {
                            0
                        };
                        *self.last = *self.buf;
                        return true;
                    }
                }
                Ok(false) => return false,
                Err(e) => {
                    set_errno(errno_of(&e));
                    self.failed = true;
                    return false;
                }
            }
        }
    }

    /// Advance to the next record `want` accepts; at the end, NULL with
    /// errno `at_end` (glibc: ESRCH for a search), or as the caller had it
    /// (getutxent: the reader's own system calls do not show through).
    fn find(&mut self, want: impl Fn(&utmpx) -> bool, at_end: Option<c_int>) -> *mut utmpx {
        let before = errno();
        self.failed = false;
        while self.next() {
            if want(&self.buf) {
                set_errno(before);
                return &mut *self.buf;
            }
        }
        if !self.failed {
            set_errno(at_end.unwrap_or(before));
        }
        std::ptr::null_mut()
    }
}

fn with_cursor<T>(f: impl FnOnce(&mut Cursor) -> T) -> Option<T> {
    CURSOR.try_with(|c| f(&mut c.borrow_mut())).ok()
}

/// `strncmp(a, b, n) == 0` over fixed char arrays.
fn same_str(a: &[c_char], b: &[c_char]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return false;
        }
        if *x == 0 {
            return true;
        }
    }
    true
}

fn is_process(t: i16) -> bool {
    matches!(
        t,
        INIT_PROCESS | LOGIN_PROCESS | USER_PROCESS | DEAD_PROCESS
    )
}

/// glibc's `matches`: by type for RUN_LVL, BOOT_TIME, OLD_TIME and
/// NEW_TIME; else a process record with the same id (the same line when
/// either id is empty).
fn matches(data: &utmpx, entry: &utmpx) -> bool {
    if matches!(data.ut_type, RUN_LVL | BOOT_TIME | OLD_TIME | NEW_TIME) {
        return data.ut_type == entry.ut_type;
    }
    is_process(data.ut_type)
        && is_process(entry.ut_type)
        && if data.ut_id[0] != 0 && entry.ut_id[0] != 0 {
            same_str(&data.ut_id, &entry.ut_id)
        } else {
            same_str(&data.ut_line, &entry.ut_line)
        }
}

fn path_of(p: *const c_char) -> Option<PathBuf> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(p) };
    Some(PathBuf::from(OsStr::from_bytes(s.to_bytes())))
}

fn utmp_path() -> PathBuf {
    FILE_NAME
        .lock()
        .map(|n| n.clone())
        .unwrap_or(None)
        .unwrap_or_else(|| PathBuf::from(PATH_UTMP))
}

fn now() -> (i64, i32) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_micros() as i32)
}

/// Rewind the calling thread's cursor; the source is chosen anew.
#[no_mangle]
pub extern "C" fn setutxent() {
    guard((), || {
        // The source's system calls do not show through errno.
        let before = errno();
        with_cursor(Cursor::reopen);
        set_errno(before);
    })
}

/// Close the calling thread's cursor.
#[no_mangle]
pub extern "C" fn endutxent() {
    guard((), || {
        with_cursor(Cursor::close);
    })
}

/// The next record of the calling thread's cursor, or NULL at the end.
#[no_mangle]
pub extern "C" fn getutxent() -> *mut utmpx {
    guard(std::ptr::null_mut(), || {
        with_cursor(|c| c.find(|_| true, None)).unwrap_or(std::ptr::null_mut())
    })
}

/// The next record matching `id` by glibc's rule, or NULL.
///
/// # Safety
/// `id` is NULL or points to a `struct utmpx`.
#[no_mangle]
pub unsafe extern "C" fn getutxid(id: *const utmpx) -> *mut utmpx {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's pointer, checked for NULL.
        let Some(id) = (unsafe { id.as_ref() }) else {
            set_errno(libc::EINVAL);
            return std::ptr::null_mut();
        };
        if !is_process(id.ut_type)
            && !matches!(id.ut_type, RUN_LVL | BOOT_TIME | OLD_TIME | NEW_TIME)
        {
            set_errno(libc::EINVAL);
            return std::ptr::null_mut();
        }
        let id = *id;
        with_cursor(|c| c.find(|e| matches(&id, e), Some(libc::ESRCH)))
            .unwrap_or(std::ptr::null_mut())
    })
}

/// The next LOGIN_PROCESS or USER_PROCESS record on `line`'s line, or NULL.
///
/// # Safety
/// `line` is NULL or points to a `struct utmpx`.
#[no_mangle]
pub unsafe extern "C" fn getutxline(line: *const utmpx) -> *mut utmpx {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's pointer, checked for NULL.
        let Some(line) = (unsafe { line.as_ref() }) else {
            set_errno(libc::EINVAL);
            return std::ptr::null_mut();
        };
        let want = line.ut_line;
        with_cursor(|c| {
            c.find(
                |e| {
                    matches!(e.ut_type, USER_PROCESS | LOGIN_PROCESS) && same_str(&want, &e.ut_line)
                },
                Some(libc::ESRCH),
            )
        })
        .unwrap_or(std::ptr::null_mut())
    })
}

/// Write `ut` to the utmp file (glibc's slot: the first record it
/// matches, else appended), under glibc's lock. Returns `ut`, or NULL
/// with errno set. The cursor is left after the record written.
///
/// # Safety
/// `ut` is NULL or points to a `struct utmpx`.
#[no_mangle]
pub unsafe extern "C" fn pututxline(ut: *const utmpx) -> *mut utmpx {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's pointer, checked for NULL.
        let Some(data) = (unsafe { ut.as_ref() }) else {
            set_errno(libc::EINVAL);
            return std::ptr::null_mut();
        };
        let data = *data;
        let Some(e) = from_utmpx(&data) else {
            set_errno(libc::EINVAL);
            return std::ptr::null_mut();
        };
        let opts = WriteOptions {
            format: native_format(),
            mode: Some(Mode::Slots),
            ..WriteOptions::default()
        };
        let path = utmp_path();
        let written = with_cursor(|c| {
            if !c.open {
                c.reopen();
            }
            // glibc: the slot is the last record read when it matches,
            // else the first match after the cursor, else the end.
            let size = size_of_utmpx() as u64;
            let from = if c.offset > 0 && matches(&data, &c.last) {
                c.offset - size
            } else {
                c.offset
            };
            let (_, at, found) = Writer::open(&path, opts)?.put_slot_from(&e, from)?;
            // glibc's search read up to the slot (or the last record).
            if found {
                *c.last = data;
            } else if at > from {
                let mut r = open_file(&path)?;
                r.seek_offset(at - size)?;
                if r.next_into(&mut c.entry)? {
                    to_utmpx(&c.entry, &mut c.last);
                }
            }
            c.offset = at + size;
            let mut r = open_file(&path)?;
            r.seek_offset(c.offset)?;
            c.reader = Some(r);
            c.boot = None;
            Ok::<(), utx::Error>(())
        });
        match written {
            Some(Ok(())) => {}
            Some(Err(err)) => {
                set_errno(errno_of(&err));
                return std::ptr::null_mut();
            }
            None => return std::ptr::null_mut(),
        }
        ut as *mut utmpx
    })
}

/// Name the file the next reads and writes use; ends the calling
/// thread's cursor. Returns 0, or -1 (EINVAL) for NULL.
///
/// # Safety
/// `file` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn utmpxname(file: *const c_char) -> c_int {
    guard(-1, || {
        let Some(p) = path_of(file) else {
            set_errno(libc::EINVAL);
            return -1;
        };
        with_cursor(Cursor::close);
        match FILE_NAME.lock() {
            Ok(mut n) => {
                *n = Some(p);
                0
            }
            Err(_) => -1,
        }
    })
}

/// Append `ut` to the log `file` (which must exist), under glibc's lock.
///
/// # Safety
/// `file` is NULL or a NUL-terminated string; `ut` NULL or a `struct utmpx`.
#[no_mangle]
pub unsafe extern "C" fn updwtmpx(file: *const c_char, ut: *const utmpx) {
    guard((), || {
        // SAFETY: the caller's pointer, checked for NULL.
        let (Some(p), Some(u)) = (path_of(file), unsafe { ut.as_ref() }) else {
            set_errno(libc::EINVAL);
            return;
        };
        match from_utmpx(u) {
            Some(e) => {
                if let Err(err) = utx::write::append(&p, &e) {
                    set_errno(errno_of(&err));
                }
            }
            None => set_errno(libc::EINVAL),
        }
    })
}

/// glibc `getutmp`: `struct utmp` and `struct utmpx` have one layout on
/// glibc, and glibc copies the whole record.
///
/// # Safety
/// Both point to `struct utmpx`-sized objects (or are NULL: nothing done).
#[no_mangle]
pub unsafe extern "C" fn getutmp(ux: *const utmpx, u: *mut utmpx) {
    // SAFETY: the caller's pointers, checked for NULL.
    guard((), || unsafe { copy_record(ux, u) })
}

/// glibc `getutmpx`: the converse of [`getutmp`], the same whole copy.
///
/// # Safety
/// As [`getutmp`].
#[no_mangle]
pub unsafe extern "C" fn getutmpx(u: *const utmpx, ux: *mut utmpx) {
    // SAFETY: the caller's pointers, checked for NULL.
    guard((), || unsafe { copy_record(u, ux) })
}

/// # Safety
/// Each pointer is NULL or points to a `struct utmpx`-sized object.
unsafe fn copy_record(from: *const utmpx, to: *mut utmpx) {
    if !from.is_null() && !to.is_null() {
        // SAFETY: both point to whole records; copy handles overlap.
        unsafe { std::ptr::copy(from, to, 1) };
    }
}

/// The terminal of fd 0, 1 or 2 without `/dev/` (glibc `login`'s rule).
fn terminal() -> Vec<u8> {
    for fd in 0..3 {
        let mut buf = [0u8; 4096];
        // SAFETY: buf is writable for its length.
        if unsafe { libc::ttyname_r(fd, buf.as_mut_ptr() as *mut c_char, buf.len()) } == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let name = &buf[..end];
            return match name.strip_prefix(b"/dev/") {
                Some(rest) => rest.to_vec(),
                None => name.rsplit(|&b| b == b'/').next().unwrap_or(name).to_vec(),
            };
        }
    }
    Vec::new()
}

/// glibc libutil `login`: `ut` as USER_PROCESS with this pid, on the
/// caller's terminal, into the utmp slot (when there is a terminal) and
/// appended to wtmp.
///
/// # Safety
/// `ut` is NULL or points to a `struct utmp` (the layout of `utmpx`).
#[no_mangle]
pub unsafe extern "C" fn login(ut: *const utmpx) {
    guard((), || {
        // SAFETY: the caller's pointer, checked for NULL.
        let Some(u) = (unsafe { ut.as_ref() }) else {
            return;
        };
        let Some(e) = from_utmpx(u) else {
            set_errno(libc::EINVAL);
            return;
        };
        let pid = i64::from(std::process::id());
        if let Ok(mut n) = FILE_NAME.lock() {
            *n = None;
        }
        let r = utx::write::login(
            Path::new(PATH_UTMP),
            Path::new(PATH_WTMP),
            &e,
            &terminal(),
            pid,
        );
        if let Err(err) = r {
            set_errno(errno_of(&err));
        }
    })
}

/// glibc libutil `logout`: the USER_PROCESS or LOGIN_PROCESS slot of
/// `line` in utmp becomes DEAD_PROCESS now, user and host cleared.
/// Returns 1 when a slot was found, else 0.
///
/// # Safety
/// `line` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn logout(line: *const c_char) -> c_int {
    guard(0, || {
        if line.is_null() {
            return 0;
        }
        // SAFETY: the caller's NUL-terminated string.
        let line = unsafe { CStr::from_ptr(line) }.to_bytes();
        if let Ok(mut n) = FILE_NAME.lock() {
            *n = None;
        }
        let (sec, usec) = now();
        match utx::write::logout(Path::new(PATH_UTMP), line, sec, usec) {
            Ok(found) => c_int::from(found),
            Err(err) => {
                set_errno(errno_of(&err));
                0
            }
        }
    })
}

/// glibc libutil `logwtmp`: append to wtmp a USER_PROCESS record (a
/// DEAD_PROCESS one when `name` is empty) with this pid and the time now.
///
/// # Safety
/// Each argument is NULL (nothing done) or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn logwtmp(line: *const c_char, name: *const c_char, host: *const c_char) {
    guard((), || {
        if line.is_null() || name.is_null() || host.is_null() {
            return;
        }
        // SAFETY: the caller's NUL-terminated strings.
        let (l, n, h) = unsafe {
            (
                CStr::from_ptr(line).to_bytes(),
                CStr::from_ptr(name).to_bytes(),
                CStr::from_ptr(host).to_bytes(),
            )
        };
        let (sec, usec) = now();
        let pid = i64::from(std::process::id());
        if let Err(err) = utx::write::logwtmp(Path::new(PATH_WTMP), l, n, h, pid, sec, usec) {
            set_errno(errno_of(&err));
        }
    })
}
