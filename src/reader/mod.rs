//! The reader: a source of bytes (or rows), a format, a direction and a
//! type filter, handing out one normalized entry at a time.

pub mod records;

use std::path::Path;

use crate::entry::{Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::{detect, lastlogx, utmpdump_text, utx_log, Format};
use crate::source::file::FileSource;
use crate::source::host::Database;
use crate::source::memory::MemorySource;
use crate::source::ByteSource;

/// A stream of entries in one direction; the reader adds filtering.
pub trait EntryStream: Send {
    /// Decode the next entry into `e`; false at the end.
    fn next(&mut self, e: &mut Entry) -> Result<bool>;
    /// Start again from the first entry (in the stream's direction).
    fn rewind(&mut self) -> Result<()>;
}

/// How to open a reader.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `Format::Auto` detects from content.
    pub format: Format,
    /// Newest (last) entry first.
    pub reverse: bool,
    /// Bit `1 << type` set for each entry type to return; `u32::MAX` for all.
    pub type_mask: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            reverse: false,
            type_mask: u32::MAX,
        }
    }
}

/// Reads entries from one file, buffer or database.
pub struct Reader {
    stream: Box<dyn EntryStream>,
    format: Format,
    type_mask: u32,
    /// Where the entries come from, for messages (a path or "memory").
    origin: String,
    /// The iterator returned an error; it returns nothing more.
    failed: bool,
}

impl Reader {
    /// Open a file.
    pub fn open(path: impl AsRef<Path>, opts: Options) -> Result<Reader> {
        let path = path.as_ref();
        let src = FileSource::open(path)?;
        Self::from_source(Box::new(src), path.display().to_string(), opts)
    }

    /// Parse a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8], opts: Options) -> Result<Reader> {
        let src = MemorySource::new(bytes.to_vec());
        Self::from_source(Box::new(src), "memory".into(), opts)
    }

    /// Open this host's database at its default path.
    pub fn open_db(db: Database, opts: Options) -> Result<Reader> {
        let paths = db.default_paths();
        if paths.is_empty() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("no default {} database is known on this system", db.name()),
            ));
        }
        let found = paths.iter().find(|p| Path::new(p).exists());
        match found {
            Some(p) => {
                let mut opts = opts;
                if opts.format == Format::Auto {
                    opts.format = Database::format_of_path(p).unwrap_or(Format::Auto);
                }
                Self::open(p, opts)
            }
            None => {
                let mut err = Error::new(
                    ErrorKind::NotFound,
                    format!(
                        "{} does not exist on this system (looked at {})",
                        db.name(),
                        paths.join(", ")
                    ),
                );
                err.os_errno = libc::ENOENT;
                Err(err)
            }
        }
    }

    fn from_source(mut src: Box<dyn ByteSource>, origin: String, opts: Options) -> Result<Reader> {
        let format = match opts.format {
            Format::Auto => detect::detect(&crate::source::prefetch::Prefetched::new(src.as_mut()))
                .map_err(|e| Error::new(e.kind, format!("{origin}: {}", e.message)))?,
            f => f,
        };
        let stream: Box<dyn EntryStream> = if let Some(layout) = format.layout() {
            Box::new(records::RecordStream::new(src, layout, opts.reverse)?)
        } else if format == Format::UtmpdumpText {
            Box::new(utmpdump_text::TextStream::new(src, opts.reverse)?)
        } else if format == Format::FreebsdUtxLog {
            Box::new(utx_log::UtxLogStream::new(src, opts.reverse)?)
        } else if format == Format::NetbsdLastlogx {
            Box::new(
                lastlogx::LastlogxStream::new(src, opts.reverse)
                    .map_err(|e| Error::new(e.kind, format!("{origin}: {}", e.message)))?,
            )
        } else {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("format {} cannot be read from a file", format.name()),
            ));
        };
        Ok(Reader {
            stream,
            format,
            type_mask: opts.type_mask,
            origin,
            failed: false,
        })
    }

    /// A reader over any entry stream (databases, logind, several files).
    pub fn from_stream(
        stream: Box<dyn EntryStream>,
        format: Format,
        origin: String,
        type_mask: u32,
    ) -> Reader {
        Reader {
            stream,
            format,
            type_mask,
            origin,
            failed: false,
        }
    }

    /// The format being read (detected or forced).
    pub fn format(&self) -> Format {
        self.format
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Only return entries whose type bit is set in `mask`.
    pub fn set_type_mask(&mut self, mask: u32) {
        self.type_mask = mask;
    }

    /// Decode the next entry into `e`, reusing its buffers. False at the end.
    pub fn next_into(&mut self, e: &mut Entry) -> Result<bool> {
        while self.stream.next(e)? {
            if self.type_mask & e.entry_type.mask_bit() != 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub fn rewind(&mut self) -> Result<()> {
        self.failed = false;
        self.stream.rewind()
    }
}

/// Owned entries, one allocation each; `next_into` reuses one entry. The
/// iteration ends after the first error (which is returned).
impl Iterator for Reader {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        if self.failed {
            return None;
        }
        let mut e = Entry::default();
        match self.next_into(&mut e) {
            Ok(true) => Some(Ok(e)),
            Ok(false) => None,
            Err(err) => {
                self.failed = true;
                Some(Err(err))
            }
        }
    }
}

/// The mask with every type in `types`.
pub fn type_mask(types: &[EntryType]) -> u32 {
    types.iter().fold(0, |m, t| m | t.mask_bit())
}
