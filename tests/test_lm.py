"""The language-model helpers: layout, state carry, truncation, sampling, perplexity, PyTorch, robustness."""

import math
from pathlib import Path

import numpy as np
import pytest

from bptt import one_hot, rnn_forward, rnn_loss_and_grads
from bptt.lm import (
    chunk_bounds,
    evaluate_lm,
    gradient_agreement,
    lm_batches,
    load_corpus,
    sample_text,
    sequential_streams,
    train_lm,
    train_lm_torch,
    truncated_gradient,
)

CORPUS = Path(__file__).resolve().parent.parent / "bptt" / "data" / "genesis-kjv.txt"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


def lm_parameters(vocab, n_a=16, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, vocab)) / np.sqrt(vocab),
        "Waa": scale * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
        "Wya": rng.standard_normal((vocab, n_a)) / np.sqrt(n_a),
        "ba": 0.1 * rng.standard_normal((n_a, 1)),
        "by": 0.1 * rng.standard_normal((vocab, 1)),
    }


def test_corpus_split_is_contiguous(corpus):
    assert corpus.decode(np.concatenate([corpus.train, corpus.valid])) == corpus.text
    assert abs(len(corpus.valid) - 0.1 * len(corpus.text)) <= 1
    assert corpus.chars == "".join(sorted(set(corpus.text)))
    assert len(CORPUS.read_bytes()) <= 1_000_000


def test_sequential_streams_layout():
    ids = np.arange(23)
    inputs, targets = sequential_streams(ids, 3, offset=1)
    n = (23 - 1 - 1) // 3
    assert inputs.shape == targets.shape == (3, n)
    for i in range(3):  # row i is one contiguous stretch of the text
        np.testing.assert_array_equal(inputs[i], np.arange(1 + i * n, 1 + (i + 1) * n))
    np.testing.assert_array_equal(targets, inputs + 1)


def test_batches_continue_each_stream():
    ids = np.arange(200)
    chunks = list(lm_batches(ids, m=4, K=5, epochs=1, seed=3))
    assert [carry for _, _, carry in chunks] == [False] + [True] * (len(chunks) - 1)
    for (x0, _, _), (x1, _, _) in zip(chunks, chunks[1:]):
        np.testing.assert_array_equal(
            x1[:, 0], x0[:, -1] + 1
        )  # the next chunk starts where this one stopped
    assert all(
        not carry for _, _, carry in lm_batches(ids, m=4, K=5, epochs=2, mode="reset")
    )
    random = list(lm_batches(ids, m=4, K=6, epochs=1, mode="random", seed=3))
    lengths = [x.shape[1] for x, _, _ in random[:-1]]
    assert min(lengths) >= 3 and max(lengths) <= 9 and len(set(lengths)) > 1


def test_chunk_bounds_cover_all_steps():
    assert chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    bounds = chunk_bounds(100, 8, np.random.default_rng(0))
    assert bounds[0][0] == 0 and bounds[-1][1] == 100
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))


def test_stateful_chunks_equal_one_long_forward(corpus):
    p = lm_parameters(corpus.vocab)
    inputs, _ = sequential_streams(corpus.valid[:2000], 4)
    a_long, _, _ = rnn_forward(one_hot(inputs, corpus.vocab), np.zeros((16, 4)), p)
    a = np.zeros((16, 4))
    for start, stop in chunk_bounds(inputs.shape[1], 7):
        a_chunk, _, _ = rnn_forward(one_hot(inputs[:, start:stop], corpus.vocab), a, p)
        np.testing.assert_array_equal(a_chunk, a_long[:, :, start:stop])
        a = a_chunk[:, :, -1]
    long = evaluate_lm(p, corpus.valid[:2000], m=4, K=10_000)
    chunked = evaluate_lm(p, corpus.valid[:2000], m=4, K=7)
    assert math.isclose(chunked["cross_entropy"], long["cross_entropy"], rel_tol=1e-13)
    reset = evaluate_lm(p, corpus.valid[:2000], m=4, K=7, carry=False)
    assert reset["cross_entropy"] != chunked["cross_entropy"]


def test_perplexity_is_exp_of_mean_cross_entropy(corpus):
    p = lm_parameters(corpus.vocab)
    inputs, targets = sequential_streams(corpus.valid[:1000], 3)
    _, y_pred, _ = rnn_forward(one_hot(inputs, corpus.vocab), np.zeros((16, 3)), p)
    probs = np.take_along_axis(y_pred, targets[None], axis=0)[
        0
    ]  # ŷ of each target, (m, n)
    result = evaluate_lm(p, corpus.valid[:1000], m=3, K=9)
    assert math.isclose(result["cross_entropy"], -np.mean(np.log(probs)), rel_tol=1e-13)
    assert result["perplexity"] == math.exp(result["cross_entropy"])


def test_truncation_at_full_length_is_full_bptt(corpus):
    p = lm_parameters(corpus.vocab)
    x_ids, y_ids = sequential_streams(corpus.valid[:400], 5)
    x_ids, y_ids = x_ids[:, :30], y_ids[:, :30]
    a0 = np.zeros((16, 5))
    _, full = rnn_loss_and_grads(one_hot(x_ids, corpus.vocab), y_ids, a0, p)
    for K in (30, 31):
        grads = truncated_gradient(x_ids, y_ids, a0, p, K)
        for k in full:
            np.testing.assert_array_equal(grads[k], full[k])
        cosine, error = gradient_agreement(grads, full)
        assert error == 0.0 and abs(cosine - 1) < 1e-15
    cosine, error = gradient_agreement(truncated_gradient(x_ids, y_ids, a0, p, 3), full)
    assert 0 < error and cosine < 1
    # dWya and dby see no recurrence: K = 1 already gets them exactly (up to summation order)
    one = truncated_gradient(x_ids, y_ids, a0, p, 1)
    np.testing.assert_allclose(one["dWya"], full["dWya"], rtol=1e-12, atol=1e-15)


def test_temperature_to_zero_is_greedy(corpus):
    p = lm_parameters(corpus.vocab, scale=2.0)
    greedy = sample_text(p, corpus, "And God", 60, temperature=0)
    assert sample_text(p, corpus, "And God", 60, temperature=1e-6, seed=5) == greedy
    hot = {
        sample_text(p, corpus, "And God", 60, temperature=1.0, seed=s) for s in range(3)
    }
    assert len(hot) == 3 and greedy not in hot


def test_torch_agrees_on_three_steps(corpus):
    p = lm_parameters(corpus.vocab, n_a=12)
    kwargs = dict(
        m=6, K=10, epochs=1, learning_rate=0.02, max_norm=0.5, max_iterations=3
    )
    for mode in ("stateful", "random"):
        trained, history = train_lm(p, corpus.train[:5000], mode=mode, **kwargs)
        trained_torch, losses = train_lm_torch(
            p, corpus.train[:5000], mode=mode, **kwargs
        )
        assert len(losses) == 3
        np.testing.assert_allclose(history["loss"], losses, rtol=0, atol=1e-12)
        for k in p:
            np.testing.assert_allclose(trained[k], trained_torch[k], rtol=0, atol=1e-12)


def printed_summary(parameters, corpus):
    """What a chapter would print about a short run: rounded perplexities, a greedy sample."""
    trained, history = train_lm(
        parameters,
        corpus.train[:20_000],
        m=8,
        K=8,
        epochs=1,
        learning_rate=0.01,
        max_norm=1.0,
        valid_ids=corpus.valid[:4000],
        eval_every=100,
    )
    train_ppl = evaluate_lm(trained, corpus.train[:20_000], m=8)["perplexity"]
    return (
        f"train {train_ppl:.2f}, valid {math.exp(history['valid'][-1][1]):.2f}\n"
        + sample_text(trained, corpus, "And ", 80, temperature=0)
        + sample_text(trained, corpus, "And ", 80, temperature=0.7, seed=1)
    )


def test_printed_outputs_survive_last_bit_changes(corpus):
    """Weights perturbed by a relative 1e-12 (another BLAS's rounding) print the same."""
    p = lm_parameters(corpus.vocab, n_a=24)
    rng = np.random.default_rng(1)
    perturbed = {
        k: v * (1 + 1e-12 * rng.standard_normal(v.shape)) for k, v in p.items()
    }
    assert printed_summary(perturbed, corpus) == printed_summary(p, corpus)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda c, p: load_corpus(CORPUS.with_name("missing.txt")), "path"),
        (lambda c, p: load_corpus(CORPUS, valid_fraction=1.5), "valid_fraction"),
        (lambda c, p: sequential_streams(c.train, 0), "m"),
        (lambda c, p: list(lm_batches(c.train, m=4, K=0, epochs=1)), "K"),
        (
            lambda c, p: list(
                lm_batches(c.train, m=4, K=8, epochs=1, mode="stateless")
            ),
            "mode",
        ),
        (
            lambda c, p: train_lm(p, c.train.astype(float), m=4, K=8, epochs=1),
            "train_ids",
        ),
        (
            lambda c, p: train_lm(
                p, c.train, m=4, K=8, epochs=1, valid_ids=c.valid + 100
            ),
            "valid_ids",
        ),
        (lambda c, p: sample_text(p, c, "And", 10, temperature=-1), "temperature"),
        (lambda c, p: sample_text(p, c, "And €", 10), "vocabulary"),
        (
            lambda c, p: truncated_gradient(
                c.train[:10][None], c.train[1:12][None], np.zeros((16, 1)), p, 4
            ),
            "y_ids",
        ),
    ],
)
def test_bad_input_names_the_argument(corpus, call, name):
    with pytest.raises(ValueError, match=name):
        call(corpus, lm_parameters(corpus.vocab))
