//! The `unisono` binary, built once per test run with cargo: it belongs to the `unisono-cli`
//! package, so `CARGO_BIN_EXE_unisono` is not set for the tests of other packages. Shared by the
//! root package's tests and `unisono-serve`'s (`serve/tests/common`, included by path); each
//! includer's `workspace()` is the workspace's root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::workspace;

/// The `unisono` binary, built once per test run.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "unisono-cli"])
            .current_dir(workspace())
            .status()
            .expect("cargo can be started");
        assert!(status.success(), "cargo build -p unisono-cli failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|dir| {
                if dir.is_relative() {
                    workspace().join(dir)
                } else {
                    dir
                }
            })
            .unwrap_or_else(|| workspace().join("target"));
        let binary = target
            .join("debug")
            .join(format!("unisono{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
}
