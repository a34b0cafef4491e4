"""Every lesson notebook executes headless, from a folder that is not its own.

Solution notebooks are executed once, by real nbgrader, in test_autograde.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course_utils.notebooks import execute, lesson_notebooks
from course_utils.paths import course_root
from course_utils.site import remember_execution

LESSONS = lesson_notebooks()


def _id(path: Path) -> str:
    return str(path.relative_to(course_root()))


def test_there_are_lessons() -> None:
    assert any(p.name == "00-welcome.ipynb" for p in LESSONS)


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lesson_executes(path: Path) -> None:
    result = execute(path, figures=True)
    assert result.error is None, f"{_id(path)} failed at {result.error}"
    code_cells = [c for c in result.notebook.cells if c.cell_type == "code"]
    assert code_cells, f"{_id(path)} has no code to run"
    assert all(c.get("execution_count") for c in code_cells), "some cells did not run"
    # The website (make site, tests/test_site.py) shows this very run instead of executing it again.
    remember_execution(path, result.notebook)
