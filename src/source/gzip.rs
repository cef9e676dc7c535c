//! gzip-compressed files (rotated `wtmp.1.gz`), read transparently.
//!
//! The content is decompressed once, streaming, into an unlinked temporary
//! file, which is then read like any other file: chunked `pread`, forward
//! or backward, with memory bounded by the chunk size. The cost is disk
//! space in the temporary directory equal to the decompressed size (at
//! most `MAX_DECOMPRESSED`), released when the reader is closed.

use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;

use super::file::FileSource;
use super::ByteSource;
use crate::error::{Error, ErrorKind, Result};

/// Refuse to expand one file beyond this (a gzip bomb, or not a log).
const MAX_DECOMPRESSED: u64 = 64 << 30;

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

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Decompress `src` (named `shown` in messages) into a temporary file.
pub fn decompress(src: &dyn ByteSource, shown: &str) -> Result<FileSource> {
    let (file, path) = temp_file().map_err(|e| Error::io("temporary file for gzip", &e))?;
    // Unlinked at once: nothing is left behind, whatever happens next.
    let _ = std::fs::remove_file(&path);
    let mut decoder = MultiGzDecoder::new(SourceReader { src, pos: 0 });
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
        if total > MAX_DECOMPRESSED {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("{shown}: decompresses to more than {MAX_DECOMPRESSED} bytes"),
            ));
        }
        out.write_all(&buf[..n])
            .map_err(|e| Error::io("temporary file for gzip", &e))?;
    }
    out.flush()
        .map_err(|e| Error::io("temporary file for gzip", &e))?;
    drop(out);
    Ok(FileSource::from_file(file))
}

fn temp_file() -> io::Result<(std::fs::File, PathBuf)> {
    let dir = std::env::temp_dir();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("utx-gz-{}-{n}", std::process::id()));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((f, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}
