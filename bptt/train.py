"""Training the simple RNN end to end: cross-entropy loss, its gradient, an Adam loop.

L = −(1 / (m T_x)) Σ_i Σ_t log ŷ⟨t⟩[y⟨t⟩_i, i];  dz⟨t⟩ = (ŷ⟨t⟩ − onehot(y⟨t⟩)) / (m T_x),
dWya = Σ_t dz⟨t⟩ a⟨t⟩ᵀ, dby = Σ_t Σ_i dz⟨t⟩, and da⟨t⟩ = Wyaᵀ dz⟨t⟩ goes to rnn_backward.
"""

import numpy as np

from .optim import adam_step, check_max_norm, clip_unchecked
from .rnn import (
    SOURCE,
    check_rnn_input,
    check_rnn_parameters,
    rnn_backward_unchecked,
    rnn_forward_unchecked,
)
from .shapes import (
    float_array,
    require_bool,
    require_integer,
    require_ndim,
    require_real,
    require_shape,
)

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
    """One-hot encode integer indices in the column layout.

    Args:
        indices: (m, T) integer array, values in [0, n).   n: number of classes.

    Returns:
        (n, m, T) float64 with x[indices[i, t], i, t] = 1.

    Raises:
        ValueError: indices not a 2-D integer ndarray, an empty axis, a value out of range, or n not an integer ≥ 1.
    """
    n = require_integer("n", n, 1)
    _check_indices("indices", indices, 2, "(m, T)", n)
    return one_hot_unchecked(indices, n)


def _check_indices(name, indices, ndim, layout, n):
    """Validate an integer ndarray with values in [0, n) and no empty axis."""
    require_ndim(name, indices, ndim, layout)
    if indices.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integers, got dtype {indices.dtype}")
    if 0 in indices.shape:
        raise ValueError(
            f"{name} must have no empty axis: layout {layout}, got shape {indices.shape}"
        )
    if indices.min() < 0 or indices.max() >= n:
        raise ValueError(
            f"{name} must lie in [0, {n}), got range [{indices.min()}, {indices.max()}]"
        )
    return indices


def one_hot_unchecked(indices, n):
    m, T = indices.shape
    out = np.zeros((n, m, T))
    out[indices, np.arange(m)[:, None], np.arange(T)[None, :]] = 1.0
    return out


def char_windows(data, vocab, T_x, m, seed):
    """Deterministic batches of character windows for next-character prediction.

    Args:
        data: 1-D integer array in [0, vocab), longer than T_x.   vocab, T_x, m: integers ≥ 1.
        seed: batch i draws its starts from default_rng([seed, i]), so it depends only on (seed, i).

    Returns:
        get_batch(i) -> (x (vocab, m, T_x) one-hot of positions s..s+T_x-1, labels (m, T_x) of s+1..s+T_x).

    Raises:
        ValueError: an argument outside the above; get_batch(i) for i not an integer ≥ 0.
    """
    vocab = require_integer("vocab", vocab, 1)
    T_x = require_integer("T_x", T_x, 1)
    m = require_integer("m", m, 1)
    seed = require_integer("seed", seed, 0)
    _check_indices("data", data, 1, "(n_chars,)", vocab)
    if len(data) <= T_x:
        raise ValueError(
            f"data has {len(data)} characters; windows of T_x = {T_x} need more"
        )
    data = data.copy()  # the batches must not change if the caller edits data later

    def get_batch(i):
        i = require_integer("i", i, 0)
        rng = np.random.default_rng([seed, i])
        starts = rng.integers(0, len(data) - T_x, size=m)
        windows = np.stack([data[s : s + T_x + 1] for s in starts])  # (m, T_x + 1)
        return one_hot_unchecked(windows[:, :-1], vocab), windows[:, 1:]

    return get_batch


def _check_labels(labels, shape, name="labels"):
    """Validate integer targets of shape ``shape = (n_y, m, T_x)``'s (m, T_x)."""
    n_y, m, T_x = shape
    if not isinstance(labels, np.ndarray):
        raise ValueError(
            f"{name} must be an integer array of shape (m, T_x) = {(m, T_x)}, got {type(labels).__name__}"
        )
    require_shape(name, labels, (m, T_x))
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be integer class indices, got dtype {labels.dtype}"
        )
    if labels.min() < 0 or labels.max() >= n_y:
        raise ValueError(
            f"{name} must lie in [0, {n_y}), got range [{labels.min()}, {labels.max()}]"
        )
    return labels


def _check_y_pred(y_pred, n_y=None):
    """Validate softmax outputs (n_y, m, T_x): finite floats in [0, 1]."""
    require_ndim("y_pred", y_pred, 3, "(n_y, m, T_x)")
    shape = y_pred.shape if n_y is None else (n_y, *y_pred.shape[1:])
    src = "" if n_y is None else "n_y from parameters['Wya']"
    y_pred = float_array("y_pred", y_pred, 3, "(n_y, m, T_x)", shape=shape, source=src)
    if y_pred.min() < 0.0 or y_pred.max() > 1.0:
        raise ValueError(
            f"y_pred must hold probabilities in [0, 1], got range [{y_pred.min():.3g}, {y_pred.max():.3g}]"
        )
    return y_pred


def cross_entropy_loss(y_pred, labels):
    """Mean cross-entropy of softmax outputs against integer targets.

    Args:
        y_pred: (n_y, m, T_x), columns summing to 1.   labels: (m, T_x) integers in [0, n_y).

    Returns:
        L = −mean log ŷ[labels[i, t], i, t], a float (inf if a target has probability 0).

    Raises:
        ValueError: y_pred not finite float in [0, 1], shapes disagree, or labels not integers in range.
    """
    y_pred = _check_y_pred(y_pred)
    labels = _check_labels(labels, y_pred.shape)
    return cross_entropy_unchecked(y_pred, labels)


def cross_entropy_unchecked(y_pred, labels):
    _, m, T_x = y_pred.shape
    p = y_pred[labels, np.arange(m)[:, None], np.arange(T_x)[None, :]]
    with np.errstate(divide="ignore"):  # log 0 = -inf: the documented inf loss
        return float(-np.mean(np.log(p)))


def cross_entropy_backward(a, y_pred, labels, parameters):
    """Gradient of cross_entropy_loss through the softmax output layer (formulas in the module docstring).

    Args:
        a: (n_a, m, T_x) states.   y_pred: (n_y, m, T_x).   labels: (m, T_x).   parameters: RNN dict (Wya read).

    Returns:
        dict with dWya (n_y, n_a), dby (n_y, 1), da (n_a, m, T_x) for rnn_backward.

    Raises:
        ValueError: a shape or dtype that disagrees with the above or with parameters.
    """
    parameters, n_a, _, n_y = check_rnn_parameters(parameters, copy=False)
    y_pred = _check_y_pred(y_pred, n_y)
    _, m, T_x = y_pred.shape
    if not isinstance(a, np.ndarray):
        raise ValueError(
            f"a must be an array of shape (n_a, m, T_x), got {type(a).__name__}"
        )
    a = float_array("a", a, 3, "(n_a, m, T_x)", shape=(n_a, m, T_x))
    labels = _check_labels(labels, y_pred.shape)
    return cross_entropy_backward_unchecked(a, y_pred, labels, parameters)


def cross_entropy_backward_unchecked(a, y_pred, labels, parameters):
    n_y, m, T_x = y_pred.shape
    dz = (y_pred - one_hot_unchecked(labels, n_y)) / (
        m * T_x
    )  # ∂L/∂z⟨t⟩ for softmax + CE
    return {
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dby": dz.sum(axis=(1, 2))[:, None],
        "da": np.einsum("ya,ymt->amt", parameters["Wya"], dz),
    }


def rnn_loss_and_grads(x, labels, a0, parameters):
    """Forward, cross-entropy loss and all parameter gradients (NNDL §6.4.1 with a softmax output).

    Args:
        x: (n_x, m, T_x).   labels: (m, T_x).   a0: (n_a, m).   parameters: dict with Wax, Waa, Wya, ba, by.

    Returns:
        (loss float, grads dict with dWax, dWaa, dba, dWya, dby of the parameters' shapes).

    Raises:
        ValueError: bad input, as rnn_forward and cross_entropy_loss.
    """
    x, a0, parameters = check_rnn_input(x, a0, parameters)
    labels = _check_labels(labels, (parameters["Wya"].shape[0], *x.shape[1:]))
    return _loss_and_grads(x, labels, a0, parameters)


def _loss_and_grads(x, labels, a0, parameters):
    """rnn_loss_and_grads on validated inputs: no check, no copy."""
    a, y_pred, (step_caches, _) = rnn_forward_unchecked(x, a0, parameters)
    loss = cross_entropy_unchecked(y_pred, labels)
    out = cross_entropy_backward_unchecked(a, y_pred, labels, parameters)
    grads = rnn_backward_unchecked(out["da"], step_caches)
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
    """Train the RNN with Adam (t = i + 1), clipping the five gradients first if max_norm is given.

    Args:
        parameters: initial dict (copied, not modified).
        get_batch: i -> (x (n_x, m, T_x), labels (m, T_x)); each batch is validated.
        num_iterations: integer ≥ 1.   learning_rate: Adam's α.   max_norm: threshold or None.
        progress: show a tqdm bar.   desc: its label or None.
        burst: None or (start, length, factor): multiply the gradient by factor at iterations
            start <= i < start + length, before clipping (a burst placed by design, chapters/training).

    Returns:
        (parameters, history): the trained parameters (a new dict) and a dict with
        loss, grad_norm (before clipping): float arrays of length num_iterations;
        update_rms: {name: array of the RMS per-entry change at each iteration};
        adam: the final state {"v": v, "s": s, "t": t}.

    Raises:
        ValueError: an argument outside the above, bad parameters, or a bad batch.
        FloatingPointError: the loss or gradient norm becomes non-finite.
    """
    num_iterations = require_integer("num_iterations", num_iterations, 1)
    learning_rate = require_real("learning_rate", learning_rate, low=0.0, low_open=True)
    if max_norm is not None:
        max_norm = check_max_norm(max_norm)
    progress = require_bool("progress", progress)
    if burst is not None:
        if not (isinstance(burst, tuple) and len(burst) == 3):
            raise ValueError(
                f"burst must be None or a tuple (start, length, factor), got {burst!r:.60}"
            )
        burst = (
            require_integer("burst[0] (start)", burst[0], 0),
            require_integer("burst[1] (length)", burst[1], 1),
            require_real("burst[2] (factor)", burst[2]),
        )
    if desc is not None and not isinstance(desc, str):
        raise ValueError(f"desc must be None or a str, got {type(desc).__name__}")
    if not callable(get_batch):
        raise ValueError(
            f"get_batch must be a callable i -> (x, labels), got {type(get_batch).__name__}"
        )
    parameters, n_a, n_x, n_y = check_rnn_parameters(
        parameters
    )  # a copy: the caller's dict is not trained
    extra = sorted(set(parameters) - {"Wax", "Waa", "Wya", "ba", "by"}, key=str)
    if extra:  # Adam would need a gradient for them
        raise ValueError(
            f"parameters has extra key(s) {extra}; train_rnn trains exactly Wax, Waa, Wya, ba, by"
        )
    v = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    s = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
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
        x, labels = _check_batch(i, get_batch(i), n_x, n_y)
        loss, grads = _loss_and_grads(
            x, labels, np.zeros((n_a, x.shape[1])), parameters
        )
        if burst is not None and burst[0] <= i < burst[0] + burst[1]:
            grads = {k: burst[2] * g for k, g in grads.items()}
        if max_norm is None:
            norm = float(np.linalg.norm([np.linalg.norm(g) for g in grads.values()]))
        else:
            grads, norm = clip_unchecked(grads, max_norm)
        if not (np.isfinite(loss) and np.isfinite(norm)):
            raise FloatingPointError(
                f"iteration {i}: loss {loss}, gradient norm {norm}"
            )
        losses[i], norms[i] = loss, norm
        previous = dict(
            parameters
        )  # Adam replaces the entries; the old arrays stay intact
        parameters, v, s = adam_step(
            parameters, grads, v, s, i + 1, learning_rate, 0.9, 0.999, 1e-8, False
        )
        for k in parameters:
            update_rms[k][i] = np.sqrt(np.mean((parameters[k] - previous[k]) ** 2))
        if bar is not None and i % 50 == 0:
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
    if bar is not None:
        bar.close()
    state = {"v": v, "s": s, "t": num_iterations}
    return parameters, {
        "loss": losses,
        "grad_norm": norms,
        "update_rms": update_rms,
        "adam": state,
    }


def _check_batch(i, batch, n_x, n_y):
    """Validate what get_batch(i) returned: (x (n_x, m, T_x), labels (m, T_x))."""
    if not (isinstance(batch, tuple) and len(batch) == 2):
        raise ValueError(
            f"get_batch({i}) must return a tuple (x, labels), got {type(batch).__name__}"
        )
    x, labels = batch
    require_ndim(f"x of get_batch({i})", x, 3, "(n_x, m, T_x)")
    x = float_array(
        f"x of get_batch({i})",
        x,
        3,
        "(n_x, m, T_x)",
        shape=(n_x, *x.shape[1:]),
        source=SOURCE,
    )
    labels = _check_labels(labels, (n_y, *x.shape[1:]), f"labels of get_batch({i})")
    return x, labels
