#!/usr/bin/env bash
# Instruction counts of each reader alternative (benches/readers.rs) under callgrind: figures that
# do not depend on the machine's load. Generates the data once with the release CLI.
#
#   benches/callgrind.sh [SKUS] [RENDERINGS]        defaults: 10000 20000 (seed 2026)
#
# Prints a Markdown table: instructions of each alternative less its base (lines-read or
# catalog-read: reading the input and starting the program), per line or per product, and the
# ratio to the hand-written reader. Needs valgrind (apt-get install valgrind).
set -euo pipefail

SKUS=${1:-10000}
RENDERINGS=${2:-20000}
SEED=${SEED:-2026}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA="$TARGET/callgrind/s$SKUS-r$RENDERINGS-seed$SEED"

cd "$ROOT"
if [[ ! -f "$DATA/catalog.json" ]]; then
    cargo build --release --quiet -p unisono-cli
    mkdir -p "$DATA"
    "$TARGET/release/unisono" gen --skus "$SKUS" --renderings "$RENDERINGS" --seed "$SEED" --out "$DATA" >&2
fi
BIN=$(cargo bench --bench readers --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*readers-[^"]*\)".*/\1/p' | tail -1)
[[ -x "$BIN" ]] || { echo "callgrind.sh: no readers bench executable" >&2; exit 2; }

# instructions ALTERNATIVE: the total count of user-space instructions of one run.
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$DATA" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

declare -A COUNT
for alternative in validate-hand validate-hand-all validate-serde lines-read lines-hand lines-hand-stream lines-serde lines-sonic lines-borrowed \
    lines-borrowed-sonic catalog-read catalog-hand catalog-hand-slice catalog-hand-str \
    catalog-serde catalog-serde-parse catalog-sonic; do
    COUNT[$alternative]=$(instructions "$alternative")
    echo "$alternative ${COUNT[$alternative]}" >&2
done

echo "| alternative | instructions | per item | vs hand-written |"
echo "|---|---:|---:|---:|"
row() { # row ALTERNATIVE BASE ITEMS REFERENCE
    awk -v n="${COUNT[$1]}" -v b="${COUNT[$2]}" -v items="$3" -v r="${COUNT[$4]}" -v name="$1" 'BEGIN {
        printf "| %s | %d | %.0f | %.2f |\n", name, n - b, (n - b) / items, (n - b) / (r - b) }'
}
for a in lines-hand lines-hand-stream lines-serde lines-sonic lines-borrowed lines-borrowed-sonic; do
    row "$a" lines-read "$RENDERINGS" lines-hand
done
for a in validate-hand validate-hand-all validate-serde; do
    row "$a" catalog-hand "$RENDERINGS" validate-hand
done
for a in catalog-hand catalog-hand-slice catalog-hand-str catalog-serde catalog-serde-parse catalog-sonic; do
    row "$a" catalog-read "$SKUS" catalog-hand
done
