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

from .activations import _sigmoid, _softmax
from .shapes import float_array, require_keys, require_ndim

LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
GATES = ("f", "i", "c", "o")
SOURCE = "n_a, n_x from parameters['Wf'] of shape (n_a, n_a + n_x)"


def check_lstm_parameters(parameters, copy=True, name="parameters"):
    """Validate the parameter dict; return (p, n_a, n_x, n_y).

    ``p`` is a new dict (other keys kept as they are) whose ten arrays are
    float copies, so a cache holding it is immune to later edits of the caller's.
    """
    require_keys(parameters, LSTM_KEYS, name)
    Wf = require_ndim(f"{name}['Wf']", parameters["Wf"], 2, "(n_a, n_a + n_x)")
    n_a, n_concat = Wf.shape
    n_x = n_concat - n_a
    if n_a < 1 or n_x < 1:
        raise ValueError(
            f"{name}['Wf'] must have shape (n_a, n_a + n_x) with n_a, n_x >= 1, got {Wf.shape}"
        )
    n_y = require_ndim(f"{name}['Wy']", parameters["Wy"], 2, "(n_y, n_a)").shape[0]
    shapes = {"Wy": ((n_y, n_a), "(n_y, n_a)"), "by": ((n_y, 1), "(n_y, 1)")}
    for gate in GATES:
        shapes[f"W{gate}"] = ((n_a, n_a + n_x), "(n_a, n_a + n_x)")
        shapes[f"b{gate}"] = ((n_a, 1), "(n_a, 1)")
    p = dict(parameters)
    for k, (shape, layout) in shapes.items():
        p[k] = float_array(f"{name}['{k}']", parameters[k], 2, layout, shape=shape, copy=copy)
    return p, n_a, n_x, n_y


def _check_step_cache(name, cache):
    """Validate one lstm_cell_forward cache; return it (parameters checked) with n_a, m."""
    if not (isinstance(cache, tuple) and len(cache) == 10):
        raise ValueError(f"{name} must be the 10-tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) from lstm_cell_forward")
    p, n_a, n_x, _ = check_lstm_parameters(cache[9], copy=False, name=f"{name}[9] (parameters)")
    m = require_ndim(f"{name}[0] (a_next)", cache[0], 2, "(n_a, m)").shape[1]
    labels = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot")
    arrays = [float_array(f"{name}[{j}] ({label})", cache[j], 2, "(n_a, m)", shape=(n_a, m)) for j, label in enumerate(labels)]
    xt = float_array(f"{name}[8] (xt)", cache[8], 2, "(n_x, m)", shape=(n_x, m))
    return (*arrays, xt, p), n_a, m


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

    The cache holds copies (of the inputs, the parameter arrays and the
    returned states), so later in-place edits of any of them leave the
    backward pass unchanged.  Integer arrays become float64.

    Raises:
        ValueError: a missing parameter key (all missing keys are listed); a
            list or other non-array; a bool, complex or object dtype; an
            empty axis; NaN or inf; or any shape that disagrees with the ones
            above (the message names the argument, expected and actual shapes).

    Source: NNDL §6.6 (LSTM: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t, h_t = o_t ⊙ tanh(c_t));
    deeplearning.ai C5W1 ``lstm_cell_forward``.
    """
    p, n_a, n_x, _ = check_lstm_parameters(parameters)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    xt = float_array("xt", xt, 2, "(n_x, m)", shape=(n_x, m), source=SOURCE, copy=True)
    a_prev = float_array("a_prev", a_prev, 2, "(n_a, m)", shape=(n_a, m), copy=True)
    c_prev = float_array("c_prev", c_prev, 2, "(n_a, m)", shape=(n_a, m), copy=True)
    a_next, c_next, yt_pred, cache = _lstm_step(xt, a_prev, c_prev, p)
    return a_next.copy(), c_next.copy(), yt_pred, cache


def _lstm_step(xt, a_prev, c_prev, p):
    """lstm_cell_forward without validation or copies (the loop's step)."""
    concat = np.concatenate([a_prev, xt], axis=0)  # hidden state first
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)
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
        ValueError: a cache that is not such a tuple, or da_next / dc_next
            not finite float arrays of a_next's shape.

    Source: deeplearning.ai C5W1 ``lstm_cell_backward``, eqs. (7)-(21) of the
    current notebook written with the total cell gradient dc (their printed
    versions carry errata, see the LSTM chapter); NNDL exercise 6-4.
    """
    cache, n_a, m = _check_step_cache("cache", cache)
    da_next = float_array("da_next", da_next, 2, "(n_a, m)", shape=(n_a, m))
    dc_next = float_array("dc_next", dc_next, 2, "(n_a, m)", shape=(n_a, m))
    return _lstm_step_backward(da_next, dc_next, cache)


def _lstm_step_backward(da_next, dc_next, cache):
    """lstm_cell_backward without validation (the loop's step)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
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

    Inputs are validated once, here (with the rules and copies of
    lstm_cell_forward); the loop calls the unchecked step.

    Raises:
        ValueError: x not 3-D, a0 not (n_a, m), n_x of x not matching the
            weights, T_x = 0, a missing / mis-shaped parameter, or any array
            rule of lstm_cell_forward broken.

    Source: NNDL §6.6 unrolled over time; deeplearning.ai C5W1 ``lstm_forward``.
    """
    parameters, n_a, n_x, n_y = check_lstm_parameters(parameters)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    x = float_array("x", x, 3, "(n_x, m, T_x)", shape=(n_x, m, T_x), source=SOURCE, copy=True)
    a0 = float_array("a0", a0, 2, "(n_a, m)", shape=(n_a, m), source=SOURCE, copy=True)

    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        # carry the cell's own arrays; a[:, :, t] would be a view into the output
        a_next, c_next, yt_pred, cache = _lstm_step(x[:, :, t], a_next, c_next, parameters)
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
        ValueError: caches not (list of step caches, x); da not a finite 3-D
            float array, its (n_a, m) not matching the caches, T = 0, or more
            steps than caches.

    Source: deeplearning.ai C5W1 ``lstm_backward``; NNDL §6.4.1 (BPTT) applied
    to the LSTM of §6.6.
    """
    if not (isinstance(caches, tuple) and len(caches) == 2 and isinstance(caches[0], list) and caches[0]):
        raise ValueError("caches must be the tuple (list of step caches, x) from lstm_forward, with at least one step")
    # the first cache fully, the others by form: all come from one lstm_forward
    first, n_a, m = _check_step_cache("caches[0][0]", caches[0][0])
    step_caches = [first] + caches[0][1:]  # a new list: the caller's caches are not modified
    for t, c in enumerate(step_caches):
        if not (isinstance(c, tuple) and len(c) == 10 and np.shape(c[0]) == (n_a, m)):
            raise ValueError(f"caches[0][{t}] must be a 10-tuple step cache with a_next of shape {(n_a, m)}")
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    T = da.shape[2]
    da = float_array("da", da, 3, "(n_a, m, T_x)", shape=(n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")
    n_x = first[8].shape[0]
    parameters = first[9]

    dx = np.zeros((n_x, m, T))
    grads = {}
    for g in GATES:
        grads[f"dW{g}"] = np.zeros(parameters[f"W{g}"].shape)
        grads[f"db{g}"] = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        step = _lstm_step_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = step["dxt"]
        for key in grads:
            grads[key] += step[key]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
    return {"dx": dx, "da0": da_prevt} | grads
