"""Known-wrong answers for assignment 04-evaluation (computed here independently with scikit-learn)."""

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, rand_score

from course_utils.features import FEATURES, course_features, course_matrix, segment_labels
from course_utils.questions.m04_evaluation import resample_rows, truth


def _labels() -> np.ndarray:
    return KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(course_matrix())


def _sub(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = resample_rows(len(X))
    full = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X)
    return full[rows], KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])


def _profile(kind: str) -> pd.DataFrame:
    labels = segment_labels()
    if kind == "scaled":
        return pd.DataFrame(course_matrix(), columns=FEATURES).groupby(labels).mean()
    grouped = course_features()[FEATURES].groupby(labels)
    return getattr(grouped, kind)()


RIGHT = {
    "q1": [
        lambda: adjusted_rand_score(truth(), _labels()),
        lambda: adjusted_rand_score(_labels(), truth()),
        # permuted label ids: same partition, same ARI
        lambda: adjusted_rand_score(truth(), (_labels() + 2) % 5),
    ],
    "q2": [
        lambda: adjusted_rand_score(*_sub(course_matrix())),
        lambda: adjusted_rand_score(*_sub(course_matrix())[::-1]),
    ],
    "q3": [
        lambda: _profile("mean"),
        # clusters renamed and re-ordered, a size column added, an 'overall' row added
        lambda: _profile("mean").rename(index=lambda i: f"segment {i}").iloc[::-1],
        lambda: _profile("mean").assign(size=np.bincount(segment_labels())),
        lambda: pd.concat([_profile("mean"), course_features()[FEATURES].mean().to_frame("overall").T]),
    ],
}

WRONG = [
    # q1: raw label ids compared to the truth codes
    ("q1", lambda: float(np.mean(_labels() == truth().cat.codes.to_numpy())), "raw label ids"),
    # q1: NMI, unadjusted Rand
    ("q1", lambda: normalized_mutual_info_score(truth(), _labels()), "NMI"),
    ("q1", lambda: rand_score(truth(), _labels()), "not adjusted for chance"),
    # q1: not a number
    ("q1", lambda: _labels(), "one number"),
    ("q1", "0.83", "should be a number"),
    ("q1", 0.2, "is not the ARI"),
    # q2: raw label ids between the full fit and the refit
    ("q2", lambda: float(np.mean(np.equal(*_sub(course_matrix())))), "raw label ids"),
    # q2: unscaled features
    ("q2", lambda: adjusted_rand_score(*_sub(course_features()[FEATURES].to_numpy())), "unscaled"),
    # q2: NMI instead of ARI
    ("q2", lambda: normalized_mutual_info_score(*_sub(course_matrix())), "NMI"),
    # q3: means of the scaled matrix, medians, transposed, one column only
    ("q3", lambda: _profile("scaled"), "*scaled*"),
    ("q3", lambda: _profile("median"), "medians"),
    ("q3", lambda: _profile("mean").T, "transposed"),
    ("q3", lambda: _profile("mean")["monetary_gbp"], "Series"),
    ("q3", lambda: _profile("mean").drop(columns="return_rate"), "missing the column"),
    ("q3", lambda: _profile("count"), "counts"),
]
