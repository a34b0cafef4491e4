"""The exports of a grading run: ``grades.csv``, ``tamper-report.csv``, ``report.md``, nbgrader's CSV.

``grades.csv`` has one row per student: the automatic score, the points of
written answers still to grade by hand, the hand scores already entered
(``hand_score``), the total nbgrader counts, every cell's score (a hand score
where a person entered one), and why a submission needs a person. A run for
some students (``--student``) keeps the other students' rows.

``report.md`` says what ran and how (isolation), every warning, and the full
error text behind each manual-grading reason. When a run stops (the model
solution fails, the sandbox cannot start Python), :func:`write_stopped`
writes the report with the error instead.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from course_tools.grading.gradebook import course_env
from course_tools.grading.results import STATUS_FLAGGED, STATUS_GRADED, STATUS_MANUAL, Batch

if TYPE_CHECKING:
    from course_tools.grading.pool import Workers

GITIGNORE = "# grades are personal data: never commit them\n*\n"
FENCE = "`" * 3


def _block(text: str) -> list[str]:
    """``text`` as a fenced block of report.md (a fence inside it cannot end the block)."""
    return [FENCE, text.strip().replace(FENCE, "' ' '"), FENCE]


def _earlier_rows(path: Path, header: list[str]) -> list[list[str]]:
    """Rows of an earlier export with the same columns (other columns: the assignment changed; dropped)."""
    if not path.is_file():
        return []
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[1:] if rows and rows[0] == header else []


def write_exports(batch: Batch, root: Path, url: str, workers: Workers) -> None:
    """Write every export of ``batch`` into ``batch.out_dir``."""
    out = batch.out_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / ".gitignore").write_text(GITIGNORE)
    graded_now = {r.student for r in batch.results}
    _write_grades(batch, out, graded_now)
    _write_tamper_report(batch, out, graded_now)
    (out / "report.md").write_text("\n".join(_report_lines(batch)) + "\n")
    _nbgrader_export(batch, root, out, workers)
    if url.startswith("sqlite:///"):
        _copy_gradebook(url, out)


def _write_grades(batch: Batch, out: Path, graded_now: set[str]) -> None:
    """``grades.csv``: one row per student, every cell's score; students not ``graded_now`` keep their row."""
    grade_ids: list[str] = []
    for r in batch.results:
        for c in r.cells:
            if c.grade_id not in grade_ids:
                grade_ids.append(c.grade_id)
    header = [
        "student",
        "status",
        "auto_score",
        "auto_max",
        "written_points_to_grade",
        "hand_score",
        "total_score",
        *grade_ids,
        "needs_manual_grading_because",
        "flags",
    ]
    rows = {row[0]: row for row in _earlier_rows(out / "grades.csv", header) if row[0] not in graded_now}
    for r in batch.results:
        cells = {c.grade_id: c for c in r.cells}
        per = []
        for gid in grade_ids:
            found = cells.get(gid)
            if found is None:
                per.append("")
            elif found.manual_score is not None:
                per.append(f"{found.manual_score:g}")
            else:
                per.append("manual" if not found.autograded else f"{found.auto_score or 0:g}")
        rows[r.student] = [
            r.student,
            r.status,
            f"{r.score:g}",
            f"{r.max_score:g}",
            f"{r.written_points:g}",
            f"{r.hand_score:g}",
            f"{r.total_score:g}",
            *per,
            " | ".join(r.reasons),
            " | ".join(str(f) for f in r.findings if f.severity == "tamper"),
        ]
    with open(out / "grades.csv", "w", newline="") as fh:  # students graded earlier (--student runs) are kept
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows[s] for s in sorted(rows))


def _write_tamper_report(batch: Batch, out: Path, graded_now: set[str]) -> None:
    """``tamper-report.csv``: every finding, by student; students not ``graded_now`` keep theirs."""
    tamper_header = ["student", "kind", "severity", "detail"]
    kept = [row for row in _earlier_rows(out / "tamper-report.csv", tamper_header) if row[0] not in graded_now]
    new_rows: list[list[str]] = [[r.student, f.kind, f.severity, f.detail] for r in batch.results for f in r.findings]
    by_student = sorted(kept + new_rows, key=lambda row: row[0])
    with open(out / "tamper-report.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(tamper_header)
        w.writerows(by_student)


def _report_lines(batch: Batch) -> list[str]:
    """``report.md``: what ran and how, warnings, why each manual submission is manual (with the errors)."""
    lines = [
        f"# Grading report: {batch.assignment}",
        "",
        f"- submissions: {len(batch.results)}; graded: {sum(r.status == STATUS_GRADED for r in batch.results)}; "
        f"graded but flagged: {sum(r.status == STATUS_FLAGGED for r in batch.results)}; "
        f"needs manual grading: {sum(r.status == STATUS_MANUAL for r in batch.results)}",
        f"- wall time: {batch.wall_seconds:.1f} s with {batch.jobs} parallel job(s) "
        f"({batch.wall_seconds / max(1, len(batch.results)):.1f} s per submission)",
        f"- isolation: {batch.isolation}",
    ]
    if batch.scratch is not None:  # --keep-scratch: where to look, on a line of its own
        lines.append(f"- scratch folder (kept, delete it when done): {batch.scratch}")
    lines.append("")
    lines += [f"- warning: {w}" for w in batch.warnings]
    manual = [r for r in batch.results if r.status == STATUS_MANUAL]
    if manual:
        lines += ["", "## Needs manual grading", ""]
        for r in manual:
            lines.append(f"- **{r.student}**: " + "; ".join(r.reasons))
            if batch.scratch is not None and r.kept:
                lines += [f"  - kept: {path}" for path in r.kept]
    detailed = [r for r in manual if r.detail.strip()]
    if detailed:
        lines += ["", "## Error details", ""]
        for r in detailed:
            lines += [f"### {r.student}", "", *_block(r.detail), ""]
    by_hand = [r.student for r in batch.results if any(f.kind == "no-exchange-secret" for f in r.findings)]
    if by_hand:
        lines += [
            "",
            "## Feedback to hand over yourself",
            "",
            "Placed in submitted/ by hand (no submission_secret.txt from the exchange): `make feedback` "
            "skips them; give each student their page in feedback/<student>/" + batch.assignment + "/.",
            "",
        ]
        lines += [f"- {s}" for s in by_hand]
    flagged = [r for r in batch.results if any(f.severity == "tamper" for f in r.findings)]
    if flagged:
        lines += ["", "## Tamper report", ""]
        for r in flagged:
            lines += [f"- **{r.student}**: " + "; ".join(str(f) for f in r.findings if f.severity == "tamper")]
    return lines


def _nbgrader_export(batch: Batch, root: Path, out: Path, workers: Workers) -> None:
    """nbgrader's own ``nbgrader-grades.csv`` (a failure becomes a warning of the batch)."""
    spec = {
        "kind": "export",
        "course": str(root),
        "assignment": batch.assignment,
        "student": "",
        "to": str(out / "nbgrader-grades.csv"),
        "env": course_env(),
    }
    reply = workers.run(spec, timeout=600)
    if reply is None or not reply["success"]:
        batch.warnings.append("nbgrader export failed: " + ("" if reply is None else reply["error"][-300:]))


def _copy_gradebook(url: str, out: Path) -> None:
    """A consistent copy of the SQLite course gradebook at ``url`` as ``gradebook.db`` in ``out``."""
    src = sqlite3.connect(url[len("sqlite:///") :])
    dst = sqlite3.connect(out / "gradebook.db")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def write_stopped(out_dir: Path, assignment: str, isolation: str, error: str) -> Path:
    """A ``report.md`` for a run that stopped before grading anyone; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / ".gitignore").write_text(GITIGNORE)
    lines = [
        f"# Grading report: {assignment}",
        "",
        "- **stopped: nothing was graded**",
        f"- isolation: {isolation}",
        "",
        "## Error",
        "",
        *_block(error),
        "",
    ]
    (out_dir / "report.md").write_text("\n".join(lines))
    return out_dir / "report.md"
