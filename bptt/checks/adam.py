"""Checks of Adam (deeplearning.ai C2W2): ``initialize_adam`` and ``update_parameters_with_adam``.

Parameters ``W1, b1, …, WL, bL`` with ``L = len(parameters) // 2`` (cases with
1, 2 and 3 layers); ``update_parameters_with_adam`` may return
``(parameters, v, s)`` or the newer ``(parameters, v, s, v_corrected,
s_corrected)``.
"""

import numpy as np

from ..i18n import N_, _
from ..optim import update_parameters_with_adam
from .core import (
    Case,
    Check,
    Failure,
    alias_pairs,
    case_label,
    expect_dict,
    expect_tuple,
    forbid_mutation,
    verify,
)

ADAM_RULE = "v ← β₁v + (1−β₁)g, s ← β₂s + (1−β₂)g², v̂ = v/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ), θ ← θ − α v̂/(√ŝ + ε)."


LAYER_SIZES = {1: (3, 2), 2: (3, 4, 2), 3: (2, 4, 3, 1)}  # n_0 … n_L of each case


def adam_parameters(L, seed):
    """``W1, b1, …, WL, bL`` of a small L-layer network (W_l: (n_l, n_{l-1}), b_l: (n_l, 1))."""
    rng = np.random.default_rng(seed)
    n = LAYER_SIZES[L]
    p = {}
    for layer in range(1, L + 1):
        p[f"W{layer}"] = rng.standard_normal((n[layer], n[layer - 1]))
        p[f"b{layer}"] = rng.standard_normal((n[layer], 1))
    return p


LAST_LAYER_HINT = N_(
    "the layer loop stops one short: L = len(parameters) // 2 and for l in "
    "range(L) with str(l + 1) covers 1 … L."
)


def _expect_moments(d, keys, label, what):
    """Like expect_dict, with the hint for a layer loop that misses the last layer."""
    if isinstance(d, dict):
        missing = [k for k in keys if k not in d]
        L = len(keys) // 2
        if missing and set(missing) == {f"dW{L}", f"db{L}"}:
            raise Failure(
                _("{what} has no key {keys} {case}").format(
                    what=what,
                    keys=", ".join(map(repr, missing)),
                    case=label,
                ),
                LAST_LAYER_HINT,
            )
    return expect_dict(d, keys, label, what)


def copy_arrays(d):
    return {k: np.array(a, copy=True) for k, a in d.items()}


def _init_cases():
    return [
        Case(
            case_label(L=L),
            (adam_parameters(L, 100 + L),),
            p=adam_parameters(L, 100 + L),
        )
        for L in (1, 2, 3)
    ]


def _judge_init(case, obs, notes):
    p, label = case.ref["p"], case.label
    forbid_mutation(case, obs, ("parameters",))
    v, s = expect_tuple(obs["output"], ("v", "s"), label)
    keys = [f"d{k}" for k in p]
    for what, d in (("v", v), ("s", s)):
        if isinstance(d, dict) and set(d) == set(p):
            raise Failure(
                _("{what} has the parameter names as keys {case}").format(
                    what=what, case=label
                ),
                _('the moment keys are "d" + name: "dW1", "db1", ….'),
            )
        _expect_moments(d, keys, label, what)
        extra = sorted(set(d) - set(keys))
        if extra:
            raise Failure(
                _("{what} has unexpected keys {extra} {case}").format(
                    what=what, extra=extra, case=label
                ),
                _('the keys are exactly "dW1", "db1", …, "dWL", "dbL".'),
            )
        for k in p:
            arr = np.asarray(d[f"d{k}"]) if isinstance(d[f"d{k}"], np.ndarray) else None
            if arr is None or arr.shape != p[k].shape:
                message = (
                    N_(
                        "{what}['d{k}'] is not an array, expected an array of shape "
                        "{expected} {case}"
                    )
                    if arr is None
                    else N_(
                        "{what}['d{k}'] has shape {shape}, expected an array of shape "
                        "{expected} {case}"
                    )
                )
                raise Failure(
                    _(message).format(
                        what=what,
                        k=k,
                        shape=None if arr is None else arr.shape,
                        expected=p[k].shape,
                        case=label,
                    ),
                    _(
                        'use np.zeros(parameters["{k}"].shape) (or np.zeros_like).'
                    ).format(k=k),
                )
            if np.any(arr != 0):
                raise Failure(
                    _("{what}['d{k}'] is not all zeros {case}").format(
                        what=what, k=k, case=label
                    ),
                    _("Adam starts from zero moments: use np.zeros."),
                )
    for pa, pb in alias_pairs(obs):
        if (
            pa[:2] == ("out", 0)
            and pb[:2] == ("out", 1)
            or pa[:2] == ("out", 1)
            and pb[:2] == ("out", 0)
        ):
            raise Failure(
                _("v[{key1!r}] and s[{key2!r}] are the same array {case}").format(
                    key1=pa[2], key2=pb[2], case=label
                ),
                _(
                    "create two separate arrays (two np.zeros calls); otherwise updating v "
                    "also changes s."
                ),
            )


def adam_state(seed, L, t):
    """A state after t − 1 steps; some gradients tiny so that √ŝ is comparable to √ε."""
    rng = np.random.default_rng(seed)
    p = adam_parameters(L, seed)
    g = {f"d{k}": rng.standard_normal(a.shape) for k, a in p.items()}
    g["dW1"][0, 0] = 3e-6
    g["db1"][:] = 1e-6
    if t == 1:
        v = {k: np.zeros_like(a) for k, a in g.items()}
        s = {k: np.zeros_like(a) for k, a in g.items()}
    else:
        v = {k: 0.1 * rng.standard_normal(a.shape) for k, a in g.items()}
        s = {k: 0.1 * rng.random(a.shape) for k, a in g.items()}
        s["db1"][:] = 1e-11
    return p, g, v, s


def adam_variant(p, g, v, s, t, lr, b1, b2, eps, mistake):
    p, v, s = dict(p), dict(v), dict(s)
    tt = {"t_plus_1": t + 1, "t_minus_1": t - 1}.get(mistake, t)
    L = len(p) // 2
    last = (
        (f"W{L}", f"b{L}") if mistake == "only_some" else ()
    )  # a layer loop that stops one short
    beta_v, beta_s = (
        (b2 if mistake == "beta2_in_v" else b1),
        (b1 if mistake == "beta1_in_s" else b2),
    )
    for k in p:
        if k in last:
            continue
        dk, gk = "d" + k, g["d" + k]
        v[dk] = beta_v * v[dk] + (1 - beta_v) * gk
        s[dk] = beta_s * s[dk] + (1 - beta_s) * (
            np.abs(gk) if mistake == "abs_g" else gk**2
        )
        corr2 = 1 - b2**2 if mistake == "beta2_squared" else 1 - b2**tt
        vh, sh = (
            (v[dk], s[dk])
            if mistake == "no_correction"
            else (v[dk] / (1 - b1**tt), s[dk] / corr2)
        )
        if mistake == "store_corrected":
            v[dk], s[dk] = vh, sh
        if mistake == "precedence":  # v / (1 - β)**t instead of v / (1 - β**t)
            vh, sh = v[dk] / (1 - b1) ** tt, s[dk] / (1 - b2) ** tt
        denom = {
            "eps_inside": lambda: np.sqrt(sh + eps),
            "no_sqrt": lambda: sh + eps,
        }.get(mistake, lambda: np.sqrt(sh) + eps)()
        step = lr * (gk if mistake == "raw_g" else vh) / denom
        p[k] = p[k] + step if mistake == "wrong_sign" else p[k] - step
    return {"parameters": p, "v": v, "s": s}


ADAM_MISTAKES = [
    (
        "eps_inside",
        N_(
            "ε goes outside the square root: θ − α v̂ / (√ŝ + ε), as in Kingma & Ba "
            "(older published solutions and their expected-output table put it "
            "inside, √(ŝ + ε))."
        ),
    ),
    (
        "no_sqrt",
        N_("divide by the square root of ŝ: θ − α v̂ / (√ŝ + ε), not by ŝ itself."),
    ),
    (
        "beta2_squared",
        N_(
            "bias-correct s with 1 − β₂ᵗ (β₂ to the power t, the step counter), not "
            "1 − β₂²."
        ),
    ),
    (
        "beta1_in_s",
        N_(
            "s is the running mean of g² with its own rate: s ← β₂ s + (1 − β₂) g² "
            "(β₂, not β₁)."
        ),
    ),
    (
        "beta2_in_v",
        N_(
            "v is the running mean of g with rate β₁: v ← β₁ v + (1 − β₁) g (β₁, not "
            "β₂)."
        ),
    ),
    (
        "t_plus_1",
        N_(
            "the step counter t is 1-based already: bias-correct with 1 − βᵗ, not 1 "
            "− β^(t+1)."
        ),
    ),
    (
        "t_minus_1",
        N_(
            "the step counter t is 1-based already: bias-correct with 1 − βᵗ, not 1 "
            "− β^(t−1)."
        ),
    ),
    (
        "no_correction",
        N_("bias correction is missing: v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)."),
    ),
    ("abs_g", N_("s is the running mean of the SQUARED gradient g², not of |g|.")),
    (
        "store_corrected",
        N_(
            "store the uncorrected moments in v and s; put v̂ and ŝ in separate "
            "variables."
        ),
    ),
    (
        "only_some",
        N_(
            "update EVERY layer: L = len(parameters) // 2 and for l in range(L) with "
            "str(l + 1) covers 1 … L."
        ),
    ),
    ("wrong_sign", N_("Adam descends: θ ← θ − α v̂ / (√ŝ + ε) (minus, not plus).")),
    (
        "raw_g",
        N_("the step uses the corrected first moment v̂, not the raw gradient g."),
    ),
    (
        "precedence",
        N_(
            "bias correction divides by (1 − βᵗ): write 1 - beta1 ** t, not (1 - "
            "beta1) ** t."
        ),
    ),
]


def prefixed(d, prefix):
    return {f"{prefix}[{k!r}]": v for k, v in d.items()} if isinstance(d, dict) else {}


def _update_cases():
    cases = []
    # (L, t, learning_rate, beta1, beta2, epsilon): the last case has other β and ε than the defaults
    for L, t, lr, b1, b2, eps in (
        (1, 1, 0.01, 0.9, 0.999, 1e-8),
        (2, 3, 0.02, 0.9, 0.999, 1e-8),
        (3, 7, 0.01, 0.9, 0.999, 1e-8),
        (2, 4, 0.05, 0.8, 0.99, 1e-6),
    ):
        p, g, v, s = adam_state(110 + 10 * L + t, L, t)
        hyper = (lr, b1, b2, eps)
        ref_p, ref_v, ref_s = update_parameters_with_adam(
            copy_arrays(p), g, copy_arrays(v), copy_arrays(s), t, *hyper
        )
        corrected = (
            {k: a / (1 - b1**t) for k, a in ref_v.items()},
            {k: a / (1 - b2**t) for k, a in ref_s.items()},
        )
        label = (
            case_label(L=L, t=t)
            if b1 == 0.9
            else case_label(L=L, t=t, beta1=b1, beta2=b2, epsilon=eps)
        )
        cases.append(
            Case(
                label,
                (p, g, v, s, t) + hyper,
                p=p,
                g=g,
                v=v,
                s=s,
                t=t,
                hyper=hyper,
                expected=(ref_p, ref_v, ref_s) + corrected,
            )
        )
    return cases


def _judge_update(case, obs, notes):
    r, label = case.ref, case.label
    out = obs["output"]
    names = ("parameters", "v", "s", "v_corrected", "s_corrected")
    if isinstance(out, (tuple, list)) and len(out) in (3, 5):
        out = expect_tuple(out, names[: len(out)], label)
    else:
        expect_tuple(out, names[:3], label)  # raises: neither form
    for name, d in zip(names, out):
        _expect_moments(d, list(r["expected"][names.index(name)]), label, name)
    actual = {k: v for name, d in zip(names, out) for k, v in prefixed(d, name).items()}
    expected = {
        k: v
        for name, d in zip(names, r["expected"][: len(out)])
        for k, v in prefixed(d, name).items()
    }

    def thunk(mistake, hyper=r["hyper"]):
        res = adam_variant(r["p"], r["g"], r["v"], r["s"], r["t"], *hyper, mistake)
        return (
            prefixed(res["parameters"], "parameters")
            | prefixed(res["v"], "v")
            | prefixed(res["s"], "s")
        )

    variants = [(h, lambda m=m: thunk(m)) for m, h in ADAM_MISTAKES] + [
        (
            _(
                "use the beta1, beta2 and epsilon passed in: do not set them to the "
                "defaults inside the function."
            ),
            lambda: thunk(None, (r["hyper"][0], 0.9, 0.999, 1e-8)),
        ),
    ]
    verify(actual, expected, label, 1e-12, {k: ADAM_RULE for k in expected}, variants)


ADAM_CHECKS = [
    Check("initialize_adam", _init_cases, _judge_init),
    Check("update_parameters_with_adam", _update_cases, _judge_update),
]
