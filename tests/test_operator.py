"""Exercise 6-2P: the NumPy RNN operator and its autograd.Function against torch.nn.RNN."""

import numpy as np
import pytest
import torch

import bptt
from bptt import (
    NumpyRNN,
    NumpyRNNFunction,
    NumpyRNNModule,
    numerical_gradient,
    relative_error,
    rnn_layer_backward,
    rnn_layer_forward,
)

KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
CASES = [  # (n_x, H, m, T)
    (3, 5, 4, 1),
    (3, 5, 4, 5),
    (4, 6, 3, 20),
    (2, 4, 2, 50),
    (3, 5, 1, 1),
    (3, 5, 1, 5),
    (5, 3, 1, 20),
    (2, 4, 1, 50),
]
TOL = 1e-12


def torch_case(n_x, H, m, T, seed=0):
    """A float64 torch.nn.RNN, inputs and upstream gradients, all seeded."""
    torch.manual_seed(seed)
    rnn = torch.nn.RNN(n_x, H).double()
    x = torch.randn(T, m, n_x, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, m, H, dtype=torch.float64, requires_grad=True)
    d_out = torch.randn(T, m, H, dtype=torch.float64)
    d_hn = torch.randn(1, m, H, dtype=torch.float64)
    return rnn, x, h0, d_out, d_hn


def torch_reference(rnn, x, h0, d_out, d_hn):
    """torch.nn.RNN's outputs and autograd gradients, keyed like rnn_layer_backward."""
    out, hn = rnn(x, h0)
    inputs = [x, h0] + [getattr(rnn, k + "_l0") for k in KEYS]
    grads = torch.autograd.grad([out, hn], inputs, [d_out, d_hn])
    names = ["dx", "dh0"] + ["d" + k for k in KEYS]
    return (
        out.detach().numpy(),
        hn.detach().numpy(),
        {n: g.numpy() for n, g in zip(names, grads)},
    )


@pytest.mark.parametrize("case", CASES)
def test_numpy_operator_matches_torch_rnn(case):
    rnn, x, h0, d_out, d_hn = torch_case(*case)
    out_ref, hn_ref, grads_ref = torch_reference(rnn, x, h0, d_out, d_hn)
    params = {k: getattr(rnn, k + "_l0").detach().numpy() for k in KEYS}
    out, hn, cache = rnn_layer_forward(x.detach().numpy(), h0.detach().numpy(), params)
    grads = rnn_layer_backward(d_out.numpy(), d_hn.numpy(), cache)
    assert out.shape == out_ref.shape == (case[3], case[2], case[1])
    assert relative_error(out, out_ref) <= TOL
    assert relative_error(hn, hn_ref) <= TOL
    assert set(grads) == set(grads_ref)
    for name, expected in grads_ref.items():
        assert grads[name].shape == expected.shape, name
        assert grads[name].dtype == np.float64, name
        assert relative_error(grads[name], expected) <= TOL, name


@pytest.mark.parametrize("case", CASES)
def test_function_matches_torch_rnn(case):
    rnn, x, h0, d_out, d_hn = torch_case(*case)
    out_ref, hn_ref, grads_ref = torch_reference(rnn, x, h0, d_out, d_hn)
    params = [getattr(rnn, k + "_l0") for k in KEYS]
    out, hn = NumpyRNNFunction.apply(x, h0, *params)
    grads = torch.autograd.grad([out, hn], [x, h0, *params], [d_out, d_hn])
    assert relative_error(out.detach().numpy(), out_ref) <= TOL
    assert relative_error(hn.detach().numpy(), hn_ref) <= TOL
    for name, g in zip(["dx", "dh0"] + ["d" + k for k in KEYS], grads):
        assert g.dtype == torch.float64
        assert relative_error(g.numpy(), grads_ref[name]) <= TOL, name


def test_both_biases_get_the_same_gradient():
    rnn, x, h0, d_out, d_hn = torch_case(3, 5, 4, 6)
    _, _, grads_ref = torch_reference(rnn, x, h0, d_out, d_hn)
    # torch sums the two in different orders: equal up to rounding, not bit for bit
    assert relative_error(grads_ref["dbias_ih"], grads_ref["dbias_hh"]) <= TOL
    net = NumpyRNN.from_torch(rnn)
    net.forward(x.detach().numpy(), h0.detach().numpy())
    net.backward(d_out.numpy(), d_hn.numpy())
    np.testing.assert_array_equal(net.grad["bias_ih"], net.grad["bias_hh"])
    assert relative_error(net.grad["bias_ih"], grads_ref["dbias_ih"]) <= TOL


@pytest.mark.parametrize("T", [1, 5])
def test_gradcheck_on_function(T):
    rnn, x, h0, _, _ = torch_case(3, 4, 2, T)
    inputs = tuple(
        t.detach().clone().requires_grad_()
        for t in [x, h0] + [getattr(rnn, k + "_l0") for k in KEYS]
    )
    assert torch.autograd.gradcheck(
        NumpyRNNFunction.apply, inputs, eps=1e-6, atol=1e-8, rtol=1e-6
    )


def test_gradcheck_m1_t20():
    rnn, x, h0, _, _ = torch_case(2, 3, 1, 20)
    inputs = tuple(
        t.detach().clone().requires_grad_()
        for t in [x, h0] + [getattr(rnn, k + "_l0") for k in KEYS]
    )
    assert torch.autograd.gradcheck(NumpyRNNFunction.apply, inputs)


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    T, m, n_x, H = 4, 2, 3, 5
    net = NumpyRNN(n_x, H, seed=1)
    x = rng.standard_normal((T, m, n_x))
    h0 = rng.standard_normal((1, m, H))
    d_out = rng.standard_normal((T, m, H))
    net.forward(x, h0)
    dx, dh0 = net.backward(d_out)
    assert (
        relative_error(
            dx, numerical_gradient(lambda v: net.forward(v, h0)[0], x, d_out)
        )
        < 1e-7
    )
    assert (
        relative_error(
            dh0, numerical_gradient(lambda v: net.forward(x, v)[0], h0, d_out)
        )
        < 1e-7
    )
    for name in KEYS:
        saved = getattr(net, name).copy()

        def f(value, name=name):
            setattr(net, name, value)
            return net.forward(x, h0)[0]

        expected = numerical_gradient(f, saved, d_out)
        setattr(net, name, saved)
        assert relative_error(net.grad[name], expected) < 1e-7, name


def test_module_is_a_drop_in_for_nn_rnn():
    rnn, x, h0, d_out, _ = torch_case(3, 5, 2, 7)
    module = NumpyRNNModule(3, 5)
    module.load_state_dict(rnn.state_dict())
    out, hn = module(x, h0)
    (out * d_out).sum().backward()
    out_ref, hn_ref = rnn(x.detach(), h0.detach())
    (out_ref * d_out).sum().backward()
    assert relative_error(out.detach().numpy(), out_ref.detach().numpy()) <= TOL
    for k in KEYS:
        assert (
            relative_error(
                getattr(module, k + "_l0").grad.numpy(),
                getattr(rnn, k + "_l0").grad.numpy(),
            )
            <= TOL
        )
    out0, _ = module(x)  # h0 defaults to zeros, as in nn.RNN
    assert relative_error(out0.detach().numpy(), rnn(x)[0].detach().numpy()) <= TOL


def test_float32_operator_keeps_float32():
    net = NumpyRNN(3, 4, dtype=np.float32)
    out, hn = net.forward(np.ones((2, 1, 3), dtype=np.float32))
    dx, dh0 = net.backward(np.ones((2, 1, 4), dtype=np.float32))
    assert out.dtype == hn.dtype == dx.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.grad.values())


def test_import_bptt_does_not_need_torch_names_eagerly():
    assert "NumpyRNNFunction" in bptt.__all__
    with pytest.raises(AttributeError):
        bptt.no_such_name  # noqa: B018


# --- bad input -----------------------------------------------------------------


def good_params(n_x=3, H=4):
    return NumpyRNN(n_x, H).parameters()


@pytest.mark.parametrize(
    "x, h0, params, message",
    [
        (
            np.ones((2, 3)),
            None,
            good_params(),
            r"x must be 3-D with shape \(T, m, n_x\).*got shape \(2, 3\)",
        ),
        (
            np.ones((2, 1, 5)),
            None,
            good_params(),
            r"x must have shape \(2, 1, 3\), got \(2, 1, 5\)",
        ),
        (
            np.ones((0, 1, 3)),
            None,
            good_params(),
            r"at least one time step, got shape \(0, 1, 3\)",
        ),
        (
            np.ones((2, 1, 3)),
            np.ones((1, 4)),
            good_params(),
            r"h0 must have shape \(1, 1, 4\), got \(1, 4\)",
        ),
        (
            np.ones((2, 2, 3)),
            np.ones((1, 1, 4)),
            good_params(),
            r"h0 must have shape \(1, 2, 4\), got \(1, 1, 4\)",
        ),
        (
            np.ones((2, 1, 3)),
            None,
            {**good_params(), "weight_hh": np.ones((4, 3))},
            r"params\['weight_hh'\] must have shape \(4, 4\), got \(4, 3\)",
        ),
        (
            np.ones((2, 1, 3)),
            None,
            {**good_params(), "bias_hh": np.ones((4, 1))},
            r"params\['bias_hh'\] must have shape \(4,\), got \(4, 1\)",
        ),
        (
            np.ones((2, 1, 3)),
            None,
            {k: v for k, v in good_params().items() if k != "bias_ih"},
            r"missing key\(s\) \['bias_ih'\]",
        ),
    ],
)
def test_bad_input_names_shapes(x, h0, params, message):
    with pytest.raises(ValueError, match=message):
        rnn_layer_forward(x, h0, params)


def test_bad_upstream_gradients():
    _, _, cache = rnn_layer_forward(np.ones((2, 1, 3)), None, good_params())
    with pytest.raises(
        ValueError, match=r"d_output must have shape \(2, 1, 4\), got \(1, 2, 4\)"
    ):
        rnn_layer_backward(np.ones((1, 2, 4)), None, cache)
    with pytest.raises(
        ValueError, match=r"d_h_n must have shape \(1, 1, 4\), got \(1, 4\)"
    ):
        rnn_layer_backward(np.ones((2, 1, 4)), np.ones((1, 4)), cache)
    with pytest.raises(ValueError, match="call forward before backward"):
        NumpyRNN(3, 4).backward(np.ones((2, 1, 4)))


def test_from_torch_rejects_other_configurations():
    with pytest.raises(ValueError, match="bidirectional=True"):
        NumpyRNN.from_torch(torch.nn.RNN(3, 4, bidirectional=True))
    with pytest.raises(ValueError, match="mode=RNN_RELU"):
        NumpyRNN.from_torch(torch.nn.RNN(3, 4, nonlinearity="relu"))


def test_function_rejects_bad_shapes():
    rnn, x, _, _, _ = torch_case(3, 5, 2, 4)
    params = [getattr(rnn, k + "_l0") for k in KEYS]
    with pytest.raises(
        ValueError, match=r"h0 must have shape \(1, 2, 5\), got \(2, 5\)"
    ):
        NumpyRNNFunction.apply(x, torch.zeros(2, 5, dtype=torch.float64), *params)
