//! "How many users are logged in", the way `who -q`, `users` and `uptime`
//! should answer it: USER_PROCESS records with a user name, whose process
//! is not gone by the `who` rule of [`crate::host`] (coreutils'
//! READ_UTMP_CHECK_PIDS), optionally counting
//! each user name once.

use std::collections::HashSet;

use crate::entry::{Entry, EntryType};
use crate::error::Result;
use crate::host;
use crate::reader::Reader;

#[derive(Clone, Copy, Debug, Default)]
pub struct CountOptions {
    /// Count each user name once.
    pub distinct: bool,
    /// Count records whose process is gone too (a file from elsewhere).
    pub include_dead: bool,
}

/// Count the logged-in users among the reader's remaining entries.
pub fn count_users(reader: &mut Reader, opts: CountOptions) -> Result<u64> {
    let mut e = Entry::default();
    let mut names: HashSet<Vec<u8>> = HashSet::new();
    let mut n = 0u64;
    while reader.next_into(&mut e)? {
        if e.entry_type != EntryType::UserProcess || e.user.is_empty() {
            continue;
        }
        if !opts.include_dead && host::gone_by_who_rule(&e) {
            continue;
        }
        if opts.distinct {
            if !names.contains(e.user.as_bytes()) {
                names.insert(e.user.as_bytes().to_vec());
                n += 1;
            }
        } else {
            n += 1;
        }
    }
    Ok(n)
}
