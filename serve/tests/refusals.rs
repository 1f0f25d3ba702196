//! Bad input — malformed JSON, huge bodies, slow clients, wrong tokens — is refused with the right
//! status and a JSON error that says where, and the server serves on.

mod common;

use std::io::Write;

use common::{assert_up, bearer, client, post, small_limits, start};
use serde_json::{Value, json};
use unisono_serve::client::Client;
use unisono_serve::{Config, StartError};

fn error_of(response: &unisono_serve::client::Response) -> Value {
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "{}",
        response.text()
    );
    serde_json::from_str(&response.text()).expect("a refusal is JSON")
}

#[test]
fn malformed_json_is_a_400_at_its_line_column_and_path() {
    let server = start(true, small_limits());
    let mut client = client(&server);
    let cases = [
        // A JSON array cut short.
        (
            "[{\"id\": \"a\",\n \"channel\": ",
            json!({"status": 400, "error": "EOF while parsing a value", "line": 2, "column": 12, "path": "[0].channel"}),
        ),
        // A claim of the wrong type, deep inside.
        (
            r#"[{"id": "a", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": 719.2}]}]"#,
            json!({"status": 400, "error": "money is a string like \"899.00 EUR\", not a number", "line": 1, "column": 119, "path": "[0].claims[0].price"}),
        ),
    ];
    for (body, expected) in cases {
        let response = post(&mut client, "/v1/validate", body);
        assert_eq!(response.status, 400, "{}", response.text());
        let error = error_of(&response);
        assert_eq!(error["line"], expected["line"], "{error}");
        assert_eq!(error["path"], expected["path"], "{error}");
        assert_eq!(error["status"], 400);
        assert!(error["error"].as_str().unwrap().len() <= 401 * 4);
    }
    // JSON Lines: a line that is not a rendering is an input.malformed finding, at its line, and
    // the others are checked (as the CLI does; CONTRACT §4).
    let response = post(
        &mut client,
        "/v1/validate",
        "{\"id\": \"a\", \"channel\": \"web-it\", \"sku\": \"LAPTOP-14\", \"shown\": {\"at\": \"2026-11-28T10:00:00+01:00\"}, \"claims\": []}\n{\"id\": \"b\", \"chanel\": \"web-it\"}\n",
    );
    assert_eq!(response.status, 200, "{}", response.text());
    let report: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(report["summary"]["renderings"], 2, "{report}");
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "input.malformed", "{report}");
    assert_eq!(finding["rendering"], "line 2", "{report}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `chanel`"),
        "{report}"
    );
    // Not UTF-8, on the second line.
    let response = client
        .request("POST", "/v1/validate", &[bearer()], b"[\n\"\xff\"]")
        .unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(
        error_of(&response),
        json!({"status": 400, "error": "the body is not UTF-8", "line": 2, "column": 2, "path": "."})
    );
    assert_up(&server);
}

/// A body over the limit: refused from its `Content-Length` before it is read, and when it comes
/// in chunks, as soon as the chunks pass the limit.
#[test]
fn a_huge_body_is_a_413() {
    let server = start(true, small_limits());
    let mut client = client(&server);
    let stream = client.raw().unwrap();
    stream
        .write_all(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Length: 1073741824\r\n\r\n[")
        .unwrap();
    let response = client.read_response().unwrap();
    assert_eq!(response.status, 413);
    assert_eq!(error_of(&response)["status"], 413);

    let mut client = common::client(&server);
    let stream = client.raw().unwrap();
    stream
        .write_all(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 16 << 10, " ".repeat(16 << 10));
    for _ in 0..5 {
        // The server may refuse and close before the last chunks: a write may fail then.
        let _ = stream.write_all(chunk.as_bytes());
    }
    let response = client.read_response().unwrap();
    assert_eq!(response.status, 413);
    assert_eq!(
        error_of(&response)["error"],
        "the request body is larger than the limit of 65536 bytes"
    );
    assert_up(&server);
}

/// A client that stops sending its body gets a 408 once the time limit passes; one that stops
/// in its headers is disconnected.
#[test]
fn slow_clients_are_refused() {
    let server = start(true, small_limits());
    let mut client = client(&server);
    client
        .raw()
        .unwrap()
        .write_all(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Length: 100\r\n\r\n[{\"id\"")
        .unwrap();
    let response = client.read_response().unwrap();
    assert_eq!(response.status, 408);
    assert_eq!(
        error_of(&response)["error"],
        "the request body did not arrive within 500 ms"
    );

    let mut client = common::client(&server);
    client
        .raw()
        .unwrap()
        .write_all(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    match client.read_response() {
        // hyper answers a header timeout with 408 or closes the connection.
        Ok(response) => assert_eq!(response.status, 408),
        Err(e) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
            ),
            "{e}"
        ),
    }
    assert_up(&server);
}

#[test]
fn a_missing_or_wrong_token_is_a_401() {
    let server = start(true, small_limits());
    let mut client = client(&server);
    for headers in [
        vec![],
        vec![("Authorization", "Bearer s3cret-tokeN")],
        vec![("Authorization", "Bearer s3cret-token-and-more")],
        vec![("Authorization", "s3cret-token")],
        vec![("Authorization", "Basic czNjcmV0LXRva2Vu")],
    ] {
        for path in ["/v1/validate", "/metrics", "/openapi.json", "/nowhere"] {
            let method = if path == "/v1/validate" {
                "POST"
            } else {
                "GET"
            };
            let response = client.request(method, path, &headers, b"[]").unwrap();
            assert_eq!(response.status, 401, "{path} {headers:?}");
            assert_eq!(
                response.header("www-authenticate"),
                Some("Bearer realm=\"unisono\"")
            );
            assert_eq!(error_of(&response)["status"], 401);
        }
    }
    let response = client
        .request("GET", "/openapi.json", &[bearer()], b"")
        .unwrap();
    assert_eq!(response.status, 200);
    assert_up(&server);
}

#[test]
fn unknown_paths_and_methods_are_json_refusals() {
    let server = start(true, small_limits());
    let mut client = client(&server);
    let response = client
        .request("GET", "/v1/validate", &[bearer()], b"")
        .unwrap();
    assert_eq!(response.status, 405);
    assert_eq!(
        error_of(&response),
        json!({"status": 405, "error": "this endpoint does not take this method: see /openapi.json"})
    );
    let response = client
        .request("GET", "/v2/validate", &[bearer()], b"")
        .unwrap();
    assert_eq!(response.status, 404);
    assert_eq!(
        error_of(&response),
        json!({"status": 404, "error": "no such endpoint: see /openapi.json"})
    );
    assert_up(&server);
}

/// Without a token, only loopback: any other address is refused before anything is bound.
#[test]
fn without_a_token_only_loopback_is_bound() {
    let catalog = || unisono::Catalog::from_json(&common::catalog_a()).unwrap();
    let address = "0.0.0.0:0".parse().unwrap();
    let refused = unisono_serve::start(Config::new(catalog(), unisono::Policy::default()), address);
    assert!(
        matches!(refused, Err(StartError::NotLoopback { .. })),
        "{refused:?}"
    );
    let server = unisono_serve::start(
        Config::new(catalog(), unisono::Policy::default()),
        "[::1]:0".parse().unwrap(),
    );
    // A machine without IPv6 cannot bind ::1; that is not what is tested.
    if let Ok(server) = server {
        let response = Client::connect(server.address())
            .unwrap()
            .request("POST", "/v1/offer", &[], common::LAPTOP_OFFER.as_bytes())
            .unwrap();
        assert_eq!(response.status, 200);
    }
}
