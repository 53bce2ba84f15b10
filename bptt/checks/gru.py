"""Checks of the GRU (NNDL §6.6.2, exercise 6-5): cell and sequence, forward and backward.

The reference is :mod:`bptt.gru`; backward checks get caches made by the
reference forward, and case 0 of each backward check is also refereed by
central differences.  Each planted mistake below is recomputed from the case's
inputs, so a wrong output that equals one of them gets that mistake's hint.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..gradcheck import numerical_gradient
from ..gru import (
    GATES,
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    random_gru_parameters,
)
from .core import (
    Case,
    Check,
    Failure,
    case_label,
    expect_dict,
    expect_tuple,
    forbid_mutation,
    verify,
)
from .rnn_forward import (
    check_caches_pair,
    check_no_alias,
    check_step_caches,
    only_last_step_right,
)

GRU_SHAPES = [
    (3, 5, 2, 4, 3),
    (2, 3, 4, 1, 1),
    (4, 2, 3, 1, 4),
    (3, 4, 2, 3, 1),
]  # (n_x, n_a, n_y, m, T)
CACHE = ("a_next", "a_prev", "zt", "rt", "a_tilde", "xt", "parameters")
GRAD_KEYS = tuple(f"d{k}{g}" for g in GATES for k in ("W", "U", "b"))
CRASH_HINT = (
    "the input weights W• are (n_a, n_x) and act on xt, the recurrent weights U• are (n_a, n_a) and act on "
    "a_prev; in the backward pass each product turns into W•ᵀ d• or U•ᵀ d•."
)

Z_SWAPPED = (
    "NNDL's update gate keeps the OLD state: a_next = zt ⊙ a_prev + (1 − zt) ⊙ a_tilde "
    "(zt and 1 − zt are swapped; that is deeplearning.ai's Γ_u convention)."
)
RESET_AFTER = (
    "the reset gate multiplies the state BEFORE the recurrent product: Uh (rt ⊙ a_prev); "
    "rt ⊙ (Uh a_prev) is torch.nn.GRU's variant, not NNDL's."
)
NO_RESET = "the reset gate is missing from the candidate: a_tilde = tanh(Wh xt + Uh (rt ⊙ a_prev) + bh)."


def gru_case(n_x, n_a, n_y, m, T, seed):
    rng = np.random.default_rng(seed)
    p = random_gru_parameters(n_x, n_a, n_y, rng)
    return p, rng.standard_normal((n_x, m, T)), rng.standard_normal((n_a, m))


def _step(xt, a_prev, p, mistake=None):
    """The GRU step with one planted mistake (for diagnosis only)."""
    bias = 0.0 if mistake == "no_bias" else 1.0
    zt = sigmoid(p["Wz"] @ xt + p["Uz"] @ a_prev + bias * p["bz"])
    rt = sigmoid(p["Wr"] @ xt + p["Ur"] @ a_prev + bias * p["br"])
    recurrent = {
        "reset_after": rt * (p["Uh"] @ a_prev),
        "no_reset": p["Uh"] @ a_prev,
    }.get(mistake, p["Uh"] @ (rt * a_prev))
    a_tilde = np.tanh(p["Wh"] @ xt + recurrent + bias * p["bh"])
    a = (
        (1 - zt) * a_prev + zt * a_tilde
        if mistake == "z_swapped"
        else zt * a_prev + (1 - zt) * a_tilde
    )
    logits = p["Wy"] @ a + p["by"]
    return a, (logits if mistake == "no_softmax" else softmax(logits))


# ---------------------------------------------------------- gru_cell_forward ---

CELL_FORWARD_MISTAKES = [
    ("z_swapped", Z_SWAPPED),
    ("reset_after", RESET_AFTER),
    ("no_reset", NO_RESET),
    ("no_bias", "the gate and candidate biases bz, br, bh are missing."),
    ("no_softmax", "softmax is missing: yt_pred = softmax(Wy a_next + by)."),
]


def _cell_forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(GRU_SHAPES):
        p, x, a0 = gru_case(n_x, n_a, n_y, m, T, seed=110 + i)
        xt = x[:, :, 0]
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m),
                (xt, a0, p),
                ref=gru_cell_forward(xt, a0, p),
                xt=xt,
                a0=a0,
                p=p,
            )
        )
    return cases


def _judge_cell_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("xt", "a_prev", "parameters"))
    keys = ("a_next", "yt_pred")
    out = expect_tuple(obs["output"], keys + ("cache",), label)
    variants = [
        (h, lambda m=m: dict(zip(keys, _step(r["xt"], r["a0"], r["p"], m))))
        for m, h in CELL_FORWARD_MISTAKES
    ]
    hints = {
        "a_next": "a_next = zt ⊙ a_prev + (1 − zt) ⊙ a_tilde.",
        "yt_pred": "yt_pred = softmax(Wy a_next + by).",
    }
    verify(
        dict(zip(keys, out[:2])),
        dict(zip(keys, r["ref"][:2])),
        label,
        1e-10,
        hints,
        variants,
    )
    cache = out[2]
    if not (isinstance(cache, (tuple, list)) and len(cache) == len(CACHE)):
        raise Failure(
            f"cache must be a tuple of {len(CACHE)} entries {label}",
            f"cache = ({', '.join(CACHE)})",
        )
    check_step_caches([cache], [r["ref"][2]], CACHE[:6], 6, label, "gru_cell_forward")


# --------------------------------------------------------------- gru_forward ---


def _forward_variant(x, a0, p, mistake):
    a_prev, states = (np.zeros_like(a0) if mistake == "zero_start" else a0), []
    for t in range(x.shape[2]):
        a_prev = _step(x[:, :, t], a0 if mistake == "no_carry" else a_prev, p)[0]
        states.append(a_prev)
    return {"a": np.stack(states, axis=2)}


def _states(x, a0, p, mistake):
    a_prev = a0
    for t in range(x.shape[2]):
        a_prev = _step(x[:, :, t], a_prev, p, mistake)[0]
        yield a_prev


def _forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(GRU_SHAPES):
        p, x, a0 = gru_case(n_x, n_a, n_y, m, T, seed=120 + i)
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T=T),
                (x, a0, p),
                ref=gru_forward(x, a0, p),
                x=x,
                a0=a0,
                p=p,
                T=T,
            )
        )
    return cases


def _judge_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("x", "a0", "parameters"))
    a, y_pred, caches = expect_tuple(obs["output"], ("a", "y_pred", "caches"), label)
    a_ref, y_ref, caches_ref = r["ref"]
    x, a0, p = r["x"], r["a0"], r["p"]
    variants = [
        (
            "the state is not carried forward: pass the previous step's a_next as a_prev (a0 only at t = 0).",
            lambda: _forward_variant(x, a0, p, "no_carry"),
        ),
        (
            "the first step must start from a0, not from a slice of the (zero) output array.",
            lambda: _forward_variant(x, a0, p, "zero_start"),
        ),
    ] + [
        (
            h + " (in your gru_cell_forward)",
            lambda m=m: {"a": np.stack(list(_states(x, a0, p, m)), axis=2)},
        )
        for m, h in CELL_FORWARD_MISTAKES[:3]
    ]
    hints = {
        "a": "loop over t calling gru_cell_forward(x[:, :, t], a_next, parameters), starting from a0.",
        "y_pred": "store yt_pred in y_pred[:, :, t].",
    }
    verify(
        {"a": a, "y_pred": y_pred},
        {"a": a_ref, "y_pred": y_ref},
        label,
        1e-10,
        hints,
        variants,
    )
    check_caches_pair(caches, x, r["T"], label)
    check_step_caches(caches[0], caches_ref[0], CACHE[:6], 6, label, "gru_cell_forward")
    check_no_alias(obs, 0, 2, (0, 1), "a", label)


# --------------------------------------------------------- gru_cell_backward ---


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


GATE_DERIVATIVE = (
    "the gates are sigmoids: their derivative is zt ⊙ (1 − zt) and rt ⊙ (1 − rt); "
    "1 − a_tilde² belongs to the tanh candidate only."
)
CELL_MISTAKES = (
    [
        ("z_swapped", Z_SWAPPED),
        ("reset_after", RESET_AFTER),
        ("no_reset", NO_RESET),
        (
            "no_direct",
            "da_prev misses the direct path of a_next = zt ⊙ a_prev + …: add da_next ⊙ zt.",
        ),
        (
            "no_one_minus_z",
            "the candidate enters a_next multiplied by (1 − zt): dh = da_next ⊙ (1 − zt) ⊙ (1 − a_tilde²).",
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
            "∂a_next/∂zt = a_prev − a_tilde (not a_tilde − a_prev): dz = da_next ⊙ (a_prev − a_tilde) ⊙ zt ⊙ (1 − zt).",
        ),
        (
            "dUh_no_reset",
            "Uh acts on the reset state, so dUh = dh (rt ⊙ a_prev)ᵀ, not dh a_prevᵀ.",
        ),
        ("mean_bias", "the bias gradients are sums over the batch axis, not means."),
    ]
)
CELL_HINTS = {
    "dxt": "dxt = Wzᵀ dz + Wrᵀ dr + Whᵀ dh.",
    "da_prev": "da_prev = da_next ⊙ zt + Uzᵀ dz + Urᵀ dr + rt ⊙ (Uhᵀ dh).",
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
    verify(out, r["expected"], label, 1e-10, CELL_HINTS, variants)
    if r["fd"] is not None:
        verify(out, r["fd"], label + " against finite differences", 1e-7, CELL_HINTS)


# -------------------------------------------------------------- gru_backward ---


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
        "dx": "dx[:, :, t] is the dxt of step t.",
        "da0": "da0 is the da_prev of the first step, after the reversed loop.",
    }
    variants = [
        (
            "the gradient from step t+1 is not added back: step t must receive da[:, :, t] + da_prevt.",
            lambda: _backward_variant(da, caches, seq_mistake="no_carry"),
        ),
        (
            "da[:, :, t] is never passed to the cell: step t must receive da[:, :, t] + da_prevt, not da_prevt alone.",
            lambda: _backward_variant(da, caches, seq_mistake="no_da"),
        ),
    ] + [
        (
            h + " (in your gru_cell_backward)",
            lambda m=m: _backward_variant(da, caches, m),
        )
        for m, h in CELL_MISTAKES
    ]
    verify(out, r["expected"], label, 1e-10, hints, variants, only_last_step_right)
    if r["fd"] is not None:
        verify(out, r["fd"], label + " against finite differences", 1e-7, hints)


CHECKS = [
    Check(
        "gru_cell_forward",
        _cell_forward_cases,
        _judge_cell_forward,
        crash_hint=CRASH_HINT,
    ),
    Check(
        "gru_forward",
        _forward_cases,
        _judge_forward,
        depends=("gru_cell_forward",),
        crash_hint=CRASH_HINT,
    ),
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
