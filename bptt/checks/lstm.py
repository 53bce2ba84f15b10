"""Checks of the LSTM: cell and sequence, forward and backward (deeplearning.ai C5W1, optional part)."""

import numpy as np

from ..activations import sigmoid, softmax
from ..gradcheck import numerical_gradient
from ..lstm import (
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    random_lstm_parameters,
)
from .core import (
    Case,
    Check,
    Failure,
    case_label,
    entry_order,
    expect_dict,
    expect_tuple,
    forbid_mutation,
    verify,
)
from .rnn import (
    SHORT_DA,
    check_caches_pair,
    check_no_alias,
    check_step_caches,
    only_last_step_right,
)

LSTM_SHAPES = [
    (3, 5, 2, 4, 3),
    (2, 3, 4, 1, 1),
    (4, 2, 3, 1, 4),
    (3, 4, 2, 3, 1),
]  # (n_x, n_a, n_y, m, T)
GATES = ("f", "i", "c", "o")
GATE_NAMES = {
    "f": "forget gate",
    "i": "input (update) gate",
    "c": "candidate cct",
    "o": "output gate",
}
CACHE = (
    "a_next",
    "c_next",
    "a_prev",
    "c_prev",
    "ft",
    "it",
    "cct",
    "ot",
    "xt",
    "parameters",
)
GRAD_KEYS = tuple(f"d{w}{g}" for g in GATES for w in ("W", "b"))
SLICE_HINT = (
    "each W acts on concat = [a_prev; xt], so slice COLUMNS: W[:, :n_a] for da_prev and "
    "W[:, n_a:] for dxt (slicing rows, W[:n_a, :], is an erratum of the printed text)."
)


def lstm_case(n_x, n_a, n_y, m, T, seed):
    rng = np.random.default_rng(seed)
    p = random_lstm_parameters(n_x, n_a, n_y, rng, scale=0.7)
    for g in GATES:
        p[f"b{g}"] = 0.5 * p[f"b{g}"]
    return (
        p,
        rng.standard_normal((n_x, m, T)),
        rng.standard_normal((n_a, m)),
        rng.standard_normal((n_a, m)),
    )


def _step(xt, a_prev, c_prev, p, mistake=None):
    concat = np.concatenate(
        [xt, a_prev] if mistake == "concat_order" else [a_prev, xt], axis=0
    )

    def pre(
        g,
    ):  # a planted mistake may drop one bias ("no_bf") or all ("no_bias"), or reuse Wf for i
        w = p["Wf"] if (g, mistake) == ("i", "i_uses_Wf") else p[f"W{g}"]
        return w @ concat + (0 if mistake in ("no_bias", f"no_b{g}") else p[f"b{g}"])

    ft, it, ot = sigmoid(pre("f")), sigmoid(pre("i")), sigmoid(pre("o"))
    cct = sigmoid(pre("c")) if mistake == "cct_sigmoid" else np.tanh(pre("c"))
    c = ft * c_prev + it * cct
    a = ot * (c if mistake == "no_tanh_c" else np.tanh(c))
    logits = p["Wy"] @ (a_prev if mistake == "y_from_prev" else a) + p["by"]
    return a, c, (logits if mistake == "no_softmax" else softmax(logits))


# --------------------------------------------------------- lstm_cell_forward ---


def _cell_forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, c0 = lstm_case(n_x, n_a, n_y, m, T, seed=60 + i)
        xt = x[:, :, 0]
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m),
                (xt, a0, c0, p),
                ref=lstm_cell_forward(xt, a0, c0, p),
                xt=xt,
                a0=a0,
                c0=c0,
                p=p,
            )
        )
    return cases


def _judge_cell_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("xt", "a_prev", "c_prev", "parameters"))
    keys = ("a_next", "c_next", "yt_pred")
    out = expect_tuple(obs["output"], keys + ("cache",), label)
    xt, a0, c0, p = r["xt"], r["a0"], r["c0"], r["p"]
    variants = [
        (
            "the gate biases bf, bi, bc, bo are missing.",
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "no_bias"))),
        ),
        (
            "stack a_prev first: concat = [a_prev; xt] (the first n_a columns of each W act on a_prev).",
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "concat_order"))),
        ),
        (
            "a_next = ot ⊙ tanh(c_next): tanh of the cell state is missing.",
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "no_tanh_c"))),
        ),
        (
            "softmax is missing: yt_pred = softmax(Wy a_next + by).",
            lambda: {"yt_pred": _step(xt, a0, c0, p, "no_softmax")[2]},
        ),
        (
            "the candidate cct uses tanh, not the sigmoid (the sigmoid is for the three gates).",
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "cct_sigmoid"))),
        ),
        (
            "the prediction uses the new state a_next, not a_prev.",
            lambda: {"yt_pred": _step(xt, a0, c0, p, "y_from_prev")[2]},
        ),
        (
            "the input gate uses its own weights Wi (a copy-paste left Wf).",
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "i_uses_Wf"))),
        ),
    ] + [
        (
            f"the bias b{g} of the {GATE_NAMES[g]} is missing.",
            lambda g=g: dict(zip(keys, _step(xt, a0, c0, p, f"no_b{g}"))),
        )
        for g in GATES
    ]
    hints = {
        "a_next": "a_next = ot ⊙ tanh(c_next).",
        "c_next": "c_next = ft ⊙ c_prev + it ⊙ cct.",
        "yt_pred": "yt_pred = softmax(Wy a_next + by).",
    }
    verify(
        dict(zip(keys, out[:3])),
        dict(zip(keys, r["ref"][:3])),
        label,
        1e-10,
        hints,
        variants,
    )
    cache = out[3]
    if not (isinstance(cache, (tuple, list)) and len(cache) == 10):
        raise Failure(
            f"cache must be a tuple of 10 entries {label}",
            f"cache = ({', '.join(CACHE)})",
        )
    wrong = entry_order(cache[:9], r["ref"][3][:9], CACHE[:9])
    if wrong:
        raise Failure(
            f"cache {wrong} {label}", f"cache = ({', '.join(CACHE)}), in this order."
        )


# -------------------------------------------------------------- lstm_forward ---


def _forward_variant(x, a0, p, mistake):
    a_prev = np.zeros_like(a0) if mistake == "zero_start" else a0
    c_prev = a0 if mistake == "c0_is_a0" else np.zeros_like(a0)
    a_s, c_s = [], []
    for t in range(x.shape[2]):
        a_in = a0 if mistake == "no_carry_a" else a_prev
        c_in = np.zeros_like(a0) if mistake == "no_carry_c" else c_prev
        a_prev, c_prev, _ = _step(x[:, :, t], a_in, c_in, p)
        a_s.append(a_prev)
        c_s.append(c_prev)
    return {"a": np.stack(a_s, 2), "c": np.stack(c_s, 2)}


def _forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, _ = lstm_case(n_x, n_a, n_y, m, T, seed=70 + i)
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T=T),
                (x, a0, p),
                ref=lstm_forward(x, a0, p),
                x=x,
                a0=a0,
                p=p,
                T=T,
                n_y=n_y,
                n_a=n_a,
            )
        )
    return cases


def _judge_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("x", "a0", "parameters"))
    a, y, c, caches = expect_tuple(obs["output"], ("a", "y", "c", "caches"), label)
    a_ref, y_ref, c_ref, caches_ref = r["ref"]
    if (
        r["n_y"] != r["n_a"]
        and np.shape(y) == c_ref.shape
        and np.shape(c) == y_ref.shape
    ):
        raise Failure(
            f"y and c are swapped {label}", "return (a, y, c, caches) in this order."
        )
    x, a0, p = r["x"], r["a0"], r["p"]
    variants = [
        (
            "the hidden state is not carried forward: pass the previous a_next as a_prev.",
            lambda: _forward_variant(x, a0, p, "no_carry_a"),
        ),
        (
            "the cell state is not carried forward: pass the previous c_next as c_prev (zeros only at t = 0).",
            lambda: _forward_variant(x, a0, p, "no_carry_c"),
        ),
        (
            "the first step must start from a0, not from a slice of the (zero) output array.",
            lambda: _forward_variant(x, a0, p, "zero_start"),
        ),
        (
            "the cell state starts at zeros (c_next = np.zeros_like(a0)), not at a0.",
            lambda: _forward_variant(x, a0, p, "c0_is_a0"),
        ),
    ]
    hints = {
        "a": "loop over t calling lstm_cell_forward(x[:, :, t], a_next, c_next, parameters); c starts at zeros.",
        "y": "store yt_pred in y[:, :, t].",
        "c": "store c_next in c[:, :, t].",
    }
    verify(
        {"a": a, "y": y, "c": c},
        {"a": a_ref, "y": y_ref, "c": c_ref},
        label,
        1e-10,
        hints,
        variants,
    )
    check_caches_pair(caches, x, r["T"], label)
    check_no_alias(obs, 0, 3, (0, 2), "a", label)
    check_no_alias(obs, 2, 3, (1, 3), "c", label)
    check_step_caches(
        caches[0], caches_ref[0], CACHE[:9], 9, label, "lstm_cell_forward"
    )


# -------------------------------------------------------- lstm_cell_backward ---


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


CELL_MISTAKES = [
    (
        "partial_gate",
        "the gate derivative must multiply the WHOLE cell gradient dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ "
        "da_next, not only its da_next part (put the parentheses around both terms).",
    ),
    (
        "dc_prev_no_a",
        "dc_prev also has the path through a_next: dc_prev = (dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next) ⊙ ft.",
    ),
    (
        "forget_c_next",
        "the forget gate multiplies c_prev, so dft uses c_prev, not c_next.",
    ),
    (
        "cct_erratum",
        "cct is already tanh(·): its derivative is 1 − cct², with no extra factor cct and no second tanh.",
    ),
    (
        "dot_no_tanh",
        "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot): the factor tanh(c_next) is missing.",
    ),
    ("mean_bias", "the bias gradients are sums over the batch axis, not means."),
    (
        "dbc_no_tanh",
        "dbc sums dcct, the gradient at the candidate's pre-activation, dc ⊙ it ⊙ (1 − cct²) "
        "(the printed (17) names an undefined dγ_c: erratum E5).",
    ),
    (
        "concat_order",
        "concat = [a_prev; xt] as in the forward: dW = dgate · concatᵀ with a_prev's rows first.",
    ),
]
DC = "dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next"
GATE_HINTS = {
    "o": "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot).",
    "f": f"dft = dc ⊙ c_prev ⊙ ft ⊙ (1 − ft) with {DC}.",
    "i": f"dit = dc ⊙ cct ⊙ it ⊙ (1 − it) with {DC}.",
    "c": f"dcct = dc ⊙ it ⊙ (1 − cct²) with {DC} (cct is already tanh(·): no extra factor).",
}
# Judged in this order: the gate gradients first (each depends on one gate only), then what mixes them.
GATE_ORDER = ("o", "f", "i", "c")
JUDGE_ORDER = tuple(f"d{w}{g}" for g in GATE_ORDER for w in ("b", "W"))
CELL_HINTS = {
    **{
        f"d{w}{g}": GATE_HINTS[g]
        + (
            " Then dW = dgate · [a_prev; xt]ᵀ."
            if w == "W"
            else " Sum over the batch axis."
        )
        for g in GATES
        for w in ("W", "b")
    },
    "dxt": SLICE_HINT,
    "da_prev": SLICE_HINT,
    "dc_prev": "dc_prev = dc ⊙ ft with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next.",
}


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
    verify(out, expected, label, 1e-10, CELL_HINTS, variants)
    if r["fd"] is not None:
        verify(out, r["fd"], label + " against finite differences", 1e-7, CELL_HINTS)


# ------------------------------------------------------------- lstm_backward ---


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
        label = case_label(n_x=n_x, n_a=n_a, m=m, T=da.shape[2]) + (
            f" with x of {T} steps" if short else ""
        )
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
    if (
        r["short_da"]
        and isinstance(out["dx"], np.ndarray)
        and out["dx"].shape[2:] == (len(caches[0]),)
    ):
        raise Failure(
            f"dx covers every step of x, expected the {da.shape[2]} steps of da {label}",
            "take the number of steps from da: T_x = da.shape[2] (the published test passes a shorter da).",
        )
    hints = {
        k: v + " (in your lstm_cell_backward), summed over the steps."
        for k, v in CELL_HINTS.items()
        if k[1] in "Wb"
    }
    hints |= {
        "dx": "dx[:, :, t] is the dxt of step t.",
        "da0": "da0 is the da_prev of the first step, after the reversed loop.",
    }
    variants = [
        (
            "accumulate the parameter gradients over the steps (dWf += …): the gradient is a sum over time.",
            lambda: _backward_variant(da, caches, seq_mistake="overwrite"),
        ),
        (
            "loop backwards in time: for t in reversed(range(T_x)).",
            lambda: _backward_variant(da, caches, seq_mistake="forward_order"),
        ),
        (
            "the gradient from step t+1 is not added back: step t must receive da[:, :, t] + da_prevt.",
            lambda: _backward_variant(da, caches, seq_mistake="no_carry_a"),
        ),
        (
            "da[:, :, t] is never passed to the cell: step t must receive da[:, :, t] + da_prevt, not da_prevt alone.",
            lambda: _backward_variant(da, caches, seq_mistake="no_da"),
        ),
        (
            "the cell gradient is not carried back: pass step t+1's dc_prev as dc_next of "
            "step t (zeros only at the last step).",
            lambda: _backward_variant(da, caches, seq_mistake="no_carry_c"),
        ),
    ] + [
        (
            h + " (in your lstm_cell_backward)",
            lambda m=m: _backward_variant(da, caches, m),
        )
        for m, h in CELL_MISTAKES
    ]
    expected = {k: r["expected"][k] for k in JUDGE_ORDER + ("dx", "da0")}
    verify(out, expected, label, 1e-10, hints, variants, only_last_step_right)
    if r["fd"] is not None:
        verify(out, r["fd"], label + " against finite differences", 1e-7, hints)


CHECKS = [
    Check("lstm_cell_forward", _cell_forward_cases, _judge_cell_forward),
    Check(
        "lstm_forward", _forward_cases, _judge_forward, depends=("lstm_cell_forward",)
    ),
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
