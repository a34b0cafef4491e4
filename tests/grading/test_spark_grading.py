"""Assignment 07-spark through ``make grade``'s real path: the grading sandbox, a JVM inside it.

``python -m course_tools grade 07-spark --isolate`` (what ``make grade A=07-spark`` runs), as root:
the exercise with the model answers typed in scores full visible marks with no flag (q1-q3's
hidden tests, on Spark DataFrames, left to a person: see ``_full_marks``), the untouched exercise
scores zero. Inside the sandbox the kernel has no network but its own loopback (PySpark
talks to its JVM over 127.0.0.1), a uid of its own and per-uid process limits: this is where
Spark once died with "Java gateway process exited" (no name for the kernel's uid, so no Hadoop
login) and then with "unable to create native thread" (RLIMIT_NPROC counts the JVM's threads);
and where q4's re-check outside the kernel found Spark stopped (the grader runs the notebook's
locked cells in its own process before re-checking: the closing ``stop_session`` cell is not locked).
The ordinary user's path (an instructor on a hub: unprivileged user namespaces, the kernel in a
nested one) grades the answers to full marks too.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_tools.grading.sandbox import isolation_support, network_namespace_support
from course_tools.nbgrader_tools import scratch_course
from course_utils.paths import course_root, datasets_dir
from tests.support.ordinary_user import _python_for, grade_as, instructor  # noqa: F401 - a pytest fixture
from tests.support.system import missing

# A group of its own, not "grading": these are the suite's two longest tests (JVMs in the sandbox), and
# with the other grading tests in one group they made one worker's queue the whole run's tail.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark-grading")]

A = "07-spark"
PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"


def _gid(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered() -> nbformat.NotebookNode:
    """The released exercise with every code answer cell replaced by the model solution's."""
    root = course_root()
    exercise = nbformat.read(root / "exercises" / A / f"{A}.ipynb", as_version=4)
    solution = nbformat.read(root / "solutions" / A / f"{A}.ipynb", as_version=4)
    # code answers only: a written answer would (rightly) send the submission to a person
    answers = {
        _gid(c): c.source
        for c in solution.cells
        if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    nb = copy.deepcopy(exercise)
    replaced = 0
    for cell in nb.cells:
        if _gid(cell) in answers and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = answers[_gid(cell)]
            replaced += 1
    assert replaced == len(answers) >= 4, f"{replaced} of {len(answers)} answer cells found in the exercise"
    return nb


def _require() -> None:
    from course_utils.spark import JavaMissing, require_java

    if os.geteuid() != 0:
        pytest.skip("grades as root and as a temporary ordinary user: run the suite as root (CI does)")
    try:
        require_java()
    except JavaMissing:
        missing("Java 17 or newer (for Spark)", "sudo apt-get install openjdk-17-jre-headless")
    ok, why = isolation_support()
    if not ok:
        missing(f"a grading sandbox ({why})", "run the suite as root on Linux, as CI does")


def _course(where: Path, untouched: bool) -> Path:
    root = scratch_course(where, with_exercises=True)
    subs = [("answers", answered())]
    if untouched:
        subs.append(("untouched", nbformat.read(root / "exercises" / A / f"{A}.ipynb", as_version=4)))
    for student, nb in subs:
        (root / "submitted" / student / A).mkdir(parents=True)
        nbformat.write(nb, root / "submitted" / student / A / f"{A}.ipynb")
    return root


def _rows(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "grades" / A / "grades.csv", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _full_marks(row: dict[str, str], report: str) -> None:
    """Full visible marks, unflagged; q1-q3's hidden tests go to a person, q4's ran.

    Hidden tests never run in the student's kernel, and a Spark DataFrame cannot be copied
    out of it as data, so the hidden tests of q1-q3 (DataFrame answers) cannot run anywhere
    safe: the grader says so and leaves them to a person (INSTRUCTORS.md section 3). q4's
    answer is a pandas Series: its hidden tests ran in the clean process.
    """
    assert float(row["auto_max"]) > 0
    assert float(row["auto_score"]) == float(row["auto_max"]), (row, report)
    assert not row["flags"], row
    assert row["status"] == "needs-manual-grading", row
    line = next((ln for ln in report.splitlines() if ln.startswith("- **answers**")), "")
    for gid in ("q1-check", "q2-check", "q3-check"):
        assert f"{gid}: hidden tests not run" in line and "DataFrame" in line, report
    assert "q4-check" not in line, report


def test_spark_assignment_grades_in_the_sandbox(tmp_path: Path) -> None:
    _require()
    root = _course(tmp_path / "course", untouched=True)
    env = {**os.environ, "COURSE_ROOT": str(root), "COURSE_DATASETS_DIR": str(datasets_dir()), "PATH": PLAIN_PATH}
    done = subprocess.run(
        [sys.executable, "-m", "course_tools", "grade", A, "--quiet", "--jobs", "2", "--isolate"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = (root / "grades" / A / "report.md").read_text() if (root / "grades" / A / "report.md").is_file() else ""
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "isolation: mount+PID namespaces" in report, report
    if network_namespace_support():
        assert "no network" in report, report
    rows = _rows(root)
    _full_marks(rows["answers"], report)
    assert float(rows["untouched"]["auto_score"]) == 0, rows["untouched"]


def test_spark_assignment_grades_as_an_ordinary_user(instructor: tuple[str, Path, Path]) -> None:  # noqa: F811
    _require()
    user, home, base = instructor
    root = _course(base / "course", untouched=False)
    for path in [root, *root.rglob("*")]:
        shutil.chown(path, user, user)
    python = _python_for(user, base / "py")
    done = grade_as(
        user, python, root, home, A, jobs=1, extra_env={"COURSE_DATASETS_DIR": str(datasets_dir())}, timeout=1200
    )
    report = (root / "grades" / A / "report.md").read_text() if (root / "grades" / A / "report.md").is_file() else ""
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "isolation: unprivileged user namespaces" in report, report
    _full_marks(_rows(root)["answers"], report)
