"""Questions with checks, escalating hints and a solution.

One design serves self-learners and nbgrader alike (the model is Kaggle's
learntools, which keeps the *checker* apart from its *view*):

- the **checker** is pure: :meth:`Question.judge` takes the answer (and the
  other variables the question declares) and raises :class:`Incorrect` or
  :class:`NotAttempted` with one short message; it prints nothing and reads no
  namespace;
- the **view** is what a notebook calls: :meth:`Question.check` finds the
  answer among the notebook's variables, asks the checker, and shows the
  verdict (:class:`Verdict` objects: plain text on the cell's output, Markdown
  for a rich front end); :meth:`~Question.hint` and :meth:`~Question.solution`
  show help the same way.

In a notebook::

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

A question that also reads other variables of the student declares them: ``needs`` (the check
cannot judge without them) and ``optional`` (used when there). Its checker then receives them as
a second argument, a dict ``context``. ``check()`` looks them up beside the answer; an answer
passed explicitly carries them as keyword arguments or in a :class:`Given`, and a name still
missing is left out, or taken from ``reference()`` (the model solution's objects) when the
question has one:

>>> def twice(value, context):
...     if context["base"] * 2 != value:
...         raise Incorrect("the answer is not twice your `base`.")
>>> q = Question("double", twice, needs=("base",), reference=lambda: {"base": 21},
...              hints=["Multiply by two."], solution="double = base * 2")
>>> q.check(42), q.check(6, base=3), q.judge(Given(8, base=4))
Correct! Well done.
Correct! Well done.
(None, None, None)
>>> print(q.verdict(41))
Incorrect: the answer is not twice your `base`.
>>> q.verdict(42)._repr_markdown_()
'**Correct!** Well done.'
"""  # noqa: E501 - a doctest output line (the exact message) cannot wrap

from __future__ import annotations

import builtins
import inspect
import math
import numbers
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

__all__ = [
    "CheckFeedback",
    "Question",
    "Given",
    "Verdict",
    "ALSO_READS",
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
    Returned instead of raised (:meth:`Question.verdict`), it displays as Markdown.

    >>> Incorrect("count again.")._render_traceback_()
    ['Incorrect: count again.']
    >>> Incorrect("count again.")._repr_markdown_()
    '**Incorrect:** count again.'
    """

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this exception: the message, once."""
        return [str(self)]

    def _repr_markdown_(self) -> str:
        """The message for a rich front end, its first words ("Incorrect:") in bold."""
        head, sep, rest = str(self).partition(": ")
        return f"**{head}:** {rest}" if sep and _len(head) <= 30 else str(self)


class Incorrect(CheckFeedback):
    """The answer is there but wrong; the message says what is wrong.

    The message starts with "Incorrect: " once, however it is written.
    ``unexpected`` is True when the checker itself crashed on a strange answer
    (the student still gets a message; the tests treat it as a checker bug).

    >>> str(Incorrect("Incorrect: no."))
    'Incorrect: no.'
    """

    def __init__(self, message: str, *, unexpected: bool = False) -> None:
        body = message[len("Incorrect:") :].lstrip() if message.startswith("Incorrect:") else message
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


class _Missing:
    """No value given (``check()`` looks the answer up in the notebook)."""


_MISSING: Any = _Missing()


class Given:
    """An answer together with the other variables its check reads: ``q.check(Given(tfidf, X_test=m))``.

    For callers that can pass only one value (the answer tables of the tests).

    >>> Given(3, X_test=[1])
    Given(3, X_test)
    """

    def __init__(self, value: Any, **context: Any) -> None:
        self.value = value
        self.context = context

    def __repr__(self) -> str:
        return f"Given({self.value!r}, {', '.join(self.context)})"


# -- the view's verdicts --------------------------------------------------------------------------


class Verdict:
    """A message the view shows: ``str()`` is the text printed under the cell, Markdown for rich display.

    >>> v = Verdict("Hint 1 of 2: look.", "**Hint 1 of 2:** look.")
    >>> print(v), v._repr_markdown_()
    Hint 1 of 2: look.
    (None, '**Hint 1 of 2:** look.')
    """

    def __init__(self, text: str, markdown: str | None = None) -> None:
        self.text = text
        self.markdown = text if markdown is None else markdown

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.markdown


def correct(praise: str) -> Verdict:
    """The verdict for a right answer: ``Correct!`` and why it is right."""
    return Verdict(f"Correct! {praise}", f"**Correct!** {praise}")


def _show(verdict: Verdict) -> None:
    """The display path of every verdict: its text on the cell's output stream (what nbgrader keeps)."""
    _print(str(verdict))


def _solutions_hidden() -> bool:
    return os.environ.get("COURSE_HIDE_SOLUTIONS", "").strip().lower() in {"1", "true", "yes"}


def _caller_globals() -> dict[str, Any]:
    """The globals of the code that called the view's method: the notebook, or the grader's namespace."""
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    return caller.f_globals if caller is not None else {}


#: ``needs_reason`` of most questions: why a missing variable of ``needs`` stops the check.
ALSO_READS = "This check also looks at your `{name}`"


class Question:
    """One exercise question: the variables it reads, a pure checker, hints, a solution.

    Parameters
    ----------
    var:
        Name of the variable the student defines in the answer cell.
    checker:
        Called with the student's value (and, when the question declares ``needs`` or
        ``optional``, a dict of those variables as a second argument); raises
        :class:`Incorrect` with a helpful message when the value is wrong, returns normally
        when right. It prints nothing and reads nothing else.
    needs, optional:
        Other variables of the student that the checker reads. ``check()`` looks them up beside
        the answer; a missing name of ``needs`` is "not answered yet", one of ``optional`` is left
        out. An answer passed explicitly carries them as keyword arguments or in a :class:`Given`.
    reference:
        Returns the model solution's objects by name: they stand in for a declared variable
        that an explicitly passed answer does not carry.
    needs_reason:
        The sentence saying why a missing name of ``needs`` stops the check
        (``{name}`` and ``{var}`` are filled in).
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
        checker: Callable[..., None],
        *,
        needs: Sequence[str] = (),
        optional: Sequence[str] = (),
        reference: Callable[[], Mapping[str, Any]] | None = None,
        needs_reason: str = ALSO_READS,
        hints: Sequence[str],
        solution: str,
        praise: str = "Well done.",
    ) -> None:
        for name in (var, *needs, *optional):
            if not name.isidentifier():
                raise ValueError(f"variable names must be Python names, got {name!r}")
        if not hints:
            raise ValueError(f"question for `{var}` needs at least one hint")
        self.var = var
        self.needs = tuple(needs)
        self.optional = tuple(optional)
        self._checker = checker
        self._reference = reference
        self._needs_reason = needs_reason
        self.hints = tuple(hints)
        self._solution = solution
        self.praise = praise
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"<Question: define `{self.var}`; call .check(), .hint() or .solution()>"

    @property
    def context_names(self) -> tuple[str, ...]:
        """The other variables the checker reads (``needs``, then ``optional``)."""
        return (*self.needs, *self.optional)

    # -- the checker: values in, an exception with one short message out ---------------------
    def judge(self, value: Any, context: Mapping[str, Any] | None = None) -> None:
        """Return if ``value`` (with the declared variables in ``context``) is right, else raise.

        Raises :class:`NotAttempted` for starter code, :class:`Incorrect` for a wrong answer
        (a checker's bare ``assert`` or crash becomes one too). A :class:`Given` carries its
        context. Pure: prints nothing, reads no namespace.
        """
        context = dict(context or {})
        if _isinstance(value, Given):
            context = {**value.context, **context}
            value = value.value
        if _isinstance(value, _Blank) or value is Ellipsis:
            raise NotAttempted(
                f"You have not answered yet: replace the blank ____ in `{self.var}` with your "
                "answer, then run this check again."
            )
        args: tuple[Any, ...] = (value,)
        if self.context_names:
            found = {name: context[name] for name in self.context_names if name in context}
            if self._reference is not None and _len(found) < _len(self.context_names):
                model = self._reference()
                found = {name: found[name] if name in found else model[name] for name in self.context_names}
            args = (value, found)
        try:
            self._checker(*args)
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

    # -- the view: what a notebook calls ----------------------------------------------------------
    def _gather(self, value: Any, context: dict[str, Any], namespace: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
        """The answer and its context: given explicitly, or looked up in ``namespace``, then ``__main__``."""
        if value is not _MISSING:
            return value, context
        spaces = [namespace, getattr(sys.modules.get("__main__"), "__dict__", {})]
        for space in spaces:
            if self.var in space:
                value = space[self.var]
                break
        else:
            raise NotAttempted(
                f"You have not answered yet: `{self.var}` is not defined. Write your answer "
                f"in the cell above (delete the line `raise NotImplementedError()`), run that "
                f"cell, then run this check again."
            )
        found = dict(context)
        for name in self.context_names:
            if name in found:
                continue
            space = next((s for s in spaces if name in s), None)
            if space is not None:
                found[name] = space[name]
            elif name in self.needs:
                reason = self._needs_reason.format(name=name, var=self.var)
                raise NotAttempted(
                    f"You have not answered yet: `{name}` is not defined. {reason}: define it (in your "
                    "answer or a cell above), run that cell, then run this check again."
                )
        return value, found

    def check(self, value: Any = _MISSING, **context: Any) -> None:
        """Check the answer and say what is wrong, if anything.

        Without an argument it looks up the question's variables in the
        notebook. Raises :class:`NotAttempted` or :class:`Incorrect`
        (both ``AssertionError``), so nbgrader counts a failed check as a
        failed test; prints ``Correct! ...`` otherwise.
        """
        answer, found = self._gather(value, context, _caller_globals())
        self.judge(answer, found)
        _show(correct(self.praise))

    def verdict(self, value: Any = _MISSING, **context: Any) -> Verdict | CheckFeedback:
        """The verdict :meth:`check` would show, returned instead of shown or raised (for rich display)."""
        try:
            answer, found = self._gather(value, context, _caller_globals())
            self.judge(answer, found)
        except CheckFeedback as err:
            return err
        return correct(self.praise)

    # -- help -------------------------------------------------------------
    def hint(self, n: int | None = None) -> None:
        """Print the next hint (or hint number ``n``, starting at 1)."""
        total = _len(self.hints)
        if n is None:
            if self._hints_shown >= total:
                _show(Verdict(f"No more hints ({total} shown). Call `.solution()` to see one answer."))
                return
            self._hints_shown += 1
            n = self._hints_shown
        if not 1 <= n <= total:
            raise ValueError(f"there are {total} hints: ask for a number from 1 to {total}")
        hint = self.hints[n - 1]
        _show(Verdict(f"Hint {n} of {total}: {hint}", f"**Hint {n} of {total}:** {hint}"))

    def solution(self) -> None:
        """Print one correct answer (unless the instructor has hidden solutions)."""
        if _solutions_hidden():
            _show(Verdict("Solutions are hidden for this course run; ask your instructor."))
            return
        _show(Verdict(f"Solution:\n{self._solution}", f"**Solution:**\n\n```python\n{self._solution}\n```"))


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
        candidates = (cast(type, types),) if _isinstance(types, type) else cast(tuple[type, ...], types)
        names = " or ".join(t.__name__ for t in candidates)
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
    return 0.0 if decimals is None else 0.5 * 10.0**-decimals


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
    """  # noqa: E501 - a doctest output line (the exact message) cannot wrap
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
            f"{what} has unexpected key(s) {', '.join(map(repr, extra))}; use only {', '.join(map(repr, wanted))}."
        )


def normalise_label(text: Any) -> str:
    """Lower-case a label and fold spaces, hyphens and underscores.

    >>> normalise_label("  High-Value_customers ")
    'high value customers'
    """
    if not _isinstance(text, str):
        raise Incorrect(f"expected a text label in quotes, but got {text!r}.")
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())
