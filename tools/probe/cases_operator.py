"""The probe cases of the torch-layout layer: bptt.operator, bptt.fast and the torch wrappers."""

import numpy as np

import bptt

from .common import *  # noqa: F403
from .common import (
    _arr,
    _from_torch,
    _layer_cache,
    _layer_params,
    _module_forward,
    _numpy_rnn_backward,
    _rnn_params,
    _torch_args,
    _torch_function_call,
)  # noqa: F401

OPERATOR_CASES = [
    Case(
        "rnn_layer_forward",
        lambda: dict(
            x=_arr(T, M, N_X), h0=_arr(1, M, N_A, seed=3), params=_layer_params()
        ),
        lambda a: bptt.rnn_layer_forward(a["x"], a["h0"], a["params"]),
        {"x": ARRAY, "h0": "array_none", "params": PARAMS},
        {"x": (0,)},
    ),
    Case(
        "rnn_layer_backward",
        lambda: dict(
            d_output=_arr(T, M, N_A, seed=6),
            d_h_n=_arr(1, M, N_A, seed=7),
            cache=_layer_cache(),
        ),
        lambda a: bptt.rnn_layer_backward(a["d_output"], a["d_h_n"], a["cache"]),
        {"d_output": ARRAY, "d_h_n": "array_none", "cache": "cache"},
    ),
    Case(
        "rnn_layer_forward_fast",
        lambda: dict(
            x=_arr(T, M, N_X), h0=_arr(1, M, N_A, seed=3), params=_layer_params()
        ),
        lambda a: bptt.rnn_layer_forward_fast(a["x"], a["h0"], a["params"]),
        {"x": ARRAY, "h0": "array_none", "params": PARAMS},
        {"x": (0,)},
    ),
    Case(
        "rnn_layer_backward_fast",
        lambda: dict(
            d_output=_arr(T, M, N_A, seed=6),
            d_h_n=_arr(1, M, N_A, seed=7),
            cache=_layer_cache(fast=True),
        ),
        lambda a: bptt.rnn_layer_backward_fast(a["d_output"], a["d_h_n"], a["cache"]),
        {"d_output": ARRAY, "d_h_n": "array_none", "cache": "cache"},
    ),
    Case(
        "rnn_forward_fast",
        lambda: dict(
            x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_rnn_params()
        ),
        lambda a: bptt.rnn_forward_fast(a["x"], a["a0"], a["parameters"]),
        {"x": ARRAY, "a0": ARRAY, "parameters": "params_fast"},
        {"x": (2,)},
    ),
    Case(
        "rnn_backward_fast",
        lambda: dict(
            da=_arr(N_A, M, T, seed=6),
            cache=bptt.rnn_forward_fast(
                _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
            )[1],
        ),
        lambda a: bptt.rnn_backward_fast(a["da"], a["cache"]),
        {"da": ARRAY, "cache": "cache"},
    ),
    Case(
        "NumpyRNN",
        lambda: dict(input_size=N_X, hidden_size=N_A, seed=0, dtype=np.float64),
        lambda a: bptt.NumpyRNN(
            a["input_size"], a["hidden_size"], a["seed"], a["dtype"]
        ).parameters(),
        {
            "input_size": "posint",
            "hidden_size": "posint",
            "seed": "seed",
            "dtype": "dtype",
        },
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
    Case(
        "NumpyRNN.from_torch",
        lambda: dict(rnn=__import__("torch").nn.RNN(N_X, N_A)),
        _from_torch,
        {"rnn": "torch_rnn"},
    ),
    Case(
        "NumpyRNNFunction",
        _torch_args,
        _torch_function_call,
        {
            k: "tensor"
            for k in ("x", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
        },
        {"x": (0,)},
    ),
    Case(
        "NumpyRNNModule",
        lambda: dict(input_size=N_X, hidden_size=N_A),
        lambda a: {
            k: v.detach().numpy()
            for k, v in bptt.NumpyRNNModule(a["input_size"], a["hidden_size"])
            .state_dict()
            .items()
        },
        {"input_size": "posint", "hidden_size": "posint"},
    ),
    Case(
        "NumpyRNNModule.forward",
        lambda: {k: v.detach() for k, v in _torch_args().items() if k in ("x", "h0")},
        _module_forward,
        {"x": "tensor", "h0": "tensor_none"},
        {"x": (0,)},
    ),
]
