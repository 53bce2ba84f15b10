"""A character language model trained the way practitioners do.

From the course's own pieces (rnn_forward, rnn_backward, the cross-entropy of
:mod:`bptt.train`, Adam, clip_grad_norm): a corpus with a contiguous train /
validation split; d2l's sequential partitioning into m streams read in chunks;
truncated BPTT with the state carried across chunks ("stateful"), reset at
each chunk ("reset") or with random chunk lengths ("random"); perplexity; the
truncation bias of the gradient; temperature sampling; the same training in
PyTorch.  The teaching is in ``chapters/language-model.ipynb``.
"""

import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from .rnn import check_rnn_parameters, rnn_backward_unchecked, rnn_forward_unchecked
from .shapes import (
    float_array,
    require_bool,
    require_integer,
    require_ndim,
    require_real,
)
from .train import (
    cross_entropy_backward_unchecked,
    cross_entropy_unchecked,
    one_hot_unchecked,
)

MODES = ("stateful", "reset", "random")


def _positive_int(name, value):
    return require_integer(name, value, 1)


def _ids(name, ids, vocab=None, ndim=1, layout="(n_chars,)"):
    """Validate integer character indices: an ndarray of ``ndim`` axes, none empty, values in [0, vocab); as int64."""
    require_ndim(name, ids, ndim, layout)
    if ids.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must hold integer character indices, got dtype {ids.dtype}"
        )
    if 0 in ids.shape:
        raise ValueError(
            f"{name} must have no empty axis: layout {layout}, got shape {ids.shape}"
        )
    if ids.min() < 0 or (vocab is not None and ids.max() >= vocab):
        bound = (
            "" if vocab is None else f", {vocab}) (the vocabulary of parameters['Wax']"
        )
        raise ValueError(
            f"{name} must lie in [0{bound or ', ∞'}), got range [{ids.min()}, {ids.max()}]"
        )
    return ids.astype(
        np.int64, copy=False
    )  # other integer dtypes: converted explicitly (int64 is kept as is)


def _generator(name, rng):
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be None or a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}"
        )
    return rng


@dataclass(frozen=True)
class Corpus:
    """A text, its sorted character vocabulary and its train / validation split."""

    text: str
    chars: str
    train: np.ndarray
    valid: np.ndarray

    def __post_init__(self):
        for name in ("text", "chars"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(
                    f"{name} must be a str, got {type(getattr(self, name)).__name__}"
                )
        if not self.chars or len(set(self.chars)) != len(self.chars):
            raise ValueError(
                f"chars must be a non-empty string of distinct characters, got {self.chars!r:.60}"
            )
        for name in ("train", "valid"):
            _ids(name, getattr(self, name), len(self.chars))

    @property
    def vocab(self):
        return len(self.chars)

    def encode(self, text):
        """Indices of the characters of ``text`` (ValueError for a non-string or a character not in the vocabulary)."""
        return _encode(text, self.chars)

    def decode(self, ids):
        """The text of 1-D integer ``ids`` (ValueError unless an ndarray of indices in [0, vocab))."""
        _ids("ids", ids, self.vocab)
        return "".join(self.chars[i] for i in ids)


def _encode(text, chars, name="text"):
    if not isinstance(text, str):
        raise ValueError(
            f"{name} must be a str, got {type(text).__name__} {text!r:.40}"
        )
    lookup = {c: i for i, c in enumerate(chars)}
    unknown = sorted(set(text) - set(lookup))
    if unknown:
        raise ValueError(f"{name} has characters outside the vocabulary: {unknown!r}")
    return np.array([lookup[c] for c in text], dtype=np.int64)


GENESIS = "genesis-kjv.txt"  # shipped in bptt/data/ (see the README there: source and licence)


def load_corpus(path=None, valid_fraction=0.1):
    """Read a UTF-8 text file and split it into training and validation text.

    Args:
        path: the text file; None reads the Book of Genesis shipped with the package (bptt/data/).
        valid_fraction: share of the text, taken from its *end*, kept for
            validation (a contiguous split: no validation sentence is also
            partly in the training text).

    Returns:
        :class:`Corpus` with the text, ``chars`` (the sorted set of its
        characters; index i ↔ ``chars[i]``), and ``train`` / ``valid`` as
        int64 index arrays.

    Raises:
        ValueError: path not None, a str or a path-like naming a file; valid_fraction not a real in (0, 1);
            a part shorter than 2 characters.
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise ValueError(
            f"path must be None, a str or a pathlib.Path, got {type(path).__name__} {path!r:.40}"
        )
    path = (
        Path(str(resources.files("bptt.data") / GENESIS))
        if path is None
        else Path(path)
    )
    if not path.is_file():
        raise ValueError(f"path {str(path)!r} is not a file")
    valid_fraction = require_real(
        "valid_fraction", valid_fraction, low=0, high=1, low_open=True, high_open=True
    )
    text = path.read_text(encoding="utf-8")
    chars = "".join(sorted(set(text)))
    ids = _encode(text, chars)
    split = len(ids) - int(round(valid_fraction * len(ids)))
    if split < 2 or len(ids) - split < 2:
        raise ValueError(
            f"path {str(path)!r}: {len(ids)} characters are too few to split"
        )
    return Corpus(text, chars, ids[:split], ids[split:])


def sequential_streams(ids, m, offset=0):
    """Cut a text into m contiguous streams (d2l's sequential partitioning).

    With n = (len(ids) − offset − 1) // m, row i of ``inputs`` is
    ids[offset + i n : offset + (i + 1) n] and ``targets`` is the same shifted
    by one character: reading the columns in order, each row continues
    exactly where the previous chunk stopped.

    Returns:
        (inputs, targets): int arrays of shape (m, n).

    Raises:
        ValueError: ids not 1-D integers; m not a positive integer; offset
            outside [0, len(ids)); fewer than m + 1 characters after offset.
    """
    ids = _ids("ids", ids)
    m = _positive_int("m", m)
    offset = require_integer("offset", offset, 0)
    if offset >= len(ids):
        raise ValueError(
            f"offset must be an integer in [0, {len(ids)}), got {offset!r}"
        )
    return _streams(ids, m, offset)


def _streams(ids, m, offset):
    n = (len(ids) - offset - 1) // m
    if n < 1:
        raise ValueError(f"ids has {len(ids)} characters: too few for m = {m} streams")
    inputs = ids[offset : offset + m * n].reshape(m, n)
    targets = ids[offset + 1 : offset + 1 + m * n].reshape(m, n)
    return inputs, targets


def chunk_bounds(n_steps, K, rng=None):
    """(start, stop) of consecutive chunks covering steps 0 … n_steps − 1.

    Without ``rng`` every chunk has K steps (the last one may be shorter).
    With a NumPy generator ``rng`` the lengths are drawn uniformly from
    ⌈K/2⌉ … ⌊3K/2⌋ (mean K): randomized truncation.

    Raises:
        ValueError: n_steps, K not integers ≥ 1; rng not None or a numpy.random.Generator.
    """
    n_steps, K = _positive_int("n_steps", n_steps), _positive_int("K", K)
    return _chunk_bounds(n_steps, K, _generator("rng", rng))


def _chunk_bounds(n_steps, K, rng=None):
    bounds, start = [], 0
    while start < n_steps:
        length = K if rng is None else int(rng.integers((K + 1) // 2, 3 * K // 2 + 1))
        bounds.append((start, min(start + length, n_steps)))
        start += length
    return bounds


def lm_batches(ids, *, m, K, epochs, mode="stateful", seed=0):
    """The chunks of truncated BPTT, epoch after epoch.

    Epoch e draws, from ``np.random.default_rng([seed, e])``, an offset in
    [0, K) and (mode "random") the chunk lengths; its streams are
    :func:`sequential_streams` of ``ids`` from that offset.

    Yields:
        (x_ids, y_ids, carry): inputs and targets of shape (m, L) for one
        chunk, and whether the hidden state of the previous chunk continues
        into this one: False at the first chunk of an epoch and always for
        mode "reset".

    Raises:
        ValueError: at the call (not at the first chunk): a mode not in MODES, m, K, epochs not integers ≥ 1,
            seed not an integer ≥ 0, ids not a 1-D integer ndarray of indices ≥ 0 long enough for m streams.
    """
    return _lm_batches(*_check_batches(ids, m, K, epochs, mode, seed))


def _check_batches(ids, m, K, epochs, mode, seed, vocab=None, name="ids"):
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r:.40}")
    ids = _ids(name, ids, vocab)
    m, K, epochs = (
        _positive_int("m", m),
        _positive_int("K", K),
        _positive_int("epochs", epochs),
    )
    seed = require_integer("seed", seed, 0)
    offset = min(K - 1, len(ids) - 1)
    if (len(ids) - offset - 1) // m < 1:  # fails early if the text is too short
        raise ValueError(
            f"{name} has {len(ids)} characters: too few for m = {m} streams from offset {offset} (K = {K})"
        )
    return ids, m, K, epochs, mode, seed


def _lm_batches(ids, m, K, epochs, mode, seed):
    for epoch in range(epochs):
        rng = np.random.default_rng([seed, epoch])
        inputs, targets = _streams(ids, m, int(rng.integers(0, K)))
        bounds = _chunk_bounds(inputs.shape[1], K, rng if mode == "random" else None)
        for j, (start, stop) in enumerate(bounds):
            yield (
                inputs[:, start:stop],
                targets[:, start:stop],
                mode != "reset" and j > 0,
            )


def lm_loss_and_grads(x_ids, y_ids, a0, parameters):
    """Teacher-forced loss and gradients of one chunk, and its last hidden state.

    The inputs are the true characters (teacher forcing): x⟨t⟩ = onehot(x_ids[:, t]).

    Args:
        x_ids, y_ids: integer inputs and targets, shape (m, L).
        a0: hidden state entering the chunk, shape (n_a, m).
        parameters: dict with Wax, Waa, Wya, ba, by (n_x = n_y = vocabulary).

    Returns:
        (loss, grads, a_last, da0): mean cross-entropy over the m L targets;
        dWax, dWaa, dba, dWya, dby; a⟨L⟩ (n_a, m), the state to carry on;
        ∂loss/∂a0, which truncated BPTT throws away.

    Raises:
        ValueError: bad parameters (as rnn_forward; n_x must equal n_y), x_ids, y_ids not integer ndarrays of
            one shape (m, L) with values in [0, n_x), a0 not a finite float array (n_a, m) (integer and float16
            are converted).
    """
    parameters, n_a, n_x = _check_lm_parameters(parameters)
    x_ids, y_ids, a0 = _check_chunk(x_ids, y_ids, a0, n_a, n_x)
    return _lm_loss_and_grads(x_ids, y_ids, a0, parameters)


def _check_chunk(x_ids, y_ids, a0, n_a, n_x):
    x_ids = _ids("x_ids", x_ids, n_x, 2, "(m, L)")
    y_ids = _ids("y_ids", y_ids, n_x, 2, "(m, L)")
    if y_ids.shape != x_ids.shape:
        raise ValueError(
            f"y_ids must have the shape of x_ids {x_ids.shape}, got {y_ids.shape}"
        )
    a0 = float_array(
        "a0",
        a0,
        2,
        "(n_a, m)",
        shape=(n_a, x_ids.shape[0]),
        source="n_a from parameters['Waa'], m from x_ids",
        copy=True,
    )
    return x_ids, y_ids, a0


def _lm_loss_and_grads(x_ids, y_ids, a0, parameters):
    """lm_loss_and_grads on validated inputs (the same numbers as rnn_forward, cross_entropy_*, rnn_backward)."""
    n_x = parameters["Wax"].shape[1]
    a, y_pred, (step_caches, _) = rnn_forward_unchecked(
        one_hot_unchecked(x_ids, n_x), a0, parameters
    )
    loss = cross_entropy_unchecked(y_pred, y_ids)
    out = cross_entropy_backward_unchecked(a, y_pred, y_ids, parameters)
    back = rnn_backward_unchecked(out["da"], step_caches)
    grads = {k: back[k] for k in ("dWax", "dWaa", "dba")}
    grads.update(dWya=out["dWya"], dby=out["dby"])
    return loss, grads, a[:, :, -1].copy(), back["da0"]


def _check_lm_parameters(parameters):
    """Validate an RNN dict with n_x == n_y; return (p, n_a, n_x), p with float copies of the five arrays."""
    p, n_a, n_x, n_y = check_rnn_parameters(parameters)
    if n_x != n_y:
        raise ValueError(
            f"parameters: a language model needs n_x == n_y (the vocabulary), got {n_x} and {n_y}"
        )
    return p, n_a, n_x


def train_lm(
    parameters,
    train_ids,
    *,
    m,
    K,
    epochs,
    mode="stateful",
    learning_rate=0.01,
    max_norm=None,
    seed=0,
    valid_ids=None,
    eval_every=50,
    max_iterations=None,
    progress=False,
    desc=None,
):
    """Train a character RNN with truncated BPTT and Adam.

    Per chunk of :func:`lm_batches`: a0 = the last state of the previous
    chunk if ``carry`` else 0; :func:`lm_loss_and_grads`; the gradient
    reaching a0 is dropped (the NumPy counterpart of ``h.detach()``);
    :func:`clip_grad_norm` when ``max_norm`` is given; one Adam step.

    Args:
        parameters: initial dict (not modified).
        train_ids: 1-D integer training text.
        m, K, epochs, mode, seed: as in :func:`lm_batches`.
        learning_rate: Adam's α.  max_norm: clipping threshold or None.
        valid_ids: validation text; if given, :func:`evaluate_lm` runs every
            ``eval_every`` iterations and at the end.
        max_iterations: stop after this many updates (None: all epochs).
        progress, desc: a tqdm bar on stderr, and its label.

    Returns:
        (parameters, history): the trained dict and ``loss``, ``grad_norm``
        (before clipping) per iteration, and ``valid`` as a list of
        (iteration, mean cross-entropy) pairs.

    Raises:
        ValueError: bad arguments (named in the message): as lm_batches and lm_loss_and_grads; train_ids,
            valid_ids with values outside [0, n_x) or too short for m streams; learning_rate, max_norm not > 0;
            eval_every, max_iterations not integers ≥ 1; progress not a bool; desc not None or a str.
        FloatingPointError: a non-finite loss or gradient norm.
    """
    p0, n_a, n_x = _check_lm_parameters(parameters)
    batches = _check_batches(train_ids, m, K, epochs, mode, seed, n_x, "train_ids")
    if valid_ids is not None:
        valid_ids = _check_streams("valid_ids", valid_ids, m, n_x)
    eval_every = _positive_int("eval_every", eval_every)
    if max_iterations is not None:
        max_iterations = _positive_int("max_iterations", max_iterations)
    learning_rate = require_real("learning_rate", learning_rate, low=0, low_open=True)
    if max_norm is not None:
        max_norm = require_real("max_norm", max_norm, low=0, low_open=True)
    progress = require_bool("progress", progress)
    if desc is not None and not isinstance(desc, str):
        raise ValueError(f"desc must be None or a str, got {type(desc).__name__}")
    batches = list(_lm_batches(*batches))[:max_iterations]
    parameters = dict(parameters) | {
        k: p0[k] for k in ("Wax", "Waa", "Wya", "ba", "by")
    }
    v, s = initialize_adam(parameters)
    losses, norms, valid = [], [], []
    bar = None
    if progress:
        from tqdm import tqdm  # plain text on stderr, as bptt.train_rnn

        bar = tqdm(total=len(batches), desc=desc, mininterval=2.0)
    a = np.zeros((n_a, m))
    for i, (x_ids, y_ids, carry) in enumerate(batches):
        a0 = a if carry else np.zeros((n_a, m))  # carry the value; da0 below is dropped
        loss, grads, a, _ = _lm_loss_and_grads(x_ids, y_ids, a0, parameters)
        if max_norm is None:
            norm = float(np.linalg.norm([np.linalg.norm(g) for g in grads.values()]))
        else:
            grads, norm = clip_grad_norm(grads, max_norm)
        if not (math.isfinite(loss) and math.isfinite(norm)):
            raise FloatingPointError(
                f"iteration {i}: loss {loss}, gradient norm {norm}"
            )
        losses.append(loss)
        norms.append(norm)
        parameters, v, s = update_parameters_with_adam(
            parameters, grads, v, s, i + 1, learning_rate=learning_rate
        )
        if valid_ids is not None and (i + 1) % eval_every == 0:
            valid.append(
                (i + 1, _evaluate(parameters, valid_ids, m, 64, True)["cross_entropy"])
            )
        if bar is not None:
            bar.update()
    if valid_ids is not None and (not valid or valid[-1][0] != len(losses)):
        valid.append(
            (
                len(losses),
                _evaluate(parameters, valid_ids, m, 64, True)["cross_entropy"],
            )
        )
    if bar is not None:
        bar.close()
    return parameters, {
        "loss": np.array(losses),
        "grad_norm": np.array(norms),
        "valid": valid,
    }


def evaluate_lm(parameters, ids, *, m, K=64, carry=True):
    """Mean cross-entropy per character and perplexity of a text.

    The text is laid out as :func:`sequential_streams` (offset 0) and read
    in chunks of K; with ``carry`` the state flows on from chunk to chunk
    (the chunks then only bound memory: the result equals one long forward
    pass), without it every chunk starts from 0.

    Returns:
        dict with ``cross_entropy`` (nats per character, averaged over all
        m n targets) and ``perplexity`` = exp(cross_entropy).

    Raises:
        ValueError: bad parameters (as rnn_forward, n_x == n_y); ids not a 1-D integer ndarray in [0, n_x)
            long enough for m streams; m, K not integers ≥ 1; carry not a bool.
    """
    parameters, n_a, n_x = _check_lm_parameters(parameters)
    m, K, carry = (
        _positive_int("m", m),
        _positive_int("K", K),
        require_bool("carry", carry),
    )
    ids = _check_streams("ids", ids, m, n_x)
    return _evaluate(parameters, ids, m, K, carry)


def _check_streams(name, ids, m, n_x):
    ids = _ids(name, ids, n_x)
    if (len(ids) - 1) // m < 1:
        raise ValueError(
            f"{name} has {len(ids)} characters: too few for m = {m} streams"
        )
    return ids


def _evaluate(parameters, ids, m, K, carry):
    """evaluate_lm on validated inputs."""
    n_a, n_x = parameters["Waa"].shape[0], parameters["Wax"].shape[1]
    inputs, targets = _streams(ids, m, 0)
    a, total = np.zeros((n_a, m)), 0.0
    for start, stop in _chunk_bounds(inputs.shape[1], K):
        a0 = a if carry else np.zeros((n_a, m))
        a, y_pred, _ = rnn_forward_unchecked(
            one_hot_unchecked(inputs[:, start:stop], n_x), a0, parameters
        )
        total += cross_entropy_unchecked(y_pred, targets[:, start:stop]) * (
            stop - start
        )
        a = a[:, :, -1]
    cross_entropy = total / inputs.shape[1]
    return {"cross_entropy": cross_entropy, "perplexity": math.exp(cross_entropy)}


def truncated_gradient(x_ids, y_ids, a0, parameters, K, rng=None):
    """Gradient of the mean loss over all T steps, with BPTT cut every K steps.

    The state is carried forward through the chunks (the forward pass is the
    full one); each chunk back-propagates only into itself.  Chunk c of
    length L_c has mean loss over m L_c targets, so its gradient is weighted
    by L_c / T.  With K ≥ T this is :func:`bptt.rnn_loss_and_grads` on the
    whole sequence, bit for bit.

    Args:
        x_ids, y_ids: integer inputs and targets, shape (m, T).
        a0: initial state (n_a, m).  parameters: the RNN dict.  K: truncation length.
        rng: a NumPy generator for random chunk lengths (:func:`chunk_bounds`).

    Returns:
        dict dWax, dWaa, dba, dWya, dby.

    Raises:
        ValueError: as lm_loss_and_grads; K not an integer ≥ 1; rng not None or a numpy.random.Generator.
    """
    parameters, n_a, n_x = _check_lm_parameters(parameters)
    x_ids, y_ids, a0 = _check_chunk(x_ids, y_ids, a0, n_a, n_x)
    K, rng = _positive_int("K", K), _generator("rng", rng)
    T = x_ids.shape[1]
    grads, a = None, a0
    for start, stop in _chunk_bounds(T, K, rng):
        _, g, a, _ = _lm_loss_and_grads(
            x_ids[:, start:stop], y_ids[:, start:stop], a, parameters
        )
        w = (stop - start) / T
        grads = {k: w * g[k] if grads is None else grads[k] + w * g[k] for k in g}
    return grads


def gradient_agreement(grads, reference):
    """(cosine, relative error ‖g − g_ref‖ / ‖g_ref‖) over all parameters at once.

    Raises:
        ValueError: grads, reference not dicts with the same keys; an entry not a finite float ndarray (integer
            and float16 are converted), of another shape than its reference entry; a zero gradient (no angle).
    """
    for name, d in (("grads", grads), ("reference", reference)):
        if not isinstance(d, dict) or not d:
            raise ValueError(
                f"{name} must be a non-empty dict of arrays, got {type(d).__name__}"
            )
    if set(grads) != set(reference):
        raise ValueError(
            f"grads has keys {sorted(grads)}, reference {sorted(reference)}"
        )
    ref, got = {}, {}
    for k in sorted(reference):
        r = reference[k]
        if not isinstance(r, np.ndarray) or r.ndim == 0:
            raise ValueError(
                f"reference['{k}'] must be an array with at least one axis, got {type(r).__name__} {np.shape(r)}"
            )
        ref[k] = float_array(f"reference['{k}']", r, r.ndim, "any shape")
        got[k] = float_array(
            f"grads['{k}']",
            grads[k],
            r.ndim,
            "the shape of reference",
            shape=r.shape,
            source=f"reference['{k}']",
        )
    g = np.concatenate([np.ravel(got[k]) for k in sorted(reference)])
    r = np.concatenate([np.ravel(ref[k]) for k in sorted(reference)])
    for name, v in (("grads", g), ("reference", r)):
        if not np.any(v):
            raise ValueError(
                f"{name} is zero everywhere: the cosine and relative error are undefined"
            )
    return float(g @ r / (np.linalg.norm(g) * np.linalg.norm(r))), float(
        np.linalg.norm(g - r) / np.linalg.norm(r)
    )


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
    parameters, n_a, n_x = _check_lm_parameters(parameters)
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
    prompt_ids = _encode(prompt, corpus.chars, "prompt")
    length = _positive_int("length", length)
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


def train_lm_torch(
    parameters,
    train_ids,
    *,
    m,
    K,
    epochs,
    mode="stateful",
    learning_rate=0.01,
    max_norm=None,
    seed=0,
    max_iterations=None,
):
    """The same training with ``torch.nn.RNN``, a ``Linear`` readout and ``torch.optim.Adam`` (float64).

    Wax, Waa, ba → weight_ih_l0, weight_hh_l0, bias_ih_l0; bias_hh_l0 = 0 and
    frozen (PyTorch adds both biases); Wya, by → Linear weight, bias.  Same
    batches as :func:`train_lm`; ``h.detach()`` cuts the gradient between
    chunks.

    Returns:
        (parameters, losses): the trained weights in the course's dict and
        the loss of every iteration (a float array).

    Raises:
        ValueError: as train_lm, for the arguments they share.
    """
    import torch

    p0, n_a, n_x = _check_lm_parameters(parameters)
    parameters = dict(parameters) | {
        k: np.asarray(p0[k], dtype=np.float64)
        for k in ("Wax", "Waa", "Wya", "ba", "by")
    }
    batches = _check_batches(train_ids, m, K, epochs, mode, seed, n_x, "train_ids")
    learning_rate = require_real("learning_rate", learning_rate, low=0, low_open=True)
    if max_norm is not None:
        max_norm = require_real("max_norm", max_norm, low=0, low_open=True)
    if max_iterations is not None:
        max_iterations = _positive_int("max_iterations", max_iterations)
    rnn = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=torch.float64)
    readout = torch.nn.Linear(n_a, n_x, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(parameters["Wax"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(parameters["Waa"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(parameters["ba"][:, 0]))
        rnn.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(parameters["Wya"]))
        readout.bias.copy_(torch.from_numpy(parameters["by"][:, 0]))
    rnn.bias_hh_l0.requires_grad_(False)
    trained = [
        rnn.weight_ih_l0,
        rnn.weight_hh_l0,
        rnn.bias_ih_l0,
        readout.weight,
        readout.bias,
    ]
    optimizer = torch.optim.Adam(trained, lr=learning_rate)
    batches = list(_lm_batches(*batches))[:max_iterations]
    h = torch.zeros(1, m, n_a, dtype=torch.float64)
    losses = []
    threads = torch.get_num_threads()
    torch.set_num_threads(
        1
    )  # tiny matrices: extra threads only spin (20x slower on a busy machine)
    try:
        for x_ids, y_ids, carry in batches:
            h = h.detach() if carry else torch.zeros(1, m, n_a, dtype=torch.float64)
            x = torch.nn.functional.one_hot(torch.from_numpy(x_ids.T), n_x).to(
                torch.float64
            )  # (L, m, vocab)
            a, h = rnn(x, h)
            logits = readout(a)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, n_x), torch.from_numpy(y_ids.T).reshape(-1)
            )
            optimizer.zero_grad()
            loss.backward()
            if max_norm is not None:
                torch.nn.utils.clip_grad_norm_(trained, max_norm)
            optimizer.step()
            losses.append(loss.item())
    finally:
        torch.set_num_threads(threads)
    out = dict(zip(("Wax", "Waa", "ba", "Wya", "by"), trained))
    return {
        k: t.detach().numpy().reshape(parameters[k].shape).copy()
        for k, t in out.items()
    }, np.array(losses)
