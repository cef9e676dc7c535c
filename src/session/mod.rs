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
pub mod rules;

use std::borrow::BorrowMut;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

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

/// A word-at-a-time multiplicative hash (FxHash's): keys are short tty
/// names, and SipHash's DoS resistance buys nothing for a table bounded
/// by the lines of one file.
#[derive(Default)]
struct WordHash(u64);

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        // Multiplication only carries upwards; fold the high bits down so
        // the table's index bits see every byte ("pts/1" vs "pts/2").
        let h = (self.0 ^ (self.0 >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Assembled in a register: copying the tail to a stack word
            // and loading it back stalled on store forwarding.
            h = (h.rotate_left(5) ^ crate::entry::tail_word(rest)).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A pairing key as the table holds it. Keys of up to 32 bytes (every
/// tty line) are words in place: hashed and compared without a call or
/// an allocation (a `Vec` key cost a hash loop and a `memcmp` per
/// record, a fifth of pairing). Longer ones are kept as bytes.
#[derive(Clone, PartialEq, Eq)]
enum Key {
    /// The length and the bytes, zero-padded.
    Short(u8, [u64; 4]),
    Long(Vec<u8>),
}

impl Key {
    #[inline(always)]
    fn of(bytes: &[u8]) -> Key {
        if bytes.len() > 32 {
            return Key::Long(bytes.to_vec());
        }
        let mut words = [0u64; 4];
        for (w, c) in words.iter_mut().zip(bytes.chunks(8)) {
            *w = match c.first_chunk::<8>() {
                Some(a) => u64::from_le_bytes(*a),
                None => crate::entry::tail_word(c),
            };
        }
        Key::Short(bytes.len() as u8, words)
    }
}

impl Hash for Key {
    #[inline(always)]
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            // One word for the table's hasher: the words folded with
            // rotations (a collision only costs a comparison).
            Key::Short(len, w) => h.write_u64(
                w[0] ^ w[1].rotate_left(16)
                    ^ w[2].rotate_left(32)
                    ^ w[3].rotate_left(48)
                    ^ (*len as u64).rotate_right(8),
            ),
            Key::Long(bytes) => h.write(bytes),
        }
    }
}

type Pending = HashMap<Key, Mark, BuildHasherDefault<WordHash>>;

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
        let ev = (self.rules.classify)(e);
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
                if self.rules.runlevel_shutdown && (level == b'0' || level == b'6') {
                    self.last_down = Some(Mark::of(e));
                    down = Some(true);
                }
                self.last_rch = Some(Mark::of(e));
            }
            Event::Login => {
                (self.rules.key)(e, &mut self.key);
                let storable = (self.rules.storable)(e);
                out.start(SessionKind::User, e);
                // The nearest later record of this key closes the login,
                // which then takes its place (one lookup, no allocation).
                let key = Key::of(&self.key);
                let found = match self.pending.get_mut(&key) {
                    Some(m) if storable => Some(std::mem::replace(m, Mark::of(e))),
                    Some(_) => self.pending.remove(&key),
                    None => {
                        if storable {
                            self.pending.insert(key, Mark::of(e));
                        }
                        None
                    }
                };
                match found {
                    Some(m) => out.ended(SessionEnd::LoggedOut, Some(m)),
                    None => match self.last_boot {
                        Some(b) => {
                            let why = if self.last_boot_was_shutdown {
                                SessionEnd::Down
                            } else {
                                SessionEnd::Crash
                            };
                            out.ended(why, Some(b));
                        }
                        None => {
                            let gone = self
                                .liveness
                                .is_some_and(|boot| crate::host::gone_by_last_rule(e, boot));
                            let why = if gone {
                                SessionEnd::Gone
                            } else {
                                SessionEnd::StillLoggedIn
                            };
                            out.ended(why, None);
                        }
                    },
                }
                produced = true;
            }
            Event::Logout => self.remember(e),
            Event::Ignore => {}
        }
        if let Some(shutdown) = down {
            self.last_boot = Some(Mark::of(e));
            self.last_boot_was_shutdown = shutdown || self.rules.boot_ends_as_down;
            self.pending.clear();
        }
        produced
    }

    /// Keep `e` as the nearest later record of its key.
    fn remember(&mut self, e: &Entry) {
        if !(self.rules.storable)(e) {
            return;
        }
        (self.rules.key)(e, &mut self.key);
        let key = Key::of(&self.key);
        match self.pending.get_mut(&key) {
            Some(m) => *m = Mark::of(e),
            None => {
                self.pending.insert(key, Mark::of(e));
            }
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
