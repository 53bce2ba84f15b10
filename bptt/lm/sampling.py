"""Temperature sampling from the trained character language model."""

import numpy as np

from ..rnn import rnn_forward_unchecked
from ..shapes import (
    require_integer,
    require_real,
)
from ..train import (
    one_hot_unchecked,
)
from .corpus import Corpus, encode_text, positive_int
from .training import check_lm_parameters


def sample_text(parameters, corpus, prompt, length, *, temperature=1.0, seed=0):
    """Generate text: read ``prompt``, then draw ``length`` characters.

    Each next character is drawn from softmax(z / temperature), z the
    logits Wya a + by, and fed back as the next input; ``temperature`` 0
    means greedy (the most likely character).  Draws use
    ``np.random.default_rng(seed)``.

    Raises:
        ValueError: bad parameters (as rnn_forward, n_x == n_y); corpus not a Corpus of vocabulary n_x;
            temperature not a finite real ≥ 0 (0 is greedy); prompt not a non-empty str of the vocabulary;
            length not an integer ≥ 1; seed not an integer ≥ 0.
    """
    parameters, n_a, n_x = check_lm_parameters(parameters)
    if not isinstance(corpus, Corpus) or corpus.vocab != n_x:
        what = (
            f"vocabulary {corpus.vocab}"
            if isinstance(corpus, Corpus)
            else type(corpus).__name__
        )
        raise ValueError(
            f"corpus must be a Corpus with the vocabulary of parameters (n_x = {n_x}), got {what}"
        )
    temperature = require_real("temperature", temperature, low=0)
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(
            f"prompt must be a non-empty string, got {type(prompt).__name__} {prompt!r:.40}"
        )
    prompt_ids = encode_text(prompt, corpus.chars, "prompt")
    length = positive_int("length", length)
    seed = require_integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    a, _, _ = rnn_forward_unchecked(
        one_hot_unchecked(prompt_ids[None, :], n_x), np.zeros((n_a, 1)), parameters
    )
    a = a[:, :, -1]
    out = []
    for _ in range(length):
        z = (parameters["Wya"] @ a + parameters["by"])[:, 0]
        if temperature == 0:
            nxt = int(np.argmax(z))
        else:
            p = np.exp((z - z.max()) / temperature)
            cdf = np.cumsum(p)
            nxt = min(
                int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right")), n_x - 1
            )
        out.append(nxt)
        a, _, _ = rnn_forward_unchecked(
            one_hot_unchecked(np.array([[nxt]]), n_x), a, parameters
        )
        a = a[:, :, -1]
    return prompt + "".join(corpus.chars[i] for i in out)
