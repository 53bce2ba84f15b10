"""Exercise 6-7: a recursive network on a chain is the simple RNN; BPTS against autograd."""

import numpy as np
import pytest
import torch

from bptt import (
    error_terms,
    gradients_double_sum,
    numerical_gradient,
    relative_error,
    srn_forward,
)
from bptt.deep import srn_backward
from bptt.recursive import chain_tree, recursive_backward, recursive_forward


@pytest.mark.parametrize("f", ["tanh", "sigmoid"])
def test_chain_equals_srn_forward_and_gradients(f):
    rng = np.random.default_rng(0)
    T, M, D = 6, 3, 4
    x, h0 = rng.standard_normal((T, M)), rng.standard_normal(D)
    U, W, b = (
        0.8 * rng.standard_normal((D, D)),
        rng.standard_normal((D, M)),
        rng.standard_normal(D),
    )
    c = rng.standard_normal((T, D))
    z, h = srn_forward(x, h0, U, W, b, f)
    zr, hr, cache = recursive_forward([h0, *x], chain_tree(T), np.hstack([U, W]), b, f)
    assert (
        relative_error(zr, z) < 1e-15 and relative_error(hr, h[1:]) < 1e-15
    )  # same sums, maybe another order
    g = recursive_backward(c, cache)
    dU, dW, db = gradients_double_sum(error_terms(z, U, c, f), h, x)
    assert relative_error(g["dW"], np.hstack([dU, dW])) < 1e-13
    assert relative_error(g["db"], db) < 1e-13
    one_pass = srn_backward(z, h, x, U, W, c, f)
    assert relative_error(g["delta"], one_pass["delta"]) < 1e-13
    assert relative_error(np.array(g["dleaves"][1:]), one_pass["dx"]) < 1e-13
    assert relative_error(g["dleaves"][0], one_pass["dh0"]) < 1e-13


def test_nndl_tree_equals_autograd_and_finite_differences():
    rng = np.random.default_rng(1)
    D = 3
    leaves = [rng.standard_normal(D) for _ in range(4)]
    children = [
        (0, 1),
        (2, 3),
        (4, 5),
    ]  # NNDL §6.8.1: h1 = f(W[x1; x2]), h2 = f(W[x3; x4]), h3 = f(W[h1; h2])
    W, b = rng.standard_normal((D, 2 * D)), rng.standard_normal(D)
    c = rng.standard_normal((3, D))
    _, _, cache = recursive_forward(leaves, children, W, b)
    g = recursive_backward(c, cache)

    def loss(W=W, b=b):
        return np.sum(c * recursive_forward(leaves, children, W, b)[1])

    assert relative_error(g["dW"], numerical_gradient(lambda v: loss(W=v), W)) < 1e-7
    assert relative_error(g["db"], numerical_gradient(lambda v: loss(b=v), b)) < 1e-7
    tW, tb = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
    tl = [torch.tensor(v, requires_grad=True) for v in leaves]
    h1 = torch.tanh(tW @ torch.cat([tl[0], tl[1]]) + tb)
    h2 = torch.tanh(tW @ torch.cat([tl[2], tl[3]]) + tb)
    h3 = torch.tanh(tW @ torch.cat([h1, h2]) + tb)
    (torch.stack([h1, h2, h3]) * torch.tensor(c)).sum().backward()
    assert relative_error(g["dW"], tW.grad.numpy()) < 1e-13
    for ours, theirs in zip(g["dleaves"], tl):
        assert relative_error(ours, theirs.grad.numpy()) < 1e-13


def test_refuses_bad_trees():
    leaves = [np.zeros(2), np.zeros(2)]
    with pytest.raises(ValueError, match="children among"):
        recursive_forward(leaves, [(0, 2)], np.zeros((2, 4)), np.zeros(2))
    with pytest.raises(ValueError, match="stack to 4 entries, W has 3"):
        recursive_forward(leaves, [(0, 1)], np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="T must be"):
        chain_tree(0)
