"""Shared pieces of the probe harness: sizes, NumPy-internal message fragments, seeded fixtures, the Case class."""

import numpy as np

import bptt

N_X, N_A, N_Y, M, T = (
    3,
    4,
    2,
    2,
    3,
)  # distinct sizes, so that a swapped axis is a wrong shape

INTERNAL = (
    "operands could not be broadcast",
    "Input operand",
    "zero-size array",
    "has no attribute",
    "object of type",
    "unsupported operand",
    "not supported between instances",
    "could not convert",
    "setting an array element",
    "cannot reshape",
    "too many indices",
    "only integer scalar arrays",
    "ufunc",
    "unhashable",
    "not subscriptable",
    "is not iterable",
    "is not callable",
    "'NoneType' object",
    "positional argument",
    "truth value of an array",
    "out of bounds",
    "index out of range",
    "mismatch in its core dimension",
    "must be real number, not",
    "Cannot cast",
    "can't convert",
    "expected np.ndarray",
    "Expected a 'cpu' device",
)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _rnn_params(seed=0):
    return bptt.random_rnn_parameters(N_X, N_A, N_Y, _rng(seed))


def _lstm_params(seed=0):
    rng = _rng(seed)
    p = {}
    for g in "fico":
        p["W" + g] = 0.5 * rng.standard_normal((N_A, N_A + N_X))
        p["b" + g] = rng.standard_normal((N_A, 1))
    p["Wy"], p["by"] = rng.standard_normal((N_Y, N_A)), rng.standard_normal((N_Y, 1))
    return p


def _layer_params(seed=0):
    rng = _rng(seed)
    return {
        "weight_ih": 0.5 * rng.standard_normal((N_A, N_X)),
        "weight_hh": 0.5 * rng.standard_normal((N_A, N_A)),
        "bias_ih": rng.standard_normal(N_A),
        "bias_hh": rng.standard_normal(N_A),
    }


def _arr(*shape, seed=1):
    return _rng(seed).standard_normal(shape)


def _labels(seed=2):
    return _rng(seed).integers(0, N_Y, size=(M, T))


# ------------------------------------------------------------------ cases
# A case: build() -> dict of named arguments (fresh, valid); call(args) -> result;
# kinds: argument -> kind (what bad values it gets); free: argument -> axes whose
# length may change freely (so "one longer" is valid there and not probed).


class Case:
    def __init__(
        self,
        name,
        build,
        call,
        kinds,
        free=None,
        allowed=(),
        aliases=(),
        oracle=None,
        custom=None,
    ):
        self.name, self.build, self.call, self.kinds = name, build, call, kinds
        self.custom = (
            custom or {}
        )  # argument -> [(label, expect, transform)] for kind "custom" (nested lists, objects)
        self.oracle = (
            oracle  # args -> the right result for NaN/inf input, where one exists
        )
        self.free = free or {}
        self.allowed = (
            allowed  # exceptions besides ValueError/TypeError that are a clear answer
        )
        # a clear message names an argument of the call: its name, a key of a dict argument, or an alias
        base = build()
        self.names = set(kinds) | set(aliases)
        for arg in kinds:
            if isinstance(base[arg], dict):
                self.names |= {str(k) for k in base[arg]}


def _rnn_cell_cache():
    return bptt.rnn_cell_forward(_arr(N_X, M), _arr(N_A, M, seed=3), _rnn_params())[2]


def _rnn_caches():
    return bptt.rnn_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params())[2]


def _lstm_cell_cache():
    return bptt.lstm_cell_forward(
        _arr(N_X, M), _arr(N_A, M, seed=3), _arr(N_A, M, seed=4), _lstm_params()
    )[3]


def _lstm_caches():
    return bptt.lstm_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _lstm_params())[3]


def _layer_cache(fast=False):
    f = bptt.rnn_layer_forward_fast if fast else bptt.rnn_layer_forward
    return f(_arr(T, M, N_X), _arr(1, M, N_A, seed=3), _layer_params())[2]


def _batches():
    data = _rng(5).integers(0, N_X, size=40)

    def get_batch(i):
        rng = np.random.default_rng([7, i])
        s = rng.integers(0, len(data) - T, size=M)
        w = np.stack([data[j : j + T + 1] for j in s])
        x = np.zeros((N_X, M, T))
        x[w[:, :-1], np.arange(M)[:, None], np.arange(T)[None, :]] = 1.0
        return x, w[:, 1:] % N_Y

    return get_batch


def _adam_args():
    p = _rnn_params()
    grads = {"d" + k: _arr(*v.shape, seed=9) for k, v in p.items()}
    v, s = bptt.initialize_adam(p)
    v = {k: 0.1 * _arr(*a.shape, seed=10) for k, a in v.items()}
    s = {k: 0.1 * _arr(*a.shape, seed=11) ** 2 for k, a in s.items()}
    return dict(
        parameters=p,
        grads=grads,
        v=v,
        s=s,
        t=3,
        learning_rate=0.01,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        eps_inside_sqrt=False,
    )


def _torch_args():
    import torch

    rng = _rng(0)
    t = lambda *s: torch.tensor(rng.standard_normal(s), requires_grad=True)  # noqa: E731
    return dict(
        x=t(T, M, N_X),
        h0=t(1, M, N_A),
        weight_ih=t(N_A, N_X),
        weight_hh=t(N_A, N_A),
        bias_ih=t(N_A),
        bias_hh=t(N_A),
    )


def _torch_function_call(a):
    from bptt import NumpyRNNFunction

    out, h_n = NumpyRNNFunction.apply(
        a["x"], a["h0"], a["weight_ih"], a["weight_hh"], a["bias_ih"], a["bias_hh"]
    )
    (out.sum() + h_n.sum()).backward()
    return [out.detach().numpy(), h_n.detach().numpy()] + [
        None if a[k].grad is None else a[k].grad.numpy()
        for k in ("x", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]


def _module_forward(a):
    import torch

    from bptt import NumpyRNNModule

    torch.manual_seed(
        0
    )  # the module draws its weights: the same ones for the call and its reference
    mod = NumpyRNNModule(N_X, N_A)
    out, h_n = mod(a["x"], a["h0"])
    return out.detach().numpy(), h_n.detach().numpy()


def _numpy_rnn_backward(a):
    net = bptt.NumpyRNN(N_X, N_A)
    net.forward(_arr(T, M, N_X))
    dx, dh0 = net.backward(a["d_output"], a["d_h_n"])
    return dx, dh0, net.grad


def _from_torch(a):
    return bptt.NumpyRNN.from_torch(a["rnn"]).parameters()


ARRAY, PARAMS = "array", "params"
