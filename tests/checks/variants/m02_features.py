"""Answer variants for assignment 02-features, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

from course_utils.data import SNAPSHOT_DATE, load_customers, load_transactions
from course_utils.questions.m02_features import CATEGORICAL, RFM, practice_rfm, scaling_split
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    as_numpy,
    dropped_row,
    off_by_one,
    perturbed,
    reindexed,
    rounded,
    shuffled,
    wrong_dtype,
)

SNAPSHOT = pd.Timestamp(SNAPSHOT_DATE)


@functools.lru_cache(maxsize=1)
def _tx_cached() -> pd.DataFrame:
    return load_transactions()


def _tx() -> pd.DataFrame:
    return _tx_cached().copy()


def _purchases() -> pd.DataFrame:
    tx = _tx()
    return tx[tx["quantity"] > 0]


# -- q1 ------------------------------------------------------------------------------------------


def _recency(lines: pd.DataFrame | None = None, today: pd.Timestamp = SNAPSHOT, normalise: bool = True) -> pd.Series:
    lines = _purchases() if lines is None else lines
    day = lines["invoice_date"].dt.normalize() if normalise else lines["invoice_date"]
    return (today - day.groupby(lines["customer_id"]).max()).dt.days


def _recency_by_date() -> pd.Series:
    """Right, another way: calendar dates (no time) and date subtraction."""
    p = _purchases()
    last = p.groupby("customer_id")["invoice_date"].max().dt.date
    return last.map(lambda d: (SNAPSHOT.date() - d).days)


# -- q2, q3 ----------------------------------------------------------------------------------------


def _frequency() -> pd.Series:
    return _purchases().groupby("customer_id")["invoice"].nunique()


def _monetary(lines: str = "all") -> pd.Series:
    tx = _tx()
    buyers = tx.loc[tx["quantity"] > 0, "customer_id"].unique()
    if lines == "gross":
        p = _purchases()
        return (p["quantity"] * p["unit_price"]).groupby(p["customer_id"]).sum()
    if lines == "prices":
        return tx.groupby("customer_id")["unit_price"].sum().loc[buyers]
    net = (tx["quantity"] * tx["unit_price"]).groupby(tx["customer_id"]).sum()
    return net.loc[buyers]


# -- q4 ------------------------------------------------------------------------------------------


def _r_score(labels=(5, 4, 3, 2, 1), rank: bool = True, q: int = 5) -> pd.Series:
    r = practice_rfm()["recency_days"]
    return pd.qcut(r.rank(method="first") if rank else r, q, labels=list(labels) if labels else labels)


def _r_score_ranked() -> pd.Series:
    """Right, another way: ranks of minus recency cut into fifths with integer arithmetic."""
    r = practice_rfm()["recency_days"]
    position = (-r).rank(method="first").astype(int) - 1  # 0 = longest ago
    return (position * 5 // len(r) + 1).astype(int)


# -- q5 ------------------------------------------------------------------------------------------


def _scaled(fit_on: str = "train") -> np.ndarray:
    train, new = scaling_split()
    data = {"train": train, "new": new, "all": pd.concat([train, new])}[fit_on]
    return StandardScaler().fit(data).transform(new)


def _scaled_by_hand(ddof: int = 0) -> pd.DataFrame:
    train, new = scaling_split()
    return (new - train.mean()) / train.std(ddof=ddof)


# -- q6 ------------------------------------------------------------------------------------------


def _customers() -> pd.DataFrame:
    return load_customers()[CATEGORICAL]


def _encoded(**kwargs) -> pd.DataFrame:
    return pd.get_dummies(_customers(), **kwargs)


def _encoded_sklearn() -> pd.DataFrame:
    """Right, another way: OneHotEncoder with pandas output (column names region_London...)."""
    return OneHotEncoder(sparse_output=False).set_output(transform="pandas").fit_transform(_customers())


# -- q7 ------------------------------------------------------------------------------------------


def _pre(log=np.log1p, scale=True, cat=OneHotEncoder, remainder="drop", numeric=RFM) -> ColumnTransformer:
    steps = []
    if log is not None:
        steps.append(("log", FunctionTransformer(log)))
    if scale:
        steps.append(("scale", StandardScaler()))
    parts = [("num", Pipeline(steps) if len(steps) > 1 else steps[0][1], numeric)]
    if cat is not None:
        parts.append(("cat", cat(), CATEGORICAL))
    return ColumnTransformer(parts, remainder=remainder)


def _pre_scale_then_log() -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("num", make_pipeline(StandardScaler(), FunctionTransformer(np.log1p)), RFM),
            ("cat", OneHotEncoder(), CATEGORICAL),
        ]
    )


VARIANTS = {
    "q1": [
        Right("calendar dates subtracted", _recency_by_date),
        Right(
            "floor('D') instead of normalize, as floats",
            lambda: (SNAPSHOT - _purchases().groupby("customer_id")["invoice_date"].max().dt.floor("D")).dt.days.astype(
                float
            ),
        ),
        Right("another order of customers", lambda: shuffled(_recency())),
        Right("a one-column DataFrame", lambda: _recency().to_frame("recency_days")),
        Wrong("type", "pandas Series indexed by customer_id", lambda: as_numpy(_recency())),
        Wrong("type", "table with 2 columns", lambda: _recency().to_frame("r").assign(extra=1)),
        Wrong(
            "numeric",
            ".dt.days",
            lambda: SNAPSHOT - _purchases()["invoice_date"].dt.normalize().groupby(_purchases()["customer_id"]).max(),
        ),
        Wrong("numeric", "should hold numbers", lambda: wrong_dtype(_recency(), str)),
        Wrong("index", "indexed 0, 1, 2", lambda: reindexed(_recency())),
        Wrong("customers", "customers bought something", lambda: dropped_row(_recency())),
        Wrong("customers", "customers bought something", lambda: pd.concat([_recency(), _recency().iloc[:1]])),
        Wrong("direction", "wrong way round", lambda: -_recency()),
        Wrong("snapshot", "measured from today", lambda: _recency(today=pd.Timestamp.now().normalize())),
        Wrong("purchases", "includes returns", lambda: _recency(_tx()).loc[_recency().index]),
        Wrong("calendar", "-1", lambda: _recency(normalise=False)),
        Wrong("value", "recencies are not right", lambda: _recency().where(_recency().index != "C00002", 0)),
        Wrong("value", "recencies are not right", lambda: off_by_one(_recency(), 2)),
    ],
    "q2": [
        Right(
            "drop_duplicates then value_counts",
            lambda: _purchases()[["customer_id", "invoice"]].drop_duplicates()["customer_id"].value_counts(),
        ),
        Right("as floats", lambda: _frequency().astype(float)),
        Wrong("type", "pandas Series indexed by customer_id", lambda: as_list(_frequency())),
        Wrong("index", "indexed 0, 1, 2", lambda: reindexed(_frequency())),
        Wrong("customers", "customers bought something", lambda: dropped_row(_frequency())),
        Wrong("distinct", "counted rows (order lines)", lambda: _purchases().groupby("customer_id").size()),
        Wrong("distinct", "and returns too", lambda: _tx().groupby("customer_id").size().loc[_frequency().index]),
        Wrong(
            "purchases",
            "return invoices",
            lambda: _tx().groupby("customer_id")["invoice"].nunique().loc[_frequency().index],
        ),
        Wrong("value", "not the number of distinct purchase invoices", lambda: off_by_one(_frequency())),
    ],
    "q3": [
        Right("rounded to the penny, another order", lambda: shuffled(rounded(_monetary(), 2))),
        Right(
            "groupby on a column",
            lambda: (
                _tx()
                .assign(m=lambda d: d["quantity"] * d["unit_price"])
                .groupby("customer_id")["m"]
                .sum()
                .loc[_frequency().index]
            ),
        ),
        Wrong("type", "pandas Series indexed by customer_id", lambda: as_numpy(_monetary())),
        Wrong("index", "indexed 0, 1, 2", lambda: reindexed(_monetary())),
        Wrong("customers", "customers bought something", lambda: dropped_row(_monetary())),
        Wrong("net", "returns are not subtracted", lambda: _monetary("gross")),
        Wrong("line", "added up unit prices", lambda: _monetary("prices")),
        Wrong("value", "monetary values are off", lambda: rounded(_monetary(), 0)),
        Wrong("value", "monetary values are off", lambda: perturbed(_monetary(), 0.01)),
    ],
    "q4": [
        Right("integer arithmetic on ranks", _r_score_ranked),
        Right("categorical with integer labels", lambda: _r_score()),
        Right("as floats", lambda: _r_score().astype(float)),
        Wrong("type", "pandas Series with the index of `practice`", lambda: as_numpy(_r_score().astype(int))),
        Wrong("length", "one score per customer", lambda: dropped_row(_r_score().astype(int))),
        Wrong("index", "keep the index of `practice`", lambda: reindexed(_r_score().astype(int))),
        Wrong("levels", "not 0 to 4", lambda: _r_score(labels=False)),
        Wrong("levels", "intervals", lambda: _r_score(labels=None)),
        Wrong("levels", "should be the numbers 1, 2, 3, 4, 5", lambda: _r_score(labels=range(1, 11), q=10).astype(int)),
        Wrong("direction", "reversed", lambda: _r_score(labels=(1, 2, 3, 4, 5)).astype(int)),
        Wrong(
            "quintiles",
            "not quintiles",
            lambda: pd.cut(
                practice_rfm()["recency_days"], [-1, 30, 90, 180, 365, 10_000], labels=[5, 4, 3, 2, 1]
            ).astype(int),
        ),
        Wrong(
            "order",
            "overlap",
            lambda: _r_score().astype(int).sample(frac=1, random_state=0).set_axis(practice_rfm().index),
        ),
    ],
    "q5": [
        Right("by hand, population standard deviation", _scaled_by_hand),
        Right(
            "a DataFrame (set_output pandas)",
            lambda: (
                StandardScaler().set_output(transform="pandas").fit(scaling_split()[0]).transform(scaling_split()[1])
            ),
        ),
        Wrong("type", "the scaler itself", lambda: StandardScaler().fit(scaling_split()[0])),
        Wrong("type", "not a list", lambda: as_list(_scaled())),
        Wrong("shape", "should have shape", lambda: _scaled()[:, :2]),
        Wrong(
            "shape", "should have shape", lambda: StandardScaler().fit(scaling_split()[0]).transform(scaling_split()[0])
        ),
        Wrong("fit_on_train", "fitted the scaler on the new customers", lambda: _scaled("new")),
        Wrong("fit_on_train", "train and new together", lambda: _scaled("all")),
        Wrong("scaled", "nothing was scaled", lambda: scaling_split()[1]),
        Wrong("value", "population standard deviation (ddof=0)", lambda: _scaled_by_hand(ddof=1)),
        Wrong("value", "not `new` standardised", lambda: _scaled() * 1.1),
    ],
    "q6": [
        Right("OneHotEncoder with pandas output", _encoded_sklearn),
        Right("integers, columns in another order", lambda: _encoded(dtype=int).iloc[:, ::-1]),
        Right("plain numbered columns", lambda: pd.DataFrame(_encoded().to_numpy(dtype=float))),
        Wrong("type", "label encoding", lambda: _customers()["region"].astype("category").cat.codes),
        Wrong("type", "should be a DataFrame", lambda: _encoded().to_numpy()),
        Wrong("rows", "one row per customer", lambda: dropped_row(_encoded())),
        Wrong(
            "one_hot",
            "label-encoded",
            lambda: pd.DataFrame(OrdinalEncoder().fit_transform(_customers()), columns=CATEGORICAL),
        ),
        Wrong("one_hot", "drop_first=True", lambda: _encoded(drop_first=True)),
        Wrong("one_hot", "columns", lambda: pd.get_dummies(_customers()["region"])),
        Wrong("binary", "0 or 1", lambda: _encoded(dtype=int) * 2),
        Wrong(
            "one_per_variable",
            "exactly one 1 per variable",
            lambda: _encoded(dtype=int).assign(**{_encoded().columns[0]: 1}),
        ),
        Wrong("value", "no column marks", lambda: reindexed(shuffled(_encoded()))),
    ],
    "q7": [
        Right(
            "make_column_transformer and make_pipeline",
            lambda: make_column_transformer(
                (make_pipeline(FunctionTransformer(np.log1p), StandardScaler()), RFM), (OneHotEncoder(), CATEGORICAL)
            ),
        ),
        Right(
            "categories first, dense output",
            lambda: ColumnTransformer(
                [
                    ("cat", OneHotEncoder(sparse_output=False), CATEGORICAL),
                    ("num", Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())]), RFM),
                ]
            ),
        ),
        Right("already fitted", lambda: _pre().fit(practice_rfm())),
        Wrong(
            "type",
            "not its output",
            lambda: (
                _pre().fit_transform(practice_rfm()).toarray()
                if hasattr(_pre().fit_transform(practice_rfm()), "toarray")
                else _pre().fit_transform(practice_rfm())
            ),
        ),
        Wrong("type", "should be a ColumnTransformer", lambda: StandardScaler()),
        Wrong("fits", "Check the column names", lambda: _pre(numeric=["recency", "frequency", "monetary"])),
        Wrong("log", "np.log1p", lambda: _pre(log=np.log)),
        Wrong("log", "not logged first", lambda: _pre(log=None)),
        Wrong("log", "not log1p followed by StandardScaler", _pre_scale_then_log),
        Wrong("scale", "not standardised", lambda: _pre(scale=False)),
        Wrong("onehot", "label (ordinal) encoding", lambda: _pre(cat=OrdinalEncoder)),
        Wrong("onehot", "categorical columns are missing", lambda: _pre(cat=None)),
        Wrong(
            "columns",
            "should have",
            lambda: (
                _pre(remainder="passthrough")
                .set_params(
                    cat=OneHotEncoder(),
                    num=Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())]),
                )
                .set_params(
                    transformers=[
                        (
                            "num",
                            Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())]),
                            RFM[:2],
                        ),
                        ("cat", OneHotEncoder(), CATEGORICAL),
                        ("pass", "passthrough", ["monetary_gbp", "recency_days"]),
                    ]
                )
            ),
        ),
    ],
}
