"""The memory cgroup ``make bench`` runs each notebook in: real cgroups, real kernels, real kills.

What the bench relies on, property by property: a limited group kills what does not fit (and says
so), a page shared by several processes is charged once (where summing resident sets counts it once
per process), a notebook's kernel and the processes it starts are charged to the group, and the
group is removed afterwards. Needs root and a writable memory cgroup (CI has both).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from course_tools import bench, memory_cgroup
from course_tools.memory_cgroup import MemoryCgroup
from course_tools.notebook_runner import Execution, execute

OK, WHY = memory_cgroup.available()
needs_cgroup = pytest.mark.skipif(not OK, reason=f"no memory cgroup on this machine: {WHY}")

#: A process that waits for one line on stdin, then touches ``MiB`` of fresh memory and reports.
ALLOCATE = """
import sys
sys.stdin.readline()
block = bytearray({mib} * 2**20)
for i in range(0, len(block), 4096):
    block[i] = 1
print("allocated", flush=True)
"""


def _started_inside(group: MemoryCgroup, code: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    group.add(proc.pid)
    return proc


@needs_cgroup
def test_a_limited_group_kills_what_does_not_fit_and_counts_the_kill() -> None:
    with MemoryCgroup("test-kill", limit_mib=120) as group:
        proc = _started_inside(group, ALLOCATE.format(mib=300))
        out, _ = proc.communicate("go\n", timeout=60)
        assert proc.returncode == -9, f"300 MiB inside a 120 MiB limit ran to the end (exit {proc.returncode})"
        assert "allocated" not in out
        assert group.oom_kills() >= 1
        assert group.peak_mib() <= 121


@needs_cgroup
def test_what_fits_runs_and_its_peak_is_charged() -> None:
    with MemoryCgroup("test-fit", limit_mib=400) as group:
        proc = _started_inside(group, ALLOCATE.format(mib=150))
        out, _ = proc.communicate("go\n", timeout=60)
        assert proc.returncode == 0 and "allocated" in out
        assert group.oom_kills() == 0
        assert 150 <= group.peak_mib() < 400


@needs_cgroup
def test_pages_shared_by_forked_processes_are_charged_once() -> None:
    """Why the bench reads the cgroup: three processes sharing 200 MiB are ~600 MiB of summed RSS."""
    code = """
import os, sys, time
block = bytearray(200 * 2**20)
for i in range(0, len(block), 4096):
    block[i] = 1
kids = [os.fork() for _ in range(2)]
if 0 in kids:
    time.sleep(30); os._exit(0)
print("ready", flush=True)
sys.stdin.readline()
"""
    with MemoryCgroup("test-shared") as group:
        proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            group.add(proc.pid)
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(0.5)
            tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children()]
            summed = sum(p.memory_info().rss for p in tree) / 2**20
            charged = group.peak_mib()
        finally:
            for child in psutil.Process(proc.pid).children():
                child.kill()
            proc.communicate("done\n", timeout=30)
    assert len(tree) == 3
    assert summed > 550, f"the three processes' resident sets add up to {summed:.0f} MiB"
    assert 200 <= charged < 350, f"the cgroup was charged {charged:.0f} MiB for 200 MiB shared by three processes"


@needs_cgroup
def test_the_group_is_removed_when_its_processes_have_ended() -> None:
    group = MemoryCgroup("test-removed", limit_mib=100)
    proc = _started_inside(group, ALLOCATE.format(mib=10))
    proc.communicate("go\n", timeout=60)
    group.close()
    assert not group.path.exists()


def _notebook(tmp_path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "memory.ipynb"
    nbformat.write(nb, path)
    return path


@needs_cgroup
def test_a_notebooks_kernel_and_its_children_are_charged_to_its_group(tmp_path: Path) -> None:
    """The kernel starts a child (as Spark's JVM is one) that holds 250 MiB: the group is charged for it."""
    child = "import time\\nb = bytearray(250 * 2**20)\\nfor i in range(0, len(b), 4096): b[i] = 1\\ntime.sleep(1)"
    code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', '{child}'], check=True)"
    result = execute(_notebook(tmp_path, code), memory_cgroup=True)
    assert result.error is None
    assert result.cgroup_peak_mib is not None and result.cgroup_peak_mib > 250
    assert result.oom_kills == 0


@needs_cgroup
def test_a_notebook_over_its_limit_is_killed_and_the_bench_says_so(tmp_path: Path) -> None:
    code = "b = bytearray(600 * 2**20)\nfor i in range(0, len(b), 4096): b[i] = 1"
    result = execute(_notebook(tmp_path, code), memory_cgroup=True, memory_limit_mib=300)
    assert result.oom_kills >= 1
    assert result.error is not None and "out of memory" in result.error and "300 MiB" in result.error
    status = bench._status(result, 60, 300, limited=True)
    assert status.startswith("over 300 MiB budget: killed")


def _execution(seconds: float, peak: float, error: str | None = None, oom: int = 0) -> Execution:
    return Execution(Path("x.ipynb"), seconds, peak, error, None, cgroup_peak_mib=None, oom_kills=oom)


def test_the_bench_status_follows_the_measure_it_had() -> None:
    # inside a limited cgroup the limit is the test: a large resident-set sum that ran to the end fits
    assert bench._status(_execution(10, 900), 60, 600, limited=True) == "ok"
    # without one, the sum of resident sets is compared with the budget
    assert bench._status(_execution(10, 900), 60, 600, limited=False) == "over 600 MiB budget"
    assert bench._status(_execution(61, 100), 60, 600, limited=True) == "over 60 s budget"
    assert bench._status(_execution(5, 100, "cell 3: NameError"), 60, 600, limited=True) == "ERROR cell 3: NameError"


def test_without_root_the_reason_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_cgroup.os, "geteuid", lambda: 1000)
    ok, why = memory_cgroup.available()
    assert not ok and "root" in why
