"""The class grader on the corpus of faulty submissions (tests/grading/submissions/corpus.py).

The slow tests grade the whole corpus once, in one batch, with the real
command (real nbgrader, sandboxed kernels when this machine allows it) in a
scratch copy of the course, then check each expected outcome, the feedback,
the exports, that nothing submitted was touched, and that a re-run gives the
same grades with no stale ones. The fast tests check the pieces in-process.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools.grading import snapshot, tamper
from course_tools.grading.runner import STATUS_MANUAL, Limits, grade_assignment, hidden_test_lines
from course_tools.grading.sandbox import isolation_support, network_namespace_support
from course_tools.grading.verify import Verifier
from course_tools.nbgrader_tools import scratch_course
from course_utils.paths import course_root
from tests.grading.submissions import corpus

CASES = {c.student: c for c in corpus.cases()}
LIMITS = Limits(cell_timeout=10, notebook_timeout=120, memory_mb=1536)
SOURCE = course_root() / "solutions" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"

slow = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "submitted").rglob("*"))
        if p.is_file()
    }


#: Credentials a grader's environment may hold (on a hub, NBGRADER_DB_URL has the database password).
SECRETS = {
    "NBGRADER_DB_URL": "postgresql://grader:hunter2-db-pw@127.0.0.1/segmentation",
    "COURSE_DB_PASSWORD": "hunter3-pw",
    "JUPYTERHUB_API_TOKEN": "tok-4f9a1c",
    "MY_SECRET_KEY": "sk-77aa",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import os
    import shutil

    root = scratch_course(tmp_path_factory.mktemp("grading") / "course", with_exercises=True)
    corpus.write(root)
    before = _hashes(root)
    saved = {k: os.environ.get(k) for k in SECRETS}
    os.environ.update({k: v for k, v in SECRETS.items() if k != "NBGRADER_DB_URL"})
    os.environ["NBGRADER_DB_URL"] = "sqlite:///" + str(root / "gradebook.db")  # a URL the grader must use
    SECRETS["NBGRADER_DB_URL"] = os.environ["NBGRADER_DB_URL"]
    said: list[str] = []
    try:  # the scratch folders are kept: the tests read what kernels could write there
        batch = grade_assignment(
            corpus.ASSIGNMENT, root, jobs=2, limits=LIMITS, progress=False, keep_scratch=True, echo=said.append
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    scratch = Path(next(line for line in said if line.startswith("scratch folders kept in ")).split(" in ", 1)[1])
    yield {
        "root": root,
        "batch": batch,
        "before": before,
        "results": {r.student: r for r in batch.results},
        "scratch": scratch,
    }
    shutil.rmtree(scratch, ignore_errors=True)


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


# -- the corpus: every case ends as expected ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
@pytest.mark.parametrize("student", sorted(CASES))
def test_corpus_outcome(graded: dict[str, Any], student: str) -> None:
    case = CASES[student]
    result = graded["results"][student]
    kinds = {f.kind for f in result.findings}
    findings = [str(f) for f in result.findings]
    context = f"{student}: status={result.status} score={result.score} reasons={result.reasons} findings={findings}"
    expected = [(case.score, case.status, case.flags, case.reason)] + ([case.alternative] if case.alternative else [])

    def matches(score: float, status: str, flags: list[str], reason: str) -> bool:
        return (
            result.status == status
            and result.score == score
            and set(flags) <= kinds
            and (reason.lower() in " ".join(result.reasons).lower() if status == STATUS_MANUAL else not result.reasons)
        )

    assert any(matches(*e) for e in expected), f"expected one of {expected}; got {context}"
    assert result.max_score == 5, context
    if student in {"s01-correct", "s02-blank", "s03-partly", "s04-syntax-error"}:
        assert not any(f.severity == "tamper" for f in result.findings), context


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_monkeypatching_would_have_inflated_the_grade(graded: dict[str, Any]) -> None:
    """nbgrader alone gave these points (the test passed in the student's kernel); the re-run took them back."""
    for student in ("s17-patch-check", "s18-patch-class-builtin"):
        result = graded["results"][student]
        rechecks = [f for f in result.findings if f.kind == "recheck-failed"]
        assert rechecks, student
        cell = next(c for c in result.cells if c.grade_id in rechecks[0].detail)
        assert cell.auto_score == 0 and cell.needs_manual


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_sandbox_blocks_snooping(graded: dict[str, Any]) -> None:
    ok, why = isolation_support()
    path = graded["root"] / "autograded" / "s14-isolation" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    lines = [ln for ln in text.splitlines() if ln.startswith("SNOOP ")]
    assert len(lines) == 12, text[:2000]
    if not ok:
        pytest.skip(f"kernels cannot be sandboxed on this machine ({why}); only limits apply")
    allowed = [ln for ln in lines if "ALLOWED" in ln]
    if not network_namespace_support():  # the host refuses network namespaces: only that stays open
        allowed = [ln for ln in allowed if "use-network" not in ln]
    assert not allowed, lines
    uid = int(lines[-1].split()[-1])
    assert uid >= 62000, lines


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_feedback_never_shows_hidden_tests(graded: dict[str, Any]) -> None:
    hidden = hidden_test_lines(nbformat.read(SOURCE, as_version=4))
    assert "_truth = pd.DataFrame(CUSTOMERS)" in hidden
    root: Path = graded["root"]
    pages = sorted((root / "feedback").rglob("*.html"))
    assert {p.parts[-3] for p in pages} == set(CASES), "every student gets a feedback page"
    for page in pages:
        text = _page_text(page)
        try:  # a line the student typed themselves (the right answer) is not a leak
            own = "\n".join(
                tamper._source(c)
                for c in tamper.read_submission(
                    root / "submitted" / page.parts[-3] / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"
                ).cells
            )
        except tamper.Unreadable:
            own = ""
        for line in hidden:
            if line not in own:
                assert line not in text, f"{page} shows the hidden test line {line!r}"
    blank = _page_text(root / "feedback" / "s02-blank" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html")
    assert "q1.check()" in blank
    assert "_truth" not in blank and "HIDDEN" not in blank
    failed = _page_text(root / "feedback" / "s09-not-json" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html")
    assert "grade it by hand" in failed and "not valid JSON" in failed


def _outputs(root: Path, student: str) -> str:
    path = root / "autograded" / student / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return "".join(
        o.get("text", "") + json.dumps(o.get("data", {})) + o.get("evalue", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_hidden_tests_cannot_be_read_and_smuggled_out(graded: dict[str, Any]) -> None:
    """The notebook nbgrader executes (hidden tests restored) is out of the kernel's reach: its
    outputs and feedback hold no hidden-test line in any encoding it tried (base64, rot13, hex)."""
    from course_tools.grading.feedback import readings

    ok, why = isolation_support()
    if not ok:
        pytest.skip(f"kernels cannot be sandboxed on this machine ({why}): student code runs as the grader")
    root: Path = graded["root"]
    own = "\n".join(
        tamper._source(c)
        for c in tamper.read_submission(
            root / "submitted" / "s23-smuggle-hidden" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"
        ).cells
    )
    hidden = [
        ln for ln in hidden_test_lines(nbformat.read(SOURCE, as_version=4)) if ln not in own
    ]  # not its own answer
    assert "_truth = pd.DataFrame(CUSTOMERS)" in hidden
    outputs = _outputs(root, "s23-smuggle-hidden")
    assert "SMUGGLE copies with hidden tests:" in outputs, outputs[:500]  # the cell ran
    page = _page_text(root / "feedback" / "s23-smuggle-hidden" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html")
    for where, text in (("outputs", outputs), ("feedback", page)):
        seen = readings(text)
        leaked = [ln for ln in hidden if any(ln in r for r in seen)]
        assert not leaked, f"the {where} of s23 carry hidden tests (encoded): {leaked[:2]}"
    assert "SMUGGLE copies with hidden tests: 0" in outputs


def _kernel_writable_files(graded: dict[str, Any], student: str) -> dict[str, str]:
    """Every file the student's kernel could have written that outlives it (its job's ``ipc`` folder,
    its working folder) and any ``captured-*`` file anywhere in the scratch folder or the course."""
    job = graded["scratch"] / f"job-{sorted(CASES).index(student):04d}"
    assert (job / "kernel-cwd").is_dir(), f"{job} is not {student}'s job"
    paths = [p for top in (job / "ipc", job / "kernel-cwd") for p in top.rglob("*") if p.is_file()]
    paths += [p for top in (graded["scratch"], graded["root"]) for p in top.rglob("captured-*")]
    return {str(p): p.read_bytes().decode(errors="replace") for p in paths}


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
@pytest.mark.parametrize(
    "student, channel",
    [("s26-capture-history", "history"), ("s27-capture-trace", "trace"), ("s28-capture-compile", "compile")],
)
def test_hidden_tests_never_reach_the_kernel(graded: dict[str, Any], student: str, channel: str) -> None:
    """Student code that captures the code the kernel runs next (``In``/``_ih``, a ``pre_run_cell``
    hook, an input transformer, ``sys.settrace``, an audit hook, a patched ``compile``/``exec``) sees
    the visible checks and never a hidden test: not in the outputs, the feedback, ``report.md`` or
    any file the kernel could write; the score is what the answers deserve."""
    from course_tools.grading.feedback import readings

    root: Path = graded["root"]
    own = "\n".join(
        tamper._source(c)
        for c in tamper.read_submission(
            root / "submitted" / student / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb"
        ).cells
    )
    hidden = [ln for ln in hidden_test_lines(nbformat.read(SOURCE, as_version=4)) if ln not in own]
    distinctive = [
        "_truth = pd.DataFrame(CUSTOMERS)",
        'replace(" ", "-").startswith("high-value")',
        "sorted(objective_for) == [",
        "str(v).strip().lower() for k, v in fails.items()",
    ]
    assert all(any(d in ln for ln in hidden) for d in distinctive), hidden
    outputs = _outputs(root, student)
    captured = [ln for ln in outputs.splitlines() if ln.startswith(f"CAPTURED {channel} ")]
    assert captured and captured[-1].endswith(" True"), f"the {channel} channel saw no later test cell: {captured[-3:]}"
    places = {
        "outputs": outputs,
        "feedback": _page_text(root / "feedback" / student / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html"),
        "report.md": (root / "grades" / corpus.ASSIGNMENT / "report.md").read_text(),
        **_kernel_writable_files(graded, student),
    }
    for where, text in places.items():
        seen = readings(text)
        leaked = [ln for ln in hidden + distinctive if any(ln in r for r in seen)]
        assert not leaked, f"{where} of {student} carries hidden tests: {leaked[:2]}"


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_a_failed_hidden_test_is_a_wrong_answer_with_its_message(graded: dict[str, Any]) -> None:
    """q2's visible check passes and a hidden test fails (in the clean re-run only): 0 for q2, not
    flagged, not sent to manual grading, and the feedback says why in one line, without the test."""
    from nbgrader.api import Gradebook

    from course_tools.grading.verify import HIDDEN_FAILED

    root: Path = graded["root"]
    result = graded["results"]["s25-hidden-fails"]
    assert {c.grade_id: c.auto_score for c in result.cells if c.autograded} == {
        "q1-check": 1,
        "q2-check": 0,
        "q3-check": 2,
    }
    assert not result.reasons and not [f for f in result.findings if f.severity == "tamper"]
    with Gradebook("sqlite:///" + str(root / "gradebook.db")) as gb:
        grade = gb.find_grade("q2-check", corpus.ASSIGNMENT, corpus.ASSIGNMENT, "s25-hidden-fails")
        assert (grade.auto_score, grade.needs_manual_grade) == (0, False)
    page = _page_text(root / "feedback" / "s25-hidden-fails" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html")
    message = f"Incorrect: {HIDDEN_FAILED}"
    assert page.count(message) == 1, page[-3000:]
    assert "Incorrect: Incorrect" not in page


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_kernel_environment_has_no_credentials(graded: dict[str, Any]) -> None:
    outputs = _outputs(graded["root"], "s24-environ")
    assert "ENVIRON [" in outputs, outputs[:500]
    for name, value in SECRETS.items():
        assert value not in outputs and name not in outputs, f"student code saw {name}"


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_bad_timestamp_is_graded_with_a_warning(graded: dict[str, Any]) -> None:
    from nbgrader.utils import parse_utc

    result = graded["results"]["s22-bad-timestamp"]
    assert result.score == 5 and result.timestamp  # the file's time stands in for it
    report = (graded["root"] / "grades" / corpus.ASSIGNMENT / "report.md").read_text()
    assert "s22-bad-timestamp: timestamp.txt is not a date ('next Tuesday, honest')" in report
    fb = graded["root"] / "feedback" / "s22-bad-timestamp" / corpus.ASSIGNMENT
    parse_utc((fb / "timestamp.txt").read_text())  # a date release_feedback can pass on


def _page_text(page: Path) -> str:
    """The text of an HTML page as a reader sees it (syntax highlighting splits code into spans)."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_every_submission_is_exported(graded: dict[str, Any]) -> None:
    out = graded["root"] / "grades" / corpus.ASSIGNMENT
    rows = {r["student"]: r for r in _csv(out / "grades.csv")}
    assert set(rows) == set(CASES)
    for student, case in CASES.items():
        allowed = [(case.score, case.status)] + ([case.alternative[:2]] if case.alternative else [])
        assert (float(rows[student]["auto_score"]), rows[student]["status"]) in allowed, rows[student]
        assert (rows[student]["status"] == STATUS_MANUAL) == bool(rows[student]["needs_manual_grading_because"])
    assert {r["student_id"] for r in _csv(out / "nbgrader-grades.csv")} == set(CASES)
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(out / "gradebook.db")) as gb:
        subs = {s.student_id: s for s in gb.assignment_submissions(corpus.ASSIGNMENT)}
        assert set(subs) == set(CASES)
        assert subs["s09-not-json"].needs_manual_grade
        assert subs["s01-correct"].code_score == 5
    assert (out / ".gitignore").read_text().strip().endswith("*")
    report = (out / "report.md").read_text()
    assert "s06-os-exit" in report and "Tamper report" in report
    # the corpus was placed in submitted/ by hand (no exchange secret): make feedback cannot release it
    assert "## Feedback to hand over yourself" in report and "\n- s01-correct\n" in report


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_submitted_files_are_never_modified(graded: dict[str, Any]) -> None:
    assert _hashes(graded["root"]) == graded["before"]


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_rerun_is_idempotent_without_stale_grades_and_keeps_hand_scores(graded: dict[str, Any]) -> None:
    from nbgrader.api import Gradebook

    root: Path = graded["root"]
    students = ["s01-correct", "s03-partly"]
    url = "sqlite:///" + str(root / "gradebook.db")
    with Gradebook(url) as gb:  # a grader marks the written answer by hand
        gb.find_grade("q4-written", corpus.ASSIGNMENT, corpus.ASSIGNMENT, "s03-partly").manual_score = 2.5
        gb.db.commit()
    first = {r["student"]: r for r in _csv(root / "grades" / corpus.ASSIGNMENT / "grades.csv")}
    again = grade_assignment(corpus.ASSIGNMENT, root, students=students, jobs=2, limits=LIMITS, progress=False)
    second = {r["student"]: r for r in _csv(again.out_dir / "grades.csv")}
    assert set(second) == set(CASES), "a run for some students keeps the others in the export"
    assert second["s01-correct"] == first["s01-correct"]
    # the hand score is in the export: nothing left to grade by hand, counted in the total
    hand = {
        **first["s03-partly"],
        "written_points_to_grade": "0",
        "hand_score": "2.5",
        "total_score": "5.5",
        "q4-written": "2.5",
    }
    assert second["s03-partly"] == hand
    # s01 resubmits a blank notebook: the old 5 points must not survive (nbgrader --force kept them)
    blank = corpus.released()
    (root / "submitted" / "s01-correct" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb").write_text(
        json.dumps(blank)
    )
    third = grade_assignment(
        corpus.ASSIGNMENT, root, students=students, jobs=2, limits=LIMITS, progress=False, feedback=False
    )
    assert third.scores() == {"s01-correct": 0.0, "s03-partly": 3.0}
    with Gradebook(url) as gb:
        assert gb.find_submission(corpus.ASSIGNMENT, "s01-correct").code_score == 0
        grade = gb.find_grade("q4-written", corpus.ASSIGNMENT, corpus.ASSIGNMENT, "s03-partly")
        assert grade.manual_score == 2.5, "a score entered by hand must survive a re-run"
        assert gb.find_submission(corpus.ASSIGNMENT, "s03-partly").score == 5.5


# -- fast, in-process ---------------------------------------------------------------------------


@pytest.mark.parametrize("student", sorted(CASES))
def test_tamper_scan_finds_structural_changes(student: str, tmp_path: Path) -> None:
    """The scan alone (no kernel) reports the structural flags of each case."""
    case = CASES[student]
    path = tmp_path / "nb.ipynb"
    path.write_text(case.build())
    if student == "s09-not-json":
        with pytest.raises(tamper.Unreadable, match="not valid JSON"):
            tamper.read_submission(path)
        return
    found = {
        f.kind
        for f in tamper.scan(tamper.read_submission(path), nbformat.reads(json.dumps(corpus.released()), as_version=4))
    }
    structural = {
        "deleted-cells",
        "reordered-cells",
        "duplicated-cell",
        "changed-metadata",
        "edited-locked-cell",
        "suspicious-code",
    }
    assert set(case.flags) & structural <= found, found
    if student in {"s01-correct", "s02-blank", "s03-partly"}:
        assert not found


def test_read_submission_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "a.ipynb"
    bad.write_text('{"cells": 3}')
    with pytest.raises(tamper.Unreadable, match="not a notebook"):
        tamper.read_submission(bad)
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(tamper.Unreadable, match="UTF-8"):
        tamper.read_submission(bad)


def test_snapshot_roundtrip_keeps_data_and_drops_tricks() -> None:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"customer_id": ["C1", "C2"], "spend": [1.5, 2.0], "n": [1, 2]})
    back = snapshot.decode(snapshot.encode(frame))
    pd.testing.assert_frame_equal(back, frame)
    series = pd.Series([1.0, float("nan")], index=["a", "b"], name="x")
    pd.testing.assert_series_equal(snapshot.decode(snapshot.encode(series)), series)
    arr = np.arange(6, dtype="int32").reshape(2, 3)
    assert (snapshot.decode(snapshot.encode(arr)) == arr).all()
    assert type(snapshot.decode(snapshot.encode(np.float64(0.25)))) is np.float64

    class AlwaysEqual(dict):
        def __eq__(self, other: object) -> bool:
            return True

    assert isinstance(snapshot.decode(snapshot.encode(AlwaysEqual(a=1))), snapshot.Unsupported)
    assert snapshot.decode(snapshot.encode((1, {2, 3}, None))) == (1, {2, 3}, None)


def test_snapshot_copies_sparse_matrices_and_plain_text_vectorizers() -> None:
    """05-nlp q4's answers (a fitted TfidfVectorizer and its CSR matrices) come out as data; a
    vectorizer with a function as a parameter (student code) does not."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["great coffee, great price", "bad coffee", "price was fine", "great tea and fine coffee"]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), stop_words=["and"]).fit(docs)
    X = tfidf.transform(docs)
    back, X_back = snapshot.decode(snapshot.encode(tfidf)), snapshot.decode(snapshot.encode(X))
    assert type(back) is TfidfVectorizer and back.vocabulary_ == tfidf.vocabulary_
    assert (back.transform(docs) != X).nnz == 0 and (X_back != X).nnz == 0 and X_back.shape == X.shape
    assert back.build_analyzer()("great tea") == tfidf.build_analyzer()("great tea")
    assert isinstance(
        snapshot.decode(snapshot.encode(TfidfVectorizer(tokenizer=lambda t: t.split()))), snapshot.Unsupported
    )
    forged = json.dumps({"__vectorizer__": "Pipeline", "params": {"__dict__": []}, "dtype": None})
    assert isinstance(snapshot.decode(forged), snapshot.Unsupported)


def test_verifier_reruns_hidden_tests_on_snapshots() -> None:
    v = Verifier(nbformat.read(SOURCE, as_version=4))
    assert v.snapshot_vars == {"q1-check": ["top_spender"], "q2-check": ["objective_for"], "q3-check": ["fails"]}
    right = {"fails": {"json": snapshot.encode({"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"})}}
    assert v.verify("q3-check", right) == (True, "passes")
    wrong = {"fails": {"json": snapshot.encode({"S1": "stable", "S2": "lawful", "S3": "actionable", "S4": "distinct"})}}
    ok, detail = v.verify("q3-check", wrong)
    assert ok is False and detail.startswith("Incorrect: ") and detail.count("Incorrect") == 1, detail
    ok, detail = v.verify("q1-check", {})
    assert ok is False and "NotAttempted" in detail


def _recheck(answer: str, support: dict[str, bool], tmp_path: Path) -> tuple[Any, nbformat.NotebookNode]:
    """``Job._recheck`` on a tiny notebook whose three test cells passed in the kernel (visible parts only)."""
    from course_tools.grading.jobs import Job
    from course_tools.grading.results import CellGrade, Result

    def cell(src: str, **meta: Any) -> nbformat.NotebookNode:
        md = {"grade": False, "solution": False, "locked": False, "schema_version": 3, **meta}
        return nbformat.v4.new_code_cell(src, metadata={"nbgrader": md})

    hidden = "\n### BEGIN HIDDEN TESTS\n{}\n### END HIDDEN TESTS"
    nb = nbformat.v4.new_notebook(
        cells=[
            cell("limit = 10", grade_id="setup", locked=True),
            cell(answer, grade_id="a1", solution=True),
            cell(
                "assert answer < limit" + hidden.format("assert answer % 2, 'the answer must be odd'"),
                grade_id="t1",
                grade=True,
                locked=True,
                points=2,
            ),
            cell(
                "assert callable(f)" + hidden.format("assert f(2) == 2"),
                grade_id="t2",
                grade=True,
                locked=True,
                points=1,
            ),
            cell(
                "import socket" + hidden.format("socket.create_connection(('127.0.0.1', 9), timeout=2)"),
                grade_id="t3",
                grade=True,
                locked=True,
                points=1,
            ),
        ]
    )
    ns: dict[str, Any] = {}
    exec(answer, ns)  # the "kernel": the answer cell ran there
    snaps = {
        gid: {name: {"json": snapshot.encode(ns[name])} for name in names if name in ns}
        for gid, names in Verifier(nb).snapshot_vars.items()
    }
    out = tmp_path / "autograded"
    out.mkdir(exist_ok=True)
    nbformat.write(nb, out / "nb.ipynb")
    result = Result(
        "alice",
        cells=[CellGrade(g, "nb", p, p, False, True) for g, p in (("t1", 2.0), ("t2", 1.0), ("t3", 1.0))],
        snapshots=snaps,
        autograded_dir=out,
    )
    job = Job(tmp_path, "a", "alice", 0, tmp_path, tmp_path, {}, {"nb": Verifier(nb)}, Limits(), False, None, support)  # type: ignore[arg-type]
    job._recheck(result)
    return result, nbformat.read(out / "nb.ipynb", as_version=4)


def test_recheck_runs_hidden_tests_outside_the_kernel(tmp_path: Path) -> None:
    """The kernel ran only the visible parts; the clean re-run decides: a failed hidden test is a
    wrong answer (0, its message, no flag); a failed visible part is tampering; an answer that cannot
    be copied out, or a hidden test that cannot run here, goes to a person with the points provisional."""
    support = {"t1": True, "t2": False, "t3": True}
    result, nb = _recheck("answer = 4\ndef f(x):\n    return x", support, tmp_path)
    cells = {c.grade_id: c for c in result.cells}
    assert (cells["t1"].auto_score, cells["t1"].needs_manual) == (0.0, False)
    assert [o["traceback"] for o in nb.cells[2].outputs] == [["Incorrect: the answer must be odd"]]
    assert not [f for f in result.findings if f.kind == "recheck-failed"]
    assert (cells["t2"].auto_score, cells["t2"].needs_manual) == (1.0, True)  # a function: hidden tests not run
    assert (cells["t3"].auto_score, cells["t3"].needs_manual) == (1.0, True)  # ConnectionRefusedError: not the answer
    reasons = " | ".join(result.reasons)
    assert "t2: hidden tests not run (f is a function" in reasons and "provisional" in reasons, reasons
    assert "t3: hidden tests could not run outside the student's kernel (ConnectionRefusedError" in reasons, reasons
    assert "t1" not in reasons

    result, _ = _recheck("answer = 40\ndef f(x):\n    return x", support, tmp_path)  # passed only in the kernel
    cells = {c.grade_id: c for c in result.cells}
    assert (cells["t1"].auto_score, cells["t1"].needs_manual) == (0.0, True)
    assert any(f.kind == "recheck-failed" and f.detail.startswith("t1 ") for f in result.findings)

    result, _ = _recheck("answer = 7\ndef f(x):\n    return x", {**support, "t3": True}, tmp_path)
    assert {c.grade_id: c.auto_score for c in result.cells}["t1"] == 2.0

    # where the model answer fails the clean re-run too, a failed hidden test is no proof: a person decides
    result, _ = _recheck("answer = 4\ndef f(x):\n    return x", {**support, "clean:t1": False}, tmp_path)
    t1 = next(c for c in result.cells if c.grade_id == "t1")
    assert (t1.auto_score, t1.needs_manual) == (2.0, True) and "so does the model solution" in " ".join(result.reasons)


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_without_sandbox_grades_with_limits_and_warns(tmp_path: Path) -> None:
    """Where kernels cannot be sandboxed (not root), grading still works, with a clear warning."""
    root = scratch_course(tmp_path / "course", with_exercises=True)
    chosen = [CASES["s01-correct"], CASES["s07-sigkill"]]
    corpus.write(root, chosen)
    batch = grade_assignment(
        corpus.ASSIGNMENT, root, isolate=False, jobs=2, limits=LIMITS, progress=False, feedback=False
    )
    assert batch.scores() == {"s01-correct": 5.0, "s07-sigkill": 0.0}
    assert any("NOT sandboxed" in w for w in batch.warnings)
    assert "NOT sandboxed" in (batch.out_dir / "report.md").read_text()


def test_sandbox_keeps_a_course_kept_under_tmp() -> None:
    """A course (and its .venv) under /tmp survives the sandbox's fresh /tmp, read-only, with
    its hidden entries still hidden (a fresh clone in /tmp once made every kernel die)."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from course_tools.grading.sandbox import SandboxConfig

    ok, why = isolation_support()
    if not ok:
        pytest.skip(f"kernels cannot be sandboxed on this machine ({why})")
    course = Path(tempfile.mkdtemp(prefix="course-in-tmp-", dir="/tmp"))
    try:
        course.chmod(0o755)
        (course / "data.txt").write_text("visible")
        (course / "secret").mkdir(mode=0o755)
        (course / "secret" / "key.txt").write_text("hidden")
        (course / "gradebook.db").write_text("grades")
        job = Path(tempfile.mkdtemp(prefix="job-", dir="/tmp"))
        job.chmod(0o755)
        home, base = Path.home().resolve(), Path(sys.base_prefix).resolve()
        hide = [str(course / "secret"), str(course / "gradebook.db")] + ([str(home)] if home != Path("/") else [])
        cfg = SandboxConfig(
            uid=62999,
            readonly=[str(course), str(course_root().resolve()), str(Path(sys.prefix).resolve())],
            workdir=str(job),
            hide=hide,
            network=False,
            rebind=[str(base)] if home in base.parents else [],
        )
        cfg_path = Path(tempfile.mkdtemp()) / "sandbox.json"
        cfg.save(cfg_path)
        probe = (
            "import os\n"
            "def attempt(f):\n"
            "    try:\n        return f()\n"
            "    except OSError as e:\n        return type(e).__name__\n"
            f"os.chdir({str(course)!r})\n"
            "print(open('data.txt').read())\n"
            "print(attempt(lambda: open('secret/key.txt').read()))\n"
            "print(attempt(lambda: open('gradebook.db').read()))\n"
            "print(attempt(lambda: open('gradebook.db', 'a').write('x')))\n"
            "print(attempt(lambda: open('new.txt', 'w').write('x')))\n"
        )
        out = subprocess.run(
            [sys.executable, "-m", "course_tools.grading.sandbox", str(cfg_path), "--", sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(course_root())},
        )
        assert out.returncode == 0, out.stderr[-2000:]
        lines = out.stdout.split()
        assert lines[0] == "visible", out.stdout
        assert lines[1] == "FileNotFoundError", out.stdout  # hidden folder looks empty
        assert lines[2] == lines[3] == "PermissionError", out.stdout  # hidden file: no read, no write
        assert lines[4] == "OSError", out.stdout  # read-only course (EROFS)
        assert (course / "gradebook.db").read_text() == "grades" and not (course / "new.txt").exists()
    finally:
        shutil.rmtree(course, ignore_errors=True)
        shutil.rmtree(job, ignore_errors=True)
