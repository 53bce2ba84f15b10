"""The probe cases of Adam, clipping and training: bptt.optim and bptt.train."""

import bptt

from .common import *  # noqa: F403
from .common import (
    _adam_args,
    _arr,
    _batches,
    _labels,
    _rng,
    _rnn_params,
)  # noqa: F401

TRAINING_CASES = [
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
