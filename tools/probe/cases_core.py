"""The probe cases of the first modules: activations, gradcheck, rnn, lstm, fast, operator, torch, optim, train."""

import numpy as np

import bptt

from .common import *  # noqa: F403
from .common import (
    _adam_args,
    _arr,
    _batches,
    _from_torch,
    _labels,
    _layer_cache,
    _layer_params,
    _lstm_caches,
    _lstm_cell_cache,
    _lstm_params,
    _module_forward,
    _numpy_rnn_backward,
    _rng,
    _rnn_caches,
    _rnn_cell_cache,
    _rnn_params,
    _torch_args,
    _torch_function_call,
)  # noqa: F401

CORE_CASES = [
    Case(
        "sigmoid",
        lambda: dict(x=_arr(3, 4)),
        lambda a: bptt.sigmoid(a["x"]),
        {"x": "array_scalar"},
        {"x": "all"},
        oracle=lambda a: 1 / (1 + np.exp(-a["x"])),
    ),
    Case(
        "softmax",
        lambda: dict(x=_arr(3, 4)),
        lambda a: bptt.softmax(a["x"]),
        {"x": ARRAY},
        {"x": "all"},
    ),
    Case(
        "activation",
        lambda: dict(name="tanh"),
        lambda a: bptt.activation(a["name"]),
        {"name": "act_name"},
        aliases=("activation",),
    ),
    Case(
        "relative_error",
        lambda: dict(a=_arr(3, 2), b=_arr(3, 2, seed=2)),
        lambda a: bptt.relative_error(a["a"], a["b"]),
        {"a": ARRAY, "b": ARRAY},
    ),
    Case(
        "assert_close",
        lambda: dict(
            name="x", actual=_arr(3, 2), expected=_arr(3, 2) * (1 + 1e-12), tol=1e-7
        ),
        lambda a: bptt.assert_close(a["name"], a["actual"], a["expected"], a["tol"]),
        {"name": "str", "actual": ARRAY, "expected": ARRAY, "tol": "posreal"},
        allowed=(AssertionError,),
    ),
    Case(
        "numerical_gradient",
        lambda: dict(
            f=lambda v: np.sin(v), x=_arr(2, 3), upstream=_arr(2, 3, seed=2), h=1e-6
        ),
        lambda a: bptt.numerical_gradient(a["f"], a["x"], a["upstream"], a["h"]),
        {"f": "callable", "x": ARRAY, "upstream": "array_none", "h": "posreal"},
    ),
    Case(
        "srn_forward",
        lambda: dict(
            x=_arr(T, N_X),
            h0=_arr(N_A, seed=2),
            U=0.5 * _arr(N_A, N_A, seed=3),
            W=_arr(N_A, N_X, seed=4),
            b=_arr(N_A, seed=5),
            f="tanh",
        ),
        lambda a: bptt.srn_forward(a["x"], a["h0"], a["U"], a["W"], a["b"], f=a["f"]),
        {"x": ARRAY, "h0": ARRAY, "U": ARRAY, "W": ARRAY, "b": ARRAY, "f": "act_name"},
        {"x": (0,)},
        aliases=("activation",),
    ),
    Case(
        "error_terms",
        lambda: dict(
            z=_arr(T, N_A),
            U=0.5 * _arr(N_A, N_A, seed=3),
            dL_dh=_arr(T, N_A, seed=4),
            f="tanh",
        ),
        lambda a: bptt.error_terms(a["z"], a["U"], a["dL_dh"], f=a["f"]),
        {"z": ARRAY, "U": ARRAY, "dL_dh": ARRAY, "f": "act_name"},
        aliases=("activation",),
    ),
    Case(
        "gradients_double_sum",
        lambda: dict(
            delta=_arr(T, T, N_A), h=_arr(T + 1, N_A, seed=2), x=_arr(T, N_X, seed=3)
        ),
        lambda a: bptt.gradients_double_sum(a["delta"], a["h"], a["x"]),
        {"delta": ARRAY, "h": ARRAY, "x": ARRAY},
        {"x": (1,)},
    ),
    Case(
        "rnn_cell_forward",
        lambda: dict(
            xt=_arr(N_X, M), a_prev=_arr(N_A, M, seed=3), parameters=_rnn_params()
        ),
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
        lambda: dict(
            x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_rnn_params()
        ),
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
        lambda: dict(
            xt=_arr(N_X, M),
            a_prev=_arr(N_A, M, seed=3),
            c_prev=_arr(N_A, M, seed=4),
            parameters=_lstm_params(),
        ),
        lambda a: bptt.lstm_cell_forward(
            a["xt"], a["a_prev"], a["c_prev"], a["parameters"]
        ),
        {"xt": ARRAY, "a_prev": ARRAY, "c_prev": ARRAY, "parameters": PARAMS},
    ),
    Case(
        "lstm_cell_backward",
        lambda: dict(
            da_next=_arr(N_A, M, seed=6),
            dc_next=_arr(N_A, M, seed=7),
            cache=_lstm_cell_cache(),
        ),
        lambda a: bptt.lstm_cell_backward(a["da_next"], a["dc_next"], a["cache"]),
        {"da_next": ARRAY, "dc_next": ARRAY, "cache": "cache"},
    ),
    Case(
        "lstm_forward",
        lambda: dict(
            x=_arr(N_X, M, T), a0=_arr(N_A, M, seed=3), parameters=_lstm_params()
        ),
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
    Case(
        "initialize_adam",
        lambda: dict(parameters=_rnn_params()),
        lambda a: bptt.initialize_adam(a["parameters"]),
        {"parameters": "params_free"},
    ),
    Case(
        "update_parameters_with_adam",
        _adam_args,
        lambda a: bptt.update_parameters_with_adam(**a),
        {
            "parameters": "params_any",
            "grads": "params_any",
            "v": "params_any",
            "s": "params_any",
            "t": "posint",
            "learning_rate": "posreal",
            "beta1": "unit",
            "beta2": "unit",
            "epsilon": "posreal",
            "eps_inside_sqrt": "bool",
        },
    ),
    Case(
        "clip_grad_norm",
        lambda: dict(
            grads={"dW": _arr(3, 2), "db": _arr(3, 1, seed=2)},
            max_norm=1.0,
            error_if_nonfinite=False,
        ),
        lambda a: bptt.clip_grad_norm(
            a["grads"], a["max_norm"], error_if_nonfinite=a["error_if_nonfinite"]
        ),
        {"grads": "grads_any", "max_norm": "posreal", "error_if_nonfinite": "bool"},
    ),
    Case(
        "one_hot",
        lambda: dict(indices=_labels(), n=N_Y),
        lambda a: bptt.one_hot(a["indices"], a["n"]),
        {"indices": "int_array", "n": "posint"},
        {"indices": "all"},
    ),
    Case(
        "char_windows",
        lambda: dict(
            data=_rng(5).integers(0, N_X, size=40), vocab=N_X, T_x=T, m=M, seed=0
        ),
        lambda a: bptt.char_windows(a["data"], a["vocab"], a["T_x"], a["m"], a["seed"])(
            1
        ),
        {
            "data": "int_array",
            "vocab": "posint",
            "T_x": "posint",
            "m": "posint",
            "seed": "nonnegint",
        },
        {"data": "all"},
    ),
    Case(
        "char_windows.get_batch",
        lambda: dict(i=1),
        lambda a: bptt.char_windows(_rng(5).integers(0, N_X, size=40), N_X, T, M, 0)(
            a["i"]
        ),
        {"i": "nonnegint"},
    ),
    Case(
        "cross_entropy_loss",
        lambda: dict(
            y_pred=bptt.rnn_forward(
                _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
            )[1],
            labels=_labels(),
        ),
        lambda a: bptt.cross_entropy_loss(a["y_pred"], a["labels"]),
        {"y_pred": "prob_array", "labels": "int_array"},
        {"y_pred": (0,)},  # any number of classes above the largest label
    ),
    Case(
        "cross_entropy_backward",
        lambda: dict(
            zip(
                ("a", "y_pred"),
                bptt.rnn_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params())[
                    :2
                ],
            ),
            labels=_labels(),
            parameters=_rnn_params(),
        ),
        lambda a: bptt.cross_entropy_backward(
            a["a"], a["y_pred"], a["labels"], a["parameters"]
        ),
        {
            "a": ARRAY,
            "y_pred": "prob_array",
            "labels": "int_array",
            "parameters": PARAMS,
        },
        {"parameters": {"Wax": (1,)}},  # n_x is not read by the loss
    ),
    Case(
        "rnn_loss_and_grads",
        lambda: dict(
            x=_arr(N_X, M, T),
            labels=_labels(),
            a0=_arr(N_A, M, seed=3),
            parameters=_rnn_params(),
        ),
        lambda a: bptt.rnn_loss_and_grads(
            a["x"], a["labels"], a["a0"], a["parameters"]
        ),
        {"x": ARRAY, "labels": "int_array", "a0": ARRAY, "parameters": PARAMS},
    ),
    Case(
        "train_rnn",
        lambda: dict(
            parameters=_rnn_params(),
            get_batch=_batches(),
            num_iterations=2,
            learning_rate=0.01,
            max_norm=1.0,
            progress=False,
            desc=None,
        ),
        lambda a: bptt.train_rnn(
            a["parameters"],
            a["get_batch"],
            a["num_iterations"],
            learning_rate=a["learning_rate"],
            max_norm=a["max_norm"],
            progress=a["progress"],
            desc=a["desc"],
        ),
        {
            "parameters": PARAMS,
            "get_batch": "get_batch",
            "num_iterations": "posint",
            "learning_rate": "posreal",
            "max_norm": "posreal_none",
            "progress": "bool",
            "desc": "str_none",
        },
    ),
]
