"""The probe cases of the character language model (bptt.lm)."""

import tempfile
from pathlib import Path

import numpy as np

import bptt
from bptt.lm import Corpus, chunk_bounds

from .common import N_A, PARAMS, Case, M, _arr, _rng

V = 4  # vocabulary: n_x = n_y
TEXT = (
    "abcd abcdd cab dab cabd " * 2
)  # 5 characters (with the space); ids below use the first V
_DIR = tempfile.mkdtemp(prefix="probe-lm-")
TEXT_FILE = str(Path(_DIR) / "tiny.txt")
Path(TEXT_FILE).write_text(TEXT, encoding="utf-8")


def _lm_params(seed=0):
    return bptt.random_rnn_parameters(V, N_A, V, _rng(seed))


def _ids(n=30, seed=5):
    return _rng(seed).integers(0, V, size=n)


def _chunk(seed=6, L=3):
    return _rng(seed).integers(0, V, size=(M, L))


def _corpus():
    return Corpus("abcab", "abc", np.array([0, 1, 2]), np.array([0, 1]))


_PATHS = [
    ("3", "error", lambda p: 3),
    ("1.5", "error", lambda p: 1.5),
    ("a list", "error", lambda p: [TEXT_FILE]),
    ("a directory", "error", lambda p: _DIR),
    ("no such file", "error", lambda p: TEXT_FILE + ".missing"),
    ("True", "error", lambda p: True),
    ("an empty path", "error", lambda p: ""),
]
_CORPORA = [
    ("None", "error", lambda c: None),
    ("a string", "error", lambda c: "abc"),
    ("a dict", "error", lambda c: {"chars": "abc"}),
    (
        "a smaller vocabulary",
        "error",
        lambda c: Corpus("ab", "ab", np.array([0, 1]), np.array([1, 0])),
    ),
]
_PROMPTS = [
    ("3", "error", lambda p: 3),
    ("None", "error", lambda p: None),
    ("a list", "error", lambda p: ["a"]),
    ("bytes", "error", lambda p: b"ab"),
    ("empty", "error", lambda p: ""),
    ("outside the vocabulary", "error", lambda p: "az"),
]
_RNGS = [
    ("3", "error", lambda r: 3),
    ("a string", "error", lambda r: "rng"),
    ("a RandomState", "error", lambda r: np.random.RandomState(0)),
]


def _train_lm(a):
    p, h = bptt.train_lm(
        a["parameters"],
        a["train_ids"],
        m=a["m"],
        K=a["K"],
        epochs=a["epochs"],
        mode=a["mode"],
        learning_rate=a["learning_rate"],
        max_norm=a["max_norm"],
        seed=a["seed"],
        valid_ids=a["valid_ids"],
        eval_every=a["eval_every"],
        max_iterations=a["max_iterations"],
        progress=a["progress"],
        desc=a["desc"],
    )
    return p, h["loss"], h["grad_norm"], h["valid"]


LM_CASES = [
    Case(
        "Corpus",
        lambda: dict(
            text="abcab", chars="abc", train=np.array([0, 1, 2]), valid=np.array([0, 1])
        ),
        lambda a: (lambda c: (c.text, c.chars, c.train, c.valid, c.vocab))(
            Corpus(a["text"], a["chars"], a["train"], a["valid"])
        ),
        {"text": "str", "chars": "str", "train": "int_array", "valid": "int_array"},
        {"train": "all", "valid": "all"},
    ),
    Case(
        "Corpus.encode",
        lambda: dict(text="cab"),
        lambda a: _corpus().encode(a["text"]),
        {"text": "str"},
    ),
    Case(
        "Corpus.decode",
        lambda: dict(ids=np.array([2, 0, 1])),
        lambda a: _corpus().decode(a["ids"]),
        {"ids": "int_array"},
        {"ids": "all"},
    ),
    Case(
        "load_corpus",
        lambda: dict(path=TEXT_FILE, valid_fraction=0.2),
        lambda a: (lambda c: (c.text, c.chars, c.train, c.valid))(
            bptt.load_corpus(a["path"], a["valid_fraction"])
        ),
        {"path": "custom", "valid_fraction": "frac_open"},
        custom={"path": _PATHS},
    ),
    Case(
        "sequential_streams",
        lambda: dict(ids=_ids(), m=M, offset=1),
        lambda a: bptt.sequential_streams(a["ids"], a["m"], a["offset"]),
        {"ids": "ids", "m": "posint", "offset": "nonnegint"},
        {"ids": "all"},
    ),
    Case(
        "chunk_bounds",
        lambda: dict(n_steps=7, K=3, rng=None),
        lambda a: chunk_bounds(a["n_steps"], a["K"], a["rng"]),
        {"n_steps": "posint", "K": "posint", "rng": "custom"},
        custom={"rng": _RNGS},
    ),
    Case(
        "lm_batches",
        lambda: dict(ids=_ids(), m=M, K=3, epochs=2, mode="random", seed=0),
        lambda a: list(
            bptt.lm_batches(
                a["ids"],
                m=a["m"],
                K=a["K"],
                epochs=a["epochs"],
                mode=a["mode"],
                seed=a["seed"],
            )
        ),
        {
            "ids": "ids",
            "m": "posint",
            "K": "posint",
            "epochs": "posint",
            "mode": "mode",
            "seed": "nonnegint",
        },
        {"ids": "all"},
    ),
    Case(
        "lm_loss_and_grads",
        lambda: dict(
            x_ids=_chunk(),
            y_ids=_chunk(7),
            a0=_arr(N_A, M, seed=3),
            parameters=_lm_params(),
        ),
        lambda a: bptt.lm_loss_and_grads(
            a["x_ids"], a["y_ids"], a["a0"], a["parameters"]
        ),
        {
            "x_ids": "int_array",
            "y_ids": "int_array",
            "a0": "array",
            "parameters": PARAMS,
        },
    ),
    Case(
        "truncated_gradient",
        lambda: dict(
            x_ids=_chunk(L=5),
            y_ids=_chunk(7, L=5),
            a0=_arr(N_A, M, seed=3),
            parameters=_lm_params(),
            K=2,
            rng=None,
        ),
        lambda a: bptt.truncated_gradient(
            a["x_ids"], a["y_ids"], a["a0"], a["parameters"], a["K"], a["rng"]
        ),
        {
            "x_ids": "int_array",
            "y_ids": "int_array",
            "a0": "array",
            "parameters": PARAMS,
            "K": "posint",
            "rng": "custom",
        },
        custom={"rng": _RNGS},
    ),
    Case(
        "gradient_agreement",
        lambda: dict(
            grads={"dW": _arr(3, 2), "db": _arr(3, seed=2)},
            reference={"dW": _arr(3, 2, seed=3), "db": _arr(3, seed=4)},
        ),
        lambda a: bptt.gradient_agreement(a["grads"], a["reference"]),
        {"grads": PARAMS, "reference": PARAMS},
    ),
    Case(
        "evaluate_lm",
        lambda: dict(parameters=_lm_params(), ids=_ids(), m=M, K=4, carry=True),
        lambda a: bptt.evaluate_lm(
            a["parameters"], a["ids"], m=a["m"], K=a["K"], carry=a["carry"]
        ),
        {
            "parameters": PARAMS,
            "ids": "int_array",
            "m": "posint",
            "K": "posint",
            "carry": "bool",
        },
        {"ids": "all"},
    ),
    Case(
        "sample_text",
        lambda: dict(
            parameters=bptt.random_rnn_parameters(3, N_A, 3, _rng(0)),
            corpus=_corpus(),
            prompt="ab",
            length=4,
            temperature=0.7,
            seed=1,
        ),
        lambda a: bptt.sample_text(
            a["parameters"],
            a["corpus"],
            a["prompt"],
            a["length"],
            temperature=a["temperature"],
            seed=a["seed"],
        ),
        {
            "parameters": PARAMS,
            "corpus": "custom",
            "prompt": "custom",
            "length": "posint",
            "temperature": "nonnegreal",
            "seed": "nonnegint",
        },
        custom={"corpus": _CORPORA, "prompt": _PROMPTS},
    ),
    Case(
        "train_lm",
        lambda: dict(
            parameters=_lm_params(),
            train_ids=_ids(),
            m=M,
            K=4,
            epochs=1,
            mode="stateful",
            learning_rate=0.01,
            max_norm=1.0,
            seed=0,
            valid_ids=_ids(12, seed=8),
            eval_every=2,
            max_iterations=3,
            progress=False,
            desc=None,
        ),
        _train_lm,
        {
            "parameters": PARAMS,
            "train_ids": "int_array",
            "m": "posint",
            "K": "posint",
            "epochs": "posint",
            "mode": "mode",
            "learning_rate": "posreal",
            "max_norm": "posreal_none",
            "seed": "nonnegint",
            "valid_ids": "int_array_none",
            "eval_every": "posint",
            "max_iterations": "posint_none",
            "progress": "bool",
            "desc": "str_none",
        },
        {"train_ids": "all", "valid_ids": "all"},
    ),
    Case(
        "train_lm_torch",
        lambda: dict(
            parameters=_lm_params(),
            train_ids=_ids(),
            m=M,
            K=4,
            epochs=1,
            mode="reset",
            learning_rate=0.01,
            max_norm=1.0,
            seed=0,
            max_iterations=2,
        ),
        lambda a: bptt.train_lm_torch(
            a["parameters"],
            a["train_ids"],
            m=a["m"],
            K=a["K"],
            epochs=a["epochs"],
            mode=a["mode"],
            learning_rate=a["learning_rate"],
            max_norm=a["max_norm"],
            seed=a["seed"],
            max_iterations=a["max_iterations"],
        ),
        {
            "parameters": PARAMS,
            "train_ids": "int_array",
            "m": "posint",
            "K": "posint",
            "epochs": "posint",
            "mode": "mode",
            "learning_rate": "posreal",
            "max_norm": "posreal_none",
            "seed": "nonnegint",
            "max_iterations": "posint_none",
        },
        {"train_ids": "all"},
    ),
]
