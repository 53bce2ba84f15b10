"""Bad values by kind of argument, and the probes of one case."""

import numpy as np

from .common import ARRAY, N_A, N_X, PARAMS, M, T, _labels

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
        out += [
            ("float scalar", "error", lambda v: 1.5),
            ("0-d array", "error", lambda v: np.array(1.5)),
        ]
    if not any_ndim:
        out += [
            ("axis dropped", "error", lambda v: v[..., 0]),
            ("axis added", "error", lambda v: v[None]),
        ]
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
        (
            "negative entry",
            "error",
            lambda v: np.where(np.arange(v.size).reshape(v.shape) == 0, -1, v),
        ),
        (
            "entry too large",
            "error",
            lambda v: np.where(np.arange(v.size).reshape(v.shape) == 0, 10**6, v),
        ),
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
    "posreal": [
        0,
        0.0,
        -1.0,
        float("nan"),
        float("inf"),
        -float("inf"),
        "0.1",
        None,
        True,
        [0.1],
        np.array([0.1]),
        1j,
    ],
    "posreal_none": [0, -1.0, float("nan"), float("inf"), "1", True, [1.0], 1j],
    "unit": [-0.1, 1.0, 1.5, float("nan"), float("inf"), "0.9", None, True, [0.9], 1j],
    "bool": [1, 0, 1.0, "yes", None, np.array([True]), [True]],
    "callable": [None, 3, "f", [np.sin]],
    "get_batch": [
        None,
        3,
        "f",
        lambda i: None,
        lambda i: ([1.0], [0]),
        lambda i: (np.ones((N_X + 1, M, T)), _labels()),
        lambda i: (np.ones((N_X, M, T)), _labels().astype(float)),
        lambda i: (np.ones((N_X, M, T)) + 0j, _labels()),
        lambda i: (np.full((N_X, M, T), np.nan), _labels()),
        lambda i: (np.ones((N_X, M, T)), _labels()[:, :-1]),
        lambda i: (np.ones((N_X, 0, T)), _labels()[:0]),
    ],
    "str": [3, None, ["x"], b"x"],
    "str_none": [3, ["x"], b"x", 1.5],
    "act_name": [3, None, ["tanh"], "softplus", b"tanh", "TANH"],
    "generator": [None, 3, "rng", np.random.RandomState(0)],
    "nonnegreal": [-1.0, -1e-9, float("nan"), float("inf"), "1", None, True, [1.0], 1j],
    "real": [float("nan"), float("inf"), "0", None, True, [0.0], 1j, np.array([0.0])],
    "frac_open": [0, 0.0, 1, 1.0, -0.1, 1.5, float("nan"), "0.1", None, True, [0.1]],
    "mode": [None, 3, "STATEFUL", "tbptt", ["reset"], True],
    "deepen_kind": [None, 3, "deep", ["stacked"], b"stacked"],
    "algorithm": [None, 3, "RTRL", "both", ["bptt"]],
    "posint_none": [0, -1, 2.5, 3.0, "3", True, float("nan"), [3], 1j],
    "dtype": [
        np.int32,
        np.int64,
        np.complex128,
        bool,
        object,
        "int",
        np.float16,
        "no such dtype",
    ],
}


def _params_mutations(
    arg,
    base,
    keys=None,
    any_shape=False,
    values_unused=False,
    keys_free=False,
    entry_free=None,
):
    """Bad values of a parameter dict: each entry as an array, missing keys, a non-dict.

    ``any_shape``: entries may have any shape (clip_grad_norm, initialize_adam);
    ``values_unused``: only shapes are read, so NaN/inf are fine (initialize_adam);
    ``keys_free``: any set of keys is valid, so a missing key or {} is no error.
    Returns (name the message must hold, label, expect, transform of the whole dict).
    """
    out = []
    for key in keys or base:
        free = "all" if any_shape else (entry_free or {}).get(key, ())
        muts = array_mutations(
            base[key], free=free, any_ndim=any_shape, allow_scalar=any_shape
        )
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
    if (
        isinstance(base, tuple) and len(base) == 2 and isinstance(base[0], list)
    ):  # (step caches, x)
        out += [
            (arg, "no step caches (T = 0)", "error", lambda c: ([], c[1][..., :0])),
            (arg, "step caches as a tuple", "error", lambda c: (tuple(c[0]), c[1])),
            (
                arg,
                "a step cache replaced by None",
                "error",
                lambda c: ([None] + c[0][1:], c[1]),
            ),
            (
                arg,
                "step cache parameters as a list",
                "error",
                lambda c: (
                    [c[0][0][:-1] + (list(c[0][0][-1].items()),)] + c[0][1:],
                    c[1],
                ),
            ),
        ]
    else:
        out += [
            (
                arg,
                "arrays as lists",
                "error",
                lambda c: tuple(
                    e.tolist() if isinstance(e, np.ndarray) else e for e in c
                ),
            ),
            (
                arg,
                "first array with an empty axis",
                "error",
                lambda c: (np.take(c[0], [], axis=c[0].ndim - 1),) + tuple(c[1:]),
            ),
            (
                arg,
                "first array complex",
                "error",
                lambda c: (c[0] + 0.1j,) + tuple(c[1:]),
            ),
        ]
    return out


def _dict_cache_mutations(arg, base):
    out = [
        (arg, "None", "error", lambda c: None),
        (arg, "a list of its values", "error", lambda c: list(c.values())),
        (arg, "a string", "error", lambda c: "cache"),
        (arg, "empty dict", "error", lambda c: {}),
    ]
    for key in base:
        out.append((arg, f"key {key!r} dropped", "error", _without(key)))
        if isinstance(base[key], np.ndarray):
            out.append(
                (
                    arg,
                    f"[{key!r}] as a list",
                    "error",
                    _entry(key, lambda v: v.tolist()),
                )
            )
            out.append(
                (arg, f"[{key!r}] complex", "error", _entry(key, lambda v: v + 0.1j))
            )
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
        (
            "NaN entry",
            "nonfinite",
            t(
                lambda v: (
                    v.flatten()
                    .index_fill(0, torch.tensor([0]), float("nan"))
                    .reshape(v.shape)
                )
            ),
        ),
    ]
    if not allow_none:
        out.append(("None", "error", lambda v: None))
    for axis in range(base.dim()):
        out.append(
            (f"axis {axis} empty", "empty", t(lambda v, a=axis: v.narrow(a, 0, 0)))
        )
    return [(arg, label, expect, f) for label, expect, f in out]


def probes_of(case):
    """All probes of one case: (argument, name the message must hold, label, expect, transform)."""
    base = case.build()
    out = []
    for arg, kind in case.kinds.items():
        v = base[arg]
        free = case.free.get(arg, ())
        if kind in (ARRAY, "array_none", "array_scalar", "prob_array", "array_seq"):
            muts = array_mutations(
                v,
                free,
                any_ndim=free == "all",
                allow_none=kind == "array_none",
                allow_scalar=kind == "array_scalar",
            )
            if (
                kind == "array_seq"
            ):  # a list or tuple of numbers is documented input (measurements)
                muts = [
                    (label, "convert" if label in ("list", "tuple") else expect, f)
                    for label, expect, f in muts
                ]
            if kind == "prob_array":
                muts += [
                    ("negative probability", "error", lambda v: _set_first(v, -0.5)),
                    ("probability above 1", "error", lambda v: _set_first(v, 1.5)),
                ]
            out += [(arg, arg, label, expect, f) for label, expect, f in muts]
        elif kind in ("int_array", "ids", "int_array_none"):
            muts = int_array_mutations(v, free)
            if (
                kind == "ids"
            ):  # no upper bound known (a text's character indices before a vocabulary)
                muts = [m for m in muts if m[0] != "entry too large"]
            if kind == "int_array_none":  # None is valid (e.g. no validation text)
                muts = [m for m in muts if m[0] != "None"]
            out += [(arg, arg, label, expect, f) for label, expect, f in muts]
        elif kind == "custom":
            out += [
                (arg, arg, label, expect, f) for label, expect, f in case.custom[arg]
            ]
        elif kind == "dict_cache":
            out += [(arg, *p) for p in _dict_cache_mutations(arg, v)]
        elif kind in (PARAMS, "params_fast", "params_any", "params_free", "grads_any"):
            keys = (
                ("Wax", "Waa", "ba") if kind == "params_fast" else None
            )  # the fast path reads only these
            options = dict(
                any_shape=kind in ("params_free", "grads_any"),
                values_unused=kind == "params_free",
                # Adam updates whatever parameters it is given; clip_grad_norm clips whatever it is given
                keys_free=kind == "params_free"
                or (kind == "params_any" and arg == "parameters")
                or kind == "grads_any",
                entry_free=free or None,
            )
            out += [
                (arg, name, label, expect, f)
                for name, label, expect, f in _params_mutations(arg, v, keys, **options)
            ]
        elif kind in ("cache", "caches"):
            out += [(arg, *p) for p in _cache_mutations(arg, v)]
        elif kind in ("tensor", "tensor_none"):
            out += [
                (arg, *p)
                for p in _tensor_mutations(arg, v, allow_none=kind == "tensor_none")
            ]
        elif kind == "torch_rnn":
            import torch

            others = (
                ("None", None),
                ("an LSTM", torch.nn.LSTM(N_X, N_A)),
                ("a dict", {}),
                ("relu RNN", torch.nn.RNN(N_X, N_A, nonlinearity="relu")),
            )
            out += [(arg, arg, label, "error", lambda _, o=o: o) for label, o in others]
        else:
            out += [
                (arg, arg, f"{value!r:.40}", "error", lambda _, value=value: value)
                for value in SCALARS[kind]
            ]
    return out
