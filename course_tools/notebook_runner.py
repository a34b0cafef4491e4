"""Find and execute the course's notebooks headless, measuring time and memory.

Used by the tests (every lesson must run) and by ``make bench``.

>>> [p.name for p in lesson_notebooks()][:1]
['00-welcome.ipynb']
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils.paths import course_root

DEFAULT_TIMEOUT = 300  # seconds per cell


def _notebooks(folder: str) -> list[Path]:
    base = course_root() / folder
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def lesson_notebooks() -> list[Path]:
    """All notebooks under ``lessons/``, in course order."""
    return _notebooks("lessons")


def solution_notebooks() -> list[Path]:
    """All notebooks under ``solutions/``."""
    return _notebooks("solutions")


def exercise_notebooks() -> list[Path]:
    """All notebooks under ``exercises/``."""
    return _notebooks("exercises")


def needs(path: Path) -> list[str]:
    """System parts a notebook needs beyond Python, from its metadata ``course.needs`` (e.g. ``["java"]``).

    >>> needs(lesson_notebooks()[0])
    []
    """
    import json

    meta = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    return list(meta.get("course", {}).get("needs", []))


def all_notebooks() -> list[Path]:
    """Lessons, solutions and exercises."""
    return lesson_notebooks() + solution_notebooks() + exercise_notebooks()


@dataclass
class Execution:
    """Result of running one notebook."""

    path: Path
    seconds: float
    peak_mib: float | None
    error: str | None
    notebook: Any
    #: the most memory the kernel's cgroup was charged (with ``memory_cgroup``), else ``None``
    cgroup_peak_mib: float | None = None
    #: processes the kernel killed for want of memory inside that cgroup
    oom_kills: int = 0


def _peak_rss_mib(pid: int) -> float | None:
    """Peak resident memory of a process (Linux ``VmHWM``), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _spawning(p: Any) -> bool:
    """True for a JVM's child that has not yet started its own program (``chmod``, ``rm``, a worker).

    Java starts a program by cloning itself and then replacing the clone: until then the child
    shares its parent's memory and reports the parent's whole RSS (a Spark JVM does this for every
    file it writes and at shutdown, more slowly on a busy machine), so counting it would add the JVM
    a second time. A JVM never forks a copy of itself that goes on running, so a JVM's child with
    the JVM's own command line is such a clone. (The clone is named after the Java thread that
    made it, not ``java``: compare command lines, not names.)
    """
    parent = p.parent()
    return parent is not None and parent.name() == "java" and p.cmdline() == parent.cmdline()


class _RssPoller:
    """Peak memory of a process and, with ``tree=True``, of all its descendants together (sampled).

    Without /proc (macOS) it is the kernel's only measure; with /proc it adds the kernel's children,
    such as Spark's JVM, which the kernel's own ``VmHWM`` does not count.
    """

    def __init__(self, pid: int, tree: bool = False) -> None:
        self.pid, self.tree, self.peak, self._stop = pid, tree, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            import psutil

            proc = psutil.Process(self.pid)
            while not self._stop.wait(0.05):
                procs = [proc, *proc.children(recursive=True)] if self.tree else [proc]
                total = 0
                for p in procs:
                    try:
                        if self.tree and p is not proc and _spawning(p):
                            continue
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total / 2**20)
        except Exception:
            return

    def __enter__(self) -> _RssPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=1)


def execute(
    path: Path,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
    figures: bool = False,
    memory_cgroup: bool = False,
    memory_limit_mib: float | None = None,
) -> Execution:
    """Run every cell of ``path`` in a fresh ``python3`` kernel.

    The notebook runs from ``cwd`` (a new empty temporary folder by default),
    as nbgrader would run it: a notebook that depends on its own folder fails
    here. The file on disk is never modified. ``error`` holds the first error
    (cell number and message) or ``None``. Figures are drawn off-screen and
    dropped (matplotlib's Agg) unless ``figures`` is true: then they are kept
    as PNG outputs, as JupyterLab shows them (the website reuses such runs).
    ``memory_cgroup`` runs the kernel, and all it starts, in a memory cgroup of its own
    (:mod:`course_tools.memory_cgroup`, root only), limited to ``memory_limit_mib`` when given, as
    a container's limit would: ``cgroup_peak_mib`` and ``oom_kills`` say what it was charged.
    """
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(str(path), as_version=4)
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline" if figures else "Agg"
    with (
        tempfile.TemporaryDirectory(prefix="course-nb-") as tmp,
        tempfile.TemporaryDirectory(prefix="course-ipc-") as ipc,
    ):
        workdir = cwd or Path(tmp)
        # Unix sockets in a private folder rather than loopback TCP ports: nothing else on the
        # machine can listen in, and ipykernel has no reason to warn about plain-text TCP.
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(ipc) / "kernel")
        client = NotebookClient(
            nb, config=config, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        )
        error = None
        peak = None
        joined = False
        group = _cgroup(path, memory_limit_mib) if memory_cgroup else None
        start = time.perf_counter()
        try:
            with client.setup_kernel():
                pid = getattr(client.km.provisioner, "pid", None) if client.km else None
                if group is not None and pid:
                    group.add(pid)  # before any cell runs: Spark's JVMs are born inside
                    joined = True
                # The kernel's own VmHWM where /proc exists, plus a sampled sum over the kernel and its
                # children (Spark's JVM is one): the peak reported is the larger of the two.
                poller = _RssPoller(pid, tree=True) if pid else None
                if poller:
                    poller.__enter__()
                try:
                    error = _run_cells(client, nb)
                    if pid and poller:
                        own = _peak_rss_mib(pid) if Path(f"/proc/{pid}").exists() else None
                        peak = max(own or 0.0, poller.peak) or None
                finally:
                    if poller:
                        poller.__exit__()
            result = Execution(path=path, seconds=time.perf_counter() - start, peak_mib=peak, error=error, notebook=nb)
            if group is not None and joined:
                _add_cgroup_figures(result, group, memory_limit_mib)
        finally:
            if group is not None:
                group.close()  # even when the kernel failed to start: no cgroup is left behind
            if env_backend is None:
                os.environ.pop("MPLBACKEND", None)
            else:
                os.environ["MPLBACKEND"] = env_backend
    return result


def _run_cells(client: Any, nb: Any) -> str | None:
    """Execute the cells in order; the first error (cell number and last line), or ``None``."""
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    for index, cell in enumerate(nb.cells):
        try:
            client.execute_cell(cell, index)
        except CellExecutionError as err:
            first = str(err).strip().splitlines()
            return f"cell {index + 1}: " + (first[-1] if first else repr(err))
        except DeadKernelError:
            return f"cell {index + 1}: the kernel died"
    return None


def _add_cgroup_figures(result: Execution, group: Any, limit_mib: float | None) -> None:
    """Copy the cgroup's charged peak and OOM kills into ``result``; name the kills in its error."""
    result.cgroup_peak_mib, result.oom_kills = group.peak_mib(), group.oom_kills()
    if result.oom_kills and result.error:
        limit = f"the {limit_mib:.0f} MiB limit" if limit_mib else "the machine's memory limit"
        result.error += f" (out of memory: {result.oom_kills} process(es) killed at {limit})"


def _cgroup(path: Path, limit_mib: float | None) -> Any:
    """A memory cgroup for one notebook's kernel (:class:`course_tools.memory_cgroup.MemoryCgroup`)."""
    from course_tools.memory_cgroup import MemoryCgroup

    return MemoryCgroup(path.stem, limit_mib)
