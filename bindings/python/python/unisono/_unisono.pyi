"""Type stubs of the native module `unisono._unisono` (re-exported by `unisono`)."""

import os
from datetime import datetime
from typing import Any, Iterable, List, Mapping, Optional, Union

__version__: str

class Catalog:
    """The canonical catalog (CONTRACT §2), compiled once; immutable and shareable across threads."""

    @staticmethod
    def from_json(text: Union[str, bytes]) -> Catalog:
        """Compiles a catalog from its JSON text. Raises `CatalogError`."""
    @staticmethod
    def from_path(path: Union[str, os.PathLike[str]]) -> Catalog:
        """Compiles the catalog in a JSON file. Raises `OSError`, `CatalogError`."""
    def offer(self, sku: str, channel: str, at: datetime) -> Offer:
        """The canonical offer at `at`, an aware datetime (a naive one raises `ValueError`).
        Raises `OfferError` when there is none."""

class Offer:
    """The canonical offer of a product on a channel at an instant (CONTRACT §5).
    Money is a string as the contract writes it: `"719.20 EUR"`."""

    @property
    def sku(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def regular_price(self) -> str: ...
    @property
    def price(self) -> str: ...
    @property
    def member_price(self) -> str: ...
    @property
    def prior_price(self) -> Optional[str]: ...
    @property
    def promotions(self) -> List[str]: ...
    @property
    def available(self) -> int: ...
    @property
    def availability(self) -> str: ...
    @property
    def valid_until(self) -> Optional[datetime]: ...
    @property
    def explanation(self) -> List[str]: ...
    def to_dict(self) -> dict[str, Any]:
        """The offer with CONTRACT §5's keys."""

class Policy:
    """How findings are weighed (CONTRACT §6). `Policy()` is the default policy."""

    def __init__(self) -> None: ...
    @staticmethod
    def from_json(text: Union[str, bytes]) -> Policy:
        """A policy from its JSON text. Raises `PolicyError`."""

class Validator:
    """Checks renderings against one catalog under one policy; releases the GIL while it works."""

    def __init__(
        self, catalog: Catalog, policy: Optional[Policy] = None, *, threads: Optional[int] = None
    ) -> None:
        """`threads` parse and validate JSON Lines (default: every core)."""
    def validate(
        self, renderings: Union[str, bytes, Iterable[Mapping[str, Any]]]
    ) -> Report:
        """Validates a JSON array or JSON Lines text, or a list of dicts (CONTRACT §3).
        Raises `InputError` at the first rendering that cannot be read."""
    def validate_arrow(self, data: Any) -> Report:
        """Validates an Arrow record batch, table or stream (anything with `__arrow_c_array__` or
        `__arrow_c_stream__`): a `rendering` column of JSON, or columns `id`, `channel`, `sku` or
        `gtin`, `shown_from`, `shown_until`, `claims` (JSON), `meta` (JSON)."""

class Report:
    """The result of a validation (CONTRACT §4)."""

    @property
    def summary(self) -> Summary: ...
    @property
    def findings(self) -> List[Finding]: ...
    @property
    def has_errors(self) -> bool:
        """Whether any finding has severity `error`."""
    def to_json(self) -> str:
        """CONTRACT §4's JSON, as `unisono validate --format json` prints it."""
    def to_dict(self) -> dict[str, Any]: ...
    def __len__(self) -> int: ...

class Summary:
    """Counts of a report."""

    @property
    def renderings(self) -> int: ...
    @property
    def claims(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def warnings(self) -> int: ...
    @property
    def infos(self) -> int: ...
    def to_dict(self) -> dict[str, int]: ...

class Finding:
    """One departure from the catalog or between renderings, with CONTRACT §4's fields.
    A cross-channel finding has `rendering` None and every rendering involved in `renderings`."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def rendering(self) -> Optional[str]: ...
    @property
    def renderings(self) -> List[str]: ...
    @property
    def channel(self) -> str: ...
    @property
    def sku(self) -> Optional[str]: ...
    @property
    def claim(self) -> Optional[int]: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def at(self) -> Optional[datetime]: ...
    @property
    def expected(self) -> Optional[str]: ...
    @property
    def found(self) -> Optional[str]: ...
    @property
    def message(self) -> str: ...
    @property
    def explanation(self) -> List[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
