"""Real nbgrader, in a scratch copy of the course, for every assignment:

- the solution notebook autogrades to full marks, with no error in any cell;
- the untouched exercise notebook autogrades to zero;
- feedback never shows a hidden test; the grade export works.

Each assignment runs one nbgrader cycle, so every solution notebook is
executed exactly once in the suite.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from course_tools.nbgrader_tools import assignments, gradebook_scores, run_nbgrader, scratch_course
from course_utils.paths import course_root

ASSIGNMENTS = assignments()


def _hidden_test_lines(notebook: Path) -> list[str]:
    """Distinctive lines between BEGIN/END HIDDEN TESTS in a solution notebook."""
    lines: list[str] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        inside = False
        for line in "".join(cell["source"]).splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 25:
                lines.append(line.strip())
    return lines


def test_every_assignment_has_an_exercise() -> None:
    root = course_root()
    assert ASSIGNMENTS, "no assignment found in solutions/"
    for name in ASSIGNMENTS:
        assert sorted(p.name for p in (root / "exercises" / name).glob("*.ipynb")) == sorted(
            p.name for p in (root / "solutions" / name).glob("*.ipynb")
        ), f"exercises/{name} does not match solutions/{name}: run `make exercises`"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_full_marks_exercise_zero(assignment: str, tmp_path: Path) -> None:
    root = course_root()
    course = scratch_course(tmp_path / "course")
    run_nbgrader(["generate_assignment", assignment, "--force"], course)
    for student, folder in (("solution-key", root / "solutions"), ("untouched", root / "exercises")):
        shutil.copytree(folder / assignment, course / "submitted" / student / assignment)
    run_nbgrader(["autograde", assignment], course)

    scores = gradebook_scores(course, assignment)
    key, blank = scores["solution-key"], scores["untouched"]
    assert key.max_score > 0, f"{assignment} has no autograded points"
    assert key.score == key.max_score, f"the solution of {assignment} scores {key.score}/{key.max_score}"
    assert blank.score == 0, f"the untouched exercise {assignment} scores {blank.score}, not 0"

    # No cell of the solution may fail, graded or not.
    for nb_path in sorted((course / "autograded" / "solution-key" / assignment).glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb_path.read_text(encoding="utf-8"))["cells"]):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            assert not errors, f"{nb_path.name} cell {i + 1} raised {errors[0].get('ename')}: {errors[0].get('evalue')}"

    # In the untouched exercise only answer and check cells may fail: a cell that only compares results
    # says in one line which question to answer first instead of raising (trial T1: NameError tracebacks).
    for nb_path in sorted((course / "autograded" / "untouched" / assignment).glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb_path.read_text(encoding="utf-8"))["cells"]):
            marks = cell.get("metadata", {}).get("nbgrader", {})
            if marks.get("solution") or marks.get("grade"):
                continue
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            assert not errors, (
                f"untouched {nb_path.name} cell {i + 1} raised {errors[0].get('ename')}: {errors[0].get('evalue')}; "
                "a cell that needs an answer should print which question to answer first"
            )

    # Feedback never leaks hidden tests.
    run_nbgrader(["generate_feedback", assignment], course)
    html = "\n".join(p.read_text(encoding="utf-8") for p in (course / "feedback").rglob("*.html"))
    assert html, "no feedback was generated"
    import html as html_lib

    text = html_lib.unescape(html)
    for notebook in (root / "solutions" / assignment).glob("*.ipynb"):
        for line in _hidden_test_lines(notebook):
            assert line not in text, f"feedback shows a hidden test line: {line!r}"

    # Grades export to CSV with both students.
    run_nbgrader(["export", "--to", str(course / "grades.csv")], course)
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == assignment}
    assert set(rows) == {"solution-key", "untouched"}
    assert float(rows["untouched"]["raw_score"]) == 0
