"""The pool of long-lived nbgrader worker processes (:mod:`course_tools.grading.worker`).

Each worker imports nbgrader once and then grades job after job; a worker
that hangs or dies is killed (with its kernel) and replaced. Workers get an
environment without credentials (:func:`course_tools.grading.sandbox.scrub_secrets`);
the jobs that open the course gradebook pass its URL in the job itself.

One kernel template (:class:`SharedZygote`, :mod:`course_tools.grading.zygote`) serves every
worker of the run: the libraries are imported and the check truths computed once, not once
per worker, during the run's set-up when the cores are busiest. If it dies it is started
again; meanwhile kernels start the ordinary way, and the kernels it already forked run on
(each is tied to its sandbox launcher, not to the template).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from course_tools.grading.sandbox import scrub_secrets
from course_tools.nbgrader_tools import nbgrader_env


def _clean_env() -> dict[str, str]:
    """The workers' environment: no credentials (a job that needs the course gradebook gets its URL)."""
    return scrub_secrets(nbgrader_env())


class SharedZygote:
    """The run's one kernel template process, kept running: started again whenever it dies.

    A thread of its own starts it and waits for it, so that the template's parent-death signal
    (it dies with the thread that started it) fires only when this object is closed or the
    grader dies, never when a job's thread ends.
    """

    def __init__(self, path: Path, assignment: str, log: Path) -> None:
        """Listen on ``path`` (a Unix socket); compute ``assignment``'s check truths before the first fork."""
        self.path = str(path.resolve())
        self._assignment = assignment
        self._log = log
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._thread = threading.Thread(target=self._keep_running, name="grading-zygote", daemon=True)
        self._thread.start()

    @staticmethod
    def usable(path: Path) -> bool:
        """Can kernels be forked from a template here (sandbox available, socket path short enough)?"""
        from course_tools.grading.sandbox import isolation_support

        no_zygote = bool(os.environ.get("COURSE_GRADING_NO_ZYGOTE"))
        return not no_zygote and isolation_support()[0] and len(str(path.resolve())) <= 100

    def _start(self) -> subprocess.Popen[bytes]:
        from course_tools.grading.sandbox import kernel_env
        from course_tools.grading.zygote import WARM_ENV

        env = kernel_env(_clean_env())
        if self._assignment:
            env[WARM_ENV] = self._assignment
        with open(self._log, "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "course_tools.grading.zygote", self.path],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=os.path.dirname(self.path) or ".",
                start_new_session=True,
            )

    def _keep_running(self) -> None:
        while not self._closed.is_set():
            with self._lock:
                if self._closed.is_set():
                    return
                self.proc = self._start()
                self.starts += 1
            self.proc.wait()
            if not self._closed.is_set():
                self._closed.wait(0.2)  # died: start it again (a template that cannot start is not retried in a loop)

    def close(self) -> None:
        """Stop the template (kernels it forked are their launchers' and end with them)."""
        with self._lock:
            self._closed.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self._thread.join(timeout=10)


class Worker:
    """One :mod:`course_tools.grading.worker` process (its kernels forked from ``zygote``, if given)."""

    def __init__(self, log_path: Path, zygote: str = "") -> None:
        from course_tools.grading.zygote import ZYGOTE_ENV

        read_fd, write_fd = os.pipe()
        self._log = open(log_path, "ab")
        env = _clean_env()
        if zygote:
            env[ZYGOTE_ENV] = zygote  # the sandbox launchers nbgrader starts find the template there
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "course_tools.grading.worker", "--reply-fd", str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=self._log,
            pass_fds=(write_fd,),
            env=env,
            start_new_session=True,
        )
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


class Workers:
    """A pool of workers; a worker that hangs or dies is replaced."""

    def __init__(self, scratch: Path, n: int, assignment: str = "") -> None:
        """``n`` workers sharing one kernel template that computes ``assignment``'s check truths before it forks."""
        import queue

        self._scratch = scratch
        sock = scratch / "zygote.sock"
        self.zygote = SharedZygote(sock, assignment, scratch / "zygote.log") if SharedZygote.usable(sock) else None
        self._count = 0
        self._lock = threading.Lock()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: list[Worker] = []
        self._size = n
        for _ in range(n):
            self._idle.put(self._new())

    @property
    def size(self) -> int:
        """How many workers the pool keeps (jobs that can run at once)."""
        return self._size

    def _new(self) -> Worker:
        with self._lock:
            self._count += 1
            worker = Worker(self._scratch / f"worker-{self._count}.log", self.zygote.path if self.zygote else "")
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
        if self.zygote is not None:
            self.zygote.close()
