//! This host's default databases: one small table per OS, so each row can
//! be checked by reading it.

/// The databases `ut_reader_open_db` knows. Numbers are part of the C ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Database {
    /// Who is logged in now.
    Utmp = 1,
    /// Login history.
    Wtmp = 2,
    /// Failed logins.
    Btmp = 3,
    /// Last login per user.
    Lastlog = 4,
}

impl Database {
    pub fn from_u32(n: u32) -> Option<Database> {
        [
            Database::Utmp,
            Database::Wtmp,
            Database::Btmp,
            Database::Lastlog,
        ]
        .into_iter()
        .find(|d| *d as u32 == n)
    }

    pub fn name(self) -> &'static str {
        match self {
            Database::Utmp => "utmp",
            Database::Wtmp => "wtmp",
            Database::Btmp => "btmp",
            Database::Lastlog => "lastlog",
        }
    }

    /// Candidate paths on this OS, first existing one wins.
    pub fn default_paths(self) -> &'static [&'static str] {
        let row = HOST_PATHS.iter().find(|(db, _)| *db == self);
        row.map(|(_, p)| *p).unwrap_or(&[])
    }
}

#[cfg(target_os = "linux")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/run/utmp", "/run/utmp"]),
    (Database::Wtmp, &["/var/log/wtmp"]),
    (Database::Btmp, &["/var/log/btmp"]),
    (Database::Lastlog, &["/var/log/lastlog"]),
];

/// FreeBSD ≥ 9 (utxdb.h); the FreeBSD ≤ 8 files as a fallback. There is
/// no btmp.
#[cfg(target_os = "freebsd")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/run/utx.active", "/var/run/utmp"]),
    (Database::Wtmp, &["/var/log/utx.log", "/var/log/wtmp"]),
    (
        Database::Lastlog,
        &["/var/log/utx.lastlogin", "/var/log/lastlog"],
    ),
];

/// NetBSD: the x files first. For last logins the flat lastlog comes
/// first (login writes both); lastlogx (a Berkeley DB) is the fallback.
#[cfg(target_os = "netbsd")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/run/utmpx", "/var/run/utmp"]),
    (Database::Wtmp, &["/var/log/wtmpx", "/var/log/wtmp"]),
    (
        Database::Lastlog,
        &["/var/log/lastlog", "/var/log/lastlogx"],
    ),
];

#[cfg(target_os = "openbsd")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/run/utmp"]),
    (Database::Wtmp, &["/var/log/wtmp"]),
    (Database::Lastlog, &["/var/log/lastlog"]),
];

/// macOS ≥ 10.5: only utmpx is a flat file; history lives in ASL.
#[cfg(target_os = "macos")]
const HOST_PATHS: &[(Database, &[&str])] = &[(Database::Utmp, &["/var/run/utmpx"])];

/// Solaris and illumos; the lastlog path is conventional.
#[cfg(any(target_os = "solaris", target_os = "illumos"))]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/adm/utmpx", "/var/adm/utmp"]),
    (Database::Wtmp, &["/var/adm/wtmpx", "/var/adm/wtmp"]),
    (Database::Lastlog, &["/var/adm/lastlog"]),
];

/// AIX: failed logins go to /etc/security/failedlogin (same struct).
#[cfg(target_os = "aix")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/etc/utmp"]),
    (Database::Wtmp, &["/var/adm/wtmp"]),
    (Database::Btmp, &["/etc/security/failedlogin"]),
];

/// Cygwin: `_PATH_UTMP`, `_PATH_WTMP`.
#[cfg(target_os = "cygwin")]
const HOST_PATHS: &[(Database, &[&str])] = &[
    (Database::Utmp, &["/var/run/utmp"]),
    (Database::Wtmp, &["/var/log/wtmp"]),
];

#[cfg(not(any(
    target_os = "linux",
    target_os = "cygwin",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "solaris",
    target_os = "illumos",
    target_os = "aix"
)))]
const HOST_PATHS: &[(Database, &[&str])] = &[];
