"""Probes that edit returned arrays, inputs or parameters in place after a forward pass."""

import bptt

from .common import N_A, N_X, M, T, _arr, _layer_params, _lstm_params, _rng, _rnn_params


def _grads_after(build_forward, edit, backward):
    """Gradients with and without ``edit(state)`` between forward and backward."""
    results = []
    for do_edit in (False, True):
        state = build_forward()
        if do_edit:
            edit(state)
        results.append(backward(state))
    return results


def _aliasing_probes():
    """Probes that edit returned arrays, inputs or parameters after a forward pass."""
    P = []

    def rnn_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
        a, _, caches = bptt.rnn_forward(x, a0, p)
        return dict(x=x, a0=a0, p=p, a=a, caches=caches)

    rnn_bwd = lambda s: bptt.rnn_backward(_arr(N_A, M, T, seed=6), s["caches"])  # noqa: E731
    P += [
        (
            "rnn_forward",
            "x edited in place after forward",
            lambda: _grads_after(rnn_fwd, lambda s: s["x"].__iadd__(1.0), rnn_bwd),
        ),
        (
            "rnn_forward",
            "parameters['Wax'] edited in place",
            lambda: _grads_after(
                rnn_fwd, lambda s: s["p"]["Wax"].__imul__(2.0), rnn_bwd
            ),
        ),
        (
            "rnn_forward",
            "Adam step between forward and backward",
            lambda: _grads_after(
                rnn_fwd, lambda s: s["p"].update(Wax=s["p"]["Wax"] + 1.0), rnn_bwd
            ),
        ),
        (
            "rnn_forward",
            "a0 edited in place",
            lambda: _grads_after(rnn_fwd, lambda s: s["a0"].__imul__(-1.0), rnn_bwd),
        ),
    ]

    def cell_fwd():
        xt, a_prev, p = _arr(N_X, M), _arr(N_A, M, seed=3), _rnn_params()
        a_next, _, cache = bptt.rnn_cell_forward(xt, a_prev, p)
        return dict(xt=xt, a_prev=a_prev, p=p, a_next=a_next, cache=cache)

    cell_bwd = lambda s: bptt.rnn_cell_backward(_arr(N_A, M, seed=6), s["cache"])  # noqa: E731
    P += [
        (
            "rnn_cell_forward",
            "returned a_next edited in place",
            lambda: _grads_after(
                cell_fwd, lambda s: s["a_next"].__imul__(0.5), cell_bwd
            ),
        ),
        (
            "rnn_cell_forward",
            "a_prev edited in place",
            lambda: _grads_after(
                cell_fwd, lambda s: s["a_prev"].__imul__(0.5), cell_bwd
            ),
        ),
        (
            "rnn_cell_forward",
            "xt edited in place",
            lambda: _grads_after(cell_fwd, lambda s: s["xt"].__iadd__(1.0), cell_bwd),
        ),
        (
            "rnn_cell_forward",
            "Adam step between forward and backward",
            lambda: _grads_after(
                cell_fwd, lambda s: s["p"].update(Waa=s["p"]["Waa"] + 1.0), cell_bwd
            ),
        ),
    ]

    def lstm_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _lstm_params()
        return dict(x=x, a0=a0, p=p, caches=bptt.lstm_forward(x, a0, p)[3])

    lstm_bwd = lambda s: bptt.lstm_backward(_arr(N_A, M, T, seed=6), s["caches"])  # noqa: E731
    P += [
        (
            "lstm_forward",
            "x edited in place",
            lambda: _grads_after(lstm_fwd, lambda s: s["x"].__iadd__(1.0), lstm_bwd),
        ),
        (
            "lstm_forward",
            "Adam step between forward and backward",
            lambda: _grads_after(
                lstm_fwd, lambda s: s["p"].update(Wf=s["p"]["Wf"] + 1.0), lstm_bwd
            ),
        ),
        (
            "lstm_forward",
            "parameters['Wo'] edited in place",
            lambda: _grads_after(
                lstm_fwd, lambda s: s["p"]["Wo"].__imul__(2.0), lstm_bwd
            ),
        ),
    ]

    def lcell_fwd():
        xt, a_prev, c_prev, p = (
            _arr(N_X, M),
            _arr(N_A, M, seed=3),
            _arr(N_A, M, seed=4),
            _lstm_params(),
        )
        a_next, c_next, _, cache = bptt.lstm_cell_forward(xt, a_prev, c_prev, p)
        return dict(
            xt=xt, c_prev=c_prev, a_next=a_next, c_next=c_next, cache=cache, p=p
        )

    lcell_bwd = lambda s: bptt.lstm_cell_backward(  # noqa: E731
        _arr(N_A, M, seed=6), _arr(N_A, M, seed=7), s["cache"]
    )
    P += [
        (
            "lstm_cell_forward",
            "returned c_next edited in place",
            lambda: _grads_after(
                lcell_fwd, lambda s: s["c_next"].__imul__(0.5), lcell_bwd
            ),
        ),
        (
            "lstm_cell_forward",
            "returned a_next edited in place",
            lambda: _grads_after(
                lcell_fwd, lambda s: s["a_next"].__imul__(0.5), lcell_bwd
            ),
        ),
        (
            "lstm_cell_forward",
            "c_prev edited in place",
            lambda: _grads_after(
                lcell_fwd, lambda s: s["c_prev"].__imul__(0.5), lcell_bwd
            ),
        ),
        (
            "lstm_cell_forward",
            "parameters['Wi'] edited in place",
            lambda: _grads_after(
                lcell_fwd, lambda s: s["p"]["Wi"].__imul__(2.0), lcell_bwd
            ),
        ),
    ]

    for name, fwd_fn, bwd_fn in (
        ("rnn_layer_forward", bptt.rnn_layer_forward, bptt.rnn_layer_backward),
        (
            "rnn_layer_forward_fast",
            bptt.rnn_layer_forward_fast,
            bptt.rnn_layer_backward_fast,
        ),
    ):

        def layer_fwd(fwd_fn=fwd_fn):
            x, h0, p = _arr(T, M, N_X), _arr(1, M, N_A, seed=3), _layer_params()
            out, h_n, cache = fwd_fn(x, h0, p)
            return dict(x=x, h0=h0, p=p, out=out, h_n=h_n, cache=cache)

        layer_bwd = lambda s, bwd_fn=bwd_fn: bwd_fn(  # noqa: E731
            _arr(T, M, N_A, seed=6), None, s["cache"]
        )
        P += [
            (
                name,
                "returned output edited in place",
                lambda f=layer_fwd, b=layer_bwd: _grads_after(
                    f, lambda s: s["out"].__imul__(0.5), b
                ),
            ),
            (
                name,
                "x edited in place",
                lambda f=layer_fwd, b=layer_bwd: _grads_after(
                    f, lambda s: s["x"].__iadd__(1.0), b
                ),
            ),
            (
                name,
                "h0 edited in place",
                lambda f=layer_fwd, b=layer_bwd: _grads_after(
                    f, lambda s: s["h0"].__imul__(-1.0), b
                ),
            ),
            (
                name,
                "params['weight_hh'] edited in place",
                lambda f=layer_fwd, b=layer_bwd: _grads_after(
                    f, lambda s: s["p"]["weight_hh"].__imul__(2.0), b
                ),
            ),
            (
                name,
                "optimizer step between forward and backward",
                lambda f=layer_fwd, b=layer_bwd: _grads_after(
                    f, lambda s: s["p"].update(weight_ih=s["p"]["weight_ih"] + 1.0), b
                ),
            ),
        ]

    def fast_fwd():
        x, a0, p = _arr(N_X, M, T), _arr(N_A, M, seed=3), _rnn_params()
        a, cache = bptt.rnn_forward_fast(x, a0, p)
        return dict(x=x, a=a, p=p, cache=cache)

    fast_bwd = lambda s: bptt.rnn_backward_fast(_arr(N_A, M, T, seed=6), s["cache"])  # noqa: E731
    P += [
        (
            "rnn_forward_fast",
            "returned a edited in place",
            lambda: _grads_after(fast_fwd, lambda s: s["a"].__imul__(0.5), fast_bwd),
        ),
        (
            "rnn_forward_fast",
            "parameters['Waa'] edited in place",
            lambda: _grads_after(
                fast_fwd, lambda s: s["p"]["Waa"].__imul__(2.0), fast_bwd
            ),
        ),
        (
            "rnn_forward_fast",
            "Adam step between forward and backward",
            lambda: _grads_after(
                fast_fwd, lambda s: s["p"].update(Wax=s["p"]["Wax"] + 1.0), fast_bwd
            ),
        ),
    ]

    def net_fwd():
        net = bptt.NumpyRNN(N_X, N_A)
        x = _arr(T, M, N_X)
        out, _ = net.forward(x)
        return dict(net=net, x=x, out=out)

    def net_bwd(s):
        dx, dh0 = s["net"].backward(_arr(T, M, N_A, seed=6))
        return dx, dh0, s["net"].grad

    P += [
        (
            "NumpyRNN.forward",
            "returned output edited in place",
            lambda: _grads_after(net_fwd, lambda s: s["out"].__imul__(0.5), net_bwd),
        ),
        (
            "NumpyRNN.forward",
            "weight_hh edited in place",
            lambda: _grads_after(
                net_fwd, lambda s: s["net"].weight_hh.__imul__(2.0), net_bwd
            ),
        ),
        (
            "NumpyRNN.forward",
            "x edited in place",
            lambda: _grads_after(net_fwd, lambda s: s["x"].__iadd__(1.0), net_bwd),
        ),
    ]

    def windows():
        data = _rng(5).integers(0, N_X, size=40)
        return dict(data=data, get=bptt.char_windows(data, N_X, T, M, 0))

    P.append(
        (
            "char_windows",
            "data edited in place after the call",
            lambda: _grads_after(
                windows, lambda s: s["data"].__imul__(0), lambda s: s["get"](1)
            ),
        )
    )
    return P
