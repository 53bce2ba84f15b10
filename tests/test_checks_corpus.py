"""The self-checks against a corpus of student code their author did not write (tests/student_code/).

Every correct implementation, in every published style, must pass; every
one-bug implementation must fail, and for the causes below its message must
name that cause.
"""

import pytest

from bptt.checks import CHECKS
from tests.student_code import correct, mistakes

CORRECT = [(name, fn) for name, fns in correct.CORRECT.items() for fn in fns]
CORRECT += [
    (name, fn) for name, _, fn in correct.AMBIGUOUS
]  # correct for every input the API allows

# cause id → words the verdict (message + hint) must contain
CAUSE_WORDS = {
    "not_implemented": "not implemented yet",
    "template_none": "None",
    "returns_none": "return",
    "missing_bias": "bias",
    "no_softmax": "softmax is missing",
    "softmax_wrong_axis": "softmax must normalise each column",
    "y_from_prev_state": "new state a_next, not a_prev",
    "wrong_return_arity": "must return",
    "wrong_cache_order": "in this order",
    "hardcoded_reshape": "size",
    "global_name": "is not defined inside your function",
    "chained_assignment_writes_cache": "in-place",
    "no_state_carry": "not carried forward",
    "started_from_output_slice": "start from a0",
    "caches_np_append": "caches.append(cache)",
    "caches_without_x": "caches = (caches_list, x)",
    "index_past_end_T1": "T = 1",
    "wraps_reference": "reference implementation",
    "tanh_derivative_of_prev": "not (1 − ",
    "no_tanh_derivative": "tanh derivative",
    "bias_no_keepdims": "keepdims=True",
    "bias_wrong_axis": "batch axis",
    "missing_key": "the keys are exactly",
    "inplace_modifies_input": "changed its argument",
    "no_backward_carry": "step t+1",
    "da_not_passed": "da[:, :, t] is never passed",
    "forward_time_order_in_backward": "loop backwards in time",
    "overwrites_instead_of_accumulates": "accumulate",
    "T_from_x": "da.shape[2]",
    "concat_order": "[a_prev; xt]",
    "gate_weights_mixup": "its own weights",
    "cell_view_alias": "view into",
    "c0_from_a0": "starts at zeros",
    "wrong_return_order": "in this order",
    "lstm_partial_gate_erratum": "WHOLE cell gradient",
    "lstm_dcct_erratum": "no extra factor",
    "lstm_dbc_erratum": "erratum E5",
    "lstm_row_slicing": "slice COLUMNS",
    "forget_uses_c_next": "uses c_prev, not c_next",
    "lstm_dot_missing_tanh": "tanh(c_next) is missing",
    "lstm_dc_prev_direct_only": "path through a_next",
    "lstm_cell_ignores_dc_next": "dc_next +",
    "dc_carry_missing": "cell gradient is not carried back",
    "adam_shared_moment_arrays": "two separate arrays",
    "adam_shared_moment_dict": "two separate arrays",
    "adam_keys_without_d": ("'d' + ", '"d" + name'),
    "adam_misses_last_layer": "stops one short",
    "adam_off_by_one_keys": "str(l + 1)",
    "wrong_moment_shape": "shape",
    "adam_eps_inside_sqrt": "outside the square root",
    "adam_t_plus_1": "1-based",
    "clip_per_array_norm": ("one global norm", "element-wise"),
    "mean_instead_of_sum_bias": "mean",
    "missing_transpose": ("transpose", "Waaᵀ", "a_prevᵀ"),
    "rnn_layer_no_transpose": ("transposed", "δ first"),
    "wrong_activation": ("tanh", "sigmoid"),
    "adam_no_sqrt": "square root",
    "adam_beta2_squared": "1 − β₂²",
    "adam_beta1_in_s": "β₂, not β₁",
    "adam_beta2_in_v": "β₁, not β₂",
    "adam_no_bias_correction": "bias correction is missing",
    "adam_store_corrected": "uncorrected moments",
    "adam_abs_g": "SQUARED",
    "adam_wrong_sign": "minus, not plus",
    "adam_uses_raw_gradient": "not the raw gradient",
    "adam_bias_correction_precedence": "not (1 - beta1) ** t",
    "adam_ignores_hyperparameters": "passed in",
    "dino_clip_only_positive": "clip both sides",
    "dino_clip_not_all_keys": "dby",
    "clip_result_discarded": "was not clipped",
    "clip_bounds_swapped": "min(max(g, −maxValue), maxValue)",
    "clip_always_scale": "only shrink",
    "clip_no_eps": "1e-6",
    "clip_returns_clipped_norm": "before clipping",
    "clip_modifies_input": "do not scale grads in place",
    "clip_sum_of_norms": "not the sum of their norms",
    "clip_no_sqrt": "square ROOT",
    "clipped_adam_no_clip": "BEFORE the Adam update",
    "ignores_learning_rate": "pass learning_rate on",
    "x_at_loss_step": "not with x_t",
    "diagonal_only": "not only k = t",
    "off_by_one_k_range": "includes k = t",
    "rnn_layer_one_bias": "bias",
    "h_n_first_step": "output[-1:]",
    "missing_layer_dim": "(1, m, H)",
    "ignores_d_h_n": "d_h_n",
    "negative_index_wraps": "output[-1]",
}


def _id(item):
    return f"{item[0]}:{getattr(item[-1], '__name__', 'fn')}"


@pytest.mark.parametrize(("name", "fn"), CORRECT, ids=[_id(c) for c in CORRECT])
def test_every_correct_style_passes(name, fn):
    verdict = CHECKS[name].run(fn)
    assert verdict.passed, verdict.text()


@pytest.mark.parametrize(
    ("name", "cause", "fn"),
    mistakes.MISTAKES,
    ids=[
        f"{n}:{c}:{f.__name__}" if hasattr(f, "__name__") else f"{n}:{c}"
        for n, c, f in mistakes.MISTAKES
    ],
)
def test_every_mistake_is_caught_and_named(name, cause, fn):
    with pytest.raises((AssertionError, NotImplementedError)) as info:
        CHECKS[name](fn)
    words = CAUSE_WORDS.get(cause, ())
    words = (words,) if isinstance(words, str) else words
    assert not words or any(w.lower() in str(info.value).lower() for w in words), str(
        info.value
    )


def test_the_corpus_covers_every_check_and_most_causes():
    # The class check and the GRU checks have their own tests (test_checks.py, test_checks_gru.py).
    assert set(correct.CORRECT) == {
        n for n in CHECKS if n != "RNNCell" and not n.startswith("gru_")
    }
    assert all(len(fns) >= 3 for fns in correct.CORRECT.values())
    causes = {cause for _, cause, _ in mistakes.MISTAKES}
    assert len(causes - set(CAUSE_WORDS)) <= 8, sorted(causes - set(CAUSE_WORDS))
