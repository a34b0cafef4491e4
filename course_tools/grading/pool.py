"""The pool of long-lived nbgrader worker processes (:mod:`course_tools.grading.worker`).

Each worker imports nbgrader once and then grades job after job; a worker
that hangs or dies is killed (with its kernel) and replaced. Workers get an
environment without credentials (:func:`course_tools.grading.sandbox.scrub_secrets`);
the jobs that open the course gradebook pass its URL in the job itself.
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


class Worker:
    """One :mod:`course_tools.grading.worker` process."""

    def __init__(self, log_path: Path, assignment: str = "") -> None:
        read_fd, write_fd = os.pipe()
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "course_tools.grading.worker",
                "--reply-fd",
                str(write_fd),
                "--zygote",
                str(log_path.with_suffix(".zygote").resolve()),
                *(["--assignment", assignment] if assignment else []),
            ],
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=self._log,
            pass_fds=(write_fd,),
            env=_clean_env(),
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
        """``n`` workers; their kernel templates compute ``assignment``'s check truths before the first fork."""
        import queue

        self._scratch = scratch
        self._assignment = assignment
        self._count = 0
        self._lock = threading.Lock()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: list[Worker] = []
        for _ in range(n):
            self._idle.put(self._new())

    def _new(self) -> Worker:
        with self._lock:
            self._count += 1
            worker = Worker(self._scratch / f"worker-{self._count}.log", self._assignment)
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
