"""A long-lived nbgrader process that autogrades one scratch course after another.

Importing nbgrader costs about 3 s of CPU, more than running a small
notebook. The grader therefore keeps one of these workers per parallel job
and sends it jobs, one JSON object per line on stdin; it answers one JSON
object per line on the file descriptor it was given as ``--reply-fd``
(everything else it prints goes to stderr). Each job is graded with
nbgrader's own Python API, ``NbGraderAPI.autograde`` (what formgrader calls),
in the job's own scratch course and environment, so scores are exactly
those of ``nbgrader autograde``. The worker never runs student code: kernels
are separate, sandboxed processes. If a worker dies or hangs, the grader
kills it, sends that submission to manual grading and starts a new worker.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any


def _grade(job: dict[str, Any]) -> dict[str, Any]:
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
        res = {"success": True, "log": "", "error": ""}
        for student in job["students"]:
            one = api.generate_feedback(job["assignment"], student, force=True)
            res["success"] = res["success"] and bool(one.get("success"))
            res["log"] += one.get("log", "") or ""
            res["error"] += one.get("error", "") or ""
    elif kind == "feedback":
        res = api.generate_feedback(job["assignment"], force=True)
    else:
        res = api.autograde(job["assignment"], job["student"], force=True, create=True)
    return {"success": bool(res.get("success")), "log": res.get("log", "") or "", "error": res.get("error", "") or ""}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    reply = os.fdopen(int(argv[argv.index("--reply-fd") + 1]), "w", buffering=1)
    os.dup2(2, 1)  # stray prints must not corrupt the replies
    import nbgrader.apps  # noqa: F401  (pay the import once, before the first job)

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
