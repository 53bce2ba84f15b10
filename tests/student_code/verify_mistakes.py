"""Confirm that every mistake in mistakes.MISTAKES really is wrong.

Run from the repository root:  python -m tests.student_code.verify_mistakes
Each mistake is run through the torch-based harness of verify_correct.py (in
place of the correct variants, alone); the harness must fail on it (wrong value,
wrong shape, an exception, or an input modified in place).  The one exception is
cause "wraps_reference": calling the course's own function is behaviourally
correct, so the harness must PASS it (a check has to look at the code to catch it).
"""

import collections
import contextlib
import io

from tests.student_code import correct, mistakes
from tests.student_code import verify_correct as vc

STEP = {
    "rnn_cell_forward": vc.verify_rnn,
    "rnn_forward": vc.verify_rnn,
    "rnn_cell_backward": vc.verify_rnn,
    "rnn_backward": vc.verify_rnn,
    "lstm_cell_forward": vc.verify_lstm,
    "lstm_forward": vc.verify_lstm,
    "lstm_cell_backward": vc.verify_lstm,
    "lstm_backward": vc.verify_lstm,
    "initialize_adam": vc.verify_adam,
    "update_parameters_with_adam": vc.verify_adam,
    "clip": vc.verify_clipping,
    "clip_grad_norm": vc.verify_clipping,
    "clipped_adam_step": vc.verify_clipping,
    "gradients_w_b": vc.verify_gradients_w_b,
    "rnn_layer_forward": vc.verify_rnn_layer,
    "rnn_layer_backward": vc.verify_rnn_layer,
}
BEHAVIOURALLY_CORRECT = {"wraps_reference"}


def fails(name, fn):
    saved = dict(correct.CORRECT)
    try:
        for k in correct.CORRECT:
            correct.CORRECT[k] = [fn] if k == name else []
        with contextlib.redirect_stdout(io.StringIO()):
            STEP[name]()
        return None
    except Exception as e:  # noqa: BLE001 - any failure counts as detected
        return f"{type(e).__name__}: {str(e)[:70]}"
    finally:
        correct.CORRECT.update(saved)


def main(verbose=False):
    bad = []
    for name, cause, fn in mistakes.MISTAKES:
        why = fails(name, fn)
        label = getattr(fn, "__name__", repr(fn))
        if verbose:
            print(f"{name:28s} {cause:34s} {label:55s} {why}")
        if (why is None) != (cause in BEHAVIOURALLY_CORRECT):
            bad.append((name, cause, label, why))
    counts = collections.Counter(c for _, c, _ in mistakes.MISTAKES)
    print(f"{len(mistakes.MISTAKES)} mistakes, {len(counts)} cause ids")
    assert not bad, "\n".join(map(str, bad))
    print(
        "every mistake fails the torch harness (wraps_reference passes it, as it must)"
    )


if __name__ == "__main__":
    import sys

    main(verbose="-v" in sys.argv)
