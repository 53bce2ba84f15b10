"""Check of Exercise 6-2 in NNDL's notation: gradients (6.40) and (6.41) w.r.t. W and b."""

import numpy as np

from ..delta import error_terms, gradients_double_sum, srn_forward
from ..gradcheck import numerical_gradient
from ..i18n import _
from .core import Case, Check, case_label, expect_tuple, forbid_mutation, verify

GRAD_WB_SHAPES = [(4, 3, 2), (1, 2, 3), (5, 2, 1)]  # (T, D, M)


def _cases():
    cases = []
    for i, (T, D, M) in enumerate(GRAD_WB_SHAPES):
        rng = np.random.default_rng(50 + i)
        U, W, b = (
            0.5 * rng.standard_normal((D, D)),
            rng.standard_normal((D, M)),
            rng.standard_normal(D),
        )
        x, h0, dL_dh = (
            rng.standard_normal((T, M)),
            rng.standard_normal(D),
            rng.standard_normal((T, D)),
        )
        z, h = srn_forward(x, h0, U, W, b)
        delta = error_terms(z, U, dL_dh)
        _, dW, db = gradients_double_sum(delta, h, x)
        fd = None
        if (
            i == 0
        ):  # referee: the loss Σ_t L_t with ∂L_t/∂h_t = dL_dh[t] held fixed, by central differences

            def loss(Wv, bv):
                return np.sum(srn_forward(x, h0, U, Wv, bv)[1][1:] * dL_dh)

            fd = {
                "dW": numerical_gradient(lambda v: loss(v, b), W),
                "db": numerical_gradient(lambda v: loss(W, v), b),
            }
        cases.append(
            Case(
                case_label(T=T, D=D, M=M),
                (delta, x),
                dW=dW,
                db=db,
                fd=fd,
                delta=delta,
                x=x,
                T=T,
            )
        )
    return cases


def _judge(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("delta", "x"))
    dW, db = expect_tuple(obs["output"], ("dW", "db"), label)
    delta, x, T = r["delta"], r["x"], r["T"]
    hints = {
        "dW": "(6.40): ∂L/∂W = Σ_t Σ_{k≤t} δ_{t,k} x_kᵀ.",
        "db": "(6.41): ∂L/∂b = Σ_t Σ_{k≤t} δ_{t,k}.",
    }
    variants = [
        (
            _(
                "pair δ_{t,k} with x_k, the input of step k where z_k is formed, not "
                "with x_t (a common index slip)."
            ),
            lambda: {
                "dW": sum(
                    np.outer(delta[t, k], x[t]) for t in range(T) for k in range(t + 1)
                )
            },
        ),
        (
            _(
                "the inner sum runs over all k ≤ t, not only k = t: the loss L_t reaches "
                "z_k through h_k … h_t."
            ),
            lambda: {
                "dW": sum(np.outer(delta[t, t], x[t]) for t in range(T)),
                "db": sum(delta[t, t] for t in range(T)),
            },
        ),
        (
            _("∂L/∂b is the double SUM of δ_{t,k} over t and k ≤ t, not a mean."),
            lambda: {"db": r["db"] / T**2},
        ),
        (
            _("the inner sum includes k = t: for k in range(t + 1), not range(t)."),
            lambda: {
                "dW": sum(
                    (np.outer(delta[t, k], x[k]) for t in range(T) for k in range(t)),
                    np.zeros_like(r["dW"]),
                ),
                "db": sum(
                    (delta[t, k] for t in range(T) for k in range(t)),
                    np.zeros_like(r["db"]),
                ),
            },
        ),
    ]
    verify(
        {"dW": dW, "db": db},
        {"dW": r["dW"], "db": r["db"]},
        label,
        1e-12,
        hints,
        variants,
    )
    if r["fd"] is not None:
        verify(
            {"dW": dW, "db": db},
            r["fd"],
            _("{case} against finite differences").format(case=label),
            1e-7,
            hints,
        )


CHECKS = [Check("gradients_w_b", _cases, _judge)]
