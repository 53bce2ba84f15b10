"""Read a submission (never run it) and look at its code: the trusted side's static checks.

``read`` returns the code cells numbered from 1 as JupyterLab counts cells
(markdown included).  ``reference_use`` finds graded functions whose code
imports, aliases, wraps or ``functools.partial``-s bptt's own implementation;
the sandbox checks the same on the live objects (``runner.reaches_reference``),
so each catches what the other can be fooled on.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _

MAX_BYTES = 20 * 2**20


class Unreadable(ValueError):
    """The file is not a notebook we can grade."""


@dataclass
class Submission:
    path: Path
    cells: list  # [(number from 1, source)] of the code cells
    metadata: dict


def read(path, max_bytes=MAX_BYTES):
    """The code cells and metadata of notebook ``path``, or Unreadable with the reason."""
    import nbformat

    path = Path(path)
    try:
        if (
            path.is_symlink()
        ):  # the grader reads with the instructor's rights: a link could point anywhere
            raise Unreadable(_("a symbolic link, not a file"))
        if not path.is_file():
            raise Unreadable(
                _("not a regular file") if path.exists() else _("no such file")
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise Unreadable(
                _("the file is {size:.0f} MB, more than {limit} MB").format(
                    size=size / 2**20, limit=max_bytes // 2**20
                )
            )
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Unreadable:
        raise
    except Exception as exc:  # JSON errors, schema errors, binary files, permissions
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise Unreadable(f"{type(exc).__name__}: {first}") from None
    cells = [(i + 1, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return Submission(path, cells, dict(nb.metadata))


def _python(source):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (
        Exception
    ):  # SyntaxError, or a cell nested too deeply: the sandbox's own check still looks
        return None


def reference_use(cells, graded, references):
    """{graded name: reason} for graded functions that use bptt's implementation (static)."""
    trees = [t for t in (_python(src) for _, src in cells) if t is not None]
    bindings = {}  # name -> its last top-level binding (the one the function sees when graded)
    modules = set()  # names bound to a bptt module
    for tree in trees:
        for node in tree.body:
            for name, value in _binds(node, references, modules):
                bindings[name] = value
    flagged = {}
    changed = True
    while (
        changed
    ):  # helpers that use the reference taint the graded functions that call them
        changed = False
        for name, value in bindings.items():
            if name in flagged or not isinstance(value, ast.AST):
                continue
            reason = _uses(value, references, modules, bindings, flagged, graded, name)
            if reason:
                flagged[name] = reason
                changed = True
    for name, value in bindings.items():
        if isinstance(value, str):
            flagged[name] = value
    return {name: flagged[name] for name in graded if name in flagged}


def _binds(node, references, modules):
    """(name, value) pairs bound by top-level statement ``node``; value is a node or, for bptt imports, a reason."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [(node.name, node)]
    if isinstance(node, ast.Import):
        out = []
        for alias in node.names:
            if alias.name.split(".")[0] == "bptt":
                modules.add(alias.asname or alias.name.split(".")[0])
            out.append(((alias.asname or alias.name.split(".")[0]), None))
        return [(n, v) for n, v in out if n not in modules]
    if isinstance(node, ast.ImportFrom):
        out = []
        for alias in node.names:
            bound = alias.asname or alias.name
            if (node.module or "").split(".")[0] == "bptt":
                if alias.name in references:
                    out.append(
                        (bound, _("imports bptt's {name}").format(name=alias.name))
                    )
                elif alias.name == "*":
                    out += [
                        (r, _("imports bptt's {name} (import *)").format(name=r))
                        for r in references
                    ]
                else:
                    modules.add(
                        bound
                    )  # a submodule or a helper: attribute chains are checked
                    continue
            else:
                out.append((bound, None))
        return out
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [(t.id, node.value) for t in targets if isinstance(t, ast.Name)]
    if isinstance(node, (ast.If, ast.Try, ast.With)):
        out = []
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                out += _binds(child, references, modules)
            for grand in (
                getattr(child, "body", [])
                if isinstance(child, ast.ExceptHandler)
                else []
            ):
                out += _binds(grand, references, modules)
        return out
    return []


def _uses(value, references, modules, bindings, flagged, graded, own):
    """Why the code of ``value`` reaches the reference, or None."""
    for sub in ast.walk(value):
        if (
            isinstance(sub, ast.Name)
            and isinstance(sub.ctx, ast.Load)
            and sub.id != own
        ):
            bound = bindings.get(sub.id)
            if isinstance(
                bound, str
            ):  # a name the notebook imported from bptt's references
                return _("calls {name}, which {reason}").format(
                    name=sub.id, reason=bound
                )
            if (
                sub.id in flagged and sub.id not in graded
            ):  # a helper of the notebook's that does
                return _("calls {name}, which {reason}").format(
                    name=sub.id, reason=flagged[sub.id]
                )
        if (
            isinstance(sub, ast.Attribute)
            and sub.attr in references
            and _root(sub) in modules
        ):
            return _("calls bptt's {name}").format(name=sub.attr)
        if (
            isinstance(sub, ast.ImportFrom)
            and (sub.module or "").split(".")[0] == "bptt"
        ):
            hit = [a.name for a in sub.names if a.name in references or a.name == "*"]
            if hit:
                return _("imports bptt's {name}").format(name=hit[0])
        if (
            isinstance(sub, ast.Constant)
            and sub.value in references
            and _mentions_bptt(value, modules)
        ):
            return _("looks up bptt's {name} by name").format(name=sub.value)
    return None


def _root(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _mentions_bptt(value, modules):
    return any(
        (isinstance(n, ast.Name) and n.id in modules)
        or (isinstance(n, ast.Constant) and n.value == "bptt")
        or (isinstance(n, (ast.Import, ast.ImportFrom)) and "bptt" in ast.dump(n))
        for n in ast.walk(value)
    )
