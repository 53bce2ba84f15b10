"""Grade exercise notebooks: ``python -m bptt.grade NOTEBOOK.ipynb [...]``.

Each notebook is executed headless (nbclient, one kernel per notebook, a
timeout per cell, errors allowed so that later cells still run).  Then, in
the same kernel, every graded function the notebook should define is run
through its self-check from :mod:`bptt.checks`.  The graded functions are
listed in the notebook metadata ``bptt.graded`` (written by the authors of
solutions/ and copied into exercises/), or else found from the
``check_<name>(`` calls in the code.

Prints one table per notebook (a failing function's verdict, then its hint
in full) and a final line ``score: <passed>/<total>``; notebooks that could
not be graded at all (unreadable, no graded functions) are listed on a
``NOT GRADED`` line just before it, since they add nothing to the total.
The exit code is 0 whenever grading worked, whatever the score (2 for bad
usage).  A notebook that cannot be read, crashes, hangs (cell timeout),
kills its kernel or deletes a function is reported as such; the grader itself
never shows a traceback.
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from .checks import CHECKS

MARKER = "@@bptt-grade@@"
CHECK_CALL = re.compile(r"\bcheck_(\w+)\s*\(")

# Runs inside the student's kernel, once per graded function.
GRADING_CELL = """\
import json as _bptt_json
from bptt.checks import run_check as _bptt_run_check
_bptt_fn = globals().get({name!r})
if _bptt_fn is None:
    _bptt_result = (False, "not defined: the notebook does not define {name}")
elif str(getattr(_bptt_fn, "__module__", "")).startswith("bptt"):
    _bptt_result = (False, "imported from the bptt package instead of implemented in the notebook")
else:
    _bptt_result = _bptt_run_check({name!r}, _bptt_fn)
print({marker!r} + _bptt_json.dumps({{"name": {name!r}, "passed": _bptt_result[0], "message": _bptt_result[1]}}))
"""


def graded_functions(nb):
    """Names of the graded functions of notebook ``nb`` (metadata first, then check_ calls)."""
    names = nb.metadata.get("bptt", {}).get("graded")
    if not names:
        names = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                names += [n for n in CHECK_CALL.findall(cell.source) if n in CHECKS and n not in names]
    return [n for n in names if n in CHECKS]


def _first_error(cells):
    for index, cell in enumerate(cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return index, out.get("ename", "?"), out.get("evalue", "")
    return None


def grade_notebook(path, timeout=60, kernel_name="python3"):
    """Execute one notebook and check its graded functions.

    Returns a dict with ``notebook``, ``functions`` (list of (name, passed,
    message)), ``problem`` (a sentence, or None when the run was clean) and
    ``first_error`` ((cell index, ename, evalue) of the first failing authored
    cell, or None).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    report = {"notebook": str(path), "functions": [], "problem": None, "first_error": None}
    try:
        nb = nbformat.read(path, as_version=4)
        names = graded_functions(nb)
    except Exception as exc:
        report["problem"] = f"cannot read the notebook ({type(exc).__name__}: {exc})"
        return report
    if not names:
        report["problem"] = "no graded functions found (no check_<name>(...) calls, no metadata bptt.graded)"
        return report

    n_authored = len(nb.cells)
    for name in names:
        nb.cells.append(nbformat.v4.new_code_cell(GRADING_CELL.format(name=name, marker=MARKER)))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeoutError", "evalue": f"a cell ran longer than {timeout} s", "traceback": []},
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines are not the student's
    except Exception as exc:  # dead kernel, kernel that never starts, …
        report["problem"] = f"the notebook could not be run to the end ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"

    results = {}
    for cell in nb.cells[n_authored:]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for line in out.get("text", "").splitlines():
                    if line.startswith(MARKER):
                        try:
                            item = json.loads(line[len(MARKER):])
                            results[item["name"]] = (bool(item["passed"]), str(item["message"]))
                        except (ValueError, KeyError):
                            pass
    for index, name in enumerate(names):
        if name in results:
            passed, message = results[name]
        else:
            outputs = nb.cells[n_authored + index].get("outputs", [])
            timed_out = any(o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt") for o in outputs)
            if timed_out:
                message = f"timed out: the check did not finish within {timeout} s"
            elif report["problem"]:
                message = "not graded: " + report["problem"]
            else:
                message = "not graded: the check produced no result"
            passed = False
        report["functions"].append((name, passed, message))
    report["first_error"] = _first_error(nb.cells[:n_authored])
    if report["problem"] is None and report["first_error"] is not None:
        index, ename, evalue = report["first_error"]
        # nbclient interrupts a cell that runs past the timeout: the kernel reports KeyboardInterrupt
        kind = "timed out" if ename in ("CellTimeoutError", "KeyboardInterrupt") else f"raised {ename}"
        report["problem"] = f"cell {index} {kind}" + (f": {evalue.splitlines()[0]}" if evalue else "")
    return report


def _verdict_and_hint(message):
    """The verdict (without the worst-entry detail) and the hint, each on one line."""
    parts = [part.strip() for part in message.splitlines() if part.strip()]
    if not parts:
        return "", ""
    verdict = parts[0].split("; largest difference")[0]
    rest = " ".join(parts[1:])
    return verdict, rest


def format_report(report):
    lines = [report["notebook"]]
    width = max([len(n) for n, _, _ in report["functions"]] + [8])
    for name, passed, message in report["functions"]:
        if passed:
            lines.append(f"  {name:<{width}}  PASS")
            continue
        verdict, hint = _verdict_and_hint(message)
        lines.append(f"  {name:<{width}}  FAIL  {verdict}".rstrip())
        if hint:
            lines.append(f"  {'':<{width}}        {hint}")
    if report["problem"]:
        lines.append(f"  note: {report['problem']}")
    if not report["functions"]:
        lines.append("  NOT GRADED")
    else:
        score = sum(p for _, p, _ in report["functions"])
        lines.append(f"  {score}/{len(report['functions'])}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bptt.grade", description="Grade exercise notebooks with the bptt self-checks.")
    parser.add_argument("notebooks", nargs="+", help="notebook files (.ipynb)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds allowed per cell (default 60)")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name (default python3)")
    args = parser.parse_args(argv)
    passed = total = 0
    not_graded = []
    for nb_path in args.notebooks:
        try:
            report = grade_notebook(nb_path, timeout=args.timeout, kernel_name=args.kernel)
        except Exception as exc:  # never a traceback from the grader
            report = {"notebook": nb_path, "functions": [], "problem": f"grading failed ({type(exc).__name__}: {exc})", "first_error": None}
        print(format_report(report), flush=True)
        passed += sum(p for _, p, _ in report["functions"])
        total += len(report["functions"])
        if not report["functions"]:
            not_graded.append(str(nb_path))
    if not_graded:  # these add nothing to the total: say so before the score line
        print(f"NOT GRADED ({len(not_graded)} of {len(args.notebooks)}): {', '.join(not_graded)}")
    print(f"score: {passed}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
