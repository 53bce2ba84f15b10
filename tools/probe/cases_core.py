"""The probe cases of the first modules: activations, gradcheck, rnn, lstm, fast, operator, torch, optim, train.

The operator, fast and torch cases are in cases_operator, the optim and train
cases in cases_training; CORE_CASES gathers them in the same order.
"""

import numpy as np

import bptt

from .cases_operator import OPERATOR_CASES
from .cases_training import TRAINING_CASES
from .common import *  # noqa: F403
from .common import (
    _arr,
    _lstm_caches,
    _lstm_cell_cache,
    _lstm_params,
    _rng,
    _rnn_caches,
    _rnn_cell_cache,
    _rnn_params,
)  # noqa: F401

CORE_FIRST_CASES = [
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
]

CORE_CASES = [*CORE_FIRST_CASES, *OPERATOR_CASES, *TRAINING_CASES]
