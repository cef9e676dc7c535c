//! The reader: a source of bytes (or rows), a format, a direction and a
//! type filter, handing out one normalized entry at a time.

pub mod defaults;
pub mod follow;
pub mod live;
pub mod multi;
pub mod open_sqlite;
pub mod records;
pub mod seek;

use std::path::Path;

use crate::entry::{Entry, EntryType};
use crate::error::{Error, ErrorKind, Result};
use crate::format::layout::Kind;
use crate::format::logind::{Logind, LogindStream};
use crate::format::{detect, Decoder, Format};
use crate::host::Database;
use crate::source::file::FileSource;
use crate::source::gzip;
pub use crate::source::gzip::Limits as GzipLimits;
use crate::source::memory::MemorySource;
use crate::source::ByteSource;
pub use crate::stream::EntryStream;

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
    /// gone, by the `who` rule (see [`live`]).
    pub live: bool,
    /// logind: keep manager, background and closing sessions too.
    pub all_sessions: bool,
    /// How far a `.gz` may expand (see [`gzip::Limits`]).
    pub gzip: gzip::Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            reverse: false,
            type_mask: u32::MAX,
            live: false,
            all_sessions: false,
            gzip: gzip::Limits::default(),
        }
    }
}

/// Reads entries from one file, buffer or database.
pub struct Reader {
    stream: Box<dyn EntryStream>,
    format: Format,
    type_mask: u32,
    /// What [`Reader::source`] returns (also the prefix of messages).
    source: String,
    /// Newest first? `None` for streams that did not say.
    reverse: Option<bool>,
    /// Only entries with `since <= sec <= until` (util-linux `last -s/-t`).
    since: Option<i64>,
    until: Option<i64>,
    /// An entry found by a scanning `seek_time`, returned next.
    peeked: Option<Entry>,
    /// The iterator returned an error; it returns nothing more.
    failed: bool,
    /// Set by [`Reader::open_follow`]: look again after the end.
    follow: Option<Box<follow::Follow>>,
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
            let logind = Logind::at_dir(path);
            return open_logind(logind, &opts);
        }
        let src = FileSource::open(path)?;
        let mut head = [0u8; 16];
        let n = src
            .read_full_at(&mut head, 0)
            .map_err(|e| Error::io(&path.display().to_string(), &e))?;
        let sqlite = open_sqlite::is_sqlite(&head[..n]);
        match opts.format {
            Format::Auto | Format::Wtmpdb | Format::Lastlog2 if sqlite => {
                drop(src);
                return open_sqlite::open_sqlite(path, &opts);
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
        let shown = path.display().to_string();
        // Rotated logs are often gzipped: read them transparently.
        if gzip::is_gzip(&src) {
            let plain = gzip::GzSource::open(src, shown.clone(), opts.gzip)?;
            return Self::from_source(Box::new(plain), shown, opts);
        }
        Self::from_source(Box::new(src), shown, opts)
    }

    /// Open a file to follow as it grows (`utmpdump -f`, `tail -F`):
    /// after the end, a later [`Reader::next_into`] returns the records
    /// appended since (a partial record at the tail once it is whole). A
    /// file cut shorter than the position is read again from its start,
    /// and a path that names another file (rotation, by device and inode)
    /// is read from the new file's start once the old one has nothing
    /// more; the next entry is flagged `TRUNCATED` or `ROTATED`.
    /// [`Reader::follow_fd`] gives a descriptor to wait on. Forward only;
    /// only event files of fixed-size records (wtmp, btmp, utmp) can be
    /// followed (`Unsupported` otherwise, and for gzip and SQLite files).
    pub fn open_follow(path: impl AsRef<Path>, opts: Options) -> Result<Reader> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        if opts.reverse {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{shown}: a followed file is read forward only"),
            ));
        }
        // A record being written in pieces when the file is opened can
        // make its size fit no layout: look again a few times, briefly.
        let mut tries = 0;
        let (mut reader, id) = loop {
            let (src, id) = follow::open_file(path)?;
            let mut head = [0u8; 16];
            let n = src
                .read_full_at(&mut head, 0)
                .map_err(|e| Error::io(&shown, &e))?;
            if open_sqlite::is_sqlite(&head[..n]) || gzip::is_gzip(&src) {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("{shown}: a SQLite or gzip file cannot be followed"),
                ));
            }
            match Self::from_source(Box::new(src), shown.clone(), opts) {
                Err(e) if e.kind == ErrorKind::NotRecognised && tries < follow::DETECT_TRIES => {
                    tries += 1;
                    std::thread::sleep(follow::DETECT_PAUSE);
                }
                opened => break (opened?, id),
            }
        };
        let layout = match reader.format.info().decoder {
            Decoder::Records(l) if l.kind == Kind::Events => l,
            _ => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!(
                    "{shown}: {} cannot be followed (only event files of fixed-size records can)",
                    reader.format.name()
                ),
                ))
            }
        };
        reader.follow = Some(Box::new(follow::Follow::new(path, id, layout, opts.live)));
        Ok(reader)
    }

    /// Whether the reader follows its file ([`Reader::open_follow`]).
    pub fn is_following(&self) -> bool {
        self.follow.is_some()
    }

    /// A descriptor that becomes readable (`poll` POLLIN) when the
    /// followed file or its directory changed: wait on it after the end,
    /// then read again (which also empties it). Made on first call; owned
    /// by the reader. `InvalidArgument` for a reader that does not follow.
    pub fn follow_fd(&mut self) -> Result<std::os::unix::io::RawFd> {
        match self.follow.as_mut() {
            Some(f) => f.fd(),
            None => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{}: the reader was not opened to follow", self.source),
            )),
        }
    }

    /// Where reading continues, as a byte offset of the file: forward,
    /// just past the last record read (returned or dropped by a filter);
    /// backward, the start of the last record read. Give it to
    /// [`Reader::seek_offset`] (of this reader or a new one on the same
    /// file) to continue there. Files of fixed-size records only
    /// (`Unsupported` otherwise).
    pub fn tell(&self) -> Result<u64> {
        if let Some(p) = &self.peeked {
            // A scanning seek_time read `p` but has not returned it.
            return Ok(match (self.reverse, self.format.info().decoder) {
                (Some(true), Decoder::Records(l)) => p.offset + l.size as u64,
                _ => p.offset,
            });
        }
        self.stream.tell().ok_or_else(|| self.no_offsets())
    }

    /// Continue reading at `offset`, a record boundary: forward from the
    /// record that starts there, backward from the record that ends there.
    /// `u64::MAX` is the end of the last whole record (follow from now).
    /// `InvalidArgument` for an offset that is not a multiple of the
    /// record size or lies past the last whole record; `Unsupported` for
    /// formats without fixed-size records.
    pub fn seek_offset(&mut self, offset: u64) -> Result<()> {
        if self.stream.tell().is_none() {
            return Err(self.no_offsets());
        }
        self.peeked = None;
        self.failed = false;
        let source = &self.source;
        self.stream
            .seek_offset(offset)
            .map_err(|e| Error::new(e.kind, format!("{source}: {}", e.message)))
    }

    fn no_offsets(&self) -> Error {
        Error::new(
            ErrorKind::Unsupported,
            format!(
                "{}: {} has no record offsets to tell or seek (only files of fixed-size records have)",
                self.source,
                self.format.name()
            ),
        )
    }

    /// One history over several files given oldest first (rotated logs:
    /// `wtmp.2.gz`, `wtmp.1`, `wtmp`); each is detected (and gunzipped) on
    /// its own. Offsets are positions in the files' concatenation.
    pub fn open_files<P: AsRef<Path>>(paths: &[P], opts: Options) -> Result<Reader> {
        if paths.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "no files given"));
        }
        let mut readers = Vec::with_capacity(paths.len());
        let mut sizes = Vec::with_capacity(paths.len());
        // The file read first keeps its decompressed copy (if a .gz); the
        // others release theirs once detected and measured.
        let first = if opts.reverse { paths.len() - 1 } else { 0 };
        for (i, p) in paths.iter().enumerate() {
            let mut r = Self::open(p, opts)?;
            sizes.push(r.stream.size());
            if i != first {
                r.release();
            }
            readers.push(r);
        }
        let format = readers[0].format();
        let origin = paths
            .iter()
            .map(|p| p.as_ref().display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let stream = multi::MultiStream::new(readers, &sizes, opts.reverse);
        Ok(
            Self::from_stream(Box::new(stream), format, origin, opts.type_mask)
                .with_reverse(opts.reverse),
        )
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

    /// As [`Reader::open_db`], for the system whose root directory is
    /// `root` (a copied tree, a test).
    pub fn open_db_in(root: impl AsRef<Path>, db: Database, opts: Options) -> Result<Reader> {
        defaults::open_db_in(root.as_ref(), db, opts)
    }

    fn from_source(src: Box<dyn ByteSource>, origin: String, opts: Options) -> Result<Reader> {
        let format = match opts.format {
            Format::Auto => detect::detect(src.as_ref())
                .map_err(|e| Error::new(e.kind, format!("{origin}: {}", e.message)))?,
            f => f,
        };
        // A file name whose bytes are another format's too (FreeBSD
        // utx.lastlogin holds utx.active's records) says what it holds.
        let format = match Format::of_path(&origin) {
            Some((same_bytes, f)) if opts.format == Format::Auto && format == same_bytes => f,
            _ => format,
        };
        let stream: Box<dyn EntryStream> = match format.info().decoder {
            Decoder::Records(layout) => {
                Box::new(records::RecordStream::new(src, layout, opts.reverse)?)
            }
            Decoder::Stream(open) => open(src, opts.reverse)
                .map_err(|e| Error::new(e.kind, format!("{origin}: {}", e.message)))?,
            Decoder::Detect | Decoder::Sqlite | Decoder::Directory => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("format {} cannot be read from a file", format.name()),
                ))
            }
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
            source: origin,
            reverse: Some(opts.reverse),
            since: None,
            until: None,
            peeked: None,
            failed: false,
            follow: None,
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
            source: origin,
            reverse: None,
            since: None,
            until: None,
            peeked: None,
            failed: false,
            follow: None,
        }
    }

    /// Say which direction a stream given to `from_stream` reads.
    pub fn with_reverse(mut self, reverse: bool) -> Reader {
        self.reverse = Some(reverse);
        self
    }

    /// Whether entries come newest first (`None`: the stream did not say).
    pub fn is_reverse(&self) -> Option<bool> {
        self.reverse
    }

    /// Only return entries at or after `since` (seconds); `None` for all.
    pub fn set_since(&mut self, since: Option<i64>) {
        self.since = since;
    }

    /// Only return entries at or before `until` (seconds); `None` for all.
    pub fn set_until(&mut self, until: Option<i64>) {
        self.until = until;
    }

    /// Records skipped as corrupt so far (each one also flags the next
    /// entry RECOVERED); a file whose every record was invalid gives no
    /// entry but a count here.
    pub fn skipped(&self) -> u64 {
        self.stream.skipped()
    }

    /// The format being read (detected or forced).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The source this reader opened: a path ("/var/run/utmp"), or a
    /// kind and a path ("logind:/run/systemd",
    /// "wtmpdb:/var/lib/wtmpdb/wtmp.db", "lastlog2:…"), or "memory".
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Only return entries whose type bit is set in `mask`.
    pub fn set_type_mask(&mut self, mask: u32) {
        self.type_mask = mask;
    }

    /// Decode the next entry into `e`, reusing its buffers. False at the end.
    /// Inlined into the callers' loops (the C `ut_reader_next`, pairing):
    /// the entry left by `seek_time` is the cold path.
    #[inline(always)]
    pub fn next_into(&mut self, e: &mut Entry) -> Result<bool> {
        if self.follow.is_some() {
            return self.next_following(e);
        }
        if self.peeked.is_some() {
            return self.next_after_seek(e);
        }
        while self.stream.next(e)? {
            if self.wanted(e) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `next_into` when `seek_time` left an entry to return first.
    #[cold]
    #[inline(never)]
    fn next_after_seek(&mut self, e: &mut Entry) -> Result<bool> {
        if let Some(p) = self.peeked.take() {
            *e = p;
            if self.wanted(e) {
                return Ok(true);
            }
        }
        self.next_into(e)
    }

    /// `next_into` of a following reader: at the end, look again; a
    /// trailing partial record is not returned but waited for.
    #[cold]
    #[inline(never)]
    fn next_following(&mut self, e: &mut Entry) -> Result<bool> {
        use crate::entry::flags::PARTIAL_RECORD;
        loop {
            if let Some(p) = self.peeked.take() {
                *e = p;
                if self.wanted(e) {
                    return Ok(true);
                }
            }
            while self.stream.next(e)? {
                if e.flags & PARTIAL_RECORD != 0 {
                    break;
                }
                if self.wanted(e) {
                    if let Some(f) = self.follow.as_mut() {
                        e.flags |= std::mem::take(&mut f.pending);
                    }
                    return Ok(true);
                }
            }
            let Some(f) = self.follow.as_mut() else {
                return Ok(false);
            };
            let pos = self.stream.tell().unwrap_or(0);
            let stream = &self.stream;
            match f.check(pos, &|| stream.size())? {
                follow::Next::Wait => return Ok(false),
                follow::Next::SeekTo(off) => match self.stream.seek_offset(off) {
                    // Cut again since the check: the next check sees it.
                    Err(err) if err.kind == ErrorKind::InvalidArgument => {}
                    other => other?,
                },
                follow::Next::Reopen(src) => {
                    let s: Box<dyn EntryStream> =
                        Box::new(records::RecordStream::new(Box::new(src), f.layout, false)?);
                    self.stream = if f.live {
                        Box::new(live::LiveFilter::new(s))
                    } else {
                        s
                    };
                }
            }
        }
    }

    /// Whether the type mask and time range let `e` through.
    #[inline(always)]
    fn wanted(&self, e: &Entry) -> bool {
        self.type_mask & e.entry_type.mask_bit() != 0
            && self.since.is_none_or(|s| e.sec >= s)
            && self.until.is_none_or(|u| e.sec <= u)
    }

    pub fn rewind(&mut self) -> Result<()> {
        self.peeked = None;
        self.failed = false;
        self.stream.rewind()
    }

    /// Position at the first entry at or after `sec` (a forward reader),
    /// or at the newest entry at or before `sec` (a reverse reader), as a
    /// scan from the start would find it. Fixed-size record files bisect
    /// (see `seek`); other sources scan. Filters still apply afterwards.
    pub fn seek_time(&mut self, sec: i64) -> Result<()> {
        self.peeked = None;
        self.failed = false;
        if self.stream.seek_time(sec)? {
            return Ok(());
        }
        let reverse = self.reverse == Some(true);
        self.stream.rewind()?;
        let mut e = Entry::default();
        while self.stream.next(&mut e)? {
            let hit = if reverse { e.sec <= sec } else { e.sec >= sec };
            if hit && e.flags & crate::entry::flags::PARTIAL_RECORD == 0 {
                self.peeked = Some(e);
                break;
            }
        }
        Ok(())
    }

    /// Free a `.gz`'s decompressed copy until the next read (see
    /// [`EntryStream::release`]).
    pub(crate) fn release(&mut self) {
        self.stream.release();
    }

    /// Chunks read from the source so far (0 for sources that do not count).
    pub fn chunks_read(&self) -> u64 {
        self.stream.chunks_read()
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

/// Current logind sessions (see [`crate::format::logind`]).
pub(crate) fn open_logind(logind: Logind, opts: &Options) -> Result<Reader> {
    logind.require_running()?;
    let source = logind.source_name();
    let stream = LogindStream::open(logind, opts.all_sessions, opts.reverse)?;
    Ok(Reader::from_stream_opts(
        Box::new(stream),
        Format::Logind,
        source,
        opts,
    ))
}

/// The mask with every type in `types`.
pub fn type_mask(types: &[EntryType]) -> u32 {
    types.iter().fold(0, |m, t| m | t.mask_bit())
}
