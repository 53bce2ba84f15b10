"""Stored notebooks carry no execution timestamps (tools/clean_notebooks.py strips them)."""

import nbformat
import pytest

from tools.clean_notebooks import ROOT, notebooks, strip_volatile

NOTEBOOKS = notebooks()


def test_every_folder_has_notebooks():
    assert {p.parent.name for p in NOTEBOOKS} == {"chapters", "solutions", "exercises"}


@pytest.mark.parametrize(
    "path", NOTEBOOKS, ids=[f"{p.parent.name}:{p.name}" for p in NOTEBOOKS]
)
def test_no_volatile_metadata(path):
    nb = nbformat.read(path, as_version=4)
    assert strip_volatile(nb) == 0, (
        f"{path.relative_to(ROOT)}: run python -m tools.clean_notebooks"
    )


def test_strip_volatile_finds_timestamps():
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["execution"] = {"iopub.status.idle": "2026-11-30T05:02:48.345301Z"}
    cell.metadata["tags"] = ["keep"]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert strip_volatile(nb) == 1 and nb.cells[0].metadata == {"tags": ["keep"]}
