//! A file read with `pread` in large chunks; sparse files walked with
//! `SEEK_DATA`/`SEEK_HOLE`.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;

use super::ByteSource;
use crate::error::{Error, ErrorKind, Result};

pub struct FileSource {
    file: File,
}

impl FileSource {
    /// Open `path` read-only. Refuses anything but a regular file, without
    /// blocking on a FIFO (O_NONBLOCK) and without taking any lock.
    pub fn open(path: &Path) -> Result<FileSource> {
        let shown = path.display().to_string();
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .map_err(|e| Error::io(&shown, &e))?;
        let meta = file.metadata().map_err(|e| Error::io(&shown, &e))?;
        if meta.is_dir() {
            let mut err = Error::new(
                ErrorKind::InvalidArgument,
                format!("{shown}: is a directory"),
            );
            err.os_errno = libc::EISDIR;
            return Err(err);
        }
        if !meta.is_file() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{shown}: not a regular file (FIFO, socket or device)"),
            ));
        }
        Ok(FileSource { file })
    }

    /// The whole of a small file (a state file), opened as [`open`] does
    /// (O_NONBLOCK, `fstat` on that descriptor, regular files only) and
    /// read up to `limit` bytes: a longer file is refused, so a symlink to
    /// `/dev/zero` or a huge file costs at most `limit + 1` bytes.
    ///
    /// [`open`]: FileSource::open
    pub fn read_small(path: &Path, limit: usize) -> Result<Vec<u8>> {
        use std::io::Read;
        let src = FileSource::open(path)?;
        let shown = path.display().to_string();
        let mut out = Vec::new();
        (&src.file)
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::io(&shown, &e))?;
        if out.len() > limit {
            return Err(Error::new(
                ErrorKind::NotRecognised,
                format!("{shown}: larger than {limit} bytes, not a state file"),
            ));
        }
        Ok(out)
    }

    /// Read an already open regular file (a temporary file, say).
    pub fn from_file(file: File) -> FileSource {
        FileSource { file }
    }

    /// `lseek(fd, offset, whence)`; `None` when there is no such position
    /// (ENXIO: no data, or no hole, at or after `offset`).
    fn seek(&self, offset: u64, whence: libc::c_int) -> io::Result<Option<u64>> {
        let off = libc::off_t::try_from(offset)
            .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        // SAFETY: lseek on a file descriptor we own; no memory is touched.
        // The file position it moves is not used: reads go through pread.
        let r = unsafe { libc::lseek(self.file.as_raw_fd(), off, whence) };
        if r < 0 {
            let err = io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::ENXIO) {
                return Ok(None);
            }
            return Err(err);
        }
        Ok(Some(r as u64))
    }
}

impl ByteSource for FileSource {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.file.read_at(buf, offset)
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    fn data_extents(&self, mut offset: u64, max: usize) -> io::Result<Vec<(u64, u64)>> {
        let size = self.size()?;
        let mut out = Vec::new();
        while offset < size && out.len() < max {
            let start = match self.seek(offset, libc::SEEK_DATA) {
                Ok(Some(s)) => s,
                Ok(None) => break,
                // A file system without SEEK_DATA: all of it is data.
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                    out.push((offset, size));
                    break;
                }
                Err(e) => return Err(e),
            };
            let end = self.seek(start, libc::SEEK_HOLE)?.unwrap_or(size).min(size);
            if end <= start {
                break;
            }
            out.push((start, end));
            offset = end;
        }
        Ok(out)
    }
}
