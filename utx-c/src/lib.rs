//! The C ABI of utx (`include/utx.h`, `libutx.so.1`, `libutx.a`): opaque
//! handles that own objects of the `utx` crate and call its public API,
//! plus status codes, NULL checks and the panic boundary. No logic of the
//! library lives here; this crate is the only one that deals in raw
//! pointers, and cbindgen reads only this crate.
//!
//! Every exported function is `#[no_mangle]`, named `ut_*`, and its body
//! is one `guard(…)` call (`tests/ffi_boundary.rs` reads this folder and
//! checks it). The modules, in the order the header reads:
//!
//! - [`types`] holds every constant and the `ut_entry` / `ut_session` structs.
//! - [`reader`] exports `ut_reader` and `ut_reader_open`, `_open_memory`,
//!   `_open_db`, `_next`, `_rewind`, `_set_types`, `_close`, `_format`,
//!   `_skipped`, `_error`, `_source`, `_open_db_at`, `_open_files`,
//!   `_set_time_range`, `_seek_time`, `_next_batch`.
//! - [`sessions`] exports `ut_sessions` and `ut_sessions_open`, `_next`, `_close`
//!   (a `utx::Sessions` over the caller's reader).
//! - [`monitor`] exports `ut_monitor` and `ut_monitor_open`, `_open_at`, `_fd`,
//!   `_events`, `_timeout`, `_flush`, `_watched`, `_describe`, `_error`,
//!   `_close`.
//! - [`logind`] exports `ut_logind_list`.
//! - [`strlist`] exports `ut_strlist` and `ut_strlist_count`, `_get`, `_close`.
//! - [`misc`] exports `ut_status_str`, `ut_format_name`, `ut_format_from_name`,
//!   `ut_format_family`, `ut_type_name`, `ut_version`, `ut_count_users`,
//!   `ut_abi_version`.
//! - [`writer`] exports `ut_writer` and `ut_writer_open`, `_put`, `_put_many`,
//!   `_error`, `_format`, `_close`, `ut_entry_encode`, `ut_login(_at)`,
//!   `ut_logout(_at)`, `ut_logwtmp(_at)`.
//! - [`diagnostics`] exports `ut_reader_chunks_read` (for tests and benchmarks).
//!
//! Helpers, nothing exported: [`ffi`] (pointer and out-parameter helpers,
//! error buffers, flag checks) and [`panic`] (the boundary).

#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

#[macro_use]
mod ffi;
mod panic;

pub mod types;

pub mod reader;

pub mod sessions;

pub mod monitor;

pub mod logind;

pub mod strlist;

pub mod misc;

pub mod writer;

pub mod diagnostics;

#[cfg(test)]
mod tests;
