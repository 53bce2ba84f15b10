"""Checks of both published clipping exercises.

``clip_grad_norm`` (one global norm, as ``torch.nn.utils.clip_grad_norm_``)
and the Dinosaurus assignment's ``clip(gradients, maxValue)`` (each entry
clipped to [−maxValue, maxValue]).
"""

import numpy as np

from ..i18n import N_, _
from ..optim import clip_grad_norm
from .core import (
    Case,
    Check,
    Failure,
    expect_dict,
    expect_tuple,
    mutated,
    verify,
)

CLIP_MISTAKES = [
    (
        "per_array",
        N_(
            "use ONE global norm over all arrays together, √(Σ‖g‖²), and one common "
            "factor (this keeps the direction)."
        ),
    ),
    (
        "always_scale",
        N_(
            "only shrink: the factor is min(1, max_norm / (total_norm + 1e-6)); "
            "small gradients stay unchanged."
        ),
    ),
    (
        "no_eps",
        N_("like torch.nn.utils.clip_grad_norm_, divide by (total_norm + 1e-6)."),
    ),
    (
        "clipped_norm",
        N_("return the total norm measured BEFORE clipping (as torch does)."),
    ),
    (
        "sum_of_norms",
        N_(
            "the global norm is √(Σ‖g‖²) over the arrays, not the sum of their norms "
            "Σ‖g‖."
        ),
    ),
    ("no_sqrt", N_("the global norm is the square ROOT of Σ g² over all entries.")),
]


def clip_variant(grads, max_norm, mistake):
    norms = {k: np.linalg.norm(g) for k, g in grads.items()}
    total = float(np.sqrt(sum(n**2 for n in norms.values())))
    if mistake == "per_array":
        return {
            k: g * min(1.0, max_norm / (norms[k] + 1e-6)) for k, g in grads.items()
        } | {"total_norm": total}
    if mistake in ("sum_of_norms", "no_sqrt"):
        total = (
            float(sum(norms.values()))
            if mistake == "sum_of_norms"
            else float(sum(n**2 for n in norms.values()))
        )
        coef = min(1.0, max_norm / (total + 1e-6))
        return {k: g * coef for k, g in grads.items()} | {"total_norm": total}
    if mistake == "always_scale":
        return {k: g * max_norm / (total + 1e-6) for k, g in grads.items()} | {
            "total_norm": total
        }
    coef = min(1.0, max_norm / (total + (0 if mistake == "no_eps" else 1e-6)))
    clipped = {k: g * coef for k, g in grads.items()}
    if mistake == "clipped_norm":
        return clipped | {
            "total_norm": float(np.sqrt(sum(np.sum(c**2) for c in clipped.values())))
        }
    return clipped | {"total_norm": total}


def _clip_norm_cases():
    import torch

    rng = np.random.default_rng(120)
    raw = [
        (
            {"dW": 3 * rng.standard_normal((3, 2)), "db": rng.standard_normal((3, 1))},
            1.0,
        ),  # clipped
        (
            {
                "dW": 0.1 * rng.standard_normal((2, 2)),
                "db": 0.1 * rng.standard_normal((2, 1)),
            },
            5.0,
        ),  # below the threshold
        (
            {
                "dWaa": rng.standard_normal((4, 4)),
                "dba": 10 * rng.standard_normal((4, 1)),
                "dWax": rng.standard_normal((4, 1)),
            },
            2.0,
        ),
    ]
    cases = []
    for j, (grads, max_norm) in enumerate(raw):
        ref, ref_norm = clip_grad_norm(grads, max_norm)
        tensors = [torch.tensor(g) for g in grads.values()]
        for tns in tensors:
            tns.grad = tns.clone()
        torch_norm = float(torch.nn.utils.clip_grad_norm_(tensors, max_norm))
        torch_clipped = {k: tns.grad.numpy() for k, tns in zip(grads, tensors)}
        cases.append(
            Case(
                (
                    N_("(case {number}, max_norm={max_norm})"),
                    {"number": j + 1, "max_norm": max_norm},
                ),
                (grads, max_norm),
                grads=grads,
                max_norm=max_norm,
                ref=ref | {"total_norm": ref_norm},
                torch=torch_clipped | {"total_norm": torch_norm},
            )
        )
    return cases


def _judge_clip_norm(case, obs, notes):
    r, label = case.ref, case.label
    clipped, total = expect_tuple(obs["output"], ("clipped", "total_norm"), label)
    expect_dict(clipped, list(r["grads"]), label, "clipped")
    changed = mutated(
        r["grads"], obs["args_after"][0] if obs["args_after"] else None, "grads"
    )
    if changed:
        raise Failure(
            _("the input {name} was modified {case}").format(
                name=changed[0], case=label
            ),
            _("return new arrays (g * factor); do not scale grads in place."),
        )
    actual = dict(clipped) | {"total_norm": total}
    variants = [
        (h, lambda m=m: clip_variant(r["grads"], r["max_norm"], m))
        for m, h in CLIP_MISTAKES
    ]
    hints = {
        "total_norm": _("total_norm = √(Σ over all arrays of Σ g²), before clipping.")
    }
    verify(actual, r["ref"], label, 1e-12, hints, variants)
    verify(
        actual,
        r["torch"],
        _("{case} against torch.nn.utils.clip_grad_norm_").format(case=label),
        1e-12,
        hints,
        variants,
    )


DINO_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")


def _dino_cases():
    cases = []
    for j, (n_x, n_a, n_y, scale, max_value) in enumerate(
        ((4, 5, 4, 10.0, 10.0), (3, 2, 3, 4.0, 5.0), (2, 3, 2, 0.1, 5.0))
    ):
        rng = np.random.default_rng(125 + j)
        shapes = {
            "dWaa": (n_a, n_a),
            "dWax": (n_a, n_x),
            "dWya": (n_y, n_a),
            "db": (n_a, 1),
            "dby": (n_y, 1),
        }
        grads = {k: scale * rng.standard_normal(s) for k, s in shapes.items()}
        cases.append(
            Case(
                (
                    N_("(case {number}, maxValue={max_value})"),
                    {"number": j + 1, "max_value": max_value},
                ),
                (grads, max_value),
                grads=grads,
                max_value=max_value,
                expected={
                    k: np.clip(g, -max_value, max_value) for k, g in grads.items()
                },
            )
        )
    return cases


def _judge_dino(case, obs, notes):
    r, label = case.ref, case.label
    out = expect_dict(obs["output"], DINO_KEYS, label, _("the returned gradients"))
    g, mv = r["grads"], r["max_value"]
    variants = [
        (
            _(
                "clip both sides: np.clip(gradient, -maxValue, maxValue) (large negative "
                "entries too)."
            ),
            lambda: {k: np.minimum(a, mv) for k, a in g.items()},
        ),
        (
            _("clip to [−maxValue, maxValue], not to [0, maxValue]."),
            lambda: {k: np.clip(a, 0, mv) for k, a in g.items()},
        ),
        (
            _(
                "this clip is element-wise: every entry is clipped on its own, not "
                "rescaled by a norm (that is clip_grad_norm)."
            ),
            lambda: {k: a * min(1.0, mv / np.linalg.norm(a)) for k, a in g.items()},
        ),
    ]

    def untouched(key, act, exp):
        if _same(act, g[key]):
            return _(
                "gradients[{key!r}] was not clipped: clip every gradient, all five "
                "(dWaa, dWax, dWya, db, dby)."
            ).format(key=key)
        return None

    hints = {
        k: _("each entry becomes min(max(g, −maxValue), maxValue).") for k in DINO_KEYS
    }
    verify(out, r["expected"], label, 0, hints, variants, untouched)


def _same(a, b):
    return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)


CLIP_CHECKS = [
    Check("clip_grad_norm", _clip_norm_cases, _judge_clip_norm),
    Check("clip", _dino_cases, _judge_dino),
]
