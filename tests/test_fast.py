"""The batched fast path equals the step-by-step teaching loop and the operator."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bptt import (
    NumpyRNN,
    random_rnn_parameters,
    relative_error,
    rnn_backward,
    rnn_backward_fast,
    rnn_forward,
    rnn_forward_fast,
    rnn_layer_backward,
    rnn_layer_backward_fast,
    rnn_layer_forward,
    rnn_layer_forward_fast,
)

TOL = 1e-12
SHAPES = [
    (3, 5, 2, 10, 4),
    (1, 4, 3, 1, 1),
    (2, 3, 2, 1, 50),
    (6, 8, 2, 7, 20),
    (4, 2, 5, 3, 5),
]  # (n_x, n_a, n_y, m, T)


def dlai_case(n_x, n_a, n_y, m, T, seed=0):
    rng = np.random.default_rng(seed)
    parameters = random_rnn_parameters(n_x, n_a, n_y, rng)
    return (
        parameters,
        rng.standard_normal((n_x, m, T)),
        rng.standard_normal((n_a, m)),
        rng.standard_normal((n_a, m, T)),
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_fast_equals_teaching_loop(shape):
    parameters, x, a0, da = dlai_case(*shape)
    a_ref, _, caches = rnn_forward(x, a0, parameters)
    grads_ref = rnn_backward(da, caches)
    a, cache = rnn_forward_fast(x, a0, parameters)
    grads = rnn_backward_fast(da, cache)
    assert a.shape == a_ref.shape
    assert relative_error(a, a_ref) <= TOL
    assert set(grads) == set(grads_ref)
    for name, expected in grads_ref.items():
        assert grads[name].shape == expected.shape, name
        assert relative_error(grads[name], expected) <= TOL, name


@settings(max_examples=25, deadline=None)
@given(
    n_x=st.integers(1, 6),
    H=st.integers(1, 7),
    m=st.integers(1, 4),
    T=st.integers(1, 12),
    with_h0=st.booleans(),
    with_dhn=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_fast_layer_equals_operator(n_x, H, m, T, with_h0, with_dhn, seed):
    rng = np.random.default_rng(seed)
    params = NumpyRNN(n_x, H, seed=seed).parameters()
    x = rng.standard_normal((T, m, n_x))
    h0 = rng.standard_normal((1, m, H)) if with_h0 else None
    d_out = rng.standard_normal((T, m, H))
    d_hn = rng.standard_normal((1, m, H)) if with_dhn else None
    out_ref, hn_ref, cache_ref = rnn_layer_forward(x, h0, params)
    grads_ref = rnn_layer_backward(d_out, d_hn, cache_ref)
    out, hn, cache = rnn_layer_forward_fast(x, h0, params)
    grads = rnn_layer_backward_fast(d_out, d_hn, cache)
    assert relative_error(out, out_ref) <= TOL
    assert relative_error(hn, hn_ref) <= TOL
    for name, expected in grads_ref.items():
        assert relative_error(grads[name], expected) <= TOL, name


def test_fast_does_not_modify_inputs():
    parameters, x, a0, da = dlai_case(3, 4, 2, 2, 5)
    saved = [x.copy(), a0.copy(), da.copy()] + [v.copy() for v in parameters.values()]
    _, cache = rnn_forward_fast(x, a0, parameters)
    rnn_backward_fast(da, cache)
    for before, after in zip(saved, [x, a0, da, *parameters.values()]):
        np.testing.assert_array_equal(before, after)


def test_fast_bad_input():
    parameters, x, a0, da = dlai_case(3, 4, 2, 2, 5)
    with pytest.raises(
        ValueError, match=r"x must have shape \(3, 2, 5\), got \(2, 2, 5\)"
    ):
        rnn_forward_fast(x[:2], a0, parameters)
    with pytest.raises(ValueError, match=r"a0 must have shape \(4, 2\), got \(2, 4\)"):
        rnn_forward_fast(x, a0.T, parameters)
    with pytest.raises(ValueError, match=r"missing key\(s\) \['Waa'\]"):
        rnn_forward_fast(x, a0, {"Wax": parameters["Wax"], "ba": parameters["ba"]})
    _, cache = rnn_forward_fast(x, a0, parameters)
    with pytest.raises(
        ValueError, match=r"da must have shape \(4, 2, 5\), got \(4, 2, 4\)"
    ):
        rnn_backward_fast(da[:, :, :4], cache)
    _, _, cache = rnn_layer_forward_fast(
        np.ones((2, 1, 3)), None, NumpyRNN(3, 4).parameters()
    )
    with pytest.raises(
        ValueError,
        match=r"d_output must be 3-D with shape \(T, m, H\), got shape \(2, 4\)",
    ):
        rnn_layer_backward_fast(np.ones((2, 4)), None, cache)
