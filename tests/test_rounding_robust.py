"""No stored output depends on rounding: every chapter and solution prints the same text
when its random draws are perturbed by a relative 1e-12 (see tests/rounding.py).

The old training chapter (a chaotic 1500-iteration run at alpha = 0.02) failed this test in
five cells; the toy notebook below shows that the comparison does catch such a cell.
"""

from pathlib import Path

import nbformat
import pytest
from rounding import differences, run_perturbed

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
    (ROOT / "solutions").glob("*.ipynb")
)


def _report(diffs):
    return "\n".join(
        f"cell {i}:\n  stored:    {str(a)[:400]}\n  perturbed: {str(b)[:400]}"
        for i, a, b in diffs
    )


@pytest.mark.parametrize(
    "path", NOTEBOOKS, ids=[f"{p.parent.name}:{p.name}" for p in NOTEBOOKS]
)
def test_printed_outputs_do_not_depend_on_rounding(path):
    stored = nbformat.read(path, as_version=4)
    perturbed, calls = run_perturbed(path)
    diffs = differences(stored, perturbed)
    assert not diffs, (
        f"{path.name}: outputs that change under a 1e-12 perturbation:\n{_report(diffs)}"
    )
    uses_rng = any(
        "default_rng" in c.source for c in stored.cells if c.cell_type == "code"
    )
    assert calls > 0 or not uses_rng, (
        "the perturbation did not reach the notebook's random draws"
    )


def test_a_chaotic_cell_is_caught(tmp_path):
    # The logistic map at r = 4 doubles a relative error every step: 1e-12 becomes O(1) in ~40 steps.
    source = (
        "import numpy as np\n"
        "x = 0.3 + 0.01 * abs(np.random.default_rng(0).standard_normal())\n"
        "for _ in range(60):\n"
        "    x = 4 * x * (1 - x)\n"
        "print(f'{x:.3f}')"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "chaotic.ipynb"
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name="python3").execute()
    nbformat.write(nb, path)
    perturbed, calls = run_perturbed(path)
    assert calls == 1
    assert differences(nb, perturbed), "a chaotic cell passed the rounding test"
