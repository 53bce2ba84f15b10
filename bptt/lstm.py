"""The LSTM, forward and backward, in the deeplearning.ai layout.

Layout: one column per example.  x has shape (n_x, m, T_x), hidden and cell
states (n_a, m, T_x).  Each gate acts on the stacked vector
concat = [a⟨t-1⟩; x⟨t⟩] of n_a + n_x rows, hidden state FIRST.  Names map to
NNDL §6.6 as

    Wf ↔ [U_f W_f] (recurrent block first),  bf ↔ b_f,  ft ↔ f_t (forget gate),
    Wi ↔ [U_i W_i],  bi ↔ b_i,  it ↔ i_t (input gate; deeplearning.ai's Γ_u),
    Wc ↔ [U_c W_c],  bc ↔ b_c,  cct ↔ c̃_t (candidate cell),
    Wo ↔ [U_o W_o],  bo ↔ b_o,  ot ↔ o_t (output gate),
    a⟨t⟩ ↔ h_t,  c⟨t⟩ ↔ c_t.

Backward functions take the upstream gradients of the loss with respect to
a⟨t⟩ and c⟨t⟩.  The gate gradients they compute (dft, dit, dcct, dot) are
with respect to the gates' pre-activations, i.e. before σ or tanh.  Each
backward sits right under its forward.
"""

import numpy as np

from .activations import sigmoid, softmax
from .shapes import require_keys, require_ndim, require_shape

LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
GATES = ("f", "i", "c", "o")


def _check_lstm_parameters(parameters):
    """Validate the parameter dict; return (n_a, n_x, n_y)."""
    require_keys(parameters, LSTM_KEYS)
    Wf = require_ndim("parameters['Wf']", parameters["Wf"], 2, "(n_a, n_a + n_x)")
    n_a, n_concat = Wf.shape
    n_x = n_concat - n_a
    if n_a < 1 or n_x < 1:
        raise ValueError(
            f"parameters['Wf'] must have shape (n_a, n_a + n_x) with n_a, n_x >= 1, got {Wf.shape}"
        )
    Wy = require_ndim("parameters['Wy']", parameters["Wy"], 2, "(n_y, n_a)")
    n_y = Wy.shape[0]
    for gate in GATES:
        require_shape(f"parameters['W{gate}']", parameters[f"W{gate}"], (n_a, n_a + n_x))
        require_shape(f"parameters['b{gate}']", parameters[f"b{gate}"], (n_a, 1))
    require_shape("parameters['Wy']", Wy, (n_y, n_a))
    require_shape("parameters['by']", parameters["by"], (n_y, 1))
    return n_a, n_x, n_y


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One step of the LSTM.

    With concat = [a⟨t-1⟩; x⟨t⟩]:
    ft = σ(Wf concat + bf),  it = σ(Wi concat + bi),  cct = tanh(Wc concat + bc),
    c⟨t⟩ = ft ⊙ c⟨t-1⟩ + it ⊙ cct,  ot = σ(Wo concat + bo),
    a⟨t⟩ = ot ⊙ tanh(c⟨t⟩),  ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by).

    Args:
        xt: input at step t, shape (n_x, m), float.
        a_prev: hidden state a⟨t-1⟩, shape (n_a, m).
        c_prev: cell state c⟨t-1⟩, shape (n_a, m).
        parameters: dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x) acting on
            [a_prev; xt]; bf, bi, bc, bo (n_a, 1); Wy (n_y, n_a); by (n_y, 1).

    Returns:
        a_next: a⟨t⟩, shape (n_a, m).
        c_next: c⟨t⟩, shape (n_a, m).
        yt_pred: ŷ⟨t⟩, shape (n_y, m); each column sums to 1.
        cache: (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
            read by lstm_cell_backward.

    Raises:
        ValueError: a missing parameter key (all missing keys are listed), or
            any shape that disagrees with the ones above (the message names
            expected and actual shapes).

    Source: NNDL §6.6 (LSTM: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t, h_t = o_t ⊙ tanh(c_t));
    deeplearning.ai C5W1 ``lstm_cell_forward``.
    """
    n_a, n_x, _ = _check_lstm_parameters(parameters)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    require_shape("xt", xt, (n_x, m), "n_a, n_x from parameters['Wf'] of shape (n_a, n_a + n_x)")
    require_shape("a_prev", a_prev, (n_a, m))
    require_shape("c_prev", c_prev, (n_a, m))

    p = parameters
    concat = np.concatenate([a_prev, xt], axis=0)  # hidden state first
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_backward(da_next, dc_next, cache):
    """Backward pass of one LSTM step (gate gradients w.r.t. pre-activations).

    Compact form: dc = dc_next + ot ⊙ (1 − tanh²(c⟨t⟩)) ⊙ da_next is the total
    gradient reaching c⟨t⟩.  Then
    dot = da_next ⊙ tanh(c⟨t⟩) ⊙ ot(1 − ot),  dcct = dc ⊙ it ⊙ (1 − cct²),
    dit = dc ⊙ cct ⊙ it(1 − it),  dft = dc ⊙ c⟨t-1⟩ ⊙ ft(1 − ft);
    dW• = d• concatᵀ, db• = Σ over the batch axis of d•;
    da_prev = Σ• W•[:, :n_a]ᵀ d•,  dxt = Σ• W•[:, n_a:]ᵀ d•,  dc_prev = dc ⊙ ft.

    Args:
        da_next: ∂L/∂a⟨t⟩, shape (n_a, m).
        dc_next: ∂L/∂c⟨t⟩ arriving from step t+1, shape (n_a, m).
        cache: the tuple from lstm_cell_forward.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dc_prev (n_a, m),
        dWf, dWi, dWc, dWo (n_a, n_a + n_x), dbf, dbi, dbc, dbo (n_a, 1).

    Raises:
        ValueError: if da_next's or dc_next's shape differs from a_next's.

    Source: deeplearning.ai C5W1 ``lstm_cell_backward``, eqs. (7)-(21) of the
    current notebook written with the total cell gradient dc (their printed
    versions carry errata, see the LSTM chapter); NNDL exercise 6-4.
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    require_shape("da_next", da_next, a_next.shape)
    require_shape("dc_next", dc_next, c_next.shape)
    n_a = a_next.shape[0]

    tanh_c = np.tanh(c_next)
    dc = dc_next + ot * (1.0 - tanh_c**2) * da_next  # total gradient reaching c⟨t⟩
    d = {
        "o": da_next * tanh_c * ot * (1.0 - ot),
        "c": dc * it * (1.0 - cct**2),
        "i": dc * cct * it * (1.0 - it),
        "f": dc * c_prev * ft * (1.0 - ft),
    }
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = sum(parameters[f"W{g}"].T @ d[g] for g in GATES)
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g in GATES:
        grads[f"dW{g}"] = d[g] @ concat.T
        grads[f"db{g}"] = np.sum(d[g], axis=1, keepdims=True)
    return grads


def lstm_forward(x, a0, parameters):
    """Run the LSTM over a whole sequence, starting from c⟨0⟩ = 0.

    Args:
        x: inputs, shape (n_x, m, T_x).
        a0: initial hidden state a⟨0⟩, shape (n_a, m).
        parameters: as in lstm_cell_forward.

    Returns:
        a: hidden states a⟨1⟩ … a⟨T_x⟩, shape (n_a, m, T_x).
        y: predictions, shape (n_y, m, T_x).
        c: cell states c⟨1⟩ … c⟨T_x⟩, shape (n_a, m, T_x).
        caches: (list of T_x step caches, x), read by lstm_backward.  The
            states in the caches are the cell's own arrays, never views into
            a or c, so changing the outputs does not change the caches.

    Raises:
        ValueError: x not 3-D, a0 not (n_a, m), n_x of x not matching the
            weights, or a missing / mis-shaped parameter.

    Source: NNDL §6.6 unrolled over time; deeplearning.ai C5W1 ``lstm_forward``.
    """
    n_a, n_x, n_y = _check_lstm_parameters(parameters)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    require_shape("x", x, (n_x, m, T_x), "n_a, n_x from parameters['Wf'] of shape (n_a, n_a + n_x)")
    require_shape("a0", a0, (n_a, m), "n_a, n_x from parameters['Wf'] of shape (n_a, n_a + n_x)")

    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        # carry the cell's own arrays; a[:, :, t] would be a view into the output
        a_next, c_next, yt_pred, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y, c, (step_caches, x)


def lstm_backward(da, caches):
    """Backpropagation through time for the LSTM.

    One reversed pass: at step t the cell receives da[:, :, t] plus the
    da_prev of step t+1, and the dc_prev of step t+1 (zero at the last step,
    which has no successor).  Weight and bias gradients are summed over steps.

    Args:
        da: ∂L/∂a⟨t⟩ from the layers above, for every t, shape (n_a, m, T).
            The number of steps is T = da.shape[2]; the first T step caches
            are used (deeplearning.ai's convention), so T may not exceed them.
        caches: (list of step caches, x) from lstm_forward.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m), dWf, dWi, dWc, dWo
        (n_a, n_a + n_x), dbf, dbi, dbc, dbo (n_a, 1).

    Raises:
        ValueError: da not 3-D, or its (n_a, m) not matching the caches, or
            more steps than caches.

    Source: deeplearning.ai C5W1 ``lstm_backward``; NNDL §6.4.1 (BPTT) applied
    to the LSTM of §6.6.
    """
    step_caches, x = caches
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    first = step_caches[0]
    n_a, m = first[0].shape
    n_x = first[8].shape[0]
    parameters = first[9]
    T = da.shape[2]
    require_shape("da", da, (n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")

    dx = np.zeros((n_x, m, T))
    grads = {}
    for g in GATES:
        grads[f"dW{g}"] = np.zeros(parameters[f"W{g}"].shape)
        grads[f"db{g}"] = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = step["dxt"]
        for key in grads:
            grads[key] += step[key]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
    return {"dx": dx, "da0": da_prevt} | grads
