"""Each lesson executed once per test session, shared by every test that needs its outputs.

``tests/test_notebooks.py`` (the lesson runs) and ``tests/test_prose_numbers.py`` (the numbers its
prose states are printed) read the same execution. Under ``make test`` (``--dist loadgroup``) the
tests of one lesson carry the same ``xdist_group``, so they land on one worker and the lesson runs
once there; with ``-n 0`` everything runs in one process and the cache is shared the same way.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from course_utils.notebooks import Execution, execute, lesson_notebooks
from course_utils.paths import course_root

LESSONS = lesson_notebooks()


def lesson_id(path: Path) -> str:
    """The lesson's path inside the course, e.g. ``lessons/00-welcome/00-welcome.ipynb``."""
    return str(path.relative_to(course_root()))


@functools.cache
def executed(path: Path) -> Execution:
    """Run ``path`` once (in a fresh kernel, from an empty folder); later calls reuse the result."""
    return execute(path)


def lesson_params() -> list[Any]:
    """One ``pytest.param`` per lesson, slow, grouped by lesson so one worker runs it once."""
    return [
        pytest.param(path, id=lesson_id(path),
                     marks=[pytest.mark.slow, pytest.mark.xdist_group(f"lesson:{path.stem}")])
        for path in LESSONS
    ]
