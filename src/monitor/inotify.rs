//! The OS side of change notification: one inotify descriptor
//! (`IN_NONBLOCK | IN_CLOEXEC`) with watches on the paths a monitor cares
//! about. All of the monitor's unsafe calls are here.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Events that mean "a directory's entries changed": logind replaces its
/// files by rename (IN_MOVED_TO) and removes them (IN_DELETE), as
/// sd_login_monitor watches; IN_CLOSE_WRITE also catches a file written in
/// place, IN_MOVED_FROM one renamed away.
#[cfg(target_os = "linux")]
pub(crate) const DIR_EVENTS: u32 =
    libc::IN_MOVED_TO | libc::IN_MOVED_FROM | libc::IN_DELETE | libc::IN_CLOSE_WRITE;

#[cfg(not(target_os = "linux"))]
pub(crate) const DIR_EVENTS: u32 = 0;
#[cfg(not(target_os = "linux"))]
pub(crate) const FILE_EVENTS: u32 = 0;

/// Events that mean "this file changed": utmp is rewritten in place by
/// pwrite (IN_MODIFY), or replaced/removed (the watch then ends).
#[cfg(target_os = "linux")]
pub(crate) const FILE_EVENTS: u32 = libc::IN_MODIFY
    | libc::IN_CLOSE_WRITE
    | libc::IN_ATTRIB
    | libc::IN_DELETE_SELF
    | libc::IN_MOVE_SELF;

/// An inotify instance.
#[derive(Debug)]
pub struct Inotify {
    fd: OwnedFd,
}

impl Inotify {
    #[cfg(target_os = "linux")]
    pub fn new() -> io::Result<Inotify> {
        // SAFETY: inotify_init1 takes flags only; on success we own the fd.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        Ok(Inotify {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub fn new() -> io::Result<Inotify> {
        Err(io::Error::from_raw_os_error(libc::ENOSYS))
    }

    /// Watch `path` for `mask`; the watch descriptor.
    #[cfg(target_os = "linux")]
    pub fn add_watch(&self, path: &Path, mask: u32) -> io::Result<i32> {
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
        let wd = unsafe { libc::inotify_add_watch(self.fd.as_raw_fd(), c.as_ptr(), mask) };
        if wd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(wd)
    }

    #[cfg(not(target_os = "linux"))]
    pub fn add_watch(&self, _path: &Path, _mask: u32) -> io::Result<i32> {
        Err(io::Error::from_raw_os_error(libc::ENOSYS))
    }

    /// Stop watching `wd` (errors ignored: the watch may already be gone).
    pub fn rm_watch(&self, wd: i32) {
        #[cfg(target_os = "linux")]
        // SAFETY: removes a watch of a descriptor we own; no memory is touched.
        unsafe {
            libc::inotify_rm_watch(self.fd.as_raw_fd(), wd);
        }
        #[cfg(not(target_os = "linux"))]
        let _ = wd;
    }

    /// Drain every pending event; the watch descriptors whose watch ended
    /// (IN_IGNORED: the path was deleted or replaced).
    pub fn drain(&self) -> io::Result<Vec<i32>> {
        let mut ended = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: reading into a buffer we own, within its length.
            let n = unsafe {
                libc::read(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast::<libc::c_void>(),
                    buf.len(),
                )
            };
            if n < 0 {
                let err = io::Error::last_os_error();
                match err.raw_os_error() {
                    Some(libc::EAGAIN) => return Ok(ended),
                    Some(libc::EINTR) => continue,
                    _ => return Err(err),
                }
            }
            if n == 0 {
                return Ok(ended);
            }
            collect_ignored(&buf[..n as usize], &mut ended);
        }
    }

    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// Walk `struct inotify_event` records (wd i32, mask u32, cookie u32,
/// len u32, name[len]) and note the watches that ended.
fn collect_ignored(mut buf: &[u8], ended: &mut Vec<i32>) {
    const HEADER: usize = 16;
    #[cfg(target_os = "linux")]
    const IGNORED: u32 = libc::IN_IGNORED;
    #[cfg(not(target_os = "linux"))]
    const IGNORED: u32 = 0x8000;
    while buf.len() >= HEADER {
        let word = |i: usize| [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]];
        let wd = i32::from_ne_bytes(word(0));
        let mask = u32::from_ne_bytes(word(4));
        let len = u32::from_ne_bytes(word(12)) as usize;
        if mask & IGNORED != 0 {
            ended.push(wd);
        }
        let step = HEADER.saturating_add(len);
        if step > buf.len() {
            break;
        }
        buf = &buf[step..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_event_records() {
        let mut b = Vec::new();
        for (wd, mask, name) in [(1i32, 0x100u32, &b"abcd"[..]), (2, 0x8000, &b""[..])] {
            b.extend_from_slice(&wd.to_ne_bytes());
            b.extend_from_slice(&mask.to_ne_bytes());
            b.extend_from_slice(&0u32.to_ne_bytes());
            b.extend_from_slice(&(name.len() as u32).to_ne_bytes());
            b.extend_from_slice(name);
        }
        let mut ended = Vec::new();
        collect_ignored(&b, &mut ended);
        assert_eq!(ended, vec![2]);
        // A truncated record is ignored, not read past.
        collect_ignored(&b[..20], &mut ended);
        assert_eq!(ended, vec![2]);
    }
}
