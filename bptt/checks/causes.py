"""Hints by cause: what an exception raised by student code most likely means.

The judge classifies before it hints: not implemented yet (NotImplementedError,
a template value still ``None``), an exception in the student's code (named,
with the student's line, and a hint for that exception), then — in each
check — wrong structure and wrong values.
"""

import itertools
import re

from ..i18n import N_, _

NOT_IMPLEMENTED = N_(
    "replace `# YOUR CODE HERE` and `raise NotImplementedError()` with your code, "
    "run that cell, then run this one again."
)
NONE_HINT = N_(
    "a template line (`... = None`) is not filled in yet: replace None with your code."
)
SHAPE_HINT = N_(
    "read the shapes in the docstring; a matrix product with the wrong transpose "
    "(e.g. xt instead of xt.T) or a sum over the wrong axis is the usual cause."
)
HARD_CODED_HINT = N_(
    "a size is hard-coded (e.g. reshape(5, 1) or np.zeros((5, 10)) from the published example): "
    "take every size from the arguments' shapes (n_a, m = a_prev.shape)."
)
CACHES_HINT = N_(
    "caches is a list of tuples: start with caches = [] and add each step with caches.append(cache)."
)
SHAPE_ERRORS = (
    "matmul",
    "not aligned",
    "could not be broadcast",
    "operands could not",
    "shapes ",
    "dimension",
)


def _where(err):
    if not err.get("line") or err["line"] == "0":
        return ""
    function = err.get("function") or _("your code")
    if err.get("source"):
        return _(" at line {line} of {function}: `{source}`").format(
            line=err["line"], function=function, source=err["source"]
        )
    return _(" at line {line} of {function}").format(
        line=err["line"], function=function
    )


def judge_error(check, case, obs):
    """Raise a Failure for an observation whose call raised; do nothing otherwise."""
    from .core import ERROR, Failure
    from .core import NOT_IMPLEMENTED as NOT_DONE

    err = obs.get("error")
    if not err:
        return
    if not isinstance(err, dict):
        err = {"type": "Exception", "message": str(err)[:1000]}
    # The record comes from an untrusted process: read every field as text.
    err = {
        k: str(err.get(k, "") or "")[:1000]
        for k in ("type", "message", "function", "line", "source")
    }
    kind, message = err["type"] or "Exception", err["message"]
    if kind == "NotImplementedError":
        raise Failure(
            _("{name} is not implemented yet").format(name=check.name),
            NOT_IMPLEMENTED,
            NOT_DONE,
        )
    if "NoneType" in message and kind in ("TypeError", "AttributeError"):
        raise Failure(
            _("a value is still None{where} ({error})").format(
                where=_where(err), error=f"{kind}: {message}"
            ),
            NONE_HINT,
            NOT_DONE,
        )
    hint = hint_for(
        kind, message, err.get("source", ""), case, getattr(check, "crash_hint", None)
    )
    raise Failure(
        _("raised {error}{where} {case}")
        .format(error=f"{kind}: {message}", where=_where(err), case=case.label)
        .rstrip(),
        hint,
        ERROR,
    )


def hint_for(kind, message, source, case, crash_hint=None):
    """One sentence for an exception of type ``kind`` raised at line ``source``."""
    source = source or ""
    if kind == "NameError":
        found = re.search(r"name '(\w+)' is not defined", message)
        if found:
            return _(
                "`{name}` is not defined inside your function: define it there (e.g. from the "
                "arguments' shapes) or pass it in; a name defined only in another cell or as a "
                "notebook global is not available when the function is graded."
            ).format(name=found.group(1))
        return _(
            "a name is not defined inside your function: define it there (e.g. from the "
            "arguments' shapes) or pass it in; a name defined only in another cell or as a "
            "notebook global is not available when the function is graded."
        )
    if "append" in source and ("np.append" in source or "numpy.append" in source):
        return CACHES_HINT
    if case.ref.get("short_da") and kind in ("IndexError", "ValueError"):
        return _(
            "take the number of steps from da: T_x = da.shape[2] (here da covers fewer steps than x, as in "
            "the published test), and use the first T_x caches."
        )
    if "could not broadcast input array from shape" in message:
        return _(
            "the array you write into was allocated with other sizes than the value: allocate it with sizes "
            "taken from the arguments (n_a, m, T_x = …), not typed-in numbers such as the published example's."
        )
    if "non-broadcastable output operand" in message:
        return _(
            "an in-place operation (+=, *=) writes into an array of another shape — often an argument itself "
            "(z = ba; z += …): build a new array instead (z = Wax @ xt + Waa @ a_prev + ba)."
        )
    if "pop from empty list" in message:
        return _(
            "backward pops what the forward call pushed: in __call__, append x, prev_hidden and next_h to "
            "x_stack, prev_hidden_stack and next_hidden_stack."
        )
    if kind == "IndexError" and case.ref.get("T") == 1:
        return _(
            "an index runs past the end: with T = 1 there is only step 0; loop over "
            "range(T_x) with T_x = x.shape[2] (backward: da.shape[2]) instead of fixed indices such as caches[1]."
        )
    if (
        "cannot reshape" in message
        or re.search(r"reshape\(\s*\d", source)
        or re.search(r"zeros\(\(\s*\d", source)
    ):
        return HARD_CODED_HINT
    if kind == "ValueError" and any(s in message for s in SHAPE_ERRORS):
        return (
            HARD_CODED_HINT
            if _foreign_sizes(message, case.label)
            else (crash_hint or SHAPE_HINT)
        )
    if kind == "IndexError":
        return _(
            "an index is out of range: loop over the sizes of the arguments (x.shape, da.shape), "
            "not fixed numbers."
        )
    if kind == "KeyError":
        return _(
            "the key {key} does not exist in that dict: parameters use 'W1', 'b1', …; gradients "
            "and moments use 'd' + the name ('dW1'); a layer loop is for l in range(L) with "
            "str(l + 1)."
        ).format(key=message)
    if kind == "RecursionError":
        return _(
            "your function calls itself: a helper or the cell function may have the same name "
            "as this one."
        )
    if kind == "AttributeError" and "'list'" in message:
        return _(
            "a list is used where a NumPy array is expected: build arrays with np.zeros or "
            "np.array."
        )
    if kind == "SystemExit":
        return _("your function calls exit(): remove that call.")
    if kind == "ZeroDivisionError":
        return _(
            "a division by zero: check the denominator (a count, or a norm that can be 0)."
        )
    return _(
        "read the error and the line it names; fix that line, run its cell, then run this "
        "check again."
    )


def _foreign_sizes(message, label):
    """True when a shape in the error has a size that no sum of the case's sizes explains (a typed-in size)."""
    dims = {int(v) for v in re.findall(r"=(\d+)", label)}
    known = dims | {a + b for a, b in itertools.combinations(sorted(dims), 2)} | {1, 0}
    sizes = {
        int(v)
        for group in re.findall(r"\(([\d, ]+)\)", message)
        for v in re.findall(r"\d+", group)
    }
    return bool(dims) and bool(sizes - known)
