//! utx reads every Unix system's login-accounting data (utmp, wtmp, btmp,
//! lastlog and their successors) and hands out one normalized [`Entry`].
//!
//! The safe Rust API is [`Reader`]; the C ABI (`include/utx.h`,
//! libutx.so.1) is a thin layer over this crate's public API in the
//! separate crate `utx-c` (directory `utx-c/`).
//!
//! ```no_run
//! use utx::{Reader, Options, EntryType};
//! let mut reader = Reader::open("/var/log/wtmp", Options::default())?;
//! for entry in &mut reader {
//!     let entry = entry?;
//!     if entry.entry_type == EntryType::UserProcess {
//!         println!("{} on {}", entry.user.to_string_lossy(), entry.line.to_string_lossy());
//!     }
//! }
//! # Ok::<(), utx::Error>(())
//! ```

pub mod entry;
pub mod error;
pub mod format;
pub mod host;
pub mod monitor;
pub mod reader;
pub mod session;
pub mod source;
pub mod stream;
pub mod write;

pub use entry::{AddrFamily, Entry, EntryType};
pub use error::{Error, ErrorKind, Result};
pub use format::logind::{Category, Logind};
pub use format::{Family, Format, FormatInfo, FORMATS};
pub use host::Database;
pub use monitor::category as monitor_category;
pub use monitor::Monitor;
pub use reader::{GzipLimits, Options, Reader};
pub use session::count::{count_users, CountOptions};
pub use session::{
    rules, Pairing, Session, SessionEnd, SessionKind, SessionOptions, Sessions, TimeChange,
};
pub use stream::EntryStream;
pub use write::{Mode as WriteMode, Options as WriteOptions, Writer};

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
