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
from .rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward

__all__ = [
    "ACTIVATIONS",
    "activation",
    "error_terms",
    "gradients_double_sum",
    "srn_forward",
    "ExplorerCurve",
    "LiveExplorer",
    "delta_triangle",
    "delta_triangle_html",
    "explorer_grid",
    "explorer_inputs",
    "gradient_norm_curve",
    "orthogonal_matrix",
    "static_explorer_html",
    "assert_close",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "sigmoid",
    "softmax",
]
