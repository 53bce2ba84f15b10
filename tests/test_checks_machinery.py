"""The machinery under every check: wire format, observations, hints by cause, a judge that cannot be broken.

The student functions here are written the way students write them (each with
one real mistake); the checks' reference code is never used to build them.
"""

import io

import numpy as np
import pytest

from bptt import softmax
from bptt.checks import CHECKS, check_rnn_backward, check_rnn_forward, wire
from bptt.checks.observe import observe

# ------------------------------------------------------------------ wire ---


def test_wire_round_trip_keeps_structure_types_and_values():
    data = {
        "a": (np.arange(6.0).reshape(2, 3), [1, 2.5, None, True, "s"]),
        "b": {"c": np.float64(3.0)},
    }
    back = wire.load(wire.dumps(data))
    assert isinstance(back["a"], tuple) and isinstance(back["a"][1], list)
    np.testing.assert_array_equal(back["a"][0], data["a"][0])
    assert back["a"][1] == [1, 2.5, None, True, "s"] and back["b"]["c"] == 3.0


def test_wire_turns_foreign_objects_into_opaque_and_never_unpickles():
    back = wire.load(wire.dumps({"f": print, "o": np.array([object()], dtype=object)}))
    assert (
        isinstance(back["f"], wire.Opaque)
        and back["f"].type == "builtin_function_or_method"
    )
    assert isinstance(back["o"], wire.Opaque) and back["o"].type == "ndarray[object]"


@pytest.mark.parametrize("payload", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_wire_rejects_malformed_files(payload):
    with pytest.raises(wire.WireError):
        wire.load(payload)


def test_wire_rejects_a_forged_structure_record():
    buf = io.BytesIO()
    np.savez(
        buf, __spec__=np.frombuffer(b'{"t": "nd", "k": "missing"}', dtype=np.uint8)
    )
    with pytest.raises(wire.WireError):
        wire.load(buf.getvalue())


def test_wire_refuses_cycles_and_oversized_data():
    loop = []
    loop.append(loop)
    with pytest.raises(wire.WireError):
        wire.dumps(loop)
    with pytest.raises(wire.WireError):
        wire.load(wire.dumps(np.zeros(1000)), max_bytes=100)


# ------------------------------------------------------------ observations ---


def test_observe_gives_copies_and_records_mutation_and_aliases():
    x = np.ones((2, 2))

    def grows(a):
        a += 1
        return a, a[0]

    obs = observe(grows, (x,))
    assert np.all(x == 1), "the caller's array must not change"
    np.testing.assert_array_equal(obs["args_after"][0], 2 * np.ones((2, 2)))
    assert [["out", 0], ["out", 1]] in obs["aliases"] and [
        ["out", 0],
        ["arg", 0],
    ] in obs["aliases"]


def test_observe_records_the_students_own_line():
    def student(x):
        y = x + 1
        return y[5]

    obs = observe(student, (np.zeros(2),))
    err = obs["error"]
    assert (
        err["type"] == "IndexError"
        and err["function"] == "student"
        and err["source"] == "return y[5]"
    )


def test_observe_catches_exit():
    def quits():
        raise SystemExit(3)

    assert observe(quits, ())["error"]["type"] == "SystemExit"


# ------------------------------------------------------ student functions ---


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(
        np.dot(parameters["Waa"], a_prev)
        + np.dot(parameters["Wax"], xt)
        + parameters["ba"]
    )
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_cell_forward_no_bias(xt, a_prev, parameters):
    a_next = np.tanh(np.dot(parameters["Waa"], a_prev) + np.dot(parameters["Wax"], xt))
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def _forward_with(cell, order=None):
    def rnn_forward(x, a0, parameters):
        caches, states, preds = [], [], []
        a_next = a0
        for t in range(x.shape[2]):
            a_next, yt, cache = cell(x[:, :, t], a_next, parameters)
            states.append(a_next)
            preds.append(yt)
            caches.append(cache if order is None else tuple(cache[i] for i in order))
        return np.stack(states, axis=2), np.stack(preds, axis=2), (caches, x)

    return rnn_forward


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - a_next**2) * da_next
    return {
        "dxt": parameters["Wax"].T @ dtanh,
        "da_prev": parameters["Waa"].T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ a_prev.T,
        "dba": dtanh.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    steps, x = caches
    n_a, m, T_x = da.shape
    grads = {"dx": np.zeros((x.shape[0], m, T_x)), "dWax": 0, "dWaa": 0, "dba": 0}
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, steps[t])
        grads["dx"][:, :, t] = g["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            grads[k] = grads[k] + g[k]
        da_prevt = g["da_prev"]
    grads["da0"] = da_prevt
    return grads


def _message(check, fn, error=AssertionError):
    with pytest.raises(error) as info:
        check(fn)
    return str(info.value)


def test_correct_student_functions_pass():
    for name, fn in [
        ("rnn_cell_forward", rnn_cell_forward),
        ("rnn_forward", _forward_with(rnn_cell_forward)),
        ("rnn_cell_backward", rnn_cell_backward),
        ("rnn_backward", rnn_backward),
    ]:
        assert CHECKS[name].run(fn).passed, CHECKS[name].run(fn).text()


def test_a_name_defined_only_as_a_notebook_global_is_named():
    def rnn_backward_global(da, caches):
        return {"dx": np.zeros((n_x, 1, 1))}  # noqa: F821 — the student's global from another cell

    message = _message(check_rnn_backward, rnn_backward_global)
    assert (
        "NameError" in message
        and "`n_x` is not defined inside your function" in message
    )
    assert "line" in message and "n_x" in message.split("HINT:")[0]


def test_an_unfilled_template_is_not_implemented_yet():
    def rnn_forward_template(x, a0, parameters):
        caches = []
        a = np.zeros((parameters["Waa"].shape[0], x.shape[1], x.shape[2]))
        a_next = None  # the deeplearning.ai template line, not filled in
        for t in range(x.shape[2]):
            a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        return a, None, caches

    message = _message(check_rnn_forward, rnn_forward_template, NotImplementedError)
    assert "still None" in message and "template line" in message


def test_an_index_past_the_end_at_one_time_step_says_loop_over_the_length():
    def rnn_backward_fixed_index(da, caches):
        steps, x = caches
        _ = steps[1]  # "the second cache": fine for T = 3, not for T = 1
        return rnn_backward(da, caches)

    message = _message(check_rnn_backward, rnn_backward_fixed_index)
    assert "IndexError" in message and "T = 1" in message and "da.shape[2]" in message


def test_np_append_on_the_caches_list_gets_the_list_hint():
    def rnn_forward_np_append(x, a0, parameters):
        caches, a_next, states, preds = [], a0, [], []
        for t in range(x.shape[2]):
            a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
            caches = np.append(caches, cache)
            states.append(a_next)
            preds.append(yt)
        return np.stack(states, 2), np.stack(preds, 2), (caches, x)

    assert "caches.append(cache)" in _message(check_rnn_forward, rnn_forward_np_append)


def test_a_hard_coded_size_is_named():
    def rnn_cell_forward_hard_coded(xt, a_prev, parameters):
        ba = parameters["ba"].reshape(5, 1)  # the published example's n_a
        a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + ba)
        return (
            a_next,
            softmax(parameters["Wya"] @ a_next + parameters["by"]),
            (a_next, a_prev, xt, parameters),
        )

    assert "hard-coded" in _message(
        CHECKS["rnn_cell_forward"], rnn_cell_forward_hard_coded
    )


def test_a_different_cache_order_says_which_entry_is_where():
    message = _message(
        check_rnn_forward, _forward_with(rnn_cell_forward, order=(1, 0, 2, 3))
    )
    assert (
        "entry 0 holds a_prev, expected a_next" in message
        and "updated in place" not in message
    )


def test_a_forward_that_calls_a_wrong_cell_blames_the_cell_first():
    namespace = {
        "np": np,
        "softmax": softmax,
        "rnn_cell_forward": rnn_cell_forward_no_bias,
    }
    exec(  # a notebook: the forward calls whatever rnn_cell_forward the notebook defines
        "def rnn_forward(x, a0, parameters):\n"
        "    a_next, states, preds, caches = a0, [], [], []\n"
        "    for t in range(x.shape[2]):\n"
        "        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)\n"
        "        states.append(a_next); preds.append(yt); caches.append(cache)\n"
        "    return np.stack(states, 2), np.stack(preds, 2), (caches, x)\n",
        namespace,
    )
    message = _message(check_rnn_forward, namespace["rnn_forward"])
    assert (
        "the rnn_cell_forward it calls is itself wrong" in message
        and "fix rnn_cell_forward first" in message
    )


def test_a_backward_that_writes_into_the_cached_parameters_is_judged_not_crashed_on():
    def rnn_backward_writes_cache(da, caches):
        for step in caches[0]:
            step[3]["Waa"] = (
                step[3]["Waa"] * 0
            )  # chained edit of the shared parameters dict
        return rnn_backward(da, caches)

    message = _message(check_rnn_backward, rnn_backward_writes_cache)
    assert (
        "changed its argument caches[0][0][3]['Waa']" in message
        and "ValueError" not in message
    )


def test_writing_into_an_input_is_reported_by_name():
    def rnn_backward_in_place(da, caches):
        steps, x = caches
        n_a, m, T_x = da.shape
        grads = {"dx": np.zeros((x.shape[0], m, T_x)), "dWax": 0, "dWaa": 0, "dba": 0}
        for t in reversed(range(T_x)):
            g = rnn_cell_backward(da[:, :, t], steps[t])
            grads["dx"][:, :, t] = g["dxt"]
            for k in ("dWax", "dWaa", "dba"):
                grads[k] = grads[k] + g[k]
            if t > 0:
                da[:, :, t - 1] += g[
                    "da_prev"
                ]  # carries the gradient by writing into da
            else:
                grads["da0"] = g["da_prev"]
        return grads

    message = _message(check_rnn_backward, rnn_backward_in_place)
    assert "changed its argument da" in message and "in-place" in message


def test_a_check_run_twice_gives_the_same_verdict():
    fn = _forward_with(rnn_cell_forward_no_bias)
    first, second = CHECKS["rnn_forward"].run(fn), CHECKS["rnn_forward"].run(fn)
    assert first.status == second.status == "failed" and first.text() == second.text()


@pytest.mark.parametrize(
    "returned",
    [None, 3, "x", (1, 2), {"dx": "no"}, [np.zeros(2)] * 5, {"dx": {"a": 1}}],
)
def test_whatever_comes_back_the_check_raises_only_assertion_or_not_implemented(
    returned,
):
    def student(*args):
        return returned

    for name in (
        "rnn_backward",
        "rnn_forward",
        "update_parameters_with_adam",
        "clip",
        "lstm_forward",
    ):
        with pytest.raises((AssertionError, NotImplementedError)):
            CHECKS[name](student)


def test_the_judge_survives_hostile_observations():
    check = CHECKS["rnn_backward"]
    hostile = {
        "output": {"dx": wire.Opaque("Tensor", "t")},
        "error": None,
        "args_after": 7,
        "aliases": [[1, 2]],
    }
    garbage_error = {
        "output": None,
        "error": {"type": 3, "message": ["x"], "line": {}},
        "args_after": None,
        "aliases": [],
    }
    for obs in (hostile, garbage_error):
        verdict = check.judge([obs] * len(check.cases()))
        assert not verdict.passed and verdict.message
    assert check.judge("nonsense").status == "error"
