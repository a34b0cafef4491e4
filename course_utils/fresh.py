"""Cached set-up objects that a student can never share with the checks (``@fresh``).

A check that compares a student's answer with a reference must not hold the same object as the
student: if the set-up cell hands out a cached scaler and the student calls ``scaler.fit(...)`` on
it, a reference computed from the cache moves with the student's mistake (and stays wrong for every
later check in that kernel). :func:`fresh` caches the costly result once, privately, and gives every
caller its own deep copy; the checks use ``.reference()``, which is never handed out.

>>> @fresh
... def table():
...     return {"a": [1, 2]}
>>> mine = table()
>>> mine["a"].append(3)        # the student changes their copy...
>>> table(), table.reference()  # ...and neither the next copy nor the reference moves
({'a': [1, 2]}, {'a': [1, 2]})
>>> table() is table()
False
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["fresh"]

T = TypeVar("T")


class _Fresh(Generic[T]):
    def __init__(self, func: Callable[..., T]) -> None:
        self._cached = functools.lru_cache(maxsize=None)(func)
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> T:
        """A deep copy of the cached result: the caller may change it freely."""
        return copy.deepcopy(self._cached(*args, **kwargs))

    def reference(self, *args: Any, **kwargs: Any) -> T:
        """The cached result itself, for checks only (read it, never change it, never hand it out)."""
        return self._cached(*args, **kwargs)

    def cache_clear(self) -> None:
        self._cached.cache_clear()


def fresh(func: Callable[..., T]) -> _Fresh[T]:
    """Decorator: compute ``func`` once, return a deep copy on every call (see the module doc)."""
    return _Fresh(func)
