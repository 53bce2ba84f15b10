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
    """Raise ValueError unless ``array`` is an array with ``ndim`` axes; ``layout`` names them.

    Lists are refused rather than converted: the functions store their inputs
    in caches, and a cache must hold what the backward pass can slice.
    """
    if not hasattr(array, "shape"):
        raise ValueError(f"{name} must be an array of shape {layout}, got {type(array).__name__}")
    actual = np.shape(array)
    if len(actual) != ndim:
        raise ValueError(f"{name} must be {ndim}-D with shape {layout}, got shape {actual}")
    return array
