"""Checks for assignment ``00-welcome``: running cells and framing a segmentation.

>>> q1.check("C03")
Correct! C03 spent the most (£1,240), so that is who a "high-value" campaign would start with.
"""

from __future__ import annotations

import numbers
from typing import Any

from course_utils.exercise import Incorrect, Question, normalise_label, require_keys, require_type

# The tiny customer table the notebook shows (kept here so the check and the
# notebook cannot disagree).
CUSTOMERS: dict[str, list[Any]] = {
    "customer_id": ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"],
    "orders_last_year": [12, 1, 9, 2, 25, 3, 1, 7],
    "spend_gbp": [610.0, 45.0, 1240.0, 95.0, 980.0, 150.0, 1100.0, 320.0],
    "days_since_last_order": [5, 300, 12, 200, 2, 95, 20, 40],
}

#: The checks' own copy: a student who edits CUSTOMERS (it is imported into the notebook) cannot move it.
_TRUTH: dict[str, tuple[Any, ...]] = {column: tuple(values) for column, values in CUSTOMERS.items()}

# -- q1: run a cell, answer, check --------------------------------------------


def _check_top_spender(value: Any) -> None:
    ids = list(_TRUTH["customer_id"])
    spend = list(_TRUTH["spend_gbp"])
    orders = list(_TRUTH["orders_last_year"])
    best = ids[spend.index(max(spend))]
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if value in spend:
            raise Incorrect(
                f"{value!r} is an amount of money, not a customer. Give the *customer_id* "
                "(a text such as 'C01') of the customer with the largest spend_gbp."
            )
        if isinstance(value, numbers.Integral) and 0 <= int(value) < len(ids):
            raise Incorrect(
                f"{value!r} looks like a row position (from .idxmax() or .argmax()). Give the "
                f"customer_id in that row instead, e.g. customers.loc[{value}, 'customer_id']."
            )
    if hasattr(value, "tolist") and not isinstance(value, str):
        raise Incorrect(
            "your answer is a whole column or table. Pick out the single customer_id text, "
            "for example with .iloc[0] or by using .idxmax() on spend_gbp."
        )
    require_type(value, str, "`top_spender`")
    cleaned = value.strip().upper()
    if cleaned not in ids:
        raise Incorrect(f"there is no customer {value!r} in the table; ids go from 'C01' to 'C08'.")
    if cleaned == ids[orders.index(max(orders))] and cleaned != best:
        raise Incorrect(
            f"{cleaned} places the most *orders*, but the question asks who *spent* the most. "
            "Sort or take the maximum of spend_gbp instead of orders_last_year."
        )
    if cleaned == ids[spend.index(min(spend))]:
        raise Incorrect(
            f"{cleaned} spent the *least*. Did you sort in ascending order? Use "
            "sort_values('spend_gbp', ascending=False) or .idxmax()."
        )
    if cleaned != best:
        raise Incorrect(f"{cleaned} is not the customer with the largest spend_gbp. Look again at that column.")
    if value != best:
        raise Incorrect(
            "almost: write the customer_id exactly as the table spells it (capital letter, no "
            "spaces); copy it from the table with pandas rather than typing it."
        )


q1 = Question(
    "top_spender",
    _check_top_spender,
    hints=[
        "Which column holds the money each customer spent? Find its largest value.",
        "`customers.sort_values('spend_gbp', ascending=False)` puts the biggest spender first.",
        "`customers.loc[customers['spend_gbp'].idxmax(), 'customer_id']` gives the id directly.",
    ],
    solution="top_spender = customers.loc[customers['spend_gbp'].idxmax(), 'customer_id']",
    praise='C03 spent the most (£1,240), so that is who a "high-value" campaign would start with.',
)

# -- q2: which objective does each business question serve? ----------------------

OBJECTIVES = ("high-value", "purchasing behaviour", "targeted marketing", "retention")

#: Business questions shown in the notebook, keyed by letter.
SCENARIOS = {
    "A": "Which customers who used to buy every month have not ordered for 90 days?",
    "B": "Who are the 10% of customers that bring half of our revenue?",
    "C": "Which customers should receive the garden-furniture email rather than the kitchen one?",
    "D": "Do people buy in small frequent baskets or large rare ones, and through which channel?",
}
_SCENARIO_TEXT = dict(SCENARIOS)  # the checks' copy (the notebook imports SCENARIOS)
_EXPECTED_Q2 = {"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing behaviour"}
_SYNONYMS = {
    "high value": "high-value",
    "high-value customers": "high-value",
    "high value customers": "high-value",
    "purchasing behavior": "purchasing behaviour",
    "purchase behaviour": "purchasing behaviour",
    "purchase behavior": "purchasing behaviour",
    "targeted marketing": "targeted marketing",
    "target marketing": "targeted marketing",
    "retention": "retention",
    "churn": "retention",
    "purchasing behaviour": "purchasing behaviour",
}
_WHY = {
    "A": "customers drifting away is a retention (churn) problem",
    "B": "finding the few customers worth the most is the high-value objective",
    "C": "choosing which message goes to whom is targeted marketing",
    "D": "how, how often and how much people buy is purchasing behaviour",
}


def _norm_objective(label: Any) -> str:
    text = normalise_label(label)
    return _SYNONYMS.get(text, _SYNONYMS.get(text.replace("-", " "), text))


def _check_objective_for(value: Any) -> None:
    require_type(value, dict, "`objective_for`")
    require_keys(value, _EXPECTED_Q2, "`objective_for`")
    wrong = []
    for key, expected in _EXPECTED_Q2.items():
        got = _norm_objective(value[key])
        if got not in OBJECTIVES:
            raise Incorrect(
                f"objective_for[{key!r}] is {value[key]!r}, which is not one of the four "
                f"objectives: {', '.join(repr(o) for o in OBJECTIVES)}."
            )
        if got != expected:
            wrong.append(key)
    if wrong:
        first = wrong[0]
        raise Incorrect(
            f"{len(wrong)} of 4 are not right yet, starting with scenario {first!r} "
            f"({_SCENARIO_TEXT[first]!r}). Ask: what would the business *do* with the answer?"
        )


q2 = Question(
    "objective_for",
    _check_objective_for,
    hints=[
        "For each scenario, ask what decision the answer would support: keep customers, "
        "find the most valuable ones, pick who gets which message, or understand how people buy.",
        "Scenario A is about customers who have stopped ordering. Scenario C is about choosing a message.",
        "A: retention, B: high-value. Now C and D.",
    ],
    solution=(
        "objective_for = {\n"
        '    "A": "retention",\n'
        '    "B": "high-value",\n'
        '    "C": "targeted marketing",\n'
        '    "D": "purchasing behaviour",\n'
        "}"
    ),
    praise="; ".join(f"{k}: {v}" for k, v in _WHY.items()) + ".",
)

# -- q3: what makes segments useful? -----------------------------------------------

SEGMENT_PROPERTIES = ("distinct", "stable", "actionable", "lawful")

#: Flawed segmentations shown in the notebook; each fails exactly one property.
FLAWED = {
    "S1": "Segments built from customers' ethnicity, guessed from their surnames, to set prices.",
    "S2": "Five segments that change completely each time the algorithm is re-run with another seed.",
    "S3": "Two segments whose average spend, frequency, recency and channel are all the same.",
    "S4": "Segments defined by the last digit of the customer id: tidy and repeatable, but no team can use them.",
}
_FLAWED_TEXT = dict(FLAWED)  # the checks' copy (the notebook imports FLAWED)
_EXPECTED_Q3 = {"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}


def _check_fails(value: Any) -> None:
    require_type(value, dict, "`fails`")
    require_keys(value, _EXPECTED_Q3, "`fails`")
    for key in _EXPECTED_Q3:
        got = normalise_label(value[key])
        if got not in SEGMENT_PROPERTIES:
            raise Incorrect(
                f"fails[{key!r}] is {value[key]!r}; use one of {', '.join(repr(p) for p in SEGMENT_PROPERTIES)}."
            )
    answers = [normalise_label(value[k]) for k in _EXPECTED_Q3]
    if len(set(answers)) < len(answers):
        raise Incorrect("each segmentation fails a *different* property: use each of the four words once.")
    if normalise_label(value["S1"]) != "lawful":
        raise Incorrect(
            "S1 uses a guessed ethnicity, a special category of personal data (GDPR Art. 9), "
            "to set prices. Which property is that about?"
        )
    for key, expected in _EXPECTED_Q3.items():
        if normalise_label(value[key]) != expected:
            raise Incorrect(
                f"fails[{key!r}] is not right: re-read {_FLAWED_TEXT[key]!r} and ask which of the four "
                "properties it breaks."
            )


q3 = Question(
    "fails",
    _check_fails,
    hints=[
        "Distinct: segments differ. Stable: they survive a re-run or new data. Actionable: a team "
        "can do something different for each. Lawful: they respect the law and people's rights.",
        "Re-running with another seed and getting different segments is a stability problem.",
        "S1 is lawful, S2 is stable. Which of S3 and S4 has segments that look alike?",
    ],
    solution=('fails = {\n    "S1": "lawful",\n    "S2": "stable",\n    "S3": "distinct",\n    "S4": "actionable",\n}'),
    praise="Useful segments are distinct, stable, actionable and lawful: you will test all four in this course.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3}

#: What each task states about its answer (tests/checks/variants/m00_welcome.py violates each one).
#: Q1's "compute it with pandas rather than typing it" is advice on method: the value cannot show it.
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "one customer_id, a text such as 'C01' (not an amount, a row position or a column)",
        "exists": "a customer_id that is in the table",
        "value": "the customer who spent the most last year (largest spend_gbp)",
        "spelling": "the customer_id exactly as the table spells it",
    },
    "q2": {
        "type": "a dictionary",
        "keys": "the scenario letters 'A', 'B', 'C', 'D' as keys, each once",
        "labels": "each value one of the four objectives 'high-value', 'purchasing behaviour', "
        "'targeted marketing', 'retention'",
        "value": "the objective each business question serves",
    },
    "q3": {
        "type": "a dictionary",
        "keys": "the segmentations 'S1', 'S2', 'S3', 'S4' as keys",
        "labels": "each value one of 'distinct', 'stable', 'actionable', 'lawful'",
        "once": "each word used once",
        "value": "the one property each segmentation fails",
    },
}
