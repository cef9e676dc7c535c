//! Writing: records of any fixed-size layout, the way each system's libc
//! writes them. This layer sits beside `reader/` and uses the same
//! `format/` tables ([`encode`] is the decoder's inverse).
//!
//! A [`Writer`] holds one file in one of three modes:
//! - [`Mode::Log`] (wtmp, btmp, wtmpx): each record is appended at the
//!   end rounded down to a whole record, as glibc's `updwtmp` and
//!   FreeBSD's utxdb do, so a torn tail is replaced, never extended;
//! - [`Mode::Slots`] (utmp, utmpx, utx.active): glibc `pututxline`'s
//!   choice of slot (the first record of the same id, or of the same
//!   type for RUN_LVL, BOOT_TIME, OLD_TIME and NEW_TIME; else append);
//! - [`Mode::LastLog`] (lastlog layouts): the record of uid `u` at
//!   `u × size`, leaving the rest of the file sparse.
//!
//! Every record is written with one `pwrite` at a record-aligned offset,
//! under the write lock glibc's writers take (`fcntl` `F_WRLCK` on the
//! whole file), waited for at most [`Options::lock_timeout`]. Readers
//! take no lock; a utx reader sees the old or the new record, never a
//! mix. Nothing else in the file is ever changed.

pub mod encode;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::os::unix::io::{AsRawFd, RawFd};
use std::path::Path;
use std::time::{Duration, Instant};

pub use encode::{cut, encode, encode_into};

use crate::entry::{Entry, EntryType, StrField};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::{Kind, RecordLayout};
use crate::format::{detect, Format};
use crate::source::file::FileSource;

/// How records are placed in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Append (wtmp, btmp, wtmpx).
    Log,
    /// `pututxline`: replace the matching slot, else append (utmp).
    Slots,
    /// One record per uid at `uid × size` (lastlog).
    LastLog,
}

/// How to open a file for writing.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `Format::Auto`: detect from the file, which must then exist and
    /// hold at least one record.
    pub format: Format,
    /// `None`: `LastLog` for a lastlog layout, `Log` otherwise.
    pub mode: Option<Mode>,
    /// Create a missing file (mode 0664 before the umask, as glibc's
    /// utmp helpers; never through a symlink: `O_CREAT|O_EXCL`).
    pub create: bool,
    /// Refuse (invalid argument, nothing written) an entry with a field
    /// that would be cut; by default strings are cut as libc cuts them.
    pub strict: bool,
    /// The longest wait for the lock before [`ErrorKind::Busy`]
    /// (glibc waits 10 s).
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            mode: None,
            create: false,
            strict: false,
            lock_timeout: Duration::from_secs(10),
        }
    }
}

/// A file open for writing records of one layout.
pub struct Writer {
    file: File,
    path: String,
    layout: &'static RecordLayout,
    mode: Mode,
    strict: bool,
    lock_timeout: Duration,
    rec: Vec<u8>,
    scratch: Vec<u8>,
    probe: Entry,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.path)
            .field("format", &self.layout.format)
            .field("mode", &self.mode)
            .finish()
    }
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// Open `path` read-write without blocking on a FIFO or following a
/// symlink when creating; refuse anything but a regular file.
fn open_file(path: &Path, create: bool) -> Result<File> {
    let shown = path.display().to_string();
    let flags = libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;
    let existing = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(flags)
        .open(path);
    let file = match existing {
        Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o664)
            .custom_flags(flags | libc::O_NOFOLLOW)
            .open(path),
        other => other,
    }
    .map_err(|e| {
        let mut err = Error::io(&shown, &e);
        if e.raw_os_error() == Some(libc::EISDIR) {
            err.kind = ErrorKind::InvalidArgument;
            err.message = format!("{shown}: is a directory");
        }
        err
    })?;
    let meta = file.metadata().map_err(|e| Error::io(&shown, &e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "is a directory"
        } else {
            "not a regular file (FIFO, socket or device)"
        };
        return Err(invalid(format!("{shown}: {what}")));
    }
    Ok(file)
}

/// Refuse a file whose first whole record is not a valid `format` record.
fn check_first_record(file: &File, format: Format, len: u64, shown: &str) -> Result<()> {
    let layout = encode::writable_layout(format)?;
    if len < layout.size as u64 {
        return Ok(());
    }
    let mut rec = vec![0; layout.size];
    file.read_exact_at(&mut rec, 0)
        .map_err(|e| Error::io(shown, &e))?;
    if layout.decode(&rec, 0, &mut Entry::default()) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::NotRecognised,
            format!(
                "{shown}: its first record is not a {} record",
                format.name()
            ),
        ))
    }
}

impl Writer {
    /// Open `path` for writing records of `opts.format`.
    pub fn open(path: impl AsRef<Path>, opts: Options) -> Result<Writer> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        if opts.format != Format::Auto {
            encode::writable_layout(opts.format)?;
        }
        let file = open_file(path, opts.create)?;
        let len = file.metadata().map_err(|e| Error::io(&shown, &e))?.len();
        let format = if len == 0 {
            if opts.format == Format::Auto {
                return Err(invalid(format!(
                    "{shown}: empty; name the format to write (it cannot be detected)"
                )));
            }
            opts.format
        } else {
            let clone = file.try_clone().map_err(|e| Error::io(&shown, &e))?;
            let found = detect::detect(&FileSource::from_file(clone));
            match (opts.format, found) {
                (Format::Auto, Ok(f)) => f,
                (Format::Auto, Err(e)) => {
                    return Err(Error::new(
                        ErrorKind::NotRecognised,
                        format!("{shown}: {}", e.message),
                    ))
                }
                // Text, a database or a stream format: never records.
                (f, Ok(other)) if other.layout().is_none() => {
                    return Err(Error::new(
                        ErrorKind::NotRecognised,
                        format!("{shown}: holds {}, not {} records", other.name(), f.name()),
                    ))
                }
                // Detection may name a close layout for a few odd
                // records; the named one only has to read the first.
                (f, _) => {
                    check_first_record(&file, f, len, &shown)?;
                    f
                }
            }
        };
        let layout = encode::writable_layout(format)?;
        let mode = match (opts.mode, layout.kind) {
            (None, Kind::LastLog) | (Some(Mode::LastLog), Kind::LastLog) => Mode::LastLog,
            (None, Kind::Events) => Mode::Log,
            (Some(m @ (Mode::Log | Mode::Slots)), Kind::Events) => m,
            (Some(m), _) => {
                return Err(invalid(format!(
                    "{shown}: {} records cannot be written in {m:?} mode",
                    format.name()
                )))
            }
        };
        Ok(Writer {
            file,
            path: shown,
            layout,
            mode,
            strict: opts.strict,
            lock_timeout: opts.lock_timeout,
            rec: vec![0; layout.size],
            scratch: Vec::new(),
            probe: Entry::default(),
        })
    }

    pub fn format(&self) -> Format {
        self.layout.format
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn io(&self, err: &std::io::Error) -> Error {
        Error::io(&self.path, err)
    }

    /// Write one entry; returns the [`cut`] bits (fields that did not fit).
    /// On an error nothing in the file changed.
    pub fn put(&mut self, e: &Entry) -> Result<u32> {
        self.put_all(std::slice::from_ref(e))
    }

    /// Write several entries under one lock (in a log, with one `pwrite`).
    /// Returns the union of their [`cut`] bits. On an error nothing in
    /// the file changed.
    pub fn put_all(&mut self, entries: &[Entry]) -> Result<u32> {
        for e in entries {
            self.check(e)?;
        }
        let _lock = Lock::take(&self.file, self.lock_timeout, &self.path)?;
        let size = self.layout.size as u64;
        let mut cuts = 0;
        match self.mode {
            Mode::Log => {
                let mut buf = std::mem::take(&mut self.scratch);
                buf.resize(entries.len() * self.layout.size, 0);
                for (e, rec) in entries.iter().zip(buf.chunks_exact_mut(self.layout.size)) {
                    cuts |= encode_into(self.layout, e, rec);
                }
                let end = self.len()?;
                let r = self.write_at(&buf, end / size * size, end);
                self.scratch = buf;
                r?;
            }
            Mode::Slots => {
                for e in entries {
                    cuts |= encode_into(self.layout, e, &mut self.rec);
                    let end = self.len()?;
                    let at = match self.find_slot(e, 0, end)? {
                        Some(at) => at,
                        None => end / size * size,
                    };
                    let rec = std::mem::take(&mut self.rec);
                    let r = self.write_at(&rec, at, end);
                    self.rec = rec;
                    r?;
                }
            }
            Mode::LastLog => {
                for e in entries {
                    cuts |= encode_into(self.layout, e, &mut self.rec);
                    let end = self.len()?;
                    let at = (e.uid as u64) * size;
                    let rec = std::mem::take(&mut self.rec);
                    let r = self.write_at(&rec, at, end);
                    self.rec = rec;
                    r?;
                }
            }
        }
        Ok(cuts)
    }

    /// Refuse what cannot be written before anything is.
    fn check(&mut self, e: &Entry) -> Result<()> {
        let cuts = encode_into(self.layout, e, &mut self.rec);
        let refused = if self.strict { !0 } else { cut::REFUSED };
        if cuts & refused != 0 {
            return Err(invalid(format!(
                "{}: the entry does not fit a {} record ({})",
                self.path,
                self.layout.format.name(),
                cut_names(cuts & refused)
            )));
        }
        if self.mode == Mode::LastLog {
            if e.uid < 0
                || (e.uid as u64)
                    .checked_mul(self.layout.size as u64)
                    .is_none()
            {
                return Err(invalid(format!(
                    "{}: a lastlog record needs a uid (got {})",
                    self.path, e.uid
                )));
            }
        } else if !encode::type_allowed(self.layout, e.entry_type) {
            return Err(invalid(format!(
                "{}: type {}",
                self.path,
                e.entry_type.name()
            )));
        }
        Ok(())
    }

    fn len(&self) -> Result<u64> {
        Ok(self.file.metadata().map_err(|e| self.io(&e))?.len())
    }

    /// One `pwrite` of `buf` at `at`; a short write is undone (the file is
    /// cut back to `end` when the write extended it).
    fn write_at(&self, buf: &[u8], at: u64, end: u64) -> Result<()> {
        match self.file.write_at(buf, at) {
            Ok(n) if n == buf.len() => Ok(()),
            r => {
                let err = match r {
                    Ok(_) => std::io::Error::from_raw_os_error(libc::ENOSPC),
                    Err(e) => e,
                };
                if at + buf.len() as u64 > end {
                    let _ = self.file.set_len(end.max(at));
                }
                Err(self.io(&err))
            }
        }
    }

    /// Write `e` in [`Mode::Slots`] as glibc's `pututxline` does with its
    /// cursor at byte `from`: into the first record at or after `from`
    /// that `e` replaces, else appended. Returns the [`cut`] bits, the
    /// offset written and whether a slot was replaced. On an error nothing
    /// in the file changed.
    pub fn put_slot_from(&mut self, e: &Entry, from: u64) -> Result<(u32, u64, bool)> {
        if self.mode != Mode::Slots {
            return Err(invalid(format!("{}: not open in Slots mode", self.path)));
        }
        self.check(e)?;
        let _lock = Lock::take(&self.file, self.lock_timeout, &self.path)?;
        let size = self.layout.size as u64;
        let cuts = encode_into(self.layout, e, &mut self.rec);
        let end = self.len()?;
        let found = self.find_slot(e, from / size * size, end)?;
        let at = found.unwrap_or(end / size * size);
        let rec = std::mem::take(&mut self.rec);
        let r = self.write_at(&rec, at, end);
        self.rec = rec;
        r?;
        Ok((cuts, at, found.is_some()))
    }

    /// glibc `pututxline`'s slot: the offset of the first whole record
    /// at or after `from` that `e` replaces, or `None` (append).
    fn find_slot(&mut self, e: &Entry, from: u64, end: u64) -> Result<Option<u64>> {
        let size = self.layout.size;
        let by_type = matches!(
            e.entry_type,
            EntryType::RunLevel | EntryType::BootTime | EntryType::OldTime | EntryType::NewTime
        );
        if !by_type && !is_process(e.entry_type) {
            return Ok(None);
        }
        let whole = (end / size as u64) as usize * size;
        let mut at = from as usize;
        let mut chunk = std::mem::take(&mut self.scratch);
        let step = size * 256;
        let mut found = None;
        'scan: while at < whole {
            let n = step.min(whole - at);
            chunk.resize(n, 0);
            if let Err(err) = self.file.read_exact_at(&mut chunk, at as u64) {
                self.scratch = chunk;
                return Err(self.io(&err));
            }
            for (i, rec) in chunk.chunks_exact(size).enumerate() {
                let p = &mut self.probe;
                if !self.layout.decode(rec, 0, p) {
                    continue;
                }
                let hit = if by_type {
                    p.entry_type == e.entry_type
                } else {
                    is_process(p.entry_type)
                        && if !e.id.is_empty() && !p.id.is_empty() {
                            id_key(self.layout, e) == id_key(self.layout, p)
                        } else {
                            line_key(self.layout, e) == line_key(self.layout, p)
                        }
                };
                if hit {
                    found = Some((at + i * size) as u64);
                    break 'scan;
                }
            }
            at += n;
        }
        self.scratch = chunk;
        Ok(found)
    }
}

/// The names of the [`cut`] bits set in `bits`, comma-separated.
pub fn cut_names(bits: u32) -> String {
    const NAMES: [&str; 11] = [
        "user",
        "line",
        "id",
        "host",
        "type",
        "time",
        "pid",
        "session",
        "exit",
        "address",
        "microseconds",
    ];
    let names: Vec<&str> = (0..NAMES.len())
        .filter(|i| bits & (1 << i) != 0)
        .map(|i| NAMES[i])
        .collect();
    names.join(", ")
}

fn is_process(t: EntryType) -> bool {
    matches!(
        t,
        EntryType::InitProcess
            | EntryType::LoginProcess
            | EntryType::UserProcess
            | EntryType::DeadProcess
    )
}

/// A string as `strncmp(a, b, sizeof field)` sees it: cut at the width.
fn key(bytes: &[u8], at: Option<(usize, usize)>) -> &[u8] {
    &bytes[..bytes.len().min(at.map_or(0, |(_, n)| n))]
}

fn id_key<'a>(l: &RecordLayout, e: &'a Entry) -> &'a [u8] {
    key(e.id.as_bytes(), l.id)
}

fn line_key<'a>(l: &RecordLayout, e: &'a Entry) -> &'a [u8] {
    key(e.line.as_bytes(), l.line)
}

/// The whole-file `fcntl` write lock glibc's utmp writers take
/// (`l_type = F_WRLCK`, `l_whence = SEEK_SET`, start 0, length 0), held
/// until dropped. An open file description lock where Linux has them (it
/// excludes glibc's process locks and other threads' writers alike).
struct Lock {
    fd: RawFd,
    cmd: libc::c_int,
}

#[cfg(target_os = "linux")]
const SETLK: libc::c_int = libc::F_OFD_SETLK;
#[cfg(not(target_os = "linux"))]
const SETLK: libc::c_int = libc::F_SETLK;

fn flock(fd: RawFd, cmd: libc::c_int, l_type: libc::c_int) -> std::io::Result<()> {
    // SAFETY: an all-zero flock is valid (start 0, length 0: whole file).
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = l_type as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    // SAFETY: fcntl on a descriptor we own, with a valid flock.
    if unsafe { libc::fcntl(fd, cmd, &mut fl) } < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

impl Lock {
    /// Try, then retry with growing sleeps (1 ms to 50 ms) until
    /// `timeout`; then [`ErrorKind::Busy`].
    fn take(file: &File, timeout: Duration, path: &str) -> Result<Lock> {
        let fd = file.as_raw_fd();
        let start = Instant::now();
        let mut cmd = SETLK;
        let mut nap = Duration::from_millis(1);
        loop {
            match flock(fd, cmd, libc::F_WRLCK) {
                Ok(()) => return Ok(Lock { fd, cmd }),
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) && cmd != libc::F_SETLK => {
                    // A kernel without OFD locks.
                    cmd = libc::F_SETLK;
                }
                Err(e) if matches!(e.raw_os_error(), Some(libc::EAGAIN | libc::EACCES)) => {
                    if start.elapsed() >= timeout {
                        return Err(Error {
                            kind: ErrorKind::Busy,
                            message: format!(
                                "{path}: locked by another writer for more than {} ms",
                                timeout.as_millis()
                            ),
                            os_errno: e.raw_os_error().unwrap_or(0),
                        });
                    }
                    std::thread::sleep(nap.min(timeout.saturating_sub(start.elapsed())));
                    nap = (nap * 2).min(Duration::from_millis(50));
                }
                Err(e) => return Err(Error::io(path, &e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = flock(self.fd, self.cmd, libc::F_UNLCK);
    }
}

/// The parts of a login record glibc's `login`, `logout` and `logwtmp`
/// fill in; the rest of the entry is the caller's.
fn set(e: &mut Entry, which: StrField, text: &[u8]) {
    e.field_mut(which).set(text);
}

/// glibc `login(3)`: `e` with type USER_PROCESS and `pid`, on `line`
/// (the caller's terminal without `/dev/`), written to the utmp slot
/// when there is a line, and appended to wtmp. glibc skips utmp when no
/// terminal is found; so does this with an empty `line`.
pub fn login(utmp: &Path, wtmp: &Path, e: &Entry, line: &[u8], pid: i64) -> Result<u32> {
    let mut copy = e.clone();
    copy.entry_type = EntryType::UserProcess;
    copy.raw_type = -1;
    copy.pid = pid;
    let mut cuts = 0;
    if !line.is_empty() {
        set(&mut copy, StrField::Line, line);
        cuts |= Writer::open(
            utmp,
            Options {
                format: detect::native_format(),
                mode: Some(Mode::Slots),
                ..Options::default()
            },
        )?
        .put(&copy)?;
    }
    cuts |= append(wtmp, &copy)?;
    Ok(cuts)
}

/// glibc `updwtmp(3)`: append `e` to an existing wtmp of this host's
/// layout.
pub fn append(wtmp: &Path, e: &Entry) -> Result<u32> {
    Writer::open(
        wtmp,
        Options {
            format: detect::native_format(),
            mode: Some(Mode::Log),
            ..Options::default()
        },
    )?
    .put(e)
}

/// glibc `logout(3)`: the first USER_PROCESS or LOGIN_PROCESS slot of
/// utmp on `line` becomes DEAD_PROCESS at `(sec, usec)`, its user and
/// host cleared (the rest kept). `Ok(false)` when there is no such slot.
/// Like glibc, this does not write wtmp (that is `logwtmp`).
pub fn logout(utmp: &Path, line: &[u8], sec: i64, usec: i32) -> Result<bool> {
    let w = Writer::open(
        utmp,
        Options {
            format: detect::native_format(),
            mode: Some(Mode::Slots),
            ..Options::default()
        },
    )?;
    let size = w.layout.size;
    let _lock = Lock::take(&w.file, w.lock_timeout, &w.path)?;
    let end = w.len()?;
    let whole = end / size as u64 * size as u64;
    let want = key(line, w.layout.line).to_vec();
    let mut rec = vec![0; size];
    let mut at = 0;
    while at < whole {
        w.file.read_exact_at(&mut rec, at).map_err(|e| w.io(&e))?;
        let mut p = Entry::default();
        if w.layout.decode(&rec, 0, &mut p)
            && matches!(
                p.entry_type,
                EntryType::UserProcess | EntryType::LoginProcess
            )
            && line_key(w.layout, &p) == want.as_slice()
        {
            // glibc clears ut_user and ut_host in the record as read, so
            // only those bytes, the type and the time change.
            let l = w.layout;
            for (off, n) in [l.user, l.host].into_iter().flatten() {
                rec[off..off + n].fill(0);
            }
            p.user.clear();
            p.host.clear();
            p.entry_type = EntryType::DeadProcess;
            p.raw_type = -1;
            p.sec = sec;
            p.usec = usec;
            let mut fresh = vec![0; size];
            encode_into(l, &p, &mut fresh);
            patch_type_and_time(l, &mut rec, &fresh);
            w.write_at(&rec, at, end)?;
            return Ok(true);
        }
        at += size as u64;
    }
    Ok(false)
}

/// Copy the type and time fields of `fresh` into `rec`.
fn patch_type_and_time(l: &RecordLayout, rec: &mut [u8], fresh: &[u8]) {
    use crate::format::layout::{Int, Time};
    fn span(at: Int) -> Option<(usize, usize)> {
        match at {
            Int::Absent => None,
            Int::U8(o) => Some((o, 1)),
            Int::I16(o) | Int::U16(o) => Some((o, 2)),
            Int::I32(o) | Int::U32(o) => Some((o, 4)),
            Int::I64(o) | Int::U64(o) => Some((o, 8)),
        }
    }
    let (a, b) = match l.time {
        Time::SecUsec(s, u) => (s, u),
        Time::Micros(m) => (m, Int::Absent),
    };
    for (o, n) in [l.raw_type, a, b].into_iter().filter_map(span) {
        rec[o..o + n].copy_from_slice(&fresh[o..o + n]);
    }
}

/// glibc `logwtmp(3)`: append to wtmp a record on `line` for `user` from
/// `host`: USER_PROCESS when `user` is not empty, else DEAD_PROCESS; pid
/// and time as given; every other field zero.
pub fn logwtmp(
    wtmp: &Path,
    line: &[u8],
    user: &[u8],
    host: &[u8],
    pid: i64,
    sec: i64,
    usec: i32,
) -> Result<u32> {
    let e = logwtmp_entry(line, user, host, pid, sec, usec);
    append(wtmp, &e)
}

/// The record `logwtmp` appends.
pub fn logwtmp_entry(
    line: &[u8],
    user: &[u8],
    host: &[u8],
    pid: i64,
    sec: i64,
    usec: i32,
) -> Entry {
    let mut e = Entry {
        entry_type: if user.is_empty() {
            EntryType::DeadProcess
        } else {
            EntryType::UserProcess
        },
        pid,
        session: 0,
        exit_termination: 0,
        exit_status: 0,
        sec,
        usec,
        ..Entry::default()
    };
    set(&mut e, StrField::Line, line);
    set(&mut e, StrField::User, user);
    set(&mut e, StrField::Host, host);
    e
}
