"""unisono's C ABI from Python, with ctypes only: every function and every error path.

    UNISONO_FFI_LIB=target/release/libunisono_ffi.so python3 -m unittest ffi/clients/python/test_unisono.py -v

CI runs it through ffi/clients/run.sh.
"""

import ctypes
import json
import os
import pathlib
import threading
import unittest

HERE = pathlib.Path(__file__).resolve().parent
DATA = pathlib.Path(os.environ.get("UNISONO_DATA", HERE.parents[2] / "examples" / "data"))
CATALOG = (DATA / "catalog.json").read_bytes()
RENDERINGS = (DATA / "renderings.json").read_bytes()
POLICY = (DATA / "policy.json").read_bytes()
AT = b"2026-11-28T10:00:00+01:00"


def load_library(path):
    """The library with its signatures. Strings come back as c_void_p, not c_char_p: ctypes would
    copy a c_char_p into bytes and lose the pointer that unisono_string_free needs."""
    lib = ctypes.CDLL(path)
    lib.unisono_version.argtypes = []
    lib.unisono_version.restype = ctypes.c_void_p
    lib.unisono_catalog_load.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
    lib.unisono_catalog_load.restype = ctypes.c_void_p
    lib.unisono_validate.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    lib.unisono_validate.restype = ctypes.c_void_p
    lib.unisono_offer.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.unisono_offer.restype = ctypes.c_void_p
    lib.unisono_offer_for.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.unisono_offer_for.restype = ctypes.c_void_p
    lib.unisono_catalog_free.argtypes = [ctypes.c_void_p]
    lib.unisono_catalog_free.restype = None
    lib.unisono_string_free.argtypes = [ctypes.c_void_p]
    lib.unisono_string_free.restype = None
    return lib


LIB = load_library(os.environ["UNISONO_FFI_LIB"])


def take(pointer):
    """The text of a string unisono returned; the string is freed."""
    assert pointer, "unisono returned NULL"
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        LIB.unisono_string_free(pointer)


def load(data):
    """(handle, None) or (None, error document)."""
    error = ctypes.c_void_p()
    handle = LIB.unisono_catalog_load(data, len(data) if data is not None else 0, ctypes.byref(error))
    if handle:
        assert not error.value, "no error document on success"
        return handle, None
    return None, json.loads(take(error.value))


def validate(handle, renderings, policy=None, renderings_len=None, policy_len=None):
    if renderings_len is None:
        renderings_len = len(renderings) if renderings is not None else 0
    if policy_len is None:
        policy_len = len(policy) if policy is not None else 0
    return json.loads(take(LIB.unisono_validate(handle, renderings, renderings_len, policy, policy_len)))


def offer(handle, sku, channel, at):
    return json.loads(take(LIB.unisono_offer(handle, sku, channel, at)))


class Version(unittest.TestCase):
    def test_version(self):
        self.assertEqual(take(LIB.unisono_version()), "0.1.0")


class CatalogLoad(unittest.TestCase):
    def test_the_demo_loads(self):
        handle, error = load(CATALOG)
        self.assertIsNone(error)
        self.assertTrue(handle)
        LIB.unisono_catalog_free(handle)

    def test_null_json(self):
        _, error = load(None)
        self.assertEqual(error["error"]["kind"], "null_argument")
        self.assertEqual(error["error"]["argument"], "json")

    def test_invalid_utf8(self):
        _, error = load(b'{"markets": "\xe9"}')
        self.assertEqual(error["error"]["kind"], "invalid_utf8")
        self.assertEqual(error["error"]["offset"], 13)

    def test_not_json_has_line_column_and_path(self):
        _, error = load(b'{"markets": [\n{"id": "IT", "currency": 5}]}')
        e = error["error"]
        self.assertEqual((e["kind"], e["path"], e["line"]), ("catalog_syntax", "markets[0].currency", 2))
        self.assertIsInstance(e["column"], int)

    def test_an_invalid_catalog_lists_every_problem(self):
        _, error = load(json.dumps({
            "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
            "products": [{"sku": "A", "title": "A"}],
            "prices": [{"sku": "A", "market": "IT", "amount": "12.345 EUR", "from": "2026-01-01T00:00:00"},
                       {"sku": "B", "market": "IT", "amount": "5.00 EUR", "from": "2026-01-01T00:00:00Z"}],
        }).encode())
        e = error["error"]
        self.assertEqual(e["kind"], "catalog_invalid")
        self.assertEqual(
            [(p["path"], p["kind"]) for p in e["problems"]],
            [("prices[0].amount", "money"), ("prices[0].from", "time"), ("prices[1].sku", "unknown_reference")])
        self.assertTrue(e["message"].startswith("the catalog has 3 problems:"))

    def test_no_error_out_parameter(self):
        self.assertIsNone(LIB.unisono_catalog_load(b"{]", 2, None))

    def test_a_length_no_slice_can_have(self):
        _, error = load_with_len(b"{}", 2**63)
        self.assertEqual(error["error"]["kind"], "invalid_argument")


def load_with_len(data, length):
    error = ctypes.c_void_p()
    handle = LIB.unisono_catalog_load(data, length, ctypes.byref(error))
    return handle, json.loads(take(error.value)) if not handle else None


class Validate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.handle, _ = load(CATALOG)

    @classmethod
    def tearDownClass(cls):
        LIB.unisono_catalog_free(cls.handle)

    def test_the_demo_report(self):
        report = validate(self.handle, RENDERINGS, POLICY)
        self.assertEqual(report["version"], 1)
        self.assertEqual(report["summary"]["renderings"], 51)
        self.assertEqual(report["summary"]["claims"], 155)
        self.assertEqual(
            report["summary"]["errors"],
            sum(f["severity"] == "error" for f in report["findings"]))
        rules = {f["rule"] for f in report["findings"]}
        self.assertIn("reference.not_lowest_prior", rules)
        self.assertIn("stock.bait_advertising", rules)

    def test_without_a_policy_every_channel_kind_must_agree(self):
        default = validate(self.handle, RENDERINGS)
        narrowed = validate(self.handle, RENDERINGS, POLICY)
        cross = lambda r: sum(f["rule"] == "cross.price_divergence" for f in r["findings"])
        self.assertGreater(cross(default), cross(narrowed))

    def test_json_lines(self):
        lines = b"\n".join(json.dumps(r).encode() for r in json.loads(RENDERINGS)) + b"\n"
        self.assertEqual(validate(self.handle, lines, POLICY), validate(self.handle, RENDERINGS, POLICY))

    def test_a_product_page(self):
        page = [{"id": "page", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": AT.decode()},
                 "claims": [{"price": "729.00 EUR", "source": ".price"}, {"percent_off": "20"}]}]
        findings = validate(self.handle, json.dumps(page).encode())["findings"]
        self.assertEqual([(f["rule"], f["claim"]) for f in findings],
                         [("price.mismatch", 0), ("reference.missing", 1)])
        self.assertEqual((findings[0]["expected"], findings[0]["found"], findings[0]["source"]),
                         ("719.20 EUR", "729.00 EUR", ".price"))

    def test_a_loyalty_tier_price(self):
        # The demo's ESPRESSO-M1 on the web: 249.00, -50.00 for everyone, -15% for the tier "oro".
        buyer = json.dumps({"tier": "oro"}).encode()
        document = json.loads(take(LIB.unisono_offer_for(
            self.handle, b"ESPRESSO-M1", b"web-it", AT, buyer)))
        self.assertEqual((document["price"], document["tier_price"]["price"]), ("199.00 EUR", "169.15 EUR"))
        plain = json.loads(take(LIB.unisono_offer_for(self.handle, b"ESPRESSO-M1", b"web-it", AT, None)))
        self.assertEqual(plain, offer(self.handle, b"ESPRESSO-M1", b"web-it", AT))
        wrong = json.loads(take(LIB.unisono_offer_for(self.handle, b"ESPRESSO-M1", b"web-it", AT, b"{\"tier\": 1}")))
        self.assertEqual(wrong["error"]["kind"], "invalid_buyer")

    def test_null_handle(self):
        self.assertEqual(validate(None, b"[]")["error"]["kind"], "invalid_handle")

    def test_a_pointer_that_is_not_a_handle(self):
        not_a_handle = ctypes.c_int(7)
        e = validate(ctypes.addressof(not_a_handle), b"[]")["error"]
        self.assertEqual((e["kind"], e["argument"]), ("invalid_handle", "catalog"))
        self.assertEqual(not_a_handle.value, 7)

    def test_null_renderings(self):
        e = validate(self.handle, None)["error"]
        self.assertEqual((e["kind"], e["argument"]), ("null_argument", "renderings"))

    def test_renderings_not_utf8(self):
        e = validate(self.handle, b'[{"id": "\xff"}]')["error"]
        self.assertEqual((e["kind"], e["argument"], e["offset"]), ("invalid_utf8", "renderings", 9))

    def test_renderings_too_long(self):
        e = validate(self.handle, b"[]", renderings_len=2**63)["error"]
        self.assertEqual((e["kind"], e["argument"]), ("invalid_argument", "renderings"))

    def test_bad_renderings(self):
        e = validate(self.handle, b'[{"id": "a", "channel": "web-it", "sku": "X",\n "shown": {"at": "2026-11-28T10:00:00"}}]')["error"]
        self.assertEqual((e["kind"], e["line"], e["path"]), ("renderings_syntax", 2, "[0].shown.at"))

    def test_bad_policy_json(self):
        e = validate(self.handle, b"[]", b'{"severity": {"price.missmatch": "allow"}}')["error"]
        self.assertEqual((e["kind"], e["line"]), ("policy_invalid", 1))
        self.assertIn("price.missmatch", e["message"])

    def test_policy_out_of_range_is_placed_at_its_key(self):
        e = validate(self.handle, b"[]", b'{"title_min_similarity": 1.5}')["error"]
        self.assertEqual((e["kind"], e["path"]), ("policy_invalid", "title_min_similarity"))
        self.assertEqual((e["line"], e["column"]), (1, 2))
        self.assertIn("1.5 is not between 0 and 1", e["message"])

    def test_policy_not_utf8(self):
        e = validate(self.handle, b"[]", b'{"\xfe": 1}')["error"]
        self.assertEqual((e["kind"], e["argument"]), ("invalid_utf8", "policy"))

    def test_threads_share_the_handle(self):
        expected = take(LIB.unisono_validate(self.handle, RENDERINGS, len(RENDERINGS), POLICY, len(POLICY)))
        results, failures = [], []

        def work():
            try:
                for _ in range(3):
                    results.append(take(LIB.unisono_validate(
                        self.handle, RENDERINGS, len(RENDERINGS), POLICY, len(POLICY))))
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(len(results), 12)
        self.assertTrue(all(r == expected for r in results))


class Offer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.handle, _ = load(CATALOG)

    @classmethod
    def tearDownClass(cls):
        LIB.unisono_catalog_free(cls.handle)

    def test_the_offer(self):
        o = offer(self.handle, b"LAPTOP-14", b"web-it", AT)
        self.assertEqual(
            (o["price"], o["prior_price"], o["promotions"], o["available"], o["valid_until"]),
            ("719.20 EUR", "899.00 EUR", ["BF26"], 8, "2026-12-01T00:00:00+01:00"))

    def check_error(self, args, kind, **fields):
        e = offer(*args)["error"]
        self.assertEqual(e["kind"], kind)
        self.assertTrue(e["message"])
        for field, value in fields.items():
            self.assertEqual(e[field], value, field)

    def test_errors(self):
        h = self.handle
        self.check_error((None, b"LAPTOP-14", b"web-it", AT), "invalid_handle")
        self.check_error((h, None, b"web-it", AT), "null_argument", argument="sku")
        self.check_error((h, b"LAPTOP-14", None, AT), "null_argument", argument="channel")
        self.check_error((h, b"LAPTOP-14", b"web-it", None), "null_argument", argument="at")
        self.check_error((h, b"LAPTOP-14", b"web-\xe9", AT), "invalid_utf8", argument="channel", offset=4)
        self.check_error((h, b"LAPTOP-14", b"web-it", b"tomorrow"), "invalid_instant", argument="at")
        self.check_error((h, b"LAPTOP-14", b"web-it", b"2026-11-28T10:00:00"), "invalid_instant")
        self.check_error((h, b"NOPE", b"web-it", AT), "unknown_product", sku="NOPE")
        self.check_error((h, b"LAPTOP-14", b"fax-it", AT), "unknown_channel", channel="fax-it")
        self.check_error((h, b"FRAGOLE-500", b"web-it", AT), "not_listed", sku="FRAGOLE-500", channel="web-it")
        self.check_error((h, b"EARBUDS-PRO", b"web-it", b"2026-11-01T10:00:00+01:00"), "no_price",
                         sku="EARBUDS-PRO", at="2026-11-01T10:00:00+01:00")


class Ownership(unittest.TestCase):
    def test_a_freed_handle_is_refused_and_a_second_free_ignored(self):
        handle, _ = load(CATALOG)
        LIB.unisono_catalog_free(handle)
        self.assertEqual(validate(handle, b"[]")["error"]["kind"], "invalid_handle")
        self.assertEqual(offer(handle, b"LAPTOP-14", b"web-it", AT)["error"]["kind"], "invalid_handle")
        LIB.unisono_catalog_free(handle)
        LIB.unisono_catalog_free(None)

    def test_strings_are_freed_once(self):
        pointer = LIB.unisono_version()
        self.assertEqual(ctypes.string_at(pointer), b"0.1.0")
        LIB.unisono_string_free(pointer)
        LIB.unisono_string_free(pointer)  # ignored: nothing was handed out in between
        LIB.unisono_string_free(None)

    def test_a_foreign_string_is_not_freed(self):
        buffer = ctypes.create_string_buffer(b"{}")
        LIB.unisono_string_free(ctypes.addressof(buffer))
        self.assertEqual(buffer.value, b"{}")


if __name__ == "__main__":
    unittest.main()
