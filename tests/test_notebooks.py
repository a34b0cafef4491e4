"""Every lesson notebook executes headless, from a folder that is not its own.

Solution notebooks are executed once, by real nbgrader, in test_autograde.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course_utils.notebooks import execute, lesson_notebooks, needs
from course_utils.paths import course_root
from tests.system import missing

LESSONS = lesson_notebooks()


def _id(path: Path) -> str:
    return str(path.relative_to(course_root()))


def test_there_are_lessons() -> None:
    assert any(p.name == "00-welcome.ipynb" for p in LESSONS)


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lesson_executes(path: Path) -> None:
    if "java" in needs(path):  # lesson 7c (Spark): required under CI, skipped with one line elsewhere
        from course_utils.spark import MIN_JAVA, java_version

        if (java_version() or 0) < MIN_JAVA:
            missing(f"Java {MIN_JAVA} or newer (for {path.name})", "sudo apt-get install openjdk-17-jre-headless")
    result = execute(path)
    assert result.error is None, f"{_id(path)} failed at {result.error}"
    code_cells = [c for c in result.notebook.cells if c.cell_type == "code"]
    assert code_cells, f"{_id(path)} has no code to run"
    assert all(c.get("execution_count") for c in code_cells), "some cells did not run"
