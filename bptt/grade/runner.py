"""The one part of the grader that runs student code; it runs inside the sandbox.

``python runner.py JOB OUT FD [--sandboxed]`` reads the job (a wire file written
by the trusted grader: the notebook's code cells, the graded names, the check
cases) and writes only data:

1. observations, to the file descriptor FD (a file the grader opened outside
   the sandbox; no path to it exists inside) — the student's *definitions*
   (imports, ``def``, ``class`` and assignments at the top level of each code
   cell, each in try/except) are executed in a fresh namespace; then each
   graded function is called on every case through
   :func:`bptt.checks.observe.observe`.  One record per function, written as
   soon as it is observed, so a later hang costs nothing already done.  Then FD
   and every other descriptor is closed and, in the sandbox, every other
   process killed: the rest of the notebook cannot add to the observations.
2. ``OUT/run.npz`` — the whole notebook is executed cell by cell (IPython, as
   in Jupyter) for the report's first-error line; rewritten after each cell.

Nothing here decides a grade: the trusted process judges the observations.
This file imports nothing from ``bptt.grade`` (hidden in the sandbox).
"""

import time

STARTED = time.monotonic()  # before the imports: the report says where the time goes

import ast
import functools
import os
import signal
import sys
import types

import bptt  # noqa: F401
from bptt.checks import CHECKS, wire
from bptt.checks.observe import observe, reference_use

DEFINITIONS = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.If,
    ast.Try,
)


class CellTimeout(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` in student code lets it through."""


def _alarm(signum, frame):
    raise CellTimeout()


class _Sink:
    """Where the student's prints go: counted and dropped (the grader reads files, never stdout)."""

    encoding = "utf-8"

    def write(self, text):
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _save(path, obj):
    tmp = path[: -len(".npz")] + ".part.npz"  # np.savez appends .npz to any other name
    wire.save(tmp, obj)
    os.replace(tmp, path)  # the trusted side never sees half a file


def _timed(seconds, fn, *args):
    """fn(*args) with an alarm after ``seconds``; CellTimeout when it rings."""
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# ------------------------------------------------ which code is the reference ---


def bptt_modules():
    return [
        name for name in list(sys.modules) if name == "bptt" or name.startswith("bptt.")
    ]


def reference_objects(names):
    """{id(obj): "bptt.module.name"} and the code objects of bptt's functions called ``names``.

    Taken before any student code runs, so that deleting or replacing them later hides nothing.
    """
    objs, codes = {}, {}
    for modname in bptt_modules():
        module = sys.modules.get(modname)
        for name in names:
            obj = getattr(module, name, None)
            if obj is not None:
                objs[id(obj)] = f"{getattr(obj, '__module__', modname)}.{name}"
                code = getattr(obj, "__code__", None)
                if code is not None:
                    codes[code.co_code, code.co_names, code.co_consts.__repr__()] = (
                        objs[id(obj)]
                    )
    return objs, codes


def _all_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _all_names(const)
    return names


def reaches_reference(fn, refs, graded, ns, seen=None, depth=0):
    """The reference ``fn`` is, wraps or calls (through partials, closures, aliases, helpers), or None.

    Follows only what the notebook defined (functions whose globals are ``ns``);
    stops at the notebook's other graded functions: each is judged on its own.
    """
    objs, codes = refs
    seen = set() if seen is None else seen
    if id(fn) in seen or depth > 8:
        return None
    seen.add(id(fn))
    if id(fn) in objs:
        return objs[id(fn)]
    again = functools.partial(
        reaches_reference, refs=refs, graded=graded, ns=ns, seen=seen, depth=depth + 1
    )
    if isinstance(fn, functools.partial):
        inner = [fn.func, *fn.args, *fn.keywords.values()]
    elif isinstance(fn, types.MethodType):
        inner = [fn.__func__, fn.__self__]
    elif isinstance(fn, types.FunctionType):
        if fn.__globals__ is not ns:
            return None  # library code: not the student's
        key = (fn.__code__.co_code, fn.__code__.co_names, repr(fn.__code__.co_consts))
        if key in codes:
            return codes[key] + " (a copy of its code)"
        inner = _referenced(fn, graded, ns)
    elif callable(fn) and not isinstance(fn, type):
        inner = [
            type(fn).__dict__.get("__call__")
        ]  # an instance of the student's callable class
    else:
        return None
    return next(filter(None, map(again, [v for v in inner if v is not None])), None)


def _referenced(fn, graded, ns):
    """What ``fn`` can reach: defaults, closure cells, the globals its code names, bptt module attributes."""
    inner = list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values())
    inner += [c.cell_contents for c in (fn.__closure__ or ()) if _has_contents(c)]
    wrapped = fn.__dict__.get("__wrapped__")
    if wrapped is not None:
        inner.append(wrapped)
    names = _all_names(fn.__code__)
    for name in names:
        value = fn.__globals__.get(name)
        if isinstance(value, types.ModuleType):
            if (
                value.__name__.split(".")[0] == "bptt"
            ):  # bptt.rnn_forward, r.rnn_forward, bptt.rnn.rnn_forward
                inner += [getattr(value, n, None) for n in names]
                inner += [
                    getattr(getattr(value, sub, None), n, None)
                    for sub in names
                    for n in names
                ]
        elif value is not None and not (name in graded and name != fn.__name__):
            inner.append(value)
    if "bptt" in names:  # `import bptt` inside the function body
        inner += [
            getattr(sys.modules.get(m), n, None) for m in bptt_modules() for n in names
        ]
    return inner


def _has_contents(cell):
    try:
        cell.cell_contents  # noqa: B018 - reading it is the test
    except ValueError:  # an empty cell: a name assigned later in the enclosing function
        return False
    return True


# ------------------------------------------------------------ the two phases ---


def python_source(source):
    """IPython's own translation of a cell (magics, ``!cmd``) into Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def load_definitions(cells, ns, timeout):
    """Execute the top-level definitions of each cell in ``ns``; [(cell, line, error)] for those that failed."""
    problems = []
    for number, source in cells:
        try:
            tree = ast.parse(python_source(source))
        except Exception as exc:  # SyntaxError mostly; the full run reports it too
            problems.append(
                (
                    number,
                    getattr(exc, "lineno", 0) or 0,
                    f"{type(exc).__name__}: {exc}"[:300],
                )
            )
            continue
        for node in tree.body:
            if not isinstance(node, DEFINITIONS):
                continue  # calls, prints, loops: not needed to define the functions
            code = compile(
                ast.Module(body=[node], type_ignores=[]), f"<cell {number}>", "exec"
            )
            try:
                _timed(timeout, exec, code, ns)
            except BaseException as exc:  # one bad statement must not stop the rest
                problems.append(
                    (number, node.lineno, f"{type(exc).__name__}: {exc}"[:300])
                )
    return problems


def _record(fd, obj):
    """Append one length-prefixed wire record to ``fd``."""
    data = wire.dumps(obj)
    os.write(fd, len(data).to_bytes(8, "big") + data)


def observe_all(job, ns, fd, refs):
    """Observe each graded function on its cases; one record per function, then a last one."""
    start = time.monotonic()
    graded = set(job["graded"])
    timing = job.get("_timing", {})
    for name in job["graded"]:
        fn = ns.get(name)
        entry = {"status": "observed", "detail": "", "observations": []}
        if fn is None:
            entry["status"] = "missing"
        elif not callable(fn):
            entry.update(status="not_callable", detail=type(fn).__name__)
        else:
            entry["detail"] = (
                _safe(reaches_reference, fn, refs, graded, ns)
                or _safe(reference_use, fn, frozenset(job["references"]))
                or ""
            )
            if entry["detail"]:
                entry["status"] = "reference"
            target = CHECKS[name].callable_for(
                fn
            )  # a class is observed through the check's own driver
            for args in [] if entry["detail"] else job["cases"][name]:
                try:
                    entry["observations"].append(
                        _timed(job["timeout"], observe, target, args)
                    )
                except (
                    BaseException
                ) as exc:  # the alarm, KeyboardInterrupt: observe lets them through
                    entry.update(
                        status="timeout" if isinstance(exc, CellTimeout) else "crashed",
                        detail=type(exc).__name__,
                    )
                    break
        _record(fd, {"function": name, "entry": entry})
    timing["observe"] = time.monotonic() - start
    _record(fd, {"definitions": job.get("_problems", []), "timing": timing})


def _safe(fn, *args):
    try:
        return fn(*args)
    except (
        Exception
    ):  # an odd object can make the inspection fail: the static check still stands
        return None


def run_notebook(cells, timeout, out_path):
    """Run every code cell as Jupyter would; record (cell, status, error type, message) per cell."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell.instance(config=config)
    record = {"cells": [], "running": None, "seconds": 0.0}
    start = time.monotonic()
    for number, source in cells:
        record["running"] = number
        _save(out_path, record)
        try:
            result = _timed(timeout, shell.run_cell, source, False, False)
            error = result.error_before_exec or result.error_in_exec
        except BaseException as exc:  # the alarm rang outside the cell's own code
            error = exc
        if isinstance(error, CellTimeout):
            record["cells"].append(
                [number, "timeout", "CellTimeout", f"ran longer than {timeout} s"]
            )
        elif error is not None:
            record["cells"].append(
                [number, "error", type(error).__name__, _text(error)]
            )
        else:
            record["cells"].append([number, "ok", "", ""])
    record["running"] = None
    record["seconds"] = time.monotonic() - start
    record["cpu"] = (
        time.process_time()
    )  # the whole runner's CPU seconds, for the benchmark
    _save(out_path, record)


def _text(exc):
    try:
        return str(exc)[:500]
    except Exception:
        return "<unprintable message>"


def _seal(fd, log, devnull, sandboxed):
    """After the observations: no descriptor, thread's copy or child process can add to them."""
    if (
        sandboxed
    ):  # kill(-1) reaches only this sandbox's processes (its own PID namespace)
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    keep = sorted({log, devnull})
    os.closerange(3, keep[0])
    os.closerange(keep[0] + 1, keep[1])
    os.closerange(keep[1] + 1, 1 << 16)


def main(job_path, out_dir, fd, sandboxed=False):
    job = wire.load(job_path)
    signal.signal(signal.SIGALRM, _alarm)
    log = os.dup(2)  # the grader's log, for the runner's own failure only
    devnull = os.open(os.devnull, os.O_WRONLY)
    (
        os.dup2(devnull, 1),
        os.dup2(devnull, 2),
    )  # prints are not data: nothing reaches the grader's log
    sys.stdout = sys.stderr = _Sink()
    try:
        _phases(job, out_dir, fd, lambda: _seal(fd, log, devnull, sandboxed))
    except BaseException as exc:
        os.write(log, f"runner failed: {type(exc).__name__}: {_text(exc)}\n".encode())
        os._exit(1)
    os._exit(0)  # no atexit handlers of the student's


def _phases(job, out_dir, fd, seal):
    sys.path.append(
        os.getcwd()
    )  # the student's own modules next to the notebook, after bptt
    ns = {"__name__": "__main__", "__builtins__": __builtins__}
    refs = reference_objects(job["references"])
    timing = {"imports": time.monotonic() - STARTED}
    job["_problems"] = [
        list(p) for p in load_definitions(job["cells"], ns, job["timeout"])
    ]
    timing["definitions"] = time.monotonic() - STARTED - timing["imports"]
    job["_timing"] = timing
    observe_all(job, ns, fd, refs)
    seal()
    if job.get("run", True):
        run_notebook(job["cells"], job["timeout"], os.path.join(out_dir, "run.npz"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), "--sandboxed" in sys.argv[4:])
