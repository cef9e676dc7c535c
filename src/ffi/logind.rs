//! C API: the lists python-systemd's `login` module gives (seats,
//! sessions, uids with state, machine names), as an opaque string list.

use std::ffi::{CString, OsStr};
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::boundary::{c_str, fail, guard, write_errbuf};
use super::null_arg;
use super::types::*;
use crate::error::{Error, ErrorKind};
use crate::format::logind::{Category, Logind};

/// An immutable list of strings. Opaque; created by `ut_logind_list`,
/// freed by `ut_strlist_close`.
pub struct ut_strlist {
    items: Vec<CString>,
}

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
        if out.is_null() {
            return null_arg(errbuf, errlen, "out");
        }
        let Some(cat) = category_of(category) else {
            let err = Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "ut_logind_list takes exactly one UT_LOGIND_* category, not 0x{category:x}"
                ),
            );
            return fail(errbuf, errlen, &err);
        };
        let root = c_str(root).map_or(Path::new("/"), |r| {
            Path::new(OsStr::from_bytes(r.to_bytes()))
        });
        let logind = Logind::at_root(root);
        let listed = match cat {
            Category::Users => logind
                .uids()
                .map(|u| u.iter().map(|n| n.to_string()).collect::<Vec<_>>()),
            c => logind.list(c),
        };
        match listed {
            Ok(names) => {
                let items = names
                    .into_iter()
                    .filter_map(|n| CString::new(n).ok())
                    .collect();
                *out = Box::into_raw(Box::new(ut_strlist { items }));
                write_errbuf(errbuf, errlen, "");
                UT_OK
            }
            Err(err) => fail(errbuf, errlen, &err),
        }
    })
}

/// The number of strings in `list`.
#[no_mangle]
pub unsafe extern "C" fn ut_strlist_count(list: *const ut_strlist, count: *mut usize) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if list.is_null() || count.is_null() {
            return UT_ERR_NULL;
        }
        // SAFETY: a non-NULL list came from ut_logind_list (caller's promise).
        *count = (&*list).items.len();
        UT_OK
    })
}

/// String `index` of `list` (valid until the list is closed);
/// `UT_ERR_INVALID` when `index` is out of range.
#[no_mangle]
pub unsafe extern "C" fn ut_strlist_get(
    list: *const ut_strlist,
    index: usize,
    item: *mut *const c_char,
) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        if list.is_null() || item.is_null() {
            return UT_ERR_NULL;
        }
        let list = &*list;
        match list.items.get(index) {
            Some(s) => {
                *item = s.as_ptr();
                UT_OK
            }
            None => UT_ERR_INVALID,
        }
    })
}

/// Free a list and its strings. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn ut_strlist_close(list: *mut ut_strlist) {
    guard((), || {
        if !list.is_null() {
            // SAFETY: came from Box::into_raw in ut_logind_list.
            drop(Box::from_raw(list));
        }
    })
}
