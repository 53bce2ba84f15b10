"""Probe cases of the deep and bidirectional RNN (bptt.deep)."""

import numpy as np

import bptt

from .common import ARRAY, N_A, N_X, PARAMS, Case, T, _arr

D, MM = N_A, N_X  # NNDL sizes: state D, input M


def _deep_params(bidirectional=True):
    return bptt.random_deep_rnn_parameters(
        MM, D, num_layers=2, bidirectional=bidirectional, seed=0
    )


def _deep_cache():
    return bptt.deep_rnn_forward(_arr(T, MM), _deep_params())[2]


def _set(path, value):
    """Transform of a nested params list: replace params[l][d][k] (path = (l, d, k))."""

    def f(p):
        p = [{d: dict(w) for d, w in layer.items()} for layer in p]
        l, d, k = path
        p[l][d][k] = value(p[l][d][k])
        return p

    return f


DEEP_PARAMS_MUTATIONS = [
    ("None", "error", lambda p: None),
    ("empty list", "error", lambda p: []),
    ("a dict", "error", lambda p: {"fwd": p[0]["fwd"]}),
    ("a tuple of layers", "error", lambda p: tuple(p)),
    ("layer 0 a list", "error", lambda p: [list(p[0].values())] + p[1:]),
    ("layer 1 without 'bwd'", "error", lambda p: [p[0], {"fwd": p[1]["fwd"]}]),
    (
        "layer 0 with direction 'up'",
        "error",
        lambda p: [{"fwd": p[0]["fwd"], "up": p[0]["bwd"]}] + p[1:],
    ),
    (
        "params[0]['fwd'] missing 'U'",
        "error",
        lambda p: [
            {"fwd": {"W": p[0]["fwd"]["W"], "b": p[0]["fwd"]["b"]}, "bwd": p[0]["bwd"]},
            p[1],
        ],
    ),
    (
        "params[0]['fwd']['U'] a list",
        "error",
        _set((0, "fwd", "U"), lambda v: v.tolist()),
    ),
    (
        "params[1]['bwd']['W'] complex",
        "error",
        _set((1, "bwd", "W"), lambda v: v + 0.1j),
    ),
    ("params[0]['bwd']['b'] bool", "error", _set((0, "bwd", "b"), lambda v: v > 0)),
    (
        "params[0]['fwd']['U'] NaN",
        "error",
        _set(
            (0, "fwd", "U"),
            lambda v: np.where(np.arange(v.size).reshape(v.shape) == 0, np.nan, v),
        ),
    ),
    (
        "params[1]['fwd']['W'] one column too many",
        "error",
        _set((1, "fwd", "W"), lambda v: np.hstack([v, v[:, :1]])),
    ),
    (
        "params[0]['fwd']['b'] as a column",
        "error",
        _set((0, "fwd", "b"), lambda v: v[:, None]),
    ),
    (
        "params[0]['fwd']['U'] empty",
        "error",
        _set((0, "fwd", "U"), lambda v: v[:0, :0]),
    ),
    (
        "params[0]['fwd']['U'] int dtype",
        "convert",
        _set((0, "fwd", "U"), lambda v: np.round(2 * v).astype(np.int64)),
    ),
    (
        "params[1]['bwd']['U'] float32",
        "any",
        _set((1, "bwd", "U"), lambda v: v.astype(np.float32)),
    ),
]


def _torch_state(bidirectional=True):
    import torch

    torch.manual_seed(0)
    rnn = torch.nn.RNN(
        MM, D, num_layers=2, bidirectional=bidirectional, dtype=torch.float64
    )
    return {k: v.detach().numpy().copy() for k, v in rnn.state_dict().items()}


DEEP_CASES = [
    # --- deep and bidirectional ------------------------------------------------------------
    Case(
        "srn_backward",
        lambda: dict(
            zip(
                ("z", "h"),
                bptt.srn_forward(
                    _arr(T, MM),
                    _arr(D, seed=3),
                    0.5 * _arr(D, D, seed=4),
                    _arr(D, MM, seed=5),
                    _arr(D, seed=6),
                ),
            ),
            x=_arr(T, MM),
            U=0.5 * _arr(D, D, seed=4),
            W=_arr(D, MM, seed=5),
            dL_dh=_arr(T, D, seed=7),
            f="tanh",
        ),
        lambda a: bptt.srn_backward(
            a["z"], a["h"], a["x"], a["U"], a["W"], a["dL_dh"], a["f"]
        ),
        {
            "z": ARRAY,
            "h": ARRAY,
            "x": ARRAY,
            "U": ARRAY,
            "W": ARRAY,
            "dL_dh": ARRAY,
            "f": "act_name",
        },
        aliases=("activation",),
    ),
    Case(
        "random_deep_rnn_parameters",
        lambda: dict(M=MM, D=D, num_layers=2, bidirectional=True, seed=0, scale=1.0),
        lambda a: bptt.random_deep_rnn_parameters(
            a["M"], a["D"], a["num_layers"], a["bidirectional"], a["seed"], a["scale"]
        ),
        {
            "M": "posint",
            "D": "posint",
            "num_layers": "posint",
            "bidirectional": "bool",
            "seed": "nonnegint",
            "scale": "posreal",
        },
    ),
    Case(
        "deep_rnn_forward",
        lambda: dict(
            x=_arr(T, MM), params=_deep_params(), h0=_arr(4, D, seed=3), f="tanh"
        ),
        lambda a: bptt.deep_rnn_forward(a["x"], a["params"], a["h0"], a["f"])[:2],
        {"x": ARRAY, "params": "custom", "h0": "array_none", "f": "act_name"},
        {"x": (0,)},
        aliases=("activation",),
        custom={"params": DEEP_PARAMS_MUTATIONS},
    ),
    Case(
        "deep_rnn_backward",
        lambda: dict(
            dout=_arr(T, 2 * D, seed=6), cache=_deep_cache(), dh_n=_arr(4, D, seed=7)
        ),
        lambda a: bptt.deep_rnn_backward(a["dout"], a["cache"], a["dh_n"]),
        {"dout": ARRAY, "cache": "dict_cache", "dh_n": "array_none"},
    ),
    Case(
        "deep_rnn_from_torch_state",
        lambda: dict(state=_torch_state(), num_layers=2, bidirectional=True),
        lambda a: bptt.deep_rnn_from_torch_state(
            a["state"], a["num_layers"], a["bidirectional"]
        ),
        {"state": PARAMS, "num_layers": "posint", "bidirectional": "bool"},
    ),
    Case(
        "deepen_parameters",
        lambda: dict(D=D, M=MM, seed=0, scale=1.0),
        lambda a: bptt.deepen_parameters(a["D"], a["M"], a["seed"], a["scale"]),
        {"D": "posint", "M": "posint", "seed": "nonnegint", "scale": "posreal"},
    ),
    Case(
        "deepen_input_gradients",
        lambda: dict(
            kind="deep-transition-shortcut",
            x=_arr(T, MM),
            g=_arr(D, seed=6),
            p=bptt.deepen_parameters(D, MM),
        ),
        lambda a: bptt.deepen_input_gradients(a["kind"], a["x"], a["g"], a["p"]),
        {"kind": "deepen_kind", "x": ARRAY, "g": ARRAY, "p": PARAMS},
        {"x": (0,)},
    ),
]
