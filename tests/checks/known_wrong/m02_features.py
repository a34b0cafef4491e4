"""Known-wrong answers for assignment 02-features (the real RFM, scaling and encoding mistakes)."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

from course_utils.data import SNAPSHOT_DATE, load_customers, load_transactions
from course_utils.questions.m02_features import practice_rfm, scaling_split

SNAPSHOT = pd.Timestamp(SNAPSHOT_DATE)


def _purchases():
    tx = load_transactions()
    return tx[tx["quantity"] > 0]


def _recency(kind):
    def f():
        tx = load_transactions()
        lines = tx if kind == "with_returns" else _purchases()
        day = lines["invoice_date"].dt.normalize()
        last = day.groupby(lines["customer_id"]).max()
        if kind == "reversed":
            return (last - SNAPSHOT).dt.days
        if kind == "today":
            return (pd.Timestamp.now().normalize() - last).dt.days
        if kind == "timestamp":
            return (SNAPSHOT - lines.groupby("customer_id")["invoice_date"].max()).dt.days
        if kind == "reset":
            return (SNAPSHOT - last).dt.days.reset_index(drop=True)
        return (SNAPSHOT - last).dt.days

    return f


def _rfm_from_features():
    from course_utils.features import rfm_table

    return rfm_table(load_transactions())


def _monetary(kind):
    def f():
        tx = load_transactions()
        buyers = _purchases()["customer_id"].unique()
        if kind == "gross":
            p = _purchases()
            return (p["quantity"] * p["unit_price"]).groupby(p["customer_id"]).sum()
        if kind == "prices":
            return tx.groupby("customer_id")["unit_price"].sum().loc[buyers]
        net = (tx["quantity"] * tx["unit_price"]).groupby(tx["customer_id"]).sum()
        return net.loc[buyers].sort_index()

    return f


def _r_score(labels=(5, 4, 3, 2, 1), rank=True):
    def f():
        r = practice_rfm()["recency_days"]
        return pd.qcut(r.rank(method="first") if rank else r, 5, labels=list(labels) if labels else labels)

    return f


def _scaled(fit_on):
    def f():
        train, new = scaling_split()
        data = {"train": train, "new": new, "all": pd.concat([train, new])}[fit_on]
        return StandardScaler().fit(data).transform(new)

    return f


def _encoded(kind):
    def f():
        c = load_customers()[["region", "acquisition_channel"]]
        if kind == "right":
            return pd.get_dummies(c)
        if kind == "int":
            return pd.get_dummies(c, dtype=int)
        if kind == "drop_first":
            return pd.get_dummies(c, drop_first=True)
        if kind == "codes":
            return c.apply(lambda s: s.cat.codes)
        if kind == "one_code":
            return c["region"].cat.codes
        raise ValueError(kind)

    return f


def _preprocess(kind):
    def f():
        rfm = ["recency_days", "frequency", "monetary_gbp"]
        cats = ["region", "acquisition_channel"]
        numeric = Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())])
        if kind == "no_log":
            numeric = StandardScaler()
        if kind == "no_scale":
            numeric = FunctionTransformer(np.log1p)
        encoder = OrdinalEncoder() if kind == "ordinal" else OneHotEncoder()
        steps = [("num", numeric, rfm), ("cat", encoder, cats)]
        if kind == "cat_first":
            steps = steps[::-1]
        if kind == "drop":
            steps = steps[:1]
        return ColumnTransformer(steps)

    return f


RIGHT = {
    "q1": [_recency("right"), lambda: _rfm_from_features()["recency_days"]],
    "q2": [
        lambda: _purchases().groupby("customer_id")["invoice"].nunique(),
        lambda: _rfm_from_features()[["frequency"]],
    ],
    "q3": [_monetary("net"), lambda: _rfm_from_features()["monetary_gbp"]],
    "q4": [_r_score(), lambda: _r_score()().astype(int), _r_score(rank=False)],
    "q5": [_scaled("train"), lambda: pd.DataFrame(_scaled("train")())],
    "q6": [_encoded("right"), _encoded("int")],
    "q7": [_preprocess("right"), _preprocess("cat_first")],
}

WRONG = [
    ("q1", _recency("reversed"), "wrong way round"),
    ("q1", _recency("today"), "measured from today"),
    ("q1", _recency("with_returns"), "includes returns"),
    ("q1", _recency("timestamp"), "calendar days"),
    ("q1", _recency("reset"), "indexed 0, 1, 2"),
    ("q2", lambda: _purchases().groupby("customer_id").size(), "counted rows (order lines), not invoices"),
    (
        "q2",
        lambda: (
            load_transactions().groupby("customer_id")["invoice"].nunique().loc[_purchases()["customer_id"].unique()]
        ),
        "return invoices",
    ),
    ("q2", lambda: _rfm_from_features(), "columns"),
    ("q3", _monetary("gross"), "returns are not subtracted"),
    ("q3", _monetary("prices"), "multiply by the quantity"),
    ("q4", _r_score(labels=(1, 2, 3, 4, 5)), "reversed"),
    ("q4", _r_score(labels=None), "intervals"),
    ("q4", lambda: pd.qcut(practice_rfm()["recency_days"], 5, labels=False), "0 to 4"),
    (
        "q4",
        lambda: pd.cut(practice_rfm()["recency_days"], [-1, 7, 30, 90, 365, 10_000], labels=[5, 4, 3, 2, 1]).astype(
            int
        ),
        "not quintiles",
    ),
    ("q5", _scaled("new"), "fitted the scaler on the new customers"),
    ("q5", _scaled("all"), "train and new together"),
    ("q5", lambda: scaling_split()[1], "nothing was scaled"),
    # q5 (trial T1): by hand with pandas' .std(), the sample standard deviation (ddof=1)
    ("q5", lambda: (scaling_split()[1] - scaling_split()[0].mean()) / scaling_split()[0].std(), "ddof=1"),
    ("q5", lambda: StandardScaler().fit(scaling_split()[0]), "scaler itself"),
    ("q6", _encoded("codes"), "label-encoded"),
    ("q6", _encoded("one_code"), "label encoding"),
    ("q6", _encoded("drop_first"), "drop_first"),
    (
        "q6",
        lambda: pd.get_dummies(load_customers()[["region", "acquisition_channel", "gender"]]),
        "should have 17 columns",
    ),
    ("q7", _preprocess("ordinal"), "ordinal"),
    ("q7", _preprocess("no_log"), "not logged first"),
    ("q7", _preprocess("no_scale"), "not standardised"),
    ("q7", _preprocess("drop"), "categorical columns are missing"),
    ("q7", lambda: _preprocess("right")().fit_transform(practice_rfm()), "object itself"),
]
