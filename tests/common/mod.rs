//! What several test files share: running the `unisono` binary, and the property tests' settings.
//!
//! The binary belongs to the `unisono-cli` package, so `CARGO_BIN_EXE_unisono` is not set for this
//! package's tests: the binary is built once with cargo and run from the target directory.

#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use proptest::test_runner::Config as ProptestConfig;

/// The package's root.
pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

mod binary;
pub use binary::binary;

/// Runs `unisono` with `args` and no input.
pub fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .output()
        .expect("the unisono binary runs")
}

/// Runs `unisono` with `args`, `input` on its standard input. A command may refuse its arguments
/// and exit before reading its input: the pipe then breaks, which is not the test's failure (its
/// assertions are on the output and the exit status).
pub fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the unisono binary runs");
    let written = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes());
    if let Err(e) = written {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "the input is written to stdin: {e}"
        );
    }
    child.wait_with_output().expect("the unisono binary ends")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Property-test settings: `n` cases, or `PROPTEST_CASES` when set (a longer soak,
/// `PROPTEST_CASES=100000`); failures are reported with their shrunk input and nothing is written
/// next to the sources.
pub fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        failure_persistence: None,
        max_shrink_iters: 20_000,
        ..ProptestConfig::with_cases(n)
    }
}
