"""Gradient-norm explorer: closed forms, bounds, brute-force Jacobians, overflow, bad input."""

import json
import warnings

import numpy as np
import pytest
import torch

from bptt import ACTIVATIONS, delta_triangle, explorer_inputs, gradient_norm_curve, orthogonal_matrix
from bptt.explorer import (
    OVERFLOW_CODE,
    UNDERFLOW_CODE,
    VERDICTS,
    LiveExplorer,
    encode_log10,
    explorer_grid,
    explorer_vegalite_spec,
    static_explorer_html,
)

TORCH_F = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda z: z}


def test_orthogonal_matrix_is_orthogonal_and_seeded():
    Q = orthogonal_matrix(7, 3)
    assert np.abs(Q.T @ Q - np.eye(7)).max() < 1e-14
    assert np.array_equal(Q, orthogonal_matrix(7, 3))
    assert not np.allclose(Q, orthogonal_matrix(7, 4))


@pytest.mark.parametrize("sigma1", [0.5, 0.9, 1.0, 1.1, 1.5])
@pytest.mark.parametrize("T", [10, 50, 200])
def test_identity_plain_is_exactly_sigma_power(sigma1, T):
    # U = σ₁Q with Q orthogonal: (Uᵀ)^{T−k} v has norm σ₁^{T−k} exactly.
    c = gradient_norm_curve(sigma1, T, "identity", residual=False, n=16)
    expected = sigma1 ** (T - np.arange(T + 1.0))
    rel = np.abs(c.norms - expected) / expected
    assert rel.max() < 1e-12, rel.max()


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("residual", [False, True])
def test_every_curve_is_below_its_bound(activation, residual):
    for seed in (0, 1):
        for T in (10, 50, 200):
            for sigma1 in (0.5, 0.8, 1.0, 1.25, 1.5, 3.0):
                c = gradient_norm_curve(sigma1, T, activation, residual, seed=seed, n=8)
                assert np.all(np.isfinite(c.norms))
                assert np.all(c.norms <= c.bound * (1 + 1e-12)), (activation, residual, seed, T, sigma1)
                if c.lower is not None:
                    assert residual and c.gain < 1
                    assert np.all(c.norms >= c.lower * (1 - 1e-12)), (activation, seed, T, sigma1)
                else:
                    assert not (residual and c.gain < 1)


def _brute_force_norms(sigma1, T, activation, residual, seed, n):
    """‖(∂h_T/∂h_k)ᵀ v‖ with the Jacobian of the unrolled map from torch.autograd."""
    d = explorer_inputs(n, seed)
    U = torch.tensor(sigma1 * d["Q"])
    W, x, v = (torch.tensor(d[key]) for key in ("W", "x", "v"))
    f = TORCH_F[activation]

    def step(h, t):
        z = U @ h + W @ x[t]
        return h + f(z) if residual else f(z)

    hs = [torch.zeros(n, dtype=torch.float64)]
    for t in range(T):
        hs.append(step(hs[-1], t))

    norms = []
    for k in range(T + 1):
        def unrolled(h, k=k):
            for t in range(k, T):
                h = step(h, t)
            return h

        J = torch.autograd.functional.jacobian(unrolled, hs[k]) if k < T else torch.eye(n, dtype=torch.float64)
        norms.append(torch.linalg.norm(J.T @ v).item())
    return np.array(norms)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("residual", [False, True])
def test_curve_equals_brute_force_jacobian(activation, residual):
    for sigma1, T, n, seed in [(0.9, 8, 3, 0), (1.4, 12, 5, 2)]:
        c = gradient_norm_curve(sigma1, T, activation, residual, seed=seed, n=n)
        brute = _brute_force_norms(sigma1, T, activation, residual, seed, n)
        rel = np.abs(c.norms - brute) / np.maximum(np.abs(brute), 1e-300)
        assert rel.max() < 1e-10, (activation, residual, rel.max())


def test_tanh_sigma_1_5_still_vanishes():
    # γ_f σ₁ = 1.5 > 1, i.e. explosion is possible, but this tanh network vanishes.
    c = gradient_norm_curve(1.5, 200, "tanh", residual=False)
    assert c.verdict == VERDICTS[1]
    assert c.norms[0] < 1e-6


def test_verdicts():
    assert gradient_norm_curve(0.9, 10, "tanh").verdict == "vanishing guaranteed"
    assert gradient_norm_curve(1.5, 10, "sigmoid").verdict == "vanishing guaranteed"  # γ_f σ₁ = 0.375
    assert gradient_norm_curve(1.0, 10, "relu").verdict == "explosion possible, not guaranteed"
    assert gradient_norm_curve(0.9, 10, "tanh", residual=True).verdict.startswith("explosion possible, not guaranteed")
    assert gradient_norm_curve(0.9, 10, "tanh", residual=True).lower is not None
    assert gradient_norm_curve(1.1, 10, "tanh", residual=True).lower is None


def test_overflow_is_representable_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = gradient_norm_curve(100.0, 200, "identity", residual=True)
        assert c.overflow.any() and not c.overflow[-1]
        assert np.array_equal(c.overflow, ~np.isfinite(c.norms))
        # once overflowed, every earlier k is overflowed too
        first = np.flatnonzero(~c.overflow)[0]
        assert c.overflow[:first].all()
        assert encode_log10(c.norms)[0] == OVERFLOW_CODE
        live = LiveExplorer(sigma1=100.0, T=200, activation="identity", residual=True)
        assert "overflow" in live.badge.get_text()
        assert np.all(np.isfinite(live.over_line.get_ydata()))
    assert encode_log10(np.array([0.0, 1.0, 1e-5]))[:2] == [UNDERFLOW_CODE, 0.0]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sigma1=-0.1, T=10), r"sigma1 must be a number in \[0, 100.0\]"),
        (dict(sigma1=float("nan"), T=10), r"sigma1 must be a number in \[0, 100.0\]"),
        (dict(sigma1="big", T=10), r"sigma1 must be a number"),
        (dict(sigma1=1.0, T=0), r"T must be an integer in \[1, 200\]"),
        (dict(sigma1=1.0, T=201), r"T must be an integer in \[1, 200\]"),
        (dict(sigma1=1.0, T=10.0), r"T must be an integer in \[1, 200\]"),
        (dict(sigma1=1.0, T=10, activation="softplus"), r"unknown activation 'softplus'; expected one of \['identity', 'relu', 'sigmoid', 'tanh'\]"),
        (dict(sigma1=1.0, T=10, n=0), r"hidden size n must be an integer in \[1, 256\]"),
        (dict(sigma1=1.0, T=10, seed=-1), r"seed must be a non-negative integer"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gradient_norm_curve(**kwargs)


def test_live_explorer_draws_the_curve():
    live = LiveExplorer(sigma1=0.8, T=25, activation="sigmoid")
    c = live.update(sigma1=1.2, activation="relu", residual=True)
    assert np.array_equal(live.line.get_ydata(), gradient_norm_curve(1.2, 25, "relu", True).norms)
    assert np.allclose(live.bound_line.get_ydata(), 2.2 ** (25 - np.arange(26.0)))
    assert c.verdict in live.badge.get_text() and "γ_f·σ₁ = 1.2" in live.badge.get_text()


def test_grid_records_decode_to_the_curves():
    rows = explorer_grid(sigmas=(0.5, 1.5), Ts=(10, 200), activations=("sigmoid", "identity"))
    assert len(rows) == 2 * 2 * 2 * 2
    for r in rows:
        c = gradient_norm_curve(r["s"], r["T"], r["a"], bool(r["r"]))
        logs = np.log10(c.norms)
        tol = np.where(np.abs(logs) < 10, 0.005, 0.05) + 1e-9
        assert np.all(np.abs(np.array(r["y"]) - logs) <= tol)
        assert VERDICTS[r["v"]] == c.verdict


def test_static_html_is_offline_and_deterministic():
    rows = explorer_grid(sigmas=(0.5, 0.55), Ts=(10,), activations=("tanh",))
    html = static_explorer_html(rows)
    assert html == static_explorer_html(rows)
    assert 'var prefix = "../_static/vega/"' in html and '"vega-embed.min.js"' in html
    # the only absolute URL is the $schema identifier (vega-embed never fetches it)
    urls = [u for u in __import__("re").findall(r"https?://[^\"' ]+", html)]
    assert urls == ["https://vega.github.io/schema/vega-lite/v6.json"]
    spec = explorer_vegalite_spec(rows)
    assert json.loads(json.dumps(spec)) == spec
    assert [p["name"] for p in spec["params"]] == ["sigma1", "T", "act", "res"]


def test_delta_triangle_matches_curve_on_last_row():
    # δ_{T,k} = diag(f'(z_k)) ∂L_T/∂h_k and, with identity f, ‖δ_{T,k}‖ = ‖∂L_T/∂h_k‖.
    T = 20
    tri = delta_triangle(1.1, T, "identity")
    c = gradient_norm_curve(1.1, T, "identity")
    assert np.allclose(tri[T - 1], np.log10(c.norms[1:]), rtol=1e-12, atol=1e-12)
    assert np.isnan(tri[0, 1:]).all()


def test_live_widget_controls_redraw_the_image():
    live = LiveExplorer(sigma1=1.0, T=50)
    box = live.widget()
    image = box.children[-1]
    slider = box.children[0].children[0]
    first = image.value
    slider.value = 1.3
    assert live.settings["sigma1"] == 1.3 and live.curve.sigma1 == 1.3
    assert image.value != first
    residual = box.children[1].children[1]
    residual.value = True
    assert live.curve.residual and "residual (6.50)" in live.badge.get_text()
