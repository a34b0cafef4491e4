"""One submission, graded: read, scan, repair, autograde with real nbgrader in a sandbox, re-check.

:class:`Job` grades one student's submission in a scratch course of its own
(see :mod:`course_tools.grading.runner` for the whole run).

The kernel never sees the notebook nbgrader is executing: that file (in the
scratch ``autograded/`` folder) holds every test cell restored, hidden tests
included. The kernel's working folder shows a copy of the student's own
notebook and the assignment's other files instead (``kernel-cwd``), the
scratch folder is hidden, and the kernel runs each test cell without its
hidden tests (:mod:`course_tools.grading.execute`): they run only in the
clean re-check (:meth:`Job._recheck`, :mod:`course_tools.grading.verify`).

A ``timestamp.txt`` that is not a date is no reason to stop: the submission is
graded with the file's modification time as its submission time, and the
report says so.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

import course_utils
from course_tools.grading import sandbox
from course_tools.grading.gradebook import AUTOGRADE_PREPROCESSORS, job_config
from course_tools.grading.results import (
    STATUS_FLAGGED,
    STATUS_GRADED,
    STATUS_MANUAL,
    CellGrade,
    GradingStopped,
    Limits,
    Result,
)
from course_tools.grading.tamper import Finding, Unreadable, read_submission, repair, scan
from course_tools.grading.uids import BASE as UID_BASE
from course_tools.grading.uids import UidRange
from course_tools.grading.verify import Verifier
from course_utils.paths import course_root

if TYPE_CHECKING:
    from course_tools.grading.pool import Workers

#: Top-level entries of the course folder a grading kernel may see.
VISIBLE = {
    "course_utils",
    "course_tools",
    "datasets",
    "nltk_data",
    "nbgrader_config.py",
    "pyproject.toml",
    "course_utils.egg-info",
    ".venv",
}

#: Bytes of a kernel's stderr log kept for the report.
STDERR_KEPT = 20_000


def _import_folders() -> set[str]:
    """The folders this Python imports from (``sys.path``), resolved.

    The kernel runs this same Python, so it needs them too, and under the sandbox's fresh
    ``/tmp`` a ``.pth`` file pointing into ``/tmp`` (a venv in a checkout under ``/tmp``) would
    otherwise lead nowhere: these are bound back read-only.

    >>> all(Path(p).is_dir() for p in _import_folders())
    True
    """
    return {str(Path(p).resolve()) for p in sys.path if p and Path(p).is_dir()}


def _data_folders() -> set[str]:
    """The course data folder the kernel reads (``COURSE_DATASETS_DIR`` or the course's ``datasets/``).

    Bound back read-only like the import folders: under a checkout in ``/tmp`` it would
    otherwise vanish under the sandbox's fresh ``/tmp`` (07-spark's setup cell found no
    ``transactions.csv`` in CI's clone).

    >>> all(Path(p).is_dir() for p in _data_folders())
    True
    """
    from course_utils.paths import datasets_dir

    folder = datasets_dir().resolve()
    return {str(folder)} if folder.is_dir() else set()


def read_timestamp(path: Path) -> tuple[str | None, str | None]:
    """``(timestamp, warning)`` for a submission's ``timestamp.txt``.

    A date nbgrader can read is kept as it is; anything else is replaced by the
    file's modification time (UTC), with a warning saying so.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "timestamp.txt"
    >>> _ = p.write_text("2026-01-15 12:00:00 UTC")
    >>> read_timestamp(p)
    ('2026-01-15 12:00:00 UTC', None)
    >>> _ = p.write_text("yesterday, honest")
    >>> stamp, warning = read_timestamp(p)
    >>> stamp.endswith("UTC") and "not a date" in warning
    True
    """
    from nbgrader.utils import parse_utc

    text = path.read_text(errors="replace").strip()
    if not text:
        return None, None
    try:
        parse_utc(text)
        return text, None
    except (ValueError, OverflowError):
        mtime = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
        stamp = mtime.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        return stamp, (
            f"timestamp.txt is not a date ({text[:60]!r}): graded with the file's modification time, "
            f"{stamp}, as the submission time (late penalty from that); fix the file and re-run if it matters"
        )


def kernel_stderr(job: Path) -> str:
    """What the sandbox launcher and the kernel wrote to stderr (the end of it)."""
    path = job / "kernel-stderr.log"
    if not path.is_file():
        return ""
    data = path.read_bytes()
    return data[-STDERR_KEPT:].decode(errors="replace")


def _reason_from_log(log: str, limits: Limits) -> str:
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
        return (
            "the kernel died while running the notebook (os._exit, a signal such as SIGKILL, "
            f"the CPU-time limit of {limits.notebook_timeout} s, or memory exhausted outside Python)"
        )
    if "UnresponsiveKernelError" in log:
        return "the kernel stopped answering"
    if "Timeout" in log and "kernel" in log.lower():
        return "the kernel did not start or answer in time"
    tail = [ln for ln in log.splitlines() if ln.strip()][-3:]
    return "nbgrader could not autograde it: " + " | ".join(tail)[-400:]


#: Address-space limit (MiB) of a kernel that starts a JVM (Spark assignments, ``course.needs``
#: holds ``java``): the driver's 768 MB heap plus the JVM's reserved class space and code cache and
#: the launcher JVM fit; resident memory stays near 1 GB (measured on solution 07-spark).
JAVA_ADDRESS_SPACE_MB = 6144
#: Processes *and threads* (RLIMIT_NPROC counts both) of a kernel that starts a JVM: Spark's driver
#: runs about 300 threads after a k-means fit (two block-manager pools of up to 100 each, measured
#: in the sandbox), over the default of 256 ("unable to create native thread").
JAVA_MAX_PROCESSES = 1024


class Job:
    def __init__(
        self,
        root: Path,
        assignment: str,
        student: str,
        index: int,
        scratch: Path,
        template: Path,
        given: dict[str, nbformat.NotebookNode],
        verifiers: dict[str, Verifier],
        limits: Limits,
        isolate: bool,
        workers: Workers,
        support: dict[str, bool] | cf.Future[dict[str, bool]] | None = None,
        sub_dir: Path | None = None,
        uids: UidRange | None = None,
    ) -> None:
        self.root, self.assignment, self.student, self.index = root, assignment, student, index
        self.scratch, self.template, self.given, self.verifiers = scratch, template, given, verifiers
        self.limits, self.isolate, self.workers = limits, isolate, workers
        #: grade_id -> can the *solution's* answer be copied out? (None: this job computes it; a future:
        #: the model solution runs beside this job, which waits for it only at its re-check)
        self.support = support
        self.sub_dir = sub_dir or root / "submitted" / student / assignment
        #: this run's sandbox uids (course_tools.grading.uids): never shared with a concurrent run
        self.uid = uids.uid(index) if uids is not None else UID_BASE + index

    def run(self) -> Result:
        start = time.monotonic()
        result = Result(self.student)
        try:
            self._run(result)
        except GradingStopped:  # the model solution failed (at this job's re-check): the run stops
            raise
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
            nbformat.write(
                repair(nb, given), nb_dir / path.name
            )  # a repaired copy: the submitted file is never touched
            readable.append(name)
        if (sub_dir / "timestamp.txt").is_file():
            stamp, warning = read_timestamp(sub_dir / "timestamp.txt")
            if warning:
                result.findings.append(Finding("bad-timestamp", warning, "info"))
            if stamp:
                (nb_dir / "timestamp.txt").write_text(stamp)
            result.timestamp = stamp
        if (sub_dir / "submission_secret.txt").is_file():  # the exchange's: release_feedback needs it
            shutil.copyfile(sub_dir / "submission_secret.txt", nb_dir / "submission_secret.txt")
        elif self.student != "model-solution":
            result.findings.append(
                Finding(
                    "no-exchange-secret",
                    "no submission_secret.txt: placed in submitted/ by hand, "
                    "not collected from the exchange; `make feedback` skips it, hand over its "
                    "feedback page yourself",
                    "info",
                )
            )
        result.exchange_dir = nb_dir
        if result.status == STATUS_MANUAL or not readable:
            if not readable and result.status != STATUS_MANUAL:
                result.manual("no notebook of this assignment in the submission")
            return
        self._autograde(job, course, result)

    def _autograde(self, job: Path, course: Path, result: Result) -> None:
        """Autograde in a worker, in the sandbox; then the clean re-check of what passed."""
        snap_path = job / "snapshots.json"
        spec = self._prepare(job, course, snap_path)
        reply = self.workers.run(spec, timeout=self.limits.notebook_timeout + 60)
        log = "" if reply is None else reply["log"] + "\n" + reply["error"]
        (job / "autograde.log").write_text(log)
        result.log_tail = "\n".join(log.splitlines()[-30:])
        out_dir = course / "autograded" / self.student / self.assignment
        graded = self._read_grades(course, result)
        if reply is None:
            result.manual(
                f"grading took longer than {self.limits.notebook_timeout + 60} s (the notebook's time limit) "
                "or the grading process died; it was stopped"
            )
            return
        if not reply["success"] or not graded or not out_dir.is_dir():
            self._kernel_failed(job, course, result, log, snap_path)
            return
        result.autograded_dir = out_dir
        self._notes_from_events(snap_path, result)
        result.snapshots = json.loads(snap_path.read_text()).get("snapshots", {}) if snap_path.is_file() else {}
        if self.support is not None:
            self._recheck(result)

    def _prepare(self, job: Path, course: Path, snap_path: Path) -> dict[str, Any]:
        """The job's gradebook, nbgrader settings, sandbox and kernel spec; the worker's request."""
        shutil.copy2(self.template / "gradebook.db", course / "gradebook.db")
        shutil.copytree(self.template / "solutions", course / "solutions")
        snap_vars = {gid: names for v in self.verifiers.values() for gid, names in v.snapshot_vars.items() if names}
        # The kernel talks to nbgrader over Unix sockets in a folder of this job, not loopback TCP:
        # no port another kernel could listen in on, and the sandbox can take the network away.
        # (A Unix socket path must stay under 108 bytes: a very long TMPDIR keeps TCP.)
        ipc = job / "ipc"
        ipc.mkdir(mode=0o700)
        use_ipc = len(str(ipc.resolve() / "kernel-99")) < 100
        no_network = use_ipc and self.isolate and sandbox.network_namespace_support()
        if self.isolate and os.geteuid() == 0:  # (in a user namespace the kernel's uid owns it already)
            os.chown(ipc, self.uid, self.uid)
        cwd = self._kernel_cwd(job, course)
        transport = (
            {"KernelManager.transport": "ipc", "KernelManager.ip": str(ipc.resolve() / "kernel")} if use_ipc else {}
        )
        (course / "nbgrader_config.py").write_text(
            job_config(
                self.root,
                {
                    **transport,
                    "Execute.timeout": self.limits.cell_timeout,
                    "ExecutePreprocessor.timeout": self.limits.cell_timeout,
                    "Autograde.autograde_preprocessors": AUTOGRADE_PREPROCESSORS,
                    "GradingExecute.output_limit": self.limits.output_bytes,
                    "GradingExecute.snapshot_path": str(snap_path),
                    "GradingExecute.snapshot_vars": snap_vars,
                    "GradingExecute.partial_dir": str(job / "partly-executed"),
                },
            )
        )
        cfg = self.sandbox_config(job, ipc, cwd, no_network)
        cfg_path = cfg.save(job / "sandbox.json")
        sandbox.write_kernelspec(job / "jupyter", cfg_path)
        env = {
            "JUPYTER_PATH": str(job / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", ""),
            "JUPYTER_RUNTIME_DIR": str(job / "runtime"),
            "JUPYTER_CONFIG_DIR": str(job / "jupyter-config"),
        }
        return {
            "course": str(course),
            "assignment": self.assignment,
            "student": self.student,
            "env": env,
            "unset": ["NBGRADER_DB_URL"],
        }

    def _kernel_failed(self, job: Path, course: Path, result: Result, log: str, snap_path: Path) -> None:
        """The kernel died or nbgrader failed: to a person, with the reason and what was kept."""
        stderr = kernel_stderr(job)
        reason = _reason_from_log(log, self.limits)
        last = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
        if last:
            reason += f"; the kernel's last error: {last[-1][-300:]}"
        died_in = self._died_in(snap_path)
        if died_in:
            reason += f"; it died in {died_in}"
        result.manual(reason)
        kept = sorted((job / "partly-executed").glob("*.ipynb"))
        result.detail = (
            (
                "kernel stderr:\n" + stderr
                if stderr
                else "kernel stderr: empty (the kernel exited without a word, e.g. os._exit)"
            )
            + "\nnbgrader:\n"
            + "\n".join(log.splitlines()[-60:])
        )
        result.job_dir = job
        result.kept = [str(p.resolve()) for p in kept] + [str((job / "kernel-stderr.log").resolve())]
        self._keep_unexecuted(course, result)
        result.cells = []

    @staticmethod
    def _died_in(snap_path: Path) -> str:
        """``"cell 14 (q3-answer) of 00-welcome"``: the cell that was running when the kernel died ('' if unknown)."""
        if not snap_path.is_file():
            return ""
        for ev in json.loads(snap_path.read_text()).get("events", []):
            if ev.get("event") == "kernel-died":
                gid = f" ({ev['grade_id']})" if ev.get("grade_id") else ""
                return f"cell {ev.get('cell_index', 0) + 1}{gid} of {ev.get('notebook', 'the notebook')}"
        return ""

    def _keep_unexecuted(self, course: Path, result: Result) -> None:
        """The submitted notebooks (repaired: released metadata, locked cells), unexecuted, as the autograded copy.

        nbgrader removes a failed submission's ``autograded/`` folder, and formgrader
        lists only notebooks found there: with these a person can grade every cell
        of a submission whose kernel died. No outputs, so no student output can
        carry anything; hidden tests stay in the instructor's copy only.
        """
        out = course / "unexecuted" / self.student / self.assignment
        src = course / "submitted" / self.student / self.assignment
        notebooks = sorted(src.glob("*.ipynb"))
        if not notebooks:
            return
        out.mkdir(parents=True, exist_ok=True)
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            nbformat.write(nb, out / path.name)
        result.unexecuted_dir = out

    def sandbox_config(self, job: Path, ipc: Path | None, cwd: Path, no_network: bool) -> sandbox.SandboxConfig:
        """The limits and isolation of this job's kernel."""
        hidden, rebind = self._hidden_paths()
        java = self._needs_loopback()
        return sandbox.SandboxConfig(
            # A JVM reserves address space it never touches (1 GB of class space alone), and
            # RLIMIT_AS counts reservations: Spark's driver needs a larger address-space limit.
            memory_mb=max(self.limits.memory_mb, JAVA_ADDRESS_SPACE_MB) if java else self.limits.memory_mb,
            cpu_seconds=self.limits.notebook_timeout,
            max_processes=JAVA_MAX_PROCESSES if java else sandbox.SandboxConfig.max_processes,
            isolate=self.isolate,
            uid=self.uid,
            hide=hidden,
            rebind=rebind,
            sockets=str(ipc.resolve()) if ipc else "",
            workdir=str(cwd.resolve()),
            workdir_source=str(cwd.resolve()),
            error_log=str((job / "kernel-stderr.log").resolve()),
            network=not no_network,
            loopback=java,
            readonly=sorted(
                {
                    str(self.root.resolve()),
                    str(course_root().resolve()),
                    str(Path(sys.prefix).resolve()),
                    str(Path(__file__).resolve().parents[1]),  # this tooling
                    str(Path(course_utils.__file__).resolve().parent),  # the student runtime
                    *_import_folders(),
                    *_data_folders(),
                }
            ),
        )

    def _needs_loopback(self) -> bool:
        """Does the assignment need a private loopback (Spark: ``course.needs`` holds ``java``)?"""
        from course_tools.notebook_runner import needs

        source = self.template / "solutions" / self.assignment
        return any("java" in needs(nb) for nb in source.glob("*.ipynb")) if source.is_dir() else False

    def probe(self) -> str:
        """Start this job's Python in its sandbox and import the kernel; return the error ('' if none).

        Run once before grading: a Python the sandbox user may not execute (a course folder
        at 0700, a Python under root's home) would otherwise end every submission as
        "the kernel died".
        """
        import subprocess

        job = self.scratch / "probe"
        cwd = job / "kernel-cwd"
        cwd.mkdir(parents=True)
        cfg = self.sandbox_config(job, None, cwd, sandbox.network_namespace_support() and self.isolate)
        cfg_path = cfg.save(job / "sandbox.json")
        code = "import ipykernel, course_utils, sys; print('probe ok', sys.executable)"
        cmd = [sys.executable, "-m", "course_tools.grading.sandbox", str(cfg_path), "--", sys.executable, "-c", code]
        try:
            out = subprocess.run(
                cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=sandbox.scrub_secrets(dict(os.environ))
            )
        except subprocess.TimeoutExpired:
            return "starting Python in the sandbox took over 120 s"
        if out.returncode == 0 and "probe ok" in out.stdout:
            return ""
        return (kernel_stderr(job) or out.stderr or out.stdout or f"exit code {out.returncode}").strip()

    def _kernel_cwd(self, job: Path, course: Path) -> Path:
        """The kernel's working folder: the student's own notebooks and the assignment's other files.

        Never the folder nbgrader executes in (its notebook holds the hidden tests).
        """
        cwd = job / "kernel-cwd"
        shutil.copytree(
            course / "submitted" / self.student / self.assignment,
            cwd,
            ignore=shutil.ignore_patterns("submission_secret.txt"),
        )
        source = self.template / "solutions" / self.assignment
        for path in source.rglob("*"):
            if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
                dest = cwd / path.relative_to(source)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
        return cwd

    def _hidden_paths(self) -> tuple[list[str], list[str]]:
        """What the kernel must not see, and what must stay visible inside it."""
        # the graded course, the one COURSE_ROOT names, and the checkout this package runs from
        found = {self.root.resolve(), course_root().resolve()}
        checkout = Path(__file__).resolve().parents[2]
        if (checkout / "nbgrader_config.py").is_file():
            found.add(checkout)
        roots = sorted(found)
        needed = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), *roots]
        if os.environ.get("COURSE_DATASETS_DIR"):
            needed.append(Path(os.environ["COURSE_DATASETS_DIR"]).resolve())
        hide = [
            str(e)
            for r in roots
            for e in sorted(r.iterdir())
            if e.name not in VISIBLE and not any(e == p or e in p.parents for p in needed)
        ]
        hide.append(str(self.scratch.resolve()))
        home = Path.home().resolve()
        if home != Path("/"):
            hide.append(str(home))
        if os.path.isdir("/run"):  # local sockets (PostgreSQL's peer login would know the grader's uid)
            hide.append("/run")
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
                    cells.append(
                        CellGrade(g.name, nb.name, auto, float(g.max_score), bool(g.needs_manual_grade), autograded)
                    )
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
                result.findings.append(
                    Finding(
                        "cell-timeout", f"{where} ran longer than {self.limits.cell_timeout} s and was stopped", "info"
                    )
                )
            elif ev["event"] == "MemoryError":
                result.findings.append(
                    Finding("memory-limit", f"{where} hit the {self.limits.memory_mb} MB memory cap", "info")
                )
            elif ev["event"] == "output-truncated":
                result.findings.append(
                    Finding(
                        "huge-output", f"{where} printed more than {ev['limit']:,} bytes; the rest was dropped", "info"
                    )
                )

    def _recheck(self, result: Result) -> None:
        """Re-run each passed test cell cleanly, hidden tests included (they never ran in the kernel)."""
        from course_tools.grading.verify import show_hidden_failure

        snaps = result.snapshots
        support = (self.support.result() if isinstance(self.support, cf.Future) else self.support) or {}
        suspicious = any(f.kind == "suspicious-code" for f in result.findings)
        for cell in result.cells:
            if not cell.autograded or not cell.auto_score:
                continue
            verifier = self.verifiers.get(cell.notebook)
            if verifier is None or cell.grade_id not in verifier.tests:
                continue
            if (
                not verifier.snapshot_vars.get(cell.grade_id)
                and verifier.tests[cell.grade_id] == verifier.visible[cell.grade_id]
            ):
                continue  # no hidden tests and no student variable read: nothing a student could fake
            check = verifier.recheck(
                cell.grade_id, snaps.get(cell.grade_id, {"__error__": "the cell left no snapshot"})
            )
            if check.outcome == "hidden-failed" and support.get("clean:" + cell.grade_id) is False:
                result.manual(
                    f"{cell.grade_id}: a hidden test fails on the clean re-run ({check.detail}), but so does the "
                    f"model solution's answer: the {cell.auto_score:g} point(s) of its visible check are provisional"
                )
                cell.needs_manual = True
            elif check.outcome == "hidden-failed":  # an ordinary wrong answer: 0 points, the hidden check's message
                cell.auto_score = 0.0
                if result.autograded_dir is not None:
                    show_hidden_failure(result.autograded_dir / f"{cell.notebook}.ipynb", cell.grade_id, check.detail)
            elif check.outcome in {"tampered", "unreadable"}:
                detail = check.detail
                result.findings.append(
                    Finding(
                        "recheck-failed",
                        f"{cell.grade_id} passed in the student's kernel but fails on a clean re-run ({detail})",
                    )
                )
                result.manual(
                    f"{cell.grade_id}: {cell.auto_score:g} point(s) withdrawn: the test passed only inside the "
                    f"student's kernel (checks or builtins patched?); clean re-run says {detail}"
                )
                cell.auto_score = 0.0
                cell.needs_manual = True
            elif check.outcome == "hidden-error":  # the clean re-run could not judge: a person does
                result.manual(
                    f"{cell.grade_id}: hidden tests could not run outside the student's kernel "
                    f"({check.detail}): the {cell.auto_score:g} point(s) of its visible check are provisional"
                )
                cell.needs_manual = True
            elif check.outcome == "unsupported":
                detail = check.detail
                if support.get(cell.grade_id):  # the model answer is plain data; this one is not
                    result.findings.append(
                        Finding("recheck-failed", f"{cell.grade_id}: {detail}, where the model answer is plain data")
                    )
                    result.manual(
                        f"{cell.grade_id}: {cell.auto_score:g} point(s) withdrawn: {detail}, so it cannot be "
                        "re-checked outside the student's kernel (the model answer can be); check it by hand"
                    )
                    cell.auto_score = 0.0
                elif verifier.tests[cell.grade_id] != verifier.visible[cell.grade_id]:
                    result.manual(
                        f"{cell.grade_id}: hidden tests not run ({detail}; hidden tests never run in the "
                        f"student's kernel): the {cell.auto_score:g} point(s) of its visible check are "
                        "provisional; check the hidden tests' cases by hand"
                    )
                elif suspicious:
                    result.manual(
                        f"{cell.grade_id}: cannot re-check ({detail}) and the notebook contains patching code"
                    )
                else:
                    result.findings.append(Finding("not-rechecked", f"{cell.grade_id}: {detail}", "info"))
                    continue
                cell.needs_manual = True


def solution_support(
    root: Path,
    assignment: str,
    scratch: Path,
    template: Path,
    given: dict[str, Any],
    verifiers: dict[str, Verifier],
    limits: Limits,
    isolate: bool,
    workers: Workers,
    cache: Path,
    uids: UidRange | None = None,
) -> dict[str, bool]:
    """For each test cell: can the model answer be copied out of a kernel as data? (cached per source version)

    Grades the solution notebooks once, like a submission. Where the model
    answer is plain data, a student's answer that is not (or whose copy is
    unreadable) cannot be trusted and goes to manual grading. ``clean:<grade_id>``
    says whether the model answer passes the clean re-run (hidden tests included):
    where it does not, a student's failed hidden test goes to a person, not to 0.
    """
    from course_tools.grading.snapshot import Unsupported, decode

    cached = cache / "support.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    job = Job(
        root,
        assignment,
        "model-solution",
        9999,
        scratch,
        template,
        given,
        verifiers,
        limits,
        isolate,
        workers,
        None,
        template / "solutions" / assignment,
        uids=uids,
    )
    result = job.run()
    if result.status == STATUS_MANUAL:  # grading students against a model that fails would be wrong
        raise GradingStopped(
            f"the model solution (solutions/{assignment}) could not be graded, so no submission was: "
            + "; ".join(result.reasons)
            + ("\n\n" + result.detail if result.detail else "")
            + "\n\nFix the cause above (run `make test PYTEST_ARGS=tests/content/test_autograde.py` to grade the "
            "solutions alone), then run the grader again."
        )
    support: dict[str, bool] = {}
    for gid, snap in result.snapshots.items():
        ok = "__error__" not in snap and bool(snap)
        for entry in snap.values() if ok else []:
            try:
                ok = ok and "json" in entry and not isinstance(decode(entry["json"]), Unsupported)
            except Exception:
                ok = False
        support[gid] = ok
    for verifier in verifiers.values():  # "clean:<grade_id>": does the model answer pass the clean re-run too?
        for gid in verifier.tests:
            support["clean:" + gid] = verifier.recheck(gid, result.snapshots.get(gid, {})).outcome in {
                "passes",
                "unsupported",
            }
    if result.status != STATUS_MANUAL and cache.is_dir():
        cached.write_text(json.dumps(support, indent=1))
    return support
