"""Input validation: every public function checks shapes before computing.

NumPy broadcasts silently; a (n_a,) bias added to an (n_a, m) matrix gives a
wrong answer without a word.  These helpers turn such mistakes into a
ValueError that names the expected and the actual shape.
"""

import numpy as np


def require_keys(parameters, keys):
    """Raise ValueError listing every key of ``keys`` missing from ``parameters``."""
    if not isinstance(parameters, dict):
        raise ValueError(f"parameters must be a dict, got {type(parameters).__name__}")
    missing = [k for k in keys if k not in parameters]
    if missing:
        raise ValueError(f"parameters is missing key(s) {missing}; expected keys {list(keys)}")


def require_shape(name, array, shape):
    """Raise ValueError unless ``array.shape == shape``; returns the array."""
    actual = np.shape(array)
    if actual != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {actual}")
    return array


def require_ndim(name, array, ndim, layout):
    """Raise ValueError unless ``array`` has ``ndim`` axes; ``layout`` names them."""
    actual = np.shape(array)
    if len(actual) != ndim:
        raise ValueError(f"{name} must be {ndim}-D with shape {layout}, got shape {actual}")
    return array
