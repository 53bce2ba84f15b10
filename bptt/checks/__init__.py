"""Self-checks for the exercise notebooks: ``check_<function name>(fn)``.

Each check is **cases** (seeded inputs, always including one example, m = 1,
and one time step, T = 1, with reference values computed by the package —
the one source of truth — and, for gradients, by central differences or
PyTorch) and a **judge** that reads only what the student's function returned
(see :mod:`bptt.checks.core`).  On success a check prints one line,
``rnn_backward: all checks passed``; an unfinished stub gives
NotImplementedError; a mistake gives AssertionError naming the output, the
worst entry and a HINT chosen by cause (:mod:`bptt.checks.causes`).

``CHECKS`` maps each graded function name to its :class:`~bptt.checks.core.Check`;
``bptt.grade`` observes the cases in a sandbox and judges here.
"""

from . import cell_class, gru, lstm, nndl, operator, optim, rnn
from .core import Case, Check, Verdict

CHECKS = {
    c.name: c
    for module in (rnn, nndl, lstm, gru, optim, operator, cell_class)
    for c in module.CHECKS
}

check_rnn_cell_forward = CHECKS["rnn_cell_forward"]
check_rnn_forward = CHECKS["rnn_forward"]
check_rnn_cell_backward = CHECKS["rnn_cell_backward"]
check_rnn_backward = CHECKS["rnn_backward"]
check_gradients_w_b = CHECKS["gradients_w_b"]
check_lstm_cell_forward = CHECKS["lstm_cell_forward"]
check_lstm_forward = CHECKS["lstm_forward"]
check_lstm_cell_backward = CHECKS["lstm_cell_backward"]
check_lstm_backward = CHECKS["lstm_backward"]
check_gru_cell_forward = CHECKS["gru_cell_forward"]
check_gru_forward = CHECKS["gru_forward"]
check_gru_cell_backward = CHECKS["gru_cell_backward"]
check_gru_backward = CHECKS["gru_backward"]
check_initialize_adam = CHECKS["initialize_adam"]
check_update_parameters_with_adam = CHECKS["update_parameters_with_adam"]
check_clip_grad_norm = CHECKS["clip_grad_norm"]
check_clip = CHECKS["clip"]
check_clipped_adam_step = CHECKS["clipped_adam_step"]
check_rnn_layer_forward = CHECKS["rnn_layer_forward"]
check_rnn_layer_backward = CHECKS["rnn_layer_backward"]
check_RNNCell = CHECKS["RNNCell"]  # 6-2P's class skeleton: the check takes the class


def run_check(name, fn):
    """Run the self-check ``name`` on ``fn`` in this process: (passed, message)."""
    verdict = CHECKS[name].run(fn)
    return verdict.passed, verdict.text()


__all__ = ["CHECKS", "Case", "Check", "Verdict", "run_check"] + [
    f"check_{n}" for n in CHECKS
]
