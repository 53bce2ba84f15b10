"""Grade exercise notebooks: ``python -m bptt.grade [--assignment NAME] NOTEBOOK.ipynb ...``.

Untrusted code produces data, trusted code judges it.  For each submission the
grader (this process, which never runs student code) reads the notebook,
takes the graded functions and their points from the instructor's copy
(:mod:`.assignments`), looks for uses of the course's reference code
(:mod:`.notebook`), and runs :mod:`.runner` in a bubblewrap sandbox
(:mod:`.sandbox`): the runner loads the student's definitions, observes each
graded function on the check cases, then runs the whole notebook for the
report's first-error line, and writes only wire files.  The grader judges those
observations with ``bptt.checks.CHECKS[name].judge`` (:mod:`.grading`) and
reports (:mod:`.report`).  See instructors.md for the threat model.
"""

from .grading import Options, Result, Row, grade_notebook

__all__ = ["Options", "Result", "Row", "grade_batch", "grade_notebook", "main"]


def grade_batch(paths, options=None, jobs=1):
    from .cli import grade_batch as batch

    return batch(paths, options or Options(), jobs)


def main(argv=None):
    from .cli import main as cli_main

    return cli_main(argv)
