"""What grading returns: the options of a run, one row per graded function and
the result of a notebook.
"""

from dataclasses import dataclass, field
from pathlib import Path

from . import assignments, sandbox

STATUSES = ("passed", "failed", "error", "timeout", "not_graded")


REFERENCE = (
    "uses the course's reference implementation"  # English; rows say _("… ({what})")
)


@dataclass
class Options:
    timeout: float = 60  # per cell (and per call of a graded function), seconds
    deadline: float = 300  # per notebook, seconds of wall clock
    assignment: str = None
    solutions: Path = assignments.SOLUTIONS
    sandboxed: bool = True
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    fonts: Path = (
        None  # matplotlib's font list to start each sandbox with (sandbox.font_cache)
    )


@dataclass
class Row:
    function: str
    status: str
    points: float
    max_points: float
    message: str = ""
    hint: str = ""


@dataclass
class Result:
    notebook: str
    assignment: str = ""
    source: str = ""
    rows: list = field(default_factory=list)
    first_error: str = ""
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    timing: dict = field(
        default_factory=dict
    )  # where the time went (seconds), for the benchmark

    @property
    def points(self):
        return sum(r.points for r in self.rows)

    @property
    def max_points(self):
        return sum(r.max_points for r in self.rows)
