"""Checks of the GRU (NNDL §6.6.2, exercise 6-5): cell and sequence, forward and backward.

The reference is :mod:`bptt.gru`; backward checks get caches made by the
reference forward, and case 0 of each backward check is also refereed by
central differences.  Each planted mistake below is recomputed from the case's
inputs, so a wrong output that equals one of them gets that mistake's hint.

The forward checks are in :mod:`bptt.checks.gru_forward`, the backward checks
in :mod:`bptt.checks.gru_backward`; this module gathers them in ``CHECKS``.
"""

from .gru_backward import BACKWARD_CHECKS, CELL_HINTS, CELL_MISTAKES, GATE_DERIVATIVE
from .gru_forward import (
    CACHE,
    CELL_FORWARD_MISTAKES,
    CRASH_HINT,
    FORWARD_CHECKS,
    GRAD_KEYS,
    GRU_SHAPES,
    NO_RESET,
    RESET_AFTER,
    Z_SWAPPED,
    gru_case,
)

CHECKS = [*FORWARD_CHECKS, *BACKWARD_CHECKS]


__all__ = [
    "BACKWARD_CHECKS",
    "CACHE",
    "CELL_FORWARD_MISTAKES",
    "CELL_HINTS",
    "CELL_MISTAKES",
    "CHECKS",
    "CRASH_HINT",
    "FORWARD_CHECKS",
    "GATE_DERIVATIVE",
    "GRAD_KEYS",
    "GRU_SHAPES",
    "NO_RESET",
    "RESET_AFTER",
    "Z_SWAPPED",
    "gru_case",
]
