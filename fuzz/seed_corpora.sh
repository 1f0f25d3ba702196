#!/bin/sh
# Seeds fuzz/corpus/<target>/ (git-ignored) from the example documents and the scenario tests.
# Run from anywhere; safe to re-run (files are named by content hash).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seed() { # seed TARGET FILE...
    dir="$here/corpus/$1"; shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/$(sha1sum "$f" | cut -c1-40)"
    done
}
seed catalog_json "$root"/examples/data/catalog.json "$root"/tests/scenarios/*/catalog.json
seed renderings_json "$root"/examples/data/renderings.json "$root"/tests/scenarios/*/renderings.json
seed policy_json "$root"/examples/data/policy.json "$root"/tests/scenarios/*/policy.json
# JSON Lines for renderings_lines: each array of renderings, one rendering a line.
mkdir -p "$here/corpus/renderings_lines"
for f in "$root"/examples/data/renderings.json "$root"/tests/scenarios/*/renderings.json; do
    python3 -c 'import json,sys; print("\n".join(json.dumps(r) for r in json.load(open(sys.argv[1]))))' "$f" \
        > "$here/corpus/renderings_lines/$(sha1sum "$f" | cut -c1-40)" 2>/dev/null || true
done
mkdir -p "$here/corpus/renderings_structured" "$here/corpus/catalog_structured"
for t in catalog_json renderings_json policy_json renderings_lines; do
    echo "$t: $(ls "$here/corpus/$t" | wc -l) seeds"
done
