"""The corpus of the character language model and its batches.

A contiguous train / validation split; d2l's sequential partitioning into m
streams read in chunks of K steps; the three chunking modes (state carried,
reset, random lengths).
"""

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..shapes import (
    require_integer,
    require_ndim,
    require_real,
)

MODES = ("stateful", "reset", "random")


def positive_int(name, value):
    return require_integer(name, value, 1)


def check_ids(name, ids, vocab=None, ndim=1, layout="(n_chars,)"):
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


def check_generator(name, rng):
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
            check_ids(name, getattr(self, name), len(self.chars))

    @property
    def vocab(self):
        return len(self.chars)

    def encode(self, text):
        """Indices of the characters of ``text`` (ValueError for a non-string or a character not in the vocabulary)."""
        return encode_text(text, self.chars)

    def decode(self, ids):
        """The text of 1-D integer ``ids`` (ValueError unless an ndarray of indices in [0, vocab))."""
        check_ids("ids", ids, self.vocab)
        return "".join(self.chars[i] for i in ids)


def encode_text(text, chars, name="text"):
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
    ids = encode_text(text, chars)
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
    ids = check_ids("ids", ids)
    m = positive_int("m", m)
    offset = require_integer("offset", offset, 0)
    if offset >= len(ids):
        raise ValueError(
            f"offset must be an integer in [0, {len(ids)}), got {offset!r}"
        )
    return sequential_streams_unchecked(ids, m, offset)


def sequential_streams_unchecked(ids, m, offset):
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
    n_steps, K = positive_int("n_steps", n_steps), positive_int("K", K)
    return chunk_bounds_unchecked(n_steps, K, check_generator("rng", rng))


def chunk_bounds_unchecked(n_steps, K, rng=None):
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
    return lm_batches_unchecked(*check_lm_batches(ids, m, K, epochs, mode, seed))


def check_lm_batches(ids, m, K, epochs, mode, seed, vocab=None, name="ids"):
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r:.40}")
    ids = check_ids(name, ids, vocab)
    m, K, epochs = (
        positive_int("m", m),
        positive_int("K", K),
        positive_int("epochs", epochs),
    )
    seed = require_integer("seed", seed, 0)
    offset = min(K - 1, len(ids) - 1)
    if (len(ids) - offset - 1) // m < 1:  # fails early if the text is too short
        raise ValueError(
            f"{name} has {len(ids)} characters: too few for m = {m} streams from offset {offset} (K = {K})"
        )
    return ids, m, K, epochs, mode, seed


def lm_batches_unchecked(ids, m, K, epochs, mode, seed):
    for epoch in range(epochs):
        rng = np.random.default_rng([seed, epoch])
        inputs, targets = sequential_streams_unchecked(ids, m, int(rng.integers(0, K)))
        bounds = chunk_bounds_unchecked(
            inputs.shape[1], K, rng if mode == "random" else None
        )
        for j, (start, stop) in enumerate(bounds):
            yield (
                inputs[:, start:stop],
                targets[:, start:stop],
                mode != "reset" and j > 0,
            )
