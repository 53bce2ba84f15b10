"""A character language model trained the way practitioners do.

From the course's own pieces (rnn_forward, rnn_backward, the cross-entropy of
:mod:`bptt.train`, Adam, clip_grad_norm): a corpus with a contiguous train /
validation split; d2l's sequential partitioning into m streams read in chunks;
truncated BPTT with the state carried across chunks ("stateful"), reset at
each chunk ("reset") or with random chunk lengths ("random"); perplexity; the
truncation bias of the gradient; temperature sampling; the same training in
PyTorch.  The teaching is in ``chapters/language-model.ipynb``.
"""

from .corpus import (
    GENESIS,
    MODES,
    Corpus,
    chunk_bounds,
    lm_batches,
    load_corpus,
    sequential_streams,
)
from .sampling import sample_text
from .torch_comparison import train_lm_torch
from .training import (
    evaluate_lm,
    gradient_agreement,
    lm_loss_and_grads,
    train_lm,
    truncated_gradient,
)

__all__ = [
    "Corpus",
    "GENESIS",
    "MODES",
    "chunk_bounds",
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
