"""unisono: one canonical catalog; every channel's offer checked against it.

Prices, promotions, the EU Omnibus prior price and stock, as shown by the web shop, the app, the
newsletter, the TV spot, the flyer and the shelf label, checked claim by claim over the whole time
each is shown, and against each other (CONTRACT §1-§9 of the Rust library).

>>> import unisono
>>> catalog = unisono.Catalog.from_path("catalog.json")
>>> validator = unisono.Validator(catalog, unisono.Policy())
>>> report = validator.validate(open("renderings.jsonl").read())
>>> [(f.rule, f.rendering) for f in report.findings]
"""

from ._errors import (
    CatalogError,
    InputError,
    OfferError,
    PolicyError,
    Problem,
    UnisonoError,
)
from ._unisono import (
    Catalog,
    Finding,
    Offer,
    Policy,
    Report,
    Summary,
    Validator,
    __version__,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "Finding",
    "InputError",
    "Offer",
    "OfferError",
    "Policy",
    "PolicyError",
    "Problem",
    "Report",
    "Summary",
    "UnisonoError",
    "Validator",
    "__version__",
]
