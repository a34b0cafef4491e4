"""Checks for assignment ``08-capstone``: a segmentation of real insurance customers (Caravan).

A capstone allows choices (features, transforms, k, even the algorithm of the final partition),
so these checks never compare with one fixed answer. Each milestone is recomputed **from the
student's own objects** (their matrix ``X``, their ``labels``, their ``features`` table) with the
protocol stated in the task, and only the real mistakes are rejected: the target among the
features, an unscaled matrix, label-encoded vendor segments, raw label ids compared, a profile on
scaled values, uptake over all customers, an inverted lift.

How a check finds the student's other objects: ``q3.check()`` in a notebook looks up ``stability``
*and* the context it needs (``X``, ``labels``) among the notebook's variables; the locked test cell
mentions those names too, so nbgrader's clean re-check (``course_tools.grading``) copies them out.
Each question declares those names (``needs``); when a value is passed explicitly without them (the
tests in ``tests/checks/known_wrong/m08_capstone.py``), the model solution's objects stand in.

>>> len(resample_rows(100, seed=0)), bool((resample_rows(100, seed=0) == resample_rows(100, seed=0)).all())
(80, True)
>>> K_RANGE
range(2, 9)
"""

from __future__ import annotations

import functools
import hashlib
import numbers
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import Incorrect, Question, require_number, within

__all__ = [
    "TARGET",
    "VENDOR_SEGMENTS",
    "K_RANGE",
    "N_INIT",
    "N_RESAMPLES",
    "SILHOUETTE_SAMPLE",
    "caravan_data",
    "purchased",
    "resample_rows",
    "reference_features",
    "reference_matrix",
    "reference_labels",
]

#: The outcome the insurer wants to act on (the original ``CARAVAN`` column). Never a feature.
TARGET = "Purchase"
#: The data vendor's commercial segments: external validation only, never features.
VENDOR_SEGMENTS = ("MOSHOOFD", "MOSTYPE")
#: The k values of the milestone table (question 2).
K_RANGE = range(2, 9)
#: ``n_init`` of the k-means fits in the table and the stability refits (kept small: 2-core Binder).
N_INIT = 4
#: Number of 80% resamples in the stability milestone (question 3).
N_RESAMPLES = 5
#: Silhouettes are computed on a seeded sample of this many customers (``random_state=0``).
SILHOUETTE_SAMPLE = 2000

# The model solution's choices (one defensible segmentation among several).
_AREA = [
    "MRELGE",
    "MFALLEEN",
    "MFWEKIND",
    "MOPLHOOG",
    "MOPLLAAG",
    "MBERHOOG",
    "MBERBOER",
    "MHKOOP",
    "MAUT0",
    "MZPART",
    "MINKM30",
    "MINK7512",
]
_K = 3


@functools.lru_cache(maxsize=1)
def caravan_data() -> pd.DataFrame:
    """``load_caravan()``, loaded once per process (read-only use: copy before changing it)."""
    from course_utils.data import load_caravan

    return load_caravan()


def purchased() -> np.ndarray:
    """1 for a customer with a caravan policy (``Purchase == "Yes"``), else 0, in row order."""
    return (caravan_data()[TARGET] == "Yes").to_numpy().astype(int)


def resample_rows(n: int, fraction: float = 0.8, seed: int = 0) -> np.ndarray:
    """Sorted positions of a random ``fraction`` of ``n`` customers, drawn without replacement."""
    return np.sort(np.random.default_rng(seed).choice(n, size=int(fraction * n), replace=False))


@functools.lru_cache(maxsize=1)
def reference_features() -> pd.DataFrame:
    """The model solution's feature table, in original units (percent of the area, codes, counts)."""
    from course_utils.caravan import share_percent

    data = caravan_data()
    features = share_percent(data[_AREA]).add_suffix("_pct")
    for col in ("MGEMOMV", "MKOOPKLA", "PPERSAUT", "PBRAND"):
        features[col] = data[col].astype(float)
    features["n_policies"] = data.filter(regex="^A").sum(axis=1).astype(float)
    return features


@functools.lru_cache(maxsize=1)
def reference_matrix() -> pd.DataFrame:
    """``reference_features()`` standardised (mean 0, standard deviation 1 per column)."""
    from sklearn.preprocessing import StandardScaler

    f = reference_features()
    return pd.DataFrame(StandardScaler().fit_transform(f), columns=f.columns, index=f.index)


@functools.lru_cache(maxsize=1)
def reference_labels() -> np.ndarray:
    """The model solution's partition: ``KMeans(n_clusters=3, n_init=10, random_state=0)``."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=_K, n_init=10, random_state=0).fit_predict(reference_matrix())


def _reference_context() -> dict[str, Any]:
    return {"X": reference_matrix(), "labels": reference_labels(), "features": reference_features(), "k": _K}


# -- questions that read the student's other variables -------------------------------------------

#: Why a capstone check needs an earlier object: it recomputes the milestone from it.
RECOMPUTES = "This check recomputes `{var}` from your `{name}`"

#: A capstone question: its ``needs`` come from the notebook, or from the model solution when an
#: answer is passed explicitly without them (the tests in ``tests/checks/known_wrong/m08_capstone.py``).
_milestone = functools.partial(Question, reference=_reference_context, needs_reason=RECOMPUTES)


# -- helpers --------------------------------------------------------------------------------------


def _fingerprint(array: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(array).tobytes() + str(array.shape).encode()).hexdigest()


_FITS: dict[tuple[str, int, int, int], np.ndarray] = {}


def _kmeans(X: np.ndarray, k: int, seed: int, rows_seed: int = -1) -> np.ndarray:
    """k-means labels of X (or of its resample ``rows_seed``), cached by content within a process."""
    from sklearn.cluster import KMeans

    key = (_fingerprint(X), k, seed, rows_seed)
    if key not in _FITS:
        data = X if rows_seed < 0 else X[resample_rows(len(X), seed=rows_seed)]
        if len(_FITS) > 64:
            _FITS.clear()
        _FITS[key] = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit_predict(data)
    return _FITS[key]


def _matrix(value: Any, name: str = "X") -> np.ndarray:
    """The student's matrix as a float array, or Incorrect with what is wrong."""
    if isinstance(value, pd.DataFrame):
        try:
            array = value.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(f"`{name}` has non-numeric columns; a distance needs numbers only.") from None
    elif isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.number):
            raise Incorrect(f"`{name}` should hold numbers, but its dtype is {value.dtype}.")
        array = value.astype(float)
    else:
        raise Incorrect(
            f"`{name}` should be a pandas DataFrame (one row per customer), but it is a {type(value).__name__}."
        )
    n = len(caravan_data())
    if array.ndim != 2 or array.shape[0] != n:
        raise Incorrect(f"`{name}` should have one row per customer ({n} rows), but its shape is {array.shape}.")
    if np.isnan(array).any():
        raise Incorrect(f"`{name}` contains missing values (NaN); k-means cannot use them.")
    return array


def _labels(value: Any, name: str = "labels") -> np.ndarray:
    n = len(caravan_data())
    if isinstance(value, (pd.Series, pd.Index, list, tuple, np.ndarray)):
        array = np.asarray(value)
    else:
        raise Incorrect(
            f"`{name}` should be an array with one segment label per customer, but it is a {type(value).__name__}."
        )
    if array.ndim != 1 or len(array) != n:
        raise Incorrect(f"`{name}` should hold one label per customer ({n}), but its shape is {array.shape}.")
    if pd.isna(array).any():
        raise Incorrect(f"`{name}` has missing labels: every customer needs a segment.")
    if len(np.unique(array)) < 2:
        raise Incorrect(f"`{name}` puts every customer in one segment: that is not a segmentation.")
    return array


def _number(value: Any, name: str) -> float:
    return require_number(value, f"`{name}`", nan_hint="check that the labels have no missing values.")


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(abs(np.corrcoef(a, b)[0, 1]))


# -- q1: the feature matrix -----------------------------------------------------------------------


def _check_matrix(value: Any) -> None:
    if isinstance(value, np.ndarray):
        raise Incorrect(
            "`X` is a NumPy array: keep the feature names so that you (and this check) can see what is "
            "inside. Wrap it: pd.DataFrame(StandardScaler().fit_transform(features), columns=features.columns)."
        )
    array = _matrix(value)
    columns = [str(c) for c in value.columns]
    lowered = {c.lower() for c in columns}
    if {"purchase", "caravan"} & lowered:
        raise Incorrect(
            "the target `Purchase` (the CARAVAN column) is among the clustering features: that is leakage. "
            "Segments built from the answer 'explain' it for free and say nothing about new customers. Drop it."
        )
    y = purchased()
    for i, col in enumerate(columns):
        if _corr(array[:, i], y) > 0.95:
            raise Incorrect(
                f"column {col!r} is the target `Purchase` under another name (leakage): the clustering must "
                "not see who bought a caravan policy. Drop it."
            )
    data = caravan_data()
    for vendor in VENDOR_SEGMENTS:
        codes = data[vendor].to_numpy().astype(float)
        if vendor.lower() in lowered or any(_corr(array[:, i], codes) > 0.999 for i in range(array.shape[1])):
            raise Incorrect(
                f"`X` contains {vendor} as a number: those are label-encoded categories (type 10 is not "
                "'ten times' type 1), so a Euclidean distance on them means nothing. They are also the "
                "vendor's segments you compare with in question 4. Leave them out."
            )
        if any(c.lower().startswith(vendor.lower() + "_") for c in columns):
            raise Incorrect(
                f"`X` contains one-hot columns of {vendor}, the vendor's segments: you would rebuild them, "
                "and question 4 compares your segments with them. Leave them out of the features."
            )
    if array.shape[1] < 3:
        raise Incorrect(f"`X` has {array.shape[1]} column(s); a customer segmentation needs at least 3 features.")
    std = array.std(axis=0)
    constant = [columns[i] for i in np.flatnonzero(std < 1e-9)]
    if constant:
        raise Incorrect(
            f"column(s) {', '.join(map(repr, constant))} are constant: they carry no information. Drop them."
        )
    means = array.mean(axis=0)
    if (array.min(axis=0) >= -1e-9).all() and (array.max(axis=0) <= 1 + 1e-9).all() and np.abs(means).max() > 0.05:
        raise Incorrect(
            "`X` looks min-max scaled (every column between 0 and 1). This milestone asks for standardised "
            "columns (mean 0, standard deviation 1): StandardScaler."
        )
    worst = int(np.argmax(np.abs(means) + np.abs(std - 1)))
    if abs(means[worst]) > 0.05 or abs(std[worst] - 1) > 0.05:
        raise Incorrect(
            f"`X` is not standardised: column {columns[worst]!r} has mean {means[worst]:.2f} and standard "
            f"deviation {std[worst]:.2f}. Unscaled, the column with the widest range decides every distance. "
            "Standardise every column (StandardScaler) after any transform."
        )


q1 = Question(
    "X",
    _check_matrix,
    hints=[
        "Start from your `features` table (original units). Which columns must never be features? The target, "
        "and the vendor's segments you will validate against.",
        "Pick columns with a business reason (life stage, affluence, housing, policies held). Never 'Purchase', "
        "'MOSHOOFD' or 'MOSTYPE'; keep SENSITIVE_COLUMNS and 'MGEMLEEF' for the audit, not the distance. Then "
        "standardise every chosen column so each has mean 0 and standard deviation 1.",
        "X = pd.DataFrame(StandardScaler().fit_transform(features), columns=features.columns, index=features.index)",
    ],
    solution=(
        "# one defensible choice: area shares in percent, household size, purchasing power, premiums, policies\n"
        "AREA = ['MRELGE', 'MFALLEEN', 'MFWEKIND', 'MOPLHOOG', 'MOPLLAAG', 'MBERHOOG', 'MBERBOER', 'MHKOOP',\n"
        "        'MAUT0', 'MZPART', 'MINKM30', 'MINK7512']\n"
        "features = share_percent(caravan[AREA]).add_suffix('_pct')\n"
        "for col in ['MGEMOMV', 'MKOOPKLA', 'PPERSAUT', 'PBRAND']:\n"
        "    features[col] = caravan[col].astype(float)\n"
        "features['n_policies'] = caravan.filter(regex='^A').sum(axis=1).astype(float)\n"
        "X = pd.DataFrame(StandardScaler().fit_transform(features), columns=features.columns, index=features.index)"
    ),
    praise="no target, no vendor codes, every column on the same scale, so no column dominates the distance just by "
    "its units.",
)

# -- q2: the k table ------------------------------------------------------------------------------


_SCORES: dict[tuple[str, int], tuple[float, float, float]] = {}


def k_scores_of(X: Any, k: int) -> tuple[float, float, float]:
    """(silhouette, Davies-Bouldin, Calinski-Harabasz) of ``KMeans(k, n_init=N_INIT, random_state=0)`` on X."""
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    array = np.asarray(X, dtype=float)
    key = (_fingerprint(array), k)
    if key not in _SCORES:
        labels = _kmeans(array, k, 0)
        if len(_SCORES) > 64:
            _SCORES.clear()
        _SCORES[key] = (
            float(silhouette_score(array, labels, sample_size=SILHOUETTE_SAMPLE, random_state=0)),
            float(davies_bouldin_score(array, labels)),
            float(calinski_harabasz_score(array, labels)),
        )
    return _SCORES[key]


def _check_k_scores(value: Any, context: dict[str, Any]) -> None:
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(f"`k_scores` should be a DataFrame (one row per k), but it is a {type(value).__name__}.")
    table = value.set_index("k") if "k" in value.columns else value
    for need in ("silhouette", "davies_bouldin"):
        if need not in table.columns:
            raise Incorrect(
                f"`k_scores` needs a column named exactly {need!r} (it has {list(map(str, table.columns))})."
            )
    try:
        ks = [int(i) for i in table.index]
    except (TypeError, ValueError):
        raise Incorrect("the index of `k_scores` should be the number of clusters k (2, 3, ..., 8).") from None
    missing = [k for k in K_RANGE if k not in ks]
    if missing:
        raise Incorrect(
            f"`k_scores` lacks the row(s) k = {missing}: compute every k in K_RANGE "
            f"({K_RANGE.start}-{K_RANGE.stop - 1})."
        )
    X = _matrix(context["X"])
    table = table.copy()
    table.index = ks
    sil, db = table["silhouette"], table["davies_bouldin"]
    chosen = context["k"]
    if isinstance(chosen, bool) or not isinstance(chosen, numbers.Integral):
        raise Incorrect(f"`k` (your chosen number of segments) should be an int, but it is a {type(chosen).__name__}.")
    if int(chosen) not in ks:
        raise Incorrect(f"your chosen `k` = {chosen} is not in the table: choose k among {ks}, using the table.")
    # Recompute three rows (both ends and the chosen k): enough to catch a wrong recipe, cheap to grade.
    for k in sorted({K_RANGE.start, K_RANGE.stop - 1, int(chosen)}):
        try:
            got_sil, got_db = float(sil.loc[k]), float(db.loc[k])
        except (TypeError, ValueError):
            raise Incorrect(f"the scores for k = {k} should be numbers.") from None
        right_sil, right_db, right_ch = k_scores_of(X, k)
        if abs(got_sil - right_db) < 1e-3 and abs(got_db - right_sil) < 1e-3:
            raise Incorrect("the silhouette and Davies-Bouldin columns are swapped.")
        if abs(got_db - right_ch) < 1e-3 * max(1.0, right_ch):
            raise Incorrect(
                "the `davies_bouldin` column holds the Calinski-Harabasz index (davies_bouldin_score is "
                "lower-is-better, "
                "usually between 0.5 and 3)."
            )
        if not -1 <= got_sil <= 1:
            raise Incorrect(
                f"a silhouette lies between -1 and 1, but k = {k} has {got_sil:.3g}: is that the inertia (elbow)?"
            )
        if abs(got_sil - right_sil) > 0.005:
            raise Incorrect(
                f"the silhouette for k = {k} is {got_sil:.3f}, which does not match a recomputation on your `X`. Use "
                f"KMeans(n_clusters=k, n_init=N_INIT, random_state=0) on X and silhouette_score(X, labels, "
                f"sample_size=SILHOUETTE_SAMPLE, random_state=0)."
            )
        if abs(got_db - right_db) > 0.005:
            raise Incorrect(
                f"the Davies-Bouldin index for k = {k} is {got_db:.3f}, which does not match a recomputation on your "
                "`X`: "
                "davies_bouldin_score(X, labels), with the same k-means fit."
            )


q2 = _milestone(
    "k_scores",
    _check_k_scores,
    needs=("X", "k"),
    hints=[
        "One row per k in K_RANGE; for each k fit k-means on your X and score the labels with two indices "
        "that disagree in what they reward.",
        "for k in K_RANGE: labels_k = KMeans(n_clusters=k, n_init=N_INIT, random_state=0).fit_predict(X); then "
        "silhouette_score(X, labels_k, sample_size=SILHOUETTE_SAMPLE, random_state=0) and davies_bouldin_score(X, "
        "labels_k).",
        "rows = []\nfor k in K_RANGE:\n    lab = KMeans(n_clusters=k, n_init=N_INIT, random_state=0).fit_predict(X)\n"
        "    rows.append({'k': k, 'silhouette': silhouette_score(X, lab, sample_size=SILHOUETTE_SAMPLE, "
        "random_state=0),\n"
        "                 'davies_bouldin': davies_bouldin_score(X, lab)})\nk_scores = "
        "pd.DataFrame(rows).set_index('k')",
    ],
    solution=(
        "rows = []\n"
        "for kk in K_RANGE:\n"
        "    lab = KMeans(n_clusters=kk, n_init=N_INIT, random_state=0).fit_predict(X)\n"
        "    rows.append({'k': kk, 'silhouette': silhouette_score(X, lab, sample_size=SILHOUETTE_SAMPLE, "
        "random_state=0),\n"
        "                 'davies_bouldin': davies_bouldin_score(X, lab)})\n"
        "k_scores = pd.DataFrame(rows).set_index('k')\n"
        "k = 3  # your choice, argued with these indices, stability and usefulness"
    ),
    praise="two indices that can disagree, on your own matrix. Now argue the choice with them, not with the elbow "
    "alone.",
)

# -- q3: stability --------------------------------------------------------------------------------


def stability_of(X: Any, labels: Any, n_resamples: int = N_RESAMPLES) -> np.ndarray:
    """The milestone protocol: ARI between ``labels[rows]`` and k-means refitted on ``X[rows]``.

    Resample ``b`` uses ``rows = resample_rows(n, seed=b)`` and
    ``KMeans(n_clusters=k, n_init=N_INIT, random_state=b + 1)``, k = the number of segments in ``labels``.
    """
    from sklearn.metrics import adjusted_rand_score

    array, labs = np.asarray(X, dtype=float), np.asarray(labels)
    k = len(np.unique(labs))
    out = np.empty(n_resamples)
    for b in range(n_resamples):
        rows = resample_rows(len(array), seed=b)
        out[b] = adjusted_rand_score(labs[rows], _kmeans(array, k, b + 1, rows_seed=b))
    return out


def _as_scores(value: Any, name: str) -> np.ndarray:
    if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool):
        raise Incorrect(f"`{name}` should hold one ARI per resample ({N_RESAMPLES} numbers), not their mean.")
    if not isinstance(value, list):
        raise Incorrect(
            f"`{name}` should be a list of {N_RESAMPLES} numbers (the task asks for a list), but it is a "
            f"{type(value).__name__}" + (": use .tolist() or list(...)." if hasattr(value, "__len__") else ".")
        )
    try:
        scores = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Incorrect(f"`{name}` should hold numbers only.") from None
    if len(scores) != N_RESAMPLES:
        raise Incorrect(f"`{name}` has {len(scores)} values; it should have one per resample ({N_RESAMPLES}).")
    return scores


def _check_stability(value: Any, context: dict[str, Any]) -> None:
    from sklearn.metrics import normalized_mutual_info_score

    scores = _as_scores(value, "stability")
    X, labels = _matrix(context["X"]), _labels(context["labels"])
    right = stability_of(X, labels)
    if within(scores, right):  # no precision stated: two decimals (CONTRIBUTING)
        return
    k = len(np.unique(labels))
    raw = np.array(
        [
            np.mean(labels[resample_rows(len(X), seed=b)] == _kmeans(X, k, b + 1, rows_seed=b))
            for b in range(N_RESAMPLES)
        ]
    )
    if np.abs(scores - raw).max() <= 0.005:
        raise Incorrect(
            "you compared raw label ids (labels[rows] == refit). A refit may number the same segments "
            "differently; compare partitions with adjusted_rand_score(labels[rows], refit)."
        )
    nmi = np.array(
        [
            normalized_mutual_info_score(labels[resample_rows(len(X), seed=b)], _kmeans(X, k, b + 1, rows_seed=b))
            for b in range(N_RESAMPLES)
        ]
    )
    if np.abs(scores - nmi).max() <= 0.005:
        raise Incorrect("those are NMI values; the milestone asks for the adjusted Rand index (adjusted_rand_score).")
    same_seed = np.array([_ari_same_seed(X, labels, k, b) for b in range(N_RESAMPLES)])
    if np.abs(scores - same_seed).max() <= 0.005:
        raise Incorrect(
            "every refit used random_state=0: change the seed too (random_state=b + 1), or you test the sample only."
        )
    raise Incorrect(
        f"your values {np.round(scores, 3).tolist()} do not match a recomputation on your `labels` and `X`. "
        f"For b in range({N_RESAMPLES}): rows = resample_rows(len(X), seed=b); "
        "refit = KMeans(n_clusters=k, n_init=N_INIT, random_state=b + 1).fit_predict(X.iloc[rows]); "
        "adjusted_rand_score(labels[rows], refit)."
    )


def _ari_same_seed(X: np.ndarray, labels: np.ndarray, k: int, b: int) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(labels[resample_rows(len(X), seed=b)], _kmeans(X, k, 0, rows_seed=b)))


q3 = _milestone(
    "stability",
    _check_stability,
    needs=("X", "labels"),
    hints=[
        "Refit on 80% of the customers with another seed, and compare the refit with *your* labels of the same "
        "customers.",
        "For b in range(N_RESAMPLES): rows = resample_rows(len(X), seed=b); fit KMeans(n_clusters=k, n_init=N_INIT, "
        "random_state=b + 1) on X.iloc[rows]; compare with labels[rows] by adjusted_rand_score.",
        "stability = []\nfor b in range(N_RESAMPLES):\n    rows = resample_rows(len(X), seed=b)\n"
        "    refit = KMeans(n_clusters=k, n_init=N_INIT, random_state=b + 1).fit_predict(X.iloc[rows])\n"
        "    stability.append(adjusted_rand_score(labels[rows], refit))",
    ],
    solution=(
        "stability = []\n"
        "for b in range(N_RESAMPLES):\n"
        "    rows = resample_rows(len(X), seed=b)\n"
        "    refit = KMeans(n_clusters=k, n_init=N_INIT, random_state=b + 1).fit_predict(X.iloc[rows])\n"
        "    stability.append(adjusted_rand_score(labels[rows], refit))"
    ),
    praise="one ARI per resample: look at the lowest one, not only the mean.",
)

# -- q4: external validation against MOSHOOFD -----------------------------------------------------


def _check_ari_vendor(value: Any, context: dict[str, Any]) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score

    got = _number(value, "ari_moshoofd")
    labels = _labels(context["labels"])
    vendor = caravan_data()["MOSHOOFD"].to_numpy()
    right = adjusted_rand_score(vendor, labels)
    if within(got, right):  # no precision stated: two decimals (CONTRIBUTING)
        return
    codes = pd.Series(labels).astype("category").cat.codes.to_numpy()
    accuracies = {
        float(np.mean(labels == vendor)),
        float(np.mean(codes + 1 == vendor)),
        float(np.mean(codes == vendor)),
    }
    if any(abs(got - a) <= 1e-6 or abs(got - 100 * a) <= 1e-4 for a in accuracies):
        raise Incorrect(
            "you compared raw label ids (segment number == MOSHOOFD code): that is an accuracy of arbitrary names. "
            "Renaming your segments would change it. Use adjusted_rand_score(caravan['MOSHOOFD'], labels)."
        )
    if abs(got - adjusted_rand_score(caravan_data()["MOSTYPE"], labels)) <= 1e-6:
        raise Incorrect("that is the ARI with MOSTYPE (41 subtypes); the milestone asks for MOSHOOFD (10 main types).")
    if abs(got - normalized_mutual_info_score(vendor, labels)) <= 1e-6:
        raise Incorrect("that is the NMI; the milestone asks for the adjusted Rand index (adjusted_rand_score).")
    if abs(got - rand_score(vendor, labels)) <= 1e-6:
        raise Incorrect("that is the plain Rand index, not adjusted for chance: use adjusted_rand_score.")
    raise Incorrect(
        f"{got:.3f} is not the ARI between MOSHOOFD and your `labels`: adjusted_rand_score(caravan['MOSHOOFD'], "
        "labels)."
    )


q4 = _milestone(
    "ari_moshoofd",
    _check_ari_vendor,
    needs=("labels",),
    hints=[
        "You compare two partitions of the same customers whose label numbers mean different things.",
        "adjusted_rand_score(labels_true, labels_pred) ignores the label numbers.",
        "ari_moshoofd = adjusted_rand_score(caravan['MOSHOOFD'], labels)",
    ],
    solution="ari_moshoofd = adjusted_rand_score(caravan['MOSHOOFD'], labels)",
    praise="ARI depends only on who is grouped with whom. Now say in words what a value this size means.",
)

# -- q5: profile in original units ----------------------------------------------------------------

_NOT_FEATURES = {"size", "customers", "n", "count", "share", "uptake", "lift", "buyers", "name", "persona", "segment"}


def _feature_table(value: Any) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(
            f"`features` (your table in original units) should be a DataFrame, but it is a {type(value).__name__}."
        )
    if len(value) != len(caravan_data()):
        raise Incorrect(f"`features` should have one row per customer ({len(caravan_data())}).")
    return value


def _check_profile(value: Any, context: dict[str, Any]) -> None:
    if isinstance(value, pd.Series):
        raise Incorrect(
            "`profile` is a Series; it should be a DataFrame: one row per segment, a `size` column and your features."
        )
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(f"`profile` should be a pandas DataFrame, but it is a {type(value).__name__}.")
    labels = _labels(context["labels"])
    features = _feature_table(context["features"]).select_dtypes("number")
    k = len(np.unique(labels))
    if len(value.columns) == k and "size" in value.index:
        raise Incorrect("your table is transposed: put the segments in rows and the features in columns (drop the .T).")
    rows = value.drop(index=[i for i in value.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
    if len(rows) != k:
        raise Incorrect(f"`profile` has {len(rows)} rows; it should have one row per segment ({k}).")
    if "size" not in rows.columns:
        raise Incorrect("`profile` needs a `size` column: the number of customers in each segment.")
    missing = [c for c in features.columns if c not in rows.columns]
    if missing:
        raise Incorrect(
            f"`profile` lacks your feature column(s) {', '.join(map(repr, missing[:4]))}: profile every column of "
            "`features`."
        )
    try:
        got = rows[["size", *features.columns]].astype(float)
    except (TypeError, ValueError):
        raise Incorrect("the columns of `profile` should hold numbers (sizes and means).") from None
    expected = features.groupby(labels).mean()
    expected.insert(0, "size", np.bincount(pd.Series(labels).astype("category").cat.codes.to_numpy()).astype(float))

    def _sorted(t: pd.DataFrame) -> np.ndarray:
        return t.sort_values(list(t.columns)).to_numpy(dtype=float)

    if got.shape == expected.shape and within(_sorted(got), _sorted(expected)):
        return
    sizes_ok = np.allclose(np.sort(got["size"].to_numpy()), np.sort(expected["size"].to_numpy()))
    if not sizes_ok:
        shares = np.sort(expected["size"].to_numpy()) / len(labels)
        if np.allclose(np.sort(got["size"].to_numpy()), shares) or np.allclose(
            np.sort(got["size"].to_numpy()), 100 * shares
        ):
            raise Incorrect(
                "`size` holds shares; it should count the customers in each segment (a share column may come in "
                "addition)."
            )
        raise Incorrect(
            "the `size` column should count the customers of each segment (np.bincount(labels) or value_counts)."
        )
    X = context.get("X")
    for candidate in (X, reference_matrix()):
        if isinstance(candidate, pd.DataFrame) and set(features.columns) <= set(candidate.columns):
            scaled = candidate[features.columns].groupby(labels).mean()
            if np.allclose(
                np.sort(got[features.columns].to_numpy(), axis=0), np.sort(scaled.to_numpy(), axis=0), atol=1e-6
            ):
                raise Incorrect(
                    "these are means of the *scaled* matrix (values near 0, in standard deviations): nobody in "
                    "marketing "
                    "can read them. Profile the original units: features.groupby(labels).mean()."
                )
    medians = features.groupby(labels).median().to_numpy()
    if np.allclose(np.sort(got[features.columns].to_numpy(), axis=0), np.sort(medians, axis=0)):
        raise Incorrect("these are medians; the milestone asks for the mean of each feature per segment (.mean()).")
    raise Incorrect(
        "the means do not match a recomputation from your `features` and `labels` "
        "(features.groupby(labels).mean()). Group the unscaled table by your final labels."
    )


q5 = _milestone(
    "profile",
    _check_profile,
    needs=("labels", "features"),
    hints=[
        "A profile describes each segment in the units the business uses: percentages, codes, counts, not z-scores.",
        "Group your unscaled `features` by `labels`, take the mean, and add the number of customers per segment.",
        "profile = features.groupby(labels).mean()\nprofile.insert(0, 'size', "
        "pd.Series(labels).value_counts().sort_index().to_numpy())",
    ],
    solution=("profile = features.groupby(labels).mean()\nprofile.insert(0, 'size', np.bincount(labels))"),
    praise="sizes and means in original units: now you can name the segments.",
)

# -- q6: uptake per segment -----------------------------------------------------------------------


def _check_uptake(value: Any, context: dict[str, Any]) -> None:
    if not isinstance(value, pd.DataFrame):
        raise Incorrect(f"`uptake` should be a DataFrame (one row per segment), but it is a {type(value).__name__}.")
    labels = _labels(context["labels"])
    for col in ("customers", "buyers", "uptake", "lift"):
        if col not in value.columns:
            raise Incorrect(
                f"`uptake` needs the columns 'customers', 'buyers', 'uptake' and 'lift'; {col!r} is missing."
            )
    rows = value.drop(index=[i for i in value.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
    y = purchased()
    k = len(np.unique(labels))
    if len(rows) != k:
        raise Incorrect(f"`uptake` has {len(rows)} rows; it should have one row per segment ({k}).")
    try:
        got = rows[["customers", "buyers", "uptake", "lift"]].astype(float)
    except (TypeError, ValueError):
        raise Incorrect("the columns of `uptake` should hold numbers.") from None
    groups = pd.DataFrame({"customers": 1, "buyers": y}).groupby(labels).sum()
    groups["uptake"] = groups["buyers"] / groups["customers"]
    overall = y.mean()
    groups["lift"] = groups["uptake"] / overall
    order = np.argsort(got["customers"].to_numpy(), kind="stable")
    want = groups.sort_values("customers", kind="stable")
    g = got.iloc[order]
    if not np.allclose(g["customers"].to_numpy(), want["customers"].to_numpy()):
        raise Incorrect("`customers` should count the customers of each segment (the size of each group of `labels`).")
    if not np.allclose(np.sort(g["buyers"].to_numpy()), np.sort(want["buyers"].to_numpy())):
        raise Incorrect("`buyers` should count the customers of each segment with Purchase == 'Yes'.")
    # align by (customers, buyers), robust to equal sizes
    g = got.sort_values(["customers", "buyers"]).to_numpy()
    w = groups.sort_values(["customers", "buyers"])[["customers", "buyers", "uptake", "lift"]].to_numpy()
    up, lift = g[:, 2], g[:, 3]
    if np.allclose(up, w[:, 1] / len(y), atol=1e-9):
        raise Incorrect(
            "you divided each segment's buyers by *all* customers: that mixes the segment's size into the rate. "
            "Uptake is per segment: buyers / customers of that segment."
        )
    if np.allclose(up, w[:, 1] / y.sum(), atol=1e-9):
        raise Incorrect(
            "that is each segment's share of all buyers, which grows with the segment's size. Uptake is per segment: "
            "buyers / customers of that segment."
        )
    if np.allclose(up, 100 * w[:, 2], atol=1e-6):
        raise Incorrect(
            "`uptake` is in percent; give it as a fraction (0.06, not 6) so that lift = uptake / overall uptake."
        )
    if not within(up, w[:, 2]):
        raise Incorrect("`uptake` should be buyers / customers within each segment.")
    if np.allclose(lift, 1 / w[:, 3], atol=1e-6):
        raise Incorrect(
            "the lift is inverted: it is the segment's uptake divided by the overall uptake (above 1 = better than "
            "average)."
        )
    if np.allclose(lift, w[:, 2] - overall, atol=1e-9):
        raise Incorrect("that is a difference; the lift is a ratio: segment uptake / overall uptake.")
    if not within(lift, w[:, 3]):
        raise Incorrect(
            "`lift` should be uptake / overall uptake, the overall uptake being the share of all customers with "
            "Purchase == 'Yes'."
        )


q6 = _milestone(
    "uptake",
    _check_uptake,
    needs=("labels",),
    hints=[
        "For each segment: how many customers, how many of them hold a caravan policy, which share is that, "
        "and how does that share compare with the whole customer base?",
        "Group a 0/1 'bought' column by labels: .sum() gives buyers, .size() customers; the lift divides the "
        "segment's uptake by the overall uptake.",
        "bought = (caravan['Purchase'] == 'Yes').astype(int)\nuptake = bought.groupby(labels).agg(customers='size', "
        "buyers='sum')\n"
        "uptake['uptake'] = uptake['buyers'] / uptake['customers']\nuptake['lift'] = uptake['uptake'] / bought.mean()",
    ],
    solution=(
        "bought = (caravan['Purchase'] == 'Yes').astype(int)\n"
        "uptake = bought.groupby(labels).agg(customers='size', buyers='sum')\n"
        "uptake['uptake'] = uptake['buyers'] / uptake['customers']\n"
        "uptake['lift'] = uptake['uptake'] / bought.mean()"
    ),
    praise="uptake per segment and its lift: the bridge from segments to an action. With ~350 buyers, add the "
    "uncertainty.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6}

#: What each task states, property by property (the solution notebook's task text is the source).
#: The milestones accept any defensible choice: values are recomputed from the student's own objects.
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "`X` is a DataFrame with the column names (not a bare array)",
        "rows": "one row per customer of `caravan`",
        "numbers": "numeric columns without missing values",
        "no_target": "the target Purchase is not among the features, under any name",
        "no_vendor": "the vendor's segments MOSHOOFD/MOSTYPE are not features (neither codes nor one-hot)",
        "columns": "your choice of at least 3 informative (non-constant) columns",
        "standardised": "every column standardised: mean 0, standard deviation 1 (not min-max, not raw)",
    },
    "q2": {
        "type": "`k_scores` is a DataFrame",
        "index": "one row per k in K_RANGE, indexed by k (a k column is accepted)",
        "columns": "columns named exactly 'silhouette' and 'davies_bouldin'",
        "silhouette": "silhouette_score on a SILHOUETTE_SAMPLE sample (random_state=0) of KMeans(k, n_init=N_INIT, "
        "random_state=0) on your X",
        "davies_bouldin": "davies_bouldin_score of the same fit (not Calinski-Harabasz, not swapped)",
        "k": "`k` is an int, one of the k in the table",
    },
    "q3": {
        "type": "`stability` is a list",
        "length": "N_RESAMPLES values, one per resample (not their mean)",
        "value": "ARI between labels[rows] and KMeans(k, n_init=N_INIT, random_state=b + 1) refitted on "
        "X.iloc[rows], rows = resample_rows(len(X), seed=b)",
        "method": "partitions compared by ARI (not raw ids, not NMI), a new seed for each refit",
    },
    "q4": {
        "type": "`ari_moshoofd` is one number (a float)",
        "value": "the adjusted Rand index between caravan['MOSHOOFD'] and your labels (to two decimals at least)",
        "vendor": "MOSHOOFD (10 main types), not MOSTYPE",
        "method": "adjusted for chance: not raw label ids, NMI or the plain Rand index",
    },
    "q5": {
        "type": "`profile` is a DataFrame",
        "orientation": "segments in rows, features in columns",
        "rows": "one row per segment of your labels (an 'overall' row may be added)",
        "size": "a `size` column: the number of customers of each segment (not a share)",
        "columns": "every column of your `features`",
        "value": "the mean of each feature per segment",
        "units": "original units (your `features`, not the scaled X)",
    },
    "q6": {
        "type": "`uptake` is a DataFrame",
        "columns": "columns customers, buyers, uptake and lift",
        "rows": "one row per segment (an 'overall' row may be added)",
        "customers": "customers counts the customers of each segment",
        "buyers": "buyers counts those with Purchase == 'Yes'",
        "uptake": "uptake = buyers / customers of the segment, a fraction",
        "lift": "lift = segment uptake / overall uptake (a ratio)",
    },
}
