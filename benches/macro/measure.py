#!/usr/bin/env python3
"""Run one command and record its wall time and peak memory: one JSON line appended to a file.

  measure.py --log LOG --name NAME [--stdout FILE] -- COMMAND [ARG...]

Records {"name", "command", "wall_s", "max_rss_kb", "exit"}. Wall time is measured around the
child process (time.perf_counter); peak memory is the largest resident set of the child and its
waited-for descendants (getrusage(RUSAGE_CHILDREN).ru_maxrss, in KiB on Linux): what GNU time's
"Maximum resident set size" reports. Exits with the command's status.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--log", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--stdout", help="send the command's standard output here (default: ours)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command")

    out = open(args.stdout, "wb") if args.stdout else None
    try:
        start = time.perf_counter()
        status = subprocess.call(command, stdout=out)
        wall = time.perf_counter() - start
    finally:
        if out:
            out.close()
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    record = {"name": args.name, "command": command, "wall_s": round(wall, 4), "max_rss_kb": rss, "exit": status}
    with open(args.log, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
    print(f"  {args.name:<24} {wall:9.2f} s  {rss / 1024:9.0f} MiB  exit {status}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
