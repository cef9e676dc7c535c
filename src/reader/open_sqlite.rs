//! Readers over SQLite databases (wtmpdb, lastlog2, told apart by their
//! tables).

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::reader::{Options, Reader};

/// Whether `head` (a file's first bytes) is a SQLite 3 database.
pub fn is_sqlite(head: &[u8]) -> bool {
    head.starts_with(b"SQLite format 3\0")
}

/// The source name of a database reader ("wtmpdb:/var/lib/wtmpdb/wtmp.db").
pub fn source_name(format: Format, path: &Path) -> String {
    format!("{}:{}", format.name(), path.display())
}

/// Open a wtmpdb or lastlog2 database; `Auto` picks by its tables.
#[cfg(feature = "sqlite")]
pub fn open_sqlite(path: &Path, opts: &Options) -> Result<Reader> {
    use crate::format::{lastlog2::Lastlog2Stream, wtmpdb::WtmpdbStream};
    use crate::source::sqlite;
    use crate::stream::EntryStream;
    let shown = path.display().to_string();
    let format = match opts.format {
        Format::Wtmpdb | Format::Lastlog2 => opts.format,
        Format::Auto => {
            let conn = sqlite::open_read_only(path, "SQLite")?;
            let tables = sqlite::table_names(&conn, &shown, "SQLite")?;
            let has = |t: &str| tables.iter().any(|n| n.eq_ignore_ascii_case(t));
            if has("wtmp") {
                Format::Wtmpdb
            } else if has("Lastlog2") {
                Format::Lastlog2
            } else {
                return Err(Error::new(
                    ErrorKind::NotRecognised,
                    format!(
                        "{shown}: a SQLite database, but neither wtmpdb's (table wtmp) nor lastlog2's (table Lastlog2)"
                    ),
                ));
            }
        }
        other => {
            return Err(Error::new(
                ErrorKind::NotRecognised,
                format!("{shown}: a SQLite database, not {}", other.name()),
            ))
        }
    };
    let stream: Box<dyn EntryStream> = match format {
        Format::Wtmpdb => Box::new(WtmpdbStream::open(path, opts.reverse)?),
        _ => Box::new(Lastlog2Stream::open(path, opts.reverse)?),
    };
    Ok(Reader::from_stream_opts(
        stream,
        format,
        source_name(format, path),
        opts,
    ))
}

#[cfg(not(feature = "sqlite"))]
pub fn open_sqlite(path: &Path, _opts: &Options) -> Result<Reader> {
    Err(Error::new(
        ErrorKind::Unsupported,
        format!(
            "{}: wtmpdb/lastlog2 (SQLite) databases are unsupported: utx was built without its `sqlite` feature",
            path.display()
        ),
    ))
}

/// The whole wtmpdb history: the rotated `<stem>_YYYYMMDD.db` files
/// beside `path` (oldest first), then `path` itself; a reverse reader
/// starts with the newest entry of `path`. Source:
/// "wtmpdb:PATH (+N rotated)".
#[cfg(feature = "sqlite")]
pub fn open_wtmpdb_history(path: &Path, opts: &Options) -> Result<Reader> {
    use crate::format::wtmpdb::{rotated_files, WtmpdbStream};
    use crate::stream::EntryStream;
    let mut files = rotated_files(path);
    let rotated = files.len();
    files.push(path.to_path_buf());
    if opts.reverse {
        files.reverse();
    }
    let streams = files
        .iter()
        .map(|f| WtmpdbStream::open(f, opts.reverse).map(|s| Box::new(s) as Box<dyn EntryStream>))
        .collect::<Result<Vec<_>>>()?;
    let mut source = source_name(Format::Wtmpdb, path);
    if rotated > 0 {
        source.push_str(&format!(" (+{rotated} rotated)"));
    }
    Ok(Reader::from_stream_opts(
        Box::new(Chain { streams, at: 0 }),
        Format::Wtmpdb,
        source,
        opts,
    ))
}

#[cfg(not(feature = "sqlite"))]
pub fn open_wtmpdb_history(path: &Path, opts: &Options) -> Result<Reader> {
    open_sqlite(path, opts)
}

/// Several streams, one after the other.
#[cfg(feature = "sqlite")]
struct Chain {
    streams: Vec<Box<dyn crate::stream::EntryStream>>,
    at: usize,
}

#[cfg(feature = "sqlite")]
impl crate::stream::EntryStream for Chain {
    fn next(&mut self, e: &mut crate::entry::Entry) -> Result<bool> {
        while let Some(s) = self.streams.get_mut(self.at) {
            if s.next(e)? {
                return Ok(true);
            }
            self.at += 1;
        }
        Ok(false)
    }

    fn rewind(&mut self) -> Result<()> {
        for s in &mut self.streams {
            s.rewind()?;
        }
        self.at = 0;
        Ok(())
    }
}
