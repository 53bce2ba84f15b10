"""Self-checks for the exercise notebooks: ``check_<function name>(fn)``.

Each check runs the student's ``fn`` on small seeded cases (always including
one example, m = 1, and one time step, T = 1) and compares every output with
the package's reference implementation — the one source of truth — and, for
gradients, with central finite differences (PyTorch where the exercise is
about PyTorch).  Backward functions are fed caches made by the *reference*
forward, so a wrong forward cannot hide a wrong backward.

On success a check prints one line, ``rnn_backward: all checks passed``.
A stub that still raises NotImplementedError gives a NotImplementedError
saying so.  On a mistake a check raises AssertionError whose message names the output (key and
worst entry), the relative error, and a HINT.  The hint comes from comparing
the wrong output with the outputs of typical mistakes (a missing carry from
step t+1, a bias averaged instead of summed, ε inside the square root, …) or
from the pattern of the error (only the last time step right).

``CHECKS`` maps each graded function name to its check; ``bptt.grade`` uses it.
"""

import contextlib
import io

import numpy as np

from .activations import sigmoid, softmax
from .delta import error_terms, gradients_double_sum, srn_forward
from .gradcheck import numerical_gradient, relative_error
from .rnn import random_rnn_parameters, rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward

NOT_IMPLEMENTED = (
    "{name} is not implemented yet: replace `# YOUR CODE HERE` and "
    "`raise NotImplementedError()` with your code, run that cell, then run this one again."
)
SHAPE_HINT = (
    "read the shapes in the docstring; a matrix product with the wrong transpose "
    "(e.g. xt instead of xt.T) or a sum over the wrong axis is the usual cause."
)
MATCH_TOL = 1e-8  # a wrong output "is" a known mistake when it agrees with it this closely


_Failure = AssertionError  # a check's verdict on a mistake


def _fail(name, message, hint):
    raise _Failure(f"{name}: {message}\nHINT: {hint}")


def _call(name, fn, *args, crash_hint=SHAPE_HINT, **kwargs):
    """Call the student's fn; turn NotImplementedError and crashes into clear messages."""
    if not callable(fn):
        _fail(name, f"expected a function, got {type(fn).__name__}", f"pass the function itself: check_{name}({name})")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:  # kept as NotImplementedError: an untouched exercise fails with it
        raise NotImplementedError(NOT_IMPLEMENTED.format(name=name)) from None
    except Exception as exc:  # the student's traceback is kept as the cause
        raise _Failure(f"{name}: raised {type(exc).__name__}: {exc}\nHINT: {crash_hint}") from exc


def _close(a, b, tol=MATCH_TOL):
    """True when a and b have one shape, the same non-finite entries, and relative error <= tol."""
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape:
        return False
    fa, fb = np.isfinite(a), np.isfinite(b)
    if not (np.array_equal(fa, fb) and np.array_equal(a[~fa], b[~fb], equal_nan=True)):
        return False
    return relative_error(np.where(fa, a, 0.0), np.where(fb, b, 0.0)) <= tol


def _worst(actual, expected):
    diff = np.abs(actual - expected)
    diff = np.where(np.isnan(diff), np.inf, diff)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    where = "[" + ", ".join(map(str, idx)) + "]" if idx else ""
    return where, float(actual[idx]), float(expected[idx])


class _Variants:
    """Outputs of typical mistakes, computed lazily: [(hint, thunk returning {key: array})]."""

    def __init__(self, variants):
        self._variants = list(variants)
        self._cache = {}

    def match(self, key, actual):
        for i, (hint, thunk) in enumerate(self._variants):
            if i not in self._cache:
                try:
                    with np.errstate(all="ignore"):
                        self._cache[i] = thunk()
                except Exception:
                    self._cache[i] = {}
            out = self._cache[i]
            if key in out and _close(actual, out[key]):
                return hint
        return None


def _verify(name, actual, expected, case, tol, hints, variants=(), patterns=None):
    """Compare dict ``actual`` with dict ``expected`` key by key; raise with a diagnosis."""
    variants = variants if isinstance(variants, _Variants) else _Variants(variants)
    for key, exp in expected.items():
        if key not in actual:
            _fail(name, f"output {key!r} is missing {case}", f"return all of {list(expected)}.")
        try:
            act = np.asarray(actual[key], dtype=float)
        except (TypeError, ValueError):
            _fail(name, f"output {key!r} is not a numeric array {case}", "return NumPy arrays.")
        exp = np.asarray(exp, dtype=float)
        if act.shape != exp.shape:
            if act.shape == exp.shape[:1] and exp.ndim == 2 and exp.shape[1] == 1:
                hint = "a bias gradient is a column (n, 1): sum with axis=1, keepdims=True."
            elif act.shape == exp.shape[::-1]:
                hint = "the result is transposed: check which factor of the outer product carries .T."
            else:
                hint = variants.match(key, act) or hints.get(key, SHAPE_HINT)
            _fail(name, f"output {key!r} has shape {act.shape}, expected {exp.shape} {case}", hint)
        with np.errstate(all="ignore"):
            err = relative_error(act, exp) if np.isfinite(act).all() else float("nan")
        if not err < tol:
            hint = variants.match(key, act)
            if hint is None and patterns is not None:
                hint = patterns(key, act, exp)
            if hint is None:
                hint = hints.get(key, "compare your formula for this output with the derivation.")
            where, got, want = _worst(act, exp)
            _fail(
                name,
                f"output {key!r} is wrong {case}: relative error {err:.1e} (tolerance {tol:.0e}); "
                f"largest difference at {key}{where}: got {got:.6g}, expected {want:.6g}",
                hint,
            )


def _passed(name):
    print(f"{name}: all checks passed")


def _case(**dims):
    return "(" + ", ".join(f"{k}={v}" for k, v in dims.items()) + ")"


def _only_last_step_right(key, act, exp):
    if act.ndim == 3 and act.shape[2] > 1 and _close(act[..., -1], exp[..., -1], 1e-8):
        return (
            "only the last time step is right: at step t add the gradient that flows back "
            "from step t+1 (da_prevt) to da[:, :, t] before calling the cell backward."
        )
    return None


# ---------------------------------------------------------------- simple RNN ---

RNN_SHAPES = [  # (n_x, n_a, n_y, m, T) — n_x != n_a so a wrong transpose cannot hide
    (3, 5, 2, 4, 3),
    (2, 3, 4, 1, 1),
    (4, 2, 3, 1, 4),
    (3, 4, 2, 3, 1),
]


def _rnn_case(n_x, n_a, n_y, m, T, seed):
    rng = np.random.default_rng(seed)
    p = random_rnn_parameters(n_x, n_a, n_y, rng)
    return p, rng.standard_normal((n_x, m, T)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T))


def _rnn_step(xt, a_prev, p, mistake=None):
    """The RNN step with one planted mistake (for diagnosis only; the reference is bptt.rnn)."""
    z = p["Wax"] @ xt + p["Waa"] @ a_prev + (0.0 if mistake == "no_bias" else p["ba"])
    a = {"relu": np.maximum(z, 0), "sigmoid": sigmoid(z)}.get(mistake, np.tanh(z))
    logits = p["Wya"] @ (a_prev if mistake == "y_from_prev" else a) + p["by"]
    if mistake == "no_softmax":
        y = logits
    elif mistake == "softmax_axis1":
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
    elif mistake == "softmax_all":
        e = np.exp(logits - logits.max())
        y = e / e.sum()
    else:
        y = softmax(logits)
    return a, y


def check_rnn_cell_forward(fn):
    """Check ``rnn_cell_forward(xt, a_prev, parameters) -> (a_next, yt_pred, cache)``."""
    name = "rnn_cell_forward"
    hints = {
        "a_next": "a_next = tanh(Wax xt + Waa a_prev + ba).",
        "yt_pred": "yt_pred = softmax(Wya a_next + by), softmax over axis 0 (one column per example).",
    }
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, _ = _rnn_case(n_x, n_a, n_y, m, T, seed=10 + i)
        case = _case(n_x=n_x, n_a=n_a, n_y=n_y, m=m)
        xt = x[:, :, 0]
        a_ref, y_ref, _ = rnn_cell_forward(xt, a0, p)
        out = _call(name, fn, xt.copy(), a0.copy(), {k: v.copy() for k, v in p.items()})
        if not (isinstance(out, tuple) and len(out) == 3):
            _fail(name, "must return a tuple (a_next, yt_pred, cache)", "end with: return a_next, yt_pred, cache")
        variants = [
            ("the bias ba is missing from the pre-activation.", lambda: dict(zip(("a_next", "yt_pred"), _rnn_step(xt, a0, p, "no_bias")))),
            ("the activation of the RNN state is tanh.", lambda: dict(zip(("a_next", "yt_pred"), _rnn_step(xt, a0, p, "relu")))),
            ("the activation of the RNN state is tanh.", lambda: dict(zip(("a_next", "yt_pred"), _rnn_step(xt, a0, p, "sigmoid")))),
            ("softmax is missing: yt_pred = softmax(Wya a_next + by).", lambda: {"yt_pred": _rnn_step(xt, a0, p, "no_softmax")[1]}),
            ("softmax must normalise each column (axis 0, the classes), not each row.", lambda: {"yt_pred": _rnn_step(xt, a0, p, "softmax_axis1")[1]}),
            ("softmax must normalise each column separately (axis 0), not the whole matrix.", lambda: {"yt_pred": _rnn_step(xt, a0, p, "softmax_all")[1]}),
            ("the prediction uses the new state a_next, not a_prev.", lambda: {"yt_pred": _rnn_step(xt, a0, p, "y_from_prev")[1]}),
        ]
        _verify(name, {"a_next": out[0], "yt_pred": out[1]}, {"a_next": a_ref, "yt_pred": y_ref}, case, 1e-10, hints, variants)
        cache = out[2]
        if not (isinstance(cache, tuple) and len(cache) == 4):
            _fail(name, "cache must be the tuple (a_next, a_prev, xt, parameters)", "cache = (a_next, a_prev, xt, parameters)")
        for j, (label, want) in enumerate((("a_next", a_ref), ("a_prev", a0), ("xt", xt))):
            if not _close(cache[j], want, 1e-12):
                _fail(name, f"cache[{j}] should be {label} {case}", "cache = (a_next, a_prev, xt, parameters), in this order.")
        if not isinstance(cache[3], dict) or set(cache[3]) != set(p):
            _fail(name, "cache[3] should be the parameters dict", "cache = (a_next, a_prev, xt, parameters).")
    _passed(name)


def _rnn_forward_variant(x, a0, p, mistake):
    a_prev, states = a0, []
    for t in range(x.shape[2]):
        a_next, _ = _rnn_step(x[:, :, t], a0 if mistake == "no_carry" else a_prev, p)
        states.append(a_next)
        a_prev = a_next
    return {"a": np.stack(states, axis=2)}


def _check_caches_alias(name, out_a, step_caches, idx_next, idx_prev, case):
    """Overwrite the returned state array; the caches must not change."""
    saved = [(np.array(c[idx_next], copy=True), np.array(c[idx_prev], copy=True)) for c in step_caches]
    try:
        out_a[...] = np.nan
    except (TypeError, ValueError):
        return
    for t, (c, (nxt, prv)) in enumerate(zip(step_caches, saved)):
        if not (np.array_equal(np.asarray(c[idx_next]), nxt, equal_nan=True) and np.array_equal(np.asarray(c[idx_prev]), prv, equal_nan=True)):
            _fail(
                name,
                f"the step-{t} cache changed when the returned state array was overwritten {case}",
                "a state in the caches aliases (is a view into) the output array; carry the cell's own "
                "a_next (not a[:, :, t]) to the next step.",
            )


def check_rnn_forward(fn):
    """Check ``rnn_forward(x, a0, parameters) -> (a, y_pred, caches)`` and its caches."""
    name = "rnn_forward"
    hints = {"a": "loop over t, calling rnn_cell_forward(x[:, :, t], a_prev, parameters).", "y_pred": "store yt_pred in y_pred[:, :, t]."}
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, _ = _rnn_case(n_x, n_a, n_y, m, T, seed=20 + i)
        case = _case(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T=T)
        a_ref, y_ref, (caches_ref, _) = rnn_forward(x, a0, p)
        out = _call(name, fn, x.copy(), a0.copy(), {k: v.copy() for k, v in p.items()})
        if not (isinstance(out, tuple) and len(out) == 3):
            _fail(name, "must return a tuple (a, y_pred, caches)", "end with: return a, y_pred, caches")
        variants = [("the state is not carried forward: pass the previous step's a_next as a_prev (a0 only at t = 0).", lambda: _rnn_forward_variant(x, a0, p, "no_carry"))]
        _verify(name, {"a": out[0], "y_pred": out[1]}, {"a": a_ref, "y_pred": y_ref}, case, 1e-10, hints, variants)
        caches = out[2]
        if not (isinstance(caches, tuple) and len(caches) == 2 and len(caches[0]) == T):
            _fail(name, f"caches must be (list of {T} step caches, x) {case}", "caches = (caches_list, x), one cache per step.")
        for t, (c, c_ref) in enumerate(zip(caches[0], caches_ref)):
            for j, label in enumerate(("a_next", "a_prev", "xt")):
                if not _close(c[j], c_ref[j], 1e-10):
                    _fail(
                        name,
                        f"step cache {t}, entry {j} ({label}) is wrong {case}",
                        "every step needs its own cache from rnn_cell_forward; if all caches hold the last "
                        "state, a state array is updated in place instead of replaced.",
                    )
        if not _close(caches[1], x, 0):
            _fail(name, "caches[1] must be x", "caches = (caches_list, x).")
        _check_caches_alias(name, out[0], caches[0], 0, 1, case)
    _passed(name)


def _rnn_cell_backward_variant(da_next, cache, mistake):
    a_next, a_prev, xt, p = cache
    if mistake == "tanh_prev":
        dtanh = (1 - a_prev**2) * da_next
    elif mistake == "tanh_twice":
        dtanh = (1 - np.tanh(a_next) ** 2) * da_next
    elif mistake == "no_dtanh":
        dtanh = da_next
    else:
        dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": p["Wax"].T @ dtanh,
        "da_prev": (p["Waa"] if mistake == "no_transpose" else p["Waa"].T) @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ (a_next if mistake == "dWaa_next" else a_prev).T,
        "dba": (np.mean if mistake == "mean_bias" else np.sum)(dtanh, axis=1, keepdims=True),
    }


RNN_CELL_MISTAKES = [
    ("tanh_prev", "tanh′ belongs to this step's state: use (1 − a_next²), not (1 − a_prev²)."),
    ("tanh_twice", "a_next is already tanh(z): its derivative is 1 − a_next², do not apply np.tanh again."),
    ("no_dtanh", "multiply da_next by the tanh derivative (1 − a_next²) first."),
    ("no_transpose", "da_prev = Waaᵀ dtanh: the backward of a product uses the transposed matrix."),
    ("dWaa_next", "dWaa = dtanh a_prevᵀ: the recurrent weight multiplies the previous state."),
    ("mean_bias", "the bias gradient is the sum over the batch axis, not the mean."),
]
RNN_CELL_HINTS = {
    "dxt": "dxt = Waxᵀ dtanh with dtanh = (1 − a_next²) ⊙ da_next.",
    "da_prev": "da_prev = Waaᵀ dtanh.",
    "dWax": "dWax = dtanh xtᵀ.",
    "dWaa": "dWaa = dtanh a_prevᵀ.",
    "dba": "dba = Σ over the batch axis of dtanh, keepdims=True.",
}


def _fd_rnn(x, a0, p, da):
    """Finite-difference gradients of sum(a * da) through the reference rnn_forward."""

    def wrt(key):
        return lambda v: np.sum(rnn_forward(x, a0, p | {key: v})[0] * da)

    out = {f"d{k}": numerical_gradient(wrt(k), p[k]) for k in ("Wax", "Waa", "ba")}
    out["dx"] = numerical_gradient(lambda v: np.sum(rnn_forward(v, a0, p)[0] * da), x)
    out["da0"] = numerical_gradient(lambda v: np.sum(rnn_forward(x, v, p)[0] * da), a0)
    return out


def check_rnn_cell_backward(fn):
    """Check ``rnn_cell_backward(da_next, cache) -> dict dxt, da_prev, dWax, dWaa, dba``."""
    name = "rnn_cell_backward"
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, da = _rnn_case(n_x, n_a, n_y, m, T, seed=30 + i)
        case = _case(n_x=n_x, n_a=n_a, m=m)
        _, _, cache = rnn_cell_forward(x[:, :, 0], a0, p)
        da_next = da[:, :, 0]
        expected = rnn_cell_backward(da_next, cache)
        out = _call(name, fn, da_next.copy(), cache)
        if not isinstance(out, dict):
            _fail(name, "must return a dict", f"return a dict with keys {list(expected)}.")
        variants = [(h, lambda m_=m_: _rnn_cell_backward_variant(da_next, cache, m_)) for m_, h in RNN_CELL_MISTAKES]
        _verify(name, out, expected, case, 1e-10, RNN_CELL_HINTS, variants)
        if i == 0:  # second referee: central differences through the reference forward
            fd = _fd_rnn(x[:, :, :1], a0, p, da[:, :, :1])
            fd = {"dxt": fd["dx"][:, :, 0], "da_prev": fd["da0"], "dWax": fd["dWax"], "dWaa": fd["dWaa"], "dba": fd["dba"]}
            _verify(name, out, fd, case + " against finite differences", 1e-7, RNN_CELL_HINTS)
    _passed(name)


def _rnn_backward_variant(da, caches, cell_mistake=None, seq_mistake=None):
    steps, x = caches
    T = da.shape[2]
    grads = {"dx": np.zeros((x.shape[0], da.shape[1], T))}
    acc = {}
    da_prevt = np.zeros(da.shape[:2])
    order = range(T) if seq_mistake == "forward_order" else reversed(range(T))
    for t in order:
        upstream = da[:, :, t] if seq_mistake == "no_carry" else da[:, :, t] + da_prevt
        g = _rnn_cell_backward_variant(upstream, steps[t], cell_mistake)
        grads["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            acc[k] = acc.get(k, 0) + g[k]
        da_prevt = g["da_prev"]
    return grads | acc | {"da0": da_prevt}


def check_rnn_backward(fn):
    """Check ``rnn_backward(da, caches) -> dict dx, da0, dWax, dWaa, dba`` on reference caches."""
    name = "rnn_backward"
    hints = {
        "dx": "dx[:, :, t] is the dxt of step t's cell backward.",
        "da0": "da0 is the da_prev returned at the first step (t = 0), after the whole reversed loop.",
        "dWax": "sum dWax over all time steps.",
        "dWaa": "sum dWaa over all time steps.",
        "dba": "sum dba over all time steps.",
    }
    for i, (n_x, n_a, n_y, m, T) in enumerate(RNN_SHAPES):
        p, x, a0, da = _rnn_case(n_x, n_a, n_y, m, T, seed=40 + i)
        case = _case(n_x=n_x, n_a=n_a, m=m, T=T)
        _, _, caches = rnn_forward(x, a0, p)
        expected = rnn_backward(da, caches)
        out = _call(name, fn, da.copy(), caches)
        if not isinstance(out, dict):
            _fail(name, "must return a dict", f"return a dict with keys {list(expected)}.")
        variants = [
            (
                "the gradient from step t+1 is not added back: the cell at step t must receive "
                "da[:, :, t] + da_prevt.",
                lambda: _rnn_backward_variant(da, caches, seq_mistake="no_carry"),
            ),
            ("loop backwards in time: for t in reversed(range(T)).", lambda: _rnn_backward_variant(da, caches, seq_mistake="forward_order")),
        ] + [(h + " (in your rnn_cell_backward)", lambda m_=m_: _rnn_backward_variant(da, caches, m_)) for m_, h in RNN_CELL_MISTAKES]
        _verify(name, out, expected, case, 1e-10, hints, variants, _only_last_step_right)
        if i == 0:
            fd = _fd_rnn(x, a0, p, da)
            _verify(name, out, fd, case + " against finite differences", 1e-7, hints)
    _passed(name)


# ------------------------------------------------------------- NNDL 6-2: W, b ---

GRAD_WB_SHAPES = [(4, 3, 2), (1, 2, 3), (5, 2, 1)]  # (T, D, M)


def check_gradients_w_b(fn):
    """Check ``gradients_w_b(delta, x) -> (dW, db)``: NNDL (6.40) and (6.41)."""
    name = "gradients_w_b"
    hints = {"dW": "(6.40): ∂L/∂W = Σ_t Σ_{k≤t} δ_{t,k} x_kᵀ.", "db": "(6.41): ∂L/∂b = Σ_t Σ_{k≤t} δ_{t,k}."}
    for i, (T, D, M) in enumerate(GRAD_WB_SHAPES):
        rng = np.random.default_rng(50 + i)
        U, W, b = 0.5 * rng.standard_normal((D, D)), rng.standard_normal((D, M)), rng.standard_normal(D)
        x, h0, dL_dh = rng.standard_normal((T, M)), rng.standard_normal(D), rng.standard_normal((T, D))
        z, h = srn_forward(x, h0, U, W, b)
        delta = error_terms(z, U, dL_dh)
        _, dW, db = gradients_double_sum(delta, h, x)
        case = _case(T=T, D=D, M=M)
        out = _call(name, fn, delta.copy(), x.copy())
        if not (isinstance(out, tuple) and len(out) == 2):
            _fail(name, "must return a tuple (dW, db)", "end with: return dW, db")
        variants = [
            (
                "pair δ_{t,k} with x_k, the input of step k where z_k is formed, not with x_t (a common index slip).",
                lambda: {"dW": sum(np.outer(delta[t, k], x[t]) for t in range(T) for k in range(t + 1))},
            ),
            (
                "the inner sum runs over all k ≤ t, not only k = t: the loss L_t reaches z_k through h_k … h_t.",
                lambda: {"dW": sum(np.outer(delta[t, t], x[t]) for t in range(T)), "db": sum(delta[t, t] for t in range(T))},
            ),
        ]
        _verify(name, {"dW": out[0], "db": out[1]}, {"dW": dW, "db": db}, case, 1e-12, hints, variants)
        if i == 0:  # referee: the loss Σ_t L_t with ∂L_t/∂h_t = dL_dh[t] held fixed, by central differences
            def loss(Wv, bv):
                _, hh = srn_forward(x, h0, U, Wv, bv)
                return np.sum(hh[1:] * dL_dh)

            fd = {"dW": numerical_gradient(lambda v: loss(v, b), W), "db": numerical_gradient(lambda v: loss(W, v), b)}
            _verify(name, {"dW": out[0], "db": out[1]}, fd, case + " against finite differences", 1e-7, hints)
    _passed(name)


# ------------------------------------------------------------------- LSTM ---

LSTM_SHAPES = [(3, 5, 2, 4, 3), (2, 3, 4, 1, 1), (4, 2, 3, 1, 4), (3, 4, 2, 3, 1)]  # (n_x, n_a, n_y, m, T)
GATES = ("f", "i", "c", "o")


def _lstm_case(n_x, n_a, n_y, m, T, seed):
    rng = np.random.default_rng(seed)
    p = {}
    for g in GATES:
        p[f"W{g}"] = 0.7 * rng.standard_normal((n_a, n_a + n_x))
        p[f"b{g}"] = 0.5 * rng.standard_normal((n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a))
    p["by"] = rng.standard_normal((n_y, 1))
    return p, rng.standard_normal((n_x, m, T)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))


def _lstm_step(xt, a_prev, c_prev, p, mistake=None):
    concat = np.concatenate([xt, a_prev] if mistake == "concat_order" else [a_prev, xt], axis=0)
    nob = mistake == "no_bias"
    ft = sigmoid(p["Wf"] @ concat + (0 if nob else p["bf"]))
    it = sigmoid(p["Wi"] @ concat + (0 if nob else p["bi"]))
    cct = np.tanh(p["Wc"] @ concat + (0 if nob else p["bc"]))
    ot = sigmoid(p["Wo"] @ concat + (0 if nob else p["bo"]))
    c = ft * c_prev + it * cct
    a = ot * (c if mistake == "no_tanh_c" else np.tanh(c))
    logits = p["Wy"] @ a + p["by"]
    return a, c, (logits if mistake == "no_softmax" else softmax(logits))


def check_lstm_cell_forward(fn):
    """Check ``lstm_cell_forward(xt, a_prev, c_prev, parameters) -> (a_next, c_next, yt_pred, cache)``."""
    from .lstm import lstm_cell_forward

    name = "lstm_cell_forward"
    hints = {
        "a_next": "a_next = ot ⊙ tanh(c_next).",
        "c_next": "c_next = ft ⊙ c_prev + it ⊙ cct.",
        "yt_pred": "yt_pred = softmax(Wy a_next + by).",
    }
    keys = ("a_next", "c_next", "yt_pred")
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, c0 = _lstm_case(n_x, n_a, n_y, m, T, seed=60 + i)
        xt = x[:, :, 0]
        case = _case(n_x=n_x, n_a=n_a, n_y=n_y, m=m)
        ref = lstm_cell_forward(xt, a0, c0, p)
        out = _call(name, fn, xt.copy(), a0.copy(), c0.copy(), {k: v.copy() for k, v in p.items()})
        if not (isinstance(out, tuple) and len(out) == 4):
            _fail(name, "must return a tuple (a_next, c_next, yt_pred, cache)", "end with: return a_next, c_next, yt_pred, cache")
        variants = [
            ("the gate biases bf, bi, bc, bo are missing.", lambda: dict(zip(keys, _lstm_step(xt, a0, c0, p, "no_bias")))),
            ("stack a_prev first: concat = [a_prev; xt] (the first n_a columns of each W act on a_prev).", lambda: dict(zip(keys, _lstm_step(xt, a0, c0, p, "concat_order")))),
            ("a_next = ot ⊙ tanh(c_next): tanh of the cell state is missing.", lambda: dict(zip(keys, _lstm_step(xt, a0, c0, p, "no_tanh_c")))),
            ("softmax is missing: yt_pred = softmax(Wy a_next + by).", lambda: {"yt_pred": _lstm_step(xt, a0, c0, p, "no_softmax")[2]}),
        ]
        _verify(name, dict(zip(keys, out[:3])), dict(zip(keys, ref[:3])), case, 1e-10, hints, variants)
        cache, cache_ref = out[3], ref[3]
        labels = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")
        if not (isinstance(cache, tuple) and len(cache) == 10):
            _fail(name, "cache must be a tuple of 10 entries", "cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)")
        for j, label in enumerate(labels):
            if not _close(cache[j], cache_ref[j], 1e-10):
                _fail(name, f"cache[{j}] should be {label} {case}", "cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), in this order.")
    _passed(name)


def _lstm_forward_variant(x, a0, p, mistake):
    a_prev, c_prev = a0, np.zeros_like(a0)
    a_s, c_s = [], []
    for t in range(x.shape[2]):
        a_in = a0 if mistake == "no_carry_a" else a_prev
        c_in = np.zeros_like(a0) if mistake == "no_carry_c" else c_prev
        a_prev, c_prev, _ = _lstm_step(x[:, :, t], a_in, c_in, p)
        a_s.append(a_prev)
        c_s.append(c_prev)
    return {"a": np.stack(a_s, 2), "c": np.stack(c_s, 2)}


def check_lstm_forward(fn):
    """Check ``lstm_forward(x, a0, parameters) -> (a, y, c, caches)`` and its caches."""
    from .lstm import lstm_forward

    name = "lstm_forward"
    hints = {"a": "loop over t calling lstm_cell_forward(x[:, :, t], a_next, c_next, parameters); c starts at zeros.", "y": "store yt_pred in y[:, :, t].", "c": "store c_next in c[:, :, t]."}
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, _ = _lstm_case(n_x, n_a, n_y, m, T, seed=70 + i)
        case = _case(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T=T)
        a_ref, y_ref, c_ref, (caches_ref, _) = lstm_forward(x, a0, p)
        out = _call(name, fn, x.copy(), a0.copy(), {k: v.copy() for k, v in p.items()})
        if not (isinstance(out, tuple) and len(out) == 4):
            _fail(name, "must return a tuple (a, y, c, caches)", "end with: return a, y, c, caches")
        variants = [
            ("the hidden state is not carried forward: pass the previous a_next as a_prev.", lambda: _lstm_forward_variant(x, a0, p, "no_carry_a")),
            ("the cell state is not carried forward: pass the previous c_next as c_prev (zeros only at t = 0).", lambda: _lstm_forward_variant(x, a0, p, "no_carry_c")),
        ]
        if np.shape(out[1]) == c_ref.shape and np.shape(out[2]) == y_ref.shape and n_y != n_a:
            _fail(name, f"y and c are swapped {case}", "return (a, y, c, caches) in this order.")
        _verify(name, {"a": out[0], "y": out[1], "c": out[2]}, {"a": a_ref, "y": y_ref, "c": c_ref}, case, 1e-10, hints, variants)
        caches = out[3]
        if not (isinstance(caches, tuple) and len(caches) == 2 and len(caches[0]) == T):
            _fail(name, f"caches must be (list of {T} step caches, x) {case}", "caches = (caches_list, x).")
        for t, (cc, cr) in enumerate(zip(caches[0], caches_ref)):
            for j in range(9):
                if not _close(cc[j], cr[j], 1e-10):
                    _fail(name, f"step cache {t}, entry {j} is wrong {case}", "every step needs its own cache from lstm_cell_forward; an array updated in place makes all caches equal.")
        _check_caches_alias(name, out[0], caches[0], 0, 2, case)
        _check_caches_alias(name, out[2], caches[0], 1, 3, case)
    _passed(name)


def _lstm_cell_backward_variant(da_next, dc_next, cache, mistake=None):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    th = np.tanh(c_next)
    via_a = ot * (1 - th**2) * da_next
    dc = dc_next + via_a
    if mistake == "partial_gate":  # σ′ / tanh′ multiplies only the da_next path (printed-equation erratum)
        d = {
            "o": da_next * th * ot * (1 - ot),
            "c": dc_next * it + via_a * it * (1 - cct**2),
            "i": dc_next * cct + via_a * cct * it * (1 - it),
            "f": dc_next * c_prev + via_a * c_prev * ft * (1 - ft),
        }
    else:
        d = {
            "o": da_next * (ot * (1 - ot) if mistake == "dot_no_tanh" else th * ot * (1 - ot)),
            "c": dc * it * ((1 - np.tanh(cct) ** 2) * cct if mistake == "cct_erratum" else (1 - cct**2)),
            "i": dc * cct * it * (1 - it),
            "f": dc * (c_next if mistake == "forget_c_next" else c_prev) * ft * (1 - ft),
        }
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = sum(p[f"W{g}"].T @ d[g] for g in GATES)
    out = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": (dc_next if mistake == "dc_prev_no_a" else dc) * ft}
    red = np.mean if mistake == "mean_bias" else np.sum
    for g in GATES:
        out[f"dW{g}"] = d[g] @ concat.T
        out[f"db{g}"] = red(d[g], axis=1, keepdims=True)
    return out


LSTM_CELL_MISTAKES = [
    ("partial_gate", "the gate derivative must multiply the WHOLE cell gradient dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next, not only its da_next part (put the parentheses around both terms)."),
    ("dc_prev_no_a", "dc_prev also has the path through a_next: dc_prev = (dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next) ⊙ ft."),
    ("forget_c_next", "the forget gate multiplies c_prev, so dft uses c_prev, not c_next."),
    ("cct_erratum", "cct is already tanh(·): its derivative is 1 − cct², with no extra factor cct and no second tanh."),
    ("dot_no_tanh", "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot): the factor tanh(c_next) is missing."),
    ("mean_bias", "the bias gradients are sums over the batch axis, not means."),
]
LSTM_SLICE_HINT = (
    "each W acts on concat = [a_prev; xt], so slice COLUMNS: W[:, :n_a] for da_prev and "
    "W[:, n_a:] for dxt (slicing rows, W[:n_a, :], is an erratum of the printed text)."
)
LSTM_CELL_HINTS = {
    "dxt": LSTM_SLICE_HINT,
    "da_prev": LSTM_SLICE_HINT,
    "dc_prev": "dc_prev = dc ⊙ ft with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next.",
}


def _fd_lstm(x, a0, p, da):
    from .lstm import lstm_forward

    def loss(xx, aa, pp):
        return np.sum(lstm_forward(xx, aa, pp)[0] * da)

    out = {f"d{k}": numerical_gradient(lambda v, k=k: loss(x, a0, p | {k: v}), p[k]) for k in p if k not in ("Wy", "by")}
    out["dx"] = numerical_gradient(lambda v: loss(v, a0, p), x)
    out["da0"] = numerical_gradient(lambda v: loss(x, v, p), a0)
    return out


def check_lstm_cell_backward(fn):
    """Check ``lstm_cell_backward(da_next, dc_next, cache)`` on caches of the reference forward."""
    from .lstm import lstm_cell_backward, lstm_cell_forward

    name = "lstm_cell_backward"
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, c0 = _lstm_case(n_x, n_a, n_y, m, T, seed=80 + i)
        rng = np.random.default_rng(180 + i)
        da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
        case = _case(n_x=n_x, n_a=n_a, m=m)
        cache = lstm_cell_forward(x[:, :, 0], a0, c0, p)[3]
        expected = lstm_cell_backward(da_next, dc_next, cache)
        out = _call(name, fn, da_next.copy(), dc_next.copy(), cache, crash_hint=LSTM_SLICE_HINT)
        if not isinstance(out, dict):
            _fail(name, "must return a dict", f"return a dict with keys {list(expected)}.")
        variants = [(h, lambda m_=m_: _lstm_cell_backward_variant(da_next, dc_next, cache, m_)) for m_, h in LSTM_CELL_MISTAKES]
        _verify(name, out, expected, case, 1e-10, LSTM_CELL_HINTS, variants)
        if i == 0:  # referee: central differences of sum(a_next ⊙ da_next + c_next ⊙ dc_next)
            def loss(xt, ap, cp, pp):
                a, c, _, _ = lstm_cell_forward(xt, ap, cp, pp)
                return np.sum(a * da_next) + np.sum(c * dc_next)

            xt = x[:, :, 0]
            fd = {f"d{k}": numerical_gradient(lambda v, k=k: loss(xt, a0, c0, p | {k: v}), p[k]) for k in p if k not in ("Wy", "by")}
            fd |= {
                "dxt": numerical_gradient(lambda v: loss(v, a0, c0, p), xt),
                "da_prev": numerical_gradient(lambda v: loss(xt, v, c0, p), a0),
                "dc_prev": numerical_gradient(lambda v: loss(xt, a0, v, p), c0),
            }
            _verify(name, out, fd, case + " against finite differences", 1e-7, LSTM_CELL_HINTS)
    _passed(name)


def _lstm_backward_variant(da, caches, cell_mistake=None, seq_mistake=None):
    steps, x = caches
    T = da.shape[2]
    out = {"dx": np.zeros((x.shape[0], da.shape[1], T))}
    da_prevt = np.zeros(da.shape[:2])
    dc_prevt = np.zeros(da.shape[:2])
    for t in reversed(range(T)):
        up_a = da[:, :, t] if seq_mistake == "no_carry_a" else da[:, :, t] + da_prevt
        up_c = np.zeros(da.shape[:2]) if seq_mistake == "no_carry_c" else dc_prevt
        g = _lstm_cell_backward_variant(up_a, up_c, steps[t], cell_mistake)
        out["dx"][:, :, t] = g["dxt"]
        for k in g:
            if k.startswith(("dW", "db")):
                out[k] = out.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    out["da0"] = da_prevt
    return out


def check_lstm_backward(fn):
    """Check ``lstm_backward(da, caches)`` on caches of the reference forward."""
    from .lstm import lstm_backward, lstm_forward

    name = "lstm_backward"
    hints = {"dx": "dx[:, :, t] is the dxt of step t.", "da0": "da0 is the da_prev of the first step, after the reversed loop."}
    for i, (n_x, n_a, n_y, m, T) in enumerate(LSTM_SHAPES):
        p, x, a0, _ = _lstm_case(n_x, n_a, n_y, m, T, seed=90 + i)
        da = np.random.default_rng(190 + i).standard_normal((n_a, m, T))
        case = _case(n_x=n_x, n_a=n_a, m=m, T=T)
        caches = lstm_forward(x, a0, p)[3]
        expected = lstm_backward(da, caches)
        out = _call(name, fn, da.copy(), caches)
        if not isinstance(out, dict):
            _fail(name, "must return a dict", f"return a dict with keys {list(expected)}.")
        variants = [
            ("the gradient from step t+1 is not added back: step t must receive da[:, :, t] + da_prevt.", lambda: _lstm_backward_variant(da, caches, seq_mistake="no_carry_a")),
            ("the cell gradient is not carried back: pass step t+1's dc_prev as dc_next of step t (zeros only at the last step).", lambda: _lstm_backward_variant(da, caches, seq_mistake="no_carry_c")),
        ] + [(h + " (in your lstm_cell_backward)", lambda m_=m_: _lstm_backward_variant(da, caches, m_)) for m_, h in LSTM_CELL_MISTAKES]
        _verify(name, out, expected, case, 1e-10, hints, variants, _only_last_step_right)
        if i == 0:
            _verify(name, out, _fd_lstm(x, a0, p, da), case + " against finite differences", 1e-7, hints)
    _passed(name)


# ---------------------------------------------------------- Adam, clipping ---

def _adam_parameters(seed):
    """Parameters with an odd number of entries (a layer loop over len//2 misses Wy)."""
    rng = np.random.default_rng(seed)
    shapes = {"W1": (3, 2), "b1": (3, 1), "W2": (2, 3), "b2": (2, 1), "Wy": (1, 2)}
    return {k: rng.standard_normal(s) for k, s in shapes.items()}


def check_initialize_adam(fn):
    """Check ``initialize_adam(parameters) -> (v, s)``: zeros, keys "d" + name, for every parameter."""
    name = "initialize_adam"
    p = _adam_parameters(100)
    out = _call(name, fn, {k: v.copy() for k, v in p.items()})
    if not (isinstance(out, tuple) and len(out) == 2 and all(isinstance(d, dict) for d in out)):
        _fail(name, "must return a tuple of two dicts (v, s)", "end with: return v, s")
    for label, d in zip(("v", "s"), out):
        missing = [f"d{k}" for k in p if f"d{k}" not in d]
        if missing:
            _fail(name, f"{label} has no moments for {missing}", "create moments for EVERY parameter: loop over parameters.keys(), not over a count of layers.")
        extra = sorted(set(d) - {f"d{k}" for k in p})
        if extra:
            _fail(name, f"{label} has unexpected keys {extra}", 'the keys are "d" + parameter name, e.g. "dW1".')
        for k in p:
            arr = np.asarray(d[f"d{k}"])
            if arr.shape != p[k].shape:
                _fail(name, f"{label}['d{k}'] has shape {arr.shape}, expected {p[k].shape}", "use np.zeros(parameters[key].shape).")
            if np.any(arr != 0):
                _fail(name, f"{label}['d{k}'] is not all zeros", "Adam starts from m₀ = v₀ = 0: use np.zeros.")
    for k in p:
        if np.shares_memory(out[0][f"d{k}"], out[1][f"d{k}"]):
            _fail(name, f"v['d{k}'] and s['d{k}'] are the same array", "create two separate arrays (two np.zeros calls); otherwise updating v also changes s.")
    _passed(name)


def _adam_variant(p, g, v, s, t, lr, b1, b2, eps, mistake):
    p, v, s = dict(p), dict(v), dict(s)
    tt = {"t_plus_1": t + 1, "t_minus_1": t - 1}.get(mistake, t)
    for k in list(p):
        if mistake == "only_some" and k == "Wy":
            continue
        dk = "d" + k
        gk = g[dk]
        v[dk] = b1 * v[dk] + (1 - b1) * gk
        s[dk] = b2 * s[dk] + (1 - b2) * (np.abs(gk) if mistake == "abs_g" else gk**2)
        if mistake == "no_correction":
            vh, sh = v[dk], s[dk]
        else:
            vh, sh = v[dk] / (1 - b1**tt), s[dk] / (1 - b2**tt)
        if mistake == "store_corrected":
            v[dk], s[dk] = vh, sh
        denom = np.sqrt(sh + eps) if mistake == "eps_inside" else np.sqrt(sh) + eps
        p[k] = p[k] - lr * vh / denom
    return {"parameters": p, "v": v, "s": s}


ADAM_MISTAKES = [
    ("eps_inside", "ε goes outside the square root: θ − α v̂ / (√ŝ + ε) (Kingma & Ba; the C2W2 expected table used √(ŝ + ε))."),
    ("t_plus_1", "the step counter t is 1-based already: bias-correct with 1 − βᵗ, not 1 − β^(t+1)."),
    ("t_minus_1", "the step counter t is 1-based already: bias-correct with 1 − βᵗ, not 1 − β^(t−1)."),
    ("no_correction", "bias correction is missing: v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ)."),
    ("abs_g", "s is the running mean of the SQUARED gradient g², not of |g|."),
    ("store_corrected", "store the uncorrected moments in v and s; put v̂ and ŝ in separate variables."),
    ("only_some", "update EVERY parameter (loop over parameters.keys()); one was left unchanged."),
]


def _adam_state(seed, t):
    """A state after t − 1 steps; some gradients tiny so that √ŝ is comparable to √ε."""
    rng = np.random.default_rng(seed)
    p = _adam_parameters(seed)
    g = {f"d{k}": rng.standard_normal(a.shape) for k, a in p.items()}
    g["dW1"][0, 0] = 3e-6
    g["db1"][:] = 1e-6
    if t == 1:
        v = {k: np.zeros_like(a) for k, a in g.items()}
        s = {k: np.zeros_like(a) for k, a in g.items()}
    else:
        v = {k: 0.1 * rng.standard_normal(a.shape) for k, a in g.items()}
        s = {k: 0.1 * rng.random(a.shape) for k, a in g.items()}
        s["db1"][:] = 1e-11
    return p, g, v, s


def _flat(d, prefix):
    return {f"{prefix}[{k!r}]": v for k, v in d.items()}


def check_update_parameters_with_adam(fn):
    """Check ``update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)``."""
    from .optim import update_parameters_with_adam

    name = "update_parameters_with_adam"
    for t, lr in ((1, 0.01), (3, 0.02), (7, 0.01)):
        p, g, v, s = _adam_state(110 + t, t)
        hyper = dict(learning_rate=lr, beta1=0.9, beta2=0.999, epsilon=1e-8)
        cp = lambda d: {k: a.copy() for k, a in d.items()}  # noqa: E731
        ref_p, ref_v, ref_s = update_parameters_with_adam(cp(p), g, cp(v), cp(s), t, **hyper)
        out = _call(name, fn, cp(p), cp(g), cp(v), cp(s), t, **hyper)
        if not (isinstance(out, tuple) and len(out) == 3):
            _fail(name, "must return a tuple (parameters, v, s)", "end with: return parameters, v, s")
        actual = _flat(out[0], "parameters") | _flat(out[1], "v") | _flat(out[2], "s")
        expected = _flat(ref_p, "parameters") | _flat(ref_v, "v") | _flat(ref_s, "s")

        def thunk(mistake):
            r = _adam_variant(p, g, v, s, t, lr, 0.9, 0.999, 1e-8, mistake)
            return _flat(r["parameters"], "parameters") | _flat(r["v"], "v") | _flat(r["s"], "s")

        variants = [(h, lambda m_=m_: thunk(m_)) for m_, h in ADAM_MISTAKES]
        hints = {k: "v ← β₁v + (1−β₁)g, s ← β₂s + (1−β₂)g², v̂ = v/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ), θ ← θ − α v̂/(√ŝ + ε)." for k in expected}
        _verify(name, actual, expected, _case(t=t), 1e-12, hints, variants)
    _passed(name)


def _clip_variant(grads, max_norm, mistake):
    norms = {k: np.linalg.norm(g) for k, g in grads.items()}
    total = float(np.sqrt(sum(n**2 for n in norms.values())))
    if mistake == "per_array":
        return {k: g * min(1.0, max_norm / (norms[k] + 1e-6)) for k, g in grads.items()}, total
    if mistake == "always_scale":
        return {k: g * max_norm / (total + 1e-6) for k, g in grads.items()}, total
    coef = min(1.0, max_norm / (total + (0 if mistake == "no_eps" else 1e-6)))
    clipped = {k: g * coef for k, g in grads.items()}
    if mistake == "clipped_norm":
        return clipped, float(np.sqrt(sum(np.sum(c**2) for c in clipped.values())))
    return clipped, total


CLIP_MISTAKES = [
    ("per_array", "use ONE global norm over all arrays together, √(Σ‖g‖²), and one common factor (this keeps the direction)."),
    ("always_scale", "only shrink: the factor is min(1, max_norm / (total_norm + 1e-6)); small gradients stay unchanged."),
    ("no_eps", "like torch.nn.utils.clip_grad_norm_, divide by (total_norm + 1e-6)."),
    ("clipped_norm", "return the total norm measured BEFORE clipping (as torch does)."),
]


def check_clip_grad_norm(fn):
    """Check ``clip_grad_norm(grads, max_norm) -> (clipped, total_norm)`` against torch.nn.utils.clip_grad_norm_."""
    import torch

    from .optim import clip_grad_norm

    name = "clip_grad_norm"
    rng = np.random.default_rng(120)
    cases = [
        ({"dW": 3 * rng.standard_normal((3, 2)), "db": rng.standard_normal((3, 1))}, 1.0),  # clipped
        ({"dW": 0.1 * rng.standard_normal((2, 2)), "db": 0.1 * rng.standard_normal((2, 1))}, 5.0),  # below the threshold
        ({"dWaa": rng.standard_normal((4, 4)), "dba": 10 * rng.standard_normal((4, 1)), "dWax": rng.standard_normal((4, 1))}, 2.0),
    ]
    for j, (grads, max_norm) in enumerate(cases):
        case = f"(case {j + 1}, max_norm={max_norm})"
        ref, ref_norm = clip_grad_norm(grads, max_norm)
        tensors = [torch.tensor(g, requires_grad=True) for g in grads.values()]
        for tns, g in zip(tensors, grads.values()):
            tns.grad = torch.tensor(g)
        torch_norm = float(torch.nn.utils.clip_grad_norm_(tensors, max_norm))
        torch_clipped = {k: tns.grad.numpy() for k, tns in zip(grads, tensors)}
        before = {k: g.copy() for k, g in grads.items()}
        out = _call(name, fn, grads, max_norm)
        if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], dict)):
            _fail(name, "must return a tuple (clipped_grads, total_norm)", "end with: return clipped, total_norm")
        if any(not np.array_equal(before[k], grads[k]) for k in grads):
            _fail(name, f"the input grads were modified {case}", "return new arrays (g * factor); do not scale grads in place.")
        variants = [(h, lambda m_=m_: (lambda r: r[0] | {"total_norm": r[1]})(_clip_variant(grads, max_norm, m_))) for m_, h in CLIP_MISTAKES]
        hints = {"total_norm": "total_norm = √(Σ over all arrays of Σ g²), before clipping."}
        actual = dict(out[0]) | {"total_norm": out[1]}
        _verify(name, actual, ref | {"total_norm": ref_norm}, case, 1e-12, hints, variants)
        _verify(name, actual, torch_clipped | {"total_norm": torch_norm}, case + " against torch.nn.utils.clip_grad_norm_", 1e-12, hints, variants)
    _passed(name)


def check_clipped_adam_step(fn):
    """Check ``clipped_adam_step(parameters, grads, v, s, t, max_norm, learning_rate) -> (parameters, v, s, total_norm)``."""
    from .optim import clip_grad_norm, update_parameters_with_adam

    name = "clipped_adam_step"
    for t in (1, 4):
        p, g, v, s = _adam_state(130 + t, t)
        g = {k: 5 * a for k, a in g.items()}
        cp = lambda d: {k: a.copy() for k, a in d.items()}  # noqa: E731
        max_norm, lr = 1.0, 0.01
        clipped, norm = clip_grad_norm(g, max_norm)
        ref = update_parameters_with_adam(cp(p), clipped, cp(v), cp(s), t, learning_rate=lr)
        out = _call(name, fn, cp(p), cp(g), cp(v), cp(s), t, max_norm, learning_rate=lr)
        if not (isinstance(out, tuple) and len(out) == 4):
            _fail(name, "must return a tuple (parameters, v, s, total_norm)", "end with: return parameters, v, s, total_norm")

        def flat(r):
            return _flat(r[0], "parameters") | _flat(r[1], "v") | _flat(r[2], "s")

        def unclipped():
            return flat(update_parameters_with_adam(cp(p), g, cp(v), cp(s), t, learning_rate=lr))

        variants = [("clip the gradients BEFORE the Adam update (clipping afterwards leaves the step unclipped).", unclipped)]
        hints = {k: "clipped, total_norm = clip_grad_norm(grads, max_norm); then update_parameters_with_adam(..., clipped, ...)." for k in flat(ref)}
        hints["total_norm"] = "return the norm reported by clip_grad_norm (before clipping)."
        _verify(name, flat(out[:3]) | {"total_norm": out[3]}, flat(ref) | {"total_norm": norm}, _case(t=t), 1e-12, hints, variants)
    _passed(name)


# ------------------------------------------------- 6-2P: torch.nn.RNN layout ---

LAYER_SHAPES = [(3, 4, 2, 3), (1, 1, 3, 2), (4, 2, 2, 1)]  # (T, m, n_x, H)


def _layer_case(T, m, n_x, H, seed):
    import torch

    torch.manual_seed(seed)
    rnn = torch.nn.RNN(n_x, H).double()
    params = {k: getattr(rnn, f"{k}_l0").detach().numpy().copy() for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    rng = np.random.default_rng(seed)
    return rnn, params, rng.standard_normal((T, m, n_x)), rng.standard_normal((1, m, H)), rng.standard_normal((T, m, H)), rng.standard_normal((1, m, H))


def _layer_variant(x, h0, p, mistake):
    h, outs = h0[0], []
    for t in range(x.shape[0]):
        hp = h0[0] if mistake == "no_carry" else h
        h = np.tanh(x[t] @ p["weight_ih"].T + p["bias_ih"] + hp @ p["weight_hh"].T + (0 if mistake == "one_bias" else p["bias_hh"]))
        outs.append(h)
    out = np.stack(outs)
    return {"output": out, "h_n": out[-1:]}


def check_rnn_layer_forward(fn):
    """Check ``rnn_layer_forward(x, h0, params) -> (output, h_n, cache)`` against torch.nn.RNN."""
    import torch

    name = "rnn_layer_forward"
    hints = {"output": "h_t = tanh(x_t weight_ihᵀ + bias_ih + h_{t-1} weight_hhᵀ + bias_hh), one example per row.", "h_n": "h_n = output[-1:] (shape (1, m, H))."}
    for i, (T, m, n_x, H) in enumerate(LAYER_SHAPES):
        rnn, p, x, h0, _, _ = _layer_case(T, m, n_x, H, 140 + i)
        case = _case(T=T, m=m, n_x=n_x, H=H)
        with torch.no_grad():
            out_ref, hn_ref = rnn(torch.tensor(x), torch.tensor(h0))
        out = _call(name, fn, x.copy(), h0.copy(), {k: v.copy() for k, v in p.items()})
        if not (isinstance(out, tuple) and len(out) == 3):
            _fail(name, "must return a tuple (output, h_n, cache)", "end with: return output, h_n, cache")
        variants = [
            ("torch.nn.RNN adds BOTH biases, bias_ih and bias_hh.", lambda: _layer_variant(x, h0, p, "one_bias")),
            ("the state is not carried forward: use the previous step's h (h0 only at t = 0).", lambda: _layer_variant(x, h0, p, "no_carry")),
        ]
        _verify(name, {"output": out[0], "h_n": out[1]}, {"output": out_ref.numpy(), "h_n": hn_ref.numpy()}, case + " against torch.nn.RNN", 1e-10, hints, variants)
        cache = out[2]
        if not (isinstance(cache, tuple) and len(cache) == 4 and _close(cache[0], x, 0) and _close(cache[1], h0, 0) and _close(cache[2], out_ref.numpy(), 1e-10)):
            _fail(name, "cache must be (x, h0, output, params)", "cache = (x, h0, output, params).")
    _passed(name)


def _layer_backward_variant(d_out, d_hn, cache, mistake):
    x, h0, output, p = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dwi, dwh, db = 0, 0, 0
    later = d_hn[0]
    for t in reversed(range(T)):
        g = d_out[t] if mistake == "no_carry" else d_out[t] + later
        hp = output[t - 1] if t > 0 else h0[0]
        delta = (1 - (hp if mistake == "tanh_prev" else output[t]) ** 2) * g
        dx[t] = delta @ p["weight_ih"]
        dwi, dwh, db = dwi + delta.T @ x[t], dwh + delta.T @ hp, db + delta.sum(0)
        later = delta @ (p["weight_hh"].T if mistake == "no_transpose" else p["weight_hh"])
    return {"dx": dx, "dh0": later[None], "dweight_ih": dwi, "dweight_hh": dwh, "dbias_ih": db, "dbias_hh": 0 * db if mistake == "one_bias" else db}


def check_rnn_layer_backward(fn):
    """Check ``rnn_layer_backward(d_output, d_h_n, cache)`` against torch.nn.RNN autograd."""
    import torch

    name = "rnn_layer_backward"
    hints = {
        "dx": "dx_t = δ_t weight_ih with δ_t = (1 − h_t²) ⊙ (d_output[t] + what flows back from t+1).",
        "dh0": "dh0 is what flows back from step 1 to h0: δ_1 weight_hh, shape (1, m, H).",
        "dweight_ih": "d weight_ih = Σ_t δ_tᵀ x_t.",
        "dweight_hh": "d weight_hh = Σ_t δ_tᵀ h_{t-1}.",
        "dbias_ih": "d bias_ih = Σ_t Σ_examples δ_t.",
        "dbias_hh": "d bias_hh = d bias_ih: z depends on bias_ih + bias_hh.",
    }
    for i, (T, m, n_x, H) in enumerate(LAYER_SHAPES):
        rnn, p, x, h0, d_out, d_hn = _layer_case(T, m, n_x, H, 150 + i)
        case = _case(T=T, m=m, n_x=n_x, H=H)
        xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
        output, h_n = rnn(xt, h0t)
        (output * torch.tensor(d_out)).sum().add((h_n * torch.tensor(d_hn)).sum()).backward()
        expected = {"dx": xt.grad.numpy(), "dh0": h0t.grad.numpy()}
        expected |= {f"d{k}": getattr(rnn, f"{k}_l0").grad.numpy() for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        cache = (x, h0, output.detach().numpy().copy(), p)
        out = _call(name, fn, d_out.copy(), d_hn.copy(), cache)
        if not isinstance(out, dict):
            _fail(name, "must return a dict", f"return a dict with keys {list(expected)}.")
        variants = [
            ("the gradient from step t+1 is not added back: g_t = d_output[t] + δ_{t+1} weight_hh.", lambda: _layer_backward_variant(d_out, d_hn, cache, "no_carry")),
            ("tanh′ belongs to this step's state: (1 − h_t²), not (1 − h_{t-1}²).", lambda: _layer_backward_variant(d_out, d_hn, cache, "tanh_prev")),
            ("rows hold examples: what flows back to h_{t-1} is δ_t weight_hh (no transpose).", lambda: _layer_backward_variant(d_out, d_hn, cache, "no_transpose")),
            ("bias_hh gets the same gradient as bias_ih.", lambda: _layer_backward_variant(d_out, d_hn, cache, "one_bias")),
        ]
        _verify(name, out, expected, case + " against torch autograd", 1e-10, hints, variants, _only_last_step_right_time_major)
    _passed(name)


def _only_last_step_right_time_major(key, act, exp):
    if act.ndim == 3 and act.shape[0] > 1 and _close(act[-1], exp[-1], 1e-8):
        return "only the last time step is right: add what flows back from step t+1 to d_output[t]."
    return None


CHECKS = {
    "rnn_cell_forward": check_rnn_cell_forward,
    "rnn_forward": check_rnn_forward,
    "rnn_cell_backward": check_rnn_cell_backward,
    "rnn_backward": check_rnn_backward,
    "gradients_w_b": check_gradients_w_b,
    "clip_grad_norm": check_clip_grad_norm,
    "rnn_layer_forward": check_rnn_layer_forward,
    "rnn_layer_backward": check_rnn_layer_backward,
    "lstm_cell_forward": check_lstm_cell_forward,
    "lstm_forward": check_lstm_forward,
    "lstm_cell_backward": check_lstm_cell_backward,
    "lstm_backward": check_lstm_backward,
    "initialize_adam": check_initialize_adam,
    "update_parameters_with_adam": check_update_parameters_with_adam,
    "clipped_adam_step": check_clipped_adam_step,
}


def run_check(name, fn):
    """Run CHECKS[name] on fn quietly; return (passed: bool, message: str). Used by bptt.grade."""
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            CHECKS[name](fn)
    except (AssertionError, NotImplementedError) as exc:
        return False, str(exc)
    except Exception as exc:  # a check must never crash the grader
        return False, f"{type(exc).__name__}: {exc}"
    return True, f"{name}: all checks passed"
