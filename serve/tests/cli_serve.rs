//! `unisono serve` as a process: it takes a token file, refuses a public address without one, and
//! on SIGTERM finishes the request in flight before it exits.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::{binary, scratch_file, workspace};
use unisono_serve::client::Client;

fn catalog() -> String {
    workspace()
        .join("examples/data/catalog.json")
        .display()
        .to_string()
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let token = scratch_file("token", "s3cret-token\n");
    let mut child = Command::new(binary())
        .args([
            "serve",
            "--catalog",
            &catalog(),
            "--listen",
            "127.0.0.1:0",
            "--token-file",
        ])
        .arg(&token)
        .stderr(Stdio::piped())
        .spawn()
        .expect("unisono serve starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("the address in {line:?}"))
        .parse()
        .unwrap();

    let mut client = Client::connect(address).unwrap();
    let response = client
        .request(
            "POST",
            "/v1/offer",
            &[common::bearer()],
            common::LAPTOP_OFFER.as_bytes(),
        )
        .unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.text(), common::offer_of(&common::catalog_a()));

    // A request in flight: its headers are in, its body is not complete.
    let body = common::LAPTOP_RENDERING.as_bytes();
    let (first, rest) = body.split_at(10);
    let head = format!(
        "POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let stream = client.raw().unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first).unwrap();

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    line.clear();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "unisono serve: stopping; finishing the requests in flight\n"
    );

    client.raw().unwrap().write_all(rest).unwrap();
    let response = client.read_response().unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.text(),
        common::report_of(&common::catalog_a(), common::LAPTOP_RENDERING)
    );
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    line.clear();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(line, "unisono serve: stopped\n");
}

#[test]
fn a_public_address_needs_a_token_file() {
    let output = Command::new(binary())
        .args(["serve", "--catalog", &catalog(), "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: 0.0.0.0:0 is not a loopback address: without --token-file unisono serve listens only on 127.0.0.1 or ::1\n"
    );
    let empty = scratch_file("empty-token", "\n");
    let output = Command::new(binary())
        .args(["serve", "--catalog", &catalog(), "--token-file"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the token file is empty"));
}
