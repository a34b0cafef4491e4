"""Check modules are declarative and independent: no check module imports another.

A definition two assignments share (the course's customer table, its columns, the log transform,
the prepared matrix, the reference segmentation) lives in the student runtime
(``course_utils.features`` and friends), where someone looking for it would look; a check module
imports it from there. Shared check *machinery* lives in ``course_utils.exercise``. A private
helper module inside ``course_utils/questions/`` (a name starting with ``_``) would be shared by
design and is allowed; there is none today.

Imports are read from the source (every ``import``, also those inside functions), so the test
needs no heavy import and catches a lazy one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import course_utils.questions as questions_pkg

PACKAGE = "course_utils.questions"
FOLDER = Path(questions_pkg.__file__).parent
CHECK_MODULES = sorted(p for p in FOLDER.glob("m*.py"))


def imported_check_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every check module of ``course_utils.questions`` that ``source`` imports.

    >>> imported_check_modules("from course_utils.questions.m03_clustering import FEATURES")
    [(1, 'm03_clustering')]
    >>> imported_check_modules("def f():\\n    from course_utils.questions import m04_evaluation as m")
    [(2, 'm04_evaluation')]
    >>> imported_check_modules("from . import m03_clustering\\nfrom .m04_evaluation import q1")
    [(1, 'm03_clustering'), (2, 'm04_evaluation')]
    >>> imported_check_modules("from course_utils.features import SKEWED\\nfrom course_utils.questions import _x")
    []
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = PACKAGE if node.level == 1 else (node.module or "")
            if node.level == 1 and node.module:
                base = f"{PACKAGE}.{node.module}"
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        for name in names:
            if name.startswith(PACKAGE + "."):
                module = name[len(PACKAGE) + 1 :].split(".")[0]
                if not module.startswith("_") and (node.lineno, module) not in found:
                    found.append((node.lineno, module))
    return sorted(found)


def test_there_are_check_modules() -> None:
    assert {"m03_clustering", "m04_evaluation", "m07_action"} <= {p.stem for p in CHECK_MODULES}


@pytest.mark.parametrize("path", CHECK_MODULES, ids=lambda p: p.stem)
def test_no_check_module_imports_another(path: Path) -> None:
    others = [(line, m) for line, m in imported_check_modules(path.read_text(encoding="utf-8")) if m != path.stem]
    assert not others, (
        f"course_utils/questions/{path.name} imports other check module(s): "
        + ", ".join(f"{m} (line {line})" for line, m in others)
        + ". Move what they share into the runtime (course_utils/features.py for the course's features)."
    )
