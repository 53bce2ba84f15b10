"""Parameters of the stacked and bidirectional RNN of :mod:`bptt.deep`: a seeded
draw, and the conversion from a ``torch.nn.RNN`` state dict.
"""

import numpy as np

from .shapes import (
    float_array,
    require_bool,
    require_integer,
    require_keys,
    require_ndim,
    require_real,
)

DIRECTIONS = ("fwd", "bwd")


def random_deep_rnn_parameters(
    M, D, num_layers=2, bidirectional=True, seed=0, scale=1.0
):
    """Parameters for :func:`deep_rnn_forward`: entries N(0, scale²/D) (U) and N(0, 1/fan-in) (W), b ~ N(0, 0.1²).

    Raises:
        ValueError: M, D, num_layers not integers ≥ 1, bidirectional not a bool, seed not an integer ≥ 0,
            scale not a finite real > 0.
    """
    M, D, num_layers = (
        require_integer("M", M, 1),
        require_integer("D", D, 1),
        require_integer("num_layers", num_layers, 1),
    )
    bidirectional = require_bool("bidirectional", bidirectional)
    seed = require_integer("seed", seed, 0)
    scale = require_real("scale", scale, low=0, low_open=True)
    rng = np.random.default_rng(seed)
    dirs = DIRECTIONS if bidirectional else DIRECTIONS[:1]
    layers = []
    for l in range(num_layers):
        fan_in = M if l == 0 else D * len(dirs)
        layers.append(
            {
                d: {
                    "U": scale * rng.standard_normal((D, D)) / np.sqrt(D),
                    "W": rng.standard_normal((D, fan_in)) / np.sqrt(fan_in),
                    "b": 0.1 * rng.standard_normal(D),
                }
                for d in dirs
            }
        )
    return layers


def deep_rnn_from_torch_state(state, num_layers, bidirectional):
    """Our parameter list from a ``torch.nn.RNN`` state dict converted to NumPy arrays.

    Args:
        state: dict name -> float64 array, e.g. ``{k: v.detach().numpy() for k, v in rnn.state_dict().items()}``.

    Returns:
        list over layers of {"fwd": {"U", "W", "b"}[, "bwd": …]} with b = bias_ih + bias_hh.

    Raises:
        ValueError: num_layers not an integer ≥ 1, bidirectional not a bool, state not a dict with exactly the
            keys of such an RNN (with biases), or an entry not a finite float array of torch's shape.
    """
    num_layers = require_integer("num_layers", num_layers, 1)
    bidirectional = require_bool("bidirectional", bidirectional)
    dirs = DIRECTIONS if bidirectional else DIRECTIONS[:1]
    suffixes = [
        (l, d, f"_l{l}" + ("_reverse" if d == "bwd" else ""))
        for l in range(num_layers)
        for d in dirs
    ]
    keys = [
        k + s
        for _, _, s in suffixes
        for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    require_keys(state, keys, "state")
    extra = sorted(set(state) - set(keys))
    if extra:
        raise ValueError(
            f"state has key(s) {extra} beyond num_layers={num_layers}, bidirectional={bidirectional}"
        )
    D, M = require_ndim(
        "state['weight_ih_l0']", state["weight_ih_l0"], 2, "(D, M)"
    ).shape
    arrays = {}
    for l, _, s in suffixes:
        fan_in = M if l == 0 else D * len(dirs)
        for k, shape in (
            ("weight_ih", (D, fan_in)),
            ("weight_hh", (D, D)),
            ("bias_ih", (D,)),
            ("bias_hh", (D,)),
        ):
            arrays[k + s] = float_array(
                f"state['{k + s}']",
                state[k + s],
                len(shape),
                str(shape),
                shape=shape,
                source="D, M from state['weight_ih_l0']",
            )
    out = []
    for l in range(num_layers):
        layer = {}
        for d in dirs:
            s = f"_l{l}" + ("_reverse" if d == "bwd" else "")
            layer[d] = {
                "U": arrays["weight_hh" + s],
                "W": arrays["weight_ih" + s],
                "b": arrays["bias_ih" + s] + arrays["bias_hh" + s],
            }
        out.append(layer)
    return out
