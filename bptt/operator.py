"""Exercise 6-2P: the simple RNN operator in NumPy, laid out like ``torch.nn.RNN``.

This module mirrors one layer of ``torch.nn.RNN(input_size, hidden_size)``
with its defaults (``nonlinearity='tanh'``, ``num_layers=1``, ``bias=True``,
``batch_first=False``, unidirectional): the same parameter names, shapes and
orientation, the same time-major input and the same ``(1, m, H)`` hidden
state.  The backward pass is written by hand; PyTorch is needed only by the
tests and by :mod:`bptt.torch_operator`, which wraps this code in a
``torch.autograd.Function``.

torch's names against NNDL §6.2/§6.4 (H = hidden_size, n_x = input_size):

    weight_hh (H, H)   ↔ U (recurrent weight)
    weight_ih (H, n_x) ↔ W (input weight)
    bias_ih + bias_hh  ↔ b (NNDL has one bias; torch keeps two that are always added)
    output[t]          ↔ h_t (row-wise: one example per row)

One step reads, with one example per *row* (torch multiplies by the
transposed weight on the right; NNDL multiplies by U and W on the left with
one example per column — the same numbers, transposed):

    z_t = x_t @ weight_ihᵀ + bias_ih + h_{t-1} @ weight_hhᵀ + bias_hh
    h_t = tanh(z_t)

Nothing here is fast on purpose: the backward is the step-by-step recursion of
NNDL §6.4.1.  :mod:`bptt.fast` computes the same numbers with large matrix
products.
"""

import functools

import numpy as np

from .shapes import float_array, require_float_dtype, require_integer, require_keys, require_ndim, require_shape

RNN_LAYER_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
_LAYOUT = {"weight_ih": "(H, n_x)", "weight_hh": "(H, H)", "bias_ih": "(H,)", "bias_hh": "(H,)"}


def _float_dtype(*arrays):
    """The common floating dtype of ``arrays``: float32 if all are float32, else float64."""
    dtype = np.result_type(*[np.asarray(a) for a in arrays])
    return np.dtype(np.float32) if dtype == np.float32 else np.dtype(np.float64)


def check_rnn_layer_parameters(params):
    """Validate a ``torch.nn.RNN``-style parameter dict; return ``(H, n_x)``.

    Args:
        params: dict with weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,),
            bias_hh (H,): finite ndarrays of a real dtype, no empty axis.

    Returns:
        (hidden_size H, input_size n_x).

    Raises:
        ValueError: a missing key, or a shape that disagrees with the above
            (the message names expected and actual shapes), or the array
            rules of :mod:`bptt.shapes` broken.
    """
    require_keys(params, RNN_LAYER_KEYS, "params")
    w_ih = require_ndim("params['weight_ih']", params["weight_ih"], 2, "(H, n_x)")
    H, n_x = np.shape(w_ih)
    shapes = {"weight_ih": (H, n_x), "weight_hh": (H, H), "bias_ih": (H,), "bias_hh": (H,)}
    for k in RNN_LAYER_KEYS:
        float_array(f"params['{k}']", params[k], len(shapes[k]), _LAYOUT[k], shape=shapes[k])
    return H, n_x


def check_rnn_layer_input(x, h0, params):
    """Validate ``x``, ``h0`` and ``params``; return them converted, with ``(T, m, n_x, H)``.

    Returns:
        (x, h0, params, (T, m, n_x, H)): new arrays in the common floating
        dtype (float64 unless all inputs are float32; integers become
        float64), never the caller's (so caches holding them are immune to
        later edits); h0 = zeros if it was None; params a new dict.

    Raises:
        ValueError: x not 3-D time-major (T, m, n_x), n_x not matching
            weight_ih, T = 0 or m = 0, h0 not of shape (1, m, H), or the
            array rules of :mod:`bptt.shapes` broken.
    """
    H, n_x = check_rnn_layer_parameters(params)
    require_ndim("x", x, 3, "(T, m, n_x) (time-major, like torch.nn.RNN with batch_first=False)")
    T, m, _ = np.shape(x)
    require_shape("x", x, (T, m, n_x))
    if T == 0:
        raise ValueError(f"x must have at least one time step, got shape {np.shape(x)}")
    float_array("x", x, 3, "(T, m, n_x)")
    if h0 is not None:
        if not isinstance(h0, np.ndarray):
            raise ValueError(f"h0 must be None or an array of shape (1, m, H) = {(1, m, H)}, got {type(h0).__name__}")
        require_shape("h0", h0, (1, m, H))
        float_array("h0", h0, 3, "(1, m, H)")
    dtype = _float_dtype(x, *(params[k] for k in RNN_LAYER_KEYS))
    x = np.array(x, dtype=dtype, order="C")
    h0 = np.zeros((1, m, H), dtype=dtype) if h0 is None else np.array(h0, dtype=dtype)
    p = {k: np.array(params[k], dtype=dtype) for k in RNN_LAYER_KEYS}
    return x, h0, p, (T, m, n_x, H)


def check_rnn_layer_grads(d_output, d_h_n, T, m, H):
    """Validate the upstream gradients of a layer backward; return them (d_h_n may be None)."""
    require_ndim("d_output", d_output, 3, "(T, m, H)")
    d_output = float_array("d_output", d_output, 3, "(T, m, H)", shape=(T, m, H))
    if d_h_n is not None:
        if not isinstance(d_h_n, np.ndarray):
            raise ValueError(f"d_h_n must be None or an array of shape (1, m, H) = {(1, m, H)}, got {type(d_h_n).__name__}")
        d_h_n = float_array("d_h_n", d_h_n, 3, "(1, m, H)", shape=(1, m, H))
    return d_output, d_h_n


def _check_layer_cache(cache):
    """Validate the (x, h0, output, params) cache of rnn_layer_forward; return it."""
    if not (isinstance(cache, tuple) and len(cache) == 4):
        raise ValueError("cache must be the tuple (x, h0, output, params) from rnn_layer_forward")
    x, h0, output, params = cache
    H, n_x = check_rnn_layer_parameters(params)
    T, m = require_ndim("cache[2] (output)", output, 3, "(T, m, H)").shape[:2]
    output = float_array("cache[2] (output)", output, 3, "(T, m, H)", shape=(T, m, H))
    x = float_array("cache[0] (x)", x, 3, "(T, m, n_x)", shape=(T, m, n_x))
    h0 = float_array("cache[1] (h0)", h0, 3, "(1, m, H)", shape=(1, m, H))
    return x, h0, output, params


def rnn_layer_forward(x, h0, params):
    """Forward pass of one ``torch.nn.RNN`` layer (tanh), step by step.

    z_t = x_t weight_ihᵀ + bias_ih + h_{t-1} weight_hhᵀ + bias_hh,
    h_t = tanh(z_t), for t = 1 … T.

    Args:
        x: inputs, time-major, shape (T, m, n_x) — torch's ``batch_first=False``.
        h0: initial state, shape (1, m, H) as torch's ``h_0`` (num_layers × num_directions = 1),
            or None for zeros.
        params: dict with weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,),
            bias_hh (H,) — torch's ``weight_ih_l0`` etc. without the suffix.

    Returns:
        output: all hidden states h_1 … h_T, shape (T, m, H) (torch's ``output``).
        h_n: the final state h_T, shape (1, m, H) (torch's ``h_n``).
        cache: (x, h0, output, params), read by :func:`rnn_layer_backward`.
            It holds copies (its own ``output`` too), so editing the returned
            arrays, the inputs or ``params`` leaves the backward unchanged.

    dtype: the common floating type of the inputs (float64 unless all are
    float32; integer arrays are converted to float64).

    Raises:
        ValueError: see :func:`check_rnn_layer_input`.

    Source: NNDL §6.2, z_t = U h_{t-1} + W x_t + b, h_t = f(z_t) with f = tanh,
    written row-wise in torch's names.
    """
    x, h0, params, _ = check_rnn_layer_input(x, h0, params)
    output = _layer_forward(x, h0, params)
    return output.copy(), output[-1:].copy(), (x, h0, output, params)


def _layer_forward(x, h0, params):
    """All hidden states (T, m, H) of rnn_layer_forward, on validated inputs."""
    T, m, _ = x.shape
    dtype = x.dtype
    H = params["weight_hh"].shape[0]
    w_ih, w_hh = params["weight_ih"], params["weight_hh"]
    b_ih, b_hh = params["bias_ih"], params["bias_hh"]

    output = np.empty((T, m, H), dtype=dtype)
    h = h0[0]
    for t in range(T):
        z = x[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh  # (m, H): one row per example
        h = np.tanh(z)
        output[t] = h
    return output


def rnn_layer_backward(d_output, d_h_n, cache):
    """Backpropagation through time for one ``torch.nn.RNN`` layer, by hand.

    One reversed pass.  With g_t = ∂L/∂h_t = d_output[t] + (what flows back from
    step t+1) and δ_t = ∂L/∂z_t = (1 − h_t²) ⊙ g_t:

        what flows back to h_{t-1} = δ_t weight_hh          (NNDL (6.36): Uᵀ δ)
        dx_t       = δ_t weight_ih
        d weight_hh = Σ_t δ_tᵀ h_{t-1}                       (NNDL (6.39))
        d weight_ih = Σ_t δ_tᵀ x_t                           (NNDL (6.40))
        d bias_ih = d bias_hh = Σ_t Σ_examples δ_t           (NNDL (6.41), twice)

    δ_t here is NNDL's Σ_{s ≥ t} δ_{s,t}: the double sums of (6.39)–(6.41)
    collapse once the sums over s and t are swapped.

    Args:
        d_output: ∂L/∂output, shape (T, m, H).
        d_h_n: ∂L/∂h_n, shape (1, m, H), or None for zeros.  It adds to
            d_output[T-1], since h_n is output[T-1].
        cache: the tuple (x, h0, output, params) from :func:`rnn_layer_forward`.

    Returns:
        dict with ``dx`` (T, m, n_x), ``dh0`` (1, m, H), ``dweight_ih`` (H, n_x),
        ``dweight_hh`` (H, H), ``dbias_ih`` (H,), ``dbias_hh`` (H,), in the
        forward's dtype.

    Raises:
        ValueError: a cache that is not such a tuple, d_output not of shape
            (T, m, H) or d_h_n not (1, m, H), or the array rules of
            :mod:`bptt.shapes` broken.

    Source: NNDL §6.4.1, eqs. (6.36), (6.39)–(6.41), row-wise in torch's names.
    """
    x, h0, output, params = cache
    T, m, H = output.shape
    require_ndim("d_output", d_output, 3, "(T, m, H)")
    require_shape("d_output", d_output, (T, m, H))
    if d_h_n is not None:
        require_shape("d_h_n", d_h_n, (1, m, H))
    w_ih, w_hh = params["weight_ih"], params["weight_hh"]

    dx = np.empty_like(x)
    d_w_ih = np.zeros(w_ih.shape, dtype=output.dtype)
    d_w_hh = np.zeros(w_hh.shape, dtype=output.dtype)
    d_b = np.zeros(H, dtype=output.dtype)
    from_later = np.zeros((m, H), dtype=output.dtype) if d_h_n is None else np.asarray(d_h_n[0], dtype=output.dtype)
    for t in reversed(range(T)):
        g = d_output[t] + from_later  # ∂L/∂h_t: its own loss + all later steps
        delta = (1.0 - output[t] ** 2) * g  # ∂L/∂z_t, tanh' = 1 − tanh²
        h_prev = output[t - 1] if t > 0 else h0[0]
        dx[t] = delta @ w_ih
        d_w_ih += delta.T @ x[t]  # (6.40)
        d_w_hh += delta.T @ h_prev  # (6.39)
        d_b += delta.sum(axis=0)  # (6.41)
        from_later = delta @ w_hh  # (6.36): to h_{t-1}
    return {
        "dx": dx,
        "dh0": from_later[None],
        "dweight_ih": d_w_ih,
        "dweight_hh": d_w_hh,
        "dbias_ih": d_b,
        "dbias_hh": d_b.copy(),  # the same gradient: z depends on bias_ih + bias_hh only
    }


# The operator chapter prints the source of rnn_layer_backward (inspect.getsource), so the
# teaching code above stays as printed and the full check wraps it: inspect follows
# __wrapped__ to the code above, and callers get the validated door below.
_rnn_layer_backward = rnn_layer_backward


@functools.wraps(_rnn_layer_backward)
def rnn_layer_backward(d_output, d_h_n, cache):  # noqa: F811 - the checked door to the code above
    cache = _check_layer_cache(cache)
    d_output, d_h_n = check_rnn_layer_grads(d_output, d_h_n, *cache[2].shape)
    return _rnn_layer_backward(d_output, d_h_n, cache)


class NumpyRNN:
    """One ``torch.nn.RNN`` layer (tanh, unidirectional, time-major) in NumPy.

    Attributes ``weight_ih`` (H, n_x), ``weight_hh`` (H, H), ``bias_ih`` (H,),
    ``bias_hh`` (H,) have torch's names, shapes and orientation; after
    :meth:`backward`, ``grad`` holds their gradients under the same names.

    Args:
        input_size: n_x.
        hidden_size: H.
        seed: seed for NumPy's ``default_rng``; parameters are drawn from
            U(−1/√H, 1/√H) as torch does (not the same numbers as torch).
        dtype: float64 (default) or float32.

    Raises:
        ValueError: sizes not integers >= 1, seed not None or an integer
            >= 0, dtype not float32 or float64.

    Source: torch.nn.RNN's documented parameters; NNDL §6.2, §6.4.1.
    """

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        input_size = require_integer("input_size", input_size, 1)
        hidden_size = require_integer("hidden_size", hidden_size, 1)
        if seed is not None:
            seed = require_integer("seed", seed, 0)
        dtype = require_float_dtype("dtype", dtype)  # an integer dtype would round every weight to 0
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(hidden_size)
        shapes = {
            "weight_ih": (hidden_size, input_size),
            "weight_hh": (hidden_size, hidden_size),
            "bias_ih": (hidden_size,),
            "bias_hh": (hidden_size,),
        }
        for name, shape in shapes.items():
            setattr(self, name, rng.uniform(-bound, bound, shape).astype(dtype))
        self.grad = {}
        self._cache = None

    @classmethod
    def from_torch(cls, rnn):
        """Copy the parameters of a ``torch.nn.RNN`` (tanh, 1 layer, unidirectional, bias, time-major).

        Raises:
            ValueError: if ``rnn`` is not a torch.nn.RNN or is configured otherwise.
        """
        import torch  # only here: the class itself is NumPy-only

        if not isinstance(rnn, torch.nn.RNN):
            raise ValueError(f"rnn must be a torch.nn.RNN, got {type(rnn).__name__}")
        if (rnn.mode, rnn.num_layers, rnn.bidirectional, rnn.bias, rnn.batch_first) != ("RNN_TANH", 1, False, True, False):
            raise ValueError(
                "rnn must be a torch.nn.RNN(nonlinearity='tanh', num_layers=1, bidirectional=False, bias=True, "
                f"batch_first=False), got mode={rnn.mode}, num_layers={rnn.num_layers}, "
                f"bidirectional={rnn.bidirectional}, bias={rnn.bias}, batch_first={rnn.batch_first}"
            )
        new = cls.__new__(cls)
        for name in RNN_LAYER_KEYS:
            setattr(new, name, getattr(rnn, name + "_l0").detach().cpu().numpy().copy())
        new.grad = {}
        new._cache = None
        return new

    def parameters(self):
        """The parameter dict {weight_ih, weight_hh, bias_ih, bias_hh} (no copies)."""
        return {name: getattr(self, name) for name in RNN_LAYER_KEYS}

    def forward(self, x, h0=None):
        """Return (output (T, m, H), h_n (1, m, H)); see :func:`rnn_layer_forward`.

        The cache holds copies of the parameters, so changing them between
        forward and backward does not change the gradients.
        """
        output, h_n, self._cache = rnn_layer_forward(x, h0, self.parameters())
        return output, h_n

    def backward(self, d_output, d_h_n=None):
        """Backward of the last :meth:`forward`; return (dx, dh0), fill ``self.grad``.

        Raises:
            ValueError: if forward has not been called, or shapes as in
                :func:`rnn_layer_backward`.
        """
        if self._cache is None:
            raise ValueError("call forward before backward")
        grads = rnn_layer_backward(d_output, d_h_n, self._cache)
        self.grad = {name: grads["d" + name] for name in RNN_LAYER_KEYS}
        return grads["dx"], grads["dh0"]
