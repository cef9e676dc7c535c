//! `ut_logind_list`: the lists python-systemd's `login` module gives
//! (seats, sessions, uids with state, machine names) from a `utx::Logind`,
//! as a `ut_strlist`.

use std::os::raw::c_char;

use crate::ffi::{into_handle, root_path};
use crate::panic::guard;
use crate::strlist::ut_strlist;
use crate::types::*;
use utx::{Category, Error, ErrorKind, Logind};

fn category_of(bits: ut_category) -> Option<Category> {
    match bits {
        UT_LOGIND_SEATS => Some(Category::Seats),
        UT_LOGIND_SESSIONS => Some(Category::Sessions),
        UT_LOGIND_USERS => Some(Category::Users),
        UT_LOGIND_MACHINES => Some(Category::Machines),
        _ => None,
    }
}

/// List one `category` (exactly one of `UT_LOGIND_SEATS`,
/// `UT_LOGIND_SESSIONS`, `UT_LOGIND_USERS` (uids as decimal text, ascending)
/// or `UT_LOGIND_MACHINES`) of the system at `root` (NULL for "/"), sorted.
/// `UT_ERR_NOT_FOUND` with "logind is not running here (…)" when
/// `<root>/run/systemd/seats` does not exist (or, for this system, no
/// systemd-logind/elogind process runs): an empty list means logind runs
/// and there is nothing of that kind.
#[no_mangle]
pub unsafe extern "C" fn ut_logind_list(
    root: *const c_char,
    category: ut_category,
    out: *mut *mut ut_strlist,
    errbuf: *mut c_char,
    errlen: usize,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        let err = err_buf!(errbuf, errlen);
        let out = try_out!(out, err.null("out"));
        let Some(cat) = category_of(category) else {
            return err.fail(&Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "ut_logind_list takes exactly one UT_LOGIND_* category, not 0x{category:x}"
                ),
            ));
        };
        // SAFETY: `root` is NULL or a NUL-terminated string (the contract).
        let logind = Logind::at_root(unsafe { root_path(root) });
        let listed = match cat {
            Category::Users => logind
                .uids()
                .map(|u| u.iter().map(|n| n.to_string()).collect::<Vec<_>>()),
            c => logind.list(c),
        };
        match listed {
            Ok(names) => {
                out.write(into_handle(ut_strlist::new(names)));
                err.ok()
            }
            Err(e) => err.fail(&e),
        }
    })
}
