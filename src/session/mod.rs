//! Sessions: login and logout records paired the way each system's own
//! `last` pairs them, plus the system events `last -x` lists (boots,
//! shutdowns, run-level and clock changes).
//!
//! Pairing reads entries newest first (a reverse reader). It keeps one
//! pending record per pairing key (the tty line on Linux), so memory is
//! bounded by the number of distinct keys, never by the file size. Each
//! entry yields at most one session, in the order `last` prints them.
//!
//! The per-family rules (how a record is classified, what key pairs a
//! login with its logout) live in [`rules`]; the engine here is shared.

pub mod count;
mod pending;
pub mod rules;

use std::borrow::BorrowMut;

use pending::Pending;

use crate::entry::{AddrFamily, Entry, Field};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::reader::Reader;

pub use count::{count_users, CountOptions};
pub use rules::{Event, Rules};

/// What a session is. Numbers are part of the C ABI (`UT_SESSION_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SessionKind {
    /// A user's login.
    User = 0,
    /// A system boot, lasting until the next shutdown.
    Reboot = 1,
    /// An orderly shutdown, lasting until the next boot.
    Shutdown = 2,
    /// A run-level change, lasting until the next one.
    RunLevel = 3,
    /// A clock change (the time before or after it); a point in time.
    ClockChange = 4,
}

/// How a session ended. Numbers are part of the C ABI (`UT_END_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SessionEnd {
    /// A logout record closed it.
    LoggedOut = 0,
    /// No logout and no later boot: the user is still logged in.
    StillLoggedIn = 1,
    /// No logout and no later boot, but the login process is gone.
    Gone = 2,
    /// The system booted again without an orderly shutdown first.
    Crash = 3,
    /// The system was shut down while the user was logged in.
    Down = 4,
    /// A boot or run level still in effect (nothing later ended it).
    StillRunning = 5,
    /// A point event (clock change): it does not end.
    Instant = 6,
}

/// Which clock-change record a `ClockChange` session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TimeChange {
    None = 0,
    /// The time before the change (`OLD_TIME`, BSD `|`).
    Old = 1,
    /// The time after the change (`NEW_TIME`, BSD `{`).
    New = 2,
}

/// One session.
#[derive(Clone, Debug)]
pub struct Session {
    pub kind: SessionKind,
    pub end: SessionEnd,
    pub user: Field,
    pub line: Field,
    pub id: Field,
    pub host: Field,
    pub addr_family: AddrFamily,
    pub addr: [u8; 16],
    pub addr_text: Field,
    pub pid: i64,
    pub login_sec: i64,
    pub login_usec: i32,
    /// The logout (or end) time, when one is known.
    pub logout: Option<(i64, i32)>,
    /// Byte offset of the login (or event) record.
    pub login_offset: u64,
    /// Byte offset of the record that ended it, when there was one (the
    /// logout, or the boot or shutdown record for crash and down).
    pub logout_offset: Option<u64>,
    /// For `RunLevel`: the new level as a character code ('5'); else -1.
    pub runlevel: i32,
    pub time_change: TimeChange,
    pub format: Format,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            kind: SessionKind::User,
            end: SessionEnd::Instant,
            user: Field::default(),
            line: Field::default(),
            id: Field::default(),
            host: Field::default(),
            addr_family: AddrFamily::None,
            addr: [0; 16],
            addr_text: Field::default(),
            pid: -1,
            login_sec: 0,
            login_usec: 0,
            logout: None,
            login_offset: 0,
            logout_offset: None,
            runlevel: -1,
            time_change: TimeChange::None,
            format: Format::Auto,
        }
    }
}

impl Session {
    /// Fill from the login (or event) record `e`, taking its strings: the
    /// buffers are swapped, not copied (the reader refills them anyway).
    fn start(&mut self, kind: SessionKind, e: &mut Entry) {
        self.kind = kind;
        std::mem::swap(&mut self.user, &mut e.user);
        std::mem::swap(&mut self.line, &mut e.line);
        std::mem::swap(&mut self.id, &mut e.id);
        std::mem::swap(&mut self.host, &mut e.host);
        self.addr_family = e.addr_family;
        self.addr = e.addr;
        std::mem::swap(&mut self.addr_text, &mut e.addr_text);
        self.pid = e.pid;
        self.login_sec = e.sec;
        self.login_usec = e.usec;
        self.login_offset = e.offset;
        self.logout = None;
        self.logout_offset = None;
        self.runlevel = -1;
        self.time_change = TimeChange::None;
        self.format = e.format;
    }

    fn ended(&mut self, end: SessionEnd, at: Option<Mark>) {
        self.end = end;
        self.logout = at.map(|m| (m.sec, m.usec));
        self.logout_offset = at.map(|m| m.offset);
    }
}

/// How to pair.
#[derive(Clone, Copy, Debug)]
pub struct SessionOptions {
    /// Decide "still logged in" vs "gone" by looking at this host's
    /// processes (the `last` rule of [`crate::host`]: boot time, user,
    /// `/proc/<pid>/loginuid`, `/dev/<line>`). Off for files from elsewhere:
    /// then a session with no logout is always "still logged in".
    pub check_liveness: bool,
    /// Pairing rules; `None` chooses them from the reader's format.
    pub rules: Option<&'static Rules>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            check_liveness: true,
            rules: None,
        }
    }
}

/// A time and the record it came from.
#[derive(Clone, Copy, Debug)]
struct Mark {
    sec: i64,
    usec: i32,
    offset: u64,
}

impl Mark {
    fn of(e: &Entry) -> Mark {
        Mark {
            sec: e.sec,
            usec: e.usec,
            offset: e.offset,
        }
    }
}

/// The pairing state machine: feed entries newest first, get sessions.
pub struct Pairing {
    rules: &'static Rules,
    /// `Some(boot time)` when "still logged in" vs "gone" is judged by
    /// this host's processes (the `last` rule of [`crate::host`]).
    liveness: Option<Option<i64>>,
    /// Nearest later login or logout per pairing key.
    pending: Pending,
    /// The nearest later boot or shutdown (util-linux `lastboot`), and
    /// whether it was a shutdown (`whydown`).
    last_boot: Option<Mark>,
    last_boot_was_shutdown: bool,
    /// The nearest later shutdown (`lastdown`) and run-level change or
    /// shutdown (`lastrch`); `None` means "now".
    last_down: Option<Mark>,
    last_rch: Option<Mark>,
    key: Vec<u8>,
}

impl Pairing {
    /// The pairing of `reader`'s entries: its format's rules unless `opts`
    /// names others, and liveness only for this host's own kind of file
    /// (this host's processes say nothing about another system's file).
    pub fn for_reader(reader: &Reader, opts: SessionOptions) -> Pairing {
        let rules = opts
            .rules
            .unwrap_or_else(|| rules::for_format(reader.format()));
        let same_system = reader.format().family() == crate::format::Family::Linux;
        Pairing::new(rules, opts.check_liveness && same_system)
    }

    pub fn new(rules: &'static Rules, check_liveness: bool) -> Pairing {
        Pairing {
            rules,
            liveness: check_liveness.then(crate::host::boot_time),
            pending: Pending::default(),
            last_boot: None,
            last_boot_was_shutdown: false,
            last_down: None,
            last_rch: None,
            key: Vec::new(),
        }
    }

    /// Number of keys waiting for their login (bounded by distinct lines).
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Feed the next older entry. Returns true when `out` now holds a
    /// session made from it; its strings are then taken from `e` (which
    /// is left with other, unspecified strings: refill it before reuse).
    pub fn feed(&mut self, e: &mut Entry, out: &mut Session) -> bool {
        // util-linux's rules get a copy with their functions called
        // directly (inlined): the hot path of `last` and the C API's
        // pairing of Linux files; every other system's through pointers.
        if std::ptr::eq(self.rules, &rules::LINUX) {
            self.feed_with(&rules::LINUX, e, out)
        } else {
            self.feed_with(self.rules, e, out)
        }
    }

    #[inline(always)]
    fn feed_with(&mut self, rules: &'static Rules, e: &mut Entry, out: &mut Session) -> bool {
        let ev = (rules.classify)(e);
        let mut produced = false;
        let mut down = None::<bool>;
        match ev {
            Event::Shutdown => {
                out.start(SessionKind::Shutdown, e);
                let end = if self.last_boot.is_some() {
                    SessionEnd::LoggedOut
                } else {
                    SessionEnd::StillRunning
                };
                out.ended(end, self.last_boot);
                produced = true;
                self.last_down = Some(Mark::of(e));
                self.last_rch = Some(Mark::of(e));
                down = Some(true);
            }
            Event::OldTime | Event::NewTime => {
                out.start(SessionKind::ClockChange, e);
                // No duration; util-linux still weighs it against the
                // next shutdown for `last -p`, so that is kept as its end.
                out.ended(SessionEnd::Instant, self.last_down);
                out.time_change = if ev == Event::OldTime {
                    TimeChange::Old
                } else {
                    TimeChange::New
                };
                produced = true;
            }
            Event::Boot => {
                out.start(SessionKind::Reboot, e);
                let end = if self.last_down.is_some() {
                    SessionEnd::LoggedOut
                } else {
                    SessionEnd::StillRunning
                };
                out.ended(end, self.last_down);
                produced = true;
                down = Some(false);
            }
            Event::RunLevel(level) => {
                out.start(SessionKind::RunLevel, e);
                out.runlevel = level as i32;
                let end = if self.last_rch.is_some() {
                    SessionEnd::LoggedOut
                } else {
                    SessionEnd::StillRunning
                };
                out.ended(end, self.last_rch);
                produced = true;
                if rules.runlevel_shutdown && (level == b'0' || level == b'6') {
                    self.last_down = Some(Mark::of(e));
                    down = Some(true);
                }
                self.last_rch = Some(Mark::of(e));
            }
            Event::Login => {
                // The nearest later record of this key closes the login,
                // which then takes its place (one probe, no allocation).
                let mark = Mark::of(e);
                let found = {
                    let key = (rules.key)(e, &mut self.key);
                    if (rules.storable)(e) {
                        self.pending.replace(key, mark)
                    } else {
                        self.pending.remove(key)
                    }
                };
                // Decided before `start` takes the login's strings (the
                // liveness rule reads its user and line).
                let (end, at) = match (found, self.last_boot) {
                    (Some(m), _) => (SessionEnd::LoggedOut, Some(m)),
                    (None, Some(b)) if self.last_boot_was_shutdown => (SessionEnd::Down, Some(b)),
                    (None, Some(b)) => (SessionEnd::Crash, Some(b)),
                    (None, None) => {
                        let gone = self
                            .liveness
                            .is_some_and(|boot| crate::host::gone_by_last_rule(e, boot));
                        if gone {
                            (SessionEnd::Gone, None)
                        } else {
                            (SessionEnd::StillLoggedIn, None)
                        }
                    }
                };
                out.start(SessionKind::User, e);
                out.ended(end, at);
                produced = true;
            }
            Event::Logout => self.remember(rules, e),
            Event::Ignore => {}
        }
        if let Some(shutdown) = down {
            self.last_boot = Some(Mark::of(e));
            self.last_boot_was_shutdown = shutdown || rules.boot_ends_as_down;
            self.pending.clear();
        }
        produced
    }

    /// Keep `e` as the nearest later record of its key.
    #[inline(always)]
    fn remember(&mut self, rules: &'static Rules, e: &Entry) {
        if (rules.storable)(e) {
            let key = (rules.key)(e, &mut self.key);
            self.pending.replace(key, Mark::of(e));
        }
    }
}

/// Sessions of a reader (which must read newest first). `R` is the reader
/// itself (owned, the default) or anything that lends one: `&mut Reader`,
/// or the C ABI's reader handle, which stays the caller's while its
/// `ut_sessions` pairs through it. The pairing state lives here either way.
pub struct Sessions<R: BorrowMut<Reader> = Reader> {
    reader: R,
    pairing: Pairing,
    entry: Entry,
}

impl<R: BorrowMut<Reader>> Sessions<R> {
    pub fn new(reader: R, opts: SessionOptions) -> Result<Sessions<R>> {
        check_reverse(reader.borrow())?;
        Ok(Sessions {
            pairing: Pairing::for_reader(reader.borrow(), opts),
            reader,
            entry: Entry::default(),
        })
    }

    /// The next session into `out`; false at the end.
    pub fn next_into(&mut self, out: &mut Session) -> Result<bool> {
        let reader: &mut Reader = self.reader.borrow_mut();
        while reader.next_into(&mut self.entry)? {
            if self.pairing.feed(&mut self.entry, out) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub fn reader(&self) -> &Reader {
        self.reader.borrow()
    }

    pub fn into_reader(self) -> R {
        self.reader
    }
}

impl<R: BorrowMut<Reader>> Iterator for Sessions<R> {
    type Item = Result<Session>;

    fn next(&mut self) -> Option<Result<Session>> {
        let mut s = Session::default();
        match self.next_into(&mut s) {
            Ok(true) => Some(Ok(s)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Pairing needs newest-first entries.
pub fn check_reverse(reader: &Reader) -> Result<()> {
    if reader.is_reverse() == Some(false) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "sessions need a reader that reads newest first (open it with UT_OPEN_REVERSE)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
