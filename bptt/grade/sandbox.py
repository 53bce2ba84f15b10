"""Run the in-sandbox runner under bubblewrap, with limits and a wall-clock deadline.

The sandbox sees a read-only whitelist of the file system — the system
(/usr), the Python installation and its environment, and the ``bptt``
package with ``bptt/grade`` hidden — plus three folders of its own: the
scratch copy of the submission's folder (read-write, the working directory),
the job (read-only) and the output folder (read-write).  solutions/, the rest
of the repository, /root, /home and the grader's temporary files are simply
not there.  No network (a private loopback only), new PID/IPC/UTS namespaces, a
new session (no terminal to type into), killed with its parent.

When the grader runs as root it drops the student's code to uid 65534
(``setpriv``, inside the sandbox) instead of mapping a user namespace: a
real unprivileged uid is what makes the process limit apply and the root-owned
files unreadable.  Otherwise ``--unshare-all --uid 65534`` maps the caller.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import bptt

from .. import i18n
from ..i18n import _

NOBODY = 65534
RUNNER = Path(__file__).with_name("runner.py")
BPTT_DIR = Path(bptt.__file__).resolve().parent
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/fonts",
)
THREADS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces here."""


@dataclass
class Limits:
    """Per-sandbox limits (setrlimit through ``prlimit``); seconds and bytes."""

    cpu: int = 300
    memory: int = 4 * 2**30  # address space: torch needs a few GB of it
    file_size: int = 64 * 2**20
    processes: int = 256  # all sandboxes share uid 65534: a fork bomb stops here
    tmp_size: int = 64 * 2**20


@dataclass
class Outcome:
    returncode: int
    seconds: float
    killed: bool  # the deadline was reached and the sandbox killed
    log: str = ""


def python_dirs():
    """The folders the interpreter needs: its installation and the environment."""
    dirs = {
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix).resolve(),
        Path(sys.executable).resolve().parent.parent,
    }
    return sorted(d for d in dirs if str(d) not in ("/", "/usr"))


def _system_binds():
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/lib", "/lib64", "/sbin", "/lib32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ETC_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def bwrap_argv(box, limits, command, as_root=None):
    """The bwrap command line running ``command`` inside; ``box`` holds job/, out/ and home/work/."""
    as_root = os.geteuid() == 0 if as_root is None else as_root
    argv = ["bwrap", "--die-with-parent", "--new-session", "--clearenv"]
    if as_root:  # everything --unshare-all does except the user namespace (see the module docstring)
        argv += [
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--cap-add",
            "CAP_SETUID",
            "--cap-add",
            "CAP_SETGID",
        ]
    else:
        argv += ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY)]
    for parent in ("/etc", "/opt", "/opt/bptt", "/grader", "/home"):
        argv += ["--perms", "0755", "--dir", parent]
    argv += _system_binds()
    # A private /tmp first: an interpreter or virtual environment that lives under /tmp (as CI's
    # does) is then bound on top of it, not hidden by it.
    argv += ["--size", str(limits.tmp_size), "--perms", "1777", "--tmpfs", "/tmp"]
    made = {Path("/tmp")}
    for d in python_dirs():
        for parent in reversed(
            d.parents[:-1]
        ):  # bwrap would copy a parent's mode: /root is 0700
            if parent not in made:
                made.add(parent)
                argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", str(d), str(d)]
    box = Path(box)
    argv += [
        "--ro-bind",
        str(BPTT_DIR),
        "/opt/bptt/bptt",
        "--tmpfs",
        "/opt/bptt/bptt/grade",
        "--ro-bind",
        str(RUNNER),
        "/grader/runner.py",
        "--ro-bind",
        str(box / "job"),
        "/grader/job",
        "--bind",
        str(box / "out"),
        "/grader/out",
        "--bind",
        str(box / "home"),
        "/home/student",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--chdir",
        "/home/student/work",
    ]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/home/student",
        "PYTHONPATH": "/opt/bptt",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/home/student/.matplotlib",
        "IPYTHONDIR": "/tmp/ipython",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
        "BPTT_LANG": i18n.language(),  # the notebook's own self-check cells speak it too
        **{t: "1" for t in THREADS},
    }
    for key, value in env.items():
        argv += ["--setenv", key, value]
    argv += ["--", *_prlimit(limits, processes=as_root)]
    if as_root:
        argv += [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--inh-caps=-all",
            "--no-new-privs",
        ]
    return argv + list(command)


def runner_command(fd, python=sys.executable):
    """The runner as seen inside the sandbox (-s: no user site-packages); it writes observations to ``fd``."""
    return [
        python,
        "-s",
        "/grader/runner.py",
        "/grader/job/job.npz",
        "/grader/out",
        str(fd),
        "--sandboxed",
    ]


def _prlimit(limits, processes=True):
    # RLIMIT_NPROC counts every process of the uid: only meaningful for the dedicated uid 65534
    argv = [
        "prlimit",
        f"--cpu={limits.cpu}",
        f"--as={limits.memory}",
        f"--fsize={limits.file_size}",
        "--core=0",
    ]
    return argv + ([f"--nproc={limits.processes}"] if processes else [])


def unsandboxed_argv(box, limits, fd):
    """``--no-sandbox``: the same runner as a plain child process (limits, but the grader's rights)."""
    box = Path(box)
    return [
        *_prlimit(limits, processes=False),
        sys.executable,
        "-s",
        str(RUNNER),
        str(box / "job" / "job.npz"),
        str(box / "out"),
        str(fd),
    ]


def unsandboxed_env(box):
    home = str(Path(box) / "home")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "PYTHONPATH": str(BPTT_DIR.parent),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": home + "/.matplotlib",
        "LANG": "C.UTF-8",
        "BPTT_LANG": i18n.language(),
        **{t: "1" for t in THREADS},
    }


def probe(box, limits):
    """Raise SandboxUnavailable naming the cause when the sandbox cannot start here."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            _(
                "bubblewrap (`bwrap`) is not installed; install it with `apt-get install "
                "bubblewrap`"
            )
        )
    argv = bwrap_argv(box, limits, [sys.executable, "-c", "import bptt.checks.observe"])
    run = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if run.returncode != 0:
        cause = (
            run.stderr.strip().splitlines()
            or [_("exit status {returncode}").format(returncode=run.returncode)]
        )[-1]
        if "Traceback (most recent call last)" in run.stderr:  # Python ran: not bwrap
            raise SandboxUnavailable(
                _(
                    "the sandbox starts, but the course package does not import inside "
                    "it ({cause}); check the installation: python -c 'import bptt.checks'"
                ).format(cause=cause)
            )
        raise SandboxUnavailable(
            _(
                "bubblewrap cannot start the sandbox here ({cause}). Unprivileged user "
                "namespaces may be disabled (Ubuntu 24.04+: sysctl "
                "kernel.apparmor_restrict_unprivileged_userns=0) or, in a container, not "
                "allowed (run it with --privileged, or run the grader as root)"
            ).format(cause=cause)
        )


def run(argv, deadline, log_path, cwd=None, env=None, pass_fds=()):
    """Run ``argv`` in its own process group; kill the whole group at the deadline."""
    start = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
            cwd=cwd,
            env=env,
            pass_fds=pass_fds,
        )
        try:
            proc.wait(timeout=deadline)
            killed = False
        except subprocess.TimeoutExpired:
            killed = True
            _kill_group(proc)
    return Outcome(proc.returncode, time.monotonic() - start, killed)


def _kill_group(proc):
    """SIGKILL bwrap's group: bwrap's PID 1 dies, and with it every process of the sandbox."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def font_cache():
    """A folder holding matplotlib's font list, built once (by matplotlib itself, outside any sandbox).

    Each sandbox starts with an empty MPLCONFIGDIR; without this copy every notebook that
    imports pyplot would spend most of a second rebuilding the list.
    """
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        return None
    folder = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "bptt-grade"
        / "matplotlib"
    )
    if not any(folder.glob("fontlist-*.json")):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env={**os.environ, "MPLCONFIGDIR": str(folder)},
            capture_output=True,
            timeout=120,
            check=False,
        )
    return folder


def prepare_box(box, notebook=None, cap_bytes=50 * 2**20, fonts=None):
    """Make ``box``/job, out, home/work; home/work is the scratch copy of the submission's folder.

    Other notebooks in that folder are classmates' work: when there are any, only the
    submission itself is copied; otherwise every regular file (no symlinks) up to ``cap_bytes``.
    Without ``notebook`` (the probe) the scratch folder stays empty.
    """
    box, notebook = Path(box), (Path(notebook) if notebook is not None else None)
    for sub in ("job", "out", "home/work", "home/.matplotlib"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    work = box / "home" / "work"
    for cached in Path(fonts).glob("fontlist-*.json") if fonts else []:
        shutil.copyfile(cached, box / "home" / ".matplotlib" / cached.name)
    files, folder = [], None
    if notebook is not None:
        folder = notebook.parent
        shared = any(
            p.suffix == ".ipynb" and p.name != notebook.name
            for p in _safe_listing(folder)
        )
        files = (
            [notebook]
            if shared
            else [p for p in _walk(folder) if p.suffix != ".ipynb" or p == notebook]
        )
    total = 0
    for path in files:
        size = path.lstat().st_size
        if total + size > cap_bytes:
            continue
        total += size
        target = work / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target, follow_symlinks=False)
    if os.geteuid() == 0:  # the student's uid must own what it may write
        for sub in ("out", "home"):
            for root, dirs, names in os.walk(box / sub):
                for name in [root, *(os.path.join(root, n) for n in dirs + names)]:
                    os.lchown(name, NOBODY, NOBODY)


def _safe_listing(folder):
    try:
        return list(Path(folder).iterdir())
    except OSError:
        return []


def _walk(folder, limit=2000):
    """Regular files under ``folder`` (no symlinks, no hidden folders), at most ``limit``."""
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and not os.path.islink(os.path.join(root, d))
        ]
        for name in names:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                out.append(path)
                if len(out) >= limit:
                    return out
    return out
