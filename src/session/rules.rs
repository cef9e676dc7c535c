//! Per-family pairing rules, as data: how a record is classified for
//! `last`, which key pairs a login with its logout, and whether a
//! run-level change to 0 or 6 counts as a shutdown.
//!
//! Linux follows util-linux 2.38 `last` (FORMATS.md §2.8). Other families
//! get their own rows here; the engine in `session/mod.rs` is shared.

use crate::entry::{Entry, EntryType};
use crate::format::{Family, Format};

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
    /// The pairing key of a login or logout record: a field of the entry,
    /// or built in the buffer when it is made of several.
    pub key: for<'a> fn(&'a Entry, &'a mut Vec<u8>) -> &'a [u8],
    /// Whether a login or logout record is kept for pairing at all.
    pub storable: fn(&Entry) -> bool,
    /// A change to run level 0 or 6 ends sessions as a shutdown does.
    pub runlevel_shutdown: bool,
    /// How a boot ends the sessions still open before it: "crash" for
    /// most systems, "down" for illumos/Solaris `last`.
    pub boot_ends_as_down: bool,
}

/// util-linux `last`: the type is normalised from the user and line
/// (old writers left `ut_type` unset), then records pair by `ut_line`.
/// Inlined into `Pairing::feed`'s copy for these rules.
#[inline(always)]
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

#[inline(always)]
fn key_line<'a>(e: &'a Entry, _: &'a mut Vec<u8>) -> &'a [u8] {
    e.line.as_bytes()
}

#[inline(always)]
fn has_line(e: &Entry) -> bool {
    !e.line.is_empty()
}

pub static LINUX: Rules = Rules {
    name: "linux",
    classify: linux_classify,
    key: key_line,
    storable: has_line,
    runlevel_shutdown: true,
    boot_ends_as_down: false,
};

/// Other families: the format's decoder has already normalised the type
/// (BSD `~`, `|`, `{` marker lines included), so classify by it.
fn typed_classify(e: &Entry) -> Event {
    match e.entry_type {
        EntryType::ShutdownTime => Event::Shutdown,
        EntryType::BootTime => Event::Boot,
        EntryType::OldTime => Event::OldTime,
        EntryType::NewTime => Event::NewTime,
        EntryType::RunLevel => Event::RunLevel((e.pid & 0xff) as u8),
        EntryType::UserProcess => Event::Login,
        EntryType::DeadProcess => Event::Logout,
        _ => Event::Ignore,
    }
}

fn always(_: &Entry) -> bool {
    true
}

/// FreeBSD `last`: logins and logouts pair by `ut_id`.
fn key_id<'a>(e: &'a Entry, _: &'a mut Vec<u8>) -> &'a [u8] {
    e.id.as_bytes()
}

/// Apple `last`: by `ut_id` and `ut_pid` together.
fn key_id_pid<'a>(e: &'a Entry, key: &'a mut Vec<u8>) -> &'a [u8] {
    key.clear();
    key.extend_from_slice(e.id.as_bytes());
    key.push(0);
    key.extend_from_slice(&e.pid.to_le_bytes());
    key
}

/// BSD `last`: by line, with `ftpNNN` and `uucpNNN` cut to `ftp`/`uucp`.
fn key_bsd_line<'a>(e: &'a Entry, _: &'a mut Vec<u8>) -> &'a [u8] {
    let line = e.line.as_bytes();
    let cut = [&b"ftp"[..], &b"uucp"[..]]
        .into_iter()
        .find(|p| line.starts_with(p) && line.get(p.len()).is_some_and(|c| c.is_ascii_digit()));
    cut.map_or(line, |p| &line[..p.len()])
}

pub static FREEBSD: Rules = Rules {
    name: "freebsd",
    classify: typed_classify,
    key: key_id,
    storable: always,
    runlevel_shutdown: false,
    boot_ends_as_down: false,
};

pub static MACOS: Rules = Rules {
    name: "macos",
    classify: typed_classify,
    key: key_id_pid,
    storable: always,
    runlevel_shutdown: false,
    boot_ends_as_down: false,
};

/// NetBSD, OpenBSD, classic 4.xBSD and FreeBSD ≤ 8.
pub static BSD: Rules = Rules {
    name: "bsd",
    classify: typed_classify,
    key: key_bsd_line,
    storable: has_line,
    runlevel_shutdown: false,
    boot_ends_as_down: false,
};

/// illumos/Solaris (and SVR4-like AIX, HP-UX, IRIX): by line; a boot
/// ends the sessions open before it as "down".
pub static SVR4: Rules = Rules {
    name: "svr4",
    classify: typed_classify,
    key: key_line,
    storable: has_line,
    runlevel_shutdown: false,
    boot_ends_as_down: true,
};

/// The rules for records of `format`: each family's own `last`.
pub fn for_format(format: Format) -> &'static Rules {
    match format.family() {
        Family::Linux => &LINUX,
        Family::FreeBsd => &FREEBSD,
        Family::MacOs => &MACOS,
        Family::NetBsd | Family::OpenBsd | Family::ClassicBsd => &BSD,
        Family::Solaris | Family::Irix => &SVR4,
        // AIX and HP-UX `last` were not read; their records are typed
        // like SVR4's and pair by line, and a boot is called a crash.
        Family::Aix | Family::HpUx => &BSD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_its_familys_rules() {
        for f in Format::all() {
            let r = for_format(f);
            let want = match f.family() {
                Family::Linux => "linux",
                Family::FreeBsd => "freebsd",
                Family::MacOs => "macos",
                Family::Solaris | Family::Irix => "svr4",
                _ => "bsd",
            };
            assert_eq!(r.name, want, "{}", f.name());
        }
        assert_eq!(for_format(Format::Glibc384Le).name, "linux");
    }
}
