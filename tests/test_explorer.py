"""Gradient-norm explorer: closed forms, bounds, brute-force Jacobians, overflow, bad input, MIME bundles."""

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from bptt import (
    ACTIVATIONS,
    delta_triangle,
    gradient_norm_curve,
    orthogonal_matrix,
)
from bptt.explorer import (
    OVERFLOW_CODE,
    UNDERFLOW_CODE,
    VERDICTS,
    LiveExplorer,
    delta_triangle_figure,
    encode_log10,
    explorer_figure,
    explorer_grid,
    explorer_spec,
)
from bptt.explorer import curves as C
from bptt.explorer.figures import JAVASCRIPT_MIME, VEGA_SCRIPTS, VEGALITE_MIME
from bptt.reference import brute_force_gradient_norms

ROOT = Path(__file__).resolve().parent.parent


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
                assert np.all(c.norms <= c.bound * (1 + 1e-12)), (
                    activation,
                    residual,
                    seed,
                    T,
                    sigma1,
                )
                if c.lower is not None:
                    assert residual and c.gain < 1
                    assert np.all(c.norms >= c.lower * (1 - 1e-12)), (
                        activation,
                        seed,
                        T,
                        sigma1,
                    )
                else:
                    assert not (residual and c.gain < 1)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("residual", [False, True])
def test_curve_equals_brute_force_jacobian(activation, residual):
    for sigma1, T, n, seed in [(0.9, 8, 3, 0), (1.4, 12, 5, 2)]:
        c = gradient_norm_curve(sigma1, T, activation, residual, seed=seed, n=n)
        brute = brute_force_gradient_norms(sigma1, T, activation, residual, n, seed)
        rel = np.abs(c.norms - brute) / np.maximum(np.abs(brute), 1e-300)
        assert rel.max() < 1e-10, (activation, residual, rel.max())


def test_tanh_sigma_1_5_still_vanishes():
    # γ_f σ₁ = 1.5 > 1, i.e. explosion is possible, but this tanh network vanishes.
    c = gradient_norm_curve(1.5, 200, "tanh", residual=False)
    assert c.verdict == C.VERDICT_PLAIN_POSSIBLE
    assert c.norms[0] < 1e-6


def test_verdicts():
    assert gradient_norm_curve(0.9, 10, "tanh").verdict == "vanishing guaranteed"
    assert (
        gradient_norm_curve(1.5, 10, "sigmoid").verdict == "vanishing guaranteed"
    )  # γ_f σ₁ = 0.375
    assert (
        gradient_norm_curve(1.1, 10, "relu").verdict
        == "explosion possible, not guaranteed"
    )
    # γ_f σ₁ = 1 exactly: the bound is 1, so no growth, but nothing forces decay either
    assert gradient_norm_curve(1.0, 10, "relu").verdict == C.VERDICT_PLAIN_FLAT
    assert gradient_norm_curve(0.9, 10, "tanh", residual=True).verdict.startswith(
        "explosion possible, not guaranteed"
    )
    assert gradient_norm_curve(0.9, 10, "tanh", residual=True).lower is not None
    assert gradient_norm_curve(1.1, 10, "tanh", residual=True).lower is None


@pytest.mark.parametrize(
    "sigma1, expected",
    [
        (0.8, C.VERDICT_EXACT_VANISH),
        (1.0, C.VERDICT_EXACT_FLAT),
        (1.3, C.VERDICT_EXACT_EXPLODE),
    ],
)
def test_identity_verdict_says_the_curve_is_the_bound(sigma1, expected):
    c = gradient_norm_curve(sigma1, 50, "identity")
    assert (
        c.verdict == expected and "exact" in c.verdict and "possible" not in c.verdict
    )
    assert np.allclose(c.norms, c.bound, rtol=1e-12, atol=0)  # what the badge claims
    live = LiveExplorer(sigma1=sigma1, T=50, activation="identity")
    assert expected in live.badge.get_text()


def test_static_badge_has_a_line_pair_for_every_verdict():
    spec = explorer_spec(
        explorer_grid(sigmas=(0.5, 1.0), Ts=(10,), activations=("identity",))
    )
    badge = spec["layer"][-1]["transform"]
    table = json.loads(
        next(t["calculate"] for t in badge if t.get("as") == "vl").removesuffix(
            "[datum.v]"
        )
    )
    assert len(table) == len(VERDICTS)
    assert ["; ".join(filter(None, pair)) for pair in table] == list(VERDICTS)
    assert (
        max(len(line) for pair in table for line in pair) <= 42
    )  # fits a phone column at 11 px


@pytest.mark.parametrize("value", ["False", "True", 0, 1, None, "yes"])
def test_residual_must_be_a_bool(value):
    with pytest.raises(
        TypeError, match=r"residual must be a bool \(True or False\), got .* of type"
    ):
        gradient_norm_curve(1.0, 10, residual=value)


def test_numpy_bool_residual_is_accepted():
    assert gradient_norm_curve(1.0, 10, residual=np.bool_(True)).residual is True


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
        (
            dict(sigma1=1.0, T=10, activation="softplus"),
            r"unknown activation 'softplus'; expected one of \['identity', 'relu', 'sigmoid', 'tanh'\]",
        ),
        (
            dict(sigma1=1.0, T=10, n=0),
            r"hidden size n must be an integer in \[1, 256\]",
        ),
        (dict(sigma1=1.0, T=10, seed=-1), r"seed must be a non-negative integer"),
        (dict(sigma1=True, T=10), r"sigma1 must be a number in \[0, 100.0\], got True"),
        (dict(sigma1=1.0, T=True), r"T must be an integer in \[1, 200\], got True"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gradient_norm_curve(**kwargs)


def test_live_explorer_draws_the_curve():
    live = LiveExplorer(sigma1=0.8, T=25, activation="sigmoid")
    c = live.update(sigma1=1.2, activation="relu", residual=True)
    assert np.array_equal(
        live.line.get_ydata(), gradient_norm_curve(1.2, 25, "relu", True).norms
    )
    assert np.allclose(live.bound_line.get_ydata(), 2.2 ** (25 - np.arange(26.0)))
    assert (
        c.verdict in live.badge.get_text() and "γ_f·σ₁ = 1.2" in live.badge.get_text()
    )


def test_grid_records_decode_to_the_curves():
    rows = explorer_grid(
        sigmas=(0.5, 1.5), Ts=(10, 200), activations=("sigmoid", "identity")
    )
    assert len(rows) == 2 * 2 * 2 * 2
    for r in rows:
        c = gradient_norm_curve(r["s"], r["T"], r["a"], bool(r["r"]))
        logs = np.log10(c.norms)
        tol = np.where(np.abs(logs) < 10, 0.005, 0.05) + 1e-9
        assert np.all(np.abs(np.array(r["y"]) - logs) <= tol)
        assert VERDICTS[r["v"]] == c.verdict


def _fallback_call(js):
    """(spec, options): the JSON arguments of the fallback's bpttVegaFallback(libraries, spec, options) call."""
    tail = js.rsplit("\n}, ", 1)[1]
    decoder = json.JSONDecoder()
    spec, end = decoder.raw_decode(tail)
    options, _ = decoder.raw_decode(tail[end:].removeprefix(", "))
    return spec, options


def test_figure_bundle_has_vegalite_javascript_fallback_and_text():
    rows = explorer_grid(sigmas=(0.5, 0.55), Ts=(10,), activations=("tanh",))
    fig = explorer_figure(rows)
    data, metadata = fig._repr_mimebundle_()
    assert set(data) == {VEGALITE_MIME, JAVASCRIPT_MIME, "text/plain"}
    assert (
        data == explorer_figure(rows)._repr_mimebundle_()[0]
    )  # deterministic (nbval compares outputs)
    spec = data[VEGALITE_MIME]
    assert spec["$schema"].endswith(
        "/vega-lite/v5.json"
    )  # the version JupyterLab 4.6 renders
    assert json.loads(json.dumps(spec)) == spec
    assert [p["name"] for p in spec["params"]] == ["sigma1", "T", "act", "res"]
    assert spec["width"] == "container"  # follows the column, a phone included
    # JupyterLab and the fallback embed with the same options: no export menu, no inline-block style
    options = _fallback_call(data[JAVASCRIPT_MIME])[1]
    assert metadata[VEGALITE_MIME]["embed_options"] == options["embed"]
    assert (
        options["embed"]["actions"] is False
        and options["embed"]["defaultStyle"] is False
    )
    assert options["id"] == fig.element_id


def test_fallback_is_self_contained():
    fig = delta_triangle_figure(sigmas=(0.5, 0.55), T=6)
    js = fig._repr_mimebundle_()[0][JAVASCRIPT_MIME]
    # the whole of each vega build is inside, in load order; no script is fetched
    assets = Path(C.__file__).parent / "assets" / "vega"
    starts = [js.index((assets / name).read_text()) for name in VEGA_SCRIPTS]
    assert starts == sorted(starts)
    assert "src=" not in js.split("bpttVegaFallback(function", 1)[0]
    assert "_static" not in js and "</script" not in js.lower()
    # the only absolute URLs are $schema identifiers and the libraries' own constants (none fetched)
    tail = js.rsplit("\n}, ", 1)[1]  # the call's arguments: spec and options
    assert re.findall(r"https?://[^\"' ]+", tail) == [
        "https://vega.github.io/schema/vega-lite/v6.json"
    ]
    assert json.loads("[" + tail.rstrip().removesuffix(");") + "]")[1]["signals"] == [
        "sigma1"
    ]


def test_package_vega_builds_match_package_json():
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assets = Path(C.__file__).parent / "assets" / "vega"
    for name in VEGA_SCRIPTS:
        package = name.removesuffix(".min.js")
        text = (assets / name).read_text()
        assert f'"{pins[package]}"' in text, (
            f"{name} is not {package}@{pins[package]}: run python -m tools.vendor_assets"
        )
        assert (assets / f"{package}.LICENSE").exists()


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


def test_live_explorer_survives_a_rejected_update():
    live = LiveExplorer(sigma1=1.0, T=50)
    before = (dict(live.settings), live.png())
    with pytest.raises(
        ValueError, match=r"T must be an integer in \[1, 200\], got 5000"
    ):
        live.update(T=5000)
    with pytest.raises(TypeError, match="residual must be a bool"):
        live.update(residual="False")
    with pytest.raises(TypeError, match=r"unknown explorer setting\(s\) \['sigma'\]"):
        live.update(sigma=1.2)
    assert (live.settings, live.png()) == before
    c = live.update(sigma1=1.2)  # still usable
    assert c.sigma1 == 1.2 and live.settings["T"] == 50


def test_live_explorer_rejects_bad_settings_at_construction():
    with pytest.raises(TypeError, match="residual must be a bool"):
        LiveExplorer(residual="False")
