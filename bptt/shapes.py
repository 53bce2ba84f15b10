"""Input validation, once at the door of each public function (loops run unchecked steps).

Rules, the same in every module; every error is a ValueError naming the argument,
the expected and the actual value:

* arrays are numpy.ndarray (lists, tuples, scalars refused);
* float32/float64 kept; integer, float16, longdouble become float64; bool, complex, object, string refused;
* every axis has length ≥ 1; values are finite;
* scalars are real numbers of the right kind and range (True is not 1, 1 is not True).
"""

import math
import numbers

import numpy as np


def require_keys(parameters, keys, name="parameters"):
    """Raise ValueError listing every key of ``keys`` missing from the dict ``parameters``."""
    if not isinstance(parameters, dict):
        raise ValueError(f"{name} must be a dict, got {type(parameters).__name__}")
    missing = [k for k in keys if k not in parameters]
    if missing:
        raise ValueError(
            f"{name} is missing key(s) {missing}; expected keys {list(keys)}"
        )


def require_shape(name, array, shape, source=""):
    """Raise ValueError unless ``array.shape == shape``; returns the array.

    ``source`` says where the expected sizes come from (e.g. "n_x from
    parameters['Wax']") and is appended to the message.
    """
    actual = np.shape(array)
    if actual != tuple(shape):
        where = f" ({source})" if source else ""
        raise ValueError(f"{name} must have shape {tuple(shape)}{where}, got {actual}")
    return array


def require_ndim(name, array, ndim, layout):
    """Raise ValueError unless ``array`` is an ndarray with ``ndim`` axes; ``layout`` names them."""
    if not isinstance(array, np.ndarray):
        raise ValueError(
            f"{name} must be an array of shape {layout}, got {type(array).__name__}"
        )
    if array.ndim != ndim:
        raise ValueError(
            f"{name} must be {ndim}-D with shape {layout}, got shape {array.shape}"
        )
    return array


def real_dtype(name, array):
    """The dtype ``array`` is computed in: float32/float64 as they are, other reals as float64."""
    kind = array.dtype.kind
    if kind == "f" and array.dtype.itemsize in (4, 8):
        return array.dtype
    if kind in "iuf":  # integers, float16, longdouble: converted explicitly
        return np.dtype(np.float64)
    what = {
        "b": "bool",
        "c": "complex",
        "O": "object",
        "U": "string",
        "S": "bytes",
    }.get(kind, "non-numeric")
    hint = (
        " (complex input is refused: its imaginary part would be dropped)"
        if kind == "c"
        else ""
    )
    raise ValueError(
        f"{name} must have a real floating or integer dtype, got {what} dtype {array.dtype}{hint}"
    )


def require_finite(name, array):
    """Raise ValueError if ``array`` holds NaN or inf; returns the array."""
    if not np.isfinite(array).all():
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} must be finite, got {bad} NaN/inf entr{'y' if bad == 1 else 'ies'}"
        )
    return array


def float_array(
    name,
    value,
    ndim,
    layout,
    *,
    shape=None,
    source="",
    copy=False,
    finite=True,
    empty=False,
):
    """Validate one array argument; return it as a floating ndarray.

    Args:
        name: the name in messages, e.g. "parameters['Waa']".   value: the argument.
        ndim, layout: required axes and their names, e.g. "(n_a, m)".
        shape, source: required shape or None, and where it comes from.
        copy: always copy (for caches).   finite: refuse NaN/inf.   empty: allow length-0 axes.

    Returns:
        value or a copy; float32/float64 kept, integer/float16/longdouble become float64.

    Raises:
        ValueError: not an ndarray, a refused dtype, the wrong ndim or shape, an empty axis, NaN or inf.
    """
    if shape is None:
        require_ndim(name, value, ndim, layout)
    elif not isinstance(value, np.ndarray):
        raise ValueError(
            f"{name} must be an array of shape {tuple(shape)} {layout}, got {type(value).__name__}"
        )
    else:
        require_shape(name, value, shape, source)
    dtype = real_dtype(name, value)
    if not empty and 0 in value.shape:
        raise ValueError(
            f"{name} must have no empty axis: layout {layout}, got shape {value.shape}"
        )
    if finite:
        require_finite(name, value)
    if copy or dtype != value.dtype:
        return np.array(value, dtype=dtype, copy=True)
    return value


def require_integer(name, value, minimum=None):
    """Return ``value`` as an int; raise ValueError unless it is an integer (not a bool) >= minimum."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be an integer, got {type(value).__name__} {value!r:.60}"
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def require_real(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float; raise ValueError unless it is a finite real number in range.

    ``low``/``high`` bound the range; ``low_open``/``high_open`` exclude the bound itself.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a real number, got {type(value).__name__} {value!r:.60}"
        )
    value = float(value)
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    interval = f"{lo}{'-inf' if low is None else format(low, 'g')}, {'inf' if high is None else format(high, 'g')}{hi}"
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, in {interval}, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must lie in {interval}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must lie in {interval}, got {value}")
    return value


def require_bool(name, value):
    """Return ``value`` as a bool; raise ValueError unless it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(
            f"{name} must be True or False, got {type(value).__name__} {value!r:.60}"
        )
    return bool(value)


def require_float_dtype(name, dtype):
    """Return ``np.dtype(dtype)``; raise ValueError unless it is float32 or float64."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(
            f"{name} must be np.float32 or np.float64, got {dtype!r:.60}"
        ) from None
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"{name} must be np.float32 or np.float64, got {dtype}")
    return dtype
