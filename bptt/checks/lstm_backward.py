"""Checks of the LSTM's backward pass, cell and sequence (deeplearning.ai C5W1, optional part).

The planted-mistake variants sit beside the judges that use them; case 0 of
each check is also refereed by central differences.
"""

import numpy as np

from ..gradcheck import numerical_gradient
from ..i18n import N_, _
from ..lstm import (
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
)
from .core import (
    Case,
    Check,
    case_label,
    expect_dict,
    forbid_mutation,
    verify_and_referee,
)
from .lstm_forward import GATES, GRAD_KEYS, LSTM_SHAPES, SLICE_HINT, lstm_case
from .lstm_hints import CELL_HINTS, CELL_MISTAKES, JUDGE_ORDER
from .rnn_forward import (
    SHORT_DA,
    forbid_dx_over_all_of_x,
    only_last_step_right,
)


def _cell_backward_variant(da_next, dc_next, cache, mistake=None):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    th = np.tanh(c_next)
    via_a = ot * (1 - th**2) * da_next
    dc = dc_next + via_a
    if (
        mistake == "partial_gate"
    ):  # σ′ / tanh′ multiplies only the da_next path (printed-equation erratum)
        d = {
            "o": da_next * th * ot * (1 - ot),
            "c": dc_next * it + via_a * it * (1 - cct**2),
            "i": dc_next * cct + via_a * cct * it * (1 - it),
            "f": dc_next * c_prev + via_a * c_prev * ft * (1 - ft),
        }
    else:
        d = {
            "o": da_next
            * (ot * (1 - ot) if mistake == "dot_no_tanh" else th * ot * (1 - ot)),
            "c": dc
            * it
            * (
                (1 - np.tanh(cct) ** 2) * cct
                if mistake == "cct_erratum"
                else (1 - cct**2)
            ),
            "i": dc * cct * it * (1 - it),
            "f": dc
            * (c_next if mistake == "forget_c_next" else c_prev)
            * ft
            * (1 - ft),
        }
    concat = np.concatenate(
        [xt, a_prev] if mistake == "concat_order" else [a_prev, xt], axis=0
    )
    dconcat = sum(p[f"W{g}"].T @ d[g] for g in GATES)
    out = {
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": (dc_next if mistake == "dc_prev_no_a" else dc) * ft,
    }
    reduce = np.mean if mistake == "mean_bias" else np.sum
    for g in GATES:
        out[f"dW{g}"] = d[g] @ concat.T
        out[f"db{g}"] = reduce(d[g], axis=1, keepdims=True)
    if mistake == "dbc_no_tanh":  # erratum E5: the sum taken before the factor 1 − cct²
        out["dbc"] = np.sum(dc * it, axis=1, keepdims=True)
    return out


def _fd_sequence(x, a0, p, da):
    def loss(xx, aa, pp):
        return np.sum(lstm_forward(xx, aa, pp)[0] * da)

    out = {
        f"d{k}": numerical_gradient(lambda v, k=k: loss(x, a0, p | {k: v}), p[k])
        for k in p
        if k not in ("Wy", "by")
    }
    out["dx"] = numerical_gradient(lambda v: loss(v, a0, p), x)
    out["da0"] = numerical_gradient(lambda v: loss(x, v, p), a0)
    return out


def _fd_cell(xt, a0, c0, p, da_next, dc_next):
    """Central differences of sum(a_next ⊙ da_next + c_next ⊙ dc_next)."""

    def loss(xx, ap, cp, pp):
        a, c, _, _ = lstm_cell_forward(xx, ap, cp, pp)
        return np.sum(a * da_next) + np.sum(c * dc_next)

    fd = {
        f"d{k}": numerical_gradient(lambda v, k=k: loss(xt, a0, c0, p | {k: v}), p[k])
        for k in p
        if k not in ("Wy", "by")
    }
    return fd | {
        "dxt": numerical_gradient(lambda v: loss(v, a0, c0, p), xt),
        "da_prev": numerical_gradient(lambda v: loss(xt, v, c0, p), a0),
        "dc_prev": numerical_gradient(lambda v: loss(xt, a0, v, p), c0),
    }


def _cell_backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, c0 = lstm_case(n_x, n_a, n_y, m, T, seed=80 + i)
        rng = np.random.default_rng(180 + i)
        da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
        cache = lstm_cell_forward(x[:, :, 0], a0, c0, p)[3]
        fd = _fd_cell(x[:, :, 0], a0, c0, p, da_next, dc_next) if i == 0 else None
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, m=m),
                (da_next, dc_next, cache),
                expected=lstm_cell_backward(da_next, dc_next, cache),
                fd=fd,
                da_next=da_next,
                dc_next=dc_next,
                cache=cache,
            )
        )
    return cases


def _judge_cell_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("da_next", "dc_next", "cache"))
    out = expect_dict(obs["output"], ("dxt", "da_prev", "dc_prev") + GRAD_KEYS, label)
    variants = [
        (
            h,
            lambda m=m: _cell_backward_variant(
                r["da_next"], r["dc_next"], r["cache"], m
            ),
        )
        for m, h in CELL_MISTAKES
    ]
    expected = {
        k: r["expected"][k] for k in JUDGE_ORDER + ("dc_prev", "da_prev", "dxt")
    }
    verify_and_referee(out, expected, r["fd"], label, CELL_HINTS, variants)


def _backward_variant(da, caches, cell_mistake=None, seq_mistake=None):
    steps, x = caches
    steps = steps[: da.shape[2]]
    T = da.shape[2]
    out = {"dx": np.zeros((x.shape[0], da.shape[1], T))}
    da_prevt, dc_prevt = np.zeros(da.shape[:2]), np.zeros(da.shape[:2])
    for t in range(T) if seq_mistake == "forward_order" else reversed(range(T)):
        up_a = {"no_carry_a": da[:, :, t], "no_da": da_prevt}.get(
            seq_mistake, da[:, :, t] + da_prevt
        )
        up_c = np.zeros(da.shape[:2]) if seq_mistake == "no_carry_c" else dc_prevt
        g = _cell_backward_variant(up_a, up_c, steps[t], cell_mistake)
        out["dx"][:, :, t] = g["dxt"]
        for k in GRAD_KEYS:
            out[k] = g[k] if seq_mistake == "overwrite" else out.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    out["da0"] = da_prevt
    return out


def _backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES + [SHORT_DA]):
        p, x, a0, _ = lstm_case(n_x, n_a, n_y, m, T, seed=90 + i)
        short = i == len(
            LSTM_SHAPES
        )  # the published test (erratum E7): da has fewer steps than x
        da = np.random.default_rng(190 + i).standard_normal((n_a, m, 2 if short else T))
        caches = lstm_forward(x, a0, p)[3]
        label = case_label(n_x=n_x, n_a=n_a, m=m, T=da.shape[2])
        if short:
            label = (N_("{case} with x of {T} steps"), {"case": label, "T": T})
        cases.append(
            Case(
                label,
                (da, caches),
                expected=lstm_backward(da, caches),
                fd=_fd_sequence(x, a0, p, da) if i == 0 else None,
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
    out = expect_dict(obs["output"], ("dx", "da0") + GRAD_KEYS, label)
    da, caches = r["da"], r["caches"]
    forbid_dx_over_all_of_x(r, out, label)
    hints = {
        k: _("{hint} (in your lstm_cell_backward), summed over the steps.").format(
            hint=_(v)
        )
        for k, v in CELL_HINTS.items()
        if k[1] in "Wb"
    }
    hints |= {
        "dx": _("dx[:, :, t] is the dxt of step t."),
        "da0": _("da0 is the da_prev of the first step, after the reversed loop."),
    }
    variants = [
        (
            _(
                "accumulate the parameter gradients over the steps (dWf += …): the "
                "gradient is a sum over time."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="overwrite"),
        ),
        (
            _("loop backwards in time: for t in reversed(range(T_x))."),
            lambda: _backward_variant(da, caches, seq_mistake="forward_order"),
        ),
        (
            _(
                "the gradient from step t+1 is not added back: step t must receive da[:, "
                ":, t] + da_prevt."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="no_carry_a"),
        ),
        (
            _(
                "da[:, :, t] is never passed to the cell: step t must receive da[:, :, "
                "t] + da_prevt, not da_prevt alone."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="no_da"),
        ),
        (
            _(
                "the cell gradient is not carried back: pass step t+1's dc_prev as "
                "dc_next of step t (zeros only at the last step)."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="no_carry_c"),
        ),
    ] + [
        (
            _("{hint} (in your lstm_cell_backward)").format(hint=_(h)),
            lambda m=m: _backward_variant(da, caches, m),
        )
        for m, h in CELL_MISTAKES
    ]
    expected = {k: r["expected"][k] for k in JUDGE_ORDER + ("dx", "da0")}
    verify_and_referee(
        out, expected, r["fd"], label, hints, variants, only_last_step_right
    )


BACKWARD_CHECKS = [
    Check(
        "lstm_cell_backward",
        _cell_backward_cases,
        _judge_cell_backward,
        crash_hint=SLICE_HINT,
    ),
    Check(
        "lstm_backward",
        _backward_cases,
        _judge_backward,
        depends=("lstm_cell_backward",),
        crash_hint=SLICE_HINT,
    ),
]
