"""The explorer's numbers: how ‖∂L_T/∂h_k‖ shrinks or grows with T − k.

:func:`gradient_norm_curve` computes every number the explorer shows; the live
widget (:mod:`bptt.explorer.live`) and the static figures
(:mod:`bptt.explorer.figures`) both call it, so they cannot disagree.

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
γ_f σ₁ < 1, ≥ (1 − γ_f σ₁)^{T−k}.  With the identity and U = σ₁Q the plain
bound is attained: ‖∂L_T/∂h_k‖ = σ₁^{T−k} exactly.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..activations import ACTIVATIONS
from ..delta import error_terms, srn_forward

#: Grid of the static explorer (course-notes §5.1).
SIGMA_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(21))
T_CHOICES = (10, 25, 50, 100, 200)
T_MAX = 200
SIGMA_MAX = 100.0
N_MAX = 256
#: Activation names in the order the controls list them.
ACTIVATION_NAMES = ("tanh", "sigmoid", "relu", "identity")

VERDICT_PLAIN_VANISH = "vanishing guaranteed"
VERDICT_PLAIN_FLAT = "growth ruled out (bound = 1); vanishing not guaranteed"
VERDICT_PLAIN_POSSIBLE = "explosion possible, not guaranteed"
VERDICT_RESIDUAL_BRACKETED = (
    "explosion possible, not guaranteed; decay at most (1 − γ_f σ₁)^(T−k)"
)
VERDICT_RESIDUAL_OPEN = "explosion possible, not guaranteed; vanishing not ruled out"
# identity, plain: every factor σ₁Qᵀ scales norms by exactly σ₁, so the bound is attained
VERDICT_EXACT_VANISH = "exact: ‖∂L_T/∂h_k‖ = σ₁^(T−k), the bound; vanishes"
VERDICT_EXACT_FLAT = "exact: ‖∂L_T/∂h_k‖ = 1 for every k"
VERDICT_EXACT_EXPLODE = "exact: ‖∂L_T/∂h_k‖ = σ₁^(T−k), the bound; explodes"
VERDICTS = (
    VERDICT_PLAIN_VANISH,
    VERDICT_PLAIN_FLAT,
    VERDICT_PLAIN_POSSIBLE,
    VERDICT_RESIDUAL_BRACKETED,
    VERDICT_RESIDUAL_OPEN,
    VERDICT_EXACT_VANISH,
    VERDICT_EXACT_FLAT,
    VERDICT_EXACT_EXPLODE,
)


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

    Raises:
        ValueError: n not an integer in [1, 256], or seed not a non-negative integer.
    """
    _check_n_seed(n, seed)
    Q, W, x, v = _draws(int(n), int(seed))
    return {"Q": Q.copy(), "W": W.copy(), "x": x.copy(), "v": v.copy()}


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def _check_n_seed(n, seed):
    if not _is_int(n) or not 1 <= n <= N_MAX:
        raise ValueError(f"hidden size n must be an integer in [1, {N_MAX}], got {n!r}")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def check_settings(sigma1, T, activation, n, seed):
    """Validate the explorer settings once, at the door; returns σ₁ as a float.

    Raises:
        ValueError: naming the argument, the allowed range or names, and the value given.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}"
        )
    try:
        s = float(sigma1)
    except (TypeError, ValueError):
        raise ValueError(
            f"sigma1 must be a number in [0, {SIGMA_MAX}], got {sigma1!r}"
        ) from None
    if (
        isinstance(sigma1, (bool, np.bool_)) or not 0.0 <= s <= SIGMA_MAX
    ):  # the comparison also rejects nan
        raise ValueError(f"sigma1 must be a number in [0, {SIGMA_MAX}], got {sigma1!r}")
    if not _is_int(T) or not 1 <= T <= T_MAX:
        raise ValueError(f"T must be an integer in [1, {T_MAX}], got {T!r}")
    _check_n_seed(n, seed)
    return s


def check_residual(residual):
    """``residual`` as a bool; a string such as "False" is an error, not a truthy value.

    Raises:
        TypeError: residual is not a bool (or numpy bool).
    """
    if not isinstance(residual, (bool, np.bool_)):
        raise TypeError(
            f"residual must be a bool (True or False), got {residual!r} of type {type(residual).__name__}"
        )
    return bool(residual)


def verdict(gain, residual, activation="tanh"):
    """What the theory says exactly for per-step gain γ_f·σ₁ (one of :data:`VERDICTS`).

    Plain RNN: γ_f σ₁ < 1 is sufficient for vanishing, = 1 rules out growth,
    > 1 only makes explosion possible (Pascanu et al. 2013, §3.1); with the
    identity (and U = σ₁Q) the curve *is* the bound σ₁^{T−k}.  Residual update
    (6.50): the upper bound 1 + γ_f σ₁ exceeds 1 for every U ≠ 0, so explosion
    is never ruled out; when γ_f σ₁ < 1 the decay is at most (1 − γ_f σ₁)^{T−k}.
    """
    if residual:
        return VERDICT_RESIDUAL_BRACKETED if gain < 1 else VERDICT_RESIDUAL_OPEN
    if activation == "identity":
        return (
            VERDICT_EXACT_VANISH
            if gain < 1
            else VERDICT_EXACT_FLAT
            if gain == 1
            else VERDICT_EXACT_EXPLODE
        )
    return (
        VERDICT_PLAIN_VANISH
        if gain < 1
        else VERDICT_PLAIN_FLAT
        if gain == 1
        else VERDICT_PLAIN_POSSIBLE
    )


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
        residual: bool; False for the plain RNN h_t = f(z_t), True for NNDL (6.50)
            h_t = h_{t-1} + f(z_t).
        seed: seed of the draws (Q, W, x, v); non-negative integer.
        n: hidden size (also the input size), integer in [1, 256].

    Returns:
        :class:`ExplorerCurve`.  Overflow is not an error: non-finite norms
        are returned as inf/nan and flagged in ``overflow``; no warning is raised.

    Raises:
        ValueError: naming the allowed range or names for any bad argument.
        TypeError: residual is not a bool.

    Source: NNDL (6.36)/(6.47) (plain), exercise 6-3 recursion (residual);
    bounds from Pascanu, Mikolov & Bengio (ICML 2013) §3.1.
    """
    s = check_settings(sigma1, T, activation, n, seed)
    residual = check_residual(residual)
    T, n = int(T), int(n)
    f, f_prime, gamma_f = ACTIVATIONS[activation]
    Q, W, x, v = _draws(n, int(seed))
    U = s * Q
    norms = np.empty(T + 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        # forward: keep only f'(z_t)
        Wx = x[:T] @ W.T
        fp = np.empty((T, n))
        h = np.zeros(n)
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
        k=np.arange(T + 1),
        norms=norms,
        bound=bound,
        lower=lower,
        overflow=~np.isfinite(norms),
        sigma1=s,
        gamma_f=gamma_f,
        T=T,
        activation=activation,
        residual=residual,
        seed=int(seed),
        n=n,
        verdict=verdict(gain, residual, activation),
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

    Raises:
        ValueError: as :func:`gradient_norm_curve`.
    """
    s = check_settings(sigma1, T, activation, n, seed)
    Q, W, x, v = _draws(int(n), int(seed))
    T = int(T)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        z, _ = srn_forward(
            x[:T], np.zeros(int(n)), s * Q, W, np.zeros(int(n)), f=activation
        )
        delta = error_terms(z, s * Q, np.tile(v, (T, 1)), f=activation)
        out = np.log10(np.linalg.norm(delta, axis=2))
    out[np.triu_indices(T, 1)] = np.nan
    return out
