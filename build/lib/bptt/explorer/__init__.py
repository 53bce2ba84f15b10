"""The gradient-norm explorer: how ‖∂L_T/∂h_k‖ shrinks or grows with T − k.

* :mod:`.curves` — the numbers (:func:`gradient_norm_curve`, :func:`delta_triangle`);
* :mod:`.live` — the live ipywidgets + matplotlib explorer (:class:`LiveExplorer`);
* :mod:`.figures` — the static Vega-Lite figures as MIME bundles that JupyterLab,
  Notebook 7, VS Code, Colab and the book's pages all display
  (:func:`explorer_figure`, :func:`delta_triangle_figure`).
"""

from .curves import (
    ACTIVATION_NAMES,
    SIGMA_GRID,
    T_CHOICES,
    VERDICTS,
    ExplorerCurve,
    delta_triangle,
    explorer_inputs,
    gradient_norm_curve,
    orthogonal_matrix,
    verdict,
)
from .figures import (
    OVERFLOW_CODE,
    UNDERFLOW_CODE,
    VegaLiteFigure,
    delta_triangle_figure,
    delta_triangle_spec,
    encode_log10,
    explorer_figure,
    explorer_grid,
    explorer_spec,
)
from .live import LiveExplorer, badge_text

__all__ = [
    "ACTIVATION_NAMES",
    "OVERFLOW_CODE",
    "SIGMA_GRID",
    "T_CHOICES",
    "UNDERFLOW_CODE",
    "VERDICTS",
    "ExplorerCurve",
    "LiveExplorer",
    "VegaLiteFigure",
    "badge_text",
    "delta_triangle",
    "delta_triangle_figure",
    "delta_triangle_spec",
    "encode_log10",
    "explorer_figure",
    "explorer_grid",
    "explorer_inputs",
    "explorer_spec",
    "gradient_norm_curve",
    "orthogonal_matrix",
    "verdict",
]
