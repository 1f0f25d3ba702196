//! What the server's tests share: a server on a free loopback port, the two catalogs the swap
//! tests alternate, and the `unisono` binary the bytes are compared with.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use unisono_serve::client::{Client, Response};
use unisono_serve::{Config, Limits, Running, Token};

/// The workspace's root.
pub fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The demo catalog: generation 1 of every test server, catalog A of the swap tests.
pub fn catalog_a() -> String {
    std::fs::read_to_string(workspace().join("examples/data/catalog.json"))
        .expect("examples/data/catalog.json is in the repository")
}

/// Catalog A with the laptop's list price at 949.00 EUR instead of 899.00 EUR: every answer
/// about the laptop tells the two apart.
pub fn catalog_b() -> String {
    let a = catalog_a();
    let b = a.replacen(
        "\"amount\": \"899.00 EUR\"",
        "\"amount\": \"949.00 EUR\"",
        1,
    );
    assert_ne!(
        a, b,
        "the laptop's price entry is where the test expects it"
    );
    b
}

/// One rendering of the laptop on the web at 719.20 EUR during Black Friday: true under A
/// (899.00 - 20 %), a `price.mismatch` under B (949.00 - 20 % = 759.20).
pub const LAPTOP_RENDERING: &str = r#"[{"id": "web/laptop", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]}]"#;

/// The laptop's offer on the web at the same instant.
pub const LAPTOP_OFFER: &str =
    r#"{"sku": "LAPTOP-14", "channel": "web-it", "at": "2026-11-28T10:00:00+01:00"}"#;

/// The token of servers started with one.
pub const TOKEN: &str = "s3cret-token";

/// A server of catalog A with the default policy on a free loopback port, two threads.
pub fn start(token: bool, limits: Limits) -> Running {
    let catalog = unisono::Catalog::from_json(&catalog_a()).expect("catalog A compiles");
    let mut config = Config::new(catalog, unisono::Policy::default());
    config.token = token.then(|| Token::new(TOKEN).expect("a token"));
    config.limits = limits;
    config.threads = Some(2);
    unisono_serve::start(config, "127.0.0.1:0".parse().expect("an address"))
        .expect("the server starts on loopback")
}

/// Limits small enough for the tests to pass them.
pub fn small_limits() -> Limits {
    Limits {
        max_body_bytes: 64 << 10,
        max_catalog_bytes: 1 << 20,
        timeout: Duration::from_millis(500),
        header_timeout: Duration::from_millis(500),
        concurrency: 4,
    }
}

/// A client of `server`.
pub fn client(server: &Running) -> Client {
    Client::connect(server.address()).expect("the server accepts connections")
}

/// The `Authorization` header of [`TOKEN`].
pub fn bearer() -> (&'static str, &'static str) {
    ("Authorization", "Bearer s3cret-token")
}

/// `POST path` with `body`, with the token.
pub fn post(client: &mut Client, path: &str, body: &str) -> Response {
    client
        .request("POST", path, &[bearer()], body.as_bytes())
        .expect("the server answers")
}

/// The server still answers `/healthz`, on a new connection.
pub fn assert_up(server: &Running) {
    let response = client(server)
        .request("GET", "/healthz", &[], b"")
        .expect("the server answers");
    assert_eq!(response.status, 200, "{}", response.text());
}

/// The report the server must answer for `renderings` on `catalog` (the library's own bytes).
pub fn report_of(catalog: &str, renderings: &str) -> String {
    let catalog = unisono::Catalog::from_json(catalog).expect("the catalog compiles");
    let renderings = unisono::rendering::read_renderings(renderings).expect("renderings");
    let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
    unisono::report::json(&validator.validate_all(&renderings))
}

/// The offer the server must answer for [`LAPTOP_OFFER`] on `catalog`.
pub fn offer_of(catalog: &str) -> String {
    let catalog = unisono::Catalog::from_json(catalog).expect("the catalog compiles");
    let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00").expect("an instant");
    let offer = catalog.offer("LAPTOP-14", "web-it", at).expect("an offer");
    serde_json::to_string_pretty(&offer).expect("an offer serializes") + "\n"
}

#[path = "../../../tests/common/binary.rs"]
mod binary;
pub use binary::binary;

/// `unisono ARGS`' standard output; the command must exit with `status`.
pub fn cli(args: &[&str], status: i32) -> Vec<u8> {
    let output = Command::new(binary())
        .args(args)
        .output()
        .expect("the unisono binary runs");
    assert_eq!(
        output.status.code(),
        Some(status),
        "unisono {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// A file in this test target's scratch directory, written with `text`.
pub fn scratch_file(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}"));
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path
}

/// What a response must be for each catalog generation: the server starts on A (generation 1)
/// and the swap tests put B, A, B, ... in force, so odd generations are A and even ones B.
pub struct Expected {
    report: [String; 2],
    offer: [String; 2],
}

/// What a swap test asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Validate,
    Offer,
}

impl Expected {
    pub fn new() -> Expected {
        Expected {
            report: [
                report_of(&catalog_a(), LAPTOP_RENDERING),
                report_of(&catalog_b(), LAPTOP_RENDERING),
            ],
            offer: [offer_of(&catalog_a()), offer_of(&catalog_b())],
        }
    }

    /// `(path, body)` of an ask.
    pub fn request(ask: Ask) -> (&'static str, &'static str) {
        match ask {
            Ask::Validate => ("/v1/validate", LAPTOP_RENDERING),
            Ask::Offer => ("/v1/offer", LAPTOP_OFFER),
        }
    }

    /// Whether `response` is a success computed wholly on the generation it names.
    pub fn check(&self, ask: Ask, response: &Response) -> Result<u64, String> {
        if response.status != 200 {
            return Err(format!("status {}: {}", response.status, response.text()));
        }
        let generation: u64 = response
            .header("unisono-catalog-generation")
            .and_then(|g| g.parse().ok())
            .ok_or("no generation header")?;
        let index = usize::from(generation.is_multiple_of(2));
        let expected = match ask {
            Ask::Validate => &self.report[index],
            Ask::Offer => &self.offer[index],
        };
        if response.body != expected.as_bytes() {
            return Err(format!(
                "generation {generation}: {ask:?} answered\n{}\nwhich is not catalog {}'s answer",
                response.text(),
                ["A", "B"][index]
            ));
        }
        Ok(generation)
    }
}
