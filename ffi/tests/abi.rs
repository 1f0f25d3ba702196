//! The C ABI called as C calls it: raw pointers and lengths, every string freed.

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use serde_json::{json, Value};
use unisono_ffi::{
    unisono_catalog_free, unisono_catalog_load, unisono_offer, unisono_offer_for,
    unisono_string_free, unisono_validate, unisono_version, UnisonoCatalog,
};

const CATALOG: &str = include_str!("../../examples/data/catalog.json");
const RENDERINGS: &str = include_str!("../../examples/data/renderings.json");
const POLICY: &str = include_str!("../../examples/data/policy.json");
const AT: &str = "2026-11-28T10:00:00+01:00";

/// Copies a string unisono returned, and frees it.
fn take(string: *mut c_char) -> String {
    assert!(!string.is_null(), "unisono returned NULL");
    // SAFETY: a non-null string from unisono is NUL-terminated and live until freed, just below.
    let text = unsafe { CStr::from_ptr(string) }
        .to_str()
        .expect("unisono returns UTF-8")
        .to_owned();
    unisono_string_free(string);
    text
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("unisono returns JSON")
}

/// Loads `bytes` as a catalog: the handle, or the error document.
fn load(bytes: &[u8]) -> Result<*mut UnisonoCatalog, Value> {
    let mut error: *mut c_char = ptr::null_mut();
    // SAFETY: `bytes` has `bytes.len()` readable bytes; `error` is a writable `char *`.
    let handle = unsafe { unisono_catalog_load(bytes.as_ptr().cast(), bytes.len(), &mut error) };
    if handle.is_null() {
        Err(parse(&take(error)))
    } else {
        assert!(error.is_null(), "no error document on success");
        Ok(handle)
    }
}

fn demo() -> *mut UnisonoCatalog {
    load(CATALOG.as_bytes()).expect("the demo catalog loads")
}

fn validate(handle: *const UnisonoCatalog, renderings: &[u8], policy: Option<&[u8]>) -> Value {
    let (policy, policy_len) = policy.map_or((ptr::null(), 0), |p| (p.as_ptr(), p.len()));
    // SAFETY: each pointer is null or has its length of readable bytes.
    parse(&take(unsafe {
        unisono_validate(
            handle,
            renderings.as_ptr().cast(),
            renderings.len(),
            policy.cast(),
            policy_len,
        )
    }))
}

fn offer(handle: *const UnisonoCatalog, sku: &CStr, channel: &CStr, at: &CStr) -> Value {
    // SAFETY: three NUL-terminated strings.
    parse(&take(unsafe {
        unisono_offer(handle, sku.as_ptr(), channel.as_ptr(), at.as_ptr())
    }))
}

fn c(text: &str) -> CString {
    CString::new(text).expect("no NUL in test strings")
}

/// The report the library itself gives, for comparison byte for byte.
fn library_report(policy: &unisono::Policy) -> String {
    let catalog = unisono::Catalog::from_json(CATALOG).expect("demo catalog");
    let renderings = unisono::rendering::read_renderings(RENDERINGS).expect("demo renderings");
    unisono::report::json(&unisono::Validator::new(&catalog, policy).validate_all(&renderings))
}

#[test]
fn the_version_is_the_crate_version() {
    assert_eq!(take(unisono_version()), "0.1.0");
}

#[test]
fn the_demo_report_is_the_librarys_byte_for_byte() {
    let handle = demo();
    let (renderings, policy) = (RENDERINGS.as_bytes(), POLICY.as_bytes());
    // SAFETY: as in `validate`.
    let text = take(unsafe {
        unisono_validate(
            handle,
            renderings.as_ptr().cast(),
            renderings.len(),
            policy.as_ptr().cast(),
            policy.len(),
        )
    });
    let policy = unisono::Policy::from_json(POLICY).expect("demo policy");
    assert_eq!(text, library_report(&policy));
    let report = parse(&text);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["renderings"], 51);
    assert!(report["summary"]["errors"].as_u64() > Some(0));
    unisono_catalog_free(handle);
}

#[test]
fn no_policy_is_the_default_policy() {
    let handle = demo();
    let report = validate(handle, RENDERINGS.as_bytes(), None);
    assert_eq!(report, parse(&library_report(&unisono::Policy::default())));
    unisono_catalog_free(handle);
}

#[test]
fn json_lines_are_read_too() {
    let handle = demo();
    let lines = concat!(
        r#"{"id": "hero", "channel": "email-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T07:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#,
        "\n",
        r#"{"id": "page", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T07:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]}"#,
        "\n"
    );
    let report = validate(handle, lines.as_bytes(), None);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["cross.price_divergence", "price.mismatch"]);
    assert_eq!(report["findings"][1]["expected"], "719.20 EUR");
    assert_eq!(report["findings"][1]["found"], "729.00 EUR");
    unisono_catalog_free(handle);
}

#[test]
fn the_offer_is_the_cli_offer() {
    let handle = demo();
    let got = offer(handle, &c("PHONE-X"), &c("web-it"), &c(AT));
    assert_eq!(
        got,
        json!({"sku": "PHONE-X", "channel": "web-it", "at": "2026-11-28T10:00:00+01:00",
               "regular_price": "649.00 EUR", "price": "519.20 EUR", "member_price": "519.20 EUR",
               "prior_price": "599.00 EUR", "promotions": ["BF26"], "available": 120,
               "availability": "in_stock", "valid_until": "2026-12-01T00:00:00+01:00",
               "explanation": ["price 649.00 EUR (IT, from 2026-11-10)", "promotion BF26 -20% -> 519.20 EUR"]})
    );
    unisono_catalog_free(handle);
}

#[test]
fn null_arguments_are_error_documents() {
    let mut error: *mut c_char = ptr::null_mut();
    // SAFETY: null `json` is allowed; `error` is writable.
    let handle = unsafe { unisono_catalog_load(ptr::null(), 0, &mut error) };
    assert!(handle.is_null());
    let e = parse(&take(error));
    assert_eq!(
        (&e["error"]["kind"], &e["error"]["argument"]),
        (&json!("null_argument"), &json!("json"))
    );

    let e = validate(ptr::null(), b"[]", None);
    assert_eq!(e["error"]["kind"], "invalid_handle");
    assert_eq!(e["error"]["argument"], "catalog");

    let handle = demo();
    // SAFETY: null `renderings` is allowed.
    let e = parse(&take(unsafe {
        unisono_validate(handle, ptr::null(), 0, ptr::null(), 0)
    }));
    assert_eq!(e["error"]["kind"], "null_argument");
    assert_eq!(e["error"]["argument"], "renderings");

    let (sku, channel, at) = (c("LAPTOP-14"), c("web-it"), c(AT));
    for (args, argument) in [
        ((ptr::null(), channel.as_ptr(), at.as_ptr()), "sku"),
        ((sku.as_ptr(), ptr::null(), at.as_ptr()), "channel"),
        ((sku.as_ptr(), channel.as_ptr(), ptr::null()), "at"),
    ] {
        // SAFETY: each argument is null or NUL-terminated.
        let e = parse(&take(unsafe {
            unisono_offer(handle, args.0, args.1, args.2)
        }));
        assert_eq!(e["error"]["kind"], "null_argument", "{argument}");
        assert_eq!(e["error"]["argument"], argument);
    }
    // SAFETY: as above.
    let e = parse(&take(unsafe {
        unisono_offer(ptr::null(), sku.as_ptr(), channel.as_ptr(), at.as_ptr())
    }));
    assert_eq!(e["error"]["kind"], "invalid_handle");

    // Freeing NULL is nothing.
    unisono_catalog_free(ptr::null_mut());
    unisono_string_free(ptr::null_mut());
    unisono_catalog_free(handle);
}

#[test]
fn an_error_out_parameter_may_be_null() {
    // SAFETY: `json` has its 3 bytes; a null `error` is allowed.
    let handle = unsafe { unisono_catalog_load(b"{]}".as_ptr().cast(), 3, ptr::null_mut()) };
    assert!(handle.is_null());
}

#[test]
fn invalid_utf8_names_the_argument_and_the_offset() {
    let e = load(b"{\"markets\": [\xff]}").expect_err("not UTF-8");
    assert_eq!(e["error"]["kind"], "invalid_utf8");
    assert_eq!(e["error"]["argument"], "json");
    assert_eq!(e["error"]["offset"], 13);

    let handle = demo();
    let e = validate(handle, b"[\xc3\x28]", None);
    assert_eq!(
        (&e["error"]["argument"], &e["error"]["offset"]),
        (&json!("renderings"), &json!(1))
    );
    let e = validate(handle, b"[]", Some(b"{\"low_stock_threshold\": 5\xfe}"));
    assert_eq!(
        (&e["error"]["kind"], &e["error"]["argument"]),
        (&json!("invalid_utf8"), &json!("policy"))
    );
    let sku = CString::new(b"LAPTOP\xff".to_vec()).expect("no NUL");
    let e = offer(handle, &sku, &c("web-it"), &c(AT));
    assert_eq!(
        (
            &e["error"]["kind"],
            &e["error"]["argument"],
            &e["error"]["offset"]
        ),
        (&json!("invalid_utf8"), &json!("sku"), &json!(6))
    );
    unisono_catalog_free(handle);
}

#[test]
fn a_catalog_that_is_not_json_has_a_position() {
    let e = load(b"{\"markets\": [\n  {\"id\": \"IT\", \"curency\": \"EUR\"}]}").expect_err("bad");
    assert_eq!(e["error"]["kind"], "catalog_syntax");
    assert_eq!(e["error"]["path"], "markets[0].curency");
    assert_eq!(e["error"]["line"], 2);
    assert!(e["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("unknown field `curency`")));
}

#[test]
fn an_invalid_catalog_lists_every_problem() {
    let e = load(
        br#"{"markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
             "products": [{"sku": "A", "title": "A", "gtin": "8012345678901"}],
             "prices": [{"sku": "A", "market": "IT", "amount": "12.345 EUR", "from": "2026-01-01T00:00:00+01:00"}]}"#,
    )
    .expect_err("invalid");
    assert_eq!(e["error"]["kind"], "catalog_invalid");
    assert_eq!(
        e["error"]["problems"],
        json!([
            {"path": "products[0].gtin", "kind": "gtin",
             "message": "\"8012345678901\" is not a GTIN: check digit is 1, expected 7"},
            {"path": "prices[0].amount", "kind": "money",
             "message": "\"12.345 EUR\" has 3 decimals, EUR has 2"}
        ])
    );
}

#[test]
fn bad_renderings_and_policies_have_positions() {
    let handle = demo();
    let lines = "{\"id\": \"a\", \"channel\": \"web-it\", \"sku\": \"X\", \"shown\": {\"at\": \"2026-11-28T10:00:00+01:00\"}}\n\
                 {\"id\": \"b\", \"channel\": \"web-it\", \"sku\": \"X\", \"shown\": {\"at\": \"2026-11-28T10:00:00+01:00\"}, \"claims\": [{\"price\": 5}]}";
    let e = validate(handle, lines.as_bytes(), None);
    assert_eq!(e["error"]["kind"], "renderings_syntax");
    assert_eq!(
        (&e["error"]["line"], &e["error"]["path"]),
        (&json!(2), &json!("claims[0].price"))
    );

    let e = validate(
        handle,
        b"[]",
        Some(br#"{"severity": {"price.missmatch": "allow"}}"#),
    );
    assert_eq!(e["error"]["kind"], "policy_invalid");
    assert_eq!(e["error"]["line"], 1);
    let e = validate(handle, b"[]", Some(b""));
    assert_eq!(
        e["error"]["kind"], "policy_invalid",
        "an empty policy is not JSON"
    );
    unisono_catalog_free(handle);
}

#[test]
fn offer_errors_name_what_is_missing() {
    let handle = demo();
    let cases = [
        (
            ("NOPE", "web-it", AT),
            json!({"kind": "unknown_product", "sku": "NOPE"}),
        ),
        (
            ("LAPTOP-14", "fax-it", AT),
            json!({"kind": "unknown_channel", "channel": "fax-it"}),
        ),
        (
            ("FRAGOLE-500", "web-it", AT),
            json!({"kind": "not_listed", "sku": "FRAGOLE-500", "channel": "web-it"}),
        ),
        (
            ("EARBUDS-PRO", "web-it", "2026-11-01T10:00:00+01:00"),
            json!({"kind": "no_price", "sku": "EARBUDS-PRO", "channel": "web-it", "at": "2026-11-01T10:00:00+01:00"}),
        ),
        (
            ("LAPTOP-14", "web-it", "2026-11-28T10:00:00"),
            json!({"kind": "invalid_instant", "argument": "at"}),
        ),
    ];
    for ((sku, channel, at), expected) in cases {
        let mut e = offer(handle, &c(sku), &c(channel), &c(at));
        let message = e["error"].as_object_mut().and_then(|o| o.remove("message"));
        assert!(
            message
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|m| !m.is_empty()),
            "{sku}: a message"
        );
        assert_eq!(e["error"], expected, "{sku} {channel} {at}");
    }
    unisono_catalog_free(handle);
}

#[test]
fn a_freed_or_foreign_handle_is_refused() {
    let handle = demo();
    unisono_catalog_free(handle);
    let e = validate(handle, b"[]", None);
    assert_eq!(e["error"]["kind"], "invalid_handle");
    unisono_catalog_free(handle); // a second free is ignored

    let not_a_handle = 42_u64;
    let foreign: *const UnisonoCatalog = (&not_a_handle as *const u64).cast();
    let e = validate(foreign, b"[]", None);
    assert_eq!(e["error"]["kind"], "invalid_handle");
    unisono_catalog_free(foreign.cast_mut());
    assert_eq!(not_a_handle, 42, "a foreign pointer is never written");
}

#[test]
fn a_foreign_string_is_not_freed() {
    let mut mine = *b"{}\0";
    unisono_string_free(mine.as_mut_ptr().cast());
    assert_eq!(&mine, b"{}\0");
}

/// A pointer that may cross threads: the handle is `Sync` by unisono's contract.
#[derive(Clone, Copy)]
struct Shared(*mut UnisonoCatalog);
// SAFETY: unisono's handles may be used from any thread, by the ABI's contract (tested here).
unsafe impl Send for Shared {}

#[test]
fn threads_share_a_handle() {
    let handle = Shared(demo());
    let expected = library_report(&unisono::Policy::default());
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let handle = handle;
                let mut reports = Vec::new();
                for _ in 0..3 {
                    reports.push(take(
                        // SAFETY: the demo renderings, with their length; no policy.
                        unsafe {
                            unisono_validate(
                                handle.0,
                                RENDERINGS.as_ptr().cast(),
                                RENDERINGS.len(),
                                ptr::null(),
                                0,
                            )
                        },
                    ));
                }
                let sku = if i % 2 == 0 { "LAPTOP-14" } else { "PHONE-X" };
                let price = offer(handle.0, &c(sku), &c("web-it"), &c(AT))["price"].clone();
                (reports, price)
            })
        })
        .collect();
    for (i, thread) in threads.into_iter().enumerate() {
        let (reports, price) = thread.join().expect("no thread panics");
        for report in reports {
            assert_eq!(report, expected, "thread {i}");
        }
        let expected_price = if i % 2 == 0 {
            "719.20 EUR"
        } else {
            "519.20 EUR"
        };
        assert_eq!(price, expected_price, "thread {i}");
    }
    unisono_catalog_free(handle.0);
}

#[test]
fn a_handle_freed_while_others_validate_never_crashes_them() {
    let handle = Shared(demo());
    let workers: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let handle = handle;
                let mut outcomes = Vec::new();
                for _ in 0..20 {
                    let report = validate(handle.0, RENDERINGS.as_bytes(), None);
                    outcomes.push(if report.get("error").is_some() {
                        report["error"]["kind"].as_str().map(str::to_owned)
                    } else {
                        report["summary"]["renderings"]
                            .as_u64()
                            .map(|n| n.to_string())
                    });
                }
                outcomes
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(5));
    unisono_catalog_free(handle.0);
    for worker in workers {
        for outcome in worker.join().expect("no thread panics") {
            // Each call either ran on the whole catalog or saw the handle gone.
            assert!(
                outcome.as_deref() == Some("51") || outcome.as_deref() == Some("invalid_handle"),
                "{outcome:?}"
            );
        }
    }
    let e = validate(handle.0, b"[]", None);
    assert_eq!(e["error"]["kind"], "invalid_handle");
}

#[test]
fn offers_for_a_buyer_carry_the_group_tier_and_volume_prices() {
    let catalog = include_bytes!("../../tests/data/catalog_v2.json");
    let handle = load(catalog).expect("the v2 fixture loads");
    let (sku, channel, at) = (c("PEN-BOX"), c("web-it"), c("2026-03-01T12:00:00+01:00"));
    let for_buyer = |buyer: Option<&CStr>| {
        // SAFETY: NUL-terminated strings, or NULL for the buyer.
        parse(&take(unsafe {
            unisono_offer_for(
                handle,
                sku.as_ptr(),
                channel.as_ptr(),
                at.as_ptr(),
                buyer.map_or(ptr::null(), CStr::as_ptr),
            )
        }))
    };
    let buyer = c(r#"{"group": "b2b", "quantity": 100, "tier": "gold"}"#);
    let for_b2b = for_buyer(Some(&buyer));
    assert_eq!(for_b2b["group_price"]["price"], "2.50 EUR");
    assert_eq!(for_b2b["volume_price"]["price"], "3.40 EUR");
    assert_eq!(for_b2b["tier_price"]["price"], "4.00 EUR");
    // Without a buyer: unisono_offer's document, byte for byte.
    assert_eq!(for_buyer(None), offer(handle, &sku, &channel, &at));
    let wrong = c(r#"{"quantity": "many"}"#);
    let error = for_buyer(Some(&wrong));
    assert_eq!(error["error"]["kind"], "invalid_buyer");
    assert_eq!(error["error"]["argument"], "buyer");
    unisono_catalog_free(handle);
}
