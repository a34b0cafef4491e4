"""Answer variants for assignment 00-welcome, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_utils.questions.m00_welcome import CUSTOMERS
from tests.checks.variants import Right, Wrong, as_list, dropped_key, extra_key, relabelled, replaced, shuffled

_OBJECTIVES = {"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing behaviour"}
_FAILS = {"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}


def _customers() -> pd.DataFrame:
    return pd.DataFrame(CUSTOMERS)


def _top_by(column: str, ascending: bool = False) -> str:
    return _customers().sort_values(column, ascending=ascending)["customer_id"].iloc[0]


VARIANTS = {
    "q1": [
        Right("sort by spend, first id", lambda: _top_by("spend_gbp")),
        Right("id column indexed, idxmax", lambda: _customers().set_index("customer_id")["spend_gbp"].idxmax()),
        Right("nlargest", lambda: _customers().nlargest(1, "spend_gbp")["customer_id"].item()),
        Right("a NumPy text taken from .to_numpy()", lambda: np.array(CUSTOMERS["customer_id"])[2]),
        Wrong("type", "whole column", lambda: _customers().nlargest(1, "spend_gbp")["customer_id"]),
        Wrong("type", "should be a str", lambda: as_list(_customers().nlargest(1, "spend_gbp")["customer_id"])),
        Wrong("type", "row position", lambda: _customers()["spend_gbp"].idxmax()),
        Wrong("type", "amount of money", lambda: _customers()["spend_gbp"].max()),
        Wrong("exists", "no customer", lambda: "C3"),
        Wrong("value", "most *orders*", lambda: _top_by("orders_last_year")),
        Wrong("value", "*least*", lambda: _top_by("spend_gbp", ascending=True)),
        Wrong("value", "not the customer with the largest", lambda: _customers()["customer_id"].iloc[0]),
        Wrong("spelling", "exactly as the table spells it", lambda: _top_by("spend_gbp").lower()),
        Wrong("spelling", "exactly as the table spells it", lambda: f" {_top_by('spend_gbp')} "),
    ],
    "q2": [
        Right(
            "other spellings the task's words allow",
            lambda: relabelled(
                _OBJECTIVES, {"high-value": "High value", "purchasing behaviour": "Purchasing behavior"}
            ),
        ),
        Right("'churn' for retention", lambda: relabelled(_OBJECTIVES, {"retention": "churn"})),
        Right("keys in another order", lambda: shuffled(_OBJECTIVES)),
        Wrong("type", "should be a dict", lambda: list(_OBJECTIVES.values())),
        Wrong("type", "should be a dict", lambda: pd.Series(_OBJECTIVES)),
        Wrong("keys", "missing the key", lambda: dropped_key(_OBJECTIVES, "D")),
        Wrong("keys", "unexpected key", lambda: extra_key(_OBJECTIVES, "E", "retention")),
        Wrong("keys", "missing the key", lambda: {k.lower(): v for k, v in _OBJECTIVES.items()}),
        Wrong("labels", "not one of the four", lambda: replaced(_OBJECTIVES, "C", "marketing")),
        Wrong(
            "value", "2 of 4", lambda: relabelled(_OBJECTIVES, {"retention": "high-value", "high-value": "retention"})
        ),
        Wrong(
            "value",
            "scenario 'C'",
            lambda: relabelled(
                _OBJECTIVES,
                {"targeted marketing": "purchasing behaviour", "purchasing behaviour": "targeted marketing"},
            ),
        ),
    ],
    "q3": [
        Right("capitals and spaces", lambda: relabelled(_FAILS, {"lawful": " Lawful", "stable": "STABLE"})),
        Right("keys in another order", lambda: shuffled(_FAILS)),
        Wrong("type", "should be a dict", lambda: list(_FAILS.values())),
        Wrong("keys", "missing the key", lambda: dropped_key(_FAILS, "S4")),
        Wrong("keys", "unexpected key", lambda: extra_key(_FAILS, "S5", "stable")),
        Wrong("labels", "use one of", lambda: replaced(_FAILS, "S1", "legal")),
        Wrong("once", "use each of the four words once", lambda: replaced(_FAILS, "S3", "stable")),
        Wrong("value", "Art. 9", lambda: relabelled(_FAILS, {"lawful": "actionable", "actionable": "lawful"})),
        Wrong("value", "fails['S2']", lambda: relabelled(_FAILS, {"stable": "distinct", "distinct": "stable"})),
    ],
}
