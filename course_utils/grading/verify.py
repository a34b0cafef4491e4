"""Re-run passed test cells outside the student's kernel, on the student's answers as data.

In the student's kernel, an answer cell can patch anything: ``q2.check``,
``Question.check``, ``builtins``, a global ``str`` that the hidden tests
then call. So a test cell that *passed* there proves nothing by itself. The
grader therefore re-runs each passed test cell here, in its own process
where no student code ever ran: the assignment's locked setup cells run once
(from ``solutions/``), the variables the test cell reads are set from the
snapshots (plain data, see :mod:`course_utils.grading.snapshot`), and the
test cell's full source (with hidden tests) runs. If it fails here, the
points are withdrawn and the submission goes to manual grading.

>>> import nbformat
>>> def cell(src, **meta):
...     md = {"grade": False, "solution": False, "locked": False, "schema_version": 3, **meta}
...     return nbformat.v4.new_code_cell(src, metadata={"nbgrader": md})
>>> nb = nbformat.v4.new_notebook(cells=[
...     cell("limit = 10", grade_id="setup", locked=True),
...     cell("answer = 7", grade_id="a1", solution=True),
...     cell("assert answer < limit", grade_id="t1", grade=True, locked=True, points=1)])
>>> v = Verifier(nb)
>>> v.snapshot_vars
{'t1': ['answer']}
>>> from course_utils.grading.snapshot import encode
>>> v.verify("t1", {"answer": {"json": encode(3)}})
(True, 'passes')
>>> v.verify("t1", {"answer": {"json": encode(30)}})[0]
False
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import threading
from typing import Any

import nbformat

from course_utils.grading.snapshot import Unsupported, decode

_LOCK = threading.Lock()


def _meta(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _bound_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _parse(source: str) -> ast.AST:
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return ast.parse("")


class Verifier:
    """Clean re-runs of one assignment notebook's autograded test cells."""

    def __init__(self, source_nb: nbformat.NotebookNode) -> None:
        self.setup: list[str] = []
        self.tests: dict[str, str] = {}
        for cell in source_nb.cells:
            meta = _meta(cell)
            if cell.cell_type != "code":
                continue
            if meta.get("grade") and not meta.get("solution"):
                self.tests[meta["grade_id"]] = cell.source
            elif meta.get("locked") and not meta.get("solution"):
                self.setup.append(cell.source)
        setup_names: set[str] = set()
        for src in self.setup:
            setup_names |= _bound_names(_parse(src))
        builtin_names = set(dir(builtins))
        #: grade_id -> the student variables that test cell reads
        self.snapshot_vars: dict[str, list[str]] = {}
        for gid, src in self.tests.items():
            tree = _parse(src)
            wanted = _loaded_names(tree) - _bound_names(tree) - setup_names - builtin_names
            self.snapshot_vars[gid] = sorted(wanted)
        self._base: dict[str, Any] | None = None
        self.setup_errors: list[str] = []

    def _namespace(self) -> dict[str, Any]:
        if self._base is None:
            ns: dict[str, Any] = {"__name__": "__grader_verify__", "__builtins__": builtins}
            for i, src in enumerate(self.setup):
                try:
                    exec(compile(src, f"<setup cell {i + 1}>", "exec"), ns)  # noqa: S102 - instructor code
                except Exception as err:  # a setup cell that needs student variables
                    self.setup_errors.append(f"setup cell {i + 1}: {type(err).__name__}: {err}")
            self._base = ns
        return dict(self._base)

    def verify(self, grade_id: str, snapshot: dict[str, Any]) -> tuple[bool | None, str]:
        """Re-run test cell ``grade_id`` on the snapshot; ``(passed, detail)``.

        ``passed`` is ``None`` only when an answer is of a type that cannot be
        copied out as data (a function, a fitted model...).
        """
        if grade_id not in self.tests:
            return None, "not an autograded test cell"
        if "__error__" in snapshot:  # a passed test whose answer cannot be read counts as not passed
            return False, f"no snapshot of the answer ({snapshot['__error__']})"
        values: dict[str, Any] = {}
        for name in self.snapshot_vars.get(grade_id, []):
            entry = snapshot.get(name)
            if entry is None or "json" not in entry:
                continue  # undefined in the kernel: leave it undefined here too
            try:
                value = decode(entry["json"])
            except Exception as err:  # the grader's own encoder never writes this: forged
                return False, f"the snapshot of {name} is unreadable ({type(err).__name__})"
            if isinstance(value, Unsupported):
                return None, f"{name} is a {value.type_name}, which cannot be copied out of the kernel"
            values[name] = value
        with _LOCK, contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            ns = self._namespace()
            ns.update(values)
            try:
                exec(compile(self.tests[grade_id], f"<test {grade_id}>", "exec"), ns)  # noqa: S102
            except Exception as err:  # any failure of the test is a fail
                msg = str(err).splitlines()[0][:300] if str(err) else ""
                return False, f"{type(err).__name__}: {msg}".rstrip(": ")
        return True, "passes"
