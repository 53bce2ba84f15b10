"""The house rules of the package that review keeps having to restate.

* no module of ``bptt`` imports another module's private names (``_name``):
  what two modules share gets a public name in one home;
* every module of ``bptt`` stays under 400 lines.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "bptt").rglob("*.py"))
GETTEXT = {"_", "N_"}  # bptt.i18n's markers, public by convention


def private_imports(source):
    """[(module, name)] of private names imported from bptt's own modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            ours = node.level > 0 or (node.module or "").split(".")[0] == "bptt"
            found += [
                (node.module, a.name)
                for a in node.names
                if ours and a.name.startswith("_") and a.name not in GETTEXT
            ]
    return found


@pytest.mark.parametrize(
    "path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES]
)
def test_no_private_names_cross_modules(path):
    assert private_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES]
)
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, (
        f"{path.relative_to(ROOT)} has {lines} lines: split it by concern"
    )


def test_the_rule_sees_a_private_import():
    assert private_imports("from .operator import _layer_case, WEIGHTS") == [
        ("operator", "_layer_case")
    ]
    assert private_imports("from ..i18n import N_, _\nfrom numpy import _x") == []
