#!/usr/bin/env bash
# The HTTP sidecar (issue 19), as .ci/run runs it:
#   1. builds `unisono` in release;
#   2. runs the bounded load test in release (2 client threads, UNISONO_LOAD_SECONDS, default 60;
#      the catalog replaced every 5 s; 0 failed requests, 0 answers on a half-swapped catalog);
#   3. installs php-cli and php-curl from Debian's packages if missing;
#   4. starts `unisono serve` on 127.0.0.1 with a token, runs the PHP client's tests (whose report
#      must be the bytes `unisono validate --format json` prints) and the WooCommerce example
#      against it, then stops it with SIGTERM and checks it exited cleanly.
# The server's other tests (endpoints, refusals, swap, SIGTERM) run in `cargo test --workspace`.
# Exits non-zero on the first failure; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
export CARGO_TERM_COLOR=never

step() { printf '\n-- serve: %s\n' "$*"; }

step "build (release)"
cargo build --release -p unisono-cli
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
unisono="$target/release/unisono"
test -x "$unisono"

step "load test (release, ${UNISONO_LOAD_SECONDS:-60} s)"
UNISONO_LOAD_SECONDS="${UNISONO_LOAD_SECONDS:-60}" timeout 600 \
    cargo test --release -p unisono-serve --test load -- --ignored --nocapture

step "php"
missing=()
command -v php > /dev/null || missing+=(php-cli)
if ! command -v php > /dev/null || ! php -m | grep -qx curl; then
    missing+=(php-curl)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends php-cli php-curl > /dev/null
fi
php --version | head -n 1

step "unisono serve on loopback, with a token"
work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2> /dev/null; then
        kill -TERM "$server" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/token"
"$unisono" serve --catalog examples/data/catalog.json --listen 127.0.0.1:0 \
    --token-file "$work/token" 2> "$work/serve.log" &
server=$!
address=
for _ in $(seq 1 100); do
    address=$(sed -n 's|^unisono serve: listening on http://\([^ ]*\) .*|\1|p' "$work/serve.log")
    [ -n "$address" ] && break
    kill -0 "$server" 2> /dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.1
done
[ -n "$address" ] || { echo "unisono serve did not start"; cat "$work/serve.log"; exit 1; }
echo "listening on $address"
export UNISONO_URL="http://$address"
UNISONO_TOKEN=$(cat "$work/token")
export UNISONO_TOKEN

step "PHP client tests"
status=0
"$unisono" validate --catalog examples/data/catalog.json --renderings examples/data/renderings.json \
    --format json > "$work/cli-report.json" || status=$?
[ "$status" -eq 1 ] || { echo "unisono validate exited $status, expected 1 (error findings)"; exit 1; }
UNISONO_CLI_REPORT="$work/cli-report.json" timeout 120 php clients/php/tests/run.php

step "WooCommerce example"
timeout 60 php clients/php/examples/woocommerce.php | tee "$work/example.txt"
for rule in validity.overstated stock.false_scarcity price.mismatch; do
    grep -q "error $rule" "$work/example.txt" || { echo "the example did not report $rule"; exit 1; }
done

step "SIGTERM"
kill -TERM "$server"
status=0
timeout 30 tail --pid="$server" -f /dev/null || status=$?
wait "$server" || status=$?
server=
cat "$work/serve.log"
[ "$status" -eq 0 ] || { echo "unisono serve exited $status"; exit 1; }
grep -q '^unisono serve: stopped$' "$work/serve.log"

step "ok ($(($(date +%s) - started)) s)"
