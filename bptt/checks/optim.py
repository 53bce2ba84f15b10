"""Checks of Adam (deeplearning.ai C2W2) and of both published clipping exercises.

Adam follows the published contract: parameters ``W1, b1, …, WL, bL`` with
``L = len(parameters) // 2`` (cases with 1, 2 and 3 layers), and
``update_parameters_with_adam`` may return ``(parameters, v, s)`` or the newer
``(parameters, v, s, v_corrected, s_corrected)``.  Clipping comes twice:
``clip_grad_norm`` (one global norm, as ``torch.nn.utils.clip_grad_norm_``)
and the Dinosaurus assignment's ``clip(gradients, maxValue)`` (each entry
clipped to [−maxValue, maxValue]).

The Adam checks are in :mod:`bptt.checks.adam`, the clipping checks in
:mod:`bptt.checks.clipping`; this module holds the check of the clipped Adam
step, which uses both, and gathers the five in ``CHECKS``.
"""

from ..i18n import _
from ..optim import clip_grad_norm, update_parameters_with_adam
from .adam import (
    ADAM_CHECKS,
    ADAM_MISTAKES,
    ADAM_RULE,
    LAST_LAYER_HINT,
    LAYER_SIZES,
    adam_parameters,
    adam_state,
    adam_variant,
    copy_arrays,
    prefixed,
)
from .clipping import CLIP_CHECKS, CLIP_MISTAKES, DINO_KEYS, clip_variant
from .core import (
    Case,
    Check,
    case_label,
    expect_dict,
    expect_tuple,
    verify,
)


def _clipped_step_cases():
    cases = []
    for t, lr in ((1, 0.01), (4, 0.03)):
        p, g, v, s = adam_state(130 + t, 2, t)
        g = {k: 5 * a for k, a in g.items()}
        max_norm = 1.0
        clipped, norm = clip_grad_norm(g, max_norm)
        ref = update_parameters_with_adam(
            copy_arrays(p), clipped, copy_arrays(v), copy_arrays(s), t, learning_rate=lr
        )
        unclipped = update_parameters_with_adam(
            copy_arrays(p), g, copy_arrays(v), copy_arrays(s), t, learning_rate=lr
        )
        default_lr = update_parameters_with_adam(
            copy_arrays(p), clipped, copy_arrays(v), copy_arrays(s), t
        )
        cases.append(
            Case(
                case_label(t=t, learning_rate=lr),
                (p, g, v, s, t, max_norm, lr),
                ref=ref,
                norm=norm,
                unclipped=unclipped,
                default_lr=default_lr,
                state=(p, g, v, s, t, max_norm, lr),
            )
        )
    return cases


def _flat3(res):
    return (
        prefixed(res[0], "parameters") | prefixed(res[1], "v") | prefixed(res[2], "s")
    )


def _judge_clipped_step(case, obs, notes):
    r, label = case.ref, case.label
    out = expect_tuple(obs["output"], ("parameters", "v", "s", "total_norm"), label)
    for name, d, want in zip(("parameters", "v", "s"), out, r["ref"]):
        expect_dict(d, list(want), label, name)
    variants = [
        (
            _(
                "clip the gradients BEFORE the Adam update (clipping afterwards leaves "
                "the step unclipped)."
            ),
            lambda: _flat3(r["unclipped"]),
        ),
        (
            _(
                "pass learning_rate on to update_parameters_with_adam (it otherwise uses "
                "its default)."
            ),
            lambda: _flat3(r["default_lr"]),
        ),
    ]
    p, g, v, s, t, max_norm, lr = r["state"]

    def adam_wrong(mistake):
        res = adam_variant(
            p, clip_grad_norm(g, max_norm)[0], v, s, t, lr, 0.9, 0.999, 1e-8, mistake
        )
        return _flat3((res["parameters"], res["v"], res["s"]))

    def clip_wrong(mistake):
        clipped = {
            k: a
            for k, a in clip_variant(g, max_norm, mistake).items()
            if k != "total_norm"
        }
        return _flat3(
            update_parameters_with_adam(
                copy_arrays(p),
                clipped,
                copy_arrays(v),
                copy_arrays(s),
                t,
                learning_rate=lr,
            )
        )

    variants += [
        (_("{hint} (in the Adam step)").format(hint=_(h)), lambda m=m: adam_wrong(m))
        for m, h in ADAM_MISTAKES
    ]
    variants += [
        (_("{hint} (in the clipping)").format(hint=_(h)), lambda m=m: clip_wrong(m))
        for m, h in CLIP_MISTAKES
        if m != "clipped_norm"
    ]
    expected = _flat3(r["ref"]) | {"total_norm": r["norm"]}
    hints = {
        k: _(
            "clipped, total_norm = clip_grad_norm(grads, max_norm); then "
            "update_parameters_with_adam(..., clipped, ...)."
        )
        for k in expected
    }
    hints["total_norm"] = _(
        "return the norm reported by clip_grad_norm (before clipping)."
    )
    verify(
        _flat3(out) | {"total_norm": out[3]}, expected, label, 1e-12, hints, variants
    )


CHECKS = [
    *ADAM_CHECKS,
    *CLIP_CHECKS,
    Check(
        "clipped_adam_step",
        _clipped_step_cases,
        _judge_clipped_step,
        depends=("update_parameters_with_adam", "clip_grad_norm"),
    ),
]


__all__ = [
    "ADAM_CHECKS",
    "ADAM_MISTAKES",
    "ADAM_RULE",
    "CHECKS",
    "CLIP_CHECKS",
    "CLIP_MISTAKES",
    "DINO_KEYS",
    "LAST_LAYER_HINT",
    "LAYER_SIZES",
    "adam_parameters",
    "adam_state",
    "adam_variant",
    "clip_variant",
    "copy_arrays",
    "prefixed",
]
