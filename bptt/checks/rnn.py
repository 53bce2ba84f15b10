"""Checks of the simple RNN: cell and sequence, forward and backward (deeplearning.ai C5W1).

Backward checks get caches made by the *reference* forward, so a wrong
forward cannot hide a wrong backward; case 0 of each backward check is also
refereed by central differences through the reference forward.

The forward checks are in :mod:`bptt.checks.rnn_forward`, the backward checks
in :mod:`bptt.checks.rnn_backward`; this module gathers them in ``CHECKS``.
"""

from .rnn_backward import (
    BACKWARD_CHECKS,
    CELL_HINTS,
    CELL_KEYS,
    CELL_MISTAKES,
    backward_variant,
    fd_rnn,
)
from .rnn_forward import (
    CACHES_FLAT,
    CELL_CACHE,
    CELL_FORWARD_MISTAKES,
    FORWARD_CHECKS,
    ONLY_LAST_STEP,
    RNN_SHAPES,
    SHORT_DA,
    check_caches_pair,
    check_no_alias,
    check_step_caches,
    only_last_step_right,
    rnn_case,
)

CHECKS = [*FORWARD_CHECKS, *BACKWARD_CHECKS]


__all__ = [
    "BACKWARD_CHECKS",
    "CACHES_FLAT",
    "CELL_CACHE",
    "CELL_FORWARD_MISTAKES",
    "CELL_HINTS",
    "CELL_KEYS",
    "CELL_MISTAKES",
    "CHECKS",
    "FORWARD_CHECKS",
    "ONLY_LAST_STEP",
    "RNN_SHAPES",
    "SHORT_DA",
    "backward_variant",
    "check_caches_pair",
    "check_no_alias",
    "check_step_caches",
    "fd_rnn",
    "only_last_step_right",
    "rnn_case",
]
