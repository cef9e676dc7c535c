//! Following a growing file (`utmpdump -f`, `tail -F`): after the end,
//! the reader looks again. Records appended since are returned (a partial
//! record at the tail only once it is whole); a file cut shorter than the
//! position is read again from its start (the next entry is flagged
//! TRUNCATED); a path that now names another file (rotation: compared by
//! device and inode) is read from its start once the old file has nothing
//! more (the next entry is flagged ROTATED). An inotify descriptor on the
//! file and its directory lets a caller wait without spinning.
//!
//! Only event files of fixed-size records (wtmp, btmp, utmp, utx.active…)
//! can be followed: their offsets are record boundaries.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::os::unix::io::RawFd;
use std::path::{Path, PathBuf};

use crate::entry::flags;
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::RecordLayout;
use crate::monitor::inotify::Inotify;
use crate::source::file::FileSource;

/// How often, and after what pause, a followed file whose format AUTO
/// cannot tell is looked at again (a record half written at open time).
pub(crate) const DETECT_TRIES: u32 = 5;
pub(crate) const DETECT_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// Device and inode: what says "the same file".
pub(crate) type FileId = (u64, u64);

/// The state a following reader keeps besides its stream.
pub(crate) struct Follow {
    path: PathBuf,
    id: FileId,
    pub(crate) layout: &'static RecordLayout,
    /// Whether the stream is wrapped in the live filter (kept on rotation).
    pub(crate) live: bool,
    notify: Option<Inotify>,
    file_watch: Option<i32>,
    /// Flags for the next entry returned (ROTATED, TRUNCATED).
    pub(crate) pending: u32,
}

/// Open `path` as a regular file read-only (as [`FileSource::open`] does)
/// and say which file it is.
pub(crate) fn open_file(path: &Path) -> Result<(FileSource, FileId)> {
    let shown = path.display().to_string();
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| Error::io(&shown, &e))?;
    let meta = file.metadata().map_err(|e| Error::io(&shown, &e))?;
    if !meta.is_file() {
        // The usual message for a directory, FIFO or device.
        FileSource::open(path)?;
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{shown}: not a regular file"),
        ));
    }
    Ok((FileSource::from_file(file), (meta.dev(), meta.ino())))
}

/// Which file `path` names now; `None` while it does not exist.
fn identity(path: &Path) -> Option<FileId> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| (m.dev(), m.ino()))
}

/// Events on the file: appended to or cut (IN_MODIFY), replaced or gone.
#[cfg(target_os = "linux")]
const FILE_EVENTS: u32 = libc::IN_MODIFY
    | libc::IN_CLOSE_WRITE
    | libc::IN_ATTRIB
    | libc::IN_MOVE_SELF
    | libc::IN_DELETE_SELF;
/// Events on its directory: a file created or renamed in or out.
#[cfg(target_os = "linux")]
const DIR_EVENTS: u32 = libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_MOVED_FROM | libc::IN_DELETE;
#[cfg(not(target_os = "linux"))]
const FILE_EVENTS: u32 = 0;
#[cfg(not(target_os = "linux"))]
const DIR_EVENTS: u32 = 0;

/// What the follower should do after its stream reached the end.
pub(crate) enum Next {
    /// Nothing new: report the end.
    Wait,
    /// Read on from this offset of the current file.
    SeekTo(u64),
    /// Read the file the path names now, from its start.
    Reopen(FileSource),
}

impl Follow {
    pub(crate) fn new(
        path: &Path,
        id: FileId,
        layout: &'static RecordLayout,
        live: bool,
    ) -> Follow {
        Follow {
            path: path.to_path_buf(),
            id,
            layout,
            live,
            notify: None,
            file_watch: None,
            pending: 0,
        }
    }

    /// Decide, from the position `pos` reached in the current file and the
    /// current file's size (`size` says it now), what comes next.
    pub(crate) fn check(&mut self, pos: u64, size: &dyn Fn() -> u64) -> Result<Next> {
        if let Some(n) = &self.notify {
            // Events only wake the caller; the state is read below.
            let _ = n.drain();
        }
        let rec = self.layout.size as u64;
        let now = size();
        if now < pos {
            self.pending |= flags::TRUNCATED;
            return Ok(Next::SeekTo(0));
        }
        if now - pos >= rec {
            return Ok(Next::SeekTo(pos));
        }
        match identity(&self.path) {
            Some(id) if id != self.id => {
                // Whatever reached the old file before the switch is read
                // first.
                if size() >= pos + rec {
                    return Ok(Next::SeekTo(pos));
                }
                let (src, id) = match open_file(&self.path) {
                    Ok(opened) => opened,
                    // Gone again, or not readable yet: look next time.
                    Err(_) => return Ok(Next::Wait),
                };
                self.id = id;
                self.pending |= flags::ROTATED;
                self.watch_file();
                Ok(Next::Reopen(src))
            }
            _ => Ok(Next::Wait),
        }
    }

    /// The inotify descriptor (made on first use): readable when the file
    /// or its directory changed. Read the reader again, then wait again.
    pub(crate) fn fd(&mut self) -> Result<RawFd> {
        if self.notify.is_none() {
            let shown = self.path.display().to_string();
            let n = Inotify::new().map_err(|e| {
                let mut err = Error::io(&format!("{shown}: inotify"), &e);
                if e.raw_os_error() == Some(libc::ENOSYS) {
                    err.kind = ErrorKind::Unsupported;
                }
                err
            })?;
            let dir = match self.path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            n.add_watch(dir, DIR_EVENTS)
                .map_err(|e| Error::io(&dir.display().to_string(), &e))?;
            self.notify = Some(n);
            self.watch_file();
        }
        Ok(self.notify.as_ref().map_or(-1, |n| n.raw_fd()))
    }

    /// Watch the file the path names now (and no longer the previous one).
    fn watch_file(&mut self) {
        if let Some(n) = &self.notify {
            if let Some(wd) = self.file_watch.take() {
                n.rm_watch(wd);
            }
            // A missing file is seen through the directory's watch.
            self.file_watch = n.add_watch(&self.path, FILE_EVENTS).ok();
        }
    }
}
