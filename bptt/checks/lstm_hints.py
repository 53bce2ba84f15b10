"""The LSTM backward checks' diagnoses: the planted cell mistakes and the hint of each gradient.

Each hint is one whole message (the gate's rule and the parameter's), so that
translators see whole sentences.
"""

from ..i18n import N_
from .lstm_forward import SLICE_HINT

CELL_MISTAKES = [
    (
        "partial_gate",
        N_(
            "the gate derivative must multiply the WHOLE cell gradient dc = dc_next "
            "+ ot ⊙ (1 − tanh²(c_next)) ⊙ da_next, not only its da_next part (put "
            "the parentheses around both terms)."
        ),
    ),
    (
        "dc_prev_no_a",
        N_(
            "dc_prev also has the path through a_next: dc_prev = (dc_next + ot ⊙ (1 "
            "− tanh²(c_next)) ⊙ da_next) ⊙ ft."
        ),
    ),
    (
        "forget_c_next",
        N_("the forget gate multiplies c_prev, so dft uses c_prev, not c_next."),
    ),
    (
        "cct_erratum",
        N_(
            "cct is already tanh(·): its derivative is 1 − cct², with no extra "
            "factor cct and no second tanh."
        ),
    ),
    (
        "dot_no_tanh",
        N_(
            "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot): the factor tanh(c_next) "
            "is missing."
        ),
    ),
    ("mean_bias", N_("the bias gradients are sums over the batch axis, not means.")),
    (
        "dbc_no_tanh",
        N_(
            "dbc sums dcct, the gradient at the candidate's pre-activation, dc ⊙ it "
            "⊙ (1 − cct²) (the printed (17) names an undefined dγ_c: erratum E5)."
        ),
    ),
    (
        "concat_order",
        N_(
            "concat = [a_prev; xt] as in the forward: dW = dgate · concatᵀ with "
            "a_prev's rows first."
        ),
    ),
]


DC = "dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next"


GATE_HINTS = {
    "o": "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot).",
    "f": f"dft = dc ⊙ c_prev ⊙ ft ⊙ (1 − ft) with {DC}.",
    "i": f"dit = dc ⊙ cct ⊙ it ⊙ (1 − it) with {DC}.",
    "c": f"dcct = dc ⊙ it ⊙ (1 − cct²) with {DC} (cct is already tanh(·): no extra factor).",
}


# Judged in this order: the gate gradients first (each depends on one gate only), then what mixes them.
GATE_ORDER = ("o", "f", "i", "c")


JUDGE_ORDER = tuple(f"d{w}{g}" for g in GATE_ORDER for w in ("b", "W"))


CELL_HINTS = {  # GATE_HINTS[g] and the parameter's rule, each written whole for translators
    "dWf": N_(
        "dft = dc ⊙ c_prev ⊙ ft ⊙ (1 − ft) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ "
        "da_next. Then dW = dgate · [a_prev; xt]ᵀ."
    ),
    "dbf": N_(
        "dft = dc ⊙ c_prev ⊙ ft ⊙ (1 − ft) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ "
        "da_next. Sum over the batch axis."
    ),
    "dWi": N_(
        "dit = dc ⊙ cct ⊙ it ⊙ (1 − it) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ "
        "da_next. Then dW = dgate · [a_prev; xt]ᵀ."
    ),
    "dbi": N_(
        "dit = dc ⊙ cct ⊙ it ⊙ (1 − it) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ "
        "da_next. Sum over the batch axis."
    ),
    "dWc": N_(
        "dcct = dc ⊙ it ⊙ (1 − cct²) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next "
        "(cct is already tanh(·): no extra factor). Then dW = dgate · [a_prev; xt]ᵀ."
    ),
    "dbc": N_(
        "dcct = dc ⊙ it ⊙ (1 − cct²) with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next "
        "(cct is already tanh(·): no extra factor). Sum over the batch axis."
    ),
    "dWo": N_(
        "dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot). Then dW = dgate · [a_prev; xt]ᵀ."
    ),
    "dbo": N_("dot = da_next ⊙ tanh(c_next) ⊙ ot ⊙ (1 − ot). Sum over the batch axis."),
    "dxt": SLICE_HINT,
    "da_prev": SLICE_HINT,
    "dc_prev": N_(
        "dc_prev = dc ⊙ ft with dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next."
    ),
}
