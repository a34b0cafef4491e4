"""Memory as a container's limit counts it: a Linux memory cgroup around one notebook's kernel.

A 2 GB Binder is a Kubernetes pod, and the pod's limit is a *memory cgroup*: the kernel charges
every page a process in the group touches once, however many processes share it (six Spark JVMs
map the same ``libjvm.so`` and Java class image), reclaims the group's file cache when the limit
is near, and kills a process (OOM) only when what is left still does not fit. Summing each
process's resident set size (RSS) counts shared pages once per process, so it overstates what such
a limit sees; a run *inside* a cgroup limited to the budget is the real test.

:class:`MemoryCgroup` makes such a group (cgroup v2, or v1's ``memory`` controller), moves a
process into it (its children are born inside), and reads the group's peak and its OOM kills.
It needs root and a writable cgroup file system; :func:`available` says whether this machine has
one and, when not, why.

>>> group_name("nb", 42)
'course-bench-nb-42'
>>> limit_line(1800.0)
'1887436800'
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

__all__ = ["MemoryCgroup", "available", "group_name", "limit_line"]

V2_ROOT = Path("/sys/fs/cgroup")
V1_ROOT = Path("/sys/fs/cgroup/memory")


def group_name(label: str, pid: int) -> str:
    """The cgroup's folder name: the course's prefix, a label and this process's id."""
    return f"course-bench-{label}-{pid}"


def limit_line(limit_mib: float) -> str:
    """The limit in bytes, as the cgroup files take it."""
    return str(int(limit_mib * 2**20))


def _version() -> int | None:
    """2 for a writable unified hierarchy with the memory controller, 1 for v1's memory controller."""
    controllers = V2_ROOT / "cgroup.controllers"
    if controllers.is_file() and "memory" in controllers.read_text().split():
        return 2 if os.access(V2_ROOT, os.W_OK) else None
    if (V1_ROOT / "memory.limit_in_bytes").is_file() and os.access(V1_ROOT, os.W_OK):
        return 1
    return None


def available() -> tuple[bool, str]:
    """Whether a memory cgroup can be made here, and if not, why (in words)."""
    if not Path("/proc/self/cgroup").is_file():
        return False, "not Linux: no cgroups"
    if os.geteuid() != 0:
        return False, "memory cgroups need root (run `make bench` as root, as CI does)"
    version = _version()
    if version is None:
        return False, "no writable memory cgroup controller under /sys/fs/cgroup"
    return True, f"cgroup v{version}"


class MemoryCgroup:
    """A memory cgroup of its own, optionally limited to ``limit_mib``; removed on :meth:`close`.

    A child that allocates 40 MiB inside a 200 MiB group is charged for it and not killed
    (where cgroups cannot be made, :func:`available` says why instead):

    >>> import subprocess, sys
    >>> if available()[0]:
    ...     group = MemoryCgroup("doctest", limit_mib=200)
    ...     child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read(); x = bytearray(40 << 20)"],
    ...                              stdin=subprocess.PIPE)
    ...     group.add(child.pid)
    ...     _ = child.communicate(b"")
    ...     print(group.peak_mib() > 40, group.oom_kills())
    ...     group.close()
    ... else:
    ...     print(True, 0)
    True 0
    """

    def __init__(self, label: str, limit_mib: float | None = None) -> None:
        version = _version()
        if version is None:
            raise RuntimeError(available()[1])
        self.version = version
        parent = V2_ROOT if version == 2 else V1_ROOT
        self.path = parent / group_name(label, os.getpid())
        self.path.mkdir()
        if version == 1:
            # pages a process touched before it moved go with it, where the kernel still offers
            # that (Linux 6.x deprecates it); either way, what the JVMs allocate is born inside
            with contextlib.suppress(OSError):
                (self.path / "memory.move_charge_at_immigrate").write_text("3")
        if limit_mib is not None:
            name = "memory.max" if version == 2 else "memory.limit_in_bytes"
            (self.path / name).write_text(limit_line(limit_mib))
        self.limit_mib = limit_mib

    def add(self, pid: int) -> None:
        """Move process ``pid`` into the group; the processes it starts afterwards are born inside."""
        (self.path / "cgroup.procs").write_text(str(pid))

    def peak_mib(self) -> float:
        """The most memory the group was charged at any moment (its file cache included)."""
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        return int((self.path / name).read_text().split()[0]) / 2**20

    def oom_kills(self) -> int:
        """How many processes of the group the kernel killed for want of memory."""
        text = (self.path / ("memory.events" if self.version == 2 else "memory.oom_control")).read_text()
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def close(self, timeout: float = 10.0) -> None:
        """Remove the group once its processes have ended (a process still inside is left in place)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if not (self.path / "cgroup.procs").read_text().split():
                    self.path.rmdir()
                    return
            time.sleep(0.2)

    def __enter__(self) -> MemoryCgroup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
