//! What unisono has handed out through the C ABI and not yet been given back: catalog handles and
//! strings.
//!
//! Both are checked against these books before they are touched, so a null, freed or foreign
//! pointer is an error (or, for the free functions, nothing happens) instead of undefined behaviour.
//!
//! A handle is not an address but a number that is never handed out twice, so a freed handle stays
//! invalid even after its memory is reused. The catalog it names is an `Arc<Catalog>`: each call in
//! flight holds its own reference, so a catalog freed on one thread while another validates with it
//! lives until that validation ends.
//!
//! The books hold every address bitwise negated: a leak checker (valgrind, LeakSanitizer) looks for
//! pointer-like words in reachable memory, and must still see a catalog or string the caller never
//! freed as lost, not as reachable from unisono's own books.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use unisono::Catalog;

/// The opaque catalog handle of the C ABI.
///
/// A pointer to it is what `unisono_catalog_load` returns; C code never looks inside, and frees it
/// with `unisono_catalog_free`.
// The pointer is in fact a number (`CATALOGS`' key), never dereferenced; this type only names it.
pub struct UnisonoCatalog {
    _private: [u8; 0],
}

/// Live handles: number -> negated address of the `Arc<Catalog>` the handle owns a reference to.
static CATALOGS: Mutex<BTreeMap<usize, usize>> = Mutex::new(BTreeMap::new());
/// The next handle's number; never 0, which would be NULL.
static NEXT_HANDLE: AtomicUsize = AtomicUsize::new(1);
/// Live strings: negated addresses.
static STRINGS: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

/// A book's lock. Nothing panics while holding one, but a poisoned book is still consistent (every
/// change is a single insert or remove), so poisoning is ignored rather than spread.
fn lock<T>(book: &Mutex<T>) -> MutexGuard<'_, T> {
    book.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An address as the books hold it: negated, so that it does not look like a pointer (module docs).
fn hide<T>(pointer: *const T) -> usize {
    !(pointer as usize)
}

/// Hands a catalog out as a handle that the caller owns.
pub(crate) fn catalog_into_handle(catalog: Catalog) -> *mut UnisonoCatalog {
    let pointer = Arc::into_raw(Arc::new(catalog));
    let mut live = lock(&CATALOGS);
    // A number not live and not 0: on 64 bits the counter never wraps; on 32 bits, after 2^32
    // loads, it skips what is still live.
    let mut number = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    while number == 0 || live.contains_key(&number) {
        number = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    }
    live.insert(number, hide(pointer));
    ptr::without_provenance_mut(number)
}

/// The catalog behind a live handle, kept alive for as long as the caller holds the `Arc`; `None`
/// for null, a freed handle, or any pointer `catalog_into_handle` did not return.
pub(crate) fn catalog_of(handle: *const UnisonoCatalog) -> Option<Arc<Catalog>> {
    let live = lock(&CATALOGS);
    let pointer = !*live.get(&handle.addr())? as *const Catalog;
    // SAFETY: `pointer` is in CATALOGS, so it came from `Arc::into_raw` in `catalog_into_handle`
    // and the handle's own reference has not been released (`free_catalog` removes the entry
    // before releasing it). The lock is held, so no `free_catalog` can release it between the
    // lookup and the increment: the count is at least 1 while we add ours, which `from_raw` takes.
    unsafe {
        Arc::increment_strong_count(pointer);
        Some(Arc::from_raw(pointer))
    }
}

/// Releases the handle's reference to its catalog; null, freed and foreign handles are ignored.
/// Returns whether the handle was live.
pub(crate) fn free_catalog(handle: *mut UnisonoCatalog) -> bool {
    let Some(hidden) = lock(&CATALOGS).remove(&handle.addr()) else {
        return false;
    };
    let pointer = !hidden as *const Catalog;
    // SAFETY: the entry was in CATALOGS and this call removed it under the lock, so `pointer` came
    // from `Arc::into_raw` and no other call can release the handle's reference again: this is the
    // one `from_raw` that balances `catalog_into_handle`'s `into_raw`. Calls in flight hold their
    // own references, so the catalog lives until they end.
    drop(unsafe { Arc::from_raw(pointer) });
    true
}

/// Hands a string out to the caller, who frees it with `unisono_string_free`.
///
/// The text is JSON written by serde_json (or unisono's version), which never holds a NUL byte: a
/// NUL inside a JSON string is written as the escape `\u0000`.
pub(crate) fn string_into_c(text: String) -> *mut c_char {
    const NUL_IN_OUTPUT: &str = r#"{"error":{"kind":"internal","message":"a NUL byte in output"}}"#;
    let c = CString::new(text)
        .or_else(|_| CString::new(NUL_IN_OUTPUT))
        .unwrap_or_default();
    let pointer = c.into_raw();
    lock(&STRINGS).insert(hide(pointer));
    pointer
}

/// Frees a string `string_into_c` returned; null, freed and foreign pointers are ignored. Returns
/// whether the string was live.
pub(crate) fn free_string(pointer: *mut c_char) -> bool {
    if pointer.is_null() || !lock(&STRINGS).remove(&hide(pointer)) {
        return false;
    }
    // SAFETY: the address was in STRINGS and this call removed it, so it came from
    // `CString::into_raw` in `string_into_c` and has not been given back before: this is the one
    // `from_raw` that balances it.
    drop(unsafe { CString::from_raw(pointer) });
    true
}
