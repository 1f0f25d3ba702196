#!/usr/bin/env bash
# The HTML report as a person sees it (issue 22): renders the demo's report in headless Chromium
# (Debian's `chromium`, driven by playwright-core from npm; no browser download), checks the
# matrix against the JSON report, clicks a cell, filters, and watches the console. Leaves the
# screenshot in $REPORT_OUT (default /tmp/unisono-report), beside the HTML and the JSON.
# Needs: the Rust toolchain, Debian apt, npm. Bounded in time; starts no service.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${REPORT_OUT:-/tmp/unisono-report}"
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "chromium (Debian) and node"
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq nodejs npm >/dev/null
fi
chromium --version
node --version

step "playwright-core (pinned in tests/browser/package.json; the browser is Debian's)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd tests/browser && timeout 300 npm install --no-audit --no-fund --no-package-lock --silent)

step "the demo's report, as JSON and as HTML"
cargo build -q --release -p unisono-cli
BIN="${CARGO_TARGET_DIR:-target}/release/unisono"
# `demo` exits 0 (its mistakes are planted); the page is `validate --format html` of its data.
"$BIN" demo --format json > "$OUT/demo.json"
"$BIN" demo --format html > "$OUT/demo.html"
ls -l "$OUT/demo.json" "$OUT/demo.html"

step "headless chromium: matrix cells, a click, filters, console"
timeout 180 node tests/browser/report.mjs "$OUT/demo.html" "$OUT/demo.json" "$OUT/demo.png"
ls -l "$OUT/demo.png"

step "ok"
