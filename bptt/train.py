"""Training the simple RNN end to end: cross-entropy loss, its gradient, a loop.

The RNN (``rnn_forward``) already returns softmax outputs ŷ⟨t⟩ = softmax(z⟨t⟩)
with z⟨t⟩ = Wya a⟨t⟩ + by.  With integer targets y⟨t⟩ the loss averaged over
the m examples and T_x steps is

    L = −(1 / (m T_x)) Σ_i Σ_t log ŷ⟨t⟩[y⟨t⟩_i, i],

and its gradient with respect to the logits is (ŷ⟨t⟩ − onehot(y⟨t⟩)) / (m T_x).
From there: dWya = Σ_t dz⟨t⟩ a⟨t⟩ᵀ, dby = Σ_t Σ_i dz⟨t⟩, and the upstream
gradient for BPTT is da⟨t⟩ = Wyaᵀ dz⟨t⟩, which ``rnn_backward`` takes.
"""

import numpy as np

from .optim import clip_grad_norm, initialize_adam, update_parameters_with_adam
from .rnn import _check_rnn_parameters, rnn_backward, rnn_forward
from .shapes import require_ndim, require_shape

PARAMETER_GRADIENTS = ("dWax", "dWaa", "dba", "dWya", "dby")

# Four lines written for the course: the training text of chapters/training
# and bench/clip_sweep.py (shipped in code, nothing is downloaded).
TINY_TEXT = (
    "the gradient flows back through time, step by step. "
    "each step multiplies it by the same matrix, so it can shrink or grow. "
    "clip it when it grows too large, and let adam pick the step size. "
    "then the little network learns to spell these lines one letter at a time. "
)


def one_hot(indices, n):
    """One-hot encode integer indices in the course's column layout.

    Args:
        indices: integer array of shape (m, T) with values in [0, n).
        n: number of classes.

    Returns:
        float64 array of shape (n, m, T) with x[indices[i, t], i, t] = 1.

    Raises:
        ValueError: indices not 2-D, not integer, or out of range.
    """
    indices = np.asarray(indices)
    require_ndim("indices", indices, 2, "(m, T)")
    if not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(f"indices must be integers, got dtype {indices.dtype}")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"indices must lie in [0, {n}), got range [{indices.min()}, {indices.max()}]")
    m, T = indices.shape
    out = np.zeros((n, m, T))
    out[indices, np.arange(m)[:, None], np.arange(T)[None, :]] = 1.0
    return out


def char_windows(data, vocab, T_x, m, seed):
    """Deterministic batches of character windows for next-character prediction.

    Args:
        data: 1-D integer array, the text as indices into a vocabulary.
        vocab: vocabulary size (indices lie in [0, vocab)).
        T_x: window length (steps per sequence).
        m: windows per batch.
        seed: batch i draws its m start positions from
            ``np.random.default_rng([seed, i])``, so a batch depends only on
            (seed, i), not on how many batches were drawn before.

    Returns:
        get_batch(i) -> (x, labels): x one-hot of shape (vocab, m, T_x) for
        the characters at positions s..s+T_x-1 of each window, labels of
        shape (m, T_x) for the characters at s+1..s+T_x (the next ones).

    Raises:
        ValueError: data not 1-D or not longer than T_x.
    """
    data = np.asarray(data)
    require_ndim("data", data, 1, "(n_chars,)")
    if len(data) <= T_x:
        raise ValueError(f"data has {len(data)} characters; windows of T_x = {T_x} need more")

    def get_batch(i):
        rng = np.random.default_rng([seed, i])
        starts = rng.integers(0, len(data) - T_x, size=m)
        windows = np.stack([data[s : s + T_x + 1] for s in starts])  # (m, T_x + 1)
        return one_hot(windows[:, :-1], vocab), windows[:, 1:]

    return get_batch


def _check_labels(labels, y_pred):
    labels = np.asarray(labels)
    n_y, m, T_x = y_pred.shape
    require_shape("labels", labels, (m, T_x))
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.min() < 0 or labels.max() >= n_y:
        raise ValueError(f"labels must lie in [0, {n_y}), got range [{labels.min()}, {labels.max()}]")
    return labels


def cross_entropy_loss(y_pred, labels):
    """Mean cross-entropy of softmax outputs against integer targets.

    Args:
        y_pred: ŷ, shape (n_y, m, T_x), columns summing to 1 (rnn_forward's y_pred).
        labels: integer targets, shape (m, T_x), values in [0, n_y).

    Returns:
        L = −mean over (i, t) of log ŷ[labels[i, t], i, t], a float.

    Raises:
        ValueError: shapes disagree, or labels are not integers in range.
    """
    require_ndim("y_pred", y_pred, 3, "(n_y, m, T_x)")
    labels = _check_labels(labels, y_pred)
    _, m, T_x = y_pred.shape
    p = y_pred[labels, np.arange(m)[:, None], np.arange(T_x)[None, :]]
    return float(-np.mean(np.log(p)))


def cross_entropy_backward(a, y_pred, labels, parameters):
    """Gradient of :func:`cross_entropy_loss` through the softmax output layer.

    With dz⟨t⟩ = (ŷ⟨t⟩ − onehot(y⟨t⟩)) / (m T_x) (softmax and cross-entropy
    together): dWya = Σ_t dz⟨t⟩ a⟨t⟩ᵀ, dby = Σ_t Σ_i dz⟨t⟩, da⟨t⟩ = Wyaᵀ dz⟨t⟩.

    Args:
        a: hidden states, shape (n_a, m, T_x) (rnn_forward's a).
        y_pred: softmax outputs, shape (n_y, m, T_x).
        labels: integer targets, shape (m, T_x).
        parameters: the RNN parameter dict (Wya is read).

    Returns:
        dict with dWya (n_y, n_a), dby (n_y, 1) and da (n_a, m, T_x), the
        upstream gradient that rnn_backward takes.

    Raises:
        ValueError: shapes that disagree with each other or with parameters.
    """
    n_a, _, n_y = _check_rnn_parameters(parameters)
    require_ndim("y_pred", y_pred, 3, "(n_y, m, T_x)")
    _, m, T_x = y_pred.shape
    require_shape("y_pred", y_pred, (n_y, m, T_x))
    require_shape("a", a, (n_a, m, T_x))
    labels = _check_labels(labels, y_pred)
    dz = (y_pred - one_hot(labels, n_y)) / (m * T_x)  # ∂L/∂z⟨t⟩ for softmax + CE
    return {
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dby": dz.sum(axis=(1, 2))[:, None],
        "da": np.einsum("ya,ymt->amt", parameters["Wya"], dz),
    }


def rnn_loss_and_grads(x, labels, a0, parameters):
    """Forward pass, cross-entropy loss and every parameter gradient.

    Args:
        x: inputs, shape (n_x, m, T_x).
        labels: integer targets, shape (m, T_x).
        a0: initial hidden state, shape (n_a, m).
        parameters: dict with Wax, Waa, Wya, ba, by.

    Returns:
        (loss, grads): the mean cross-entropy (float) and a dict with dWax,
        dWaa, dba, dWya, dby (the parameters' shapes).

    Raises:
        ValueError: from rnn_forward or the loss on mis-shaped input.

    Source: NNDL §6.4.1 (BPTT) with a softmax output layer; deeplearning.ai
    C5W1 layout.
    """
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    loss = cross_entropy_loss(y_pred, labels)
    out = cross_entropy_backward(a, y_pred, labels, parameters)
    grads = rnn_backward(out["da"], caches)
    return loss, {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dba": grads["dba"],
        "dWya": out["dWya"],
        "dby": out["dby"],
    }


def train_rnn(
    parameters,
    get_batch,
    num_iterations,
    *,
    learning_rate=0.01,
    max_norm=None,
    burst=None,
    progress=False,
    desc=None,
):
    """Train the RNN with Adam, optionally clipping the gradient first.

    Each iteration: (x, labels) = get_batch(i); a0 = 0; loss and gradients by
    :func:`rnn_loss_and_grads`; if ``max_norm`` is given, :func:`clip_grad_norm`
    on the five parameter gradients; then :func:`update_parameters_with_adam`
    with t = i + 1.

    Args:
        parameters: initial parameter dict (not modified; a copy is trained).
        get_batch: callable i -> (x (n_x, m, T_x), labels (m, T_x)); make it
            deterministic (e.g. a seeded generator) for reproducible runs.
        num_iterations: number of updates.
        learning_rate: Adam's α.
        max_norm: clipping threshold, or None for no clipping.
        burst: None, or (start, length, factor): multiply the gradient by
            ``factor`` at iterations start <= i < start + length, before
            clipping -- a burst of exploding gradients at a chosen place,
            so that its effect does not hinge on rounding (chapters/training).
        progress: show a tqdm progress bar (its text contains timings).
        desc: label of the progress bar.

    Returns:
        (parameters, history): the trained parameters (a new dict) and a dict
        with float arrays of length num_iterations, ``loss`` (before the
        update) and ``grad_norm`` (global gradient norm before clipping);
        ``update_rms``, a dict mapping each parameter name to the root mean
        square of its per-entry change at every iteration (length
        num_iterations; Adam moves each entry by at most about α, so
        update_rms / α shows how much of its step a parameter takes); and
        ``adam``, the final optimizer state {"v": v, "s": s, "t": t}.

    Raises:
        ValueError: num_iterations < 1, or bad shapes from the batches.
        FloatingPointError: if the loss or the gradient norm becomes
            non-finite (training stops rather than continuing with NaN).
    """
    if num_iterations < 1:
        raise ValueError(f"num_iterations must be >= 1, got {num_iterations}")
    parameters = dict(parameters)
    n_a, _, _ = _check_rnn_parameters(parameters)
    v, s = initialize_adam(parameters)
    losses = np.zeros(num_iterations)
    norms = np.zeros(num_iterations)
    update_rms = {k: np.zeros(num_iterations) for k in parameters}
    steps = range(num_iterations)
    bar = None
    if progress:
        from tqdm import tqdm  # plain text bar (stderr): renders in static pages

        bar = tqdm(steps, desc=desc, mininterval=2.0)
        steps = bar
    for i in steps:
        x, labels = get_batch(i)
        loss, grads = rnn_loss_and_grads(x, labels, np.zeros((n_a, x.shape[1])), parameters)
        if burst is not None and burst[0] <= i < burst[0] + burst[1]:
            grads = {k: burst[2] * g for k, g in grads.items()}
        if max_norm is None:
            norm = float(np.linalg.norm([np.linalg.norm(g) for g in grads.values()]))
        else:
            grads, norm = clip_grad_norm(grads, max_norm)
        if not (np.isfinite(loss) and np.isfinite(norm)):
            raise FloatingPointError(f"iteration {i}: loss {loss}, gradient norm {norm}")
        losses[i], norms[i] = loss, norm
        previous = dict(parameters)  # Adam replaces the entries; the old arrays stay intact
        parameters, v, s = update_parameters_with_adam(
            parameters, grads, v, s, i + 1, learning_rate=learning_rate
        )
        for k in parameters:
            update_rms[k][i] = np.sqrt(np.mean((parameters[k] - previous[k]) ** 2))
        if bar is not None and i % 50 == 0:
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
    if bar is not None:
        bar.close()
    state = {"v": v, "s": s, "t": num_iterations}
    return parameters, {"loss": losses, "grad_norm": norms, "update_rms": update_rms, "adam": state}
