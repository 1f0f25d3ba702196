"""What `unisono validate --format json` does, from Python: for measuring the binding's overhead
against the CLI on the same files (docs/bindings.md, "Overhead").

    python bench.py CATALOG RENDERINGS THREADS [json|objects|summary]

`json` builds the report's JSON text as the CLI prints it; `objects` reads every finding's
attributes; `summary` only the counts.
"""

import sys

import unisono


def main() -> None:
    catalog_path, renderings_path, threads = sys.argv[1:4]
    mode = sys.argv[4] if len(sys.argv) > 4 else "json"
    catalog = unisono.Catalog.from_path(catalog_path)
    validator = unisono.Validator(catalog, threads=int(threads))
    with open(renderings_path, encoding="utf-8") as file:
        text = file.read()
    report = validator.validate(text)
    if mode == "json":
        size = len(report.to_json())
    elif mode == "objects":
        size = sum(len(f.rule) + len(f.message) + (f.claim or 0) for f in report.findings)
    else:
        size = report.summary.renderings
    print(report.summary, size, file=sys.stderr)


if __name__ == "__main__":
    main()
