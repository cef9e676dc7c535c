//! gzip-compressed files (rotated `wtmp.1.gz`), read transparently.
//!
//! The content is decompressed once, streaming, into an unnamed temporary
//! file, which is then read like any other file: chunked `pread`, forward
//! or backward, with memory bounded by the chunk size. The file is made
//! with `O_TMPFILE | O_EXCL` (mode 0600): it never has a name, so no other
//! process can open it, and it can never be linked into the file system.
//! Its directory is `$UTX_TMPDIR`, else `$TMPDIR`, else `/tmp`. Where the
//! file system has no `O_TMPFILE`, a private directory (mode 0700, made
//! by `mkdtemp`) holds a 0600 file that is unlinked, with the directory,
//! before a byte is written: only this process could ever enter it.
//!
//! The cost is disk space equal to the decompressed size, released when
//! the reader is closed. [`Limits`] bound it: a stream that expands past
//! `max_bytes`, or past `max_ratio` times the compressed bytes read once
//! it holds more than [`RATIO_FREE`], is refused (`ErrorKind::Unsupported`,
//! "decompresses to more than …"): a gzip bomb costs at most that much.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::FromRawFd;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use super::file::FileSource;
use super::ByteSource;
use crate::error::{Error, ErrorKind, Result};

/// How far one `.gz` may expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most decompressed bytes (default 4 GiB).
    pub max_bytes: u64,
    /// Most decompressed bytes per compressed byte, checked once the
    /// output passes [`RATIO_FREE`] (default 200; gzip's own maximum is
    /// about 1032, a wtmp compresses 10 to 50 times).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 4 << 30,
            max_ratio: 200,
        }
    }
}

/// Output below this size is never refused for its ratio.
pub const RATIO_FREE: u64 = 64 << 20;

/// gzip's magic bytes.
pub fn is_gzip(src: &dyn ByteSource) -> bool {
    let mut magic = [0u8; 2];
    matches!(src.read_full_at(&mut magic, 0), Ok(2)) && magic == [0x1f, 0x8b]
}

/// Adapts a `ByteSource` to `Read` for the decoder.
struct SourceReader<'a> {
    src: &'a dyn ByteSource,
    pos: u64,
}

impl Read for SourceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.src.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// The directory for decompressed copies: `$UTX_TMPDIR`, `$TMPDIR` or
/// `/tmp`.
pub fn temp_dir() -> PathBuf {
    ["UTX_TMPDIR", "TMPDIR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// A `.gz` file read as its decompressed content. The copy is made when
/// opened, can be released ([`ByteSource::release`]) and is made again by
/// the next read (the same limits apply).
pub struct GzSource {
    gz: FileSource,
    shown: String,
    limits: Limits,
    plain: std::cell::RefCell<Option<FileSource>>,
    size: u64,
}

impl GzSource {
    /// Decompress `gz` (named `shown` in messages) now.
    pub fn open(gz: FileSource, shown: String, limits: Limits) -> Result<GzSource> {
        let plain = decompress(&gz, &shown, limits)?;
        let size = plain
            .size()
            .map_err(|e| Error::io(&format!("{shown}: temporary file"), &e))?;
        Ok(GzSource {
            gz,
            shown,
            limits,
            plain: std::cell::RefCell::new(Some(plain)),
            size,
        })
    }
}

impl ByteSource for GzSource {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let mut plain = self.plain.borrow_mut();
        if plain.is_none() {
            let again = decompress(&self.gz, &self.shown, self.limits)
                .map_err(|e| io::Error::other(e.message))?;
            *plain = Some(again);
        }
        plain.as_ref().expect("made above").read_at(buf, offset)
    }

    /// The decompressed size (the copy never changes).
    fn size(&self) -> io::Result<u64> {
        Ok(self.size)
    }

    fn release(&mut self) {
        *self.plain.get_mut() = None;
    }
}

/// Decompress `src` (named `shown` in messages) into an unnamed file.
pub fn decompress(src: &dyn ByteSource, shown: &str, limits: Limits) -> Result<FileSource> {
    let dir = temp_dir();
    let file = unnamed_file(&dir).map_err(|e| {
        // Never NotFound: the .gz exists, its scratch directory does not.
        let mut err = Error::new(
            ErrorKind::Io,
            format!(
                "{shown}: cannot make a temporary file in {} to decompress into (set UTX_TMPDIR): {e}",
                dir.display()
            ),
        );
        err.os_errno = e.raw_os_error().unwrap_or(0);
        err
    })?;
    let tmp_err = |e: io::Error| Error::io(&format!("{shown}: temporary file"), &e);
    let mut reader = SourceReader { src, pos: 0 };
    let mut decoder = MultiGzDecoder::new(&mut reader);
    let mut out = io::BufWriter::with_capacity(256 * 1024, &file);
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::NotRecognised,
                    format!("{shown}: bad gzip data: {e}"),
                ))
            }
        };
        total += n as u64;
        let read = decoder.get_ref().pos.max(1);
        let ratio_hit = total > RATIO_FREE && total / read > limits.max_ratio;
        if total > limits.max_bytes || ratio_hit {
            let why = if ratio_hit {
                format!(
                    "expands more than {} times ({total} bytes from {read})",
                    limits.max_ratio
                )
            } else {
                format!("decompresses to more than {} bytes", limits.max_bytes)
            };
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("{shown}: {why}: refused as a gzip bomb"),
            ));
        }
        out.write_all(&buf[..n]).map_err(tmp_err)?;
    }
    out.flush().map_err(tmp_err)?;
    drop(out);
    Ok(FileSource::from_file(file))
}

fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// A read-write file in `dir` that has no name.
fn unnamed_file(dir: &Path) -> io::Result<File> {
    let c = cstr(dir)?;
    let flags = libc::O_TMPFILE | libc::O_RDWR | libc::O_EXCL | libc::O_CLOEXEC;
    // SAFETY: `c` is a NUL-terminated path; open returns a new descriptor
    // (owned by the File below) or -1.
    let fd = unsafe { libc::open(c.as_ptr(), flags, 0o600 as libc::c_uint) };
    if fd >= 0 {
        // SAFETY: `fd` is a descriptor we just opened and own alone.
        return Ok(unsafe { File::from_raw_fd(fd) });
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        // No O_TMPFILE here (EISDIR: kernels before 3.11).
        Some(libc::EOPNOTSUPP) | Some(libc::EISDIR) | Some(libc::EINVAL) => private_file(dir),
        _ => Err(err),
    }
}

/// The fallback: a 0600 file in a fresh 0700 directory, both removed
/// before the file is written.
fn private_file(dir: &Path) -> io::Result<File> {
    let mut template = cstr(&dir.join("utx-gz-XXXXXX"))?.into_bytes_with_nul();
    // SAFETY: `template` is a writable NUL-terminated buffer mkdtemp fills.
    let made = unsafe { libc::mkdtemp(template.as_mut_ptr().cast()) };
    if made.is_null() {
        return Err(io::Error::last_os_error());
    }
    template.pop();
    let sub = PathBuf::from(std::ffi::OsStr::from_bytes(&template));
    let path = sub.join("gz");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_CLOEXEC)
        .open(&path);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&sub);
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback for file systems without O_TMPFILE: a usable file,
    /// and nothing left in the directory.
    #[test]
    fn private_file_leaves_no_name() {
        use std::os::unix::fs::FileExt;
        let dir = std::env::temp_dir().join(format!("utx-gz-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = private_file(&dir).unwrap();
        f.write_all_at(b"abc", 0).unwrap();
        let mut buf = [0u8; 3];
        f.read_exact_at(&mut buf, 0).unwrap();
        assert_eq!(&buf, b"abc");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir(&dir).unwrap();
    }
}
