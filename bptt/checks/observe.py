"""Run a student's function once and record what happened, as plain data.

This is the only part of a check that executes student code.  The grader runs
it in a sandbox; the self-check runs it in the notebook.  Either way the judge
sees only the dict returned here: what came back, what was raised (type,
message and the student's own line), the arguments as the function left them,
and which returned arrays share memory with each other or with the arguments.
"""

import copy
import functools
import os
import traceback
import types

import numpy as np

from . import wire

_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.dirname(p)) + os.sep for p in (np.__file__, os.__file__)
) + (os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,)


def observe(fn, args):
    """Call ``fn(*deepcopy(args))``; return {"output", "error", "args_after", "aliases"}."""
    given = copy.deepcopy(args)
    output, error = None, None
    try:
        output = fn(*given)
    except (Exception, SystemExit) as exc:  # KeyboardInterrupt still stops a notebook
        error = describe_error(exc)
    return {
        "output": _plain_or_opaque(output),
        "error": error,
        "args_after": _plain_or_opaque(given),
        "aliases": [] if error else aliases(output, given),
    }


def _plain_or_opaque(obj):
    try:
        return wire.plain(obj)
    except (wire.WireError, RecursionError):
        return wire.Opaque(type(obj).__name__, "<too deeply nested>")


def describe_error(exc):
    """Type, message and frames of ``exc``; ``line``/``source`` is the student's deepest line."""
    frames = traceback.extract_tb(exc.__traceback__)[1:]  # [0] is observe itself
    records = [
        [f.filename, f.lineno or 0, f.name, (f.line or "").strip()] for f in frames
    ]
    own = [r for r in records if not os.path.abspath(r[0]).startswith(_LIBRARY_DIRS)]
    last = own[-1] if own else (records[-1] if records else None)
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable message>"
    return {
        "type": type(exc).__name__,
        "message": message[:1000],
        "function": last[2] if last else "",
        "line": last[1] if last else 0,
        "source": last[3][:200] if last else "",
        "frames": [r[:2] + [r[2][:80], r[3][:200]] for r in records[-20:]],
    }


def _leaves(obj, path, out, seen_depth=0):
    if seen_depth > wire.MAX_DEPTH:
        return
    if isinstance(obj, np.ndarray):
        out.append((path, obj))
    elif isinstance(obj, (tuple, list)):
        for i, v in enumerate(obj):
            _leaves(v, path + [i], out, seen_depth + 1)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _leaves(v, path + [str(k)], out, seen_depth + 1)


def aliases(output, given, limit=400):
    """Pairs [path_a, path_b] of arrays that share memory; at least one is in the output.

    Paths start with "out" (the return value) or "arg" (the arguments as passed).
    """
    outs, ins = [], []
    try:
        _leaves(output, ["out"], outs)
        _leaves(given, ["arg"], ins)
    except RecursionError:
        return []
    outs, ins = outs[:limit], ins[:limit]
    pairs = []
    for i, (pa, a) in enumerate(outs):
        for pb, b in outs[i + 1 :] + ins:
            if a is b or _share(a, b):
                pairs.append([pa, pb])
    return pairs


def _share(a, b):
    if not np.may_share_memory(a, b):
        return False
    try:
        return bool(np.shares_memory(a, b, max_work=10**6))
    except Exception:  # too hard to decide exactly: overlapping bounds count as shared
        return True


def _is_reference(obj, names):
    module = str(getattr(obj, "__module__", "") or "")
    return (
        (module == "bptt" or module.startswith("bptt."))
        and not module.startswith("bptt.checks")
        and getattr(obj, "__name__", None) in names
    )


def _code_names(code, depth=0):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and depth < 10:
            names |= _code_names(const, depth + 1)
    return names


def reference_use(obj, names):
    """Which of the course's own implementations ``names`` the student's ``obj`` is, wraps or calls; or None.

    Follows functools.partial, ``__wrapped__``, the globals and attribute names
    the code reads, and closure cells.  A hint for honest students and a
    first filter for the grader, which also inspects the source statically.
    """
    target, seen = obj, 0
    while seen < 10:
        seen += 1
        if _is_reference(target, names):
            return f"{target.__module__}.{target.__name__}"
        if isinstance(target, functools.partial):
            target = target.func
        elif hasattr(target, "__wrapped__"):
            target = target.__wrapped__
        else:
            break
    functions = (
        [target]
        + [getattr(target, m, None) for m in ("__call__", "backward", "__init__")]
        if isinstance(target, type)
        else [target]
    )
    for fn in functions:
        code, scope = getattr(fn, "__code__", None), getattr(fn, "__globals__", {})
        if code is None:
            continue
        read = _code_names(code)
        for name in read:
            value = scope.get(name)
            if _is_reference(value, names):
                return f"{value.__module__}.{value.__name__}"
            if (
                isinstance(value, types.ModuleType)
                and str(value.__name__).split(".")[0] == "bptt"
            ):
                for attr in read & set(names):
                    if _is_reference(getattr(value, attr, None), names):
                        return f"{value.__name__}.{attr}"
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                _is_reference(value, names)
                or isinstance(value, functools.partial)
                and _is_reference(value.func, names)
            ):
                found = value.func if isinstance(value, functools.partial) else value
                return f"{found.__module__}.{found.__name__}"
    return None
