"""Checks for assignment ``04-evaluation``: agreement with the truth, stability, profiles.

The exercise reuses module 3's features, scaling and segmentation (:mod:`course_utils.features`).
Every reference value is recomputed here from the loaders with fixed seeds; partitions are compared
with ARI, and profiles are matched row by row after sorting, never by cluster id.

>>> len(resample_rows(100))
80
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import EXACT, Incorrect, Question, require_number, within
from course_utils.features import FEATURES, course_features, course_matrix, segment_labels
from course_utils.fresh import fresh

__all__ = ["truth", "resample_rows"]


@fresh
def truth() -> pd.Series:
    """Planted segment of every customer in ``course_features()``, same order (evaluation only)."""
    from course_utils.data import load_ground_truth

    return load_ground_truth().set_index("customer_id")["segment"].reindex(course_features.reference().index)


def resample_rows(n: int, fraction: float = 0.8, seed: int = 0) -> np.ndarray:
    """Sorted positions of a random ``fraction`` of ``n`` customers, drawn without replacement."""
    return np.sort(np.random.default_rng(seed).choice(n, size=int(fraction * n), replace=False))


def _number(value: Any, name: str) -> float:
    return require_number(value, f"`{name}`", nan_hint="check that the labels have no missing values.")


def _close(a: Any, b: Any, decimals: int | None = 2) -> bool:
    """The course's tolerance policy (CONTRIBUTING): no precision stated means two decimals; a
    diagnosis ("that is the NMI") needs the value itself (EXACT): the alternatives lie close together."""
    return within(a, b, decimals)


# -- q1: agreement with the planted truth ----------------------------------------------------


def _check_ari_truth(value: Any) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score

    got = _number(value, "ari_truth")
    labels, true = segment_labels.reference(), truth.reference()
    right = adjusted_rand_score(true, labels)
    if _close(got, right):
        return
    codes = true.cat.codes.to_numpy()
    if _close(got, float(np.mean(labels == codes)), EXACT) or _close(got, 100 * float(np.mean(labels == codes)), EXACT):
        raise Incorrect(
            "you compared raw label ids (cluster number == segment code). Cluster numbers are arbitrary "
            "names: renaming the clusters would change this score. Use adjusted_rand_score(truth, labels)."
        )
    if _close(got, normalized_mutual_info_score(true, labels), EXACT):
        raise Incorrect(
            "that is the NMI (normalized_mutual_info_score). The question asks for the adjusted Rand index."
        )
    if _close(got, rand_score(true, labels), EXACT):
        raise Incorrect(
            "that is the plain Rand index (rand_score), which is not adjusted for chance: random labels "
            "already score high. Use adjusted_rand_score."
        )
    if -1 <= got <= 1:
        raise Incorrect(
            f"{got:.3f} is not the ARI of `labels` against `truth` (checked to two decimals). "
            "Use the given `labels` and `truth`: adjusted_rand_score(truth, labels)."
        )
    raise Incorrect(f"an ARI lies between -1 and 1, but `ari_truth` is {got}.")


q1 = Question(
    "ari_truth",
    _check_ari_truth,
    hints=[
        "You need a score that only looks at which customers are grouped together, not at the label numbers.",
        "sklearn.metrics has adjusted_rand_score(labels_true, labels_pred).",
        "ari_truth = adjusted_rand_score(truth, labels)",
    ],
    solution="ari_truth = adjusted_rand_score(truth, labels)",
    praise="ARI ignores cluster numbers: renaming the clusters gives the same score, as it should.",
)

# -- q2: one stability resample ----------------------------------------------------------------


@functools.cache
def _resample_labels(scaled: bool) -> np.ndarray:
    from sklearn.cluster import KMeans

    X = course_matrix() if scaled else course_features.reference()[FEATURES].to_numpy()
    rows = resample_rows(len(X))
    return KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])


@functools.cache
def _reference(scaled: bool) -> np.ndarray:
    from sklearn.cluster import KMeans

    if scaled:
        return segment_labels.reference()
    return KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(course_features.reference()[FEATURES].to_numpy())


def _check_resample_ari(value: Any) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    got = _number(value, "resample_ari")
    rows = resample_rows(len(course_features.reference()))
    ref, new = _reference(True)[rows], _resample_labels(True)
    right = adjusted_rand_score(ref, new)
    if _close(got, right):
        return
    if _close(got, float(np.mean(ref == new)), EXACT):
        raise Incorrect(
            "you compared raw label ids (labels_full[rows] == labels_sub). The refit on the subsample may "
            "number the same clusters differently; use adjusted_rand_score(labels_full[rows], labels_sub)."
        )
    if _close(got, normalized_mutual_info_score(ref, new), EXACT):
        raise Incorrect("that is the NMI. The question asks for the adjusted Rand index (adjusted_rand_score).")
    if _close(got, adjusted_rand_score(_reference(True)[: len(rows)], new), EXACT):
        raise Incorrect(
            "you compared the refit with the first customers of `labels`, not with the same customers: use "
            "labels[rows], the full fit's labels of the customers in the resample."
        )
    unscaled = adjusted_rand_score(_reference(False)[rows], _resample_labels(False))
    if _close(got, unscaled, EXACT):
        raise Incorrect("you clustered the unscaled features. Use the scaled matrix `X` given in the set-up cell.")
    if not -1 <= got <= 1:
        raise Incorrect(f"an ARI lies between -1 and 1, but `resample_ari` is {got}.")
    raise Incorrect(
        f"{got:.3f} is not the ARI of this resample (checked to two decimals). Fit KMeans(n_clusters=5, n_init=10, "
        "random_state=1) on "
        "X[rows], and compare its labels with labels[rows] (the full fit, restricted to the same customers)."
    )


q2 = Question(
    "resample_ari",
    _check_resample_ari,
    hints=[
        "Refit k-means on the subsample X[rows], then compare it with the full-data labels of the *same* customers.",
        "The full fit's labels for those customers are labels[rows]. Compare partitions with adjusted_rand_score.",
        "labels_sub = KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows]); "
        "resample_ari = adjusted_rand_score(labels[rows], labels_sub)",
    ],
    solution=(
        "labels_sub = KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])\n"
        "resample_ari = adjusted_rand_score(labels[rows], labels_sub)"
    ),
    praise="near 1: another sample and another seed give the same segments. Repeat it 10 times and you have a "
    "stability test.",
)

# -- q3: profile in original units ----------------------------------------------------------


def _sorted_profile(table: pd.DataFrame) -> pd.DataFrame:
    return table[FEATURES].astype(float).sort_values("monetary_gbp").reset_index(drop=True)


def _check_profile(value: Any) -> None:
    if isinstance(value, pd.Series):
        raise Incorrect(
            "`profile` is a Series (one column); it should be a DataFrame with one row per cluster and the FEATURES "
            "as columns."
        )
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(f"`profile` should be a pandas DataFrame, but it is a {type(value).__name__}.")
    labels = segment_labels.reference()
    k = len(np.unique(labels))
    if len(value.columns) == k and all(f in value.index for f in FEATURES):
        raise Incorrect("your table is transposed: put the clusters in rows and the features in columns (drop the .T).")
    missing = [f for f in FEATURES if f not in value.columns]
    if missing:
        raise Incorrect(
            f"`profile` is missing the column(s) {', '.join(map(repr, missing))}: profile every column of FEATURES."
        )
    rows = value.drop(index=[i for i in value.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
    if len(rows) != k:
        raise Incorrect(f"`profile` has {len(rows)} rows; it should have one row per cluster ({k}).")
    try:
        got = _sorted_profile(rows)
    except (TypeError, ValueError):
        raise Incorrect("the FEATURES columns of `profile` should hold numbers (means).") from None
    original = course_features.reference()[FEATURES]
    expected = _sorted_profile(original.groupby(labels).mean())
    if _close(got.to_numpy(), expected.to_numpy()):
        return
    scaled = pd.DataFrame(course_matrix(), columns=FEATURES)
    if np.allclose(_sorted_profile(scaled.groupby(labels).mean()).to_numpy(), got.to_numpy(), rtol=1e-6, atol=1e-9):
        raise Incorrect(
            "these are means of the *scaled* features (values near 0, in standard deviations of logs). "
            "Profiles must be in original units: group `features[FEATURES]` by `labels`."
        )
    if np.allclose(_sorted_profile(original.groupby(labels).median()).to_numpy(), got.to_numpy(), rtol=1e-6, atol=1e-9):
        raise Incorrect("these are medians; the question asks for the mean of each feature per cluster (.mean()).")
    if (got.to_numpy() == got.to_numpy().round()).all():
        raise Incorrect("these look like counts, not means: use .mean() after groupby.")
    raise Incorrect(
        "the means do not match `features[FEATURES].groupby(labels).mean()`. Check that you grouped by the given "
        "`labels` and used the original (unscaled) features."
    )


q3 = Question(
    "profile",
    _check_profile,
    hints=[
        "A profile is the mean of each original feature within each cluster.",
        "Group the unscaled table features[FEATURES] by the labels array.",
        "profile = features[FEATURES].groupby(labels).mean()",
    ],
    solution="profile = features[FEATURES].groupby(labels).mean()",
    praise="means in days, orders and pounds: a table the marketing team can read.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3}

#: What each task states, property by property (the solution notebook's task text is the source).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "`ari_truth` is one number (a float)",
        "value": "the adjusted Rand index between the planted `truth` and the clusters `labels`",
        "method": "a partition comparison adjusted for chance (not raw label ids, NMI or the plain Rand index)",
        "precision": "no precision stated: accepted to two decimals (within 0.005)",
    },
    "q2": {
        "type": "`resample_ari` is one number (a float)",
        "method": "KMeans(n_clusters=5, n_init=10, random_state=1) refitted on the scaled X[rows] only, compared by "
        "ARI",
        "same_customers": "compared with the full-data `labels` of the same customers (labels[rows])",
        "precision": "no precision stated: accepted to two decimals (within 0.005)",
    },
    "q3": {
        "type": "`profile` is a pandas DataFrame",
        "orientation": "clusters in rows, features in columns",
        "rows": "one row per cluster of `labels` (an 'overall' row may be added; any cluster names and order)",
        "columns": "every column in FEATURES (other columns such as a size may be added)",
        "value": "the mean of each feature within each cluster",
        "units": "original units (days, orders, pounds, shares), not the scaled matrix",
    },
}
