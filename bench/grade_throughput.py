"""Grading throughput with the sandbox on: 3 copies of every solution notebook, one batch.

    python bench/grade_throughput.py [--jobs N] [--copies 3]

Prints where the time goes (medians over the notebooks, seconds: the sandbox's
wall time and, inside it, imports, loading the definitions, observing the graded
functions, running the whole notebook; the trusted judge) and ends with
``grade_throughput: s_per_notebook=<batch wall seconds / notebooks>``.
The batch wall time includes the grader's own start-up work (the sandbox probe,
the check cases, nbformat) but not the Python interpreter's start.
"""

import argparse
import contextlib
import io
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bptt.grade import cli

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--copies", type=int, default=3)
    args = parser.parse_args()
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.copies):
            for nb in solutions:  # one folder per student, as submissions usually come
                folder = Path(tmp) / f"student{i}-{nb.stem}"
                folder.mkdir()
                paths.append(shutil.copy(nb, folder / nb.name))
        start, cpu0 = time.monotonic(), _cpu()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = cli.main([*map(str, paths), "--jobs", str(args.jobs)])
        wall, cpu = time.monotonic() - start, _cpu() - cpu0
    assert status == 0, out.getvalue()
    results = cli.LAST_RESULTS
    lost = [r.notebook for r in results if r.points != r.max_points]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{len(results)} notebooks, {args.jobs} jobs, {wall:.1f} s (load average {load}); "
        f"not full marks: {lost or 'none'}"
    )
    for stage in (
        "sandbox",
        "imports",
        "definitions",
        "observe",
        "run",
        "judge",
        "cpu",
    ):
        values = [r.timing[stage] for r in results if stage in r.timing]
        if values:
            print(
                f"  {stage:<12} median {statistics.median(values):.3f} s   max {max(values):.3f} s"
            )
    by_nb = {}
    for r in results:
        by_nb.setdefault(Path(r.notebook).name, []).append(r.timing.get("sandbox", 0.0))
    for name, values in sorted(by_nb.items()):
        print(f"  sandbox wall of {name:<22} median {statistics.median(values):.2f} s")
    # CPU seconds (grader + runners) barely depend on what else the machine runs; wall seconds do
    cpu += sum(r.timing.get("cpu", 0.0) for r in results)
    print(
        f"  cpu per notebook {cpu / len(results):.3f} s (grader and runners; bubblewrap not counted), "
        f"i.e. {cpu / len(results) / args.jobs:.3f} s of wall per notebook on {args.jobs} idle cores"
    )
    print(f"grade_throughput: s_per_notebook={wall / len(results):.3f}")


def _cpu():
    own = resource.getrusage(
        resource.RUSAGE_SELF
    )  # the sandboxed runners report their own
    return own.ru_utime + own.ru_stime


if __name__ == "__main__":
    main()
