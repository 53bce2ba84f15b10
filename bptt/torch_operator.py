"""Exercise 6-2P, PyTorch side: a torch.autograd.Function whose backward is bptt.operator's NumPy BPTT.

NumpyRNNModule gives it torch.nn.RNN's parameter names, so load_state_dict(rnn.state_dict()) works.
Imports torch; bptt/__init__.py exports these names lazily so import bptt stays NumPy-only.
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
    """output, h_n = NumpyRNNFunction.apply(x, h0, weight_ih, weight_hh, bias_ih, bias_hh); once-differentiable.

    Shapes as torch.nn.RNN: x (T, m, n_x), h0 (1, m, H), weight_ih (H, n_x), weight_hh (H, H), bias_ih,
    bias_hh (H,); returns output (T, m, H), h_n (1, m, H) with x's dtype and device (NNDL (6.36), (6.39)–(6.41)).

    Raises:
        ValueError: an argument not a real tensor, or as bptt.operator.rnn_layer_forward.
    """

    @staticmethod
    def forward(ctx, x, h0, weight_ih, weight_hh, bias_ih, bias_hh):
        arrays = [
            _np(t, name)
            for t, name in zip(
                (x, h0, weight_ih, weight_hh, bias_ih, bias_hh), ARGUMENTS
            )
        ]
        output, h_n, _ = rnn_layer_forward(
            arrays[0], arrays[1], dict(zip(RNN_LAYER_KEYS, arrays[2:]))
        )
        output_t = torch.from_numpy(output).to(device=x.device)
        # save_for_backward lets autograd detect in-place changes before backward
        ctx.save_for_backward(x, h0, weight_ih, weight_hh, bias_ih, bias_hh, output_t)
        return output_t, torch.from_numpy(h_n).to(device=x.device)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, d_output, d_h_n):
        x, h0, weight_ih, weight_hh, bias_ih, bias_hh, output = ctx.saved_tensors
        params = dict(
            zip(RNN_LAYER_KEYS, map(_np, (weight_ih, weight_hh, bias_ih, bias_hh)))
        )
        cache = (_np(x), _np(h0), _np(output), params)
        grads = rnn_layer_backward(_np(d_output), _np(d_h_n), cache)
        names = ("dx", "dh0", "dweight_ih", "dweight_hh", "dbias_ih", "dbias_hh")
        return tuple(torch.from_numpy(grads[n]).to(device=x.device) for n in names)


class NumpyRNNModule(torch.nn.Module):
    """Drop-in for torch.nn.RNN(input_size, hidden_size) (same parameter names and U(−1/√H, 1/√H) init), NumPy backward.

    forward(x (T, m, n_x), h0 (1, m, H) or None) -> (output (T, m, H), h_n (1, m, H)).

    Raises:
        ValueError: sizes not integers ≥ 1, dtype not float32/float64; in forward, non-tensors or bad shapes.
    """

    def __init__(self, input_size, hidden_size, dtype=torch.float64):
        input_size = require_integer("input_size", input_size, 1)
        hidden_size = require_integer("hidden_size", hidden_size, 1)
        if dtype not in (torch.float32, torch.float64):
            raise ValueError(
                f"dtype must be torch.float32 or torch.float64, got {dtype!r:.60}"
            )
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
            self.register_parameter(
                name,
                torch.nn.Parameter(
                    torch.empty(shape, dtype=dtype).uniform_(-bound, bound)
                ),
            )

    def forward(self, x, h0=None):
        if not isinstance(x, torch.Tensor):
            raise ValueError(
                f"x must be a torch.Tensor of shape (T, m, n_x), got {type(x).__name__}"
            )
        if h0 is None:
            if x.dim() != 3:
                raise ValueError(
                    f"x must be 3-D with shape (T, m, n_x), got shape {tuple(x.shape)}"
                )
            h0 = x.new_zeros((1, x.shape[1], self.hidden_size))
        return NumpyRNNFunction.apply(
            x,
            h0,
            self.weight_ih_l0,
            self.weight_hh_l0,
            self.bias_ih_l0,
            self.bias_hh_l0,
        )
