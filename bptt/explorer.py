"""The gradient-norm explorer: how ‖∂L_T/∂h_k‖ shrinks or grows with T − k.

One function, :func:`gradient_norm_curve`, computes every number the
explorer shows.  The live version (:class:`LiveExplorer`, ipywidgets +
matplotlib, for Jupyter/Binder) and the static version
(:func:`static_explorer_html`, Vega-Lite with precomputed curves, for the
book without a kernel) both call it, so the two cannot disagree.

Model (NNDL §6.2, and the residual update NNDL (6.50)), h_0 = 0, b = 0:

    z_t = U h_{t-1} + W x_t,
    plain:     h_t = f(z_t),
    residual:  h_t = h_{t-1} + f(z_t),           t = 1 … T,

with U = σ₁·Q (Q orthogonal, so every singular value of U is σ₁),
W = N(0, 1)/√n and x_t ~ N(0, 1).  The loss is taken at the last step
only, L_T = vᵀ h_T with a fixed unit vector v, so ∂L_T/∂h_T = v and

    ∂L_T/∂h_{k-1} = [∂L_T/∂h_k if residual] + Uᵀ (f'(z_k) ⊙ ∂L_T/∂h_k),

which is NNDL (6.36) in terms of ∂L_T/∂h_k = Uᵀ δ_{T,k+1} (plain case), and the
corrected recursion of exercise 6-3 (residual case).

Bounds (Pascanu, Mikolov & Bengio 2013, with γ_f = sup|f'|):
plain ‖∂L_T/∂h_k‖ ≤ (γ_f σ₁)^{T−k}; residual ≤ (1 + γ_f σ₁)^{T−k} and, when
γ_f σ₁ < 1, ≥ (1 − γ_f σ₁)^{T−k}.
"""

from dataclasses import dataclass
from functools import lru_cache
import hashlib
import json

import numpy as np

from .activations import ACTIVATIONS
from .delta import error_terms, srn_forward

#: Grid of the static explorer (course-notes §5.1).
SIGMA_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(21))
T_CHOICES = (10, 25, 50, 100, 200)
T_MAX = 200
SIGMA_MAX = 100.0
N_MAX = 256
#: Activation names in the order the controls list them.
ACTIVATION_NAMES = ("tanh", "sigmoid", "relu", "identity")

VERDICT_PLAIN_VANISH = "vanishing guaranteed"
VERDICT_PLAIN_POSSIBLE = "explosion possible, not guaranteed"
VERDICT_RESIDUAL_BRACKETED = "explosion possible, not guaranteed; decay at most (1 − γ_f σ₁)^(T−k)"
VERDICT_RESIDUAL_OPEN = "explosion possible, not guaranteed; vanishing not ruled out"
VERDICTS = (VERDICT_PLAIN_VANISH, VERDICT_PLAIN_POSSIBLE, VERDICT_RESIDUAL_BRACKETED, VERDICT_RESIDUAL_OPEN)


@dataclass(frozen=True)
class ExplorerCurve:
    """The result of :func:`gradient_norm_curve` (arrays indexed by k = 0 … T).

    Attributes:
        k: step indices 0 … T, shape (T + 1,), int.
        norms: ‖∂L_T/∂h_k‖₂, shape (T + 1,), float64, dimensionless (norms[T] = 1).
            May hold ``inf``/``nan`` where float64 overflowed (see ``overflow``)
            and 0 where it underflowed.
        bound: the upper bound (γ_f σ₁)^{T−k} (plain) or (1 + γ_f σ₁)^{T−k}
            (residual), shape (T + 1,); may be ``inf`` when the bound itself overflows.
        lower: (1 − γ_f σ₁)^{T−k} for the residual update when γ_f σ₁ < 1,
            else ``None``.
        overflow: boolean mask, shape (T + 1,): True where ``norms`` is not finite.
        sigma1, gamma_f, T, activation, residual, seed, n: the settings.
        verdict: one of :data:`VERDICTS`.
    """

    k: np.ndarray
    norms: np.ndarray
    bound: np.ndarray
    lower: np.ndarray | None
    overflow: np.ndarray
    sigma1: float
    gamma_f: float
    T: int
    activation: str
    residual: bool
    seed: int
    n: int
    verdict: str

    @property
    def gain(self):
        """γ_f · σ₁, the Pascanu bound on one plain step's Jacobian norm."""
        return self.gamma_f * self.sigma1


def orthogonal_matrix(n, seed):
    """A Haar-random orthogonal matrix: QR of a seeded Gaussian with the sign fix.

    Args:
        n: size; seed: seed of ``np.random.default_rng``.

    Returns:
        Q, shape (n, n), float64, QᵀQ = I.  The columns of the QR factor are
        multiplied by sign(diag R) so the result does not depend on the
        LAPACK sign convention.
    """
    A = np.random.default_rng(seed).standard_normal((n, n))
    Q, R = np.linalg.qr(A)
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


@lru_cache(maxsize=32)
def _draws(n, seed):
    """Q (n, n), W (n, n), x (T_MAX, n) and the unit vector v (n,), read-only."""
    Q = orthogonal_matrix(n, seed)
    rng = np.random.default_rng([seed, 1])
    W = rng.standard_normal((n, n)) / np.sqrt(n)
    x = rng.standard_normal((T_MAX, n))
    v = rng.standard_normal(n)
    v /= np.linalg.norm(v)
    for a in (Q, W, x, v):
        a.setflags(write=False)
    return Q, W, x, v


def explorer_inputs(n=16, seed=0):
    """The fixed random draws behind the explorer (copies).

    Returns:
        dict with Q (n, n) orthogonal, W (n, n) = N(0,1)/√n, x (200, n) ~ N(0,1)
        (the first T rows are used) and v (n,), the unit vector ∂L_T/∂h_T.
    """
    _check_n_seed(n, seed)
    Q, W, x, v = _draws(int(n), int(seed))
    return {"Q": Q.copy(), "W": W.copy(), "x": x.copy(), "v": v.copy()}


def _check_n_seed(n, seed):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= N_MAX:
        raise ValueError(f"hidden size n must be an integer in [1, {N_MAX}], got {n!r}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def _check(sigma1, T, activation_name, n, seed):
    if activation_name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation_name!r}; expected one of {sorted(ACTIVATIONS)}")
    try:
        s = float(sigma1)
    except (TypeError, ValueError):
        raise ValueError(f"sigma1 must be a number in [0, {SIGMA_MAX}], got {sigma1!r}") from None
    if not 0.0 <= s <= SIGMA_MAX:  # also rejects nan
        raise ValueError(f"sigma1 must be a number in [0, {SIGMA_MAX}], got {sigma1!r}")
    if not isinstance(T, (int, np.integer)) or isinstance(T, bool) or not 1 <= T <= T_MAX:
        raise ValueError(f"T must be an integer in [1, {T_MAX}], got {T!r}")
    _check_n_seed(n, seed)
    return s


def verdict(gain, residual):
    """The honest verdict for per-step gain γ_f·σ₁ (one of :data:`VERDICTS`).

    Plain RNN: γ_f σ₁ < 1 is sufficient for vanishing; γ_f σ₁ ≥ 1 only makes
    explosion possible (Pascanu et al. 2013, §3.1).  Residual update (6.50):
    the upper bound 1 + γ_f σ₁ exceeds 1 for every U ≠ 0, so explosion is never
    ruled out; when γ_f σ₁ < 1 the decay is at most (1 − γ_f σ₁)^{T−k}.
    """
    if not residual:
        return VERDICT_PLAIN_VANISH if gain < 1 else VERDICT_PLAIN_POSSIBLE
    return VERDICT_RESIDUAL_BRACKETED if gain < 1 else VERDICT_RESIDUAL_OPEN


def _norm(g):
    """‖g‖₂ without overflow in the squares (inf/nan in g give inf/nan)."""
    m = np.max(np.abs(g))
    if not np.isfinite(m):
        return m if not np.isnan(g).any() else np.nan
    if m == 0.0:
        return 0.0
    return m * np.sqrt(np.dot(g / m, g / m))


def gradient_norm_curve(sigma1, T, activation="tanh", residual=False, seed=0, n=16):
    """‖∂L_T/∂h_k‖ for k = 0 … T, its bound(s) and the verdict.

    Args:
        sigma1: largest singular value σ₁ of U (U = σ₁·Q, Q orthogonal), in [0, 100].
        T: sequence length, integer in [1, 200].
        activation: "tanh", "sigmoid", "relu" or "identity".
        residual: False for the plain RNN h_t = f(z_t), True for NNDL (6.50)
            h_t = h_{t-1} + f(z_t).
        seed: seed of the draws (Q, W, x, v); non-negative integer.
        n: hidden size (also the input size), integer in [1, 256].

    Returns:
        :class:`ExplorerCurve`.  Overflow is not an error: non-finite norms
        are returned as inf/nan and flagged in ``overflow``; no warning is raised.

    Raises:
        ValueError: naming the allowed range or names for any bad argument.

    Source: NNDL (6.36)/(6.47) (plain), exercise 6-3 recursion (residual);
    bounds from Pascanu, Mikolov & Bengio (ICML 2013) §3.1.
    """
    s = _check(sigma1, T, activation, n, seed)
    T = int(T)
    f, f_prime, gamma_f = ACTIVATIONS[activation]
    Q, W, x, v = _draws(int(n), int(seed))
    U = s * Q
    norms = np.empty(T + 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        # forward: keep only f'(z_t)
        Wx = x[:T] @ W.T
        fp = np.empty((T, int(n)))
        h = np.zeros(int(n))
        for t in range(T):
            z = U @ h + Wx[t]
            fz = f(z)
            h = h + fz if residual else fz
            fp[t] = f_prime(z)
        # backward: g = ∂L_T/∂h_k, from k = T down to 0
        g = v.copy()
        norms[T] = 1.0
        UT = U.T
        for k in range(T, 0, -1):
            back = UT @ (fp[k - 1] * g)
            g = g + back if residual else back
            norms[k - 1] = _norm(g)
        gain = gamma_f * s
        powers = np.arange(T, -1, -1, dtype=float)  # T − k
        bound = (1.0 + gain) ** powers if residual else gain**powers
        lower = (1.0 - gain) ** powers if (residual and gain < 1) else None
    return ExplorerCurve(
        k=np.arange(T + 1), norms=norms, bound=bound, lower=lower, overflow=~np.isfinite(norms),
        sigma1=s, gamma_f=gamma_f, T=T, activation=activation, residual=bool(residual),
        seed=int(seed), n=int(n), verdict=verdict(gain, residual),
    )


def delta_triangle(sigma1, T=30, activation="tanh", seed=0, n=16):
    """log₁₀‖δ_{t,k}‖ for every loss step t and every k ≤ t (NNDL Fig. 6.6 as numbers).

    Uses the explorer's draws (U = σ₁·Q, W, x) with the package's plain RNN
    (:func:`bptt.srn_forward`) and error terms (:func:`bptt.error_terms`,
    recursion (6.36)), with ∂L_t/∂h_t = v for every t.

    Args: as :func:`gradient_norm_curve` (no residual), T in [1, 200].

    Returns:
        array of shape (T, T), float64: entry [t-1, k-1] is log₁₀‖δ_{t,k}‖ for
        k ≤ t, ``nan`` above the diagonal (k > t); ``-inf`` where δ is exactly 0.
    """
    s = _check(sigma1, T, activation, n, seed)
    Q, W, x, v = _draws(int(n), int(seed))
    T = int(T)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        z, _ = srn_forward(x[:T], np.zeros(int(n)), s * Q, W, np.zeros(int(n)), f=activation)
        delta = error_terms(z, s * Q, np.tile(v, (T, 1)), f=activation)
        out = np.log10(np.linalg.norm(delta, axis=2))
    out[np.triu_indices(T, 1)] = np.nan
    return out


# --------------------------------------------------------------------------------------------
# Live explorer (Jupyter / Binder): ipywidgets + one reused matplotlib figure.
# --------------------------------------------------------------------------------------------

FLOOR = 1e-300  # plotted instead of 0 (underflow) on the log axis
CEILING = 1e300  # upper end of the log axis (inf/NaN are drawn near the top)


def _log_span(curve):
    """(lowest, highest) finite positive value among the curve and its bounds."""
    vals = [curve.norms, curve.bound] + ([curve.lower] if curve.lower is not None else [])
    v = np.concatenate(vals)
    v = v[np.isfinite(v) & (v > 0)]
    return max(v.min(initial=1.0), FLOOR), min(v.max(initial=1.0), CEILING)


def badge_text(curve):
    """The explorer badge: σ₁, γ_f, γ_f·σ₁ and the verdict (one line each)."""
    return (f"σ₁ = {curve.sigma1:.2f}   γ_f = {curve.gamma_f:g}   γ_f·σ₁ = {curve.gain:.3g}\n"
            f"{'residual (6.50)' if curve.residual else 'plain RNN'}: {curve.verdict}")


def _decade_ticks(lo, hi, most=7):
    """At most ``most`` powers of ten in [lo, hi], evenly spaced in the exponent."""
    e_lo, e_hi = np.log10(lo), np.log10(hi)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if (e_hi - e_lo) / s <= most)
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
    """

    def __init__(self, sigma1=1.0, T=50, activation="tanh", residual=False, seed=0, n=16, figsize=(6.4, 3.6), dpi=80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, NullLocator

        self.fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.fig)  # rendered off-screen; the widget shows the PNG
        # fixed margins (no constrained layout) and plain-text tick labels (no mathtext)
        self.fig.subplots_adjust(left=0.14, right=0.98, bottom=0.13, top=0.80)
        ax = self.ax = self.fig.add_subplot()
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}" if v > 0 else ""))
        ax.set_xlabel("k (state index)")
        ax.set_ylabel("‖∂L_T/∂h_k‖ (log scale)")
        ax.axhline(1.0, color="0.5", lw=0.8, label="1")
        (self.line,) = ax.plot([], [], color="C0", lw=1.6, label="‖∂L_T/∂h_k‖")
        (self.bound_line,) = ax.plot([], [], color="C3", ls="--", lw=1.2, label="upper bound")
        (self.lower_line,) = ax.plot([], [], color="C2", ls=":", lw=1.2, label="lower bound")
        (self.over_line,) = ax.plot([], [], "x", color="k", ms=4, label="overflow (inf/NaN)")
        self.fig.legend(loc="upper right", fontsize=7, ncol=2, frameon=False)
        self.badge = self.fig.text(0.01, 0.985, "", va="top", fontsize=7.5, bbox=dict(boxstyle="round", fc="w", ec="0.6"))
        self._dynamic = (self.line, self.bound_line, self.lower_line, self.over_line, self.badge)
        for artist in self._dynamic:
            artist.set_animated(True)
        self._background = None
        self._view = None  # (T, ylo, yhi) of the cached background
        self.settings = dict(sigma1=sigma1, T=T, activation=activation, residual=residual, seed=seed, n=n)
        self.curve = None
        self.update()

    def update(self, **changes):
        """Recompute with the changed settings and redraw; returns the new curve."""
        self.settings.update(changes)
        c = self.curve = gradient_norm_curve(**self.settings)
        lo, hi = _log_span(c)
        if self._view is not None and self._view[0] == c.T and lo >= self._view[1] * 10 and hi <= self._view[2] / 10:
            ylo, yhi = self._view[1:]
        else:  # new limits covering the slider grid and this curve; full redraw below
            s = self.settings
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
            sigma1=w.FloatSlider(value=s["sigma1"], min=0.5, max=1.5, step=0.05, description="σ₁", continuous_update=True),
            T=w.Dropdown(options=list(T_CHOICES), value=s["T"], description="T"),
            activation=w.Dropdown(options=list(ACTIVATION_NAMES), value=s["activation"], description="f"),
            residual=w.Checkbox(value=s["residual"], description="residual (6.50)"),
            seed=w.IntSlider(value=s["seed"], min=0, max=20, description="seed"),
        )
        image = w.Image(value=self.png(), format="png")

        def on_change(change):
            self.update(**{name: c.value for name, c in controls.items()})
            image.value = self.png()

        for c in controls.values():
            c.observe(on_change, names="value")
        return w.VBox([w.HBox([controls["sigma1"], controls["T"]]),
                       w.HBox([controls["activation"], controls["residual"], controls["seed"]]), image])


# --------------------------------------------------------------------------------------------
# Static explorer (book without kernel): Vega-Lite with bound parameters over precomputed curves.
# --------------------------------------------------------------------------------------------

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


def explorer_grid(sigmas=SIGMA_GRID, Ts=T_CHOICES, activations=ACTIVATION_NAMES, residuals=(False, True), seed=0, n=16):
    """Precompute the explorer curves over a grid (one record per curve).

    Returns:
        list of dicts {s: σ₁, T, a: activation, r: 0/1, v: verdict index into
        :data:`VERDICTS`, y: encoded log₁₀ norms for k = 0 … T (:func:`encode_log10`)}.
    """
    rows = []
    for a in activations:
        for r in residuals:
            for T in Ts:
                for s in sigmas:
                    c = gradient_norm_curve(s, T, a, r, seed, n)
                    rows.append({"s": s, "T": T, "a": a, "r": int(r), "v": VERDICTS.index(c.verdict),
                                 "y": encode_log10(c.norms)})
    return rows


def _js_str(s):
    return json.dumps(s, ensure_ascii=False)


def explorer_vegalite_spec(rows, sigma1=1.0, T=50, activation="tanh", residual=False):
    """The Vega-Lite (v6) spec of the static explorer for the records of :func:`explorer_grid`.

    Controls are Vega-Lite parameters bound to HTML inputs (range slider for σ₁,
    radio for T, select for the activation, checkbox for the residual update);
    they filter the records, the arrays are flattened to (k, log₁₀ norm), and the
    bounds are computed from the same formula as :func:`gradient_norm_curve`.
    """
    sig = sorted({r["s"] for r in rows})
    step = round(sig[1] - sig[0], 10) if len(sig) > 1 else 0.05
    verdicts = "[" + ",".join(_js_str(v) for v in VERDICTS) + "]"
    gamma = "(act == 'sigmoid' ? 0.25 : 1)"
    flag = "(datum.y >= %d)" % OVERFLOW_CODE
    ceiling = "(datum.ymax + 1)"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 560, "height": 300,
        "params": [
            {"name": "sigma1", "value": sigma1,
             "bind": {"input": "range", "min": sig[0], "max": sig[-1], "step": step, "name": "σ₁ (largest singular value of U) "}},
            {"name": "T", "value": T, "bind": {"input": "radio", "options": sorted({r["T"] for r in rows}), "name": "T "}},
            {"name": "act", "value": activation,
             "bind": {"input": "select", "options": [a for a in ACTIVATION_NAMES if any(r["a"] == a for r in rows)], "name": "activation f "}},
            {"name": "res", "value": bool(residual), "bind": {"input": "checkbox", "name": "residual update (6.50) "}},
        ],
        "data": {"values": rows},
        "transform": [
            {"filter": "abs(datum.s - sigma1) < 1e-6 && datum.T == T && datum.a == act && datum.r == (res ? 1 : 0)"},
            {"flatten": ["y"]},
            {"window": [{"op": "row_number", "as": "i"}]},
            {"calculate": "datum.i - 1", "as": "k"},
            {"calculate": f"{gamma} * sigma1", "as": "gain"},
            {"calculate": "res ? (datum.T - datum.k) * log(1 + datum.gain) / LN10 : (datum.T - datum.k) * log(datum.gain) / LN10", "as": "bound"},
            {"calculate": "res && datum.gain < 1 ? (datum.T - datum.k) * log(1 - datum.gain) / LN10 : null", "as": "lower"},
            {"calculate": f"{flag}", "as": "over"},
            {"calculate": f"datum.over || datum.y <= {UNDERFLOW_CODE} ? null : datum.y", "as": "yfin"},
            {"joinaggregate": [{"op": "max", "field": "bound", "as": "bmax"}, {"op": "max", "field": "yfin", "as": "yfmax"}]},
            {"calculate": "max(datum.yfmax, datum.bmax, 0)", "as": "ymax"},
            {"calculate": f"datum.over ? {ceiling} : (datum.y <= {UNDERFLOW_CODE} ? -330 : datum.y)", "as": "yplot"},
        ],
        "layer": [
            {"mark": {"type": "rule", "color": "#888", "strokeWidth": 1},
             "encoding": {"y": {"datum": 0, "type": "quantitative"}}},
            {"transform": [{"fold": ["yplot", "bound", "lower"], "as": ["series", "value"]},
                           {"filter": "datum.value != null && !(datum.series == 'yplot' && datum.over)"},
                           {"calculate": "{yplot: '‖∂L_T/∂h_k‖', bound: 'upper bound', lower: 'lower bound'}[datum.series]", "as": "curve"}],
             "mark": {"type": "line", "strokeWidth": 1.8, "clip": True},
             "encoding": {
                 "x": X_K,
                 "y": {"field": "value", "type": "quantitative", "title": "log₁₀ ‖∂L_T/∂h_k‖"},
                 "color": {"field": "curve", "type": "nominal", "title": None,
                           "scale": {"domain": ["‖∂L_T/∂h_k‖", "upper bound", "lower bound"], "range": ["#1f77b4", "#d62728", "#2ca02c"]},
                           "legend": {"orient": "bottom", "direction": "horizontal"}},
                 "strokeDash": {"field": "curve", "type": "nominal", "legend": None,
                                "scale": {"domain": ["‖∂L_T/∂h_k‖", "upper bound", "lower bound"], "range": [[1, 0], [6, 3], [2, 2]]}}}},
            {"transform": [{"filter": "datum.over"}],
             "mark": {"type": "point", "shape": "cross", "color": "black", "size": 30},
             "encoding": {"x": X_K, "y": {"field": "yplot", "type": "quantitative"}}},
            {"transform": [{"filter": "datum.k == 0"},
                           {"calculate": f"'σ₁ = ' + format(sigma1, '.2f') + '  |  γ_f = ' + {gamma} + '  |  γ_f·σ₁ = ' + format(datum.gain, '.3g')", "as": "l1"},
                           {"calculate": f"(res ? 'residual (6.50): ' : 'plain RNN: ') + {verdicts}[datum.v]", "as": "l2"},
                           {"calculate": f"datum.over ? 'overflow: float64 inf/NaN, drawn as × at the top' : ''", "as": "l3"},
                           {"calculate": "[datum.l1, datum.l2, datum.l3]", "as": "badge"}],
             # the badge sits above the plot area (negative y); autosize "pad" makes room for it
             "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 12, "x": 0, "y": -46, "lineHeight": 15},
             "encoding": {"text": {"field": "badge"}}},
        ],
        "config": {"view": {"stroke": "#ccc"}},
    }


def vega_embed_html(spec, signals, static_prefix="../_static/vega/", element_id=None, prefix_id="bptt-vega"):
    """HTML (div + script) embedding a Vega-Lite spec with the vendored vega scripts; no CDN.

    Args:
        spec: Vega-Lite spec (dict).
        signals: names of the bound parameters; after every redraw the div's
            ``data-explorer-state`` attribute holds their values as JSON.
        static_prefix: URL folder holding vega.min.js, vega-lite.min.js and
            vega-embed.min.js (``../_static/vega/`` for a chapter one folder deep).
        element_id: id of the div; default: ``prefix_id`` + hash of the spec
            (deterministic output).

    Returns:
        str.  The scripts are loaded once per page (shared promise), through
        require.js when it is present (vega's UMD bundles then register as AMD
        modules), else as plain script tags.
    """
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    if element_id is None:
        element_id = prefix_id + "-" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return (_EMBED_TEMPLATE.replace("__ID__", element_id).replace("__PREFIX__", static_prefix)
            .replace("__SIGNALS__", json.dumps(list(signals))).replace("__SPEC__", text))


def static_explorer_html(rows=None, static_prefix="../_static/vega/", element_id=None, **initial):
    """Self-contained HTML for the static gradient-norm explorer; no CDN, no network.

    Args:
        rows: records of :func:`explorer_grid` (computed when None).
        static_prefix, element_id: see :func:`vega_embed_html`.
        **initial: initial sigma1, T, activation, residual.

    Returns:
        str of HTML (see :func:`vega_embed_html`).
    """
    if rows is None:
        rows = explorer_grid()
    spec = explorer_vegalite_spec(rows, **initial)
    return vega_embed_html(spec, ["sigma1", "T", "act", "res"], static_prefix, element_id, "bptt-explorer")


def delta_triangle_html(sigmas=SIGMA_GRID, T=30, activation="tanh", seed=0, n=16, static_prefix="../_static/vega/"):
    """Static heat map of log₁₀‖δ_{t,k}‖ (:func:`delta_triangle`) with a σ₁ slider.

    Rows are the loss step t, columns k ≤ t; values rounded to 2 decimals.
    Returns HTML as :func:`vega_embed_html`.
    """
    values = []
    for s in sigmas:
        tri = delta_triangle(s, T, activation, seed, n)
        cells = []
        for t in range(T):
            for k in range(t + 1):
                y = tri[t, k]
                cells.append(round(float(y), 2) if np.isfinite(y) else None)
        values.append({"s": s, "d": cells})
    tk = [[t + 1, k + 1] for t in range(T) for k in range(t + 1)]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 330, "height": 300,
        "params": [{"name": "sigma1", "value": 1.0,
                    "bind": {"input": "range", "min": sigmas[0], "max": sigmas[-1], "step": round(sigmas[1] - sigmas[0], 10),
                             "name": "σ₁ (largest singular value of U) "}}],
        "data": {"values": values},
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
            "x": {"field": "k", "type": "ordinal", "title": "k (net input z_k)", "axis": {"values": list(range(0, T + 1, 5))}},
            "y": {"field": "t", "type": "ordinal", "title": "t (loss L_t)", "axis": {"values": list(range(0, T + 1, 5))}},
            "color": {"field": "d", "type": "quantitative", "title": "log₁₀‖δ_{t,k}‖",
                      "scale": {"scheme": "viridis", "domain": [-12, 0], "clamp": True}},
            "tooltip": [{"field": "t"}, {"field": "k"}, {"field": "d", "title": "log10 norm"}],
        },
        "title": f"δ_(t,k) triangle ({activation}, n = {n}, T = {T})",
    }
    return vega_embed_html(spec, ["sigma1"], static_prefix, None, "bptt-delta")


_EMBED_TEMPLATE = """<div id="__ID__" class="bptt-vega" data-explorer-state=""><em>Interactive figure: loading the local Vega scripts…</em></div>
<script>
(function () {
  var el = document.getElementById("__ID__");
  var spec = __SPEC__;
  var signals = __SIGNALS__;
  var prefix = "__PREFIX__";
  function show(vegaEmbed) {
    el.innerHTML = "";
    return vegaEmbed(el, spec, {renderer: "svg", actions: false, logLevel: 1}).then(function (result) {
      var view = result.view;
      function mark() {
        var state = {};
        signals.forEach(function (s) { state[s] = view.signal(s); });
        el.setAttribute("data-explorer-state", JSON.stringify(state));
      }
      signals.forEach(function (s) { view.addSignalListener(s, function () { view.runAsync().then(mark); }); });
      mark();
    });
  }
  function loadScripts() {
    if (window.vegaEmbed) { return Promise.resolve(window.vegaEmbed); }
    if (typeof window.define === "function" && window.define.amd && window.requirejs) {
      return new Promise(function (resolve, reject) {
        window.requirejs.config({paths: {"vega": prefix + "vega.min", "vega-lite": prefix + "vega-lite.min", "vega-embed": prefix + "vega-embed.min"}});
        window.requirejs(["vega-embed"], resolve, reject);
      });
    }
    function load(name) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = prefix + name;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    return load("vega.min.js").then(function () { return load("vega-lite.min.js"); })
      .then(function () { return load("vega-embed.min.js"); }).then(function () { return window.vegaEmbed; });
  }
  window.__bpttVegaEmbed = window.__bpttVegaEmbed || loadScripts();
  window.__bpttVegaEmbed.then(show).catch(function (err) { el.textContent = "Interactive figure failed: " + err; });
})();
</script>
"""
