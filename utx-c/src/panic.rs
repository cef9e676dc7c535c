//! The panic boundary: no panic unwinds into C. Nothing here is exported.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Run an exported function's body; a panic becomes `on_panic`.
pub(crate) fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}
