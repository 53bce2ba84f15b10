"""Cross-entropy output layer and the training loop against finite differences and autograd."""

import numpy as np
import pytest
import torch

from bptt import numerical_gradient, random_rnn_parameters, relative_error, rnn_forward
from bptt.train import (
    TINY_TEXT,
    char_windows,
    cross_entropy_backward,
    cross_entropy_loss,
    one_hot,
    rnn_loss_and_grads,
    train_rnn,
)


def make_case(seed=0, n_x=3, n_a=5, n_y=4, m=3, T_x=6):
    rng = np.random.default_rng(seed)
    parameters = random_rnn_parameters(n_x, n_a, n_y, rng)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    labels = rng.integers(0, n_y, size=(m, T_x))
    return x, a0, labels, parameters


def test_one_hot_layout():
    idx = np.array([[0, 2], [1, 1]])
    out = one_hot(idx, 3)
    assert out.shape == (3, 2, 2)
    for i in range(2):
        for t in range(2):
            np.testing.assert_array_equal(out[:, i, t], np.eye(3)[idx[i, t]])


def test_cross_entropy_loss_closed_form():
    y_pred = np.full((4, 2, 3), 0.25)
    assert np.isclose(
        cross_entropy_loss(y_pred, np.zeros((2, 3), dtype=int)), np.log(4), rtol=1e-15
    )


def test_output_layer_gradient_matches_finite_differences():
    x, a0, labels, parameters = make_case()
    a, y_pred, _ = rnn_forward(x, a0, parameters)
    grads = cross_entropy_backward(a, y_pred, labels, parameters)

    def loss_of(name):
        def f(value):
            p = dict(parameters, **{name: value})
            return cross_entropy_loss(rnn_forward(x, a0, p)[1], labels)

        return f

    for name in ("Wya", "by"):
        num = numerical_gradient(loss_of(name), parameters[name])
        assert relative_error(grads["d" + name], num) < 1e-7

    def loss_of_a(
        a_value,
    ):  # the output layer alone, as a function of the hidden states
        z = (
            np.einsum("ya,amt->ymt", parameters["Wya"], a_value)
            + parameters["by"][:, :, None]
        )
        e = np.exp(z - z.max(axis=0))
        return cross_entropy_loss(e / e.sum(axis=0), labels)

    assert relative_error(grads["da"], numerical_gradient(loss_of_a, a)) < 1e-7


def test_full_gradient_matches_autograd():
    x, a0, labels, parameters = make_case(seed=1)
    loss, grads = rnn_loss_and_grads(x, labels, a0, parameters)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    h, logits = torch.tensor(a0), []
    for step in range(x.shape[2]):
        h = torch.tanh(t["Wax"] @ torch.tensor(x[:, :, step]) + t["Waa"] @ h + t["ba"])
        logits.append((t["Wya"] @ h + t["by"]).T)  # (m, n_y)
    logits = torch.stack(logits, dim=1).reshape(-1, parameters["Wya"].shape[0])
    ref = torch.nn.functional.cross_entropy(logits, torch.tensor(labels).reshape(-1))
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12 * abs(loss)
    for k in parameters:
        assert relative_error(grads["d" + k], t[k].grad.numpy()) < 1e-10, k


def test_loss_and_backward_reject_bad_labels():
    x, a0, labels, parameters = make_case()
    a, y_pred, _ = rnn_forward(x, a0, parameters)
    with pytest.raises(
        ValueError, match=r"labels must have shape \(3, 6\), got \(6, 3\)"
    ):
        cross_entropy_loss(y_pred, labels.T)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 4\)"):
        cross_entropy_loss(y_pred, labels + 4)
    with pytest.raises(ValueError, match=r"labels must be integer"):
        cross_entropy_loss(y_pred, labels.astype(float))
    with pytest.raises(
        ValueError, match=r"a must have shape \(5, 3, 6\), got \(5, 3, 5\)"
    ):
        cross_entropy_backward(a[:, :, :5], y_pred, labels, parameters)
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 2\)"):
        one_hot(np.array([[0, 2]]), 2)


def _copy_task(seed=0, n=3, T=6, m=16):
    """Predict the symbol seen one step earlier (a lag-1 echo), one-hot inputs."""

    def get_batch(i):
        rng = np.random.default_rng([seed, i])
        seq = rng.integers(0, n, size=(m, T + 1))
        return one_hot(seq[:, 1:], n), seq[:, :-1]

    return get_batch


def _init(n_x, n_a, n_y, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
        "Waa": scale * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
        "Wya": rng.standard_normal((n_y, n_a)) / np.sqrt(n_a),
        "ba": np.zeros((n_a, 1)),
        "by": np.zeros((n_y, 1)),
    }


def test_train_rnn_learns_lag_one_echo_and_is_deterministic():
    get_batch = _copy_task()
    p0 = _init(3, 8, 3)
    saved = {k: v.copy() for k, v in p0.items()}
    p1, h1 = train_rnn(p0, get_batch, 300, learning_rate=0.03)
    p2, h2 = train_rnn(p0, get_batch, 300, learning_rate=0.03)
    for k in p0:
        np.testing.assert_array_equal(
            p0[k], saved[k]
        )  # the caller's parameters are not trained
        np.testing.assert_array_equal(p1[k], p2[k])
    np.testing.assert_array_equal(h1["loss"], h2["loss"])
    assert h1["loss"][0] > 1.0 and h1["loss"][-20:].mean() < 0.3
    x, labels = get_batch(10_000)
    _, y_pred, _ = rnn_forward(x, np.zeros((8, x.shape[1])), p1)
    accuracy = (
        y_pred.argmax(axis=0)[:, 1:] == labels[:, 1:]
    ).mean()  # step 0 has no previous symbol
    assert accuracy > 0.95


def test_train_rnn_records_norm_before_clipping():
    get_batch = _copy_task(seed=3)
    p0 = _init(3, 8, 3, scale=3.0)
    _, h_clip = train_rnn(p0, get_batch, 5, max_norm=1e-3)
    _, h_free = train_rnn(p0, get_batch, 1)
    assert h_clip["grad_norm"][0] == pytest.approx(h_free["grad_norm"][0], rel=1e-14)
    assert h_clip["grad_norm"][0] > 1e-3
    x, labels = get_batch(0)
    _, grads = rnn_loss_and_grads(x, labels, np.zeros((8, x.shape[1])), p0)
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    assert h_free["grad_norm"][0] == pytest.approx(norm, rel=1e-14)


def test_train_rnn_history_update_rms_and_adam_state():
    get_batch = _copy_task(seed=5)
    p0 = _init(3, 8, 3)
    p1, h1 = train_rnn(p0, get_batch, 1, learning_rate=0.1)
    # At t = 1 every entry with a non-negligible gradient moves by α (m̂ = g, √ŝ = |g|).
    x, labels = get_batch(0)
    _, grads = rnn_loss_and_grads(x, labels, np.zeros((8, x.shape[1])), p0)
    for k in p0:
        g = grads["d" + k]
        expected = np.sqrt(np.mean((0.1 * g / (np.abs(g) + 1e-8)) ** 2))
        assert h1["update_rms"][k][0] == pytest.approx(expected, rel=1e-12)
        assert h1["update_rms"][k][0] == pytest.approx(
            np.sqrt(np.mean((p1[k] - p0[k]) ** 2)), rel=1e-12
        )
        np.testing.assert_allclose(h1["adam"]["v"]["d" + k], 0.1 * g, rtol=1e-14)
    assert h1["adam"]["t"] == 1
    _, h3 = train_rnn(p0, get_batch, 3)
    assert h3["adam"]["t"] == 3 and all(len(r) == 3 for r in h3["update_rms"].values())


def test_train_rnn_burst_multiplies_the_gradient_only_inside_it():
    get_batch = _copy_task(seed=7)
    p0 = _init(3, 8, 3)
    _, plain = train_rnn(p0, get_batch, 4)
    _, burst = train_rnn(p0, get_batch, 4, burst=(1, 2, 1e3))
    assert (
        burst["grad_norm"][0] == plain["grad_norm"][0]
    )  # before the burst: the same run
    assert burst["grad_norm"][1] > 100 * plain["grad_norm"][1]
    # clipping acts on the multiplied gradient: the recorded norm is the burst's, the step is clipped
    _, clipped = train_rnn(p0, get_batch, 2, max_norm=1.0, burst=(1, 1, 1e3))
    assert clipped["grad_norm"][1] == pytest.approx(burst["grad_norm"][1], rel=1e-12)


def test_train_rnn_rejects_zero_iterations():
    with pytest.raises(ValueError, match="num_iterations must be >= 1"):
        train_rnn(_init(3, 4, 3), _copy_task(), 0)


def test_char_windows_shift_targets_by_one_and_are_reproducible():
    chars = sorted(set(TINY_TEXT))
    data = np.array([chars.index(c) for c in TINY_TEXT])
    get_batch = char_windows(data, len(chars), 20, 4, seed=7)
    x, labels = get_batch(3)
    assert x.shape == (len(chars), 4, 20) and labels.shape == (4, 20)
    inputs = x.argmax(axis=0)
    np.testing.assert_array_equal(
        inputs[:, 1:], labels[:, :-1]
    )  # target t is input t + 1
    text = "".join(chars[i] for i in np.concatenate([inputs[0], labels[0, -1:]]))
    assert text in TINY_TEXT
    x2, labels2 = char_windows(data, len(chars), 20, 4, seed=7)(3)
    np.testing.assert_array_equal(labels, labels2)
    with pytest.raises(ValueError, match="windows of T_x = 400 need more"):
        char_windows(data, len(chars), 400, 4, seed=0)


def test_train_rnn_progress_bar_goes_to_stderr(capsys):
    train_rnn(_init(3, 4, 3), _copy_task(), 3, progress=True, desc="tiny")
    captured = capsys.readouterr()
    assert "tiny: 100%" in captured.err and "3/3" in captured.err
    assert captured.out == ""
