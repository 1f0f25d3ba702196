"""Validation: inputs, the report's objects, errors, the policy, the GIL."""

import datetime as dt
import json
import threading

import pytest

import unisono


@pytest.fixture(scope="module")
def validator(catalog, policy):
    return unisono.Validator(catalog, policy)


@pytest.fixture(scope="module")
def report(validator, renderings_text):
    return validator.validate(renderings_text)


def test_the_demo_report(report, renderings):
    summary = report.summary
    assert summary.renderings == len(renderings) == 51
    assert summary.claims == sum(len(r.get("claims", [])) for r in renderings)
    severities = [f.severity for f in report.findings]
    assert (summary.errors, summary.warnings, summary.infos) == (
        severities.count("error"),
        severities.count("warning"),
        severities.count("info"),
    )
    assert summary.errors > 0 and report.has_errors
    assert len(report) == len(report.findings)


def test_findings_have_the_contract_fields(report):
    mismatch = next(f for f in report.findings if f.rule == "price.mismatch")
    assert mismatch.severity == "error"
    assert mismatch.rendering == "newsletter-48/hero"
    assert mismatch.renderings == []
    assert (mismatch.channel, mismatch.sku, mismatch.claim) == ("email-it", "LAPTOP-14", 0)
    assert mismatch.at == dt.datetime(2026, 11, 27, 7, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert (mismatch.expected, mismatch.found) == ("719.20 EUR", "729.00 EUR")
    assert mismatch.message == "email-it shows 729.00 EUR; the catalog's price is 719.20 EUR"
    assert mismatch.explanation == [
        "price 899.00 EUR (IT, from 2026-01-01)",
        "promotion BF26 -20% -> 719.20 EUR",
    ]


def test_cross_channel_findings_name_every_rendering(report):
    cross = [f for f in report.findings if f.rule == "cross.price_divergence"]
    assert cross
    for finding in cross:
        assert finding.rendering is None
        assert len(finding.renderings) >= 2
        assert "renderings" in finding.to_dict() and "rendering" not in finding.to_dict()


def test_to_json_is_the_contract_document(report):
    document = json.loads(report.to_json())
    assert document["version"] == 1
    assert document["summary"] == report.summary.to_dict()
    assert [f["rule"] for f in document["findings"]] == [f.rule for f in report.findings]
    first = document["findings"][0]
    assert list(first)[:3] == ["rule", "severity", "rendering" if "rendering" in first else "renderings"]
    as_dict = report.to_dict()
    assert as_dict["summary"] == document["summary"]
    assert len(as_dict["findings"]) == len(document["findings"])


def test_every_input_form_gives_the_same_report(validator, report, renderings, lines):
    expected = report.to_json()
    assert validator.validate(lines).to_json() == expected
    assert validator.validate(lines.encode()).to_json() == expected
    assert validator.validate(renderings).to_json() == expected
    assert validator.validate(iter(renderings)).to_json() == expected


def test_dicts_may_hold_aware_datetimes(validator, renderings, report):
    def with_datetimes(r):
        r = json.loads(json.dumps(r))
        r["shown"] = {k: dt.datetime.fromisoformat(v) for k, v in r["shown"].items()}
        return r

    assert validator.validate([with_datetimes(r) for r in renderings]).to_json() == report.to_json()


def test_naive_datetimes_in_dicts_are_refused(validator, renderings):
    r = json.loads(json.dumps(renderings[0]))
    r["shown"] = {"at": dt.datetime(2026, 11, 28, 10)}
    with pytest.raises(ValueError, match="naive"):
        validator.validate([r])


def test_one_thread_gives_the_same_report(catalog, policy, lines, report):
    assert unisono.Validator(catalog, policy, threads=1).validate(lines).to_json() == report.to_json()


def test_the_default_policy_differs_from_the_demos(catalog, lines, report):
    default = unisono.Validator(catalog).validate(lines)
    assert unisono.Validator(catalog, unisono.Policy()).validate(lines).to_json() == default.to_json()
    assert default.to_json() != report.to_json()


def test_a_policy_can_turn_a_rule_off(catalog, lines):
    off = unisono.Policy.from_json('{"severity": {"price.mismatch": "allow"}}')
    rules = {f.rule for f in unisono.Validator(catalog, off).validate(lines).findings}
    assert "price.mismatch" not in rules
    assert "price.mismatch" in {f.rule for f in unisono.Validator(catalog).validate(lines).findings}


def test_policy_errors_name_the_place():
    with pytest.raises(unisono.PolicyError) as caught:
        unisono.Policy.from_json('{\n "low_stock_threshold": "five"}')
    error = caught.value
    assert (error.line, error.path) == (2, "low_stock_threshold")
    assert error.column > 0


BAD_LINE = (
    '{"id": "b", "channel": "web-it", "sku": "X", '
    '"shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": 5}]}'
)


def test_input_errors_in_text_name_line_column_and_path(validator, lines):
    first = lines.split("\n")[0]
    with pytest.raises(unisono.InputError) as caught:
        validator.validate(first + "\n" + BAD_LINE)
    error = caught.value
    assert (error.line, error.path) == (2, "claims[0].price")
    assert error.column > 0
    assert str(error).startswith("2:")


def test_input_errors_in_a_list_name_the_item(validator, renderings):
    with pytest.raises(unisono.InputError) as caught:
        validator.validate([renderings[0], json.loads(BAD_LINE)])
    error = caught.value
    assert (error.line, error.column, error.path) == (None, None, "[1].claims[0].price")


def test_input_error_messages_are_bounded(validator):
    long_id = "x" * 5000
    with pytest.raises(unisono.InputError) as caught:
        validator.validate('{"id": "' + long_id + '", "nonsense": 1}')
    assert len(str(caught.value)) <= 201


def test_a_single_dict_is_a_type_error(validator, renderings):
    with pytest.raises(TypeError):
        validator.validate(renderings[0])


def test_the_gil_is_released_while_validating(catalog, policy, renderings):
    # While a thread validates, this one runs: with the GIL held it could not run until the end.
    # No figure is asserted, only that the two overlapped. Shelf labels and flyers only: the demo
    # policy does not compare their prices across renderings, so copies make no cross findings.
    local = [r for r in renderings if r["channel"].startswith(("store-", "print-"))]
    big = "\n".join(json.dumps(r) for r in local * 2000)
    validator = unisono.Validator(catalog, policy, threads=1)
    started = threading.Event()
    outcome = {}

    def work():
        started.set()
        outcome["report"] = validator.validate(big)

    thread = threading.Thread(target=work)
    thread.start()
    started.wait()
    ticks = 0
    while thread.is_alive():
        ticks += 1
    thread.join()
    assert outcome["report"].summary.renderings == len(local) * 2000
    assert ticks > 0


def test_validators_are_shared_between_threads(validator, lines, report):
    results = [None] * 4

    def work(i):
        results[i] = validator.validate(lines).to_json()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [report.to_json()] * 4
