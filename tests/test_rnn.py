"""The simple RNN against central differences, PyTorch autograd and bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bptt import (
    numerical_gradient,
    random_rnn_parameters,
    relative_error,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)

SHAPES = [  # (n_x, n_a, n_y, m, T_x)
    (3, 5, 2, 10, 4),
    (1, 4, 3, 1, 1),
    (2, 3, 2, 1, 6),
    (4, 2, 5, 3, 1),
]


def make_case(n_x, n_a, n_y, m, T_x, seed=0):
    rng = np.random.default_rng(seed)
    parameters = random_rnn_parameters(n_x, n_a, n_y, rng)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    return x, a0, parameters, da


def autograd_reference(x, a0, parameters, da):
    """Return the autograd gradients keyed like rnn_backward's output."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    xt = torch.tensor(x, requires_grad=True)
    a0t = torch.tensor(a0, requires_grad=True)
    a_prev, states = a0t, []
    for step in range(x.shape[2]):
        a_prev = torch.tanh(t["Wax"] @ xt[:, :, step] + t["Waa"] @ a_prev + t["ba"])
        states.append(a_prev)
    loss = (torch.stack(states, dim=2) * torch.tensor(da)).sum()
    dx, da0, dWax, dWaa, dba = torch.autograd.grad(
        loss, [xt, a0t, t["Wax"], t["Waa"], t["ba"]]
    )
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_backward_matches_autograd(shape):
    x, a0, parameters, da = make_case(*shape)
    _, _, caches = rnn_forward(x, a0, parameters)
    grads = rnn_backward(da, caches)
    expected = autograd_reference(x, a0, parameters, da)
    for key, value in expected.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value.numpy()) < 1e-10, key


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_backward_matches_finite_differences(shape):
    x, a0, parameters, da = make_case(*shape, seed=1)
    _, _, caches = rnn_forward(x, a0, parameters)
    grads = rnn_backward(da, caches)

    def hidden(**changed):
        args = {"x": x, "a0": a0, "parameters": parameters} | changed
        return rnn_forward(args["x"], args["a0"], args["parameters"])[0]

    numeric = {
        "dx": numerical_gradient(lambda v: hidden(x=v), x, da),
        "da0": numerical_gradient(lambda v: hidden(a0=v), a0, da),
    }
    for name in ("Wax", "Waa", "ba"):
        numeric["d" + name] = numerical_gradient(
            lambda v, name=name: hidden(parameters=parameters | {name: v}),
            parameters[name],
            da,
        )
    for key, value in numeric.items():
        assert relative_error(grads[key], value) < 1e-7, key


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_cell_backward_matches_finite_differences(shape):
    x, a0, parameters, da = make_case(*shape, seed=2)
    xt, da_next = x[:, :, 0], da[:, :, 0]
    _, _, cache = rnn_cell_forward(xt, a0, parameters)
    grads = rnn_cell_backward(da_next, cache)

    def a_next(xt=xt, a_prev=a0, parameters=parameters):
        return rnn_cell_forward(xt, a_prev, parameters)[0]

    numeric = {
        "dxt": numerical_gradient(lambda v: a_next(xt=v), xt, da_next),
        "da_prev": numerical_gradient(lambda v: a_next(a_prev=v), a0, da_next),
        "dWax": numerical_gradient(
            lambda v: a_next(parameters=parameters | {"Wax": v}),
            parameters["Wax"],
            da_next,
        ),
        "dWaa": numerical_gradient(
            lambda v: a_next(parameters=parameters | {"Waa": v}),
            parameters["Waa"],
            da_next,
        ),
        "dba": numerical_gradient(
            lambda v: a_next(parameters=parameters | {"ba": v}),
            parameters["ba"],
            da_next,
        ),
    }
    assert set(grads) == set(numeric)
    for key, value in numeric.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-7, key


def test_forward_matches_torch_rnn_cell():
    x, a0, parameters, _ = make_case(3, 5, 2, 4, 3)
    cell = torch.nn.RNNCell(3, 5, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(parameters["Wax"]))
        cell.weight_hh.copy_(torch.tensor(parameters["Waa"]))
        cell.bias_ih.copy_(torch.tensor(parameters["ba"][:, 0]))
        cell.bias_hh.zero_()
        h = cell(torch.tensor(x[:, :, 0].T), torch.tensor(a0.T)).numpy().T
    a_next, yt_pred, cache = rnn_cell_forward(x[:, :, 0], a0, parameters)
    assert relative_error(a_next, h) < 1e-14
    np.testing.assert_allclose(yt_pred.sum(axis=0), 1.0)
    # the cache holds copies: equal values, but no array shared with the caller
    assert (
        np.array_equal(cache[0], a_next)
        and np.array_equal(cache[1], a0)
        and set(cache[3]) == set(parameters)
    )
    assert not np.shares_memory(cache[0], a_next) and not np.shares_memory(cache[1], a0)
    assert all(not np.shares_memory(cache[3][k], parameters[k]) for k in parameters)


def test_forward_caches_and_shapes():
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    assert a.shape == (5, 10, 4) and y_pred.shape == (2, 10, 4)
    step_caches, x_cached = caches
    assert (
        np.array_equal(x_cached, x)
        and not np.shares_memory(x_cached, x)
        and len(step_caches) == 4
    )
    assert np.array_equal(step_caches[0][1], a0) and not np.shares_memory(
        step_caches[0][1], a0
    )
    for t in range(1, 4):  # the state is carried forward
        np.testing.assert_array_equal(step_caches[t][1], a[:, :, t - 1])


def test_backward_reads_steps_from_da():
    x, a0, parameters, da = make_case(3, 5, 2, 10, 7)
    _, _, caches = rnn_forward(x, a0, parameters)
    grads = rnn_backward(da[:, :, :4], caches)
    assert grads["dx"].shape == (3, 10, 4)
    short_caches = rnn_forward(x[:, :, :4], a0, parameters)[2]
    expected = rnn_backward(da[:, :, :4], short_caches)
    for key in expected:
        np.testing.assert_allclose(grads[key], expected[key])


@settings(max_examples=25, deadline=None)
@given(
    n_x=st.integers(1, 4),
    n_a=st.integers(1, 4),
    n_y=st.integers(1, 3),
    m=st.integers(1, 3),
    T_x=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_backward_matches_autograd_on_any_shape(n_x, n_a, n_y, m, T_x, seed):
    x, a0, parameters, da = make_case(n_x, n_a, n_y, m, T_x, seed)
    _, _, caches = rnn_forward(x, a0, parameters)
    grads = rnn_backward(da, caches)
    expected = autograd_reference(x, a0, parameters, da)
    assert set(grads) == set(expected)
    for key, value in expected.items():
        assert grads[key].shape == tuple(value.shape), key
        assert relative_error(grads[key], value.numpy()) < 1e-10, key


def test_missing_parameter_is_named():
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    del parameters["ba"], parameters["by"]
    with pytest.raises(ValueError, match=r"missing key\(s\) \['ba', 'by'\]"):
        rnn_forward(x, a0, parameters)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda x, a0, p: (x[:, :, 0], a0, p),
            r"x must be 3-D with shape \(n_x, m, T_x\), got shape \(3, 10\)",
        ),
        (
            lambda x, a0, p: (x, a0[:4], p),
            r"a0 must have shape \(5, 10\) \(.*n_a from parameters.*\), got \(4, 10\)",
        ),
        (
            lambda x, a0, p: (x[:2], a0, p),
            r"x must have shape \(3, 10, 4\) \(.*n_x from parameters.*\), got \(2, 10, 4\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"ba": p["ba"][:, 0]}),
            r"parameters\['ba'\] must have shape \(5, 1\), got \(5,\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Waa": p["Waa"][:, :4]}),
            r"parameters\['Waa'\] must have shape \(5, 5\)",
        ),
    ],
)
def test_bad_shapes_raise_value_error(change, message):
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    with pytest.raises(ValueError, match=message):
        rnn_forward(*change(x, a0, parameters))


def test_bad_upstream_shape_raises():
    x, a0, parameters, da = make_case(3, 5, 2, 10, 4)
    _, _, caches = rnn_forward(x, a0, parameters)
    with pytest.raises(
        ValueError, match=r"da must have shape \(5, 10, 4\), got \(5, 9, 4\)"
    ):
        rnn_backward(da[:, :9], caches)
    with pytest.raises(ValueError, match="caches hold only 4"):
        rnn_backward(np.zeros((5, 10, 5)), caches)
    with pytest.raises(ValueError, match=r"da_next must have shape \(5, 10\)"):
        rnn_cell_backward(np.zeros((5, 1)), caches[0][0])


def test_a_list_is_refused_with_a_clear_message():
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    with pytest.raises(
        ValueError, match=r"x must be an array of shape \(n_x, m, T_x\), got list"
    ):
        rnn_forward(x.tolist(), a0, parameters)
