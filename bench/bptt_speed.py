"""How fast is BPTT with large matrix products?  NumPy fast path vs torch.nn.RNN.

Run from the repo root:

    PYTHONPATH=$PWD /work/venv/bin/python bench/bptt_speed.py [--reps N]

What it does, in one process, float64 throughout:

1. Reports the BLAS that numpy and torch use (threadpoolctl when installed:
   library, kernel "architecture", threads) and whether OPENBLAS_CORETYPE /
   OPENBLAS_L2_SIZE are set.  The script never changes them: on processors
   where the machine sets them (and they slow a current numpy) you may unset
   both for this command only, e.g.
   ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=$PWD python bench/bptt_speed.py``;
   tests and CI keep them.  ``--threads N`` limits both numpy's BLAS and torch
   to N threads (default: as configured, 2 on the course machine).
   ``--clock cpu`` measures this process's CPU time (time.process_time) with one
   thread for both libraries instead of wall-clock time: on a machine shared with
   other busy processes, wall-clock times of multi-threaded BLAS calls inflate
   erratically (threads wait for each other while one is descheduled), CPU time
   does not.  The two modes answer different questions (2-core speed vs work
   per core); the report says which was used.
2. Measures the machine's float64 matrix-product throughput: numpy matmul of
   two 1024 × 1024 matrices into a preallocated output, timed in the same
   interleaved loop as the RNNs (so a busy machine slows both alike); for
   context, after each size, also the shapes the fast path itself multiplies.
3. For (n_x, n_a, m, T) in (64, 128, 32, 100) and (128, 256, 64, 200): the
   same data (seeded torch tensors; numpy works on their memory) through
   - NumPy: bptt.rnn_layer_forward_fast + rnn_layer_backward_fast (all of
     dx, dh0, dweight_ih, dweight_hh, dbias_ih, dbias_hh);
   - torch: nn.RNN forward + torch.autograd.grad of the same six gradients
     (no .grad accumulation), with the same upstream gradient of the output.
   Both are checked equal (relative error ≤ 1e-12) before timing, then timed
   interleaved with the reference GEMM in blocks: numpy ×5, torch ×5, GEMM ×5,
   then the reverse order, and so on.  Each block starts with one untimed
   "switch" run, because the two libraries' thread pools get in each other's
   way right after a switch: OpenBLAS's worker threads keep spinning for about
   0.1 s after a call, and the first torch call after numpy then takes ~100 ms
   instead of ~11 ms (measured; strict one-by-one alternation would time that
   artefact, not torch).  Per size,
   and the median of the repetitions is reported.  The machine may be shared:
   the script also reports how much CPU other processes used meanwhile.
4. The fast path does 6·T·m·n_a·(n_x + n_a) floating-point operations in matrix
   products (forward: input projection 2Tm·n_x·n_a, recurrence 2Tm·n_a²;
   backward: recurrence 2Tm·n_a², dx, dweight_ih 2Tm·n_x·n_a each,
   dweight_hh 2Tm·n_a²); elementwise work is not counted.  Its achieved share
   of the GEMM throughput is flops / time / throughput.

The last line reads
``bptt_speed: ratio=<numpy/torch time at the first size> gemm_share=<share at the second size>``.
Targets: ratio ≤ 0.5, gemm_share ≥ 0.7.  Timings depend on the machine and its load.
"""

import argparse
import os
import platform
import time

import numpy as np
import psutil
import torch

from bptt import relative_error, rnn_layer_backward_fast, rnn_layer_forward_fast

SIZES = [(64, 128, 32, 100), (128, 256, 64, 200)]  # (n_x, n_a, m, T)
CLOCK = time.perf_counter  # --clock cpu switches to time.process_time (and 1 thread)
BLOCK = 5  # timed repetitions per contender in a row (after one untimed switch run)
GEMM_N = 1024  # the reference matrix product: (1024 x 1024) @ (1024 x 1024)
KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def blas_report():
    """Lines describing the BLAS libraries loaded in this process."""
    lines = [
        f"python {platform.python_version()}  numpy {np.__version__}  torch {torch.__version__}",
        f"cpus {os.cpu_count()}  torch threads {torch.get_num_threads()}",
    ]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        lines.append(f"{var}={os.environ.get(var, '<unset>')}")
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("threadpoolctl not installed: BLAS kernel not reported")
        return lines
    for info in threadpool_info():
        lines.append(
            "  {user_api}: {internal_api} {version} arch={arch} threads={num_threads} ({lib})".format(
                arch=info.get("architecture", "-"),
                lib=os.path.basename(info["filepath"]),
                **info,
            )
        )
    mkl = torch.backends.mkl.is_available()
    lines.append(
        f"  torch matmul: {'MKL' if mkl else 'its own BLAS'} (torch.backends.mkl.is_available()={mkl})"
    )
    return lines


def busy_cpu_seconds():
    """CPU seconds spent by all processes on all cores (not idle, not iowait)."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def own_cpu_seconds():
    """CPU seconds used by this process (all its threads)."""
    t = psutil.Process().cpu_times()
    return t.user + t.system


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return float(np.median(times))


def gemm_gflops(M, K, N, reps, rng):
    """Median GFLOP/s of numpy's float64 (M, K) @ (K, N) into a preallocated output."""
    a = rng.standard_normal((M, K))
    b = rng.standard_normal((K, N))
    c = np.empty((M, N))
    np.matmul(a, b, out=c)
    return 2.0 * M * K * N / median_time(lambda: np.matmul(a, b, out=c), reps) / 1e9


def fast_flops(n_x, n_a, m, T):
    """Floating-point operations in the fast path's matrix products (forward + backward)."""
    return 6.0 * T * m * n_a * (n_x + n_a)


def compare(n_x, n_a, m, T, reps, reference_gemm):
    """Check equality, then time numpy, torch and the reference GEMM interleaved.

    Returns the three median times and the largest relative error numpy vs torch.
    """
    torch.manual_seed(0)
    rnn = torch.nn.RNN(n_x, n_a).double()
    x = torch.randn(T, m, n_x, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, m, n_a, dtype=torch.float64, requires_grad=True)
    d_out = torch.randn(T, m, n_a, dtype=torch.float64)
    inputs = [x, h0] + [getattr(rnn, k + "_l0") for k in KEYS]

    # numpy reads the very same memory as torch
    x_np, h0_np, d_out_np = x.detach().numpy(), h0.detach().numpy(), d_out.numpy()
    params = {k: getattr(rnn, k + "_l0").detach().numpy() for k in KEYS}

    def run_numpy():
        out, _, cache = rnn_layer_forward_fast(x_np, h0_np, params)
        return out, rnn_layer_backward_fast(d_out_np, None, cache)

    def run_torch():
        out, _ = rnn(x, h0)
        return out, torch.autograd.grad(out, inputs, d_out)

    out_np, g_np = run_numpy()
    out_t, g_t = run_torch()
    names = ["dx", "dh0"] + ["d" + k for k in KEYS]
    errs = [relative_error(out_np, out_t.detach().numpy())]
    errs += [relative_error(g_np[n], g.numpy()) for n, g in zip(names, g_t)]
    assert max(errs) <= 1e-12, errs

    times = {run_numpy: [], run_torch: [], reference_gemm: []}
    for block in range(max(1, reps // BLOCK)):
        order = (
            (run_numpy, run_torch, reference_gemm)
            if block % 2 == 0
            else (reference_gemm, run_torch, run_numpy)
        )
        for fn in order:
            fn()  # switch run, not timed: lets the other library's spinning threads go idle
            for _ in range(BLOCK):
                t0 = CLOCK()
                fn()
                times[fn].append(CLOCK() - t0)
    return (
        *(float(np.median(times[f])) for f in (run_numpy, run_torch, reference_gemm)),
        max(errs),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reps",
        type=int,
        default=60,
        help="repetitions at the first size (the second gets a quarter)",
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall: wall-clock time with the configured threads (default); cpu: this process's CPU time "
        "with 1 thread for numpy and torch, which a shared, busy machine does not inflate",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit numpy's BLAS (threadpoolctl) and torch to this many threads; default: leave both as they are",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    global CLOCK
    if args.clock == "cpu":
        CLOCK = time.process_time
        args.threads = 1
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
        torch.set_num_threads(args.threads)

    for line in blas_report():
        print(line)
    print(
        f"clock: {args.clock} ({'time.process_time, 1 thread' if args.clock == 'cpu' else 'time.perf_counter'})"
    )
    gemm_a, gemm_b = rng.standard_normal((2, GEMM_N, GEMM_N))
    gemm_c = np.empty((GEMM_N, GEMM_N))

    def reference_gemm():
        np.matmul(gemm_a, gemm_b, out=gemm_c)

    results = []
    busy0, own0, wall0 = busy_cpu_seconds(), own_cpu_seconds(), time.perf_counter()
    for i, (n_x, n_a, m, T) in enumerate(SIZES):
        reps = args.reps if i == 0 else max(5, args.reps // 4)
        t_np, t_torch, t_gemm, err = compare(n_x, n_a, m, T, reps, reference_gemm)
        peak = 2.0 * GEMM_N**3 / t_gemm / 1e9
        flops = fast_flops(n_x, n_a, m, T)
        share = flops / t_np / 1e9 / peak
        shapes = {
            "input projection": (T * m, n_x, n_a),
            "recurrent step": (m, n_a, n_a),
            "dweight_hh": (n_a, T * m, n_a),
        }
        context = ", ".join(
            f"{k} {M}x{K}x{N} {gemm_gflops(M, K, N, 10, rng):.0f}"
            for k, (M, K, N) in shapes.items()
        )
        print(
            f"(n_x, n_a, m, T) = ({n_x}, {n_a}, {m}, {T}): numpy fast {t_np * 1e3:.2f} ms, "
            f"torch.nn.RNN {t_torch * 1e3:.2f} ms, ratio {t_np / t_torch:.3f}; "
            f"{flops / 1e9:.3f} GFLOP -> {flops / t_np / 1e9:.1f} GFLOP/s; "
            f"GEMM throughput ({GEMM_N}^3 matmul, interleaved) {peak:.1f} GFLOP/s -> share {share:.2f}; "
            f"max rel err vs torch {err:.0e}; reps {reps}"
        )
        print(f"  GEMM GFLOP/s at the fast path's own shapes (M x K x N): {context}")
        results.append((t_np / t_torch, share))

    other = (busy_cpu_seconds() - busy0 - (own_cpu_seconds() - own0)) / (
        time.perf_counter() - wall0
    )
    print(
        f"CPU time used by other processes during the timings: {other:.2f} of {os.cpu_count()} "
        f"cores (0 = quiet machine)"
    )
    print(f"bptt_speed: ratio={results[0][0]:.3f} gemm_share={results[1][1]:.3f}")


if __name__ == "__main__":
    main()
