"""NNDL-notation RNN: error terms δ_{t,k} and the double sums (6.39)-(6.41)."""

import numpy as np
import pytest
import torch

from bptt import (
    ACTIVATIONS,
    activation,
    error_terms,
    gradients_double_sum,
    numerical_gradient,
    relative_error,
    rnn_backward,
    rnn_forward,
    srn_forward,
)

TORCH_F = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "identity": lambda z: z,
}


def make_case(T=6, D=4, M=3, seed=0):
    rng = np.random.default_rng(seed)
    return dict(
        x=rng.standard_normal((T, M)),
        h0=rng.standard_normal(D),
        U=0.6 * rng.standard_normal((D, D)),
        W=rng.standard_normal((D, M)),
        b=rng.standard_normal(D),
    ), rng.standard_normal((T, D))  # c_t: the loss is L_t = c_t · h_t


@pytest.mark.parametrize("f", sorted(ACTIVATIONS))
def test_error_terms_equal_autograd(f):
    case, c = make_case(seed=1)
    z, _ = srn_forward(f=f, **case)
    delta = error_terms(z, case["U"], c, f=f)  # ∂L_t/∂h_t = c_t
    T = len(z)
    for t in range(T):
        tc = {k: torch.tensor(v, requires_grad=True) for k, v in case.items()}
        h, zs = tc["h0"], []
        for k in range(t + 1):
            zk = tc["U"] @ h + tc["W"] @ tc["x"][k] + tc["b"]
            zk.retain_grad()
            zs.append(zk)
            h = TORCH_F[f](zk)
        (torch.tensor(c[t]) @ h).backward()
        for k in range(t + 1):
            assert relative_error(delta[t, k], zs[k].grad.numpy()) < 1e-12
        assert np.all(delta[t, t + 1 :] == 0)


def test_double_sums_equal_finite_differences():
    case, c = make_case(seed=2)

    def loss(**changed):
        z, h = srn_forward(**(case | changed))
        return np.sum(c * h[1:])

    z, h = srn_forward(**case)
    dU, dW, db = gradients_double_sum(error_terms(z, case["U"], c), h, case["x"])
    for name, value in (("U", dU), ("W", dW), ("b", db)):
        numeric = numerical_gradient(lambda v, name=name: loss(**{name: v}), case[name])
        assert relative_error(value, numeric) < 1e-7, name


def test_double_sums_equal_the_one_pass_rnn_backward():
    case, c = make_case(seed=3)
    z, h = srn_forward(**case)
    dU, dW, db = gradients_double_sum(error_terms(z, case["U"], c), h, case["x"])
    parameters = {
        "Waa": case["U"],
        "Wax": case["W"],
        "ba": case["b"][:, None],
        "Wya": np.zeros((1, 4)),
        "by": np.zeros((1, 1)),
    }
    _, _, caches = rnn_forward(case["x"].T[:, None, :], case["h0"][:, None], parameters)
    grads = rnn_backward(c.T[:, None, :], caches)
    assert relative_error(grads["dWaa"], dU) < 1e-13
    assert relative_error(grads["dWax"], dW) < 1e-13
    assert relative_error(grads["dba"][:, 0], db) < 1e-13


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_and_bound(name):
    f, f_prime, gamma = activation(name)
    z = np.linspace(-6, 6, 121) + 1e-3  # avoid ReLU's kink at 0
    numeric = numerical_gradient(lambda v: np.sum(f(v)), z)
    assert relative_error(f_prime(z), numeric) < 1e-8
    assert np.max(np.abs(f_prime(z))) <= gamma


def test_bad_input():
    case, c = make_case()
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        srn_forward(f="softplus", **case)
    with pytest.raises(ValueError, match=r"W must have shape \(4, 3\), got \(4, 2\)"):
        srn_forward(**(case | {"W": case["W"][:, :2]}))
    z, _ = srn_forward(**case)
    with pytest.raises(ValueError, match=r"dL_dh must have shape \(6, 4\)"):
        error_terms(z, case["U"], c[:5])
