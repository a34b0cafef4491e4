"""Small clustering helpers that modules 4 and later reuse.

The lessons first show each idea in plain scikit-learn; these functions only
save repeating it afterwards.

- :func:`stability_ari`: refit on resamples of the customers and compare each
  partition with the reference one by the adjusted Rand index (clustering's
  counterpart of cross-validation);
- :func:`profile_segments`: size, share and mean of each feature per segment,
  in original units, optionally as a lift against the overall mean.

>>> import numpy as np
>>> from sklearn.cluster import KMeans
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(0, 0.3, (50, 2)), rng.normal(5, 0.3, (50, 2))])
>>> scores = stability_ari(X, lambda seed: KMeans(2, n_init=3, random_state=seed), n_resamples=5)
>>> bool(scores.min() > 0.99)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

__all__ = ["stability_ari", "profile_segments"]


def stability_ari(
    X: Any,
    make_model: Callable[[int], Any],
    n_resamples: int = 10,
    fraction: float = 0.8,
    seed: int = 0,
) -> np.ndarray:
    """ARI between a reference partition and partitions refitted on random subsets.

    ``make_model(random_state)`` must return a fresh unfitted estimator with
    ``fit_predict`` (e.g. ``lambda s: KMeans(4, n_init=10, random_state=s)``).
    The reference model is ``make_model(seed)`` fitted on all rows; resample
    ``b`` draws ``fraction`` of the rows without replacement, fits
    ``make_model(seed + 1 + b)`` on them (so the seed changes too) and compares
    its labels with the reference labels *of the same rows*. ARI ignores label
    ids, so a permuted but identical partition scores 1.0.

    Returns one ARI per resample: near 1 means stable segments, near 0 means
    the segments are an accident of the sample or the seed.
    """
    data = np.asarray(X)
    if data.ndim != 2:
        raise ValueError(f"X should be a 2-D table (customers x features), but it has shape {data.shape}.")
    n = len(data)
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if np.isnan(data).any():
        raise ValueError("X contains NaN; impute or drop them before clustering.")
    reference = np.asarray(make_model(seed).fit_predict(data))
    rng = np.random.default_rng(seed)
    size = max(2, int(round(fraction * n)))
    scores = np.empty(n_resamples)
    for b in range(n_resamples):
        rows = np.sort(rng.choice(n, size=size, replace=False))
        labels = make_model(seed + 1 + b).fit_predict(data[rows])
        scores[b] = adjusted_rand_score(reference[rows], labels)
    return scores


def profile_segments(df: pd.DataFrame, labels: Any, lift: bool = False) -> pd.DataFrame:
    """One row per segment: ``size``, ``share`` and the mean of every column.

    The last row, ``"overall"``, holds the whole population. With
    ``lift=True`` the feature columns are divided by the overall mean (1.0 =
    average; 2.0 = twice the average), which makes segments with different
    units comparable at a glance. Use the *unscaled* features so the means
    are in original units (days, orders, pounds).

    >>> df = pd.DataFrame({"spend_gbp": [10.0, 20.0, 90.0, 100.0]})
    >>> profile_segments(df, ["a", "a", "b", "b"])  # doctest: +NORMALIZE_WHITESPACE
             size  share  spend_gbp
    segment
    a           2    0.5       15.0
    b           2    0.5       95.0
    overall     4    1.0       55.0
    >>> profile_segments(df, ["a", "a", "b", "b"], lift=True)["spend_gbp"].round(2).tolist()
    [0.27, 1.73, 1.0]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df should be a pandas DataFrame of features, but it is a {type(df).__name__}.")
    labels = np.asarray(labels)
    if labels.shape != (len(df),):
        raise ValueError(f"labels should have one entry per row of df ({len(df)}), but has shape {labels.shape}.")
    numeric = df.select_dtypes("number")
    if numeric.shape[1] == 0:
        raise ValueError("df has no numeric columns to profile.")
    grouped = numeric.groupby(pd.Index(labels, name="segment"))
    means = grouped.mean()
    overall = numeric.mean()
    if lift:
        means = means / overall.replace(0, np.nan)
        overall = overall / overall.replace(0, np.nan)
    sizes = grouped.size()
    table = pd.concat([sizes.rename("size"), (sizes / len(df)).rename("share"), means], axis=1)
    table.index = table.index.astype(object)
    total = pd.DataFrame([[len(df), 1.0, *overall.tolist()]], columns=table.columns, index=["overall"])
    out = pd.concat([table, total])
    out.index.name = "segment"
    return out.astype({"size": "int64"})
