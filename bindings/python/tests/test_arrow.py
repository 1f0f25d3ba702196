"""Arrow input: record batches, tables, both column layouts."""

import datetime as dt
import json

import pytest

import unisono

pa = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def validator(catalog, policy):
    return unisono.Validator(catalog, policy)


def test_a_json_column(validator, renderings, renderings_text):
    batch = pa.RecordBatch.from_pydict({"rendering": [json.dumps(r, indent=2) for r in renderings]})
    expected = validator.validate(renderings_text).to_json()
    assert validator.validate_arrow(batch).to_json() == expected
    # A table of several batches is one input: cross-channel rules see every row.
    table = pa.Table.from_batches([batch.slice(0, 20), batch.slice(20)])
    assert validator.validate_arrow(table).to_json() == expected
    large = pa.RecordBatch.from_pydict(
        {"rendering": pa.array([json.dumps(r) for r in renderings], pa.large_string())}
    )
    assert validator.validate_arrow(large).to_json() == expected


def by_sku(renderings):
    """The renderings of one product (the columns have no `family`)."""
    return [r for r in renderings if "sku" in r]


def columns(renderings, instants=str):
    return {
        "id": [r["id"] for r in renderings],
        "channel": [r["channel"] for r in renderings],
        "sku": [r["sku"] for r in renderings],
        "shown_from": [instants(r["shown"].get("from") or r["shown"]["at"]) for r in renderings],
        "shown_until": [
            instants(r["shown"]["until"]) if "until" in r["shown"] else None for r in renderings
        ],
        "claims": [json.dumps(r.get("claims", [])) for r in renderings],
        "meta": [json.dumps(r["meta"]) if "meta" in r else None for r in renderings],
    }


def test_structured_columns(validator, renderings):
    renderings = by_sku(renderings)
    expected = validator.validate(renderings).to_json()
    batch = pa.RecordBatch.from_pydict(columns(renderings))
    assert validator.validate_arrow(batch).to_json() == expected


def test_timestamp_columns_with_a_zone(validator, renderings):
    renderings = by_sku(renderings)
    data = columns(renderings, dt.datetime.fromisoformat)
    schema_type = pa.timestamp("us", tz="Europe/Rome")
    data["shown_from"] = pa.array(data["shown_from"], schema_type)
    data["shown_until"] = pa.array(data["shown_until"], schema_type)
    batch = pa.RecordBatch.from_pydict(data)
    assert validator.validate_arrow(batch).to_json() == validator.validate(renderings).to_json()


def test_naive_timestamps_are_refused(validator, renderings):
    data = columns(renderings[:2], lambda s: dt.datetime.fromisoformat(s).replace(tzinfo=None))
    data["shown_from"] = pa.array(data["shown_from"], pa.timestamp("us"))
    data["shown_until"] = pa.array(data["shown_until"], pa.timestamp("us"))
    with pytest.raises(unisono.InputError) as caught:
        validator.validate_arrow(pa.RecordBatch.from_pydict(data))
    assert caught.value.path.startswith("[0].shown")


def test_a_bad_row_is_named(validator, renderings):
    data = columns(renderings[:3])
    data["claims"][2] = '[{"price": 5}]'
    with pytest.raises(unisono.InputError) as caught:
        validator.validate_arrow(pa.RecordBatch.from_pydict(data))
    assert caught.value.path == "[2].claims[0].price"
    assert caught.value.line is None


def test_missing_columns_are_named(validator):
    batch = pa.RecordBatch.from_pydict({"id": ["a"], "channel": ["web-it"]})
    with pytest.raises(ValueError, match="shown_from"):
        validator.validate_arrow(batch)


def test_not_arrow_is_refused(validator):
    with pytest.raises(ValueError):
        validator.validate_arrow([1, 2, 3])
