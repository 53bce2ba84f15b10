"""What the instructor reads: the terminal table, the CSV gradebook, Gradescope's results.json.

Every string that came from a submission (messages, file names) goes through
``clean`` first: control characters out (no ANSI colours or cursor moves that
could make FAIL look like PASS, no bidi overrides), lengths capped.
"""

import csv
import json
import re
import unicodedata

from ..i18n import N_, _

CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)")
MAX_MESSAGE = 2000
MAX_NOTEBOOK = 20_000
CSV_COLUMNS = (
    "notebook",
    "assignment",
    "function",
    "status",
    "points",
    "max_points",
    "message",
)
LABEL = {
    "passed": N_("PASS"),
    "failed": N_("FAIL"),
    "error": N_("ERROR"),
    "timeout": N_("TIMEOUT"),
    "not_graded": N_("NOT GRADED"),
}


def clean(text, limit=MAX_MESSAGE, newlines=False):
    """``text`` without escape sequences and control characters, at most ``limit`` characters."""
    text = ESCAPE.sub("", str(text))
    if not newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    text = CONTROL.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pad(text, width):
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def points(value):
    return f"{value:g}"


def table(result):
    """The report of one notebook, ending with its line ``<notebook>: <points>/<max>``."""
    name = clean(result.notebook, 300)
    head = name + (
        "  "
        + _("[assignment {name}, from {source}]").format(
            name=clean(result.assignment), source=result.source
        )
        if result.assignment
        else ""
    )
    lines = [head]
    width = max([len(r.function) for r in result.rows] + [8])
    for row in result.rows:
        label = _(LABEL[row.status]) if row.status in LABEL else row.status.upper()
        score = f"{points(row.points)}/{points(row.max_points)}"
        message = "" if row.status == "passed" else clean(row.message)
        lines.append(
            f"  {clean(row.function, 80):<{width}}  {_pad(label, 7)} {score:>5}  {message}".rstrip()
        )
        if row.hint and row.status != "passed":
            hint = _("HINT: {hint}").format(hint=clean(row.hint))
            lines.append(f"  {'':<{width}}  {'':<7} {'':>5}  {hint}")
        elif row.hint:
            lines.append(f"  {'':<{width}}  {'':<7} {'':>5}  {clean(row.hint)}")
    if result.first_error:
        first = _("first error in the notebook: {error}").format(
            error=clean(result.first_error)
        )
        lines.append(f"  {first}")
    for note in result.notes:
        lines.append("  " + _("note: {note}").format(note=clean(note)))
    body = "\n".join(lines)
    if len(body) > MAX_NOTEBOOK:  # a flood of messages must not bury the other students
        body = body[:MAX_NOTEBOOK] + "\n  " + _("… (feedback cut at 20 kB)")
    return body + f"\n{name}: {points(result.points)}/{points(result.max_points)}"


def _cell(text):
    """A CSV cell a spreadsheet will not run as a formula (a file named ``=HYPERLINK(...)``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_csv(path, results):
    """One row per (notebook, graded function)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for result in results:
            for row in result.rows:
                writer.writerow(
                    [
                        _cell(clean(result.notebook, 300)),
                        result.assignment,
                        row.function,
                        row.status,
                        points(row.points),
                        points(row.max_points),
                        _cell(clean(row.message)),
                    ]
                )


def gradescope(results, sandboxed=True):
    """Gradescope's autograder results.json: one test per graded function (one student's notebooks)."""
    tests, overall = [], [] if sandboxed else [_("graded with --no-sandbox")]
    for result in results:
        prefix = f"{clean(result.notebook, 200)}: " if len(results) > 1 else ""
        for row in result.rows:
            output = clean(row.message) + (
                "\n" + _("HINT: {hint}").format(hint=clean(row.hint))
                if row.hint
                else ""
            )
            tests.append(
                {
                    "name": prefix + row.function,
                    "score": row.points,
                    "max_score": row.max_points,
                    "status": "passed" if row.status == "passed" else "failed",
                    "output": output,
                }
            )
        if result.first_error:
            overall.append(
                prefix
                + _("first error in the notebook: {error}").format(
                    error=clean(result.first_error)
                )
            )
        overall += [
            prefix + _("note: {note}").format(note=clean(note)) for note in result.notes
        ]
    out = {
        "score": sum(t["score"] for t in tests),
        "tests": tests,
        "visibility": "visible",
    }
    if overall:
        out["output"] = "\n".join(overall)[:MAX_NOTEBOOK]
    return out


def write_gradescope(path, results, sandboxed=True):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(gradescope(results, sandboxed), f, indent=2)
