"""Shared pytest fixtures.

``built_site``: the book built strictly (``jupyter-book build -W -n --keep-going``,
exactly like ``make book``) into a temporary directory, once per test session.
It returns the ``_build/html`` directory as a ``pathlib.Path``.  Any test that
needs the site asks for it; a failed build fails those tests with the build's
own output (and the execution reports of notebooks that raised).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tail(text, lines=60):
    return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the book strictly into a fresh temporary directory; return its html dir."""
    mathjax = ROOT / "vendor" / "mathjax" / "tex-mml-chtml.js"
    if not mathjax.exists():
        pytest.fail(
            f"{mathjax.relative_to(ROOT)} is missing: the site serves its own JavaScript from "
            "vendor/, which `make install` creates (npm ci, then python -m tools.vendor_assets)",
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ)
    # Notebook kernels must import this checkout's `bptt`, not another install.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [
        sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
        "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists():
        reports = sorted((html / "reports").glob("**/*.err.log")) if html.exists() else []
        details = "\n".join(f"--- {r.name}\n{_tail(r.read_text())}" for r in reports)
        pytest.fail(
            f"strict book build failed (exit {proc.returncode}): {' '.join(cmd[3:])}\n"
            f"{_tail(proc.stdout + proc.stderr)}\n{details}",
            pytrace=False,
        )
    return html
