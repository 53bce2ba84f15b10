"""Reference computations that chapters, tests and benchmarks share: one home for each.

PyTorch is imported inside the functions that need it, so ``import bptt`` stays
light.  These are oracles and set-ups, not teaching code: the chapters derive
what they compute.
"""

import numpy as np

from .explorer import explorer_inputs
from .shapes import require_bool, require_integer, require_real

ACTIVATION_NAMES = ("tanh", "sigmoid", "relu", "identity")


def torch_activation(name):
    """The torch function of the activation ``name`` (tanh, sigmoid, relu, identity).

    Raises:
        ValueError: an unknown name.
    """
    import torch

    table = {
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "relu": torch.relu,
        "identity": lambda a: a,
    }
    if name not in table:
        raise ValueError(f"name must be one of {list(table)}, got {name!r:.40}")
    return table[name]


def brute_force_gradient_norms(sigma1, T, activation, residual, n, seed=0):
    """‖(∂h_T/∂h_k)ᵀ v‖ for k = 0 … T, each Jacobian of the unrolled map taken by torch.autograd.

    The explorer's network (``bptt.explorer_inputs(n, seed)``: U = σ₁ Q, W, x, v), the step
    h_t = f(U h_{t-1} + W x_t) or, with ``residual``, h_{t-1} + f(·); float64, h_0 = 0.
    The oracle for ``gradient_norm_curve``.  Returns a float64 array of T + 1 norms.

    Raises:
        ValueError: sigma1 not a finite number ≥ 0; T, n, seed not integers (T ≥ 0, n ≥ 1, seed ≥ 0);
            residual not a bool; an unknown activation.
    """
    import torch

    sigma1 = require_real("sigma1", sigma1, low=0.0)
    T, n = require_integer("T", T, 0), require_integer("n", n, 1)
    residual = require_bool("residual", residual)
    f = torch_activation(activation)
    d = explorer_inputs(n, require_integer("seed", seed, 0))
    U, W, x, v = (
        torch.tensor(a, dtype=torch.float64)
        for a in (sigma1 * d["Q"], d["W"], d["x"], d["v"])
    )

    def step(h, t):
        out = f(U @ h + W @ x[t])
        return h + out if residual else out

    states = [torch.zeros(n, dtype=torch.float64)]
    for t in range(T):
        states.append(step(states[-1], t))
    norms = []
    for k in range(T + 1):

        def unrolled(h, k=k):
            for t in range(k, T):
                h = step(h, t)
            return h

        J = (
            torch.autograd.functional.jacobian(unrolled, states[k])
            if k < T
            else torch.eye(n, dtype=torch.float64)
        )
        norms.append(torch.linalg.norm(J.T @ v).item())
    return np.array(norms)


def char_rnn_parameters(n_a, vocab, seed):
    """The character RNN's initial parameters: Gaussian / √fan-in weights, zero biases (chapters/training).

    Returns a dict Wax (n_a, vocab), Waa (n_a, n_a), Wya (vocab, n_a), ba (n_a, 1), by (vocab, 1).

    Raises:
        ValueError: n_a, vocab not integers ≥ 1 or seed not an integer ≥ 0.
    """
    n_a, vocab = require_integer("n_a", n_a, 1), require_integer("vocab", vocab, 1)
    rng = np.random.default_rng(require_integer("seed", seed, 0))
    return {
        "Wax": rng.standard_normal((n_a, vocab)) / np.sqrt(vocab),
        "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
        "Wya": rng.standard_normal((vocab, n_a)) / np.sqrt(n_a),
        "ba": np.zeros((n_a, 1)),
        "by": np.zeros((vocab, 1)),
    }
