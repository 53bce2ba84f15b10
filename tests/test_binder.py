"""Binder environment (binder/): CPU-only torch, same pins as requirements.txt, installs bptt."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_binder_uses_the_cpu_torch_wheel():
    text = (BINDER / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    assert _pins(BINDER / "requirements.txt")["torch"].endswith("+cpu")


def test_binder_pins_match_requirements():
    root, binder = _pins(ROOT / "requirements.txt"), _pins(BINDER / "requirements.txt")
    assert binder, "binder/requirements.txt pins nothing"
    for name, version in binder.items():
        assert name in root, f"binder pins {name} which requirements.txt does not"
        assert version.split("+")[0] == root[name], (
            f"{name}: binder {version} vs requirements {root[name]}"
        )
    for needed in ("numpy", "torch", "matplotlib", "ipywidgets"):
        assert needed in binder, f"binder/requirements.txt lacks {needed}"


def test_binder_installs_the_package():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    assert re.search(r"pip install .*-e \.", post.read_text())


def _imported_modules(notebook):
    import nbformat

    names = set()
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            names |= set(
                re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", cell.source, re.M)
            )
    return names


def test_binder_provides_every_package_the_notebooks_import():
    import sys
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()  # top-level module -> distributions
    binder = set(_pins(BINDER / "requirements.txt"))
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "solutions").glob("*.ipynb")
    )
    for notebook in notebooks:
        for module in (
            _imported_modules(notebook)
            - set(sys.stdlib_module_names)
            - {"bptt", "IPython"}
        ):
            provided_by = {d.lower() for d in distributions.get(module, [module])}
            assert provided_by & binder, (
                f"{notebook.name} imports {module}, which binder/requirements.txt does not pin"
            )
