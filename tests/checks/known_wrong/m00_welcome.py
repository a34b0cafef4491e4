"""Known-wrong answers for assignment 00-welcome."""

import numpy as np
import pandas as pd

from course_utils.questions.m00_welcome import CUSTOMERS

_df = pd.DataFrame(CUSTOMERS)

RIGHT = {
    "q1": ["C03", lambda: _df.loc[_df["spend_gbp"].idxmax(), "customer_id"]],
    "q2": [
        {"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing behaviour"},
        {"A": "Retention", "B": "High value", "C": "Targeted Marketing", "D": "purchasing behavior"},
    ],
    "q3": [{"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}],
}

WRONG = [
    # q1: the row position from idxmax, not the id
    ("q1", 2, "row position"),
    ("q1", np.int64(2), "row position"),
    # q1: the amount instead of the customer
    ("q1", 1240.0, "amount of money"),
    # q1: most orders, not most money
    ("q1", "C05", "most *orders*"),
    # q1: ascending sort picks the smallest spender
    ("q1", "C02", "*least*"),
    # q1: a Series / one-row frame instead of the value
    ("q1", lambda: _df.loc[_df["spend_gbp"] == _df["spend_gbp"].max(), "customer_id"], "whole column"),
    ("q1", "c03", "exactly as the table spells it"),
    ("q1", "C99", "no customer"),
    # q2: a list instead of a dict, missing scenario, churn vs high value confused
    ("q2", ["retention", "high-value", "targeted marketing", "purchasing behaviour"], "should be a dict"),
    ("q2", {"A": "retention", "B": "high-value", "C": "targeted marketing"}, "missing the key"),
    ("q2", {"A": "high-value", "B": "retention", "C": "targeted marketing", "D": "purchasing behaviour"}, "2 of 4"),
    ("q2", {"A": "retention", "B": "high-value", "C": "marketing", "D": "purchasing behaviour"}, "not one of the four"),
    # q3: the same word twice, S1 not seen as a legal problem, S3/S4 swapped
    ("q3", {"S1": "lawful", "S2": "stable", "S3": "stable", "S4": "actionable"}, "different"),
    ("q3", {"S1": "actionable", "S2": "stable", "S3": "distinct", "S4": "lawful"}, "Art. 9"),
    ("q3", {"S1": "lawful", "S2": "stable", "S3": "actionable", "S4": "distinct"}, "fails['S3']"),
    ("q3", {"S1": "legal", "S2": "stable", "S3": "distinct", "S4": "actionable"}, "use one of"),
]
