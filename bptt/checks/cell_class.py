"""Check of Exercise 6-2P's class skeleton ``RNNCell``: driven as the skeleton's own test
drives it, judged against torch autograd (:mod:`bptt.checks.operator` has the layer checks).
"""

import numpy as np

from ..i18n import N_, _
from .core import (
    Case,
    Check,
    Failure,
    case_label,
    expect_dict,
    verify,
)
from .operator import (
    WEIGHTS,
    layer_backward_variant,
    layer_case,
    layer_only_last_step_right,
    torch_layer_gradients,
)

CELL_SHAPES = [
    (3, 3, 4, 5),
    (1, 1, 2, 3),
    (4, 2, 3, 2),
]  # (T, m, n_x, H); the first is the skeleton's own test
STACKS = ("dw_ih_stack", "dw_hh_stack", "db_ih_stack", "db_hh_stack")


def drive_rnn_cell(cls, weights, x, h0, dh):
    """Use a student's ``RNNCell`` class as the skeleton's test does; return what it produced.

    Runs where the student's code runs (it calls it): build the cell from
    ``weights`` (weight_ih, weight_hh, bias_ih, bias_hh), call it once per
    step from h0, then ``backward(dh[t])`` for t = T−1 … 0.
    """
    cell = cls(*weights)
    hidden, h = [], h0
    for t in range(x.shape[0]):
        h = cell(x[t], h)
        hidden.append(h)
    returned = [cell.backward(dh[t]) for t in reversed(range(x.shape[0]))]
    return {
        "hidden": hidden,
        "dx_list": list(cell.dx_list),
        "returned_dx": returned[::-1],
        "stacks": {name: list(getattr(cell, name)) for name in STACKS},
    }


def _cell_class_cases():
    cases = []
    for i, (T, m, n_x, H) in enumerate(CELL_SHAPES):
        rnn, p, x, h0, dh, _ = layer_case(T, m, n_x, H, 160 + i)
        output, grads = torch_layer_gradients(rnn, x, h0, dh)
        weights = tuple(p[k] for k in WEIGHTS)  # the order of rnn.all_weights[0]
        cases.append(
            Case(
                case_label(T=T, m=m, n_x=n_x, H=H),
                (weights, x, h0[0], dh),
                T=T,
                grads={f"d{k}": grads[f"d{k}"] for k in WEIGHTS},
                hidden=output,
                dx=grads["dx"],
                cache=(x, h0, output, p),
            )
        )
    return cases


def _judge_cell_class(case, obs, notes):
    r, label = case.ref, case.label
    out = expect_dict(
        obs["output"],
        ("hidden", "dx_list", "stacks"),
        label,
        _("what the class produced"),
    )
    T = r["T"]
    hint_h = _(
        "next_h = tanh(x weight_ihᵀ + bias_ih + prev_hidden weight_hhᵀ + "
        "bias_hh), one example per row."
    )
    verify(
        {"hidden": out["hidden"]},
        {"hidden": r["hidden"]},
        _("{case} against torch.nn.RNN").format(case=label),
        1e-10,
        {"hidden": hint_h},
    )
    stacks = out["stacks"]
    for name in STACKS:
        got = stacks.get(name) if isinstance(stacks, dict) else None
        if not isinstance(got, list) or len(got) != T:
            message = (
                N_("{name} holds {size} entries after {T} backward calls {case}")
                if isinstance(got, list)
                else N_("{name} holds no entries after {T} backward calls {case}")
            )
            raise Failure(
                _(message).format(
                    name=name,
                    size=len(got) if isinstance(got, list) else 0,
                    T=T,
                    case=label,
                ),
                _(
                    "backward must append this step's gradient to self.{name} (the skeleton "
                    "never does)."
                ).format(name=name),
            )
    dx_list = out["dx_list"]
    if not isinstance(dx_list, list) or len(dx_list) != T:
        raise Failure(
            _("dx_list must hold {T} entries, one per step {case}").format(
                T=T, case=label
            ),
            _("in backward: self.dx_list.insert(0, dx)."),
        )
    sums = {
        f"d{k}": sum(as_list)
        for k, as_list in zip(WEIGHTS, (stacks[n] for n in STACKS))
    }
    actual = {"dx": dx_list} | sums
    expected = {"dx": r["dx"]} | r["grads"]

    def as_class(mistake):  # the class runs the layer backward with no gradient on h_n
        res = layer_backward_variant(
            case.args[3], np.zeros((1,) + r["hidden"].shape[1:]), r["cache"], mistake
        )
        return {"dx": res["dx"]} | {k: res[k] for k in r["grads"]}

    variants = [
        (
            _(
                "the gradient from the step after is not carried: add self.prev_dh to dh "
                "before using it."
            ),
            lambda: as_class("no_carry"),
        ),
        (
            _("tanh′ belongs to this step's output: (1 − next_h²), not (1 − prev_h²)."),
            lambda: as_class("tanh_prev"),
        ),
        (
            _(
                "rows hold examples: what flows back to prev_hidden is dz @ weight_hh "
                "(no transpose)."
            ),
            lambda: as_class("no_transpose"),
        ),
        (
            _("bias_hh gets the same gradient as bias_ih: both are added into z."),
            lambda: as_class("one_bias"),
        ),
        (
            _(
                "dx_list is in reverse order: backward walks from the last step to the "
                "first, so use dx_list.insert(0, dx)."
            ),
            lambda: {"dx": np.asarray(r["dx"])[::-1]},
        ),
    ]
    hints = {
        "dx": _("dx = dz @ weight_ih with dz = (dh + prev_dh) ⊙ (1 − next_h²)."),
        "dweight_ih": _("dw_ih of a step is dzᵀ x; the total is the sum over steps."),
        "dweight_hh": _(
            "dw_hh of a step is dzᵀ prev_h; the total is the sum over steps."
        ),
        "dbias_ih": _("db_ih of a step is dz summed over the examples (axis 0)."),
        "dbias_hh": _("db_hh equals db_ih: z holds bias_ih + bias_hh."),
    }
    verify(
        actual,
        expected,
        _("{case} against torch autograd").format(case=label),
        1e-10,
        hints,
        variants,
        layer_only_last_step_right,
    )


CHECKS = [
    Check("RNNCell", _cell_class_cases, _judge_cell_class, adapter=drive_rnn_cell)
]
