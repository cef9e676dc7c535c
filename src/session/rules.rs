//! Per-family pairing rules, as data: how a record is classified for
//! `last`, which key pairs a login with its logout, and whether a
//! run-level change to 0 or 6 counts as a shutdown.
//!
//! Linux follows util-linux 2.38 `last` (FORMATS.md §2.8). Other families
//! get their own rows here; the engine in `session/mod.rs` is shared.

use crate::entry::{Entry, EntryType};
use crate::format::Format;

/// What one record means to the pairing engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Boot,
    Shutdown,
    /// A run-level change; the new level's character ('5').
    RunLevel(u8),
    OldTime,
    NewTime,
    Login,
    Logout,
    Ignore,
}

/// One family's pairing rules.
#[derive(Debug)]
pub struct Rules {
    pub name: &'static str,
    pub classify: fn(&Entry) -> Event,
    /// Write the pairing key of a login or logout record into the buffer.
    pub key: fn(&Entry, &mut Vec<u8>),
    /// Whether a login or logout record is kept for pairing at all.
    pub storable: fn(&Entry) -> bool,
    /// A change to run level 0 or 6 ends sessions as a shutdown does.
    pub runlevel_shutdown: bool,
}

/// util-linux `last`: the type is normalised from the user and line
/// (old writers left `ut_type` unset), then records pair by `ut_line`.
fn linux_classify(e: &Entry) -> Event {
    let user = e.user.as_bytes();
    let line = e.line.as_bytes();
    let mut t = e.entry_type;
    let mut shutdown = t == EntryType::ShutdownTime;
    if line.starts_with(b"~") {
        if user.starts_with(b"shutdown") {
            shutdown = true;
        } else if user.starts_with(b"reboot") {
            t = EntryType::BootTime;
        } else if user.starts_with(b"runlevel") {
            t = EntryType::RunLevel;
        }
    } else {
        if t != EntryType::DeadProcess
            && !user.is_empty()
            && !line.is_empty()
            && !user.starts_with(b"LOGIN")
        {
            t = EntryType::UserProcess;
        }
        if user.is_empty() {
            t = EntryType::DeadProcess;
        }
        if user.starts_with(b"date") {
            match line.first() {
                Some(b'|') => t = EntryType::OldTime,
                Some(b'{') => t = EntryType::NewTime,
                _ => {}
            }
        }
    }
    if shutdown {
        return Event::Shutdown;
    }
    match t {
        EntryType::OldTime => Event::OldTime,
        EntryType::NewTime => Event::NewTime,
        EntryType::BootTime => Event::Boot,
        EntryType::RunLevel => Event::RunLevel((e.pid & 0xff) as u8),
        EntryType::UserProcess => Event::Login,
        EntryType::DeadProcess => Event::Logout,
        _ => Event::Ignore,
    }
}

fn key_line(e: &Entry, key: &mut Vec<u8>) {
    key.clear();
    key.extend_from_slice(e.line.as_bytes());
}

fn has_line(e: &Entry) -> bool {
    !e.line.is_empty()
}

pub static LINUX: Rules = Rules {
    name: "linux",
    classify: linux_classify,
    key: key_line,
    storable: has_line,
    runlevel_shutdown: true,
};

/// The rules for records of `format`.
pub fn for_format(format: Format) -> &'static Rules {
    // Every format known so far is a Linux one (or Linux-like, such as
    // wtmpdb and utmpdump text); other families get rows as they land.
    let _ = format;
    &LINUX
}
