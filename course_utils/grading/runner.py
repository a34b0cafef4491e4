"""Grade every submission of an assignment: parallel, isolated, fault-proof, idempotent.

:func:`grade_assignment` is what ``make grade A=...`` runs. Per submission
(``submitted/<student>/<assignment>/``), in a thread pool of ``jobs``
workers:

1. **Read and scan** the notebook (:mod:`course_utils.grading.tamper`): an
   unreadable file goes straight to manual grading with the reason; edits to
   locked cells, deleted/duplicated/reordered cells, changed metadata and
   patching code go to the tamper report.
2. **Autograde with real nbgrader** in a scratch course of its own holding
   only that notebook, a copy of the assignment's gradebook and the source,
   with a per-cell time limit, an output cap and, for the whole notebook, a
   wall-clock limit on nbgrader and a CPU limit on the kernel; the kernel is
   started through :mod:`course_utils.grading.sandbox` (memory cap, own uid,
   namespaces hiding other work, solutions and gradebooks).
3. **Re-check** every passed test cell in this (clean) process on the
   student's answers copied out as data (:mod:`course_utils.grading.verify`):
   points that only passed because of patching are withdrawn and the
   submission is sent to manual grading.

Then, in this process and in order: results go into the course gradebook
(the submission is replaced, so no stale automatic grade survives, but
scores a person entered by hand are kept), the autograded notebooks into
``autograded/``, nbgrader writes the feedback (hidden tests cleared, and
checked), and the exports go to ``grades/<assignment>/``. The submitted
files are only ever read.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import html
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat

from course_utils.grading import sandbox
from course_utils.grading.tamper import Finding, Unreadable, _source, read_submission, repair, scan
from course_utils.grading.verify import Verifier
from course_utils.nbgrader_tools import NbgraderError, nbgrader_env
from course_utils.paths import course_root

#: Top-level entries of the course folder a grading kernel may see.
VISIBLE = {"course_utils", "datasets", "nltk_data", "nbgrader_config.py", "pyproject.toml", "course_utils.egg-info", ".venv"}

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
    comments: dict[tuple[str, str], str | None] = field(default_factory=dict)
    penalties: dict[str, float] = field(default_factory=dict)
    log_tail: str = ""
    snapshots: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(c.auto_score or 0.0 for c in self.cells if c.autograded)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells if c.autograded)

    @property
    def written_points(self) -> float:
        return sum(c.max_score for c in self.cells if not c.autograded)

    def manual(self, reason: str) -> None:
        self.status = STATUS_MANUAL
        self.reasons.append(reason)


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
    #: seconds per phase (setup, grading, feedback, exports)
    timings: dict[str, float] = field(default_factory=dict)

    def scores(self) -> dict[str, float]:
        return {r.student: r.score for r in self.results}


# -- course and gradebook plumbing ---------------------------------------------------


def db_url(root: Path) -> str:
    """The gradebook URL the course's ``nbgrader_config.py`` gives (honours ``NBGRADER_DB_URL``)."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    url = cfg.CourseDirectory.get("db_url") if "CourseDirectory" in cfg else None
    return str(url) if url else "sqlite:///" + str(root / "gradebook.db")


def _job_config(root: Path, extra: dict[str, Any]) -> str:
    """The course config, made local to a scratch course, plus grading overrides."""
    text = (root / "nbgrader_config.py").read_text()
    lines = ["", "# --- added by course_utils.grading for this scratch course ---",
             'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")']
    for key, value in extra.items():
        lines.append(f"c.{key} = {value!r}")
    return text + "\n".join(lines) + "\n"


AUTOGRADE_PREPROCESSORS = [
    "course_utils.grading.execute.GradingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def _clean_env() -> dict[str, str]:
    env = nbgrader_env()
    env.pop("NBGRADER_DB_URL", None)  # scratch courses use their own SQLite gradebook
    return env


def _assignment_cells(template: Path, assignment: str) -> list[CellGrade]:
    """The assignment's graded cells (from the template gradebook), with no score."""
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(template / "gradebook.db")) as gb:
        out = []
        for nb in gb.find_assignment(assignment).notebooks:
            for cell in nb.grade_cells:
                autograded = cell.cell_type == "code" and cell.name not in {c.name for c in nb.solution_cells}
                out.append(CellGrade(cell.name, nb.name, None, float(cell.max_score), True, autograded))
        return out


def _course_env() -> dict[str, str]:
    """What a worker needs to open the course's own gradebook (PostgreSQL URL if set)."""
    return {"NBGRADER_DB_URL": os.environ["NBGRADER_DB_URL"]} if os.environ.get("NBGRADER_DB_URL") else {}


def _template_key(root: Path, assignment: str) -> str:
    import hashlib

    import nbgrader

    h = hashlib.sha256(nbgrader.__version__.encode())
    h.update((root / "nbgrader_config.py").read_bytes())
    for path in sorted((root / "solutions" / assignment).rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            h.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return h.hexdigest()[:16]


def _make_template(root: Path, assignment: str, scratch: Path, workers: "_Workers", cache: Path) -> Path:
    """A scratch course with the assignment generated into its own gradebook (cached per source version)."""
    tpl = scratch / "template"
    cached = cache / _template_key(root, assignment)
    if (cached / "gradebook.db").is_file():
        shutil.copytree(cached, tpl)
        return tpl
    tpl.mkdir()
    (tpl / "nbgrader_config.py").write_text(_job_config(root, {}))
    shutil.copytree(root / "solutions" / assignment, tpl / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    spec = {"kind": "generate", "course": str(tpl), "assignment": assignment, "student": "", "env": {},
            "unset": ["NBGRADER_DB_URL"]}
    reply = workers.run(spec, timeout=600)
    if reply is None or not reply["success"]:
        detail = "the worker died" if reply is None else (reply["log"] + reply["error"])[-3000:]
        raise NbgraderError(f"nbgrader generate_assignment {assignment} failed:\n{detail}")
    if cache.parent.is_dir():
        shutil.rmtree(cache, ignore_errors=True)  # keep only the current version
        shutil.copytree(tpl, cached)
    return tpl


def _same_cells(url: str, template: Path, assignment: str) -> bool:
    """Does the course gradebook already hold this assignment with the same cells?"""
    from nbgrader.api import Gradebook, MissingEntry

    def cells(u: str) -> set[tuple[str, str, str | None, float | None]]:
        with Gradebook(u) as gb:
            out = set()
            for nb in gb.find_assignment(assignment).notebooks:
                out |= {(nb.name, c.name, c.checksum, None) for c in nb.source_cells}
                out |= {(nb.name, c.name, c.cell_type, float(c.max_score)) for c in nb.grade_cells}
            return out

    try:
        return cells(url) == cells("sqlite:///" + str(template / "gradebook.db"))
    except MissingEntry:
        return False


def _ensure_if_missing(root: Path, assignment: str, scratch: Path, url: str, workers: "_Workers") -> bool:
    """Register the assignment in the course gradebook if it is not there yet; True if it did."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
            return False
        except MissingEntry:
            pass
    _ensure_in_gradebook(root, assignment, scratch, url, workers)
    return True


def _ensure_in_gradebook(root: Path, assignment: str, scratch: Path, url: str, workers: "_Workers") -> None:
    """Record the assignment's cells in the course gradebook (what nbgrader needs for feedback)."""
    work = scratch / "course-db"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copy2(root / "nbgrader_config.py", work / "nbgrader_config.py")
    shutil.copytree(root / "solutions" / assignment, work / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    spec = {"kind": "generate", "course": str(work), "assignment": assignment, "student": "",
            "env": {"NBGRADER_DB_URL": url}}
    reply = workers.run(spec, timeout=600)
    if reply is None or not reply["success"]:
        detail = "the worker died" if reply is None else (reply["log"] + reply["error"])[-3000:]
        raise NbgraderError(f"nbgrader generate_assignment {assignment} (course gradebook) failed:\n{detail}")


# -- nbgrader worker processes ----------------------------------------------------------


class _Worker:
    """One :mod:`course_utils.grading.worker` process."""

    def __init__(self, log_path: Path) -> None:
        read_fd, write_fd = os.pipe()
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "course_utils.grading.worker", "--reply-fd", str(write_fd)],
            stdin=subprocess.PIPE, stdout=self._log, stderr=self._log, pass_fds=(write_fd,),
            env=_clean_env(), start_new_session=True)
        os.close(write_fd)
        self._reply = os.fdopen(read_fd, "r")
        self.ready = False

    def _readline(self, timeout: float) -> dict[str, Any] | None:
        import select

        ready, _, _ = select.select([self._reply], [], [], timeout)
        if not ready:
            return None
        line = self._reply.readline()
        return json.loads(line) if line.strip() else None

    def run(self, spec: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        if not self.ready:
            if self._readline(300) is None:
                return None
            self.ready = True
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write((json.dumps(spec) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        return self._readline(timeout)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self._reply.close()
        self._log.close()

    def close(self) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:
            self.kill()
            return
        self._reply.close()
        self._log.close()


class _Workers:
    """A pool of workers; a worker that hangs or dies is replaced."""

    def __init__(self, scratch: Path, n: int) -> None:
        import queue

        self._scratch = scratch
        self._count = 0
        self._lock = threading.Lock()
        self._idle: "queue.Queue[_Worker]" = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(n):
            self._idle.put(self._new())

    def _new(self) -> _Worker:
        with self._lock:
            self._count += 1
            worker = _Worker(self._scratch / f"worker-{self._count}.log")
            self._all.append(worker)
            return worker

    def run(self, spec: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        worker = self._idle.get()
        reply = worker.run(spec, timeout)
        if reply is None:  # hung or died: kill it (and its kernel), start a fresh one
            worker.kill()
            worker = self._new()
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        for worker in self._all:
            if worker.proc.poll() is None:
                worker.close()


# -- one submission --------------------------------------------------------------------


def _reason_from_log(log: str, limits: Limits) -> str:
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
        return ("the kernel died while running the notebook (os._exit, a signal such as SIGKILL, "
                f"the CPU-time limit of {limits.notebook_timeout} s, or memory exhausted outside Python)")
    if "UnresponsiveKernelError" in log:
        return "the kernel stopped answering"
    if "Timeout" in log and "kernel" in log.lower():
        return "the kernel did not start or answer in time"
    tail = [ln for ln in log.splitlines() if ln.strip()][-3:]
    return "nbgrader could not autograde it: " + " | ".join(tail)[-400:]


class _Job:
    def __init__(self, root: Path, assignment: str, student: str, index: int, scratch: Path, template: Path,
                 given: dict[str, nbformat.NotebookNode], verifiers: dict[str, Verifier], limits: Limits,
                 isolate: bool, workers: "_Workers", support: dict[str, bool] | None = None,
                 sub_dir: Path | None = None) -> None:
        self.root, self.assignment, self.student, self.index = root, assignment, student, index
        self.scratch, self.template, self.given, self.verifiers = scratch, template, given, verifiers
        self.limits, self.isolate, self.workers = limits, isolate, workers
        #: grade_id -> can the *solution's* answer be copied out? (None: this job computes it)
        self.support = support
        self.sub_dir = sub_dir or root / "submitted" / student / assignment

    def run(self) -> Result:
        start = time.monotonic()
        result = Result(self.student)
        try:
            self._run(result)
        except Exception as err:  # the batch never stops: this submission goes to a person
            result.manual(f"the grader failed on this submission: {type(err).__name__}: {err}")
        result.seconds = time.monotonic() - start
        if result.status == STATUS_GRADED and any(f.severity == "tamper" for f in result.findings):
            result.status = STATUS_FLAGGED
        return result

    def _run(self, result: Result) -> None:
        sub_dir = self.sub_dir
        job = self.scratch / f"job-{self.index:04d}"
        course = job / "course"
        nb_dir = course / "submitted" / self.student / self.assignment
        nb_dir.mkdir(parents=True)
        readable = []
        for name, given in self.given.items():
            path = sub_dir / f"{name}.ipynb"
            if not path.exists():
                result.findings.append(Finding("missing-notebook", f"{name}.ipynb was not submitted (scores 0)"))
                continue
            try:
                nb = read_submission(path)
            except Unreadable as err:
                result.manual(str(err))
                continue
            result.findings.extend(scan(nb, given))
            nbformat.write(repair(nb, given), nb_dir / path.name)  # a repaired copy: the submitted file is never touched
            readable.append(name)
        if (sub_dir / "timestamp.txt").is_file():
            shutil.copyfile(sub_dir / "timestamp.txt", nb_dir / "timestamp.txt")
            result.timestamp = (sub_dir / "timestamp.txt").read_text().strip() or None
        if result.status == STATUS_MANUAL or not readable:
            if not readable and result.status != STATUS_MANUAL:
                result.manual("no notebook of this assignment in the submission")
            return
        self._autograde(job, course, result)

    def _autograde(self, job: Path, course: Path, result: Result) -> None:
        shutil.copy2(self.template / "gradebook.db", course / "gradebook.db")
        shutil.copytree(self.template / "solutions", course / "solutions")
        snap_path = job / "snapshots.json"
        snap_vars = {gid: names for v in self.verifiers.values() for gid, names in v.snapshot_vars.items() if names}
        # The kernel talks to nbgrader over Unix sockets in a folder of this job, not loopback TCP:
        # no port another kernel could listen in on, and the sandbox can take the network away.
        # (A Unix socket path must stay under 108 bytes: a very long TMPDIR keeps TCP.)
        ipc = job / "ipc"
        ipc.mkdir(mode=0o700)
        use_ipc = len(str(ipc.resolve() / "kernel-99")) < 100
        no_network = use_ipc and self.isolate and sandbox.network_namespace_support()
        if self.isolate:
            os.chown(ipc, 62000 + self.index, 62000 + self.index)
        transport = {"KernelManager.transport": "ipc", "KernelManager.ip": str(ipc.resolve() / "kernel")} if use_ipc else {}
        (course / "nbgrader_config.py").write_text(_job_config(self.root, {
            **transport,
            "Execute.timeout": self.limits.cell_timeout,
            "ExecutePreprocessor.timeout": self.limits.cell_timeout,
            "Autograde.autograde_preprocessors": AUTOGRADE_PREPROCESSORS,
            "GradingExecute.output_limit": self.limits.output_bytes,
            "GradingExecute.snapshot_path": str(snap_path),
            "GradingExecute.snapshot_vars": snap_vars,
        }))
        hidden, rebind = self._hidden_paths()
        cfg = sandbox.SandboxConfig(
            memory_mb=self.limits.memory_mb,
            cpu_seconds=self.limits.notebook_timeout,
            isolate=self.isolate,
            uid=62000 + self.index,
            hide=hidden,
            rebind=rebind,
            sockets=str(ipc.resolve()),
            network=not no_network,
            readonly=sorted({str(self.root.resolve()), str(course_root().resolve()), str(Path(sys.prefix).resolve()),
                             str(Path(__file__).resolve().parents[1])}),
        )
        cfg_path = cfg.save(job / "sandbox.json")
        sandbox.write_kernelspec(job / "jupyter", cfg_path)
        env = {
            "JUPYTER_PATH": str(job / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", ""),
            "JUPYTER_RUNTIME_DIR": str(job / "runtime"),
            "JUPYTER_CONFIG_DIR": str(job / "jupyter-config"),
        }
        spec = {"course": str(course), "assignment": self.assignment, "student": self.student, "env": env,
                "unset": ["NBGRADER_DB_URL"]}
        reply = self.workers.run(spec, timeout=self.limits.notebook_timeout + 60)
        timed_out = reply is None
        log = "" if reply is None else reply["log"] + "\n" + reply["error"]
        (job / "autograde.log").write_text(log)
        result.log_tail = "\n".join(log.splitlines()[-30:])
        out_dir = course / "autograded" / self.student / self.assignment
        graded = self._read_grades(course, result)
        if timed_out:
            result.manual(f"grading took longer than {self.limits.notebook_timeout + 60} s (the notebook's time limit) "
                          "or the grading process died; it was stopped")
            return
        if not reply["success"] or not graded or not out_dir.is_dir():
            result.manual(_reason_from_log(log, self.limits))
            result.cells = []
            return
        result.autograded_dir = out_dir
        self._notes_from_events(snap_path, result)
        result.snapshots = json.loads(snap_path.read_text()).get("snapshots", {}) if snap_path.is_file() else {}
        if self.support is not None:
            self._recheck(result)

    def _hidden_paths(self) -> tuple[list[str], list[str]]:
        """What the kernel must not see, and what must stay visible inside it."""
        # the graded course, the one COURSE_ROOT names, and the checkout this package runs from
        roots = {self.root.resolve(), course_root().resolve()}
        checkout = Path(__file__).resolve().parents[2]
        if (checkout / "nbgrader_config.py").is_file():
            roots.add(checkout)
        roots = sorted(roots)
        needed = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), *roots]
        if os.environ.get("COURSE_DATASETS_DIR"):
            needed.append(Path(os.environ["COURSE_DATASETS_DIR"]).resolve())
        hide = [str(e) for r in roots for e in sorted(r.iterdir())
                if e.name not in VISIBLE and not any(e == p or e in p.parents for p in needed)]
        hide.append(str(self.scratch.resolve()))
        home = Path.home().resolve()
        if home != Path("/"):
            hide.append(str(home))
        exchange = Path(os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange"))
        if exchange.is_dir():
            hide.append(str(exchange.resolve()))
        rebind = sorted({str(p) for p in needed if any(Path(h) in p.parents for h in hide)})
        return hide, rebind

    def _read_grades(self, course: Path, result: Result) -> bool:
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook("sqlite:///" + str(course / "gradebook.db")) as gb:
            try:
                sub = gb.find_submission(self.assignment, self.student)
            except MissingEntry:
                return False
            if sub.timestamp is not None:
                result.timestamp = sub.timestamp.isoformat()
            cells = []
            for nb in sub.notebooks:
                result.penalties[nb.name] = float(nb.late_submission_penalty or 0.0)
                for g in nb.grades:
                    autograded = g.cell.cell_type == "code" and not getattr(g.cell, "solution", False)
                    auto = None if g.auto_score is None else float(g.auto_score)
                    cells.append(CellGrade(g.name, nb.name, auto, float(g.max_score), bool(g.needs_manual_grade), autograded))
                for c in nb.comments:
                    result.comments[(nb.name, c.name)] = c.auto_comment
            result.cells = cells
            return any(c.auto_score is not None for c in cells if c.autograded) or not any(c.autograded for c in cells)

    def _notes_from_events(self, snap_path: Path, result: Result) -> None:
        if not snap_path.is_file():
            return
        for ev in json.loads(snap_path.read_text()).get("events", []):
            where = f"cell {ev.get('cell_index', 0) + 1}"
            if ev["event"] == "CellTimeoutError":
                result.findings.append(Finding("cell-timeout", f"{where} ran longer than {self.limits.cell_timeout} s and was stopped", "info"))
            elif ev["event"] == "MemoryError":
                result.findings.append(Finding("memory-limit", f"{where} hit the {self.limits.memory_mb} MB memory cap", "info"))
            elif ev["event"] == "output-truncated":
                result.findings.append(Finding("huge-output", f"{where} printed more than {ev['limit']:,} bytes; the rest was dropped", "info"))

    def _recheck(self, result: Result) -> None:
        snaps = result.snapshots
        support = self.support or {}
        suspicious = any(f.kind == "suspicious-code" for f in result.findings)
        for cell in result.cells:
            if not cell.autograded or not cell.auto_score:
                continue
            verifier = self.verifiers.get(cell.notebook)
            if verifier is None or cell.grade_id not in verifier.tests:
                continue
            if not verifier.snapshot_vars.get(cell.grade_id):
                continue  # the test reads no student variable: nothing a student could fake
            ok, detail = verifier.verify(cell.grade_id, snaps.get(cell.grade_id, {"__error__": "the cell left no snapshot"}))
            if ok is False:
                result.findings.append(Finding("recheck-failed", f"{cell.grade_id} passed in the student's kernel but fails on a clean re-run ({detail})"))
                result.manual(f"{cell.grade_id}: {cell.auto_score:g} point(s) withdrawn: the test passed only inside the "
                              f"student's kernel (checks or builtins patched?); clean re-run says {detail}")
                cell.auto_score = 0.0
                cell.needs_manual = True
            elif ok is None:
                if support.get(cell.grade_id):  # the model answer is plain data; this one is not
                    result.findings.append(Finding("recheck-failed", f"{cell.grade_id}: {detail}, where the model answer is plain data"))
                    result.manual(f"{cell.grade_id}: {cell.auto_score:g} point(s) withdrawn: {detail}, so it cannot be "
                                  "re-checked outside the student's kernel (the model answer can be); check it by hand")
                    cell.auto_score = 0.0
                    cell.needs_manual = True
                elif suspicious:
                    result.manual(f"{cell.grade_id}: cannot re-check ({detail}) and the notebook contains patching code")
                    cell.needs_manual = True
                else:
                    result.findings.append(Finding("not-rechecked", f"{cell.grade_id}: {detail}", "info"))


def _solution_support(root: Path, assignment: str, scratch: Path, template: Path, given: dict[str, Any],
                      verifiers: dict[str, Verifier], limits: Limits, isolate: bool, workers: _Workers,
                      cache: Path) -> dict[str, bool]:
    """For each test cell: can the model answer be copied out of a kernel as data? (cached per source version)

    Grades the solution notebooks once, like a submission. Where the model
    answer is plain data, a student's answer that is not (or whose copy is
    unreadable) cannot be trusted and goes to manual grading.
    """
    from course_utils.grading.snapshot import Unsupported, decode

    cached = cache / "support.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    job = _Job(root, assignment, "model-solution", 9999, scratch, template, given, verifiers, limits, isolate,
               workers, None, template / "solutions" / assignment)
    result = job.run()
    support: dict[str, bool] = {}
    for gid, snap in result.snapshots.items():
        ok = "__error__" not in snap and bool(snap)
        for entry in snap.values() if ok else []:
            try:
                ok = ok and "json" in entry and not isinstance(decode(entry["json"]), Unsupported)
            except Exception:
                ok = False
        support[gid] = ok
    if result.status != STATUS_MANUAL and cache.is_dir():
        cached.write_text(json.dumps(support, indent=1))
    return support


# -- after the jobs: gradebook, files, feedback, exports ------------------------------------


def _store(gb: Any, assignment: str, result: Result) -> list[str]:
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
        sub = gb.add_submission(assignment, result.student, **kwargs)
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
        for c in nb.comments:
            c.auto_comment = result.comments.get((nb.name, c.name))
            if (nb.name, c.name) in manual_comments:
                c.manual_comment = manual_comments[(nb.name, c.name)]
    gb.db.commit()
    return kept


def hidden_test_lines(source_nb: nbformat.NotebookNode) -> list[str]:
    """The lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` (stripped, non-trivial)."""
    out: list[str] = []
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 12:
                out.append(line.strip())
    return out


def _leaks(html_text: str, lines: list[str]) -> list[str]:
    plain = html.unescape(html_text)
    import re

    plain = re.sub(r"<[^>]+>", "", plain)
    return [ln for ln in lines if ln in plain]


FAILED_FEEDBACK = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{assignment}: feedback for {student}</title></head>
<body style="font-family: sans-serif; max-width: 48em; margin: 2em auto">
<h1>{assignment}: your submission</h1>
<p>Your notebook could not be graded automatically, so your instructor will grade it by hand.
Nothing you submitted has been lost.</p>
<p><b>Why:</b> {reason}</p>
</body></html>
"""


def _earlier_rows(path: Path, header: list[str]) -> list[list[str]]:
    """Rows of an earlier export with the same columns (other columns: the assignment changed; dropped)."""
    if not path.is_file():
        return []
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[1:] if rows and rows[0] == header else []


def _write_exports(batch: Batch, root: Path, url: str, workers: "_Workers") -> None:
    out = batch.out_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / ".gitignore").write_text("# grades are personal data: never commit them\n*\n")
    grade_ids: list[str] = []
    for r in batch.results:
        for c in r.cells:
            if c.grade_id not in grade_ids:
                grade_ids.append(c.grade_id)
    graded_now = {r.student for r in batch.results}
    header = ["student", "status", "auto_score", "auto_max", "written_points_to_grade", *grade_ids,
              "needs_manual_grading_because", "flags"]
    rows = {row[0]: row for row in _earlier_rows(out / "grades.csv", header) if row[0] not in graded_now}
    for r in batch.results:
        cells = {c.grade_id: c for c in r.cells}
        per = []
        for gid in grade_ids:
            c = cells.get(gid)
            per.append("" if c is None else ("manual" if not c.autograded else f"{c.auto_score or 0:g}"))
        rows[r.student] = [r.student, r.status, f"{r.score:g}", f"{r.max_score:g}", f"{r.written_points:g}", *per,
                           " | ".join(r.reasons), " | ".join(str(f) for f in r.findings if f.severity == "tamper")]
    with open(out / "grades.csv", "w", newline="") as fh:  # students graded earlier (--student runs) are kept
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows[s] for s in sorted(rows))
    tamper_header = ["student", "kind", "severity", "detail"]
    kept = [row for row in _earlier_rows(out / "tamper-report.csv", tamper_header) if row[0] not in graded_now]
    new_rows = [[r.student, f.kind, f.severity, f.detail] for r in batch.results for f in r.findings]
    with open(out / "tamper-report.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(tamper_header)
        w.writerows(sorted(kept + new_rows, key=lambda row: row[0]))
    lines = [f"# Grading report: {batch.assignment}", "",
             f"- submissions: {len(batch.results)}; graded: {sum(r.status == STATUS_GRADED for r in batch.results)}; "
             f"graded but flagged: {sum(r.status == STATUS_FLAGGED for r in batch.results)}; "
             f"needs manual grading: {sum(r.status == STATUS_MANUAL for r in batch.results)}",
             f"- wall time: {batch.wall_seconds:.1f} s with {batch.jobs} parallel job(s) "
             f"({batch.wall_seconds / max(1, len(batch.results)):.1f} s per submission)",
             f"- isolation: {batch.isolation}", ""]
    lines += [f"- warning: {w}" for w in batch.warnings]
    manual = [r for r in batch.results if r.status == STATUS_MANUAL]
    if manual:
        lines += ["", "## Needs manual grading", ""]
        lines += [f"- **{r.student}**: " + "; ".join(r.reasons) for r in manual]
    flagged = [r for r in batch.results if any(f.severity == "tamper" for f in r.findings)]
    if flagged:
        lines += ["", "## Tamper report", ""]
        for r in flagged:
            lines += [f"- **{r.student}**: " + "; ".join(str(f) for f in r.findings if f.severity == "tamper")]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    spec = {"kind": "export", "course": str(root), "assignment": batch.assignment, "student": "",
            "to": str(out / "nbgrader-grades.csv"), "env": _course_env()}
    reply = workers.run(spec, timeout=600)
    if reply is None or not reply["success"]:
        batch.warnings.append("nbgrader export failed: " + ("" if reply is None else reply["error"][-300:]))
    if url.startswith("sqlite:///"):
        src = sqlite3.connect(url[len("sqlite:///"):])
        dst = sqlite3.connect(out / "gradebook.db")
        with dst:
            src.backup(dst)
        src.close()
        dst.close()


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
) -> Batch:
    """Grade every submission of ``assignment`` in ``root`` (the course folder).

    ``isolate=None`` sandboxes kernels when this machine allows it and warns
    when it does not; ``True`` refuses to grade without the sandbox.
    """
    start = time.monotonic()
    root = (root or course_root()).resolve()
    limits = limits or Limits()
    jobs = max(1, jobs or os.cpu_count() or 1)
    source_dir = root / "solutions" / assignment
    if not source_dir.is_dir():
        raise FileNotFoundError(f"no assignment {assignment!r}: {source_dir} does not exist")
    warnings: list[str] = []
    can_isolate, why = sandbox.isolation_support()
    if isolate and not can_isolate:
        raise RuntimeError(f"--isolate was asked for, but kernels cannot be sandboxed here: {why}")
    use_isolation = can_isolate if isolate is None else isolate
    if not use_isolation:
        warnings.append("kernels are NOT sandboxed (" + (why if not can_isolate else "turned off") +
                        "): student code runs as this user and can read the course folder; "
                        "memory, CPU and time limits still apply")
        echo("WARNING: " + warnings[-1])
    isolation = why if use_isolation else "rlimits only (memory, CPU, file size); no namespaces"
    if use_isolation and sandbox.network_namespace_support():
        isolation += ", no network"
    submitted = root / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) if submitted.is_dir() else []
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            warnings.append(f"no submission folder for: {', '.join(missing)}")
        found = [s for s in found if s in set(students)]
    out_dir = out_dir or root / "grades" / assignment
    if not found:  # nothing to grade: touch nothing
        return Batch(assignment, [], time.monotonic() - start, jobs, isolation, out_dir, warnings)
    source_nbs = {p.stem: nbformat.read(p, as_version=4) for p in sorted(source_dir.glob("*.ipynb"))}
    verifiers = {name: Verifier(nb) for name, nb in source_nbs.items()}
    for v in verifiers.values():
        with contextlib.redirect_stdout(io.StringIO()):
            v._namespace()  # run the setup cells once, before the threads start
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    os.chmod(scratch, 0o700)
    results: list[Result] = []
    timings: dict[str, float] = {}
    workers: _Workers | None = None
    try:
        workers = _Workers(scratch, min(jobs, max(1, len(found))))  # they import nbgrader meanwhile
        url = db_url(root)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / ".gitignore").write_text("# grades are personal data: never commit them\n*\n")
        import nbgrader.api  # noqa: F401  (import once here: importing it in two threads at once fails)

        with cf.ThreadPoolExecutor(max_workers=2) as setup:  # on two workers at once when both are needed
            tpl_future = setup.submit(_make_template, root, assignment, scratch, workers, out_dir / ".template-cache")
            db_future = setup.submit(_ensure_if_missing, root, assignment, scratch, url, workers)
            template, registered = tpl_future.result(), db_future.result()
        if not registered and not _same_cells(url, template, assignment):  # the solutions changed since
            _ensure_in_gradebook(root, assignment, scratch, url, workers)
        timings["setup"] = time.monotonic() - start
        blank_cells = _assignment_cells(template, assignment)
        released = root / "exercises" / assignment
        given = {name: nbformat.read(released / f"{name}.ipynb" if (released / f"{name}.ipynb").is_file()
                                     else template / "exercises" / assignment / f"{name}.ipynb", as_version=4)
                 for name in source_nbs}
        from nbgrader.api import Gradebook
        from tqdm import tqdm

        support = _solution_support(root, assignment, scratch, template, given, verifiers, limits, use_isolation,
                                    workers, out_dir / ".template-cache" / _template_key(root, assignment))
        todo = [_Job(root, assignment, s, i, scratch, template, given, verifiers, limits, use_isolation, workers, support)
                for i, s in enumerate(found)]
        bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="submission", disable=not progress)
        with cf.ThreadPoolExecutor(max_workers=jobs) as pool, Gradebook(url) as gb:
            futures = {pool.submit(job.run): job for job in todo}
            for fut in cf.as_completed(futures):
                result = fut.result()
                if not result.cells:  # not autograded: show the assignment's cells, ungraded
                    result.cells = [CellGrade(c.grade_id, c.notebook, None, c.max_score, True, c.autograded) for c in blank_cells]
                kept = _store(gb, assignment, result)
                if kept:
                    result.findings.append(Finding("kept-manual-scores", ", ".join(kept) + " keep the score a grader entered", "info"))
                dest = root / "autograded" / result.student / assignment
                if dest.exists():
                    shutil.rmtree(dest)
                fb = root / "feedback" / result.student / assignment
                if fb.exists():
                    shutil.rmtree(fb)
                if result.autograded_dir is not None:
                    shutil.copytree(result.autograded_dir, dest)
                results.append(result)
                bar.set_postfix_str(f"{result.student}: {result.status}")
                bar.update()
        bar.close()
        timings["grading"] = time.monotonic() - start - timings["setup"]
        batch = Batch(assignment, sorted(results, key=lambda r: r.student), 0.0, jobs, isolation, out_dir, warnings, timings)
        if feedback and results:
            t0 = time.monotonic()
            try:
                _feedback(batch, root, source_nbs, workers, given)
            except Exception as err:  # grades are safe in the gradebook; say what failed
                batch.warnings.append(f"feedback failed: {type(err).__name__}: {err}")
            timings["feedback"] = time.monotonic() - t0
        t0 = time.monotonic()
        batch.wall_seconds = time.monotonic() - start
        _write_exports(batch, root, url, workers)
        timings["exports"] = time.monotonic() - t0
        batch.wall_seconds = time.monotonic() - start
        return batch
    finally:
        if workers is not None:
            workers.close()
        if keep_scratch:
            echo(f"scratch folders kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def _submitted_sources(root: Path, student: str, assignment: str) -> list[str]:
    """Every cell source the student submitted (a hidden-test line they typed themselves is no leak)."""
    out = []
    for path in (root / "submitted" / student / assignment).glob("*.ipynb"):
        try:
            out += [_source(c) for c in read_submission(path).cells]
        except (Unreadable, OSError):
            pass
    return out


def _feedback(batch: Batch, root: Path, source_nbs: dict[str, nbformat.NotebookNode], workers: "_Workers",
              given: dict[str, nbformat.NotebookNode]) -> None:
    """nbgrader's HTML feedback for graded students, a short page for the others; check for leaks."""
    graded = [r for r in batch.results if r.autograded_dir is not None]
    if graded:
        spec = {"kind": "feedback", "course": str(root), "assignment": batch.assignment, "student": "",
                "env": _course_env()}
        reply = workers.run(spec, timeout=60 * 60)
        if reply is None or not reply["success"]:
            batch.warnings.append("nbgrader generate_feedback reported errors: " + ("" if reply is None else reply["error"][-300:]))
    hidden = [ln for nb in source_nbs.values() for ln in hidden_test_lines(nb)]
    given_text = "\n".join(c.source for nb in given.values() for c in nb.cells)
    for r in batch.results:
        fb_dir = root / "feedback" / r.student / batch.assignment
        if r.autograded_dir is None:
            fb_dir.mkdir(parents=True, exist_ok=True)
            for name in source_nbs:
                (fb_dir / f"{name}.html").write_text(FAILED_FEEDBACK.format(
                    assignment=html.escape(batch.assignment), student=html.escape(r.student),
                    reason=html.escape("; ".join(r.reasons) or "unknown")))
            continue
        for name in source_nbs:
            page = fb_dir / f"{name}.html"
            if not page.is_file():
                r.findings.append(Finding("no-feedback", f"nbgrader wrote no feedback page {page.name}", "info"))
                continue
            own = given_text + "\n".join(_submitted_sources(root, r.student, batch.assignment))
            leaked = _leaks(page.read_text(errors="replace"), [ln for ln in hidden if ln not in own])
            if leaked:
                page.unlink()
                batch.warnings.append(f"feedback for {r.student} showed hidden tests and was deleted: {leaked[0]!r}")
