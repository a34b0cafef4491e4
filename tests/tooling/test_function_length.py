"""No function in the course's code is longer than about a screen and a half (80 lines).

A long function is a god function in miniature: split it into named steps. Measured from the
``def`` line (decorators included) to the function's last line, over course_utils/ (the student
runtime) and course_tools/ (the instructor tooling), nested functions and methods included.
course_utils/questions/ is measured too: no declarative table there needs an exemption.
"""

from __future__ import annotations

import ast

from course_utils.paths import course_root

ROOT = course_root()
PACKAGES = ("course_utils", "course_tools")
MAX_LINES = 80

# Exactly these functions may be longer, each for a reason named here. Remove an entry when the
# function is split (the test then fails if it grows back).
ALLOWED: set[tuple[str, str]] = set()


def _long_functions() -> list[tuple[str, int, str, int]]:
    """(file, line, name, length) of every function over MAX_LINES, in file order."""
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                    length = node.end_lineno - first + 1 if node.end_lineno is not None else 0
                    if length > MAX_LINES:
                        out.append((rel, first, node.name, length))
    return out


def test_no_function_is_longer_than_80_lines():
    offenders = [
        f"{rel}:{line} {name} ({length} lines)"
        for rel, line, name, length in _long_functions()
        if (rel, name) not in ALLOWED
    ]
    assert not offenders, f"functions longer than {MAX_LINES} lines; split each into named steps:\n  " + "\n  ".join(
        offenders
    )


def test_every_allowed_function_still_exists_and_is_long():
    long_ones = {(rel, name) for rel, _, name, _ in _long_functions()}
    stale = sorted(ALLOWED - long_ones)
    assert not stale, f"remove these from ALLOWED in tests/tooling/test_function_length.py (now short or gone): {stale}"
