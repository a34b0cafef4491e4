"""Known-wrong answers for assignment 08-capstone (computed here independently with scikit-learn).

The checks recompute each milestone from the student's own objects; here a value passed to
``check`` is judged against the model solution's objects (``reference_*``), so every value below is
built from those.
"""

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    rand_score,
    silhouette_score,
)

from course_utils.data import load_caravan
from course_utils.questions.m08_capstone import (
    K_RANGE,
    N_INIT,
    N_RESAMPLES,
    SILHOUETTE_SAMPLE,
    reference_features,
    reference_labels,
    reference_matrix,
    resample_rows,
)


def _standardise(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame - frame.mean()) / frame.std(ddof=0)


def _bought() -> pd.Series:
    return (load_caravan()["Purchase"] == "Yes").astype(int)


# -- q1 -------------------------------------------------------------------------------------------


def _with(column: str, values: pd.Series) -> pd.DataFrame:
    frame = reference_features().copy()
    frame[column] = values.to_numpy().astype(float)
    return _standardise(frame)


def _other_features() -> pd.DataFrame:
    """Another defensible choice: all 36 area-share codes and the purchasing power class, ddof=1."""
    data = load_caravan()
    cols = [c for c in data.columns if c.startswith("M") and c not in ("MOSHOOFD", "MOSTYPE")]
    frame = data[cols].astype(float)
    return (frame - frame.mean()) / frame.std(ddof=1)


# -- q2 -------------------------------------------------------------------------------------------


def _k_table(X: pd.DataFrame, score: str = "davies_bouldin", sil_on: pd.DataFrame | None = None) -> pd.DataFrame:
    rows = []
    for k in K_RANGE:
        model = KMeans(n_clusters=k, n_init=N_INIT, random_state=0).fit(X)
        lab = model.labels_
        first = silhouette_score(X if sil_on is None else sil_on, lab, sample_size=SILHOUETTE_SAMPLE, random_state=0)
        second = {"davies_bouldin": davies_bouldin_score, "calinski": calinski_harabasz_score}[score](X, lab)
        rows.append({"k": k, "silhouette": first, "davies_bouldin": second, "inertia": model.inertia_})
    return pd.DataFrame(rows).set_index("k")


def _unscaled_table() -> pd.DataFrame:
    """The table of k-means fitted on the *unscaled* features (a different X from the student's)."""
    return _k_table(reference_features())


# -- q3 -------------------------------------------------------------------------------------------


def _refits(seed_of=lambda b: b + 1) -> list[tuple[np.ndarray, np.ndarray]]:
    X, labels = reference_matrix(), reference_labels()
    k = len(np.unique(labels))
    out = []
    for b in range(N_RESAMPLES):
        rows = resample_rows(len(X), seed=b)
        refit = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed_of(b)).fit_predict(X.iloc[rows])
        out.append((labels[rows], refit))
    return out


# -- q5 -------------------------------------------------------------------------------------------


def _profile(table: pd.DataFrame | None = None, how: str = "mean") -> pd.DataFrame:
    labels = reference_labels()
    source = reference_features() if table is None else table
    profile = getattr(source.groupby(labels), how)()
    profile.insert(0, "size", np.bincount(labels))
    return profile


# -- q6 -------------------------------------------------------------------------------------------


def _uptake(rate: str = "segment", lift: str = "ratio") -> pd.DataFrame:
    bought = _bought()
    table = bought.groupby(reference_labels()).agg(customers="size", buyers="sum")
    table["uptake"] = {
        "segment": table["buyers"] / table["customers"],
        "all": table["buyers"] / len(bought),
        "buyers": table["buyers"] / bought.sum(),
        "percent": 100 * table["buyers"] / table["customers"],
    }[rate]
    overall = bought.mean()
    segment_rate = table["buyers"] / table["customers"]
    table["lift"] = {
        "ratio": segment_rate / overall,
        "inverted": overall / segment_rate,
        "difference": segment_rate - overall,
    }[lift]
    return table


RIGHT = {
    "q1": [
        lambda: reference_matrix(),
        lambda: _standardise(reference_features()),
        lambda: _other_features(),
    ],
    "q2": [
        lambda: _k_table(reference_matrix())[["silhouette", "davies_bouldin"]],
        # k as a column, an extra index column (inertia) kept
        lambda: _k_table(reference_matrix()).reset_index(),
    ],
    "q3": [
        lambda: [adjusted_rand_score(a, b) for a, b in _refits()],
        lambda: [float(adjusted_rand_score(b, a)) for a, b in _refits()],
    ],
    "q4": [
        lambda: adjusted_rand_score(load_caravan()["MOSHOOFD"], reference_labels()),
        lambda: adjusted_rand_score(reference_labels(), load_caravan()["MOSHOOFD"]),
        # renamed segments: same partition, same ARI
        lambda: adjusted_rand_score(load_caravan()["MOSHOOFD"], (reference_labels() + 1) % 3),
    ],
    "q5": [
        lambda: _profile(),
        lambda: _profile().rename(index=lambda i: f"segment {i}").iloc[::-1],
        lambda: _profile().assign(share=lambda t: t["size"] / t["size"].sum()),
        lambda: pd.concat([_profile(), reference_features().mean().to_frame("overall").T.assign(size=5822)]),
    ],
    "q6": [
        lambda: _uptake(),
        lambda: _uptake().rename(index={0: "A", 1: "B", 2: "C"}).iloc[::-1],
        lambda: pd.concat(
            [
                _uptake(),
                pd.DataFrame(
                    {"customers": [5822], "buyers": [348], "uptake": [348 / 5822], "lift": [1.0]}, index=["overall"]
                ),
            ]
        ),
    ],
}

WRONG = [
    # q1: the target left in the features (by name, or renamed), unscaled, vendor codes as numbers
    ("q1", lambda: _with("Purchase", _bought()), "leakage"),
    ("q1", lambda: _with("bought", _bought()), "leakage"),
    ("q1", lambda: reference_features(), "not standardised"),
    ("q1", lambda: _with("MOSHOOFD", load_caravan()["MOSHOOFD"].astype(float)), "label-encoded"),
    ("q1", lambda: _with("main_type", load_caravan()["MOSHOOFD"].astype(float)), "label-encoded"),
    ("q1", lambda: reference_matrix().to_numpy(), "NumPy array"),
    (
        "q1",
        lambda: (
            (reference_features() - reference_features().min())
            / (reference_features().max() - reference_features().min())
        ),
        "min-max",
    ),
    ("q1", lambda: reference_matrix().iloc[:1000], "one row per customer"),
    # q2: the elbow's inertia as 'silhouette', Calinski-Harabasz as 'davies_bouldin', another matrix, rows missing
    ("q2", lambda: _k_table(reference_matrix()).assign(silhouette=lambda t: t["inertia"]), "inertia"),
    ("q2", lambda: _k_table(reference_matrix(), score="calinski"), "Calinski-Harabasz"),
    ("q2", lambda: _unscaled_table(), "recomputation on your `X`"),
    ("q2", lambda: _k_table(reference_matrix()).iloc[:3], "lacks the row"),
    ("q2", lambda: _k_table(reference_matrix())["silhouette"], "DataFrame"),
    # q3: raw ids, NMI, the mean only, the same seed every time
    ("q3", lambda: [float(np.mean(a == b)) for a, b in _refits()], "raw label ids"),
    ("q3", lambda: [normalized_mutual_info_score(a, b) for a, b in _refits()], "NMI"),
    ("q3", lambda: float(np.mean([adjusted_rand_score(a, b) for a, b in _refits()])), "not their mean"),
    ("q3", lambda: [adjusted_rand_score(a, b) for a, b in _refits(lambda b: 0)], "random_state=0"),
    ("q3", lambda: [adjusted_rand_score(a, b) for a, b in _refits()][:3], "one per resample"),
    # the task asks for a list
    ("q3", lambda: np.array([adjusted_rand_score(a, b) for a, b in _refits()]), "should be a list"),
    # q4: raw ids compared, MOSTYPE, NMI, unadjusted Rand
    ("q4", lambda: float(np.mean(reference_labels() + 1 == load_caravan()["MOSHOOFD"].to_numpy())), "raw label ids"),
    ("q4", lambda: float(np.mean(reference_labels() == load_caravan()["MOSHOOFD"].to_numpy())), "raw label ids"),
    ("q4", lambda: adjusted_rand_score(load_caravan()["MOSTYPE"], reference_labels()), "MOSTYPE"),
    ("q4", lambda: normalized_mutual_info_score(load_caravan()["MOSHOOFD"], reference_labels()), "NMI"),
    ("q4", lambda: rand_score(load_caravan()["MOSHOOFD"], reference_labels()), "not adjusted for chance"),
    ("q4", lambda: reference_labels(), "one number"),
    # q5: profile on scaled values, medians, no size, shares as size, transposed
    ("q5", lambda: _profile(reference_matrix()), "*scaled*"),
    ("q5", lambda: _profile(how="median"), "medians"),
    ("q5", lambda: _profile().drop(columns="size"), "`size` column"),
    ("q5", lambda: _profile().assign(size=lambda t: t["size"] / 5822), "shares"),
    ("q5", lambda: _profile().T, "transposed"),
    ("q5", lambda: _profile().drop(columns="PBRAND"), "lacks your feature"),
    # q6: uptake over all customers, share of buyers, percent, lift inverted or a difference
    ("q6", lambda: _uptake(rate="all"), "*all* customers"),
    ("q6", lambda: _uptake(rate="buyers"), "share of all buyers"),
    ("q6", lambda: _uptake(rate="percent"), "percent"),
    ("q6", lambda: _uptake(lift="inverted"), "inverted"),
    ("q6", lambda: _uptake(lift="difference"), "difference"),
    ("q6", lambda: _uptake().drop(columns="buyers"), "'buyers'"),
]
