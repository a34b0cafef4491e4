"""Checks for assignment ``02-features``: RFM from raw lines, scores, scaling and encoding.

Questions 1-3 build RFM on Larkspur's clean transactions (the truth is
recomputed from the loaders). Questions 4-5 use a small *practice* table made
here from a seed, so that a mistake in question 1 does not spoil them and the
setup cell gives no answer away.

>>> practice_rfm().shape
(500, 5)
>>> train, new = scaling_split()
>>> len(train), len(new)
(400, 100)
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import EXACT, Incorrect, Question, require_type, within

RFM = ["recency_days", "frequency", "monetary_gbp"]
CATEGORICAL = ["region", "acquisition_channel"]


def practice_rfm(n: int = 500, seed: int = 0) -> pd.DataFrame:
    """A made-up RFM table with two categorical columns, for practising scores and pipelines.

    >>> practice_rfm(n=3).columns.tolist()
    ['recency_days', 'frequency', 'monetary_gbp', 'region', 'acquisition_channel']
    """
    rng = np.random.default_rng(seed)
    frequency = 1 + rng.poisson(rng.choice([1.0, 4.0, 12.0], size=n, p=[0.5, 0.35, 0.15]))
    basket = rng.lognormal(mean=3.5, sigma=0.6, size=n)
    return pd.DataFrame(
        {
            "recency_days": rng.integers(0, 730, size=n),
            "frequency": frequency,
            "monetary_gbp": (frequency * basket).round(2),
            "region": rng.choice(["London", "South East", "Scotland", "Wales"], size=n),
            "acquisition_channel": rng.choice(["organic search", "paid social", "email"], size=n),
        },
        index=pd.Index([f"P{i:04d}" for i in range(1, n + 1)], name="customer_id"),
    )


def scaling_split(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Log-RFM of 400 existing customers (``train``) and 100 new ones, who shop more recently.

    >>> train, new = scaling_split()
    >>> bool(new["log_recency"].mean() < train["log_recency"].mean())
    True
    """
    base = practice_rfm(seed=seed)[RFM]
    logs = np.log1p(base).rename(columns=lambda c: "log_" + c.removesuffix("_days").removesuffix("_gbp"))
    train, new = logs.iloc[:400].copy(), logs.iloc[400:].copy()
    new["log_recency"] = np.log1p(np.expm1(new["log_recency"]) // 6)  # new customers bought recently
    return train, new


@functools.lru_cache(maxsize=1)
def _tx() -> pd.DataFrame:
    from course_utils.data import load_transactions

    return load_transactions()


def _snapshot() -> pd.Timestamp:
    from course_utils.data import SNAPSHOT_DATE

    return pd.Timestamp(SNAPSHOT_DATE)


def _per_customer(value: Any, name: str, truth: pd.Series) -> pd.Series:
    """Shape checks for one-number-per-customer answers; returns the answer aligned to ``truth``."""
    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 1:
            value = value.iloc[:, 0]
        else:
            raise Incorrect(f"`{name}` is a table with {value.shape[1]} columns. Give one column (a Series).")
    if isinstance(value, (np.ndarray, list)):
        raise Incorrect(f"`{name}` should be a pandas Series indexed by customer_id, not a {type(value).__name__}.")
    require_type(value, pd.Series, f"`{name}`")
    if pd.api.types.is_timedelta64_dtype(value):
        raise Incorrect(f"`{name}` holds time differences ({value.dtype}); turn them into whole days with .dt.days.")
    if not pd.api.types.is_numeric_dtype(value) or pd.api.types.is_bool_dtype(value):
        raise Incorrect(f"`{name}` should hold numbers, but its dtype is {value.dtype}.")
    index = value.index.astype(str)
    if not index.isin(truth.index).all():
        if isinstance(value.index, pd.RangeIndex):
            raise Incorrect(
                f"`{name}` is indexed 0, 1, 2, ... instead of by customer_id. Group by customer_id "
                "(tx.groupby('customer_id')) and do not reset the index."
            )
        raise Incorrect(
            f"`{name}` has index values that are not customer ids, e.g. {index[~index.isin(truth.index)][0]!r}."
        )
    if len(value) != len(truth) or index.duplicated().any():
        raise Incorrect(
            f"`{name}` has {len(value):,} rows but {len(truth):,} customers bought something. "
            "One row per customer with at least one purchase (quantity > 0)."
        )
    return pd.Series(value.to_numpy(dtype=float), index=index).loc[truth.index]


# -- q1: recency -------------------------------------------------------------------


def _recency_truth(lines: pd.DataFrame) -> pd.Series:
    day = lines["invoice_date"].dt.normalize()
    return (_snapshot() - day.groupby(lines["customer_id"]).max()).dt.days


def _check_recency(value: Any) -> None:
    tx = _tx()
    purchases = tx[tx["quantity"] > 0]
    truth = _recency_truth(purchases).astype(float)
    got = _per_customer(value, "recency_days", truth)
    if within(got, truth, EXACT):
        return
    if (got <= 0).all() and (got < 0).any():
        raise Incorrect(
            "your recencies are negative: the subtraction is the wrong way round. Recency = snapshot date minus "
            "the date of the last purchase, so it counts days *since* the last purchase."
        )
    diff = got - truth
    today = (pd.Timestamp.now().normalize() - _snapshot()).days
    if abs(today) > 2 and np.allclose(diff, today, atol=1.5):
        raise Incorrect(
            f"your recencies are {today} days too large: you measured from today, not from the snapshot date "
            "SNAPSHOT_DATE. Analyses must be repeatable, so fix 'today' to the stated snapshot date."
        )
    with_returns = _recency_truth(tx).reindex(truth.index).astype(float)
    if np.allclose(got, with_returns):
        raise Incorrect(
            "your last date includes returns. Recency is the time since the last *purchase*: keep the lines "
            "with quantity > 0 first."
        )
    if (got == -1).any() and np.isin(diff, [-1, 0]).all():
        raise Incorrect(
            "customers who bought on the snapshot day get -1: a purchase at 22:58 is later than midnight. Count "
            "whole calendar days: use tx['invoice_date'].dt.normalize() before taking the maximum."
        )
    if np.isin(diff, [-1, 0]).all():
        raise Incorrect(
            "some recencies are one day short: use the calendar date of the last purchase (.dt.normalize())."
        )
    off = ~np.isclose(got, truth)
    raise Incorrect(f"{int(off.sum()):,} recencies are not right, e.g. customer {got.index[off][0]}.")


q1 = Question(
    "recency_days",
    _check_recency,
    hints=[
        "Keep the purchases (quantity > 0), find each customer's last purchase date, subtract it from SNAPSHOT.",
        "purchases.groupby('customer_id')['invoice_date'].max() gives the last purchase per customer. "
        "Normalise the dates to midnight first (.dt.normalize()) so you count calendar days.",
        "(SNAPSHOT - last_date).dt.days turns the time differences into whole days.",
    ],
    solution=(
        "purchases = tx[tx['quantity'] > 0]\n"
        "last_day = purchases['invoice_date'].dt.normalize().groupby(purchases['customer_id']).max()\n"
        "recency_days = (SNAPSHOT - last_day).dt.days"
    ),
    praise="recency counts days since the last purchase, from a fixed snapshot date, so anyone re-running gets the "
    "same numbers.",
)

# -- q2: frequency -----------------------------------------------------------------


def _check_frequency(value: Any) -> None:
    tx = _tx()
    purchases = tx[tx["quantity"] > 0]
    truth = purchases.groupby("customer_id")["invoice"].nunique().astype(float)
    got = _per_customer(value, "frequency", truth)
    if np.allclose(got, purchases.groupby("customer_id").size().reindex(truth.index)):
        raise Incorrect(
            "you counted rows (order lines), not invoices: an order of three products has three rows. "
            "Count distinct invoices with .nunique()."
        )
    if np.allclose(got, tx.groupby("customer_id").size().reindex(truth.index)):
        raise Incorrect(
            "you counted rows, not invoices, and returns too. Keep quantity > 0, then count distinct invoices."
        )
    if np.allclose(got, tx.groupby("customer_id")["invoice"].nunique().reindex(truth.index)):
        raise Incorrect(
            "you counted the return invoices ('R...') as purchases. Keep the lines with quantity > 0 first."
        )
    if not within(got, truth, EXACT):
        raise Incorrect("some frequencies are not the number of distinct purchase invoices.")


q2 = Question(
    "frequency",
    _check_frequency,
    hints=[
        "Frequency counts orders, and one order (invoice) can have several lines.",
        "purchases.groupby('customer_id')['invoice'].nunique() counts distinct invoices per customer.",
    ],
    solution="frequency = tx[tx['quantity'] > 0].groupby('customer_id')['invoice'].nunique()",
    praise="an order of five products counts once, as it should.",
)

# -- q3: monetary ------------------------------------------------------------------


def _check_monetary(value: Any) -> None:
    tx = _tx()
    line = tx["quantity"] * tx["unit_price"]
    bought = tx["quantity"] > 0
    index = tx.loc[bought, "customer_id"].unique()
    truth = line.groupby(tx["customer_id"]).sum().reindex(sorted(index)).astype(float)
    got = _per_customer(value, "monetary_gbp", truth)
    gross = line[bought].groupby(tx.loc[bought, "customer_id"]).sum().reindex(truth.index)
    if np.allclose(got, gross) and not np.allclose(gross, truth):
        raise Incorrect(
            "returns are not subtracted: you summed the purchases only. Monetary value is net of returns: "
            "sum quantity * unit_price over *all* lines (returns have negative quantity)."
        )
    if np.allclose(got, tx.groupby("customer_id")["unit_price"].sum().reindex(truth.index)):
        raise Incorrect("you added up unit prices: multiply by the quantity first (quantity * unit_price).")
    if not within(got, truth, 2):
        raise Incorrect(
            "some monetary values are off (to the penny): sum quantity * unit_price per customer over all lines."
        )


q3 = Question(
    "monetary_gbp",
    _check_monetary,
    hints=[
        "The money of a line is quantity * unit_price; returns have a negative quantity, so they subtract.",
        "Make that column, then group by customer_id and sum. Keep only customers who bought something "
        "(the index of `frequency` from question 2 tells you who).",
    ],
    solution=(
        "line = tx['quantity'] * tx['unit_price']\n"
        "net = line.groupby(tx['customer_id']).sum()\n"
        "monetary_gbp = net.loc[tx.loc[tx['quantity'] > 0, 'customer_id'].unique()].sort_index()"
    ),
    praise="money sent back is not revenue: net spend is what the customer is really worth.",
)

# -- q4: recency score ---------------------------------------------------------------


def _check_r_score(value: Any) -> None:
    practice = practice_rfm()
    if isinstance(value, pd.Series) and isinstance(value.dtype, pd.CategoricalDtype):
        categories = list(value.cat.categories)
        if categories and not all(isinstance(c, (int, np.integer)) for c in categories):
            raise Incorrect(
                "your scores are intervals (pd.qcut without labels). Give labels=[5, 4, 3, 2, 1] so each customer "
                "gets a number from 1 to 5."
            )
        value = value.astype(int)
    if isinstance(value, (np.ndarray, list)):
        raise Incorrect("`r_score` should be a pandas Series with the index of `practice`.")
    require_type(value, pd.Series, "`r_score`")
    if len(value) != len(practice):
        raise Incorrect(
            f"`r_score` should have one score per customer of `practice` ({len(practice)}), not {len(value)}."
        )
    score = pd.to_numeric(value, errors="coerce")
    levels = sorted(score.dropna().unique().tolist())
    if score.isna().any() or levels != [1, 2, 3, 4, 5]:
        if levels == [0, 1, 2, 3, 4]:
            raise Incorrect("scores go from 1 to 5, not 0 to 4 (labels=False starts at 0).")
        raise Incorrect(f"scores should be the numbers 1, 2, 3, 4, 5, but you have {levels[:8]}.")
    recency = practice["recency_days"].to_numpy()
    if not (score.index.isin(practice.index).all() and not score.index.duplicated().any()):
        raise Incorrect(
            "`r_score` should keep the index of `practice` (its customer ids), so each score stays with its "
            "customer: do not reset or replace the index."
        )
    s = score.reindex(practice.index).to_numpy()
    mean_by = pd.Series(recency).groupby(s).mean()
    if mean_by.loc[5] > mean_by.loc[1]:
        raise Incorrect(
            "your scores are reversed: score 5 went to the customers who bought *longest ago*. A high score should "
            "mean a good customer, and for recency, small is good: labels=[5, 4, 3, 2, 1]."
        )
    sizes = pd.Series(s).value_counts(normalize=True)
    if (sizes - 0.2).abs().max() > 0.03:
        raise Incorrect(
            f"the groups are not quintiles: their shares range from {sizes.min():.0%} to {sizes.max():.0%}, "
            "each should hold about 20% of customers (pd.qcut(..., 5, ...))."
        )
    for k in range(1, 5):
        if recency[s == k + 1].max() > recency[s == k].min():
            raise Incorrect(
                f"score {k + 1} and score {k} overlap: a customer with score {k + 1} bought longer ago than one with "
                f"score {k}. Scores must follow recency order."
            )


q4 = Question(
    "r_score",
    _check_r_score,
    hints=[
        "Quintiles split customers into 5 equal-sized groups; pd.qcut(values, 5, labels=...) does that.",
        "Small recency is good, so the most recent fifth should get 5: labels=[5, 4, 3, 2, 1].",
        "Ties in recency can make qcut fail; rank first: pd.qcut(practice['recency_days'].rank(method='first'), 5, "
        "labels=[5, 4, 3, 2, 1]).",
    ],
    solution=(
        "r_score = pd.qcut(practice['recency_days'].rank(method='first'), 5, labels=[5, 4, 3, 2, 1]).astype(int)"
    ),
    praise="score 5 is the most recent fifth of customers, the same direction as F and M scores (high is good).",
)

# -- q5: scaler fitted on the right data ---------------------------------------------


def _as_array(value: Any, name: str, shape: tuple[int, int]) -> np.ndarray:
    if hasattr(value, "toarray"):
        value = value.toarray()
    if isinstance(value, pd.DataFrame):
        value = value.to_numpy()
    if not isinstance(value, np.ndarray):
        raise Incorrect(
            f"`{name}` should be the array (or DataFrame) that .transform(...) returns, not a {type(value).__name__}."
        )
    if value.shape != shape:
        raise Incorrect(
            f"`{name}` should have shape {shape} (one row per customer, one column per feature), not {value.shape}."
        )
    return value.astype(float)


def _check_new_scaled(value: Any) -> None:
    from sklearn.preprocessing import StandardScaler

    train, new = scaling_split()
    if isinstance(value, StandardScaler):
        raise Incorrect("`new_scaled` is the scaler itself. Call its .transform(new) and store the result.")
    got = _as_array(value, "new_scaled", new.shape)
    truth = StandardScaler().fit(train).transform(new)
    if np.allclose(got, StandardScaler().fit_transform(new)):
        raise Incorrect(
            "you fitted the scaler on the new customers: each column of `new_scaled` now has mean 0. The scaler "
            "must learn its mean and standard deviation from `train` only, then transform `new`, so that new "
            "customers are measured on the same ruler as the existing ones."
        )
    if np.allclose(got, StandardScaler().fit(pd.concat([train, new])).transform(new)):
        raise Incorrect("you fitted the scaler on train and new together. Fit on `train` only, then transform `new`.")
    if np.allclose(got, new.to_numpy()):
        raise Incorrect("`new_scaled` equals `new`: nothing was scaled yet.")
    if np.allclose(got, ((new - train.mean()) / train.std(ddof=1)).to_numpy()):
        raise Incorrect(
            "you divided by the *sample* standard deviation of `train` (pandas' .std() uses ddof=1). A "
            "StandardScaler uses the population standard deviation (ddof=0): fit StandardScaler() on `train`, "
            "or divide by train.std(ddof=0)."
        )
    if not np.allclose(got, truth):
        raise Incorrect("`new_scaled` is not `new` standardised with the mean and standard deviation of `train`.")


q5 = Question(
    "new_scaled",
    _check_new_scaled,
    hints=[
        "A scaler learns (fit) the mean and standard deviation of the data it is given, and applies them (transform).",
        "Fit on the existing customers: scaler = StandardScaler().fit(train). Then scaler.transform(new).",
    ],
    solution="scaler = StandardScaler().fit(train)\nnew_scaled = scaler.transform(new)",
    praise="new customers are placed on the ruler learned from existing ones, which is what scoring a new customer "
    "needs.",
)

# -- q6: one-hot encoding ---------------------------------------------------------------


def _check_encoded(value: Any) -> None:
    from course_utils.data import load_customers

    customers = load_customers()
    if isinstance(value, pd.Series):
        raise Incorrect(
            "`encoded` is one column: that is label encoding (one integer per category), which invents an order "
            "and distances. One-hot encoding makes one 0/1 column per category: pd.get_dummies(...)."
        )
    require_type(value, pd.DataFrame, "`encoded`")
    n_levels = {c: customers[c].nunique() for c in CATEGORICAL}
    wanted = sum(n_levels.values())
    if len(value) != len(customers):
        raise Incorrect(f"`encoded` should have one row per customer ({len(customers):,}), not {len(value):,}.")
    if value.shape[1] == len(CATEGORICAL):
        raise Incorrect(
            "`encoded` has one column per variable: that looks label-encoded (integers 0, 1, 2, ...). In a "
            "distance, 'London'=0 would be closer to 'South East'=1 than to 'Wales'=11 for no reason. Use one-hot."
        )
    if value.shape[1] == wanted - len(CATEGORICAL):
        raise Incorrect(
            "you dropped one category per variable (drop_first=True). That suits linear regression, but for "
            "distances it treats the dropped category differently: keep all of them for clustering."
        )
    if value.shape[1] != wanted:
        raise Incorrect(
            f"`encoded` should have {wanted} columns ({n_levels['region']} regions + {n_levels['acquisition_channel']} "
            f"channels), but it has {value.shape[1]}. Encode only customers[{CATEGORICAL}]."
        )
    numbers = value.astype(float).to_numpy()
    if not np.isin(numbers, [0.0, 1.0]).all():
        raise Incorrect("every value of a one-hot table is 0 or 1 (or False/True).")
    if not np.allclose(numbers.sum(axis=1), len(CATEGORICAL)):
        raise Incorrect("each customer should have exactly one 1 per variable (two 1s per row).")
    # Columns are found by what they hold, not by their names (the task names none).
    columns = {numbers[:, j].tobytes() for j in range(numbers.shape[1])}
    for c in CATEGORICAL:
        for level in customers[c].astype(str).unique():
            marks = (customers[c].astype(str) == level).to_numpy(float)
            if marks.tobytes() not in columns:
                raise Incorrect(
                    f"no column marks the customers with {c} = {level!r} (1 for them, 0 for everyone else). "
                    f"Encode customers[{CATEGORICAL}] as they are, in the same row order."
                )


q6 = Question(
    "encoded",
    _check_encoded,
    hints=[
        "One-hot: one 0/1 column per category. pandas does it with pd.get_dummies(...).",
        "pd.get_dummies(customers[['region', 'acquisition_channel']]) gives 12 + 5 columns.",
    ],
    solution="encoded = pd.get_dummies(customers[['region', 'acquisition_channel']])",
    praise="every pair of different regions is now the same distance apart, as it should be with no natural order.",
)

# -- q7: a ColumnTransformer pipeline -----------------------------------------------------


def _check_preprocess(value: Any) -> None:
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    if isinstance(value, (np.ndarray, pd.DataFrame)):
        raise Incorrect("`preprocess` should be the ColumnTransformer object itself, not its output.")
    if not isinstance(value, (ColumnTransformer, Pipeline)):
        raise Incorrect(f"`preprocess` should be a ColumnTransformer, but it is a {type(value).__name__}.")
    practice = practice_rfm()
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = clone(value).fit_transform(practice)
    except Exception as err:  # a student's transformer can fail in many ways
        text = str(err)
        if "infinity" in text.lower() or "nan" in text.lower():
            raise Incorrect(
                "fitting `preprocess` on `practice` made infinite or missing values: np.log(0) is -inf, and "
                "some customers have recency 0 days. Use np.log1p, which is log(1 + x) and 0 for x = 0."
            ) from None
        if isinstance(err, KeyError) or "column" in text.lower():
            raise Incorrect(
                f"fitting `preprocess` on `practice` failed ({type(err).__name__}: {text[:120]}). Check the column "
                "names: recency_days, frequency, monetary_gbp, region, acquisition_channel."
            ) from None
        raise Incorrect(
            f"fitting `preprocess` on `practice` failed with {type(err).__name__}: {text[:160]}. Build it from "
            "a Pipeline for the numbers and a OneHotEncoder for the categories."
        ) from None
    if hasattr(out, "toarray"):
        out = out.toarray()
    out = np.asarray(out, dtype=float)
    numeric = Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())])
    truth = ColumnTransformer(
        [("num", numeric, RFM), ("cat", OneHotEncoder(), CATEGORICAL)], sparse_threshold=0
    ).fit_transform(practice)
    n_cat = truth.shape[1] - len(RFM)
    if out.shape[0] != truth.shape[0]:
        raise Incorrect(f"the output should have {truth.shape[0]} rows, one per customer, not {out.shape[0]}.")
    if out.shape[1] == len(RFM) + len(CATEGORICAL):
        raise Incorrect(
            "the categorical columns come out as one column each: that is label (ordinal) encoding. "
            "Use OneHotEncoder() for region and acquisition_channel."
        )
    if out.shape[1] == len(RFM):
        raise Incorrect("the categorical columns are missing: remainder='drop' dropped them. Add a OneHotEncoder step.")
    if out.shape[1] != truth.shape[1]:
        raise Incorrect(
            f"the output should have {truth.shape[1]} columns (3 numeric + {n_cat} one-hot), not {out.shape[1]}. "
            "Transform only the RFM and the two categorical columns."
        )

    def has(column: np.ndarray) -> bool:
        return any(np.allclose(column, out[:, j], atol=1e-6) for j in range(out.shape[1]))

    raw_scaled = StandardScaler().fit_transform(practice[RFM])
    logged = np.log1p(practice[RFM].to_numpy(dtype=float))
    for j, name in enumerate(RFM):
        if has(truth[:, j]):
            continue
        if has(raw_scaled[:, j]):
            raise Incorrect(
                f"{name} was scaled but not logged first: put FunctionTransformer(np.log1p) before the scaler."
            )
        if has(logged[:, j]):
            raise Incorrect(f"{name} was logged but not standardised: add StandardScaler() after the log.")
        raise Incorrect(f"the column for {name} is not log1p followed by StandardScaler.")
    for j in range(len(RFM), truth.shape[1]):
        if not has(truth[:, j]):
            raise Incorrect("the one-hot columns are not right: use OneHotEncoder() on region and acquisition_channel.")


q7 = Question(
    "preprocess",
    _check_preprocess,
    hints=[
        "A ColumnTransformer takes a list of (name, transformer, columns): one entry for the numbers, one for the "
        "categories.",
        "For the numbers, chain two steps: Pipeline([('log', FunctionTransformer(np.log1p)), ('scale', "
        "StandardScaler())]).",
        "ColumnTransformer([('num', numeric, ['recency_days', 'frequency', 'monetary_gbp']), "
        "('cat', OneHotEncoder(), ['region', 'acquisition_channel'])])",
    ],
    solution=(
        "numeric = Pipeline([('log', FunctionTransformer(np.log1p)), ('scale', StandardScaler())])\n"
        "preprocess = ColumnTransformer([\n"
        "    ('num', numeric, ['recency_days', 'frequency', 'monetary_gbp']),\n"
        "    ('cat', OneHotEncoder(), ['region', 'acquisition_channel']),\n"
        "])"
    ),
    praise="one object now does every step, fitted on one data set and re-applied identically to new customers.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7}

#: What each task states about its answer (tests/checks/variants/m02_features.py violates each one).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "a Series",
        "numeric": "a number of days",
        "index": "indexed by customer_id",
        "customers": "one value per customer with at least one purchase",
        "direction": "days from the last purchase to SNAPSHOT (not negative)",
        "snapshot": "counted to SNAPSHOT, not to today",
        "purchases": "the last *purchase* (returns are not purchases)",
        "calendar": "whole calendar days: a purchase on the snapshot day has recency 0",
        "value": "the recency of every customer",
    },
    "q2": {
        "type": "a Series",
        "index": "indexed by customer_id",
        "customers": "each customer who bought something",
        "distinct": "distinct invoices, not order lines",
        "purchases": "purchase invoices (returns excluded)",
        "value": "the number of distinct purchase invoices",
    },
    "q3": {
        "type": "a Series",
        "index": "indexed by customer_id",
        "customers": "the customers who bought something",
        "net": "net spend: returns subtracted",
        "line": "the money of a line: quantity * unit_price",
        "value": "net spend in pounds, to the penny",
    },
    "q4": {
        "type": "a Series",
        "length": "one score per customer of practice",
        "index": "the index of practice",
        "levels": "the scores 1 to 5",
        "direction": "5 for the fifth who bought most recently, 1 for the fifth longest ago",
        "quintiles": "quintiles: five groups of a fifth of the customers each",
        "order": "the scores follow the order of recency",
    },
    "q5": {
        "type": "the output of .transform: an array (or DataFrame)",
        "shape": "one row per customer of new, one column per feature",
        "fit_on_train": "a StandardScaler that learns from train only",
        "scaled": "new transformed (standardised)",
        "value": "new on the same ruler as train",
    },
    "q6": {
        "type": "a DataFrame",
        "rows": "one row per customer",
        "one_hot": "one column per category of region and of acquisition_channel (none dropped)",
        "binary": "0/1 (or False/True) values",
        "one_per_variable": "one 1 per variable in each row",
        "value": "each column marks the customers of its category",
    },
    "q7": {
        "type": "a ColumnTransformer (not fitted, not its output)",
        "fits": "it can be fitted on a table like practice",
        "log": "np.log1p on recency_days, frequency and monetary_gbp",
        "scale": "then a StandardScaler",
        "onehot": "OneHotEncoder on region and acquisition_channel",
        "columns": "only those five columns are transformed",
    },
}
