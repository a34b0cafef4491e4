"""Every question's checker: right answers pass, known-wrong answers fail helpfully.

Runs in-process against ``course_utils.questions`` (no notebook execution), so
it stays fast as the course grows.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import course_utils.questions as questions_pkg
from course_utils.exercise import Incorrect, NotAttempted, Question, ____

MODULES = sorted(m.name for m in pkgutil.iter_modules(questions_pkg.__path__) if m.name.startswith("m"))


def _value(v: Any) -> Any:
    return v() if isinstance(v, Callable) and not isinstance(v, type) else v


def _cases(kind: str) -> list[Any]:
    out = []
    for mod in MODULES:
        known = importlib.import_module(f"tests.checks.known_wrong.{mod}")
        if kind == "right":
            for qname, values in known.RIGHT.items():
                out += [pytest.param(mod, qname, v, id=f"{mod}.{qname}.right{i}") for i, v in enumerate(values)]
        else:
            for i, (qname, value, fragment) in enumerate(known.WRONG):
                out.append(pytest.param(mod, qname, value, fragment, id=f"{mod}.{qname}.wrong{i}"))
    return out


def _question(mod: str, qname: str) -> Question:
    return importlib.import_module(f"course_utils.questions.{mod}").QUESTIONS[qname]


def test_modules_found() -> None:
    assert "m00_welcome" in MODULES


@pytest.mark.parametrize("mod", MODULES)
def test_every_question_has_cases(mod: str) -> None:
    """Each question needs at least one right answer and two known-wrong ones."""
    known = importlib.import_module(f"tests.checks.known_wrong.{mod}")
    qs = importlib.import_module(f"course_utils.questions.{mod}").QUESTIONS
    assert qs, f"{mod} defines no QUESTIONS"
    for qname in qs:
        assert known.RIGHT.get(qname), f"{mod}.{qname} has no RIGHT answer in tests/checks/known_wrong/{mod}.py"
        n_wrong = sum(1 for q, *_ in known.WRONG if q == qname)
        assert n_wrong >= 2, f"{mod}.{qname} has {n_wrong} known-wrong answers; add the real mistakes (at least 2)"
    unknown = {q for q, *_ in known.WRONG} | set(known.RIGHT)
    assert unknown <= set(qs), (
        f"tests/checks/known_wrong/{mod}.py names questions that do not exist: {unknown - set(qs)}"
    )


@pytest.mark.parametrize(("mod", "qname", "value"), _cases("right"))
def test_right_answers_pass(mod: str, qname: str, value: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _question(mod, qname).check(_value(value))
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize(("mod", "qname", "value", "fragment"), _cases("wrong"))
def test_wrong_answers_fail_helpfully(mod: str, qname: str, value: Any, fragment: str) -> None:
    with pytest.raises(Incorrect) as info:
        _question(mod, qname).check(_value(value))
    message = str(info.value)
    assert not info.value.unexpected, f"the checker crashed instead of explaining: {message}"
    assert message.startswith("Incorrect: ")
    assert fragment.lower() in message.lower(), f"expected {fragment!r} in the message, got: {message}"


@pytest.mark.parametrize("mod", MODULES)
def test_blank_and_missing_are_not_attempted(mod: str) -> None:
    """Untouched starter code is reported as 'not answered yet', distinct from 'incorrect'."""
    for question in importlib.import_module(f"course_utils.questions.{mod}").QUESTIONS.values():
        with pytest.raises(NotAttempted, match="not answered yet"):
            question.check(____)
        with pytest.raises(NotAttempted, match="not defined"):
            question.check()  # this test module does not define the variable


@pytest.mark.parametrize("mod", MODULES)
def test_hints_escalate_then_point_to_solution(mod: str, capsys: pytest.CaptureFixture[str]) -> None:
    for question in importlib.import_module(f"course_utils.questions.{mod}").QUESTIONS.values():
        question._hints_shown = 0
        for i in range(len(question.hints)):
            question.hint()
            assert f"Hint {i + 1} of {len(question.hints)}" in capsys.readouterr().out
        question.hint()
        assert ".solution()" in capsys.readouterr().out
        question.solution()
        assert capsys.readouterr().out.startswith("Solution:")
