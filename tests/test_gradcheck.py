"""The referees themselves: numerical_gradient and relative_error."""

import numpy as np
import pytest

from bptt import assert_close, numerical_gradient, relative_error, sigmoid, softmax


def test_numerical_gradient_of_a_scalar_function():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    grad = numerical_gradient(lambda v: np.sum(np.sin(v) * v), x)
    exact = np.cos(x) * x + np.sin(x)
    assert relative_error(grad, exact) < 1e-9


def test_numerical_gradient_of_an_array_function_is_a_vjp():
    rng = np.random.default_rng(0)
    A, x, up = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((4, 2)),
        rng.standard_normal((3, 2)),
    )
    grad = numerical_gradient(lambda v: A @ v, x, up)
    assert relative_error(grad, A.T @ up) < 1e-9


def test_numerical_gradient_does_not_modify_its_input():
    x = np.arange(4.0)
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, np.arange(4.0))


def test_numerical_gradient_requires_upstream_for_arrays():
    with pytest.raises(ValueError, match="pass upstream="):
        numerical_gradient(lambda v: 2 * v, np.ones(3))
    with pytest.raises(
        ValueError, match=r"upstream has shape \(2,\), expected f\(x\).shape = \(3,\)"
    ):
        numerical_gradient(lambda v: 2 * v, np.ones(3), np.ones(2))


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(
        np.sqrt(2) / 2
    )
    assert relative_error(1.0, 1.0 + 1e-12) < 1e-12
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match="a must be a NumPy array.*got list"):
        relative_error([1.0, 0.0], np.zeros(2))


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1e-100, 1.0, 1e100, 1e200, 1e300])
def test_relative_error_is_scale_free_across_the_float_range(scale):
    a, b = scale * np.array([1.0, 0.0]), scale * np.array([0.0, 1.0])
    assert relative_error(a, b) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error(a, a) == 0.0
    assert relative_error(a, a * (1 + 1e-12)) == pytest.approx(5e-13, rel=1e-3)
    with pytest.raises(AssertionError):
        assert_close("tiny or huge, different", a, b, 1e-7)
    assert_close("tiny or huge, equal", a, a.copy(), 1e-7)


def test_relative_error_of_non_finite_is_nan_so_assert_close_fails():
    assert np.isnan(relative_error(np.array([np.nan]), np.array([np.nan])))
    assert np.isnan(relative_error(np.array([np.inf]), np.array([np.inf])))
    with pytest.raises(AssertionError):
        assert_close("inf", np.array([np.inf]), np.array([np.inf]), 1e-7)


def test_relative_error_keeps_its_value_on_ordinary_input():
    # scaling by a power of two is exact: the same bits as the unscaled formula
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    plain = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    assert relative_error(a, b) == plain


def test_sigmoid_is_stable_and_correct():
    x = np.array([-800.0, -1.0, 0.0, 1.0, 800.0])
    with np.errstate(all="raise"):
        s = sigmoid(x)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-x[1:4])))
    assert s[0] == 0.0 and s[-1] == 1.0


def test_softmax_columns_sum_to_one_without_overflow():
    z = np.array([[1000.0, 0.0], [1001.0, 1.0], [999.0, -1.0]])
    with np.errstate(all="raise"):
        p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=0), 1.0)
    np.testing.assert_allclose(p[:, 0], p[:, 1])


def test_assert_close_prints_the_rounded_error_and_raises_above_tolerance(capsys):
    assert assert_close("same", np.ones(3), np.ones(3) * (1 + 1e-12), 1e-10) is None
    assert capsys.readouterr().out == "same: relative error 5.0e-13 < 1e-10 ok\n"
    with pytest.raises(
        AssertionError, match=r"far: relative error 3\.3e-01 is not below 1e-07"
    ):
        assert_close("far", np.ones(3), 2 * np.ones(3), 1e-7)
