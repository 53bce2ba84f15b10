"""The probe cases of the NNDL chapters: GRU, LSTM in NNDL notation, deep and bidirectional RNNs, RTRL,
the recursive network, and exercise 6-2P's RNNCell."""

import numpy as np

import bptt
from bptt.skeleton import RNNCell

from .common import ARRAY, N_A, N_X, N_Y, PARAMS, Case, M, T, _arr, _rng

D, MM = N_A, N_X  # NNDL sizes: state D, input M


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


def _leaves():
    return [_arr(D, seed=10 + j) for j in range(T + 1)]


def _set_leaf(j, value):
    def f(leaves):
        leaves = list(leaves)
        leaves[j] = value(leaves[j])
        return leaves

    return f


LEAVES_MUTATIONS = [
    ("None", "error", lambda v: None),
    ("empty list", "error", lambda v: []),
    ("a tuple", "error", lambda v: tuple(v)),
    ("one leaf a list", "error", _set_leaf(1, lambda v: v.tolist())),
    ("one leaf complex", "error", _set_leaf(1, lambda v: v + 0.1j)),
    ("one leaf bool", "error", _set_leaf(2, lambda v: v > 0)),
    ("one leaf a string", "error", _set_leaf(2, lambda v: "x")),
    ("one leaf 2-D", "error", _set_leaf(0, lambda v: v[None])),
    ("one leaf one longer", "error", _set_leaf(3, lambda v: np.append(v, 0.5))),
    ("one leaf empty", "error", _set_leaf(3, lambda v: v[:0])),
    (
        "one leaf NaN",
        "error",
        _set_leaf(1, lambda v: np.where(np.arange(v.size) == 0, np.nan, v)),
    ),
    (
        "one leaf int dtype",
        "convert",
        _set_leaf(1, lambda v: np.round(2 * v).astype(np.int64)),
    ),
]
CHILDREN_MUTATIONS = [
    ("None", "error", lambda c: None),
    ("empty list", "error", lambda c: []),
    ("a string", "error", lambda c: "ab"),
    ("a node without children", "error", lambda c: c[:1] + [()] + c[2:]),
    (
        "a child id from the future",
        "error",
        lambda c: c[:1] + [(c[1][0] + 5, c[1][1])] + c[2:],
    ),
    ("a negative child id", "error", lambda c: [(-1, 1)] + c[1:]),
    ("a float child id", "error", lambda c: [(0.0, 1)] + c[1:]),
    ("a bool child id", "error", lambda c: [(False, 1)] + c[1:]),
    ("a node as an int", "error", lambda c: [0] + c[1:]),
    ("three children for a 2-child W", "error", lambda c: [(0, 1, 2)] + c[1:]),
]


def _recursive_cache():
    return bptt.recursive_forward(
        _leaves(), bptt.chain_tree(T), _arr(D, 2 * D, seed=5), _arr(D, seed=6)
    )[2]


def _cell_args():
    return dict(
        weight_ih=_arr(N_A, N_X, seed=20),
        weight_hh=_arr(N_A, N_A, seed=21),
        bias_ih=_arr(N_A, seed=22),
        bias_hh=_arr(N_A, seed=23),
    )


def _cell():
    return RNNCell(**_cell_args())


def _cell_backward(a):
    cell = _cell()
    cell(_arr(M, N_X, seed=24), _arr(M, N_A, seed=25))
    dx = cell.backward(a["dh"])
    return dx, cell.dw_ih_stack, cell.dw_hh_stack, cell.db_ih_stack, cell.prev_dh


def _rtrl_args():
    return dict(
        x=_arr(T, MM),
        h0=_arr(D, seed=3),
        U=0.5 * _arr(D, D, seed=4),
        W=_arr(D, MM, seed=5),
        b=_arr(D, seed=6),
        dL_dh=_arr(T, D, seed=7),
        f="tanh",
    )


def _rtrl_state():
    s = bptt.rtrl_init(D, MM, _arr(D, seed=3))
    return bptt.rtrl_step(
        s,
        _arr(MM, seed=8),
        0.5 * _arr(D, D, seed=4),
        _arr(D, MM, seed=5),
        _arr(D, seed=6),
    )


def _torch_state(bidirectional=True):
    import torch

    torch.manual_seed(0)
    rnn = torch.nn.RNN(
        MM, D, num_layers=2, bidirectional=bidirectional, dtype=torch.float64
    )
    return {k: v.detach().numpy().copy() for k, v in rnn.state_dict().items()}


_CLOCKS = [
    ("None", "error", lambda c: None),
    ("3", "error", lambda c: 3),
    ("a string", "error", lambda c: "clock"),
    ("a clock returning a string", "error", lambda c: lambda: "t"),
]


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


NNDL_CASES = [
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
    # --- RTRL ------------------------------------------------------------------------------
    Case(
        "rtrl_gradients",
        _rtrl_args,
        lambda a: bptt.rtrl_gradients(**a),
        {
            "x": ARRAY,
            "h0": ARRAY,
            "U": ARRAY,
            "W": ARRAY,
            "b": ARRAY,
            "dL_dh": ARRAY,
            "f": "act_name",
        },
        aliases=("activation",),
    ),
    Case(
        "rtrl_init",
        lambda: dict(D=D, M=MM, h0=_arr(D, seed=3)),
        lambda a: bptt.rtrl_init(a["D"], a["M"], a["h0"]),
        {"D": "posint", "M": "posint", "h0": ARRAY},
    ),
    Case(
        "rtrl_step",
        lambda: dict(
            state=_rtrl_state(),
            x_t=_arr(MM, seed=9),
            U=0.5 * _arr(D, D, seed=4),
            W=_arr(D, MM, seed=5),
            b=_arr(D, seed=6),
            f="tanh",
        ),
        lambda a: bptt.rtrl_step(**a),
        {
            "state": "dict_cache",
            "x_t": ARRAY,
            "U": ARRAY,
            "W": ARRAY,
            "b": ARRAY,
            "f": "act_name",
        },
        aliases=("activation",),
    ),
    Case(
        "stored_floats",
        lambda: dict(D=D, M=MM, T=T),
        lambda a: bptt.stored_floats(a["D"], a["M"], a["T"]),
        {"D": "posint", "M": "posint", "T": "posint"},
    ),
    Case(
        "multiply_adds_per_step",
        lambda: dict(D=D, M=MM),
        lambda a: bptt.multiply_adds_per_step(a["D"], a["M"]),
        {"D": "posint", "M": "posint"},
    ),
    Case(
        "time_per_step",
        lambda: dict(
            algorithm="rtrl", D=2, M=2, T=2, repeats=1, seed=0, clock=lambda: 0.0
        ),
        lambda a: bptt.time_per_step(**a),
        {
            "algorithm": "algorithm",
            "D": "posint",
            "M": "posint",
            "T": "posint",
            "repeats": "posint",
            "seed": "nonnegint",
            "clock": "custom",
        },
        custom={"clock": _CLOCKS},
    ),
    Case(
        "fitted_exponent",
        lambda: dict(sizes=np.array([2.0, 4.0, 8.0]), times=np.array([1.0, 4.0, 16.0])),
        lambda a: bptt.rtrl.fitted_exponent(a["sizes"], a["times"]),
        {"sizes": "array_seq", "times": "array_seq"},
    ),
    # --- recursive -------------------------------------------------------------------------
    Case(
        "chain_tree",
        lambda: dict(T=T),
        lambda a: bptt.chain_tree(a["T"]),
        {"T": "posint"},
    ),
    Case(
        "recursive_forward",
        lambda: dict(
            leaves=_leaves(),
            children=bptt.chain_tree(T),
            W=_arr(D, 2 * D, seed=5),
            b=_arr(D, seed=6),
            f="tanh",
        ),
        lambda a: bptt.recursive_forward(
            a["leaves"], a["children"], a["W"], a["b"], a["f"]
        )[:2],
        {
            "leaves": "custom",
            "children": "custom",
            "W": ARRAY,
            "b": ARRAY,
            "f": "act_name",
        },
        aliases=("activation",),
        custom={"leaves": LEAVES_MUTATIONS, "children": CHILDREN_MUTATIONS},
    ),
    Case(
        "recursive_backward",
        lambda: dict(dL_dh=_arr(T, D, seed=7), cache=_recursive_cache()),
        lambda a: bptt.recursive_backward(a["dL_dh"], a["cache"]),
        {"dL_dh": ARRAY, "cache": "dict_cache"},
    ),
    # --- exercise 6-2P's RNNCell -----------------------------------------------------------
    Case(
        "RNNCell",
        _cell_args,
        lambda a: (lambda c: (c.weight_ih, c.weight_hh, c.bias_ih, c.bias_hh))(
            RNNCell(**a)
        ),
        {"weight_ih": ARRAY, "weight_hh": ARRAY, "bias_ih": ARRAY, "bias_hh": ARRAY},
        {"weight_ih": (1,)},
    ),
    Case(
        "RNNCell.__call__",
        lambda: dict(x=_arr(M, N_X, seed=24), prev_hidden=_arr(M, N_A, seed=25)),
        lambda a: _cell()(a["x"], a["prev_hidden"]),
        {"x": ARRAY, "prev_hidden": ARRAY},
    ),
    Case(
        "RNNCell.backward",
        lambda: dict(dh=_arr(M, N_A, seed=26)),
        _cell_backward,
        {"dh": ARRAY},
    ),
]
