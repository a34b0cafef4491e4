"""Exercise checks, one module per assignment (``m00_welcome`` for ``00-welcome``).

Each module defines ``Question`` objects (``q1``, ``q2``...) and a
``QUESTIONS`` dict naming them. Known-wrong answers for every question live
in ``tests/checks/known_wrong/`` and are tested against these checks.
"""

from __future__ import annotations

import importlib
import importlib.util
import re


def module_name(assignment: str) -> str | None:
    """The checks' module of ``assignment`` (``00-welcome`` -> ``course_utils.questions.m00_welcome``).

    >>> module_name("01-wrangling"), module_name("notes")
    ('course_utils.questions.m01_wrangling', None)
    """
    if not re.fullmatch(r"\d\d-[a-z0-9-]+", assignment):
        return None
    return f"{__name__}.m{assignment.replace('-', '_')}"


def warm(assignment: str) -> list[str]:
    """Compute the expected answers of ``assignment``'s checks now, if its module says how (``warm()``).

    The grader's kernel template (``course_tools.grading.zygote``) calls this before it forks
    any kernel and before any student code runs, so every kernel inherits the checks' cached
    truths, computed from the course files alone, instead of computing them again. Returns what
    was warmed (the cached functions' names); nothing for a module without ``warm()``.
    """
    name = module_name(assignment)
    if name is None or importlib.util.find_spec(name) is None:
        return []
    module = importlib.import_module(name)
    fn = getattr(module, "warm", None)
    return list(fn()) if callable(fn) else []
