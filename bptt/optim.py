"""Adam and gradient clipping by global norm, for dicts of NumPy arrays.

Parameters live in a dict (``{"Wax": ..., "ba": ...}``) and their gradients in
a dict whose keys carry a ``d`` prefix (``{"dWax": ..., "dba": ...}``), as in
deeplearning.ai C2W2 "Optimization methods" and the course's ``rnn_backward``.

Clipping is a separate step applied to the gradients *before* the update
(never inside the loss), so that the loss stays a plain function whose
gradient can be checked by finite differences:

    grads = backward(...)                         # exact gradient
    grads, norm = clip_grad_norm(grads, 5.0)      # optional
    parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t)
"""

import math
import numbers

import numpy as np

from .shapes import float_array, require_bool, require_real


def _check_array_dict(name, d, *, finite=True, empty=True, str_keys=True):
    """Validate a dict of float arrays (str keys: Adam builds "d" + key); return a new dict of float arrays."""
    if not isinstance(d, dict):
        raise ValueError(f"{name} must be a dict of arrays, got {type(d).__name__}")
    out = {}
    for k, value in d.items():
        if str_keys and not isinstance(k, str):
            raise ValueError(f"{name} keys must be strings, got {k!r:.40}")
        out[k] = float_array(f"{name}[{k!r}]", value, np.ndim(value), "(any shape)", finite=finite, empty=empty)
    return out


def initialize_adam(parameters):
    """Zero first and second moments for Adam.

    Args:
        parameters: dict of arrays, any keys (e.g. ``W1, b1, …`` or the RNN's
            ``Wax, Waa, Wya, ba, by``).

    Returns:
        (v, s): two dicts with keys ``"d" + key`` for every parameter key,
        each holding float64 zeros of that parameter's shape.  ``v`` is the
        running mean of the gradient (Kingma & Ba's m), ``s`` the running mean
        of its square (Kingma & Ba's v).

    Raises:
        ValueError: ``parameters`` not a dict with str keys and ndarray values
            of a real (float or integer) dtype.

    Source: deeplearning.ai C2W2 ``initialize_adam`` (same names and
    signature); Kingma & Ba (2015), Algorithm 1, m₀ = v₀ = 0.
    """
    _check_array_dict("parameters", parameters, finite=False)
    v = {"d" + k: np.zeros(np.shape(p), dtype=np.float64) for k, p in parameters.items()}
    s = {"d" + k: np.zeros(np.shape(p), dtype=np.float64) for k, p in parameters.items()}
    return v, s


def _check_adam_inputs(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside_sqrt):
    """Validate everything update_parameters_with_adam reads; return the scalars."""
    for name, d in (("parameters", parameters), ("grads", grads), ("v", v), ("s", s)):
        if not isinstance(d, dict):
            raise ValueError(f"{name} must be a dict, got {type(d).__name__}")
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise ValueError(f"t must be an integer step counter >= 1, got {t!r:.60}")
    if t < 1:
        raise ValueError(f"t is the 1-based step counter and must be >= 1, got {t}")
    scalars = (
        int(t),
        require_real("learning_rate", learning_rate, low=0.0, low_open=True),
        require_real("beta1", beta1, low=0.0, high=1.0, high_open=True),
        require_real("beta2", beta2, low=0.0, high=1.0, high_open=True),
        require_real("epsilon", epsilon, low=0.0, low_open=True),  # ε = 0 gives 0/0 where s = 0
        require_bool("eps_inside_sqrt", eps_inside_sqrt),
    )
    _check_array_dict("parameters", parameters)
    needed = ["d" + k for k in parameters]
    missing = {
        name: [k for k in needed if k not in d] for name, d in (("grads", grads), ("v", v), ("s", s))
    }
    missing = {name: keys for name, keys in missing.items() if keys}
    if missing:
        listing = "; ".join(f"{name} lacks {keys}" for name, keys in missing.items())
        raise ValueError(f"missing gradient/moment key(s) for parameters: {listing}")
    for k, p in parameters.items():
        for name, d in (("grads", grads), ("v", v), ("s", s)):
            # non-finite gradients or moments would turn the parameters into NaN
            float_array(f"{name}['d{k}']", d["d" + k], p.ndim, "(the parameter's shape)", shape=p.shape, empty=True)
        if np.min(s["d" + k], initial=0.0) < 0.0:
            raise ValueError(f"s['d{k}'] is a running mean of squares and must be >= 0, got min {np.min(s['d' + k]):.3g}")
    return scalars


def update_parameters_with_adam(
    parameters,
    grads,
    v,
    s,
    t,
    learning_rate=0.01,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-8,
    *,
    eps_inside_sqrt=False,
):
    """One Adam step for every parameter, with bias correction.

    For each parameter θ with gradient g (key ``"d" + key`` in ``grads``)::

        v ← β₁ v + (1 − β₁) g            s ← β₂ s + (1 − β₂) g²
        v̂ = v / (1 − β₁ᵗ)                ŝ = s / (1 − β₂ᵗ)
        θ ← θ − α v̂ / (√ŝ + ε)           (default: ε outside the root)
        θ ← θ − α v̂ / √(ŝ + ε)           (eps_inside_sqrt=True)

    ε outside the square root is Kingma & Ba's Algorithm 1 and what
    ``torch.optim.Adam`` computes; ε inside is what the C2W2 starter code and
    its printed expected output use.  The two differ only where ŝ is small
    (√ŝ comparable to √ε = 1e-4 for the default ε).

    In place or not: the three dicts ``parameters``, ``v`` and ``s`` are
    updated (each entry is *replaced* by a new float64 array) and returned,
    as in deeplearning.ai; the arrays that were in them are never modified,
    so a caller that kept a reference to an old array keeps the old values.
    ``grads`` is not modified.  Keys of ``grads``/``v``/``s`` that belong to
    no parameter (e.g. ``dx`` or ``da0`` from ``rnn_backward``) are ignored.

    Args:
        parameters: dict of arrays θ, any keys.
        grads: dict with ``"d" + key`` of each parameter's shape.
        v, s: first and second moments from :func:`initialize_adam` or the
            previous call.
        t: the 1-based step counter (1 on the first update).
        learning_rate: α.
        beta1, beta2: decay rates in [0, 1).
        epsilon: ε.
        eps_inside_sqrt: keyword only; put ε inside the square root.

    Returns:
        (parameters, v, s): the same dict objects, updated.

    Raises:
        ValueError: t not an integer >= 1; learning_rate not positive and
            finite; a beta outside [0, 1); epsilon not positive and finite;
            eps_inside_sqrt not a bool; grads, v or s missing a ``"d" + key``
            (the message lists which); an entry not a finite real ndarray of
            its parameter's shape (the message names both); s negative.

    Source: Kingma & Ba (2015), "Adam", Algorithm 1; deeplearning.ai C2W2
    ``update_parameters_with_adam`` (names, signature, defaults).
    """
    args = _check_adam_inputs(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside_sqrt)
    return _adam_step(parameters, grads, v, s, *args)


def _computed(array):
    """float32/float64 arrays as they are, other real ones (integers, float16) as float64."""
    array = np.asarray(array)
    return array if array.dtype in (np.float32, np.float64) else array.astype(np.float64)


def _adam_step(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside_sqrt):
    """update_parameters_with_adam on validated inputs."""
    correction1 = 1.0 - beta1**t
    correction2 = 1.0 - beta2**t
    for k in list(parameters):
        dk = "d" + k
        g = np.asarray(grads[dk], dtype=np.float64)
        v[dk] = beta1 * _computed(v[dk]) + (1.0 - beta1) * g  # running mean of g
        s[dk] = beta2 * _computed(s[dk]) + (1.0 - beta2) * g**2  # running mean of g²
        v_hat = v[dk] / correction1  # bias correction
        s_hat = s[dk] / correction2
        if eps_inside_sqrt:
            denom = np.sqrt(s_hat + epsilon)
        else:
            denom = np.sqrt(s_hat) + epsilon
        parameters[k] = parameters[k] - learning_rate * v_hat / denom
    return parameters, v, s


def _l2_norm(values):
    """Euclidean norm of all entries, scaled by the largest |entry| so that
    neither tiny (1e-200) nor huge (1e200) entries under- or overflow, as
    torch's norm; inf if an entry is infinite, NaN if one is NaN."""
    values = np.abs(np.ravel(values))
    if values.size == 0:
        return 0.0
    largest = float(np.max(values))
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * float(np.sqrt(np.sum((values / largest) ** 2)))


def clip_grad_norm(grads, max_norm, *, error_if_nonfinite=False):
    """Rescale all gradients together so that their global L2 norm is ≤ max_norm.

    total_norm = √(Σ over arrays ‖g‖²) (all entries of all arrays in
    ``grads``), and every array is multiplied by
    min(1, max_norm / (total_norm + 1e-6)) — exactly the formula of
    ``torch.nn.utils.clip_grad_norm_`` (torch 2.x ``_clip_grads_with_norm_``).
    One common factor keeps the direction of the whole gradient (cosine 1);
    gradients with total_norm + 1e-6 ≤ max_norm come back unchanged in value
    (bit for bit).  Because of the 1e-6 the clipped norm lies slightly *below*
    max_norm (up to rounding, i.e. ≤ max_norm·(1 + 1e-15)), and a gradient whose norm is exactly max_norm is still scaled
    by 1/(1 + 1e-6/max_norm); so clipping twice changes the result again by a
    relative amount below 1e-6/max_norm (idempotent only up to that).

    The name drops the trailing underscore of PyTorch's function because
    this one does not work in place: it returns new arrays and leaves
    ``grads`` untouched.  Apply it to the gradients before the optimizer
    step, never inside the loss.  Pass only parameter gradients (not
    ``dx``/``da0``), since every array in ``grads`` counts towards the norm.

    The norms are computed with rescaling, so entries as large as 1e200 or
    as small as 1e-200 give the right norm; PyTorch's float64 norm overflows
    beyond about 1e154 (its norm is then inf and every gradient becomes 0),
    so the two agree for magnitudes between about 1e-150 and 1e150.

    Non-finite gradients: with the default ``error_if_nonfinite=False`` the
    behaviour is PyTorch's default: an infinite norm gives factor 0, so finite
    entries become 0 and infinite entries NaN; a NaN norm makes every entry
    NaN.  The returned ``total_norm`` is inf/NaN, so callers can detect and
    skip such a step.  With ``error_if_nonfinite=True`` a ValueError is raised
    instead (PyTorch raises RuntimeError).

    Args:
        grads: non-empty dict of float arrays (any keys and shapes).
        max_norm: positive finite threshold θ.
        error_if_nonfinite: keyword only; raise when total_norm is inf/NaN.

    Returns:
        (clipped_grads, total_norm): a new dict with the same keys holding new
        float64 arrays, and the global norm *before* clipping (a float).

    Raises:
        ValueError: grads not a non-empty dict of real ndarrays (lists,
            bool and complex refused; integers converted); max_norm not
            positive and finite; error_if_nonfinite not a bool; total_norm
            non-finite with ``error_if_nonfinite=True``.

    Source: Pascanu, Mikolov & Bengio (2013), Algorithm 1 (rescale by
    threshold/‖ĝ‖ when ‖ĝ‖ ≥ threshold); ``torch.nn.utils.clip_grad_norm_``.
    """
    if not isinstance(grads, dict) or not grads:
        raise ValueError(f"grads must be a non-empty dict of arrays, got {grads!r:.60}")
    max_norm = check_max_norm(max_norm)
    error_if_nonfinite = require_bool("error_if_nonfinite", error_if_nonfinite)
    _check_array_dict("grads", grads, finite=False, str_keys=False)
    return _clip(grads, max_norm, error_if_nonfinite)


def check_max_norm(max_norm):
    """Return max_norm as a float; raise ValueError unless it is a positive finite number."""
    if isinstance(max_norm, (bool, np.bool_)) or not isinstance(max_norm, numbers.Real):
        raise ValueError(f"max_norm must be a positive finite number, got {max_norm!r:.60}")
    max_norm = float(max_norm)
    if not (math.isfinite(max_norm) and max_norm > 0.0):
        raise ValueError(f"max_norm must be a positive finite number, got {max_norm}")
    return max_norm


def _clip(grads, max_norm, error_if_nonfinite=False):
    """clip_grad_norm on validated inputs."""
    arrays = {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}
    # As torch: the norm of the per-array norms.
    total_norm = _l2_norm([_l2_norm(g) for g in arrays.values()])
    if error_if_nonfinite and not math.isfinite(total_norm):
        raise ValueError(
            f"the total gradient norm is {total_norm}, so it cannot be clipped; "
            "pass error_if_nonfinite=False to scale by it anyway"
        )
    clip_coef = max_norm / (total_norm + 1e-6)
    clip_coef_clamped = np.minimum(clip_coef, 1.0)  # NaN stays NaN, as torch.clamp
    with np.errstate(invalid="ignore"):  # inf * 0 -> NaN is the documented result
        clipped = {k: g * clip_coef_clamped for k, g in arrays.items()}
    return clipped, total_norm
