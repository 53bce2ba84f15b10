"""Re-execute stored notebooks in place (their outputs are what students see and nbval compares).

Each notebook runs with nbclient in its own folder, importing this checkout's
``bptt``; volatile metadata is stripped afterwards (tools.clean_notebooks).

Usage::

    python -m tools.run_notebooks chapters/bptt.ipynb solutions/adam.ipynb
    python -m tools.run_notebooks --all          # every chapter and solution
"""

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.clean_notebooks import strip_volatile

ROOT = Path(__file__).resolve().parent.parent


def run(path, timeout=600):
    """Execute ``path`` in place; raise nbclient's CellExecutionError on a failing cell."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    strip_volatile(nb)
    nbformat.write(nb, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.run_notebooks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument(
        "--all", action="store_true", help="every notebook in chapters/ and solutions/"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks + (
        sorted((ROOT / "chapters").glob("*.ipynb"))
        + sorted((ROOT / "solutions").glob("*.ipynb"))
        if args.all
        else []
    )
    if not paths:
        parser.error("name notebooks or pass --all")
    for path in paths:
        print(f"running {path}", flush=True)
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
