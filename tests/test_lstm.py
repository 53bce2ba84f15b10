"""The LSTM against central differences, PyTorch autograd, torch.nn.LSTM and bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bptt import (
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    numerical_gradient,
    relative_error,
)
from bptt.lstm import random_lstm_parameters

GATES = ("f", "i", "c", "o")
SHAPES = [  # (n_x, n_a, n_y, m, T_x)
    (3, 5, 2, 10, 4),
    (1, 4, 3, 1, 1),  # n_x = 1, m = 1, T_x = 1
    (2, 3, 2, 1, 6),  # m = 1
    (4, 2, 5, 3, 1),  # T_x = 1
    (1, 1, 1, 2, 3),  # n_x = n_a = n_y = 1
]
CELL_KEYS = {
    "dxt",
    "da_prev",
    "dc_prev",
    "dWf",
    "dbf",
    "dWi",
    "dbi",
    "dWc",
    "dbc",
    "dWo",
    "dbo",
}
SEQ_KEYS = {"dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}


def make_case(n_x, n_a, n_y, m, T_x, seed=0):
    rng = np.random.default_rng(seed)
    parameters = random_lstm_parameters(n_x, n_a, n_y, rng)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    return x, a0, parameters, da


# ---------------------------------------------------------------- references


def autograd_sequence(x, a0, parameters, da):
    """Independent torch re-implementation of the equations; autograd gradients."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    xt = torch.tensor(x, requires_grad=True)
    a0t = torch.tensor(a0, requires_grad=True)
    a_prev, c_prev, states = a0t, torch.zeros_like(a0t), []
    for step in range(da.shape[2]):
        concat = torch.cat([a_prev, xt[:, :, step]], dim=0)
        f = torch.sigmoid(t["Wf"] @ concat + t["bf"])
        i = torch.sigmoid(t["Wi"] @ concat + t["bi"])
        g = torch.tanh(t["Wc"] @ concat + t["bc"])
        o = torch.sigmoid(t["Wo"] @ concat + t["bo"])
        c_prev = f * c_prev + i * g
        a_prev = o * torch.tanh(c_prev)
        states.append(a_prev)
    loss = (torch.stack(states, dim=2) * torch.tensor(da)).sum()
    names = ["dx", "da0"] + [f"d{k}{g}" for g in GATES for k in ("W", "b")]
    inputs = [xt, a0t] + [t[f"{k}{g}"] for g in GATES for k in ("W", "b")]
    return {n: v.numpy() for n, v in zip(names, torch.autograd.grad(loss, inputs))}


def to_torch_lstm(parameters, n_x):
    """A float64 torch.nn.LSTM holding the same weights (gates stacked i, f, g, o)."""
    n_a = parameters["Wf"].shape[0]
    lstm = torch.nn.LSTM(n_x, n_a, dtype=torch.float64)
    order = ("i", "f", "c", "o")  # PyTorch's order; its "g" is our candidate c
    with torch.no_grad():
        lstm.weight_hh_l0.copy_(
            torch.tensor(np.vstack([parameters["W" + g][:, :n_a] for g in order]))
        )
        lstm.weight_ih_l0.copy_(
            torch.tensor(np.vstack([parameters["W" + g][:, n_a:] for g in order]))
        )
        lstm.bias_ih_l0.copy_(
            torch.tensor(np.concatenate([parameters["b" + g][:, 0] for g in order]))
        )
        lstm.bias_hh_l0.zero_()
    return lstm, order


def torch_lstm_run(parameters, x, a0, T=None):
    """Run torch.nn.LSTM on x[:, :, :T]; return (h (n_a, m, T), c_T (n_a, m), lstm, tensors)."""
    n_x = x.shape[0]
    T = x.shape[2] if T is None else T
    lstm, order = to_torch_lstm(parameters, n_x)
    inp = torch.tensor(
        np.transpose(x[:, :, :T], (2, 1, 0)).copy(), requires_grad=True
    )  # (T, m, n_x)
    h0 = torch.tensor(a0.T[None].copy(), requires_grad=True)  # (1, m, n_a)
    c0 = torch.zeros_like(h0)
    out, (_, c_T) = lstm(inp, (h0, c0))
    return out, c_T, lstm, order, inp, h0


# ---------------------------------------------------------------- cell


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_cell_backward_matches_finite_differences(shape):
    n_x, n_a, n_y, m, _ = shape
    x, a0, parameters, da = make_case(*shape, seed=2)
    rng = np.random.default_rng(3)
    xt, c_prev = x[:, :, 0], rng.standard_normal((n_a, m))
    da_next, dc_next = da[:, :, 0], rng.standard_normal((n_a, m))
    cache = lstm_cell_forward(xt, a0, c_prev, parameters)[3]
    grads = lstm_cell_backward(da_next, dc_next, cache)
    upstream = np.concatenate([da_next, dc_next])

    def states(xt=xt, a_prev=a0, c_prev=c_prev, parameters=parameters):
        a_next, c_next, _, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
        return np.concatenate(
            [a_next, c_next]
        )  # loss = Σ a_next·da_next + c_next·dc_next

    numeric = {
        "dxt": numerical_gradient(lambda v: states(xt=v), xt, upstream),
        "da_prev": numerical_gradient(lambda v: states(a_prev=v), a0, upstream),
        "dc_prev": numerical_gradient(lambda v: states(c_prev=v), c_prev, upstream),
    }
    for g in GATES:
        for k in ("W", "b"):
            name = k + g
            numeric["d" + name] = numerical_gradient(
                lambda v, name=name: states(parameters=parameters | {name: v}),
                parameters[name],
                upstream,
            )
    assert set(grads) == CELL_KEYS == set(numeric)
    for key, value in numeric.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-7, key


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_cell_backward_matches_autograd(shape):
    n_x, n_a, n_y, m, _ = shape
    x, a0, parameters, da = make_case(*shape, seed=4)
    rng = np.random.default_rng(5)
    xt, c_prev = x[:, :, 0], rng.standard_normal((n_a, m))
    da_next, dc_next = da[:, :, 0], rng.standard_normal((n_a, m))
    cache = lstm_cell_forward(xt, a0, c_prev, parameters)[3]
    grads = lstm_cell_backward(da_next, dc_next, cache)

    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    x_t, a_t, c_t = (torch.tensor(v, requires_grad=True) for v in (xt, a0, c_prev))
    concat = torch.cat([a_t, x_t])
    c_next = torch.sigmoid(t["Wf"] @ concat + t["bf"]) * c_t + torch.sigmoid(
        t["Wi"] @ concat + t["bi"]
    ) * torch.tanh(t["Wc"] @ concat + t["bc"])
    a_next = torch.sigmoid(t["Wo"] @ concat + t["bo"]) * torch.tanh(c_next)
    loss = (a_next * torch.tensor(da_next)).sum() + (
        c_next * torch.tensor(dc_next)
    ).sum()
    names = ["dxt", "da_prev", "dc_prev"] + [
        f"d{k}{g}" for g in GATES for k in ("W", "b")
    ]
    inputs = [x_t, a_t, c_t] + [t[f"{k}{g}"] for g in GATES for k in ("W", "b")]
    for name, value in zip(names, torch.autograd.grad(loss, inputs)):
        assert relative_error(grads[name], value.numpy()) < 1e-10, name


def test_cell_forward_values_and_cache():
    x, a0, parameters, _ = make_case(3, 5, 2, 4, 1)
    c_prev = np.random.default_rng(7).standard_normal((5, 4))
    xt = x[:, :, 0]
    a_next, c_next, yt_pred, cache = lstm_cell_forward(xt, a0, c_prev, parameters)
    assert a_next.shape == c_next.shape == (5, 4) and yt_pred.shape == (2, 4)
    np.testing.assert_allclose(yt_pred.sum(axis=0), 1.0)
    assert len(cache) == 10
    # the cache holds copies: equal values, but no array shared with the caller
    for j, array in ((0, a_next), (1, c_next), (2, a0), (3, c_prev), (8, xt)):
        assert np.array_equal(cache[j], array) and not np.shares_memory(
            cache[j], array
        ), j
    assert set(cache[9]) == set(parameters)
    assert all(not np.shares_memory(cache[9][k], parameters[k]) for k in parameters)
    ft, it, cct, ot = cache[4:8]
    assert np.all((ft > 0) & (ft < 1) & (it > 0) & (it < 1) & (ot > 0) & (ot < 1))
    np.testing.assert_allclose(c_next, ft * c_prev + it * cct)
    np.testing.assert_allclose(a_next, ot * np.tanh(c_next))


# ---------------------------------------------------------------- sequence


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_backward_matches_autograd(shape):
    x, a0, parameters, da = make_case(*shape)
    caches = lstm_forward(x, a0, parameters)[3]
    grads = lstm_backward(da, caches)
    expected = autograd_sequence(x, a0, parameters, da)
    assert set(grads) == SEQ_KEYS == set(expected)
    for key, value in expected.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-10, key


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_backward_matches_finite_differences(shape):
    x, a0, parameters, da = make_case(*shape, seed=1)
    caches = lstm_forward(x, a0, parameters)[3]
    grads = lstm_backward(da, caches)

    def hidden(**changed):
        args = {"x": x, "a0": a0, "parameters": parameters} | changed
        return lstm_forward(args["x"], args["a0"], args["parameters"])[0]

    numeric = {
        "dx": numerical_gradient(lambda v: hidden(x=v), x, da),
        "da0": numerical_gradient(lambda v: hidden(a0=v), a0, da),
    }
    for g in GATES:
        for k in ("W", "b"):
            name = k + g
            numeric["d" + name] = numerical_gradient(
                lambda v, name=name: hidden(parameters=parameters | {name: v}),
                parameters[name],
                da,
            )
    assert set(numeric) == SEQ_KEYS
    for key, value in numeric.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-7, key


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_and_gradients_match_torch_nn_lstm(shape):
    n_x, n_a, n_y, m, T_x = shape
    x, a0, parameters, da = make_case(*shape, seed=6)
    a, y, c, caches = lstm_forward(x, a0, parameters)
    out, c_T, lstm, order, inp, h0 = torch_lstm_run(parameters, x, a0)
    assert relative_error(a, out.detach().numpy().transpose(2, 1, 0)) < 1e-14
    assert relative_error(c[:, :, -1], c_T.detach().numpy()[0].T) < 1e-14
    for T in range(1, T_x):  # every earlier cell state: rerun torch on the prefix
        c_prefix = torch_lstm_run(parameters, x, a0, T)[1]
        assert relative_error(c[:, :, T - 1], c_prefix.detach().numpy()[0].T) < 1e-14

    loss = (out * torch.tensor(da.transpose(2, 1, 0).copy())).sum()
    loss.backward()
    grads = lstm_backward(da, caches)
    assert relative_error(grads["dx"], inp.grad.numpy().transpose(2, 1, 0)) < 1e-10
    assert relative_error(grads["da0"], h0.grad.numpy()[0].T) < 1e-10
    for k, g in enumerate(order):
        rows = slice(k * n_a, (k + 1) * n_a)
        dW = np.hstack(
            [lstm.weight_hh_l0.grad[rows].numpy(), lstm.weight_ih_l0.grad[rows].numpy()]
        )
        assert relative_error(grads["dW" + g], dW) < 1e-10, g
        for bias in (
            lstm.bias_ih_l0,
            lstm.bias_hh_l0,
        ):  # each bias gets the same gradient
            assert (
                relative_error(grads["db" + g], bias.grad[rows].numpy()[:, None])
                < 1e-10
            ), g


def test_forward_shapes_and_carried_states():
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    a, y, c, caches = lstm_forward(x, a0, parameters)
    assert a.shape == c.shape == (5, 10, 4) and y.shape == (2, 10, 4)
    np.testing.assert_allclose(y.sum(axis=0), 1.0)
    step_caches, x_cached = caches
    assert (
        np.array_equal(x_cached, x)
        and not np.shares_memory(x_cached, x)
        and len(step_caches) == 4
    )
    assert np.array_equal(step_caches[0][2], a0) and not np.shares_memory(
        step_caches[0][2], a0
    )
    np.testing.assert_array_equal(step_caches[0][3], 0.0)  # c⟨0⟩ = 0
    for t in range(1, 4):
        np.testing.assert_array_equal(step_caches[t][2], a[:, :, t - 1])
        np.testing.assert_array_equal(step_caches[t][3], c[:, :, t - 1])


def test_caches_do_not_alias_the_outputs():
    x, a0, parameters, da = make_case(3, 5, 2, 4, 5)
    a, y, c, caches = lstm_forward(x, a0, parameters)
    step_caches = caches[0]
    for cache in step_caches:
        for entry in cache[:8]:
            for out in (a, y, c):
                assert not np.shares_memory(entry, out)
    before = lstm_backward(da, caches)
    snapshot = [[np.copy(e) for e in cache[:8]] for cache in step_caches]
    a[...] = np.nan  # a caller reusing the output buffers
    c[...] = np.nan
    y[...] = np.nan
    for cache, saved in zip(step_caches, snapshot):
        for entry, value in zip(cache[:8], saved):
            np.testing.assert_array_equal(entry, value)
    after = lstm_backward(da, caches)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


def test_backward_reads_steps_from_da():
    """deeplearning.ai's test: x with T_x = 7, da with 4 steps -> dx has 4 steps."""
    x, a0, parameters, da = make_case(3, 5, 2, 10, 7)
    caches = lstm_forward(x, a0, parameters)[3]
    grads = lstm_backward(da[:, :, :4], caches)
    assert grads["dx"].shape == (3, 10, 4)
    expected = lstm_backward(da[:, :, :4], lstm_forward(x[:, :, :4], a0, parameters)[3])
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
    a, y, c, caches = lstm_forward(x, a0, parameters)
    assert a.shape == c.shape == (n_a, m, T_x) and y.shape == (n_y, m, T_x)
    grads = lstm_backward(da, caches)
    expected = autograd_sequence(x, a0, parameters, da)
    assert set(grads) == set(expected)
    for key, value in expected.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-10, key


# ---------------------------------------------------------------- bad input


def test_missing_parameters_are_listed():
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    del parameters["bc"], parameters["Wo"]
    with pytest.raises(ValueError, match=r"missing key\(s\) \['bc', 'Wo'\]"):
        lstm_forward(x, a0, parameters)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda x, a0, p: (x[:, :, 0], a0, p),
            r"x must be 3-D with shape \(n_x, m, T_x\), got shape \(3, 10\)",
        ),
        (
            lambda x, a0, p: (x, a0[:4], p),
            r"a0 must have shape \(5, 10\) \(.*from parameters.*\), got \(4, 10\)",
        ),
        (
            lambda x, a0, p: (x[:2], a0, p),
            r"x must have shape \(3, 10, 4\) \(.*from parameters.*\), got \(2, 10, 4\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"bc": p["bc"][:, 0]}),
            r"parameters\['bc'\] must have shape \(5, 1\), got \(5,\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"bc": np.zeros((5, 10))}),
            r"parameters\['bc'\] must have shape \(5, 1\), got \(5, 10\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Wi": p["Wi"][:, :7]}),
            r"parameters\['Wi'\] must have shape \(5, 8\), got \(5, 7\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Wy": p["Wy"][:, :4]}),
            r"parameters\['Wy'\] must have shape \(2, 5\), got \(2, 4\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Wf": p["Wf"][:, :5]}),
            r"parameters\['Wf'\] must have shape \(n_a, n_a \+ n_x\)",
        ),
    ],
)
def test_bad_shapes_raise_value_error(change, message):
    x, a0, parameters, _ = make_case(3, 5, 2, 10, 4)
    with pytest.raises(ValueError, match=message):
        lstm_forward(*change(x, a0, parameters))


def test_bad_cell_inputs_raise_value_error():
    x, a0, parameters, da = make_case(3, 5, 2, 10, 4)
    xt = x[:, :, 0]
    with pytest.raises(
        ValueError, match=r"c_prev must have shape \(5, 10\), got \(5, 9\)"
    ):
        lstm_cell_forward(xt, a0, np.zeros((5, 9)), parameters)
    with pytest.raises(
        ValueError, match=r"xt must have shape \(3, 10\) \(.*\), got \(4, 10\)"
    ):
        lstm_cell_forward(np.zeros((4, 10)), a0, np.zeros((5, 10)), parameters)
    cache = lstm_cell_forward(xt, a0, np.zeros((5, 10)), parameters)[3]
    with pytest.raises(
        ValueError, match=r"da_next must have shape \(5, 10\), got \(5, 1\)"
    ):
        lstm_cell_backward(np.zeros((5, 1)), np.zeros((5, 10)), cache)
    with pytest.raises(
        ValueError, match=r"dc_next must have shape \(5, 10\), got \(5, 10, 1\)"
    ):
        lstm_cell_backward(np.zeros((5, 10)), np.zeros((5, 10, 1)), cache)


def test_bad_upstream_shape_raises():
    x, a0, parameters, da = make_case(3, 5, 2, 10, 4)
    caches = lstm_forward(x, a0, parameters)[3]
    with pytest.raises(
        ValueError, match=r"da must have shape \(5, 10, 4\), got \(5, 9, 4\)"
    ):
        lstm_backward(da[:, :9], caches)
    with pytest.raises(
        ValueError,
        match=r"da must be 3-D with shape \(n_a, m, T_x\), got shape \(5, 10\)",
    ):
        lstm_backward(da[:, :, 0], caches)
    with pytest.raises(ValueError, match="caches hold only 4"):
        lstm_backward(np.zeros((5, 10, 5)), caches)
