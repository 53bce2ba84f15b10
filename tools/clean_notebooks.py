"""Strip volatile metadata (execution timestamps) from the stored notebooks.

`jupyter nbconvert --execute` and Jupyter itself record when each cell ran
(``metadata.execution`` with iopub timestamps, or ``ExecuteTime``); stored in
git, they make every re-run a diff of the whole notebook and tell students
nothing.  This tool removes them from chapters/ and solutions/; exercises/ are
written clean by tools/make_exercises.py.

Usage::

    python -m tools.clean_notebooks           # strip in place
    python -m tools.clean_notebooks --check   # exit 1 if a notebook carries any
"""

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("chapters", "solutions", "exercises")
# Cell metadata keys written by running a notebook, never by its author.
VOLATILE_CELL_KEYS = ("execution", "ExecuteTime")


def strip_volatile(nb):
    """Remove volatile cell metadata from ``nb`` in place; return how many keys were removed."""
    removed = 0
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            if key in cell.metadata:
                del cell.metadata[key]
                removed += 1
    return removed


def notebooks(root=ROOT):
    return sorted(
        p for folder in FOLDERS for p in (Path(root) / folder).glob("*.ipynb")
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if a notebook carries volatile metadata",
    )
    args = parser.parse_args(argv)
    dirty = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        if strip_volatile(nb):
            dirty.append(path)
            if not args.check:
                nbformat.write(nb, path)
    for path in dirty:
        verb = "carries execution metadata" if args.check else "cleaned"
        print(
            f"{path.relative_to(ROOT)}: {verb}",
            file=sys.stderr if args.check else sys.stdout,
        )
    if args.check and dirty:
        print("run: python -m tools.clean_notebooks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
