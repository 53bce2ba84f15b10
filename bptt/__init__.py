"""bptt — the NumPy reference code of the course *BPTT by hand*.

Notebooks and tests import from here; nothing here imports a notebook.
Names, signatures, shapes and cache formats follow the deeplearning.ai
"Building a Recurrent Neural Network — Step by Step" conventions.
The Exercise 6-2P operator (:mod:`bptt.operator`) follows ``torch.nn.RNN``'s
layout instead; its PyTorch wrappers (:mod:`bptt.torch_operator`) are loaded
on first use so that ``import bptt`` does not import torch.
"""

from .activations import ACTIVATIONS, activation, sigmoid, softmax
from .delta import error_terms, gradients_double_sum, srn_forward
from .explorer import (
    ExplorerCurve,
    LiveExplorer,
    delta_triangle,
    explorer_inputs,
    gradient_norm_curve,
    orthogonal_matrix,
)
from .fast import (
    rnn_backward_fast,
    rnn_forward_fast,
    rnn_layer_backward_fast,
    rnn_layer_forward_fast,
)
from .gradcheck import assert_close, numerical_gradient, relative_error
from .lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from .operator import NumpyRNN, rnn_layer_backward, rnn_layer_forward
from .optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from .rnn import random_rnn_parameters, rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward
from .train import (
    TINY_TEXT,
    char_windows,
    cross_entropy_backward,
    cross_entropy_loss,
    one_hot,
    rnn_loss_and_grads,
    train_rnn,
)

_TORCH_NAMES = ("NumpyRNNFunction", "NumpyRNNModule")


def __getattr__(name):
    """Load the PyTorch wrappers of the 6-2P operator only when asked for."""
    if name in _TORCH_NAMES:
        from . import torch_operator

        return getattr(torch_operator, name)
    raise AttributeError(f"module 'bptt' has no attribute {name!r}")


__all__ = [
    "activation",
    "ACTIVATIONS",
    "assert_close",
    "char_windows",
    "clip_grad_norm",
    "cross_entropy_backward",
    "cross_entropy_loss",
    "delta_triangle",
    "error_terms",
    "explorer_inputs",
    "ExplorerCurve",
    "gradient_norm_curve",
    "gradients_double_sum",
    "initialize_adam",
    "LiveExplorer",
    "lstm_backward",
    "lstm_cell_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "numerical_gradient",
    "NumpyRNN",
    "NumpyRNNFunction",
    "NumpyRNNModule",
    "one_hot",
    "orthogonal_matrix",
    "random_rnn_parameters",
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
    "rnn_loss_and_grads",
    "sigmoid",
    "softmax",
    "srn_forward",
    "TINY_TEXT",
    "train_rnn",
    "update_parameters_with_adam",
]
