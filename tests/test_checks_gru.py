"""The GRU self-checks (bptt.checks.gru) against student-style code.

Three correct implementations of each graded function, in different styles,
must pass; each planted mistake must fail with the hint that names it; the
untouched exercise notebook must fail with NotImplementedError.  The code here
is written like a student would write it, not taken from the checks' own
diagnosis code, so these tests can fail.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest

from bptt import checks, sigmoid, softmax

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("gru_cell_forward", "gru_forward", "gru_cell_backward", "gru_backward")


# ------------------------------------------------ style A: @, lists + np.stack, with planted bugs


def cell_forward_a(xt, a_prev, p, bug=None):
    if bug == "w_u_swapped":  # crashes: Uz is (n_a, n_a) and xt has n_x != n_a rows
        zt = sigmoid(p["Uz"] @ xt + p["Wz"] @ a_prev + p["bz"])
    zt = sigmoid(p["Wz"] @ xt + p["Uz"] @ a_prev + p["bz"])
    rt = sigmoid(p["Wr"] @ xt + p["Ur"] @ a_prev + p["br"])
    if bug == "reset_after":
        a_tilde = np.tanh(p["Wh"] @ xt + rt * (p["Uh"] @ a_prev) + p["bh"])
    elif bug == "no_reset":
        a_tilde = np.tanh(p["Wh"] @ xt + p["Uh"] @ a_prev + p["bh"])
    else:
        a_tilde = np.tanh(p["Wh"] @ xt + p["Uh"] @ (rt * a_prev) + p["bh"])
    if bug == "z_swapped":
        a_next = (1 - zt) * a_prev + zt * a_tilde
    else:
        a_next = zt * a_prev + (1 - zt) * a_tilde
    logits = p["Wy"] @ a_next + p["by"]
    yt_pred = logits if bug == "no_softmax" else softmax(logits)
    return a_next, yt_pred, (a_next, a_prev, zt, rt, a_tilde, xt, p)


def forward_a(x, a0, p, bug=None, cell_bug=None):
    a_next, states, ys, caches = a0, [], [], []
    for t in range(x.shape[2]):
        a_in = a0 if bug == "no_carry" else a_next
        a_next, yt, cache = cell_forward_a(x[:, :, t], a_in, p, cell_bug)
        states.append(a_next)
        ys.append(yt)
        caches.append(cache)
    return np.stack(states, axis=2), np.stack(ys, axis=2), (caches, x)


def cell_backward_a(da_next, cache, bug=None):
    a_next, a_prev, zt, rt, a_tilde, xt, p = cache
    if bug == "z_swapped":
        keep, write, gap = 1 - zt, zt, a_tilde - a_prev
    else:
        keep, write, gap = zt, 1 - zt, a_prev - a_tilde
    if bug == "dz_sign":
        gap = a_tilde - a_prev
    d_tilde = da_next if bug == "no_one_minus_z" else da_next * write
    dh = d_tilde * (1 - a_tilde**2)
    if bug == "gate_derivative":  # tanh's derivative used for the sigmoid gates
        dz = da_next * gap * (1 - zt**2)
    else:
        dz = da_next * gap * zt * (1 - zt)
    if bug == "reset_after":  # the backward of rt ⊙ (Uh a_prev)
        dr = dh * (p["Uh"] @ a_prev) * rt * (1 - rt)
        da_prev = p["Uh"].T @ (dh * rt)
        dUh = (dh * rt) @ a_prev.T
    elif bug == "no_reset":
        dr = np.zeros_like(rt)
        da_prev = p["Uh"].T @ dh
        dUh = dh @ a_prev.T
    else:
        d_reset = p["Uh"].T @ dh
        dr = d_reset * a_prev * rt * (1 - rt)
        da_prev = d_reset * rt
        dUh = dh @ (rt * a_prev).T
    if bug != "no_direct":
        da_prev = da_prev + da_next * keep
    da_prev = da_prev + p["Uz"].T @ dz + p["Ur"].T @ dr
    bias = (
        (lambda d: np.mean(d, axis=1, keepdims=True))
        if bug == "mean_bias"
        else (lambda d: np.sum(d, axis=1, keepdims=True))
    )
    return {
        "dxt": p["Wz"].T @ dz + p["Wr"].T @ dr + p["Wh"].T @ dh,
        "da_prev": da_prev,
        "dWz": xt @ dz.T if bug == "transpose" else dz @ xt.T,
        "dUz": dz @ a_prev.T,
        "dbz": bias(dz),
        "dWr": dr @ xt.T,
        "dUr": dr @ a_prev.T,
        "dbr": bias(dr),
        "dWh": dh @ xt.T,
        "dUh": dUh,
        "dbh": bias(dh),
    }


def backward_a(da, caches, bug=None, cell_bug=None):
    steps, x = caches
    n_a, m, T = da.shape
    dxs, sums, da_prevt = [], {}, np.zeros((n_a, m))
    for t in reversed(range(T)):
        upstream = da[:, :, t] if bug == "no_carry" else da[:, :, t] + da_prevt
        g = cell_backward_a(upstream, steps[t], cell_bug)
        dxs.insert(0, g["dxt"])
        sums = {
            k: sums.get(k, 0) + v for k, v in g.items() if k not in ("dxt", "da_prev")
        }
        da_prevt = g["da_prev"]
    return {"dx": np.stack(dxs, axis=2), "da0": da_prevt} | sums


# ------------------------------------------------ style B: np.dot, preallocated arrays, in-place +=


def cell_forward_b(xt, a_prev, parameters):
    W = {g: parameters["W" + g] for g in "zrh"}
    U = {g: parameters["U" + g] for g in "zrh"}
    b = {g: parameters["b" + g] for g in "zrh"}
    zt = 1 / (1 + np.exp(-(np.dot(W["z"], xt) + np.dot(U["z"], a_prev) + b["z"])))
    rt = 1 / (1 + np.exp(-(np.dot(W["r"], xt) + np.dot(U["r"], a_prev) + b["r"])))
    a_tilde = np.tanh(
        np.dot(W["h"], xt) + np.dot(U["h"], np.multiply(rt, a_prev)) + b["h"]
    )
    a_next = a_tilde + zt * (a_prev - a_tilde)  # = z a_prev + (1 - z) a_tilde
    e = np.exp(np.dot(parameters["Wy"], a_next) + parameters["by"])
    return a_next, e / e.sum(axis=0), (a_next, a_prev, zt, rt, a_tilde, xt, parameters)


def forward_b(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_prev = a0
    for t in range(T_x):
        a_prev, y_pred[:, :, t], cache = cell_forward_b(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_prev
        caches.append(cache)
    return a, y_pred, (caches, x)


def cell_backward_b(da_next, cache):
    a_next, a_prev, zt, rt, a_tilde, xt, p = cache
    dz = np.multiply(da_next * (a_prev - a_tilde), zt * (1 - zt))
    dh = np.multiply(da_next * (1 - zt), 1 - np.square(a_tilde))
    d_reset = np.dot(p["Uh"].T, dh)
    dr = d_reset * a_prev * rt * (1 - rt)
    dxt = np.zeros_like(xt)
    da_prev = da_next * zt
    da_prev += rt * d_reset
    for g, d in (("z", dz), ("r", dr), ("h", dh)):
        dxt += np.dot(p["W" + g].T, d)
    da_prev += np.dot(p["Uz"].T, dz)
    da_prev += np.dot(p["Ur"].T, dr)
    return {
        "dxt": dxt,
        "da_prev": da_prev,
        "dWz": np.dot(dz, xt.T),
        "dUz": np.dot(dz, a_prev.T),
        "dbz": dz.sum(axis=1, keepdims=True),
        "dWr": np.dot(dr, xt.T),
        "dUr": np.dot(dr, a_prev.T),
        "dbr": dr.sum(axis=1, keepdims=True),
        "dWh": np.dot(dh, xt.T),
        "dUh": np.dot(dh, (rt * a_prev).T),
        "dbh": dh.sum(axis=1, keepdims=True),
    }


def backward_b(da, caches):
    steps, x = caches
    n_a, m, T = da.shape
    p = steps[0][6]
    dx = np.zeros((x.shape[0], m, T))
    grads = {
        "d" + k: np.zeros(p[k].shape)
        for k in ("Wz", "Uz", "bz", "Wr", "Ur", "br", "Wh", "Uh", "bh")
    }
    da_prevt = np.zeros((n_a, m))
    for t in range(T - 1, -1, -1):
        g = cell_backward_b(da[:, :, t] + da_prevt, steps[t])
        dx[:, :, t] = g["dxt"]
        for k in grads:
            grads[k] += g[k]
        da_prevt = g["da_prev"]
    grads["dx"], grads["da0"] = dx, da_prevt
    return grads


# ------------------------------------------------ style C: stacked gate matrices, one product each


def cell_forward_c(xt, a_prev, p):
    n_a = a_prev.shape[0]
    zr = sigmoid(
        np.vstack([p["Wz"], p["Wr"]]) @ xt
        + np.vstack([p["Uz"], p["Ur"]]) @ a_prev
        + np.vstack([p["bz"], p["br"]])
    )
    zt, rt = zr[:n_a], zr[n_a:]
    a_tilde = np.tanh(
        np.hstack([p["Wh"], p["Uh"]]) @ np.vstack([xt, rt * a_prev]) + p["bh"]
    )
    a_next = np.einsum("im,im->im", zt, a_prev) + np.einsum(
        "im,im->im", 1 - zt, a_tilde
    )
    return (
        a_next,
        softmax(p["Wy"] @ a_next + p["by"]),
        (a_next, a_prev, zt, rt, a_tilde, xt, p),
    )


def forward_c(x, a0, p):
    outs = []
    a_prev = a0
    for xt in np.moveaxis(x, 2, 0):
        a_prev, yt, cache = cell_forward_c(xt, a_prev, p)
        outs.append((a_prev, yt, cache))
    a, y, caches = zip(*outs)
    return np.dstack(a), np.dstack(y), (list(caches), x)


def cell_backward_c(da_next, cache):
    a_next, a_prev, zt, rt, a_tilde, xt, p = cache
    n_x = xt.shape[0]
    d = {
        "z": da_next * (a_prev - a_tilde) * zt * (1 - zt),
        "h": da_next * (1 - zt) * (1 - a_tilde**2),
    }
    d_in_h = np.hstack([p["Wh"], p["Uh"]]).T @ d["h"]  # gradient of [xt; rt ⊙ a_prev]
    d["r"] = d_in_h[n_x:] * a_prev * rt * (1 - rt)
    out = {
        "dxt": d_in_h[:n_x] + p["Wz"].T @ d["z"] + p["Wr"].T @ d["r"],
        "da_prev": da_next * zt
        + d_in_h[n_x:] * rt
        + p["Uz"].T @ d["z"]
        + p["Ur"].T @ d["r"],
    }
    for g in "zrh":
        out["dW" + g] = np.einsum("im,jm->ij", d[g], xt)
        out["dU" + g] = np.einsum(
            "im,jm->ij", d[g], rt * a_prev if g == "h" else a_prev
        )
        out["db" + g] = d[g].sum(axis=1)[:, None]
    return out


def backward_c(da, caches):
    steps, x = caches
    T = da.shape[2]
    per_step, carry = [None] * T, 0
    for t in reversed(range(T)):
        per_step[t] = cell_backward_c(da[:, :, t] + carry, steps[t])
        carry = per_step[t]["da_prev"]
    out = {
        k: sum(g[k] for g in per_step)
        for k in per_step[0]
        if k not in ("dxt", "da_prev")
    }
    return out | {"dx": np.stack([g["dxt"] for g in per_step], axis=-1), "da0": carry}


CORRECT = {
    "gru_cell_forward": (cell_forward_a, cell_forward_b, cell_forward_c),
    "gru_forward": (forward_a, forward_b, forward_c),
    "gru_cell_backward": (cell_backward_a, cell_backward_b, cell_backward_c),
    "gru_backward": (backward_a, backward_b, backward_c),
}


def _bug(fn, bug=None, **extra):
    def planted(*args):
        return fn(*args, bug=bug, **extra)

    planted.__name__ = f"{fn.__name__}[{bug or extra}]"
    return planted


# (check, planted implementation, words the HINT must contain)
MISTAKES = [
    ("gru_cell_forward", _bug(cell_forward_a, "z_swapped"), "keeps the OLD state"),
    (
        "gru_cell_forward",
        _bug(cell_forward_a, "reset_after"),
        "BEFORE the recurrent product",
    ),
    ("gru_cell_forward", _bug(cell_forward_a, "no_reset"), "reset gate is missing"),
    ("gru_cell_forward", _bug(cell_forward_a, "no_softmax"), "softmax is missing"),
    (
        "gru_cell_forward",
        _bug(cell_forward_a, "w_u_swapped"),
        "the input weights W• are (n_a, n_x)",
    ),
    ("gru_forward", _bug(forward_a, "no_carry"), "not carried forward"),
    ("gru_forward", _bug(forward_a, None, cell_bug="z_swapped"), "keeps the OLD state"),
    ("gru_cell_backward", _bug(cell_backward_a, "z_swapped"), "keeps the OLD state"),
    (
        "gru_cell_backward",
        _bug(cell_backward_a, "reset_after"),
        "BEFORE the recurrent product",
    ),
    ("gru_cell_backward", _bug(cell_backward_a, "no_reset"), "reset gate is missing"),
    (
        "gru_cell_backward",
        _bug(cell_backward_a, "gate_derivative"),
        "the gates are sigmoids",
    ),
    ("gru_cell_backward", _bug(cell_backward_a, "no_direct"), "misses the direct path"),
    (
        "gru_cell_backward",
        _bug(cell_backward_a, "no_one_minus_z"),
        "multiplied by (1 − zt)",
    ),
    (
        "gru_cell_backward",
        _bug(cell_backward_a, "dz_sign"),
        "a_prev − a_tilde (not a_tilde − a_prev)",
    ),
    (
        "gru_cell_backward",
        _bug(cell_backward_a, "mean_bias"),
        "sums over the batch axis, not means",
    ),
    ("gru_cell_backward", _bug(cell_backward_a, "transpose"), "transposed"),
    ("gru_backward", _bug(backward_a, "no_carry"), "not added back"),
    (
        "gru_backward",
        _bug(backward_a, None, cell_bug="no_direct"),
        "misses the direct path",
    ),
    ("gru_backward", _bug(backward_a, None, cell_bug="mean_bias"), "not means"),
    (
        "gru_backward",
        _bug(backward_a, None, cell_bug="reset_after"),
        "BEFORE the recurrent product",
    ),
]


def test_the_four_checks_are_registered():
    for name in NAMES:
        assert checks.CHECKS[name] is getattr(checks, f"check_{name}")
    assert {name for name, _, _ in MISTAKES} == set(NAMES)


@pytest.mark.parametrize(("name", "style"), [(n, i) for n in NAMES for i in range(3)])
def test_three_correct_styles_pass(name, style, capsys):
    checks.CHECKS[name](CORRECT[name][style])
    assert capsys.readouterr().out == f"{name}: all checks passed\n"


@pytest.mark.parametrize(
    ("name", "planted", "hint"), MISTAKES, ids=[f.__name__ for _, f, _ in MISTAKES]
)
def test_planted_mistake_is_caught_with_its_hint(name, planted, hint, capsys):
    with pytest.raises(AssertionError) as info:
        checks.CHECKS[name](planted)
    message = str(info.value)
    assert message.startswith(f"{name}:"), message
    assert hint in message.split("HINT:", 1)[1], message
    assert "all checks passed" not in capsys.readouterr().out


def test_the_cases_cover_one_example_one_step_and_n_x_unlike_n_a():
    for name in NAMES:
        labels = [c.label for c in checks.CHECKS[name].cases()]
        assert any("m=1" in s for s in labels), name
        assert all("n_x=" in s and "n_a=" in s for s in labels), name
    labels = [c.label for c in checks.CHECKS["gru_backward"].cases()]
    assert any("T=1" in s for s in labels)
    assert all(
        c.args[1][1].shape[0] != c.args[1][0][0][0].shape[0]
        for c in checks.CHECKS["gru_backward"].cases()
    )


def test_forward_with_a_wrong_cell_blames_the_cell():
    """gru_forward calling the student's own wrong gru_cell_forward names that function."""
    namespace = {"np": np, "gru_cell_forward": _bug(cell_forward_a, "no_reset")}
    exec(
        "def gru_forward(x, a0, p):\n"
        "    states, ys, caches, a_next = [], [], [], a0\n"
        "    for t in range(x.shape[2]):\n"
        "        a_next, yt, cache = gru_cell_forward(x[:, :, t], a_next, p)\n"
        "        states.append(a_next); ys.append(yt); caches.append(cache)\n"
        "    return np.stack(states, 2), np.stack(ys, 2), (caches, x)\n",
        namespace,
    )
    with pytest.raises(AssertionError, match="fix gru_cell_forward first"):
        checks.check_gru_forward(namespace["gru_forward"])


def test_untouched_exercise_fails_with_not_implemented():
    nb = nbformat.read(ROOT / "exercises" / "gru.ipynb", as_version=4)
    assert nb.metadata["bptt"]["graded"] == list(NAMES)
    namespace = {}
    for cell in (
        nb.cells
    ):  # the imports and the function stubs, not the install cell or the checks
        if cell.cell_type == "code" and cell.source.startswith(
            ("import ", "from ", "def ")
        ):
            exec(cell.source, namespace)
    for name in NAMES:
        with pytest.raises(NotImplementedError, match="is not implemented yet"):
            checks.CHECKS[name](namespace[name])
