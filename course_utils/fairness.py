"""Fairness helpers for module 6: selection rates, disparate impact, proxy audits.

A segment-targeted offer *selects* customers. If the selection rate of one
group (by gender, by age band) is much lower than that of the most-favoured
group, the offer has a disparate impact even though gender or age was never
used: the segments acted as a proxy. The four-fifths rule (from US employment
guidance, used widely as a screening heuristic, not a legal test in the UK/EU)
flags a group whose rate is below 80% of the most-favoured group's.

>>> offers = pd.DataFrame({"group": ["a"] * 10 + ["b"] * 10,
...                        "offered": [1] * 8 + [0] * 2 + [1] * 4 + [0] * 6})
>>> disparate_impact(offers, "group", "offered")[["selection_rate", "ratio", "flag"]]  # doctest: +NORMALIZE_WHITESPACE
       selection_rate  ratio   flag
group
b                 0.4    0.5   True
a                 0.8    1.0  False
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FOUR_FIFTHS", "selection_rates", "disparate_impact", "cramers_v", "proxy_audit"]

#: The four-fifths rule's threshold on the selection-rate ratio.
FOUR_FIFTHS = 0.8


def _require(df: Any, columns: list[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(
            f"the table has no column(s) {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(repr, df.columns))}."
        )
    if len(df) == 0:
        raise ValueError("the table is empty: there is nothing to audit.")
    return df


def _as_selected(series: pd.Series) -> pd.Series:
    """Turn a 0/1 or bool column into bool, refusing anything else."""
    if series.isna().any():
        raise ValueError(
            f"column {series.name!r} has {int(series.isna().sum())} missing value(s); every customer is "
            "either selected (1/True) or not (0/False)."
        )
    if pd.api.types.is_bool_dtype(series):
        return series.astype(bool)
    values = set(pd.unique(series).tolist())
    if pd.api.types.is_numeric_dtype(series) and values <= {0, 1}:
        return series.astype(bool)
    shown = sorted(map(repr, values))[:5]
    raise ValueError(
        f"column {series.name!r} must hold 0/1 or True/False (selected or not), but it has {', '.join(shown)}; "
        "build it with e.g. (df['segment'] == 'bargain hunters')."
    )


def selection_rates(df: pd.DataFrame, group: str, selected: str) -> pd.DataFrame:
    """Per group: customers ``n``, ``n_selected`` and ``selection_rate`` = n_selected / n.

    >>> offers = pd.DataFrame({"age_band": ["<35", "<35", "35+"], "offered": [True, False, True]})
    >>> selection_rates(offers, "age_band", "offered")  # doctest: +NORMALIZE_WHITESPACE
              n  n_selected  selection_rate
    age_band
    35+       1           1             1.0
    <35       2           1             0.5
    """
    _require(df, [group, selected])
    chosen = _as_selected(df[selected])
    if df[group].isna().any():
        raise ValueError(
            f"column {group!r} has missing values; give them a label (e.g. 'undisclosed') so they are audited too."
        )
    table = chosen.groupby(df[group], observed=True).agg(n="size", n_selected="sum")
    table["n_selected"] = table["n_selected"].astype(int)
    table["selection_rate"] = table["n_selected"] / table["n"]
    table.index.name = group
    return table


def disparate_impact(
    df: pd.DataFrame,
    group: str,
    selected: str,
    *,
    reference: Any = None,
    threshold: float = FOUR_FIFTHS,
) -> pd.DataFrame:
    """Selection-rate ratio of each group against the most-favoured group, with the four-fifths flag.

    ``ratio`` = group's selection rate / reference group's rate, where the
    reference is the group with the highest rate unless ``reference`` names one.
    ``flag`` is True when ``ratio < threshold`` (0.8 by default). Rows are
    sorted from the lowest ratio up, so the most disadvantaged group comes first.
    Small groups give noisy ratios: look at ``n`` before concluding.

    >>> offers = pd.DataFrame({"g": ["x", "x", "y", "y"], "sel": [1, 1, 1, 0]})
    >>> disparate_impact(offers, "g", "sel").loc["y", "ratio"]
    np.float64(0.5)
    >>> disparate_impact(offers, "g", "sel", threshold=1.5)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be a ratio between 0 and 1 (0.8 for the four-fifths rule), got 1.5.
    """
    if not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
        raise ValueError(
            f"threshold must be a ratio between 0 and 1 (0.8 for the four-fifths rule), got {threshold!r}."
        )
    table = selection_rates(df, group, selected)
    if reference is None:
        ref_rate = table["selection_rate"].max()
    else:
        if reference not in table.index:
            raise KeyError(
                f"reference group {reference!r} is not in column {group!r}; "
                f"its groups are {', '.join(map(repr, table.index))}."
            )
        ref_rate = table.loc[reference, "selection_rate"]
    if ref_rate == 0:
        raise ValueError(
            "the reference group has a selection rate of 0, so ratios are undefined: nobody (in that group) "
            "was selected. Check the `selected` column."
        )
    table["ratio"] = table["selection_rate"] / ref_rate
    table["flag"] = table["ratio"] < threshold
    return table.sort_values("ratio", kind="stable")


def cramers_v(x: pd.Series, y: pd.Series) -> float:
    """Cramér's V between two categorical columns: 0 = unrelated, 1 = one determines the other.

    Used to ask "does the segment tell me the customer's gender (or age band)?".

    >>> a = pd.Series(["s1", "s1", "s2", "s2"] * 5)
    >>> round(cramers_v(a, a.map({"s1": "f", "s2": "m"})), 3)
    1.0
    >>> round(cramers_v(a, pd.Series(["f", "m"] * 10)), 3)
    0.0
    """
    from scipy.stats import chi2_contingency

    for s, name in ((x, "x"), (y, "y")):
        if not isinstance(s, pd.Series):
            raise TypeError(f"{name} must be a pandas Series, got {type(s).__name__}.")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}.")
    table = pd.crosstab(x.to_numpy(), y.to_numpy())
    if min(table.shape) < 2:
        raise ValueError("each column needs at least two different values for Cramér's V.")
    chi2 = chi2_contingency(table.to_numpy(), correction=False)[0]
    n = table.to_numpy().sum()
    return float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))


def proxy_audit(df: pd.DataFrame, segment: str, attributes: list[str]) -> pd.DataFrame:
    """For each protected attribute: Cramér's V with the segment, and the most skewed segment.

    ``max_share_gap`` is the largest difference, over segments and attribute
    values, between a value's share inside a segment and its share overall
    (0.25 = a segment has 25 points more of some group than the customer base).

    >>> people = pd.DataFrame({"segment": ["a", "a", "b", "b"] * 5, "gender": ["f", "f", "m", "m"] * 5})
    >>> proxy_audit(people, "segment", ["gender"]).round(2)
            cramers_v  max_share_gap worst_segment worst_value
    gender        1.0            0.5             a           f
    """
    _require(df, [segment, *attributes])
    if not attributes:
        raise ValueError("give at least one protected attribute column to audit, e.g. ['gender', 'age_band'].")
    rows = []
    for attribute in attributes:
        overall = df[attribute].value_counts(normalize=True, dropna=False)
        within = pd.crosstab(df[segment], df[attribute], normalize="index", dropna=False)
        gaps = within - overall.reindex(within.columns).to_numpy()
        where = gaps.stack().idxmax()
        rows.append(
            {
                "attribute": attribute,
                "cramers_v": cramers_v(df[segment], df[attribute]),
                "max_share_gap": float(gaps.to_numpy().max()),
                "worst_segment": where[0],
                "worst_value": where[1],
            }
        )
    return pd.DataFrame(rows).set_index("attribute").rename_axis(None)
