"""Exercise 6-4: the LSTM in NNDL notation against finite differences, bptt.lstm and torch.nn.LSTM."""

import numpy as np
import pytest
import torch

from bptt import lstm_backward, lstm_forward, numerical_gradient, relative_error
from bptt.lstm_nndl import (
    NNDL_GATES,
    cell_gradient_reach,
    lstm_nndl_backward,
    lstm_nndl_forward,
    lstm_nndl_to_dlai,
    lstm_nndl_torch_weights,
    lstm_state_jacobians,
    random_lstm_nndl_parameters,
)


def make_case(T=5, D=4, M=3, seed=0):
    rng = np.random.default_rng(seed)
    p = random_lstm_nndl_parameters(D, M, seed=seed, scale=2.0)
    p |= {f"b_{g}": rng.standard_normal(D) for g in NNDL_GATES}
    return (
        p,
        rng.standard_normal((T, M)),
        rng.standard_normal(D),
        rng.standard_normal(D),
        rng.standard_normal((T, D)),
    )


def test_gradients_equal_finite_differences():
    p, x, h0, c0, g = make_case()

    def loss(p=p, x=x, h0=h0, c0=c0):
        return np.sum(g * lstm_nndl_forward(x, h0, c0, p)["h"][1:])

    grads = lstm_nndl_backward(g, lstm_nndl_forward(x, h0, c0, p), p)
    for name in p:
        fd = numerical_gradient(lambda v, name=name: loss(p=p | {name: v}), p[name])
        assert relative_error(grads["d" + name], fd) < 1e-7, name
    assert (
        relative_error(grads["dx"], numerical_gradient(lambda v: loss(x=v), x)) < 1e-7
    )
    assert (
        relative_error(grads["dh0"], numerical_gradient(lambda v: loss(h0=v), h0))
        < 1e-7
    )
    assert (
        relative_error(grads["dc0"], numerical_gradient(lambda v: loss(c0=v), c0))
        < 1e-7
    )


def test_equals_deeplearning_ai_lstm():
    p, x, h0, _, g = make_case(seed=1)
    cache = lstm_nndl_forward(x, h0, np.zeros(4), p)
    ours = lstm_nndl_backward(g, cache, p)
    dl = lstm_nndl_to_dlai(p)
    a, _, c, caches = lstm_forward(x.T[:, None, :], h0[:, None], dl)
    assert relative_error(cache["h"][1:], a[:, 0, :].T) < 1e-14
    assert relative_error(cache["c"][1:], c[:, 0, :].T) < 1e-14
    theirs = lstm_backward(g.T[:, None, :], caches)
    for gate in NNDL_GATES:
        assert relative_error(ours[f"dU_{gate}"], theirs[f"dW{gate}"][:, :4]) < 1e-13
        assert relative_error(ours[f"dW_{gate}"], theirs[f"dW{gate}"][:, 4:]) < 1e-13
        assert relative_error(ours[f"db_{gate}"], theirs[f"db{gate}"][:, 0]) < 1e-13
    assert relative_error(ours["dx"], theirs["dx"][:, 0, :].T) < 1e-13


def test_equals_torch_lstm():
    p, x, h0, c0, g = make_case(seed=2)
    w_ih, w_hh, bias = lstm_nndl_torch_weights(p)
    lstm = torch.nn.LSTM(3, 4, dtype=torch.float64)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(w_ih))
        lstm.weight_hh_l0.copy_(torch.tensor(w_hh))
        lstm.bias_ih_l0.copy_(torch.tensor(bias))
        lstm.bias_hh_l0.zero_()
    out, _ = lstm(torch.tensor(x), (torch.tensor(h0)[None], torch.tensor(c0)[None]))
    (out * torch.tensor(g)).sum().backward()
    cache = lstm_nndl_forward(x, h0, c0, p)
    grads = lstm_nndl_backward(g, cache, p)
    assert relative_error(cache["h"][1:], out.detach().numpy()) < 1e-14
    dw_ih, dw_hh, db = lstm_nndl_torch_weights(
        {k[1:]: v for k, v in grads.items() if k[1:] in p}
    )
    assert relative_error(dw_ih, lstm.weight_ih_l0.grad.numpy()) < 1e-13
    assert relative_error(dw_hh, lstm.weight_hh_l0.grad.numpy()) < 1e-13
    assert relative_error(db, lstm.bias_hh_l0.grad.numpy()) < 1e-13


def test_state_jacobians_equal_autograd():
    p, x, h0, c0, _ = make_case(T=3, seed=3)
    cache = lstm_nndl_forward(x, h0, c0, p)
    J = lstm_state_jacobians(cache, p)
    tp = {k: torch.tensor(v) for k, v in p.items()}
    t = 2

    def step(c_prev, h_prev):
        xt = torch.tensor(x[t])
        net = {
            gate: tp[f"W_{gate}"] @ xt + tp[f"U_{gate}"] @ h_prev + tp[f"b_{gate}"]
            for gate in NNDL_GATES
        }
        c_new = torch.sigmoid(net["f"]) * c_prev + torch.sigmoid(net["i"]) * torch.tanh(
            net["c"]
        )
        return c_new, torch.sigmoid(net["o"]) * torch.tanh(c_new)

    (jcc, jch), (jhc, jhh) = torch.autograd.functional.jacobian(
        step, (torch.tensor(cache["c"][t]), torch.tensor(cache["h"][t]))
    )
    for name, value in (("cc", jcc), ("ch", jch), ("hc", jhc), ("hh", jhh)):
        assert relative_error(J[name][t], value.numpy()) < 1e-13, name
    assert np.allclose(J["cc"][t], np.diag(cache["f"][t]))


@pytest.mark.parametrize("b_f", [0.0, 2.0])
def test_cell_gradient_reach(b_f):
    p = random_lstm_nndl_parameters(8, 3, seed=4, b_f=b_f)
    rng = np.random.default_rng(4)
    x, g = rng.standard_normal((20, 3)), rng.standard_normal(8)
    total, direct = cell_gradient_reach(p, x, g)
    assert total.shape == direct.shape == (20,)
    assert total[-1] == pytest.approx(direct[-1])
    assert np.all(
        np.diff(direct) >= 0
    )  # each forget gate is < 1: the direct path only shrinks backwards
    # total at k from the full state Jacobians
    cache = lstm_nndl_forward(x, np.zeros(8), np.zeros(8), p)
    J = lstm_state_jacobians(cache, p)
    e = np.concatenate(
        [np.zeros(8), g]
    )  # ∂L/∂(c_T, h_T), c and h as separate variables
    for k in range(19, 0, -1):
        e = np.block([[J["cc"][k], J["ch"][k]], [J["hc"][k], J["hh"][k]]]).T @ e
        # the total ∂L/∂c_k also counts the path c_k → h_k = o_k ⊙ tanh(c_k)
        dc_total = e[:8] + cache["o"][k - 1] * (1 - np.tanh(cache["c"][k]) ** 2) * e[8:]
        assert relative_error(np.linalg.norm(dc_total), total[k - 1]) < 1e-12


def test_refuses_bad_shapes():
    p, x, h0, c0, g = make_case()
    with pytest.raises(ValueError, match="U_f"):
        lstm_nndl_forward(x, h0, c0, p | {"U_f": np.zeros((4, 3))})
    with pytest.raises(ValueError, match="missing"):
        lstm_nndl_forward(x, h0, c0, {k: v for k, v in p.items() if k != "b_o"})
    with pytest.raises(ValueError, match="dL_dh"):
        lstm_nndl_backward(g[:-1], lstm_nndl_forward(x, h0, c0, p), p)
