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

#[cfg(not(target_os = "linux"))]
const HOST_PATHS: &[(Database, &[&str])] = &[];
