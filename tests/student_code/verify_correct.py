"""Verify every variant in correct.CORRECT against torch, in float64.

Run from the repository root:  python -m tests.student_code.verify_correct
References: torch.nn.RNNCell / torch.nn.RNN / torch.nn.LSTMCell and autograd,
torch.optim.Adam, torch.nn.utils.clip_grad_norm_, torch.clamp.  Each variant
must agree to a relative error below 1e-9.  (Not a pytest module: no test_ prefix.)
"""

import copy

import numpy as np
import torch

from tests.student_code import correct

TOL = 1e-9
torch.set_default_dtype(torch.float64)
SHAPES = [(3, 5, 2, 4, 6), (2, 3, 4, 1, 1), (4, 4, 3, 2, 3)]  # n_x, n_a, n_y, m, T
checked = {}


def rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    nb = np.linalg.norm(b)
    return np.linalg.norm(a - b) / nb if nb > 0 else np.linalg.norm(a - b)


def close(what, a, b):
    e = rel(a, b)
    assert e < TOL, f"{what}: relative error {e:.2e}"


def T(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=float), requires_grad=grad)


def npy(t):
    return t.detach().numpy()


def _n(fn):
    return getattr(fn, "__name__", repr(fn))


def count(name, fn):
    checked.setdefault(name, set()).add(_n(fn))


def unchanged(what, before, after):
    """Deep comparison of arrays / tuples / dicts: nothing was written in place."""
    if isinstance(before, dict):
        assert set(before) == set(after), what + ": dict keys changed"
        for k in before:
            unchanged(what, before[k], after[k])
    elif isinstance(before, (tuple, list)):
        assert len(before) == len(after), what
        for b, a in zip(before, after):
            unchanged(what, b, a)
    else:
        assert np.array_equal(before, after), what + ": an input was modified in place"


# ------------------------------------------------------------------ RNN


def rnn_params(rng, n_x, n_a, n_y):
    return {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": 0.7 * rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }


def torch_rnn(x, a0, p):
    """torch.nn.RNNCell looped; returns a (n_a, m, T), y (n_y, m, T) as tensors, plus leaves."""
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    cell = torch.nn.RNNCell(n_x, n_a)
    leaves = {
        "x": T(x, True),
        "a0": T(a0, True),
        "Wax": T(p["Wax"], True),
        "Waa": T(p["Waa"], True),
        "ba": T(p["ba"], True),
    }
    weights = {
        "weight_ih": leaves["Wax"],
        "weight_hh": leaves["Waa"],
        "bias_ih": leaves["ba"][:, 0],
        "bias_hh": torch.zeros(n_a),
    }
    h = leaves["a0"].T
    hs = []
    for t in range(T_x):
        h = torch.func.functional_call(cell, weights, (leaves["x"][:, :, t].T, h))
        hs.append(h.T)
    a = torch.stack(hs, dim=2)
    y = torch.softmax(
        torch.einsum("ya,amt->ymt", T(p["Wya"]), a) + T(p["by"])[:, :, None], dim=0
    )
    return a, y, leaves


def verify_rnn():
    rng = np.random.default_rng(0)
    for n_x, n_a, n_y, m, T_x in SHAPES:
        p = rnn_params(rng, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        da = rng.standard_normal((n_a, m, T_x))
        a_t, y_t, leaves = torch_rnn(x, a0, p)
        # torch.nn.RNN as a second forward reference
        rnn = torch.nn.RNN(n_x, n_a)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(T(p["Wax"]))
            rnn.weight_hh_l0.copy_(T(p["Waa"]))
            rnn.bias_ih_l0.copy_(T(p["ba"][:, 0]))
            rnn.bias_hh_l0.zero_()
            out, _ = rnn(T(x).permute(2, 1, 0), T(a0).T[None])
        close("torch.nn.RNN vs RNNCell", npy(out.permute(2, 1, 0)), npy(a_t))
        names = ("x", "a0", "Wax", "Waa", "ba")
        full = dict(
            zip(
                names,
                torch.autograd.grad(
                    (a_t * T(da)).sum(), [leaves[k] for k in names], retain_graph=True
                ),
            )
        )

        # one cell: step 0 from a0
        a1 = npy(a_t[:, :, 0])
        for fn in correct.CORRECT["rnn_cell_forward"]:
            p_before = copy.deepcopy(p)
            inputs = (x[:, :, 0].copy(), a0.copy(), p)
            before = copy.deepcopy(inputs)
            a_next, yt, cache = fn(*inputs)
            unchanged(_n(fn), before, inputs)
            close(_n(fn) + " a_next", a_next, a1)
            close(_n(fn) + " yt_pred", yt, npy(y_t[:, :, 0]))
            assert len(cache) == 4
            for got, want in zip(cache[:3], (a1, a0, x[:, :, 0])):
                close(_n(fn) + " cache", got, want)
            assert all(np.array_equal(cache[3][k], p_before[k]) for k in p), _n(fn)
            count("rnn_cell_forward", fn)

        for fn in correct.CORRECT["rnn_forward"]:
            a, y, caches = fn(x, a0, p)
            close(_n(fn) + " a", a, npy(a_t))
            close(_n(fn) + " y", y, npy(y_t))
            step_caches, x_c = caches
            assert x_c is x and len(step_caches) == T_x, _n(fn)
            for t, c in enumerate(step_caches):
                prev = a0 if t == 0 else npy(a_t[:, :, t - 1])
                for got, want in zip(c[:3], (npy(a_t[:, :, t]), prev, x[:, :, t])):
                    close(f"{_n(fn)} cache {t}", got, want)
            count("rnn_forward", fn)

        # cell backward: L = sum(a_next * da_next) for a single step
        xt_l, ap_l = T(x[:, :, 0], True), T(a0, True)
        Wax_l, Waa_l, ba_l = T(p["Wax"], True), T(p["Waa"], True), T(p["ba"], True)
        an = torch.tanh(Wax_l @ xt_l + Waa_l @ ap_l + ba_l)
        g = torch.autograd.grad(
            (an * T(da[:, :, 0])).sum(), [xt_l, ap_l, Wax_l, Waa_l, ba_l]
        )
        want = dict(zip(("dxt", "da_prev", "dWax", "dWaa", "dba"), map(npy, g)))
        cache0 = (npy(an), a0, x[:, :, 0], p)
        for fn in correct.CORRECT["rnn_cell_backward"]:
            da_in, cache_before = da[:, :, 0].copy(), copy.deepcopy(cache0)
            got = fn(da_in, cache0)
            unchanged(_n(fn), (da[:, :, 0], cache_before), (da_in, cache0))
            assert set(got) == set(want), _n(fn)
            for k in want:
                close(f"{_n(fn)} {k}", got[k], want[k])
            count("rnn_cell_backward", fn)

        _, _, caches = correct.rnn_forward_template(x, a0, p)
        for fn in correct.CORRECT["rnn_backward"]:
            da_in = da.copy()
            caches_before = copy.deepcopy(caches)
            got = fn(da_in, caches)
            assert np.array_equal(da_in, da), _n(fn) + " modified da"
            unchanged(_n(fn), caches_before, caches)
            assert set(got) == {"dx", "da0", "dWax", "dWaa", "dba"}, _n(fn)
            for k, name in (
                ("dx", "x"),
                ("da0", "a0"),
                ("dWax", "Wax"),
                ("dWaa", "Waa"),
                ("dba", "ba"),
            ):
                close(f"{_n(fn)} {k}", got[k], npy(full[name]))
            count("rnn_backward", fn)

        # deeplearning.ai erratum E7: caches of T_x steps, da of fewer steps; T comes from da
        if T_x >= 3:
            Tp = T_x - 2
            part = dict(
                zip(
                    names,
                    torch.autograd.grad(
                        (a_t[:, :, :Tp] * T(da[:, :, :Tp])).sum(),
                        [leaves[k] for k in names],
                    ),
                )
            )
            for fn in correct.CORRECT["rnn_backward"]:
                got = fn(da[:, :, :Tp].copy(), caches)
                close(_n(fn) + " E7 dx", got["dx"], npy(part["x"])[:, :, :Tp])
                for k, name in (
                    ("da0", "a0"),
                    ("dWax", "Wax"),
                    ("dWaa", "Waa"),
                    ("dba", "ba"),
                ):
                    close(f"{_n(fn)} E7 {k}", got[k], npy(part[name]))


# ------------------------------------------------------------------ LSTM


def lstm_params(rng, n_x, n_a, n_y):
    p = {}
    for g in "fico":
        p["W" + g] = 0.6 * rng.standard_normal((n_a, n_a + n_x))
        p["b" + g] = rng.standard_normal((n_a, 1))
    p["Wy"], p["by"] = rng.standard_normal((n_y, n_a)), rng.standard_normal((n_y, 1))
    return p


def torch_lstm(x, a0, p):
    """torch.nn.LSTMCell (gate order i, f, g, o) looped; weights built from leaf tensors."""
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    cell = torch.nn.LSTMCell(n_x, n_a)
    leaves = {"x": T(x, True), "a0": T(a0, True)}
    for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"):
        leaves[k] = T(p[k], True)
    order = ("i", "f", "c", "o")
    weights = {
        "weight_ih": torch.cat([leaves["W" + g][:, n_a:] for g in order]),
        "weight_hh": torch.cat([leaves["W" + g][:, :n_a] for g in order]),
        "bias_ih": torch.cat([leaves["b" + g][:, 0] for g in order]),
        "bias_hh": torch.zeros(4 * n_a),
    }
    h, c = leaves["a0"].T, torch.zeros(m, n_a)
    hs, cs = [], []
    for t in range(T_x):
        h, c = torch.func.functional_call(
            cell, weights, (leaves["x"][:, :, t].T, (h, c))
        )
        hs.append(h.T)
        cs.append(c.T)
    a, cc = torch.stack(hs, 2), torch.stack(cs, 2)
    y = torch.softmax(
        torch.einsum("ya,amt->ymt", T(p["Wy"]), a) + T(p["by"])[:, :, None], dim=0
    )
    return a, cc, y, leaves


def verify_lstm():
    rng = np.random.default_rng(1)
    for n_x, n_a, n_y, m, T_x in SHAPES:
        p = lstm_params(rng, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        da = rng.standard_normal((n_a, m, T_x))
        a_t, c_t, y_t, leaves = torch_lstm(x, a0, p)
        names = ("x", "a0", "Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
        full = dict(
            zip(
                names,
                torch.autograd.grad(
                    (a_t * T(da)).sum(), [leaves[k] for k in names], retain_graph=True
                ),
            )
        )
        sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731

        def gates(a_prev, xt):
            cat = np.vstack([a_prev, xt])
            return (
                sig(p["Wf"] @ cat + p["bf"]),
                sig(p["Wi"] @ cat + p["bi"]),
                np.tanh(p["Wc"] @ cat + p["bc"]),
                sig(p["Wo"] @ cat + p["bo"]),
            )

        # cell forward: step 1 (c_prev non-zero) when T > 1, else step 0
        s = 1 if T_x > 1 else 0
        a_prev = npy(a_t[:, :, s - 1]) if s else a0
        c_prev = npy(c_t[:, :, s - 1]) if s else np.zeros((n_a, m))
        for fn in correct.CORRECT["lstm_cell_forward"]:
            inputs = (x[:, :, s].copy(), a_prev.copy(), c_prev.copy(), p)
            before = copy.deepcopy(inputs)
            a_next, c_next, yt, cache = fn(*inputs)
            unchanged(_n(fn), before, inputs)
            close(_n(fn) + " a_next", a_next, npy(a_t[:, :, s]))
            close(_n(fn) + " c_next", c_next, npy(c_t[:, :, s]))
            close(_n(fn) + " yt", yt, npy(y_t[:, :, s]))
            want = (
                npy(a_t[:, :, s]),
                npy(c_t[:, :, s]),
                a_prev,
                c_prev,
                *gates(a_prev, x[:, :, s]),
                x[:, :, s],
            )
            assert len(cache) == 10 and cache[9] is p, _n(fn)
            for i, (gc, wc) in enumerate(zip(cache, want)):
                close(f"{_n(fn)} cache[{i}]", gc, wc)
            count("lstm_cell_forward", fn)

        for fn in correct.CORRECT["lstm_forward"]:
            a, y, c, caches = fn(x, a0, p)
            close(_n(fn) + " a", a, npy(a_t))
            close(_n(fn) + " y", y, npy(y_t))
            close(_n(fn) + " c", c, npy(c_t))
            step_caches, x_c = caches
            assert x_c is x and len(step_caches) == T_x
            for t, cache in enumerate(step_caches):
                ap = npy(a_t[:, :, t - 1]) if t else a0
                cp = npy(c_t[:, :, t - 1]) if t else np.zeros((n_a, m))
                want = (
                    npy(a_t[:, :, t]),
                    npy(c_t[:, :, t]),
                    ap,
                    cp,
                    *gates(ap, x[:, :, t]),
                    x[:, :, t],
                )
                for i, (gc, wc) in enumerate(zip(cache, want)):
                    close(f"{_n(fn)} step {t} cache[{i}]", gc, wc)
            count("lstm_forward", fn)

        # cell backward at step s: L = sum(a_next * da_next) + sum(c_next * dc_next)
        cell = torch.nn.LSTMCell(n_x, n_a)
        lv = {
            k: T(p[k], True) for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
        }
        xt_l, ap_l, cp_l = T(x[:, :, s], True), T(a_prev, True), T(c_prev, True)
        order = ("i", "f", "c", "o")
        w = {
            "weight_ih": torch.cat([lv["W" + g][:, n_a:] for g in order]),
            "weight_hh": torch.cat([lv["W" + g][:, :n_a] for g in order]),
            "bias_ih": torch.cat([lv["b" + g][:, 0] for g in order]),
            "bias_hh": torch.zeros(4 * n_a),
        }
        h1, c1 = torch.func.functional_call(cell, w, (xt_l.T, (ap_l.T, cp_l.T)))
        da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
        L = (h1.T * T(da_next)).sum() + (c1.T * T(dc_next)).sum()
        keys = (
            "dxt",
            "da_prev",
            "dc_prev",
            "dWf",
            "dbf",
            "dWi",
            "dbi",
            "dWc",
            "dbc",
            "dWo",
            "dbo",
        )
        g = torch.autograd.grad(L, [xt_l, ap_l, cp_l] + [lv[k[1:]] for k in keys[3:]])
        want = dict(zip(keys, map(npy, g)))
        _, _, _, cache = correct.lstm_cell_forward_template(
            x[:, :, s], a_prev, c_prev, p
        )
        for fn in correct.CORRECT["lstm_cell_backward"]:
            ins = (da_next.copy(), dc_next.copy(), cache)
            before = copy.deepcopy(ins)
            got = fn(*ins)
            unchanged(_n(fn), before, ins)
            assert set(got) == set(keys), _n(fn)
            for k in keys:
                close(f"{_n(fn)} {k}", got[k], want[k])
            count("lstm_cell_backward", fn)

        _, _, _, caches = correct.lstm_forward_template(x, a0, p)
        for fn in correct.CORRECT["lstm_backward"]:
            da_in = da.copy()
            caches_before = copy.deepcopy(caches)
            got = fn(da_in, caches)
            assert np.array_equal(da_in, da), _n(fn)
            unchanged(_n(fn), caches_before, caches)
            assert set(got) == {
                "dx",
                "da0",
                "dWf",
                "dbf",
                "dWi",
                "dbi",
                "dWc",
                "dbc",
                "dWo",
                "dbo",
            }, _n(fn)
            close(_n(fn) + " dx", got["dx"], npy(full["x"]))
            close(_n(fn) + " da0", got["da0"], npy(full["a0"]))
            for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"):
                close(f"{_n(fn)} d{k}", got["d" + k], npy(full[k]))
            count("lstm_backward", fn)

        if T_x >= 3:  # erratum E7: x with T_x steps, da with fewer
            Tp = T_x - 2
            part = dict(
                zip(
                    names,
                    torch.autograd.grad(
                        (a_t[:, :, :Tp] * T(da[:, :, :Tp])).sum(),
                        [leaves[k] for k in names],
                    ),
                )
            )
            for fn in correct.CORRECT["lstm_backward"]:
                got = fn(da[:, :, :Tp].copy(), caches)
                close(_n(fn) + " E7 dx", got["dx"], npy(part["x"])[:, :, :Tp])
                close(_n(fn) + " E7 da0", got["da0"], npy(part["a0"]))
                for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"):
                    close(f"{_n(fn)} E7 d{k}", got["d" + k], npy(part[k]))


# ------------------------------------------------------------------ Adam and clipping


def layer_dicts(rng, L):
    dims = [4, 3, 5, 2][: L + 1]
    (params,) = ({},)
    for l in range(1, L + 1):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.standard_normal((dims[l], 1))
    return params


def grads_like(rng, params, scale=1.0):
    return {"d" + k: scale * rng.standard_normal(v.shape) for k, v in params.items()}


def verify_adam():
    rng = np.random.default_rng(2)
    cases = [layer_dicts(rng, L) for L in (1, 2, 3)]
    generic = {
        "w": rng.standard_normal((2, 1)),
        "U": rng.standard_normal((3, 3)),
        "bias": rng.standard_normal(3),
    }
    for params in cases + [generic]:
        for fn in correct.CORRECT["initialize_adam"]:
            if fn in correct.DLAI_KEYS_ONLY and params is generic:
                continue
            v, s = fn(params)
            assert set(v) == set(s) == {"d" + k for k in params}, _n(fn)
            for k in v:
                assert v[k] is not s[k] and v[k].shape == params[k[1:]].shape, _n(fn)
                assert not np.any(v[k]) and not np.any(s[k]), _n(fn)
                assert not np.shares_memory(v[k], s[k]) and not np.shares_memory(
                    v[k], params[k[1:]]
                )
            count("initialize_adam", fn)

    hyper = [dict(), dict(learning_rate=0.05, beta1=0.8, beta2=0.99, epsilon=1e-3)]
    for params in cases + [generic]:
        steps = [grads_like(rng, params, scale) for scale in (1.0, 1e-3, 10.0)]
        for hp in hyper:
            lr, b1, b2, eps = (
                hp.get("learning_rate", 0.01),
                hp.get("beta1", 0.9),
                hp.get("beta2", 0.999),
                hp.get("epsilon", 1e-8),
            )
            tp = {k: T(v, True) for k, v in params.items()}
            opt = torch.optim.Adam(list(tp.values()), lr=lr, betas=(b1, b2), eps=eps)
            want = []
            for g in steps:
                for k, t_ in tp.items():
                    t_.grad = T(g["d" + k])
                opt.step()
                want.append(
                    (
                        {k: npy(t_).copy() for k, t_ in tp.items()},
                        {
                            "d" + k: opt.state[t_]["exp_avg"].numpy().copy()
                            for k, t_ in tp.items()
                        },
                        {
                            "d" + k: opt.state[t_]["exp_avg_sq"].numpy().copy()
                            for k, t_ in tp.items()
                        },
                    )
                )
            for fn in correct.CORRECT["update_parameters_with_adam"]:
                if fn in correct.DLAI_KEYS_ONLY and params is generic:
                    continue
                P = copy.deepcopy(params)
                v, s = correct.initialize_adam_stub(P)
                for t, (g, (wp, wv, ws)) in enumerate(zip(steps, want), start=1):
                    out = fn(P, g, v, s, t, **hp) if hp else fn(P, g, v, s, t)
                    assert len(out) in (3, 5), _n(fn)
                    P, v, s = out[:3]
                    for k in P:
                        close(f"{_n(fn)} t={t} {k}", P[k], wp[k])
                        close(f"{_n(fn)} t={t} v", v["d" + k], wv["d" + k])
                        close(f"{_n(fn)} t={t} s", s["d" + k], ws["d" + k])
                        if len(out) == 5:
                            close(
                                _n(fn) + " v_corrected",
                                out[3]["d" + k],
                                wv["d" + k] / (1 - b1**t),
                            )
                            close(
                                _n(fn) + " s_corrected",
                                out[4]["d" + k],
                                ws["d" + k] / (1 - b2**t),
                            )
                count("update_parameters_with_adam", fn)
            # positional hyper-parameters too
            if hp:
                for fn in correct.CORRECT["update_parameters_with_adam"]:
                    if fn in correct.DLAI_KEYS_ONLY and params is generic:
                        continue
                    P = copy.deepcopy(params)
                    v, s = correct.initialize_adam_stub(P)
                    P = fn(P, steps[0], v, s, 1, lr, b1, b2, eps)[0]
                    for k in P:
                        close(_n(fn) + " positional", P[k], want[0][0][k])


def verify_clipping():
    rng = np.random.default_rng(3)
    # Dinosaurus clip
    for maxValue in (0.5, 5.0, 100.0):
        g = {
            "dWaa": 3 * rng.standard_normal((5, 5)),
            "dWax": 3 * rng.standard_normal((5, 3)),
            "dWya": 3 * rng.standard_normal((2, 5)),
            "db": 3 * rng.standard_normal((5, 1)),
            "dby": 3 * rng.standard_normal((2, 1)),
        }
        want = {k: torch.clamp(T(a), -maxValue, maxValue).numpy() for k, a in g.items()}
        for fn in correct.CORRECT["clip"]:
            got = fn(copy.deepcopy(g), maxValue)
            assert set(got) == set(want), _n(fn)
            for k in want:
                close(f"{_n(fn)} {k}", got[k], want[k])
            count("clip", fn)

    # clip_grad_norm against torch.nn.utils.clip_grad_norm_
    for max_norm in (0.1, 1.0, 1e3):
        g = {
            "dW": rng.standard_normal((3, 4)),
            "db": rng.standard_normal((3, 1)),
            "dv": rng.standard_normal(5),
        }
        ts = [T(a, True) for a in g.values()]
        for t_, a in zip(ts, g.values()):
            t_.grad = T(a)
        norm = float(torch.nn.utils.clip_grad_norm_(ts, max_norm))
        want = {k: t_.grad.numpy() for k, t_ in zip(g, ts)}
        for fn in correct.CORRECT["clip_grad_norm"]:
            g_in = copy.deepcopy(g)
            clipped, total = fn(g_in, max_norm)
            assert all(np.array_equal(g_in[k], g[k]) for k in g), (
                _n(fn) + " modified its input"
            )
            assert all(not np.shares_memory(clipped[k], g_in[k]) for k in g), _n(fn)
            close(_n(fn) + " norm", total, norm)
            for k in g:
                close(f"{_n(fn)} {k}", clipped[k], want[k])
            count("clip_grad_norm", fn)

    # clipped_adam_step: clip_grad_norm_ then torch.optim.Adam, three steps
    for params in (layer_dicts(rng, 2), {"w": np.array([[1.0], [1.0]])}):
        for max_norm, lr in ((0.5, 0.01), (50.0, 0.03)):
            steps = [grads_like(rng, params, sc) for sc in (1.0, 10.0, 0.1)]
            tp = {k: T(a, True) for k, a in params.items()}
            opt = torch.optim.Adam(
                list(tp.values()), lr=lr, betas=(0.9, 0.999), eps=1e-8
            )
            want = []
            for g in steps:
                for k, t_ in tp.items():
                    t_.grad = T(g["d" + k])
                n = float(torch.nn.utils.clip_grad_norm_(list(tp.values()), max_norm))
                opt.step()
                want.append(
                    (
                        {k: npy(t_).copy() for k, t_ in tp.items()},
                        n,
                        {
                            "d" + k: opt.state[t_]["exp_avg"].numpy().copy()
                            for k, t_ in tp.items()
                        },
                        {
                            "d" + k: opt.state[t_]["exp_avg_sq"].numpy().copy()
                            for k, t_ in tp.items()
                        },
                    )
                )
            for fn in correct.CORRECT["clipped_adam_step"]:
                P = copy.deepcopy(params)
                v, s = correct.initialize_adam_stub(P)
                for t, (g, (wp, wn, wv, ws)) in enumerate(zip(steps, want), start=1):
                    g_in = copy.deepcopy(g)
                    P, v, s, n = (
                        fn(P, g_in, v, s, t, max_norm, lr)
                        if lr != 0.01
                        else fn(P, g_in, v, s, t, max_norm)
                    )
                    assert all(np.array_equal(g_in[k], g[k]) for k in g), _n(fn)
                    close(_n(fn) + " norm", n, wn)
                    for k in P:
                        close(f"{_n(fn)} t={t} {k}", P[k], wp[k])
                        close(f"{_n(fn)} t={t} v", v["d" + k], wv["d" + k])
                        close(f"{_n(fn)} t={t} s", s["d" + k], ws["d" + k])
                count("clipped_adam_step", fn)


# ------------------------------------------------------------------ 6-2 and the torch layout


def verify_gradients_w_b():
    rng = np.random.default_rng(4)
    for T_, D, M in ((6, 4, 3), (1, 2, 2), (5, 3, 5)):
        U, W, b = (
            0.6 * rng.standard_normal((D, D)),
            rng.standard_normal((D, M)),
            rng.standard_normal(D),
        )
        x, h0, r = (
            rng.standard_normal((T_, M)),
            rng.standard_normal(D),
            rng.standard_normal((T_, D)),
        )
        # delta[t, k] = dL_t/dz_k by autograd through perturbations e_k added to z_k
        Wl, bl = T(W, True), T(b, True)
        es = [torch.zeros(D, requires_grad=True) for _ in range(T_)]
        h = T(h0)
        losses = []
        for k in range(T_):
            z = T(U) @ h + Wl @ T(x[k]) + bl + es[k]
            h = torch.tanh(z)
            losses.append((h * T(r[k])).sum())
        delta = np.zeros((T_, T_, D))
        for t in range(T_):
            gs = torch.autograd.grad(
                losses[t], es, retain_graph=True, allow_unused=True
            )
            for k, gk in enumerate(gs):
                if gk is not None:
                    delta[t, k] = npy(gk)
        dW_t, db_t = torch.autograd.grad(sum(losses), [Wl, bl])
        for fn in correct.CORRECT["gradients_w_b"]:
            dW, db = fn(delta.copy(), x.copy())
            close(_n(fn) + " dW", dW, npy(dW_t))
            close(_n(fn) + " db", db, npy(db_t))
            count("gradients_w_b", fn)


def verify_rnn_layer():
    rng = np.random.default_rng(5)
    for T_, m, n_x, H in ((4, 3, 2, 5), (1, 1, 3, 3), (6, 2, 4, 4)):
        rnn = torch.nn.RNN(n_x, H)
        params = {
            k: getattr(rnn, k + "_l0").detach().numpy().copy()
            for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        }
        x, h0 = rng.standard_normal((T_, m, n_x)), rng.standard_normal((1, m, H))
        d_out, d_hn = rng.standard_normal((T_, m, H)), rng.standard_normal((1, m, H))
        xl, hl = T(x, True), T(h0, True)
        out, hn = rnn(xl, hl)
        ws = [xl, hl] + [getattr(rnn, k + "_l0") for k in params]
        g = torch.autograd.grad((out * T(d_out)).sum() + (hn * T(d_hn)).sum(), ws)
        want = dict(
            zip(
                ("dx", "dh0", "dweight_ih", "dweight_hh", "dbias_ih", "dbias_hh"),
                map(npy, g),
            )
        )
        for fn in correct.CORRECT["rnn_layer_forward"]:
            o, h_n, cache = fn(x, h0, params)
            close(_n(fn) + " output", o, npy(out))
            close(_n(fn) + " h_n", h_n, npy(hn))
            assert cache[0] is x and cache[1] is h0 and cache[3] is params
            close(_n(fn) + " cache output", cache[2], npy(out))
            count("rnn_layer_forward", fn)
        _, _, cache = correct.rnn_layer_forward_stub(x, h0, params)
        for fn in correct.CORRECT["rnn_layer_backward"]:
            d_out_in, d_hn_in = d_out.copy(), d_hn.copy()
            got = fn(d_out_in, d_hn_in, cache)
            assert np.array_equal(d_out_in, d_out) and np.array_equal(d_hn_in, d_hn), (
                _n(fn)
            )
            assert set(got) == set(want), _n(fn)
            for k in want:
                close(f"{_n(fn)} {k}", got[k], want[k])
            count("rnn_layer_backward", fn)


def main():
    for step in (
        verify_rnn,
        verify_lstm,
        verify_adam,
        verify_clipping,
        verify_gradients_w_b,
        verify_rnn_layer,
    ):
        step()
    for name, fns in correct.CORRECT.items():
        assert {f.__name__ for f in fns} == checked.get(name, set()), name
        print(f"{name:28s} {len(fns)} correct variants verified")
    print("all correct variants agree with torch (relative error < 1e-9)")


if __name__ == "__main__":
    main()
