"""Benchmark: this grader against plain serial ``nbgrader autograde``.

:func:`run` builds a scratch course with ``n`` generated submissions of an
assignment (right, blank and half-right answers in turn, built from the
solution and exercise notebooks), grades them two ways and reports both wall
times, their ratio and whether every score is equal:

- ``grader``: ``grade_assignment`` (parallel, sandboxed, re-checked, with
  feedback and exports: everything ``make grade`` does);
- ``nbgrader``: ``nbgrader generate_assignment`` then ``nbgrader autograde``
  for the whole class in one process, serially (nothing else).

``python -m course_tools grade --bench 40`` prints it; ``make bench`` calls
:func:`run` through ``course_tools.bench``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_tools.nbgrader_tools import gradebook_scores, run_nbgrader, scratch_course

if TYPE_CHECKING:
    from course_tools.grading.results import Batch


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
            answers = {
                _gid(c): c["source"]
                for c in solved["cells"]
                if (c.get("metadata", {}).get("nbgrader") or {}).get("solution")
            }
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


def run(
    n: int = 40, assignment: str = "00-welcome", jobs: int | None = None, interleaved: bool = False
) -> dict[str, Any]:
    """Grade ``n`` generated submissions both ways; return the figures.

    ``interleaved``: grade them with this grader again after nbgrader (grader,
    nbgrader, grader) and compare nbgrader with the mean of the two grader
    runs, so that both sides ran under the same (drifting) load of a shared
    machine. ``load`` holds the 1-minute load average before, between and
    after the runs.

    Keys: ``n``, ``jobs``, ``grader_seconds``, ``nbgrader_seconds``,
    ``speedup`` (nbgrader / grader), ``per_submission_grader``,
    ``per_submission_nbgrader``, ``scores_equal``, ``mismatches``,
    ``isolation``, ``cores``.
    """
    from course_tools.grading.runner import grade_assignment

    saved = os.environ.pop("NBGRADER_DB_URL", None)  # both runs use their scratch SQLite gradebook
    try:
        with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
            ours, plain = Path(tmp) / "grader", Path(tmp) / "nbgrader"
            students = make_submissions(ours, assignment, n)
            shutil.copytree(ours, plain)

            again = Path(tmp) / "grader-again"
            if interleaved:
                shutil.copytree(ours, again)
            loads = [_load()]
            start = time.monotonic()
            batch = grade_assignment(assignment, ours, jobs=jobs, progress=False)
            grader_seconds = time.monotonic() - start
            loads.append(_load())

            start = time.monotonic()
            run_nbgrader(["generate_assignment", assignment, "--force"], plain)
            run_nbgrader(["autograde", assignment], plain, check=False, timeout=6 * 3600)
            nbgrader_seconds = time.monotonic() - start
            loads.append(_load())
            grader_runs = [grader_seconds]
            if interleaved:  # grader, nbgrader, grader: a load that drifts weighs on both sides alike
                start = time.monotonic()
                grade_assignment(assignment, again, jobs=jobs, progress=False)
                grader_runs.append(time.monotonic() - start)
                loads.append(_load())
                grader_seconds = sum(grader_runs) / len(grader_runs)

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
        "grader_runs": [round(t, 1) for t in grader_runs],
        "interleaved": interleaved,
        "load": " -> ".join(loads),
    }


def summary(figures: dict[str, Any]) -> str:
    """The figures as a few lines of Markdown."""
    f = figures
    return "\n".join(
        [
            f"Grading {f['n']} generated submissions of {f['assignment']} ({f['cores']} cores):",
            f"- this grader ({f['jobs']} parallel jobs, sandboxed, re-checked, feedback and exports): "
            f"{f['grader_seconds']} s ({f['per_submission_grader']} s per submission; phases {f['grader_phases']})",
            f"- plain serial nbgrader autograde: {f['nbgrader_seconds']} s ({f['per_submission_nbgrader']} s per "
            "submission)",
            f"- ratio (nbgrader / grader): {f['speedup']}x; scores equal: "
            f"{'yes' if f['scores_equal'] else 'NO ' + str(f['mismatches'])}",
            f"- isolation: {f['isolation']}",
            f"- load average (1 min) before, between and after the runs: {f['load']}"
            + (f"; grader runs {f['grader_runs']} s (grader, nbgrader, grader: mean used)" if f["interleaved"] else ""),
        ]
    )


#: What ``make bench`` grades: each assignment with its number of generated submissions.
CLASSES = (("00-welcome", 40), ("01-wrangling", 20))


def run_both(
    classes: tuple[tuple[str, int], ...] = CLASSES, jobs: int | None = None, interleaved: bool = True
) -> list[dict[str, Any]]:
    """:func:`run` for each assignment, one after the other in this run."""
    return [run(n=n, assignment=a, jobs=jobs, interleaved=interleaved) for a, n in classes]


def table(results: list[dict[str, Any]]) -> str:
    """Both assignments side by side (Markdown), with the load next to every figure."""
    rows = [
        "| assignment | submissions | this grader | plain serial nbgrader | ratio | scores equal | load (1 min) |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in results:
        runs = " and ".join(f"{t}" for t in f["grader_runs"])
        rows.append(
            f"| {f['assignment']} | {f['n']} | {f['grader_seconds']} s ({runs} s; {f['jobs']} jobs) "
            f"| {f['nbgrader_seconds']} s | **{f['speedup']}x** | {'yes' if f['scores_equal'] else 'NO'} "
            f"| {f['load']} |"
        )
    return "\n".join(rows)


def _load() -> str:
    """The 1-minute load average, for every figure measured on a shared machine."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def _sandbox_startup(runs: int = 5) -> dict[str, float]:
    """Seconds to start ``python -c pass`` plainly and through the sandbox launcher (median of ``runs``)."""
    import statistics
    import subprocess
    import sys

    from course_tools.grading import sandbox

    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            t0 = time.monotonic()
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode:
                raise RuntimeError(f"{cmd} failed: {out.stderr[-2000:]}")
            times.append(time.monotonic() - t0)
        return statistics.median(times)

    with tempfile.TemporaryDirectory(prefix="course-bench-sandbox-") as tmp:
        home = str(Path.home().resolve())
        cfg = sandbox.SandboxConfig(
            isolate=sandbox.isolation_support()[0],
            workdir=tmp,
            hide=[home] if home != "/" else [],
            readonly=[sys.prefix],
            rebind=[sys.prefix, sys.base_prefix],
            network=not sandbox.network_namespace_support(),
        )
        path = cfg.save(Path(tmp) / "sandbox.json")
        plain = median([sys.executable, "-c", "pass"])
        boxed = median(
            [sys.executable, "-m", "course_tools.grading.sandbox", str(path), "--", sys.executable, "-c", "pass"]
        )
    return {"python": plain, "sandboxed python": boxed, "sandbox set-up": max(0.0, boxed - plain)}


def profile(assignment: str = "00-welcome", n: int = 6, jobs: int = 1, zygote: bool = True) -> dict[str, Any]:
    """Where one submission's time goes: grade ``n`` generated submissions with timers on.

    Returns seconds per submission for each part (means over the submissions):
    kernel start (sandbox and kernel, ready to run), cells by kind (imports,
    answers, tests, other), answer snapshots, kernel shutdown, nbgrader's own
    work (conversion, gradebook: autograde minus the above), the job's work in
    the grader (reading, scan, scratch course, re-check), and per submission
    shares of set-up, feedback and exports; plus the load average.
    """
    load_before = _load()
    startup = _sandbox_startup()
    batch, records, recheck = _graded_with_timers(assignment, n, jobs, zygote)
    per = _per_submission(batch, records, recheck, n)
    return {
        "assignment": assignment,
        "n": n,
        "jobs": jobs,
        "zygote": zygote,
        "per_submission": per,
        "sandbox": {k2: round(v, 3) for k2, v in startup.items()},
        "load": f"{load_before} before, {_load()} after",
        "wall_seconds": round(batch.wall_seconds, 1),
    }


def _graded_with_timers(
    assignment: str, n: int, jobs: int, zygote: bool
) -> tuple[Batch, list[dict[str, Any]], list[float]]:
    """Grade ``n`` generated submissions with the workers' profile log on and the re-check timed.

    Returns the batch, the profile log's records (one per job) and the re-check times; the
    environment and ``Job._recheck`` are restored afterwards.
    """
    from course_tools.grading import jobs as jobs_mod
    from course_tools.grading.runner import grade_assignment
    from course_tools.grading.worker import PROFILE_ENV

    saved = {k: os.environ.get(k) for k in ("NBGRADER_DB_URL", PROFILE_ENV, "COURSE_GRADING_NO_ZYGOTE")}
    os.environ.pop("NBGRADER_DB_URL", None)
    recheck: list[float] = []
    original = jobs_mod.Job._recheck

    def timed_recheck(self: Any, result: Any) -> None:
        t0 = time.monotonic()
        try:
            original(self, result)
        finally:
            recheck.append(time.monotonic() - t0)

    try:
        with tempfile.TemporaryDirectory(prefix="course-profile-") as tmp:
            log = Path(tmp) / "profile.jsonl"
            os.environ[PROFILE_ENV] = str(log)
            if zygote:
                os.environ.pop("COURSE_GRADING_NO_ZYGOTE", None)
            else:
                os.environ["COURSE_GRADING_NO_ZYGOTE"] = "1"
            make_submissions(Path(tmp) / "course", assignment, n)
            jobs_mod.Job._recheck = timed_recheck  # type: ignore[method-assign]
            batch = grade_assignment(assignment, Path(tmp) / "course", jobs=jobs, progress=False)
            records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    finally:
        jobs_mod.Job._recheck = original  # type: ignore[method-assign]
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return batch, records, recheck


def _per_submission(batch: Batch, records: list[dict[str, Any]], recheck: list[float], n: int) -> dict[str, float]:
    """Seconds per submission for each part, from the profile log and the batch's phase timings."""
    students = [r for r in records if r["student"] not in ("model-solution",)]
    parts: dict[str, float] = {}
    for rec in students:
        ev = rec["events"]
        add = lambda key, sec: parts.__setitem__(key, parts.get(key, 0.0) + sec)  # noqa: E731
        start = sum(e["seconds"] for e in ev if e["what"] in ("kernel-start", "kernel-client"))
        add("kernel start (sandbox + Python + ipykernel, to ready)", start)
        for kind in ("imports", "answer", "test", "other"):
            add(f"cells: {kind}", sum(e["seconds"] for e in ev if e["what"] == "cell" and e.get("kind") == kind))
        snaps = sum(e["seconds"] for e in ev if e["what"] == "snapshot")
        add("answer snapshots", snaps)
        add("kernel shutdown", sum(e["seconds"] for e in ev if e["what"] == "kernel-shutdown"))
        total = sum(e["seconds"] for e in ev if e["what"] == "autograde-total")
        inside = sum(
            e["seconds"] for e in ev if e["what"] in ("kernel-start", "kernel-client", "cell", "kernel-shutdown")
        )
        add("nbgrader's own work (conversion, gradebook, preprocessors)", total - inside)
        add("autograde in the worker (sum of the above)", total)
    k = max(1, len(students))
    per = {key: round(v / k, 3) for key, v in parts.items()}
    graded = [r for r in batch.results if r.student.startswith("student")]
    per["clean re-check (in the grader)"] = (
        round(sum(recheck[-len(graded) :]) / max(1, len(graded)), 3) if recheck else 0.0
    )
    job_seconds = sum(r.seconds for r in graded) / max(1, len(graded))
    per["job in the grader, whole (read, scan, scratch course, autograde, re-check)"] = round(job_seconds, 3)
    per["grader's job work besides autograde"] = round(
        job_seconds - per["autograde in the worker (sum of the above)"], 3
    )
    for phase in ("setup", "feedback", "exports"):
        per[f"{phase}, per submission (paid once per run)"] = round(batch.timings.get(phase, 0.0) / n, 3)
    return per


def profile_summary(figures: dict[str, Any]) -> str:
    """:func:`profile`'s figures as a Markdown table (seconds per submission)."""
    f = figures
    rows = [
        f"Where one submission of {f['assignment']} goes ({f['n']} generated submissions, {f['jobs']} job, "
        f"kernels {'forked from the pre-imported zygote' if f['zygote'] else 'started as new Pythons'}; "
        f"load {f['load']}):",
        "",
        "| part | seconds per submission |",
        "|---|---|",
    ]
    rows += [f"| {k} | {v:.2f} |" for k, v in f["per_submission"].items()]
    rows += [
        "| sandbox set-up alone (`python -c pass` through the launcher, minus plain) | "
        f"{f['sandbox']['sandbox set-up']:.2f} |"
    ]
    return "\n".join(rows)
