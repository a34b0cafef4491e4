"""Questions whose check also reads other objects of the student (their context).

Some answers can only be judged with what surrounds them: a fitted ``tfidf`` is only half of
"fit on the training text, then *transform* the test text", which lives in ``X_test``; an accuracy
built on a wrong ``to_label`` is the fault of the earlier question. A :class:`ContextQuestion`
finds those objects by name: keyword arguments of :meth:`~ContextQuestion.check` first, then the
notebook's variables (the caller's globals, then ``__main__``). A name in ``needs`` that cannot be
found is "not answered yet"; one in ``optional`` is simply left out, and so is any name when the
answer is passed explicitly (the checker then uses its own reference for it).
:class:`Given` packs an answer with its context, for tests that can only pass one value.

>>> def checker(value, context):
...     if "X_test" in context and context["X_test"] != value * 2:
...         raise Incorrect("X_test is not twice the answer.")
>>> q = ContextQuestion("answer", checker, optional=("X_test",), hints=["Double it."], solution="answer = 1")
>>> q.check(1)
Correct! Well done.
>>> q.check(Given(1, X_test=3))
Traceback (most recent call last):
...
course_utils.exercise.Incorrect: Incorrect: X_test is not twice the answer.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Any

from course_utils.exercise import _MISSING, Incorrect, NotAttempted, Question

__all__ = ["ContextQuestion", "Given", "Incorrect"]


class Given:
    """An answer together with the other variables its check reads (``Given(tfidf, X_test=...)``)."""

    def __init__(self, value: Any, **context: Any) -> None:
        self.value = value
        self.context = context

    def __repr__(self) -> str:
        return f"Given({self.value!r}, {', '.join(self.context)})"


class ContextQuestion(Question):
    """A :class:`Question` whose ``checker(value, context)`` also sees named objects of the student."""

    def __init__(
        self,
        var: str,
        checker: Callable[[Any, dict[str, Any]], None],
        *,
        needs: Sequence[str] = (),
        optional: Sequence[str] = (),
        **kw: Any,
    ) -> None:
        super().__init__(var, lambda value: None, **kw)
        self._context_checker = checker
        self.needs = tuple(needs)
        self.optional = tuple(optional)

    def check(self, value: Any = _MISSING, **context: Any) -> None:  # type: ignore[override]
        caller = inspect.currentframe()
        frame_globals = caller.f_back.f_globals if caller and caller.f_back else {}
        if isinstance(value, Given):
            context = {**value.context, **context}
            value = value.value
        explicit = value is not _MISSING
        if not explicit:
            value = self._lookup(frame_globals)
            if value is _MISSING:
                raise self._not_defined()
        main = getattr(sys.modules.get("__main__"), "__dict__", {})
        found: dict[str, Any] = {}
        for name in (*self.needs, *self.optional):
            if name in context:
                found[name] = context[name]
            elif not explicit and name in frame_globals:
                found[name] = frame_globals[name]
            elif not explicit and name in main:
                found[name] = main[name]
            elif name in self.needs and not explicit:
                raise NotAttempted(
                    f"You have not answered yet: `{name}` is not defined. This check also looks at your "
                    f"`{name}`: define it (in your answer or a cell above), run that cell, then run this check again."
                )
        self._checker = functools.partial(self._context_checker, context=found)
        Question.check(self, value)
