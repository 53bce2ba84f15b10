"""Course-wide pytest hook: find nbval's sanitize file wherever pytest is run from.

pyproject.toml's addopts pass ``--nbval-sanitize-with tests/nbval_sanitize.cfg``,
a path nbval opens relative to the *working directory*, so
``cd /tmp && pytest --nbval --nbval-current-env /path/to/course/solutions``
failed with FileNotFoundError.  A relative path that does not exist from the
working directory is read relative to the directory of the configuration file
(pytest's rootdir) instead.  This file sits in that directory, so pytest loads it
for any notebook path inside the course.
"""

from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    name = getattr(config.option, "nbval_sanitize_with", None)
    if not name or Path(name).is_absolute() or Path(name).exists():
        return
    base = config.inipath.parent if config.inipath else config.rootpath
    if (base / name).exists():
        config.option.nbval_sanitize_with = str(base / name)


# Test tiers (pyproject.toml registers the markers): `make check` runs the unit tier only.
SITE_FILES = ("test_site_", "test_explorer_browser", "test_jupyterlab_browser")
NOTEBOOK_FILES = ("test_rounding_robust", "test_nbval_anywhere")


def _tier(item):
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb" or path.stem.startswith(NOTEBOOK_FILES):
        return "notebooks"
    if path.stem.startswith(SITE_FILES) or {"built_site", "browser", "site_url"} & set(
        item.fixturenames
    ):
        return "site"
    if path.stem.startswith("test_grade"):
        return "grader"
    return "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(_tier(item))
