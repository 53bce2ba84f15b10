"""Latency of one live-explorer update at T = 200: recompute the curve and redraw the figure.

One update = bptt.LiveExplorer.update (gradient_norm_curve + set_data on the
existing artists + canvas.draw) followed by the PNG export that the live
widget displays.  Sweeps σ₁ over the slider values for every activation and
both residual settings, repeats, and prints the median.

Usage: PYTHONPATH=$PWD python bench/explorer_latency.py
Last line: explorer_latency: median_ms=<value>
"""

import statistics
import time

import matplotlib

matplotlib.use("Agg")

from bptt.explorer import ACTIVATION_NAMES, SIGMA_GRID, LiveExplorer  # noqa: E402


def main(repeats=2):
    live = LiveExplorer(T=200)
    live.png()  # warm up fonts and caches
    total, cpu = [], []
    for _ in range(repeats):
        for activation in ACTIVATION_NAMES:
            for residual in (False, True):
                for sigma1 in SIGMA_GRID:
                    t0, c0 = time.perf_counter(), time.process_time()
                    live.update(
                        sigma1=sigma1, T=200, activation=activation, residual=residual
                    )
                    live.png()
                    total.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
    # full redraws: T/activation/residual changes move the axis limits (no blitting)
    full = []
    for activation in ACTIVATION_NAMES * 3:
        for residual in (False, True):
            t0 = time.perf_counter()
            live.update(
                sigma1=1.0,
                T=100 if live.settings["T"] == 200 else 200,
                activation=activation,
                residual=residual,
            )
            live.png()
            full.append(time.perf_counter() - t0)
    from bptt import gradient_norm_curve

    comp = []
    for sigma1 in SIGMA_GRID:
        t0 = time.perf_counter()
        gradient_norm_curve(sigma1, 200, "tanh", True)
        comp.append(time.perf_counter() - t0)
    print(
        f"updates: {len(total)} (T = 200, {len(SIGMA_GRID)} σ₁ values x 4 activations x residual on/off x {repeats})"
    )
    print(
        f"computation only (gradient_norm_curve, T = 200): median_ms={1e3 * statistics.median(comp):.2f}"
    )
    print(
        f"update CPU time of this process (less sensitive to other load): median_ms={1e3 * statistics.median(cpu):.1f}"
    )
    print(
        f"full redraw after a T/activation/residual change (first use of a setting includes "
        f"the σ₁-grid limits): median_ms={1e3 * statistics.median(full):.1f}"
    )
    print(f"update p90_ms={1e3 * sorted(total)[int(0.9 * len(total))]:.1f}")
    print(f"explorer_latency: median_ms={1e3 * statistics.median(total):.1f}")


if __name__ == "__main__":
    main()
