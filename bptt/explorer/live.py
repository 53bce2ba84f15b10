"""The live explorer (Jupyter / Binder): ipywidgets controls + one reused matplotlib figure."""

from functools import lru_cache

import numpy as np

from .curves import ACTIVATION_NAMES, SIGMA_GRID, T_CHOICES, gradient_norm_curve

FLOOR = 1e-300  # plotted instead of 0 (underflow) on the log axis
CEILING = 1e300  # upper end of the log axis (inf/NaN are drawn near the top)
SETTINGS = ("sigma1", "T", "activation", "residual", "seed", "n")


def _log_span(curve):
    """(lowest, highest) finite positive value among the curve and its bounds."""
    vals = [curve.norms, curve.bound] + (
        [curve.lower] if curve.lower is not None else []
    )
    v = np.concatenate(vals)
    v = v[np.isfinite(v) & (v > 0)]
    return max(v.min(initial=1.0), FLOOR), min(v.max(initial=1.0), CEILING)


def badge_text(curve):
    """The explorer badge: σ₁, γ_f, γ_f·σ₁ and the verdict (one line each)."""
    return (
        f"σ₁ = {curve.sigma1:.2f}   γ_f = {curve.gamma_f:g}   γ_f·σ₁ = {curve.gain:.3g}\n"
        f"{'residual (6.50)' if curve.residual else 'plain RNN'}: {curve.verdict}"
    )


def _decade_ticks(lo, hi, most=7):
    """At most ``most`` powers of ten in [lo, hi], evenly spaced in the exponent."""
    e_lo, e_hi = np.log10(lo), np.log10(hi)
    step = next(
        s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if (e_hi - e_lo) / s <= most
    )
    return 10.0 ** np.arange(np.ceil(e_lo / step) * step, e_hi + 1e-9, step)


@lru_cache(maxsize=64)
def _grid_span(T, activation, residual, seed, n):
    """Log-axis limits covering every σ₁ of the slider grid for these settings."""
    lo, hi = 1.0, 1.0
    for s in SIGMA_GRID:
        a, b = _log_span(gradient_norm_curve(s, T, activation, residual, seed, n))
        lo, hi = min(lo, a), max(hi, b)
    return lo, hi


class LiveExplorer:
    """Matplotlib figure + ipywidgets controls driving :func:`gradient_norm_curve`.

    The figure is built once (``matplotlib.figure.Figure`` on an Agg canvas, not
    pyplot, so it is never shown twice).  :meth:`update` recomputes the curve and
    moves the existing artists with ``set_data``.  The y-limits are fixed per
    (T, activation, residual, seed, n) so that they cover every σ₁ of the slider
    (the curves can be compared while sliding); while they do not change, only
    the curves and the badge are redrawn over a cached background (blitting).
    :meth:`widget` returns the controls and an ``ipywidgets.Image`` showing
    the PNG; only that call needs ipywidgets.

    Raises (constructor and :meth:`update`): ValueError/TypeError as
    :func:`gradient_norm_curve`; a rejected update leaves the explorer as it was.
    """

    def __init__(
        self,
        sigma1=1.0,
        T=50,
        activation="tanh",
        residual=False,
        seed=0,
        n=16,
        figsize=(6.4, 3.6),
        dpi=80,
    ):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, NullLocator

        settings = dict(
            sigma1=sigma1, T=T, activation=activation, residual=residual, seed=seed, n=n
        )
        curve = gradient_norm_curve(
            **settings
        )  # bad settings fail before any figure is built
        self.fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.fig)  # rendered off-screen; the widget shows the PNG
        # fixed margins (no constrained layout) and plain-text tick labels (no mathtext)
        self.fig.subplots_adjust(left=0.14, right=0.98, bottom=0.13, top=0.80)
        ax = self.ax = self.fig.add_subplot()
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}" if v > 0 else "")
        )
        ax.set_xlabel("k (state index)")
        ax.set_ylabel("‖∂L_T/∂h_k‖ (log scale)")
        ax.axhline(1.0, color="0.5", lw=0.8, label="1")
        (self.line,) = ax.plot([], [], color="C0", lw=1.6, label="‖∂L_T/∂h_k‖")
        (self.bound_line,) = ax.plot(
            [], [], color="C3", ls="--", lw=1.2, label="upper bound"
        )
        (self.lower_line,) = ax.plot(
            [], [], color="C2", ls=":", lw=1.2, label="lower bound"
        )
        (self.over_line,) = ax.plot(
            [], [], "x", color="k", ms=4, label="overflow (inf/NaN)"
        )
        self.fig.legend(loc="upper right", fontsize=7, ncol=2, frameon=False)
        self.badge = self.fig.text(
            0.01,
            0.985,
            "",
            va="top",
            fontsize=7.5,
            bbox=dict(boxstyle="round", fc="w", ec="0.6"),
        )
        self._dynamic = (
            self.line,
            self.bound_line,
            self.lower_line,
            self.over_line,
            self.badge,
        )
        for artist in self._dynamic:
            artist.set_animated(True)
        self._background = None
        self._view = None  # (T, ylo, yhi) of the cached background
        self.settings = settings
        self._draw(curve)

    def update(self, **changes):
        """Recompute with the changed settings and redraw; returns the new curve.

        Args:
            **changes: any of sigma1, T, activation, residual, seed, n.

        Raises:
            TypeError: an unknown setting name, or a non-bool residual.
            ValueError: a value out of range.  Either way nothing changes.
        """
        unknown = sorted(set(changes) - set(SETTINGS))
        if unknown:
            raise TypeError(
                f"unknown explorer setting(s) {unknown}; expected some of {list(SETTINGS)}"
            )
        settings = {**self.settings, **changes}
        curve = gradient_norm_curve(**settings)  # validates before anything is stored
        self.settings = settings
        return self._draw(curve)

    def _draw(self, c):
        """Move the artists to curve ``c`` and redraw (blitting while the limits stay)."""
        self.curve = c
        lo, hi = _log_span(c)
        if (
            self._view is not None
            and self._view[0] == c.T
            and lo >= self._view[1] * 10
            and hi <= self._view[2] / 10
        ):
            ylo, yhi = self._view[1:]
        else:  # new limits covering the slider grid and this curve; full redraw below
            glo, ghi = _grid_span(c.T, c.activation, c.residual, c.seed, c.n)
            ylo = 10.0 ** max(np.floor(np.log10(min(lo, glo))) - 1, -280)
            yhi = 10.0 ** min(np.ceil(np.log10(max(hi, ghi))) + 1, 280)
        y = c.norms.copy()
        top = 10.0 ** (np.log10(yhi) - 0.04 * (np.log10(yhi) - np.log10(ylo)))
        y[c.overflow] = top
        y[y <= 0] = ylo
        ok = ~c.overflow
        self.line.set_data(c.k[ok], y[ok])
        self.over_line.set_data(c.k[~ok], y[~ok])
        self.bound_line.set_data(c.k, np.clip(c.bound, ylo, yhi))
        if c.lower is None:
            self.lower_line.set_data([], [])
        else:
            self.lower_line.set_data(c.k, np.clip(c.lower, ylo, yhi))
        text = badge_text(c)
        if c.overflow.any():
            text += f"\noverflow: float64 inf/NaN for k ≤ {int(c.k[c.overflow].max())} (drawn as × at the top)"
        self.badge.set_text(text)
        canvas = self.fig.canvas
        if self._view != (c.T, ylo, yhi):
            self.ax.set_xlim(0, c.T)
            self.ax.set_ylim(ylo, yhi)
            self.ax.set_yticks(_decade_ticks(ylo, yhi))
            canvas.draw()  # everything except the animated (dynamic) artists
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._view = (c.T, ylo, yhi)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.fig.draw_artist(artist)
        return c

    def png(self):
        """The figure as last drawn by :meth:`update`, as PNG bytes (what the live widget shows)."""
        import io

        from PIL import Image

        buf = io.BytesIO()
        rgb = np.asarray(self.fig.canvas.buffer_rgba())[..., :3]
        Image.fromarray(rgb).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def widget(self):
        """ipywidgets controls (σ₁ slider, T, activation, residual, seed) and the figure image."""
        import ipywidgets as w

        s = self.settings
        controls = dict(
            sigma1=w.FloatSlider(
                value=s["sigma1"],
                min=0.5,
                max=1.5,
                step=0.05,
                description="σ₁",
                continuous_update=True,
            ),
            T=w.Dropdown(options=list(T_CHOICES), value=s["T"], description="T"),
            activation=w.Dropdown(
                options=list(ACTIVATION_NAMES), value=s["activation"], description="f"
            ),
            residual=w.Checkbox(value=s["residual"], description="residual (6.50)"),
            seed=w.IntSlider(value=s["seed"], min=0, max=20, description="seed"),
        )
        # the image scales down with its column (a phone); the PNG keeps its pixels
        image = w.Image(
            value=self.png(),
            format="png",
            layout=w.Layout(max_width="100%", height="auto"),
        )

        def on_change(change):
            self.update(**{name: c.value for name, c in controls.items()})
            image.value = self.png()

        for c in controls.values():
            c.observe(on_change, names="value")
        wrap = w.Layout(flex_flow="row wrap")
        return w.VBox(
            [
                w.HBox([controls["sigma1"], controls["T"]], layout=wrap),
                w.HBox(
                    [controls["activation"], controls["residual"], controls["seed"]],
                    layout=wrap,
                ),
                image,
            ]
        )
