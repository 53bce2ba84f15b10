"""The judge: classify one outcome as clear / ok / cryptic / silent; the fixed probe list; main()."""

import argparse
import contextlib
import io
import re
import sys
import warnings
from collections import Counter, defaultdict

import numpy as np

from .aliasing import _aliasing_probes
from .cases import CASES
from .common import INTERNAL
from .mutations import _Skip, probes_of


def same(a, b, rtol=1e-12):
    """Recursive equality of results (arrays up to ``rtol`` relative)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k], rtol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, rtol) for x, y in zip(a, b))
    if callable(a) or a is None or b is None:
        return a is b or (callable(a) and callable(b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(
            np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3, equal_nan=True)
        )
    except (TypeError, ValueError):
        return a == b


def has_nonfinite(out):
    if isinstance(out, dict):
        return any(has_nonfinite(v) for v in out.values())
    if isinstance(out, (list, tuple)):
        return any(has_nonfinite(v) for v in out)
    try:
        a = np.asarray(out, dtype=float)
        return not np.isfinite(a).all()
    except (TypeError, ValueError):
        return False


def classify_error(e, names, allowed=()):
    """clear: ValueError/TypeError (or an allowed type) naming one of ``names``, no NumPy-internal text."""
    message = str(e)
    if allowed and isinstance(e, tuple(allowed)):
        return "clear"  # e.g. assert_close's AssertionError: the documented answer to a failed comparison
    if not isinstance(e, (ValueError, TypeError)) or isinstance(e, KeyError):
        return "cryptic"
    if any(fragment in message for fragment in INTERNAL):
        return "cryptic"
    if not any(
        re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message)
        for n in names
    ):
        return "cryptic"
    return "clear"


def run(thunk, expect, names, allowed=(), reference=None, oracle=None, rtol=1e-12):
    """Call ``thunk`` and classify; returns (outcome, detail)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = thunk()
        except _Skip:
            return None, ""
        except Exception as e:  # noqa: BLE001 - classifying every exception is the point
            return classify_error(
                e, names, allowed
            ), f"{type(e).__name__}: {str(e)[:150]}"
    if caught:
        return (
            "silent",
            f"returned with warning {caught[0].category.__name__}: {str(caught[0].message)[:100]}",
        )
    if expect == "convert":
        ok = same(out, reference(), rtol)
        return (
            "ok" if ok else "silent"
        ), "" if ok else "differs from the float64 reference"
    if expect == "nonfinite" and oracle is not None:
        with np.errstate(all="ignore"):
            ok = same(out, oracle(), rtol)
        return (
            "ok" if ok else "silent"
        ), "" if ok else "differs from the exact result at NaN/inf"
    if expect == "nonfinite":
        ok = has_nonfinite(out)
        return (
            "ok" if ok else "silent"
        ), "" if ok else "finite result from a NaN/inf input"
    if expect == "any":
        return "ok", ""
    if expect == "empty":
        ok = not has_nonfinite(out)
        return (
            "ok" if ok else "silent"
        ), "" if ok else "NaN result from an empty input"
    return "silent", "returned without an error"


def all_probes():
    """The fixed probe list: (name, description, thunk() -> (outcome, detail))."""
    probes = []
    for case in CASES:
        for target, name, label, expect, f in probes_of(case):

            def thunk(case=case, target=target, name=name, f=f, expect=expect):
                args = case.build()
                args[target] = f(args[target])

                def reference():
                    ref = case.build()
                    ref[target] = _to_float(f(ref[target]))
                    return case.call(ref)

                oracle = None if case.oracle is None else (lambda: case.oracle(args))
                return run(
                    lambda: case.call(args),
                    expect,
                    case.names,
                    case.allowed,
                    reference,
                    oracle,
                )

            probes.append((case.name, f"{target}: {label}", thunk))
    for name, label, pair in _aliasing_probes():

        def thunk(pair=pair):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    before, after = pair()
                except Exception as e:  # noqa: BLE001 - valid input: any exception is wrong
                    return "cryptic", f"{type(e).__name__}: {str(e)[:150]}"
            if caught:
                return "silent", f"warning {caught[0].category.__name__}"
            return (
                ("ok", "") if same(before, after) else ("silent", "gradients changed")
            )

        probes.append((name, f"in place: {label}", thunk))
    return probes


def _to_float(v):
    """The float64 version of a converted input (for the reference call)."""
    if isinstance(v, dict):
        return {k: _to_float(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return np.ascontiguousarray(v, dtype=np.float64)
    if type(v).__module__.startswith("torch"):
        import torch

        return v.detach().to(torch.float64).requires_grad_(v.requires_grad)
    return v


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every cryptic and silent probe",
    )
    parser.add_argument("--only", help="probe only this public name")
    args = parser.parse_args(argv)
    np.seterr(all="warn")
    totals, by_name, details = Counter(), defaultdict(Counter), []
    for name, label, thunk in all_probes():
        if args.only and name != args.only:
            continue
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            outcome, detail = thunk()
        if outcome is None:
            continue
        totals[outcome] += 1
        by_name[name][outcome] += 1
        if outcome in ("cryptic", "silent"):
            details.append(f"  {outcome:8s} {name}({label}) -> {detail}")
    kinds = ("clear", "ok", "cryptic", "silent")
    print(f"{'name':30s} " + " ".join(f"{k:>7s}" for k in kinds))
    for name, counts in by_name.items():
        print(f"{name:30s} " + " ".join(f"{counts[k]:7d}" for k in kinds))
    print(
        f"{'TOTAL (' + str(sum(totals.values())) + ' probes)':30s} "
        + " ".join(f"{totals[k]:7d}" for k in kinds)
    )
    if args.verbose and details:
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
