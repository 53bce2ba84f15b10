"""Shared pytest fixtures.

``built_site``: the book built strictly (``jupyter-book build <repo> -W -n
--keep-going``) into a temporary directory, once per test session; returns the
path of the html folder.  Any build failure fails the fixture (and every test
that uses it) with the end of the build log; nothing is skipped.  The build
needs the vendored site assets (``make install`` or ``npm ci && python -m
tools.vendor_assets``).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _jupyter_book():
    local = Path(sys.executable).with_name("jupyter-book")
    return str(local) if local.exists() else (shutil.which("jupyter-book") or "jupyter-book")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Path of ``_build/html`` of a fresh strict build of the book."""
    if not (ROOT / "vendor").is_dir():
        pytest.fail("vendor/ is missing: run `make install` (npm ci && python -m tools.vendor_assets) before building the site")
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    cmd = [_jupyter_book(), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists():
        pytest.fail(
            f"strict book build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"--- stdout (end) ---\n{proc.stdout[-6000:]}\n--- stderr (end) ---\n{proc.stderr[-6000:]}"
        )
    return html
