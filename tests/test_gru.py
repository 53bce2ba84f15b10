"""The GRU against central differences, PyTorch autograd, torch.nn.GRU, its limit cases and bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bptt import (
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    numerical_gradient,
    random_gru_parameters,
    relative_error,
    rnn_cell_forward,
)
from bptt.gru import gru_keys, to_torch_gru, torch_gru_gradients

SHAPES = [  # (n_x, n_a, n_y, m, T_x)
    (3, 5, 2, 4, 4),
    (1, 4, 3, 1, 1),  # n_x = 1, m = 1, T_x = 1
    (2, 3, 2, 1, 6),  # m = 1
    (4, 2, 5, 3, 1),  # T_x = 1
    (1, 1, 1, 2, 3),  # n_x = n_a = n_y = 1
]
FORMS = [False, True]  # reset_after: NNDL's candidate, torch.nn.GRU's


def make_case(n_x, n_a, n_y, m, T_x, seed=0, reset_after=False):
    rng = np.random.default_rng(seed)
    p = random_gru_parameters(n_x, n_a, n_y, rng, reset_after)
    return (
        rng.standard_normal((n_x, m, T_x)),
        rng.standard_normal((n_a, m)),
        p,
        rng.standard_normal((n_a, m, T_x)),
    )


def param_keys(reset_after):
    return [k for k in gru_keys(reset_after) if k not in ("Wy", "by")]


def autograd_sequence(x, a0, p, da, reset_after):
    """An independent torch transcription of NNDL §6.6.2 (or torch's candidate); autograd gradients."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    xt, h = torch.tensor(x, requires_grad=True), torch.tensor(a0, requires_grad=True)
    h0, states = h, []
    for step in range(da.shape[2]):
        x_s = xt[:, :, step]
        z = torch.sigmoid(t["Wz"] @ x_s + t["Uz"] @ h + t["bz"])
        r = torch.sigmoid(t["Wr"] @ x_s + t["Ur"] @ h + t["br"])
        if reset_after:
            cand = torch.tanh(t["Wh"] @ x_s + t["bh"] + r * (t["Uh"] @ h + t["bhn"]))
        else:
            cand = torch.tanh(t["Wh"] @ x_s + t["Uh"] @ (r * h) + t["bh"])
        h = z * h + (1 - z) * cand
        states.append(h)
    loss = (torch.stack(states, dim=2) * torch.tensor(da)).sum()
    keys = param_keys(reset_after)
    grads = torch.autograd.grad(loss, [xt, h0] + [t[k] for k in keys])
    return {
        n: g.numpy() for n, g in zip(["dx", "da0"] + [f"d{k}" for k in keys], grads)
    }


# ---------------------------------------------------------------- cell


@pytest.mark.parametrize("reset_after", FORMS)
@pytest.mark.parametrize("shape", SHAPES)
def test_cell_backward_matches_finite_differences(shape, reset_after):
    x, a0, p, da = make_case(*shape, seed=2, reset_after=reset_after)
    xt, da_next = x[:, :, 0], da[:, :, 0]
    grads = gru_cell_backward(
        da_next, gru_cell_forward(xt, a0, p, reset_after)[2], reset_after
    )

    def a_next(xt=xt, a_prev=a0, p=p):
        return gru_cell_forward(xt, a_prev, p, reset_after)[0]

    numeric = {
        "dxt": numerical_gradient(lambda v: a_next(xt=v), xt, da_next),
        "da_prev": numerical_gradient(lambda v: a_next(a_prev=v), a0, da_next),
    }
    for k in param_keys(reset_after):
        numeric[f"d{k}"] = numerical_gradient(
            lambda v, k=k: a_next(p=p | {k: v}), p[k], da_next
        )
    assert set(grads) == set(numeric)
    for key, value in numeric.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-7, key


def test_cell_forward_values_and_cache():
    x, a0, p, _ = make_case(3, 5, 2, 4, 1)
    xt = x[:, :, 0]
    a_next, yt_pred, cache = gru_cell_forward(xt, a0, p)
    assert a_next.shape == (5, 4) and yt_pred.shape == (2, 4)
    np.testing.assert_allclose(yt_pred.sum(axis=0), 1.0)
    assert (
        len(cache) == 7
        and cache[0] is a_next
        and cache[1] is a0
        and cache[5] is xt
        and cache[6] is p
    )
    zt, rt, a_tilde = cache[2:5]
    assert np.all((zt > 0) & (zt < 1) & (rt > 0) & (rt < 1) & (np.abs(a_tilde) < 1))
    np.testing.assert_allclose(
        a_next, zt * a0 + (1 - zt) * a_tilde
    )  # NNDL: z keeps the old state
    np.testing.assert_allclose(
        a_tilde, np.tanh(p["Wh"] @ xt + p["Uh"] @ (rt * a0) + p["bh"])
    )


# ---------------------------------------------------------------- sequence


@pytest.mark.parametrize("reset_after", FORMS)
@pytest.mark.parametrize("shape", SHAPES)
def test_backward_matches_finite_differences(shape, reset_after):
    # seed 5: with some draws a whole gradient (e.g. dWr for n_x = m = T = 1) is ~1e-5 and the
    # round-off of central differences (~1e-11) alone exceeds 1e-7 relative; autograd covers those
    x, a0, p, da = make_case(*shape, seed=5, reset_after=reset_after)
    grads = gru_backward(da, gru_forward(x, a0, p, reset_after)[2], reset_after)

    def hidden(x=x, a0=a0, p=p):
        return gru_forward(x, a0, p, reset_after)[0]

    numeric = {
        "dx": numerical_gradient(lambda v: hidden(x=v), x, da),
        "da0": numerical_gradient(lambda v: hidden(a0=v), a0, da),
    }
    for k in param_keys(reset_after):
        numeric[f"d{k}"] = numerical_gradient(
            lambda v, k=k: hidden(p=p | {k: v}), p[k], da
        )
    assert set(grads) == set(numeric)
    for key, value in numeric.items():
        assert grads[key].shape == value.shape, key
        assert relative_error(grads[key], value) < 1e-7, key


@pytest.mark.parametrize("reset_after", FORMS)
@pytest.mark.parametrize("shape", SHAPES)
def test_backward_matches_autograd(shape, reset_after):
    x, a0, p, da = make_case(*shape, seed=3, reset_after=reset_after)
    grads = gru_backward(da, gru_forward(x, a0, p, reset_after)[2], reset_after)
    expected = autograd_sequence(x, a0, p, da, reset_after)
    assert set(grads) == set(expected)
    for key, value in expected.items():
        assert relative_error(grads[key], value) < 1e-12, key


@pytest.mark.parametrize("shape", SHAPES)
def test_reset_after_matches_torch_nn_gru_exactly(shape):
    x, a0, p, da = make_case(*shape, seed=6, reset_after=True)
    a, _, caches = gru_forward(x, a0, p, reset_after=True)
    gru = to_torch_gru(p)
    inp = torch.tensor(x.transpose(2, 1, 0).copy(), requires_grad=True)  # (T, m, n_x)
    h0 = torch.tensor(a0.T[None].copy(), requires_grad=True)  # (1, m, n_a)
    out, _ = gru(inp, h0)
    assert relative_error(a, out.detach().numpy().transpose(2, 1, 0)) < 1e-12
    (out * torch.tensor(da.transpose(2, 1, 0).copy())).sum().backward()
    grads = gru_backward(da, caches, reset_after=True)
    theirs = torch_gru_gradients(gru)
    assert relative_error(grads["dx"], inp.grad.numpy().transpose(2, 1, 0)) < 1e-12
    assert relative_error(grads["da0"], h0.grad.numpy()[0].T) < 1e-12
    for k in param_keys(True):
        assert relative_error(grads[f"d{k}"], theirs[f"d{k}"]) < 1e-12, k
    for g in ("r", "z"):  # torch's second bias gets the same gradient
        assert relative_error(grads[f"db{g}"], theirs[f"db{g}_hh"]) < 1e-12, g


def test_nndl_and_torch_candidates_differ():
    """Same weights and bhn = 0: resetting before or after the product gives different states."""
    x, a0, p, _ = make_case(3, 5, 2, 4, 6, seed=7)
    a_nndl = gru_forward(x, a0, p)[0]
    a_torch = gru_forward(x, a0, p | {"bhn": np.zeros((5, 1))}, reset_after=True)[0]
    assert relative_error(a_nndl, a_torch) > 1e-2


def test_limit_cases_of_the_gates():
    """NNDL §6.6.2: z = 0, r = 1 is the simple RNN; z = 0, r = 0 forgets h_{t-1}; z = 1 copies h_{t-1}."""
    x, a0, p, _ = make_case(3, 4, 2, 5, 1, seed=8)
    xt = x[:, :, 0]
    big = np.full((4, 1), 60.0)  # σ(±60) is 1 or 0 to within 1e-26
    rnn = {"Wax": p["Wh"], "Waa": p["Uh"], "ba": p["bh"], "Wya": p["Wy"], "by": p["by"]}
    a_rnn = rnn_cell_forward(xt, a0, rnn)[0]
    assert (
        relative_error(gru_cell_forward(xt, a0, p | {"bz": -big, "br": big})[0], a_rnn)
        < 1e-15
    )
    forget = gru_cell_forward(xt, a0, p | {"bz": -big, "br": -big})[0]
    np.testing.assert_allclose(
        forget, np.tanh(p["Wh"] @ xt + p["bh"]), rtol=0, atol=1e-15
    )
    copy = gru_cell_forward(xt, a0, p | {"bz": big})[0]
    np.testing.assert_allclose(copy, a0, rtol=0, atol=1e-15)


def test_state_jacobian_formula():
    """∂a_t/∂a_{t-1} = diag(z) + diag((a_prev − ã) z(1−z)) Uz
    + diag((1−z)(1−ã²)) Uh [diag(r) + diag(a_prev r(1−r)) Ur]."""
    x, a0, p, _ = make_case(3, 5, 2, 1, 1, seed=9)
    xt = x[:, :, 0]
    _, a_prev, z, r, a_tilde, _, _ = gru_cell_forward(xt, a0, p)[2]
    z, r, a_tilde, h = z[:, 0], r[:, 0], a_tilde[:, 0], a_prev[:, 0]
    J = (
        np.diag(z)
        + np.diag((h - a_tilde) * z * (1 - z)) @ p["Uz"]
        + np.diag((1 - z) * (1 - a_tilde**2))
        @ p["Uh"]
        @ (np.diag(r) + np.diag(h * r * (1 - r)) @ p["Ur"])
    )
    tp = {k: torch.tensor(v) for k, v in p.items()}

    def step(hh):
        hh = hh[:, None]
        zz = torch.sigmoid(tp["Wz"] @ torch.tensor(xt) + tp["Uz"] @ hh + tp["bz"])
        rr = torch.sigmoid(tp["Wr"] @ torch.tensor(xt) + tp["Ur"] @ hh + tp["br"])
        cand = torch.tanh(tp["Wh"] @ torch.tensor(xt) + tp["Uh"] @ (rr * hh) + tp["bh"])
        return (zz * hh + (1 - zz) * cand)[:, 0]

    J_torch = torch.autograd.functional.jacobian(step, torch.tensor(h)).numpy()
    assert relative_error(J, J_torch) < 1e-14
    assert (
        relative_error(J, np.diag(z)) > 1e-2
    )  # the indirect terms are not negligible here


def test_forward_shapes_and_carried_states():
    x, a0, p, _ = make_case(3, 5, 2, 10, 4)
    a, y, caches = gru_forward(x, a0, p)
    assert a.shape == (5, 10, 4) and y.shape == (2, 10, 4)
    np.testing.assert_allclose(y.sum(axis=0), 1.0)
    steps, x_cached = caches
    assert x_cached is x and len(steps) == 4 and steps[0][1] is a0
    for t in range(1, 4):
        np.testing.assert_array_equal(steps[t][1], a[:, :, t - 1])


def test_caches_do_not_alias_the_outputs():
    x, a0, p, da = make_case(3, 5, 2, 4, 5)
    a, y, caches = gru_forward(x, a0, p)
    before = gru_backward(da, caches)
    a[...] = np.nan
    y[...] = np.nan
    after = gru_backward(da, caches)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


def test_backward_reads_steps_from_da():
    x, a0, p, da = make_case(3, 5, 2, 10, 7)
    grads = gru_backward(da[:, :, :4], gru_forward(x, a0, p)[2])
    expected = gru_backward(da[:, :, :4], gru_forward(x[:, :, :4], a0, p)[2])
    assert grads["dx"].shape == (3, 10, 4)
    for key in expected:
        np.testing.assert_allclose(grads[key], expected[key])


@settings(max_examples=20, deadline=None)
@given(
    n_x=st.integers(1, 4),
    n_a=st.integers(1, 4),
    n_y=st.integers(1, 3),
    m=st.integers(1, 3),
    T_x=st.integers(1, 5),
    seed=st.integers(0, 2**16),
    reset_after=st.booleans(),
)
def test_backward_matches_autograd_on_any_shape(
    n_x, n_a, n_y, m, T_x, seed, reset_after
):
    x, a0, p, da = make_case(n_x, n_a, n_y, m, T_x, seed, reset_after)
    a, y, caches = gru_forward(x, a0, p, reset_after)
    assert a.shape == (n_a, m, T_x) and y.shape == (n_y, m, T_x)
    grads = gru_backward(da, caches, reset_after)
    for key, value in autograd_sequence(x, a0, p, da, reset_after).items():
        assert relative_error(grads[key], value) < 1e-12, key


# ---------------------------------------------------------------- bad input


def test_missing_parameters_are_listed():
    x, a0, p, _ = make_case(3, 5, 2, 10, 4)
    del p["Ur"], p["bh"]
    with pytest.raises(ValueError, match=r"missing key\(s\) \['Ur', 'bh'\]"):
        gru_forward(x, a0, p)
    with pytest.raises(ValueError, match=r"missing key\(s\) \['bhn'\]"):
        gru_forward(x, a0, make_case(3, 5, 2, 10, 4)[2], reset_after=True)


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
            lambda x, a0, p: (x, a0, p | {"bz": p["bz"][:, 0]}),
            r"parameters\['bz'\] must have shape \(5, 1\), got \(5,\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Uh": p["Uh"][:, :4]}),
            r"parameters\['Uh'\] must have shape \(5, 5\) .*got \(5, 4\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Wr": p["Wr"].T}),
            r"parameters\['Wr'\] must have shape \(5, 3\) .*got \(3, 5\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"Wy": p["Wy"][:, :4]}),
            r"parameters\['Wy'\] must have shape \(2, 5\), got \(2, 4\)",
        ),
        (
            lambda x, a0, p: (x, a0, p | {"bhn": np.zeros((5, 1))}),
            r"'bhn' .* but reset_after=False",
        ),
    ],
)
def test_bad_shapes_raise_value_error(change, message):
    x, a0, p, _ = make_case(3, 5, 2, 10, 4)
    with pytest.raises(ValueError, match=message):
        gru_forward(*change(x, a0, p))


def test_bad_cell_and_upstream_inputs_raise_value_error():
    x, a0, p, da = make_case(3, 5, 2, 10, 4)
    with pytest.raises(
        ValueError, match=r"a_prev must have shape \(5, 10\), got \(5, 9\)"
    ):
        gru_cell_forward(x[:, :, 0], a0[:, :9], p)
    cache = gru_cell_forward(x[:, :, 0], a0, p)[2]
    with pytest.raises(
        ValueError, match=r"da_next must have shape \(5, 10\), got \(5, 1\)"
    ):
        gru_cell_backward(np.zeros((5, 1)), cache)
    with pytest.raises(ValueError, match=r"missing key\(s\) \['bhn'\]"):
        gru_cell_backward(da[:, :, 0], cache, reset_after=True)
    caches = gru_forward(x, a0, p)[2]
    with pytest.raises(
        ValueError, match=r"da must have shape \(5, 10, 4\), got \(5, 9, 4\)"
    ):
        gru_backward(da[:, :9], caches)
    with pytest.raises(ValueError, match="caches hold only 4"):
        gru_backward(np.zeros((5, 10, 5)), caches)
