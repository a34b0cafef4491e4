"""Answer variants: right and wrong answers DERIVED from a question's stated properties.

The hand-written lists in ``tests/checks/known_wrong/`` hold the mistakes their authors imagined; this
package generates the rest from each question's ``PROPERTIES`` (see ``course_utils/questions``):
every property the task text states is violated at least once, and the answers the task allows
(other spellings, other containers, rounding within the stated precision) are accepted.

Each module ``tests/checks/variants/mNN_name.py`` mirrors ``course_utils/questions/mNN_name.py`` and
defines ``VARIANTS: dict[str, list[Right | Wrong]]``. A factory is a zero-argument callable that
builds the value fresh for each case (so a check that mutates its input cannot spoil the next
case), usually by applying one of the mutators below to the question's right answer::

    def top() -> str:
        return "C03"

    VARIANTS = {
        "q1": [
            Right("the id computed with sort_values", lambda: df.sort_values(...).iloc[0, 0]),
            Wrong("type", "should be a str", lambda: as_list(top())),
        ]
    }

Optionally ``SECRETS: dict[str, list[str]]`` adds texts that no message of that question may
contain (the expected value in forms the test cannot derive by itself).
``tests/checks/test_answer_variants.py`` runs them all in-process.

The mutators never change their argument; they return a changed copy.

>>> s = pd.Series([3.14159, 2.71828], index=["a", "b"], name="x")
>>> rounded(s, 2).tolist()
[3.14, 2.72]
>>> reindexed(s).index.tolist()
[0, 1]
>>> shuffled(s).index.tolist()
['b', 'a']
>>> off_by_one(41)
42
>>> relabelled({"A": "retention"}, {"retention": "churn"})
{'A': 'churn'}
>>> s.tolist()  # unchanged
[3.14159, 2.71828]
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Right",
    "Wrong",
    "as_list",
    "as_numpy",
    "as_tuple",
    "dropped_key",
    "dropped_row",
    "extra_key",
    "extra_row",
    "off_by_one",
    "perturbed",
    "relabelled",
    "renamed",
    "reindexed",
    "replaced",
    "reversed_order",
    "rounded",
    "shuffled",
    "with_nan",
    "wrong_dtype",
]

Factory = Callable[[], Any]


@dataclass(frozen=True)
class Right:
    """An answer the task allows, written differently from ``q.solution()``; must pass."""

    description: str
    factory: Factory


@dataclass(frozen=True)
class Wrong:
    """An answer violating exactly one stated property; must fail with that property's message.

    ``message_fragment`` must appear (case-insensitive) in the ``Incorrect`` message.
    """

    property_id: str
    message_fragment: str
    factory: Factory
    description: str = field(default="")


# -- generic mutators -------------------------------------------------------------


def _copy(value: Any) -> Any:
    if isinstance(value, (pd.Series, pd.DataFrame, pd.Index)):
        return value.copy(deep=True)
    return copy.deepcopy(value)


def shuffled(value: Any, seed: int = 0) -> Any:
    """The same rows in another order (index labels travel with their rows).

    A sequence of length two or more always comes back in a different order.
    """
    n = len(value)
    order = np.random.default_rng(seed).permutation(n)
    if n > 1 and (order == np.arange(n)).all():
        order = np.roll(order, 1)
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value.iloc[order].copy()
    if isinstance(value, np.ndarray):
        return value[order].copy()
    if isinstance(value, Mapping):
        keys = list(value)
        return {keys[i]: _copy(value[keys[i]]) for i in order}
    items = [_copy(value[i]) for i in order]
    return type(value)(items) if isinstance(value, (list, tuple)) else items


def reversed_order(value: Any) -> Any:
    """The rows (or items) in reverse order: a ranking read from the wrong end."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value.iloc[::-1].copy()
    if isinstance(value, np.ndarray):
        return value[::-1].copy()
    return type(value)(reversed([_copy(v) for v in value]))


def reindexed(value: Any) -> Any:
    """The same values with a fresh 0..n-1 index (the meaningful index lost)."""
    return value.reset_index(drop=True)


def as_list(value: Any) -> list[Any]:
    """A plain Python list of the values (index and name lost)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return list(value)


def as_tuple(value: Any) -> tuple[Any, ...]:
    """A tuple of the values."""
    return tuple(as_list(value))


def as_numpy(value: Any) -> np.ndarray:
    """A NumPy array of the values (index and column names lost)."""
    return np.asarray(value).copy()


def rounded(value: Any, decimals: int) -> Any:
    """Numbers rounded to ``decimals`` places (scalars, arrays, Series, DataFrames, dict values)."""
    if isinstance(value, pd.DataFrame):
        return value.round(decimals)
    if isinstance(value, (pd.Series, np.ndarray)):
        return value.round(decimals)
    if isinstance(value, Mapping):
        return {k: rounded(v, decimals) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(rounded(v, decimals) for v in value)
    return round(value, decimals)


def perturbed(value: Any, by: float) -> Any:
    """Numbers shifted by ``by`` (to go just beyond a tolerance)."""
    if isinstance(value, Mapping):
        return {k: perturbed(v, by) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(perturbed(v, by) for v in value)
    return value + by


def off_by_one(value: Any, delta: int = 1) -> Any:
    """An integer (or each integer) ``delta`` away: a boundary counted wrongly."""
    return perturbed(value, delta)


def relabelled(value: Any, mapping: Mapping[Hashable, Any]) -> Any:
    """Labels replaced through ``mapping`` (values of a Series/list/array/dict; others unchanged)."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value.replace(dict(mapping))
    if isinstance(value, np.ndarray):
        return np.array([mapping.get(v, v) for v in value.tolist()], dtype=object)
    if isinstance(value, Mapping):
        return {k: mapping.get(v, v) if isinstance(v, Hashable) else _copy(v) for k, v in value.items()}
    return type(value)(mapping.get(v, v) for v in value)


def renamed(value: Any, names: str | Mapping[Hashable, Hashable] | None) -> Any:
    """A Series with another ``name``, or a DataFrame/dict with keys/columns renamed via a mapping."""
    if isinstance(value, pd.Series) and not isinstance(names, Mapping):
        return value.rename(names)
    if isinstance(value, pd.Series):
        return value.rename(index=dict(names))
    if isinstance(value, pd.DataFrame):
        return value.rename(columns=dict(names))
    return {names.get(k, k): _copy(v) for k, v in value.items()}


def wrong_dtype(value: Any, dtype: Any) -> Any:
    """The values converted to ``dtype`` (e.g. numbers stored as text)."""
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray)):
        return value.astype(dtype)
    return dtype(value)


def dropped_row(value: Any, position: int = -1) -> Any:
    """One row (or item) fewer."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        keep = np.ones(len(value), dtype=bool)
        keep[position] = False
        return value[keep].copy()
    if isinstance(value, np.ndarray):
        return np.delete(value, position, axis=0)
    items = [_copy(v) for v in value]
    del items[position]
    return type(value)(items)


def extra_row(value: Any, label: Hashable | None = None) -> Any:
    """One row (or item) more: a copy of the first one, under a new index ``label``."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        extra = value.iloc[[0]].copy()
        if label is None:
            label = (max(value.index) + 1) if pd.api.types.is_numeric_dtype(value.index) else "extra"
        extra.index = pd.Index([label], name=value.index.name)
        return pd.concat([value, extra])
    if isinstance(value, np.ndarray):
        return np.concatenate([value, value[:1]])
    return type(value)([_copy(v) for v in value] + [_copy(value[0])])


def with_nan(value: Any, position: int = 0) -> Any:
    """One value replaced by NaN (a missing value left in)."""
    out = _copy(value)
    if isinstance(out, pd.DataFrame):
        out.iloc[position, out.columns.get_indexer(out.select_dtypes("number").columns)[0]] = np.nan
    elif isinstance(out, pd.Series):
        out = out.astype(float) if out.dtype.kind in "iub" else out
        out.iloc[position] = np.nan
    elif isinstance(out, np.ndarray):
        out = out.astype(float)
        out.flat[position] = np.nan
    else:
        return float("nan")
    return out


def replaced(mapping: Mapping[Hashable, Any], key: Hashable, new: Any) -> dict[Hashable, Any]:
    """A copy of a dict with ``key`` set to ``new``."""
    out = {k: _copy(v) for k, v in mapping.items()}
    out[key] = new
    return out


def dropped_key(mapping: Mapping[Hashable, Any], key: Hashable) -> dict[Hashable, Any]:
    """A copy of a dict without ``key``."""
    return {k: _copy(v) for k, v in mapping.items() if k != key}


def extra_key(mapping: Mapping[Hashable, Any], key: Hashable, new: Any) -> dict[Hashable, Any]:
    """A copy of a dict with one key too many."""
    return {**{k: _copy(v) for k, v in mapping.items()}, key: new}
