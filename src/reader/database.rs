//! Readers over the non-file sources: SQLite databases (wtmpdb, lastlog2,
//! told apart by their tables) and logind state directories.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::reader::{Options, Reader};
use crate::source::logind::{Logind, LogindStream};

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
    use crate::reader::EntryStream;
    use crate::source::sqlite;
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

/// Current logind sessions (see [`crate::source::logind`]).
pub fn open_logind(logind: Logind, opts: &Options) -> Result<Reader> {
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
