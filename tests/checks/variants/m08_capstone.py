"""Answer variants for assignment 08-capstone, derived from ``PROPERTIES`` in its checks.

A value passed alone is judged against the model solution's objects (``reference_*``); a
``Given(value, labels=..., X=...)`` is judged against the objects it carries: another student's
defensible choices.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    rand_score,
    silhouette_score,
)

from course_utils.exercise import Given
from course_utils.questions.m08_capstone import (
    K_RANGE,
    N_INIT,
    N_RESAMPLES,
    SILHOUETTE_SAMPLE,
    caravan_data,
    reference_features,
    reference_labels,
    reference_matrix,
    resample_rows,
)
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    as_numpy,
    as_tuple,
    dropped_row,
    perturbed,
    renamed,
    rounded,
    shuffled,
    with_nan,
)


def _X() -> pd.DataFrame:
    return reference_matrix().copy()


def _labels() -> np.ndarray:
    return reference_labels().copy()


def _bought() -> pd.Series:
    return (caravan_data()["Purchase"] == "Yes").astype(int)


def _with(column: str, values) -> pd.DataFrame:
    frame = reference_features().copy()
    frame[column] = np.asarray(values, dtype=float)
    return (frame - frame.mean()) / frame.std(ddof=0)


@functools.lru_cache(maxsize=1)
def _k_table() -> pd.DataFrame:
    X = reference_matrix()
    rows = []
    for k in K_RANGE:
        lab = KMeans(n_clusters=k, n_init=N_INIT, random_state=0).fit_predict(X)
        rows.append(
            {
                "k": k,
                "silhouette": silhouette_score(X, lab, sample_size=SILHOUETTE_SAMPLE, random_state=0),
                "davies_bouldin": davies_bouldin_score(X, lab),
            }
        )
    return pd.DataFrame(rows).set_index("k")


def _table() -> pd.DataFrame:
    return _k_table().copy()


@functools.cache
def _pairs(same_seed: bool = False) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    X, labels = reference_matrix(), reference_labels()
    out = []
    for b in range(N_RESAMPLES):
        rows = resample_rows(len(X), seed=b)
        refit = KMeans(n_clusters=3, n_init=N_INIT, random_state=0 if same_seed else b + 1).fit_predict(X.iloc[rows])
        out.append((labels[rows], refit))
    return tuple(out)


def _stability() -> list[float]:
    return [adjusted_rand_score(a, b) for a, b in _pairs()]


def _vendor() -> np.ndarray:
    return caravan_data()["MOSHOOFD"].to_numpy()


def _profile(source: pd.DataFrame | None = None, how: str = "mean") -> pd.DataFrame:
    labels = reference_labels()
    table = getattr((reference_features() if source is None else source).groupby(labels), how)()
    table.insert(0, "size", np.bincount(labels))
    return table


def _uptake() -> pd.DataFrame:
    bought = _bought()
    table = bought.groupby(reference_labels()).agg(customers="size", buyers="sum")
    table["uptake"] = table["buyers"] / table["customers"]
    table["lift"] = table["uptake"] / bought.mean()
    return table


@functools.lru_cache(maxsize=1)
def _labels4() -> np.ndarray:
    return KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(reference_matrix())


VARIANTS = {
    "q1": [
        Right(
            "standardised by hand, ddof=1",
            lambda: (reference_features() - reference_features().mean()) / reference_features().std(ddof=1),
        ),
        Right(
            "another choice: every area share but the vendor types",
            lambda: (lambda f: (f - f.mean()) / f.std(ddof=0))(
                caravan_data()[
                    [c for c in caravan_data().columns if c.startswith("M") and c not in ("MOSHOOFD", "MOSTYPE")]
                ].astype(float)
            ),
        ),
        Wrong("type", "NumPy array", lambda: as_numpy(_X())),
        Wrong("type", "should be a pandas DataFrame", lambda: _X().to_dict("list")),
        Wrong("rows", "one row per customer", lambda: dropped_row(_X())),
        Wrong("numbers", "missing values", lambda: with_nan(_X())),
        Wrong("numbers", "non-numeric", lambda: _X().assign(name="a")),
        Wrong("no_target", "leakage", lambda: _with("Purchase", _bought())),
        Wrong("no_target", "leakage", lambda: _with("holds_caravan", _bought())),
        Wrong("no_vendor", "label-encoded", lambda: _with("MOSHOOFD", _vendor())),
        Wrong(
            "no_vendor",
            "one-hot",
            lambda: pd.concat(
                [
                    _X(),
                    (lambda d: (d - d.mean()) / d.std(ddof=0))(
                        pd.get_dummies(caravan_data()["MOSHOOFD"], prefix="MOSHOOFD", dtype=float)
                    ),
                ],
                axis=1,
            ),
        ),
        Wrong("columns", "at least 3 features", lambda: _X().iloc[:, :2]),
        Wrong("columns", "constant", lambda: _X().assign(zero=0.0)),
        Wrong(
            "standardised",
            "min-max",
            lambda: (
                (reference_features() - reference_features().min())
                / (reference_features().max() - reference_features().min())
            ),
        ),
        Wrong("standardised", "not standardised", lambda: reference_features()),
    ],
    "q2": [
        Right("k as a column", lambda: _table().reset_index()),
        Right("rounded to three decimals, k in reverse order", lambda: rounded(_table(), 3).iloc[::-1]),
        Wrong("type", "DataFrame", lambda: _table()["silhouette"]),
        Wrong("index", "lacks the row", lambda: dropped_row(_table())),
        Wrong("index", "lacks the row", lambda: _table().reset_index(drop=True)),
        Wrong("columns", "named exactly", lambda: renamed(_table(), {"davies_bouldin": "db"})),
        Wrong(
            "silhouette",
            "silhouette for k",
            lambda: perturbed(_table(), 0).assign(silhouette=lambda t: t["silhouette"] + 0.02),
        ),
        Wrong("silhouette", "between -1 and 1", lambda: _table().assign(silhouette=lambda t: t["silhouette"] * 100)),
        Wrong(
            "davies_bouldin",
            "swapped",
            lambda: renamed(_table(), {"silhouette": "davies_bouldin", "davies_bouldin": "silhouette"}),
        ),
        Wrong(
            "davies_bouldin",
            "Davies-Bouldin index for k",
            lambda: _table().assign(davies_bouldin=lambda t: t["davies_bouldin"] + 0.1),
        ),
        Wrong("k", "should be an int", lambda: Given(_table(), k=3.0)),
        Wrong("k", "not in the table", lambda: Given(_table(), k=12)),
    ],
    "q3": [
        Right("ARIs written the other way round", lambda: [adjusted_rand_score(b, a) for a, b in _pairs()]),
        Right("rounded to three decimals", lambda: rounded(_stability(), 3)),
        Wrong("type", "should be a list", lambda: as_numpy(_stability())),
        Wrong("type", "should be a list", lambda: as_tuple(_stability())),
        Wrong("length", "not their mean", lambda: float(np.mean(_stability()))),
        Wrong("length", "one per resample", lambda: dropped_row(_stability())),
        Wrong("value", "do not match", lambda: perturbed(_stability(), -0.05)),
        Wrong("value", "do not match", lambda: shuffled([0.5, 0.6, 0.7, 0.8, 0.9])),
        Wrong("method", "raw label ids", lambda: [float(np.mean(a == b)) for a, b in _pairs()]),
        Wrong("method", "NMI", lambda: [normalized_mutual_info_score(a, b) for a, b in _pairs()]),
        Wrong("method", "random_state=0", lambda: [adjusted_rand_score(a, b) for a, b in _pairs(same_seed=True)]),
    ],
    "q4": [
        Right("arguments swapped", lambda: adjusted_rand_score(_labels(), _vendor())),
        Right("rounded to two decimals", lambda: round(adjusted_rand_score(_vendor(), _labels()), 2)),
        Right(
            "another student's k = 4 labels",
            lambda: Given(adjusted_rand_score(_vendor(), _labels4()), labels=_labels4()),
        ),
        Wrong("type", "one number", lambda: as_list(_labels())),
        Wrong("value", "is not the ARI", lambda: perturbed(adjusted_rand_score(_vendor(), _labels()), 0.05)),
        Wrong("value", "is not the ARI", lambda: Given(adjusted_rand_score(_vendor(), _labels()), labels=_labels4())),
        Wrong("vendor", "MOSTYPE", lambda: adjusted_rand_score(caravan_data()["MOSTYPE"], _labels())),
        Wrong("method", "raw label ids", lambda: float(np.mean(_labels() + 1 == _vendor()))),
        Wrong("method", "NMI", lambda: normalized_mutual_info_score(_vendor(), _labels())),
        Wrong("method", "not adjusted for chance", lambda: rand_score(_vendor(), _labels())),
    ],
    "q5": [
        Right("segments renamed and shuffled", lambda: shuffled(_profile()).rename(index=lambda i: f"S{i}")),
        Right("rounded to two decimals", lambda: rounded(_profile(), 2)),
        Right(
            "size from value_counts, a share column added",
            lambda: (
                reference_features()
                .groupby(reference_labels())
                .mean()
                .assign(
                    size=pd.Series(reference_labels()).value_counts().sort_index(), share=lambda t: t["size"] / 5822
                )
            ),
        ),
        Wrong("type", "Series", lambda: _profile()["size"]),
        Wrong("type", "should be a pandas DataFrame", lambda: as_numpy(_profile())),
        Wrong("orientation", "transposed", lambda: _profile().T),
        Wrong("rows", "one row per segment", lambda: dropped_row(_profile())),
        Wrong("size", "`size` column", lambda: _profile().drop(columns="size")),
        Wrong("size", "holds shares", lambda: _profile().assign(size=lambda t: t["size"] / t["size"].sum())),
        Wrong("size", "count the customers", lambda: _profile().assign(size=lambda t: t["size"] + 1)),
        Wrong("columns", "lacks your feature", lambda: _profile().drop(columns="n_policies")),
        Wrong("value", "medians", lambda: _profile(how="median")),
        Wrong("value", "do not match", lambda: _profile().assign(PBRAND=lambda t: t["PBRAND"] + 1)),
        Wrong("units", "*scaled*", lambda: _profile(reference_matrix())),
    ],
    "q6": [
        Right(
            "by hand per segment, with an overall row",
            lambda: pd.concat(
                [
                    pd.DataFrame(
                        {
                            s: {
                                "customers": int((reference_labels() == s).sum()),
                                "buyers": int(_bought()[reference_labels() == s].sum()),
                            }
                            for s in range(3)
                        }
                    ).T.assign(
                        uptake=lambda t: t["buyers"] / t["customers"], lift=lambda t: t["uptake"] / _bought().mean()
                    ),
                    pd.DataFrame(
                        {
                            "customers": [5822],
                            "buyers": [int(_bought().sum())],
                            "uptake": [_bought().mean()],
                            "lift": [1.0],
                        },
                        index=["overall"],
                    ),
                ]
            ),
        ),
        Right("segments in another order", lambda: shuffled(_uptake())),
        Right("rounded to three decimals", lambda: rounded(_uptake(), 3)),
        Wrong("type", "should be a DataFrame", lambda: _uptake()["lift"]),
        Wrong("columns", "'lift' is missing", lambda: _uptake().drop(columns="lift")),
        Wrong("rows", "one row per segment", lambda: dropped_row(_uptake())),
        Wrong(
            "customers", "`customers` should count", lambda: _uptake().assign(customers=lambda t: t["customers"] / 5822)
        ),
        Wrong(
            "buyers", "`buyers` should count", lambda: _uptake().assign(buyers=lambda t: t["customers"] - t["buyers"])
        ),
        Wrong("uptake", "*all* customers", lambda: _uptake().assign(uptake=lambda t: t["buyers"] / 5822)),
        Wrong(
            "uptake", "share of all buyers", lambda: _uptake().assign(uptake=lambda t: t["buyers"] / t["buyers"].sum())
        ),
        Wrong("uptake", "percent", lambda: _uptake().assign(uptake=lambda t: 100 * t["uptake"])),
        Wrong("lift", "inverted", lambda: _uptake().assign(lift=lambda t: 1 / t["lift"])),
        Wrong("lift", "difference", lambda: _uptake().assign(lift=lambda t: t["uptake"] - _bought().mean())),
    ],
}
