"""Which functions an assignment grades, and for how many points — the instructor's word only.

The source is the instructor's copy: the metadata ``bptt.graded`` of the solution
notebook ``<solutions>/<assignment>.ipynb`` (a list of names, one point each, or
a dict name -> points), or, when there is no solutions folder (an installed
package), the table below.  The submission can at most *name* an assignment
(metadata ``bptt.assignment``), never list functions.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import bptt

from ..i18n import _

SOLUTIONS = Path(bptt.__file__).resolve().parent.parent / "solutions"

# The fallback, mirroring solutions/*.ipynb metadata (tests/test_grade.py keeps them equal).
TABLE = {
    "rnn-forward": ["rnn_cell_forward", "rnn_forward"],
    "bptt-6-1": ["rnn_cell_backward", "rnn_backward"],
    "gradients-6-2": ["gradients_w_b"],
    "residual-6-3": ["clip_grad_norm"],
    "operator-6-2p": ["rnn_layer_forward", "rnn_layer_backward", "RNNCell"],
    "lstm": [
        "lstm_cell_forward",
        "lstm_forward",
        "lstm_cell_backward",
        "lstm_backward",
    ],
    "adam": [
        "initialize_adam",
        "update_parameters_with_adam",
        "clipped_adam_step",
        "clip",
    ],
    "gru": ["gru_cell_forward", "gru_forward", "gru_cell_backward", "gru_backward"],
}

# bptt's other implementations of a graded function: wrapping these is using the reference too.
ALIASES = {
    "rnn_forward": ["rnn_forward_fast"],
    "rnn_backward": ["rnn_backward_fast"],
    "rnn_layer_forward": [
        "rnn_layer_forward_fast",
        "NumpyRNN",
        "NumpyRNNFunction",
        "NumpyRNNModule",
    ],
    "rnn_layer_backward": [
        "rnn_layer_backward_fast",
        "NumpyRNN",
        "NumpyRNNFunction",
        "NumpyRNNModule",
    ],
    "gradients_w_b": ["gradients_double_sum"],
}


class AssignmentError(ValueError):
    """The assignment cannot be told or is not known."""


@dataclass
class Assignment:
    name: str
    points: dict  # function name -> points, in the instructor's order
    source: str  # where the name came from, for the report
    notes: list = field(default_factory=list)

    @property
    def max_points(self):
        return sum(self.points.values())

    def references(self):
        """Names of bptt objects a graded function must not use (ours and each check's own list)."""
        from bptt.checks import CHECKS

        names = list(self.points)
        for name in self.points:
            names += ALIASES.get(name, []) + sorted(
                getattr(CHECKS.get(name), "reference_names", ())
            )
        return sorted(set(names))


def known(solutions=SOLUTIONS):
    """All assignment names: the solution notebooks' stems, else the table's keys."""
    folder = Path(solutions) if solutions else None
    if folder is not None and folder.is_dir():
        stems = sorted(p.stem for p in folder.glob("*.ipynb"))
        if stems:
            return stems
    return sorted(TABLE)


def graded_points(name, solutions=SOLUTIONS):
    """{function: points} of assignment ``name`` from the instructor's solution notebook or the table."""
    path = Path(solutions) / f"{name}.ipynb" if solutions else None
    if path is not None and path.is_file():
        meta = (
            json.loads(path.read_text(encoding="utf-8"))
            .get("metadata", {})
            .get("bptt", {})
        )
        graded = meta.get("graded")
        if isinstance(graded, dict):
            return {str(k): float(v) for k, v in graded.items()}
        if isinstance(graded, list):
            return dict.fromkeys(
                map(str, graded), 1.0
            )  # dict: a name cannot count twice
        raise AssignmentError(_("{path} has no metadata bptt.graded").format(path=path))
    if name in TABLE:
        return dict.fromkeys(TABLE[name], 1.0)
    raise AssignmentError(
        _("unknown assignment {name!r}; known: {known}").format(
            name=name, known=", ".join(known(solutions))
        )
    )


def resolve(notebook, metadata, explicit=None, solutions=SOLUTIONS):
    """The Assignment of ``notebook``: --assignment, else its file name, else its metadata bptt.assignment."""
    names = known(solutions)
    claimed = (
        metadata.get("bptt", {}).get("assignment")
        if isinstance(metadata, dict)
        else None
    )
    claimed = claimed if isinstance(claimed, str) else None
    if explicit:
        name, source = explicit, "--assignment"
    else:
        stem = Path(notebook).stem
        matches = sorted((n for n in names if n in stem), key=len, reverse=True)
        if matches:
            name, source = matches[0], _("the file name")
        elif claimed in names:
            name, source = claimed, _("the notebook's metadata bptt.assignment")
        else:
            raise AssignmentError(
                _(
                    "cannot tell the assignment from the file name; pass --assignment NAME "
                    "(one of {names})"
                ).format(names=", ".join(names))
            )
    result = Assignment(name, graded_points(name, solutions), source)
    if claimed and claimed != name:
        result.notes.append(
            _(
                "the notebook says it is {claimed!r}; graded as {name!r} ({source})"
            ).format(claimed=claimed[:60], name=name, source=source)
        )
    return result
