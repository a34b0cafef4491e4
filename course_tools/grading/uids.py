"""Sandbox uids for one grading run: a range of its own, held for as long as the run lasts.

As root, every kernel of a run drops to a uid of its own (``base + job index``),
and the per-uid process limit (``RLIMIT_NPROC``) counts every process of that
uid on the machine. Two runs that used the same uids (two instructors on one
hub, or one Spark kernel with many threads next to another run's kernel) shared
that limit, and kernels failed with ``BlockingIOError: Resource temporarily
unavailable``. So each run takes a free *slot*: a range of :data:`SLOT_SIZE`
uids, held by an ``flock`` on the slot's lock file in :func:`lock_dir`
(shared by every user of the machine), released when the run ends or its
process dies (the kernel drops the lock with the process).

>>> import tempfile
>>> where = Path(tempfile.mkdtemp())
>>> a, b = allocate(where), allocate(where)
>>> set(range(a.uid(0), a.uid(SLOT_SIZE - 1) + 1)).isdisjoint(range(b.uid(0), b.uid(SLOT_SIZE - 1) + 1))
True
>>> a.release(); b.release()
>>> allocate(where).first == BASE  # free again
True
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The first sandbox uid (slot 0 starts there).
BASE = 62000
#: Uids per run: one per job (job index), plus the probe (9998) and the model solution (9999).
SLOT_SIZE = 10000
#: How many runs may hold a range at once (slot 31 ends at uid 381999).
SLOTS = 32


def lock_dir() -> Path:
    """Where the slots' lock files live: ``$COURSE_GRADING_UID_LOCKS``, else ``/tmp/course-grading-uids``."""
    base = "/tmp" if os.access("/tmp", os.W_OK) else tempfile.gettempdir()  # not $TMPDIR: every run must meet here
    return Path(os.environ.get("COURSE_GRADING_UID_LOCKS") or Path(base) / "course-grading-uids")


@dataclass
class UidRange:
    """A run's uids: ``uid(index)`` for job ``index``; hold it until :meth:`release`."""

    slot: int
    first: int
    _fd: int | None = field(default=None, repr=False)

    def uid(self, index: int) -> int:
        if not 0 <= index < SLOT_SIZE:
            raise ValueError(f"job index {index} is outside this run's {SLOT_SIZE} uids")
        return self.first + index

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the flock
            self._fd = None


def _open(path: Path) -> int:
    """A descriptor of ``path`` for flock, whoever created it (read-only is enough for flock).

    In a sticky, world-writable folder (``/tmp``) ``fs.protected_regular`` refuses
    ``O_CREAT`` on another user's file, so an existing file is opened without it.
    """
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.fchmod(fd, 0o644)
            return fd
        except FileExistsError:  # another run created it meanwhile
            return os.open(path, os.O_RDONLY)


def allocate(where: Path | None = None) -> UidRange:
    """Take the first free slot (no other run holds its lock); raise ``RuntimeError`` when all are taken."""
    where = where or lock_dir()
    if not where.is_dir():
        where.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(where, 0o1777)  # every user's grading runs take slots here
        except PermissionError:
            pass
    for slot in range(SLOTS):
        fd = _open(where / f"slot-{slot:02d}.lock")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return UidRange(slot, BASE + slot * SLOT_SIZE, fd)
    raise RuntimeError(
        f"all {SLOTS} sandbox uid ranges are in use by other grading runs ({where}); wait for one to finish"
    )
