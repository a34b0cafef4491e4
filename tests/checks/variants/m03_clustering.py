"""Answer variants for assignment 03-clustering, derived from ``PROPERTIES`` in its checks.

Partitions are computed once per preparation (k-means is the slow part) and copied per variant.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from course_utils.data import shape_features
from course_utils.features import FEATURES, SKEWED, course_features
from tests.checks.variants import Right, Wrong, as_list, dropped_row, wrong_dtype


def _X(log: bool = True, standardise: bool = True) -> np.ndarray:
    X = course_features()[FEATURES].copy()
    if log:
        X[SKEWED] = np.log1p(X[SKEWED])
    return StandardScaler().fit_transform(X) if standardise else X.to_numpy()


@functools.cache
def _km_cached(log: bool = True, standardise: bool = True, k: int = 5, seed: int = 0) -> np.ndarray:
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(_X(log, standardise))


def _km(**kwargs) -> np.ndarray:
    return _km_cached(**kwargs).copy()


def _km_pipeline() -> np.ndarray:
    """Right, another way: one pipeline on the DataFrame, log through a FunctionTransformer."""
    skewed = [FEATURES.index(c) for c in SKEWED]

    def log_skewed(a: np.ndarray) -> np.ndarray:
        out = np.array(a, dtype=float)
        out[:, skewed] = np.log1p(out[:, skewed])
        return out

    model = make_pipeline(
        FunctionTransformer(log_skewed), StandardScaler(), KMeans(n_clusters=5, n_init=10, random_state=0)
    )
    return model.fit(course_features()[FEATURES].to_numpy()).predict(course_features()[FEATURES].to_numpy())


def _S() -> np.ndarray:
    return StandardScaler().fit_transform(shape_features())


def _db(eps: float = 0.13, min_samples: int = 20, X: np.ndarray | None = None) -> np.ndarray:
    return DBSCAN(eps=eps, min_samples=min_samples).fit_predict(_S() if X is None else X)


VARIANTS = {
    "q1": [
        Right("one pipeline, log in a FunctionTransformer", _km_pipeline),
        Right("labels renumbered", lambda: np.array([4, 2, 0, 3, 1])[_km()]),
        Right("a pandas Series indexed by customer", lambda: pd.Series(_km(), index=course_features().index)),
        Right("a list of floats", lambda: as_list(_km().astype(float))),
        Wrong("type", "model itself", lambda: KMeans(n_clusters=5, n_init=1, random_state=0).fit(_X())),
        Wrong("type", "whole table", lambda: course_features()[FEATURES].assign(cluster=_km())),
        Wrong("type", "one cluster label per customer", lambda: "cluster 1"),
        Wrong("length", "there are", lambda: dropped_row(_km())),
        Wrong("length", "should be 1-D", lambda: _km().reshape(-1, 1)),
        Wrong("integers", "whole-number cluster labels", lambda: _km() + 0.5),
        Wrong("integers", "whole-number cluster labels", lambda: wrong_dtype(_km(), str)),
        Wrong("k", "k = 5", lambda: _km(k=4)),
        Wrong("k", "k = 5", lambda: _km(k=6)),
        Wrong("scaled", "*unscaled*", lambda: _km(log=False, standardise=False)),
        Wrong("scaled", "did not standardise", lambda: _km(standardise=False)),
        Wrong("log", "did not log-transform", lambda: _km(log=False)),
        Wrong(
            "log",
            "*every* FEATURES column",
            lambda: KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
                StandardScaler().fit_transform(np.log1p(course_features()[FEATURES]))
            ),
        ),
        Wrong("value", "these clusters differ", lambda: np.roll(_km(), 1)),
    ],
    "q2": [
        Right("a NumPy integer from argmax", lambda: np.int64(5)),
        Right("a plain int", lambda: 5),
        Wrong("type", "silhouette *score*", lambda: 0.338),
        Wrong("type", "whole number (int)", lambda: 5.0),
        Wrong("type", "whole number", lambda: "5"),
        Wrong("range", "outside the range", lambda: 9),
        Wrong("range", "outside the range", lambda: 1),
        Wrong("inertia", "inertia *always* falls", lambda: 8),
        Wrong("matrix", "*unscaled* features", lambda: 2),
        Wrong("highest", "elbow alone", lambda: 4),
        Wrong("highest", "does not have the highest silhouette", lambda: 7),
    ],
    "q3": [
        Right("eps a little lower", lambda: _db(0.12)),
        Right("eps at the low end of hint 3's range", lambda: _db(0.10)),
        Right("eps at the high end of hint 3's range", lambda: _db(0.17)),
        Right(
            "standardised by hand, as a list",
            lambda: as_list(
                _db(X=((shape_features() - shape_features().mean()) / shape_features().std(ddof=0)).to_numpy())
            ),
        ),
        Wrong("type", "one cluster label per customer", lambda: {"labels": 1}),
        Wrong("type", "model itself", lambda: DBSCAN(eps=0.13, min_samples=20)),
        Wrong("length", "there are", lambda: dropped_row(_db())),
        Wrong("dbscan", "k-means", lambda: KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(_S())),
        Wrong("two", "too large", lambda: _db(0.4)),
        Wrong("two", "every customer is noise", lambda: _db(0.001)),
        Wrong("noise", "too small", lambda: _db(0.05)),
        Wrong("standardised", "not standardised", lambda: _db(X=shape_features().to_numpy())),
        Wrong("standardised", "not standardised", lambda: _db(0.5, X=shape_features().to_numpy())),
        Wrong("min_samples", "min_samples=5", lambda: DBSCAN(eps=0.15).fit_predict(_S())),
        Wrong("min_samples", "min_samples=20", lambda: _db(0.15, min_samples=30)),
        Wrong("value", "min_samples=20", lambda: np.where(_db() == 0, 1, np.where(_db() == 1, 0, _db()))[::-1].copy()),
        Wrong("value", "eps is off", lambda: _db(0.09)),
    ],
}
