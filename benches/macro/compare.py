#!/usr/bin/env python3
"""Agreement between the DuckDB peer's findings and unisono's, on the rules the peer checks.

  compare.py --peer PEER.jsonl --unisono REPORT [--renderings R.jsonl] [--expected EXPECTED.jsonl]

PEER.jsonl: `duckdb_peer.py --findings` output ({"rendering", "claim", "rule"} per line).
REPORT: `unisono validate --format json` output: the CONTRACT §4 document, or JSON Lines with
one finding per line (other lines are ignored).
--renderings: compare only renderings shown at one instant (`{"at": ...}`), since the peer checks
one instant per rendering and unisono every instant of a window; and only findings on the claims
the peer checks (a `price.currency_mismatch` of a `unit_price` claim is unisono's alone).
--expected: the answer key of `unisono gen` ({"rendering", "rule"}): how many of the planted
inconsistencies of these rules each side reports.

Prints a JSON summary; exit status 0 when the two agree exactly, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys

# The claims the peer checks.
CLAIMS = {"price", "reference_price", "stock_quantity", "availability", "pickup_at"}

# The rules the peer implements (see duckdb_peer.py); unisono's other rules are not compared.
RULES = {
    "price.mismatch",
    "price.currency_mismatch",
    "reference.not_lowest_prior",
    "reference.no_history",
    "reference.mismatch",
    "stock.false_scarcity",
    "stock.overstated",
    "stock.unavailable",
    "stock.understated",
    "stock.bait_advertising",
}


def unisono_findings(path: str):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
        items = doc["findings"] if isinstance(doc, dict) and "findings" in doc else [doc]
    except json.JSONDecodeError:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    for item in items:
        if isinstance(item, dict) and "rule" in item and item.get("rendering") is not None:
            yield item["rendering"], item.get("claim"), item["rule"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", required=True)
    ap.add_argument("--unisono", required=True)
    ap.add_argument("--renderings")
    ap.add_argument("--expected")
    ap.add_argument("--show", type=int, default=10, help="disagreements to list")
    args = ap.parse_args()

    # Rendering id -> for each claim, whether the peer checks it; renderings shown at an instant only.
    checked = None
    if args.renderings:
        checked = {}
        with open(args.renderings, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if "at" in r.get("shown", {}):
                        checked[r["id"]] = [not CLAIMS.isdisjoint(c) for c in r.get("claims", [])]

    def keep(finding) -> bool:
        if checked is None:
            return True
        claims = checked.get(finding[0])
        if claims is None:
            return False
        claim = finding[1]
        return claim is None or (isinstance(claim, int) and claim < len(claims) and claims[claim])

    with open(args.peer, encoding="utf-8") as f:
        peer = {(d["rendering"], d["claim"], d["rule"]) for d in map(json.loads, filter(str.strip, f))}
    peer = {k for k in peer if keep(k)}
    uni = {k for k in unisono_findings(args.unisono) if k[2] in RULES and keep(k)}

    both, only_peer, only_uni = peer & uni, sorted(peer - uni), sorted(uni - peer)
    by_rule = {}
    for rule in sorted(RULES):
        u = sum(1 for k in uni if k[2] == rule)
        p = sum(1 for k in peer if k[2] == rule)
        if u or p:
            by_rule[rule] = {"unisono": u, "peer": p, "both": sum(1 for k in both if k[2] == rule)}
    out = {
        "compared": "claims the peer checks, renderings shown at one instant" if checked is not None else "all",
        "unisono": len(uni),
        "peer": len(peer),
        "both": len(both),
        "agreement": round(len(both) / max(1, len(uni | peer)), 6),
        "by_rule": by_rule,
        "only_peer": [list(k) for k in only_peer[: args.show]],
        "only_unisono": [list(k) for k in only_uni[: args.show]],
    }
    if args.expected:
        with open(args.expected, encoding="utf-8") as f:
            planted = {(d["rendering"], d["rule"]) for d in map(json.loads, filter(str.strip, f))}
        # The key names no claim. A planted currency mismatch may be on a claim the peer does not
        # check (a unit price): keep it only when one side reports it on a compared claim.
        reported = {(k[0], k[2]) for k in uni | peer}
        planted = {
            k for k in planted
            if k[1] in RULES and (checked is None or k[0] in checked)
            and (k[1] != "price.currency_mismatch" or k in reported)
        }
        found = lambda s: {(k[0], k[2]) for k in s}  # noqa: E731
        out["planted"] = {
            "of_these_rules": len(planted),
            "found_by_unisono": len(planted & found(uni)),
            "found_by_peer": len(planted & found(peer)),
        }
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0 if not only_peer and not only_uni else 1


if __name__ == "__main__":
    sys.exit(main())
