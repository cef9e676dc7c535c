//! Change notification in the spirit of `sd_login_monitor` /
//! `systemd.login.Monitor`: one pollable descriptor that becomes readable
//! when the utmp file changes or logind's session, user, seat or machine
//! directories change. Events carry no content: after a wake-up, call
//! [`Monitor::flush`] and read the state again.
//!
//! Unlike sd_login_monitor (which fails as a whole when, say,
//! /run/systemd/machines is missing), a monitor watches what exists and
//! says what it could not watch ([`Monitor::missing`]); it fails only when
//! it can watch nothing at all. Paths that appear later are picked up at
//! the next [`Monitor::flush`], and so is a utmp file that was replaced.

pub(crate) mod inotify;

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::format::logind::{Category, Logind};
use crate::host::Database;
use inotify::Inotify;

/// Category bits, the values of the C constants (`UT_LOGIND_*`,
/// `UT_MONITOR_*`; the C ABI crate tests that they agree).
pub mod category {
    /// logind seats (`/run/systemd/seats`).
    pub const SEATS: u32 = 1;
    /// logind sessions (`/run/systemd/sessions`).
    pub const SESSIONS: u32 = 2;
    /// Users with logind state (`/run/systemd/users`).
    pub const USERS: u32 = 4;
    /// Virtual machines and containers (`/run/systemd/machines`).
    pub const MACHINES: u32 = 8;
    /// The utmp file.
    pub const UTMP: u32 = 16;
    /// Every category.
    pub const ALL: u32 = SEATS | SESSIONS | USERS | MACHINES | UTMP;
}

/// The category bit of a logind directory.
pub fn logind_bit(c: Category) -> u32 {
    match c {
        Category::Seats => category::SEATS,
        Category::Sessions => category::SESSIONS,
        Category::Users => category::USERS,
        Category::Machines => category::MACHINES,
    }
}

struct Watch {
    bit: u32,
    /// Candidate paths, first existing wins (utmp has two).
    candidates: Vec<PathBuf>,
    is_dir: bool,
    /// The watched path and its watch descriptor, when armed.
    armed: Option<(PathBuf, i32)>,
}

/// A change monitor; see the module docs.
pub struct Monitor {
    inotify: Inotify,
    watches: Vec<Watch>,
}

impl Monitor {
    /// Watch `categories` (bits of [`category`]) of the system at `root`.
    pub fn open_in(root: &Path, categories: u32) -> Result<Monitor> {
        if categories == 0 || categories & !category::ALL != 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("invalid monitor categories 0x{categories:x}"),
            ));
        }
        if !cfg!(target_os = "linux") {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "change notification is unsupported on this system (needs Linux inotify)",
            ));
        }
        let inotify = Inotify::new().map_err(|e| Error::io("inotify_init1", &e))?;
        let logind = Logind::at_root(root);
        let mut watches = Vec::new();
        for c in Category::ALL {
            if categories & logind_bit(c) != 0 {
                watches.push(Watch {
                    bit: logind_bit(c),
                    candidates: vec![logind.category_dir(c)],
                    is_dir: true,
                    armed: None,
                });
            }
        }
        if categories & category::UTMP != 0 {
            watches.push(Watch {
                bit: category::UTMP,
                candidates: Database::Utmp
                    .default_paths()
                    .iter()
                    .map(|p| root.join(p.trim_start_matches('/')))
                    .collect(),
                is_dir: false,
                armed: None,
            });
        }
        let mut m = Monitor { inotify, watches };
        m.arm()?;
        if m.watched() == 0 {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("nothing to watch: {} missing", m.missing().join(", ")),
            ));
        }
        Ok(m)
    }

    /// Add watches for every path not watched yet that exists now.
    fn arm(&mut self) -> Result<()> {
        use inotify::{DIR_EVENTS, FILE_EVENTS};
        for w in self.watches.iter_mut().filter(|w| w.armed.is_none()) {
            let Some(path) =
                w.candidates
                    .iter()
                    .find(|p| if w.is_dir { p.is_dir() } else { p.is_file() })
            else {
                continue;
            };
            let mask = if w.is_dir { DIR_EVENTS } else { FILE_EVENTS };
            match self.inotify.add_watch(path, mask) {
                Ok(wd) => w.armed = Some((path.clone(), wd)),
                // Gone between the check and the call: still missing.
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
                Err(e) => return Err(Error::io(&path.display().to_string(), &e)),
            }
        }
        Ok(())
    }

    /// The descriptor to poll (for `POLLIN`). Owned by the monitor.
    pub fn fd(&self) -> i32 {
        self.inotify.raw_fd()
    }

    /// Drain pending events and re-arm watches on paths that appeared or
    /// were replaced since. Call after each wake-up, then re-read.
    pub fn flush(&mut self) -> Result<()> {
        let ended = self
            .inotify
            .drain()
            .map_err(|e| Error::io("inotify read", &e))?;
        for w in &mut self.watches {
            if matches!(w.armed, Some((_, wd)) if ended.contains(&wd)) {
                w.armed = None;
            }
        }
        self.arm()
    }

    /// The category bits actually being watched.
    pub fn watched(&self) -> u32 {
        self.watches
            .iter()
            .filter(|w| w.armed.is_some())
            .fold(0, |m, w| m | w.bit)
    }

    /// The watched paths.
    pub fn watching(&self) -> Vec<String> {
        self.watches
            .iter()
            .filter_map(|w| w.armed.as_ref().map(|(p, _)| p.display().to_string()))
            .collect()
    }

    /// The paths asked for that do not exist (not watched yet).
    pub fn missing(&self) -> Vec<String> {
        self.watches
            .iter()
            .filter(|w| w.armed.is_none())
            .map(|w| {
                w.candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect()
    }

    /// "watching: A, B; missing: C" for messages.
    pub fn describe(&self) -> String {
        let w = self.watching();
        let m = self.missing();
        let mut s = format!(
            "watching: {}",
            if w.is_empty() {
                "nothing".into()
            } else {
                w.join(", ")
            }
        );
        if !m.is_empty() {
            s.push_str(&format!("; missing: {}", m.join(", ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_every_category() {
        let each = [
            category::SEATS,
            category::SESSIONS,
            category::USERS,
            category::MACHINES,
            category::UTMP,
        ];
        assert_eq!(each.iter().fold(0, |m, b| m | b), category::ALL);
        assert_eq!(each.iter().map(|b| b.count_ones()).sum::<u32>(), 5);
        for c in Category::ALL {
            assert_ne!(logind_bit(c) & category::ALL, 0);
        }
    }
}
