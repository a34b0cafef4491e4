"""Answer variants for assignment 04-evaluation, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score

from course_utils.features import FEATURES, course_features, course_matrix, segment_labels
from course_utils.questions.m04_evaluation import resample_rows, truth
from tests.checks.variants import Right, Wrong, as_list, as_numpy, dropped_row, perturbed, reindexed, rounded, shuffled


def _ari() -> float:
    return adjusted_rand_score(truth(), segment_labels())


@functools.cache
def _fits(scaled: bool) -> tuple[np.ndarray, np.ndarray]:
    """(full-data labels restricted to the resample, labels of the refit on the resample)."""
    X = course_matrix() if scaled else course_features()[FEATURES].to_numpy()
    rows = resample_rows(len(X))
    full = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X)
    return full[rows], KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])


def _first_customers() -> tuple[np.ndarray, np.ndarray]:
    X = course_matrix()
    return segment_labels()[: len(resample_rows(len(X)))], _fits(True)[1]


def _resample_ari() -> float:
    return adjusted_rand_score(*_fits(True))


def _profile() -> pd.DataFrame:
    return course_features()[FEATURES].groupby(segment_labels()).mean()


VARIANTS = {
    "q1": [
        Right("arguments swapped", lambda: adjusted_rand_score(segment_labels(), truth())),
        Right("rounded to two decimals", lambda: round(_ari(), 2)),
        Right("rounded to three decimals, a NumPy float", lambda: np.float64(rounded(_ari(), 3))),
        Right("renamed clusters", lambda: adjusted_rand_score(truth().to_numpy(), (segment_labels() + 3) % 5)),
        Wrong("type", "one number", lambda: as_list([_ari()])),
        Wrong("type", "should be a number", lambda: f"{_ari():.2f}"),
        Wrong("value", "is not the ARI", lambda: perturbed(_ari(), -0.2)),
        Wrong("method", "raw label ids", lambda: float(np.mean(segment_labels() == truth().cat.codes.to_numpy()))),
        Wrong("method", "NMI", lambda: normalized_mutual_info_score(truth(), segment_labels())),
        Wrong("method", "not adjusted for chance", lambda: rand_score(truth(), segment_labels())),
        Wrong("precision", "checked to two decimals", lambda: rounded(_ari(), 1)),
    ],
    "q2": [
        Right("arguments swapped", lambda: adjusted_rand_score(*_fits(True)[::-1])),
        Right("rounded to two decimals", lambda: rounded(_resample_ari(), 2)),
        Wrong("type", "one number", lambda: as_numpy([_resample_ari()])),
        Wrong("method", "unscaled", lambda: adjusted_rand_score(*_fits(False))),
        Wrong("method", "NMI", lambda: normalized_mutual_info_score(*_fits(True))),
        Wrong("same_customers", "same customers", lambda: adjusted_rand_score(*_first_customers())),
        Wrong("same_customers", "raw label ids", lambda: float(np.mean(np.equal(*_fits(True))))),
        Wrong("precision", "checked to two decimals", lambda: perturbed(_resample_ari(), -0.02)),
    ],
    "q3": [
        Right("clusters shuffled and renamed", lambda: shuffled(_profile()).rename(index=lambda i: f"cluster {i}")),
        Right(
            "groupby on a labels column, rounded to two decimals",
            lambda: rounded(course_features().assign(cluster=segment_labels()).groupby("cluster")[FEATURES].mean(), 2),
        ),
        Right(
            "a size column and an overall row",
            lambda: pd.concat(
                [
                    _profile().assign(size=np.bincount(segment_labels())),
                    course_features()[FEATURES].mean().to_frame("overall").T,
                ]
            ),
        ),
        Wrong("type", "Series", lambda: _profile()["recency_days"]),
        Wrong("type", "should be a pandas DataFrame", lambda: as_numpy(_profile())),
        Wrong("orientation", "transposed", lambda: _profile().T),
        Wrong("rows", "one row per cluster", lambda: dropped_row(_profile())),
        Wrong("rows", "one row per cluster", lambda: reindexed(course_features()[FEATURES]).head(3)),
        Wrong("columns", "missing the column", lambda: _profile().drop(columns=FEATURES[-1])),
        Wrong("value", "medians", lambda: course_features()[FEATURES].groupby(segment_labels()).median()),
        Wrong("value", "counts", lambda: course_features()[FEATURES].groupby(segment_labels()).count()),
        Wrong("value", "do not match", lambda: perturbed(_profile(), 1.0)),
        Wrong(
            "units",
            "*scaled*",
            lambda: pd.DataFrame(course_matrix(), columns=FEATURES).groupby(segment_labels()).mean(),
        ),
    ],
}
