"""bptt — the NumPy reference code of the course *BPTT by hand*.

Notebooks and tests import from here; nothing here imports a notebook.
Names, signatures, shapes and cache formats follow the deeplearning.ai
"Building a Recurrent Neural Network — Step by Step" conventions.
"""

from .activations import ACTIVATIONS, activation, sigmoid, softmax
from .delta import error_terms, gradients_double_sum, srn_forward
from .explorer import (
    ExplorerCurve,
    LiveExplorer,
    delta_triangle,
    delta_triangle_html,
    explorer_grid,
    explorer_inputs,
    gradient_norm_curve,
    orthogonal_matrix,
    static_explorer_html,
)
from .gradcheck import assert_close, numerical_gradient, relative_error
from .lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
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
    "activation",
    "ACTIVATIONS",
    "assert_close",
    "char_windows",
    "clip_grad_norm",
    "cross_entropy_backward",
    "cross_entropy_loss",
    "delta_triangle",
    "delta_triangle_html",
    "error_terms",
    "explorer_grid",
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
    "one_hot",
    "orthogonal_matrix",
    "relative_error",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "rnn_loss_and_grads",
    "sigmoid",
    "softmax",
    "srn_forward",
    "static_explorer_html",
    "TINY_TEXT",
    "train_rnn",
    "update_parameters_with_adam",
]
