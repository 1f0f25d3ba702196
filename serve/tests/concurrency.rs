//! The concurrency limit: one request holds the only permit, the next is refused.

mod common;

use std::io::Write;

use common::{client, post, small_limits, start};
use serde_json::Value;
use unisono_serve::Limits;

fn error_of(response: &unisono_serve::client::Response) -> Value {
    serde_json::from_str(&response.text()).expect("a refusal is JSON")
}

/// Past the concurrency limit a request is refused at once with 503 and `Retry-After`.
#[test]
fn past_the_concurrency_limit_requests_are_a_503() {
    let server = start(
        true,
        Limits {
            concurrency: 1,
            timeout: std::time::Duration::from_secs(10),
            ..small_limits()
        },
    );
    // This request holds the only permit while its body is awaited.
    let mut holder = client(&server);
    holder
        .raw()
        .unwrap()
        .write_all(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Length: 2\r\n\r\n[")
        .unwrap();
    // Let it take the permit first: a probe sent at the same instant can take it instead (then
    // the holder is the one refused, as seen in some runs on the 2-core VM).
    std::thread::sleep(std::time::Duration::from_millis(200));
    let mut other = client(&server);
    // The holder's request reaches the limit some time after it was written: ask until refused.
    let mut refused = None;
    for _ in 0..200 {
        let response = post(&mut other, "/v1/offer", common::LAPTOP_OFFER);
        if response.status == 503 {
            refused = Some(response);
            break;
        }
        assert_eq!(response.status, 200);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let refused = refused.expect("a request past the limit is refused");
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(
        error_of(&refused)["error"],
        "too many requests at once; retry"
    );
    holder.raw().unwrap().write_all(b"]").unwrap();
    let response = holder.read_response().unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        post(&mut other, "/v1/offer", common::LAPTOP_OFFER).status,
        200
    );
}
