"""RTRL (NNDL §6.4.2): forward sensitivities give BPTT's gradients."""

import numpy as np
import pytest

from bptt import ACTIVATIONS, numerical_gradient, relative_error, srn_forward
from bptt.deep import srn_backward
from bptt.rtrl import (
    fitted_exponent,
    multiply_adds_per_step,
    rtrl_gradients,
    rtrl_init,
    rtrl_step,
    stored_floats,
    time_per_step,
)


def make_case(T=7, M=3, D=5, seed=0):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((T, M)),
        rng.standard_normal(D),
        0.7 * rng.standard_normal((D, D)),
        rng.standard_normal((D, M)),
        rng.standard_normal(D),
        rng.standard_normal((T, D)),
    )


@pytest.mark.parametrize("f", sorted(ACTIVATIONS))
def test_rtrl_equals_bptt(f):
    x, h0, U, W, b, g = make_case(seed=1)
    z, h = srn_forward(x, h0, U, W, b, f)
    ref = srn_backward(z, h, x, U, W, g, f)
    for ours, key in zip(rtrl_gradients(x, h0, U, W, b, g, f), ("dU", "dW", "db")):
        assert relative_error(ours, ref[key]) < 1e-12


def test_rtrl_equals_finite_differences():
    x, h0, U, W, b, g = make_case(seed=2)

    def loss(U=U, W=W, b=b):
        return np.sum(g * srn_forward(x, h0, U, W, b)[1][1:])

    dU, dW, db = rtrl_gradients(x, h0, U, W, b, g)
    assert relative_error(dU, numerical_gradient(lambda v: loss(U=v), U)) < 1e-7
    assert relative_error(dW, numerical_gradient(lambda v: loss(W=v), W)) < 1e-7
    assert relative_error(db, numerical_gradient(lambda v: loss(b=v), b)) < 1e-7


def test_sensitivities_are_jacobians():
    x, h0, U, W, b, _ = make_case(T=3, seed=3)
    state = rtrl_init(5, 3, h0)
    for t in range(3):
        state = rtrl_step(state, x[t], U, W, b)
    P_U = numerical_gradient(
        lambda v: srn_forward(x, h0, v, W, b)[1][-1] @ np.eye(5)[0], U
    )
    assert relative_error(state["P_U"][0], P_U) < 1e-7  # ∂[h_3]_0/∂u_ij


def test_online_prefix_gradients():
    x, h0, U, W, b, g = make_case(seed=4)
    state = rtrl_init(5, 3, h0)
    dU = np.zeros((5, 5))
    for t in range(len(x)):
        state = rtrl_step(state, x[t], U, W, b)
        dU += np.tensordot(g[t], state["P_U"], axes=1)
        z, h = srn_forward(x[: t + 1], h0, U, W, b)
        assert (
            relative_error(dU, srn_backward(z, h, x[: t + 1], U, W, g[: t + 1])["dU"])
            < 1e-12
        )


def test_costs():
    assert stored_floats(4, 3, 10) == {"rtrl": 64 + 48 + 16 + 4, "bptt": 84}
    assert multiply_adds_per_step(4, 3) == {"rtrl": 16 * 32 + 4 * 32, "bptt": 48 + 36}
    assert fitted_exponent([2, 4, 8], [3 * 2**4, 3 * 4**4, 3 * 8**4]) == pytest.approx(
        4.0
    )
    assert time_per_step("rtrl", 8, T=3, repeats=1) > 0
    with pytest.raises(ValueError, match="algorithm"):
        time_per_step("forward", 8)


def test_refuses_bad_shapes():
    x, h0, U, W, b, g = make_case()
    with pytest.raises(ValueError, match="dL_dh"):
        rtrl_gradients(x, h0, U, W, b, g[:-1])
    with pytest.raises(ValueError, match="W"):
        rtrl_gradients(x, h0, U, W.T, b, g)
