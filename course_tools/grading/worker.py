"""A long-lived nbgrader process that autogrades one scratch course after another.

Importing nbgrader costs about 3 s of CPU, more than running a small
notebook. The grader therefore keeps one of these workers per parallel job
and sends it jobs, one JSON object per line on stdin; it answers one JSON
object per line on the file descriptor it was given as ``--reply-fd``
(everything else it prints goes to stderr). Each job is graded with
nbgrader's own Python API, ``NbGraderAPI.autograde`` (what formgrader calls),
in the job's own scratch course and environment, so scores are exactly
those of ``nbgrader autograde``. The worker never runs student code: kernels
are separate, sandboxed processes, forked from the run's pre-imported
template process (:mod:`course_tools.grading.zygote`, one for all workers, started by the pool and
named in ``COURSE_GRADING_ZYGOTE``) once it is up. If a worker dies or hangs, the grader
kills it, sends that submission to manual grading and starts a new worker.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any

#: Set (to a file) in the grader's environment: each job appends where its time went (``bench.profile``).
PROFILE_ENV = "COURSE_GRADING_PROFILE"


def _profile_hooks(path: str) -> None:
    """Time kernel start, each cell, each snapshot and the kernel's shutdown; append them to ``path``.

    For measuring only (``course_tools.grading.bench.profile``): the methods are wrapped, not changed.
    """
    import time

    from course_tools.grading.execute import GradingExecute

    if getattr(GradingExecute, "_profiled", False):
        return
    GradingExecute._profiled = True
    events: list[dict[str, Any]] = []

    def timed(name: str, fn: Any, is_async: bool = False) -> Any:
        if is_async:

            async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                t0 = time.monotonic()
                try:
                    return await fn(self, *args, **kwargs)
                finally:
                    events.append({"what": name, "seconds": time.monotonic() - t0})

            return wrapper

        def sync_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            t0 = time.monotonic()
            try:
                return fn(self, *args, **kwargs)
            finally:
                extra = {}
                if name == "cell" and args:
                    meta = args[0].get("metadata", {}).get("nbgrader", {})
                    src = args[0].get("source", "")
                    extra = {
                        "kind": "test"
                        if meta.get("grade") and not meta.get("solution")
                        else "imports"
                        if "import " in src
                        else "answer"
                        if meta.get("solution")
                        else "other"
                    }
                events.append({"what": name, "seconds": time.monotonic() - t0, **extra})

        return sync_wrapper

    GradingExecute.execute_cell = timed("cell", GradingExecute.execute_cell)
    GradingExecute.start_new_kernel = timed("kernel-start", GradingExecute.start_new_kernel)
    GradingExecute.start_new_kernel_client = timed("kernel-client", GradingExecute.start_new_kernel_client)
    GradingExecute._cleanup_kernel = timed("kernel-shutdown", GradingExecute._cleanup_kernel)
    GradingExecute._snapshot = timed("snapshot", GradingExecute._snapshot, is_async=True)  # type: ignore[method-assign]
    original = GradingExecute.preprocess

    def preprocess(self: Any, nb: Any, resources: Any, km: Any = None) -> Any:
        t0 = time.monotonic()
        try:
            return original(self, nb, resources, km=km)
        finally:
            events.append({"what": "execute-total", "seconds": time.monotonic() - t0})

    GradingExecute.preprocess = preprocess  # type: ignore[method-assign]  # measuring only: wrapped, not changed
    GradingExecute._profile_events = events


def _grade(job: dict[str, Any]) -> dict[str, Any]:
    import time

    if os.environ.get(PROFILE_ENV) and job.get("kind", "autograde") == "autograde":
        _profile_hooks(os.environ[PROFILE_ENV])
        from course_tools.grading.execute import GradingExecute

        GradingExecute._profile_events.clear()
        t0 = time.monotonic()
        out = _grade_now(job)
        events = [*GradingExecute._profile_events, {"what": "autograde-total", "seconds": time.monotonic() - t0}]
        with open(os.environ[PROFILE_ENV], "a") as fh:
            fh.write(json.dumps({"student": job.get("student"), "events": events}) + "\n")
        return out
    return _grade_now(job)


def _grade_now(job: dict[str, Any]) -> dict[str, Any]:
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    for key in job.get("unset", []):
        os.environ.pop(key, None)
    os.environ.update(job.get("env", {}))
    os.chdir(job["course"])
    cfg = PyFileConfigLoader("nbgrader_config.py", path=job["course"]).load_config()
    cfg.CourseDirectory.root = job["course"]
    kind = job.get("kind", "autograde")
    if kind == "export":
        from nbgrader.api import Gradebook
        from nbgrader.plugins.export import CsvExportPlugin

        plugin = CsvExportPlugin(config=cfg)
        plugin.to = job["to"]
        with Gradebook(cfg.CourseDirectory.db_url) as gb:
            plugin.export(gb)
        return {"success": True, "log": "", "error": ""}
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    if kind == "generate":
        res = api.generate_assignment(job["assignment"], force=True, create=True)
    elif kind == "feedback" and job.get("students"):  # only these students' pages are rewritten
        res = _feedback_for(api, job["course"], job["assignment"], job["students"])
    elif kind == "feedback":
        res = api.generate_feedback(job["assignment"], force=True)
    else:
        res = api.autograde(job["assignment"], job["student"], force=True, create=True)
    return {"success": bool(res.get("success")), "log": res.get("log", "") or "", "error": res.get("error", "") or ""}


def _feedback_for(api: Any, course: str, assignment: str, students: list[str]) -> dict[str, Any]:
    """nbgrader's feedback for ``students`` only: one converter run excluding everyone else.

    (nbgrader's ``student_id_exclude`` is comma-separated: with a comma in an id, one run per student.)
    """
    from pathlib import Path

    others = sorted(
        p.parent.name for p in Path(course, "autograded").glob(f"*/{assignment}") if p.parent.name not in students
    )
    if not any("," in s for s in [*students, *others]):
        old = api.coursedir.student_id_exclude
        api.coursedir.student_id_exclude = ",".join(others)
        try:
            return dict(api.generate_feedback(assignment, force=True))
        finally:
            api.coursedir.student_id_exclude = old
    res: dict[str, Any] = {"success": True, "log": "", "error": ""}
    for student in students:
        one = api.generate_feedback(assignment, student, force=True)
        res["success"] = res["success"] and bool(one.get("success"))
        res["log"] += one.get("log", "") or ""
        res["error"] += one.get("error", "") or ""
    return res


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    reply = os.fdopen(int(argv[argv.index("--reply-fd") + 1]), "w", buffering=1)
    os.dup2(2, 1)  # stray prints must not corrupt the replies
    import nbgrader.apps  # noqa: F401  (pay the import once, before the first job)

    from course_tools.grading.speedups import patch_nbgrader

    patch_nbgrader()  # no alembic subprocess per new gradebook, the metadata schema checked once

    reply.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = _grade(json.loads(line))
        except BaseException:  # noqa: BLE001 - report every failure to the grader
            out = {"success": False, "log": "", "error": traceback.format_exc()}
        reply.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
