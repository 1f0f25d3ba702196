//! unisono's C ABI, for plugins in PHP, Python, Node or C: load a catalog once, then validate what
//! channels show and ask for offers, UTF-8 JSON in and out. The header is `ffi/include/unisono.h`,
//! generated from this file by cbindgen.
//!
//! The contract at the boundary:
//! - **Ownership.** Every non-null `char *` a function returns belongs to the caller, who releases it
//!   with [`unisono_string_free`]; a handle from [`unisono_catalog_load`] with
//!   [`unisono_catalog_free`]. Strings passed in are borrowed for the call only.
//! - **Threads.** A handle may be used from several threads at once; every function may be called
//!   from any thread.
//! - **Failures are JSON.** A null, freed or foreign handle, a null or non-UTF-8 argument, bad JSON,
//!   an unknown SKU: each comes back as `{"error": {"kind": ..., "message": ..., ...}}`, never as a
//!   crash. A panic inside unisono is caught at the boundary and reported with kind `internal`.
//!
//! Outside the ABI's reach, and the caller's duty as with any C function: a non-null pointer must
//! point at as many readable bytes as its length says (or, without a length, at a NUL-terminated
//! string), and `char **error` must be null or writable.

#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
// Input must never panic the library: no unwrap, expect or unchecked indexing outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

// Panics are caught at every entry point, which needs unwinding: with `panic = "abort"`, a bug would
// take the host process (a PHP-FPM worker, a Python interpreter) down with it.
#[cfg(panic = "abort")]
compile_error!("unisono-ffi catches panics at the C boundary: build it with panic = \"unwind\"");

mod error;
mod registry;

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use error::Error;
pub use registry::UnisonoCatalog;
use registry::{catalog_into_handle, catalog_of, free_catalog, free_string, string_into_c};

/// Loads a catalog document (CONTRACT §2) and compiles it, once, into a handle for
/// `unisono_validate` and `unisono_offer`.
///
/// `json` points at `len` bytes of UTF-8 JSON; it need not be NUL-terminated, and is not kept after
/// the call.
///
/// Returns the handle, to release with `unisono_catalog_free`, and sets `*error` to NULL. On failure
/// returns NULL and, when `error` is not NULL, sets `*error` to an error document the caller frees
/// with `unisono_string_free`:
///
/// - `{"error": {"kind": "null_argument", "argument": "json", "message": ...}}`
/// - `{"error": {"kind": "invalid_utf8", "argument": "json", "offset": 17, "message": ...}}`
/// - `{"error": {"kind": "catalog_syntax", "path": "prices[3]", "line": 12, "column": 7, "message": ...}}`:
///   not JSON, a wrong type, an unknown field;
/// - `{"error": {"kind": "catalog_invalid", "message": ..., "problems": [{"path": "prices[0].amount",
///   "kind": "money", "message": ...}, ...]}}`: parsed, but wrong; every problem, each with its path.
///
/// # Safety
/// `json` is NULL or points at `len` readable bytes; `error` is NULL or points at a writable
/// `char *`.
#[no_mangle]
pub unsafe extern "C" fn unisono_catalog_load(
    json: *const c_char,
    len: usize,
    error: *mut *mut c_char,
) -> *mut UnisonoCatalog {
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's contract above: `json` is NULL or has `len` readable bytes.
        let text = unsafe { text_argument("json", json, len) }?;
        let catalog = unisono::Catalog::from_json(text)?;
        Ok(catalog_into_handle(catalog))
    }))
    .unwrap_or_else(|panic| Err(Error::internal(panic_message(&*panic))));
    let (handle, message) = match loaded {
        Ok(handle) => (handle, ptr::null_mut()),
        Err(e) => (ptr::null_mut(), guarded_string(e.to_json())),
    };
    if error.is_null() {
        free_string(message);
    } else {
        // SAFETY: the caller's contract: a non-null `error` points at a writable `char *`.
        unsafe { error.write(message) };
    }
    handle
}

/// Validates renderings (CONTRACT §3: a JSON array, or JSON Lines) against the catalog under a
/// policy (CONTRACT §6), with the cross-channel rule across them.
///
/// `renderings` points at `renderings_len` bytes of UTF-8. `policy` is NULL for the default policy,
/// or points at `policy_len` bytes of a policy document.
///
/// Returns the report (CONTRACT §4), the same bytes as `unisono validate --format json`:
/// `{"version": 1, "summary": {...}, "findings": [...]}`; or an error document:
///
/// - `{"error": {"kind": "invalid_handle", "argument": "catalog", "message": ...}}`: NULL, freed, or
///   not from `unisono_catalog_load`;
/// - `{"error": {"kind": "null_argument" | "invalid_utf8" | "invalid_argument", "argument":
///   "renderings" | "policy", ...}}`;
/// - `{"error": {"kind": "renderings_syntax", "line": 3, "column": 41, "path": "claims[0].price",
///   "message": ...}}`: line and column in the whole input, path within the rendering (JSON Lines) or
///   the array;
/// - `{"error": {"kind": "policy_invalid", "path": "severity.price.missmatch", "line": 1,
///   "column": 30, "message": ...}}` (no line nor column for a value out of range).
///
/// A report, even one with error findings, has no top-level `"error"` key. The caller frees the
/// result with `unisono_string_free`. (NULL only if unisono failed internally so badly that not even
/// an error document could be made.)
///
/// # Safety
/// `renderings` is NULL or points at `renderings_len` readable bytes; `policy` is NULL or points at
/// `policy_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn unisono_validate(
    catalog: *const UnisonoCatalog,
    renderings: *const c_char,
    renderings_len: usize,
    policy: *const c_char,
    policy_len: usize,
) -> *mut c_char {
    json_result(|| {
        let catalog = catalog_of(catalog).ok_or(Error::invalid_handle("catalog"))?;
        // SAFETY: the caller's contract above, for both arguments.
        let renderings = unsafe { text_argument("renderings", renderings, renderings_len) }?;
        let policy = if policy.is_null() {
            unisono::Policy::default()
        } else {
            // SAFETY: as above.
            unisono::Policy::from_json(unsafe { text_argument("policy", policy, policy_len) }?)
                .map_err(|e| Error::input("policy_invalid", e))?
        };
        let renderings = unisono::rendering::read_renderings(renderings)
            .map_err(|e| Error::input("renderings_syntax", e))?;
        let report = unisono::Validator::new(&catalog, &policy).validate_all(&renderings);
        Ok(unisono::report::json(&report))
    })
}

/// The canonical offer of a product on a channel at an instant, as `unisono offer` prints it
/// (CONTRACT §5): `{"sku": ..., "channel": ..., "at": ..., "regular_price": "899.00 EUR", "price":
/// ..., "member_price": ..., "prior_price": ..., "promotions": [...], "available": 8,
/// "availability": "in_stock", "valid_until": ..., "explanation": [...]}`.
///
/// `sku`, `channel` and `at` are NUL-terminated UTF-8; `at` is RFC 3339 with an offset
/// (`"2026-11-28T10:00:00+01:00"`).
///
/// Returns the offer, or an error document: `invalid_handle`, `null_argument` / `invalid_utf8`
/// (with `"argument"`), `invalid_instant` (`"argument": "at"`), `unknown_product` (`"sku"`),
/// `unknown_channel` (`"channel"`), `not_listed` (`"sku"`, `"channel"`), `no_price` (`"sku"`,
/// `"channel"`, `"at"`). The caller frees the result with `unisono_string_free` (NULL only as for
/// `unisono_validate`).
///
/// # Safety
/// Each of `sku`, `channel` and `at` is NULL or points at a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn unisono_offer(
    catalog: *const UnisonoCatalog,
    sku: *const c_char,
    channel: *const c_char,
    at: *const c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract above, for each of the three; no buyer.
    unsafe { offer_for_buyer(catalog, sku, channel, at, ptr::null()) }
}

/// The offer of `unisono_offer` for a buyer (CONTRACT §11): `buyer` is NULL or a NUL-terminated
/// JSON object `{"group": "b2b", "tier": "gold", "quantity": 10}` (each key optional), and the
/// offer gains `"tier_price"`, `"group_price"` and `"volume_price"` for them, as `unisono offer
/// --group --tier --quantity` prints it. With NULL it is `unisono_offer`'s.
///
/// Returns the offer, or an error document: those of `unisono_offer`, and `invalid_buyer` (with
/// `"argument": "buyer"`, `"line"`, `"column"`) for a buyer that is not such an object. The caller
/// frees the result with `unisono_string_free`.
///
/// # Safety
/// Each of `sku`, `channel`, `at` and `buyer` is NULL or points at a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn unisono_offer_for(
    catalog: *const UnisonoCatalog,
    sku: *const c_char,
    channel: *const c_char,
    at: *const c_char,
    buyer: *const c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract above.
    unsafe { offer_for_buyer(catalog, sku, channel, at, buyer) }
}

/// The offer of `unisono_offer` and `unisono_offer_for`.
///
/// # Safety
/// Each of `sku`, `channel`, `at` and `buyer` is NULL or points at a NUL-terminated string.
unsafe fn offer_for_buyer(
    catalog: *const UnisonoCatalog,
    sku: *const c_char,
    channel: *const c_char,
    at: *const c_char,
    buyer: *const c_char,
) -> *mut c_char {
    json_result(|| {
        let catalog = catalog_of(catalog).ok_or(Error::invalid_handle("catalog"))?;
        // SAFETY: the caller's contract above, for each of the three.
        let (sku, channel, at) = unsafe {
            (
                c_string_argument("sku", sku)?,
                c_string_argument("channel", channel)?,
                c_string_argument("at", at)?,
            )
        };
        let buyer: unisono::offer::Buyer = if buyer.is_null() {
            unisono::offer::Buyer::default()
        } else {
            // SAFETY: not NULL, and NUL-terminated by the caller's contract.
            let text = unsafe { c_string_argument("buyer", buyer)? };
            serde_json::from_str(text).map_err(|e| Error::invalid_buyer(&e))?
        };
        let at = unisono::time::parse_instant(at)?;
        let offer = catalog.offer_for(sku, channel, at, &Default::default(), &buyer)?;
        let mut text = serde_json::to_string_pretty(&offer)
            .map_err(|e| Error::internal(format!("writing the offer: {e}")))?;
        text.push('\n');
        Ok(text)
    })
}

/// Releases a catalog handle. NULL, a handle already freed, and any other pointer are ignored (a
/// handle is never handed out twice). Calls still running on other threads with this handle finish
/// first: the catalog is dropped after the last of them; calls made after this one get
/// `invalid_handle`.
#[no_mangle]
pub extern "C" fn unisono_catalog_free(catalog: *mut UnisonoCatalog) {
    // A panic cannot happen here (a set removal and a drop), but must not cross the boundary if it did.
    let _ = catch_unwind(AssertUnwindSafe(|| free_catalog(catalog)));
}

/// Releases a string returned by any function of this header. NULL is ignored, and so is a pointer
/// unisono does not know as live: one never returned by unisono, or one already freed (unless
/// unisono has returned a new string at the same address since: a double free is a bug that
/// unisono catches only most of the time).
#[no_mangle]
pub extern "C" fn unisono_string_free(string: *mut c_char) {
    let _ = catch_unwind(AssertUnwindSafe(|| free_string(string)));
}

/// unisono's version, `"0.1.0"` (the library's; the report's own format has `"version": 1`). Free
/// it with `unisono_string_free`, like every string unisono returns.
#[no_mangle]
pub extern "C" fn unisono_version() -> *mut c_char {
    guarded_string(env!("CARGO_PKG_VERSION").to_owned())
}

/// Runs `call` with panics caught, and hands out its JSON or its error document.
fn json_result(call: impl FnOnce() -> Result<String, Error>) -> *mut c_char {
    let text = catch_unwind(AssertUnwindSafe(call))
        .unwrap_or_else(|panic| Err(Error::internal(panic_message(&*panic))))
        .unwrap_or_else(|e| e.to_json());
    guarded_string(text)
}

/// `string_into_c` with a panic caught: NULL then, the only NULL a JSON-returning function can give.
fn guarded_string(text: String) -> *mut c_char {
    catch_unwind(AssertUnwindSafe(|| string_into_c(text))).unwrap_or(ptr::null_mut())
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic".to_owned()
    }
}

/// The `len` bytes at `pointer` as UTF-8 text.
///
/// # Safety
/// `pointer` is NULL or points at `len` readable bytes that stay unchanged for `'a`.
unsafe fn text_argument<'a>(
    argument: &'static str,
    pointer: *const c_char,
    len: usize,
) -> Result<&'a str, Error> {
    if pointer.is_null() {
        return Err(Error::null_argument(argument));
    }
    if isize::try_from(len).is_err() {
        return Err(Error::too_long(argument, len));
    }
    // SAFETY: `pointer` is not NULL and, by the caller's contract, points at `len` readable bytes
    // that outlive `'a`; `len` is at most `isize::MAX`, as `from_raw_parts` requires; `u8` and
    // `c_char` have the same size and any bit pattern is a `u8`.
    let bytes = unsafe { std::slice::from_raw_parts(pointer.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| Error::invalid_utf8(argument, e.valid_up_to()))
}

/// The NUL-terminated string at `pointer` as UTF-8 text.
///
/// # Safety
/// `pointer` is NULL or points at a NUL-terminated string that stays unchanged for `'a`.
unsafe fn c_string_argument<'a>(
    argument: &'static str,
    pointer: *const c_char,
) -> Result<&'a str, Error> {
    if pointer.is_null() {
        return Err(Error::null_argument(argument));
    }
    // SAFETY: `pointer` is not NULL and, by the caller's contract, points at a NUL-terminated
    // string that outlives `'a`.
    let c = unsafe { CStr::from_ptr(pointer) };
    c.to_str()
        .map_err(|e| Error::invalid_utf8(argument, e.valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_document() {
        let result = json_result(|| panic!("boom"));
        // SAFETY: `json_result` returns NULL or a string from `string_into_c`, NUL-terminated.
        let text = unsafe { CStr::from_ptr(result) }
            .to_string_lossy()
            .into_owned();
        unisono_string_free(result);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["error"]["kind"], "internal");
        assert_eq!(
            value["error"]["message"],
            "unisono failed unexpectedly: boom"
        );
    }

    #[test]
    fn a_panic_with_a_formatted_message_keeps_it() {
        let payload: Box<dyn std::any::Any + Send> = Box::new(format!("at {}", 3));
        assert_eq!(panic_message(&*payload), "at 3");
        let opaque: Box<dyn std::any::Any + Send> = Box::new(7_u8);
        assert_eq!(panic_message(&*opaque), "a panic");
    }

    #[test]
    fn only_strings_unisono_handed_out_are_freed() {
        let s = string_into_c("{}".to_owned());
        let mut foreign = *b"{}\0";
        assert!(!free_string(foreign.as_mut_ptr().cast()));
        assert!(!free_string(ptr::null_mut()));
        assert!(free_string(s));
        // Freeing `s` again is ignored too, unless a string handed out since took its address:
        // other tests run on other threads, so that is tested single-threaded, by the Python client.
    }

    #[test]
    fn a_length_past_isize_max_is_refused_without_reading() {
        let byte = 0_u8;
        // SAFETY: the length check refuses before any byte is read.
        let result = unsafe { text_argument("json", (&byte as *const u8).cast(), usize::MAX) };
        assert_eq!(result, Err(Error::too_long("json", usize::MAX)));
    }
}
