//! `ut_sessions`: a `utx::Sessions` pairing the entries of the caller's
//! `ut_reader` (newest first) into `ut_session`s the way the system's
//! `last` does. The pairing, its rules and its options are the core's:
//! C callers get what Rust callers of `Sessions::new` get.

use std::borrow::{Borrow, BorrowMut};
use std::os::raw::c_char;
use std::ptr::NonNull;

use crate::ffi::{check_flags, free_handle, into_handle};
use crate::panic::guard;
use crate::reader::ut_reader;
use crate::types::*;
use utx::{Reader, Session, SessionOptions, Sessions};

/// The caller's reader, lent to a `Sessions` while a `ut_sessions` is open
/// (the reader stays the caller's: `ut_sessions_close` does not free it).
struct LentReader(NonNull<ut_reader>);

impl Borrow<Reader> for LentReader {
    fn borrow(&self) -> &Reader {
        // SAFETY: ut_sessions_open's contract: the reader outlives the
        // handle and is not used (nor closed) while the handle is open.
        unsafe { &self.0.as_ref().reader }
    }
}

impl BorrowMut<Reader> for LentReader {
    fn borrow_mut(&mut self) -> &mut Reader {
        // SAFETY: as for `borrow`; the one reference lives only for the call.
        unsafe { &mut self.0.as_mut().reader }
    }
}

/// Pairs a reader's entries into sessions. Opaque; create with
/// `ut_sessions_open`, free with `ut_sessions_close`. It reads through the
/// reader it was opened on, which must stay open (and unused) meanwhile.
pub struct ut_sessions {
    sessions: Sessions<LentReader>,
    /// The same reader, for recording read errors on it.
    reader: NonNull<ut_reader>,
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
    let empty = c"".as_ptr();
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
        let err = err_buf!(errbuf, errlen);
        let Some(reader) = NonNull::new(reader) else {
            return err.null("reader or out");
        };
        let out = try_out!(out, err.null("reader or out"));
        if let Err(e) = check_flags(flags, UT_SESSIONS_NO_LIVENESS, "sessions") {
            return err.fail(&e);
        }
        let opts = SessionOptions {
            check_liveness: flags & UT_SESSIONS_NO_LIVENESS == 0,
            rules: None,
        };
        match Sessions::new(LentReader(reader), opts) {
            Ok(sessions) => {
                out.write(into_handle(ut_sessions {
                    sessions,
                    reader,
                    session: Session::default(),
                    c_session: empty_c_session(),
                }));
                err.ok()
            }
            Err(e) => err.fail(&e),
        }
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
        let s = try_mut!(sessions);
        let session = try_out!(session);
        match s.sessions.next_into(&mut s.session) {
            Ok(true) => {
                s.publish();
                session.write(&s.c_session);
                UT_OK
            }
            Ok(false) => UT_END,
            // SAFETY: the reader is open and not otherwise in use (the
            // contract); `Sessions` holds no reference to it between calls.
            Err(e) => unsafe { s.reader.as_mut() }.record(&e),
        }
    })
}

/// Free a sessions handle (not its reader). NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_sessions_close(sessions: *mut ut_sessions) {
    guard((), || {
        // SAFETY: NULL, or a handle from ut_sessions_open not yet closed
        // (the contract).
        unsafe { free_handle(sessions) }
    })
}
