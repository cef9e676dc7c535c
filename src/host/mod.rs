//! This machine's facts, in one place: where its databases are
//! ([`paths`]), when it booted and whether a login's process is still
//! there ([`process`]). Everything else reads files it is given; only
//! this module (and the reader's choice of default files) looks at the
//! running system.

pub mod paths;
pub mod process;

pub use paths::Database;
pub use process::{boot_time, gone_by_last_rule, gone_by_who_rule, process_running};
