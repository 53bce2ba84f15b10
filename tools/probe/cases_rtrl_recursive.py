"""Probe cases of RTRL (bptt.rtrl), the recursive network (bptt.recursive) and
exercise 6-2P's RNNCell (bptt.skeleton).
"""

import numpy as np

import bptt
from bptt.skeleton import RNNCell

from .cases_deep import MM, D
from .common import ARRAY, N_A, N_X, Case, M, T, _arr


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


_CLOCKS = [
    ("None", "error", lambda c: None),
    ("3", "error", lambda c: 3),
    ("a string", "error", lambda c: "clock"),
    ("a clock returning a string", "error", lambda c: lambda: "t"),
]


RTRL_RECURSIVE_CASES = [
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
