"""The static explorer figures: Vega-Lite specs over precomputed curves, as MIME bundles.

A figure is displayed by returning a :class:`VegaLiteFigure`; its
``_repr_mimebundle_`` carries

* ``application/vnd.vegalite.v5+json`` — the spec, for front ends with a native
  Vega-Lite renderer (vega-embed, the bound parameters as controls): VS Code, and
  JupyterLab / Notebook 7 for stored outputs opened without running them;
* ``application/javascript`` — a self-contained fallback (the package's own
  vega, vega-lite and vega-embed builds + ``assets/fallback.js``) for front ends
  that run output JavaScript: Colab, the book's pages (myst-nb), and JupyterLab /
  Notebook 7 for outputs of the running session, because their JavaScript
  renderer outranks Vega-Lite's (rank 0 vs 57; ``text/html``, rank 50, would
  outrank it too, so no fallback can leave the native renderer in charge there);
* ``text/plain`` — one line saying what the figure is.

No URL of the book's site is baked in: nothing is loaded over the network.
The bundle itself is made in :mod:`bptt.explorer.vegalite`; this module builds
the specs.
"""

import json

import numpy as np

from .curves import (
    ACTIVATION_NAMES,
    SIGMA_GRID,
    T_CHOICES,
    VERDICTS,
    gradient_norm_curve,
)
from .triangle_figure import delta_triangle_figure, delta_triangle_spec
from .vegalite import (
    EMBED_OPTIONS,
    JAVASCRIPT_MIME,
    SCHEMA_V5,
    SCHEMA_V6,
    VEGA_SCRIPTS,
    VEGALITE_MIME,
    VegaLiteFigure,
    inline_data,
    range_binding,
)

X_K = {"field": "k", "type": "quantitative", "title": "k (state index)"}


#: log10 values stored for overflow (inf/NaN) and underflow (exact 0).
OVERFLOW_CODE = 999


UNDERFLOW_CODE = -999


def encode_log10(norms):
    """log₁₀ of the norms rounded to ~3–4 significant digits, with codes for inf/NaN and 0.

    Returns a list of floats: 2 decimals when |log₁₀| < 10, else 1 decimal;
    :data:`OVERFLOW_CODE` for non-finite norms, :data:`UNDERFLOW_CODE` for 0.
    """
    out = []
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(norms)
    for a, y in zip(norms, logs):
        if not np.isfinite(a):
            out.append(OVERFLOW_CODE)
        elif a == 0:
            out.append(UNDERFLOW_CODE)
        else:
            y = round(float(y), 2 if abs(y) < 10 else 1)
            out.append(0.0 if y == 0 else y)
    return out


def explorer_grid(
    sigmas=SIGMA_GRID,
    Ts=T_CHOICES,
    activations=ACTIVATION_NAMES,
    residuals=(False, True),
    seed=0,
    n=16,
):
    """Precompute the explorer curves over a grid (one record per curve).

    Returns:
        list of dicts {s: σ₁, T, a: activation, r: 0/1, v: verdict index into
        :data:`VERDICTS`, y: encoded log₁₀ norms for k = 0 … T (:func:`encode_log10`)}.

    Raises:
        ValueError/TypeError: as :func:`gradient_norm_curve`, for the first bad grid value.
    """
    rows = []
    for a in activations:
        for r in residuals:
            for T in Ts:
                for s in sigmas:
                    c = gradient_norm_curve(s, T, a, r, seed, n)
                    rows.append(
                        {
                            "s": s,
                            "T": T,
                            "a": a,
                            "r": int(r),
                            "v": VERDICTS.index(c.verdict),
                            "y": encode_log10(c.norms),
                        }
                    )
    return rows


def explorer_spec(rows, sigma1=1.0, T=50, activation="tanh", residual=False):
    """The Vega-Lite v5 spec of the gradient-norm explorer for the records of :func:`explorer_grid`.

    Controls are parameters bound to HTML inputs (range slider for σ₁, radio for
    T, select for the activation, checkbox for the residual update); they filter
    the records, the arrays are flattened to (k, log₁₀ norm), and the bounds are
    computed from the same formula as :func:`gradient_norm_curve`.  The width
    follows the container (a phone column included).
    """
    sig = sorted({r["s"] for r in rows})
    # each verdict as at most two short badge lines (split at "; "), so the badge fits a phone
    lines = [(v.split("; ") + [""])[:2] for v in VERDICTS]
    gamma = "(act == 'sigmoid' ? 0.25 : 1)"
    names = ["‖∂L_T/∂h_k‖", "upper bound", "lower bound"]
    return {
        "$schema": SCHEMA_V5,
        "description": "bptt gradient-norm explorer",
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "params": [
            {
                "name": "sigma1",
                "value": sigma1,
                "bind": range_binding(
                    "sigma1", sig, "σ₁ (largest singular value of U) "
                ),
            },
            {
                "name": "T",
                "value": T,
                "bind": {
                    "input": "radio",
                    "options": sorted({r["T"] for r in rows}),
                    "name": "T ",
                },
            },
            {
                "name": "act",
                "value": activation,
                "bind": {
                    "input": "select",
                    "options": [
                        a for a in ACTIVATION_NAMES if any(r["a"] == a for r in rows)
                    ],
                    "name": "activation f ",
                },
            },
            {
                "name": "res",
                "value": bool(residual),
                "bind": {"input": "checkbox", "name": "residual update (6.50) "},
            },
        ],
        "data": inline_data(rows),
        "transform": [
            {
                "filter": "abs(datum.s - sigma1) < 1e-6 && datum.T == T && datum.a == act && datum.r == (res ? 1 : 0)"
            },
            {"flatten": ["y"]},
            {"window": [{"op": "row_number", "as": "i"}]},
            {"calculate": "datum.i - 1", "as": "k"},
            {"calculate": f"{gamma} * sigma1", "as": "gain"},
            {
                "calculate": "res ? (datum.T - datum.k) * log(1 + datum.gain) / LN10 : "
                "(datum.T - datum.k) * log(datum.gain) / LN10",
                "as": "bound",
            },
            {
                "calculate": "res && datum.gain < 1 ? (datum.T - datum.k) * log(1 - datum.gain) / LN10 : null",
                "as": "lower",
            },
            {"calculate": f"datum.y >= {OVERFLOW_CODE}", "as": "over"},
            {
                "calculate": f"datum.over || datum.y <= {UNDERFLOW_CODE} ? null : datum.y",
                "as": "yfin",
            },
            {
                "joinaggregate": [
                    {"op": "max", "field": "bound", "as": "bmax"},
                    {"op": "max", "field": "yfin", "as": "yfmax"},
                ]
            },
            {"calculate": "max(datum.yfmax, datum.bmax, 0)", "as": "ymax"},
            {
                "calculate": f"datum.over ? datum.ymax + 1 : (datum.y <= {UNDERFLOW_CODE} ? -330 : datum.y)",
                "as": "yplot",
            },
        ],
        "layer": [
            {
                "mark": {"type": "rule", "color": "#888", "strokeWidth": 1},
                "encoding": {"y": {"datum": 0, "type": "quantitative"}},
            },
            {
                "transform": [
                    {"fold": ["yplot", "bound", "lower"], "as": ["series", "value"]},
                    {
                        "filter": "datum.value != null && !(datum.series == 'yplot' && datum.over)"
                    },
                    {
                        "calculate": json.dumps(
                            dict(zip(["yplot", "bound", "lower"], names)),
                            ensure_ascii=False,
                        )
                        + "[datum.series]",
                        "as": "curve",
                    },
                ],
                "mark": {"type": "line", "strokeWidth": 1.8, "clip": True},
                "encoding": {
                    "x": X_K,
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": "log₁₀ ‖∂L_T/∂h_k‖",
                    },
                    "color": {
                        "field": "curve",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": names,
                            "range": ["#1f77b4", "#d62728", "#2ca02c"],
                        },
                        "legend": {
                            "orient": "bottom",
                            "direction": "horizontal",
                            "columns": 2,
                            "columnPadding": 12,
                        },
                    },
                    # same field and domain as the colour: one merged legend showing colour and dash
                    "strokeDash": {
                        "field": "curve",
                        "type": "nominal",
                        "scale": {"domain": names, "range": [[1, 0], [6, 3], [2, 2]]},
                    },
                },
            },
            {
                "transform": [{"filter": "datum.over"}],
                "mark": {
                    "type": "point",
                    "shape": "cross",
                    "color": "black",
                    "size": 30,
                },
                "encoding": {"x": X_K, "y": {"field": "yplot", "type": "quantitative"}},
            },
            {
                "transform": [
                    {"filter": "datum.k == 0"},
                    {
                        "calculate": "'σ₁ = ' + format(sigma1, '.2f') + '  ·  γ_f = ' + "
                        f"{gamma} + '  ·  γ_f·σ₁ = ' + format(datum.gain, '.3g')",
                        "as": "l1",
                    },
                    {
                        "calculate": f"{json.dumps(lines, ensure_ascii=False)}[datum.v]",
                        "as": "vl",
                    },
                    {
                        "calculate": "datum.over ? 'overflow: float64 inf/NaN, drawn as × at the top' : ''",
                        "as": "l4",
                    },
                    {
                        "calculate": "[datum.l1, res ? 'residual update (6.50):' : 'plain "
                        "RNN:', datum.vl[0], datum.vl[1], datum.l4]",
                        "as": "badge",
                    },
                ],
                # the badge sits above the plot area (negative y); one short line each, so it fits a phone
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "fontSize": 11,
                    "x": 0,
                    "y": -78,
                    "lineHeight": 14,
                },
                "encoding": {"text": {"field": "badge"}},
            },
        ],
        "config": {"view": {"stroke": "#ccc"}},
    }


def explorer_figure(rows=None, **initial):
    """The static gradient-norm explorer as a :class:`VegaLiteFigure`.

    Args:
        rows: records of :func:`explorer_grid` (computed when None).
        **initial: initial sigma1, T, activation, residual (see :func:`explorer_spec`).
    """
    if rows is None:
        rows = explorer_grid()
    return VegaLiteFigure(
        explorer_spec(rows, **initial), ["sigma1", "T", "act", "res"], "bptt-explorer"
    )


__all__ = [
    "EMBED_OPTIONS",
    "JAVASCRIPT_MIME",
    "OVERFLOW_CODE",
    "SCHEMA_V5",
    "SCHEMA_V6",
    "UNDERFLOW_CODE",
    "VEGALITE_MIME",
    "VEGA_SCRIPTS",
    "VegaLiteFigure",
    "X_K",
    "delta_triangle_figure",
    "delta_triangle_spec",
    "encode_log10",
    "explorer_figure",
    "explorer_grid",
    "explorer_spec",
]
