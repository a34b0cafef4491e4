"""Assignment 07-spark through ``make grade``'s real path: the grading sandbox, a JVM inside it.

``python -m course_tools grade 07-spark --isolate`` (what ``make grade A=07-spark`` runs), as root:
the exercise with the model answers typed in, and with other right answers (cached, persisted and
checkpointed frames, q4 counted in Spark SQL), scores full marks with no flag and nothing left to a
person: the Spark DataFrames of q1-q3 are copied out as data (``FrameCopy``: rows, columns, lineage)
and their hidden tests run in the grader's own process (see ``_full_marks``). q4 counted on the
driver (the whole scored table collected, then ``value_counts``) scores 0 for q4 only, and the
untouched exercise scores zero. Inside the sandbox the kernel has no network but its own loopback (PySpark
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


#: Right answers written otherwise than the model solution: "cache what you reuse" (lesson 7c), a
#: checkpoint, q4 counted by Spark SQL.
OTHER_RIGHT = {
    "q1-answer": (
        "buys = lines.where(F.col('quantity') > 0).cache()\n"
        "invoices = buys.groupBy('customer_id').agg(F.countDistinct('invoice').alias('frequency')).cache()\n"
        "invoices.count()"
    ),
    "q2-answer": (
        "rfm = (lines.where(F.to_date('invoice_date') <= F.lit(SNAPSHOT).cast('date'))\n"
        "       .groupBy('customer_id')\n"
        "       .agg(F.datediff(F.lit(SNAPSHOT).cast('date'),\n"
        "                       F.max(F.when(F.col('quantity') > 0, F.to_date('invoice_date'))))\n"
        "            .alias('recency_days'),\n"
        "            F.countDistinct(F.when(F.col('quantity') > 0, F.col('invoice'))).alias('frequency'),\n"
        "            F.sum(F.col('quantity') * F.col('unit_price')).cast('double').alias('monetary_gbp'))\n"
        "       .where(F.col('recency_days').isNotNull())\n"
        "       .localCheckpoint())"
    ),
    "q3-answer": (
        "logged = rfm_given.select('customer_id', *[F.log1p(F.greatest(F.col(c).cast('double'), F.lit(0.0)))"
        ".alias('log_' + c) for c in ['recency_days', 'frequency', 'monetary_gbp']]).persist()"
    ),
    "q4-answer": (
        "model.transform(rfm_given).createOrReplaceTempView('scored')\n"
        "segment_sizes = spark.sql('SELECT segment, COUNT(*) AS n FROM scored GROUP BY segment ORDER BY segment')"
        ".toPandas().set_index('segment')['n']"
    ),
}
#: q4 counted on the driver: every customer's row collected, then counted by pandas.
ON_DRIVER = {
    "q4-answer": "segment_sizes = model.transform(rfm_given).toPandas()['segment'].value_counts().sort_index()"
}


def _typed(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    for cell in out.cells:
        gid = _gid(cell)
        if gid is not None and gid in answers:
            cell.source = answers[gid]
    return out


def _course(where: Path, untouched: bool) -> Path:
    root = scratch_course(where, with_exercises=True)
    subs = [("answers", answered())]
    if untouched:
        subs += [
            ("other-right", _typed(answered(), OTHER_RIGHT)),
            ("q4-on-driver", _typed(answered(), ON_DRIVER)),
            ("untouched", nbformat.read(root / "exercises" / A / f"{A}.ipynb", as_version=4)),
        ]
    for student, nb in subs:
        (root / "submitted" / student / A).mkdir(parents=True)
        nbformat.write(nb, root / "submitted" / student / A / f"{A}.ipynb")
    return root


def _rows(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "grades" / A / "grades.csv", newline="") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _page(root: Path, student: str, report: str = "") -> str:
    page = root / "feedback" / student / A / f"{A}.html"
    found = (
        sorted(str(p.relative_to(root)) for p in (root / "feedback").rglob("*")) if (root / "feedback").is_dir() else []
    )
    assert page.is_file(), f"no feedback page for {student}; feedback/ holds {found}; report:\n{report}"
    return page.read_text(errors="replace")


def _full_marks(root: Path, student: str, row: dict[str, str], report: str) -> None:
    """Full marks, unflagged, graded: every hidden test ran in the grader's process, nothing provisional.

    Hidden tests never run in the student's kernel; q1-q3's Spark DataFrames are copied out as
    data (their rows and lineage) and q4's Series with the code cells, so the clean process
    re-runs every test cell in full and no point waits for a person (the written q5, left blank
    here, is not a code answer).
    """
    assert float(row["auto_max"]) == 9, row
    assert float(row["auto_score"]) == float(row["auto_max"]), (row, report)
    assert not row["flags"], row
    assert row["status"] == "graded", (row, report)
    manual = report.split("## Needs manual grading", 1)[1] if "## Needs manual grading" in report else ""
    assert f"**{student}**" not in manual, report
    assert "provisional" not in _page(root, student, report)


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
        timeout=2400,  # four submissions, each with a Spark JVM: 21 min at load 10 on 2 cores
    )
    report = (root / "grades" / A / "report.md").read_text() if (root / "grades" / A / "report.md").is_file() else ""
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "isolation: mount+PID namespaces" in report, report
    if network_namespace_support():
        assert "no network" in report, report
    rows = _rows(root)
    _full_marks(root, "answers", rows["answers"], report)
    _full_marks(root, "other-right", rows["other-right"], report)
    on_driver = rows["q4-on-driver"]
    assert float(on_driver["auto_score"]) == 7, (on_driver, report)  # q4's 2 points lost, nothing else
    assert "counted on the driver" in _page(root, "q4-on-driver")
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
    _full_marks(root, "answers", _rows(root)["answers"], report)


# -- the copy of a Spark answer, without Spark -----------------------------------------------------


def _invoices_copy(**facts: object) -> str:
    """The encoded copy of a right q1 answer, made with pandas (what a kernel's Spark frame copies to)."""
    import json

    from course_tools.grading.snapshot import encode
    from course_utils.data import load_transactions

    tx = load_transactions()
    rows = tx[tx["quantity"] > 0].groupby("customer_id")["invoice"].nunique().rename("frequency").reset_index()
    data = {
        "__sparkframe__": ["customer_id", "frequency"],
        "rows": json.loads(encode(rows)),
        "reads": [f"file://{datasets_dir() / 'transactions.csv'}"],
        "driver_built": False,
        "python_udf": False,
        "lineage_lost": False,
        "edge": None,
        **facts,
    }
    return json.dumps(data)


@pytest.mark.parametrize(
    "forged",
    [
        {"__sparkframe__": "customer_id"},  # columns not a list of names
        {"reads": [3]},  # files not paths
        {"rows": {"__list__": []}},  # rows not a table
        {"__sparkframe__": ["customer_id", "n"]},  # rows of other columns
        {"driver_built": 0},  # a fact that is not True or False
    ],
)
def test_a_forged_frame_copy_is_refused(forged: dict[str, object]) -> None:
    from course_tools.grading.snapshot import decode

    with pytest.raises(ValueError):
        decode(_invoices_copy(**forged))


def test_the_checks_judge_a_frame_copy_without_spark() -> None:
    """The grader's process judges the copy with the checks and hidden tests; no Spark session is started."""
    from course_tools.grading.snapshot import decode
    from course_utils.exercise import Incorrect
    from course_utils.questions.m07_spark import FrameCopy, q1

    copy = decode(_invoices_copy())
    assert type(copy) is FrameCopy and copy.reads_course_data()
    q1.judge(copy)
    with pytest.raises(Incorrect, match="does not read transactions.csv"):
        q1.judge(decode(_invoices_copy(driver_built=True)))
    with pytest.raises(Incorrect, match="no longer records"):
        q1.judge(decode(_invoices_copy(lineage_lost=True)))
    assert "pyspark.sql.session" not in sys.modules or _no_active_session()


def _no_active_session() -> bool:
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() is None
