"""The self-checks of bptt.checks against a catalogue of planted mistakes.

Each row of MISTAKES is a student-style implementation with one typical bug.
The check for that function must fail with an AssertionError whose HINT names
the bug; the correct student-style implementation must pass and print one line.
The implementations here are written like a student would write them (not
derived from the diagnosis code in bptt.checks), so the test can fail.
"""

import numpy as np
import pytest

from bptt import checks, sigmoid, softmax


def _require(name):
    """Skip until the reference module of ``name`` (bptt.lstm / bptt.optim) is in the package."""
    if name.startswith("lstm"):
        pytest.importorskip("bptt.lstm", reason="bptt.lstm not merged yet")
    if "adam" in name or "clip" in name:
        pytest.importorskip("bptt.optim", reason="bptt.optim not merged yet")


# ----------------------------------------------------------------- RNN, student style


def rnn_cell_forward(xt, a_prev, parameters, bug=None):
    Wax, Waa, Wya, ba, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "ba", "by"))
    z = Wax @ xt + Waa @ a_prev + (0 if bug == "no_bias" else ba)
    a_next = np.tanh(z)
    logits = Wya @ a_next + by
    yt_pred = logits if bug == "no_softmax" else softmax(logits)
    if bug == "softmax_rows":
        yt_pred = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters, bug=None):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_prev = a0 if bug == "no_carry" else a_next
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt
        if bug == "alias":  # carry a view into the output array
            a_next = a[:, :, t]
            cache = (a_next, cache[1], cache[2], cache[3])
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_forward_in_place(x, a0, parameters):
    """Updates one state buffer in place: every cache ends up holding the last state."""
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    state = a0.copy()
    for t in range(T_x):
        prev = state.copy()
        state[:] = np.tanh(
            parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ prev + parameters["ba"]
        )
        a[:, :, t] = state
        y_pred[:, :, t] = softmax(parameters["Wya"] @ state + parameters["by"])
        caches.append((state, prev, x[:, :, t], parameters))
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache, bug=None):
    a_next, a_prev, xt, p = cache
    if bug == "tanh_prev":
        dtanh = (1 - a_prev**2) * da_next
    elif bug == "tanh_twice":
        dtanh = (1 - np.tanh(a_next) ** 2) * da_next
    else:
        dtanh = (1 - a_next**2) * da_next
    dba = np.sum(dtanh, axis=1, keepdims=True)
    if bug == "mean_bias":
        dba = np.mean(dtanh, axis=1, keepdims=True)
    if bug == "bias_shape":
        dba = np.sum(dtanh, axis=1)
    dWax = xt @ dtanh.T if bug == "transpose" else dtanh @ xt.T
    return {
        "dxt": p["Wax"].T @ dtanh,
        "da_prev": p["Waa"].T @ dtanh,
        "dWax": dWax,
        "dWaa": dtanh @ a_prev.T,
        "dba": dba,
    }


def rnn_backward(da, caches, bug=None, cell_bug=None):
    steps, x = caches
    n_a, m, T = da.shape
    dx = np.zeros((x.shape[0], m, T))
    dWax, dWaa, dba = 0, 0, 0
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        upstream = da[:, :, t] if bug == "no_carry" else da[:, :, t] + da_prevt
        g = rnn_cell_backward(upstream, steps[t], cell_bug)
        dx[:, :, t] = g["dxt"]
        dWax, dWaa, dba = dWax + g["dWax"], dWaa + g["dWaa"], dba + g["dba"]
        da_prevt = g["da_prev"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def gradients_w_b(delta, x, bug=None):
    T, _, D = delta.shape
    dW, db = np.zeros((D, x.shape[1])), np.zeros(D)
    for t in range(T):
        for k in range(t + 1):
            if bug == "diagonal" and k != t:
                continue
            dW += np.outer(delta[t, k], x[t] if bug == "x_t" else x[k])
            db += delta[t, k]
    return dW, db


# ---------------------------------------------------------------- LSTM, student style


def lstm_cell_forward(xt, a_prev, c_prev, p, bug=None):
    concat = np.concatenate([xt, a_prev] if bug == "concat_order" else [a_prev, xt])
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * (c_next if bug == "no_tanh" else np.tanh(c_next))
    logits = p["Wy"] @ a_next + p["by"]
    yt = logits if bug == "no_softmax" else softmax(logits)
    return a_next, c_next, yt, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def lstm_forward(x, a0, p, bug=None):
    n_x, m, T = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T):
        c_in = np.zeros((n_a, m)) if bug == "no_carry_c" else c_next
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_in, p)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        if bug == "alias":
            a_next, c_next = a[:, :, t], c[:, :, t]
            cache = (a_next, c_next) + cache[2:]
        caches.append(cache)
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache, bug=None):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dot = da_next * tc * ot * (1 - ot)
    if bug == "partial_gate":  # the printed equations without their outer parentheses
        dcct = dc_next * it + ot * (1 - tc**2) * it * da_next * (1 - cct**2)
        dit = dc_next * cct + ot * (1 - tc**2) * cct * da_next * it * (1 - it)
        dft = dc_next * c_prev + ot * (1 - tc**2) * c_prev * da_next * ft * (1 - ft)
    else:
        dcct = (dc_next * it + ot * (1 - tc**2) * it * da_next) * (1 - cct**2)
        dit = (dc_next * cct + ot * (1 - tc**2) * cct * da_next) * it * (1 - it)
        c_used = c_next if bug == "forget_c_next" else c_prev
        dft = (dc_next * c_used + ot * (1 - tc**2) * c_used * da_next) * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    d = {"f": dft, "i": dit, "c": dcct, "o": dot}
    out = {}
    for g in "fico":
        out[f"dW{g}"] = d[g] @ concat.T
        out[f"db{g}"] = np.sum(d[g], axis=1, keepdims=True)
    if bug == "rows":  # the printed text's W[:n_a, :] / W[n_a:, :]
        out["da_prev"] = sum(p[f"W{g}"][:n_a, :].T @ d[g] for g in "fico")
        out["dxt"] = sum(p[f"W{g}"][n_a:, :].T @ d[g] for g in "fico")
    else:
        out["da_prev"] = sum(p[f"W{g}"][:, :n_a].T @ d[g] for g in "fico")
        out["dxt"] = sum(p[f"W{g}"][:, n_a:].T @ d[g] for g in "fico")
    if bug == "dc_prev_no_a":
        out["dc_prev"] = dc_next * ft
    else:
        out["dc_prev"] = dc_next * ft + ot * (1 - tc**2) * ft * da_next
    return out


def lstm_backward(da, caches, bug=None, cell_bug=None):
    steps, x = caches
    n_a, m, T = da.shape
    out = {"dx": np.zeros((x.shape[0], m, T))}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        dc_in = np.zeros((n_a, m)) if bug == "no_carry_c" else dc_prevt
        da_in = da[:, :, t] if bug == "no_carry_a" else da[:, :, t] + da_prevt
        g = lstm_cell_backward(da_in, dc_in, steps[t], cell_bug)
        out["dx"][:, :, t] = g["dxt"]
        for k in g:
            if k[:2] in ("dW", "db"):
                out[k] = out.get(k, 0) + g[k]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
    out["da0"] = da_prevt
    return out


# ------------------------------------------------------------ Adam and clipping, student style


def initialize_adam(parameters, bug=None):
    v, s = {}, {}
    if bug == "layers":  # deeplearning.ai's loop over L = len(parameters) // 2 layers
        for layer in range(1, len(parameters) // 2 + 1):
            for kind in "Wb":
                key = f"{kind}{layer}"
                v["d" + key] = np.zeros(parameters[key].shape)
                s["d" + key] = np.zeros(parameters[key].shape)
        return v, s
    for key, value in parameters.items():
        v["d" + key] = np.zeros(value.shape)
        s["d" + key] = v["d" + key] if bug == "shared" else np.zeros(value.shape)
    return v, s


def update_parameters_with_adam(
    parameters,
    grads,
    v,
    s,
    t,
    learning_rate=0.01,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-8,
    bug=None,
):
    step = t + 1 if bug == "t_plus_1" else t
    keys = (
        [
            f"{kind}{layer}"
            for layer in range(1, len(parameters) // 2 + 1)
            for kind in "Wb"
        ]
        if bug == "layers"
        else list(parameters)
    )
    for key in keys:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * (
            np.abs(g) if bug == "abs_g" else g**2
        )
        if bug == "no_correction":
            v_hat, s_hat = v["d" + key], s["d" + key]
        else:
            v_hat = v["d" + key] / (1 - beta1**step)
            s_hat = s["d" + key] / (1 - beta2**step)
        if bug == "eps_inside":
            parameters[key] = parameters[key] - learning_rate * v_hat / np.sqrt(
                s_hat + epsilon
            )
        else:
            parameters[key] = parameters[key] - learning_rate * v_hat / (
                np.sqrt(s_hat) + epsilon
            )
    return parameters, v, s


def clip_grad_norm(grads, max_norm, bug=None):
    total = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    if bug == "per_array":
        return {
            k: g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6))
            for k, g in grads.items()
        }, total
    factor = min(1.0, max_norm / (total + 1e-6))
    if bug == "in_place":
        for g in grads.values():
            g *= factor
        return grads, total
    return {k: g * factor for k, g in grads.items()}, total


def clipped_adam_step(
    parameters, grads, v, s, t, max_norm, learning_rate=0.01, bug=None
):
    if bug == "clip_after":
        parameters, v, s = update_parameters_with_adam(
            parameters, grads, v, s, t, learning_rate
        )
        _, total = clip_grad_norm(grads, max_norm)
        return parameters, v, s, total
    clipped, total = clip_grad_norm(grads, max_norm)
    parameters, v, s = update_parameters_with_adam(
        parameters, clipped, v, s, t, learning_rate
    )
    return parameters, v, s, total


# -------------------------------------------------------- 6-2P: torch.nn.RNN layout


def rnn_layer_forward(x, h0, params, bug=None):
    h, outs = h0[0], []
    for t in range(x.shape[0]):
        bias = params["bias_ih"] + (0 if bug == "one_bias" else params["bias_hh"])
        h = np.tanh(x[t] @ params["weight_ih"].T + h @ params["weight_hh"].T + bias)
        outs.append(h)
    output = np.stack(outs)
    return output, output[-1:].copy(), (x, h0, output, params)


def rnn_layer_backward(d_output, d_h_n, cache, bug=None):
    x, h0, output, p = cache
    T = output.shape[0]
    dx = np.zeros_like(x)
    dwi, dwh, db = 0, 0, 0
    later = d_h_n[0]
    for t in reversed(range(T)):
        g = d_output[t] if bug == "no_carry" else d_output[t] + later
        delta = (1 - output[t] ** 2) * g
        h_prev = output[t - 1] if t > 0 else h0[0]
        dx[t] = delta @ p["weight_ih"]
        dwi, dwh, db = (
            dwi + delta.T @ x[t],
            dwh + delta.T @ h_prev,
            db + delta.sum(axis=0),
        )
        later = delta @ p["weight_hh"]
    return {
        "dx": dx,
        "dh0": later[None],
        "dweight_ih": dwi,
        "dweight_hh": dwh,
        "dbias_ih": db,
        "dbias_hh": 0 * db if bug == "one_bias" else db,
    }


def clip(gradients, maxValue, bug=None):
    for key in gradients:
        if bug == "upper_only":
            gradients[key] = np.minimum(gradients[key], maxValue)
        else:
            np.clip(gradients[key], -maxValue, maxValue, out=gradients[key])
    return gradients


class RNNCell:
    """The 6-2P skeleton as a student completes it (np.dot style, lists of per-step gradients)."""

    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh = (
            weight_ih,
            weight_hh,
            bias_ih,
            bias_hh,
        )
        self.x_stack, self.prev_hidden_stack, self.next_hidden_stack = [], [], []
        self.dx_list, self.prev_dh = [], None
        self.dw_ih_stack, self.dw_hh_stack, self.db_ih_stack, self.db_hh_stack = (
            [],
            [],
            [],
            [],
        )

    def __call__(self, x, prev_hidden):
        next_h = np.tanh(
            np.dot(x, self.weight_ih.T)
            + np.dot(prev_hidden, self.weight_hh.T)
            + self.bias_ih
            + self.bias_hh
        )
        self.x_stack.append(x)
        self.prev_hidden_stack.append(prev_hidden)
        self.next_hidden_stack.append(next_h)
        return next_h

    def backward(self, dh):
        x, prev_h, next_h = (
            self.x_stack.pop(),
            self.prev_hidden_stack.pop(),
            self.next_hidden_stack.pop(),
        )
        if self.prev_dh is not None:
            dh = dh + self.prev_dh
        dz = dh * (1 - next_h * next_h)
        self.dx_list.insert(0, np.dot(dz, self.weight_ih))
        self.prev_dh = np.dot(dz, self.weight_hh)
        self.dw_ih_stack.append(np.dot(dz.T, x))
        self.dw_hh_stack.append(np.dot(dz.T, prev_h))
        self.db_ih_stack.append(np.sum(dz, axis=0))
        self.db_hh_stack.append(np.sum(dz, axis=0))
        return self.dx_list[0]


class RNNCellAsCirculated(RNNCell):
    """The skeleton as circulated: __call__ never pushes onto the stacks."""

    def __call__(self, x, prev_hidden):
        return np.tanh(
            np.dot(x, self.weight_ih.T)
            + np.dot(prev_hidden, self.weight_hh.T)
            + self.bias_ih
            + self.bias_hh
        )


def _bug(fn, bug, **extra):
    def planted(*args, **kwargs):
        return fn(*args, bug=bug, **extra, **kwargs)

    planted.__name__ = f"{fn.__name__}[{bug}]"
    return planted


def _not_implemented(*args, **kwargs):
    raise NotImplementedError()


CORRECT = {
    "rnn_cell_forward": rnn_cell_forward,
    "rnn_forward": rnn_forward,
    "rnn_cell_backward": rnn_cell_backward,
    "rnn_backward": rnn_backward,
    "gradients_w_b": gradients_w_b,
    "lstm_cell_forward": lstm_cell_forward,
    "lstm_forward": lstm_forward,
    "lstm_cell_backward": lstm_cell_backward,
    "lstm_backward": lstm_backward,
    "initialize_adam": initialize_adam,
    "update_parameters_with_adam": update_parameters_with_adam,
    "clip_grad_norm": clip_grad_norm,
    "clip": clip,
    "clipped_adam_step": clipped_adam_step,
    "rnn_layer_forward": rnn_layer_forward,
    "rnn_layer_backward": rnn_layer_backward,
    "RNNCell": RNNCell,
}

# (check name, planted implementation, words the HINT must contain)
MISTAKES = [
    ("rnn_cell_forward", _bug(rnn_cell_forward, "no_bias"), "bias ba is missing"),
    ("rnn_cell_forward", _bug(rnn_cell_forward, "no_softmax"), "softmax is missing"),
    (
        "rnn_cell_forward",
        _bug(rnn_cell_forward, "softmax_rows"),
        "normalise each column",
    ),
    ("rnn_forward", _bug(rnn_forward, "no_carry"), "not carried forward"),
    ("rnn_forward", _bug(rnn_forward, "alias"), "is a view into a"),
    ("rnn_forward", rnn_forward_in_place, "updated in place"),
    (
        "rnn_cell_backward",
        _bug(rnn_cell_backward, "tanh_prev"),
        "1 − a_next²), not (1 − a_prev²)",
    ),
    (
        "rnn_cell_backward",
        _bug(rnn_cell_backward, "tanh_twice"),
        "do not apply np.tanh again",
    ),
    (
        "rnn_cell_backward",
        _bug(rnn_cell_backward, "mean_bias"),
        "sum over the batch axis, not the mean",
    ),
    ("rnn_cell_backward", _bug(rnn_cell_backward, "bias_shape"), "keepdims=True"),
    ("rnn_cell_backward", _bug(rnn_cell_backward, "transpose"), "transposed"),
    ("rnn_backward", _bug(rnn_backward, "no_carry"), "not added back"),
    ("rnn_backward", _bug(rnn_backward, None, cell_bug="mean_bias"), "not the mean"),
    (
        "rnn_backward",
        _bug(rnn_backward, None, cell_bug="tanh_prev"),
        "not (1 − a_prev²)",
    ),
    ("gradients_w_b", _bug(gradients_w_b, "x_t"), "not with x_t"),
    ("gradients_w_b", _bug(gradients_w_b, "diagonal"), "not only k = t"),
    (
        "lstm_cell_forward",
        _bug(lstm_cell_forward, "concat_order"),
        "stack a_prev first",
    ),
    ("lstm_cell_forward", _bug(lstm_cell_forward, "no_tanh"), "tanh of the cell state"),
    ("lstm_cell_forward", _bug(lstm_cell_forward, "no_softmax"), "softmax is missing"),
    ("lstm_forward", _bug(lstm_forward, "no_carry_c"), "cell state is not carried"),
    ("lstm_forward", _bug(lstm_forward, "alias"), "is a view into"),
    (
        "lstm_cell_backward",
        _bug(lstm_cell_backward, "partial_gate"),
        "WHOLE cell gradient",
    ),
    (
        "lstm_cell_backward",
        _bug(lstm_cell_backward, "dc_prev_no_a"),
        "path through a_next",
    ),
    (
        "lstm_cell_backward",
        _bug(lstm_cell_backward, "forget_c_next"),
        "uses c_prev, not c_next",
    ),
    ("lstm_cell_backward", _bug(lstm_cell_backward, "rows"), "slice COLUMNS"),
    ("lstm_backward", _bug(lstm_backward, "no_carry_a"), "not added back"),
    (
        "lstm_backward",
        _bug(lstm_backward, "no_carry_c"),
        "cell gradient is not carried back",
    ),
    (
        "lstm_backward",
        _bug(lstm_backward, None, cell_bug="partial_gate"),
        "WHOLE cell gradient",
    ),
    ("initialize_adam", _bug(initialize_adam, "shared"), "two separate arrays"),
    (
        "update_parameters_with_adam",
        _bug(update_parameters_with_adam, "eps_inside"),
        "outside the square root",
    ),
    (
        "update_parameters_with_adam",
        _bug(update_parameters_with_adam, "t_plus_1"),
        "1-based",
    ),
    (
        "update_parameters_with_adam",
        _bug(update_parameters_with_adam, "no_correction"),
        "bias correction is missing",
    ),
    (
        "update_parameters_with_adam",
        _bug(update_parameters_with_adam, "abs_g"),
        "SQUARED gradient",
    ),
    ("clip_grad_norm", _bug(clip_grad_norm, "per_array"), "ONE global norm"),
    ("clip_grad_norm", _bug(clip_grad_norm, "in_place"), "do not scale grads in place"),
    ("clip", _bug(clip, "upper_only"), "clip both sides"),
    (
        "clipped_adam_step",
        _bug(clipped_adam_step, "clip_after"),
        "BEFORE the Adam update",
    ),
    ("rnn_layer_forward", _bug(rnn_layer_forward, "one_bias"), "BOTH biases"),
    ("rnn_layer_backward", _bug(rnn_layer_backward, "no_carry"), "not added back"),
    ("rnn_layer_backward", _bug(rnn_layer_backward, "one_bias"), "same gradient"),
    ("RNNCell", RNNCellAsCirculated, "append x, prev_hidden and next_h"),
]


def test_every_graded_function_has_a_correct_version_and_a_planted_mistake():
    others = {
        n for n in checks.CHECKS if not n.startswith("gru_")
    }  # the GRU's: tests/test_checks_gru.py
    assert set(CORRECT) == others
    assert others <= {name for name, _, _ in MISTAKES}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_implementation_passes(name, capsys):
    _require(name)
    checks.CHECKS[name](CORRECT[name])
    assert capsys.readouterr().out == f"{name}: all checks passed\n"


@pytest.mark.parametrize(
    ("name", "planted", "hint"),
    MISTAKES,
    ids=[getattr(f, "__name__", "") for _, f, _ in MISTAKES],
)
def test_planted_mistake_is_caught_with_its_hint(name, planted, hint, capsys):
    _require(name)
    with pytest.raises(AssertionError) as info:
        checks.CHECKS[name](planted)
    message = str(info.value)
    assert message.startswith(f"{name}:"), message
    assert "HINT:" in message, message
    assert hint in message.split("HINT:", 1)[1], message
    assert "all checks passed" not in capsys.readouterr().out


def test_wrong_output_message_names_key_entry_and_error():
    with pytest.raises(AssertionError) as info:
        checks.check_rnn_backward(_bug(rnn_backward, "no_carry"))
    message = str(info.value)
    assert "output 'dx' is wrong" in message
    assert "relative error" in message and "largest difference at dx[" in message


def test_only_last_step_right_is_recognised_from_the_error_pattern():
    """A carry bug the variant table does not know (half the carry) is still diagnosed by its pattern."""

    def half_carry(da, caches):
        steps, x = caches
        n_a, m, T = da.shape
        dx, da_prevt = np.zeros((x.shape[0], m, T)), np.zeros((n_a, m))
        sums = {}
        for t in reversed(range(T)):
            g = rnn_cell_backward(da[:, :, t] + 0.5 * da_prevt, steps[t])
            dx[:, :, t] = g["dxt"]
            da_prevt = g["da_prev"]
            sums = {k: sums.get(k, 0) + g[k] for k in ("dWax", "dWaa", "dba")}
        return {"dx": dx, "da0": da_prevt} | sums

    with pytest.raises(AssertionError, match="only the last time step is right"):
        checks.check_rnn_backward(half_carry)


@pytest.mark.parametrize("name", sorted(checks.CHECKS))
def test_not_implemented_gives_a_clear_message(name):
    _require(name)
    with pytest.raises(NotImplementedError, match="is not implemented yet"):
        checks.CHECKS[name](_not_implemented)


def test_run_check_reports_instead_of_raising():
    ok, message = checks.run_check("rnn_backward", _bug(rnn_backward, "no_carry"))
    assert not ok and "not added back" in message
    assert checks.run_check("rnn_backward", rnn_backward) == (
        True,
        "rnn_backward: all checks passed",
    )
