"""The static figure of the error-term triangle δ_{t,k} (Vega-Lite, as a MIME bundle)."""

import json

import numpy as np

from .curves import (
    SIGMA_GRID,
    delta_triangle,
)
from .vegalite import (
    SCHEMA_V5,
    VegaLiteFigure,
    inline_data,
    range_binding,
)


def delta_triangle_spec(sigmas=SIGMA_GRID, T=30, activation="tanh", seed=0, n=16):
    """Vega-Lite v5 spec: heat map of log₁₀‖δ_{t,k}‖ (:func:`delta_triangle`) with a σ₁ slider.

    Rows are the loss step t, columns k ≤ t; values rounded to 2 decimals.

    Raises:
        ValueError: as :func:`delta_triangle`.
    """
    values = []
    for s in sigmas:
        tri = delta_triangle(s, T, activation, seed, n)
        cells = [
            round(float(tri[t, k]), 2) if np.isfinite(tri[t, k]) else None
            for t in range(T)
            for k in range(t + 1)
        ]
        values.append({"s": s, "d": cells})
    tk = [[t + 1, k + 1] for t in range(T) for k in range(t + 1)]
    ticks = list(range(0, T + 1, 5))
    return {
        "$schema": SCHEMA_V5,
        "description": "bptt delta triangle",
        "width": 290,
        "height": 290,  # square cells; with the legend below it fits a 358 px phone column
        "params": [
            {
                "name": "sigma1",
                "value": 1.0,
                "bind": range_binding(
                    "sigma1", list(sigmas), "σ₁ (largest singular value of U) "
                ),
            }
        ],
        "data": inline_data(values),
        "transform": [
            {"filter": "abs(datum.s - sigma1) < 1e-6"},
            {"calculate": json.dumps(tk), "as": "tk"},
            {"flatten": ["d", "tk"]},
            {"calculate": "datum.tk[0]", "as": "t"},
            {"calculate": "datum.tk[1]", "as": "k"},
            {"filter": "datum.d != null"},
        ],
        "mark": "rect",
        "encoding": {
            "x": {
                "field": "k",
                "type": "ordinal",
                "title": "k (net input z_k)",
                "axis": {"values": ticks, "labelAngle": 0},
            },
            "y": {
                "field": "t",
                "type": "ordinal",
                "title": "t (loss L_t)",
                "axis": {"values": ticks},
            },
            "color": {
                "field": "d",
                "type": "quantitative",
                "title": "log₁₀‖δ_{t,k}‖",
                "scale": {"scheme": "viridis", "domain": [-12, 0], "clamp": True},
                "legend": {
                    "orient": "bottom",
                    "direction": "horizontal",
                    "gradientLength": 200,
                },
            },
            "tooltip": [
                {"field": "t"},
                {"field": "k"},
                {"field": "d", "title": "log10 norm"},
            ],
        },
        "title": f"δ_(t,k) triangle ({activation}, n = {n}, T = {T})",
    }


def delta_triangle_figure(sigmas=SIGMA_GRID, T=30, activation="tanh", seed=0, n=16):
    """The δ-triangle heat map (:func:`delta_triangle_spec`) as a :class:`VegaLiteFigure`."""
    return VegaLiteFigure(
        delta_triangle_spec(sigmas, T, activation, seed, n), ["sigma1"], "bptt-delta"
    )
