"""The simple (Elman) RNN, forward and backward, in the deeplearning.ai layout.

Layout: one column per example.  x has shape (n_x, m, T_x), hidden states
(n_a, m, T_x).  Names map to NNDL §6.2/§6.4 as

    Waa ↔ U (recurrent),  Wax ↔ W (input),  ba ↔ b,  a⟨t⟩ ↔ h_t,
    Wax·x⟨t⟩ + Waa·a⟨t-1⟩ + ba ↔ z_t.

Backward functions take the upstream gradient of the loss with respect to the
hidden state, so ``dtanh`` below is ∂L/∂z_t: the sum over losses of NNDL's
error terms δ_{s,t} (s ≥ t).  Each backward sits right under its forward.
"""

import numpy as np

from .activations import softmax
from .shapes import require_keys, require_ndim, require_shape

RNN_KEYS = ("Wax", "Waa", "Wya", "ba", "by")


def _check_rnn_parameters(parameters):
    """Validate the parameter dict; return (n_a, n_x, n_y)."""
    require_keys(parameters, RNN_KEYS)
    Wax = require_ndim("parameters['Wax']", parameters["Wax"], 2, "(n_a, n_x)")
    n_a, n_x = Wax.shape
    Wya = require_ndim("parameters['Wya']", parameters["Wya"], 2, "(n_y, n_a)")
    n_y = Wya.shape[0]
    require_shape("parameters['Waa']", parameters["Waa"], (n_a, n_a))
    require_shape("parameters['Wya']", Wya, (n_y, n_a))
    require_shape("parameters['ba']", parameters["ba"], (n_a, 1))
    require_shape("parameters['by']", parameters["by"], (n_y, 1))
    return n_a, n_x, n_y


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the simple RNN.

    a⟨t⟩ = tanh(Wax x⟨t⟩ + Waa a⟨t-1⟩ + ba),  ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by).

    Args:
        xt: input at step t, shape (n_x, m), float.
        a_prev: hidden state a⟨t-1⟩, shape (n_a, m).
        parameters: dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a),
            ba (n_a, 1), by (n_y, 1).

    Returns:
        a_next: a⟨t⟩, shape (n_a, m).
        yt_pred: ŷ⟨t⟩, shape (n_y, m); each column sums to 1.
        cache: (a_next, a_prev, xt, parameters), read by rnn_cell_backward.

    Raises:
        ValueError: a missing parameter key, or any shape that disagrees with
            the ones above (the message names expected and actual shapes).

    Source: NNDL §6.2 (z_t = U h_{t-1} + W x_t + b, h_t = f(z_t)) with f = tanh; deeplearning.ai C5W1 ``rnn_cell_forward``.
    """
    n_a, n_x, _ = _check_rnn_parameters(parameters)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    require_shape("xt", xt, (n_x, m), "n_x from parameters['Wax'], n_a from parameters['Waa']")
    require_shape("a_prev", a_prev, (n_a, m))

    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + parameters["ba"])
    yt_pred = softmax(Wya @ a_next + parameters["by"])
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_cell_backward(da_next, cache):
    """Backward pass of one RNN step.

    With dtanh = (1 − a⟨t⟩²) ⊙ da_next (= ∂L/∂z_t):
    dxt = Waxᵀ dtanh, da_prev = Waaᵀ dtanh, dWax = dtanh x⟨t⟩ᵀ,
    dWaa = dtanh a⟨t-1⟩ᵀ, dba = Σ over the batch axis of dtanh.

    Args:
        da_next: ∂L/∂a⟨t⟩, shape (n_a, m).
        cache: the tuple (a_next, a_prev, xt, parameters) from rnn_cell_forward.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dWax (n_a, n_x),
        dWaa (n_a, n_a), dba (n_a, 1).

    Raises:
        ValueError: if da_next's shape differs from a_next's.

    Source: NNDL (6.36)-(6.41) for one step; deeplearning.ai C5W1 ``rnn_cell_backward``.
    """
    a_next, a_prev, xt, parameters = cache
    require_shape("da_next", da_next, a_next.shape)

    dtanh = (1.0 - a_next**2) * da_next  # tanh'(z) written with the output: 1 - tanh(z)²
    return {
        "dxt": parameters["Wax"].T @ dtanh,
        "da_prev": parameters["Waa"].T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ a_prev.T,
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


def rnn_forward(x, a0, parameters):
    """Run the simple RNN over a whole sequence.

    Args:
        x: inputs, shape (n_x, m, T_x).
        a0: initial hidden state a⟨0⟩, shape (n_a, m).
        parameters: as in rnn_cell_forward.

    Returns:
        a: hidden states a⟨1⟩ … a⟨T_x⟩, shape (n_a, m, T_x).
        y_pred: predictions, shape (n_y, m, T_x).
        caches: (list of T_x step caches, x), read by rnn_backward.

    Raises:
        ValueError: x not 3-D, a0 not (n_a, m), n_x of x not matching Wax,
            or a missing / mis-shaped parameter.

    Source: NNDL §6.2 unrolled over time; deeplearning.ai C5W1 ``rnn_forward``.
    """
    n_a, n_x, n_y = _check_rnn_parameters(parameters)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    require_shape("x", x, (n_x, m, T_x), "n_x from parameters['Wax'], n_a from parameters['Waa']")
    require_shape("a0", a0, (n_a, m), "n_x from parameters['Wax'], n_a from parameters['Waa']")

    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def rnn_backward(da, caches):
    """Backpropagation through time for the simple RNN.

    One reversed pass: at step t the gradient reaching a⟨t⟩ is the upstream
    da[:, :, t] *plus* what flows back from step t+1 (da_prevt).  Forgetting
    the second term leaves only the last step right.

    Args:
        da: ∂L/∂a⟨t⟩ from the layers above, for every t, shape (n_a, m, T).
            The number of steps is T = da.shape[2]; the first T step caches
            are used (deeplearning.ai's convention), so T may not exceed them.
        caches: (list of step caches, x) from rnn_forward.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m), dWax (n_a, n_x),
        dWaa (n_a, n_a), dba (n_a, 1).

    Raises:
        ValueError: da not 3-D, or its (n_a, m) not matching the caches, or
            more steps than caches.

    Source: NNDL §6.4.1, eqs. (6.36), (6.39)-(6.41) after swapping the sums;
    deeplearning.ai C5W1 ``rnn_backward``.
    """
    step_caches, x = caches
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    a1, _, x1, parameters = step_caches[0]
    n_a, m = a1.shape
    n_x = x1.shape[0]
    T = da.shape[2]
    require_shape("da", da, (n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")

    dx = np.zeros((n_x, m, T))
    dWax = np.zeros_like(parameters["Wax"], dtype=np.float64)
    dWaa = np.zeros_like(parameters["Waa"], dtype=np.float64)
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = grads["dxt"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
        da_prevt = grads["da_prev"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def random_rnn_parameters(n_x, n_a, n_y, rng):
    """Gaussian parameters for examples, tests and self-checks.

    Wax, Wya, ba, by ~ N(0, 1) and Waa ~ 0.5·N(0, 1), drawn from ``rng`` in
    that order (so a seeded generator always gives the same dict).  The
    factor 0.5 keeps gradients of short sequences neither vanishing nor
    exploding, which makes finite-difference checks well conditioned.

    Args:
        n_x, n_a, n_y: input, hidden and output sizes.
        rng: a ``numpy.random.Generator``.

    Returns:
        dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1),
        by (n_y, 1), float64.
    """
    return {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": 0.5 * rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }
