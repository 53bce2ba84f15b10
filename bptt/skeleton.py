"""Exercise 6-2P: the widely circulated NumPy ``RNNCell`` skeleton, completed.

Students often start 6-2P from a class that mirrors ``torch.nn.RNNCell``: it
is built from ``rnn.all_weights[0]`` of a ``torch.nn.RNN`` (order
``weight_ih, weight_hh, bias_ih, bias_hh``), called once per time step, and
then asked for ``backward(dh)`` once per step in reverse.  As circulated it
cannot run: ``__call__`` never pushes onto the stacks that ``backward`` pops,
and ``backward`` never appends the weight and bias gradients.  This is the
class with those lines written; :mod:`bptt.operator` solves 6-2P in the
course's own layout.

Rows hold examples, as in PyTorch: x (m, n_x), h (m, H), weight_ih (H, n_x),
weight_hh (H, H), bias_ih and bias_hh (H,).
"""

import numpy as np


class RNNCell:
    """One tanh RNN step h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with a hand-written BPTT.

    ``cell(x, h)`` returns h' (m, H) and remembers (x, h, h') on three stacks.
    ``cell.backward(dh)`` takes ∂L/∂h' of the latest step not yet processed
    (m, H), adds the gradient carried from the step after it (``prev_dh``),
    and returns ∂L/∂x of that step; ``dx_list`` ends in time order and the
    four ``d*_stack`` lists hold one gradient per step (sum them for the
    totals).

    Raises:
        ValueError: a weight or input of the wrong shape; backward called more
            often than the cell was.
    """

    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        self.weight_ih, self.weight_hh = _matrix("weight_ih", weight_ih), _matrix("weight_hh", weight_hh)
        H, n_x = self.weight_ih.shape
        for name, value, shape in (("weight_hh", self.weight_hh, (H, H)), ("bias_ih", bias_ih, (H,)), ("bias_hh", bias_hh, (H,))):
            if np.shape(value) != shape:
                raise ValueError(f"{name} must have shape {shape} (H = {H} from weight_ih), got {np.shape(value)}")
        self.bias_ih, self.bias_hh = np.array(bias_ih, dtype=float), np.array(bias_hh, dtype=float)
        self.x_stack, self.prev_hidden_stack, self.next_hidden_stack = [], [], []
        self.dx_list, self.prev_dh = [], None
        self.dw_ih_stack, self.dw_hh_stack, self.db_ih_stack, self.db_hh_stack = [], [], [], []

    def __call__(self, x, prev_hidden):
        H, n_x = self.weight_ih.shape
        if np.ndim(x) != 2 or np.shape(x)[1] != n_x:
            raise ValueError(f"x must have shape (m, {n_x}), got {np.shape(x)}")
        if np.shape(prev_hidden) != (np.shape(x)[0], H):
            raise ValueError(f"prev_hidden must have shape ({np.shape(x)[0]}, {H}), got {np.shape(prev_hidden)}")
        next_h = np.tanh(x @ self.weight_ih.T + self.bias_ih + prev_hidden @ self.weight_hh.T + self.bias_hh)
        # The lines the skeleton lacks: backward needs this step's input, state and output.
        self.x_stack.append(np.array(x, dtype=float))
        self.prev_hidden_stack.append(np.array(prev_hidden, dtype=float))
        self.next_hidden_stack.append(next_h)
        return next_h

    def backward(self, dh):
        if not self.x_stack:
            raise ValueError("backward was called more often than the cell: every call pops one step")
        # Stacks pop the LAST step first: backward walks time in reverse.
        x, prev_h, next_h = self.x_stack.pop(), self.prev_hidden_stack.pop(), self.next_hidden_stack.pop()
        if np.shape(dh) != next_h.shape:
            raise ValueError(f"dh must have shape {next_h.shape}, got {np.shape(dh)}")
        if self.prev_dh is not None:
            dh = dh + self.prev_dh  # what step t+1 sent back to h_t
        dz = dh * (1.0 - next_h**2)
        dx = dz @ self.weight_ih
        self.prev_dh = dz @ self.weight_hh
        self.dx_list.insert(0, dx)  # the earliest step is processed last: put it in front
        # The other missing lines: one gradient per step, summed by the caller.
        self.dw_ih_stack.append(dz.T @ x)
        self.dw_hh_stack.append(dz.T @ prev_h)
        self.db_ih_stack.append(dz.sum(axis=0))
        self.db_hh_stack.append(dz.sum(axis=0))  # z holds b_ih + b_hh: both get ∂L/∂z summed
        return dx


def _matrix(name, value):
    if np.ndim(value) != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {np.shape(value)}")
    return np.array(value, dtype=float)
