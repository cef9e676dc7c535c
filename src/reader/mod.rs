//! The reader: a source of bytes (or rows), a format, a direction and a
//! type filter, handing out one normalized entry at a time.

pub mod database;
pub mod defaults;
pub mod live;
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
    /// "Who is logged in now": drop USER_PROCESS entries whose process is
    /// gone or that predate the current boot (see [`live`]).
    pub live: bool,
    /// logind: keep manager, background and closing sessions too.
    pub all_sessions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            reverse: false,
            type_mask: u32::MAX,
            live: false,
            all_sessions: false,
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
    /// Open a file. A SQLite file is read as wtmpdb or lastlog2 (by its
    /// tables); a logind state directory (a `/run/systemd` or a copy of it,
    /// detected by its `sessions` directory, or forced with
    /// `Format::Logind`) as the current sessions.
    pub fn open(path: impl AsRef<Path>, opts: Options) -> Result<Reader> {
        let path = path.as_ref();
        // A logind state directory (`/run/systemd` or a copy) is detected
        // by its sessions directory.
        let logind_dir = opts.format == Format::Auto && path.join("sessions").is_dir();
        if opts.format == Format::Logind || logind_dir {
            let logind = crate::source::logind::Logind::at_dir(path);
            return database::open_logind(logind, &opts);
        }
        let src = FileSource::open(path)?;
        let mut head = [0u8; 16];
        let n = src
            .read_full_at(&mut head, 0)
            .map_err(|e| Error::io(&path.display().to_string(), &e))?;
        let sqlite = database::is_sqlite(&head[..n]);
        match opts.format {
            Format::Auto | Format::Wtmpdb | Format::Lastlog2 if sqlite => {
                drop(src);
                return database::open_sqlite(path, &opts);
            }
            Format::Wtmpdb | Format::Lastlog2 => {
                return Err(Error::new(
                    ErrorKind::NotRecognised,
                    format!(
                        "{}: not a SQLite database, so not {}",
                        path.display(),
                        opts.format.name()
                    ),
                ))
            }
            _ => {}
        }
        Self::from_source(Box::new(src), path.display().to_string(), opts)
    }

    /// Parse a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8], opts: Options) -> Result<Reader> {
        let src = MemorySource::new(bytes.to_vec());
        Self::from_source(Box::new(src), "memory".into(), opts)
    }

    /// Open this host's database, falling back to its successor (logind,
    /// wtmpdb, lastlog2) where the file is gone; [`Reader::source`] says
    /// which was opened. See [`defaults`] for the rules.
    pub fn open_db(db: Database, opts: Options) -> Result<Reader> {
        defaults::open_db_in(Path::new("/"), db, opts)
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
        Ok(Self::from_stream_opts(stream, format, origin, &opts))
    }

    /// A reader over `stream` with the filters `opts` asks for.
    pub(crate) fn from_stream_opts(
        stream: Box<dyn EntryStream>,
        format: Format,
        origin: String,
        opts: &Options,
    ) -> Reader {
        let stream: Box<dyn EntryStream> = if opts.live {
            Box::new(live::LiveFilter::new(stream))
        } else {
            stream
        };
        Reader {
            stream,
            format,
            type_mask: opts.type_mask,
            origin,
            failed: false,
        }
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

    /// The source this reader opened: a path ("/var/run/utmp"), or a
    /// kind and a path ("logind:/run/systemd",
    /// "wtmpdb:/var/lib/wtmpdb/wtmp.db", "lastlog2:…"), or "memory".
    pub fn source(&self) -> &str {
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
