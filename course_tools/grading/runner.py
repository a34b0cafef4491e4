"""Grade every submission of an assignment: parallel, isolated, fault-proof, idempotent.

:func:`grade_assignment` is what ``make grade A=...`` runs. Per submission
(``submitted/<student>/<assignment>/``), in a thread pool of ``jobs``
workers:

1. **Read and scan** the notebook (:mod:`course_tools.grading.tamper`): an
   unreadable file goes straight to manual grading with the reason; edits to
   locked cells, deleted/duplicated/reordered cells, changed metadata and
   patching code go to the tamper report.
2. **Autograde with real nbgrader** in a scratch course of its own holding
   only that notebook, a copy of the assignment's gradebook and the source,
   with a per-cell time limit, an output cap and, for the whole notebook, a
   wall-clock limit on nbgrader and a CPU limit on the kernel; the kernel is
   started through :mod:`course_tools.grading.sandbox` (memory cap, own uid,
   namespaces hiding other work, solutions and gradebooks).
3. **Re-check** every passed test cell in this (clean) process on the
   student's answers copied out as data (:mod:`course_tools.grading.verify`):
   points that only passed because of patching are withdrawn and the
   submission is sent to manual grading.

Then, in this process and in order: results go into the course gradebook
(the submission is replaced, so no stale automatic grade survives, but
scores a person entered by hand are kept), the autograded notebooks into
``autograded/``, nbgrader writes the feedback (hidden tests cleared, and
checked), and the exports go to ``grades/<assignment>/``. The submitted
files are only ever read.

The pieces live in their own modules: :mod:`~course_tools.grading.jobs` (one
submission), :mod:`~course_tools.grading.pool` (nbgrader workers),
:mod:`~course_tools.grading.gradebook`, :mod:`~course_tools.grading.feedback`,
:mod:`~course_tools.grading.report` (exports), :mod:`~course_tools.grading.locking`
(one grader per assignment at a time) and :mod:`~course_tools.grading.ownership`
(files handed back to the course's owner after a run as root).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import io
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from course_tools.grading import sandbox
from course_tools.grading.feedback import hidden_test_lines, keep_exchange_files, write_feedback
from course_tools.grading.gradebook import (
    assignment_cells,
    db_url,
    ensure_if_missing,
    ensure_in_gradebook,
    make_template,
    same_cells,
    store,
    template_key,
)
from course_tools.grading.jobs import Job, solution_support
from course_tools.grading.locking import LockBusy, assignment_lock
from course_tools.grading.ownership import hand_back, written_by_grader
from course_tools.grading.pool import Workers
from course_tools.grading.report import write_exports, write_stopped
from course_tools.grading.results import (
    STATUS_FLAGGED,
    STATUS_GRADED,
    STATUS_MANUAL,
    Batch,
    CellGrade,
    GradingStopped,
    Limits,
    Result,
)
from course_tools.grading.tamper import Finding
from course_tools.grading.uids import UidRange
from course_tools.grading.uids import allocate as allocate_uids
from course_tools.grading.verify import Verifier
from course_utils.paths import course_root

__all__ = [
    "grade_assignment",
    "Batch",
    "Result",
    "CellGrade",
    "Limits",
    "GradingStopped",
    "LockBusy",
    "STATUS_GRADED",
    "STATUS_FLAGGED",
    "STATUS_MANUAL",
    "hidden_test_lines",
]


def _not_enterable() -> list[str]:
    """Folders on the way to this Python that other users may not enter (mode without o+x)."""
    out = []
    for start in {Path(sys.executable), Path(sys.executable).resolve(), Path(sys.prefix)}:
        for folder in reversed(start.parents):
            try:
                if not os.stat(folder).st_mode & stat.S_IXOTH and str(folder) not in out:
                    out.append(str(folder))
            except OSError:
                pass
    return out


def _cannot_start(error: str, isolation: str) -> str:
    """The message when the probe kernel could not start in the sandbox: the error and what to do."""
    closed = _not_enterable()
    lines = [
        f"kernels cannot start in the sandbox ({isolation}), so every submission would end as "
        f'"the kernel died". The real error:',
        "",
        error.strip(),
        "",
    ]
    if closed and os.geteuid() == 0:
        lines += [
            f"The sandbox runs each kernel as an unprivileged user (uid 62000 and up), which must be able "
            f"to run {sys.executable}. These folders on the way have no search permission for other users: "
            + ", ".join(closed)
            + ".",
            "What to do: give other users search (enter-only) permission on them, e.g. "
            + " ".join(f"`chmod o+x {c}`" for c in closed)
            + " (the sandbox still hides solutions/, submitted/, the gradebook and grades from kernels), and "
            "make the Python and .venv readable (`chmod -R o+rX .venv`); or build .venv with a Python "
            "installed outside a private home folder (`make setup PYTHON=/usr/bin/python3.11`).",
        ]
    else:
        lines += [
            "What to do: check that this Python, the course package and ipykernel can be run and read by the "
            "sandbox user, or grade with --no-isolate (not recommended: student code then runs as you)."
        ]
    return "\n".join(lines)


@dataclass
class _Run:
    """One grading run as :func:`grade_assignment` sets it up before it takes the assignment's lock."""

    assignment: str
    root: Path
    found: list[str]  # the students with a submission folder (of ``students``, when given)
    students: list[str] | None  # the ``students`` asked for (None: everyone)
    jobs: int
    limits: Limits
    use_isolation: bool
    feedback: bool
    out_dir: Path
    progress: bool
    keep_scratch: bool
    echo: Callable[[str], None]
    isolation: str  # how kernels are isolated, in words (for the report)
    warnings: list[str]
    url: str  # the course gradebook
    start: float  # time.monotonic() when the run started


def grade_assignment(
    assignment: str,
    root: Path | None = None,
    *,
    students: list[str] | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    isolate: bool | None = None,
    feedback: bool = True,
    out_dir: Path | None = None,
    progress: bool = True,
    keep_scratch: bool = False,
    echo: Callable[[str], None] = print,
    lock_wait: float = 3600,
) -> Batch:
    """Grade every submission of ``assignment`` in ``root`` (the course folder).

    ``isolate=None`` sandboxes kernels when this machine allows it and warns
    when it does not; ``True`` refuses to grade without the sandbox. Waits up
    to ``lock_wait`` seconds for another grader of the same assignment
    (:class:`LockBusy` after that). Raises :class:`GradingStopped` (the error
    is in ``report.md`` too) when kernels cannot start or the model solution
    fails.
    """
    start = time.monotonic()
    root = (root or course_root()).resolve()
    limits = limits or Limits()
    jobs = max(1, jobs or os.cpu_count() or 1)
    source_dir = root / "solutions" / assignment
    if not source_dir.is_dir():
        raise FileNotFoundError(f"no assignment {assignment!r}: {source_dir} does not exist")
    warnings: list[str] = []
    use_isolation, isolation = _isolation(isolate, warnings, echo)
    found = _submissions(root, assignment, students, warnings)
    out_dir = out_dir or root / "grades" / assignment
    if not found:  # nothing to grade: touch nothing
        return Batch(assignment, [], time.monotonic() - start, jobs, isolation, out_dir, warnings)
    url = db_url(root)
    run = _Run(
        assignment,
        root,
        found,
        students,
        jobs,
        limits,
        use_isolation,
        feedback,
        out_dir,
        progress,
        keep_scratch,
        echo,
        isolation,
        warnings,
        url,
        start,
    )
    try:
        with assignment_lock(root, assignment, wait=lock_wait, echo=echo):
            return _grade_leaving_no_empty_gradebook(run)
    except GradingStopped as err:
        write_stopped(out_dir, assignment, isolation, str(err))
        raise
    finally:
        hand_back(root, written_by_grader(root, assignment, out_dir, url))


def _isolation(isolate: bool | None, warnings: list[str], echo: Callable[[str], None]) -> tuple[bool, str]:
    """Whether kernels are sandboxed (``isolate``, or what the machine allows) and how, in words."""
    can_isolate, why = sandbox.isolation_support()
    if isolate and not can_isolate:
        raise RuntimeError(f"--isolate was asked for, but kernels cannot be sandboxed here: {why}")
    use_isolation = can_isolate if isolate is None else isolate
    if not use_isolation:
        warnings.append(
            "kernels are NOT sandboxed ("
            + (why if not can_isolate else "turned off")
            + "): student code runs as this user and can read the course folder; "
            "memory, CPU and time limits still apply"
        )
        echo("WARNING: " + warnings[-1])
    isolation = why if use_isolation else "rlimits only (memory, CPU, file size); no namespaces"
    if use_isolation and sandbox.network_namespace_support():
        isolation += ", no network"
    return use_isolation, isolation


def _submissions(root: Path, assignment: str, students: list[str] | None, warnings: list[str]) -> list[str]:
    """The students with a submission folder for ``assignment`` (those of ``students``, when given)."""
    submitted = root / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) if submitted.is_dir() else []
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            warnings.append(f"no submission folder for: {', '.join(missing)}")
        found = [s for s in found if s in set(students)]
    return found


def _grade_leaving_no_empty_gradebook(run: _Run) -> Batch:
    """:func:`_grade_locked`; when the run fails, a gradebook file it created is removed again."""
    url = run.url
    db_file = Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None
    new_db = db_file is not None and not db_file.exists()
    try:
        return _grade_locked(run)
    except BaseException:
        if new_db and db_file is not None:  # a failed first run leaves no empty gradebook behind
            for stray in (db_file, db_file.with_name(db_file.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    stray.unlink()
        raise


def _grade_locked(run: _Run) -> Batch:
    """:func:`grade_assignment` once it holds the assignment's lock."""
    root, assignment = run.root, run.assignment
    source_nbs, verifiers = _read_sources(root / "solutions" / assignment)
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    os.chmod(scratch, 0o700)
    timings: dict[str, float] = {}
    workers: Workers | None = None
    uids = allocate_uids()  # sandbox uids of this run only: no process limit shared with another run
    try:
        # the workers import nbgrader (and warm the assignment's check references) meanwhile
        workers = Workers(scratch, min(run.jobs, max(1, len(run.found))), run.assignment)
        run.out_dir.mkdir(parents=True, exist_ok=True)
        (run.out_dir / ".gitignore").write_text("# grades are personal data: never commit them\n*\n")
        import nbgrader.api  # noqa: F401  (import once here: importing it in two threads at once fails)

        from course_tools.grading.speedups import patch_nbgrader

        patch_nbgrader()  # a new course gradebook is stamped in-process (no `alembic heads` subprocess)

        template = _set_up(run, scratch, workers, uids)
        timings["setup"] = time.monotonic() - run.start
        blank_cells = assignment_cells(template, assignment)
        given = _given_notebooks(root, assignment, template, source_nbs)
        todo = _submission_jobs(run, scratch, template, given, verifiers, workers, uids)
        results = _grade_all(run, todo, blank_cells)
        timings["grading"] = time.monotonic() - run.start - timings["setup"]
        batch = Batch(
            assignment,
            sorted(results, key=lambda r: r.student),
            0.0,
            min(run.jobs, max(1, len(run.found))),  # what ran in parallel, not what was asked
            run.isolation,
            run.out_dir,
            run.warnings,
            students=run.found,
            timings=timings,
            scratch=scratch if run.keep_scratch else None,
        )
        _feedback_and_exports(run, batch, source_nbs, given, workers)
        return batch
    finally:
        if workers is not None:
            workers.close()
        uids.release()
        if run.keep_scratch:
            run.echo(f"scratch folders kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def _read_sources(source_dir: Path) -> tuple[dict[str, nbformat.NotebookNode], dict[str, Verifier]]:
    """The assignment's source notebooks, and a re-checker for each with its setup cells already run."""
    source_nbs = {p.stem: nbformat.read(p, as_version=4) for p in sorted(source_dir.glob("*.ipynb"))}
    verifiers = {name: Verifier(nb) for name, nb in source_nbs.items()}
    for v in verifiers.values():
        with contextlib.redirect_stdout(io.StringIO()):
            v._namespace()  # run the setup cells once, before the threads start
    return source_nbs, verifiers


def _set_up(run: _Run, scratch: Path, workers: Workers, uids: UidRange) -> Path:
    """Probe that kernels start, make the template gradebook and register the assignment, at once.

    Returns the template course; raises :class:`GradingStopped` when the probe kernel cannot start.
    """
    root, assignment = run.root, run.assignment
    probe_job = Job(
        root, assignment, "probe", 9998, scratch, root, {}, {}, run.limits, run.use_isolation, workers, uids=uids
    )
    with cf.ThreadPoolExecutor(max_workers=3) as setup:  # on two workers at once when both are needed
        probe_future = setup.submit(probe_job.probe)
        tpl_future = setup.submit(make_template, root, assignment, scratch, workers, run.out_dir / ".template-cache")
        db_future = setup.submit(ensure_if_missing, root, assignment, scratch, run.url, workers)
        cannot_start = probe_future.result()
        if cannot_start:
            raise GradingStopped(_cannot_start(cannot_start, run.isolation))
        template, registered = tpl_future.result(), db_future.result()
    if not registered and not same_cells(run.url, template, assignment):  # the solutions changed since
        ensure_in_gradebook(root, assignment, scratch, run.url, workers)
    return template


def _given_notebooks(
    root: Path, assignment: str, template: Path, source_nbs: dict[str, nbformat.NotebookNode]
) -> dict[str, nbformat.NotebookNode]:
    """The notebooks students were given: the released ones in exercises/, else the template's."""
    released = root / "exercises" / assignment
    return {
        name: nbformat.read(
            released / f"{name}.ipynb"
            if (released / f"{name}.ipynb").is_file()
            else template / "exercises" / assignment / f"{name}.ipynb",
            as_version=4,
        )
        for name in source_nbs
    }


def _submission_jobs(
    run: _Run,
    scratch: Path,
    template: Path,
    given: dict[str, nbformat.NotebookNode],
    verifiers: dict[str, Verifier],
    workers: Workers,
    uids: UidRange,
) -> list[Job]:
    """One job per submission, all sharing what the model solution's run gives them (:func:`solution_support`)."""
    root, assignment = run.root, run.assignment
    # what the model solution's run and every submission's job share, in the order both take it
    shared = (scratch, template, given, verifiers, run.limits, run.use_isolation, workers)
    cache = run.out_dir / ".template-cache" / template_key(root, assignment)
    # the model solution runs beside the first submissions: each job waits for it only at its re-check
    model = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-solution")
    support = model.submit(solution_support, root, assignment, *shared, cache, uids)
    model.shutdown(wait=False)
    return [Job(root, assignment, s, i, *shared, support, uids=uids) for i, s in enumerate(run.found)]


def _grade_all(run: _Run, todo: list[Job], blank_cells: list[CellGrade]) -> list[Result]:
    """Run the jobs in ``run.jobs`` threads; store and file each result as it comes in."""
    from nbgrader.api import Gradebook
    from tqdm import tqdm

    results: list[Result] = []
    bar = tqdm(total=len(todo), desc=f"grading {run.assignment}", unit="submission", disable=not run.progress)
    support = todo[0].support if todo else None
    with cf.ThreadPoolExecutor(max_workers=run.jobs) as pool, Gradebook(run.url) as gb:
        futures = {pool.submit(job.run): job for job in todo}
        for fut in cf.as_completed(futures):
            try:
                result = fut.result()
                if isinstance(support, cf.Future):
                    support.result()  # a failed model solution stops the run before any grade is filed
            except GradingStopped:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            _file_result(run, gb, result, blank_cells)
            results.append(result)
            bar.set_postfix_str(f"{result.student}: {result.status}")
            bar.update()
    bar.close()
    return results


def _file_result(run: _Run, gb: Any, result: Result, blank_cells: list[CellGrade]) -> None:
    """One result into the course gradebook (hand scores kept), autograded/ and feedback/ (exchange files)."""
    root, assignment = run.root, run.assignment
    if not result.cells:  # not autograded: show the assignment's cells, ungraded
        result.cells = [CellGrade(c.grade_id, c.notebook, None, c.max_score, True, c.autograded) for c in blank_cells]
    kept = store(gb, assignment, result)
    if kept:
        result.findings.append(
            Finding("kept-manual-scores", ", ".join(kept) + " keep the score a grader entered", "info")
        )
    result.settle_by_hand()
    dest = root / "autograded" / result.student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    fb = root / "feedback" / result.student / assignment
    if fb.exists():
        shutil.rmtree(fb)
    shown = result.autograded_dir or result.unexecuted_dir  # unexecuted: formgrader shows it
    if shown is not None:
        shutil.copytree(shown, dest)
    keep_exchange_files(result.exchange_dir, dest)  # nbgrader release_feedback needs them
    keep_exchange_files(result.exchange_dir, fb)
    run.warnings += [f"{result.student}: {f.detail}" for f in result.findings if f.kind == "bad-timestamp"]


def _feedback_and_exports(
    run: _Run,
    batch: Batch,
    source_nbs: dict[str, nbformat.NotebookNode],
    given: dict[str, nbformat.NotebookNode],
    workers: Workers,
) -> None:
    """nbgrader's feedback (a failure becomes a warning: the grades are safe), then the exports."""
    timings = batch.timings
    if run.feedback and batch.results:
        t0 = time.monotonic()
        try:
            write_feedback(batch, run.root, source_nbs, workers, given, all_students=not run.students)
        except Exception as err:  # grades are safe in the gradebook; say what failed
            batch.warnings.append(f"feedback failed: {type(err).__name__}: {err}")
        timings["feedback"] = time.monotonic() - t0
    t0 = time.monotonic()
    batch.wall_seconds = time.monotonic() - run.start
    write_exports(batch, run.root, run.url, workers)
    timings["exports"] = time.monotonic() - t0
    batch.wall_seconds = time.monotonic() - run.start
