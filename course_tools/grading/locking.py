"""One grader at a time per assignment: a lock file in the course folder.

Two graders of the same assignment at once would race on ``autograded/``,
``feedback/`` and the exports. :func:`assignment_lock` takes an exclusive
``flock`` on ``.grading-<assignment>.lock`` in the course folder; a second
grader waits for it (saying who holds it) up to ``wait`` seconds, then stops
with :class:`LockBusy`. The lock goes with the process: a grader that is
killed never leaves a stale lock behind. Different assignments do not wait
for each other.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with assignment_lock(root, "00-welcome", wait=0):
...     try:
...         with assignment_lock(root, "00-welcome", wait=0):
...             pass
...     except LockBusy as err:
...         print("busy:", "another grader" in str(err))
busy: True
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class LockBusy(RuntimeError):
    """Another grader holds the assignment's lock and did not let go in time."""


def lock_path(root: Path, assignment: str) -> Path:
    return root / f".grading-{assignment}.lock"


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"


@contextlib.contextmanager
def assignment_lock(
    root: Path, assignment: str, *, wait: float = 3600, echo: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold the grading lock of ``assignment`` in ``root`` (wait up to ``wait`` seconds for it)."""
    path = lock_path(root, assignment)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"another grader is grading {assignment} ({_holder(path)}; lock {path}); waited {wait:g} s. "
                        "Run again when it has finished (or give --lock-wait more seconds)."
                    ) from None
                if echo and not told:
                    echo(f"another grader is grading {assignment} ({_holder(path)}): waiting for it to finish...")
                    told = True
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} as uid {os.geteuid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        yield path
    finally:
        os.close(fd)  # releases the lock
