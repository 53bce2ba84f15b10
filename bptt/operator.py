"""Exercise 6-2P: one layer of torch.nn.RNN (tanh, unidirectional, time-major) in NumPy, backward by hand.

Same parameter names, shapes and orientation as torch; bptt.torch_operator wraps it in an
autograd.Function, bptt.fast computes the same numbers with large products. Names against
NNDL §6.2/§6.4 (H = hidden_size, n_x = input_size), one example per row:

    weight_hh (H, H)   ↔ U (recurrent weight)
    weight_ih (H, n_x) ↔ W (input weight)
    bias_ih + bias_hh  ↔ b (torch keeps two biases that are always added)
    output[t]          ↔ h_t

    z_t = x_t @ weight_ihᵀ + bias_ih + h_{t-1} @ weight_hhᵀ + bias_hh,   h_t = tanh(z_t)
"""

import functools

import numpy as np

from .shapes import (
    float_array,
    require_float_dtype,
    require_integer,
    require_keys,
    require_ndim,
    require_shape,
)

RNN_LAYER_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
_LAYOUT = {
    "weight_ih": "(H, n_x)",
    "weight_hh": "(H, H)",
    "bias_ih": "(H,)",
    "bias_hh": "(H,)",
}


def float_dtype(*arrays):
    """The common floating dtype of ``arrays``: float32 if all are float32, else float64."""
    dtype = np.result_type(*[np.asarray(a) for a in arrays])
    return np.dtype(np.float32) if dtype == np.float32 else np.dtype(np.float64)


def check_rnn_layer_parameters(params):
    """Validate a torch.nn.RNN-style parameter dict; return (H, n_x).

    Args:
        params: dict with weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,), bias_hh (H,).

    Raises:
        ValueError: a missing key, or a shape, dtype or non-finite value that disagrees with the above.
    """
    require_keys(params, RNN_LAYER_KEYS, "params")
    w_ih = require_ndim("params['weight_ih']", params["weight_ih"], 2, "(H, n_x)")
    H, n_x = np.shape(w_ih)
    shapes = {
        "weight_ih": (H, n_x),
        "weight_hh": (H, H),
        "bias_ih": (H,),
        "bias_hh": (H,),
    }
    for k in RNN_LAYER_KEYS:
        float_array(
            f"params['{k}']", params[k], len(shapes[k]), _LAYOUT[k], shape=shapes[k]
        )
    return H, n_x


def check_rnn_layer_input(x, h0, params):
    """Validate x (T, m, n_x), h0 (1, m, H) or None, params; return (x, h0, params, (T, m, n_x, H)).

    All new arrays (copies, h0 = zeros if None) in float32 if all inputs are float32, else float64.

    Raises:
        ValueError: a shape, dtype or non-finite value that disagrees with the above, or T = 0 or m = 0.
    """
    H, n_x = check_rnn_layer_parameters(params)
    require_ndim(
        "x", x, 3, "(T, m, n_x) (time-major, like torch.nn.RNN with batch_first=False)"
    )
    T, m, _ = np.shape(x)
    require_shape("x", x, (T, m, n_x))
    if T == 0:
        raise ValueError(f"x must have at least one time step, got shape {np.shape(x)}")
    float_array("x", x, 3, "(T, m, n_x)")
    if h0 is not None:
        if not isinstance(h0, np.ndarray):
            raise ValueError(
                f"h0 must be None or an array of shape (1, m, H) = {(1, m, H)}, got {type(h0).__name__}"
            )
        require_shape("h0", h0, (1, m, H))
        float_array("h0", h0, 3, "(1, m, H)")
    dtype = float_dtype(x, *(params[k] for k in RNN_LAYER_KEYS))
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
            raise ValueError(
                f"d_h_n must be None or an array of shape (1, m, H) = {(1, m, H)}, got {type(d_h_n).__name__}"
            )
        d_h_n = float_array("d_h_n", d_h_n, 3, "(1, m, H)", shape=(1, m, H))
    return d_output, d_h_n


def _check_layer_cache(cache):
    """Validate the (x, h0, output, params) cache of rnn_layer_forward; return it."""
    if not (isinstance(cache, tuple) and len(cache) == 4):
        raise ValueError(
            "cache must be the tuple (x, h0, output, params) from rnn_layer_forward"
        )
    x, h0, output, params = cache
    H, n_x = check_rnn_layer_parameters(params)
    T, m = require_ndim("cache[2] (output)", output, 3, "(T, m, H)").shape[:2]
    output = float_array("cache[2] (output)", output, 3, "(T, m, H)", shape=(T, m, H))
    x = float_array("cache[0] (x)", x, 3, "(T, m, n_x)", shape=(T, m, n_x))
    h0 = float_array("cache[1] (h0)", h0, 3, "(1, m, H)", shape=(1, m, H))
    return x, h0, output, params


def rnn_layer_forward(x, h0, params):
    """Forward of one torch.nn.RNN layer (tanh), step by step (NNDL §6.2, row-wise in torch's names).

    Args:
        x: (T, m, n_x), time-major.   h0: (1, m, H) or None for zeros.
        params: dict with weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,), bias_hh (H,).

    Returns:
        output (T, m, H) = h_1 … h_T; h_n (1, m, H); cache = (x, h0, output, params) — copies.
        dtype: float32 if all inputs are float32, else float64.

    Raises:
        ValueError: see check_rnn_layer_input.
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
    """BPTT for one torch.nn.RNN layer, by hand (NNDL §6.4.1, (6.36), (6.39)–(6.41),
    row-wise).

    Args:
        d_output: (T, m, H) ∂L/∂output.   d_h_n: (1, m, H) or None; adds to
            d_output[T-1].
        cache: (x, h0, output, params) from rnn_layer_forward.

    Returns:
        dict with dx (T, m, n_x), dh0 (1, m, H), dweight_ih (H, n_x), dweight_hh (H, H),
        dbias_ih (H,), dbias_hh (H,), in the forward's dtype.

    Raises:
        ValueError: a malformed cache, or a shape, dtype or non-finite value that
            disagrees with the above.
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
    from_later = (
        np.zeros((m, H), dtype=output.dtype)
        if d_h_n is None
        else np.asarray(d_h_n[0], dtype=output.dtype)
    )
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
        # the same gradient: z depends on bias_ih + bias_hh only
        "dbias_hh": d_b.copy(),
    }


# The operator chapter prints the source of rnn_layer_backward (inspect.getsource), so the
# teaching code above stays as printed and the full check wraps it: inspect follows
# __wrapped__ to the code above, and callers get the validated door below.
_rnn_layer_backward = rnn_layer_backward


@functools.wraps(_rnn_layer_backward)
# noqa: F811 - the checked door to the code above
def rnn_layer_backward(d_output, d_h_n, cache):
    cache = _check_layer_cache(cache)
    d_output, d_h_n = check_rnn_layer_grads(d_output, d_h_n, *cache[2].shape)
    return _rnn_layer_backward(d_output, d_h_n, cache)


class NumpyRNN:
    """One torch.nn.RNN layer in NumPy (torch.nn.RNN's documented parameters).

    Attributes weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,), bias_hh (H,);
    grad holds their gradients after backward.

    Args:
        input_size: n_x.   hidden_size: H.
        seed: for default_rng; U(−1/√H, 1/√H) as torch (not torch's numbers).   dtype: float64 or float32.

    Raises:
        ValueError: sizes not integers ≥ 1, seed not None or an integer ≥ 0, or another dtype.
    """

    def __init__(self, input_size, hidden_size, seed=0, dtype=np.float64):
        input_size = require_integer("input_size", input_size, 1)
        hidden_size = require_integer("hidden_size", hidden_size, 1)
        if seed is not None:
            seed = require_integer("seed", seed, 0)
        dtype = require_float_dtype(
            "dtype", dtype
        )  # an integer dtype would round every weight to 0
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
        if (rnn.mode, rnn.num_layers, rnn.bidirectional, rnn.bias, rnn.batch_first) != (
            "RNN_TANH",
            1,
            False,
            True,
            False,
        ):
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
        """Return (output (T, m, H), h_n (1, m, H)); see rnn_layer_forward. The cache holds parameter copies."""
        output, h_n, self._cache = rnn_layer_forward(x, h0, self.parameters())
        return output, h_n

    def backward(self, d_output, d_h_n=None):
        """Backward of the last forward; return (dx, dh0) and fill self.grad.

        Raises:
            ValueError: forward not called, or shapes as in rnn_layer_backward.
        """
        if self._cache is None:
            raise ValueError("call forward before backward")
        grads = rnn_layer_backward(d_output, d_h_n, self._cache)
        self.grad = {name: grads["d" + name] for name in RNN_LAYER_KEYS}
        return grads["dx"], grads["dh0"]
