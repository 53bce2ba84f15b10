"""The probe cases of the NNDL chapters: GRU, LSTM in NNDL notation, deep and bidirectional RNNs, RTRL,
the recursive network, and exercise 6-2P's RNNCell.

The GRU and LSTM cases are here; the deep ones in cases_deep, the RTRL,
recursive and RNNCell ones in cases_rtrl_recursive.  NNDL_CASES gathers them
in the same order.
"""

import bptt

from .cases_deep import DEEP_CASES, MM, D
from .cases_rtrl_recursive import RTRL_RECURSIVE_CASES
from .common import ARRAY, N_A, N_X, N_Y, PARAMS, Case, M, T, _arr, _rng


def _gru_params(reset_after=False):
    return bptt.random_gru_parameters(N_X, N_A, N_Y, _rng(0), reset_after)


def _gru_cell_cache():
    return bptt.gru_cell_forward(_arr(N_X, M), _arr(N_A, M, seed=3), _gru_params())[2]


def _gru_caches():
    return bptt.gru_forward(_arr(N_X, M, T), _arr(N_A, M, seed=3), _gru_params())[2]


def _nndl_params():
    return bptt.random_lstm_nndl_parameters(D, MM, seed=0, b_f=0.5)


def _nndl_cache():
    return bptt.lstm_nndl_forward(
        _arr(T, MM), _arr(D, seed=3), _arr(D, seed=4), _nndl_params()
    )


def _torch_gru_after_backward():
    import torch

    gru = bptt.gru.to_torch_gru(_gru_params(True))
    out, _ = gru(torch.tensor(_arr(T, M, N_X)))
    out.sum().backward()
    return gru


def _torch_gru_mutations():
    import torch

    return [
        ("None", "error", lambda g: None),
        ("a dict", "error", lambda g: {}),
        ("an LSTM", "error", lambda g: torch.nn.LSTM(N_X, N_A)),
        ("a GRU before backward", "error", lambda g: torch.nn.GRU(N_X, N_A)),
        ("a 2-layer GRU", "error", lambda g: torch.nn.GRU(N_X, N_A, num_layers=2)),
    ]


GATED_CASES = [
    # --- GRU ------------------------------------------------------------------------------
    Case(
        "gru_cell_forward",
        lambda: dict(
            xt=_arr(N_X, M),
            a_prev=_arr(N_A, M, seed=3),
            parameters=_gru_params(),
            reset_after=False,
        ),
        lambda a: bptt.gru_cell_forward(
            a["xt"], a["a_prev"], a["parameters"], a["reset_after"]
        )[:2],
        {"xt": ARRAY, "a_prev": ARRAY, "parameters": PARAMS, "reset_after": "bool"},
    ),
    Case(
        "gru_cell_backward",
        lambda: dict(
            da_next=_arr(N_A, M, seed=6), cache=_gru_cell_cache(), reset_after=False
        ),
        lambda a: bptt.gru_cell_backward(a["da_next"], a["cache"], a["reset_after"]),
        {"da_next": ARRAY, "cache": "cache", "reset_after": "bool"},
    ),
    Case(
        "gru_forward",
        lambda: dict(
            x=_arr(N_X, M, T),
            a0=_arr(N_A, M, seed=3),
            parameters=_gru_params(True),
            reset_after=True,
        ),
        lambda a: bptt.gru_forward(a["x"], a["a0"], a["parameters"], a["reset_after"])[
            :2
        ],
        {"x": ARRAY, "a0": ARRAY, "parameters": PARAMS, "reset_after": "bool"},
        {"x": (2,)},
    ),
    Case(
        "gru_backward",
        lambda: dict(
            da=_arr(N_A, M, T, seed=6), caches=_gru_caches(), reset_after=False
        ),
        lambda a: bptt.gru_backward(a["da"], a["caches"], a["reset_after"]),
        {"da": ARRAY, "caches": "caches", "reset_after": "bool"},
    ),
    Case(
        "random_gru_parameters",
        lambda: dict(n_x=N_X, n_a=N_A, n_y=N_Y, rng=_rng(0), reset_after=True),
        lambda a: bptt.random_gru_parameters(
            a["n_x"], a["n_a"], a["n_y"], a["rng"], a["reset_after"]
        ),
        {
            "n_x": "posint",
            "n_a": "posint",
            "n_y": "posint",
            "rng": "generator",
            "reset_after": "bool",
        },
    ),
    Case(
        "gru_keys",
        lambda: dict(reset_after=True),
        lambda a: bptt.gru.gru_keys(a["reset_after"]),
        {"reset_after": "bool"},
    ),
    Case(
        "to_torch_gru",
        lambda: dict(parameters=_gru_params(True)),
        lambda a: {
            k: v.detach().numpy()
            for k, v in bptt.gru.to_torch_gru(a["parameters"]).state_dict().items()
        },
        {"parameters": PARAMS},
    ),
    Case(
        "torch_gru_gradients",
        lambda: dict(gru=_torch_gru_after_backward()),
        lambda a: bptt.gru.torch_gru_gradients(a["gru"]),
        {"gru": "custom"},
        custom={"gru": _torch_gru_mutations()},
    ),
    # --- LSTM in NNDL notation ------------------------------------------------------------
    Case(
        "random_lstm_nndl_parameters",
        lambda: dict(D=D, M=MM, seed=0, b_f=1.0, scale=1.0),
        lambda a: bptt.random_lstm_nndl_parameters(
            a["D"], a["M"], seed=a["seed"], b_f=a["b_f"], scale=a["scale"]
        ),
        {
            "D": "posint",
            "M": "posint",
            "seed": "nonnegint",
            "b_f": "real",
            "scale": "posreal",
        },
    ),
    Case(
        "lstm_nndl_forward",
        lambda: dict(
            x=_arr(T, MM), h0=_arr(D, seed=3), c0=_arr(D, seed=4), params=_nndl_params()
        ),
        lambda a: bptt.lstm_nndl_forward(a["x"], a["h0"], a["c0"], a["params"]),
        {"x": ARRAY, "h0": ARRAY, "c0": ARRAY, "params": PARAMS},
        {"x": (0,)},
    ),
    Case(
        "lstm_nndl_backward",
        lambda: dict(
            dL_dh=_arr(T, D, seed=6), cache=_nndl_cache(), params=_nndl_params()
        ),
        lambda a: bptt.lstm_nndl_backward(a["dL_dh"], a["cache"], a["params"]),
        {"dL_dh": ARRAY, "cache": "dict_cache", "params": PARAMS},
    ),
    Case(
        "lstm_state_jacobians",
        lambda: dict(cache=_nndl_cache(), params=_nndl_params()),
        lambda a: bptt.lstm_state_jacobians(a["cache"], a["params"]),
        {"cache": "dict_cache", "params": PARAMS},
    ),
    Case(
        "cell_gradient_reach",
        lambda: dict(
            params=_nndl_params(),
            x=_arr(T, MM),
            g=_arr(D, seed=6),
            h0=_arr(D, seed=3),
            c0=_arr(D, seed=4),
        ),
        lambda a: bptt.cell_gradient_reach(
            a["params"], a["x"], a["g"], a["h0"], a["c0"]
        ),
        {
            "params": PARAMS,
            "x": ARRAY,
            "g": ARRAY,
            "h0": "array_none",
            "c0": "array_none",
        },
        {"x": (0,)},
    ),
    Case(
        "lstm_nndl_to_dlai",
        lambda: dict(
            params=_nndl_params(), Wy=_arr(N_Y, D, seed=7), by=_arr(N_Y, 1, seed=8)
        ),
        lambda a: bptt.lstm_nndl_to_dlai(a["params"], a["Wy"], a["by"]),
        {"params": PARAMS, "Wy": "array_none", "by": "array_none"},
    ),
    Case(
        "lstm_nndl_torch_weights",
        lambda: dict(params=_nndl_params()),
        lambda a: bptt.lstm_nndl_torch_weights(a["params"]),
        {"params": PARAMS},
    ),
]


NNDL_CASES = [*GATED_CASES, *DEEP_CASES, *RTRL_RECURSIVE_CASES]
