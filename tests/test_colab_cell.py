"""Colab install cell: every notebook that imports bptt has it; the tool is idempotent."""

import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import colab_cell

URL, BRANCH = colab_cell.repository()


@pytest.mark.parametrize(
    "path", colab_cell.notebooks(), ids=lambda p: str(p.relative_to(colab_cell.ROOT))
)
def test_every_notebook_importing_bptt_has_the_install_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert colab_cell.problems(nb, URL, BRANCH) == [], (
        f"{path.name}: run `python -m tools.colab_cell` to insert/update the Colab install cell"
    )


def _notebook():
    return new_notebook(
        cells=[
            new_markdown_cell("(x)=\n# Title"),
            new_code_cell("import numpy as np"),
            new_code_cell("from bptt import rnn_forward\nprint(1)"),
        ]
    )


def test_cell_installs_from_the_configured_repository():
    src = colab_cell.cell_source(URL, BRANCH)
    assert "NBVAL_SKIP" not in src  # the nbval-skip tag does it; both make nbval warn
    assert f"git+{URL}@{BRANCH}" in src
    assert "except ImportError:" in src
    # IPython turns the indented %pip line into a call; the result must compile.
    from IPython.core.inputtransformer2 import TransformerManager

    python = TransformerManager().transform_cell(src)
    assert "run_line_magic('pip'" in python
    compile(python, "<cell>", "exec")


def test_insert_before_first_code_cell_with_tags():
    nb = _notebook()
    assert colab_cell.fix(nb, URL, BRANCH) is True
    cell = nb.cells[1]
    assert cell.source == colab_cell.cell_source(URL, BRANCH)
    assert {"colab-install", "remove-cell", "nbval-skip"} <= set(cell.metadata["tags"])
    assert nb.cells[0].cell_type == "markdown"
    assert colab_cell.problems(nb, URL, BRANCH) == []
    nbformat.validate(nb)


def test_idempotent():
    nb = _notebook()
    colab_cell.fix(nb, URL, BRANCH)
    once = copy.deepcopy(nb)
    assert colab_cell.fix(nb, URL, BRANCH) is False
    assert nb == once


def test_updates_an_outdated_cell_tagged_colab_install_and_keeps_other_tags():
    nb = _notebook()
    old = new_code_cell("# NBVAL_SKIP\n!pip install bptt-old")
    old.metadata["tags"] = ["colab-install", "hide-input"]
    nb.cells.insert(1, old)
    assert colab_cell.problems(nb, URL, BRANCH)
    assert colab_cell.fix(nb, URL, BRANCH) is True
    installs = [c for c in nb.cells if colab_cell.is_install_cell(c)]
    assert len(installs) == 1
    assert installs[0].source == colab_cell.cell_source(URL, BRANCH)
    assert {"hide-input", "nbval-skip", "remove-cell"} <= set(
        installs[0].metadata["tags"]
    )
    assert colab_cell.problems(nb, URL, BRANCH) == []


def test_moves_misplaced_and_duplicate_cells():
    nb = _notebook()
    nb.cells.append(colab_cell.wanted_cell(URL, BRANCH))
    nb.cells.append(colab_cell.wanted_cell(URL, BRANCH))
    assert colab_cell.problems(nb, URL, BRANCH)
    colab_cell.fix(nb, URL, BRANCH)
    assert [i for i, c in enumerate(nb.cells) if colab_cell.is_install_cell(c)] == [1]
    assert colab_cell.problems(nb, URL, BRANCH) == []


def test_recognises_a_hand_written_install_cell_without_the_tag():
    nb = _notebook()
    hand = new_code_cell(
        'try:\n    import bptt\nexcept ImportError:\n    %pip install --quiet "bptt @ git+https://x/y.git"'
    )
    hand.metadata["tags"] = ["remove-cell", "nbval-skip"]
    nb.cells.insert(1, hand)
    colab_cell.fix(nb, URL, BRANCH)
    installs = [c for c in nb.cells if colab_cell.is_install_cell(c)]
    assert len(installs) == 1 and installs[0].source == colab_cell.cell_source(
        URL, BRANCH
    )
    assert colab_cell.problems(nb, URL, BRANCH) == []


def test_notebook_without_bptt_is_left_alone():
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("import numpy")])
    assert colab_cell.fix(nb, URL, BRANCH) is False
    assert len(nb.cells) == 2
    assert colab_cell.problems(nb, URL, BRANCH) == []


def test_missing_cell_is_reported():
    assert colab_cell.problems(_notebook(), URL, BRANCH) == [
        "imports bptt but has no install cell"
    ]
