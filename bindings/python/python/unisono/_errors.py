"""The exceptions of unisono. Each carries where the problem is, as attributes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


class UnisonoError(ValueError):
    """Base class of unisono's errors: input that cannot be used. `str(e)` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One problem in a catalog document.

    `path` is the JSON path of the bad value (`prices[3].amount`), `kind` what kind of problem
    (`duplicate`, `unknown_reference`, `overlap`, `empty_window`, `time`, `money`, `currency`,
    `gtin`, `stock`, `promotion`, `value`), `message` what is wrong and what was expected.
    """

    path: str
    kind: str
    message: str


class CatalogError(UnisonoError):
    """A catalog that cannot be used: bad JSON (then `line`, `column` and `path` say where), or
    content that is wrong (then `problems` lists every problem, and `path` is the first one's).
    `file` is the file read by `Catalog.from_path`, None for `Catalog.from_json`."""

    def __init__(
        self,
        message: str,
        *,
        problems: Optional[List[Problem]] = None,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        path: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.problems: List[Problem] = list(problems or [])
        self.file = file
        self.line = line
        self.column = column
        self.path = path


class PolicyError(UnisonoError):
    """A policy document that cannot be read: `line`, `column` and JSON `path` of the bad value."""

    def __init__(self, message: str, *, line: int, column: int, path: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.path = path


class InputError(UnisonoError):
    """Renderings that cannot be read. In a text, `line` and `column` (1-based) and the JSON `path`
    within the rendering (`claims[2].price`); in a list of dicts or an Arrow batch, `line` and
    `column` are None and `path` starts with the item's or row's index (`[3].claims[2].price`)."""

    def __init__(
        self,
        message: str,
        *,
        line: Optional[int] = None,
        column: Optional[int] = None,
        path: str = ".",
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.path = path


class OfferError(UnisonoError, LookupError):
    """No offer: `reason` is `unknown_product`, `unknown_channel`, `not_listed` (the channel does
    not sell the product) or `no_price` (no price list entry at that instant)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
