"""Checks of the GRU's forward pass, cell and sequence (NNDL §6.6.2, exercise 6-5).

Also the cases the backward checks share: the shapes, the cache layout and
``gru_case``.  Each planted mistake is recomputed from the case's inputs.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..gru import (
    GATES,
    gru_cell_forward,
    gru_forward,
    random_gru_parameters,
)
from ..i18n import N_, _
from .core import (
    Case,
    Check,
    Failure,
    case_label,
    expect_tuple,
    forbid_mutation,
    verify,
)
from .rnn_forward import (
    check_caches_pair,
    check_no_alias,
    check_step_caches,
)

GRU_SHAPES = [
    (3, 5, 2, 4, 3),
    (2, 3, 4, 1, 1),
    (4, 2, 3, 1, 4),
    (3, 4, 2, 3, 1),
]  # (n_x, n_a, n_y, m, T)


CACHE = ("a_next", "a_prev", "zt", "rt", "a_tilde", "xt", "parameters")


GRAD_KEYS = tuple(f"d{k}{g}" for g in GATES for k in ("W", "U", "b"))


CRASH_HINT = N_(
    "the input weights W• are (n_a, n_x) and act on xt, the recurrent "
    "weights U• are (n_a, n_a) and act on a_prev; in the backward pass each "
    "product turns into W•ᵀ d• or U•ᵀ d•."
)


Z_SWAPPED = N_(
    "NNDL's update gate keeps the OLD state: a_next = zt ⊙ a_prev + (1 − zt) "
    "⊙ a_tilde (zt and 1 − zt are swapped; that is deeplearning.ai's Γ_u "
    "convention)."
)


RESET_AFTER = N_(
    "the reset gate multiplies the state BEFORE the recurrent product: Uh "
    "(rt ⊙ a_prev); rt ⊙ (Uh a_prev) is torch.nn.GRU's variant, not NNDL's."
)


NO_RESET = N_(
    "the reset gate is missing from the candidate: a_tilde = tanh(Wh xt + Uh "
    "(rt ⊙ a_prev) + bh)."
)


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


CELL_FORWARD_MISTAKES = [
    ("z_swapped", Z_SWAPPED),
    ("reset_after", RESET_AFTER),
    ("no_reset", NO_RESET),
    ("no_bias", N_("the gate and candidate biases bz, br, bh are missing.")),
    ("no_softmax", N_("softmax is missing: yt_pred = softmax(Wy a_next + by).")),
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
        "a_next": _("a_next = zt ⊙ a_prev + (1 − zt) ⊙ a_tilde."),
        "yt_pred": _("yt_pred = softmax(Wy a_next + by)."),
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
            _("cache must be a tuple of {n} entries {case}").format(
                n=len(CACHE), case=label
            ),
            _("cache = ({cache})").format(cache=", ".join(CACHE)),
        )
    check_step_caches([cache], [r["ref"][2]], CACHE[:6], 6, label, "gru_cell_forward")


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
            _(
                "the state is not carried forward: pass the previous step's a_next as "
                "a_prev (a0 only at t = 0)."
            ),
            lambda: _forward_variant(x, a0, p, "no_carry"),
        ),
        (
            _(
                "the first step must start from a0, not from a slice of the (zero) "
                "output array."
            ),
            lambda: _forward_variant(x, a0, p, "zero_start"),
        ),
    ] + [
        (
            _("{hint} (in your gru_cell_forward)").format(hint=_(h)),
            lambda m=m: {"a": np.stack(list(_states(x, a0, p, m)), axis=2)},
        )
        for m, h in CELL_FORWARD_MISTAKES[:3]
    ]
    hints = {
        "a": _(
            "loop over t calling gru_cell_forward(x[:, :, t], a_next, parameters), "
            "starting from a0."
        ),
        "y_pred": _("store yt_pred in y_pred[:, :, t]."),
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


FORWARD_CHECKS = [
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
]
