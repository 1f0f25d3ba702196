"""Catalog loading, its errors, and offers."""

import datetime as dt
import pathlib

import pytest

import unisono
from conftest import DATA

ROME = dt.timezone(dt.timedelta(hours=1))


def test_from_json_compiles_the_sample_catalog(catalog):
    assert repr(catalog).startswith("<unisono.Catalog: 1 markets, 7 channels, 12 products, ")


def test_from_path_takes_str_and_pathlike(catalog):
    by_str = unisono.Catalog.from_path(str(DATA / "catalog.json"))
    by_path = unisono.Catalog.from_path(pathlib.Path(DATA / "catalog.json"))
    assert repr(by_str) == repr(by_path) == repr(catalog)


def test_from_path_of_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        unisono.Catalog.from_path(tmp_path / "nope.json")


def test_bad_json_names_line_column_and_path():
    text = '{"markets": [{"id": "IT", "currency": 5}]}'
    with pytest.raises(unisono.CatalogError) as caught:
        unisono.Catalog.from_json(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.line, error.path) == (1, "markets[0].currency")
    assert error.column > 0
    assert error.file is None
    assert len(error.problems) == 1


def test_invalid_content_lists_every_problem(catalog_text, tmp_path):
    broken = catalog_text.replace('"899.00 EUR"', '"899.00 USD"', 1)
    assert broken != catalog_text
    path = tmp_path / "broken.json"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(unisono.CatalogError) as caught:
        unisono.Catalog.from_path(path)
    error = caught.value
    assert error.file == str(path)
    assert error.line is None
    kinds = {p.kind for p in error.problems}
    assert "currency" in kinds
    first = error.problems[0]
    assert first.path.startswith("prices[") and first.path.endswith("].amount")
    assert error.path == first.path
    assert str(path) in str(error)


def test_offer_is_typed_and_in_the_markets_zone(catalog):
    at = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone.utc)
    offer = catalog.offer("LAPTOP-14", "web-it", at)
    assert isinstance(offer, unisono.Offer)
    assert (offer.sku, offer.channel) == ("LAPTOP-14", "web-it")
    assert offer.at == at
    assert offer.at.utcoffset() == dt.timedelta(hours=1)
    assert offer.regular_price == "899.00 EUR"
    assert offer.price == "719.20 EUR"
    assert offer.prior_price == "899.00 EUR"
    assert offer.promotions == ["BF26"]
    assert offer.valid_until == dt.datetime(2026, 12, 1, tzinfo=ROME)
    assert offer.availability in {"in_stock", "low_stock", "out_of_stock"}
    assert isinstance(offer.available, int)
    assert offer.explanation[0].startswith("price 899.00 EUR")
    as_dict = offer.to_dict()
    assert as_dict["price"] == "719.20 EUR" and as_dict["at"] == at


def test_offer_accepts_any_tzinfo(catalog):
    zoneinfo = pytest.importorskip("zoneinfo")
    rome = dt.datetime(2026, 11, 28, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Rome"))
    utc = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone.utc)
    assert catalog.offer("LAPTOP-14", "web-it", rome) == catalog.offer("LAPTOP-14", "web-it", utc)


def test_naive_datetime_is_a_value_error(catalog):
    with pytest.raises(ValueError, match="naive") as caught:
        catalog.offer("LAPTOP-14", "web-it", dt.datetime(2026, 11, 28, 10))
    assert not isinstance(caught.value, unisono.UnisonoError)


@pytest.mark.parametrize(
    ("sku", "channel", "reason"),
    [("NOPE", "web-it", "unknown_product"), ("LAPTOP-14", "nope", "unknown_channel")],
)
def test_no_offer_is_an_offer_error(catalog, sku, channel, reason):
    at = dt.datetime(2026, 11, 28, 9, tzinfo=dt.timezone.utc)
    with pytest.raises(unisono.OfferError) as caught:
        catalog.offer(sku, channel, at)
    assert caught.value.reason == reason
    assert isinstance(caught.value, LookupError)
