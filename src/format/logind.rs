//! systemd-logind's state under `/run/systemd` (FORMATS.md §2.14), read
//! the way sd-login reads it, without libsystemd, D-Bus or a running
//! logind: a root-directory option points it at a copied tree.
//!
//! "logind is not running here" (no `<root>/run/systemd/seats`: logind
//! creates it at start-up, even with no seat) is an error
//! ([`ErrorKind::NotFound`]), never an empty list: a reader that silently
//! yields nothing is how psutil, gopsutil and `who` report zero users on
//! systems without utmp.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::entry::{Entry, EntryType, StrField};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::source::envfile::{self, EnvFile};
use crate::source::file::FileSource;
use crate::stream::EntryStream;

/// logind's state directory below the root.
pub const STATE_DIR: &str = "run/systemd";

/// Session classes that are not a user logged in: the per-user service
/// manager (`manager`, `manager-early`) and cron/sudo-style background
/// sessions (`background`, `background-light`, systemd#35171, elogind#297).
pub const NOT_LOGIN_CLASSES: &[&str] =
    &["manager", "manager-early", "background", "background-light"];

/// Session states that are not a user logged in (a session on its way
/// out; stuck ones pile up, elogind#297).
pub const NOT_LOGIN_STATES: &[&str] = &["closing"];

/// The four kinds of logind state, each one directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Seats,
    Sessions,
    Users,
    Machines,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Seats,
        Category::Sessions,
        Category::Users,
        Category::Machines,
    ];

    pub fn dir_name(self) -> &'static str {
        match self {
            Category::Seats => "seats",
            Category::Sessions => "sessions",
            Category::Users => "users",
            Category::Machines => "machines",
        }
    }
}

/// Process names of logind (`comm`, at most 15 bytes): systemd's and
/// elogind's.
pub const DAEMON_NAMES: &[&str] = &["systemd-logind", "elogind", "elogind-daemon"];

/// The most bytes read from one state file (a session file is about
/// 1 KiB); a longer file is refused with `ErrorKind::NotRecognised`.
pub const MAX_STATE_FILE: usize = 64 * 1024;

/// Where the live system keeps logind's state.
const LIVE_DIR: &str = "/run/systemd";

/// One logind state tree.
#[derive(Clone, Debug)]
pub struct Logind {
    dir: PathBuf,
    /// This system's own state: logind must also be running, since a
    /// /run that is not a tmpfs (containers, chroots) can keep a stale
    /// tree from an image. A copied tree is taken as it is.
    live: bool,
}

impl Logind {
    /// The state of the system whose root directory is `root` (`/` for
    /// this one).
    pub fn at_root(root: &Path) -> Logind {
        let dir = root.join(STATE_DIR);
        Logind {
            live: dir == Path::new(LIVE_DIR),
            dir,
        }
    }

    /// The state in `dir` itself (a copy of `/run/systemd`).
    pub fn at_dir(dir: &Path) -> Logind {
        Logind {
            live: dir == Path::new(LIVE_DIR),
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The directory of one category.
    pub fn category_dir(&self, c: Category) -> PathBuf {
        self.dir.join(c.dir_name())
    }

    /// The name a reader of this state reports as its source.
    pub fn source_name(&self) -> String {
        format!("logind:{}", self.dir.display())
    }

    /// Whether logind runs (or ran, for a copied tree): its seats
    /// directory exists, and on the live system a logind process runs.
    pub fn is_running(&self) -> bool {
        self.not_running_reason().is_none()
    }

    fn not_running_reason(&self) -> Option<String> {
        let seats = self.category_dir(Category::Seats);
        if !seats.is_dir() {
            return Some(format!("no {}", seats.display()));
        }
        if self.live && crate::host::process_running(DAEMON_NAMES) == Some(false) {
            return Some(format!(
                "{} exists but no {} process runs",
                seats.display(),
                DAEMON_NAMES.join(" or ")
            ));
        }
        None
    }

    /// `Ok` when logind is running, else the "not running" error.
    pub fn require_running(&self) -> Result<()> {
        let Some(reason) = self.not_running_reason() else {
            return Ok(());
        };
        let mut e = Error::new(
            ErrorKind::NotFound,
            format!("logind is not running here ({reason})"),
        );
        e.os_errno = libc::ENOENT;
        Err(e)
    }

    /// The names in one category's directory, sorted. A missing directory
    /// is an empty list (as in sd-login) once logind is known to run.
    pub fn list(&self, c: Category) -> Result<Vec<String>> {
        self.require_running()?;
        let dir = self.category_dir(c);
        let mut names = list_dir(&dir)?;
        match c {
            Category::Users => names.retain(|n| parse_uid(n).is_some()),
            // machined also keeps "unit:<unit>" symlinks there.
            Category::Machines => names.retain(|n| is_machine_name(n)),
            Category::Seats | Category::Sessions => {}
        }
        Ok(names)
    }

    pub fn seats(&self) -> Result<Vec<String>> {
        self.list(Category::Seats)
    }

    pub fn sessions(&self) -> Result<Vec<String>> {
        self.list(Category::Sessions)
    }

    /// Uids of users with state (sessions or lingering), ascending.
    pub fn uids(&self) -> Result<Vec<u32>> {
        let mut uids: Vec<u32> = self
            .list(Category::Users)?
            .iter()
            .filter_map(|n| parse_uid(n))
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    pub fn machine_names(&self) -> Result<Vec<String>> {
        self.list(Category::Machines)
    }

    /// Read one session; `None` when it ended (file gone) meanwhile.
    pub fn session(&self, id: &str) -> Result<Option<Session>> {
        let path = self.category_dir(Category::Sessions).join(id);
        match FileSource::read_small(&path, MAX_STATE_FILE) {
            Ok(bytes) => Ok(Some(Session {
                id: id.to_string(),
                env: envfile::parse(&bytes),
            })),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The user name logind keeps for `uid` (`users/<uid>`, `NAME`).
    pub fn user_name(&self, uid: i64) -> Option<Vec<u8>> {
        let path = self.category_dir(Category::Users).join(uid.to_string());
        let env = envfile::parse(&FileSource::read_small(&path, MAX_STATE_FILE).ok()?);
        env.get("NAME").map(<[u8]>::to_vec)
    }

    /// Every current session, oldest first (by start time, then id). A
    /// session file without `USER` gets the name from its user's file.
    pub fn read_sessions(&self) -> Result<Vec<Session>> {
        let mut out = Vec::new();
        for id in self.sessions()? {
            if let Some(mut s) = self.session(&id)? {
                if s.env.get("USER").is_none_or(|u| u.is_empty()) {
                    if let Some(name) = s.env.get_int("UID").and_then(|u| self.user_name(u)) {
                        s.env.set("USER", name);
                    }
                }
                out.push(s);
            }
        }
        out.sort_by(|a, b| {
            (a.start_usec().unwrap_or(i64::MIN), &a.id)
                .cmp(&(b.start_usec().unwrap_or(i64::MIN), &b.id))
        });
        Ok(out)
    }
}

/// Visible regular entries of a directory (no `.` temp files), sorted; a
/// missing directory is empty.
fn list_dir(dir: &Path) -> Result<Vec<String>> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&dir.display().to_string(), &e)),
    };
    let mut names = Vec::new();
    for ent in rd {
        let ent = ent.map_err(|e| Error::io(&dir.display().to_string(), &e))?;
        let Ok(name) = ent.file_name().into_string() else {
            continue;
        };
        // logind writes "<dir>/.#<name>XXXXXX" and renames it into place.
        if name.starts_with('.') {
            continue;
        }
        if ent.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// A uid as sd-login accepts it (not -1 and not the 16-bit -1).
fn parse_uid(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    (n != u32::MAX && n != 65535).then_some(n)
}

/// A machine name as `sd_get_machine_names` keeps it: a valid host name.
fn is_machine_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(['.', '-'])
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
}

/// One session file.
#[derive(Clone, Debug)]
pub struct Session {
    /// The session id (the file name): "3", "c1", …
    pub id: String,
    pub env: EnvFile,
}

impl Session {
    pub fn class(&self) -> Option<String> {
        self.env.get_str("CLASS")
    }

    pub fn state(&self) -> Option<String> {
        self.env.get_str("STATE")
    }

    /// `REALTIME`, µs since the epoch.
    pub fn start_usec(&self) -> Option<i64> {
        self.env.get_int("REALTIME")
    }

    /// Whether this session is a user logged in (not a service manager,
    /// background job or a session on its way out).
    pub fn is_user_login(&self) -> bool {
        let class_ok = self
            .class()
            .is_none_or(|c| !NOT_LOGIN_CLASSES.contains(&c.as_str()));
        let state_ok = self
            .state()
            .is_none_or(|s| !NOT_LOGIN_STATES.contains(&s.as_str()));
        class_ok && state_ok
    }

    /// The normalized entry: USER_PROCESS with user, uid, tty (or
    /// display) as line, remote host, service, leader pid, session id.
    pub fn fill_entry(&self, e: &mut Entry, offset: u64) {
        e.reset(Format::Logind, offset);
        e.entry_type = EntryType::UserProcess;
        let env = &self.env;
        e.set_str(StrField::User, env.get("USER").unwrap_or_default());
        let line = match env.get("TTY").filter(|t| !t.is_empty()) {
            Some(tty) => tty.strip_prefix(b"/dev/").unwrap_or(tty),
            None => env.get("DISPLAY").unwrap_or_default(),
        };
        e.set_str(StrField::Line, line);
        e.set_str(StrField::Id, self.id.as_bytes());
        e.set_str(StrField::Host, env.get("REMOTE_HOST").unwrap_or_default());
        e.set_str(StrField::Service, env.get("SERVICE").unwrap_or_default());
        e.set_addr_from_host_text();
        e.uid = env.get_int("UID").filter(|u| *u >= 0).unwrap_or(-1);
        e.pid = env.get_int("LEADER").filter(|p| *p > 0).unwrap_or(-1);
        e.session = self.id.parse::<i64>().unwrap_or(-1);
        match self.start_usec() {
            Some(us) => e.set_time(us.div_euclid(1_000_000), us.rem_euclid(1_000_000)),
            None => e.set_time(0, 0),
        }
    }
}

/// The current sessions as entries, oldest first (reverse: newest first).
pub struct LogindStream {
    logind: Logind,
    /// Keep manager/background/closing sessions too.
    all: bool,
    reverse: bool,
    sessions: Vec<Session>,
    pos: usize,
}

impl LogindStream {
    /// Fails with "logind is not running here" rather than yielding nothing.
    pub fn open(logind: Logind, all: bool, reverse: bool) -> Result<LogindStream> {
        let mut s = LogindStream {
            logind,
            all,
            reverse,
            sessions: Vec::new(),
            pos: 0,
        };
        s.rewind()?;
        Ok(s)
    }
}

impl EntryStream for LogindStream {
    fn next(&mut self, e: &mut Entry) -> Result<bool> {
        let Some(s) = self.sessions.get(self.pos) else {
            return Ok(false);
        };
        s.fill_entry(e, self.pos as u64);
        self.pos += 1;
        Ok(true)
    }

    /// Re-reads the state: a rewound reader sees the sessions of now.
    fn rewind(&mut self) -> Result<()> {
        let mut sessions = self.logind.read_sessions()?;
        if !self.all {
            sessions.retain(Session::is_user_login);
        }
        if self.reverse {
            sessions.reverse();
        }
        self.sessions = sessions;
        self.pos = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_and_machine_names() {
        assert_eq!(parse_uid("1000"), Some(1000));
        assert_eq!(parse_uid("4294967295"), None);
        assert_eq!(parse_uid("65535"), None);
        assert_eq!(parse_uid("+5"), None);
        assert_eq!(parse_uid(""), None);
        assert!(is_machine_name("debian-12.container"));
        assert!(!is_machine_name("unit:machine-foo.scope"));
        assert!(!is_machine_name(".hidden"));
    }
}
