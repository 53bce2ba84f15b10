"""Checks of the GRU's backward pass, cell and sequence (NNDL §6.6.2, exercise 6-5).

The backward checks get caches made by the reference forward; case 0 of each
is also refereed by central differences.  The planted-mistake variants sit
beside the judges that use them.
"""

import numpy as np

from ..gradcheck import numerical_gradient
from ..gru import (
    GATES,
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
)
from ..i18n import N_, _
from .core import (
    Case,
    Check,
    case_label,
    expect_dict,
    forbid_mutation,
    verify_and_referee,
)
from .gru_forward import (
    CRASH_HINT,
    GRAD_KEYS,
    GRU_SHAPES,
    NO_RESET,
    RESET_AFTER,
    Z_SWAPPED,
    gru_case,
)
from .rnn_forward import (
    only_last_step_right,
)


def _cell_backward_variant(da_next, cache, mistake=None):
    """gru_cell_backward with one planted mistake, on the reference cache."""
    _, a_prev, zt, rt, a_tilde, xt, p = cache

    def sig(
        s, gate
    ):  # σ′ written with the output; the planted mistake writes tanh′ instead
        return (
            1 - s**2
            if mistake in ("gate_tanh_derivative", f"gate_tanh_derivative_{gate}")
            else s * (1 - s)
        )

    keep, write = (1 - zt, zt) if mistake == "z_swapped" else (zt, 1 - zt)
    gap = {"z_swapped": a_tilde - a_prev, "dz_sign": a_tilde - a_prev}.get(
        mistake, a_prev - a_tilde
    )
    dz = da_next * gap * sig(zt, "z")
    dh = da_next * (1.0 if mistake == "no_one_minus_z" else write) * (1 - a_tilde**2)
    if mistake == "reset_after":  # the backward of torch's rt ⊙ (Uh a_prev)
        dr = dh * (p["Uh"] @ a_prev) * sig(rt, "r")
        via_h, dUh = p["Uh"].T @ (dh * rt), (dh * rt) @ a_prev.T
    elif mistake == "no_reset":  # as if a_tilde = tanh(Wh xt + Uh a_prev + bh)
        dr = np.zeros_like(rt)
        via_h, dUh = p["Uh"].T @ dh, dh @ a_prev.T
    else:
        d_reset = p["Uh"].T @ dh
        dr = d_reset * a_prev * sig(rt, "r")
        via_h = d_reset * rt
        dUh = dh @ (a_prev if mistake == "dUh_no_reset" else rt * a_prev).T
    direct = 0.0 if mistake == "no_direct" else da_next * keep
    d = {"z": dz, "r": dr, "h": dh}
    reduce = np.mean if mistake == "mean_bias" else np.sum
    out = {
        "dxt": sum(p[f"W{g}"].T @ d[g] for g in GATES),
        "da_prev": direct + via_h + p["Uz"].T @ dz + p["Ur"].T @ dr,
        "dUh": dUh,
    }
    for g in GATES:
        out[f"dW{g}"] = d[g] @ xt.T
        if g != "h":
            out[f"dU{g}"] = d[g] @ a_prev.T
        out[f"db{g}"] = reduce(d[g], axis=1, keepdims=True)
    return out


GATE_DERIVATIVE = N_(
    "the gates are sigmoids: their derivative is zt ⊙ (1 − zt) and rt ⊙ (1 − "
    "rt); 1 − a_tilde² belongs to the tanh candidate only."
)


CELL_MISTAKES = (
    [
        ("z_swapped", Z_SWAPPED),
        ("reset_after", RESET_AFTER),
        ("no_reset", NO_RESET),
        (
            "no_direct",
            N_(
                "da_prev misses the direct path of a_next = zt ⊙ a_prev + …: add da_next "
                "⊙ zt."
            ),
        ),
        (
            "no_one_minus_z",
            N_(
                "the candidate enters a_next multiplied by (1 − zt): dh = da_next ⊙ (1 − "
                "zt) ⊙ (1 − a_tilde²)."
            ),
        ),
    ]
    + [
        (m, GATE_DERIVATIVE)
        for m in (
            "gate_tanh_derivative",
            "gate_tanh_derivative_z",
            "gate_tanh_derivative_r",
        )
    ]
    + [
        (
            "dz_sign",
            N_(
                "∂a_next/∂zt = a_prev − a_tilde (not a_tilde − a_prev): dz = da_next ⊙ "
                "(a_prev − a_tilde) ⊙ zt ⊙ (1 − zt)."
            ),
        ),
        (
            "dUh_no_reset",
            N_(
                "Uh acts on the reset state, so dUh = dh (rt ⊙ a_prev)ᵀ, not dh a_prevᵀ."
            ),
        ),
        (
            "mean_bias",
            N_("the bias gradients are sums over the batch axis, not means."),
        ),
    ]
)


CELL_HINTS = {
    "dxt": N_("dxt = Wzᵀ dz + Wrᵀ dr + Whᵀ dh."),
    "da_prev": N_("da_prev = da_next ⊙ zt + Uzᵀ dz + Urᵀ dr + rt ⊙ (Uhᵀ dh)."),
}


def _fd(forward, argnames, args, upstream):
    """Central differences of sum(forward(*args)[0] ⊙ upstream) w.r.t. the arguments and parameters."""

    def loss(*a):
        return np.sum(forward(*a)[0] * upstream)

    *arrays, p = args
    out = {
        name: numerical_gradient(
            lambda v, i=i: loss(*arrays[:i], v, *arrays[i + 1 :], p), arrays[i]
        )
        for i, name in enumerate(argnames)
    }
    return out | {
        f"d{k}": numerical_gradient(lambda v, k=k: loss(*arrays, p | {k: v}), p[k])
        for k in p
        if k not in ("Wy", "by")
    }


def _cell_backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(GRU_SHAPES):
        p, x, a0 = gru_case(n_x, n_a, n_y, m, T, seed=130 + i)
        da_next = np.random.default_rng(230 + i).standard_normal((n_a, m))
        cache = gru_cell_forward(x[:, :, 0], a0, p)[2]
        fd = (
            _fd(gru_cell_forward, ("dxt", "da_prev"), (x[:, :, 0], a0, p), da_next)
            if i == 0
            else None
        )
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, m=m),
                (da_next, cache),
                expected=gru_cell_backward(da_next, cache),
                fd=fd,
                da_next=da_next,
                cache=cache,
            )
        )
    return cases


def _judge_cell_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("da_next", "cache"))
    out = expect_dict(obs["output"], ("dxt", "da_prev") + GRAD_KEYS, label)
    variants = [
        (h, lambda m=m: _cell_backward_variant(r["da_next"], r["cache"], m))
        for m, h in CELL_MISTAKES
    ]
    verify_and_referee(out, r["expected"], r["fd"], label, CELL_HINTS, variants)


def _backward_variant(da, caches, cell_mistake=None, seq_mistake=None):
    steps, x = caches
    T = da.shape[2]
    out = {"dx": np.zeros((x.shape[0], da.shape[1], T))}
    da_prevt = np.zeros(da.shape[:2])
    for t in reversed(range(T)):
        upstream = {"no_carry": da[:, :, t], "no_da": da_prevt}.get(
            seq_mistake, da[:, :, t] + da_prevt
        )
        g = _cell_backward_variant(upstream, steps[t], cell_mistake)
        out["dx"][:, :, t] = g["dxt"]
        for k in GRAD_KEYS:
            out[k] = out.get(k, 0) + g[k]
        da_prevt = g["da_prev"]
    out["da0"] = da_prevt
    return out


def _backward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(GRU_SHAPES):
        p, x, a0 = gru_case(n_x, n_a, n_y, m, T, seed=140 + i)
        da = np.random.default_rng(240 + i).standard_normal((n_a, m, T))
        caches = gru_forward(x, a0, p)[2]
        fd = _fd(gru_forward, ("dx", "da0"), (x, a0, p), da) if i == 0 else None
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, m=m, T=T),
                (da, caches),
                expected=gru_backward(da, caches),
                fd=fd,
                da=da,
                caches=caches,
                T=T,
            )
        )
    return cases


def _judge_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("da", "caches"))
    out = expect_dict(obs["output"], ("dx", "da0") + GRAD_KEYS, label)
    da, caches = r["da"], r["caches"]
    hints = {
        "dx": _("dx[:, :, t] is the dxt of step t."),
        "da0": _("da0 is the da_prev of the first step, after the reversed loop."),
    }
    variants = [
        (
            _(
                "the gradient from step t+1 is not added back: step t must receive da[:, "
                ":, t] + da_prevt."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="no_carry"),
        ),
        (
            _(
                "da[:, :, t] is never passed to the cell: step t must receive da[:, :, "
                "t] + da_prevt, not da_prevt alone."
            ),
            lambda: _backward_variant(da, caches, seq_mistake="no_da"),
        ),
    ] + [
        (
            _("{hint} (in your gru_cell_backward)").format(hint=_(h)),
            lambda m=m: _backward_variant(da, caches, m),
        )
        for m, h in CELL_MISTAKES
    ]
    verify_and_referee(
        out, r["expected"], r["fd"], label, hints, variants, only_last_step_right
    )


BACKWARD_CHECKS = [
    Check(
        "gru_cell_backward",
        _cell_backward_cases,
        _judge_cell_backward,
        crash_hint=CRASH_HINT,
    ),
    Check(
        "gru_backward",
        _backward_cases,
        _judge_backward,
        depends=("gru_cell_backward",),
        crash_hint=CRASH_HINT,
    ),
]
