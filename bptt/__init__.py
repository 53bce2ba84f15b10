"""bptt — the NumPy reference code of the course *BPTT by hand*.

Notebooks and tests import from here; nothing here imports a notebook.
Names, signatures, shapes and cache formats follow the deeplearning.ai
"Building a Recurrent Neural Network — Step by Step" conventions.
The Exercise 6-2P operator (:mod:`bptt.operator`) follows ``torch.nn.RNN``'s
layout instead; its PyTorch wrappers (:mod:`bptt.torch_operator`) are loaded
on first use so that ``import bptt`` does not import torch.
"""

from .activations import sigmoid, softmax
from .fast import (
    rnn_backward_fast,
    rnn_forward_fast,
    rnn_layer_backward_fast,
    rnn_layer_forward_fast,
)
from .gradcheck import assert_close, numerical_gradient, relative_error
from .operator import NumpyRNN, rnn_layer_backward, rnn_layer_forward
from .rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward

_TORCH_NAMES = ("NumpyRNNFunction", "NumpyRNNModule")


def __getattr__(name):
    """Load the torch-dependent names of bptt.torch_operator on first access."""
    if name in _TORCH_NAMES:
        from . import torch_operator

        return getattr(torch_operator, name)
    raise AttributeError(f"module 'bptt' has no attribute {name!r}")


__all__ = [
    "NumpyRNN",
    "NumpyRNNFunction",
    "NumpyRNNModule",
    "assert_close",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_backward_fast",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "rnn_forward_fast",
    "rnn_layer_backward",
    "rnn_layer_backward_fast",
    "rnn_layer_forward",
    "rnn_layer_forward_fast",
    "sigmoid",
    "softmax",
]
