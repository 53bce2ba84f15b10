"""A recursive neural network (NNDL §6.8.1) and backpropagation through structure.

A tree (or any directed acyclic graph) is given by its leaves and, for each
internal node in topological order, the ids of its children.  Leaves have ids
0 … L-1 and the i-th internal node has id L + i.  Every internal node computes

    h_i = f(z_i),   z_i = W [h_{c_1}; h_{c_2}; …] + b,

with one W and one b shared by all nodes (NNDL's h_3 = σ(W [h_1; h_2] + b)).
The gradient is backpropagation through structure (Goller & Küchler, 1996):
error terms δ_i = ∂L/∂z_i run from the root to the leaves, each node adding
its own loss gradient to the block of Wᵀ δ_parent that belongs to it.
"""

import numpy as np

from .activations import activation
from .shapes import require_ndim


def chain_tree(T):
    """The chain: leaf 0 is h_0, leaves 1 … T are x_1 … x_T, node t combines (node t-1, x_t).

    Returns:
        children: list of T pairs; internal node t (id T + t) has children
        (t = 1: leaf 0; t > 1: internal node t-1) and leaf t.
    """
    if T < 1:
        raise ValueError(f"T must be at least 1, got {T}")
    L = T + 1
    return [(0 if t == 1 else L + t - 2, t) for t in range(1, T + 1)]


def _check_tree(leaves, children, W, b):
    L = len(leaves)
    for j, leaf in enumerate(leaves):
        require_ndim(f"leaves[{j}]", leaf, 1, "(dim,)")
    D = require_ndim("W", W, 2, "(D, sum of child dims)").shape[0]
    if np.shape(b) != (D,):
        raise ValueError(f"b must have shape ({D},), got {np.shape(b)}")
    dims = [leaf.shape[0] for leaf in leaves]
    for i, kids in enumerate(children):
        if not kids or any(not 0 <= c < L + i for c in kids):
            raise ValueError(f"internal node {L + i} must have children among the ids 0 … {L + i - 1}, got {kids}")
        width = sum(dims[c] for c in kids)
        if width != W.shape[1]:
            raise ValueError(f"internal node {L + i}: its children stack to {width} entries, W has {W.shape[1]} columns")
        dims.append(D)


def recursive_forward(leaves, children, W, b, f="tanh"):
    """Evaluate the recursive network bottom-up.

    Args:
        leaves: list of 1-D float arrays (the inputs; in a chain also h_0).
        children: list of tuples of node ids, one per internal node, in
            topological order (children before parents).
        W: shared weights, shape (D, total size of one node's stacked children).
        b: shared bias, shape (D,).  f: activation name.

    Returns:
        (z, h, cache): z (N, D) net inputs and h (N, D) states of the N internal
        nodes (row i is node id L + i); cache for recursive_backward.

    Raises:
        ValueError: a child id that is not an earlier node, or children whose
            stacked size does not match W.
    """
    _check_tree(leaves, children, W, b)
    fn, _, _ = activation(f)
    nodes = list(leaves)
    z = np.zeros((len(children), W.shape[0]))
    for i, kids in enumerate(children):
        z[i] = W @ np.concatenate([nodes[c] for c in kids]) + b
        nodes.append(fn(z[i]))
    h = np.array(nodes[len(leaves):])
    return z, h, {"nodes": nodes, "children": children, "W": W, "z": z, "f": f, "L": len(leaves)}


def recursive_backward(dL_dh, cache):
    """Backpropagation through structure.

    δ_i = f'(z_i) ⊙ (∂L/∂h_i|_own + the block of Wᵀ δ_p for each parent p of i),
    ∂L/∂W = Σ_i δ_i [h_{c_1}; h_{c_2}; …]ᵀ,  ∂L/∂b = Σ_i δ_i.

    Args:
        dL_dh: gradient of the loss with respect to each internal node's own
            state (not through its parents), shape (N, D).
        cache: from recursive_forward.

    Returns:
        dict with dW, db, delta (N, D) and dleaves (list of the leaves' gradients).
    """
    _, f_prime, _ = activation(cache["f"])
    nodes, children, W, z, L = cache["nodes"], cache["children"], cache["W"], cache["z"], cache["L"]
    N, D = z.shape
    if np.shape(dL_dh) != (N, D):
        raise ValueError(f"dL_dh must have shape ({N}, {D}), got {np.shape(dL_dh)}")
    grad = [np.zeros_like(v) for v in nodes[:L]] + [np.array(g, dtype=float) for g in dL_dh]
    dW, db, delta = np.zeros_like(W), np.zeros(D), np.zeros((N, D))
    for i in reversed(range(N)):  # parents before children
        kids = children[i]
        delta[i] = f_prime(z[i]) * grad[L + i]
        stacked = np.concatenate([nodes[c] for c in kids])
        dW += np.outer(delta[i], stacked)
        db += delta[i]
        back, start = W.T @ delta[i], 0
        for c in kids:  # hand each child its block of Wᵀ δ_i
            size = nodes[c].shape[0]
            grad[c] = grad[c] + back[start:start + size]
            start += size
    return {"dW": dW, "db": db, "delta": delta, "dleaves": grad[:L]}
