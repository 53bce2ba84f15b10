"""The judge's checks of what came back: tuples and dicts of the right shape,
cache entries in the right order, no aliasing, no mutated inputs.
"""

import numpy as np

from ..i18n import _
from . import causes
from .comparisons import close
from .failure import NOT_IMPLEMENTED, Failure
from .wire import Opaque


def expect_tuple(output, names, label):
    """``output`` must be a tuple/list of len(names); return it as a tuple."""
    form = "(" + ", ".join(names) + ")"
    if output is None:
        raise Failure(
            _("returned None {case}").format(case=label),
            _("end the function with: return {names}").format(names=", ".join(names)),
            NOT_IMPLEMENTED,
        )
    if not isinstance(output, (tuple, list)):
        raise Failure(
            _("must return a tuple {form}, got one {kind} {case}").format(
                form=form, kind=_kind(output), case=label
            ),
            _("end with: return {names}").format(names=", ".join(names)),
        )
    if len(output) != len(names):
        raise Failure(
            _("must return {n} values {form}, got {got} {case}").format(
                n=len(names), form=form, got=len(output), case=label
            ),
            _("end with: return {names}").format(names=", ".join(names)),
        )
    for name, value in zip(names, output):
        if value is None:
            raise Failure(
                _("{name} is still None {case}").format(name=name, case=label),
                causes.NONE_HINT,
                NOT_IMPLEMENTED,
            )
    return tuple(output)


def expect_dict(output, keys, label, what=None):
    """``output`` must be a dict with exactly ``keys`` (extra keys are reported, missing listed)."""
    what = _("the result") if what is None else what
    if output is None:
        raise Failure(
            _("returned None {case}").format(case=label),
            _("return a dict with keys {keys}.").format(keys=list(keys)),
            NOT_IMPLEMENTED,
        )
    if not isinstance(output, dict):
        raise Failure(
            _("{what} must be a dict, got {kind} {case}").format(
                what=what, kind=_kind(output), case=label
            ),
            _("return a dict with keys {keys}.").format(keys=list(keys)),
        )
    missing = [k for k in keys if k not in output]
    if missing:
        extra = sorted(set(output) - set(keys))
        names = ", ".join(map(repr, missing))
        raise Failure(
            (
                _("{what} has no key {names}; it has {extra} instead {case}")
                if extra
                else _("{what} has no key {names} {case}")
            ).format(what=what, names=names, extra=extra, case=label),
            _("the keys are exactly {keys}.").format(keys=list(keys)),
        )
    for k in keys:
        if output[k] is None:
            raise Failure(
                _("{what}[{key!r}] is still None {case}").format(
                    what=what, key=k, case=label
                ),
                causes.NONE_HINT,
                NOT_IMPLEMENTED,
            )
    return output


def _kind(value):
    return (
        "None"
        if value is None
        else (value.type if isinstance(value, Opaque) else type(value).__name__)
    )


def entry_order(actual, expected, labels, tol=1e-10):
    """Where each expected entry sits in ``actual`` (a tuple): a message, or None when in order."""
    wrong = [
        j
        for j, want in enumerate(expected)
        if j >= len(actual) or not close(actual[j], want, tol)
    ]
    if not wrong:
        return None
    j = wrong[0]
    found = [
        labels[k]
        for k, want in enumerate(expected)
        if j < len(actual) and close(actual[j], want, tol)
    ]
    if found:
        return _("entry {j} holds {found}, expected {expected}").format(
            j=j, found=found[0], expected=labels[j]
        )
    return _("entry {j} holds none of them, expected {expected}").format(
        j=j, expected=labels[j]
    )


def alias_pairs(obs):
    return [tuple(tuple(p) for p in pair) for pair in obs.get("aliases", [])]


def mutated(before, after, path="arg"):
    """Paths of arrays in ``before`` (args as given) that ``after`` (args after the call) changed."""
    out = []
    if isinstance(before, np.ndarray):
        same = (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and np.array_equal(after, before, equal_nan=True)
        )
        return [] if same else [path]
    if isinstance(before, (tuple, list)):
        if not isinstance(after, (tuple, list)) or len(after) != len(before):
            return [path]
        for i, (b, a) in enumerate(zip(before, after)):
            out += mutated(b, a, f"{path}[{i}]")
    elif isinstance(before, dict):
        if not isinstance(after, dict):
            return [path]
        for k, b in before.items():
            out += mutated(b, after.get(k), f"{path}[{k!r}]")
    return out


def forbid_mutation(case, obs, names):
    """Failure when the function wrote into one of its arguments (the caller's arrays would change)."""
    after = obs["args_after"] if isinstance(obs["args_after"], (tuple, list)) else ()
    for i, (name, before) in enumerate(zip(names, case.args)):
        paths = mutated(before, after[i] if i < len(after) else None, name)
        if paths:
            raise Failure(
                _("your function changed its argument {path} {case}").format(
                    path=paths[0], case=case.label
                ),
                _(
                    "leave the arguments unchanged: an in-place operation (+=, *=, [...] =) on "
                    "an argument or on an array taken from it (x = cache[0]; x *= …) writes into "
                    "the caller's data; compute a new array instead."
                ),
            )
