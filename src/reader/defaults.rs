//! This host's default sources, with the successors of utmp, wtmp and
//! lastlog as fallbacks, so "who is logged in", "login history" and "last
//! login" get the right answer on systems that no longer write the files
//! (Debian 13, Ubuntu 26.04, openSUSE), name the source they used
//! ([`Reader::source`]), and never confuse "unavailable" with "nobody".
//!
//! The rules (paths relative to the root, `/` on a live system):
//!
//! | database | first choice | else | else |
//! |---|---|---|---|
//! | utmp | `/var/run/utmp` or `/run/utmp` if it exists, is non-empty and (on the live root) was modified since boot | logind (`/run/systemd`) if it runs | an empty or stale utmp file; else NotFound naming both |
//! | wtmp | `/var/log/wtmp` if non-empty | wtmpdb (`/var/lib/wtmpdb/wtmp.db`, `/var/log/wtmp.db`) | an empty wtmp; else NotFound |
//! | lastlog | `/var/log/lastlog` if it holds a login | lastlog2 (`/var/lib/lastlog/lastlog2.db`) | an empty lastlog; else NotFound |
//! | btmp | `/var/log/btmp` | — | Unsupported: btmp has no successor |
//!
//! Why "modified since boot" for utmp: /run is a tmpfs, so a utmp there
//! is always from this boot; a /var/run utmp on disk that nothing has
//! written since boot is left over, and logind knows better.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::format::lastlog2;
use crate::format::logind::Logind;
use crate::format::wtmpdb;
use crate::host;
use crate::host::Database;
use crate::reader::{open_sqlite, Options, Reader};

/// `path` (absolute on the target system) under `root`.
fn under(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

fn first_existing(root: &Path, paths: &[&str]) -> Option<PathBuf> {
    paths.iter().map(|p| under(root, p)).find(|p| p.is_file())
}

fn shown(root: &Path, paths: &[&str]) -> String {
    paths
        .iter()
        .map(|p| under(root, p).display().to_string())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn non_empty(p: &Path) -> bool {
    p.metadata().map(|m| m.len() > 0).unwrap_or(false)
}

/// Whether a utmp file was written since the current boot (true when
/// either time is unknown, or when reading another root's tree).
fn written_since_boot(root: &Path, p: &Path) -> bool {
    if root != Path::new("/") {
        return true;
    }
    let mtime = p
        .metadata()
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    match (mtime, host::boot_time()) {
        (Some(m), Some(b)) => m >= b,
        _ => true,
    }
}

fn not_found(message: String) -> Error {
    let mut e = Error::new(ErrorKind::NotFound, message);
    e.os_errno = libc::ENOENT;
    e
}

/// Open a default file, with the format its path implies where its
/// content alone cannot tell (FreeBSD utx.lastlogin).
fn open_file(f: &Path, mut opts: Options) -> Result<Reader> {
    if opts.format == crate::Format::Auto {
        let implied = f
            .to_str()
            .and_then(crate::Format::of_path)
            .map(|(_, meant)| meant);
        opts.format = implied.unwrap_or(crate::Format::Auto);
    }
    Reader::open(f, opts)
}

/// Open `db` of the system whose root directory is `root`, falling back
/// to its successor as the table above says.
pub fn open_db_in(root: &Path, db: Database, opts: Options) -> Result<Reader> {
    let files = db.default_paths();
    if files.is_empty() {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("no default {} database is known on this system", db.name()),
        ));
    }
    let file = first_existing(root, files);
    match db {
        Database::Utmp => {
            let logind = Logind::at_root(root);
            match file {
                Some(f) if non_empty(&f) && written_since_boot(root, &f) => open_file(&f, opts),
                _ if logind.is_running() => super::open_logind(logind, &opts),
                Some(f) => open_file(&f, opts),
                None => {
                    let why = logind.require_running().err().map(|e| e.message).unwrap_or_default();
                    Err(not_found(format!(
                        "who is logged in is unavailable here: no utmp file ({}) and {why}",
                        shown(root, files)
                    )))
                }
            }
        }
        Database::Wtmp => {
            let wtmpdb = first_existing(root, wtmpdb::DEFAULT_PATHS);
            match (file, wtmpdb) {
                (Some(f), _) if non_empty(&f) => open_file(&f, opts),
                (_, Some(d)) => open_sqlite::open_sqlite(&d, &with_format(opts, crate::Format::Wtmpdb)),
                (Some(f), None) => open_file(&f, opts),
                (None, None) => Err(not_found(format!(
                    "login history is unavailable here: no wtmp file ({}) and no wtmpdb database ({})",
                    shown(root, files),
                    shown(root, wtmpdb::DEFAULT_PATHS)
                ))),
            }
        }
        Database::Lastlog => {
            let ll2 = first_existing(root, &[lastlog2::DEFAULT_PATH]);
            match (file, ll2) {
                (Some(f), _) if has_last_login(&f) => open_file(&f, opts),
                (_, Some(d)) => open_sqlite::open_sqlite(&d, &with_format(opts, crate::Format::Lastlog2)),
                (Some(f), None) => open_file(&f, opts),
                (None, None) => Err(not_found(format!(
                    "last logins are unavailable here: no lastlog file ({}) and no lastlog2 database ({})",
                    shown(root, files),
                    under(root, lastlog2::DEFAULT_PATH).display()
                ))),
            }
        }
        Database::Btmp => match file {
            Some(f) => open_file(&f, opts),
            None => Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "unsupported on this system: btmp does not exist and has no successor (looked at {})",
                    shown(root, files)
                ),
            )),
        },
    }
}

fn with_format(mut opts: Options, format: crate::Format) -> Options {
    opts.format = format;
    opts
}

/// Whether a lastlog file records at least one login (a non-zero time).
/// The sparse file is walked by its data extents, never its holes.
fn has_last_login(p: &Path) -> bool {
    let Ok(reader) = Reader::open(p, Options::default()) else {
        return false;
    };
    reader
        .map_while(|r| r.ok())
        .any(|e| e.entry_type == crate::EntryType::LastLogin && e.sec != 0)
}
