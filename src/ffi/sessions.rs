//! Sessions in the C ABI: `ut_sessions_open` pairs the entries of a
//! reader (newest first) into `ut_session`s the way the system's `last`
//! does.

use std::os::raw::c_char;

use super::boundary::{fail, guard, static_c, write_errbuf};
use super::types::*;
use super::ut_reader;
use crate::entry::Entry;
use crate::error::{Error, ErrorKind};
use crate::session::{self, Pairing, Session, SessionOptions};

/// Pairs a reader's entries into sessions. Opaque; create with
/// `ut_sessions_open`, free with `ut_sessions_close`. It reads through the
/// reader it was opened on, which must stay open (and unused) meanwhile.
pub struct ut_sessions {
    reader: *mut ut_reader,
    pairing: Pairing,
    entry: Entry,
    session: Session,
    c_session: ut_session,
}

impl ut_sessions {
    /// Point the C view at the current session's buffers.
    fn publish(&mut self) {
        let s = &self.session;
        let c = &mut self.c_session;
        c.kind = s.kind as u32;
        c.end = s.end as u32;
        c.flags = 0;
        if s.logout.is_some() {
            c.flags |= UT_SESSION_HAS_LOGOUT;
        }
        c.user = s.user.as_ptr().cast();
        c.line = s.line.as_ptr().cast();
        c.id = s.id.as_ptr().cast();
        c.host = s.host.as_ptr().cast();
        c.addr_family = s.addr_family as u32;
        c.addr = s.addr;
        c.addr_text = s.addr_text.as_ptr().cast();
        c.pid = s.pid;
        c.login_sec = s.login_sec;
        c.login_usec = s.login_usec;
        let (sec, usec) = s.logout.unwrap_or((0, 0));
        c.logout_sec = sec;
        c.logout_usec = usec;
        c.login_offset = s.login_offset;
        c.logout_offset = s.logout_offset.map_or(-1, |o| o as i64);
        c.runlevel = s.runlevel;
        c.time_change = s.time_change as u32;
        c.format = s.format as u32;
    }
}

fn empty_c_session() -> ut_session {
    let empty = static_c("\0");
    ut_session {
        size: std::mem::size_of::<ut_session>() as u32,
        kind: UT_KIND_USER,
        end: UT_ENDED_INSTANT,
        flags: 0,
        user: empty,
        line: empty,
        id: empty,
        host: empty,
        addr_family: UT_ADDR_NONE,
        addr: [0; 16],
        addr_text: empty,
        pid: -1,
        login_sec: 0,
        login_usec: 0,
        logout_usec: 0,
        logout_sec: 0,
        login_offset: 0,
        logout_offset: -1,
        runlevel: -1,
        time_change: UT_TIME_CHANGE_NONE,
        format: UT_FORMAT_AUTO,
    }
}

/// Start pairing the entries of `reader`, which must read newest first
/// (opened with `UT_OPEN_REVERSE`), from where it stands. `flags` is a
/// combination of `UT_SESSIONS_*`. The rules follow the reader's format
/// (util-linux `last` for Linux files). On success stores a new handle in
/// `*out`; the reader must outlive it and not be used while it is open.
/// Read errors are reported on the reader (`ut_reader_error`).
#[no_mangle]
pub unsafe extern "C" fn ut_sessions_open(
    reader: *mut ut_reader,
    flags: u32,
    out: *mut *mut ut_sessions,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if reader.is_null() || out.is_null() {
            write_errbuf(errbuf, errlen, "reader or out is NULL");
            return UT_ERR_NULL;
        }
        if flags & !UT_SESSIONS_NO_LIVENESS != 0 {
            let err = Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "unknown sessions flags 0x{:x}",
                    flags & !UT_SESSIONS_NO_LIVENESS
                ),
            );
            return fail(errbuf, errlen, &err);
        }
        // SAFETY: a non-NULL reader came from ut_reader_open* (caller's promise).
        let r = &*reader;
        if let Err(err) = session::check_reverse(&r.reader) {
            return fail(errbuf, errlen, &err);
        }
        let opts = SessionOptions {
            check_liveness: flags & UT_SESSIONS_NO_LIVENESS == 0,
            rules: None,
        };
        let handle = Box::new(ut_sessions {
            reader,
            pairing: Pairing::for_reader(&r.reader, opts),
            entry: Entry::default(),
            session: Session::default(),
            c_session: empty_c_session(),
        });
        *out = Box::into_raw(handle);
        write_errbuf(errbuf, errlen, "");
        UT_OK
    })
}

/// The next session. `UT_OK` stores in `*session` a pointer valid until
/// the next call on this handle; `UT_END` when there are no more; a
/// negative status on a read error (details from `ut_reader_error`).
#[no_mangle]
pub unsafe extern "C" fn ut_sessions_next(
    sessions: *mut ut_sessions,
    session: *mut *const ut_session,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if sessions.is_null() || session.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL handle came from ut_sessions_open, and its
        // reader is still open (the caller's promise).
        let s = &mut *sessions;
        let r = &mut *s.reader;
        loop {
            match r.reader.next_into(&mut s.entry) {
                Ok(true) => {
                    if s.pairing.feed(&mut s.entry, &mut s.session) {
                        s.publish();
                        *session = &s.c_session;
                        return UT_OK;
                    }
                }
                Ok(false) => return UT_END,
                Err(err) => return r.record(&err),
            }
        }
    })
}

/// Free a sessions handle (not its reader). NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_sessions_close(sessions: *mut ut_sessions) {
    guard((), || {
        if !sessions.is_null() {
            // SAFETY: came from Box::into_raw in ut_sessions_open.
            drop(Box::from_raw(sessions));
        }
    })
}
