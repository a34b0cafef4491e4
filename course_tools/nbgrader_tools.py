"""Run real nbgrader on a copy of the course, and read scores from its gradebook.

Used by ``make exercises``, by the tests and by the class grader. Every run
happens in a scratch copy, so the instructor's gradebook and student folders
are never touched by a test or a regeneration.

>>> sorted(assignments())[:1]
['00-welcome']
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course_utils.paths import course_root

#: What a scratch course copy needs from the real one.
COURSE_FILES = ("nbgrader_config.py",)


class NbgraderError(RuntimeError):
    """nbgrader failed; the message holds the command and the end of its log."""


def assignments(root: Path | None = None) -> list[str]:
    """Names of the assignments in ``solutions/`` (folders with a notebook)."""
    source = (root or course_root()) / "solutions"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses.

    nbgrader starts ``alembic`` by name when it creates a gradebook, so this
    Python's ``bin/`` folder must come first on ``PATH``.
    """
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_nbgrader(
    args: list[str], root: Path, *, check: bool = True, timeout: float | None = 900
) -> subprocess.CompletedProcess[str]:
    """Run ``nbgrader <args>`` with ``root`` as the course directory."""
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    proc = subprocess.run(cmd, cwd=root, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed with exit code {proc.returncode} in {root}:\n{tail}")
    return proc


def scratch_course(dest: Path, *, with_exercises: bool = False) -> Path:
    """Copy what nbgrader needs (config and solutions) into ``dest``; return it."""
    root = course_root()
    dest.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        shutil.copy2(root / name, dest / name)
    shutil.copytree(
        root / "solutions", dest / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    if with_exercises:
        shutil.copytree(root / "exercises", dest / "exercises", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


@dataclass(frozen=True)
class Score:
    """Autograded score of one student's submission of one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    needs_manual_grade: bool


def gradebook_scores(root: Path, assignment: str) -> dict[str, Score]:
    """Read autograded scores (code tests only) from ``root``'s gradebook."""
    from nbgrader.api import Gradebook

    url = "sqlite:///" + str(root / "gradebook.db")
    out: dict[str, Score] = {}
    with Gradebook(url) as gb:
        for sub in gb.assignment_submissions(assignment):
            code = [g for nb in sub.notebooks for g in nb.grades if g.cell.cell_type == "code"]
            score = sum(g.score for g in code)
            max_score = sum(g.max_score for g in code)
            out[sub.student_id] = Score(
                sub.student_id, assignment, float(score), float(max_score), bool(sub.needs_manual_grade)
            )
    return out
