"""The small models of the "other ways to deepen" experiment and their input gradients.

Deep transition, with and without a shortcut, and deep output, after Pascanu,
Gulcehre, Cho & Bengio, "How to construct deep recurrent neural networks",
ICLR 2014; each returns ∂L_T/∂x_k for every k.  The stacked and bidirectional
networks are in :mod:`bptt.deep`.
"""

import numpy as np

from .shapes import (
    float_array,
    require_integer,
    require_keys,
    require_ndim,
    require_real,
)

DEEPEN_KINDS = (
    "shallow",
    "stacked",
    "deep-transition",
    "deep-transition-shortcut",
    "deep-output",
)


def deepen_parameters(D, M, seed=0, scale=1.0):
    """One shared draw for every kind: orthogonal recurrent/transition matrices times ``scale``.

    Raises:
        ValueError: D, M not integers ≥ 1, seed not an integer ≥ 0, scale not a finite real > 0.
    """
    D, M = require_integer("D", D, 1), require_integer("M", M, 1)
    seed = require_integer("seed", seed, 0)
    scale = require_real("scale", scale, low=0, low_open=True)
    rng = np.random.default_rng(seed)

    def orth():
        q, r = np.linalg.qr(rng.standard_normal((D, D)))
        return scale * q * np.sign(np.diag(r))

    return {
        "U1": orth(),
        "U2": orth(),
        "S": orth(),
        "W1": rng.standard_normal((D, M)) / np.sqrt(M),
        "W2": orth(),
        "V1": orth(),
        "V2": orth(),
    }


def deepen_input_gradients(kind, x, g, p):
    """‖∂L/∂x_k‖ for k = 1 … T with L = g·(output at T), for one kind of deepening.

    Kinds (tanh everywhere, no biases):
        shallow:                  h_t = tanh(U1 h_{t-1} + W1 x_t)
        stacked:                  a_t = tanh(U1 a_{t-1} + W1 x_t), h_t = tanh(U2 h_{t-1} + W2 a_t)
        deep-transition:          a_t = tanh(U1 h_{t-1} + W1 x_t), h_t = tanh(U2 a_t)
        deep-transition-shortcut: a_t = tanh(U1 h_{t-1} + W1 x_t), h_t = tanh(U2 a_t + S h_{t-1})
        deep-output:              shallow h_t, output y_T = V2 tanh(V1 h_T)
    The output is h_T except for deep-output (y_T).

    Args:
        kind: one of DEEPEN_KINDS.  x: (T, M).  g: (D,).  p: from deepen_parameters.

    Returns:
        array (T,) of ‖∂L/∂x_k‖.

    Raises:
        ValueError: an unknown kind; p without the keys of deepen_parameters; or x, g, an entry of p not a finite
            float array of the shapes above (integer and float16 are converted).
    """
    if not isinstance(kind, str) or kind not in DEEPEN_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {DEEPEN_KINDS}")
    require_keys(p, ("U1", "U2", "S", "W1", "W2", "V1", "V2"), "p")
    D, M = require_ndim("p['W1']", p["W1"], 2, "(D, M)").shape
    p = {
        k: float_array(
            f"p['{k}']",
            p[k],
            2,
            "(D, M)" if k == "W1" else "(D, D)",
            shape=(D, M) if k == "W1" else (D, D),
            source="D, M from p['W1']",
        )
        for k in ("U1", "U2", "S", "W1", "W2", "V1", "V2")
    }
    x = float_array(
        "x",
        x,
        2,
        "(T, M)",
        shape=(require_ndim("x", x, 2, "(T, M)").shape[0], M),
        source="M from p['W1']",
    )
    g = float_array("g", g, 1, "(D,)", shape=(D,), source="D from p['W1']")
    T = x.shape[0]
    a, h = (
        np.zeros((T + 1, D)),
        np.zeros((T + 1, D)),
    )  # a: first layer / transition layer; h: the state
    for t in range(T):
        if kind == "stacked":
            a[t + 1] = np.tanh(p["U1"] @ a[t] + p["W1"] @ x[t])
            h[t + 1] = np.tanh(p["U2"] @ h[t] + p["W2"] @ a[t + 1])
        elif kind.startswith("deep-transition"):
            a[t + 1] = np.tanh(p["U1"] @ h[t] + p["W1"] @ x[t])
            h[t + 1] = np.tanh(
                p["U2"] @ a[t + 1]
                + (p["S"] @ h[t] if kind.endswith("shortcut") else 0.0)
            )
        else:
            h[t + 1] = np.tanh(p["U1"] @ h[t] + p["W1"] @ x[t])
    dh = g.copy()
    if kind == "deep-output":  # y_T = V2 tanh(V1 h_T): one extra Jacobian, once
        o = np.tanh(p["V1"] @ h[T])
        dh = p["V1"].T @ ((1 - o**2) * (p["V2"].T @ g))
    da = np.zeros(D)  # stacked: gradient reaching a_t from above-and-later
    norms = np.zeros(T)
    for t in reversed(range(T)):  # state h[t+1] -> h[t]
        if kind == "stacked":
            dz2 = (1 - h[t + 1] ** 2) * dh
            dz1 = (1 - a[t + 1] ** 2) * (da + p["W2"].T @ dz2)
            dh, da = p["U2"].T @ dz2, p["U1"].T @ dz1
        elif kind.startswith("deep-transition"):
            dz2 = (1 - h[t + 1] ** 2) * dh
            dz1 = (1 - a[t + 1] ** 2) * (p["U2"].T @ dz2)
            dh = p["U1"].T @ dz1 + (
                p["S"].T @ dz2 if kind.endswith("shortcut") else 0.0
            )
        else:
            dz1 = (1 - h[t + 1] ** 2) * dh
            dh = p["U1"].T @ dz1
        norms[t] = np.linalg.norm(p["W1"].T @ dz1)
    return norms
