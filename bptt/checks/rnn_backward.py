"""Checks of the simple RNN's backward pass, cell and sequence (deeplearning.ai C5W1).

The backward checks get caches made by the *reference* forward, so a wrong
forward cannot hide a wrong backward; case 0 of each is also refereed by
central differences through the reference forward.  The planted-mistake
variants sit beside the judges that use them.
"""

import numpy as np

from ..gradcheck import numerical_gradient
from ..i18n import N_, _
from ..rnn import (
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)
from .core import (
    Case,
    Check,
    case_label,
    expect_dict,
    forbid_mutation,
    verify_and_referee,
)
from .rnn_forward import (
    RNN_SHAPES,
    SHORT_DA,
    forbid_dx_over_all_of_x,
    only_last_step_right,
    rnn_case,
)


def _cell_backward_variant(da_next, cache, mistake):
    a_next, a_prev, xt, p = cache
    deriv = {
        "tanh_prev": 1 - a_prev**2,
        "tanh_twice": 1 - np.tanh(a_next) ** 2,
        "no_dtanh": 1.0,
    }
    dtanh = deriv.get(mistake, 1 - a_next**2) * da_next
    return {
        "dxt": p["Wax"].T @ dtanh,
        "da_prev": (p["Waa"] if mistake == "no_transpose" else p["Waa"].T) @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ (a_next if mistake == "dWaa_next" else a_prev).T,
        "dba": (np.mean if mistake == "mean_bias" else np.sum)(
            dtanh, axis=1, keepdims=True
        ),
    }


CELL_MISTAKES = [
    (
        "tanh_prev",
        N_("tanh′ belongs to this step's state: use (1 − a_next²), not (1 − a_prev²)."),
    ),
    (
        "tanh_twice",
        N_(
            "a_next is already tanh(z): its derivative is 1 − a_next², do not apply np.tanh "
            "again."
        ),
    ),
    ("no_dtanh", N_("multiply da_next by the tanh derivative (1 − a_next²) first.")),
    (
        "no_transpose",
        N_(
            "da_prev = Waaᵀ dtanh: the backward of a product uses the transposed matrix."
        ),
    ),
    (
        "dWaa_next",
        N_("dWaa = dtanh a_prevᵀ: the recurrent weight multiplies the previous state."),
    ),
    (
        "mean_bias",
        N_("the bias gradient is the sum over the batch axis, not the mean."),
    ),
]


CELL_HINTS = {
    "dxt": N_("dxt = Waxᵀ dtanh with dtanh = (1 − a_next²) ⊙ da_next."),
    "da_prev": N_("da_prev = Waaᵀ dtanh."),
    "dWax": N_("dWax = dtanh xtᵀ."),
    "dWaa": N_("dWaa = dtanh a_prevᵀ."),
    "dba": N_("dba = Σ over the batch axis of dtanh, keepdims=True."),
}


CELL_KEYS = tuple(CELL_HINTS)


def fd_rnn(x, a0, p, da):
    """Finite-difference gradients of sum(a * da) through the reference rnn_forward."""

    def wrt(key):
        return lambda v: np.sum(rnn_forward(x, a0, p | {key: v})[0] * da)

    out = {f"d{k}": numerical_gradient(wrt(k), p[k]) for k in ("Wax", "Waa", "ba")}
    out["dx"] = numerical_gradient(lambda v: np.sum(rnn_forward(v, a0, p)[0] * da), x)
    out["da0"] = numerical_gradient(lambda v: np.sum(rnn_forward(x, v, p)[0] * da), a0)
    return out


def _cell_backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, da = rnn_case(n_x, n_a, n_y, m, T, seed=30 + i)
        _, _, cache = rnn_cell_forward(x[:, :, 0], a0, p)
        da_next = da[:, :, 0]
        fd = None
        if i == 0:  # second referee: central differences through the reference forward
            g = fd_rnn(x[:, :, :1], a0, p, da[:, :, :1])
            fd = {
                "dxt": g["dx"][:, :, 0],
                "da_prev": g["da0"],
                "dWax": g["dWax"],
                "dWaa": g["dWaa"],
                "dba": g["dba"],
            }
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, m=m),
                (da_next, cache),
                expected=rnn_cell_backward(da_next, cache),
                fd=fd,
                da_next=da_next,
                cache=cache,
            )
        )
    return cases


def _judge_cell_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("da_next", "cache"))
    out = expect_dict(obs["output"], CELL_KEYS, label)
    variants = [
        (h, lambda m=m: _cell_backward_variant(r["da_next"], r["cache"], m))
        for m, h in CELL_MISTAKES
    ]
    verify_and_referee(out, r["expected"], r["fd"], label, CELL_HINTS, variants)


def backward_variant(da, caches, cell_mistake=None, seq_mistake=None):
    steps, x = caches
    steps = steps[: da.shape[2]]
    T = da.shape[2]
    grads, acc = {"dx": np.zeros((x.shape[0], da.shape[1], T))}, {}
    da_prevt = np.zeros(da.shape[:2])
    order = range(T) if seq_mistake == "forward_order" else reversed(range(T))
    for t in order:
        upstream = {"no_carry": da[:, :, t], "no_da": da_prevt}.get(
            seq_mistake, da[:, :, t] + da_prevt
        )
        g = _cell_backward_variant(upstream, steps[t], cell_mistake)
        grads["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            acc[k] = g[k] if seq_mistake == "overwrite" else acc.get(k, 0) + g[k]
        da_prevt = g["da_prev"]
    return grads | acc | {"da0": da_prevt}


def _backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES + [SHORT_DA]):
        p, x, a0, da = rnn_case(n_x, n_a, n_y, m, T, seed=40 + i)
        _, _, caches = rnn_forward(x, a0, p)
        short = i == len(RNN_SHAPES)
        if short:  # the published test: da covers fewer steps than x; T comes from da
            da = da[:, :, :2]
        label = case_label(n_x=n_x, n_a=n_a, m=m, T=da.shape[2])
        if short:
            label = (N_("{case} with x of {T} steps"), {"case": label, "T": T})
        cases.append(
            Case(
                label,
                (da, caches),
                expected=rnn_backward(da, caches),
                fd=fd_rnn(x, a0, p, da) if i == 0 else None,
                da=da,
                caches=caches,
                T=da.shape[2],
                short_da=short,
            )
        )
    return cases


def _judge_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("da", "caches"))
    keys = ("dx", "da0", "dWax", "dWaa", "dba")
    out = expect_dict(obs["output"], keys, label)
    hints = {
        "dx": _("dx[:, :, t] is the dxt of step t's cell backward."),
        "da0": _(
            "da0 is the da_prev returned at the first step (t = 0), after the whole reversed "
            "loop."
        ),
        "dWax": _("sum dWax over all time steps."),
        "dWaa": _("sum dWaa over all time steps."),
        "dba": _("sum dba over all time steps."),
    }
    da, caches = r["da"], r["caches"]
    forbid_dx_over_all_of_x(r, out, label)
    variants = [
        (
            _(
                "the gradient from step t+1 is not added back: the cell at step t must "
                "receive da[:, :, t] + da_prevt."
            ),
            lambda: backward_variant(da, caches, seq_mistake="no_carry"),
        ),
        (
            _(
                "da[:, :, t] is never passed to the cell: step t must receive "
                "da[:, :, t] + da_prevt, not da_prevt alone."
            ),
            lambda: backward_variant(da, caches, seq_mistake="no_da"),
        ),
        (
            _("loop backwards in time: for t in reversed(range(T))."),
            lambda: backward_variant(da, caches, seq_mistake="forward_order"),
        ),
        (
            _(
                "accumulate the parameter gradients over the steps (dWax += …): the gradient "
                "is a sum over time."
            ),
            lambda: backward_variant(da, caches, seq_mistake="overwrite"),
        ),
    ] + [
        (
            _("{hint} (in your rnn_cell_backward)").format(hint=_(h)),
            lambda m=m: backward_variant(da, caches, m),
        )
        for m, h in CELL_MISTAKES
    ]
    verify_and_referee(
        out, r["expected"], r["fd"], label, hints, variants, only_last_step_right
    )


BACKWARD_CHECKS = [
    Check("rnn_cell_backward", _cell_backward_cases, _judge_cell_backward),
    Check(
        "rnn_backward", _backward_cases, _judge_backward, depends=("rnn_cell_backward",)
    ),
]
