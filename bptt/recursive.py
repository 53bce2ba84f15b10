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
from .shapes import float_array, require_integer, require_ndim


def chain_tree(T):
    """The chain: leaf 0 is h_0, leaves 1 … T are x_1 … x_T, node t combines (node t-1, x_t).

    Returns:
        children: list of T pairs; internal node t (id T + t) has children
        (t = 1: leaf 0; t > 1: internal node t-1) and leaf t.

    Raises:
        ValueError: T not an integer ≥ 1.
    """
    T = require_integer("T", T, 1)
    L = T + 1
    return [(0 if t == 1 else L + t - 2, t) for t in range(1, T + 1)]


def _check_tree(leaves, children, W, b):
    """Validate a tree; return (leaves, children, W, b) as float arrays and tuples of int ids."""
    if not isinstance(leaves, list) or not leaves:
        raise ValueError(
            f"leaves must be a non-empty list of 1-D arrays, got {type(leaves).__name__} {leaves!r:.40}"
        )
    leaves = [
        float_array(f"leaves[{j}]", leaf, 1, "(dim,)") for j, leaf in enumerate(leaves)
    ]
    D = require_ndim("W", W, 2, "(D, sum of child dims)").shape[0]
    W = float_array("W", W, 2, "(D, sum of child dims)")
    b = float_array("b", b, 1, "(D,)", shape=(D,), source="D from W")
    if not isinstance(children, list) or not children:
        raise ValueError(
            f"children must be a non-empty list of tuples of node ids, got {type(children).__name__} {children!r:.40}"
        )
    L = len(leaves)
    dims = [leaf.shape[0] for leaf in leaves]
    checked = []
    for i, kids in enumerate(children):
        ok = (
            isinstance(kids, (tuple, list))
            and kids
            and all(
                isinstance(c, (int, np.integer))
                and not isinstance(c, (bool, np.bool_))
                and 0 <= c < L + i
                for c in kids
            )
        )
        if not ok:
            raise ValueError(
                f"children[{i}]: internal node {L + i} must have children among the ids 0 … {L + i - 1} "
                f"(a tuple of integers), got {kids!r:.40}"
            )
        kids = tuple(int(c) for c in kids)
        width = sum(dims[c] for c in kids)
        if width != W.shape[1]:
            raise ValueError(
                f"children[{i}] (internal node {L + i}): its children stack to {width} "
                f"entries, W has {W.shape[1]} columns"
            )
        dims.append(D)
        checked.append(kids)
    return leaves, checked, W, b


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
        ValueError: a child id that is not an earlier node, children whose stacked size does not match W,
            an unknown activation, leaves or children not non-empty lists, or an array that is not an ndarray
            of its shape, of a complex/bool/object/string dtype, with an empty axis or NaN/inf (integer and
            float16 arrays become float64).
    """
    fn, _, _ = activation(f)
    leaves, children, W, b = _check_tree(leaves, children, W, b)
    nodes = list(leaves)
    z = np.zeros((len(children), W.shape[0]))
    for i, kids in enumerate(children):
        z[i] = W @ np.concatenate([nodes[c] for c in kids]) + b
        nodes.append(fn(z[i]))
    h = np.array(nodes[len(leaves) :])
    return (
        z,
        h,
        {
            "nodes": nodes,
            "children": children,
            "W": W,
            "z": z,
            "f": f,
            "L": len(leaves),
        },
    )


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

    Raises:
        ValueError: a cache that is not recursive_forward's dict, or dL_dh not a finite float array (N, D)
            (integer and float16 are converted).
    """
    cache = _check_cache(cache)
    _, f_prime, _ = activation(cache["f"])
    nodes, children, W, z, L = (
        cache["nodes"],
        cache["children"],
        cache["W"],
        cache["z"],
        cache["L"],
    )
    N, D = z.shape
    dL_dh = float_array(
        "dL_dh",
        dL_dh,
        2,
        "(N, D)",
        shape=(N, D),
        source="N internal nodes, D from cache['W']",
    )
    grad = [np.zeros_like(v) for v in nodes[:L]] + [
        np.array(g, dtype=float) for g in dL_dh
    ]
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
            grad[c] = grad[c] + back[start : start + size]
            start += size
    return {"dW": dW, "db": db, "delta": delta, "dleaves": grad[:L]}


def _check_cache(cache):
    """Validate a recursive_forward cache; return it with its arrays as float."""
    if not isinstance(cache, dict) or set(cache) != {
        "nodes",
        "children",
        "W",
        "z",
        "f",
        "L",
    }:
        keys = sorted(cache) if isinstance(cache, dict) else type(cache).__name__
        raise ValueError(
            f"cache must be the dict (nodes, children, W, z, f, L) from recursive_forward, got {keys}"
        )
    activation(cache["f"])
    L = cache["L"]
    if (
        isinstance(L, bool)
        or not isinstance(L, int)
        or not isinstance(cache["nodes"], list)
        or not 1 <= L < len(cache["nodes"])
    ):
        raise ValueError(
            "cache['L'] must be the number of leaves, below the length of cache['nodes']"
        )
    leaves, children, W, _ = _check_tree(
        cache["nodes"][:L],
        cache["children"],
        cache["W"],
        np.zeros(np.shape(cache["W"])[:1]),
    )
    N, D = len(children), W.shape[0]
    z = float_array("cache['z']", cache["z"], 2, "(N, D)", shape=(N, D))
    states = [
        float_array(f"cache['nodes'][{L + i}]", v, 1, "(D,)", shape=(D,))
        for i, v in enumerate(cache["nodes"][L:])
    ]
    if len(states) != N:
        raise ValueError(
            f"cache['nodes'] must hold the {L} leaves and {N} internal states, got {len(cache['nodes'])} entries"
        )
    return dict(cache, nodes=leaves + states, children=children, W=W, z=z)
