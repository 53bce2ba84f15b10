"""Probe every public function of ``bptt`` with a fixed list of bad inputs and count the outcomes.

Usage::

    PYTHONPATH=<repo> python tools/probe_bad_input.py [-v] [--only NAME]

For each public name (``bptt.__all__`` without the explorer and the two
constants) a valid call is built from small seeded arrays; then every
argument is replaced, one at a time, by each bad value of its kind (a list,
a complex / bool / object / integer array, an axis too many or too few, an
axis one too long, an empty axis, NaN, inf, a wrong scalar, a missing key …).
A few extra probes edit returned arrays, inputs or parameters in place after
a forward pass and check that the backward's gradients do not move.

Each outcome is one of

* ``clear``   — ValueError/TypeError whose message names the argument and is
  not a NumPy-internal message;
* ``ok``      — a result that is right: equal to the float64 reference for an
  input that may be converted (integer arrays, Fortran order), visibly NaN/inf
  for a NaN/inf input, an empty result for an empty axis, unchanged gradients;
* ``cryptic`` — any other exception (IndexError, AttributeError, KeyError, a
  NumPy message such as "operands could not be broadcast", an error that does
  not name the argument);
* ``silent``  — a result without an error where an error was due, a warning
  (e.g. ComplexWarning), or a result that differs from the reference.

The probe list is fixed (no randomness), so counts before and after a change
are comparable.  Runs against whichever ``bptt`` is first on the path.
"""

import argparse
import contextlib
import io
import re
import sys
import warnings
from collections import Counter, defaultdict

import numpy as np

import bptt

N_X, N_A, N_Y, M, T = 3, 4, 2, 2, 3  # distinct sizes, so that a swapped axis is a wrong shape

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
    def __init__(self, name, build, call, kinds, free=None, allowed=(), aliases=(), oracle=None):
        self.name, self.build, self.call, self.kinds = name, build, call, kinds
        self.oracle = oracle  # args -> the right result for NaN/inf input, where one exists
        self.free = free or {}
        self.allowed = allowed  # exceptions besides ValueError/TypeError that are a clear answer
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
    return bptt.lstm_cell_forward(_arr(N_X, M), _arr(N_A, M, seed=3), _arr(N_A, M, seed=4), _lstm_params())[3]


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
    return dict(parameters=p, grads=grads, v=v, s=s, t=3, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, eps_inside_sqrt=False)


def _torch_args():
    import torch

    rng = _rng(0)
    t = lambda *s: torch.tensor(rng.standard_normal(s), requires_grad=True)  # noqa: E731
    return dict(x=t(T, M, N_X), h0=t(1, M, N_A), weight_ih=t(N_A, N_X), weight_hh=t(N_A, N_A), bias_ih=t(N_A), bias_hh=t(N_A))


def _torch_function_call(a):
    from bptt import NumpyRNNFunction

    out, h_n = NumpyRNNFunction.apply(a["x"], a["h0"], a["weight_ih"], a["weight_hh"], a["bias_ih"], a["bias_hh"])
    (out.sum() + h_n.sum()).backward()
    return [out.detach().numpy(), h_n.detach().numpy()] + [
        None if a[k].grad is None else a[k].grad.numpy() for k in ("x", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]


def _module_forward(a):
    import torch

    from bptt import NumpyRNNModule

    torch.manual_seed(0)  # the module draws its weights: the same ones for the call and its reference
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
CASES = [
    Case("sigmoid", lambda: dict(x=_arr(3, 4)), lambda a: bptt.sigmoid(a["x"]), {"x": "array_scalar"}, {"x": "all"}, oracle=lambda a: 1 / (1 + np.exp(-a["x"]))),
    Case("softmax", lambda: dict(x=_arr(3, 4)), lambda a: bptt.softmax(a["x"]), {"x": ARRAY}, {"x": "all"}),
    Case("activation", lambda: dict(name="tanh"), lambda a: bptt.activation(a["name"]), {"name": "act_name"}, aliases=("activation",)),
    Case("relative_error", lambda: dict(a=_arr(3, 2), b=_arr(3, 2, seed=2)), lambda a: bptt.relative_error(a["a"], a["b"]), {"a": ARRAY, "b": ARRAY}),
    Case(
        "assert_close",
        lambda: dict(name="x", actual=_arr(3, 2), expected=_arr(3, 2) * (1 + 1e-12), tol=1e-7),
        lambda a: bptt.assert_close(a["name"], a["actual"], a["expected"], a["tol"]),
        {"name": "str", "actual": ARRAY, "expected": ARRAY, "tol": "posreal"},
        allowed=(AssertionError,),
    ),
    Case(
        "numerical_gradient",
        lambda: dict(f=lambda v: np.sin(v), x=_arr(2, 3), upstream=_arr(2, 3, seed=2), h=1e-6),
        lambda a: bptt.numerical_gradient(a["f"], a["x"], a["upstream"], a["h"]),
        {"f": "callable", "x": ARRAY, "upstream": "array_none", "h": "posreal"},
    ),
    Case(
        "srn_forward",
        lambda: dict(x=_arr(T, N_X), h0=_arr(N_A, seed=2), U=0.5 * _arr(N_A, N_A, seed=3), W=_arr(N_A, N_X, seed=4), b=_arr(N_A, seed=5), f="tanh"),
        lambda a: bptt.srn_forward(a["x"], a["h0"], a["U"], a["W"], a["b"], f=a["f"]),
        {"x": ARRAY, "h0": ARRAY, "U": ARRAY, "W": ARRAY, "b": ARRAY, "f": "act_name"},
        {"x": (0,)},
        aliases=("activation",),
    ),
    Case(
        "error_terms",
        lambda: dict(z=_arr(T, N_A), U=0.5 * _arr(N_A, N_A, seed=3), dL_dh=_arr(T, N_A, seed=4), f="tanh"),
        lambda a: bptt.error_terms(a["z"], a["U"], a["dL_dh"], f=a["f"]),
        {"z": ARRAY, "U": ARRAY, "dL_dh": ARRAY, "f": "act_name"},
        aliases=("activation",),
    ),
    Case(
        "gradients_double_sum",
        lambda: dict(delta=_arr(T, T, N_A), h=_arr(T + 1, N_A, seed=2), x=_arr(T, N_X, seed=3)),
        lambda a: bptt.gradients_double_sum(a["delta"], a["h"], a["x"]),
        {"delta": ARRAY, "h": ARRAY, "x": ARRAY},
        {"x": (1,)},
    ),
    Case(
        "rnn_cell_forward",
        lambda: dict(xt=_arr(N_X, M), a_prev=_arr(N_A, M, seed=3), parameters=_rnn_params()),
        lambda a: bptt.rnn_cell_forward(a["xt"], a["a_prev"], a["parameters"]),
        {"xt": ARRAY, "a_prev": ARRAY, "parameters": PARAMS},
    ),
    Case(
        "rnn_cell_backward",
        lambda: dict(da_next=_arr(N_A, M, seed=6), cache=_rnn_cell_cache()),
        lambda a: bptt.rnn_cell_backward(a["da_next"], a["cache"]),
        {"da_next": ARRAY, "cache": "cache"},
    ),
    Case(
        "rnn_forward",
        lambda: dict(x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_rnn_params()),
        lambda a: bptt.rnn_forward(a["x"], a["a0"], a["parameters"]),
        {"x": ARRAY, "a0": ARRAY, "parameters": PARAMS},
        {"x": (2,)},
    ),
    Case(
        "rnn_backward",
        lambda: dict(da=_arr(N_A, M, T, seed=6), caches=_rnn_caches()),
        lambda a: bptt.rnn_backward(a["da"], a["caches"]),
        {"da": ARRAY, "caches": "caches"},
    ),
    Case(
        "random_rnn_parameters",
        lambda: dict(n_x=N_X, n_a=N_A, n_y=N_Y, rng=_rng()),
        lambda a: bptt.random_rnn_parameters(a["n_x"], a["n_a"], a["n_y"], a["rng"]),
        {"n_x": "posint", "n_a": "posint", "n_y": "posint", "rng": "generator"},
    ),
    Case(
        "lstm_cell_forward",
        lambda: dict(xt=_arr(N_X, M), a_prev=_arr(N_A, M, seed=3), c_prev=_arr(N_A, M, seed=4), parameters=_lstm_params()),
        lambda a: bptt.lstm_cell_forward(a["xt"], a["a_prev"], a["c_prev"], a["parameters"]),
        {"xt": ARRAY, "a_prev": ARRAY, "c_prev": ARRAY, "parameters": PARAMS},
    ),
    Case(
        "lstm_cell_backward",
        lambda: dict(da_next=_arr(N_A, M, seed=6), dc_next=_arr(N_A, M, seed=7), cache=_lstm_cell_cache()),
        lambda a: bptt.lstm_cell_backward(a["da_next"], a["dc_next"], a["cache"]),
        {"da_next": ARRAY, "dc_next": ARRAY, "cache": "cache"},
    ),
    Case(
        "lstm_forward",
        lambda: dict(x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_lstm_params()),
        lambda a: bptt.lstm_forward(a["x"], a["a0"], a["parameters"]),
        {"x": ARRAY, "a0": ARRAY, "parameters": PARAMS},
        {"x": (2,)},
    ),
    Case(
        "lstm_backward",
        lambda: dict(da=_arr(N_A, M, T, seed=6), caches=_lstm_caches()),
        lambda a: bptt.lstm_backward(a["da"], a["caches"]),
        {"da": ARRAY, "caches": "caches"},
    ),
    Case(
        "rnn_layer_forward",
        lambda: dict(x=_arr(T, M, N_X), h0=_arr(1, M, N_A, seed=3), params=_layer_params()),
        lambda a: bptt.rnn_layer_forward(a["x"], a["h0"], a["params"]),
        {"x": ARRAY, "h0": "array_none", "params": PARAMS},
        {"x": (0,)},
    ),
    Case(
        "rnn_layer_backward",
        lambda: dict(d_output=_arr(T, M, N_A, seed=6), d_h_n=_arr(1, M, N_A, seed=7), cache=_layer_cache()),
        lambda a: bptt.rnn_layer_backward(a["d_output"], a["d_h_n"], a["cache"]),
        {"d_output": ARRAY, "d_h_n": "array_none", "cache": "cache"},
    ),
    Case(
        "rnn_layer_forward_fast",
        lambda: dict(x=_arr(T, M, N_X), h0=_arr(1, M, N_A, seed=3), params=_layer_params()),
        lambda a: bptt.rnn_layer_forward_fast(a["x"], a["h0"], a["params"]),
        {"x": ARRAY, "h0": "array_none", "params": PARAMS},
        {"x": (0,)},
    ),
    Case(
        "rnn_layer_backward_fast",
        lambda: dict(d_output=_arr(T, M, N_A, seed=6), d_h_n=_arr(1, M, N_A, seed=7), cache=_layer_cache(fast=True)),
        lambda a: bptt.rnn_layer_backward_fast(a["d_output"], a["d_h_n"], a["cache"]),
        {"d_output": ARRAY, "d_h_n": "array_none", "cache": "cache"},
    ),
    Case(
        "rnn_forward_fast",
        lambda: dict(x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_rnn_params()),
        lambda a: bptt.rnn_forward_fast(a["x"], a["a0"], a["parameters"]),
        {"x": ARRAY, "a0": ARRAY, "parameters": "params_fast"},
        {"x": (2,)},
    ),
    Case(
        "rnn_backward_fast",
        lambda: dict(da=_arr(N_A, M, T, seed=6), cache=bptt.rnn_forward_fast(_arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params())[1]),
        lambda a: bptt.rnn_backward_fast(a["da"], a["cache"]),
        {"da": ARRAY, "cache": "cache"},
    ),
    Case(
        "NumpyRNN",
        lambda: dict(input_size=N_X, hidden_size=N_A, seed=0, dtype=np.float64),
        lambda a: bptt.NumpyRNN(a["input_size"], a["hidden_size"], a["seed"], a["dtype"]).parameters(),
        {"input_size": "posint", "hidden_size": "posint", "seed": "seed", "dtype": "dtype"},
    ),
    Case(
        "NumpyRNN.forward",
        lambda: dict(x=_arr(T, M, N_X), h0=_arr(1, M, N_A, seed=3)),
        lambda a: bptt.NumpyRNN(N_X, N_A).forward(a["x"], a["h0"]),
        {"x": ARRAY, "h0": "array_none"},
        {"x": (0,)},
    ),
    Case(
        "NumpyRNN.backward",
        lambda: dict(d_output=_arr(T, M, N_A, seed=6), d_h_n=_arr(1, M, N_A, seed=7)),
        _numpy_rnn_backward,
        {"d_output": ARRAY, "d_h_n": "array_none"},
    ),
    Case("NumpyRNN.from_torch", lambda: dict(rnn=__import__("torch").nn.RNN(N_X, N_A)), _from_torch, {"rnn": "torch_rnn"}),
    Case("NumpyRNNFunction", _torch_args, _torch_function_call, {k: "tensor" for k in ("x", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh")}, {"x": (0,)}),
    Case(
        "NumpyRNNModule",
        lambda: dict(input_size=N_X, hidden_size=N_A),
        lambda a: {k: v.detach().numpy() for k, v in bptt.NumpyRNNModule(a["input_size"], a["hidden_size"]).state_dict().items()},
        {"input_size": "posint", "hidden_size": "posint"},
    ),
    Case("NumpyRNNModule.forward", lambda: {k: v.detach() for k, v in _torch_args().items() if k in ("x", "h0")}, _module_forward, {"x": "tensor", "h0": "tensor_none"}, {"x": (0,)}),
    Case("initialize_adam", lambda: dict(parameters=_rnn_params()), lambda a: bptt.initialize_adam(a["parameters"]), {"parameters": "params_free"}),
    Case(
        "update_parameters_with_adam",
        _adam_args,
        lambda a: bptt.update_parameters_with_adam(**a),
        {"parameters": "params_any", "grads": "params_any", "v": "params_any", "s": "params_any", "t": "posint", "learning_rate": "posreal", "beta1": "unit", "beta2": "unit", "epsilon": "posreal", "eps_inside_sqrt": "bool"},
    ),
    Case(
        "clip_grad_norm",
        lambda: dict(grads={"dW": _arr(3, 2), "db": _arr(3, 1, seed=2)}, max_norm=1.0, error_if_nonfinite=False),
        lambda a: bptt.clip_grad_norm(a["grads"], a["max_norm"], error_if_nonfinite=a["error_if_nonfinite"]),
        {"grads": "grads_any", "max_norm": "posreal", "error_if_nonfinite": "bool"},
    ),
    Case("one_hot", lambda: dict(indices=_labels(), n=N_Y), lambda a: bptt.one_hot(a["indices"], a["n"]), {"indices": "int_array", "n": "posint"}, {"indices": "all"}),
    Case(
        "char_windows",
        lambda: dict(data=_rng(5).integers(0, N_X, size=40), vocab=N_X, T_x=T, m=M, seed=0),
        lambda a: bptt.char_windows(a["data"], a["vocab"], a["T_x"], a["m"], a["seed"])(1),
        {"data": "int_array", "vocab": "posint", "T_x": "posint", "m": "posint", "seed": "nonnegint"},
        {"data": "all"},
    ),
    Case(
        "char_windows.get_batch",
        lambda: dict(i=1),
        lambda a: bptt.char_windows(_rng(5).integers(0, N_X, size=40), N_X, T, M, 0)(a["i"]),
        {"i": "nonnegint"},
    ),
    Case(
        "cross_entropy_loss",
        lambda: dict(y_pred=bptt.rnn_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params())[1], labels=_labels()),
        lambda a: bptt.cross_entropy_loss(a["y_pred"], a["labels"]),
        {"y_pred": "prob_array", "labels": "int_array"},
        {"y_pred": (0,)},  # any number of classes above the largest label
    ),
    Case(
        "cross_entropy_backward",
        lambda: dict(zip(("a", "y_pred"), bptt.rnn_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params())[:2]), labels=_labels(), parameters=_rnn_params()),
        lambda a: bptt.cross_entropy_backward(a["a"], a["y_pred"], a["labels"], a["parameters"]),
        {"a": ARRAY, "y_pred": "prob_array", "labels": "int_array", "parameters": PARAMS},
        {"parameters": {"Wax": (1,)}},  # n_x is not read by the loss
    ),
    Case(
        "rnn_loss_and_grads",
        lambda: dict(x=_arr(N_X, M, T), labels=_labels(), a0=_arr(N_A, M, seed=3), parameters=_rnn_params()),
        lambda a: bptt.rnn_loss_and_grads(a["x"], a["labels"], a["a0"], a["parameters"]),
        {"x": ARRAY, "labels": "int_array", "a0": ARRAY, "parameters": PARAMS},
    ),
    Case(
        "train_rnn",
        lambda: dict(parameters=_rnn_params(), get_batch=_batches(), num_iterations=2, learning_rate=0.01, max_norm=1.0, progress=False, desc=None),
        lambda a: bptt.train_rnn(a["parameters"], a["get_batch"], a["num_iterations"], learning_rate=a["learning_rate"], max_norm=a["max_norm"], progress=a["progress"], desc=a["desc"]),
        {"parameters": PARAMS, "get_batch": "get_batch", "num_iterations": "posint", "learning_rate": "posreal", "max_norm": "posreal_none", "progress": "bool", "desc": "str_none"},
    ),
]


# -------------------------------------------------------------- bad values
# Each mutation: (label, expect, transform) where transform(value) gives the bad
# value (or raises _Skip) and expect says what counts as a right answer besides a
# clear error: "error" (nothing else), "convert" (the float64 reference result),
# "nonfinite" (a visibly NaN/inf result), "empty" (a result, no warning/NaN).


class _Skip(Exception):
    pass


def _set_first(v, value):
    v = np.array(v, dtype=float)
    v.flat[0] = value
    return v


def _grow(axis):
    def f(v):
        if axis >= v.ndim:
            raise _Skip
        pad = [(0, 0)] * v.ndim
        pad[axis] = (0, 1)
        return np.pad(v, pad, constant_values=0.5)

    return f


def _empty(axis):
    def f(v):
        if axis >= v.ndim:
            raise _Skip
        return np.take(v, [], axis=axis)

    return f


def array_mutations(v, free=(), any_ndim=False, allow_none=False, allow_scalar=False):
    """The bad values of one float array argument ``v``."""
    out = [
        ("list", "error", lambda v: v.tolist()),
        ("tuple", "error", lambda v: tuple(v.tolist())),
        ("string", "error", lambda v: "abc"),
        ("dict", "error", lambda v: {"a": v}),
        ("complex", "error", lambda v: v + 0.1j),
        ("bool dtype", "error", lambda v: v > 0),
        ("object dtype", "error", lambda v: v.astype(object)),
        ("string dtype", "error", lambda v: v.astype(str)),
        ("int dtype", "convert", lambda v: np.round(2 * v).astype(np.int64)),
        ("Fortran order", "convert", lambda v: np.asfortranarray(v)),
        ("NaN entry", "nonfinite", lambda v: _set_first(v, np.nan)),
        ("inf entry", "nonfinite", lambda v: _set_first(v, np.inf)),
        ("-inf entry", "nonfinite", lambda v: _set_first(v, -np.inf)),
    ]
    if not allow_none:
        out.append(("None", "error", lambda v: None))
    if not allow_scalar:
        out += [("float scalar", "error", lambda v: 1.5), ("0-d array", "error", lambda v: np.array(1.5))]
    if not any_ndim:
        out += [("axis dropped", "error", lambda v: v[..., 0]), ("axis added", "error", lambda v: v[None])]
    for axis in range(v.ndim):
        out.append((f"axis {axis} empty", "empty", _empty(axis)))
        if free != "all" and axis not in free:
            out.append((f"axis {axis} one longer", "error", _grow(axis)))
    return out


def int_array_mutations(v, free=()):
    out = [
        ("list", "error", lambda v: v.tolist()),
        ("None", "error", lambda v: None),
        ("string", "error", lambda v: "abc"),
        ("float dtype", "error", lambda v: v.astype(float) + 0.5),
        ("complex", "error", lambda v: v + 0j),
        ("bool dtype", "error", lambda v: v > 0),
        ("object dtype", "error", lambda v: v.astype(object)),
        ("negative entry", "error", lambda v: np.where(np.arange(v.size).reshape(v.shape) == 0, -1, v)),
        ("entry too large", "error", lambda v: np.where(np.arange(v.size).reshape(v.shape) == 0, 10**6, v)),
        ("axis dropped", "error", lambda v: v[..., 0]),
        ("axis added", "error", lambda v: v[None]),
    ]
    for axis in range(v.ndim):
        out.append((f"axis {axis} empty", "empty", _empty(axis)))
        if free != "all" and axis not in free:
            out.append((f"axis {axis} one longer", "error", _grow(axis)))
    return out


SCALARS = {
    "posint": [0, -1, 2.5, 3.0, "3", None, True, float("nan"), [3], np.array(2), 1j],
    "nonnegint": [-1, 2.5, 3.0, "3", None, True, float("nan"), [3], 1j],
    "seed": [-1, 2.5, 3.0, "3", True, float("nan"), [3], 1j],  # None is a valid seed
    "posreal": [0, 0.0, -1.0, float("nan"), float("inf"), -float("inf"), "0.1", None, True, [0.1], np.array([0.1]), 1j],
    "posreal_none": [0, -1.0, float("nan"), float("inf"), "1", True, [1.0], 1j],
    "unit": [-0.1, 1.0, 1.5, float("nan"), float("inf"), "0.9", None, True, [0.9], 1j],
    "bool": [1, 0, 1.0, "yes", None, np.array([True]), [True]],
    "callable": [None, 3, "f", [np.sin]],
    "get_batch": [None, 3, "f", lambda i: None, lambda i: ([1.0], [0]), lambda i: (np.ones((N_X + 1, M, T)), _labels()),
                  lambda i: (np.ones((N_X, M, T)), _labels().astype(float)), lambda i: (np.ones((N_X, M, T)) + 0j, _labels()),
                  lambda i: (np.full((N_X, M, T), np.nan), _labels()), lambda i: (np.ones((N_X, M, T)), _labels()[:, :-1]),
                  lambda i: (np.ones((N_X, 0, T)), _labels()[:0])],
    "str": [3, None, ["x"], b"x"],
    "str_none": [3, ["x"], b"x", 1.5],
    "act_name": [3, None, ["tanh"], "softplus", b"tanh", "TANH"],
    "generator": [None, 3, "rng", np.random.RandomState(0)],
    "dtype": [np.int32, np.int64, np.complex128, bool, object, "int", np.float16, "no such dtype"],
}


def _params_mutations(arg, base, keys=None, any_shape=False, values_unused=False, keys_free=False, entry_free=None):
    """Bad values of a parameter dict: each entry as an array, missing keys, a non-dict.

    ``any_shape``: entries may have any shape (clip_grad_norm, initialize_adam);
    ``values_unused``: only shapes are read, so NaN/inf are fine (initialize_adam);
    ``keys_free``: any set of keys is valid, so a missing key or {} is no error.
    Returns (name the message must hold, label, expect, transform of the whole dict).
    """
    out = []
    for key in keys or base:
        free = "all" if any_shape else (entry_free or {}).get(key, ())
        muts = array_mutations(base[key], free=free, any_ndim=any_shape, allow_scalar=any_shape)
        for label, expect, f in muts:
            if values_unused and expect == "nonfinite":
                expect = "any"
            out.append((key, f"[{key!r}] {label}", expect, _entry(key, f)))
        if not keys_free:
            out.append((key, f"[{key!r}] missing", "error", _without(key)))
    out += [
        (arg, "not a dict (list of items)", "error", lambda d: list(d.items())),
        (arg, "None", "error", lambda d: None),
    ]
    if not keys_free:
        out.append((arg, "empty dict", "error", lambda d: {}))
    return out


def _entry(key, f):
    def g(d):
        d = dict(d)
        d[key] = f(d[key])
        return d

    return g


def _without(key):
    def g(d):
        d = dict(d)
        del d[key]
        return d

    return g


def _cache_mutations(arg, base):
    out = [
        (arg, "None", "error", lambda c: None),
        (arg, "list instead of tuple", "error", lambda c: list(c)),
        (arg, "last element dropped", "error", lambda c: c[:-1]),
        (arg, "a string", "error", lambda c: "cache"),
    ]
    if isinstance(base, tuple) and len(base) == 2 and isinstance(base[0], list):  # (step caches, x)
        out += [
            (arg, "no step caches (T = 0)", "error", lambda c: ([], c[1][..., :0])),
            (arg, "step caches as a tuple", "error", lambda c: (tuple(c[0]), c[1])),
            (arg, "a step cache replaced by None", "error", lambda c: ([None] + c[0][1:], c[1])),
            (arg, "step cache parameters as a list", "error", lambda c: ([c[0][0][:-1] + (list(c[0][0][-1].items()),)] + c[0][1:], c[1])),
        ]
    else:
        out += [
            (arg, "arrays as lists", "error", lambda c: tuple(e.tolist() if isinstance(e, np.ndarray) else e for e in c)),
            (arg, "first array with an empty axis", "error", lambda c: (np.take(c[0], [], axis=c[0].ndim - 1),) + tuple(c[1:])),
            (arg, "first array complex", "error", lambda c: (c[0] + 0.1j,) + tuple(c[1:])),
        ]
    return out


def _tensor_mutations(arg, base, allow_none=False):
    import torch

    def t(f):
        return lambda v: f(v.detach().clone())

    out = [
        ("NumPy array", "error", lambda v: v.detach().numpy().copy()),
        ("list", "error", lambda v: v.detach().tolist()),
        ("complex", "error", t(lambda v: v.to(torch.complex128))),
        ("int dtype", "convert", t(lambda v: (2 * v).round().to(torch.int64))),
        ("axis dropped", "error", t(lambda v: v[..., 0])),
        ("axis added", "error", t(lambda v: v[None])),
        ("NaN entry", "nonfinite", t(lambda v: v.flatten().index_fill(0, torch.tensor([0]), float("nan")).reshape(v.shape))),
    ]
    if not allow_none:
        out.append(("None", "error", lambda v: None))
    for axis in range(base.dim()):
        out.append((f"axis {axis} empty", "empty", t(lambda v, a=axis: v.narrow(a, 0, 0))))
    return [(arg, label, expect, f) for label, expect, f in out]


def probes_of(case):
    """All probes of one case: (argument, name the message must hold, label, expect, transform)."""
    base = case.build()
    out = []
    for arg, kind in case.kinds.items():
        v = base[arg]
        free = case.free.get(arg, ())
        if kind in (ARRAY, "array_none", "array_scalar", "prob_array"):
            muts = array_mutations(v, free, any_ndim=free == "all", allow_none=kind == "array_none", allow_scalar=kind == "array_scalar")
            if kind == "prob_array":
                muts += [("negative probability", "error", lambda v: _set_first(v, -0.5)), ("probability above 1", "error", lambda v: _set_first(v, 1.5))]
            out += [(arg, arg, label, expect, f) for label, expect, f in muts]
        elif kind == "int_array":
            out += [(arg, arg, label, expect, f) for label, expect, f in int_array_mutations(v, free)]
        elif kind in (PARAMS, "params_fast", "params_any", "params_free", "grads_any"):
            keys = ("Wax", "Waa", "ba") if kind == "params_fast" else None  # the fast path reads only these
            options = dict(
                any_shape=kind in ("params_free", "grads_any"),
                values_unused=kind == "params_free",
                # Adam updates whatever parameters it is given; clip_grad_norm clips whatever it is given
                keys_free=kind == "params_free" or (kind == "params_any" and arg == "parameters") or kind == "grads_any",
                entry_free=free or None,
            )
            out += [(arg, name, label, expect, f) for name, label, expect, f in _params_mutations(arg, v, keys, **options)]
        elif kind in ("cache", "caches"):
            out += [(arg, *p) for p in _cache_mutations(arg, v)]
        elif kind in ("tensor", "tensor_none"):
            out += [(arg, *p) for p in _tensor_mutations(arg, v, allow_none=kind == "tensor_none")]
        elif kind == "torch_rnn":
            import torch

            others = (("None", None), ("an LSTM", torch.nn.LSTM(N_X, N_A)), ("a dict", {}), ("relu RNN", torch.nn.RNN(N_X, N_A, nonlinearity="relu")))
            out += [(arg, arg, label, "error", lambda _, o=o: o) for label, o in others]
        else:
            out += [(arg, arg, f"{value!r:.40}", "error", lambda _, value=value: value) for value in SCALARS[kind]]
    return out


# ----------------------------------------------------------- in-place probes


def _grads_after(build_forward, edit, backward):
    """Gradients with and without ``edit(state)`` between forward and backward."""
    results = []
    for do_edit in (False, True):
        state = build_forward()
        if do_edit:
            edit(state)
        results.append(backward(state))
    return results


def _aliasing_probes():
    """Probes that edit returned arrays, inputs or parameters after a forward pass."""
    P = []

    def rnn_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
        a, _, caches = bptt.rnn_forward(x, a0, p)
        return dict(x=x, a0=a0, p=p, a=a, caches=caches)

    rnn_bwd = lambda s: bptt.rnn_backward(_arr(N_A, M, T, seed=6), s["caches"])  # noqa: E731
    P += [
        ("rnn_forward", "x edited in place after forward", lambda: _grads_after(rnn_fwd, lambda s: s["x"].__iadd__(1.0), rnn_bwd)),
        ("rnn_forward", "parameters['Wax'] edited in place", lambda: _grads_after(rnn_fwd, lambda s: s["p"]["Wax"].__imul__(2.0), rnn_bwd)),
        ("rnn_forward", "Adam step between forward and backward", lambda: _grads_after(rnn_fwd, lambda s: s["p"].update(Wax=s["p"]["Wax"] + 1.0), rnn_bwd)),
        ("rnn_forward", "a0 edited in place", lambda: _grads_after(rnn_fwd, lambda s: s["a0"].__imul__(-1.0), rnn_bwd)),
    ]

    def cell_fwd():
        xt, a_prev, p = _arr(N_X, M), _arr(N_A, M, seed=3), _rnn_params()
        a_next, _, cache = bptt.rnn_cell_forward(xt, a_prev, p)
        return dict(xt=xt, a_prev=a_prev, p=p, a_next=a_next, cache=cache)

    cell_bwd = lambda s: bptt.rnn_cell_backward(_arr(N_A, M, seed=6), s["cache"])  # noqa: E731
    P += [
        ("rnn_cell_forward", "returned a_next edited in place", lambda: _grads_after(cell_fwd, lambda s: s["a_next"].__imul__(0.5), cell_bwd)),
        ("rnn_cell_forward", "a_prev edited in place", lambda: _grads_after(cell_fwd, lambda s: s["a_prev"].__imul__(0.5), cell_bwd)),
        ("rnn_cell_forward", "xt edited in place", lambda: _grads_after(cell_fwd, lambda s: s["xt"].__iadd__(1.0), cell_bwd)),
        ("rnn_cell_forward", "Adam step between forward and backward", lambda: _grads_after(cell_fwd, lambda s: s["p"].update(Waa=s["p"]["Waa"] + 1.0), cell_bwd)),
    ]

    def lstm_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _lstm_params()
        return dict(x=x, a0=a0, p=p, caches=bptt.lstm_forward(x, a0, p)[3])

    lstm_bwd = lambda s: bptt.lstm_backward(_arr(N_A, M, T, seed=6), s["caches"])  # noqa: E731
    P += [
        ("lstm_forward", "x edited in place", lambda: _grads_after(lstm_fwd, lambda s: s["x"].__iadd__(1.0), lstm_bwd)),
        ("lstm_forward", "Adam step between forward and backward", lambda: _grads_after(lstm_fwd, lambda s: s["p"].update(Wf=s["p"]["Wf"] + 1.0), lstm_bwd)),
        ("lstm_forward", "parameters['Wo'] edited in place", lambda: _grads_after(lstm_fwd, lambda s: s["p"]["Wo"].__imul__(2.0), lstm_bwd)),
    ]

    def lcell_fwd():
        xt, a_prev, c_prev, p = _arr(N_X, M), _arr(N_A, M, seed=3), _arr(N_A, M, seed=4), _lstm_params()
        a_next, c_next, _, cache = bptt.lstm_cell_forward(xt, a_prev, c_prev, p)
        return dict(xt=xt, c_prev=c_prev, a_next=a_next, c_next=c_next, cache=cache, p=p)

    lcell_bwd = lambda s: bptt.lstm_cell_backward(_arr(N_A, M, seed=6), _arr(N_A, M, seed=7), s["cache"])  # noqa: E731
    P += [
        ("lstm_cell_forward", "returned c_next edited in place", lambda: _grads_after(lcell_fwd, lambda s: s["c_next"].__imul__(0.5), lcell_bwd)),
        ("lstm_cell_forward", "returned a_next edited in place", lambda: _grads_after(lcell_fwd, lambda s: s["a_next"].__imul__(0.5), lcell_bwd)),
        ("lstm_cell_forward", "c_prev edited in place", lambda: _grads_after(lcell_fwd, lambda s: s["c_prev"].__imul__(0.5), lcell_bwd)),
        ("lstm_cell_forward", "parameters['Wi'] edited in place", lambda: _grads_after(lcell_fwd, lambda s: s["p"]["Wi"].__imul__(2.0), lcell_bwd)),
    ]

    for name, fwd_fn, bwd_fn in (
        ("rnn_layer_forward", bptt.rnn_layer_forward, bptt.rnn_layer_backward),
        ("rnn_layer_forward_fast", bptt.rnn_layer_forward_fast, bptt.rnn_layer_backward_fast),
    ):
        def layer_fwd(fwd_fn=fwd_fn):
            x, h0, p = _arr(T, M, N_X), _arr(1, M, N_A, seed=3), _layer_params()
            out, h_n, cache = fwd_fn(x, h0, p)
            return dict(x=x, h0=h0, p=p, out=out, h_n=h_n, cache=cache)

        layer_bwd = lambda s, bwd_fn=bwd_fn: bwd_fn(_arr(T, M, N_A, seed=6), None, s["cache"])  # noqa: E731
        P += [
            (name, "returned output edited in place", lambda f=layer_fwd, b=layer_bwd: _grads_after(f, lambda s: s["out"].__imul__(0.5), b)),
            (name, "x edited in place", lambda f=layer_fwd, b=layer_bwd: _grads_after(f, lambda s: s["x"].__iadd__(1.0), b)),
            (name, "h0 edited in place", lambda f=layer_fwd, b=layer_bwd: _grads_after(f, lambda s: s["h0"].__imul__(-1.0), b)),
            (name, "params['weight_hh'] edited in place", lambda f=layer_fwd, b=layer_bwd: _grads_after(f, lambda s: s["p"]["weight_hh"].__imul__(2.0), b)),
            (name, "optimizer step between forward and backward", lambda f=layer_fwd, b=layer_bwd: _grads_after(f, lambda s: s["p"].update(weight_ih=s["p"]["weight_ih"] + 1.0), b)),
        ]

    def fast_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
        a, cache = bptt.rnn_forward_fast(x, a0, p)
        return dict(x=x, a=a, p=p, cache=cache)

    fast_bwd = lambda s: bptt.rnn_backward_fast(_arr(N_A, M, T, seed=6), s["cache"])  # noqa: E731
    P += [
        ("rnn_forward_fast", "returned a edited in place", lambda: _grads_after(fast_fwd, lambda s: s["a"].__imul__(0.5), fast_bwd)),
        ("rnn_forward_fast", "parameters['Waa'] edited in place", lambda: _grads_after(fast_fwd, lambda s: s["p"]["Waa"].__imul__(2.0), fast_bwd)),
        ("rnn_forward_fast", "Adam step between forward and backward", lambda: _grads_after(fast_fwd, lambda s: s["p"].update(Wax=s["p"]["Wax"] + 1.0), fast_bwd)),
    ]

    def net_fwd():
        net = bptt.NumpyRNN(N_X, N_A)
        x = _arr(T, M, N_X)
        out, _ = net.forward(x)
        return dict(net=net, x=x, out=out)

    def net_bwd(s):
        dx, dh0 = s["net"].backward(_arr(T, M, N_A, seed=6))
        return dx, dh0, s["net"].grad

    P += [
        ("NumpyRNN.forward", "returned output edited in place", lambda: _grads_after(net_fwd, lambda s: s["out"].__imul__(0.5), net_bwd)),
        ("NumpyRNN.forward", "weight_hh edited in place", lambda: _grads_after(net_fwd, lambda s: s["net"].weight_hh.__imul__(2.0), net_bwd)),
        ("NumpyRNN.forward", "x edited in place", lambda: _grads_after(net_fwd, lambda s: s["x"].__iadd__(1.0), net_bwd)),
    ]

    def windows():
        data = _rng(5).integers(0, N_X, size=40)
        return dict(data=data, get=bptt.char_windows(data, N_X, T, M, 0))

    P.append(("char_windows", "data edited in place after the call", lambda: _grads_after(windows, lambda s: s["data"].__imul__(0), lambda s: s["get"](1))))
    return P


# ------------------------------------------------------------------ judge


def same(a, b, rtol=1e-12):
    """Recursive equality of results (arrays up to ``rtol`` relative)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k], rtol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, rtol) for x, y in zip(a, b))
    if callable(a) or a is None or b is None:
        return a is b or (callable(a) and callable(b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3, equal_nan=True))
    except (TypeError, ValueError):
        return a == b


def has_nonfinite(out):
    if isinstance(out, dict):
        return any(has_nonfinite(v) for v in out.values())
    if isinstance(out, (list, tuple)):
        return any(has_nonfinite(v) for v in out)
    try:
        a = np.asarray(out, dtype=float)
        return not np.isfinite(a).all()
    except (TypeError, ValueError):
        return False


def classify_error(e, names, allowed=()):
    """clear: ValueError/TypeError (or an allowed type) naming one of ``names``, no NumPy-internal text."""
    message = str(e)
    if allowed and isinstance(e, tuple(allowed)):
        return "clear"  # e.g. assert_close's AssertionError: the documented answer to a failed comparison
    if not isinstance(e, (ValueError, TypeError)) or isinstance(e, KeyError):
        return "cryptic"
    if any(fragment in message for fragment in INTERNAL):
        return "cryptic"
    if not any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message) for n in names):
        return "cryptic"
    return "clear"


def run(thunk, expect, names, allowed=(), reference=None, oracle=None, rtol=1e-12):
    """Call ``thunk`` and classify; returns (outcome, detail)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = thunk()
        except _Skip:
            return None, ""
        except Exception as e:  # noqa: BLE001 - classifying every exception is the point
            return classify_error(e, names, allowed), f"{type(e).__name__}: {str(e)[:150]}"
    if caught:
        return "silent", f"returned with warning {caught[0].category.__name__}: {str(caught[0].message)[:100]}"
    if expect == "convert":
        ok = same(out, reference(), rtol)
        return ("ok" if ok else "silent"), "" if ok else "differs from the float64 reference"
    if expect == "nonfinite" and oracle is not None:
        with np.errstate(all="ignore"):
            ok = same(out, oracle(), rtol)
        return ("ok" if ok else "silent"), "" if ok else "differs from the exact result at NaN/inf"
    if expect == "nonfinite":
        ok = has_nonfinite(out)
        return ("ok" if ok else "silent"), "" if ok else "finite result from a NaN/inf input"
    if expect == "any":
        return "ok", ""
    if expect == "empty":
        ok = not has_nonfinite(out)
        return ("ok" if ok else "silent"), "" if ok else "NaN result from an empty input"
    return "silent", "returned without an error"


def all_probes():
    """The fixed probe list: (name, description, thunk() -> (outcome, detail))."""
    probes = []
    for case in CASES:
        for target, name, label, expect, f in probes_of(case):

            def thunk(case=case, target=target, name=name, f=f, expect=expect):
                args = case.build()
                args[target] = f(args[target])

                def reference():
                    ref = case.build()
                    ref[target] = _to_float(f(ref[target]))
                    return case.call(ref)

                oracle = None if case.oracle is None else (lambda: case.oracle(args))
                return run(lambda: case.call(args), expect, case.names, case.allowed, reference, oracle)

            probes.append((case.name, f"{target}: {label}", thunk))
    for name, label, pair in _aliasing_probes():

        def thunk(pair=pair):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    before, after = pair()
                except Exception as e:  # noqa: BLE001 - valid input: any exception is wrong
                    return "cryptic", f"{type(e).__name__}: {str(e)[:150]}"
            if caught:
                return "silent", f"warning {caught[0].category.__name__}"
            return ("ok", "") if same(before, after) else ("silent", "gradients changed")

        probes.append((name, f"in place: {label}", thunk))
    return probes


def _to_float(v):
    """The float64 version of a converted input (for the reference call)."""
    if isinstance(v, dict):
        return {k: _to_float(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return np.ascontiguousarray(v, dtype=np.float64)
    if type(v).__module__.startswith("torch"):
        import torch

        return v.detach().to(torch.float64).requires_grad_(v.requires_grad)
    return v


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every cryptic and silent probe")
    parser.add_argument("--only", help="probe only this public name")
    args = parser.parse_args(argv)
    np.seterr(all="warn")
    totals, by_name, details = Counter(), defaultdict(Counter), []
    for name, label, thunk in all_probes():
        if args.only and name != args.only:
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            outcome, detail = thunk()
        if outcome is None:
            continue
        totals[outcome] += 1
        by_name[name][outcome] += 1
        if outcome in ("cryptic", "silent"):
            details.append(f"  {outcome:8s} {name}({label}) -> {detail}")
    kinds = ("clear", "ok", "cryptic", "silent")
    print(f"{'name':30s} " + " ".join(f"{k:>7s}" for k in kinds))
    for name, counts in by_name.items():
        print(f"{name:30s} " + " ".join(f"{counts[k]:7d}" for k in kinds))
    print(f"{'TOTAL (' + str(sum(totals.values())) + ' probes)':30s} " + " ".join(f"{totals[k]:7d}" for k in kinds))
    if args.verbose and details:
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
