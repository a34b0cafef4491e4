"""Each lesson executed once per test session, shared by every test that needs its outputs.

``tests/content/test_notebooks.py`` (the lesson runs) and ``tests/content/test_prose_numbers.py`` (the numbers its
prose states are printed) read the same execution. In one process a dictionary holds it. Under
``pytest -n`` each worker is its own process, so the first worker to need a lesson runs it and
writes the executed notebook to a folder that all workers of the run share (pytest's base
temporary folder, as pytest-xdist's documentation recommends); a lock per lesson makes a second
worker wait for that run instead of starting its own. The folder belongs to this run only, so a
changed lesson, dataset or helper is never judged on an old execution.

The two tests of a lesson are also grouped with ``xdist_group``; the lock keeps the run single even
where grouping fails (pytest 9.2 with pytest-xdist 3.8 silently stopped grouping, pytest-xdist issue
#1386, which is why pytest is pinned below 9.2).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools.notebook_runner import Execution, execute, lesson_notebooks, needs
from course_utils.paths import course_root
from tests.support.system import missing

LESSONS = lesson_notebooks()
_RUNS: dict[Path, Execution] = {}

try:
    import fcntl
except ImportError:  # Windows: no lock, at worst a lesson runs twice
    fcntl = None  # type: ignore[assignment]


def lesson_id(path: Path) -> str:
    """The lesson's path inside the course, e.g. ``lessons/00-welcome/00-welcome.ipynb``."""
    return str(path.relative_to(course_root()))


def _require_system_parts(path: Path) -> None:
    """Skip (fail under CI=true) a lesson whose metadata says it needs Java (lesson 7c, Spark) without it."""
    if "java" in needs(path):
        from course_utils.spark import MIN_JAVA, java_version

        if (java_version() or 0) < MIN_JAVA:
            missing(f"Java {MIN_JAVA} or newer (for {path.name})", "sudo apt-get install openjdk-17-jre-headless")


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    with open(lock, "w") as handle:
        if fcntl:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl:
                fcntl.flock(handle, fcntl.LOCK_UN)


def executed(path: Path, shared: Path | None = None) -> Execution:
    """Run ``path`` once (fresh kernel, empty folder, figures kept for the website's cache); later
    calls, in any worker, reuse the result.

    ``shared`` is a folder all the run's workers see; without it the result is kept in this
    process only.
    """
    if path in _RUNS:
        return _RUNS[path]
    _require_system_parts(path)
    if shared is None:
        _RUNS[path] = execute(path, figures=True)
        return _RUNS[path]
    shared.mkdir(parents=True, exist_ok=True)
    stem = path.relative_to(course_root()).with_suffix("").as_posix().replace("/", "__")
    notebook, meta = shared / f"{stem}.ipynb", shared / f"{stem}.json"
    with _locked(shared / f"{stem}.lock"):
        if meta.exists():
            facts = json.loads(meta.read_text(encoding="utf-8"))
            result = Execution(path=path, notebook=nbformat.read(str(notebook), as_version=4), **facts)
        else:
            result = execute(path, figures=True)
            nbformat.write(result.notebook, str(notebook))
            facts = {"seconds": result.seconds, "peak_mib": result.peak_mib, "error": result.error}
            meta.write_text(json.dumps(facts), encoding="utf-8")  # written last: marks the run complete
    _RUNS[path] = result
    return result


@pytest.fixture(scope="session")
def lesson_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``lesson_run(path)``: the lesson's execution, shared by every test and worker of the run."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return executed  # one process: the in-memory cache is enough
    # under xdist the base temp is <run folder>/popen-gwN: its parent belongs to this run only
    shared = tmp_path_factory.getbasetemp().parent / "lesson-runs"
    return lambda path: executed(path, shared)


def lesson_params() -> list[Any]:
    """One ``pytest.param`` per lesson, marked slow (and grouped, for when loadgroup works again)."""
    return [
        pytest.param(path, id=lesson_id(path), marks=[pytest.mark.slow, pytest.mark.xdist_group(f"lesson:{path.stem}")])
        for path in LESSONS
    ]
