"""bptt — the NumPy reference code of the course *BPTT by hand*.

Notebooks and tests import from here; nothing here imports a notebook.
Names, signatures, shapes and cache formats follow the deeplearning.ai
"Building a Recurrent Neural Network — Step by Step" conventions.
"""

from .activations import sigmoid, softmax
from .gradcheck import assert_close, numerical_gradient, relative_error
from .rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward
from .optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from .train import (
    TINY_TEXT,
    char_windows,
    cross_entropy_backward,
    cross_entropy_loss,
    one_hot,
    rnn_loss_and_grads,
    train_rnn,
)

__all__ = [
    "assert_close",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "sigmoid",
    "softmax",
    "clip_grad_norm",
    "initialize_adam",
    "update_parameters_with_adam",
    "TINY_TEXT",
    "char_windows",
    "cross_entropy_backward",
    "cross_entropy_loss",
    "one_hot",
    "rnn_loss_and_grads",
    "train_rnn",
]
