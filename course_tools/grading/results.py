"""What a grading run produces: per-cell grades, per-student results, the batch.

>>> r = Result("alice", cells=[CellGrade("q1", "nb", 1.0, 1.0, False, True),
...                            CellGrade("q2", "nb", None, 3.0, True, False, manual_score=2.5)])
>>> r.score, r.max_score, r.written_points, r.hand_score
(1.0, 1.0, 0.0, 2.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_tools.grading.tamper import Finding

STATUS_GRADED = "graded"
STATUS_FLAGGED = "graded-flagged"
STATUS_MANUAL = "needs-manual-grading"


@dataclass
class Limits:
    """Time, memory and output limits for each submission."""

    cell_timeout: int = 120
    notebook_timeout: int = 600
    memory_mb: int = 2048
    output_bytes: int = 2_000_000


@dataclass
class CellGrade:
    grade_id: str
    notebook: str
    auto_score: float | None
    max_score: float
    needs_manual: bool
    autograded: bool  # False: a written answer graded by hand
    #: the score a person entered (formgrader), kept across re-runs; None: none entered
    manual_score: float | None = None


@dataclass
class Result:
    """Outcome for one student."""

    student: str
    status: str = STATUS_GRADED
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cells: list[CellGrade] = field(default_factory=list)
    seconds: float = 0.0
    timestamp: str | None = None
    autograded_dir: Path | None = None
    #: the submission's ``timestamp.txt`` (a readable one) and ``submission_secret.txt``, for the exchange
    exchange_dir: Path | None = None
    comments: dict[tuple[str, str], str | None] = field(default_factory=dict)
    penalties: dict[str, float] = field(default_factory=dict)
    log_tail: str = ""
    #: the full error text behind a manual-grading reason (kernel stderr, nbgrader's log), for report.md
    detail: str = ""
    snapshots: dict[str, Any] = field(default_factory=dict)
    #: not autograded (the kernel died...): the submitted notebooks, unexecuted, for formgrader's autograded/
    unexecuted_dir: Path | None = None
    #: the job's scratch folder and the files in it worth reading (kept with --keep-scratch)
    job_dir: Path | None = None
    kept: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(c.auto_score or 0.0 for c in self.cells if c.autograded)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells if c.autograded)

    @property
    def written_points(self) -> float:
        """Points of written answers still waiting for a person (no hand score yet)."""
        return sum((c.max_score for c in self.cells if not c.autograded and c.manual_score is None), 0.0)

    @property
    def hand_score(self) -> float:
        """Sum of the scores a person entered (written answers, manual cases)."""
        return sum(c.manual_score for c in self.cells if c.manual_score is not None)

    @property
    def total_score(self) -> float:
        """What nbgrader counts: a hand score where one was entered, else the automatic score."""
        return sum(c.manual_score if c.manual_score is not None else (c.auto_score or 0.0) for c in self.cells)

    def manual(self, reason: str) -> None:
        self.status = STATUS_MANUAL
        self.reasons.append(reason)

    def settle_by_hand(self) -> bool:
        """A manual case whose every cell carries a score a person entered is graded: by that person.

        >>> r = Result("bob", cells=[CellGrade("q1", "nb", None, 1.0, True, True, manual_score=1.0)])
        >>> r.manual("the kernel died"); r.settle_by_hand(), r.status, r.reasons
        (True, 'graded', [])
        """
        if self.status != STATUS_MANUAL or not self.cells or any(c.manual_score is None for c in self.cells):
            return False
        self.findings.append(
            Finding("graded-by-hand", "every cell has a hand score (was: " + "; ".join(self.reasons) + ")", "info")
        )
        self.status, self.reasons = STATUS_GRADED, []
        return True


@dataclass
class Batch:
    """Everything one grading run did."""

    assignment: str
    results: list[Result]
    wall_seconds: float
    jobs: int
    isolation: str
    out_dir: Path
    warnings: list[str] = field(default_factory=list)
    #: the students whose submissions this run graded (all, or those of ``--student``)
    students: list[str] = field(default_factory=list)
    #: seconds per phase (setup, grading, feedback, exports)
    timings: dict[str, float] = field(default_factory=dict)
    #: the run's scratch folder when it is kept (--keep-scratch), else None
    scratch: Path | None = None

    def scores(self) -> dict[str, float]:
        return {r.student: r.score for r in self.results}


class GradingStopped(RuntimeError):
    """The run stopped before grading anyone; the message says why and what to do (also in report.md)."""
