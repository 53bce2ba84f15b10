"""Exercise 6-2P, PyTorch side: a ``torch.autograd.Function`` whose backward is NumPy.

:class:`NumpyRNNFunction` runs :func:`bptt.operator.rnn_layer_forward` and
:func:`bptt.operator.rnn_layer_backward` on the tensors' NumPy views, so
autograd uses the hand-written BPTT instead of its own graph.
:class:`NumpyRNNModule` wraps it with ``torch.nn.RNN``'s parameter names
(``weight_ih_l0`` …), so ``module.load_state_dict(rnn.state_dict())`` works.

This module imports torch; ``bptt/__init__.py`` exports its names lazily so
that ``import bptt`` stays NumPy-only and fast.
"""

import math

import torch

from .operator import RNN_LAYER_KEYS, rnn_layer_backward, rnn_layer_forward
from .shapes import require_integer

ARGUMENTS = ("x", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _np(tensor, name="tensor"):
    """A NumPy view of a detached CPU tensor (a copy if it lives elsewhere).

    Raises ValueError naming the argument if it is not a tensor, or is
    complex (NumPy would keep it complex; the operator refuses it then).
    """
    if not isinstance(tensor, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor, got {type(tensor).__name__}")
    if tensor.is_complex():
        raise ValueError(f"{name} must be a real tensor, got dtype {tensor.dtype}")
    return tensor.detach().cpu().numpy()


class NumpyRNNFunction(torch.autograd.Function):
    """``output, h_n = NumpyRNNFunction.apply(x, h0, weight_ih, weight_hh, bias_ih, bias_hh)``.

    Shapes as ``torch.nn.RNN`` (tanh, one layer, time-major): x (T, m, n_x),
    h0 (1, m, H), weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,),
    bias_hh (H,); returns output (T, m, H) and h_n (1, m, H) with x's dtype
    and device.  The forward and the backward are the NumPy functions of
    :mod:`bptt.operator`; backward is once-differentiable (no double backward).

    Raises:
        ValueError: an argument that is not a real tensor (named in the
            message), or from :func:`bptt.operator.rnn_layer_forward` on bad
            shapes, dtypes or values.

    Source: NNDL §6.4.1, eqs. (6.36), (6.39)–(6.41); torch's "Extending
    torch.autograd" pattern (forward / setup via ctx, backward returns one
    gradient per input).
    """

    @staticmethod
    def forward(ctx, x, h0, weight_ih, weight_hh, bias_ih, bias_hh):
        arrays = [_np(t, name) for t, name in zip((x, h0, weight_ih, weight_hh, bias_ih, bias_hh), ARGUMENTS)]
        output, h_n, _ = rnn_layer_forward(arrays[0], arrays[1], dict(zip(RNN_LAYER_KEYS, arrays[2:])))
        output_t = torch.from_numpy(output).to(device=x.device)
        # save_for_backward lets autograd detect in-place changes before backward
        ctx.save_for_backward(x, h0, weight_ih, weight_hh, bias_ih, bias_hh, output_t)
        return output_t, torch.from_numpy(h_n).to(device=x.device)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, d_output, d_h_n):
        x, h0, weight_ih, weight_hh, bias_ih, bias_hh, output = ctx.saved_tensors
        params = dict(zip(RNN_LAYER_KEYS, map(_np, (weight_ih, weight_hh, bias_ih, bias_hh))))
        cache = (_np(x), _np(h0), _np(output), params)
        grads = rnn_layer_backward(_np(d_output), _np(d_h_n), cache)
        names = ("dx", "dh0", "dweight_ih", "dweight_hh", "dbias_ih", "dbias_hh")
        return tuple(torch.from_numpy(grads[n]).to(device=x.device) for n in names)


class NumpyRNNModule(torch.nn.Module):
    """A drop-in for ``torch.nn.RNN(input_size, hidden_size)`` whose backward is NumPy BPTT.

    Parameters are named like nn.RNN's (``weight_ih_l0``, ``weight_hh_l0``,
    ``bias_ih_l0``, ``bias_hh_l0``) and initialised the same way
    (U(−1/√H, 1/√H)), so ``load_state_dict(rnn.state_dict())`` copies a
    torch RNN.  ``forward(x, h0=None)`` takes x (T, m, n_x) and h0 (1, m, H)
    and returns (output (T, m, H), h_n (1, m, H)).

    Raises:
        ValueError: sizes not integers >= 1 or dtype not torch.float32 /
            torch.float64; in forward, x or h0 not a tensor, or shapes that
            nn.RNN would reject (from the NumPy checks).
    """

    def __init__(self, input_size, hidden_size, dtype=torch.float64):
        input_size = require_integer("input_size", input_size, 1)
        hidden_size = require_integer("hidden_size", hidden_size, 1)
        if dtype not in (torch.float32, torch.float64):
            raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype!r:.60}")
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        shapes = {
            "weight_ih_l0": (hidden_size, input_size),
            "weight_hh_l0": (hidden_size, hidden_size),
            "bias_ih_l0": (hidden_size,),
            "bias_hh_l0": (hidden_size,),
        }
        bound = 1.0 / math.sqrt(hidden_size)
        for name, shape in shapes.items():
            self.register_parameter(name, torch.nn.Parameter(torch.empty(shape, dtype=dtype).uniform_(-bound, bound)))

    def forward(self, x, h0=None):
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"x must be a torch.Tensor of shape (T, m, n_x), got {type(x).__name__}")
        if h0 is None:
            if x.dim() != 3:
                raise ValueError(f"x must be 3-D with shape (T, m, n_x), got shape {tuple(x.shape)}")
            h0 = x.new_zeros((1, x.shape[1], self.hidden_size))
        return NumpyRNNFunction.apply(
            x, h0, self.weight_ih_l0, self.weight_hh_l0, self.bias_ih_l0, self.bias_hh_l0
        )
