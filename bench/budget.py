"""Performance budget of the course: build time, nbval time, notebook memory.

Measures, on this machine:

1. the cold strict build (``jupyter-book build -W -n --keep-going``) into a fresh
   output folder with a cold execution cache (every notebook executes);
2. the same build again into another fresh output folder that only reuses the
   first build's execution cache (jupyter-cache hits): the build *without*
   notebook execution -- Sphinx, MyST-NB, theme, MathJax assets, search index;
3. the whole nbval run (``python -m pytest chapters solutions`` with the
   project's addopts: ``--nbval --nbval-current-env --nbval-sanitize-with ...``);
4. for each notebook under chapters/ and solutions/, the peak resident memory
   (RSS) of executing it with nbclient in a fresh process, summed over that
   process and all its children (the kernel), sampled every 20 ms with psutil;
5. the page weight of the built site (bench/page_weight.py): for every page, the
   requests it makes and the gzip bytes of everything it loads, in Chromium with
   a cold cache; the heaviest page and its request count are reported.

Targets (2 cores): build without execution <= 90 s, nbval <= 60 s, every
notebook <= 1024 MB, heaviest page <= 2 MB gzip.  The last line reads exactly
``budget: build_s=<..> nbval_s=<..> peak_rss_mb=<..> page_gzip_kb=<..> page_requests=<..>``
where build_s is the build without execution, peak_rss_mb the largest notebook
peak, and page_* the heaviest page's transfer and request count.

Usage: ``PYTHONPATH=$PWD python bench/budget.py [--root DIR]``  (takes a few minutes)
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import page_weights, report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "build_s": 90.0,
    "nbval_s": 60.0,
    "peak_rss_mb": 1024.0,
    "page_gzip_kb": 2000.0,
}


def _env(root):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(root), env.get("PYTHONPATH")])
    )
    return env


def build(root, out):
    """Seconds for one strict build of ``root`` into ``out``; raises on failure."""
    cmd = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(root),
        "-W",
        "-n",
        "--keep-going",
        "--path-output",
        str(out),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=_env(root), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"budget: strict build failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return seconds


def nbval(root):
    """Seconds for the nbval run over chapters/ and solutions/ (project addopts)."""
    folders = [f for f in ("chapters", "solutions") if (root / f).is_dir()]
    if not folders:
        return 0.0
    cmd = [sys.executable, "-m", "pytest", "-q", *folders]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=_env(root), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 5):  # 5: no notebooks collected
        sys.exit(f"budget: nbval failed:\n{proc.stdout[-3000:]}")
    return seconds


EXECUTE = """
import sys, nbformat, nbclient
from pathlib import Path
path = Path(sys.argv[1])
nb = nbformat.read(path, as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                        resources={"metadata": {"path": str(path.parent)}}).execute()
"""


def tree_rss(proc):
    """RSS in bytes of ``proc`` and all its descendants (0 for vanished ones)."""
    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def notebook_peak_mb(root, path):
    """Peak RSS (MB) of executing ``path`` with nbclient in a fresh process tree."""
    with tempfile.TemporaryFile(
        mode="w+"
    ) as log:  # a file, not a pipe: the kernel writes to it too
        child = subprocess.Popen(
            [sys.executable, "-c", EXECUTE, str(path)],
            cwd=root,
            env=_env(root),
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        proc = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(0.02)
        if child.returncode != 0:
            log.seek(0)
            sys.exit(f"budget: executing {path} failed:\n{log.read()[-3000:]}")
    return peak / 2**20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="book root (default: this repository)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    print(f"budget: {root} on {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory(prefix="bptt-budget-") as tmp:
        cold_out, warm_out = Path(tmp) / "cold", Path(tmp) / "warm"
        build_cold = build(root, cold_out)
        print(f"cold strict build (executes every notebook): {build_cold:.1f} s")
        (warm_out / "_build").mkdir(parents=True)
        shutil.copytree(
            cold_out / "_build" / ".jupyter_cache",
            warm_out / "_build" / ".jupyter_cache",
        )
        build_s = build(root, warm_out)
        print(
            f"strict build without execution (fresh output, warm execution cache): {build_s:.1f} s"
        )
        heaviest, page_gzip, page_requests = report(
            page_weights(warm_out / "_build" / "html")
        )

    nbval_s = nbval(root)
    print(f"nbval run (pytest --nbval chapters solutions): {nbval_s:.1f} s")

    notebooks = sorted(
        p for f in ("chapters", "solutions") for p in (root / f).glob("*.ipynb")
    )
    peaks = {}
    for path in notebooks:
        peaks[path] = notebook_peak_mb(root, path)
        print(f"peak RSS {path.relative_to(root)}: {peaks[path]:.0f} MB")
    peak = max(peaks.values(), default=0.0)

    values = {
        "build_s": build_s,
        "nbval_s": nbval_s,
        "peak_rss_mb": peak,
        "page_gzip_kb": page_gzip / 1e3,
    }
    for key, value in values.items():
        verdict = "ok" if value <= TARGETS[key] else "OVER BUDGET"
        print(f"{key} = {value:.1f} (target <= {TARGETS[key]:g}): {verdict}")
    print(
        f"budget: build_s={build_s:.1f} nbval_s={nbval_s:.1f} peak_rss_mb={peak:.0f} "
        f"page_gzip_kb={page_gzip / 1e3:.0f} page_requests={page_requests}"
    )


if __name__ == "__main__":
    main()
