"""Exercise 6-2P: the circulated NumPy RNNCell skeleton (built from torch.nn.RNN's all_weights[0]), completed.

As circulated, __call__ never pushes onto the stacks backward pops and backward never appends the
weight gradients; this is the class with those lines written. bptt.operator solves 6-2P in the course layout.
Rows hold examples: x (m, n_x), h (m, H), weight_ih (H, n_x), weight_hh (H, H), bias_ih, bias_hh (H,).
"""

import numpy as np

from .shapes import float_array, require_ndim


class RNNCell:
    """One tanh step h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with a hand-written BPTT.

    cell(x, h) returns h' (m, H) and pushes (x, h, h'). cell.backward(dh) takes ∂L/∂h' (m, H) of the latest
    unprocessed step, adds prev_dh, returns ∂L/∂x; dx_list ends in time order, the d*_stack lists
    hold one gradient per step.

    Raises:
        ValueError: more backward calls than forward calls, or a weight, input or gradient that is not an ndarray
            of its shape, has a complex/bool/object/string dtype, an empty axis or NaN/inf (integer and float16
            arrays become float64; weights are copied).
    """

    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        H, n_x = require_ndim("weight_ih", weight_ih, 2, "(H, n_x)").shape
        src = "H from weight_ih"
        self.weight_ih = float_array("weight_ih", weight_ih, 2, "(H, n_x)").astype(
            float
        )
        self.weight_hh = float_array(
            "weight_hh", weight_hh, 2, "(H, H)", shape=(H, H), source=src
        ).astype(float)
        self.bias_ih = float_array(
            "bias_ih", bias_ih, 1, "(H,)", shape=(H,), source=src
        ).astype(float)
        self.bias_hh = float_array(
            "bias_hh", bias_hh, 1, "(H,)", shape=(H,), source=src
        ).astype(float)
        self.x_stack, self.prev_hidden_stack, self.next_hidden_stack = [], [], []
        self.dx_list, self.prev_dh = [], None
        self.dw_ih_stack, self.dw_hh_stack, self.db_ih_stack, self.db_hh_stack = (
            [],
            [],
            [],
            [],
        )

    def __call__(self, x, prev_hidden):
        H, n_x = self.weight_ih.shape
        m = require_ndim("x", x, 2, "(m, n_x)").shape[0]
        x = float_array(
            "x", x, 2, "(m, n_x)", shape=(m, n_x), source="n_x from weight_ih"
        )
        prev_hidden = float_array(
            "prev_hidden",
            prev_hidden,
            2,
            "(m, H)",
            shape=(m, H),
            source="m from x, H from weight_ih",
        )
        next_h = np.tanh(
            x @ self.weight_ih.T
            + self.bias_ih
            + prev_hidden @ self.weight_hh.T
            + self.bias_hh
        )
        # The lines the skeleton lacks: backward needs this step's input, state and
        # output.
        self.x_stack.append(np.array(x, dtype=float))
        self.prev_hidden_stack.append(np.array(prev_hidden, dtype=float))
        self.next_hidden_stack.append(next_h)
        return next_h

    def backward(self, dh):
        if not self.x_stack:
            raise ValueError(
                "backward was called more often than the cell: every call pops one step"
            )
        shape = self.next_hidden_stack[-1].shape
        dh = float_array(
            "dh", dh, 2, "(m, H)", shape=shape, source="the latest unprocessed step"
        )
        # Stacks pop the LAST step first: backward walks time in reverse.
        x, prev_h, next_h = (
            self.x_stack.pop(),
            self.prev_hidden_stack.pop(),
            self.next_hidden_stack.pop(),
        )
        if self.prev_dh is not None:
            dh = dh + self.prev_dh  # what step t+1 sent back to h_t
        dz = dh * (1.0 - next_h**2)
        dx = dz @ self.weight_ih
        self.prev_dh = dz @ self.weight_hh
        self.dx_list.insert(
            0, dx
        )  # the earliest step is processed last: put it in front
        # The other missing lines: one gradient per step, summed by the caller.
        self.dw_ih_stack.append(dz.T @ x)
        self.dw_hh_stack.append(dz.T @ prev_h)
        self.db_ih_stack.append(dz.sum(axis=0))
        self.db_hh_stack.append(
            dz.sum(axis=0)
        )  # z holds b_ih + b_hh: both get ∂L/∂z summed
        return dx
