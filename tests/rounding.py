"""Execute a notebook with every NumPy random draw perturbed, and compare its text outputs.

A printed number that depends on rounding (a chaotic training run, a long product, an
argmax between near-equal values) differs between CPUs and BLAS builds, and then nbval
fails on someone else's machine.  Rounding differences are ~1e-16 relative; this module
perturbs far more, by a relative ``EPS`` = 1e-12: a cell injected before the notebook's
own code makes ``np.random.default_rng`` return generators whose floating-point draws
(``standard_normal``, ``normal``, ``uniform``, ``random``) are multiplied by 1 + EPS.
Integer draws (batch positions, labels) are left alone, as rounding leaves them.
Every text output (streams, text/plain, glued values, errors) is then compared with the stored one,
as nbval does (same sanitize
file, same ``NBVAL_IGNORE_OUTPUT`` and ``nbval-skip`` conventions).
"""

import configparser
import os
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
EPS = 1e-12

PERTURB = f'''
import numpy as _np

class _Perturbed(_np.random.Generator):
    """Generator whose float draws are multiplied by 1 + {EPS!r} (tests/rounding.py)."""
    calls = 0

    def _scale(self, values):
        type(self).calls += 1
        return values * (1 + {EPS!r})

    def standard_normal(self, *args, **kwargs):
        return self._scale(super().standard_normal(*args, **kwargs))

    def normal(self, *args, **kwargs):
        return self._scale(super().normal(*args, **kwargs))

    def uniform(self, *args, **kwargs):
        return self._scale(super().uniform(*args, **kwargs))

    def random(self, *args, **kwargs):
        return self._scale(super().random(*args, **kwargs))

_default_rng = _np.random.default_rng

def _perturbed_rng(seed=None):
    if isinstance(seed, _np.random.Generator):
        return seed
    return _Perturbed(_default_rng(seed).bit_generator)

_np.random.default_rng = _perturbed_rng
'''
COUNT = "print(_Perturbed.calls)"


def sanitize_patterns(path=SANITIZE):
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    return [
        (re.compile(parser[s]["regex"]), parser[s]["replace"])
        for s in parser.sections()
    ]


def _texts(cell, patterns):
    """The text outputs of a code cell as nbval compares them (sanitized)."""
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            # how a stream is cut into outputs depends on timing: join consecutive ones (as nbval does)
            if out and out[-1][0] == "stream":
                out[-1] = ("stream", out[-1][1] + o.text)
            else:
                out.append(("stream", o.text))
        elif o.output_type in ("execute_result", "display_data"):
            for mime, value in o.data.items():
                if mime.endswith(
                    "text/plain"
                ):  # text/plain and glue's papermill record; not HTML figures
                    out.append(
                        (mime, value if isinstance(value, str) else "".join(value))
                    )
        elif o.output_type == "error":
            out.append(("error", f"{o.ename}: {o.evalue}"))
    result = []
    for kind, text in out:
        for regex, replace in patterns:
            text = regex.sub(replace, text)
        result.append((kind, text))
    return result


def _compared(cell):
    tags = cell.metadata.get("tags", [])
    return (
        cell.cell_type == "code"
        and "nbval-skip" not in tags
        and "NBVAL_IGNORE_OUTPUT" not in cell.source
        and "NBVAL_SKIP" not in cell.source
    )


def run_perturbed(path, timeout=600):
    """Execute ``path`` with perturbed random draws; return (executed notebook, number of perturbed draws)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "nbval-skip" not in c.metadata.get("tags", [])]
    nb.cells.insert(0, nbformat.v4.new_code_cell(PERTURB))
    nb.cells.append(nbformat.v4.new_code_cell(COUNT))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    # allow_errors: a failing assert is reported as a changed output, like any other
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute(env=env)
    calls = int(nb.cells[-1].outputs[0].text.strip())
    return nb, calls


def differences(stored, perturbed):
    """Text outputs that differ, as (cell number in the stored notebook, stored, perturbed)."""
    patterns = sanitize_patterns()
    stored_cells = [
        c for c in stored.cells if "nbval-skip" not in c.metadata.get("tags", [])
    ]
    runs = perturbed.cells[1:-1]
    assert len(stored_cells) == len(runs)
    diffs = []
    for cell, run in zip(stored_cells, runs):
        if not _compared(cell):
            continue
        a, b = _texts(cell, patterns), _texts(run, patterns)
        if a != b:
            diffs.append((stored.cells.index(cell), a, b))
    return diffs
