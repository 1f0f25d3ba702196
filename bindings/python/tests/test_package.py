"""The package: version, exports, and stubs that match the module."""

import ast
import importlib.metadata
import pathlib

import unisono
import unisono._unisono as native


def test_version_is_the_distributions():
    assert unisono.__version__ == importlib.metadata.version("unisono")


def test_exports():
    for name in unisono.__all__:
        assert hasattr(unisono, name), name
    assert issubclass(unisono.CatalogError, unisono.UnisonoError)
    assert issubclass(unisono.InputError, ValueError)


def test_stubs_and_typed_marker_ship_with_the_package():
    root = pathlib.Path(unisono.__file__).parent
    assert (root / "py.typed").exists()
    stubs = ast.parse((root / "_unisono.pyi").read_text(encoding="utf-8"))
    classes = [n for n in stubs.body if isinstance(n, ast.ClassDef)]
    assert {c.name for c in classes} == {
        "Catalog", "Offer", "Policy", "Validator", "Report", "Summary", "Finding"
    }
    for cls in classes:
        runtime = getattr(native, cls.name)
        assert runtime.__doc__, cls.name
        for member in cls.body:
            if isinstance(member, ast.FunctionDef) and member.name != "__init__":
                assert hasattr(runtime, member.name), f"{cls.name}.{member.name}"
