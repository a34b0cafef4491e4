"""Scratch courses and the course gradebook: generate, register, store (keeping hand scores).

Each submission is graded in a scratch course of its own (:func:`job_config`
makes its ``nbgrader_config.py``) holding a copy of the assignment's
*template* gradebook (:func:`make_template`, cached per version of the
source). Results then go into the course's own gradebook with :func:`store`,
which replaces the student's automatic grades and keeps what a person entered.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_tools.grading.results import CellGrade, Result
from course_tools.grading.tamper import Finding
from course_tools.nbgrader_tools import NbgraderError

if TYPE_CHECKING:
    from course_tools.grading.pool import Workers


def db_url(root: Path) -> str:
    """The gradebook URL the course's ``nbgrader_config.py`` gives (honours ``NBGRADER_DB_URL``)."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    url = cfg.CourseDirectory.get("db_url") if "CourseDirectory" in cfg else None
    return str(url) if url else "sqlite:///" + str(root / "gradebook.db")


def job_config(root: Path, extra: dict[str, Any]) -> str:
    """The course config, made local to a scratch course, plus grading overrides."""
    text = (root / "nbgrader_config.py").read_text()
    lines = [
        "",
        "# --- added by course_tools.grading for this scratch course ---",
        'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")',
    ]
    for key, value in extra.items():
        lines.append(f"c.{key} = {value!r}")
    return text + "\n".join(lines) + "\n"


AUTOGRADE_PREPROCESSORS = [
    "course_tools.grading.execute.GradingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def assignment_cells(template: Path, assignment: str) -> list[CellGrade]:
    """The assignment's graded cells (from the template gradebook), with no score."""
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(template / "gradebook.db")) as gb:
        out = []
        for nb in gb.find_assignment(assignment).notebooks:
            for cell in nb.grade_cells:
                autograded = cell.cell_type == "code" and cell.name not in {c.name for c in nb.solution_cells}
                out.append(CellGrade(cell.name, nb.name, None, float(cell.max_score), True, autograded))
        return out


def course_env() -> dict[str, str]:
    """What a worker needs to open the course's own gradebook (PostgreSQL URL if set)."""
    return {"NBGRADER_DB_URL": os.environ["NBGRADER_DB_URL"]} if os.environ.get("NBGRADER_DB_URL") else {}


def template_key(root: Path, assignment: str) -> str:
    import hashlib

    import nbgrader

    h = hashlib.sha256(nbgrader.__version__.encode())
    h.update((root / "nbgrader_config.py").read_bytes())
    for path in sorted((root / "solutions" / assignment).rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            h.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return h.hexdigest()[:16]


def make_template(root: Path, assignment: str, scratch: Path, workers: Workers, cache: Path) -> Path:
    """A scratch course with the assignment generated into its own gradebook (cached per source version)."""
    tpl = scratch / "template"
    cached = cache / template_key(root, assignment)
    if (cached / "gradebook.db").is_file():
        shutil.copytree(cached, tpl)
        return tpl
    generate_in(tpl, root, assignment, workers)
    if cache.parent.is_dir():
        shutil.rmtree(cache, ignore_errors=True)  # keep only the current version
        shutil.copytree(tpl, cached)
    return tpl


def same_cells(url: str, template: Path, assignment: str) -> bool:
    """Does the course gradebook already hold this assignment with the same cells?"""
    from nbgrader.api import Gradebook, MissingEntry

    def cells(u: str) -> set[tuple[str, str, str | None, float | None]]:
        with Gradebook(u) as gb:
            out: set[tuple[str, str, str | None, float | None]] = set()
            for nb in gb.find_assignment(assignment).notebooks:
                out |= {(nb.name, c.name, c.checksum, None) for c in nb.source_cells}
                out |= {(nb.name, c.name, c.cell_type, float(c.max_score)) for c in nb.grade_cells}
            return out

    try:
        return cells(url) == cells("sqlite:///" + str(template / "gradebook.db"))
    except MissingEntry:
        return False


def ensure_if_missing(root: Path, assignment: str, scratch: Path, url: str, workers: Workers) -> bool:
    """Register the assignment in the course gradebook if it is not there yet; True if it did."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
            return False
        except MissingEntry:
            pass
    ensure_in_gradebook(root, assignment, scratch, url, workers)
    return True


def ensure_in_gradebook(root: Path, assignment: str, scratch: Path, url: str, workers: Workers) -> None:
    """Record the assignment's cells in the course gradebook (what nbgrader needs for feedback)."""
    work = scratch / "course-db"
    shutil.rmtree(work, ignore_errors=True)
    generate_in(work, root, assignment, workers, course_db=url)


def generate_in(course: Path, root: Path, assignment: str, workers: Workers, course_db: str | None = None) -> None:
    """nbgrader generate_assignment in a new scratch ``course`` holding only the assignment's source.

    Into the scratch course's own gradebook (``course_db`` None: the course config made local with
    :func:`job_config`, ``NBGRADER_DB_URL`` unset), or into the course gradebook at ``course_db``
    (the course config as it is, the URL passed on).
    """
    course.mkdir()
    if course_db is None:
        (course / "nbgrader_config.py").write_text(job_config(root, {}))
    else:
        shutil.copy2(root / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(
        root / "solutions" / assignment,
        course / "solutions" / assignment,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    spec: dict[str, Any] = {"kind": "generate", "course": str(course), "assignment": assignment, "student": ""}
    if course_db is None:
        spec.update(env={}, unset=["NBGRADER_DB_URL"])
    else:
        spec.update(env={"NBGRADER_DB_URL": course_db})
    reply = workers.run(spec, timeout=600)
    if reply is None or not reply["success"]:
        detail = "the worker died" if reply is None else (reply["log"] + reply["error"])[-3000:]
        where = "" if course_db is None else " (course gradebook)"
        raise NbgraderError(f"nbgrader generate_assignment {assignment}{where} failed:\n{detail}")


def store(gb: Any, assignment: str, result: Result) -> list[str]:
    """Replace the student's submission in the course gradebook; keep hand-entered scores."""
    from nbgrader.api import MissingEntry

    kept: list[str] = []
    manual: dict[tuple[str, str], tuple[Any, Any]] = {}
    manual_comments: dict[tuple[str, str], Any] = {}
    gb.update_or_create_student(result.student)
    try:
        old = gb.find_submission(assignment, result.student)
    except MissingEntry:
        old = None
    if old is not None:
        for nb in old.notebooks:
            for g in nb.grades:
                if g.manual_score is not None or g.extra_credit is not None:
                    manual[(nb.name, g.name)] = (g.manual_score, g.extra_credit)
            for c in nb.comments:
                if c.manual_comment:
                    manual_comments[(nb.name, c.name)] = c.manual_comment
        gb.remove_submission(assignment, result.student)
    kwargs = {"timestamp": result.timestamp} if result.timestamp else {}
    with warnings.catch_warnings():  # nbgrader 0.9.6 + SQLAlchemy 2.1 warn here (harmless, nbgrader does the same)
        warnings.simplefilter("ignore")
        try:
            sub = gb.add_submission(assignment, result.student, **kwargs)
        except ValueError as err:  # a timestamp nbgrader cannot read (dateutil's ParserError): grade without
            gb.db.rollback()
            result.findings.append(
                Finding("bad-timestamp", f"submission time {result.timestamp!r} not stored ({err})", "info")
            )
            result.timestamp = None
            sub = gb.add_submission(assignment, result.student)
    by_id = {(c.notebook, c.grade_id): c for c in result.cells}
    for nb in sub.notebooks:
        nb.late_submission_penalty = result.penalties.get(nb.name) or None
        for g in nb.grades:
            cell = by_id.get((nb.name, g.name))
            if cell is None:  # not autograded (unreadable, kernel died...): a person decides
                g.auto_score = 0.0 if g.cell.cell_type == "code" else None
                g.needs_manual_grade = True
            else:
                g.auto_score = cell.auto_score
                g.needs_manual_grade = cell.needs_manual
            if (nb.name, g.name) in manual:
                g.manual_score, g.extra_credit = manual[(nb.name, g.name)]
                g.needs_manual_grade = False
                kept.append(g.name)
                if cell is not None and g.manual_score is not None:
                    cell.manual_score = float(g.manual_score)
                    cell.needs_manual = False
        for c in nb.comments:
            c.auto_comment = result.comments.get((nb.name, c.name))
            if (nb.name, c.name) in manual_comments:
                c.manual_comment = manual_comments[(nb.name, c.name)]
    gb.db.commit()
    return kept
