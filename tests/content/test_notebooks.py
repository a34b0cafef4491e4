"""Every lesson notebook executes headless, from a folder that is not its own.

Solution notebooks are executed once, by real nbgrader, in test_autograde.py. Each lesson runs
once per test run, also across `pytest -n` workers (``tests/support/lesson_runs.py``): test_prose_numbers.py
reads the same outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course_tools.site import remember_execution
from tests.support.lesson_runs import LESSONS, lesson_params, lesson_run  # noqa: F401 (lesson_run is a fixture)
from tests.support.lesson_runs import lesson_id as _id


def test_there_are_lessons() -> None:
    assert any(p.name == "00-welcome.ipynb" for p in LESSONS)


@pytest.mark.parametrize("path", lesson_params())
def test_lesson_executes(path: Path, lesson_run) -> None:
    result = lesson_run(path)
    assert result.error is None, f"{_id(path)} failed at {result.error}"
    code_cells = [c for c in result.notebook.cells if c.cell_type == "code"]
    assert code_cells, f"{_id(path)} has no code to run"
    assert all(c.get("execution_count") for c in code_cells), "some cells did not run"
    # The website (make site, tests/content/test_site.py) shows this very run instead of executing it again.
    remember_execution(path, result.notebook)
