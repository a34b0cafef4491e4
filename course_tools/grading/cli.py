"""``python -m course_tools grade ASSIGNMENT`` (``make grade A=ASSIGNMENT``).

Grades every ``submitted/<student>/ASSIGNMENT/`` with real nbgrader, in
parallel and sandboxed, then writes feedback and exports; see INSTRUCTORS.md.
Exit codes: 0 graded (or nothing to grade), 2 stopped with the reason (also in
``grades/ASSIGNMENT/report.md``: kernels cannot start, the model solution
fails, bad options), 3 another grader kept the assignment's lock too long.

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_arguments(p)
>>> p.parse_args(["00-welcome", "--jobs", "2"]).jobs
2
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _positive_int(text: str) -> int:
    """A whole number of at least 1 (jobs, seconds, megabytes).

    >>> _positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number of at least 1, not '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="?", help="assignment name, e.g. 00-welcome")
    parser.add_argument("--student", action="append", default=None, help="grade only this student (repeat for more)")
    parser.add_argument(
        "--jobs", "-j", type=_positive_int, default=None, help="parallel submissions (default: one per core)"
    )
    parser.add_argument(
        "--cell-timeout", type=_positive_int, default=None, help="seconds per cell (default: nbgrader_config.py, 120)"
    )
    parser.add_argument(
        "--notebook-timeout", type=_positive_int, default=600, help="seconds per notebook (default: 600)"
    )
    parser.add_argument(
        "--memory-mb", type=_positive_int, default=2048, help="memory cap per kernel in MB (default: 2048)"
    )
    iso = parser.add_mutually_exclusive_group()
    iso.add_argument(
        "--isolate",
        dest="isolate",
        action="store_true",
        default=None,
        help="refuse to grade unless kernels can be sandboxed (as root: namespaces and a uid of "
        "their own; as an ordinary user: unprivileged user namespaces)",
    )
    iso.add_argument("--no-isolate", dest="isolate", action="store_false", help="do not sandbox kernels (limits only)")
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    parser.add_argument("--out", type=Path, default=None, help="export folder (default: grades/ASSIGNMENT)")
    parser.add_argument("--keep-scratch", action="store_true", help="keep the per-submission scratch folders")
    parser.add_argument(
        "--lock-wait",
        type=float,
        default=3600,
        metavar="S",
        help="seconds to wait while another grader grades the same assignment (default: 3600; "
        "then stop with exit code 3)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--bench",
        type=int,
        metavar="N",
        default=None,
        help="instead of grading: time this command against serial nbgrader autograde on N generated submissions",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=None,
        help="instead of grading: where one submission's time goes, over N generated submissions",
    )


def _cell_timeout_from_config() -> int:
    from traitlets.config.loader import PyFileConfigLoader

    from course_utils.paths import course_root

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_root())).load_config()
    try:
        return int(cfg.Execute.timeout)
    except (AttributeError, TypeError, KeyError):
        return 120


def _venv_on_path() -> None:
    """Put this Python's ``bin/`` first on PATH: nbgrader starts ``alembic`` by name (``.venv/bin/python -m ...``)."""
    bindir = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [bindir]:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def run(args: argparse.Namespace) -> int:
    _venv_on_path()
    if args.profile is not None:
        from course_tools.grading import bench

        print(bench.profile_summary(bench.profile(args.assignment or "00-welcome", n=args.profile, jobs=1)))
        return 0
    if args.bench is not None:
        from course_tools.grading import bench

        figures = bench.run(n=args.bench, assignment=args.assignment or "00-welcome")
        print(bench.summary(figures))
        return 0 if figures["scores_equal"] else 1
    if not args.assignment:
        print("Say which assignment to grade, e.g. `python -m course_tools grade 00-welcome`.")
        return 2
    from course_tools.grading.runner import STATUS_MANUAL, GradingStopped, Limits, LockBusy, grade_assignment
    from course_tools.nbgrader_tools import assignments

    if args.assignment not in assignments():
        print(f"No assignment {args.assignment!r} in solutions/. Choose from: {', '.join(assignments())}")
        return 2
    limits = Limits(
        cell_timeout=args.cell_timeout or _cell_timeout_from_config(),
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory_mb,
    )
    try:
        batch = grade_assignment(
            args.assignment,
            students=args.student,
            jobs=args.jobs,
            limits=limits,
            isolate=args.isolate,
            feedback=not args.no_feedback,
            out_dir=args.out,
            progress=not args.quiet,
            keep_scratch=args.keep_scratch,
            lock_wait=args.lock_wait,
        )
    except LockBusy as err:
        print(f"Cannot grade: {err}")
        return 3
    except GradingStopped as err:
        out = args.out or Path("grades") / args.assignment
        print(f"Grading stopped, nothing was graded: {err}\n(The same text is in {out / 'report.md'}.)")
        return 2
    except (RuntimeError, FileNotFoundError) as err:
        print(f"Cannot grade: {err}")
        return 2
    if not batch.results:
        where = (
            ", ".join(f"submitted/{s}/{args.assignment}/" for s in args.student)
            if args.student
            else f"submitted/*/{args.assignment}/"
        )
        print(
            f"No submissions found in {where} (collect them first: see INSTRUCTORS.md; "
            "the folder names are the student ids)."
        )
        return 0
    manual = [r for r in batch.results if r.status == STATUS_MANUAL]
    print(
        f"Graded {len(batch.results)} submission(s) of {args.assignment} in {batch.wall_seconds:.1f} s "
        f"({batch.jobs} parallel job(s); isolation: {batch.isolation})."
    )
    for r in batch.results:
        print(
            f"  {r.student:<24} {r.score:g}/{r.max_score:g}  {r.status}"
            + (f"  ({'; '.join(r.reasons)})" if r.reasons else "")
        )
    for w in batch.warnings:
        print(f"WARNING: {w}")
    print(f"Grades: {batch.out_dir / 'grades.csv'}; tamper report and summary: {batch.out_dir / 'report.md'}")
    if manual:
        print(f"{len(manual)} submission(s) need manual grading: open formgrader, or see INSTRUCTORS.md.")
    return 0
