"""Truncated BPTT on the character language model: its loss and gradients,
training with Adam and clipping, perplexity, and the truncation bias of the
gradient.
"""

import math

import numpy as np

from ..optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from ..rnn import check_rnn_parameters, rnn_backward_unchecked, rnn_forward_unchecked
from ..shapes import (
    float_array,
    require_bool,
    require_real,
)
from ..train import (
    cross_entropy_backward_unchecked,
    cross_entropy_unchecked,
    one_hot_unchecked,
)
from .corpus import (
    check_generator,
    check_ids,
    check_lm_batches,
    chunk_bounds_unchecked,
    lm_batches_unchecked,
    positive_int,
    sequential_streams_unchecked,
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
    parameters, n_a, n_x = check_lm_parameters(parameters)
    x_ids, y_ids, a0 = _check_chunk(x_ids, y_ids, a0, n_a, n_x)
    return _lm_loss_and_grads(x_ids, y_ids, a0, parameters)


def _check_chunk(x_ids, y_ids, a0, n_a, n_x):
    x_ids = check_ids("x_ids", x_ids, n_x, 2, "(m, L)")
    y_ids = check_ids("y_ids", y_ids, n_x, 2, "(m, L)")
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


def check_lm_parameters(parameters):
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
    p0, n_a, n_x = check_lm_parameters(parameters)
    batches = check_lm_batches(train_ids, m, K, epochs, mode, seed, n_x, "train_ids")
    if valid_ids is not None:
        valid_ids = _check_streams("valid_ids", valid_ids, m, n_x)
    eval_every = positive_int("eval_every", eval_every)
    if max_iterations is not None:
        max_iterations = positive_int("max_iterations", max_iterations)
    learning_rate = require_real("learning_rate", learning_rate, low=0, low_open=True)
    if max_norm is not None:
        max_norm = require_real("max_norm", max_norm, low=0, low_open=True)
    progress = require_bool("progress", progress)
    if desc is not None and not isinstance(desc, str):
        raise ValueError(f"desc must be None or a str, got {type(desc).__name__}")
    batches = list(lm_batches_unchecked(*batches))[:max_iterations]
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
    parameters, n_a, n_x = check_lm_parameters(parameters)
    m, K, carry = (
        positive_int("m", m),
        positive_int("K", K),
        require_bool("carry", carry),
    )
    ids = _check_streams("ids", ids, m, n_x)
    return _evaluate(parameters, ids, m, K, carry)


def _check_streams(name, ids, m, n_x):
    ids = check_ids(name, ids, n_x)
    if (len(ids) - 1) // m < 1:
        raise ValueError(
            f"{name} has {len(ids)} characters: too few for m = {m} streams"
        )
    return ids


def _evaluate(parameters, ids, m, K, carry):
    """evaluate_lm on validated inputs."""
    n_a, n_x = parameters["Waa"].shape[0], parameters["Wax"].shape[1]
    inputs, targets = sequential_streams_unchecked(ids, m, 0)
    a, total = np.zeros((n_a, m)), 0.0
    for start, stop in chunk_bounds_unchecked(inputs.shape[1], K):
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
    parameters, n_a, n_x = check_lm_parameters(parameters)
    x_ids, y_ids, a0 = _check_chunk(x_ids, y_ids, a0, n_a, n_x)
    K, rng = positive_int("K", K), check_generator("rng", rng)
    T = x_ids.shape[1]
    grads, a = None, a0
    for start, stop in chunk_bounds_unchecked(T, K, rng):
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
