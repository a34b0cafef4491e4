"""Answer variants for assignment 07-action, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.cluster import KMeans
from sklearn.metrics import confusion_matrix
from sklearn.preprocessing import StandardScaler

from course_utils.data import load_transactions
from course_utils.features import FEATURES, log_features
from course_utils.questions.m07_action import (
    CUT,
    HORIZON_END,
    WHO,
    ab_test,
    fitted_segmenter,
    old_and_new,
    purchase_matrix,
    segment_model,
    segment_split,
)
from tests.checks.known_wrong.m07_action import _new, _prices, _rates, _recall, _scores
from tests.checks.known_wrong.m07_action import _psi as _psi_of
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    as_numpy,
    dropped_row,
    extra_row,
    perturbed,
    reindexed,
    reversed_order,
    rounded,
    shuffled,
    with_nan,
    wrong_dtype,
)


def _new_X() -> pd.DataFrame:
    return log_features(old_and_new()[1])


def _assigned() -> np.ndarray:
    return _new("right")


def _assigned_by_distance() -> np.ndarray:
    """Written differently: nearest saved centre, by hand."""
    scaler, kmeans = fitted_segmenter()
    Z = scaler.transform(_new_X())
    distances = ((Z[:, None, :] - kmeans.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


@functools.lru_cache(maxsize=1)
def _tx() -> pd.DataFrame:
    return load_transactions()


def _churned(before_day="<=", end="<=", returns=False, normalise=True, inverted=False) -> pd.Series:
    tx = _tx()
    day = tx["invoice_date"].dt.normalize() if normalise else tx["invoice_date"]
    cut, stop = pd.Timestamp(CUT), pd.Timestamp(HORIZON_END)
    buys = tx["quantity"] > 0
    before = tx[buys & ((day <= cut) if before_day == "<=" else (day < cut))]
    after_rows = (day > cut) & ((day <= stop) if end == "<=" else (day < stop))
    after = tx[after_rows & (True if returns else buys)]
    base = pd.Index(sorted(before["customer_id"].unique()), name="customer_id")
    stayed = base.isin(after["customer_id"].unique())
    return pd.Series((stayed if inverted else ~stayed).astype(int), index=base, name="churned")


def _churned_groupby() -> pd.Series:
    """Written differently: last purchase date per customer, then a comparison."""
    tx = _tx()
    buys = tx[tx["quantity"] > 0].assign(day=lambda d: d["invoice_date"].dt.normalize())
    first = buys.groupby("customer_id")["day"].min()
    in_window = buys[(buys["day"] > CUT) & (buys["day"] <= HORIZON_END)].groupby("customer_id").size()
    base = first[first <= CUT].index
    return pd.Series(~base.isin(in_window.index), index=base)


def _recall_by_matrix() -> pd.Series:
    _, X_test, _, y_test = segment_split()
    model = segment_model()
    m = confusion_matrix(y_test, model.predict(X_test), labels=model.classes_)
    return pd.Series(m.diagonal() / m.sum(axis=1), index=model.classes_)


def _uplift(outcome: str = "converted") -> pd.Series:
    r = _rates(outcome)
    return r["offer"] - r["control"]


def _top(n: int = 5) -> list[str]:
    owned = purchase_matrix().loc[WHO]
    return _scores()[owned == 0].nlargest(n).index.tolist()


def _psi(ref: np.ndarray | None = None, new: np.ndarray | None = None, sign: int = 1) -> float:
    """The PSI of known_wrong's recipe; by default of the question's two price samples."""
    if ref is None or new is None:
        ref, new = _prices()
    return _psi_of(ref, new, sign)


def _psi_searchsorted() -> float:
    """Written differently: np.searchsorted into the inner edges, np.bincount."""
    ref, new = _prices()
    inner = np.quantile(ref, np.linspace(0, 1, 11))[1:-1]
    e = np.maximum(np.bincount(np.searchsorted(inner, ref, side="right"), minlength=10) / len(ref), 1e-4)
    a = np.maximum(np.bincount(np.searchsorted(inner, new, side="right"), minlength=10) / len(new), 1e-4)
    return float(((a - e) * np.log(a / e)).sum())


VARIANTS = {
    "q1": [
        Right("nearest saved centre by hand", lambda: _assigned_by_distance()),
        Right("int64 labels", lambda: _assigned().astype("int64")),
        Right(
            "after a refitting experiment on the student's copies",
            lambda: (fitted_segmenter()[1].fit(StandardScaler().fit_transform(_new_X())), _assigned())[1],
        ),
        Wrong("type", "NumPy array", lambda: as_list(_assigned())),
        Wrong("type", "NumPy array", lambda: pd.Series(_assigned(), index=old_and_new()[1].index)),
        Wrong("type", "is a model", lambda: fitted_segmenter()[1]),
        Wrong("shape", "label every new customer", lambda: dropped_row(_assigned())),
        Wrong("shape", "1-D", lambda: _assigned().reshape(-1, 1)),
        Wrong("dtype", "integers", lambda: wrong_dtype(_assigned(), float)),
        Wrong("ids", "other segment numbers", lambda: (_assigned() + 1) % 5),
        Wrong("order", "not in the order", lambda: np.sort(_assigned())),
        Wrong(
            "reuse_scaler",
            "new scaler",
            lambda: fitted_segmenter()[1].predict(StandardScaler().fit_transform(_new_X())),
        ),
        Wrong(
            "reuse_scaler",
            "new scaler",
            lambda: (lambda s, k: k.predict(s.fit_transform(_new_X())))(*fitted_segmenter()),
        ),
        Wrong(
            "reuse_model",
            "new k-means",
            lambda: KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
                fitted_segmenter()[0].transform(_new_X())
            ),
        ),
        Wrong(
            "steps",
            "log transform",
            lambda: (lambda s, k: k.predict(s.transform(old_and_new()[1][FEATURES].astype(float))))(
                *fitted_segmenter()
            ),
        ),
    ],
    "q2": [
        Right("first purchase day and a window count", _churned_groupby),
        Right("shuffled rows", lambda: shuffled(_churned())),
        Right("True/False", lambda: _churned().astype(bool)),
        Wrong("type", "pandas Series", lambda: as_numpy(_churned())),
        Wrong("type", "is a table", lambda: _churned().to_frame().assign(other=1)),
        Wrong("unique", "more than once", lambda: pd.concat([_churned(), _churned().iloc[:3]])),
        Wrong("rows", "bought nothing by the cut-off", lambda: extra_row(_churned(), label="C99999")),
        Wrong("rows", "lacks", lambda: dropped_row(_churned())),
        Wrong("rows", "lacks", lambda: reindexed(_churned())),
        Wrong("cut_day", "calendar day", lambda: _churned(before_day="<")),
        Wrong("cut_day", "calendar day", lambda: _churned(normalise=False)),
        Wrong("values", "missing values", lambda: with_nan(_churned())),
        Wrong("values", "only 1 (churned) and 0", lambda: _churned() * 2),
        Wrong("values", "should hold 1/0", lambda: wrong_dtype(_churned(), str)),
        Wrong("meaning", "inverted", lambda: _churned(inverted=True)),
        Wrong("window_end", "that day included", lambda: _churned(end="<")),
    ],
    "q3": [
        Right("from the confusion matrix, rounded to three decimals", lambda: rounded(_recall_by_matrix(), 3)),
        Right("a dict, in another order", lambda: shuffled(_recall()).to_dict()),
        Wrong("type", "one number", lambda: float(segment_model().score(*segment_split()[1::2]))),
        Wrong("type", "should be a pandas Series", lambda: as_numpy(_recall())),
        Wrong("type", "is a table", lambda: _recall().to_frame("recall")),
        Wrong("index", "persona names", lambda: reindexed(_recall())),
        Wrong("index", "persona names", lambda: dropped_row(_recall())),
        Wrong("metric", "precision", lambda: _recall("precision")),
        Wrong("held_out", "*training*", lambda: _recall("train")),
        Wrong("units", "percentages", lambda: 100 * _recall()),
        Wrong("units", "do not match", lambda: rounded(_recall(), 1)),
    ],
    "q4": [
        Right(
            "offer and control by boolean masks",
            lambda: pd.Series(
                {
                    p: g.loc[g["variant"] == "offer", "converted"].mean()
                    - g.loc[g["variant"] == "control", "converted"].mean()
                    for p, g in ab_test().groupby("persona")
                }
            ),
        ),
        Right("rounded to three decimals, largest first", lambda: rounded(_uplift(), 3).sort_values(ascending=False)),
        Wrong("type", "should be a pandas Series", lambda: as_list(_uplift())),
        Wrong("type", "is a table", lambda: _rates()),
        Wrong("index", "the index should be the personas", lambda: reindexed(_uplift())),
        Wrong(
            "per_segment",
            "pooled",
            lambda: float(ab_test().groupby("variant")["converted"].mean().pipe(lambda p: p["offer"] - p["control"])),
        ),
        Wrong("value", "sign is reversed", lambda: -_uplift()),
        Wrong("value", "do not match", lambda: _rates()["offer"] / _rates()["control"]),
        Wrong("outcome", "`clicked`", lambda: _uplift("clicked")),
        Wrong("outcome", "`opened`", lambda: _uplift("opened")),
        Wrong("units", "percentage points", lambda: 100 * _uplift()),
        Wrong("units", "percentage points", lambda: rounded(100 * _uplift(), 1)),
    ],
    "q5": [
        Right(
            "sorted scores, first five not owned",
            lambda: [p for p in _scores().sort_values(ascending=False).index if purchase_matrix().loc[WHO, p] == 0][:5],
        ),
        Right("numpy strings in a list", lambda: list(np.array(_top()))),
        Wrong("type", "should be a list", lambda: as_numpy(_top())),
        Wrong("type", "should be a list", lambda: tuple(_top())),
        Wrong("type", "Series of scores", lambda: _scores()[purchase_matrix().loc[WHO] == 0].nlargest(5)),
        Wrong("type", "as text", lambda: [int(p[1:]) for p in _top()]),
        Wrong("length", "top 5", lambda: dropped_row(_top())),
        Wrong("length", "twice", lambda: _top()[:4] + _top()[:1]),
        Wrong("valid", "not product ids", lambda: [p.lower() for p in _top()]),
        Wrong("new", "already bought", lambda: _scores().nlargest(5).index.tolist()),
        Wrong(
            "value",
            "most popular",
            lambda: purchase_matrix().sum()[purchase_matrix().loc[WHO] == 0].nlargest(5).index.tolist(),
        ),
        Wrong("value", "*lowest*", lambda: _scores()[purchase_matrix().loc[WHO] == 0].nsmallest(5).index.tolist()),
        Wrong("value", "not the 5 best", lambda: _top(6)[1:]),
        Wrong("order", "best first", lambda: reversed_order(_top())),
    ],
    "q6": [
        Right("searchsorted and bincount", _psi_searchsorted),
        Right("rounded to three decimals", lambda: rounded(_psi(), 3)),
        Wrong("type", "one number", lambda: as_numpy([_psi()])),
        Wrong("type", "should be a number", lambda: str(_psi())),
        Wrong("bins", "bins come from the new", lambda: _psi(*_prices()[::-1])),
        Wrong("formula", "cannot be negative", lambda: _psi(sign=-1)),
        Wrong("measure", "Kolmogorov-Smirnov", lambda: float(ks_2samp(*_prices()).statistic)),
        Wrong("value", "does not match the recipe", lambda: perturbed(_psi(), 0.02)),
    ],
}
