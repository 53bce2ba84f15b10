"""Correct student-style implementations of every exercise function, in many styles.

Written from the API contract (deeplearning.ai C5W1 "Building an RNN step by
step", C2W2 Adam) and the exercise notebooks' docstrings only, not from the
course's reference code.  Every function here is verified against torch
autograd / torch.nn.RNN / torch.nn.LSTM / torch.optim.Adam /
torch.nn.utils.clip_grad_norm_ by ``verify_correct.py``.

Functions that call a cell (rnn_forward -> rnn_cell_forward, ...) look the cell
up as a module global, the way a notebook does: the canonical names
(``rnn_cell_forward`` etc.) at the bottom of the file are bound to one of the
variants.

Registries:
    CORRECT         name -> list of correct variants.
    DLAI_KEYS_ONLY  variants written for deeplearning.ai's "W1, b1, ..., WL, bL"
                    dicts (L = len(parameters) // 2); correct there, but they
                    do not handle arbitrary keys such as the notebooks' {"w": ...}.
    AMBIGUOUS       (name, note, fn): implementations whose correctness depends on
                    a point the contract leaves open (see the notes).
"""

import numpy as np

from bptt import sigmoid, softmax


def _softmax0(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------- rnn_cell_forward


def rnn_cell_forward_template(xt, a_prev, parameters):
    # deeplearning.ai template: retrieve, np.dot, softmax
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_cell_forward_matmul(xt, a_prev, parameters):
    p = parameters
    z = p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"]
    a_next = np.tanh(z)
    yt_pred = _softmax0(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_cell_forward_einsum(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(
        np.einsum("ij,jm->im", Wax, xt) + np.einsum("ij,jm->im", Waa, a_prev) + ba
    )
    logits = np.einsum("ij,jm->im", Wya, a_next) + by
    e = np.exp(logits - logits.max(axis=0))
    yt_pred = e / e.sum(axis=0)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_cell_forward_stacked(xt, a_prev, parameters):
    # one matrix [Waa Wax] acting on [a_prev; xt]
    W = np.hstack([parameters["Waa"], parameters["Wax"]])
    stacked = np.vstack([a_prev, xt])
    a_next = np.tanh(W.dot(stacked) + parameters["ba"])
    yt_pred = softmax(parameters["Wya"].dot(a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_cell_forward_matmul_copy(xt, a_prev, parameters):
    # np.matmul, and copies of the inputs kept in the cache
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.matmul(Wax, xt) + np.matmul(Waa, a_prev) + ba)
    yt_pred = softmax(np.matmul(Wya, a_next) + by)
    cache = (a_next, a_prev.copy(), xt.copy(), parameters)
    return a_next, yt_pred, cache


# ---------------------------------------------------------------- rnn_forward


def rnn_forward_template(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        xt = x[:, :, t]
        a_next, yt_pred, cache = rnn_cell_forward(xt, a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = (caches, x)
    return a, y_pred, caches


def rnn_forward_stack(x, a0, parameters):
    # lists of steps, stacked at the end
    a_list, y_list, step_caches = [], [], []
    a_prev = a0
    for t in range(x.shape[2]):
        a_prev, yt, cache = rnn_cell_forward(x[..., t], a_prev, parameters)
        a_list.append(a_prev)
        y_list.append(yt)
        step_caches.append(cache)
    return np.stack(a_list, axis=2), np.stack(y_list, axis=2), (step_caches, x)


def rnn_forward_inline(x, a0, parameters):
    # no call to the cell: the step written out with @
    Wax, Waa, Wya, ba, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "ba", "by"))
    n_x, m, T_x = x.shape
    a = np.zeros((Waa.shape[0], m, T_x))
    y_pred = np.zeros((Wya.shape[0], m, T_x))
    caches = []
    h = a0
    for t in range(T_x):
        h_new = np.tanh(Wax @ x[:, :, t] + Waa @ h + ba)
        a[:, :, t] = h_new
        y_pred[:, :, t] = _softmax0(Wya @ h_new + by)
        caches.append((h_new, h, x[:, :, t], parameters))
        h = h_new
    return a, y_pred, (caches, x)


def rnn_forward_moveaxis(x, a0, parameters):
    # iterate over time-major slices
    outs_a, outs_y, caches = [], [], []
    a_t = a0
    for xt in np.moveaxis(x, 2, 0):
        a_t, y_t, c = rnn_cell_forward(xt, a_t, parameters)
        outs_a.append(a_t)
        outs_y.append(y_t)
        caches.append(c)
    a = np.moveaxis(np.array(outs_a), 0, 2)
    y_pred = np.moveaxis(np.array(outs_y), 0, 2)
    return a, y_pred, (caches, x)


def rnn_forward_while_einsum(x, a0, parameters):
    T_x = x.shape[2]
    n_a = parameters["Waa"].shape[0]
    n_y = parameters["Wya"].shape[0]
    a = np.zeros((n_a, x.shape[1], T_x))
    y_pred = np.zeros((n_y, x.shape[1], T_x))
    pre_x = np.einsum(
        "ij,jmt->imt", parameters["Wax"], x
    )  # input part of every step at once
    caches = []
    t = 0
    a_prev = a0
    while t < T_x:
        a_next = np.tanh(
            pre_x[:, :, t]
            + np.einsum("ij,jm->im", parameters["Waa"], a_prev)
            + parameters["ba"]
        )
        a[:, :, t] = a_next
        y_pred[:, :, t] = softmax(parameters["Wya"] @ a_next + parameters["by"])
        caches.append((a_next, a_prev, x[:, :, t], parameters))
        a_prev = a_next
        t += 1
    return a, y_pred, (caches, x)


# ---------------------------------------------------------------- rnn_cell_backward


def rnn_cell_backward_template(da_next, cache):
    (a_next, a_prev, xt, parameters) = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    dxt = np.dot(Wax.T, dtanh)
    dWax = np.dot(dtanh, xt.T)
    da_prev = np.dot(Waa.T, dtanh)
    dWaa = np.dot(dtanh, a_prev.T)
    dba = np.sum(dtanh, axis=1, keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients


def rnn_cell_backward_recompute(da_next, cache):
    # older deeplearning.ai style: recompute the pre-activation and use 1 - tanh(z)^2
    a_next, a_prev, xt, parameters = cache
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    z = np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba
    dtanh = (1 - np.tanh(z) ** 2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, 1, keepdims=True),
    }


def rnn_cell_backward_matmul(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - np.square(a_next))
    grads = {}
    grads["dxt"] = p["Wax"].T @ dz
    grads["da_prev"] = p["Waa"].T @ dz
    grads["dWax"] = dz @ xt.T
    grads["dWaa"] = dz @ a_prev.T
    grads["dba"] = dz.sum(axis=1).reshape(-1, 1)
    return grads


def rnn_cell_backward_einsum(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = np.einsum("im,im->im", da_next, 1 - a_next * a_next)
    return {
        "dxt": np.einsum("ij,im->jm", parameters["Wax"], dz),
        "da_prev": np.einsum("ij,im->jm", parameters["Waa"], dz),
        "dWax": np.einsum("im,jm->ij", dz, xt),
        "dWaa": np.einsum("im,jm->ij", dz, a_prev),
        "dba": np.einsum("im->i", dz)[:, None],
    }


def rnn_cell_backward_stacked(da_next, cache):
    # one product for both weight matrices, then split
    a_next, a_prev, xt, parameters = cache
    n_a = a_prev.shape[0]
    dz = (1.0 - a_next**2) * da_next
    W = np.concatenate([parameters["Waa"], parameters["Wax"]], axis=1)
    dstack = W.T.dot(dz)
    dW = dz.dot(np.concatenate([a_prev, xt], axis=0).T)
    return {
        "dxt": dstack[n_a:],
        "da_prev": dstack[:n_a],
        "dWax": dW[:, n_a:],
        "dWaa": dW[:, :n_a],
        "dba": np.sum(dz, axis=-1, keepdims=True),
    }


# ---------------------------------------------------------------- rnn_backward


def rnn_backward_template(da, caches):
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da0 = np.zeros((n_a, m))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = (
            gradients["dxt"],
            gradients["da_prev"],
            gradients["dWax"],
            gradients["dWaa"],
            gradients["dba"],
        )
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prevt
    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients


def rnn_backward_stub(da, caches):
    # the course stub's preallocation, range(T - 1, -1, -1)
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in range(T - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax = dWax + g["dWax"]
        dWaa = dWaa + g["dWaa"]
        dba = dba + g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def rnn_backward_functional_sums(da, caches):
    # collect per-step gradients in lists, sum at the end
    step_caches, x = caches
    T = da.shape[2]
    carry = np.zeros_like(da[:, :, 0])
    per_step = [None] * T
    for t in reversed(range(T)):
        per_step[t] = rnn_cell_backward(da[:, :, t] + carry, step_caches[t])
        carry = per_step[t]["da_prev"]
    return {
        "dx": np.stack([g["dxt"] for g in per_step], axis=2),
        "da0": carry,
        "dWax": sum(g["dWax"] for g in per_step),
        "dWaa": sum(g["dWaa"] for g in per_step),
        "dba": sum(g["dba"] for g in per_step),
    }


def rnn_backward_inline_einsum(da, caches):
    # no cell call: dz of every step first, weight gradients by einsum afterwards
    step_caches, x = caches
    n_a, m, T = da.shape
    parameters = step_caches[0][3]
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dz_all = np.zeros((n_a, m, T))
    a_prev_all = np.zeros((n_a, m, T))
    dh = np.zeros((n_a, m))
    for t in range(T - 1, -1, -1):
        a_next, a_prev, xt, _ = step_caches[t]
        dz = (da[:, :, t] + dh) * (1 - a_next**2)
        dz_all[:, :, t] = dz
        a_prev_all[:, :, t] = a_prev
        dh = Waa.T @ dz
    return {
        "dx": np.einsum("ij,imt->jmt", Wax, dz_all),
        "da0": dh,
        "dWax": np.einsum("imt,jmt->ij", dz_all, x[:, :, :T]),
        "dWaa": np.einsum("imt,jmt->ij", dz_all, a_prev_all),
        "dba": dz_all.sum(axis=(1, 2))[:, None],
    }


def rnn_backward_while(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = cache_list[0][2].shape[0]
    dx = np.zeros((n_x, m, T_x))
    grads_sum = {
        "dWax": np.zeros((n_a, n_x)),
        "dWaa": np.zeros((n_a, n_a)),
        "dba": np.zeros((n_a, 1)),
    }
    da_prev = np.zeros((n_a, m))
    t = T_x - 1
    while t >= 0:
        g = rnn_cell_backward(da[:, :, t] + da_prev, cache_list[t])
        for k in grads_sum:
            grads_sum[k] += g[k]
        dx[:, :, t] = g["dxt"]
        da_prev = g["da_prev"]
        t -= 1
    return {"dx": dx, "da0": da_prev, **grads_sum}


# ---------------------------------------------------------------- lstm_cell_forward


def lstm_cell_forward_template(xt, a_prev, c_prev, parameters):
    Wf = parameters["Wf"]
    bf = parameters["bf"]
    Wi = parameters["Wi"]
    bi = parameters["bi"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wo = parameters["Wo"]
    bo = parameters["bo"]
    Wy = parameters["Wy"]
    by = parameters["by"]
    n_x, m = xt.shape
    n_y, n_a = Wy.shape
    concat = np.zeros((n_a + n_x, m))
    concat[:n_a, :] = a_prev
    concat[n_a:, :] = xt
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_forward_concat(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    c_next = np.multiply(ft, c_prev) + np.multiply(it, cct)
    a_next = np.multiply(ot, np.tanh(c_next))
    yt_pred = _softmax0(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_forward_split(xt, a_prev, c_prev, parameters):
    # no concat: the a-columns and x-columns of each W separately
    n_a = a_prev.shape[0]

    def pre(name):
        W, b = parameters["W" + name], parameters["b" + name]
        return W[:, :n_a] @ a_prev + W[:, n_a:] @ xt + b

    ft, it, ot = sigmoid(pre("f")), sigmoid(pre("i")), sigmoid(pre("o"))
    cct = np.tanh(pre("c"))
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


def lstm_cell_forward_stacked_einsum(xt, a_prev, c_prev, parameters):
    # the four gates as one stacked matrix, einsum, then np.split
    W = np.vstack([parameters[k] for k in ("Wf", "Wi", "Wc", "Wo")])
    b = np.vstack([parameters[k] for k in ("bf", "bi", "bc", "bo")])
    z = np.einsum("gk,km->gm", W, np.vstack([a_prev, xt])) + b
    zf, zi, zc, zo = np.split(z, 4, axis=0)
    ft, it, cct, ot = _sigmoid(zf), _sigmoid(zi), np.tanh(zc), _sigmoid(zo)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    logits = np.einsum("ya,am->ym", parameters["Wy"], a_next) + parameters["by"]
    yt_pred = np.exp(logits) / np.exp(logits).sum(axis=0, keepdims=True)
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


# ---------------------------------------------------------------- lstm_forward


def lstm_forward_template(x, a0, parameters):
    caches = []
    Wy = parameters["Wy"]
    n_x, m, T_x = x.shape
    n_y, n_a = Wy.shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    c_next = np.zeros((n_a, m))
    for t in range(T_x):
        xt = x[:, :, t]
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    caches = (caches, x)
    return a, y, c, caches


def lstm_forward_stack(x, a0, parameters):
    h, cell = a0, np.zeros_like(a0)
    hs, cs, ys, caches = [], [], [], []
    for t in range(x.shape[-1]):
        h, cell, yt, cache = lstm_cell_forward(x[:, :, t], h, cell, parameters)
        hs.append(h)
        cs.append(cell)
        ys.append(yt)
        caches.append(cache)
    return np.stack(hs, -1), np.stack(ys, -1), np.stack(cs, -1), (caches, x)


def lstm_forward_inline(x, a0, parameters):
    # the cell written out inside the loop
    p = parameters
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_prev, c_prev = a0, np.zeros((n_a, m))
    for t in range(T_x):
        xt = x[:, :, t]
        concat = np.vstack((a_prev, xt))
        ft = sigmoid(p["Wf"] @ concat + p["bf"])
        it = sigmoid(p["Wi"] @ concat + p["bi"])
        cct = np.tanh(p["Wc"] @ concat + p["bc"])
        ot = sigmoid(p["Wo"] @ concat + p["bo"])
        c_next = ft * c_prev + it * cct
        a_next = ot * np.tanh(c_next)
        a[:, :, t], c[:, :, t] = a_next, c_next
        y[:, :, t] = softmax(p["Wy"] @ a_next + p["by"])
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters))
        a_prev, c_prev = a_next, c_next
    return a, y, c, (caches, x)


def lstm_forward_enumerate(x, a0, parameters):
    n_a, m = a0.shape
    T_x = x.shape[2]
    a = np.empty((n_a, m, T_x))
    c = np.empty((n_a, m, T_x))
    y = np.empty((parameters["by"].shape[0], m, T_x))
    caches = []
    state = (a0, np.zeros((n_a, m)))
    for t, xt in enumerate(np.moveaxis(x, -1, 0)):
        a_t, c_t, y_t, cache_t = lstm_cell_forward(xt, state[0], state[1], parameters)
        a[..., t], c[..., t], y[..., t] = a_t, c_t, y_t
        caches.append(cache_t)
        state = (a_t, c_t)
    return a, y, c, (caches, x)


# ---------------------------------------------------------------- lstm_cell_backward


def lstm_cell_backward_template(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_x, m = xt.shape
    n_a, m = a_next.shape
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - np.square(np.tanh(c_next))) * it * da_next) * (
        1 - np.square(cct)
    )
    dit = (
        (dc_next * cct + ot * (1 - np.square(np.tanh(c_next))) * cct * da_next)
        * it
        * (1 - it)
    )
    dft = (
        (dc_next * c_prev + ot * (1 - np.square(np.tanh(c_next))) * c_prev * da_next)
        * ft
        * (1 - ft)
    )
    concat = np.concatenate((a_prev, xt), axis=0)
    dWf = np.dot(dft, concat.T)
    dWi = np.dot(dit, concat.T)
    dWc = np.dot(dcct, concat.T)
    dWo = np.dot(dot, concat.T)
    dbf = np.sum(dft, axis=1, keepdims=True)
    dbi = np.sum(dit, axis=1, keepdims=True)
    dbc = np.sum(dcct, axis=1, keepdims=True)
    dbo = np.sum(dot, axis=1, keepdims=True)
    da_prev = (
        np.dot(parameters["Wf"][:, :n_a].T, dft)
        + np.dot(parameters["Wi"][:, :n_a].T, dit)
        + np.dot(parameters["Wc"][:, :n_a].T, dcct)
        + np.dot(parameters["Wo"][:, :n_a].T, dot)
    )
    dc_prev = dc_next * ft + ot * (1 - np.square(np.tanh(c_next))) * ft * da_next
    dxt = (
        np.dot(parameters["Wf"][:, n_a:].T, dft)
        + np.dot(parameters["Wi"][:, n_a:].T, dit)
        + np.dot(parameters["Wc"][:, n_a:].T, dcct)
        + np.dot(parameters["Wo"][:, n_a:].T, dot)
    )
    gradients = {
        "dxt": dxt,
        "da_prev": da_prev,
        "dc_prev": dc_prev,
        "dWf": dWf,
        "dbf": dbf,
        "dWi": dWi,
        "dbi": dbi,
        "dWc": dWc,
        "dbc": dbc,
        "dWo": dWo,
        "dbo": dbo,
    }
    return gradients


def lstm_cell_backward_dc_total(da_next, dc_next, cache):
    # the total gradient reaching c_t first, then one product rule per gate
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    d = {
        "f": dc * c_prev * ft * (1 - ft),
        "i": dc * cct * it * (1 - it),
        "c": dc * it * (1 - cct**2),
        "o": da_next * tc * ot * (1 - ot),
    }
    concat = np.vstack([a_prev, xt])
    grads = {"dxt": 0, "da_prev": 0}
    for g in "fico":
        W = parameters["W" + g]
        grads["dW" + g] = d[g] @ concat.T
        grads["db" + g] = d[g].sum(axis=1, keepdims=True)
        grads["da_prev"] = grads["da_prev"] + W[:, :n_a].T @ d[g]
        grads["dxt"] = grads["dxt"] + W[:, n_a:].T @ d[g]
    grads["dc_prev"] = dc * ft
    return grads


def lstm_cell_backward_stacked(da_next, dc_next, cache):
    # stack the four gate deltas, one product for dW, one for d[a; x]
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = np.vstack(
        [
            dc * c_prev * ft * (1 - ft),
            dc * cct * it * (1 - it),
            dc * it * (1 - cct * cct),
            da_next * np.tanh(c_next) * ot * (1 - ot),
        ]
    )
    W = np.vstack(
        [parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]]
    )
    dW = dz @ np.vstack([a_prev, xt]).T
    db = dz.sum(axis=1, keepdims=True)
    dconcat = W.T @ dz
    names = ("f", "i", "c", "o")
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for k, name in enumerate(names):
        grads["dW" + name] = dW[k * n_a : (k + 1) * n_a]
        grads["db" + name] = db[k * n_a : (k + 1) * n_a]
    return grads


def lstm_cell_backward_einsum(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    concat = np.concatenate([a_prev, xt])
    dtanh_c = 1 - np.tanh(c_next) ** 2
    dc = dc_next + np.einsum("im,im,im->im", da_next, ot, dtanh_c)
    dot = np.einsum("im,im->im", da_next * np.tanh(c_next), ot * (1 - ot))
    dcct = np.einsum("im,im->im", dc * it, 1 - cct**2)
    dit = np.einsum("im,im->im", dc * cct, it * (1 - it))
    dft = np.einsum("im,im->im", dc * c_prev, ft * (1 - ft))
    out = {}
    dconcat = 0
    for key, dg in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        out["dW" + key] = np.einsum("im,jm->ij", dg, concat)
        out["db" + key] = np.einsum("im->i", dg).reshape(n_a, 1)
        dconcat = dconcat + np.einsum("ij,im->jm", parameters["W" + key], dg)
    out["da_prev"] = dconcat[:n_a]
    out["dxt"] = dconcat[n_a:]
    out["dc_prev"] = dc * ft
    return out


# ---------------------------------------------------------------- lstm_backward


def lstm_backward_template(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    da0 = np.zeros((n_a, m))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    dWf = np.zeros((n_a, n_a + n_x))
    dWi = np.zeros((n_a, n_a + n_x))
    dWc = np.zeros((n_a, n_a + n_x))
    dWo = np.zeros((n_a, n_a + n_x))
    dbf = np.zeros((n_a, 1))
    dbi = np.zeros((n_a, 1))
    dbc = np.zeros((n_a, 1))
    dbo = np.zeros((n_a, 1))
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
    da0 = gradients["da_prev"]
    gradients = {
        "dx": dx,
        "da0": da0,
        "dWf": dWf,
        "dbf": dbf,
        "dWi": dWi,
        "dbi": dbi,
        "dWc": dWc,
        "dbc": dbc,
        "dWo": dWo,
        "dbo": dbo,
    }
    return gradients


def lstm_backward_stub(da, caches):
    # the course stub: grads dict grown with keys, range(T - 1, -1, -1)
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    names = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
    da_next = np.zeros((n_a, m))
    dc_next = np.zeros((n_a, m))
    for t in range(T - 1, -1, -1):
        g = lstm_cell_backward(da[:, :, t] + da_next, dc_next, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in names:
            grads[k] = grads[k] + g[k] if k in grads else g[k].copy()
        da_next, dc_next = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_next
    return grads


def lstm_backward_functional(da, caches):
    step_caches, x = caches
    T = da.shape[2]
    da_c = np.zeros(da.shape[:2])
    dc_c = np.zeros(da.shape[:2])
    steps = []
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_c, dc_c, step_caches[t])
        steps.append(g)
        da_c, dc_c = g["da_prev"], g["dc_prev"]
    steps.reverse()
    out = {"dx": np.stack([g["dxt"] for g in steps], axis=2), "da0": da_c}
    for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
        out[k] = np.sum([g[k] for g in steps], axis=0)
    return out


def lstm_backward_inline(da, caches):
    # no cell call: everything written out in the loop
    step_caches, x = caches
    n_a, m, T = da.shape
    parameters = step_caches[0][9]
    n_x = x.shape[0]
    grads = {"dx": np.zeros((n_x, m, T))}
    for g in "fico":
        grads["dW" + g] = np.zeros((n_a, n_a + n_x))
        grads["db" + g] = np.zeros((n_a, 1))
    dh = np.zeros((n_a, m))
    dcell = np.zeros((n_a, m))
    for t in range(T - 1, -1, -1):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = step_caches[t]
        dh_total = da[:, :, t] + dh
        tc = np.tanh(c_next)
        dc = dcell + dh_total * ot * (1 - tc**2)
        deltas = {
            "f": dc * c_prev * ft * (1 - ft),
            "i": dc * cct * it * (1 - it),
            "c": dc * it * (1 - cct**2),
            "o": dh_total * tc * ot * (1 - ot),
        }
        concat = np.concatenate([a_prev, xt], axis=0)
        dconcat = np.zeros((n_a + n_x, m))
        for g, dg in deltas.items():
            grads["dW" + g] += dg @ concat.T
            grads["db" + g] += dg.sum(axis=1, keepdims=True)
            dconcat += parameters["W" + g].T @ dg
        grads["dx"][:, :, t] = dconcat[n_a:]
        dh = dconcat[:n_a]
        dcell = dc * ft
    grads["da0"] = dh
    return grads


# ---------------------------------------------------------------- initialize_adam


def initialize_adam_dlai(parameters):
    L = len(parameters) // 2
    v = {}
    s = {}
    for l in range(L):
        v["dW" + str(l + 1)] = np.zeros(
            (
                parameters["W" + str(l + 1)].shape[0],
                parameters["W" + str(l + 1)].shape[1],
            )
        )
        v["db" + str(l + 1)] = np.zeros(
            (
                parameters["b" + str(l + 1)].shape[0],
                parameters["b" + str(l + 1)].shape[1],
            )
        )
        s["dW" + str(l + 1)] = np.zeros(
            (
                parameters["W" + str(l + 1)].shape[0],
                parameters["W" + str(l + 1)].shape[1],
            )
        )
        s["db" + str(l + 1)] = np.zeros(
            (
                parameters["b" + str(l + 1)].shape[0],
                parameters["b" + str(l + 1)].shape[1],
            )
        )
    return v, s


def initialize_adam_fstring(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        v[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        v[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
        s[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        s[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
    return v, s


def initialize_adam_stub(parameters):
    v, s = {}, {}
    for key in parameters:
        v["d" + key] = np.zeros_like(parameters[key])
        s["d" + key] = np.zeros_like(parameters[key])
    return v, s


def initialize_adam_comprehension(parameters):
    v = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    s = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    return v, s


def initialize_adam_copy(parameters):
    # zeros made by multiplying a copy: new arrays, never views of the parameters
    v, s = {}, {}
    for name, value in parameters.items():
        v[f"d{name}"] = np.array(value, dtype=float, copy=True) * 0.0
        s[f"d{name}"] = np.full(np.shape(value), 0.0)
    return v, s


# ---------------------------------------------------------------- update_parameters_with_adam


def update_parameters_with_adam_dlai5(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # newer deeplearning.ai: returns v_corrected and s_corrected too
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        v["dW" + str(l + 1)] = (
            beta1 * v["dW" + str(l + 1)] + (1 - beta1) * grads["dW" + str(l + 1)]
        )
        v["db" + str(l + 1)] = (
            beta1 * v["db" + str(l + 1)] + (1 - beta1) * grads["db" + str(l + 1)]
        )
        v_corrected["dW" + str(l + 1)] = v["dW" + str(l + 1)] / (1 - np.power(beta1, t))
        v_corrected["db" + str(l + 1)] = v["db" + str(l + 1)] / (1 - np.power(beta1, t))
        s["dW" + str(l + 1)] = beta2 * s["dW" + str(l + 1)] + (1 - beta2) * np.power(
            grads["dW" + str(l + 1)], 2
        )
        s["db" + str(l + 1)] = beta2 * s["db" + str(l + 1)] + (1 - beta2) * np.power(
            grads["db" + str(l + 1)], 2
        )
        s_corrected["dW" + str(l + 1)] = s["dW" + str(l + 1)] / (1 - np.power(beta2, t))
        s_corrected["db" + str(l + 1)] = s["db" + str(l + 1)] / (1 - np.power(beta2, t))
        parameters["W" + str(l + 1)] = parameters[
            "W" + str(l + 1)
        ] - learning_rate * v_corrected["dW" + str(l + 1)] / (
            np.sqrt(s_corrected["dW" + str(l + 1)]) + epsilon
        )
        parameters["b" + str(l + 1)] = parameters[
            "b" + str(l + 1)
        ] - learning_rate * v_corrected["db" + str(l + 1)] / (
            np.sqrt(s_corrected["db" + str(l + 1)]) + epsilon
        )
    return parameters, v, s, v_corrected, s_corrected


def update_parameters_with_adam_dlai3(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # older deeplearning.ai: corrected moments are local, 3 return values
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        for p in ("W", "b"):
            key = "d" + p + str(l + 1)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            v_corrected[key] = v[key] / (1 - beta1**t)
            s[key] = beta2 * s[key] + (1 - beta2) * grads[key] ** 2
            s_corrected[key] = s[key] / (1 - beta2**t)
            parameters[p + str(l + 1)] = parameters[
                p + str(l + 1)
            ] - learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
    return parameters, v, s


def update_parameters_with_adam_fstring5(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in (f"W{l}", f"b{l}"):
            g = grads[f"d{name}"]
            v[f"d{name}"] = beta1 * v[f"d{name}"] + (1 - beta1) * g
            s[f"d{name}"] = beta2 * s[f"d{name}"] + (1 - beta2) * np.square(g)
            v_corrected[f"d{name}"] = v[f"d{name}"] / (1 - beta1**t)
            s_corrected[f"d{name}"] = s[f"d{name}"] / (1 - beta2**t)
            parameters[name] = parameters[name] - learning_rate * v_corrected[
                f"d{name}"
            ] / (np.sqrt(s_corrected[f"d{name}"]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


def update_parameters_with_adam_stub(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # the course stub: any keys, "d" + key
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g * g
        m_hat = v["d" + key] / (1 - beta1**t)
        v_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * m_hat / (
            np.sqrt(v_hat) + epsilon
        )
    return parameters, v, s


def update_parameters_with_adam_inplace(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # writes into the arrays of parameters, v and s (what the contract lets it update)
    for key, theta in parameters.items():
        g = grads["d" + key]
        v["d" + key] *= beta1
        v["d" + key] += (1 - beta1) * g
        s["d" + key] *= beta2
        s["d" + key] += (1 - beta2) * g**2
        theta -= (
            learning_rate
            * (v["d" + key] / (1 - beta1**t))
            / (np.sqrt(s["d" + key] / (1 - beta2**t)) + epsilon)
        )
    return parameters, v, s


def update_parameters_with_adam_torch_order(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # PyTorch's order: step size lr / (1 - b1^t), denom sqrt(s) / sqrt(1 - b2^t) + eps; new dicts
    bc1, bc2 = 1 - beta1**t, 1 - beta2**t
    new_p, new_v, new_s = {}, {}, {}
    for key in parameters:
        dk = "d" + key
        new_v[dk] = beta1 * v[dk] + (1 - beta1) * grads[dk]
        new_s[dk] = beta2 * s[dk] + (1 - beta2) * grads[dk] * grads[dk]
        denom = np.sqrt(new_s[dk]) / np.sqrt(bc2) + epsilon
        new_p[key] = parameters[key] - (learning_rate / bc1) * new_v[dk] / denom
    parameters.update(new_p)
    v.update(new_v)
    s.update(new_s)
    return parameters, v, s


def update_parameters_with_adam_generic5(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # newer deeplearning.ai return (5 values), but over every key of parameters
    v_corrected, s_corrected = {}, {}
    for name in parameters:
        d = "d" + name
        v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        s[d] = beta2 * s[d] + (1 - beta2) * np.power(grads[d], 2)
        v_corrected[d] = v[d] / (1 - np.power(beta1, t))
        s_corrected[d] = s[d] / (1 - np.power(beta2, t))
        parameters[name] = parameters[name] - learning_rate * np.divide(
            v_corrected[d], np.sqrt(s_corrected[d]) + epsilon
        )
    return parameters, v, s, v_corrected, s_corrected


# ---------------------------------------------------------------- clip (Dinosaurus Island)


def clip_dlai(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    for gradient in [dWax, dWaa, dWya, db, dby]:
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    gradients = {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
    return gradients


def clip_new_arrays(gradients, maxValue):
    return {
        key: np.clip(value, -maxValue, maxValue) for key, value in gradients.items()
    }


def clip_dict_loop(gradients, maxValue):
    for key in gradients.keys():
        gradients[key] = np.clip(gradients[key], a_min=-maxValue, a_max=maxValue)
    return gradients


def clip_min_max(gradients, maxValue):
    clipped = {}
    for key in ["dWaa", "dWax", "dWya", "db", "dby"]:
        clipped[key] = np.minimum(np.maximum(gradients[key], -maxValue), maxValue)
    return clipped


def clip_masks(gradients, maxValue):
    # boolean masks, in place
    for g in gradients.values():
        g[g > maxValue] = maxValue
        g[g < -maxValue] = -maxValue
    return gradients


# ---------------------------------------------------------------- clip_grad_norm


def clip_grad_norm_if(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    clip_coef = max_norm / (total_norm + 1e-6)
    if clip_coef < 1:
        clipped = {k: g * clip_coef for k, g in grads.items()}
    else:
        clipped = {k: g.copy() for k, g in grads.items()}
    return clipped, total_norm


def clip_grad_norm_clamp(grads, max_norm):
    # torch: clip_coef clamped to 1, always multiplied
    total_norm = float(
        np.linalg.norm(np.concatenate([np.ravel(g) for g in grads.values()]))
    )
    coef = min(max_norm / (total_norm + 1e-6), 1.0)
    clipped = {}
    for name in grads:
        clipped[name] = coef * grads[name]
    return clipped, total_norm


def clip_grad_norm_norm_of_norms(grads, max_norm):
    norms = [np.linalg.norm(g.ravel()) for g in grads.values()]
    total_norm = np.linalg.norm(norms)
    clipped = {}
    for name, g in grads.items():
        clipped[name] = np.copy(g)
        if total_norm > max_norm:
            clipped[name] *= max_norm / (total_norm + 1e-6)
    return clipped, total_norm


def clip_grad_norm_einsum(grads, max_norm):
    sq = 0.0
    for g in grads.values():
        flat = np.reshape(g, -1)
        sq += np.einsum("i,i->", flat, flat)
    total_norm = sq**0.5
    scale = max_norm / (total_norm + 1e-6)
    if scale >= 1:
        scale = 1.0
    clipped = dict()
    for k, g in grads.items():
        clipped[k] = g * scale
    return clipped, total_norm


# ---------------------------------------------------------------- clipped_adam_step


def clipped_adam_step_calls(parameters, grads, v, s, t, max_norm, learning_rate=0.01):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    parameters, v, s = update_parameters_with_adam(
        parameters, clipped, v, s, t, learning_rate
    )
    return parameters, v, s, total_norm


def clipped_adam_step_inline(parameters, grads, v, s, t, max_norm, learning_rate=0.01):
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    total_norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads.values()))
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    for key in parameters:
        g = coef * grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s, total_norm


def clipped_adam_step_keywords(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, norm = clip_grad_norm(grads=grads, max_norm=max_norm)
    out = update_parameters_with_adam(
        parameters,
        clipped,
        v,
        s,
        t,
        learning_rate=learning_rate,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
    )
    return out[0], out[1], out[2], norm


def clipped_adam_step_inplace(parameters, grads, v, s, t, max_norm, learning_rate=0.01):
    # clip with the library-style function, Adam written in place
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for key in parameters:
        g = clipped["d" + key]
        v["d" + key] *= b1
        v["d" + key] += (1 - b1) * g
        s["d" + key] *= b2
        s["d" + key] += (1 - b2) * g * g
        parameters[key] -= (
            learning_rate
            * (v["d" + key] / (1 - b1**t))
            / (np.sqrt(s["d" + key] / (1 - b2**t)) + eps)
        )
    return parameters, v, s, total_norm


# ---------------------------------------------------------------- gradients_w_b


def gradients_w_b_double_loop(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]
    return dW, db


def gradients_w_b_einsum_tril(delta, x):
    T = delta.shape[0]
    mask = np.tril(np.ones((T, T)))  # k <= t
    dW = np.einsum("tk,tkd,km->dm", mask, delta, x)
    db = np.einsum("tk,tkd->d", mask, delta)
    return dW, db


def gradients_w_b_swapped(delta, x):
    # swap the sums: delta_k = sum over t >= k, then one outer product per k
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for k in range(T):
        delta_k = delta[k:, k].sum(axis=0)
        dW = dW + delta_k[:, None] @ x[k][None, :]
        db = db + delta_k
    return dW, db


def gradients_w_b_vectorized(delta, x):
    T = delta.shape[0]
    keep = np.tril(np.ones((T, T), dtype=bool))
    delta_k = np.where(keep[:, :, None], delta, 0.0).sum(axis=0)  # (T, D)
    return delta_k.T @ x, delta_k.sum(axis=0)


def gradients_w_b_elementwise(delta, x):
    # the entry formula [delta_{t,k}]_i [x_k]_j, four loops
    T, _, D = delta.shape
    M = x.shape[1]
    dW = np.zeros((D, M))
    db = np.zeros(D)
    for t in range(T):
        for k in range(0, t + 1):
            for i in range(D):
                db[i] += delta[t, k, i]
                for j in range(M):
                    dW[i, j] += delta[t, k, i] * x[k, j]
    return dW, db


# ---------------------------------------------------------------- rnn_layer_forward


def rnn_layer_forward_stub(x, h0, params):
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    h = h0[0]
    for t in range(T):
        h = np.tanh(
            x[t] @ params["weight_ih"].T
            + params["bias_ih"]
            + h @ params["weight_hh"].T
            + params["bias_hh"]
        )
        output[t] = h
    return output, output[-1:].copy(), (x, h0, output, params)


def rnn_layer_forward_stack(x, h0, params):
    W_ih, W_hh, b_ih, b_hh = (
        params["weight_ih"],
        params["weight_hh"],
        params["bias_ih"],
        params["bias_hh"],
    )
    hs = []
    h = h0[0]
    for xt in x:
        h = np.tanh(np.dot(xt, W_ih.T) + b_ih + np.dot(h, W_hh.T) + b_hh)
        hs.append(h)
    output = np.stack(hs)
    return output, h[None, :, :], (x, h0, output, params)


def rnn_layer_forward_precompute(x, h0, params):
    # input projection of all steps at once, einsum
    xw = (
        np.einsum("tmi,hi->tmh", x, params["weight_ih"])
        + params["bias_ih"]
        + params["bias_hh"]
    )
    output = np.empty_like(xw)
    h = h0[0]
    for t in range(x.shape[0]):
        h = np.tanh(xw[t] + np.einsum("mj,hj->mh", h, params["weight_hh"]))
        output[t] = h
    return output, output[[-1]], (x, h0, output, params)


def rnn_layer_forward_columns(x, h0, params):
    # deeplearning.ai column layout inside: h as (H, m), W @ h
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    b = (params["bias_ih"] + params["bias_hh"]).reshape(H, 1)
    a = h0[0].T
    output = np.zeros((T, m, H))
    for t in range(T):
        a = np.tanh(params["weight_ih"] @ x[t].T + params["weight_hh"] @ a + b)
        output[t] = a.T
    h_n = np.expand_dims(output[T - 1], 0).copy()
    return output, h_n, (x, h0, output, params)


# ---------------------------------------------------------------- rnn_layer_backward


def rnn_layer_backward_stub(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = d_h_n[0].copy()
    for t in reversed(range(T)):
        h_prev = output[t - 1] if t > 0 else h0[0]
        dz = (d_output[t] + from_later) * (1 - output[t] ** 2)
        dx[t] = dz @ params["weight_ih"]
        dweight_ih += dz.T @ x[t]
        dweight_hh += dz.T @ h_prev
        dbias += dz.sum(axis=0)
        from_later = dz @ params["weight_hh"]
    return {
        "dx": dx,
        "dh0": from_later[None],
        "dweight_ih": dweight_ih,
        "dweight_hh": dweight_hh,
        "dbias_ih": dbias,
        "dbias_hh": dbias.copy(),
    }


def rnn_layer_backward_einsum(d_output, d_h_n, cache):
    # dz of every step first, then all weight gradients by einsum
    x, h0, output, params = cache
    T = output.shape[0]
    h_prev_all = np.concatenate([h0, output[:-1]], axis=0)
    dz_all = np.zeros_like(output)
    carry = d_h_n[0]
    for t in range(T - 1, -1, -1):
        dz_all[t] = (d_output[t] + carry) * (1 - output[t] * output[t])
        carry = np.einsum("mh,hj->mj", dz_all[t], params["weight_hh"])
    db = dz_all.sum(axis=(0, 1))
    return {
        "dx": np.einsum("tmh,hi->tmi", dz_all, params["weight_ih"]),
        "dh0": carry[np.newaxis],
        "dweight_ih": np.einsum("tmh,tmi->hi", dz_all, x),
        "dweight_hh": np.einsum("tmh,tmj->hj", dz_all, h_prev_all),
        "dbias_ih": db,
        "dbias_hh": db.copy(),
    }


def rnn_layer_backward_columns(d_output, d_h_n, cache):
    # column layout (H, m) as in deeplearning.ai, transposed back at the end
    x, h0, output, params = cache
    T, m, H = output.shape
    W_ih, W_hh = params["weight_ih"], params["weight_hh"]
    dx = np.zeros(x.shape)
    dW_ih = np.zeros(W_ih.shape)
    dW_hh = np.zeros(W_hh.shape)
    db = np.zeros((H, 1))
    da_prev = d_h_n[0].T
    for t in reversed(range(T)):
        a_t = output[t].T
        a_prev = (output[t - 1] if t else h0[0]).T
        dtanh = (1 - a_t**2) * (d_output[t].T + da_prev)
        dx[t] = (W_ih.T @ dtanh).T
        dW_ih = dW_ih + dtanh @ x[t]
        dW_hh = dW_hh + dtanh @ a_prev.T
        db = db + dtanh.sum(axis=1, keepdims=True)
        da_prev = W_hh.T @ dtanh
    return {
        "dx": dx,
        "dh0": da_prev.T[None],
        "dweight_ih": dW_ih,
        "dweight_hh": dW_hh,
        "dbias_ih": db[:, 0],
        "dbias_hh": db[:, 0].copy(),
    }


def rnn_layer_backward_while(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T = output.shape[0]
    grads = {
        "dx": np.zeros_like(x),
        "dweight_ih": np.zeros_like(params["weight_ih"]),
        "dweight_hh": np.zeros_like(params["weight_hh"]),
        "dbias_ih": np.zeros_like(params["bias_ih"]),
        "dbias_hh": np.zeros_like(params["bias_hh"]),
    }
    dh = np.array(d_h_n[0])
    t = T - 1
    while t >= 0:
        prev = h0[0] if t == 0 else output[t - 1]
        dz = (dh + d_output[t]) * (1.0 - np.square(output[t]))
        grads["dx"][t] = np.dot(dz, params["weight_ih"])
        grads["dweight_ih"] += np.dot(dz.T, x[t])
        grads["dweight_hh"] += np.dot(dz.T, prev)
        grads["dbias_ih"] += np.sum(dz, axis=0)
        grads["dbias_hh"] += np.sum(dz, axis=0)
        dh = np.dot(dz, params["weight_hh"])
        t -= 1
    grads["dh0"] = dh.reshape(1, *dh.shape)
    return grads


# ---------------------------------------------------------------- the names a notebook would define

rnn_cell_forward = rnn_cell_forward_template
rnn_cell_backward = rnn_cell_backward_template
lstm_cell_forward = lstm_cell_forward_template
lstm_cell_backward = lstm_cell_backward_template
clip_grad_norm = clip_grad_norm_if
update_parameters_with_adam = update_parameters_with_adam_stub
initialize_adam = initialize_adam_stub


CORRECT = {
    "rnn_cell_forward": [
        rnn_cell_forward_template,
        rnn_cell_forward_matmul,
        rnn_cell_forward_einsum,
        rnn_cell_forward_stacked,
        rnn_cell_forward_matmul_copy,
    ],
    "rnn_forward": [
        rnn_forward_template,
        rnn_forward_stack,
        rnn_forward_inline,
        rnn_forward_moveaxis,
        rnn_forward_while_einsum,
    ],
    "rnn_cell_backward": [
        rnn_cell_backward_template,
        rnn_cell_backward_recompute,
        rnn_cell_backward_matmul,
        rnn_cell_backward_einsum,
        rnn_cell_backward_stacked,
    ],
    "rnn_backward": [
        rnn_backward_template,
        rnn_backward_stub,
        rnn_backward_functional_sums,
        rnn_backward_inline_einsum,
        rnn_backward_while,
    ],
    "lstm_cell_forward": [
        lstm_cell_forward_template,
        lstm_cell_forward_concat,
        lstm_cell_forward_split,
        lstm_cell_forward_stacked_einsum,
    ],
    "lstm_forward": [
        lstm_forward_template,
        lstm_forward_stack,
        lstm_forward_inline,
        lstm_forward_enumerate,
    ],
    "lstm_cell_backward": [
        lstm_cell_backward_template,
        lstm_cell_backward_dc_total,
        lstm_cell_backward_stacked,
        lstm_cell_backward_einsum,
    ],
    "lstm_backward": [
        lstm_backward_template,
        lstm_backward_stub,
        lstm_backward_functional,
        lstm_backward_inline,
    ],
    "initialize_adam": [
        initialize_adam_dlai,
        initialize_adam_fstring,
        initialize_adam_stub,
        initialize_adam_comprehension,
        initialize_adam_copy,
    ],
    "update_parameters_with_adam": [
        update_parameters_with_adam_dlai5,
        update_parameters_with_adam_dlai3,
        update_parameters_with_adam_fstring5,
        update_parameters_with_adam_stub,
        update_parameters_with_adam_inplace,
        update_parameters_with_adam_torch_order,
        update_parameters_with_adam_generic5,
    ],
    "clip": [clip_dlai, clip_new_arrays, clip_dict_loop, clip_min_max, clip_masks],
    "clip_grad_norm": [
        clip_grad_norm_if,
        clip_grad_norm_clamp,
        clip_grad_norm_norm_of_norms,
        clip_grad_norm_einsum,
    ],
    "clipped_adam_step": [
        clipped_adam_step_calls,
        clipped_adam_step_inline,
        clipped_adam_step_keywords,
        clipped_adam_step_inplace,
    ],
    "gradients_w_b": [
        gradients_w_b_double_loop,
        gradients_w_b_einsum_tril,
        gradients_w_b_swapped,
        gradients_w_b_vectorized,
        gradients_w_b_elementwise,
    ],
    "rnn_layer_forward": [
        rnn_layer_forward_stub,
        rnn_layer_forward_stack,
        rnn_layer_forward_precompute,
        rnn_layer_forward_columns,
    ],
    "rnn_layer_backward": [
        rnn_layer_backward_stub,
        rnn_layer_backward_einsum,
        rnn_layer_backward_columns,
        rnn_layer_backward_while,
    ],
}

# deeplearning.ai's L = len(parameters) // 2 and "W" + str(l): correct on W1, b1, ..., WL, bL dicts only.
DLAI_KEYS_ONLY = {
    initialize_adam_dlai,
    initialize_adam_fstring,
    update_parameters_with_adam_dlai5,
    update_parameters_with_adam_dlai3,
    update_parameters_with_adam_fstring5,
}


# The newer deeplearning.ai generation returns (parameters, v, s, v_corrected, s_corrected);
# the course stub's docstring says (parameters, v, s).
FIVE_VALUE_RETURN = {
    update_parameters_with_adam_dlai5,
    update_parameters_with_adam_fstring5,
    update_parameters_with_adam_generic5,
}


# ---------------------------------------------------------------- ambiguous cases


def gradients_w_b_all_k(delta, x):
    # sums over every k, not only k <= t: equal to (6.40) when delta[t, k] = 0 for k > t
    return np.einsum("tkd,km->dm", delta, x), delta.sum(axis=(0, 1))


def clip_grad_norm_aliases_when_small(grads, max_norm):
    # a new dict, but holding the caller's own arrays when no clipping is needed
    total_norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    if total_norm <= max_norm:
        return dict(grads), total_norm
    coef = max_norm / (total_norm + 1e-6)
    return {k: g * coef for k, g in grads.items()}, total_norm


def rnn_layer_forward_view_h_n(x, h0, params):
    # h_n returned as a view into output (torch's own h_n is a separate tensor)
    output = np.zeros((x.shape[0], x.shape[1], params["weight_hh"].shape[0]))
    h = h0[0]
    for t in range(x.shape[0]):
        h = np.tanh(
            x[t] @ params["weight_ih"].T
            + params["bias_ih"]
            + h @ params["weight_hh"].T
            + params["bias_hh"]
        )
        output[t] = h
    return output, output[-1:], (x, h0, output, params)


AMBIGUOUS = [
    (
        "gradients_w_b",
        "sums all k; correct iff delta[t, k] = 0 for k > t (causal delta)",
        gradients_w_b_all_k,
    ),
    (
        "clip_grad_norm",
        "returns the input arrays (not copies) in a new dict when not clipping",
        clip_grad_norm_aliases_when_small,
    ),
    ("rnn_layer_forward", "h_n is a view of output[-1:]", rnn_layer_forward_view_h_n),
]
