"""Adam and clipping by global norm against torch.optim.Adam, clip_grad_norm_ and closed forms."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bptt import (
    clip_grad_norm,
    initialize_adam,
    relative_error,
    rnn_backward,
    rnn_forward,
    update_parameters_with_adam,
)

# --------------------------------------------------------------------------
# A real problem: the simple RNN with a softmax cross-entropy loss.


def rnn_problem(seed=0, n_x=4, n_a=6, n_y=3, m=5, T_x=7):
    rng = np.random.default_rng(seed)
    parameters = {
        "Wax": rng.standard_normal((n_a, n_x)) / 2,
        "Waa": rng.standard_normal((n_a, n_a)) / 2,
        "Wya": rng.standard_normal((n_y, n_a)) / 2,
        "ba": np.zeros((n_a, 1)),
        "by": np.zeros((n_y, 1)),
    }
    x = rng.standard_normal((n_x, m, T_x))
    labels = rng.integers(0, n_y, size=(m, T_x))
    return parameters, x, labels


def rnn_ce_gradients(parameters, x, labels):
    """Cross-entropy loss and gradients, written here from rnn_forward/rnn_backward."""
    n_a, m = parameters["Waa"].shape[0], x.shape[1]
    T_x = x.shape[2]
    a, y_pred, caches = rnn_forward(x, np.zeros((n_a, m)), parameters)
    target = np.zeros_like(y_pred)
    for i in range(m):
        for t in range(T_x):
            target[labels[i, t], i, t] = 1.0
    loss = -np.sum(target * np.log(y_pred)) / (m * T_x)
    dz = (y_pred - target) / (m * T_x)
    da = np.stack([parameters["Wya"].T @ dz[:, :, t] for t in range(T_x)], axis=2)
    grads = rnn_backward(da, caches)
    grads["dWya"] = sum(dz[:, :, t] @ a[:, :, t].T for t in range(T_x))
    grads["dby"] = dz.sum(axis=(1, 2))[:, None]
    return loss, grads


@pytest.mark.parametrize("foreach", [False, True])
@pytest.mark.parametrize(
    "hyper",
    [
        dict(learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8),
        dict(learning_rate=0.003, beta1=0.8, beta2=0.99, epsilon=1e-6),
    ],
)
def test_adam_equals_torch_adam_on_rnn_over_120_steps(hyper, foreach):
    parameters, x, labels = rnn_problem()
    torch_params = {
        k: torch.tensor(p.copy(), requires_grad=True) for k, p in parameters.items()
    }
    opt = torch.optim.Adam(
        list(torch_params.values()),
        lr=hyper["learning_rate"],
        betas=(hyper["beta1"], hyper["beta2"]),
        eps=hyper["epsilon"],
        foreach=foreach,
    )
    v, s = initialize_adam(parameters)
    losses, worst = [], 0.0
    for t in range(1, 121):
        loss, grads = rnn_ce_gradients(parameters, x, labels)
        losses.append(loss)
        for k, p in torch_params.items():  # the same gradients go to both
            p.grad = torch.tensor(grads["d" + k])
        opt.step()
        parameters, v, s = update_parameters_with_adam(
            parameters, grads, v, s, t, **hyper
        )
        for k, p in torch_params.items():
            worst = max(worst, relative_error(parameters[k], p.detach().numpy()))
            state = opt.state[p]
            worst = max(worst, relative_error(v["d" + k], state["exp_avg"].numpy()))
            worst = max(worst, relative_error(s["d" + k], state["exp_avg_sq"].numpy()))
    assert worst <= 1e-12, worst
    assert losses[-1] < 0.8 * losses[0]  # a real optimisation happened


def test_first_step_uses_unbiased_moments():
    # t = 1: v̂ = g and ŝ = g², so the step is α g / (|g| + ε) (about α sign(g)).
    rng = np.random.default_rng(1)
    g = rng.standard_normal((3, 4))
    theta = rng.standard_normal((3, 4))
    parameters, grads = {"W": theta.copy()}, {"dW": g}
    v, s = initialize_adam(parameters)
    parameters, v, s = update_parameters_with_adam(
        parameters, grads, v, s, 1, learning_rate=0.1
    )
    np.testing.assert_allclose(v["dW"] / (1 - 0.9), g, rtol=1e-15, atol=0)
    np.testing.assert_allclose(s["dW"] / (1 - 0.999), g**2, rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        parameters["W"], theta - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-15
    )


def test_step_counter_enters_the_bias_correction():
    # Starting from zero moments with t = 2 (as the C2W2 test does) corrects by 1 − β², not 1 − β.
    g = np.array([[0.5, -2.0]])
    parameters = {"b": np.zeros((1, 2))}
    v, s = initialize_adam(parameters)
    update_parameters_with_adam(parameters, {"db": g}, v, s, 2, learning_rate=1.0)
    v_hat = 0.1 * g / (1 - 0.9**2)
    s_hat = 0.001 * g**2 / (1 - 0.999**2)
    np.testing.assert_allclose(
        parameters["b"], -v_hat / (np.sqrt(s_hat) + 1e-8), rtol=1e-14
    )


def test_bias_corrected_mean_of_constant_gradient_is_exact():
    g = np.array([[0.3, -1.5, 4.0]])
    parameters = {"w": np.zeros((1, 3))}
    v, s = initialize_adam(parameters)
    for t in range(1, 51):
        update_parameters_with_adam(parameters, {"dw": g}, v, s, t, learning_rate=1e-3)
        np.testing.assert_allclose(v["dw"], (1 - 0.9**t) * g, rtol=1e-14)
        np.testing.assert_allclose(s["dw"], (1 - 0.999**t) * g**2, rtol=1e-13)
        np.testing.assert_allclose(v["dw"] / (1 - 0.9**t), g, rtol=1e-14)


def test_eps_inside_sqrt_matters_for_tiny_second_moment():
    # Constant gradient g: v̂ = g, ŝ = g²; steps α g/(|g| + ε) and α g/√(g² + ε).
    g = np.array([[1e-6, -3e-5]])
    steps = {}
    for inside in (False, True):
        parameters = {"w": np.zeros((1, 2))}
        v, s = initialize_adam(parameters)
        update_parameters_with_adam(
            parameters, {"dw": g}, v, s, 1, eps_inside_sqrt=inside
        )
        steps[inside] = -parameters["w"]
    np.testing.assert_allclose(steps[False], 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-14)
    np.testing.assert_allclose(steps[True], 0.01 * g / np.sqrt(g**2 + 1e-8), rtol=1e-14)
    ratio = steps[True] / steps[False]
    assert ratio[0, 0] < 0.02  # √ŝ = 1e-6 ≪ √ε = 1e-4: the inside step is ~100× smaller
    assert 0.2 < ratio[0, 1] < 0.4  # √ŝ = 3e-5: still a large effect


def test_eps_inside_sqrt_is_negligible_for_ordinary_gradients():
    parameters, x, labels = rnn_problem(seed=2)
    runs = {}
    for inside in (False, True):
        p = dict(parameters)
        v, s = initialize_adam(p)
        for t in range(1, 11):
            _, grads = rnn_ce_gradients(p, x, labels)
            p, v, s = update_parameters_with_adam(
                p, grads, v, s, t, eps_inside_sqrt=inside
            )
        runs[inside] = p
    for k in parameters:
        err = relative_error(runs[True][k], runs[False][k])
        assert 0.0 < err < 1e-5, (k, err)


def test_update_replaces_entries_and_keeps_old_arrays():
    rng = np.random.default_rng(3)
    parameters = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((2, 1))}
    old = {k: p for k, p in parameters.items()}
    snapshot = {k: p.copy() for k, p in parameters.items()}
    grads = {
        "dW1": rng.standard_normal((2, 3)),
        "db1": rng.standard_normal((2, 1)),
        "dx": 1.0,
    }
    grads_copy = {k: np.copy(g) for k, g in grads.items()}
    v, s = initialize_adam(parameters)
    out = update_parameters_with_adam(parameters, grads, v, s, 1)
    assert out[0] is parameters and out[1] is v and out[2] is s
    for k in parameters:
        assert parameters[k] is not old[k]
        np.testing.assert_array_equal(old[k], snapshot[k])  # old arrays untouched
        assert not np.array_equal(parameters[k], snapshot[k])
    for k in grads:
        np.testing.assert_array_equal(grads[k], grads_copy[k])


def test_initialize_adam_names_and_shapes():
    parameters = {"W1": np.ones((3, 2)), "b1": np.ones((3, 1)), "Wya": np.ones((4, 3))}
    v, s = initialize_adam(parameters)
    assert list(v) == ["dW1", "db1", "dWya"] and list(s) == list(v)
    for k, p in parameters.items():
        assert v["d" + k].shape == p.shape and not v["d" + k].any()
        assert s["d" + k].shape == p.shape and not s["d" + k].any()
        assert v["d" + k] is not s["d" + k]


@pytest.mark.parametrize("t", [0, -1])
def test_adam_rejects_t_below_one(t):
    parameters = {"W": np.zeros((2, 2))}
    v, s = initialize_adam(parameters)
    with pytest.raises(
        ValueError, match=r"t is the 1-based step counter and must be >= 1"
    ):
        update_parameters_with_adam(parameters, {"dW": np.ones((2, 2))}, v, s, t)


@pytest.mark.parametrize("t", [1.0, 1.5, True, "1"])
def test_adam_rejects_non_integer_t(t):
    parameters = {"W": np.zeros((2, 2))}
    v, s = initialize_adam(parameters)
    with pytest.raises(ValueError, match=r"t must be an integer"):
        update_parameters_with_adam(parameters, {"dW": np.ones((2, 2))}, v, s, t)


def test_adam_lists_missing_keys():
    parameters = {
        "W1": np.zeros((2, 2)),
        "b1": np.zeros((2, 1)),
        "W2": np.zeros((1, 2)),
    }
    v, s = initialize_adam(parameters)
    del v["db1"]
    grads = {"dW1": np.zeros((2, 2))}
    with pytest.raises(ValueError) as info:
        update_parameters_with_adam(parameters, grads, v, s, 1)
    msg = str(info.value)
    assert "grads lacks ['db1', 'dW2']" in msg
    assert "v lacks ['db1']" in msg
    assert "; s lacks" not in msg


@pytest.mark.parametrize("which", ["grads", "v", "s"])
def test_adam_names_mismatched_shapes(which):
    parameters = {"W": np.zeros((2, 3))}
    v, s = initialize_adam(parameters)
    d = {"grads": {"dW": np.zeros((2, 3))}, "v": v, "s": s}
    d[which]["dW"] = np.zeros((3, 2))
    with pytest.raises(
        ValueError, match=rf"{which}\['dW'\] must have shape \(2, 3\), got \(3, 2\)"
    ):
        update_parameters_with_adam(parameters, d["grads"], d["v"], d["s"], 1)


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, -0.1), (0.9, 1.5)])
def test_adam_rejects_betas_outside_unit_interval(betas):
    parameters = {"W": np.zeros((1, 1))}
    v, s = initialize_adam(parameters)
    with pytest.raises(ValueError, match=r"beta[12] must lie in \[0, 1\)"):
        update_parameters_with_adam(
            parameters, {"dW": np.ones((1, 1))}, v, s, 1, beta1=betas[0], beta2=betas[1]
        )


def test_initialize_adam_rejects_non_dict():
    with pytest.raises(ValueError, match="parameters must be a dict"):
        initialize_adam([np.zeros(2)])


# --------------------------------------------------------------------------
# Clipping by global norm.


def torch_clip(grads, max_norm):
    """Run torch.nn.utils.clip_grad_norm_ on copies of grads; return (dict, norm)."""
    params = []
    for g in grads.values():
        p = torch.zeros(np.shape(g), dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(np.array(g, dtype=np.float64))
        params.append(p)
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return {k: p.grad.numpy() for k, p in zip(grads, params)}, float(norm)


def flat(grads):
    return np.concatenate([np.ravel(g) for g in grads.values()])


def l2(a):
    """Euclidean norm without under/overflow (entries from 1e-300 to 1e300)."""
    largest = np.max(np.abs(a))
    return float(largest * np.linalg.norm(a / largest)) if largest > 0 else 0.0


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 5.0, 1e3])
def test_clip_equals_torch_clip_grad_norm_on_rnn_gradients(max_norm):
    parameters, x, labels = rnn_problem(seed=4)
    parameters["Waa"] = 3.0 * parameters["Waa"]
    _, grads = rnn_ce_gradients(parameters, x, labels)
    grads = {k: grads[k] for k in ("dWax", "dWaa", "dba", "dWya", "dby")}
    clipped, norm = clip_grad_norm(grads, max_norm)
    expected, expected_norm = torch_clip(grads, max_norm)
    assert relative_error(norm, expected_norm) < 1e-14
    for k in grads:
        assert relative_error(clipped[k], expected[k]) < 1e-14
    assert math.isclose(norm, np.linalg.norm(flat(grads)), rel_tol=1e-14)


def test_clip_preserves_direction_and_caps_norm():
    rng = np.random.default_rng(5)
    grads = {"dW": 10 * rng.standard_normal((4, 3)), "db": rng.standard_normal((4, 1))}
    clipped, norm = clip_grad_norm(grads, 1.0)
    a, b = flat(grads), flat(clipped)
    cosine = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert abs(cosine - 1.0) < 1e-15
    assert norm > 1.0
    assert np.linalg.norm(b) <= 1.0
    np.testing.assert_allclose(
        np.linalg.norm(b), 1.0 * norm / (norm + 1e-6), rtol=1e-14
    )
    # one common factor for every array, not a per-array clip
    np.testing.assert_allclose(
        clipped["dW"] / grads["dW"], clipped["db"][0, 0] / grads["db"][0, 0]
    )


def test_clip_leaves_small_gradients_untouched_and_inputs_unmodified():
    rng = np.random.default_rng(6)
    grads = {
        "dW": 0.01 * rng.standard_normal((3, 3)),
        "db": 0.01 * rng.standard_normal((3, 1)),
    }
    saved = {k: g.copy() for k, g in grads.items()}
    clipped, norm = clip_grad_norm(grads, 5.0)
    assert norm < 5.0
    for k in grads:
        np.testing.assert_array_equal(clipped[k], saved[k])  # bit for bit
        assert clipped[k] is not grads[k]
    big = {k: 1e3 * g for k, g in grads.items()}
    big_saved = {k: g.copy() for k, g in big.items()}
    clip_grad_norm(big, 5.0)
    for k in big:
        np.testing.assert_array_equal(big[k], big_saved[k])
    at_threshold = {
        "dW": np.array([[3.0, 4.0]])
    }  # norm exactly 5: still scaled by 5/(5 + 1e-6)
    clipped, norm = clip_grad_norm(at_threshold, 5.0)
    np.testing.assert_array_equal(clipped["dW"], torch_clip(at_threshold, 5.0)[0]["dW"])
    assert norm == 5.0 and np.linalg.norm(clipped["dW"]) < 5.0


def test_clip_nonfinite_matches_torch_default_and_can_raise():
    grads = {"dW": np.array([[1.0, np.inf]]), "db": np.array([[2.0]])}
    clipped, norm = clip_grad_norm(grads, 1.0)
    expected, expected_norm = torch_clip(grads, 1.0)
    assert norm == math.inf == expected_norm
    for k in grads:
        np.testing.assert_array_equal(
            clipped[k], expected[k]
        )  # NaN where inf, 0 elsewhere
    assert (
        np.isnan(clipped["dW"][0, 1])
        and clipped["dW"][0, 0] == 0.0
        and clipped["db"][0, 0] == 0.0
    )

    nan_grads = {"dW": np.array([[1.0, np.nan]])}
    clipped, norm = clip_grad_norm(nan_grads, 1.0)
    assert math.isnan(norm) and np.isnan(clipped["dW"]).all()
    assert np.isnan(torch_clip(nan_grads, 1.0)[0]["dW"]).all()

    with pytest.raises(ValueError, match=r"total gradient norm is inf"):
        clip_grad_norm(grads, 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match=r"total gradient norm is nan"):
        clip_grad_norm(nan_grads, 1.0, error_if_nonfinite=True)


def test_clip_rescales_extreme_magnitudes():
    huge = {"dW": np.full((2, 2), 1e200)}  # the sum of squares would overflow
    clipped, norm = clip_grad_norm(huge, 1.0)
    assert norm == pytest.approx(2e200, rel=1e-15)
    np.testing.assert_allclose(clipped["dW"], 0.5, rtol=1e-15)
    tiny = {"dW": np.full((2, 2), 1e-200)}  # the sum of squares would underflow to 0
    clipped, norm = clip_grad_norm(tiny, 1.0)
    assert norm == pytest.approx(2e-200, rel=1e-15)
    np.testing.assert_array_equal(clipped["dW"], tiny["dW"])


@pytest.mark.parametrize("max_norm", [0.0, -1.0, math.inf, math.nan, "1", True, None])
def test_clip_rejects_bad_max_norm(max_norm):
    with pytest.raises(ValueError, match="max_norm must be a positive finite number"):
        clip_grad_norm({"dW": np.ones((2, 2))}, max_norm)


@pytest.mark.parametrize("grads", [{}, [np.ones(2)], None])
def test_clip_rejects_bad_grads(grads):
    with pytest.raises(ValueError, match="grads must be a non-empty dict"):
        clip_grad_norm(grads, 1.0)


# Magnitudes in [1e-100, 1e100] (or 0): beyond about 1e154 torch's norm overflows (its sum of
# squares is not rescaled), while ours rescales; see test_clip_rescales_extreme_magnitudes.
finite = st.floats(-1e100, 1e100, allow_nan=False, allow_infinity=False).filter(
    lambda v: v == 0 or abs(v) > 1e-100
)
shapes = st.tuples(st.integers(1, 4), st.integers(1, 4))
grad_dicts = st.lists(
    shapes.flatmap(lambda sh: arrays(np.float64, sh, elements=finite)),
    min_size=1,
    max_size=4,
).map(lambda arrs: {f"d{i}": a for i, a in enumerate(arrs)})


@settings(max_examples=60, deadline=None)
@given(grads=grad_dicts, max_norm=st.floats(1e-3, 1e3))
def test_clip_properties(grads, max_norm):
    clipped, norm = clip_grad_norm(grads, max_norm)
    expected, expected_norm = torch_clip(grads, max_norm)
    assert math.isclose(norm, expected_norm, rel_tol=1e-13, abs_tol=1e-300)
    for k in grads:
        np.testing.assert_allclose(clipped[k], expected[k], rtol=1e-13, atol=1e-300)
    new_norm = l2(flat(clipped))
    assert new_norm <= max_norm * (
        1 + 1e-15
    )  # never above the threshold (up to rounding)
    assert new_norm <= norm * (1 + 1e-15)  # clipping never enlarges
    if norm + 1e-6 <= max_norm:  # torch's guard: exactly max_norm is still scaled
        for k in grads:
            np.testing.assert_array_equal(clipped[k], grads[k])
    # Idempotent up to torch's 1e-6 guard: a second clip changes by < 1e-6 / max_norm.
    again, norm2 = clip_grad_norm(clipped, max_norm)
    assert math.isclose(norm2, new_norm, rel_tol=1e-13, abs_tol=1e-300)
    for k in grads:
        np.testing.assert_allclose(
            again[k], clipped[k], rtol=1e-6 / max_norm + 1e-15, atol=0
        )
