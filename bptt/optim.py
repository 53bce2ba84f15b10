"""Adam and clipping by global norm, for dicts of NumPy arrays (deeplearning.ai C2W2 names).

Gradients carry a d prefix ({"dWax": ...} for {"Wax": ...}). Clipping is a separate step before
the update, never inside the loss, so the loss stays checkable by finite differences:

    grads = backward(...)
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
        out[k] = float_array(
            f"{name}[{k!r}]",
            value,
            np.ndim(value),
            "(any shape)",
            finite=finite,
            empty=empty,
        )
    return out


def initialize_adam(parameters):
    """Zero Adam moments (deeplearning.ai C2W2 `initialize_adam`; Kingma & Ba 2015, Alg. 1, m₀ = v₀ = 0).

    Args:
        parameters: dict of real ndarrays, any str keys.

    Returns:
        (v, s): dicts with keys "d" + key, float64 zeros of each parameter's shape
        (v is Kingma & Ba's m, s their v).

    Raises:
        ValueError: parameters not a dict with str keys and real ndarray values.
    """
    _check_array_dict("parameters", parameters, finite=False)
    v = {
        "d" + k: np.zeros(np.shape(p), dtype=np.float64) for k, p in parameters.items()
    }
    s = {
        "d" + k: np.zeros(np.shape(p), dtype=np.float64) for k, p in parameters.items()
    }
    return v, s


def _check_adam_inputs(
    parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside_sqrt
):
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
        require_real(
            "epsilon", epsilon, low=0.0, low_open=True
        ),  # ε = 0 gives 0/0 where s = 0
        require_bool("eps_inside_sqrt", eps_inside_sqrt),
    )
    _check_array_dict("parameters", parameters)
    needed = ["d" + k for k in parameters]
    missing = {
        name: [k for k in needed if k not in d]
        for name, d in (("grads", grads), ("v", v), ("s", s))
    }
    missing = {name: keys for name, keys in missing.items() if keys}
    if missing:
        listing = "; ".join(f"{name} lacks {keys}" for name, keys in missing.items())
        raise ValueError(f"missing gradient/moment key(s) for parameters: {listing}")
    for k, p in parameters.items():
        for name, d in (("grads", grads), ("v", v), ("s", s)):
            # non-finite gradients or moments would turn the parameters into NaN
            float_array(
                f"{name}['d{k}']",
                d["d" + k],
                p.ndim,
                "(the parameter's shape)",
                shape=p.shape,
                empty=True,
            )
        if np.min(s["d" + k], initial=0.0) < 0.0:
            raise ValueError(
                f"s['d{k}'] is a running mean of squares and must be >= 0, got min {np.min(s['d' + k]):.3g}"
            )
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
    """One Adam step with bias correction (Kingma & Ba 2015, Alg. 1; deeplearning.ai C2W2 names, defaults).

    θ ← θ − α v̂ / (√ŝ + ε); ε outside the root as torch.optim.Adam; eps_inside_sqrt=True for the C2W2 variant.

    Args:
        parameters: dict of arrays θ.   grads: dict with "d" + key of each parameter's shape.
        v, s: moments from initialize_adam or the previous call.   t: step, 1 on the first update.
        learning_rate: α > 0.   beta1, beta2: in [0, 1).   epsilon: ε > 0.   eps_inside_sqrt: keyword, bool.

    Returns:
        (parameters, v, s): the same dicts, each entry replaced by a new float64 array (old arrays and
        grads untouched). Extra keys of grads/v/s (dx, da0) are ignored.

    Raises:
        ValueError: a bad t, rate, beta, epsilon or flag; a missing "d" + key; an entry not a finite
            real ndarray of its parameter's shape; s negative (the message names it).
    """
    args = _check_adam_inputs(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate,
        beta1,
        beta2,
        epsilon,
        eps_inside_sqrt,
    )
    return adam_step(parameters, grads, v, s, *args)


def _computed(array):
    """float32/float64 arrays as they are, other real ones (integers, float16) as float64."""
    array = np.asarray(array)
    return (
        array if array.dtype in (np.float32, np.float64) else array.astype(np.float64)
    )


def adam_step(
    parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, eps_inside_sqrt
):
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
    """Scale all gradients by min(1, max_norm / (total_norm + 1e-6)) (torch.nn.utils.clip_grad_norm_, not in place).

    Source: Pascanu et al. 2013, Alg. 1. Every array counts towards the norm: pass parameter gradients only.

    Args:
        grads: non-empty dict of real arrays, any keys and shapes.
        max_norm: positive finite threshold.   error_if_nonfinite: keyword, bool.

    Returns:
        (clipped_grads, total_norm): a new dict of new float64 arrays; the global L2 norm before clipping (float).
        A non-finite norm gives PyTorch's default result (zeros/NaN).

    Raises:
        ValueError: grads not a non-empty dict of real ndarrays, a bad max_norm or flag, or a
            non-finite norm with error_if_nonfinite=True.
    """
    if not isinstance(grads, dict) or not grads:
        raise ValueError(f"grads must be a non-empty dict of arrays, got {grads!r:.60}")
    max_norm = check_max_norm(max_norm)
    error_if_nonfinite = require_bool("error_if_nonfinite", error_if_nonfinite)
    _check_array_dict("grads", grads, finite=False, str_keys=False)
    return clip_unchecked(grads, max_norm, error_if_nonfinite)


def check_max_norm(max_norm):
    """Return max_norm as a float; raise ValueError unless it is a positive finite number."""
    if isinstance(max_norm, (bool, np.bool_)) or not isinstance(max_norm, numbers.Real):
        raise ValueError(
            f"max_norm must be a positive finite number, got {max_norm!r:.60}"
        )
    max_norm = float(max_norm)
    if not (math.isfinite(max_norm) and max_norm > 0.0):
        raise ValueError(f"max_norm must be a positive finite number, got {max_norm}")
    return max_norm


def clip_unchecked(grads, max_norm, error_if_nonfinite=False):
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
