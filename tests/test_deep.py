"""Exercise 6-6: stacked and bidirectional BPTT against torch.nn.RNN; the deepening variants against autograd."""

import numpy as np
import pytest
import torch

from bptt import numerical_gradient, relative_error, srn_forward
from bptt.deep import (
    DEEPEN_KINDS,
    deep_rnn_backward,
    deep_rnn_forward,
    deep_rnn_from_torch_state,
    deepen_input_gradients,
    deepen_parameters,
    random_deep_rnn_parameters,
    srn_backward,
)


@pytest.mark.parametrize(
    "num_layers,bidirectional",
    [(1, False), (1, True), (2, False), (2, True), (3, True)],
)
def test_forward_and_every_gradient_equal_torch(num_layers, bidirectional):
    T, M, D = 7, 3, 4
    torch.manual_seed(num_layers)
    rnn = torch.nn.RNN(
        M, D, num_layers=num_layers, bidirectional=bidirectional, dtype=torch.float64
    )
    params = deep_rnn_from_torch_state(
        {k: v.detach().numpy().copy() for k, v in rnn.state_dict().items()},
        num_layers,
        bidirectional,
    )
    n_dir = 2 if bidirectional else 1
    rng = np.random.default_rng(0)
    x, h0 = rng.standard_normal((T, M)), rng.standard_normal((num_layers * n_dir, D))
    dout, dh_n = (
        rng.standard_normal((T, n_dir * D)),
        rng.standard_normal((num_layers * n_dir, D)),
    )
    out, h_n, cache = deep_rnn_forward(x, params, h0)
    x_t, h0_t = (
        torch.tensor(x, requires_grad=True),
        torch.tensor(h0, requires_grad=True),
    )
    out_t, h_n_t = rnn(x_t, h0_t)
    assert relative_error(out, out_t.detach().numpy()) <= 1e-12
    assert relative_error(h_n, h_n_t.detach().numpy()) <= 1e-12
    ((out_t * torch.tensor(dout)).sum() + (h_n_t * torch.tensor(dh_n)).sum()).backward()
    grads, dx, dh0 = deep_rnn_backward(dout, cache, dh_n)
    assert relative_error(dx, x_t.grad.numpy()) <= 1e-12
    assert relative_error(dh0, h0_t.grad.numpy()) <= 1e-12
    named = dict(rnn.named_parameters())
    for l in range(num_layers):
        for d in params[l]:
            s = f"_l{l}" + ("_reverse" if d == "bwd" else "")
            assert (
                relative_error(grads[l][d]["dU"], named["weight_hh" + s].grad.numpy())
                <= 1e-12
            )
            assert (
                relative_error(grads[l][d]["dW"], named["weight_ih" + s].grad.numpy())
                <= 1e-12
            )
            assert (
                relative_error(grads[l][d]["db"], named["bias_ih" + s].grad.numpy())
                <= 1e-12
            )
            assert (
                relative_error(grads[l][d]["db"], named["bias_hh" + s].grad.numpy())
                <= 1e-12
            )


def test_srn_backward_equals_finite_differences():
    rng = np.random.default_rng(1)
    T, M, D = 5, 3, 4
    x, h0 = rng.standard_normal((T, M)), rng.standard_normal(D)
    U, W, b = (
        0.7 * rng.standard_normal((D, D)),
        rng.standard_normal((D, M)),
        rng.standard_normal(D),
    )
    c = rng.standard_normal((T, D))

    def loss(U=U, W=W, b=b, x=x, h0=h0):
        return np.sum(c * srn_forward(x, h0, U, W, b)[1][1:])

    z, h = srn_forward(x, h0, U, W, b)
    g = srn_backward(z, h, x, U, W, c)
    for name, value in (("U", U), ("W", W), ("b", b), ("x", x), ("h0", h0)):
        assert (
            relative_error(
                g["d" + name],
                numerical_gradient(lambda v, name=name: loss(**{name: v}), value),
            )
            < 1e-7
        )


def test_bidirectional_output_at_t_sees_the_future():
    params = random_deep_rnn_parameters(3, 4, num_layers=1, bidirectional=True, seed=2)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 3))
    out, _, cache = deep_rnn_forward(x, params)
    dout = np.zeros_like(out)
    dout[2, :4] = 1.0  # forward half of the output at t = 3: depends on x_1..x_3 only
    dx_fwd = deep_rnn_backward(dout, cache)[1]
    assert np.all(dx_fwd[3:] == 0) and np.all(np.abs(dx_fwd[:3]).sum(axis=1) > 0)
    dout[2] = 0.0
    dout[2, 4:] = 1.0  # backward half: depends on x_3..x_6 only
    dx_bwd = deep_rnn_backward(dout, cache)[1]
    assert np.all(dx_bwd[:2] == 0) and np.all(np.abs(dx_bwd[2:]).sum(axis=1) > 0)


@pytest.mark.parametrize("kind", DEEPEN_KINDS)
def test_deepen_input_gradients_equal_autograd(kind):
    D, M, T = 5, 3, 6
    p = deepen_parameters(D, M, seed=3, scale=1.2)
    rng = np.random.default_rng(3)
    x, g = rng.standard_normal((T, M)), rng.standard_normal(D)
    tp = {k: torch.tensor(v) for k, v in p.items()}
    xt = torch.tensor(x, requires_grad=True)
    a = h = torch.zeros(D, dtype=torch.float64)
    for t in range(T):
        if kind == "stacked":
            a = torch.tanh(tp["U1"] @ a + tp["W1"] @ xt[t])
            h = torch.tanh(tp["U2"] @ h + tp["W2"] @ a)
        elif kind.startswith("deep-transition"):
            a = torch.tanh(tp["U1"] @ h + tp["W1"] @ xt[t])
            h = torch.tanh(
                tp["U2"] @ a + (tp["S"] @ h if kind.endswith("shortcut") else 0.0)
            )
        else:
            h = torch.tanh(tp["U1"] @ h + tp["W1"] @ xt[t])
    out = tp["V2"] @ torch.tanh(tp["V1"] @ h) if kind == "deep-output" else h
    (torch.tensor(g) @ out).backward()
    expected = np.linalg.norm(xt.grad.numpy(), axis=1)
    assert relative_error(deepen_input_gradients(kind, x, g, p), expected) < 1e-12


def test_refuses_inconsistent_parameters():
    params = random_deep_rnn_parameters(3, 4, num_layers=2, bidirectional=True)
    x = np.zeros((5, 3))
    with pytest.raises(ValueError, match=r"params\[1\]\['bwd'\]\['W'\]"):
        deep_rnn_forward(
            x,
            params[:1]
            + [params[1] | {"bwd": params[1]["bwd"] | {"W": np.zeros((4, 4))}}],
        )
    with pytest.raises(ValueError, match="h0"):
        deep_rnn_forward(x, params, h0=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="unknown kind"):
        deepen_input_gradients("wide", x, np.zeros(4), deepen_parameters(4, 3))
