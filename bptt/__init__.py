"""bptt — the NumPy reference code of the course *BPTT by hand*; notebooks and tests import it.

deeplearning.ai C5W1 names, shapes and caches; bptt.operator follows torch.nn.RNN's layout, and its
torch wrappers (bptt.torch_operator) load on first use, so import bptt does not import torch.
"""

from .activations import ACTIVATIONS, activation, sigmoid, softmax
from .deep import (
    deep_rnn_backward,
    deep_rnn_forward,
    deep_rnn_from_torch_state,
    deepen_input_gradients,
    deepen_parameters,
    random_deep_rnn_parameters,
    srn_backward,
)
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
from .gru import (
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    random_gru_parameters,
)
from .i18n import language, set_language
from .lm import (
    Corpus,
    evaluate_lm,
    gradient_agreement,
    lm_batches,
    lm_loss_and_grads,
    load_corpus,
    sample_text,
    sequential_streams,
    train_lm,
    train_lm_torch,
    truncated_gradient,
)
from .lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from .lstm_nndl import (
    cell_gradient_reach,
    lstm_nndl_backward,
    lstm_nndl_forward,
    lstm_nndl_to_dlai,
    lstm_nndl_torch_weights,
    lstm_state_jacobians,
    random_lstm_nndl_parameters,
)
from .operator import NumpyRNN, rnn_layer_backward, rnn_layer_forward
from .optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from .recursive import chain_tree, recursive_backward, recursive_forward
from .rnn import (
    random_rnn_parameters,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)
from .rtrl import (
    multiply_adds_per_step,
    rtrl_gradients,
    rtrl_init,
    rtrl_step,
    stored_floats,
    time_per_step,
)
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
    "chain_tree",
    "char_windows",
    "clip_grad_norm",
    "cross_entropy_backward",
    "cross_entropy_loss",
    "deep_rnn_backward",
    "deep_rnn_forward",
    "deep_rnn_from_torch_state",
    "deepen_input_gradients",
    "deepen_parameters",
    "delta_triangle",
    "error_terms",
    "explorer_inputs",
    "ExplorerCurve",
    "gradient_norm_curve",
    "gradients_double_sum",
    "gru_backward",
    "gru_cell_backward",
    "gru_cell_forward",
    "gru_forward",
    "initialize_adam",
    "language",
    "LiveExplorer",
    "lstm_backward",
    "lstm_cell_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "cell_gradient_reach",
    "lstm_nndl_backward",
    "lstm_nndl_forward",
    "lstm_nndl_to_dlai",
    "lstm_nndl_torch_weights",
    "lstm_state_jacobians",
    "multiply_adds_per_step",
    "random_lstm_nndl_parameters",
    "numerical_gradient",
    "NumpyRNN",
    "NumpyRNNFunction",
    "NumpyRNNModule",
    "one_hot",
    "orthogonal_matrix",
    "random_gru_parameters",
    "random_deep_rnn_parameters",
    "recursive_backward",
    "recursive_forward",
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
    "rtrl_gradients",
    "rtrl_init",
    "rtrl_step",
    "set_language",
    "sigmoid",
    "softmax",
    "srn_backward",
    "srn_forward",
    "stored_floats",
    "time_per_step",
    "TINY_TEXT",
    "train_rnn",
    "update_parameters_with_adam",
    "Corpus",
    "evaluate_lm",
    "gradient_agreement",
    "lm_batches",
    "lm_loss_and_grads",
    "load_corpus",
    "sample_text",
    "sequential_streams",
    "train_lm",
    "train_lm_torch",
    "truncated_gradient",
]
