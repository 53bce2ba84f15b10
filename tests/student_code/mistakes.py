"""Wrong student implementations: each is a complete function with ONE bug.

MISTAKES = [(function_name, cause_id, fn), ...].  Cause ids are those of the
corpus brief plus the new ones documented in CAUSES below.  Written from the
API contract and the exercise stubs, in the way students write them: the
mistakes are the ones seen in deeplearning.ai forum threads, the published
errata, and the course's own exercise stubs.

Functions that call a cell (rnn_forward -> rnn_cell_forward ...) find a CORRECT
cell under the canonical name in this module's globals, as in a notebook where
the student's earlier cell passed its check, so the single bug is the one named.
"""

import functools

import numpy as np

import bptt
from bptt import sigmoid, softmax
from tests.student_code.correct import (  # noqa: F401  (global look-ups, as in a notebook)
    clip_grad_norm,
    lstm_cell_backward,
    lstm_cell_forward,
    rnn_cell_backward,
    rnn_cell_forward,
    update_parameters_with_adam,
)

MISTAKES = []

# cause ids added to the brief's list, one line each
CAUSES = {
    "inplace_modifies_input": "an augmented assignment (+=, *=) writes into an input array or into a previous step's cache",
    "caches_without_x": "rnn_forward / lstm_forward returns the list of step caches instead of (caches, x)",
    "slices_batch_axis": "x[:, t] (the batch axis) instead of x[:, :, t]",
    "bias_no_keepdims": "np.sum(..., axis=1) without keepdims: bias gradient of shape (n_a,) instead of (n_a, 1)",
    "bias_wrong_axis": "bias gradient summed over axis 0 (the units) instead of axis 1 (the batch)",
    "overwrites_instead_of_accumulates": "dW = dW_t instead of dW += dW_t in the time loop",
    "T_from_x": "T taken from x.shape[2] instead of da.shape[2] (deeplearning.ai erratum E7: x has 7 steps, da 4)",
    "gate_weights_mixup": "copy-paste: one gate uses another gate's weights",
    "c0_from_a0": "lstm_forward starts the cell state from a0 instead of zeros",
    "wrong_return_order": "lstm_forward returns (a, c, y, caches) instead of (a, y, c, caches)",
    "lstm_dcct_erratum": "deeplearning.ai erratum E1: extra cct factor and tanh(cct) in dcct",
    "lstm_dbc_erratum": "deeplearning.ai erratum E5: dbc summed from the gradient w.r.t. cct (before tanh')",
    "lstm_dot_missing_tanh": "dot = da_next * ot * (1 - ot), the tanh(c_next) factor dropped",
    "lstm_dc_prev_direct_only": "dc_prev = dc_next * ft, the path through a_next dropped",
    "lstm_cell_ignores_dc_next": "the cell backward uses only da_next; dc_next never enters",
    "adam_shared_moment_dict": "v = s = {}: one dict for both moments",
    "adam_off_by_one_keys": 'layer keys "W" + str(l) with l from 0: KeyError W0',
    "wrong_moment_shape": "moments of the wrong shape (np.zeros(W.shape[0]))",
    "adam_wrong_sign": "theta += instead of -=",
    "adam_uses_raw_gradient": "the update uses g instead of the corrected first moment",
    "adam_bias_correction_precedence": "(1 - beta1) ** t instead of 1 - beta1 ** t",
    "adam_ignores_hyperparameters": "beta1, beta2, epsilon re-set inside the function, the arguments ignored",
    "clip_result_discarded": "np.clip(g, ...) without out= and without assignment: nothing is clipped",
    "clip_bounds_swapped": "np.clip(g, maxValue, -maxValue)",
    "clip_sum_of_norms": "total norm = sum of the per-array norms, not the norm of all entries",
    "clip_no_sqrt": "total norm = sum of squares, no square root",
    "clipped_adam_no_clip": "clipped_adam_step computes the norm but steps with the unclipped gradients",
    "ignores_learning_rate": "learning_rate not passed on: the inner Adam step uses its default",
    "x_at_loss_step": "(6.40) with x_t instead of x_k",
    "diagonal_only": "(6.40)/(6.41) with only k = t, the sum over k dropped",
    "off_by_one_k_range": "range(t) instead of range(t + 1) over k",
    "h_n_first_step": "h_n taken as output[0:1] instead of output[-1:]",
    "missing_layer_dim": "h_n / dh0 of shape (m, H) instead of (1, m, H)",
    "ignores_d_h_n": "rnn_layer_backward starts from zeros instead of d_h_n",
    "negative_index_wraps": "h_prev = output[t - 1] also at t = 0: output[-1], the LAST state, instead of h0",
}


def mistake(function_name, cause_id):
    def register(fn):
        MISTAKES.append((function_name, cause_id, fn))
        return fn

    return register


# ================================================================ rnn_cell_forward


@mistake("rnn_cell_forward", "not_implemented")
def rnn_cell_forward__not_implemented(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    # YOUR CODE HERE
    raise NotImplementedError()
    cache = (a_next, a_prev, xt, parameters)  # noqa: F821
    return a_next, yt_pred, cache  # noqa: F821


@mistake("rnn_cell_forward", "template_none")
def rnn_cell_forward__template_none(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    yt_pred = None
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "returns_none")
def rnn_cell_forward__returns_none(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)
    yt_pred = softmax(Wya @ a_next + by)
    cache = (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "missing_bias")
def rnn_cell_forward__missing_bias(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev))
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "wrong_activation")
def rnn_cell_forward__sigmoid(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = sigmoid(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "no_softmax")
def rnn_cell_forward__no_softmax(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = np.dot(Wya, a_next) + by
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "softmax_wrong_axis")
def rnn_cell_forward__softmax_axis1(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    z = np.dot(Wya, a_next) + by
    yt_pred = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "softmax_wrong_axis")
def rnn_cell_forward__softmax_global(xt, a_prev, parameters):
    # normalised over the whole matrix (np.sum without axis)
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)
    e = np.exp(Wya @ a_next + by)
    yt_pred = e / np.sum(e)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "y_from_prev_state")
def rnn_cell_forward__y_from_prev(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_prev) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "wrong_return_arity")
def rnn_cell_forward__two_values(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    return a_next, yt_pred


@mistake("rnn_cell_forward", "wrong_cache_order")
def rnn_cell_forward__cache_order(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "hardcoded_reshape")
def rnn_cell_forward__reshape_5(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba.reshape(5, 1))
    yt_pred = softmax(np.dot(Wya, a_next) + by.reshape(2, 1))
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "global_name")
def rnn_cell_forward__global_parameters_tmp(xt, a_prev, parameters):
    # the deeplearning.ai test cell's name parameters_tmp instead of the argument
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba = parameters["ba"]
    a_next = np.tanh(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + parameters_tmp["by"])  # noqa: F821
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


@mistake("rnn_cell_forward", "chained_assignment_writes_cache")
def rnn_cell_forward__bias_accumulator(xt, a_prev, parameters):
    # z starts as the bias array itself; += then writes into parameters["ba"]
    # (and fails to broadcast when m > 1)
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    z = ba
    z += np.dot(Wax, xt) + np.dot(Waa, a_prev)
    a_next = np.tanh(z)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "missing_transpose")
def rnn_cell_forward__xt_transposed(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(np.dot(Wax.T, xt) + np.dot(Waa.T, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


# ================================================================ rnn_forward


@mistake("rnn_forward", "not_implemented")
def rnn_forward__not_implemented(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    # YOUR CODE HERE
    raise NotImplementedError()
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "template_none")
def rnn_forward__template_none(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = None
        caches.append(cache)
    caches = (caches, x)
    return a, y_pred, caches


@mistake("rnn_forward", "returns_none")
def rnn_forward__returns_none(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)


@mistake("rnn_forward", "no_state_carry")
def rnn_forward__no_state_carry(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "started_from_output_slice")
def rnn_forward__from_a_slice(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a[:, :, 0]
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "caches_np_append")
def rnn_forward__np_append(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches = np.append(caches, cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "wrong_return_arity")
def rnn_forward__two_values(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, _ = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
    return a, y_pred


@mistake("rnn_forward", "caches_without_x")
def rnn_forward__caches_list_only(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, caches


@mistake("rnn_forward", "hardcoded_reshape")
def rnn_forward__published_sizes(x, a0, parameters):
    caches = []
    a = np.zeros((5, 10, 4))
    y_pred = np.zeros((2, 10, 4))
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "global_name")
def rnn_forward__n_a_global(x, a0, parameters):
    # forgot the line n_y, n_a = parameters["Wya"].shape
    n_x, m, T_x = x.shape
    a = np.zeros((n_a, m, T_x))  # noqa: F821
    y_pred = np.zeros((n_y, m, T_x))  # noqa: F821
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "index_past_end_T1")
def rnn_forward__shape_from_step_1(x, a0, parameters):
    n_x, m = x[:, :, 1].shape
    T_x = x.shape[2]
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "slices_batch_axis")
def rnn_forward__x_t_batch_axis(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "wraps_reference")
def rnn_forward__wraps_bptt(x, a0, parameters):
    return bptt.rnn_forward(x, a0, parameters)


# ================================================================ rnn_cell_backward


@mistake("rnn_cell_backward", "not_implemented")
def rnn_cell_backward__not_implemented(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("rnn_cell_backward", "template_none")
def rnn_cell_backward__template_none(da_next, cache):
    (a_next, a_prev, xt, parameters) = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    dxt = np.dot(Wax.T, dtanh)
    dWax = np.dot(dtanh, xt.T)
    da_prev = np.dot(Waa.T, dtanh)
    dWaa = np.dot(dtanh, a_prev.T)
    dba = None
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_cell_backward", "returns_none")
def rnn_cell_backward__returns_none(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    gradients = {
        "dxt": Wax.T @ dtanh,
        "da_prev": Waa.T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ a_prev.T,
        "dba": dtanh.sum(axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "tanh_derivative_of_prev")
def rnn_cell_backward__tanh_prev(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_prev**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "tanh_applied_twice")
def rnn_cell_backward__tanh_twice(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - np.tanh(a_next) ** 2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "no_tanh_derivative")
def rnn_cell_backward__no_tanh_derivative(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "missing_transpose")
def rnn_cell_backward__no_transpose_Waa(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "missing_transpose")
def rnn_cell_backward__dWaa_transposed(da_next, cache):
    # dWaa = a_prev dtanh^T: right shape (square), wrong matrix
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": Wax.T @ dtanh,
        "da_prev": Waa.T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": a_prev @ dtanh.T,
        "dba": dtanh.sum(axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "mean_instead_of_sum_bias")
def rnn_cell_backward__mean_bias(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.mean(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "bias_no_keepdims")
def rnn_cell_backward__bias_1d(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1),
    }


@mistake("rnn_cell_backward", "bias_wrong_axis")
def rnn_cell_backward__bias_axis0(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=0, keepdims=True),
    }


@mistake("rnn_cell_backward", "missing_key")
def rnn_cell_backward__no_dxt(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Waa = parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "missing_key")
def rnn_cell_backward__key_da_next(da_next, cache):
    # the carried gradient returned under "da_next" instead of "da_prev"
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_next": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "global_name")
def rnn_cell_backward__n_a_global(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    dba = np.sum(dtanh, axis=1).reshape(n_a, 1)  # noqa: F821
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": dba,
    }


@mistake("rnn_cell_backward", "hardcoded_reshape")
def rnn_cell_backward__reshape_5(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    dba = np.sum(dtanh, axis=1).reshape(5, 1)
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": dba,
    }


@mistake("rnn_cell_backward", "chained_assignment_writes_cache")
def rnn_cell_backward__squares_a_next_in_place(da_next, cache):
    # dtanh = a_next is the cached array itself; *= squares cache[0] in place
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = a_next
    dtanh *= a_next
    dtanh = (1 - dtanh) * da_next
    return {
        "dxt": np.dot(Wax.T, dtanh),
        "da_prev": np.dot(Waa.T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


@mistake("rnn_cell_backward", "chained_assignment_writes_cache")
def rnn_cell_backward__dWax_is_Wax(da_next, cache):
    # meant "an array shaped like Wax"; dWax IS parameters["Wax"], and [:] = overwrites the weights
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = (1 - a_next**2) * da_next
    dxt = np.dot(Wax.T, dtanh)
    da_prev = np.dot(Waa.T, dtanh)
    dWax = parameters["Wax"]
    dWax[:] = np.dot(dtanh, xt.T)
    dWaa = np.dot(dtanh, a_prev.T)
    dba = np.sum(dtanh, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_cell_backward", "inplace_modifies_input")
def rnn_cell_backward__da_next_in_place(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    da_next *= 1 - a_next**2
    return {
        "dxt": np.dot(Wax.T, da_next),
        "da_prev": np.dot(Waa.T, da_next),
        "dWax": np.dot(da_next, xt.T),
        "dWaa": np.dot(da_next, a_prev.T),
        "dba": np.sum(da_next, axis=1, keepdims=True),
    }


rnn_cell_backward__partial = functools.partial(bptt.rnn_cell_backward)
MISTAKES.append(("rnn_cell_backward", "wraps_reference", rnn_cell_backward__partial))


# ================================================================ rnn_backward


@mistake("rnn_backward", "not_implemented")
def rnn_backward__not_implemented(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("rnn_backward", "returns_none")
def rnn_backward__returns_none(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    gradients = {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "no_backward_carry")
def rnn_backward__no_carry(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t], step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "da_not_passed")
def rnn_backward__only_carry(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "forward_time_order_in_backward")
def rnn_backward__forward_order(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in range(T):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "inplace_modifies_input")
def rnn_backward__adds_into_da(da, caches):
    # da_next is a view of da; += writes the carried gradient into the caller's da
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        da_next = da[:, :, t]
        da_next += da_prevt
        g = rnn_cell_backward(da_next, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "overwrites_instead_of_accumulates")
def rnn_backward__overwrites(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax = g["dWax"]
        dWaa = g["dWaa"]
        dba = g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "global_name")
def rnn_backward__parameters_global(da, caches):
    # the notebook's test cell defines `parameters`; the function never unpacks it
    step_caches, x = caches
    n_a, m, T = da.shape
    n_x = parameters["Wax"].shape[1]  # noqa: F821
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "index_past_end_T1")
def rnn_backward__shape_from_cache_1(da, caches):
    step_caches, x = caches
    (a2, a1, x2, parameters) = step_caches[1]
    n_x, m = x2.shape
    n_a, _, T = da.shape
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "hardcoded_reshape")
def rnn_backward__published_sizes(da, caches):
    step_caches, x = caches
    dx = np.zeros((3, 10, 4))
    dWax = np.zeros((5, 3))
    dWaa = np.zeros((5, 5))
    dba = np.zeros((5, 1))
    da_prevt = np.zeros((5, 10))
    for t in reversed(range(da.shape[2])):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "T_from_x")
def rnn_backward__T_from_x(da, caches):
    step_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@mistake("rnn_backward", "missing_key")
def rnn_backward__no_da0(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    dx = np.zeros((x.shape[0], m, T))
    dWax, dWaa, dba = (
        np.zeros((n_a, x.shape[0])),
        np.zeros((n_a, n_a)),
        np.zeros((n_a, 1)),
    )
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt = g["da_prev"]
        dWax += g["dWax"]
        dWaa += g["dWaa"]
        dba += g["dba"]
    return {"dx": dx, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# ================================================================ lstm_cell_forward


@mistake("lstm_cell_forward", "not_implemented")
def lstm_cell_forward__not_implemented(xt, a_prev, c_prev, parameters):
    p = parameters
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("lstm_cell_forward", "template_none")
def lstm_cell_forward__template_none(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = None
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


@mistake("lstm_cell_forward", "returns_none")
def lstm_cell_forward__returns_none(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@mistake("lstm_cell_forward", "concat_order")
def lstm_cell_forward__concat_x_first(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((xt, a_prev), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "missing_bias")
def lstm_cell_forward__no_bf(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat)
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "wrong_activation")
def lstm_cell_forward__cct_sigmoid(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = sigmoid(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "wrong_activation")
def lstm_cell_forward__a_without_tanh(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * c_next
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "no_softmax")
def lstm_cell_forward__no_softmax(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = p["Wy"] @ a_next + p["by"]
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "y_from_prev_state")
def lstm_cell_forward__y_from_a_prev(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_prev + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "wrong_cache_order")
def lstm_cell_forward__cache_gates_swapped(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, it, ft, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


@mistake("lstm_cell_forward", "wrong_return_arity")
def lstm_cell_forward__no_yt(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    return (
        a_next,
        c_next,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "inplace_modifies_input")
def lstm_cell_forward__c_prev_in_place(xt, a_prev, c_prev, parameters):
    # c_next = c_prev is the same array: *= and += rewrite c_prev (the previous step's c_next)
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = c_prev
    c_next *= ft
    c_next += it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "global_name")
def lstm_cell_forward__n_x_global(xt, a_prev, c_prev, parameters):
    # the template's n_x, m = xt.shape / n_y, n_a = Wy.shape lines skipped
    p = parameters
    concat = np.zeros((n_a + n_x, m))  # noqa: F821
    concat[:n_a, :] = a_prev  # noqa: F821
    concat[n_a:, :] = xt  # noqa: F821
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "hardcoded_reshape")
def lstm_cell_forward__concat_8_10(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.zeros((8, 10))
    concat[:5, :] = a_prev
    concat[5:, :] = xt
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


@mistake("lstm_cell_forward", "gate_weights_mixup")
def lstm_cell_forward__it_uses_Wf(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wf"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return (
        a_next,
        c_next,
        yt_pred,
        (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters),
    )


# ================================================================ lstm_forward


@mistake("lstm_forward", "not_implemented")
def lstm_forward__not_implemented(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    # YOUR CODE HERE
    raise NotImplementedError()
    return a, y, c, (caches, x)


@mistake("lstm_forward", "returns_none")
def lstm_forward__returns_none(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)


@mistake("lstm_forward", "cell_view_alias")
def lstm_forward__c0_view(x, a0, parameters):
    # c_next = c[:, :, 0] is zeros, but a VIEW: the first cache's c_prev later reads c<1>
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    c_next = c[:, :, 0]
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "started_from_output_slice")
def lstm_forward__a_from_slice(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next = a[:, :, 0]
    c_next = np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "no_state_carry")
def lstm_forward__c_reset(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, np.zeros((n_a, m)), parameters
        )
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "c0_from_a0")
def lstm_forward__c0_is_a0(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, a0
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "caches_np_append")
def lstm_forward__np_append(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches = np.append(caches, cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "wrong_return_arity")
def lstm_forward__no_c(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, (caches, x)


@mistake("lstm_forward", "wrong_return_order")
def lstm_forward__a_c_y(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, c, y, (caches, x)


@mistake("lstm_forward", "caches_without_x")
def lstm_forward__caches_only(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, caches


@mistake("lstm_forward", "global_name")
def lstm_forward__n_y_global(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    a, c = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))  # noqa: F821
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "hardcoded_reshape")
def lstm_forward__published_sizes(x, a0, parameters):
    a, c, y = np.zeros((5, 10, 7)), np.zeros((5, 10, 7)), np.zeros((2, 10, 7))
    caches = []
    a_next, c_next = a0, np.zeros((5, 10))
    for t in range(x.shape[2]):
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


# ================================================================ lstm_cell_backward


@mistake("lstm_cell_backward", "not_implemented")
def lstm_cell_backward__not_implemented(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    # YOUR CODE HERE
    raise NotImplementedError()
    return grads  # noqa: F821


@mistake("lstm_cell_backward", "returns_none")
def lstm_cell_backward__returns_none(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate((a_prev, xt), axis=0)
    grads = {"dc_prev": dc * ft, "da_prev": 0, "dxt": 0}
    for g, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads["dW" + g] = d @ concat.T
        grads["db" + g] = d.sum(axis=1, keepdims=True)
        grads["da_prev"] = grads["da_prev"] + parameters["W" + g][:, :n_a].T @ d
        grads["dxt"] = grads["dxt"] + parameters["W" + g][:, n_a:].T @ d


def _lstm_backward_from_deltas(
    cache, dft, dit, dcct, dot, dc_prev, concat=None, dbc=None
):
    """The student's own tail (dW = d concat^T, db = row sums, da_prev / dxt by columns)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    if concat is None:
        concat = np.concatenate((a_prev, xt), axis=0)
    W = parameters
    return {
        "dxt": (
            W["Wf"][:, n_a:].T @ dft
            + W["Wi"][:, n_a:].T @ dit
            + W["Wc"][:, n_a:].T @ dcct
            + W["Wo"][:, n_a:].T @ dot
        ),
        "da_prev": (
            W["Wf"][:, :n_a].T @ dft
            + W["Wi"][:, :n_a].T @ dit
            + W["Wc"][:, :n_a].T @ dcct
            + W["Wo"][:, :n_a].T @ dot
        ),
        "dc_prev": dc_prev,
        "dWf": dft @ concat.T,
        "dbf": np.sum(dft, axis=1, keepdims=True),
        "dWi": dit @ concat.T,
        "dbi": np.sum(dit, axis=1, keepdims=True),
        "dWc": dcct @ concat.T,
        "dbc": np.sum(dcct, axis=1, keepdims=True) if dbc is None else dbc,
        "dWo": dot @ concat.T,
        "dbo": np.sum(dot, axis=1, keepdims=True),
    }


@mistake("lstm_cell_backward", "lstm_partial_gate_erratum")
def lstm_cell_backward__erratum_E2(da_next, dc_next, cache):
    # deeplearning.ai (older) eqs. (9), (10) as printed: sigma' multiplies only the da_next term
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dot = da_next * tc * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - tc**2) * it * da_next) * (1 - cct**2)
    dit = dc_next * cct + ot * (1 - tc**2) * cct * da_next * it * (1 - it)
    dft = dc_next * c_prev + ot * (1 - tc**2) * c_prev * da_next * ft * (1 - ft)
    dc_prev = dc_next * ft + ot * (1 - tc**2) * ft * da_next
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc_prev)


@mistake("lstm_cell_backward", "lstm_dcct_erratum")
def lstm_cell_backward__erratum_E1(da_next, dc_next, cache):
    # older eq. (8) as printed: an extra cct factor and (1 - tanh(cct)^2)
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc_next * it + ot * (1 - tc**2) * it * da_next * cct * (
        1 - np.tanh(cct) ** 2
    )
    dit = (dc_next * cct + ot * (1 - tc**2) * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * (1 - tc**2) * c_prev * da_next) * ft * (1 - ft)
    dc_prev = dc_next * ft + ot * (1 - tc**2) * ft * da_next
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc_prev)


@mistake("lstm_cell_backward", "lstm_dbc_erratum")
def lstm_cell_backward__erratum_E5(da_next, dc_next, cache):
    # current eq. (17): dbc = sum(d gamma_c), read as the gradient w.r.t. cct itself
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    dbc = np.sum(dc * it, axis=1, keepdims=True)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc * ft, dbc=dbc)


@mistake("lstm_cell_backward", "lstm_row_slicing")
def lstm_cell_backward__rows(da_next, dc_next, cache):
    # older text E3: W[:n_a, :] for da_prev and W[n_a:, :] for dxt (rows, not columns)
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate((a_prev, xt), axis=0)
    p = parameters
    da_prev = (
        np.dot(p["Wf"][:n_a, :].T, dft)
        + np.dot(p["Wi"][:n_a, :].T, dit)
        + np.dot(p["Wc"][:n_a, :].T, dcct)
        + np.dot(p["Wo"][:n_a, :].T, dot)
    )
    dxt = (
        np.dot(p["Wf"][n_a:, :].T, dft)
        + np.dot(p["Wi"][n_a:, :].T, dit)
        + np.dot(p["Wc"][n_a:, :].T, dcct)
        + np.dot(p["Wo"][n_a:, :].T, dot)
    )
    return {
        "dxt": dxt,
        "da_prev": da_prev,
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dbf": dft.sum(1, keepdims=True),
        "dWi": dit @ concat.T,
        "dbi": dit.sum(1, keepdims=True),
        "dWc": dcct @ concat.T,
        "dbc": dcct.sum(1, keepdims=True),
        "dWo": dot @ concat.T,
        "dbo": dot.sum(1, keepdims=True),
    }


@mistake("lstm_cell_backward", "forget_uses_c_next")
def lstm_cell_backward__dft_c_next(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_next * ft * (1 - ft)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc * ft)


@mistake("lstm_cell_backward", "lstm_dot_missing_tanh")
def lstm_cell_backward__dot_no_tanh(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc * ft)


@mistake("lstm_cell_backward", "lstm_dc_prev_direct_only")
def lstm_cell_backward__dc_prev_direct(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc_next * ft)


@mistake("lstm_cell_backward", "lstm_cell_ignores_dc_next")
def lstm_cell_backward__no_dc_next(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc * ft)


@mistake("lstm_cell_backward", "tanh_applied_twice")
def lstm_cell_backward__tanh_of_cct(da_next, dc_next, cache):
    # cct is already tanh(.): 1 - tanh(cct)^2 applies it again
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - np.tanh(cct) ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    return _lstm_backward_from_deltas(cache, dft, dit, dcct, dot, dc * ft)


@mistake("lstm_cell_backward", "concat_order")
def lstm_cell_backward__concat_x_first(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    return _lstm_backward_from_deltas(
        cache, dft, dit, dcct, dot, dc * ft, concat=np.vstack([xt, a_prev])
    )


@mistake("lstm_cell_backward", "mean_instead_of_sum_bias")
def lstm_cell_backward__mean_bias(da_next, dc_next, cache):
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
    grads = {"dxt": 0, "da_prev": 0, "dc_prev": dc * ft}
    for g in "fico":
        grads["dW" + g] = d[g] @ concat.T
        grads["db" + g] = np.mean(d[g], axis=1, keepdims=True)
        grads["da_prev"] = grads["da_prev"] + parameters["W" + g][:, :n_a].T @ d[g]
        grads["dxt"] = grads["dxt"] + parameters["W" + g][:, n_a:].T @ d[g]
    return grads


@mistake("lstm_cell_backward", "missing_key")
def lstm_cell_backward__no_dc_prev(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    grads = _lstm_backward_from_deltas(
        cache,
        dc * c_prev * ft * (1 - ft),
        dc * cct * it * (1 - it),
        dc * it * (1 - cct**2),
        da_next * tc * ot * (1 - ot),
        dc * ft,
    )
    del grads["dc_prev"]
    return grads


@mistake("lstm_cell_backward", "global_name")
def lstm_cell_backward__n_x_global(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    concat = np.zeros((n_a + n_x, m))  # noqa: F821
    concat[:n_a] = a_prev
    concat[n_a:] = xt
    return _lstm_backward_from_deltas(
        cache,
        dc * c_prev * ft * (1 - ft),
        dc * cct * it * (1 - it),
        dc * it * (1 - cct**2),
        da_next * tc * ot * (1 - ot),
        dc * ft,
        concat=concat,
    )


@mistake("lstm_cell_backward", "chained_assignment_writes_cache")
def lstm_cell_backward__c_next_tanh_in_place(da_next, dc_next, cache):
    # np.tanh(c_next, out=c_next) to "save memory": the cache's c_next becomes tanh(c_next)
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    tc = np.tanh(c_next, out=c_next)
    dc = dc_next + da_next * ot * (1 - tc**2)
    return _lstm_backward_from_deltas(
        cache,
        dc * c_prev * ft * (1 - ft),
        dc * cct * it * (1 - it),
        dc * it * (1 - cct**2),
        da_next * tc * ot * (1 - ot),
        dc * ft,
    )


# ================================================================ lstm_backward


_LSTM_KEYS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


@mistake("lstm_backward", "not_implemented")
def lstm_backward__not_implemented(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    # YOUR CODE HERE
    raise NotImplementedError()
    return grads


@mistake("lstm_backward", "returns_none")
def lstm_backward__returns_none(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt


@mistake("lstm_backward", "dc_carry_missing")
def lstm_backward__dc_not_carried(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt = g["da_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "no_backward_carry")
def lstm_backward__da_not_carried(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t], dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "da_not_passed")
def lstm_backward__only_carry(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "forward_time_order_in_backward")
def lstm_backward__forward_order(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(T):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "overwrites_instead_of_accumulates")
def lstm_backward__overwrites(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "index_past_end_T1")
def lstm_backward__shape_from_cache_1(da, caches):
    (caches, x) = caches
    (a2, c2, a1, c1, f2, i2, cc2, o2, x2, parameters) = caches[1]
    n_a, m, T_x = da.shape
    n_x, m = x2.shape
    dx = np.zeros((n_x, m, T_x))
    dW = {
        k: np.zeros((n_a, n_a + n_x)) if k.startswith("dW") else np.zeros((n_a, 1))
        for k in _LSTM_KEYS
    }
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        dx[:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            dW[k] += g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    return {"dx": dx, "da0": da_prevt, **dW}


@mistake("lstm_backward", "global_name")
def lstm_backward__n_x_global(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    dx = np.zeros((n_x, m, T))  # noqa: F821
    grads = {}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    return {"dx": dx, "da0": da_prevt, **grads}


@mistake("lstm_backward", "T_from_x")
def lstm_backward__T_from_x(da, caches):
    step_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    grads = {"dx": np.zeros((n_x, m, T_x))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


@mistake("lstm_backward", "hardcoded_reshape")
def lstm_backward__published_sizes(da, caches):
    step_caches, x = caches
    dx = np.zeros((3, 10, 4))
    grads = {
        k: np.zeros((5, 8)) if k.startswith("dW") else np.zeros((5, 1))
        for k in _LSTM_KEYS
    }
    da_prevt, dc_prevt = np.zeros((5, 10)), np.zeros((5, 10))
    for t in reversed(range(da.shape[2])):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = g["dxt"]
        for k in _LSTM_KEYS:
            grads[k] += g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    return {"dx": dx, "da0": da_prevt, **grads}


@mistake("lstm_backward", "missing_key")
def lstm_backward__no_bias_grads(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in ("dWf", "dWi", "dWc", "dWo"):
            grads[k] = grads.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    grads["da0"] = da_prevt
    return grads


# ================================================================ initialize_adam


@mistake("initialize_adam", "not_implemented")
def initialize_adam__not_implemented(parameters):
    v, s = {}, {}
    # YOUR CODE HERE
    raise NotImplementedError()
    return v, s


@mistake("initialize_adam", "returns_none")
def initialize_adam__returns_none(parameters):
    v, s = {}, {}
    for key in parameters:
        v["d" + key] = np.zeros_like(parameters[key])
        s["d" + key] = np.zeros_like(parameters[key])


@mistake("initialize_adam", "adam_shared_moment_arrays")
def initialize_adam__same_arrays(parameters):
    v, s = {}, {}
    for key in parameters:
        v["d" + key] = s["d" + key] = np.zeros_like(parameters[key])
    return v, s


@mistake("initialize_adam", "adam_shared_moment_dict")
def initialize_adam__same_dict(parameters):
    v = s = {}
    for key in parameters:
        v["d" + key] = np.zeros_like(parameters[key])
    return v, s


@mistake("initialize_adam", "adam_keys_without_d")
def initialize_adam__keys_without_d(parameters):
    v, s = {}, {}
    for key in parameters:
        v[key] = np.zeros_like(parameters[key])
        s[key] = np.zeros_like(parameters[key])
    return v, s


@mistake("initialize_adam", "adam_misses_last_layer")
def initialize_adam__range_L_minus_1(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v, s


@mistake("initialize_adam", "adam_off_by_one_keys")
def initialize_adam__l_from_0(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(L):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v, s


@mistake("initialize_adam", "wrong_moment_shape")
def initialize_adam__first_dim_only(parameters):
    v, s = {}, {}
    for key in parameters:
        v["d" + key] = np.zeros(parameters[key].shape[0])
        s["d" + key] = np.zeros(parameters[key].shape[0])
    return v, s


@mistake("initialize_adam", "global_name")
def initialize_adam__L_global(parameters):
    # forgot L = len(parameters) // 2
    v, s = {}, {}
    for l in range(L):  # noqa: F821
        v["dW" + str(l + 1)] = np.zeros_like(parameters["W" + str(l + 1)])
        v["db" + str(l + 1)] = np.zeros_like(parameters["b" + str(l + 1)])
        s["dW" + str(l + 1)] = np.zeros_like(parameters["W" + str(l + 1)])
        s["db" + str(l + 1)] = np.zeros_like(parameters["b" + str(l + 1)])
    return v, s


# ================================================================ update_parameters_with_adam


@mistake("update_parameters_with_adam", "not_implemented")
def update_parameters_with_adam__not_implemented(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        # YOUR CODE HERE
        raise NotImplementedError()
    return parameters, v, s


@mistake("update_parameters_with_adam", "returns_none")
def update_parameters_with_adam__returns_none(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )


@mistake("update_parameters_with_adam", "wrong_return_arity")
def update_parameters_with_adam__params_only(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters


@mistake("update_parameters_with_adam", "adam_eps_inside_sqrt")
def update_parameters_with_adam__eps_inside(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # the deeplearning.ai starter-code line
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(L):
        for p in ("W", "b"):
            k = "d" + p + str(l + 1)
            v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
            v_corrected[k] = v[k] / (1 - beta1**t)
            s[k] = beta2 * s[k] + (1 - beta2) * np.square(grads[k])
            s_corrected[k] = s[k] / (1 - beta2**t)
            parameters[p + str(l + 1)] = parameters[
                p + str(l + 1)
            ] - learning_rate * v_corrected[k] / np.sqrt(s_corrected[k] + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "adam_no_sqrt")
def update_parameters_with_adam__no_sqrt(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (s_hat + epsilon)
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_beta2_squared")
def update_parameters_with_adam__beta2_squared(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**2)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_beta1_in_s")
def update_parameters_with_adam__beta1_in_s(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            g = grads[f"d{p}{l}"]
            v[f"d{p}{l}"] = beta1 * v[f"d{p}{l}"] + (1 - beta1) * g
            s[f"d{p}{l}"] = beta1 * s[f"d{p}{l}"] + (1 - beta1) * g**2
            v_hat = v[f"d{p}{l}"] / (1 - beta1**t)
            s_hat = s[f"d{p}{l}"] / (1 - beta2**t)
            parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * v_hat / (
                np.sqrt(s_hat) + epsilon
            )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_beta2_in_v")
def update_parameters_with_adam__beta2_in_v(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta2 * v["d" + key] + (1 - beta2) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_t_plus_1")
def update_parameters_with_adam__t_plus_1(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # "t counts from 0", so the student adds 1
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1 ** (t + 1))
        s_hat = s["d" + key] / (1 - beta2 ** (t + 1))
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_no_bias_correction")
def update_parameters_with_adam__no_correction(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        parameters[key] = parameters[key] - learning_rate * v["d" + key] / (
            np.sqrt(s["d" + key]) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_store_corrected")
def update_parameters_with_adam__stores_corrected(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v["d" + key] = v["d" + key] / (1 - beta1**t)
        s["d" + key] = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v["d" + key] / (
            np.sqrt(s["d" + key]) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_store_corrected")
def update_parameters_with_adam__corrected_alias(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # v_corrected = v binds the SAME dict: the corrected values overwrite the moments
    L = len(parameters) // 2
    v_corrected = v
    s_corrected = s
    for l in range(L):
        for p in ("W", "b"):
            k = "d" + p + str(l + 1)
            v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
            v_corrected[k] = v[k] / (1 - beta1**t)
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
            s_corrected[k] = s[k] / (1 - beta2**t)
            parameters[p + str(l + 1)] = parameters[
                p + str(l + 1)
            ] - learning_rate * v_corrected[k] / (np.sqrt(s_corrected[k]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "adam_abs_g")
def update_parameters_with_adam__abs_g(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.abs(g)
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_misses_last_layer")
def update_parameters_with_adam__range_L_minus_1(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(L - 1):
        for p in ("W", "b"):
            k = "d" + p + str(l + 1)
            v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
            v_corrected[k] = v[k] / (1 - beta1**t)
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
            s_corrected[k] = s[k] / (1 - beta2**t)
            parameters[p + str(l + 1)] = parameters[
                p + str(l + 1)
            ] - learning_rate * v_corrected[k] / (np.sqrt(s_corrected[k]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "adam_keys_without_d")
def update_parameters_with_adam__grads_key(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads[key]
        v[key] = beta1 * v[key] + (1 - beta1) * g
        s[key] = beta2 * s[key] + (1 - beta2) * g**2
        v_hat = v[key] / (1 - beta1**t)
        s_hat = s[key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_wrong_sign")
def update_parameters_with_adam__plus(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] + learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_uses_raw_gradient")
def update_parameters_with_adam__raw_g(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * g / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_bias_correction_precedence")
def update_parameters_with_adam__precedence(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1) ** t
        s_hat = s["d" + key] / (1 - beta2) ** t
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "adam_ignores_hyperparameters")
def update_parameters_with_adam__constants(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (
            np.sqrt(s_hat) + epsilon
        )
    return parameters, v, s


@mistake("update_parameters_with_adam", "global_name")
def update_parameters_with_adam__L_global(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    # L is a global of the deeplearning.ai notebook's earlier cells, never set here
    v_corrected, s_corrected = {}, {}
    for l in range(L):  # noqa: F821
        for p in ("W", "b"):
            k = "d" + p + str(l + 1)
            v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
            v_corrected[k] = v[k] / (1 - beta1**t)
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
            s_corrected[k] = s[k] / (1 - beta2**t)
            parameters[p + str(l + 1)] = parameters[
                p + str(l + 1)
            ] - learning_rate * v_corrected[k] / (np.sqrt(s_corrected[k]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


update_parameters_with_adam__lambda = (
    lambda parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8: (
        bptt.update_parameters_with_adam(
            parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon
        )
    )
)
MISTAKES.append(
    (
        "update_parameters_with_adam",
        "wraps_reference",
        update_parameters_with_adam__lambda,
    )
)


# ================================================================ clip (Dinosaurus Island)


@mistake("clip", "not_implemented")
def clip__not_implemented(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("clip", "dino_clip_only_positive")
def clip__upper_only(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    for gradient in [dWax, dWaa, dWya, db, dby]:
        np.clip(gradient, None, maxValue, out=gradient)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


@mistake("clip", "dino_clip_only_positive")
def clip__minimum(gradients, maxValue):
    return {k: np.minimum(g, maxValue) for k, g in gradients.items()}


@mistake("clip", "dino_clip_not_all_keys")
def clip__forgets_dby(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    for gradient in [dWax, dWaa, dWya, db]:
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


@mistake("clip", "dino_clip_not_all_keys")
def clip__drops_keys(gradients, maxValue):
    # returns only the weight matrices
    return {
        k: np.clip(gradients[k], -maxValue, maxValue) for k in ("dWaa", "dWax", "dWya")
    }


@mistake("clip", "clip_result_discarded")
def clip__no_out(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    for gradient in [dWax, dWaa, dWya, db, dby]:
        np.clip(gradient, -maxValue, maxValue)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


@mistake("clip", "clip_result_discarded")
def clip__rebinds_loop_variable(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (
        gradients["dWaa"],
        gradients["dWax"],
        gradients["dWya"],
        gradients["db"],
        gradients["dby"],
    )
    for gradient in [dWax, dWaa, dWya, db, dby]:
        gradient = np.clip(gradient, -maxValue, maxValue)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


@mistake("clip", "clip_bounds_swapped")
def clip__swapped(gradients, maxValue):
    return {k: np.clip(g, maxValue, -maxValue) for k, g in gradients.items()}


@mistake("clip", "clip_per_array_norm")
def clip__by_norm(gradients, maxValue):
    # rescales each array to norm maxValue instead of clipping entries
    out = {}
    for k, g in gradients.items():
        n = np.linalg.norm(g)
        out[k] = g * (maxValue / n) if n > maxValue else g
    return out


# ================================================================ clip_grad_norm


@mistake("clip_grad_norm", "not_implemented")
def clip_grad_norm__not_implemented(grads, max_norm):
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("clip_grad_norm", "clip_per_array_norm")
def clip_grad_norm__per_array(grads, max_norm):
    clipped = {}
    norms = []
    for k, g in grads.items():
        n = np.linalg.norm(g)
        norms.append(n)
        clipped[k] = g * min(1.0, max_norm / (n + 1e-6))
    total_norm = np.sqrt(np.sum(np.square(norms)))
    return clipped, total_norm


@mistake("clip_grad_norm", "clip_always_scale")
def clip_grad_norm__always(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    clipped = {k: g * max_norm / (total_norm + 1e-6) for k, g in grads.items()}
    return clipped, total_norm


@mistake("clip_grad_norm", "clip_no_eps")
def clip_grad_norm__no_eps(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    if total_norm > max_norm:
        clipped = {k: g * (max_norm / total_norm) for k, g in grads.items()}
    else:
        clipped = {k: g.copy() for k, g in grads.items()}
    return clipped, total_norm


@mistake("clip_grad_norm", "clip_returns_clipped_norm")
def clip_grad_norm__clipped_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    clipped = {k: coef * g for k, g in grads.items()}
    total_norm = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
    return clipped, total_norm


@mistake("clip_grad_norm", "clip_modifies_input")
def clip_grad_norm__in_place(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    coef = max_norm / (total_norm + 1e-6)
    if coef < 1:
        for g in grads.values():
            g *= coef
    return grads, total_norm


@mistake("clip_grad_norm", "clip_modifies_input")
def clip_grad_norm__same_dict(grads, max_norm):
    # clipped = grads is not a copy: the caller's dict now holds the clipped arrays
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    clipped = grads
    for k in clipped:
        clipped[k] = clipped[k] * coef
    return clipped, total_norm


@mistake("clip_grad_norm", "clip_sum_of_norms")
def clip_grad_norm__sum_of_norms(grads, max_norm):
    total_norm = sum(np.linalg.norm(g) for g in grads.values())
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: coef * g for k, g in grads.items()}, total_norm


@mistake("clip_grad_norm", "clip_no_sqrt")
def clip_grad_norm__no_sqrt(grads, max_norm):
    total_norm = sum(np.sum(g**2) for g in grads.values())
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: coef * g for k, g in grads.items()}, total_norm


@mistake("clip_grad_norm", "wrong_return_arity")
def clip_grad_norm__dict_only(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: coef * g for k, g in grads.items()}


# ================================================================ clipped_adam_step


@mistake("clipped_adam_step", "not_implemented")
def clipped_adam_step__not_implemented(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("clipped_adam_step", "clipped_adam_no_clip")
def clipped_adam_step__no_clip(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    parameters, v, s = update_parameters_with_adam(
        parameters, grads, v, s, t, learning_rate
    )
    return parameters, v, s, total_norm


@mistake("clipped_adam_step", "ignores_learning_rate")
def clipped_adam_step__default_lr(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    parameters, v, s = update_parameters_with_adam(parameters, clipped, v, s, t)
    return parameters, v, s, total_norm


@mistake("clipped_adam_step", "clip_returns_clipped_norm")
def clipped_adam_step__norm_after(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, _ = clip_grad_norm(grads, max_norm)
    total_norm = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
    parameters, v, s = update_parameters_with_adam(
        parameters, clipped, v, s, t, learning_rate
    )
    return parameters, v, s, total_norm


@mistake("clipped_adam_step", "clip_per_array_norm")
def clipped_adam_step__per_array(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped = {}
    for k, g in grads.items():
        clipped[k] = clip_grad_norm({k: g}, max_norm)[0][k]
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    parameters, v, s = update_parameters_with_adam(
        parameters, clipped, v, s, t, learning_rate
    )
    return parameters, v, s, total_norm


@mistake("clipped_adam_step", "adam_t_plus_1")
def clipped_adam_step__t_plus_1(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    parameters, v, s = update_parameters_with_adam(
        parameters, clipped, v, s, t + 1, learning_rate
    )
    return parameters, v, s, total_norm


@mistake("clipped_adam_step", "wrong_return_arity")
def clipped_adam_step__three_values(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    return update_parameters_with_adam(parameters, clipped, v, s, t, learning_rate)


@mistake("clipped_adam_step", "adam_eps_inside_sqrt")
def clipped_adam_step__eps_inside(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01
):
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    for key in parameters:
        g = clipped["d" + key]
        v["d" + key] = 0.9 * v["d" + key] + 0.1 * g
        s["d" + key] = 0.999 * s["d" + key] + 0.001 * g**2
        v_hat = v["d" + key] / (1 - 0.9**t)
        s_hat = s["d" + key] / (1 - 0.999**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / np.sqrt(
            s_hat + 1e-8
        )
    return parameters, v, s, total_norm


# ================================================================ gradients_w_b


@mistake("gradients_w_b", "not_implemented")
def gradients_w_b__not_implemented(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    # YOUR CODE HERE
    raise NotImplementedError()
    return dW, db


@mistake("gradients_w_b", "returns_none")
def gradients_w_b__returns_none(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]


@mistake("gradients_w_b", "x_at_loss_step")
def gradients_w_b__x_t(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            dW += np.outer(delta[t, k], x[t])
            db += delta[t, k]
    return dW, db


@mistake("gradients_w_b", "diagonal_only")
def gradients_w_b__diagonal(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for t in range(T):
        dW += np.outer(delta[t, t], x[t])
        db += delta[t, t]
    return dW, db


@mistake("gradients_w_b", "off_by_one_k_range")
def gradients_w_b__range_t(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((D, x.shape[1]))
    db = np.zeros(D)
    for t in range(T):
        for k in range(t):
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]
    return dW, db


@mistake("gradients_w_b", "missing_transpose")
def gradients_w_b__outer_swapped(delta, x):
    T, _, D = delta.shape
    dW = np.zeros((x.shape[1], D))
    db = np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            dW += np.outer(x[k], delta[t, k])
            db += delta[t, k]
    return dW, db


@mistake("gradients_w_b", "mean_instead_of_sum_bias")
def gradients_w_b__mean_bias(delta, x):
    T, _, D = delta.shape
    mask = np.tril(np.ones((T, T)))
    dW = np.einsum("tk,tkd,km->dm", mask, delta, x)
    db = np.mean(mask[:, :, None] * delta, axis=(0, 1))
    return dW, db


@mistake("gradients_w_b", "global_name")
def gradients_w_b__M_global(delta, x):
    # the notebook's test cell sets T, D, M = 6, 4, 3 as globals
    T, _, D = delta.shape
    dW = np.zeros((D, M))  # noqa: F821
    db = np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]
    return dW, db


@mistake("gradients_w_b", "hardcoded_reshape")
def gradients_w_b__published_sizes(delta, x):
    dW = np.zeros((4, 3))
    db = np.zeros(4)
    for t in range(delta.shape[0]):
        for k in range(t + 1):
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]
    return dW, db


# ================================================================ rnn_layer_forward


@mistake("rnn_layer_forward", "not_implemented")
def rnn_layer_forward__not_implemented(x, h0, params):
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    # YOUR CODE HERE
    raise NotImplementedError()
    return output, output[-1:].copy(), (x, h0, output, params)


@mistake("rnn_layer_forward", "rnn_layer_one_bias")
def rnn_layer_forward__only_bias_ih(x, h0, params):
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    h = h0[0]
    for t in range(T):
        h = np.tanh(
            x[t] @ params["weight_ih"].T + params["bias_ih"] + h @ params["weight_hh"].T
        )
        output[t] = h
    return output, output[-1:].copy(), (x, h0, output, params)


@mistake("rnn_layer_forward", "rnn_layer_no_transpose")
def rnn_layer_forward__W_hh_not_transposed(x, h0, params):
    # h @ W_hh instead of h @ W_hh.T (square, so it runs)
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    h = h0[0]
    for t in range(T):
        h = np.tanh(
            x[t] @ params["weight_ih"].T
            + params["bias_ih"]
            + h @ params["weight_hh"]
            + params["bias_hh"]
        )
        output[t] = h
    return output, output[-1:].copy(), (x, h0, output, params)


@mistake("rnn_layer_forward", "no_state_carry")
def rnn_layer_forward__h0_every_step(x, h0, params):
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    for t in range(T):
        output[t] = np.tanh(
            x[t] @ params["weight_ih"].T
            + params["bias_ih"]
            + h0[0] @ params["weight_hh"].T
            + params["bias_hh"]
        )
    return output, output[-1:].copy(), (x, h0, output, params)


@mistake("rnn_layer_forward", "h_n_first_step")
def rnn_layer_forward__h_n_first(x, h0, params):
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
    return output, output[:1].copy(), (x, h0, output, params)


@mistake("rnn_layer_forward", "missing_layer_dim")
def rnn_layer_forward__h_n_2d(x, h0, params):
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
    return output, h, (x, h0, output, params)


@mistake("rnn_layer_forward", "wrong_activation")
def rnn_layer_forward__relu(x, h0, params):
    T, m, _ = x.shape
    H = params["weight_hh"].shape[0]
    output = np.zeros((T, m, H))
    h = h0[0]
    for t in range(T):
        h = np.maximum(
            0,
            x[t] @ params["weight_ih"].T
            + params["bias_ih"]
            + h @ params["weight_hh"].T
            + params["bias_hh"],
        )
        output[t] = h
    return output, output[-1:].copy(), (x, h0, output, params)


# ================================================================ rnn_layer_backward


@mistake("rnn_layer_backward", "not_implemented")
def rnn_layer_backward__not_implemented(d_output, d_h_n, cache):
    x, h0, output, params = cache
    # YOUR CODE HERE
    raise NotImplementedError()


@mistake("rnn_layer_backward", "rnn_layer_one_bias")
def rnn_layer_backward__zero_bias_hh(d_output, d_h_n, cache):
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
        "dbias_hh": np.zeros(H),
    }


@mistake("rnn_layer_backward", "rnn_layer_no_transpose")
def rnn_layer_backward__dW_hh_transposed(d_output, d_h_n, cache):
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
        dweight_hh += h_prev.T @ dz
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


@mistake("rnn_layer_backward", "no_backward_carry")
def rnn_layer_backward__no_carry(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = d_h_n[0].copy()
    for t in reversed(range(T)):
        h_prev = output[t - 1] if t > 0 else h0[0]
        carry = from_later if t == T - 1 else 0
        dz = (d_output[t] + carry) * (1 - output[t] ** 2)
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


@mistake("rnn_layer_backward", "tanh_derivative_of_prev")
def rnn_layer_backward__tanh_prev(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = d_h_n[0].copy()
    for t in reversed(range(T)):
        h_prev = output[t - 1] if t > 0 else h0[0]
        dz = (d_output[t] + from_later) * (1 - h_prev**2)
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


@mistake("rnn_layer_backward", "ignores_d_h_n")
def rnn_layer_backward__no_d_h_n(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = np.zeros((m, H))
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


@mistake("rnn_layer_backward", "negative_index_wraps")
def rnn_layer_backward__output_minus_1(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = d_h_n[0].copy()
    for t in reversed(range(T)):
        h_prev = output[t - 1]
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


@mistake("rnn_layer_backward", "missing_layer_dim")
def rnn_layer_backward__dh0_2d(d_output, d_h_n, cache):
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
        "dh0": from_later,
        "dweight_ih": dweight_ih,
        "dweight_hh": dweight_hh,
        "dbias_ih": dbias,
        "dbias_hh": dbias.copy(),
    }


@mistake("rnn_layer_backward", "inplace_modifies_input")
def rnn_layer_backward__adds_into_d_output(d_output, d_h_n, cache):
    x, h0, output, params = cache
    T, m, H = output.shape
    dx = np.zeros_like(x)
    dweight_ih = np.zeros_like(params["weight_ih"])
    dweight_hh = np.zeros_like(params["weight_hh"])
    dbias = np.zeros(H)
    from_later = d_h_n[0].copy()
    for t in reversed(range(T)):
        h_prev = output[t - 1] if t > 0 else h0[0]
        dh = d_output[t]
        dh += from_later
        dz = dh * (1 - output[t] ** 2)
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
