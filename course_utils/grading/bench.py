"""Benchmark: this grader against plain serial ``nbgrader autograde``.

:func:`run` builds a scratch course with ``n`` generated submissions of an
assignment (right, blank and half-right answers in turn, built from the
solution and exercise notebooks), grades them two ways and reports both wall
times, their ratio and whether every score is equal:

- ``grader``: ``grade_assignment`` (parallel, sandboxed, re-checked, with
  feedback and exports: everything ``make grade`` does);
- ``nbgrader``: ``nbgrader generate_assignment`` then ``nbgrader autograde``
  for the whole class in one process, serially (nothing else).

``python -m course_utils grade --bench 40`` prints it; ``make bench`` calls
:func:`run` through ``course_utils.bench``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from course_utils.nbgrader_tools import gradebook_scores, run_nbgrader, scratch_course


def _gid(cell: dict[str, Any]) -> str | None:
    return (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")


def make_submissions(root: Path, assignment: str, n: int) -> list[str]:
    """Write ``n`` submissions into ``root/submitted``: right, blank, half-right in turn."""
    course = scratch_course(root, with_exercises=True)
    names = sorted(p.name for p in (course / "exercises" / assignment).glob("*.ipynb"))
    students = []
    for i in range(n):
        student = f"student{i + 1:03d}"
        students.append(student)
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        for name in names:
            released = json.loads((course / "exercises" / assignment / name).read_text())
            solved = json.loads((course / "solutions" / assignment / name).read_text())
            answers = {_gid(c): c["source"] for c in solved["cells"] if (c.get("metadata", {}).get("nbgrader") or {}).get("solution")}
            nb = copy.deepcopy(released)
            kind = i % 3  # 0: right, 1: blank, 2: every other answer right
            k = 0
            for cell in nb["cells"]:
                gid = _gid(cell)
                if gid in answers:
                    if kind == 0 or (kind == 2 and k % 2 == 0):
                        cell["source"] = answers[gid]
                    k += 1
            (folder / name).write_text(json.dumps(nb, indent=1))
    return students


def run(n: int = 40, assignment: str = "00-welcome", jobs: int | None = None) -> dict[str, Any]:
    """Grade ``n`` generated submissions both ways; return the figures.

    Keys: ``n``, ``jobs``, ``grader_seconds``, ``nbgrader_seconds``,
    ``speedup`` (nbgrader / grader), ``per_submission_grader``,
    ``per_submission_nbgrader``, ``scores_equal``, ``mismatches``,
    ``isolation``, ``cores``.
    """
    from course_utils.grading.runner import grade_assignment

    saved = os.environ.pop("NBGRADER_DB_URL", None)  # both runs use their scratch SQLite gradebook
    try:
        with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
            ours, plain = Path(tmp) / "grader", Path(tmp) / "nbgrader"
            students = make_submissions(ours, assignment, n)
            shutil.copytree(ours, plain)

            start = time.monotonic()
            batch = grade_assignment(assignment, ours, jobs=jobs, progress=False)
            grader_seconds = time.monotonic() - start

            start = time.monotonic()
            run_nbgrader(["generate_assignment", assignment, "--force"], plain)
            run_nbgrader(["autograde", assignment], plain, check=False, timeout=6 * 3600)
            nbgrader_seconds = time.monotonic() - start

            theirs = {s: v.score for s, v in gradebook_scores(plain, assignment).items()}
            mine = batch.scores()
            mismatches = {s: (mine.get(s), theirs.get(s)) for s in students if mine.get(s) != theirs.get(s)}
    finally:
        if saved is not None:
            os.environ["NBGRADER_DB_URL"] = saved
    return {
        "n": n,
        "assignment": assignment,
        "jobs": batch.jobs,
        "cores": os.cpu_count(),
        "grader_seconds": round(grader_seconds, 1),
        "nbgrader_seconds": round(nbgrader_seconds, 1),
        "speedup": round(nbgrader_seconds / grader_seconds, 2),
        "per_submission_grader": round(grader_seconds / n, 2),
        "per_submission_nbgrader": round(nbgrader_seconds / n, 2),
        "scores_equal": not mismatches and len(mine) == n,
        "mismatches": mismatches,
        "isolation": batch.isolation,
        "grader_phases": {k: round(v, 1) for k, v in batch.timings.items()},
    }


def summary(figures: dict[str, Any]) -> str:
    """The figures as a few lines of Markdown."""
    f = figures
    return "\n".join([
        f"Grading {f['n']} generated submissions of {f['assignment']} ({f['cores']} cores):",
        f"- this grader ({f['jobs']} parallel jobs, sandboxed, re-checked, feedback and exports): "
        f"{f['grader_seconds']} s ({f['per_submission_grader']} s per submission; phases {f['grader_phases']})",
        f"- plain serial nbgrader autograde: {f['nbgrader_seconds']} s ({f['per_submission_nbgrader']} s per submission)",
        f"- ratio (nbgrader / grader): {f['speedup']}x; scores equal: {'yes' if f['scores_equal'] else 'NO ' + str(f['mismatches'])}",
        f"- isolation: {f['isolation']}",
    ])
