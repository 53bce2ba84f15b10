"""Checks of the LSTM: cell and sequence, forward and backward (deeplearning.ai C5W1, optional part).

The forward checks are in :mod:`bptt.checks.lstm_forward`, the backward checks
in :mod:`bptt.checks.lstm_backward` (their diagnoses in :mod:`bptt.checks.lstm_hints`);
this module gathers them in ``CHECKS``.
"""

from .lstm_backward import BACKWARD_CHECKS
from .lstm_forward import (
    CACHE,
    FORWARD_CHECKS,
    GATE_NAMES,
    GATES,
    GRAD_KEYS,
    LSTM_SHAPES,
    SLICE_HINT,
    lstm_case,
)
from .lstm_hints import (
    CELL_HINTS,
    CELL_MISTAKES,
    DC,
    GATE_HINTS,
    GATE_ORDER,
    JUDGE_ORDER,
)

CHECKS = [*FORWARD_CHECKS, *BACKWARD_CHECKS]


__all__ = [
    "BACKWARD_CHECKS",
    "CACHE",
    "CELL_HINTS",
    "CELL_MISTAKES",
    "CHECKS",
    "DC",
    "FORWARD_CHECKS",
    "GATES",
    "GATE_HINTS",
    "GATE_NAMES",
    "GATE_ORDER",
    "GRAD_KEYS",
    "JUDGE_ORDER",
    "LSTM_SHAPES",
    "SLICE_HINT",
    "lstm_case",
]
