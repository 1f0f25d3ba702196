#!/usr/bin/env bash
# CI for the Python and Node packages, tested as users install them: the wheel built by maturin,
# installed into a fresh virtualenv, then pytest; the npm package built by @napi-rs/cli, packed
# with `npm pack`, installed into a fresh project, then `node --test`. Also checks that both
# packages carry the crate's version.
# Needs: the Rust toolchain, python3 (>= 3.9, with venv), node (>= 18) and npm; PyPI and npm.
# Takes about 6 minutes on 2 cores from a cold target directory (release builds of both crates).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "node and npm (Debian's, when the machine has none)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq nodejs npm >/dev/null
fi
node --version
if ! python3 -m venv --help >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq python3-venv >/dev/null
fi

step "the crate's version"
VERSION=$(cargo metadata --no-deps --format-version 1 --manifest-path Cargo.toml |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "unisono"))')
echo "unisono $VERSION"
NODE_VERSION=$(python3 -c 'import json; print(json.load(open("bindings/node/package.json"))["version"])')
if [ "$NODE_VERSION" != "$VERSION" ]; then
    echo "bindings/node/package.json has version $NODE_VERSION; the crate has $VERSION" >&2
    exit 1
fi

step "Python: build the wheel (maturin, abi3)"
python3 -m venv "$WORK/build"
"$WORK/build/bin/pip" install --quiet --disable-pip-version-check "maturin==1.16.0"
timeout 900 "$WORK/build/bin/maturin" build --release --quiet \
    --manifest-path bindings/python/Cargo.toml --out "$WORK/wheels"
WHEEL=$(ls "$WORK"/wheels/unisono-*.whl)
echo "$(basename "$WHEEL")"
# The version comes from Cargo.toml, and one wheel serves CPython >= 3.9.
case "$(basename "$WHEEL")" in
    "unisono-$VERSION-cp39-abi3-"*) ;;
    *) echo "the wheel should be unisono-$VERSION-cp39-abi3-*" >&2; exit 1 ;;
esac

step "Python: install into a fresh virtualenv, run pytest"
python3 -m venv "$WORK/test"
"$WORK/test/bin/pip" install --quiet --disable-pip-version-check "$WHEEL" "pytest>=8" "pyarrow>=14"
# From the tests' folder: the package imported is the installed one, not the source tree.
(cd bindings/python/tests && timeout 300 "$WORK/test/bin/python" -m pytest -q -p no:cacheprovider .)

step "Node: build the addon (@napi-rs/cli, from the lockfile)"
(
    cd bindings/node
    timeout 300 npm ci --no-audit --no-fund --loglevel=error
    timeout 900 npx napi build --platform --release
)

step "Node: npm pack, install into a fresh project, node --test"
(cd bindings/node && npm pack --silent --pack-destination "$WORK" >/dev/null)
TARBALL="$WORK/unisono-$VERSION.tgz"
test -f "$TARBALL"
mkdir "$WORK/app"
cp -r bindings/node/__test__ "$WORK/app/__test__"
(
    cd "$WORK/app"
    npm init -y >/dev/null
    timeout 300 npm install --no-audit --no-fund --loglevel=error "$TARBALL"
    UNISONO_EXAMPLES="$ROOT/examples/data" timeout 300 node --test __test__/
)

step "bindings: ok"
