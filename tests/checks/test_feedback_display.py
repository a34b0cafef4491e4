"""What a student sees after a check, in a real kernel and in nbgrader's feedback.

A wrong or missing answer must show ONE short message (no traceback of the course's code, one
"Incorrect:"), while the check cell still fails: nbgrader scores an errored test cell 0, and
"Run all" stops there. JupyterLab shows an error output as its ``traceback`` lines joined (and
``ename: evalue`` only when there are none), and nbconvert's HTML, which nbgrader's feedback
uses, prints the same lines; so the ``traceback`` the kernel sends IS the displayed text.

The exercise notebook of assignment 00 is run as a student would run it: q1 untouched, q2 wrong,
q3 right.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools.nbgrader_tools import gradebook_scores, run_nbgrader, scratch_course
from course_utils.paths import course_root

ASSIGNMENT = "00-welcome"
WRONG_Q2 = (  # A and B swapped: a mistake a student makes
    'objective_for = {"A": "high-value", "B": "retention", "C": "targeted marketing", "D": "purchasing behaviour"}'
)
RIGHT_Q2 = WRONG_Q2.replace('"A": "high-value", "B": "retention"', '"A": "retention", "B": "high-value"')
RIGHT_Q3 = 'fails = {"S1": "Lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}'
WRONG_Q1 = 'top_spender = customers.sort_values("orders_last_year").iloc[-1]["customer_id"]'
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Signs of a traceback or of the course's own source in what the student sees.
TRACEBACK_SIGNS = ("Traceback", 'File "', "File /", "course_utils", "raise Incorrect", "def _check", "----> ")


def _notebook(**answers: str) -> nbformat.NotebookNode:
    """The released exercise with the answer cells ``q1-answer``... replaced by ``answers``."""
    nb = nbformat.read(course_root() / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("-answer") and grade_id[:-7] in answers:
            cell.source = answers[grade_id[:-7]]
    return nb


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> Any:
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def _shown(cell: Any) -> list[str]:
    """The lines JupyterLab displays for a cell's error output(s), ANSI colours removed."""
    lines: list[str] = []
    for out in cell.outputs:
        if out.output_type == "error":
            text = "\n".join(out.traceback) or f"{out.ename}: {out.evalue}"
            lines += ANSI.sub("", text).splitlines()
    return lines


def _assert_one_clean_line(lines: list[str], starts: str) -> None:
    assert len(lines) == 1, "the student sees more than one line:\n" + "\n".join(lines)
    line = lines[0]
    assert line.startswith(starts), line
    assert line.count("Incorrect:") <= 1, line
    assert not [s for s in TRACEBACK_SIGNS if s in line], line


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    """The exercise run in a real python3 kernel, as course_tools.notebook_runner.execute starts it."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = _notebook(q2=WRONG_Q2, q3=RIGHT_Q3)  # q1 left untouched
    with (
        tempfile.TemporaryDirectory(prefix="course-nb-") as work,
        tempfile.TemporaryDirectory(prefix="course-ipc-") as ipc,
    ):
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(ipc) / "kernel")
        NotebookClient(
            nb,
            config=config,
            timeout=120,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": work}},
        ).execute()
    return nb


@pytest.mark.slow
def test_wrong_answer_shows_one_message_and_still_fails(executed: nbformat.NotebookNode) -> None:
    check = _cell(executed, "q2-check")
    errors = [o for o in check.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["Incorrect"], "the wrong answer's check cell must fail with Incorrect"
    _assert_one_clean_line(_shown(check), "Incorrect: 2 of 4 are not right yet")


@pytest.mark.slow
def test_untouched_answer_says_not_answered_and_still_fails(executed: nbformat.NotebookNode) -> None:
    check = _cell(executed, "q1-check")
    assert [o.ename for o in check.outputs if o.output_type == "error"] == ["NotAttempted"]
    _assert_one_clean_line(_shown(check), "You have not answered yet: `top_spender` is not defined")


@pytest.mark.slow
def test_right_answer_says_correct_without_error(executed: nbformat.NotebookNode) -> None:
    check = _cell(executed, "q3-check")
    assert not _shown(check)
    text = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
    assert text.startswith("Correct! "), text


@pytest.mark.slow
def test_nbgrader_records_the_failure_and_feedback_shows_the_clean_message(tmp_path: Path) -> None:
    course = scratch_course(tmp_path / "course")
    run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], course)
    student = course / "submitted" / "wrong-q1" / ASSIGNMENT
    student.mkdir(parents=True)
    nbformat.write(_notebook(q1=WRONG_Q1, q2=RIGHT_Q2, q3=RIGHT_Q3), student / f"{ASSIGNMENT}.ipynb")
    run_nbgrader(["autograde", ASSIGNMENT], course)

    score = gradebook_scores(course, ASSIGNMENT)["wrong-q1"]
    assert (score.score, score.max_score) == (4.0, 5.0), "q1 (1 point) wrong, q2 and q3 (2 points each) right"
    graded = json.loads((course / "autograded" / "wrong-q1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    q1_check = _cell(nbformat.from_dict(graded), "q1-check")
    assert [o["ename"] for o in q1_check.outputs if o["output_type"] == "error"] == ["Incorrect"]

    run_nbgrader(["generate_feedback", ASSIGNMENT], course)
    page = next((course / "feedback" / "wrong-q1" / ASSIGNMENT).glob("*.html")).read_text(encoding="utf-8")
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    message = "Incorrect: C05 places the most *orders*"
    assert text.count(message) == 1, "the feedback must show q1's message once"
    around = text[text.index(message) - 300 : text.index(message) + 300]
    assert "Incorrect: Incorrect" not in text
    assert not [s for s in TRACEBACK_SIGNS if s in around], around
