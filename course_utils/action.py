"""Helpers for module 7, "From segments to action": personas, A/B uplift, drift.

The lessons first compute each idea in plain pandas/numpy/scipy; these
functions only save repeating it afterwards (and in the exercise checks).

- :func:`name_personas`: the module-4 naming rule (lapsed = highest recency, ...)
  turned into a function, so every module-7 notebook names segments alike;
- :func:`uplift_table`: conversion of treatment and control per segment, the
  uplift (treatment minus control), its normal-approximation confidence
  interval and the two-proportion z-test p-value;
- :func:`psi`: the population stability index between a reference sample and a
  new one, with bins fixed on the *reference* sample.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ref = rng.normal(0, 1, 5000)
>>> round(psi(ref, rng.normal(0, 1, 5000)), 3) < 0.01   # same distribution: tiny
True
>>> psi(ref, rng.normal(1, 1, 5000)) > 0.25            # shifted by one sd: drift
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PERSONA_RULES", "name_personas", "uplift_table", "psi"]

#: (persona, feature, "max" or "min"): taken in order, each picks one remaining segment.
PERSONA_RULES: tuple[tuple[str, str, str], ...] = (
    ("Lapsed", "recency_days", "max"),
    ("New customers", "tenure_days", "min"),
    ("Loyal premium", "monetary_gbp", "max"),
    ("App bargain hunters", "app_share", "max"),
)
#: The name of the one segment left when every rule has picked.
LAST_PERSONA = "Occasional buyers"


def name_personas(features: pd.DataFrame, labels: Any) -> pd.Series:
    """Persona name of every customer, from the segment means (the module-4 rule).

    Rules in :data:`PERSONA_RULES` pick, in order, the segment with the highest
    mean recency ("Lapsed"), the lowest tenure ("New customers"), the highest
    spend ("Loyal premium") and the highest app share ("App bargain hunters");
    the segment left is "Occasional buyers". It needs five segments and the
    columns the rules name. The result does not depend on the label ids.

    >>> f = pd.DataFrame({"recency_days": [500, 10, 20, 30, 40], "tenure_days": [900, 50, 800, 700, 600],
    ...                   "monetary_gbp": [90, 80, 900, 100, 70], "app_share": [0, 0.1, 0.2, 0.9, 0.3]})
    >>> name_personas(f, [7, 3, 1, 0, 2]).tolist()
    ['Lapsed', 'New customers', 'Loyal premium', 'App bargain hunters', 'Occasional buyers']
    """
    labels = np.asarray(labels)
    if len(labels) != len(features):
        raise ValueError(f"{len(labels)} labels for {len(features)} customers: they must match one to one.")
    means = features.groupby(labels).mean(numeric_only=True)
    if len(means) != len(PERSONA_RULES) + 1:
        raise ValueError(f"the naming rule needs {len(PERSONA_RULES) + 1} segments, got {len(means)}.")
    remaining = list(means.index)
    names: dict[Any, str] = {}
    for name, column, pick in PERSONA_RULES:
        values = means.loc[remaining, column].astype(float)
        chosen = values.idxmax() if pick == "max" else values.idxmin()
        names[chosen] = name
        remaining.remove(chosen)
    names[remaining[0]] = LAST_PERSONA
    return pd.Series(labels, index=features.index, name="persona").map(names)


def uplift_table(
    df: pd.DataFrame,
    segment: str,
    outcome: str = "converted",
    variant: str = "variant",
    treatment: str = "offer",
    control: str = "control",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per segment: customers and conversion per arm, uplift, its interval and p-value.

    ``uplift`` is treatment minus control (a proportion: 0.05 = 5 points). The
    interval is the normal (Wald) interval of a difference of two proportions;
    ``p_value`` is the two-sided two-proportion z-test with the pooled
    proportion under the null hypothesis. Both assume a few dozen conversions per
    arm; with fewer, bootstrap instead. A last row ``"all"`` pools every segment.

    >>> ab = pd.DataFrame({"seg": ["a"] * 400, "variant": ["control", "offer"] * 200,
    ...                    "converted": [0, 1] * 100 + [0, 0] * 100})
    >>> t = uplift_table(ab, "seg")
    >>> t.loc["a", ["rate_control", "rate_offer", "uplift"]].tolist()
    [0.0, 0.5, 0.5]
    """
    from scipy.stats import norm

    for column in (segment, outcome, variant):
        if column not in df.columns:
            raise KeyError(f"uplift_table needs a column {column!r}; the table has {list(df.columns)}.")
    z_crit = float(norm.ppf(0.5 + confidence / 2))
    rows = {}
    groups = [(key, part) for key, part in df.groupby(segment, observed=True, sort=True)]
    for key, part in [*groups, ("all", df)]:
        t = part.loc[part[variant] == treatment, outcome].astype(float)
        c = part.loc[part[variant] == control, outcome].astype(float)
        n_t, n_c = len(t), len(c)
        p_t = t.mean() if n_t else np.nan
        p_c = c.mean() if n_c else np.nan
        diff = p_t - p_c
        se = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) if n_t and n_c else np.nan
        pooled = (t.sum() + c.sum()) / (n_t + n_c) if n_t + n_c else np.nan
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c)) if n_t and n_c else np.nan
        p_value = float(2 * norm.sf(abs(diff) / se0)) if se0 and se0 > 0 else np.nan
        rows[key] = {
            f"n_{control}": n_c,
            f"n_{treatment}": n_t,
            f"rate_{control}": p_c,
            f"rate_{treatment}": p_t,
            "uplift": diff,
            "ci_low": diff - z_crit * se,
            "ci_high": diff + z_crit * se,
            "p_value": p_value,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = segment
    return table


def psi(expected: Any, actual: Any, bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index of ``actual`` against the reference ``expected``.

    Bin edges are the quantiles of ``expected`` (deciles by default), widened to
    cover every value; shares are floored at ``eps`` so an empty bin does not
    give an infinite value. PSI = sum over bins of (a - e) * ln(a / e). A common
    rule of thumb: below 0.1 stable, 0.1-0.25 worth a look, above 0.25 shifted.

    >>> psi([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], bins=5)
    0.0
    """
    ref = np.asarray(expected, dtype=float)
    new = np.asarray(actual, dtype=float)
    if ref.ndim != 1 or new.ndim != 1:
        raise ValueError("psi compares two 1-D samples of one feature.")
    if np.isnan(ref).any() or np.isnan(new).any():
        raise ValueError("psi got NaN values; drop or impute them first.")
    if len(ref) == 0 or len(new) == 0:
        raise ValueError("psi needs two non-empty samples.")
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.histogram(ref, edges)[0] / len(ref)
    a = np.histogram(new, edges)[0] / len(new)
    e, a = np.clip(e, eps, None), np.clip(a, eps, None)
    return float(np.sum((a - e) * np.log(a / e)))
