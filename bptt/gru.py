"""The GRU, forward and backward, in NNDL §6.6.2's form and the deeplearning.ai layout.

Layout: one column per example.  x has shape (n_x, m, T_x), hidden states
(n_a, m, T_x).  Input and recurrent weights are kept apart, as in NNDL:

    Wz, Uz, bz ↔ W_z, U_z, b_z,  zt ↔ z_t  (update gate),
    Wr, Ur, br ↔ W_r, U_r, b_r,  rt ↔ r_t  (reset gate),
    Wh, Uh, bh ↔ W_h, U_h, b_h,  a_tilde ↔ h̃_t (candidate state),
    a⟨t⟩ ↔ h_t,  Wy, by ↔ the output layer g(h_t).

NNDL's update gate keeps the OLD state: h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
(also Cho et al. 2014 and torch.nn.GRU; deeplearning.ai's Γ_u is 1 − z_t).

``reset_after=True`` is torch.nn.GRU's candidate instead,
h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_hn)): the reset gate acts
AFTER the recurrent product and the product has its own bias, parameter
``bhn`` (PyTorch's b_hn).  Backward functions take the upstream gradient of
the loss with respect to a⟨t⟩; the gate gradients dz, dr, dh they compute are
with respect to the pre-activations (before σ or tanh).  Public functions
validate their inputs once; the loops call the unchecked steps.
"""

import numpy as np

from .activations import sigmoid, softmax
from .shapes import require_keys, require_ndim, require_shape

GATES = ("z", "r", "h")
GRU_KEYS = tuple(f"{k}{g}" for g in GATES for k in ("W", "U", "b")) + ("Wy", "by")
RESET_AFTER_KEY = "bhn"


def gru_keys(reset_after=False):
    """The parameter names: Wz, Uz, bz, Wr, Ur, br, Wh, Uh, bh, Wy, by (+ bhn if reset_after)."""
    return GRU_KEYS + ((RESET_AFTER_KEY,) if reset_after else ())


def _check_gru_parameters(parameters, reset_after):
    """Validate the parameter dict; return (n_a, n_x, n_y)."""
    require_keys(parameters, gru_keys(reset_after))
    if not reset_after and RESET_AFTER_KEY in parameters:
        raise ValueError("parameters has 'bhn' (the bias of torch's reset-after candidate) "
                         "but reset_after=False; pass reset_after=True or drop 'bhn'")
    Wz = require_ndim("parameters['Wz']", parameters["Wz"], 2, "(n_a, n_x)")
    n_a, n_x = Wz.shape
    Wy = require_ndim("parameters['Wy']", parameters["Wy"], 2, "(n_y, n_a)")
    n_y = Wy.shape[0]
    for g in GATES:
        require_shape(f"parameters['W{g}']", parameters[f"W{g}"], (n_a, n_x), "n_a, n_x from parameters['Wz']")
        require_shape(f"parameters['U{g}']", parameters[f"U{g}"], (n_a, n_a), "n_a from parameters['Wz']")
        require_shape(f"parameters['b{g}']", parameters[f"b{g}"], (n_a, 1))
    if reset_after:
        require_shape("parameters['bhn']", parameters["bhn"], (n_a, 1))
    require_shape("parameters['Wy']", Wy, (n_y, n_a))
    require_shape("parameters['by']", parameters["by"], (n_y, 1))
    return n_a, n_x, n_y


def _cell_forward(xt, a_prev, p, reset_after):
    """One unchecked GRU step (see gru_cell_forward)."""
    zt = sigmoid(p["Wz"] @ xt + p["Uz"] @ a_prev + p["bz"])
    rt = sigmoid(p["Wr"] @ xt + p["Ur"] @ a_prev + p["br"])
    if reset_after:  # torch.nn.GRU: reset the product, not the state
        a_tilde = np.tanh(p["Wh"] @ xt + p["bh"] + rt * (p["Uh"] @ a_prev + p["bhn"]))
    else:  # NNDL: reset the state, then multiply
        a_tilde = np.tanh(p["Wh"] @ xt + p["Uh"] @ (rt * a_prev) + p["bh"])
    a_next = zt * a_prev + (1.0 - zt) * a_tilde
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, zt, rt, a_tilde, xt, p)


def gru_cell_forward(xt, a_prev, parameters, reset_after=False):
    """One step of the GRU.

    zt = σ(Wz xt + Uz a⟨t-1⟩ + bz),  rt = σ(Wr xt + Ur a⟨t-1⟩ + br),
    a_tilde = tanh(Wh xt + Uh (rt ⊙ a⟨t-1⟩) + bh),
    a⟨t⟩ = zt ⊙ a⟨t-1⟩ + (1 − zt) ⊙ a_tilde,  ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by).
    With reset_after=True: a_tilde = tanh(Wh xt + bh + rt ⊙ (Uh a⟨t-1⟩ + bhn)).

    Args:
        xt: input at step t, shape (n_x, m).
        a_prev: hidden state a⟨t-1⟩, shape (n_a, m).
        parameters: dict with Wz, Wr, Wh (n_a, n_x); Uz, Ur, Uh (n_a, n_a);
            bz, br, bh (n_a, 1); Wy (n_y, n_a); by (n_y, 1); and bhn (n_a, 1)
            exactly when reset_after is True.
        reset_after: use torch.nn.GRU's candidate instead of NNDL's.

    Returns:
        a_next (n_a, m), yt_pred (n_y, m) and
        cache = (a_next, a_prev, zt, rt, a_tilde, xt, parameters).

    Raises:
        ValueError: a missing parameter key (all are listed), a 'bhn' without
            reset_after, or any shape that disagrees with the ones above.

    Source: NNDL §6.6.2 (GRU); torch.nn.GRU for reset_after=True.
    """
    n_a, n_x, _ = _check_gru_parameters(parameters, reset_after)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    require_shape("xt", xt, (n_x, m), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")
    require_shape("a_prev", a_prev, (n_a, m))
    return _cell_forward(xt, a_prev, parameters, reset_after)


def _cell_backward(da_next, cache, reset_after):
    """One unchecked GRU backward step (see gru_cell_backward)."""
    _, a_prev, zt, rt, a_tilde, xt, p = cache
    d = {
        "z": da_next * (a_prev - a_tilde) * zt * (1.0 - zt),  # ∂a⟨t⟩/∂zt = a_prev − a_tilde
        "h": da_next * (1.0 - zt) * (1.0 - a_tilde**2),  # through (1 − zt) ⊙ a_tilde and tanh
    }
    if reset_after:
        hn = p["Uh"] @ a_prev + p["bhn"]
        d_hn = d["h"] * rt  # gradient of the reset product's argument Uh a_prev + bhn
        d["r"] = d["h"] * hn * rt * (1.0 - rt)
        da_prev = da_next * zt + p["Uh"].T @ d_hn
        grads = {"dUh": d_hn @ a_prev.T, "dbhn": np.sum(d_hn, axis=1, keepdims=True)}
    else:
        d_reset = p["Uh"].T @ d["h"]  # gradient of the reset state rt ⊙ a_prev
        d["r"] = d_reset * a_prev * rt * (1.0 - rt)
        da_prev = da_next * zt + d_reset * rt
        grads = {"dUh": d["h"] @ (rt * a_prev).T}
    da_prev = da_prev + p["Uz"].T @ d["z"] + p["Ur"].T @ d["r"]
    out = {"dxt": sum(p[f"W{g}"].T @ d[g] for g in GATES), "da_prev": da_prev}
    for g in GATES:
        out[f"dW{g}"] = d[g] @ xt.T
        if g != "h":
            out[f"dU{g}"] = d[g] @ a_prev.T
        out[f"db{g}"] = np.sum(d[g], axis=1, keepdims=True)
    return out | grads


def gru_cell_backward(da_next, cache, reset_after=False):
    """Backward pass of one GRU step (gate gradients w.r.t. pre-activations).

    With δ = da_next:  dh = δ ⊙ (1 − zt) ⊙ (1 − a_tilde²),
    dz = δ ⊙ (a⟨t-1⟩ − a_tilde) ⊙ zt(1 − zt),  d_reset = Uhᵀ dh,
    dr = d_reset ⊙ a⟨t-1⟩ ⊙ rt(1 − rt);
    dW• = d• xtᵀ, dUz = dz a⟨t-1⟩ᵀ, dUr = dr a⟨t-1⟩ᵀ, dUh = dh (rt ⊙ a⟨t-1⟩)ᵀ,
    db• = Σ over the batch axis of d•;  dxt = Σ• W•ᵀ d•,
    da_prev = δ ⊙ zt + Uzᵀ dz + Urᵀ dr + rt ⊙ d_reset.
    reset_after=True: dr = dh ⊙ (Uh a⟨t-1⟩ + bhn) ⊙ rt(1 − rt),
    dUh = (dh ⊙ rt) a⟨t-1⟩ᵀ, dbhn = Σ dh ⊙ rt, and Uhᵀ(dh ⊙ rt) in da_prev.

    Args:
        da_next: ∂L/∂a⟨t⟩, shape (n_a, m).
        cache: the tuple from gru_cell_forward (with the same reset_after).
        reset_after: as in gru_cell_forward.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dWz, dWr, dWh (n_a, n_x),
        dUz, dUr, dUh (n_a, n_a), dbz, dbr, dbh (n_a, 1), and dbhn (n_a, 1)
        when reset_after.

    Raises:
        ValueError: da_next's shape differs from a_next's, or the cache's
            parameters do not fit reset_after.

    Source: NNDL exercise 6-5 (derivation in the GRU chapter); checked
    against central differences and torch.nn.GRU.
    """
    _check_gru_parameters(cache[6], reset_after)
    require_shape("da_next", da_next, cache[0].shape)
    return _cell_backward(da_next, cache, reset_after)


def gru_forward(x, a0, parameters, reset_after=False):
    """Run the GRU over a whole sequence.

    Args:
        x: inputs, shape (n_x, m, T_x).
        a0: initial hidden state a⟨0⟩, shape (n_a, m).
        parameters, reset_after: as in gru_cell_forward.

    Returns:
        a: hidden states a⟨1⟩ … a⟨T_x⟩, shape (n_a, m, T_x).
        y_pred: predictions, shape (n_y, m, T_x).
        caches: (list of T_x step caches, x), read by gru_backward; the
            states in them are the cell's own arrays, never views into a.

    Raises:
        ValueError: x not 3-D, a0 not (n_a, m), n_x of x not matching Wz, or
            a missing / mis-shaped parameter.

    Source: NNDL §6.6.2 unrolled over time; deeplearning.ai's rnn_forward layout.
    """
    n_a, n_x, n_y = _check_gru_parameters(parameters, reset_after)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    require_shape("x", x, (n_x, m, T_x), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")
    require_shape("a0", a0, (n_a, m), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")

    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = _cell_forward(x[:, :, t], a_next, parameters, reset_after)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def gru_backward(da, caches, reset_after=False):
    """Backpropagation through time for the GRU.

    One reversed pass: step t receives da[:, :, t] plus the da_prev of step
    t+1; weight and bias gradients are summed over steps.

    Args:
        da: ∂L/∂a⟨t⟩ from the layers above, shape (n_a, m, T); the first T
            step caches are used, so T may not exceed them.
        caches: (list of step caches, x) from gru_forward.
        reset_after: as in gru_forward.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m) and the parameter gradients
        of gru_cell_backward (dWz … dbh, plus dbhn when reset_after).

    Raises:
        ValueError: da not 3-D, its (n_a, m) not matching the caches, more
            steps than caches, or parameters that do not fit reset_after.

    Source: NNDL §6.4.1 (BPTT) applied to the GRU of §6.6.2.
    """
    step_caches, x = caches
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    n_a, m = step_caches[0][0].shape
    parameters = step_caches[0][6]
    _check_gru_parameters(parameters, reset_after)
    T = da.shape[2]
    require_shape("da", da, (n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")

    dx = np.zeros((x.shape[0], m, T))
    grads = {f"d{k}": np.zeros(np.shape(parameters[k])) for k in gru_keys(reset_after) if k not in ("Wy", "by")}
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        step = _cell_backward(da[:, :, t] + da_prevt, step_caches[t], reset_after)
        dx[:, :, t] = step["dxt"]
        for key in grads:
            grads[key] += step[key]
        da_prevt = step["da_prev"]
    return {"dx": dx, "da0": da_prevt} | grads


def random_gru_parameters(n_x, n_a, n_y, rng, reset_after=False):
    """Gaussian parameters for examples, tests and self-checks.

    W• ~ N(0, 1/n_x), U• ~ N(0, 1/n_a), b• ~ 0.5·N(0, 1) for • = z, r, h,
    then Wy, by ~ N(0, 1), then bhn ~ 0.5·N(0, 1) if reset_after; drawn from
    ``rng`` in that order.

    Returns:
        dict with the keys of gru_keys(reset_after), float64.
    """
    p = {}
    for g in GATES:
        p[f"W{g}"] = rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)
        p[f"U{g}"] = rng.standard_normal((n_a, n_a)) / np.sqrt(n_a)
        p[f"b{g}"] = 0.5 * rng.standard_normal((n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a))
    p["by"] = rng.standard_normal((n_y, 1))
    if reset_after:
        p["bhn"] = 0.5 * rng.standard_normal((n_a, 1))
    return p


TORCH_ORDER = ("r", "z", "h")  # torch.nn.GRU stacks reset, update, new (our candidate h)


def to_torch_gru(parameters):
    """A one-layer float64 ``torch.nn.GRU`` that computes gru_forward(..., reset_after=True).

    weight_ih_l0 = [Wr; Wz; Wh], weight_hh_l0 = [Ur; Uz; Uh],
    bias_ih_l0 = [br; bz; bh], bias_hh_l0 = [0; 0; bhn] (only the sum of the
    r and z biases matters; bhn sits inside the reset product).

    Raises:
        ValueError: if ``parameters`` is not a valid reset-after parameter dict.
    """
    import torch

    n_a, n_x, _ = _check_gru_parameters(parameters, True)
    gru = torch.nn.GRU(n_x, n_a, dtype=torch.float64)

    def stack(kind):  # [X_r; X_z; X_h] for X = W, U or b
        return torch.tensor(np.vstack([parameters[f"{kind}{g}"] for g in TORCH_ORDER]))

    with torch.no_grad():
        gru.weight_ih_l0.copy_(stack("W"))
        gru.weight_hh_l0.copy_(stack("U"))
        gru.bias_ih_l0.copy_(stack("b")[:, 0])
        gru.bias_hh_l0.zero_()
        gru.bias_hh_l0[2 * n_a:].copy_(torch.tensor(parameters["bhn"][:, 0]))
    return gru


def torch_gru_gradients(gru):
    """The .grad fields of a ``to_torch_gru`` module after backward(), in our names.

    Returns:
        dict with dWz … dbh and dbhn (NumPy, shapes of gru_cell_backward), and
        dbr_hh, dbz_hh: torch's second copies of the r and z bias gradients
        (equal to dbr, dbz, since the two biases are simply added).
    """
    n_a = gru.hidden_size
    out = {}
    for k, g in enumerate(TORCH_ORDER):
        rows = slice(k * n_a, (k + 1) * n_a)
        out[f"dW{g}"] = gru.weight_ih_l0.grad[rows].numpy()
        out[f"dU{g}"] = gru.weight_hh_l0.grad[rows].numpy()
        out[f"db{g}"] = gru.bias_ih_l0.grad[rows].numpy()[:, None]
        out[f"db{g}_hh"] = gru.bias_hh_l0.grad[rows].numpy()[:, None]
    out["dbhn"] = out.pop("dbh_hh")
    return out
