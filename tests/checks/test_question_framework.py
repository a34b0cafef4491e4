"""course_utils.exercise: how a question finds the answer, what its verdicts say, hints and solutions."""

from __future__ import annotations

import pytest

from course_utils.exercise import Incorrect, NotAttempted, Question, ____

# -- exercise checks --------------------------------------------------------------


def _q() -> Question:
    def checker(v: object) -> None:
        if v != [1, 2]:
            raise Incorrect("not [1, 2]")

    return Question("pair", checker, hints=["one", "two"], solution="pair = [1, 2]")


def test_check_reads_the_callers_variable(capsys: pytest.CaptureFixture[str]) -> None:
    q = _q()
    namespace = {"q": q, "pair": [1, 2]}
    exec("q.check()", namespace)
    assert capsys.readouterr().out.startswith("Correct!")
    namespace["pair"] = [2, 1]
    with pytest.raises(Incorrect, match="not \\[1, 2\\]"):
        exec("q.check()", namespace)


def test_not_attempted_is_distinct_from_incorrect() -> None:
    q = _q()
    with pytest.raises(NotAttempted):
        q.check(____)
    with pytest.raises(NotAttempted):
        q.check(...)
    assert not issubclass(NotAttempted, Incorrect) and not issubclass(Incorrect, NotAttempted)


def test_checker_crash_becomes_a_message() -> None:
    q = Question("x", lambda v: v.no_such_attribute, hints=["h"], solution="x = 1")
    with pytest.raises(Incorrect, match="AttributeError") as info:
        q.check(3)
    assert info.value.unexpected


def test_bare_assert_in_checker_becomes_incorrect() -> None:
    def checker(v: object) -> None:
        assert v == 1, "should be one"

    with pytest.raises(Incorrect, match="Incorrect: should be one"):
        Question("x", checker, hints=["h"], solution="x = 1").check(2)


def test_solution_can_be_hidden(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COURSE_HIDE_SOLUTIONS", "1")
    _q().solution()
    assert "hidden" in capsys.readouterr().out


def test_question_needs_hints_and_a_name() -> None:
    with pytest.raises(ValueError, match="hint"):
        Question("x", lambda v: None, hints=[], solution="")
    with pytest.raises(ValueError, match="Python name"):
        Question("not a name", lambda v: None, hints=["h"], solution="")
