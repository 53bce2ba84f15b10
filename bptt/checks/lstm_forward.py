"""Checks of the LSTM's forward pass, cell and sequence (deeplearning.ai C5W1, optional part).

Also the cases the backward checks share: the shapes, the gate names, the
cache layout and ``lstm_case``.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..i18n import N_, _
from ..lstm import (
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
    expect_tuple,
    forbid_mutation,
    verify,
)
from .rnn_forward import (
    check_caches_pair,
    check_no_alias,
    check_step_caches,
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


GATE_BIAS_MISSING = {  # f"the bias b{g} of the {GATE_NAMES[g]} is missing.", whole for translators
    "f": N_("the bias bf of the forget gate is missing."),
    "i": N_("the bias bi of the input (update) gate is missing."),
    "c": N_("the bias bc of the candidate cct is missing."),
    "o": N_("the bias bo of the output gate is missing."),
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


SLICE_HINT = N_(
    "each W acts on concat = [a_prev; xt], so slice COLUMNS: W[:, :n_a] for "
    "da_prev and W[:, n_a:] for dxt (slicing rows, W[:n_a, :], is an erratum "
    "of the printed text)."
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
            _("the gate biases bf, bi, bc, bo are missing."),
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "no_bias"))),
        ),
        (
            _(
                "stack a_prev first: concat = [a_prev; xt] (the first n_a columns of "
                "each W act on a_prev)."
            ),
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "concat_order"))),
        ),
        (
            _("a_next = ot ⊙ tanh(c_next): tanh of the cell state is missing."),
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "no_tanh_c"))),
        ),
        (
            _("softmax is missing: yt_pred = softmax(Wy a_next + by)."),
            lambda: {"yt_pred": _step(xt, a0, c0, p, "no_softmax")[2]},
        ),
        (
            _(
                "the candidate cct uses tanh, not the sigmoid (the sigmoid is for the "
                "three gates)."
            ),
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "cct_sigmoid"))),
        ),
        (
            _("the prediction uses the new state a_next, not a_prev."),
            lambda: {"yt_pred": _step(xt, a0, c0, p, "y_from_prev")[2]},
        ),
        (
            _("the input gate uses its own weights Wi (a copy-paste left Wf)."),
            lambda: dict(zip(keys, _step(xt, a0, c0, p, "i_uses_Wf"))),
        ),
    ] + [
        (
            _(GATE_BIAS_MISSING[g]),
            lambda g=g: dict(zip(keys, _step(xt, a0, c0, p, f"no_b{g}"))),
        )
        for g in GATES
    ]
    hints = {
        "a_next": _("a_next = ot ⊙ tanh(c_next)."),
        "c_next": _("c_next = ft ⊙ c_prev + it ⊙ cct."),
        "yt_pred": _("yt_pred = softmax(Wy a_next + by)."),
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
            _("cache must be a tuple of 10 entries {case}").format(case=label),
            _("cache = ({cache})").format(cache=", ".join(CACHE)),
        )
    wrong = entry_order(cache[:9], r["ref"][3][:9], CACHE[:9])
    if wrong:
        raise Failure(
            _("cache {wrong} {case}").format(wrong=wrong, case=label),
            _("cache = ({cache}), in this order.").format(cache=", ".join(CACHE)),
        )


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
            _("y and c are swapped {case}").format(case=label),
            _("return (a, y, c, caches) in this order."),
        )
    x, a0, p = r["x"], r["a0"], r["p"]
    variants = [
        (
            _(
                "the hidden state is not carried forward: pass the previous a_next as "
                "a_prev."
            ),
            lambda: _forward_variant(x, a0, p, "no_carry_a"),
        ),
        (
            _(
                "the cell state is not carried forward: pass the previous c_next as "
                "c_prev (zeros only at t = 0)."
            ),
            lambda: _forward_variant(x, a0, p, "no_carry_c"),
        ),
        (
            _(
                "the first step must start from a0, not from a slice of the (zero) "
                "output array."
            ),
            lambda: _forward_variant(x, a0, p, "zero_start"),
        ),
        (
            _(
                "the cell state starts at zeros (c_next = np.zeros_like(a0)), not at a0."
            ),
            lambda: _forward_variant(x, a0, p, "c0_is_a0"),
        ),
    ]
    hints = {
        "a": _(
            "loop over t calling lstm_cell_forward(x[:, :, t], a_next, c_next, "
            "parameters); c starts at zeros."
        ),
        "y": _("store yt_pred in y[:, :, t]."),
        "c": _("store c_next in c[:, :, t]."),
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


FORWARD_CHECKS = [
    Check("lstm_cell_forward", _cell_forward_cases, _judge_cell_forward),
    Check(
        "lstm_forward", _forward_cases, _judge_forward, depends=("lstm_cell_forward",)
    ),
]
