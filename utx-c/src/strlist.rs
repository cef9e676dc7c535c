//! `ut_strlist`: an immutable list of C strings (what `ut_logind_list`
//! returns).

use std::ffi::CString;
use std::os::raw::c_char;

use crate::ffi::free_handle;
use crate::panic::guard;
use crate::types::*;

/// An immutable list of strings. Opaque; created by `ut_logind_list`,
/// freed by `ut_strlist_close`.
pub struct ut_strlist {
    items: Vec<CString>,
}

impl ut_strlist {
    /// The strings as C strings (one with a NUL byte is left out).
    pub(crate) fn new(items: Vec<String>) -> ut_strlist {
        ut_strlist {
            items: items
                .into_iter()
                .filter_map(|n| CString::new(n).ok())
                .collect(),
        }
    }
}

/// The number of strings in `list`.
#[no_mangle]
pub unsafe extern "C" fn ut_strlist_count(list: *const ut_strlist, count: *mut usize) -> ut_status {
    guard(UT_ERR_INTERNAL, || {
        getter!(list, count, |list| list.items.len())
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
        let list = try_ref!(list);
        let item = try_out!(item);
        match list.items.get(index) {
            Some(s) => {
                item.write(s.as_ptr());
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
        // SAFETY: NULL, or a list from ut_logind_list not yet closed (the
        // contract).
        unsafe { free_handle(list) }
    })
}
