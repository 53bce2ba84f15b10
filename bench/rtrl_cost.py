"""RTRL vs BPTT: time per step and memory as functions of the state size D.

Run from the repo root:

    PYTHONPATH=$PWD /work/venv/bin/python bench/rtrl_cost.py [--threads N] [--repeats R]

For each D it times one gradient computation of a tanh RNN (input size M = 4)
with bptt.rtrl.rtrl_gradients (forward sensitivities) and with
bptt.srn_forward + bptt.deep.srn_backward (one-pass BPTT), after checking that
the two gradients agree (relative error ≤ 1e-12).  Times are CPU seconds of
this process (time.process_time, steadier than wall time on a shared machine),
the minimum over --repeats runs, divided by the number of steps; BLAS is
limited to --threads threads (default 1, so the numbers measure work).  RTRL
is timed up to D = 160 (its sensitivities hold D³ + D²M + D² floats), BPTT up
to D = 2048.  The last line gives the fitted exponents p of time ∝ D^p, over
D ≥ 96 for RTRL (below it, allocation noise and smaller, less
efficient matrix products blur the slope) and D ≥ 256 for BPTT (below it,
the Python loop dominates); the model says 4 and 2.
"""

import argparse

import numpy as np
from threadpoolctl import threadpool_limits

from bptt import relative_error, srn_forward
from bptt.deep import srn_backward
from bptt.rtrl import (
    fitted_exponent,
    multiply_adds_per_step,
    rtrl_gradients,
    stored_floats,
    time_per_step,
)

RTRL_SIZES = (16, 24, 32, 48, 64, 96, 128, 160)
BPTT_SIZES = (32, 64, 128, 256, 512, 1024, 2048)
M, T_RTRL, T_BPTT, T_MEMORY = 4, 4, 20, 1000


def check_equal(D=8, T=6, seed=0):
    """RTRL and BPTT gradients of one random case; their largest relative error."""
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((T, M)), rng.standard_normal(D)
    U, W, b = (
        rng.standard_normal((D, D)) / np.sqrt(D),
        rng.standard_normal((D, M)),
        rng.standard_normal(D),
    )
    g = rng.standard_normal((T, D))
    z, h = srn_forward(x, h0, U, W, b)
    ref = srn_backward(z, h, x, U, W, g)
    return max(
        relative_error(a, ref[k])
        for a, k in zip(rtrl_gradients(x, h0, U, W, b, g), ("dU", "dW", "db"))
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    err = check_equal()
    assert err <= 1e-12, err
    print(f"RTRL vs BPTT gradients: max relative error {err:.1e}")
    with threadpool_limits(args.threads):
        rtrl = [
            time_per_step("rtrl", D, M=M, T=T_RTRL, repeats=args.repeats)
            for D in RTRL_SIZES
        ]
        bptt = [
            time_per_step("bptt", D, M=M, T=T_BPTT, repeats=args.repeats)
            for D in BPTT_SIZES
        ]
    print(
        f"{'D':>5s} {'RTRL ms/step':>13s} {'BPTT ms/step':>13s} {'mult-add ratio':>15s}"
        f" {'RTRL floats':>12s} {'BPTT floats, T=' + str(T_MEMORY):>20s}"
    )
    for D in sorted(set(RTRL_SIZES) | set(BPTT_SIZES)):
        r = (
            f"{rtrl[RTRL_SIZES.index(D)] * 1e3:13.4f}"
            if D in RTRL_SIZES
            else f"{'-':>13s}"
        )
        b = (
            f"{bptt[BPTT_SIZES.index(D)] * 1e3:13.4f}"
            if D in BPTT_SIZES
            else f"{'-':>13s}"
        )
        ops, mem = multiply_adds_per_step(D, M), stored_floats(D, M, T_MEMORY)
        print(
            f"{D:5d} {r} {b} {ops['rtrl'] / ops['bptt']:15,.0f} {mem['rtrl']:12,d} {mem['bptt']:20,d}"
        )
    p_rtrl = fitted_exponent(RTRL_SIZES[5:], rtrl[5:])
    p_bptt = fitted_exponent(BPTT_SIZES[3:], bptt[3:])
    print(
        f"rtrl_cost: threads={args.threads} exponent_rtrl={p_rtrl:.2f} exponent_bptt={p_bptt:.2f}"
    )


if __name__ == "__main__":
    main()
