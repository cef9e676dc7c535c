//! Errors of the safe API; each kind maps to one C status code.

use std::fmt;
use std::io;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Io,
    /// The content is not any format utx knows (or not the forced one).
    NotRecognised,
    Unsupported,
    OutOfMemory,
    Internal,
    /// Another writer held the file's lock longer than the bounded wait.
    Busy,
}

/// An error with a message for humans and the OS errno when there was one.
#[derive(Clone, Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// 0 when the failure did not come from the OS.
    pub os_errno: i32,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            os_errno: 0,
        }
    }

    /// An I/O error about `what` (usually a path), classified by errno.
    pub fn io(what: &str, err: &io::Error) -> Error {
        let kind = match err.kind() {
            io::ErrorKind::NotFound => ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            io::ErrorKind::OutOfMemory => ErrorKind::OutOfMemory,
            _ => ErrorKind::Io,
        };
        Error {
            kind,
            message: format!("{what}: {err}"),
            os_errno: err.raw_os_error().unwrap_or(0),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
