"""The language model's training again in PyTorch (``torch.nn.RNN``, float64)."""

import numpy as np

from ..shapes import (
    require_real,
)
from .corpus import check_lm_batches, lm_batches_unchecked, positive_int
from .training import check_lm_parameters


def train_lm_torch(
    parameters,
    train_ids,
    *,
    m,
    K,
    epochs,
    mode="stateful",
    learning_rate=0.01,
    max_norm=None,
    seed=0,
    max_iterations=None,
):
    """The same training with ``torch.nn.RNN``, a ``Linear`` readout and ``torch.optim.Adam`` (float64).

    Wax, Waa, ba → weight_ih_l0, weight_hh_l0, bias_ih_l0; bias_hh_l0 = 0 and
    frozen (PyTorch adds both biases); Wya, by → Linear weight, bias.  Same
    batches as :func:`train_lm`; ``h.detach()`` cuts the gradient between
    chunks.

    Returns:
        (parameters, losses): the trained weights in the course's dict and
        the loss of every iteration (a float array).

    Raises:
        ValueError: as train_lm, for the arguments they share.
    """
    import torch

    p0, n_a, n_x = check_lm_parameters(parameters)
    parameters = dict(parameters) | {
        k: np.asarray(p0[k], dtype=np.float64)
        for k in ("Wax", "Waa", "Wya", "ba", "by")
    }
    batches = check_lm_batches(train_ids, m, K, epochs, mode, seed, n_x, "train_ids")
    learning_rate = require_real("learning_rate", learning_rate, low=0, low_open=True)
    if max_norm is not None:
        max_norm = require_real("max_norm", max_norm, low=0, low_open=True)
    if max_iterations is not None:
        max_iterations = positive_int("max_iterations", max_iterations)
    rnn = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=torch.float64)
    readout = torch.nn.Linear(n_a, n_x, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(parameters["Wax"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(parameters["Waa"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(parameters["ba"][:, 0]))
        rnn.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(parameters["Wya"]))
        readout.bias.copy_(torch.from_numpy(parameters["by"][:, 0]))
    rnn.bias_hh_l0.requires_grad_(False)
    trained = [
        rnn.weight_ih_l0,
        rnn.weight_hh_l0,
        rnn.bias_ih_l0,
        readout.weight,
        readout.bias,
    ]
    optimizer = torch.optim.Adam(trained, lr=learning_rate)
    batches = list(lm_batches_unchecked(*batches))[:max_iterations]
    h = torch.zeros(1, m, n_a, dtype=torch.float64)
    losses = []
    threads = torch.get_num_threads()
    torch.set_num_threads(
        1
    )  # tiny matrices: extra threads only spin (20x slower on a busy machine)
    try:
        for x_ids, y_ids, carry in batches:
            h = h.detach() if carry else torch.zeros(1, m, n_a, dtype=torch.float64)
            x = torch.nn.functional.one_hot(torch.from_numpy(x_ids.T), n_x).to(
                torch.float64
            )  # (L, m, vocab)
            a, h = rnn(x, h)
            logits = readout(a)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, n_x), torch.from_numpy(y_ids.T).reshape(-1)
            )
            optimizer.zero_grad()
            loss.backward()
            if max_norm is not None:
                torch.nn.utils.clip_grad_norm_(trained, max_norm)
            optimizer.step()
            losses.append(loss.item())
    finally:
        torch.set_num_threads(threads)
    out = dict(zip(("Wax", "Waa", "ba", "Wya", "by"), trained))
    return {
        k: t.detach().numpy().reshape(parameters[k].shape).copy()
        for k, t in out.items()
    }, np.array(losses)
