"""How a grading run behaves around the grading itself (issue 12): real nbgrader, real kernels.

- a run as root hands every file it wrote back to the course's owner;
- ``submission_secret.txt`` stays next to the autograded and feedback copies, so
  ``nbgrader release_feedback`` (real, into a scratch exchange) works, also after a re-run; a
  submission placed in ``submitted/`` by hand (no secret) is named and skipped by ``make feedback``;
- ``--student`` rewrites only that student's feedback; hand scores are in ``grades.csv``;
- one grader per assignment at a time: two graders on disjoint students both succeed and lose
  no grade; a grader that cannot get the lock in time stops with exit code 3;
- a Python the sandbox user cannot execute (course folder at 0700) stops the run with the real
  error and what to do, before grading anyone; so does a model solution that fails; a failed
  first run leaves no gradebook; ``.venv/bin/python -m course_tools`` and ``.venv/bin/nbgrader``
  find ``alembic`` from a shell where nothing is activated.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools.grading.locking import assignment_lock
from course_tools.grading.runner import Limits, grade_assignment
from course_tools.grading.sandbox import isolation_support
from course_tools.nbgrader_tools import scratch_course
from tests.grading.submissions import corpus

A = corpus.ASSIGNMENT
LIMITS = Limits(cell_timeout=10, notebook_timeout=120, memory_mb=1536)
OWNER = 12345  # a uid that owns the course (no such user is needed)
CASES = {c.student: c for c in corpus.cases()}
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
#: a shell where nothing is activated: no .venv/bin on PATH
PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"


def _cli(
    root: Path, *args: str, python: str = sys.executable, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "COURSE_ROOT": str(root), "PATH": PLAIN_PATH, **(env or {})}
    return subprocess.run(
        [python, "-m", "course_tools", "grade", A, "--quiet", "--jobs", "1", *args],
        cwd=root,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _rows(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "grades" / A / "grades.csv", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if os.geteuid() != 0:
        pytest.skip("hands files back after a run as root: run as root (CI does)")
    root = scratch_course(tmp_path_factory.mktemp("runs") / "course", with_exercises=True)
    corpus.write(root, [CASES["s01-correct"], CASES["s02-blank"], CASES["s03-partly"]])
    for student in ("s01-correct", "s02-blank"):
        (root / "submitted" / student / A / "submission_secret.txt").write_text(f"secret-of-{student}")
    for path in [root, *root.rglob("*")]:
        os.chown(path, OWNER, OWNER, follow_symlinks=False)
    batch = grade_assignment(A, root, jobs=2, limits=LIMITS, progress=False)
    return {"root": root, "batch": batch}


def test_a_root_run_leaves_everything_to_the_course_owner(course: dict[str, Any]) -> None:
    root: Path = course["root"]
    assert course["batch"].scores() == {"s01-correct": 5, "s02-blank": 0, "s03-partly": 3}
    written = [
        root / "grades",
        root / "autograded",
        root / "feedback",
        root / "gradebook.db",
        root / f".grading-{A}.lock",
    ]
    for top in written:
        assert top.exists(), top
        for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
            assert path.lstat().st_uid == OWNER, f"{path} is owned by uid {path.lstat().st_uid}, not the course's owner"


def _release_feedback(root: Path, exchange: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "nbgrader"),
            "release_feedback",
            A,
            f"--Exchange.root={exchange}",
            f"--CourseDirectory.root={root}",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": PLAIN_PATH},
    )


def test_release_feedback_finds_the_secret_also_after_a_rerun(course: dict[str, Any], tmp_path: Path) -> None:
    from nbgrader.utils import notebook_hash

    root: Path = course["root"]
    for student in ("s01-correct", "s02-blank"):
        for top in ("autograded", "feedback"):
            assert (root / top / student / A / "submission_secret.txt").read_text() == f"secret-of-{student}"
    exchange = tmp_path / "exchange"
    (exchange / "customer-segmentation" / "feedback").mkdir(parents=True)
    # s03 was handed in locally (no exchange secret): only the two exchange submissions can be released
    (root / "feedback" / "s03-partly").rename(tmp_path / "s03-feedback")
    try:
        done = _release_feedback(root, exchange)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        released = exchange / "customer-segmentation" / "feedback"
        for student in ("s01-correct", "s02-blank"):
            page = released / f"{notebook_hash(secret=f'secret-of-{student}', notebook_id=A)}.html"
            assert page.is_file(), sorted(p.name for p in released.iterdir())
        again = grade_assignment(A, root, students=["s01-correct"], jobs=1, limits=LIMITS, progress=False)
        assert again.scores() == {"s01-correct": 5}
        for top in ("autograded", "feedback"):
            assert (root / top / "s01-correct" / A / "submission_secret.txt").read_text() == "secret-of-s01-correct"
        done = _release_feedback(root, exchange)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    finally:
        (tmp_path / "s03-feedback").rename(root / "feedback" / "s03-partly")


def test_make_feedback_releases_the_exchange_submissions_and_names_a_hand_placed_one(
    course: dict[str, Any], tmp_path: Path
) -> None:
    """s03 was copied into submitted/ by hand (no submission_secret.txt): plain ``nbgrader
    release_feedback`` stops on it; what ``make feedback`` runs releases the others, names s03 with
    what to do, and leaves its page in place."""
    from nbgrader.utils import notebook_hash

    root: Path = course["root"]
    exchange = tmp_path / "exchange"
    (exchange / "customer-segmentation" / "feedback").mkdir(parents=True)
    plain = _release_feedback(root, exchange)
    assert plain.returncode != 0 and "submission_secret.txt" in plain.stdout + plain.stderr
    by_hand = {r.student for r in course["batch"].results if any(f.kind == "no-exchange-secret" for f in r.findings)}
    assert by_hand == {"s03-partly"}  # the first run's report.md listed it under "Feedback to hand over yourself"
    done = subprocess.run(
        [sys.executable, "-m", "course_tools.grading.feedback", A, f"--Exchange.root={exchange}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COURSE_ROOT": str(root), "PATH": PLAIN_PATH},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"s03-partly: feedback/s03-partly/{A}/ has no submission_secret.txt" in done.stdout, done.stdout
    assert "placed in submitted/ by hand" in done.stdout and f"feedback/s03-partly/{A}/*.html yourself" in done.stdout
    released = exchange / "customer-segmentation" / "feedback"
    for student in ("s01-correct", "s02-blank"):
        assert (released / f"{notebook_hash(secret=f'secret-of-{student}', notebook_id=A)}.html").is_file()
    assert len(list(released.glob("*.html"))) == 2
    assert (root / "feedback" / "s03-partly" / A / f"{A}.html").is_file(), "nothing is lost"


def test_student_run_rewrites_only_their_feedback_and_exports_hand_scores(course: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    root: Path = course["root"]
    other = root / "feedback" / "s02-blank" / A / f"{A}.html"
    other.write_text(other.read_text() + "<!-- page as released to s02 -->")
    before = other.stat().st_mtime_ns
    with Gradebook("sqlite:///" + str(root / "gradebook.db")) as gb:  # a grader marks s03's written answer
        gb.find_grade("q4-written", A, A, "s03-partly").manual_score = 2.5
        gb.db.commit()
    batch = grade_assignment(A, root, students=["s03-partly"], jobs=1, limits=LIMITS, progress=False)
    assert batch.scores() == {"s03-partly": 3}
    assert other.stat().st_mtime_ns == before and other.read_text().endswith("<!-- page as released to s02 -->")
    row = _rows(root)["s03-partly"]
    assert (
        row["auto_score"],
        row["written_points_to_grade"],
        row["hand_score"],
        row["total_score"],
        row["q4-written"],
    ) == ("3", "0", "2.5", "5.5", "2.5"), row
    assert _rows(root)["s01-correct"]["written_points_to_grade"] == "3"  # not graded by hand yet


def test_two_graders_on_disjoint_students_both_succeed(course: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    root: Path = course["root"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "course_tools", "grade", A, "--quiet", "--jobs", "1", "--student", student],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "COURSE_ROOT": str(root), "PATH": PLAIN_PATH},
        )
        for student in ("s01-correct", "s03-partly")
    ]
    outs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert any("another grader is grading" in out for out in outs), outs  # the second one waited
    with Gradebook("sqlite:///" + str(root / "gradebook.db")) as gb:
        scores = {s.student_id: s.code_score for s in gb.assignment_submissions(A)}
        assert scores == {"s01-correct": 5, "s02-blank": 0, "s03-partly": 3}
        assert gb.find_grade("q4-written", A, A, "s03-partly").manual_score == 2.5
    rows = _rows(root)
    assert {s: rows[s]["auto_score"] for s in rows} == {"s01-correct": "5", "s02-blank": "0", "s03-partly": "3"}
    assert rows["s03-partly"]["hand_score"] == "2.5"


def test_a_grader_that_cannot_get_the_lock_stops_with_a_clear_message(course: dict[str, Any]) -> None:
    root: Path = course["root"]
    with assignment_lock(root, A, wait=0):
        done = _cli(root, "--student", "s01-correct", "--lock-wait", "1")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "another grader is grading 00-welcome" in done.stdout and "Traceback" not in done.stdout + done.stderr


# -- runs that must stop before grading anyone ----------------------------------------------------


def _venv_inside(folder: Path) -> Path:
    """A virtual environment in ``folder`` that runs this Python with the course's packages."""
    venv = folder / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "nbgrader").is_dir())
    (site / "_course.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    return venv / "bin" / "python"


def test_a_course_folder_at_0700_stops_the_run_with_the_real_error(tmp_path: Path) -> None:
    ok, why = isolation_support()
    if not ok or os.geteuid() != 0:
        pytest.skip(f"needs the root sandbox ({why})")
    root = scratch_course(tmp_path / "course", with_exercises=True)
    corpus.write(root, [CASES["s01-correct"]])
    python = _venv_inside(root)
    root.chmod(0o700)
    done = _cli(root, python=str(python))
    out = done.stdout + done.stderr
    assert done.returncode == 2, out[-3000:]
    assert "kernels cannot start in the sandbox" in out and "Permission denied" in out, out[-3000:]
    assert f"chmod o+x {root}" in out, out[-3000:]
    report = (root / "grades" / A / "report.md").read_text()
    assert "stopped: nothing was graded" in report and "Permission denied" in report and str(python) in report
    assert not (root / "gradebook.db").exists(), "a failed first run must leave no gradebook behind"
    assert not (root / "grades" / A / "grades.csv").exists()


def test_a_failing_model_solution_stops_the_run_with_its_error(tmp_path: Path) -> None:
    root = scratch_course(tmp_path / "course", with_exercises=True)
    corpus.write(root, [CASES["s01-correct"]])
    source = root / "solutions" / A / f"{A}.ipynb"
    nb = json.loads(source.read_text())
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q2-answer")
    cell["source"] = "### BEGIN SOLUTION\nimport os\nos._exit(7)  # the model answer is broken\n### END SOLUTION"
    source.write_text(json.dumps(nb))
    done = _cli(root)  # PATH without .venv/bin: the CLI must find alembic itself
    out = done.stdout + done.stderr
    assert done.returncode == 2, out[-3000:]
    assert "model solution" in out and "kernel died" in out, out[-3000:]
    assert "No such file or directory: 'alembic'" not in out
    report = (root / "grades" / A / "report.md").read_text()
    assert "stopped: nothing was graded" in report and "model solution" in report and "DeadKernelError" in report
    assert not (root / "gradebook.db").exists(), "a failed first run must leave no gradebook behind"
    assert not (root / "autograded").exists() and not (root / "grades" / A / "grades.csv").exists()


def test_venv_nbgrader_finds_alembic_from_a_plain_shell(tmp_path: Path) -> None:
    root = scratch_course(tmp_path / "course")
    nbgrader = Path(sys.executable).parent / "nbgrader"
    done = subprocess.run(
        [str(nbgrader), "db", "student", "add", "alice", f"--CourseDirectory.root={root}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": PLAIN_PATH},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (root / "gradebook.db").stat().st_size > 0


# -- a submission whose kernel died: kept, named, gradable by hand, real feedback after --------


def test_a_kernel_death_is_kept_named_and_gradable_by_hand(tmp_path: Path) -> None:
    """s06's q3 answer calls os._exit(3). With --keep-scratch, report.md names the scratch folder on
    a line of its own and the partly executed notebook (cells before q3-answer ran, the rest did
    not); the reason names the cell. autograded/ holds the unexecuted submission, so formgrader's
    submitted-notebooks API lists it; once a person has scored every cell, ``make feedback``
    gives real feedback with those scores (no "could not be graded" page) and a re-run of the
    grader calls it graded. s03's hand score on its written answer reaches its released page too
    (feedback made before that score existed is regenerated)."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.utils import notebook_hash
    from traitlets.config import Config

    root = scratch_course(tmp_path / "course", with_exercises=True)
    corpus.write(root, [CASES["s06-os-exit"], CASES["s03-partly"]])
    for student in ("s06-os-exit", "s03-partly"):
        (root / "submitted" / student / A / "submission_secret.txt").write_text(f"secret-of-{student}")
    said: list[str] = []
    batch = grade_assignment(A, root, jobs=2, limits=LIMITS, progress=False, keep_scratch=True, echo=said.append)
    try:
        died = next(r for r in batch.results if r.student == "s06-os-exit")
        assert "it died in cell 14 (q3-answer)" in " ".join(died.reasons), died.reasons
        report = (root / "grades" / A / "report.md").read_text().splitlines()
        assert f"- scratch folder (kept, delete it when done): {batch.scratch}" in report, report
        partial = batch.scratch / f"job-{batch.students.index('s06-os-exit'):04d}" / "partly-executed" / f"{A}.ipynb"
        assert f"  - kept: {partial.resolve()}" in report, report
        cells = nbformat.read(partial, as_version=4).cells
        assert cells[4].outputs or cells[4].execution_count, "the cells before the fatal one ran"
        assert all(not c.get("outputs") for c in cells[15:] if c.cell_type == "code"), "nothing ran after it"
        unexecuted = root / "autograded" / "s06-os-exit" / A / f"{A}.ipynb"
        assert all(not c.get("outputs") for c in nbformat.read(unexecuted, as_version=4).cells if c.cell_type == "code")
        config = Config()
        config.CourseDirectory.root = str(root)
        listed = {s["student"] for s in NbGraderAPI(config=config).get_notebook_submissions(A, A)}
        assert listed == {"s06-os-exit", "s03-partly"}, listed  # formgrader's submitted_notebooks API
    finally:
        import shutil

        shutil.rmtree(batch.scratch, ignore_errors=True)
    page = root / "feedback" / "s06-os-exit" / A / f"{A}.html"
    assert "could not be graded automatically" in page.read_text()
    with Gradebook("sqlite:///" + str(root / "gradebook.db")) as gb:  # what formgrader's grade API does
        for student, scores in (
            ("s06-os-exit", {"q1-check": 1, "q2-check": 2, "q3-check": 0, "q4-written": 2}),
            ("s03-partly", {"q4-written": 3}),
        ):
            for gid, score in scores.items():
                grade = gb.find_grade(gid, A, A, student)
                grade.manual_score, grade.needs_manual_grade = score, False
        gb.db.commit()
    exchange = tmp_path / "exchange"
    (exchange / "customer-segmentation" / "feedback").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-m", "course_tools.grading.feedback", A, f"--Exchange.root={exchange}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COURSE_ROOT": str(root), "PATH": PLAIN_PATH},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    released = exchange / "customer-segmentation" / "feedback"
    died_page = (released / f"{notebook_hash(secret='secret-of-s06-os-exit', notebook_id=A)}.html").read_text()
    assert "could not be graded automatically" not in died_page and "Score: 5.0 / 8.0" in died_page, died_page[:3000]
    partly_page = (released / f"{notebook_hash(secret='secret-of-s03-partly', notebook_id=A)}.html").read_text()
    assert "Score: 6.0 / 8.0" in partly_page, partly_page[:3000]  # 3 automatic + 3 by hand
    from course_tools.grading.feedback import hidden_test_lines

    hidden = hidden_test_lines(nbformat.read(root / "solutions" / A / f"{A}.ipynb", as_version=4))
    assert hidden and not [ln for ln in hidden if ln in died_page + partly_page]  # regenerated, still cleared
    again = grade_assignment(A, root, students=["s06-os-exit"], jobs=1, limits=LIMITS, progress=False)
    assert again.results[0].status == "graded" and not again.results[0].reasons, again.results[0]
    assert _rows(root)["s06-os-exit"]["total_score"] == "5"


def test_two_runs_get_disjoint_sandbox_uids(tmp_path: Path) -> None:
    """Each run holds a uid range of its own (flock per range), also against another process;
    released at the end of the run, so the next one reuses it."""
    from course_tools.grading.jobs import Job
    from course_tools.grading.uids import SLOT_SIZE, allocate

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from course_tools.grading.uids import allocate;"
            f"r = allocate(__import__('pathlib').Path({str(tmp_path)!r})); print(r.first, flush=True);"
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        theirs = int(holder.stdout.readline())
        mine, third = allocate(tmp_path), allocate(tmp_path)
        firsts = sorted({theirs, mine.first, third.first})
        assert len(firsts) == 3 and all(b - a >= SLOT_SIZE for a, b in zip(firsts, firsts[1:], strict=False)), firsts
        job = Job(tmp_path, A, "alice", 7, tmp_path, tmp_path, {}, {}, LIMITS, True, None, uids=mine)  # type: ignore[arg-type]
        assert job.sandbox_config(tmp_path, None, tmp_path, False).uid == mine.first + 7
        third.release()
        again = allocate(tmp_path)
        assert again.first == third.first  # released: free again
    finally:
        holder.communicate("", timeout=30)
    assert allocate(tmp_path).first == theirs  # the other run's range is free once its process ended
