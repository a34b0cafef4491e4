"""Known-wrong answers for assignment 03-clustering (computed here independently with scikit-learn)."""

import numpy as np
from sklearn.cluster import DBSCAN, KMeans
from sklearn.preprocessing import StandardScaler

from course_utils.data import shape_features
from course_utils.features import FEATURES, SKEWED, course_features
from course_utils.questions.m03_clustering import shape_matrix


def _X(log: bool = True, standardise: bool = True, log_every_column: bool = False) -> np.ndarray:
    X = course_features()[FEATURES].copy()
    if log_every_column:
        X = np.log1p(X)
    elif log:
        X[SKEWED] = np.log1p(X[SKEWED])
    return StandardScaler().fit_transform(X) if standardise else X.to_numpy()


def _km(X: np.ndarray, k: int = 5, seed: int = 0) -> np.ndarray:
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def _permuted() -> np.ndarray:
    """The right partition with label ids shuffled: must still pass."""
    labels = _km(_X())
    return np.array([3, 0, 4, 1, 2])[labels]


RIGHT = {
    "q1": [lambda: _km(_X()), _permuted, lambda: _km(_X(), seed=7).tolist(), lambda: _km(_X()).astype(float)],
    "q2": [5, np.int64(5)],
    "q3": [
        lambda: DBSCAN(eps=0.13, min_samples=20).fit_predict(shape_matrix()),
        lambda: DBSCAN(eps=0.12, min_samples=20).fit_predict(shape_matrix()),
        # the ends of the range hint 3 gives
        lambda: DBSCAN(eps=0.10, min_samples=20).fit_predict(shape_matrix()),
        lambda: DBSCAN(eps=0.17, min_samples=20).fit_predict(shape_matrix()),
    ],
}

WRONG = [
    # q1: the classic mistake, unscaled features
    ("q1", lambda: _km(_X(log=False, standardise=False)), "unscaled"),
    # q1: standardised but the skewed amounts not logged
    ("q1", lambda: _km(_X(log=False)), "did not log-transform"),
    # q1: logged but not standardised
    ("q1", lambda: _km(_X(standardise=False)), "did not standardise"),
    # q1: wrong k
    ("q1", lambda: _km(_X(), k=4), "k = 5"),
    # q1: the model instead of its labels, a sample instead of all customers, a table
    ("q1", lambda: KMeans(n_clusters=5, n_init=10, random_state=0).fit(_X()), "model itself"),
    ("q1", lambda: _km(_X())[:2000], "there are"),
    ("q1", lambda: course_features()[FEATURES], "whole table"),
    ("q1", "cluster 1", "one cluster label per customer"),
    # q1 (outside trial T1): np.log1p on every FEATURES column, not only SKEWED
    ("q1", lambda: _km(_X(log_every_column=True)), "*every* FEATURES column"),
    # q2: the elbow alone
    ("q2", 4, "elbow alone"),
    ("q2", 3, "elbow alone"),
    # q2: smallest inertia = the largest k
    ("q2", 8, "inertia *always* falls"),
    # q2: lowest silhouette; a score instead of k; out of range
    ("q2", 2, "unscaled"),
    ("q2", 0.338, "silhouette *score*"),
    ("q2", 5.0, "whole number"),
    ("q2", 12, "outside the range"),
    # q2 (trial T1): int(np.argmax(list(scores.values()))), a position, not k
    ("q2", 3, "np.argmax"),
    # q2 (trial T1): min(scores, key=scores.get), the lowest silhouette on the scaled X
    ("q2", 2, "*lowest* silhouette"),
    # q3: k-means on the crescents
    ("q3", lambda: KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(shape_matrix()), "k-means"),
    # q3: eps too large, crescents merged
    ("q3", lambda: DBSCAN(eps=0.3, min_samples=20).fit_predict(shape_matrix()), "too large"),
    # q3: eps too small
    ("q3", lambda: DBSCAN(eps=0.05, min_samples=20).fit_predict(shape_matrix()), "too small"),
    # q3: unscaled features (hours and minutes) with the eps read from the scaled plot
    (
        "q3",
        lambda: DBSCAN(eps=0.13, min_samples=20).fit_predict(shape_matrix() * np.array([2.8, 5.9])),
        "not standardised",
    ),
    # q3 (trial T1): DBSCAN's default min_samples=5, eps inside hint 3's range
    ("q3", lambda: DBSCAN(eps=0.15).fit_predict(shape_matrix()), "min_samples=5"),
    ("q3", lambda: DBSCAN(eps=0.10).fit_predict(shape_matrix()), "min_samples=5"),
    # q3 (trial T1): the raw hours and minutes, eps chosen to fit them
    ("q3", lambda: DBSCAN(eps=0.5, min_samples=20).fit_predict(shape_features()), "not standardised"),
    # q3: another min_samples than the task's 20
    ("q3", lambda: DBSCAN(eps=0.15, min_samples=30).fit_predict(shape_matrix()), "min_samples=20"),
]
