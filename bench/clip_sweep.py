"""Bursts that come by themselves: the chapters/training set-up without a placed burst.

chapters/training places its burst of exploding gradients by hand, so that its
outputs hold on any CPU.  Left alone, longer runs at a larger learning rate meet
bursts at moments that depend on rounding (the runs are chaotic: numbers printed
here can differ between machines).  For each seed (initial weights and batches)
and learning rate, train the chapter's character RNN with and without clipping
by global norm (θ = 1) and print the final loss (mean of the last 100
iterations) and the next-character accuracy over the text.  About 2-3 minutes
on two cores.

    PYTHONPATH=$PWD python bench/clip_sweep.py [--seeds 6] [--iterations 1500]
"""

import argparse

import numpy as np

from bptt import TINY_TEXT, char_windows, one_hot, rnn_forward, train_rnn
from bptt.reference import char_rnn_parameters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--iterations", type=int, default=1500)
    parser.add_argument("--learning-rates", type=float, nargs="+", default=[0.02, 0.01])
    args = parser.parse_args()

    chars = sorted(set(TINY_TEXT))
    vocab = len(chars)
    data = np.array([chars.index(c) for c in TINY_TEXT])
    n_a, T_x, m, max_norm = 64, 50, 8, 1.0
    print(
        f"{'lr':>5} {'seed':>4} | {'clipped: loss  acc':>18} | {'unclipped: loss  acc  max|g|':>28}"
    )
    for lr in args.learning_rates:
        summary = {True: [], False: []}
        for seed in range(args.seeds):
            # seed 0 is the chapter's run (weights from seed 0, batches from seed 1)
            init = char_rnn_parameters(n_a, vocab, seed)
            get_batch = char_windows(data, vocab, T_x, m, seed=seed + 1)
            row = []
            for clip in (True, False):
                try:
                    params, history = train_rnn(
                        init,
                        get_batch,
                        args.iterations,
                        learning_rate=lr,
                        max_norm=max_norm if clip else None,
                    )
                except FloatingPointError:
                    row.append((float("nan"), 0.0, float("inf")))
                    continue
                _, y_pred, _ = rnn_forward(
                    one_hot(data[None, :-1], vocab), np.zeros((n_a, 1)), params
                )
                acc = float(np.mean(np.argmax(y_pred[:, 0, :], axis=0) == data[1:]))
                row.append(
                    (history["loss"][-100:].mean(), acc, history["grad_norm"].max())
                )
                summary[clip].append(acc)
            (lc, ac, _), (lf, af, gf) = row
            print(
                f"{lr:5.3g} {seed:4d} | {lc:12.2f} {ac:5.2f} | {lf:14.2f} {af:5.2f} {gf:8.0e}",
                flush=True,
            )
        for clip in (True, False):
            accs = np.array(summary[clip])
            print(
                f"  lr {lr:g}, {'clipped' if clip else 'unclipped'}: accuracy >= 0.85 in "
                f"{int(np.sum(accs >= 0.85))} of {len(accs)} seeds (min {accs.min():.2f})"
            )


if __name__ == "__main__":
    main()
