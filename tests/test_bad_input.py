"""Fuzzing every public function of bptt with bad input: a clear error or a right result, never else.

The valid calls and the judge come from ``tools/probe/`` (its fixed
probe list gives the before/after counts); here hypothesis draws the bad input
instead: an argument (or one entry of a dict argument), then a random shape, a
random dtype, a NaN/inf at a random place, a random container or scalar.
Every outcome must be

* a ValueError/TypeError whose message names an argument of the call and holds
  no NumPy-internal text ("operands could not be broadcast", …), or
* a right result: for an input that may be converted (integers, float16,
  float32) the float64 reference within the dtype's precision, for NaN/inf a
  visibly NaN/inf result (or the exact limit where one exists).

Never an IndexError/AttributeError/KeyError, never a warning, never a silent
wrong number.
"""

import contextlib
import importlib
import inspect
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bptt
from tools.probe import aliasing, cases, common, mutations
from tools.probe import judge as probe_judge

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
EXPLORER = {
    "delta_triangle",
    "delta_triangle_html",
    "explorer_grid",
    "explorer_inputs",
    "ExplorerCurve",
    "gradient_norm_curve",
    "LiveExplorer",
    "orthogonal_matrix",
    "static_explorer_html",
}
CONSTANTS = {"ACTIVATIONS", "TINY_TEXT"}
# The message language takes a name, not arrays: fuzzed by test_set_language below.
LANGUAGE = {"set_language", "language"}
CASES = {case.name: case for case in cases.CASES}
ARRAY_KINDS = (common.ARRAY, "array_none", "array_scalar", "prob_array", "array_seq")
INT_KINDS = ("int_array", "ids", "int_array_none")
# modules added after the first fuzzing round: every public name they define is probed, exported or not
LATER_MODULES = ("gru", "lm", "deep", "rtrl", "recursive", "lstm_nndl", "skeleton")
DICT_KINDS = (common.PARAMS, "params_fast", "params_any", "params_free", "grads_any")
# precision of a converted dtype against the float64 reference
RTOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float16): 1e-12}


def test_every_public_function_is_fuzzed():
    names = set(bptt.__all__) - EXPLORER - CONSTANTS - LANGUAGE
    covered = {name.split(".")[0] for name in CASES}
    assert names <= covered, sorted(names - covered)


@pytest.mark.parametrize("module", LATER_MODULES)
def test_every_public_name_of_the_later_modules_is_probed(module):
    mod = importlib.import_module(f"bptt.{module}")
    # a module split into a package names its public API in __all__
    own = getattr(mod, "__all__", vars(mod))
    names = {
        n
        for n, v in vars(mod).items()
        if n in own
        and not n.startswith("_")
        and (inspect.isfunction(v) or inspect.isclass(v))
        and (v.__module__ == mod.__name__ or hasattr(mod, "__all__"))
    }
    names -= {"check_rnn_parameters"}  # imported helpers are not the module's own
    covered = {name.split(".")[0] for name in CASES}
    assert names and names <= covered, sorted(names - covered)


def judge(
    case, target, transform, expect, rtol=1e-12, to_reference=probe_judge._to_float
):
    """The outcome of the call with ``args[target] = transform(args[target])``.

    For expect="convert" the result must equal the call on ``to_reference`` of
    the transformed argument (float64 by default) within ``rtol``.
    """
    args = case.build()
    args[target] = transform(args[target])

    def reference():
        ref = case.build()
        ref[target] = to_reference(transform(ref[target]))
        return case.call(ref)

    oracle = None if case.oracle is None else (lambda: case.oracle(args))
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        return probe_judge.run(
            lambda: case.call(args),
            expect,
            case.names,
            case.allowed,
            reference,
            oracle,
            rtol,
        )


def _arrays(case):
    """(target argument, key or None, value, free axes) of every float array a case takes."""
    base = case.build()
    out = []
    for arg, kind in case.kinds.items():
        if kind in ARRAY_KINDS:
            out.append((arg, None, base[arg], case.free.get(arg, ())))
        elif kind in DICT_KINDS:
            keys = ("Wax", "Waa", "ba") if kind == "params_fast" else base[arg]
            any_shape = kind in ("params_free", "grads_any")
            free = case.free.get(arg, {})
            out += [
                (arg, k, base[arg][k], "all" if any_shape else free.get(k, ()))
                for k in keys
            ]
    return out


def _on(key, f):
    """Apply ``f`` to the whole argument, or to its entry ``key``."""
    if key is None:
        return f

    def g(d):
        d = dict(d)
        d[key] = f(d[key])
        return d

    return g


def _assert_fine(outcome, what):
    assert outcome[0] in ("clear", "ok"), f"{what}: {outcome[0]} — {outcome[1]}"


FUZZED = [name for name in CASES if _arrays(CASES[name])]


@pytest.mark.parametrize("name", FUZZED)
@SETTINGS
@given(data=st.data())
def test_random_shape(name, data):
    case = CASES[name]
    target, key, value, free = data.draw(st.sampled_from(_arrays(case)))
    shape = tuple(
        data.draw(st.lists(st.integers(0, 5), min_size=0, max_size=4), label="shape")
    )
    assume(shape != value.shape)
    only_emptied = len(shape) == value.ndim and all(
        a in (0, b) for a, b in zip(shape, value.shape)
    )
    if free == "all":
        expect = (
            "empty" if 0 in shape else "any"
        )  # any shape is valid: a result must at least come back clean
    else:
        # a change of the free axes only (e.g. T_x) is still valid input
        assume(
            len(shape) != value.ndim
            or any(
                a != b
                for i, (a, b) in enumerate(zip(shape, value.shape))
                if i not in free
            )
        )
        expect = (
            "empty" if only_emptied else "error"
        )  # emptying an axis may be handled; anything else is an error
    bad = np.full(shape, 0.25)
    _assert_fine(
        judge(case, target, _on(key, lambda v: bad), expect),
        f"{name}({target}{'' if key is None else [key]} of shape {shape})",
    )


DTYPES = [
    "bool",
    "complex64",
    "complex128",
    "object",
    "U3",
    "S3",
    "int8",
    "int64",
    "uint8",
    "float16",
    "float32",
]


@pytest.mark.parametrize("name", FUZZED)
@SETTINGS
@given(data=st.data())
def test_random_dtype(name, data):
    case = CASES[name]
    target, key, _, _ = data.draw(st.sampled_from(_arrays(case)))
    dtype = np.dtype(data.draw(st.sampled_from(DTYPES)))
    scale = data.draw(st.sampled_from([1.0, 2.0, 3.0]))
    if dtype.kind in "iu":
        convert = lambda v: np.clip(  # noqa: E731
            np.round(scale * v), 0 if dtype.kind == "u" else -100, 100
        ).astype(dtype)
    elif dtype.kind == "c":
        convert = lambda v: (v + 1j * scale).astype(dtype)  # noqa: E731
    elif dtype.kind == "b":
        convert = lambda v: v > 0  # noqa: E731
    else:
        convert = lambda v: v.astype(dtype)  # noqa: E731
    expect = "convert" if dtype.kind in "iuf" else "error"
    # integers above 1 are no probabilities: refused, as the fixed probes check
    assume(not (case.kinds.get(target) == "prob_array" and dtype.kind in "iu"))
    outcome = judge(case, target, _on(key, convert), expect, RTOL.get(dtype, 1e-12))
    _assert_fine(outcome, f"{name}({target}{'' if key is None else [key]} as {dtype})")


@pytest.mark.parametrize("name", FUZZED)
@SETTINGS
@given(data=st.data())
def test_random_nonfinite_entry(name, data):
    case = CASES[name]
    target, key, value, _ = data.draw(st.sampled_from(_arrays(case)))
    index = data.draw(st.integers(0, value.size - 1))
    bad_value = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))

    def corrupt(v):
        v = np.array(v, dtype=float)
        v.flat[index] = bad_value
        return v

    expect = (
        "any" if case.kinds.get(target) == "params_free" else "nonfinite"
    )  # initialize_adam reads shapes only
    _assert_fine(
        judge(case, target, _on(key, corrupt), expect),
        f"{name}({target}{'' if key is None else [key]}[{index}] = {bad_value})",
    )


CONTAINERS = st.sampled_from(
    ["list", "tuple", "None", "str", "float", "dict", "nested list"]
)


@pytest.mark.parametrize("name", FUZZED)
@SETTINGS
@given(data=st.data())
def test_random_container(name, data):
    case = CASES[name]
    target, key, _, free = data.draw(st.sampled_from(_arrays(case)))
    kind = data.draw(CONTAINERS)
    make = {
        "list": lambda v: v.tolist(),
        "tuple": lambda v: tuple(v.tolist()),
        "None": lambda v: None,
        "str": lambda v: "x",
        "float": lambda v: float(v.flat[0]),
        "dict": lambda v: {"value": v},
        "nested list": lambda v: [v],
    }[kind]
    allowed = {
        "None": case.kinds.get(target) == "array_none" and key is None,
        "float": case.kinds.get(target) == "array_scalar"
        or free == "all"
        and key is not None,
    }
    if (
        case.kinds.get(target) == "array_seq"
    ):  # measurements may come as a list or tuple of numbers
        allowed |= {"list": True, "tuple": True}
    expect = "convert" if allowed.get(kind) else "error"
    _assert_fine(
        judge(case, target, _on(key, make), expect),
        f"{name}({target}{'' if key is None else [key]} as {kind})",
    )


def _scalar_args(kinds):
    return [
        (case.name, arg, kind)
        for case in cases.CASES
        for arg, kind in case.kinds.items()
        if kind in kinds
    ]


VALID = {
    "posint": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "nonnegint": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "seed": lambda v: (
        v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)
    ),
    "posreal": lambda v: (
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < float("inf")
    ),
    "posreal_none": lambda v: (
        v is None
        or (
            isinstance(v, (int, float))
            and not isinstance(v, bool)
            and 0 < v < float("inf")
        )
    ),
    "unit": lambda v: (
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1
    ),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "str_none": lambda v: v is None or isinstance(v, str),
    "act_name": lambda v: v in ("tanh", "sigmoid", "relu", "identity"),
    "posint_none": lambda v: (
        v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 1)
    ),
    "nonnegreal": lambda v: (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and 0 <= v < float("inf")
    ),
    "real": lambda v: (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and abs(v) < float("inf")
    ),
    "frac_open": lambda v: (
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 1
    ),
}
SCALAR_VALUES = st.one_of(
    st.integers(-5, 0),
    st.integers(10**12, 10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
    st.lists(st.integers(1, 3), max_size=2),
    st.complex_numbers(max_magnitude=2),
    st.builds(lambda v: np.array([v]), st.floats(0.01, 0.5)),
)


@pytest.mark.parametrize("name, arg, kind", _scalar_args(VALID))
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(value=SCALAR_VALUES)
def test_random_scalar(name, arg, kind, value):
    assume(not VALID[kind](value))
    _assert_fine(
        judge(CASES[name], arg, lambda _: value, "error"),
        f"{name}({arg}={value!r:.40})",
    )


@pytest.mark.parametrize(
    "name, arg, kind", _scalar_args(set(mutations.SCALARS) - set(VALID))
)
def test_every_listed_bad_scalar(name, arg, kind):
    """Callables, generators, dtypes: the fixed bad values of the probe harness."""
    for value in mutations.SCALARS[kind]:
        _assert_fine(
            judge(CASES[name], arg, lambda _, value=value: value, "error"),
            f"{name}({arg}={value!r:.40})",
        )


@pytest.mark.parametrize(
    "name",
    [
        c.name
        for c in cases.CASES
        if any(k in ("cache", "caches") for k in c.kinds.values())
    ],
)
def test_bad_caches(name):
    case = CASES[name]
    arg = next(a for a, k in case.kinds.items() if k in ("cache", "caches"))
    for _, label, expect, f in mutations._cache_mutations(arg, case.build()[arg]):
        _assert_fine(judge(case, arg, f, expect), f"{name}({arg}: {label})")


@pytest.mark.parametrize(
    "name, arg",
    [
        (c.name, a)
        for c in cases.CASES
        for a, k in c.kinds.items()
        if k in ("dict_cache", "custom")
    ],
)
def test_bad_structures(name, arg):
    """Dict caches and states, nested parameter lists, trees, corpora, clocks: their fixed bad values."""
    case = CASES[name]
    muts = (
        mutations._dict_cache_mutations(arg, case.build()[arg])
        if case.kinds[arg] == "dict_cache"
        else [(arg, *m) for m in case.custom[arg]]
    )
    for _, label, expect, f in muts:
        _assert_fine(judge(case, arg, f, expect), f"{name}({arg}: {label})")


INT_DTYPES = [
    "int8",
    "int16",
    "int32",
    "uint8",
    "uint16",
    "float64",
    "float32",
    "bool",
    "complex128",
    "object",
]


@pytest.mark.parametrize(
    "name",
    [c.name for c in cases.CASES if any(k in INT_KINDS for k in c.kinds.values())],
)
@SETTINGS
@given(data=st.data())
def test_random_integer_array(name, data):
    """labels, indices, data: other integer dtypes are fine, anything else is refused."""
    case = CASES[name]
    target = data.draw(
        st.sampled_from([a for a, k in case.kinds.items() if k in INT_KINDS])
    )
    mode = data.draw(st.sampled_from(["dtype", "shape"]))
    if mode == "dtype":
        dtype = np.dtype(data.draw(st.sampled_from(INT_DTYPES)))
        expect = "convert" if dtype.kind in "iu" else "error"
        outcome = judge(
            case,
            target,
            lambda v: v.astype(dtype),
            expect,
            to_reference=lambda v: v.astype(np.int64),
        )
    else:
        base = case.build()[target]
        shape = tuple(data.draw(st.lists(st.integers(0, 5), min_size=0, max_size=3)))
        assume(shape != base.shape and case.free.get(target) != "all")
        only_emptied = len(shape) == base.ndim and all(
            a in (0, b) for a, b in zip(shape, base.shape)
        )
        outcome = judge(
            case,
            target,
            lambda v: np.zeros(shape, dtype=np.int64),
            "empty" if only_emptied else "error",
        )
    _assert_fine(outcome, f"{name}({target}, {mode})")


@SETTINGS
@given(data=st.data())
def test_torch_operator_random_tensors(data):
    import torch

    case = CASES["NumpyRNNFunction"]
    target = data.draw(st.sampled_from(list(case.kinds)))
    mode = data.draw(st.sampled_from(["dtype", "shape", "nonfinite"]))
    base = case.build()[target]
    if mode == "dtype":
        name = data.draw(
            st.sampled_from(
                [
                    "float32",
                    "float16",
                    "int64",
                    "int32",
                    "bool",
                    "complex64",
                    "complex128",
                ]
            )
        )
        dtype = getattr(torch, name)
        expect = "error" if name.startswith("complex") or name == "bool" else "convert"
        outcome = judge(
            case,
            target,
            lambda v: (3 * v).detach().round().to(dtype),
            expect,
            1e-4 if name.startswith("float") else 1e-12,
        )
    elif mode == "shape":
        shape = tuple(data.draw(st.lists(st.integers(0, 5), min_size=0, max_size=4)))
        free = case.free.get(target, ())
        assume(
            len(shape) != base.dim()
            or any(
                a != b
                for i, (a, b) in enumerate(zip(shape, base.shape))
                if i not in free
            )
        )
        only_emptied = len(shape) == base.dim() and all(
            a in (0, b) for a, b in zip(shape, base.shape)
        )
        outcome = judge(
            case,
            target,
            lambda v: torch.full(shape, 0.25, dtype=torch.float64),
            "empty" if only_emptied else "error",
        )
    else:
        index = data.draw(st.integers(0, base.numel() - 1))
        bad = data.draw(st.sampled_from([float("nan"), float("inf"), -float("inf")]))

        def corrupt(v):
            v = v.detach().clone().flatten()
            v[index] = bad
            return v.reshape(base.shape).requires_grad_(True)

        outcome = judge(case, target, corrupt, "nonfinite")
    _assert_fine(outcome, f"NumpyRNNFunction({target}, {mode})")


def test_in_place_edits_after_forward_do_not_change_gradients():
    for name, label, pair in aliasing._aliasing_probes():
        before, after = pair()
        assert probe_judge.same(before, after), f"{name}: {label} changed the result"


@SETTINGS
@given(e=st.integers(-1000, 1000), seed=st.integers(0, 2**16))
def test_relative_error_is_exact_across_the_float_range(e, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(5), rng.standard_normal(5)
    scale = 2.0**e
    expected = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    got = bptt.relative_error(a * scale, b * scale)
    if (
        np.all(np.isfinite(a * scale))
        and np.min(np.abs(np.concatenate([a, b]))) * scale > 1e-300
    ):
        assert got == pytest.approx(expected, rel=1e-12)
    assert bptt.relative_error(a * scale, a * scale) == 0.0 or not np.all(
        np.isfinite(a * scale)
    )


@pytest.mark.parametrize("tiny", [1e-170, 1e-200, 1e-300, 5e-324])
def test_assert_close_separates_tiny_arrays(tiny):
    with pytest.raises(AssertionError):
        bptt.assert_close("tiny", np.array([tiny, 0.0]), np.array([0.0, tiny]), 1e-7)
    with contextlib.redirect_stdout(io.StringIO()):
        bptt.assert_close(
            "tiny equal", np.array([tiny, 0.0]), np.array([tiny, 0.0]), 1e-7
        )


@pytest.mark.parametrize("scale", [1e-300, 1e300])
def test_relative_error_against_the_unscaled_formula_in_float_range(scale):
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.5])
    assert bptt.relative_error(scale * a, scale * b) == pytest.approx(
        bptt.relative_error(a, b), rel=1e-12
    )


@pytest.mark.parametrize(
    "lr, eps, beta",
    [
        (-0.01, 1e-8, 0.9),
        (np.nan, 1e-8, 0.9),
        (np.inf, 1e-8, 0.9),
        (0.01, 0.0, 0.9),
        (0.01, 1e-8, 1.0),
    ],
)
def test_adam_hyperparameters_are_range_checked(lr, eps, beta):
    args = common._adam_args()
    args.update(learning_rate=lr, epsilon=eps, beta1=beta)
    with pytest.raises(ValueError, match="learning_rate|epsilon|beta1"):
        bptt.update_parameters_with_adam(**args)


def test_numpy_rnn_refuses_an_integer_dtype():
    with pytest.raises(
        ValueError, match=r"dtype must be np\.float32 or np\.float64, got int32"
    ):
        bptt.NumpyRNN(3, 4, dtype=np.int32)


# --- the reported cases, one by one (tracker issue 12, item 1) ------------------------


def _rnn_case():
    rng = np.random.default_rng(0)
    return (
        rng.standard_normal((3, 2, 4)),
        rng.standard_normal((5, 2)),
        bptt.random_rnn_parameters(3, 5, 2, rng),
    )


def test_complex_input_is_refused_not_cut_to_its_real_part():
    x, a0, p = _rnn_case()
    with pytest.raises(
        ValueError,
        match=r"x must have a real floating or integer dtype, got complex.*imaginary part",
    ):
        bptt.rnn_forward(x + 0.1j, a0, p)


@pytest.mark.parametrize("which", ["a0", "Waa"])
def test_a_list_is_refused_by_the_forward_not_crashing_the_backward(which):
    x, a0, p = _rnn_case()
    if which == "a0":
        a0 = a0.tolist()
    else:
        p["Waa"] = p["Waa"].tolist()
    with pytest.raises(
        ValueError, match=rf"{which}.* must be an array of shape .*got list"
    ):
        bptt.rnn_forward(x, a0, p)
    with pytest.raises(ValueError, match=r"a_prev must be an array .*got list"):
        bptt.rnn_cell_forward(
            x[:, :, 0], a0 if which == "a0" else _rnn_case()[1].tolist(), _rnn_case()[2]
        )


def test_zero_steps_and_empty_batches_get_a_sentence():
    x, a0, p = _rnn_case()
    with pytest.raises(
        ValueError,
        match=r"x must have no empty axis: layout \(n_x, m, T_x\), got shape \(3, 2, 0\)",
    ):
        bptt.rnn_forward(x[:, :, :0], a0, p)
    with pytest.raises(
        ValueError, match=r"caches must be the tuple .* with at least one step"
    ):
        bptt.rnn_backward(np.zeros((5, 2, 0)), ([], x[:, :, :0]))
    with pytest.raises(ValueError, match=r"y_pred must have no empty axis"):
        bptt.cross_entropy_loss(np.zeros((0, 2, 4)), np.zeros((2, 4), dtype=int))
    with pytest.raises(ValueError, match=r"y_pred must have no empty axis"):
        bptt.cross_entropy_loss(np.full((2, 0, 4), 0.5), np.zeros((0, 4), dtype=int))


def test_forward_outputs_and_inputs_do_not_alias_the_caches():
    x, a0, p = _rnn_case()
    layer = {
        "weight_ih": p["Wax"],
        "weight_hh": p["Waa"],
        "bias_ih": p["ba"][:, 0],
        "bias_hh": np.zeros(5),
    }
    xt = np.ascontiguousarray(x.transpose(2, 1, 0))
    for forward in (bptt.rnn_layer_forward, bptt.rnn_layer_forward_fast):
        output, h_n, cache = forward(xt, None, layer)
        leaves = [c for c in cache if isinstance(c, np.ndarray)] + list(
            cache[-1].values()
        )
        for array in (output, h_n, xt, *layer.values()):
            assert not any(np.shares_memory(array, leaf) for leaf in leaves), (
                forward.__name__
            )
    a, cache = bptt.rnn_forward_fast(x, a0, p)
    assert not np.shares_memory(a, cache[1]) and not np.shares_memory(x, cache[0])


def test_the_fixed_probe_list_has_no_cryptic_and_no_silent_outcome():
    """The 9,600-odd probes of tools/probe/ (the numbers of the closing note)."""
    bad = []
    for name, label, thunk in probe_judge.all_probes():
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            outcome, detail = thunk()
        if outcome in ("cryptic", "silent"):
            bad.append(f"{outcome} {name}({label}): {detail}")
    assert not bad, "\n".join(bad[:20])


@SETTINGS
@given(
    st.one_of(
        st.text(max_size=8),
        st.integers(),
        st.floats(),
        st.binary(max_size=4),
        st.none(),
    )
)
def test_set_language(value):
    try:
        bptt.set_language(value)
        assert bptt.language() in ("en", "zh_CN")
    except ValueError as error:
        assert "set_language(lang)" in str(error) and repr(value) in str(error)
    finally:
        bptt.set_language(None)
