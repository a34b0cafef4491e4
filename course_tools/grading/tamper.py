"""Read a submitted notebook safely and compare it with what the student was given.

nbgrader quietly repairs a lot (it restores locked cells and their metadata
and, with ``add_missing_cells``, deleted test cells) but tells nobody. This
scan says what was changed, so the instructor sees it in the tamper report:

- the file is not a readable notebook (not JSON, wrong structure, too big);
- nbgrader cells deleted, duplicated or reordered;
- a locked cell (test, setup or task) edited;
- nbgrader metadata changed (points, grade/solution/locked flags, cell type);
- answer code that reaches into the checks or Python itself (assigning to
  ``qN.check``, importing ``builtins``/``course_utils``, ``setattr``,
  ``sys.modules``, rebinding ``type``/``str``/``print``...). Such code is
  only *flagged*: it cannot raise a grade, because every passed test is
  re-run outside the student's kernel (:mod:`course_tools.grading.verify`).

>>> import nbformat
>>> given = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {
...     "grade": True, "grade_id": "t1", "locked": True, "points": 1, "solution": False, "schema_version": 3}})])
>>> sub = nbformat.from_dict(json.loads(nbformat.writes(given)))
>>> sub.cells[0].source = "pass"
>>> [f.kind for f in scan(sub, given)]
['edited-locked-cell']
"""

from __future__ import annotations

import ast
import copy
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

#: Larger submissions are not graded automatically.
MAX_BYTES = 100 * 1024 * 1024

#: Builtin names an answer cell has no business rebinding.
GUARDED_NAMES = {
    "type",
    "isinstance",
    "issubclass",
    "str",
    "int",
    "float",
    "bool",
    "dict",
    "list",
    "tuple",
    "set",
    "len",
    "print",
    "repr",
    "sorted",
    "sum",
    "min",
    "max",
    "abs",
    "round",
    "all",
    "any",
    "hasattr",
    "getattr",
    "AssertionError",
    "Exception",
    "__import__",
    "__builtins__",
    "globals",
    "vars",
    "eval",
    "exec",
}
SUSPICIOUS_MODULES = {
    "builtins",
    "course_tools",
    "course_utils",
    "ctypes",
    "gc",
    "inspect",
    "importlib",
    "nbgrader",
    "unittest",
}


@dataclass(frozen=True)
class Finding:
    """One thing the scan noticed. ``severity`` is ``"info"`` or ``"tamper"``."""

    kind: str
    detail: str
    severity: str = "tamper"

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class Unreadable(Exception):
    """The submission cannot be graded automatically; the message says why."""


def read_submission(path: Path) -> nbformat.NotebookNode:
    """Read a submitted notebook, or raise :class:`Unreadable` with a reason a person understands."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Unreadable(f"{path.name} is {size / 1e6:.0f} MB (limit {MAX_BYTES / 1e6:.0f} MB)")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise Unreadable(f"{path.name} is not UTF-8 text ({err})") from None
    except json.JSONDecodeError as err:
        raise Unreadable(f"{path.name} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise Unreadable(f"{path.name} is JSON but not a notebook (no list of cells)")
    try:
        nb = nbformat.from_dict(data)
        if nb.get("nbformat", 0) < 4:
            nb = nbformat.convert(nb, 4)
        with warnings.catch_warnings():  # duplicated cell ids: reported by scan(), repaired by nbgrader
            warnings.simplefilter("ignore")
            nbformat.validate(nb, relax_add_props=True)
    except Exception as err:
        raise Unreadable(f"{path.name} is not a valid notebook: {str(err).splitlines()[0][:200]}") from None
    return nb


def _meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def scan(submitted: nbformat.NotebookNode, given: nbformat.NotebookNode) -> list[Finding]:
    """Compare ``submitted`` with the released notebook ``given``; list what changed."""
    findings: list[Finding] = []
    given_cells: dict[str, Any] = {str(_meta(c)["grade_id"]): c for c in given.cells if _meta(c).get("grade_id")}
    order_given = [gid for gid in given_cells]
    seen: dict[str, int] = {}
    order_sub: list[str] = []
    for cell in submitted.cells:
        gid = _meta(cell).get("grade_id")
        if not gid:
            continue
        seen[gid] = seen.get(gid, 0) + 1
        if seen[gid] == 1:
            order_sub.append(gid)
    for gid, n in seen.items():
        if n > 1:
            findings.append(Finding("duplicated-cell", f"cell {gid!r} appears {n} times"))
    missing = [gid for gid in order_given if gid not in seen]
    if missing:
        findings.append(
            Finding("deleted-cells", ", ".join(missing) + " (nbgrader puts test cells back; answers stay missing)")
        )
    unknown = [gid for gid in seen if gid not in given_cells]
    if unknown:
        findings.append(
            Finding("unknown-cells", "cells with nbgrader ids not in the assignment: " + ", ".join(unknown))
        )
    common_sub = [g for g in order_sub if g in given_cells]
    common_given = [g for g in order_given if g in seen]
    if common_sub != common_given:
        findings.append(Finding("reordered-cells", "nbgrader cells are not in the order given"))
    first: dict[str, Any] = {}
    for cell in submitted.cells:
        gid = _meta(cell).get("grade_id")
        if gid and gid not in first:
            first[gid] = cell
    for gid, cell in first.items():
        orig = given_cells.get(gid)
        if orig is None:
            continue
        m_sub, m_orig = _meta(cell), _meta(orig)
        changed = [k for k in ("grade", "solution", "locked", "points", "task") if m_sub.get(k) != m_orig.get(k)]
        if changed:
            findings.append(
                Finding(
                    "changed-metadata",
                    f"{gid}: " + ", ".join(f"{k} {m_orig.get(k)!r} -> {m_sub.get(k)!r}" for k in changed),
                )
            )
        if cell.get("cell_type") != orig.get("cell_type"):
            findings.append(Finding("changed-cell-type", f"{gid}: {orig.get('cell_type')} -> {cell.get('cell_type')}"))
        if m_orig.get("locked") and _norm(_source(cell)) != _norm(_source(orig)):
            findings.append(Finding("edited-locked-cell", f"{gid} was edited (graded with the original)"))
    for index, cell in enumerate(submitted.cells):
        if cell.get("cell_type") != "code" or _meta(cell).get("locked"):
            continue
        for detail in suspicious_code(_source(cell)):
            findings.append(
                Finding("suspicious-code", f"cell {index + 1} ({_meta(cell).get('grade_id', 'unlabelled')}): {detail}")
            )
    return findings


CHECK_ATTRS = {"check", "_checker", "hint", "hints", "solution", "_solution", "var"}
PATCH_ROOTS = SUSPICIOUS_MODULES | {"sys", "__builtins__", "Question", "Incorrect", "NotAttempted"}


def _patches(target: ast.Attribute) -> bool:
    """Is this attribute assignment monkeypatching (not ``df.columns = ...``)?"""
    root: ast.AST = target
    while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
        root = root.value if not isinstance(root, ast.Call) else root.func
    name = root.id if isinstance(root, ast.Name) else ""
    return (
        target.attr in CHECK_ATTRS
        or target.attr.startswith("__")
        or name in PATCH_ROOTS
        or bool(re.fullmatch(r"q\d+\w*", name))
        or (name[:1].isupper() and isinstance(target.value, ast.Name))
    )


def repair(submitted: nbformat.NotebookNode, given: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``submitted`` with the nbgrader metadata (and locked sources) of ``given`` put back.

    nbgrader restores most of this itself, but crashes on some edits (a
    duplicated cell whose copy keeps an ``nbgrader`` dict without an id: a
    ``KeyError`` in ``add_missing_task_cells``; a test cell marked as not
    graded: "Inconsistent checksums"). Repairing the *copy* that is graded
    lets every such submission get a grade; :func:`scan` has already
    reported the edits. Duplicated or unknown nbgrader cells become ordinary
    cells; answer cells keep the student's source.

    >>> given = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert x", metadata={"nbgrader": {
    ...     "grade": True, "grade_id": "t1", "locked": True, "points": 1, "solution": False, "schema_version": 3}})])
    >>> sub = nbformat.from_dict(json.loads(nbformat.writes(given)))
    >>> sub.cells[0].metadata.nbgrader.update(grade=False, points=9); sub.cells[0].source = "pass"
    >>> sub.cells.append(copy.deepcopy(sub.cells[0]))
    >>> fixed = repair(sub, given)
    >>> fixed.cells[0].source, fixed.cells[0].metadata.nbgrader.points, "nbgrader" in fixed.cells[1].metadata
    ('assert x', 1, False)
    """
    nb = copy.deepcopy(submitted)
    given_cells = {_meta(c).get("grade_id"): c for c in given.cells if _meta(c).get("grade_id")}
    seen: set[str] = set()
    cells = []
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if "nbgrader" in cell.get("metadata", {}) and (not gid or gid in seen or gid not in given_cells):
            del cell.metadata["nbgrader"]
        elif gid:
            seen.add(gid)
            orig = given_cells[gid]
            source = orig.source if _meta(orig).get("locked") else _source(cell)
            if cell.cell_type != orig.cell_type or _meta(orig).get("locked"):
                maker = nbformat.v4.new_code_cell if orig.cell_type == "code" else nbformat.v4.new_markdown_cell
                cell = maker(source, metadata=copy.deepcopy(dict(orig.metadata)), id=cell.get("id"))
            else:
                cell.metadata["nbgrader"] = copy.deepcopy(orig.metadata["nbgrader"])
        cells.append(cell)
    nb.cells = cells
    return nb


def suspicious_code(source: str) -> list[str]:
    """Patterns in student code that reach into the checks or Python's builtins.

    >>> suspicious_code("q2.check = lambda *a: None")
    ['assigns to q2.check']
    >>> suspicious_code("import builtins\\nbuiltins.len = lambda x: 0")
    ['imports builtins', 'assigns to builtins.len']
    >>> suspicious_code("top = customers.sort_values('spend_gbp').iloc[-1]")
    []
    """
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in SUSPICIOUS_MODULES:
                    out.append(f"imports {name}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and sub is target and _patches(sub):
                        out.append(f"assigns to {ast.unparse(sub)}")
                    elif (
                        isinstance(sub, ast.Name)
                        and sub.id in GUARDED_NAMES
                        and isinstance(sub.ctx, (ast.Store, ast.Del))
                    ):
                        out.append(f"rebinds the builtin {sub.id}")
                    elif isinstance(sub, ast.Subscript) and "modules" in ast.unparse(sub.value):
                        out.append(f"assigns to {ast.unparse(sub)}")
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in GUARDED_NAMES:
            out.append(f"defines {node.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"setattr", "delattr", "globals", "vars", "exec", "eval", "__import__"}
        ):
            out.append(f"calls {node.func.id}()")
    return list(dict.fromkeys(out))
