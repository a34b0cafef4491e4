"""Checks for assignment ``03-clustering``: scale then cluster, choose k, DBSCAN on a non-convex shape.

Partitions are compared with the adjusted Rand index (ARI), never by raw
label ids, so a correct answer with permuted labels passes, and the
reference partitions are recomputed here from the loaders with fixed seeds
(no stored results), so the checks follow library upgrades. The customer table, its
columns and the prepared matrix are the course's (:mod:`course_utils.features`).

>>> list(K_RANGE), DBSCAN_MIN_SAMPLES
([2, 3, 4, 5, 6, 7, 8], 20)
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import Incorrect, Question
from course_utils.features import FEATURES, course_features, course_matrix, log_features
from course_utils.fresh import fresh

K_RANGE = range(2, 9)
DBSCAN_MIN_SAMPLES = 20
DBSCAN_EPS = 0.13


@functools.cache
def _kmeans_labels(variant: str, k: int = 5) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    raw = course_features.reference()[FEATURES]
    if variant == "scaled":
        X = course_matrix()
    elif variant == "raw":
        X = raw.to_numpy()
    elif variant == "standardised_no_log":
        X = StandardScaler().fit_transform(raw)
    elif variant == "log_no_standardise":
        X = log_features(raw).to_numpy()
    elif variant == "log_every_column":  # np.log1p on all FEATURES, not only SKEWED
        X = StandardScaler().fit_transform(np.log1p(raw.astype(float).clip(lower=0)))
    else:  # pragma: no cover - programming error
        raise ValueError(variant)
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)


@functools.lru_cache(maxsize=1)
def k_table() -> pd.DataFrame:
    """Inertia and silhouette (2,000-customer sample, seed 0) for k = 2..8 on the scaled matrix."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    X = course_matrix()
    rows = []
    for k in K_RANGE:
        model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        sil = silhouette_score(X, model.labels_, sample_size=2000, random_state=0)
        rows.append({"k": k, "inertia": model.inertia_, "silhouette": sil})
    return pd.DataFrame(rows).set_index("k")


@functools.lru_cache(maxsize=1)
def _unscaled_silhouettes() -> pd.Series:
    """Silhouette by k on the raw FEATURES, as q2's recipe gives it when X is not the scaled matrix."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    X = course_features.reference()[FEATURES].to_numpy(dtype=float)
    return pd.Series(
        {
            k: silhouette_score(
                X, KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X), sample_size=2000, random_state=0
            )
            for k in K_RANGE
        }
    )


def elbow_k(inertia: pd.Series) -> int:
    """The k where the inertia curve bends most (largest second difference).

    >>> elbow_k(pd.Series([100.0, 50.0, 40.0, 35.0], index=[2, 3, 4, 5]))
    3
    """
    second = -inertia.diff() - inertia.diff(-1)  # drop into k minus drop after k
    return int(second.idxmax()) if second.notna().any() else int(inertia.index[0])


@fresh
def shape_matrix() -> np.ndarray:
    """``shape_features()`` standardised (the DBSCAN question's input); a fresh copy on every call."""
    from sklearn.preprocessing import StandardScaler

    from course_utils.data import shape_features

    return StandardScaler().fit_transform(shape_features())


@functools.lru_cache(maxsize=1)
def _dbscan_reference() -> np.ndarray:
    from sklearn.cluster import DBSCAN

    return DBSCAN(eps=DBSCAN_EPS, min_samples=DBSCAN_MIN_SAMPLES).fit_predict(shape_matrix.reference())


@functools.lru_cache(maxsize=1)
def _kmeans_shape() -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(shape_matrix.reference())


def _as_labels(value: Any, n: int, name: str) -> np.ndarray:
    """Turn an answer into a 1-D integer label array of length n, or explain what is wrong."""
    if isinstance(value, pd.DataFrame):
        raise Incorrect(f"`{name}` is a whole table; give one label per customer (e.g. `model.labels_`).")
    if hasattr(value, "fit") and hasattr(value, "get_params"):
        raise Incorrect(f"`{name}` is the model itself; give its labels: `model.labels_`.")
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise Incorrect(
            f"`{name}` should be an array with one cluster label per customer (e.g. `model.labels_` or "
            f"`model.fit_predict(X)`), but it is a {type(value).__name__}."
        )
    labels = np.asarray(value)
    if labels.ndim != 1:
        raise Incorrect(f"`{name}` should be 1-D (one label per customer), but it has shape {labels.shape}.")
    if len(labels) != n:
        raise Incorrect(
            f"`{name}` has {len(labels)} labels, but there are {n} customers. Fit on every customer "
            "(all rows), not a sample."
        )
    if not np.issubdtype(labels.dtype, np.integer):
        if np.issubdtype(labels.dtype, np.floating) and np.all(np.mod(labels, 1) == 0):
            labels = labels.astype(int)
        else:
            raise Incorrect(f"`{name}` should hold whole-number cluster labels, but its values are {labels.dtype}.")
    return labels


def _ari(a: np.ndarray, b: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


# -- q1: scale, then cluster ---------------------------------------------------------


def _check_scaled_labels(value: Any) -> None:
    labels = _as_labels(value, len(course_features.reference()), "labels_q1")
    k = len(np.unique(labels))
    if k != 5:
        raise Incorrect(f"your labels have {k} different clusters; the question asks for k = 5 (`n_clusters=5`).")
    scaled = _ari(labels, _kmeans_labels("scaled"))
    # log1p on every column gives a partition close to the right one (ARI about 0.97): an answer that
    # is that partition (and closer to it than to the right one) logged every column
    log_every = _ari(labels, _kmeans_labels("log_every_column"))
    if log_every >= 0.98 and log_every > scaled:
        raise Incorrect(
            "these are the clusters of np.log1p on *every* FEATURES column. The task logs only the SKEWED "
            "columns: shares and rates such as app_share are not skewed, and log1p bends their scale for "
            "nothing. Apply np.log1p to features[SKEWED] only, then StandardScaler."
        )
    if scaled >= 0.9:
        return
    if _ari(labels, _kmeans_labels("raw")) >= 0.9:
        raise Incorrect(
            "these are the clusters of the *unscaled* features: spend in pounds and days dominate the "
            "distance, and shares such as app_share count for nothing. Take log1p of the SKEWED columns, "
            "then standardise with StandardScaler before KMeans."
        )
    if _ari(labels, _kmeans_labels("standardised_no_log")) >= 0.9:
        raise Incorrect(
            "you standardised but did not log-transform the skewed columns first, so a few very large "
            "spenders still stretch the scale. Apply np.log1p to the SKEWED columns, then StandardScaler."
        )
    if _ari(labels, _kmeans_labels("log_no_standardise")) >= 0.9:
        raise Incorrect(
            "you log-transformed but did not standardise: days (log up to ~7) still outweigh shares "
            "(0 to 1). Put StandardScaler after the log."
        )
    raise Incorrect(
        "these clusters differ from k-means on the log-transformed, standardised FEATURES (ARI "
        f"{_ari(labels, _kmeans_labels('scaled')):.2f}). Use exactly the FEATURES columns, np.log1p on SKEWED, "
        "StandardScaler, then KMeans(n_clusters=5, n_init=10, random_state=0)."
    )


q1 = Question(
    "labels_q1",
    _check_scaled_labels,
    hints=[
        "Two steps before k-means: make the skewed amounts less skewed, then give every feature the same spread.",
        "X_log = features[FEATURES].copy(); X_log[SKEWED] = np.log1p(X_log[SKEWED]); "
        "then X_scaled = StandardScaler().fit_transform(X_log).",
        "labels_q1 = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_scaled)",
    ],
    solution=(
        "X_log = features[FEATURES].copy()\n"
        "X_log[SKEWED] = np.log1p(X_log[SKEWED])\n"
        "X_scaled = StandardScaler().fit_transform(X_log)\n"
        "labels_q1 = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_scaled)"
    ),
    praise="every feature now has a say: the clusters differ in app use, page views and returns, not only in spend.",
)

# -- q2: choose k with the silhouette, not the elbow alone ------------------------------

SILHOUETTE_TOLERANCE = 0.005


def _check_best_k(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            raise Incorrect(f"`best_k` should be a whole number (int), e.g. {int(value)}, not the float {value}.")
        if isinstance(value, float):
            raise Incorrect(
                f"`best_k` is {value!r}, which looks like a silhouette *score*. Give the number of clusters k "
                "with the highest score instead (e.g. with max(scores, key=scores.get))."
            )
        raise Incorrect(
            f"`best_k` should be a whole number of clusters between 2 and 8, but it is a {type(value).__name__}."
        )
    k = int(value)
    table = k_table()
    if k not in table.index:
        raise Incorrect(f"`best_k` = {k} is outside the range tried, 2 to 8.")
    sil = table["silhouette"]
    if sil[k] >= sil.max() - SILHOUETTE_TOLERANCE:
        return
    # A number alone does not say how it was found: state what is true of this k, and the mistakes that
    # lead to it as possibilities ("if you ..."), never as what the student did.
    facts = []
    if k == int(table["inertia"].idxmin()):
        facts.append(
            "it has the smallest inertia, but inertia *always* falls as k grows, so it cannot choose k by itself"
        )
    if k == int(sil.idxmin()):
        facts.append("it has the *lowest* silhouette on X; a higher silhouette is better, so take the maximum")
    if k == int(_unscaled_silhouettes().idxmax()):
        facts.append(
            "it has the highest silhouette on the *unscaled* features; if you scored those, score the partitions "
            "of `X`, the scaled matrix the cell above gives you"
        )
    if k + K_RANGE.start in table.index and sil[k + K_RANGE.start] >= sil.max() - SILHOUETTE_TOLERANCE:
        facts.append(
            f"if you took the position of the largest score in a list (np.argmax), a position is not k: "
            f"position 0 is k = {K_RANGE.start}"
        )
    if k in {elbow_k(table["inertia"]), elbow_k(table["inertia"]) - 1}:
        facts.append(
            "the inertia curve seems to bend near it; if you chose by the elbow alone, that is a judgement by "
            "eye, and the question asks for the highest silhouette"
        )
    if facts:
        raise Incorrect(f"k = {k} does not have the highest silhouette on X: " + "; ".join(facts) + ".")
    raise Incorrect(
        f"k = {k} does not have the highest silhouette (it has {sil[k]:.3f}). Compute silhouette_score for "
        "each k from 2 to 8 with sample_size=2000, random_state=0, and take the k with the largest score."
    )


q2 = Question(
    "best_k",
    _check_best_k,
    hints=[
        "Fit KMeans for each k in range(2, 9) on X and score each partition with silhouette_score.",
        "silhouette_score(X, labels, sample_size=2000, random_state=0): the sample keeps it fast (O(n²)).",
        "Store the scores in a dict {k: score}; best_k = max(scores, key=scores.get).",
    ],
    solution=(
        "scores = {}\n"
        "for k in range(2, 9):\n"
        "    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)\n"
        "    scores[k] = silhouette_score(X, labels, sample_size=2000, random_state=0)\n"
        "best_k = max(scores, key=scores.get)"
    ),
    praise="the silhouette peaks at this k, if only by a little, where the elbow was vague; module 4 checks that "
    "this k is also stable.",
)

# -- q3: DBSCAN on the crescents ------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _neighbours(scaled: bool, min_samples: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points, their 30 nearest neighbours (distances, indices) and each point's ``min_samples``-distance."""
    from sklearn.neighbors import NearestNeighbors

    from course_utils.data import shape_features

    X = shape_matrix.reference() if scaled else shape_features().to_numpy(dtype=float)
    dist, idx = NearestNeighbors(n_neighbors=max(min_samples, 30)).fit(X).kneighbors(X)
    return X, dist, idx


def _dbscan_would_give(labels: np.ndarray, *, scaled: bool, min_samples: int) -> bool:
    """Whether ``labels`` are DBSCAN(eps, min_samples) on these features for some eps.

    The smallest eps that still puts every clustered point within eps of a core point of its own
    cluster is read from the labels; DBSCAN is run again with it and must give the same partition.
    Labels made with another min_samples or on other features do not survive (ARI below 0.995).
    """
    from sklearn.cluster import DBSCAN

    X, dist, idx = _neighbours(scaled, min_samples)
    core_distance = dist[:, min_samples - 1]
    same = labels[idx] == labels[:, None]
    reach = np.where(same, np.maximum(core_distance[idx], dist), np.inf).min(axis=1)[labels != -1]
    if not len(reach) or not np.isfinite(reach).all():
        return False
    eps = float(reach.max()) * (1 + 1e-9)
    return _ari(DBSCAN(eps=eps, min_samples=min_samples).fit_predict(X), labels) >= 0.999


def _check_dbscan(value: Any) -> None:
    labels = _as_labels(value, len(shape_matrix.reference()), "dbscan_labels")
    clusters = sorted(set(labels.tolist()) - {-1})
    noise_share = float(np.mean(labels == -1))
    if -1 not in labels and len(clusters) == 2 and _ari(labels, _kmeans_shape()) >= 0.9:
        raise Incorrect(
            "these are k-means clusters: no customer is noise (-1) and the crescents are cut by a straight "
            "line. Use DBSCAN(eps=..., min_samples=20) on the standardised shape features."
        )
    if not clusters:
        raise Incorrect(
            "every customer is noise (-1): eps is too small for any customer to have 20 neighbours that "
            "close (or the features were not standardised). Read eps from the k-distance plot."
        )
    if not _dbscan_would_give(labels, scaled=True, min_samples=DBSCAN_MIN_SAMPLES):
        if _dbscan_would_give(labels, scaled=True, min_samples=5):
            raise Incorrect(
                "these labels are DBSCAN's with min_samples=5, its default, not the min_samples=20 the task "
                "sets: with 5 neighbours, sparse customers between the crescents become core points. Pass "
                "min_samples=20, then read eps from the k-distance plot for 20 neighbours."
            )
        if _dbscan_would_give(labels, scaled=False, min_samples=DBSCAN_MIN_SAMPLES):
            raise Incorrect(
                "these labels are DBSCAN on the features as they are, not standardised: an hour of the day "
                "and a minute of session length then count the same in every distance. Standardise shape "
                "first (StandardScaler), then read eps from the k-distance plot."
            )
        raise Incorrect(
            "these labels are not what DBSCAN with min_samples=20 gives on the standardised shape features, "
            "for any eps. Standardise shape_features() with StandardScaler, then run "
            "DBSCAN(eps=..., min_samples=20) on that matrix."
        )
    if len(clusters) == 1:
        raise Incorrect(
            f"DBSCAN found {len(clusters)} cluster(s): eps is too large, so the two crescents merge. Read eps "
            "from the k-distance plot, a little below where the curve turns up."
        )
    if noise_share > 0.2 or len(clusters) > 4:
        raise Incorrect(
            f"{noise_share:.0%} of customers are noise and there are {len(clusters)} clusters: eps is too small "
            "for 20 neighbours. Choose eps from the k-distance plot, a little below where the curve turns up."
        )
    score = _ari(labels, _dbscan_reference())
    if score < 0.9:
        raise Incorrect(
            f"your clusters differ from the two crescents (ARI {score:.2f} with the reference DBSCAN). The "
            "features are standardised and min_samples is 20, so eps is off: read it from the k-distance plot, "
            "a little below where the curve turns up."
        )


q3 = Question(
    "dbscan_labels",
    _check_dbscan,
    hints=[
        "Standardise shape_features() first; then draw the k-distance plot for min_samples=20.",
        "NearestNeighbors(n_neighbors=20).fit(S).kneighbors(S) gives distances; sort the last column and plot it. "
        "eps goes a little below the bend.",
        "Values of eps between about 0.10 and 0.17 work: DBSCAN(eps=0.13, min_samples=20).fit_predict(S).",
    ],
    solution=(
        "S = StandardScaler().fit_transform(shape)\ndbscan_labels = DBSCAN(eps=0.13, min_samples=20).fit_predict(S)"
    ),
    praise="two crescents and a few percent of noise: shapes k-means cannot find, and outliers it would have absorbed.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3}

#: What each task states about its answer (tests/checks/variants/m03_clustering.py violates each one).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "an array of cluster labels (not the model, not a table)",
        "length": "one label per row of features",
        "integers": "cluster labels (whole numbers)",
        "k": "5 groups",
        "scaled": "on FEATURES standardised with StandardScaler",
        "log": "np.log1p on the SKEWED columns (only those) first",
        "value": "KMeans(n_clusters=5, n_init=10, random_state=0) on that matrix",
    },
    "q2": {
        "type": "an int (a number of clusters, not a score)",
        "range": "one of the k tried, 2 to 8",
        "inertia": "chosen by the silhouette, not by the inertia",
        "matrix": "silhouettes of partitions of X, the scaled matrix",
        "highest": "the k with the highest silhouette (not the lowest, not the elbow)",
    },
    "q3": {
        "type": "an array of labels",
        "length": "one label per customer of shape",
        "dbscan": "DBSCAN labels, noise = -1 (not k-means)",
        "two": "the two crescents as two clusters",
        "noise": "only a few percent of noise",
        "standardised": "on the standardised features (Standardise them)",
        "min_samples": "DBSCAN(eps=..., min_samples=20)",
        "value": "the crescents, with min_samples=20 on the standardised features",
    },
}
