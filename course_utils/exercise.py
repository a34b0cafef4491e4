"""Questions with checks, escalating hints and a solution.

One design serves self-learners and nbgrader alike (the model is Kaggle's
learntools). A question names the variable the student must define and a
*checker* that raises :class:`Incorrect` with a message a beginner
understands. In a notebook::

    from course_utils.questions.m00_welcome import q1
    q1.check()      # Correct / Incorrect: <what is wrong> / not answered yet
    q1.hint()       # first hint; call again for a stronger one
    q1.solution()   # one correct answer, last

nbgrader grades the same call: the visible test cell runs ``q1.check()``,
which raises ``AssertionError`` (both :class:`Incorrect` and
:class:`NotAttempted` subclass it) when the answer is wrong or missing.
In a notebook the student sees only the one-line message, not a traceback
(see :class:`CheckFeedback`); plain Python, as in the examples below, still
prints its usual traceback.

>>> def must_be_42(value):
...     if value != 42:
...         raise Incorrect(f"you gave {value!r}; count again.")
>>> q = Question("answer", must_be_42, hints=["Count the rows."], solution="answer = 42")
>>> q.check(42)
Correct! Well done.
>>> q.check(41)
Traceback (most recent call last):
...
course_utils.exercise.Incorrect: Incorrect: you gave 41; count again.
>>> q.check(____)
Traceback (most recent call last):
...
course_utils.exercise.NotAttempted: You have not answered yet: replace the blank ____ in `answer` with your answer, then run this check again.
"""

from __future__ import annotations

import builtins
import inspect
import math
import numbers
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = [
    "CheckFeedback",
    "Question",
    "Incorrect",
    "NotAttempted",
    "____",
    "require_type",
    "DEFAULT_DECIMALS",
    "EXACT",
    "require_close",
    "tolerance",
    "within",
    "require_keys",
    "require_number",
    "normalise_label",
]

# Captured at import time: an answer cell that rebinds builtins such as
# ``isinstance`` or ``len`` cannot change what the checks see.
_isinstance = builtins.isinstance
_len = builtins.len
_type = builtins.type
_print = builtins.print


class CheckFeedback(AssertionError):
    """A check's verdict for the student: shown as its message alone, without a traceback.

    In IPython (JupyterLab, Binder, nbgrader's kernels) an exception with a
    ``_render_traceback_`` method is displayed as the lines it returns instead
    of the usual traceback, which here would print the checker's own source.
    The cell still fails (the kernel sends an ``error`` output with this class
    as ``ename``), so nbgrader still scores it 0 and "Run all" still stops.

    >>> Incorrect("count again.")._render_traceback_()
    ['Incorrect: count again.']
    """

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this exception: the message, once."""
        return [str(self)]


class Incorrect(CheckFeedback):
    """The answer is there but wrong; the message says what is wrong.

    The message starts with "Incorrect: " once, however it is written.
    ``unexpected`` is True when the checker itself crashed on a strange answer
    (the student still gets a message; the tests treat it as a checker bug).

    >>> str(Incorrect("Incorrect: no."))
    'Incorrect: no.'
    """

    def __init__(self, message: str, *, unexpected: bool = False) -> None:
        body = message[len("Incorrect:"):].lstrip() if message.startswith("Incorrect:") else message
        super().__init__(f"Incorrect: {body}")
        self.unexpected = unexpected


class NotAttempted(CheckFeedback):
    """The student has not replaced the starter code yet."""


class _Blank:
    """The ``____`` placeholder in starter code."""

    def __repr__(self) -> str:
        return "____"


#: Placeholder used in starter code: ``answer = ____``.
____ = _Blank()

_MISSING = object()


def _solutions_hidden() -> bool:
    return os.environ.get("COURSE_HIDE_SOLUTIONS", "").strip().lower() in {"1", "true", "yes"}


class Question:
    """One exercise question: a variable to define, a check, hints, a solution.

    Parameters
    ----------
    var:
        Name of the variable the student defines in the answer cell.
    checker:
        Called with the student's value; raises :class:`Incorrect` with a
        helpful message when the value is wrong, returns normally when right.
    hints:
        Hints from gentle to strong; :meth:`hint` gives them in order.
    solution:
        Code of one correct answer, shown by :meth:`solution`.
    praise:
        Printed when the answer is right: say *why* it is right.
    """

    def __init__(
        self,
        var: str,
        checker: Callable[[Any], None],
        *,
        hints: Sequence[str],
        solution: str,
        praise: str = "Well done.",
    ) -> None:
        if not var.isidentifier():
            raise ValueError(f"var must be a Python name, got {var!r}")
        if not hints:
            raise ValueError(f"question for `{var}` needs at least one hint")
        self.var = var
        self._checker = checker
        self.hints = tuple(hints)
        self._solution = solution
        self.praise = praise
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"<Question: define `{self.var}`; call .check(), .hint() or .solution()>"

    # -- checking ---------------------------------------------------------
    def _not_defined(self) -> NotAttempted:
        """The message for an answer variable that does not exist yet."""
        return NotAttempted(
            f"You have not answered yet: `{self.var}` is not defined. Write your answer "
            f"in the cell above (delete the line `raise NotImplementedError()`), run that "
            f"cell, then run this check again."
        )

    def _lookup(self, frame_globals: dict[str, Any] | None) -> Any:
        for namespace in (frame_globals, getattr(sys.modules.get("__main__"), "__dict__", None)):
            if namespace is not None and self.var in namespace:
                return namespace[self.var]
        return _MISSING

    def check(self, value: Any = _MISSING) -> None:
        """Check the answer and say what is wrong, if anything.

        Without an argument it looks up the question's variable in the
        notebook. Raises :class:`NotAttempted` or :class:`Incorrect`
        (both ``AssertionError``), so nbgrader counts a failed check as a
        failed test.
        """
        if value is _MISSING:
            caller = inspect.currentframe()
            frame_globals = caller.f_back.f_globals if caller and caller.f_back else None
            value = self._lookup(frame_globals)
        if value is _MISSING:
            raise self._not_defined()
        if _isinstance(value, _Blank) or value is Ellipsis:
            raise NotAttempted(
                f"You have not answered yet: replace the blank ____ in `{self.var}` with your "
                "answer, then run this check again."
            )
        try:
            self._checker(value)
        except (Incorrect, NotAttempted):
            raise
        except AssertionError as err:  # a checker written with bare asserts
            raise Incorrect(str(err) or f"`{self.var}` is not right yet.") from None
        except Exception as err:  # never let a strange answer crash the check
            raise Incorrect(
                f"checking `{self.var}` failed with {_type(err).__name__}: {err}. "
                "Look at the type and shape of your answer; `.hint()` can help.",
                unexpected=True,
            ) from None
        _print(f"Correct! {self.praise}")

    # -- help -------------------------------------------------------------
    def hint(self, n: int | None = None) -> None:
        """Print the next hint (or hint number ``n``, starting at 1)."""
        total = _len(self.hints)
        if n is None:
            if self._hints_shown >= total:
                _print(
                    f"No more hints ({total} shown). Call `.solution()` to see one answer."
                )
                return
            self._hints_shown += 1
            n = self._hints_shown
        if not 1 <= n <= total:
            raise ValueError(f"there are {total} hints: ask for a number from 1 to {total}")
        _print(f"Hint {n} of {total}: {self.hints[n - 1]}")

    def solution(self) -> None:
        """Print one correct answer (unless the instructor has hidden solutions)."""
        if _solutions_hidden():
            _print("Solutions are hidden for this course run; ask your instructor.")
            return
        _print(f"Solution:\n{self._solution}")


# -- small helpers for checkers ---------------------------------------------


def require_type(value: Any, types: type | tuple[type, ...], what: str) -> None:
    """Raise :class:`Incorrect` unless ``value`` has one of ``types``.

    >>> require_type([1], list, "`stages`")
    >>> require_type("a", list, "`stages`")
    Traceback (most recent call last):
    ...
    course_utils.exercise.Incorrect: Incorrect: `stages` should be a list, but it is a str ('a').
    """
    if not _isinstance(value, types):
        names = types.__name__ if _isinstance(types, type) else " or ".join(t.__name__ for t in types)
        shown = repr(value)
        if _len(shown) > 60:
            shown = shown[:57] + "..."
        raise Incorrect(f"{what} should be a {names}, but it is a {_type(value).__name__} ({shown}).")


#: Precision of a number whose task states none: right to two decimals (CONTRIBUTING, "Tolerance policy").
DEFAULT_DECIMALS = 2
#: ``decimals=EXACT``: the task says "exactly", or the number is a count, an id, a boundary.
EXACT = None


def tolerance(decimals: int | None = DEFAULT_DECIMALS) -> float:
    """The largest distance from the exact value accepted at ``decimals`` decimals.

    Half a unit of the last decimal, so rounding the exact value to ``decimals`` decimals (or
    keeping more) is accepted; ``EXACT`` accepts no difference beyond floating-point noise.

    >>> tolerance(3), tolerance(EXACT)
    (0.0005, 0.0)
    """
    return 0.0 if decimals is None else 0.5 * 10.0 ** -decimals


def within(value: Any, reference: Any, decimals: int | None = DEFAULT_DECIMALS) -> bool:
    """True when ``value`` equals ``reference`` to ``decimals`` decimals (numbers or arrays alike).

    The one comparison every numeric check uses, also to recognise a mistake ("that is the
    NMI"). Shapes must match; NaN never matches. A relative slack of 1e-9 absorbs floating-point
    noise (sums in another order), so ``EXACT`` still accepts 0.1 + 0.2 for 0.3.

    >>> within(0.83, 0.8304), within(0.82, 0.8304), within(round(0.8304, 3), 0.8304, 3)
    (True, False, True)
    >>> within([1.0, 2.0], [1, 2], EXACT), within(0.1 + 0.2, 0.3, EXACT), within(4373, 4372, EXACT)
    (True, True, False)
    """
    import numpy as np

    try:
        got = np.asarray(value, dtype=float)
        ref = np.asarray(reference, dtype=float)
    except (TypeError, ValueError):
        return False
    if got.shape != ref.shape:
        return False
    slack = 1e-9 * np.maximum(1.0, np.abs(ref))
    return bool(np.all(np.abs(got - ref) <= tolerance(decimals) + slack))


def _decimals_shown(number: float) -> int:
    """How many decimals ``number`` keeps (``0.83`` -> 2), at most 12."""
    for d in range(13):
        if number == round(number, d):
            return d
    return 13


def require_close(
    value: Any,
    reference: float,
    what: str,
    *,
    decimals: int | None = DEFAULT_DECIMALS,
    message: str | None = None,
) -> float:
    """Return ``value`` as a float if it equals ``reference`` to ``decimals`` decimals, else raise.

    The course's tolerance policy in one place (CONTRIBUTING, "Tolerance policy"): a task that
    asks for a number "to N decimals" accepts any value within half a unit of the N-th decimal,
    so the student's own rounding to N decimals (or more) passes; ``decimals=EXACT`` is for
    "exactly", counts and boundaries. A value rounded more coarsely than the task allows gets
    its own message; any other wrong value gets ``message`` (say what to check, never the
    expected value). Not a number: :func:`require_number`'s message.

    >>> require_close(0.83, 0.8304, "`ari`")
    0.83
    >>> require_close(0.8, 0.8304, "`ari`", decimals=3)
    Traceback (most recent call last):
    ...
    course_utils.exercise.Incorrect: Incorrect: `ari` is rounded to 1 decimal, too coarse here: keep at least 3 decimals (round at the end, or not at all).
    >>> require_close(0.71, 0.8304, "`ari`", message="`ari` is not the ARI of your labels against the truth.")
    Traceback (most recent call last):
    ...
    course_utils.exercise.Incorrect: Incorrect: `ari` is not the ARI of your labels against the truth.
    """
    number = require_number(value, what)
    if within(number, reference, decimals):
        return number
    if decimals is not None:
        shown = _decimals_shown(number)
        if shown < decimals and within(number, reference, shown):
            unit = "decimal" if shown == 1 else "decimals"
            raise Incorrect(
                f"{what} is rounded to {shown} {unit}, too coarse here: keep at least {decimals} "
                "decimals (round at the end, or not at all)."
            )
    precision = "" if decimals is None else f" (compared to {decimals} decimals)"
    raise Incorrect(message or f"{what} is not right yet{precision}: re-read the task and check each step.")


def require_number(value: Any, what: str, *, nan_hint: str = "check for missing values.") -> float:
    """Return ``value`` as a float, or raise :class:`Incorrect` if it is not one real number.

    A list, array or Series of values, a string, a bool or NaN each get a message of their own
    (``nan_hint`` says where a NaN usually comes from in this question).

    >>> require_number(0.25, "`ari`")
    0.25
    >>> require_number([0.2, 0.3], "`ari`")
    Traceback (most recent call last):
    ...
    course_utils.exercise.Incorrect: Incorrect: `ari` should be one number (a float), but it is a list of values.
    """
    if _isinstance(value, bool) or not _isinstance(value, numbers.Real):
        if hasattr(value, "__len__") and not _isinstance(value, str):
            raise Incorrect(f"{what} should be one number (a float), but it is a {_type(value).__name__} of values.")
        raise Incorrect(f"{what} should be a number (a float), but it is a {_type(value).__name__} ({value!r}).")
    number = float(value)
    if math.isnan(number):
        raise Incorrect(f"{what} is NaN: {nan_hint}")
    return number


def require_keys(mapping: dict[Any, Any], keys: Iterable[Any], what: str) -> None:
    """Raise :class:`Incorrect` unless ``mapping`` has exactly ``keys``.

    >>> require_keys({"a": 1}, ["a", "b"], "`choice`")
    Traceback (most recent call last):
    ...
    course_utils.exercise.Incorrect: Incorrect: `choice` is missing the key(s) 'b'.
    """
    wanted = list(keys)
    missing = [k for k in wanted if k not in mapping]
    extra = [k for k in mapping if k not in wanted]
    if missing:
        raise Incorrect(f"{what} is missing the key(s) {', '.join(map(repr, missing))}.")
    if extra:
        raise Incorrect(
            f"{what} has unexpected key(s) {', '.join(map(repr, extra))}; "
            f"use only {', '.join(map(repr, wanted))}."
        )


def normalise_label(text: Any) -> str:
    """Lower-case a label and fold spaces, hyphens and underscores.

    >>> normalise_label("  High-Value_customers ")
    'high value customers'
    """
    if not _isinstance(text, str):
        raise Incorrect(f"expected a text label in quotes, but got {text!r}.")
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())
