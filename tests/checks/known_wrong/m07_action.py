"""Known-wrong answers for assignment 07-action (computed here independently from the loaders)."""

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.cluster import KMeans
from sklearn.metrics import precision_score, recall_score
from sklearn.preprocessing import StandardScaler

from course_utils.data import load_transactions
from course_utils.features import log_features
from course_utils.questions.m07_action import (
    CUT,
    HORIZON_END,
    PSI_FEATURE,
    WHO,
    ab_test,
    fitted_segmenter,
    item_similarity,
    old_and_new,
    purchase_matrix,
    segment_model,
    segment_split,
)


def _new(kind: str) -> np.ndarray:
    scaler, kmeans = fitted_segmenter()
    X = log_features(old_and_new()[1])
    if kind == "refit_scaler":
        return kmeans.predict(StandardScaler().fit_transform(X))
    if kind == "refit_kmeans":
        return KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(scaler.transform(X))
    return kmeans.predict(scaler.transform(X))


def _churned(kind: str = "right") -> pd.Series:
    tx = load_transactions()
    buys = tx[tx["quantity"] > 0]
    day = buys["invoice_date"].dt.normalize()
    base = pd.Index(sorted(buys.loc[day <= CUT, "customer_id"].unique()), name="customer_id")
    again = buys.loc[(day > CUT) & (day <= HORIZON_END), "customer_id"].unique()
    if kind == "everyone":
        everyone = pd.Index(sorted(buys["customer_id"].unique()))
        return pd.Series(~everyone.isin(again), index=everyone).astype(int)
    if kind == "past":
        last = buys[day <= CUT].groupby("customer_id")["invoice_date"].max().dt.normalize()
        return ((pd.Timestamp(CUT) - last).dt.days > 184).astype(int)
    churned = pd.Series(~base.isin(again), index=base)
    return (~churned if kind == "inverted" else churned).astype(int if kind != "bool" else bool)


def _recall(kind: str = "test") -> pd.Series:
    X_train, X_test, y_train, y_test = segment_split()
    model = segment_model()
    X, y = (X_train, y_train) if kind == "train" else (X_test, y_test)
    score = precision_score if kind == "precision" else recall_score
    return pd.Series(score(y, model.predict(X), labels=model.classes_, average=None), index=model.classes_)


def _rates(outcome: str = "converted") -> pd.DataFrame:
    return ab_test().groupby(["persona", "variant"])[outcome].mean().unstack()


def _scores() -> pd.Series:
    return purchase_matrix().loc[WHO] @ item_similarity()


def _psi(ref: np.ndarray, new: np.ndarray, sign: int = 1) -> float:
    edges = np.quantile(ref, np.linspace(0, 1, 11))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.clip(np.histogram(ref, edges)[0] / len(ref), 1e-4, None)
    a = np.clip(np.histogram(new, edges)[0] / len(new), 1e-4, None)
    return float(sign * np.sum((a - e) * np.log(a / e)))


def _prices() -> tuple[np.ndarray, np.ndarray]:
    old, new = old_and_new()
    return old[PSI_FEATURE].to_numpy(), new[PSI_FEATURE].to_numpy()


def _psi_pandas() -> float:
    ref, new = _prices()
    bins = pd.qcut(ref, 10, retbins=True)[1]
    bins[0], bins[-1] = -np.inf, np.inf
    e = pd.Series(pd.cut(ref, bins, right=False)).value_counts(normalize=True, sort=False).to_numpy()
    a = pd.Series(pd.cut(new, bins, right=False)).value_counts(normalize=True, sort=False).to_numpy()
    return float(np.sum((a - e) * np.log(a / e)))


def _refit_on_student_objects() -> np.ndarray:
    scaler, kmeans = fitted_segmenter()  # what the set-up cell gives the student
    return kmeans.predict(scaler.fit_transform(log_features(old_and_new()[1])))


def _after_experiment() -> np.ndarray:
    scaler, kmeans = fitted_segmenter()
    kmeans.fit_predict(scaler.fit_transform(log_features(old_and_new()[1])))  # an experiment that refits both
    scaler, kmeans = fitted_segmenter()  # the student re-runs the set-up cell: fresh copies
    return kmeans.predict(scaler.transform(log_features(old_and_new()[1])))


RIGHT = {
    "q1": [
        lambda: _new("right"),
        lambda: _new("right").astype("int64"),
        # the issue-13 scenario: a refitting experiment on the student's objects first, then the right answer
        lambda: _after_experiment(),
    ],
    "q2": [lambda: _churned(), lambda: _churned("bool"), lambda: _churned().sample(frac=1, random_state=0)],
    "q3": [
        lambda: _recall(),
        lambda: _recall().to_dict(),
        lambda: _recall().sort_values(),
    ],
    "q4": [
        lambda: _rates()["offer"] - _rates()["control"],
        lambda: (_rates()["offer"] - _rates()["control"]).sort_values(ascending=False),
    ],
    "q5": [
        lambda: _scores()[purchase_matrix().loc[WHO] == 0].nlargest(5).index.tolist(),
        lambda: [str(p) for p in _scores()[purchase_matrix().loc[WHO] == 0].sort_values(ascending=False).index[:5]],
    ],
    "q6": [
        lambda: _psi(*_prices()),
        # pandas' qcut/cut with left-closed bins gives the same number on this continuous feature
        lambda: _psi_pandas(),
    ],
}

WRONG = [
    # q1: scaler refitted on the new customers; k-means refitted; not an array; too few labels
    ("q1", lambda: _new("refit_scaler"), "new scaler"),
    ("q1", lambda: _new("refit_kmeans"), "new k-means"),
    ("q1", lambda: fitted_segmenter()[1], "is a model"),
    ("q1", lambda: _new("right")[:100], "label every new customer"),
    ("q1", lambda: np.zeros(len(old_and_new()[1]), dtype=int), "do not match"),
    # issue 13: the mistake the question warns about, on the student's (shared, before the fix) objects
    ("q1", lambda: _refit_on_student_objects(), "new scaler"),
    ("q1", lambda: list(_new("right")), "NumPy array"),
    ("q1", lambda: (_new("right") + 3) % 5, "other segment numbers"),
    # q2: inverted labels; label from the past (recency at the cut); customers who joined after the cut
    ("q2", lambda: _churned("inverted"), "inverted"),
    ("q2", lambda: _churned("past"), "*before* the cut-off"),
    ("q2", lambda: _churned("everyone"), "bought nothing by the cut-off"),
    ("q2", lambda: _churned().to_numpy(), "pandas Series"),
    # q3: training data; precision; one accuracy number
    ("q3", lambda: _recall("train"), "*training*"),
    ("q3", lambda: _recall("precision"), "precision"),
    ("q3", lambda: float(segment_model().score(*segment_split()[1::2])), "one number"),
    ("q3", lambda: 100 * _recall(), "percentages"),
    # q4: reversed sign; pooled; clicks; opens
    ("q4", lambda: _rates()["control"] - _rates()["offer"], "sign is reversed"),
    (
        "q4",
        lambda: float(ab_test().groupby("variant")["converted"].mean().pipe(lambda p: p["offer"] - p["control"])),
        "pooled",
    ),
    ("q4", lambda: _rates("clicked")["offer"] - _rates("clicked")["control"], "`clicked`"),
    ("q4", lambda: _rates("opened")["offer"] - _rates("opened")["control"], "`opened`"),
    # q5: already-bought products kept; popularity; a single id
    ("q5", lambda: _scores().nlargest(5).index.tolist(), "already bought"),
    (
        "q5",
        lambda: purchase_matrix().sum()[purchase_matrix().loc[WHO] == 0].nlargest(5).index.tolist(),
        "most popular",
    ),
    ("q5", "P0001", "list of 5"),
    ("q5", lambda: _scores()[purchase_matrix().loc[WHO] == 0].nlargest(5), "Series"),
    ("q5", lambda: _scores()[purchase_matrix().loc[WHO] == 0].nlargest(5).index.tolist()[::-1], "best first"),
    ("q5", lambda: _scores()[purchase_matrix().loc[WHO] == 0].nlargest(3).index.tolist(), "top 5"),
    # q6: bins from the new data; negative; KS statistic
    ("q6", lambda: _psi(*_prices()[::-1]), "bins come from the new"),
    ("q6", lambda: _psi(*_prices(), sign=-1), "cannot be negative"),
    ("q6", lambda: float(ks_2samp(*_prices()).statistic), "Kolmogorov-Smirnov"),
    ("q6", lambda: np.array([0.1, 0.2]), "one number"),
]
