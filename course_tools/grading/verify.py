"""Re-run passed test cells outside the student's kernel, on the student's answers as data.

In the student's kernel, an answer cell can patch anything: ``q2.check``,
``Question.check``, ``builtins``, a global ``str`` that the hidden tests
then call. So a test cell that *passed* there proves nothing by itself. The
grader therefore re-runs each passed test cell here, in its own process
where no student code ever ran: the assignment's locked setup cells run once
(from ``solutions/``), the variables the test cell reads are set from the
snapshots (plain data, see :mod:`course_tools.grading.snapshot`), and the
test cell's full source runs: first its visible part, then the whole cell
with its hidden tests. The student's kernel never receives the hidden tests
(:func:`visible_part`: nbgrader's own ``ClearHiddenTests`` logic), so this is
the only place they ever run. A visible part that passed in the kernel but
fails here means the kernel lied (patched checks): the points are withdrawn
and the submission goes to manual grading. A visible part that passes here
while a hidden test fails is an ordinary wrong answer: the cell scores 0 and
the student sees the hidden check's one-line message (:func:`one_line`),
never its source.

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
>>> from course_tools.grading.snapshot import encode
>>> v.verify("t1", {"answer": {"json": encode(3)}})
(True, 'passes')
>>> v.verify("t1", {"answer": {"json": encode(30)}})[0]
False
>>> nb.cells[2].source = ("assert answer < limit\\n### BEGIN HIDDEN TESTS\\n"
...                       "assert answer % 2, 'the answer must be odd'\\n### END HIDDEN TESTS")
>>> v = Verifier(nb)
>>> v.visible["t1"]
'assert answer < limit'
>>> v.recheck("t1", {"answer": {"json": encode(4)}})
Recheck(outcome='hidden-failed', detail='Incorrect: the answer must be odd')
>>> v.recheck("t1", {"answer": {"json": encode(40)}}).outcome
'tampered'
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import threading
from dataclasses import dataclass
from typing import Any

import nbformat

from course_tools.grading.snapshot import Unsupported, decode

_LOCK = threading.Lock()


#: What a student sees when a hidden test fails without a message of its own.
HIDDEN_FAILED = "your answer fails a further check that the check cell does not show; re-read the task"


def visible_part(source: str) -> str:
    """``source`` without its ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` regions.

    nbgrader's own ``ClearHiddenTests`` does the cutting (same delimiters, same
    errors for an unclosed or nested region), so the kernel runs exactly what
    the student's feedback shows.

    >>> visible_part("q1.check()\\n### BEGIN HIDDEN TESTS\\nassert x == 3\\n### END HIDDEN TESTS")
    'q1.check()'
    """
    from nbgrader.preprocessors import ClearHiddenTests

    cell = nbformat.v4.new_code_cell(source)
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return str(cell.source)


def one_line(err: BaseException) -> str:
    """An exception as one short line, saying "Incorrect:" at most once.

    >>> one_line(AssertionError("Incorrect: no."))
    'Incorrect: no.'
    >>> one_line(KeyError("A"))
    "KeyError: 'A'"
    >>> one_line(ValueError())
    'ValueError'
    """
    name = type(err).__name__
    text = str(err).strip()
    msg = text.splitlines()[0][:300] if text else ""
    if not msg:
        return name
    if msg.startswith((name + ":", "Incorrect:")):
        return msg
    return f"{name}: {msg}"


def hidden_message(err: BaseException) -> str:
    """What the student sees when a hidden test fails: ``Incorrect: <its message>``, once.

    >>> hidden_message(AssertionError("top_spender must be a str"))
    'Incorrect: top_spender must be a str'
    >>> hidden_message(AssertionError())  # a bare assert: no source, a general message
    'Incorrect: your answer fails a further check that the check cell does not show; re-read the task'
    >>> hidden_message(TypeError("unhashable type: 'list'"))
    "Incorrect: TypeError: unhashable type: 'list'"
    """
    line = one_line(err)
    if isinstance(err, AssertionError):
        line = line[len(type(err).__name__) :].lstrip(": ") if line.startswith(type(err).__name__) else line
        line = line or HIDDEN_FAILED
    body = line[len("Incorrect:") :].lstrip() if line.startswith("Incorrect:") else line
    return f"Incorrect: {body}"


#: What a hidden test raises when the answer is wrong (a failed assert, or the answer's wrong shape
#: or type breaking the test). Anything else (ConnectionRefusedError from a service, ImportError,
#: NameError...) means the clean re-run could not judge: ``hidden-error``, never a silent 0.
ANSWER_ERRORS = (AssertionError, TypeError, ValueError, LookupError, AttributeError, ArithmeticError)


@dataclass(frozen=True)
class Recheck:
    """How a test cell fared on a clean re-run.

    ``outcome``: ``passes``; ``tampered`` (the visible part fails here, though it
    passed in the kernel); ``hidden-failed`` (``detail`` is the student's message);
    ``hidden-error`` (a hidden test could not run here, for a reason that is not the answer);
    ``unsupported`` (an answer that cannot be copied out as data); ``unreadable``
    (no usable snapshot: counts as not passed).
    """

    outcome: str
    detail: str


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
        #: grade_id -> the test cell without its hidden tests (what the student's kernel runs)
        self.visible: dict[str, str] = {}
        for cell in source_nb.cells:
            meta = _meta(cell)
            if cell.cell_type != "code":
                continue
            if meta.get("grade") and not meta.get("solution"):
                self.tests[meta["grade_id"]] = cell.source
                self.visible[meta["grade_id"]] = visible_part(cell.source)
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
        """Re-run test cell ``grade_id`` (hidden tests included) on the snapshot; ``(passed, detail)``.

        ``passed`` is ``None`` only when an answer is of a type that cannot be
        copied out as data (a function, a fitted model...).
        """
        if grade_id not in self.tests:
            return None, "not an autograded test cell"
        check = self.recheck(grade_id, snapshot)
        if check.outcome == "passes":
            return True, "passes"
        return (None if check.outcome == "unsupported" else False), check.detail

    def recheck(self, grade_id: str, snapshot: dict[str, Any]) -> Recheck:
        """Re-run test cell ``grade_id`` on the snapshot: its visible part, then the whole cell."""
        if "__error__" in snapshot:  # a passed test whose answer cannot be read counts as not passed
            return Recheck("unreadable", f"no snapshot of the answer ({snapshot['__error__']})")
        values: dict[str, Any] = {}
        for name in self.snapshot_vars.get(grade_id, []):
            entry = snapshot.get(name)
            if entry is None or "json" not in entry:
                continue  # undefined in the kernel: leave it undefined here too
            try:
                value = decode(entry["json"])
            except Exception as err:  # the grader's own encoder never writes this: forged
                return Recheck("unreadable", f"the snapshot of {name} is unreadable ({type(err).__name__})")
            if isinstance(value, Unsupported):
                return Recheck(
                    "unsupported", f"{name} is a {value.type_name}, which cannot be copied out of the kernel"
                )
            values[name] = value
        full, visible = self.tests[grade_id], self.visible[grade_id]
        with _LOCK, contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            ns = self._namespace()
            ns.update(values)
            try:
                exec(compile(visible, f"<test {grade_id}>", "exec"), ns)  # noqa: S102 - instructor code
            except Exception as err:  # any failure of the test is a fail
                return Recheck("tampered", one_line(err))
            if full == visible:
                return Recheck("passes", "passes")
            ns = self._namespace()  # afresh: the whole cell, as nbgrader would have run it
            ns.update(values)
            try:
                exec(compile(full, f"<test {grade_id}>", "exec"), ns)  # noqa: S102 - instructor code
            except ANSWER_ERRORS as err:  # the visible part passed: a hidden test failed on the answer
                if self.setup_errors and not isinstance(err, AssertionError):
                    return Recheck(
                        "hidden-error", f"{one_line(err)} (and the setup cells failed here: {self.setup_errors[0]})"
                    )
                return Recheck("hidden-failed", hidden_message(err))
            except Exception as err:  # not the answer's fault (a service, an import...): a person decides
                return Recheck("hidden-error", one_line(err))
        return Recheck("passes", "passes")


def show_hidden_failure(path: Any, grade_id: str, message: str) -> None:
    """Add ``message`` as the error output of test cell ``grade_id`` in the autograded notebook ``path``.

    The student's feedback (made from that notebook) then shows why the cell
    scored 0: the hidden check's one line, not its source.

    >>> import tempfile, pathlib
    >>> cell = nbformat.v4.new_code_cell("q1.check()", metadata={"nbgrader": {"grade_id": "t1"}})
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> nbformat.write(nb, p)
    >>> show_hidden_failure(p, "t1", "Incorrect: must be odd")
    >>> nbformat.read(p, as_version=4).cells[0].outputs[0]["traceback"]
    ['Incorrect: must be odd']
    """
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if _meta(cell).get("grade_id") == grade_id and cell.cell_type == "code":
            cell.outputs.append(nbformat.v4.new_output("error", ename="Incorrect", evalue=message, traceback=[message]))
    nbformat.write(nb, path)
