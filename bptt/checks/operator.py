"""Checks of Exercise 6-2P: the RNN layer in ``torch.nn.RNN``'s layout, against PyTorch itself."""

import numpy as np

from ..i18n import _
from .core import (
    Case,
    Check,
    Failure,
    case_label,
    close,
    expect_dict,
    expect_tuple,
    forbid_mutation,
    verify,
)

LAYER_SHAPES = [(3, 4, 2, 3), (1, 1, 3, 2), (4, 2, 2, 1)]  # (T, m, n_x, H)
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def layer_case(T, m, n_x, H, seed):
    import torch

    torch.manual_seed(seed)
    rnn = torch.nn.RNN(n_x, H).double()
    params = {k: getattr(rnn, f"{k}_l0").detach().numpy().copy() for k in WEIGHTS}
    rng = np.random.default_rng(seed)
    shapes = ((T, m, n_x), (1, m, H), (T, m, H), (1, m, H))
    return (rnn, params) + tuple(rng.standard_normal(s) for s in shapes)


def torch_layer_gradients(rnn, x, h0, d_out, d_hn=None):
    """Autograd of ``rnn`` for the loss Σ output·d_out (+ Σ h_n·d_hn).

    Returns (output, {"dx", "dh0", "dweight_ih", ...}) as NumPy arrays.
    """
    import torch

    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0, requires_grad=True)
    output, h_n = rnn(xt, h0t)
    loss = (output * torch.tensor(d_out)).sum()
    if d_hn is not None:
        loss = loss.add((h_n * torch.tensor(d_hn)).sum())
    loss.backward()
    grads = {"dx": xt.grad.numpy(), "dh0": h0t.grad.numpy()}
    grads |= {f"d{k}": getattr(rnn, f"{k}_l0").grad.numpy() for k in WEIGHTS}
    return output.detach().numpy().copy(), grads


def _forward_variant(x, h0, p, mistake):
    h, outs = h0[0], []
    for t in range(x.shape[0]):
        hp = h0[0] if mistake == "no_carry" else h
        bias_hh = 0 if mistake == "one_bias" else p["bias_hh"]
        h = np.tanh(
            x[t] @ p["weight_ih"].T
            + p["bias_ih"]
            + hp @ (p["weight_hh"] if mistake == "no_transpose" else p["weight_hh"].T)
            + bias_hh
        )
        outs.append(h)
    out = np.stack(outs)
    return {"output": out, "h_n": out[-1:]}


def _forward_cases():
    import torch

    cases = []
    for i, (T, m, n_x, H) in enumerate(LAYER_SHAPES):
        rnn, p, x, h0, _, _ = layer_case(T, m, n_x, H, 140 + i)
        with torch.no_grad():
            out_ref, hn_ref = rnn(torch.tensor(x), torch.tensor(h0))
        cases.append(
            Case(
                case_label(T=T, m=m, n_x=n_x, H=H),
                (x, h0, p),
                x=x,
                h0=h0,
                p=p,
                output=out_ref.numpy(),
                h_n=hn_ref.numpy(),
            )
        )
    return cases


def _judge_forward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("x", "h0", "params"))
    output, h_n, cache = expect_tuple(obs["output"], ("output", "h_n", "cache"), label)
    hints = {
        "output": _(
            "h_t = tanh(x_t weight_ihᵀ + bias_ih + h_{t-1} weight_hhᵀ + bias_hh), "
            "one example per row."
        ),
        "h_n": _("h_n = output[-1:] (shape (1, m, H))."),
    }
    variants = [
        (
            _("torch.nn.RNN adds BOTH biases, bias_ih and bias_hh."),
            lambda: _forward_variant(r["x"], r["h0"], r["p"], "one_bias"),
        ),
        (
            _(
                "the state is not carried forward: use the previous step's h (h0 only at "
                "t = 0)."
            ),
            lambda: _forward_variant(r["x"], r["h0"], r["p"], "no_carry"),
        ),
        (
            _(
                "rows hold examples, so the product is h @ weight_hhᵀ (transposed), as "
                "torch computes it."
            ),
            lambda: _forward_variant(r["x"], r["h0"], r["p"], "no_transpose"),
        ),
    ]
    verify(
        {"output": output, "h_n": h_n},
        {"output": r["output"], "h_n": r["h_n"]},
        _("{case} against torch.nn.RNN").format(case=label),
        1e-10,
        hints,
        variants,
    )
    ok = (
        isinstance(cache, (tuple, list))
        and len(cache) == 4
        and close(cache[0], r["x"], 0)
        and close(cache[1], r["h0"], 0)
        and close(cache[2], r["output"], 1e-10)
    )
    if not ok:
        raise Failure(
            _("cache must be (x, h0, output, params) {case}").format(case=label),
            _("cache = (x, h0, output, params)."),
        )


def layer_backward_variant(d_out, d_hn, cache, mistake):
    x, h0, output, p = cache
    T = output.shape[0]
    dx = np.zeros_like(x)
    dwi, dwh, db = 0, 0, 0
    later = 0 * d_hn[0] if mistake == "no_d_h_n" else d_hn[0]
    for t in reversed(range(T)):
        g = d_out[t] if mistake == "no_carry" else d_out[t] + later
        hp = output[t - 1] if t > 0 or mistake == "wraps" else h0[0]
        delta = (1 - (hp if mistake == "tanh_prev" else output[t]) ** 2) * g
        dx[t] = delta @ p["weight_ih"]
        dwi, dwh, db = (
            dwi + delta.T @ x[t],
            dwh + (hp.T @ delta if mistake == "dwh_transposed" else delta.T @ hp),
            db + delta.sum(0),
        )
        later = delta @ (
            p["weight_hh"].T if mistake == "no_transpose" else p["weight_hh"]
        )
    return {
        "dx": dx,
        "dh0": later[None],
        "dweight_ih": dwi,
        "dweight_hh": dwh,
        "dbias_ih": db,
        "dbias_hh": 0 * db if mistake == "one_bias" else db,
    }


def _backward_cases():
    cases = []
    for i, (T, m, n_x, H) in enumerate(LAYER_SHAPES):
        rnn, p, x, h0, d_out, d_hn = layer_case(T, m, n_x, H, 150 + i)
        output, expected = torch_layer_gradients(rnn, x, h0, d_out, d_hn)
        cache = (x, h0, output, p)
        cases.append(
            Case(
                case_label(T=T, m=m, n_x=n_x, H=H),
                (d_out, d_hn, cache),
                expected=expected,
                d_out=d_out,
                d_hn=d_hn,
                cache=cache,
                T=T,
            )
        )
    return cases


def layer_only_last_step_right(key, act, exp):
    if act.ndim == 3 and act.shape[0] > 1 and close(act[-1], exp[-1], 1e-8):
        return _(
            "only the last time step is right: add what flows back from step t+1 to "
            "d_output[t]."
        )
    return None


def _judge_backward(case, obs, notes):
    r, label = case.ref, case.label
    forbid_mutation(case, obs, ("d_output", "d_h_n", "cache"))
    out = expect_dict(obs["output"], tuple(r["expected"]), label)
    hints = {
        "dx": _(
            "dx_t = δ_t weight_ih with δ_t = (1 − h_t²) ⊙ (d_output[t] + what flows "
            "back from t+1)."
        ),
        "dh0": _(
            "dh0 is what flows back from step 1 to h0: δ_1 weight_hh, shape (1, m, H)."
        ),
        "dweight_ih": _("d weight_ih = Σ_t δ_tᵀ x_t."),
        "dweight_hh": _("d weight_hh = Σ_t δ_tᵀ h_{t-1}."),
        "dbias_ih": _("d bias_ih = Σ_t Σ_examples δ_t."),
        "dbias_hh": _("d bias_hh = d bias_ih: z depends on bias_ih + bias_hh."),
    }
    args = (r["d_out"], r["d_hn"], r["cache"])
    variants = [
        (
            _(
                "the gradient from step t+1 is not added back: g_t = d_output[t] + "
                "δ_{t+1} weight_hh."
            ),
            lambda: layer_backward_variant(*args, "no_carry"),
        ),
        (
            _("tanh′ belongs to this step's state: (1 − h_t²), not (1 − h_{t-1}²)."),
            lambda: layer_backward_variant(*args, "tanh_prev"),
        ),
        (
            _(
                "rows hold examples: what flows back to h_{t-1} is δ_t weight_hh (no "
                "transpose)."
            ),
            lambda: layer_backward_variant(*args, "no_transpose"),
        ),
        (
            _("bias_hh gets the same gradient as bias_ih."),
            lambda: layer_backward_variant(*args, "one_bias"),
        ),
        (
            _(
                "at t = 0 the previous state is h0: output[t - 1] with t = 0 is "
                "output[-1], the LAST state."
            ),
            lambda: layer_backward_variant(*args, "wraps"),
        ),
        (
            _(
                "d_h_n is the gradient on the last state: start the carry at the last "
                "step from d_h_n[0], not from zeros."
            ),
            lambda: layer_backward_variant(*args, "no_d_h_n"),
        ),
        (
            _(
                "d weight_hh = Σ_t δ_tᵀ h_{t-1} (δ first: row i of weight_hh feeds unit "
                "i), not h_{t-1}ᵀ δ_t."
            ),
            lambda: layer_backward_variant(*args, "dwh_transposed"),
        ),
    ]
    verify(
        out,
        r["expected"],
        _("{case} against torch autograd").format(case=label),
        1e-10,
        hints,
        variants,
        layer_only_last_step_right,
    )


CHECKS = [
    Check("rnn_layer_forward", _forward_cases, _judge_forward),
    Check("rnn_layer_backward", _backward_cases, _judge_backward),
]
