"""Give every notebook that imports `bptt` a first code cell that installs it.

On Colab (or any fresh kernel) the course package is not installed, so a
notebook opened with the site's Colab button would fail at `import bptt`.
The cell below installs it from the course repository when the import fails
and does nothing otherwise.  It is tagged

* ``colab-install`` -- how this tool recognises it (it also recognises an
  untagged cell that pip-installs bptt, e.g. one written by hand),
* ``remove-cell``   -- hidden on the website,
* ``nbval-skip``    -- nbval never runs it (the tag only: a ``# NBVAL_SKIP``
  comment as well makes nbval warn about overlapping options).

The repository URL is read from ``repository: url:`` in ``_config.yml`` (the one
place that names it) and the branch from ``repository: branch:``.

Usage (from the repository root)::

    python -m tools.colab_cell            # insert / update the cell everywhere
    python -m tools.colab_cell --check    # exit 1 and list notebooks that need it

Running it twice changes nothing the second time.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("chapters", "solutions")
TAG = "colab-install"
TAGS = [TAG, "remove-cell", "nbval-skip"]
CELL_ID = "colab-install"

IMPORTS_BPTT = re.compile(
    r"^\s*(import\s+bptt\b|from\s+bptt(\.\w+)*\s+import\b)", re.MULTILINE
)


def repository(root=ROOT):
    """(url, branch) of the course repository from ``_config.yml``."""
    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    url = repo.get("url")
    if not url:
        raise ValueError(
            "_config.yml: `repository: url:` is missing; the Colab cell needs it"
        )
    return url.rstrip("/"), repo.get("branch", "main")


def cell_source(url, branch):
    """The exact source of the install cell for repository ``url`` at ``branch``."""
    return (
        "# Colab or a fresh kernel: install the course package `bptt` if it is missing.\n"
        "# (Hidden on the website, skipped by nbval; kept up to date by tools/colab_cell.py.)\n"
        "try:\n"
        "    import bptt\n"
        "except ImportError:\n"
        f'    %pip install --quiet "bptt @ git+{url}@{branch}"'
    )


def is_install_cell(cell):
    """True for a cell tagged ``colab-install`` or any code cell that pip-installs bptt."""
    if cell.get("cell_type") != "code":
        return False
    if TAG in cell.get("metadata", {}).get("tags", []):
        return True
    src = cell.get("source", "")
    return re.search(r"pip install\b.*\bbptt\b", src) is not None


def imports_bptt(nb):
    """True if a code cell other than the install cell imports the package."""
    return any(
        cell.cell_type == "code"
        and not is_install_cell(cell)
        and IMPORTS_BPTT.search(cell.source)
        for cell in nb.cells
    )


def wanted_cell(url, branch):
    cell = nbformat.v4.new_code_cell(cell_source(url, branch))
    cell.id = CELL_ID
    cell.metadata["tags"] = list(TAGS)
    return cell


def insert_index(nb):
    """Just before the first code cell (the title cell stays first)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            return i
    return len(nb.cells)


def fix(nb, url, branch):
    """Insert or update the install cell in ``nb`` in place; True if it changed."""
    if not imports_bptt(nb):
        return False
    present = [i for i, c in enumerate(nb.cells) if is_install_cell(c)]
    wanted = wanted_cell(url, branch)
    if present == [insert_index(nb)]:  # one install cell, and it is the first code cell
        cell = nb.cells[present[0]]
        tags = cell.metadata.get("tags", [])
        if (
            cell.source == wanted.source
            and all(t in tags for t in TAGS)
            and not cell.get("outputs")
        ):
            return False
        cell.source = wanted.source
        cell.metadata["tags"] = tags + [t for t in TAGS if t not in tags]
        cell.outputs = []
        cell.execution_count = None
        return True
    for i in reversed(present):
        del nb.cells[i]
    ids = {c.get("id") for c in nb.cells}
    if CELL_ID in ids:  # keep ids unique (nbformat 4.5)
        wanted.id = f"{CELL_ID}-{len(ids)}"
    nb.cells.insert(insert_index(nb), wanted)
    return True


def problems(nb, url, branch):
    """What is wrong with the install cell of ``nb`` (empty list = fine)."""
    if not imports_bptt(nb):
        return []
    present = [i for i, c in enumerate(nb.cells) if is_install_cell(c)]
    if not present:
        return ["imports bptt but has no install cell"]
    out = []
    if len(present) > 1:
        out.append(f"{len(present)} install cells (want 1)")
    cell = nb.cells[present[0]]
    first_code = insert_index(nb)
    if present[0] != first_code:
        out.append(
            f"install cell is cell {present[0]}, not the first code cell ({first_code})"
        )
    if cell.source != cell_source(url, branch):
        out.append("install cell source is outdated (run python -m tools.colab_cell)")
    missing = [t for t in TAGS if t not in cell.metadata.get("tags", [])]
    if missing:
        out.append(f"install cell lacks tags {missing}")
    return out


def notebooks(root=ROOT):
    return sorted(
        p
        for folder in FOLDERS
        for p in (Path(root) / folder).glob("**/*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report, exit 1 on problems"
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="notebooks (default: chapters/, solutions/)"
    )
    args = parser.parse_args(argv)
    url, branch = repository()
    bad = 0
    for path in args.paths or notebooks():
        nb = nbformat.read(path, as_version=4)
        if args.check:
            for problem in problems(nb, url, branch):
                print(f"{path}: {problem}")
                bad += 1
        elif fix(nb, url, branch):
            nbformat.write(nb, path)
            print(f"colab_cell: updated {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
