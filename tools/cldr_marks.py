#!/usr/bin/env python3
"""Writes src/extract/text/cldr_marks.tsv: every currency mark of the Unicode CLDR (via Babel), as data
for unisono's text reader.

Usage: python3 -m venv /tmp/v && /tmp/v/bin/pip install babel==2.19.0 && /tmp/v/bin/python tools/cldr_marks.py

Rows, tab-separated, sorted:
  mark   CODE[,CODE...]  s|n   a symbol (s) or a one-word name (n) of the currency in some locale, lower case (matched without
                          regard to case); several codes when locales give one mark to several currencies
  @XX    CODE[,CODE...]   the currencies legal tender today in region XX (ISO 3166), which decide a mark
                          of several currencies under a locale with that region
  !mark  CODE             the one currency whose symbol the mark is in the CLDR root locale, which a mark
                          of several currencies names where no region decides (`£` is GBP, `$` none)
  %CODE  P  G             a currency whose every home locale (the official languages of the regions where
                          it is legal tender) writes the decimal point P and groups thousands with G
                          (`space` for any space; `-` where they differ): `9 800 Kč` is 9800, `NT$ 1,160` 1160
Only currencies legal tender today somewhere are kept (no historical francs, marks or lire).
"""
import re
import sys
import unicodedata
from collections import defaultdict

import babel
from babel import Locale
from babel.core import get_global
import babel.localedata as localedata

BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"), None)


def clean(mark):
    mark = unicodedata.normalize("NFC", mark).translate(BIDI)
    mark = re.sub(r"\s+", " ", mark.replace("\xa0", " ")).strip()
    return mark.lower()


def main():
    current = defaultdict(set)  # region -> codes
    for region, entries in get_global("territory_currencies").items():
        for code, _start, end, tender in entries:
            if end is None and tender:
                current[region].add(code)
    tender = set().union(*current.values())
    marks = defaultdict(set)
    symbols = set()
    for tag in localedata.locale_identifiers():
        try:
            locale = Locale.parse(tag)
        except Exception:  # a locale Babel lists but cannot load
            continue
        for code, symbol in locale.currency_symbols.items():
            if code in tender and symbol:
                marks[clean(symbol)].add(code)
                symbols.add(clean(symbol))
        names = [(c, n) for c, n in locale._data["currency_names"].items()]
        for code, forms in locale._data["currency_names_plural"].items():
            names.extend((code, n) for n in forms.values())
        for code, name in names:
            name = clean(name or "")
            # One-word names only ("euro", "złotych", "рублей"): longer names are phrases.
            if code in tender and name and len(name) <= 24 and " " not in name:
                marks[name].add(code)
    out = [
        "# Currency marks of the Unicode CLDR (Babel "
        + babel.__version__
        + "), Unicode License v3; written by tools/cldr_marks.py, do not edit."
    ]
    for mark in sorted(marks):
        if "\t" in mark or not mark or mark.upper() in tender and marks[mark] == {mark.upper()}:
            continue  # an ISO code is a mark of its own currency already
        kind = "s" if mark in symbols else "n"
        out.append(f"{mark}\t{','.join(sorted(marks[mark]))}\t{kind}")
    for region in sorted(current):
        out.append(f"@{region}\t{','.join(sorted(current[region]))}")
    root = Locale.parse("root").currency_symbols
    for mark in sorted(marks):
        if len(marks[mark]) > 1:
            defaults = [c for c in marks[mark] if root.get(c) and clean(root[c]) == mark]
            if len(defaults) == 1:
                out.append(f"!{mark}\t{defaults[0]}")
    languages = get_global("territory_languages")
    spaces = {" ", "\xa0", "\u202f", "\u2009"}
    for code in sorted(tender):
        points, groups = set(), set()
        for region, codes in current.items():
            if code not in codes:
                continue
            for language, info in languages.get(region, {}).items():
                if info.get("official_status") not in ("official", "de_facto_official"):
                    continue
                try:
                    locale = Locale.parse(f"{language}_{region}")
                except Exception:
                    continue
                symbols = locale.number_symbols.get("latn", {})
                points.add(symbols.get("decimal"))
                group = symbols.get("group")
                groups.add("space" if group in spaces else group)
        if len(points) == 1 and None not in points:
            group = groups.pop() if len(groups) == 1 else "-"
            out.append(f"%{code}\t{points.pop()}\t{group}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
