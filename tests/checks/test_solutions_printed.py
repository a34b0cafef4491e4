"""The answer that ``qN.solution()`` prints passes its own check and the hidden tests.

A self-learner who pastes the printed solution into the answer cell must see
*Correct*, and a student who does so in a graded run must get the points.
The solution notebooks' own answers are tested elsewhere (test_autograde.py);
the printed solutions are separate strings in ``course_utils/questions`` and can
drift from them. Each notebook runs in-process: the text between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` is replaced by the printed
solution, then every code cell runs in order, check cells with their hidden
tests.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import nbformat
import pytest

from course_tools.notebook_runner import solution_notebooks
from course_utils.paths import course_root

SOLUTIONS = solution_notebooks()
_REGION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.S)


def _module(path: Path) -> Any:
    name = path.parent.name  # e.g. "02-features"
    return importlib.import_module(f"course_utils.questions.m{name[:2]}_{name[3:].replace('-', '_')}")


def _printed_solution(question: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        question.solution()
    text = out.getvalue()
    assert text.startswith("Solution:\n"), f"unexpected .solution() output: {text[:80]!r}"
    return text.removeprefix("Solution:\n")


def test_there_are_solutions() -> None:
    assert any(p.parent.name == "00-welcome" for p in SOLUTIONS)


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_printed_solutions_pass_their_checks(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURSE_HIDE_SOLUTIONS", raising=False)
    monkeypatch.chdir(course_root() / "tests")  # not the notebook's folder, as under nbgrader
    questions = _module(path).QUESTIONS
    nb = nbformat.read(str(path), as_version=4)
    # ``In``: the cells run so far, as IPython keeps them (07-spark q4 reads where the counting happened)
    namespace: dict[str, Any] = {"__name__": "__main__", "display": lambda *a, **k: None, "In": [""]}
    replaced = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        source = cell.source
        if grade_id.endswith("-answer"):
            qname = grade_id.split("-")[0]
            solution = _printed_solution(questions[qname]) + "\n"
            source = _REGION.sub(lambda _m, text=solution: text, source)
            replaced.add(qname)
        namespace["In"].append(source)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            try:
                exec(compile(source, f"{path.parent.name} cell {index + 1}", "exec"), namespace)
            except AssertionError as err:
                pytest.fail(
                    f"{path.parent.name}, cell {index + 1} ({grade_id or 'plain'}): the printed solution fails: {err}",
                    pytrace=False,
                )
        if grade_id.endswith("-check"):
            assert "Correct!" in out.getvalue(), f"{grade_id}: no 'Correct!' printed"
    assert replaced == set(questions), f"answer cells not found for {set(questions) - replaced}"
    plt.close("all")
