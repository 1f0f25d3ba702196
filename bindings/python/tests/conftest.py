"""Shared fixtures: the repository's sample data (the demo of `unisono demo`)."""

import json
import pathlib

import pytest

import unisono

DATA = pathlib.Path(__file__).resolve().parents[3] / "examples" / "data"


@pytest.fixture(scope="session")
def catalog_text() -> str:
    return (DATA / "catalog.json").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def catalog(catalog_text: str) -> unisono.Catalog:
    return unisono.Catalog.from_json(catalog_text)


@pytest.fixture(scope="session")
def policy() -> unisono.Policy:
    return unisono.Policy.from_json((DATA / "policy.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def renderings_text() -> str:
    return (DATA / "renderings.json").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def renderings(renderings_text: str) -> list:
    return json.loads(renderings_text)


@pytest.fixture(scope="session")
def lines(renderings: list) -> str:
    return "\n".join(json.dumps(r) for r in renderings)
