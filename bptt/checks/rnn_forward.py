"""Checks of the simple RNN's forward pass, cell and sequence (deeplearning.ai C5W1).

Also the cases and cache judges that the backward, LSTM and GRU checks share:
the shapes, ``rnn_case``, the step-cache and aliasing checks.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..i18n import N_, _
from ..rnn import (
    random_rnn_parameters,
    rnn_cell_forward,
    rnn_forward,
)
from .core import (
    Case,
    Check,
    Failure,
    alias_pairs,
    case_label,
    close,
    entry_order,
    expect_tuple,
    forbid_mutation,
    verify,
)

SHORT_DA = (
    3,
    4,
    2,
    2,
    4,
)  # a backward case whose da has 2 of the 4 steps of x (deeplearning.ai's own test does this)


def forbid_dx_over_all_of_x(ref, out, label):
    """In the SHORT_DA case, a dx with every step of x took T from the caches."""
    da, caches = ref["da"], ref["caches"]
    dx = out.get("dx")
    if (
        ref["short_da"]
        and isinstance(dx, np.ndarray)
        and dx.shape[2:] == (len(caches[0]),)
    ):
        raise Failure(
            _("dx covers every step of x, expected the {T} steps of da {case}").format(
                T=da.shape[2], case=label
            ),
            _(
                "take the number of steps from da: T_x = da.shape[2] (the published test "
                "passes a shorter da)."
            ),
        )


RNN_SHAPES = [  # (n_x, n_a, n_y, m, T) — n_x != n_a so a wrong transpose cannot hide
    (3, 5, 2, 4, 3),
    (2, 3, 4, 1, 1),
    (4, 2, 3, 1, 4),
    (3, 4, 2, 3, 1),
]


CELL_CACHE = ("a_next", "a_prev", "xt", "parameters")


ONLY_LAST_STEP = N_(
    "only the last time step is right: at step t add the gradient that flows back "
    "from step t+1 (da_prevt) to da[:, :, t] before calling the cell backward."
)


def rnn_case(n_x, n_a, n_y, m, T, seed):
    rng = np.random.default_rng(seed)
    p = random_rnn_parameters(n_x, n_a, n_y, rng)
    return (
        p,
        rng.standard_normal((n_x, m, T)),
        rng.standard_normal((n_a, m)),
        rng.standard_normal((n_a, m, T)),
    )


def only_last_step_right(key, act, exp):
    if act.ndim == 3 and act.shape[2] > 1 and close(act[..., -1], exp[..., -1], 1e-8):
        return ONLY_LAST_STEP
    return None


def _step(xt, a_prev, p, mistake=None):
    """The RNN step with one planted mistake (for diagnosis only; the reference is bptt.rnn)."""
    z = p["Wax"] @ xt + p["Waa"] @ a_prev + (0.0 if mistake == "no_bias" else p["ba"])
    a = {"relu": np.maximum(z, 0), "sigmoid": sigmoid(z)}.get(mistake, np.tanh(z))
    logits = p["Wya"] @ (a_prev if mistake == "y_from_prev" else a) + p["by"]
    if mistake == "no_softmax":
        return a, logits
    if mistake in ("softmax_axis1", "softmax_all"):
        axis = 1 if mistake == "softmax_axis1" else None
        e = np.exp(logits - logits.max(axis=axis, keepdims=True))
        return a, e / e.sum(axis=axis, keepdims=True)
    return a, softmax(logits)


CELL_FORWARD_MISTAKES = [
    ("no_bias", N_("the bias ba is missing from the pre-activation.")),
    ("relu", N_("the activation of the RNN state is tanh.")),
    ("sigmoid", N_("the activation of the RNN state is tanh.")),
    ("no_softmax", N_("softmax is missing: yt_pred = softmax(Wya a_next + by).")),
    (
        "softmax_axis1",
        N_("softmax must normalise each column (axis 0, the classes), not each row."),
    ),
    (
        "softmax_all",
        N_(
            "softmax must normalise each column separately (axis 0), not the whole matrix."
        ),
    ),
    ("y_from_prev", N_("the prediction uses the new state a_next, not a_prev.")),
]


def _cell_forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, _ = rnn_case(n_x, n_a, n_y, m, T, seed=10 + i)
        xt = x[:, :, 0]
        a_ref, y_ref, _ = rnn_cell_forward(xt, a0, p)
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m),
                (xt, a0, p),
                a=a_ref,
                y=y_ref,
                xt=xt,
                a0=a0,
                p=p,
            )
        )
    return cases


def _judge_cell_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("xt", "a_prev", "parameters"))
    a_next, yt_pred, cache = expect_tuple(
        obs["output"], ("a_next", "yt_pred", "cache"), label
    )
    variants = [
        (
            h,
            lambda m=m: dict(
                zip(("a_next", "yt_pred"), _step(r["xt"], r["a0"], r["p"], m))
            ),
        )
        for m, h in CELL_FORWARD_MISTAKES
    ]
    hints = {
        "a_next": _("a_next = tanh(Wax xt + Waa a_prev + ba)."),
        "yt_pred": _(
            "yt_pred = softmax(Wya a_next + by), softmax over axis 0 (one column per example)."
        ),
    }
    verify(
        {"a_next": a_next, "yt_pred": yt_pred},
        {"a_next": r["a"], "yt_pred": r["y"]},
        label,
        1e-10,
        hints,
        variants,
    )
    if not (isinstance(cache, (tuple, list)) and len(cache) == 4):
        raise Failure(
            _("cache must be the tuple (a_next, a_prev, xt, parameters) {case}").format(
                case=label
            ),
            _("cache = (a_next, a_prev, xt, parameters)"),
        )
    wrong = entry_order(cache[:3], (r["a"], r["a0"], r["xt"]), CELL_CACHE)
    if wrong:
        raise Failure(
            _("cache {wrong} {case}").format(wrong=wrong, case=label),
            _("cache = (a_next, a_prev, xt, parameters), in this order."),
        )
    if not isinstance(cache[3], dict) or set(cache[3]) != set(r["p"]):
        raise Failure(
            _("cache entry 3 should be the parameters dict {case}").format(case=label),
            _("cache = (a_next, a_prev, xt, parameters)."),
        )


def _forward_variant(x, a0, p, mistake):
    a_prev, states = (np.zeros_like(a0) if mistake == "zero_start" else a0), []
    for t in range(x.shape[2]):
        a_next, _ = _step(x[:, :, t], a0 if mistake == "no_carry" else a_prev, p)
        states.append(a_next)
        a_prev = a_next
    return {"a": np.stack(states, axis=2)}


def _forward_cases():
    cases = []
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, _ = rnn_case(n_x, n_a, n_y, m, T, seed=20 + i)
        a_ref, y_ref, (caches_ref, _) = rnn_forward(x, a0, p)
        cases.append(
            Case(
                case_label(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T=T),
                (x, a0, p),
                a=a_ref,
                y=y_ref,
                caches=caches_ref,
                x=x,
                a0=a0,
                p=p,
                T=T,
            )
        )
    return cases


def check_step_caches(steps, steps_ref, labels, n_checked, label, cell):
    """Every step cache holds its own step's entries, in the cell's order."""
    last = steps_ref[-1][0]
    for t, (c, c_ref) in enumerate(zip(steps, steps_ref)):
        if not isinstance(c, (tuple, list)) or len(c) != len(c_ref):
            raise Failure(
                _(
                    "step cache {t} is not the {n}-entry tuple that {cell} returns {case}"
                ).format(t=t, n=len(c_ref), cell=cell, case=label),
                _("append the cache returned by {cell} itself.").format(cell=cell),
            )
        wrong = entry_order(c[:n_checked], c_ref[:n_checked], labels)
        if wrong:
            all_last = len(steps) > 1 and all(close(s[0], last, 1e-10) for s in steps)
            hint = (
                _(
                    "every cache holds the last state: a state array is updated in place "
                    "(state[:] = …) instead of replaced; use a new array each step."
                )
                if all_last
                else _(
                    "append the cache that {cell} returns, unchanged: ({labels}, …)."
                ).format(cell=cell, labels=", ".join(labels))
            )
            raise Failure(
                _("step cache {t}: {wrong} {case}").format(
                    t=t, wrong=wrong, case=label
                ),
                hint,
            )


def check_caches_pair(caches, x, T, label):
    if not (
        isinstance(caches, (tuple, list))
        and len(caches) == 2
        and isinstance(caches[0], (tuple, list))
    ):
        raise Failure(
            _("caches must be the pair (list of {T} step caches, x) {case}").format(
                T=T, case=label
            ),
            _("caches = (caches_list, x)."),
        )
    n = len(caches[0])
    if n != T:
        hint = (
            CACHES_FLAT
            if n > T and n % T == 0
            else _("append one cache per time step, {T} in all.").format(T=T)
        )
        raise Failure(
            _("caches[0] holds {n} entries, expected {T} step caches {case}").format(
                n=n, T=T, case=label
            ),
            hint,
        )
    if not close(caches[1], x, 0):
        raise Failure(
            _("caches[1] must be x {case}").format(case=label),
            _("caches = (caches_list, x)."),
        )


CACHES_FLAT = N_(
    "caches is a list of tuples: add each step's cache with caches.append(cache), not "
    "caches += cache."
)


def check_no_alias(obs, out_index, steps, entries, what, label):
    """No step cache entry may be a view into the returned state array ``output[out_index]``."""
    for pa, pb in alias_pairs(obs):
        for p, q in ((pa, pb), (pb, pa)):
            if (
                p == ("out", out_index)
                and len(q) == 5
                and q[:3] == ("out", steps, 0)
                and q[4] in entries
            ):
                raise Failure(
                    _(
                        "the step-{t} cache shares memory with the returned array {what} {case}"
                    ).format(t=q[3], what=what, case=label),
                    _(
                        "a state in the caches is a view into {what} (e.g. a_next = "
                        "{what}[:, :, t]); carry the cell's own new state to the next step, not a "
                        "slice of the output."
                    ).format(what=what),
                )


def _judge_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("x", "a0", "parameters"))
    a, y_pred, caches = expect_tuple(obs["output"], ("a", "y_pred", "caches"), label)
    variants = [
        (
            _(
                "the state is not carried forward: pass the previous step's a_next as a_prev "
                "(a0 only at t = 0)."
            ),
            lambda: _forward_variant(r["x"], r["a0"], r["p"], "no_carry"),
        ),
        (
            _(
                "the first step must start from a0, not from a slice of the (zero) output array."
            ),
            lambda: _forward_variant(r["x"], r["a0"], r["p"], "zero_start"),
        ),
    ]
    hints = {
        "a": _(
            "loop over t, calling rnn_cell_forward(x[:, :, t], a_prev, parameters)."
        ),
        "y_pred": _("store yt_pred in y_pred[:, :, t]."),
    }
    verify(
        {"a": a, "y_pred": y_pred},
        {"a": r["a"], "y_pred": r["y"]},
        label,
        1e-10,
        hints,
        variants,
    )
    check_caches_pair(caches, r["x"], r["T"], label)
    check_no_alias(obs, 0, 2, (0, 1), "a", label)
    check_step_caches(
        caches[0], r["caches"], CELL_CACHE[:3], 3, label, "rnn_cell_forward"
    )


FORWARD_CHECKS = [
    Check("rnn_cell_forward", _cell_forward_cases, _judge_cell_forward),
    Check("rnn_forward", _forward_cases, _judge_forward, depends=("rnn_cell_forward",)),
]
