#!/usr/bin/env python3
"""The macro benchmark's report: a Markdown table, the ratios and the targets, from run.sh's files.

  report.py --dir RUN_DIR --skus N --renderings M --catalog C --renderings-file R [--out results.md]

RUN_DIR holds measurements.jsonl (measure.py's records), peer.json (duckdb_peer.py's output)
and agreement.json (compare.py's). Writes the Markdown to --out (and standard output) and the
figures as results.json beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

MIB = 1024 * 1024


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
        return rev.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--skus", type=int, required=True)
    ap.add_argument("--renderings", type=int, required=True)
    ap.add_argument("--seed", default="2026")
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--renderings-file", required=True)
    ap.add_argument("--jobs", type=int, default=2, help="threads of the multi-threaded runs")
    ap.add_argument("--load", help="1-minute load average before and after the timed runs")
    ap.add_argument("--out")
    args = ap.parse_args()

    runs = {}
    with open(os.path.join(args.dir, "measurements.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs[r["name"]] = r  # the last record of a name wins
    peer = json.load(open(os.path.join(args.dir, "peer.json"), encoding="utf-8"))
    agreement_path = os.path.join(args.dir, "agreement.json")
    agreement = json.load(open(agreement_path, encoding="utf-8")) if os.path.exists(agreement_path) else None

    n = args.renderings
    catalog_bytes = os.path.getsize(args.catalog)
    renderings_bytes = os.path.getsize(args.renderings_file)
    wall = lambda name: runs[name]["wall_s"]  # noqa: E731
    rss_mib = lambda name: runs[name]["max_rss_kb"] / 1024  # noqa: E731
    rate = lambda seconds: n / seconds if seconds > 0 else float("inf")  # noqa: E731
    compile_s = wall("compile")

    def fmt_rate(r: float) -> str:
        return f"{r / 1e6:.2f} M/s" if r >= 1e6 else f"{r / 1e3:,.0f} k/s"

    rows = [
        ("catalog compile: `unisono lint --catalog`", "compile",
         f"{args.skus / compile_s / 1e3:,.0f} k products/s; peak RSS = {rss_mib('compile') * MIB / catalog_bytes:.2f}x the JSON"),
    ]
    J = args.jobs
    for jobs in (1, J):
        name = f"validate-j{jobs}"
        rows.append((f"`unisono validate --format json --jobs {jobs}`", name,
                     f"{fmt_rate(rate(wall(name)))} end to end; "
                     f"{fmt_rate(rate(wall(name) - compile_s))} after the catalog compile"))
    for jobs in (1, J):
        name = f"parse-j{jobs}"
        rows.append((f"`unisono parse --jobs {jobs}` (the floor)", name, fmt_rate(rate(wall(name)))))
    t = peer["timings_s"]
    rows.append((f"DuckDB peer, {peer['threads']} threads (`duckdb_peer.py`)", "duckdb",
                 f"{fmt_rate(rate(wall('duckdb')))} end to end; load {t['load_catalog']:.1f} s catalog + "
                 f"{t['load_renderings']:.1f} s renderings, checks {t['checks']:.1f} s"))

    lines = [
        f"# unisono macro benchmark: {args.skus:,} products, {n:,} renderings (seed {args.seed})",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), Linux {platform.release()}; "
        f"unisono {git_revision()}, DuckDB {peer['duckdb']} (Python {platform.python_version()})"
        + (f"; load average {' then '.join(args.load.split())} (before, after the timed runs)." if args.load else "."),
        f"Files: catalog.json {catalog_bytes / MIB:,.0f} MiB, renderings.jsonl {renderings_bytes / MIB:,.0f} MiB.",
        "",
        "| step | wall | peak RSS | throughput |",
        "|---|---:|---:|---|",
    ]
    for label, name, note in rows:
        flag = "" if runs[name]["exit"] in (0, 1) else f" (exit {runs[name]['exit']}!)"
        lines.append(f"| {label}{flag} | {wall(name):.2f} s | {rss_mib(name):,.0f} MiB | {note} |")

    v1, v2, p1, p2, duck = (wall(x) for x in ("validate-j1", f"validate-j{J}", "parse-j1", f"parse-j{J}", "duckdb"))
    peer_net = t["load_renderings"] + t["checks"]
    ratios = {
        "jobs": J,
        "renderings_per_s_1": rate(v1),
        "renderings_per_s_jobs": rate(v2),
        "renderings_per_s_jobs_after_compile": rate(v2 - compile_s),
        "validate_over_parse_1": v1 / p1,
        "validate_over_parse_jobs": v2 / p2,
        "validate_after_compile_over_parse_jobs": (v2 - compile_s) / p2,
        "duckdb_over_validate_jobs": duck / v2,
        "duckdb_net_over_validate_after_compile_jobs": peer_net / (v2 - compile_s),
        "speedup_jobs_over_1": v1 / v2,
    }
    lines += [
        "",
        "Ratios:",
        "",
        f"- renderings per second, end to end (catalog compile included): {rate(v1):,.0f} on 1 thread, "
        f"{rate(v2):,.0f} on {J} ({v1 / v2:.2f}x); after the compile: {rate(v2 - compile_s):,.0f} on {J}",
        f"- validate / parse: {v1 / p1:.2f}x on 1 thread, {v2 / p2:.2f}x on {J}; "
        f"validate after the compile / parse: {(v2 - compile_s) / p2:.2f}x on {J}",
        f"- DuckDB peer / validate ({J} threads each), end to end: {duck / v2:.2f}x; "
        f"renderings load + checks / validate after the compile: {peer_net / (v2 - compile_s):.2f}x",
    ]
    targets = [
        (f"catalog compile under 10 s ({args.skus:,} products; the target is for 1M)", compile_s < 10),
        ("compile peak memory below the catalog JSON's size", runs["compile"]["max_rss_kb"] * 1024 < catalog_bytes),
        (f"at least 1,000,000 renderings/s end to end on {J} threads (the target: 2 cores)", rate(v2) >= 1e6),
        (f"validate within 2x of plain parsing ({J} threads)", v2 / p2 <= 2),
        ("at least 5x faster than the DuckDB peer (end to end)", duck / v2 >= 5),
    ]
    lines += ["", "Targets (issue):", ""]
    lines += [f"- {'met' if ok else 'NOT met'}: {what}" for what, ok in targets]
    if agreement:
        lines += [
            "",
            f"Same checks, same answers: on the {agreement['compared']}, unisono "
            f"reports {agreement['unisono']:,} findings, the peer {agreement['peer']:,}, "
            f"{agreement['both']:,} in common (agreement {agreement['agreement']:.4f}).",
        ]
        if "planted" in agreement:
            p = agreement["planted"]
            lines.append(f"Planted inconsistencies of these rules: {p['of_these_rules']:,}; found by unisono "
                         f"{p['found_by_unisono']:,}, by the peer {p['found_by_peer']:,}.")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        results = {
            "skus": args.skus, "renderings": n, "seed": args.seed, "catalog_bytes": catalog_bytes,
            "renderings_bytes": renderings_bytes, "load_average": args.load, "runs": runs, "peer": peer, "ratios": ratios,
            "targets": {what: ok for what, ok in targets}, "agreement": agreement,
        }
        with open(os.path.splitext(args.out)[0] + ".json", "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
