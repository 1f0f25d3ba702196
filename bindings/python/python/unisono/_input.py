"""Renderings given as Python objects, turned into JSON Lines for the native reader."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any, Iterable, Mapping


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError(
                f"{value.isoformat()} is a naive datetime; give it a tzinfo "
                "(datetime.timezone.utc, a ZoneInfo)"
            )
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value: {value!r:.200}")


def json_lines(renderings: Iterable[Mapping[str, Any]]) -> str:
    """One compact JSON line per rendering (a line break in a string is escaped by json)."""
    if isinstance(renderings, Mapping):
        raise TypeError("renderings: a list of dicts, or a JSON / JSON Lines string; got one dict")
    return "\n".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":"), default=_default)
        for r in renderings
    )
