"""Answer variants for assignment 01-wrangling, derived from ``PROPERTIES`` in its checks.

Tables are loaded once and copied for every variant (a check may not change its input, and one
variant must not spoil the next).
"""

from __future__ import annotations

import functools

import pandas as pd

from course_utils.data import FX_TO_GBP, connect_db, load_customers, load_transactions
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    as_numpy,
    dropped_row,
    off_by_one,
    perturbed,
    reindexed,
    relabelled,
    renamed,
    reversed_order,
    rounded,
    shuffled,
    with_nan,
    wrong_dtype,
)


@functools.lru_cache(maxsize=1)
def _raw_cached() -> pd.DataFrame:
    return load_transactions(raw=True)


def _raw() -> pd.DataFrame:
    return _raw_cached().copy()


@functools.lru_cache(maxsize=1)
def _customers_cached() -> pd.DataFrame:
    return load_customers(raw=True)


def _ages_raw() -> pd.Series:
    return pd.to_numeric(_customers_cached()["age"], errors="coerce")


# -- q1 ------------------------------------------------------------------------------------------


def _n_dup() -> int:
    return int(_raw().duplicated().sum())


# -- q2 ------------------------------------------------------------------------------------------


def _dates() -> pd.Series:
    text = _raw()["invoice_date"]
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    uk = pd.to_datetime(text, format="%d/%m/%Y %H:%M", errors="coerce")
    words = pd.to_datetime(text, format="%b %d %Y %H:%M", errors="coerce")
    return iso.fillna(uk).fillna(words)


def _dates_by_mask() -> pd.Series:
    """Right, another way: choose the format per row with masks, then combine."""
    text = _raw()["invoice_date"]
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    slash = text.str.contains("/", regex=False)
    word = text.str.match(r"[A-Z][a-z]{2} ")
    out[slash] = pd.to_datetime(text[slash], format="%d/%m/%Y %H:%M")
    out[word] = pd.to_datetime(text[word], format="%b %d %Y %H:%M")
    rest = ~(slash | word)
    out[rest] = pd.to_datetime(text[rest], format="ISO8601")
    return out


def _dates_mixed(**kwargs) -> pd.Series:
    return pd.to_datetime(_raw()["invoice_date"], format="mixed", **kwargs)


# -- q3 ------------------------------------------------------------------------------------------


def _prices(op=lambda p, r: p * r) -> pd.Series:
    raw = _raw()
    return op(raw["unit_price"].astype(float), raw["currency"].map(FX_TO_GBP))


def _prices_partial() -> pd.Series:
    """Only EUR converted: USD forgotten."""
    raw = _raw()
    price = raw["unit_price"].astype(float)
    return price.where(raw["currency"] != "EUR", price * FX_TO_GBP["EUR"])


def _prices_no_usd_rate() -> pd.Series:
    raw = _raw()
    rates = {k: v for k, v in FX_TO_GBP.items() if k != "USD"}
    return raw["unit_price"].astype(float) * raw["currency"].map(rates)


# -- q4 ------------------------------------------------------------------------------------------

_SYN = {
    "kitchenware": "kitchen",
    "home-decor": "home decor",
    "homedecor": "home decor",
    "home décor": "home decor",
    "gardening": "garden",
    "garden & outdoor": "garden",
    "bed linen": "bedding",
    "gift": "gifts",
    "gift ideas": "gifts",
}


def _categories() -> pd.Series:
    return _raw()["category"].str.strip().str.lower().replace(_SYN)


def _categories_by_product() -> pd.Series:
    """Right, another way: the clean table's category of each product."""
    clean = load_transactions().drop_duplicates("product_id").set_index("product_id")["category"].astype(str)
    return _raw()["product_id"].map(clean)


def _categories_mapped_only() -> pd.Series:
    """.map with a dictionary that lacks the spellings already right: those become NaN."""
    return _raw()["category"].str.strip().str.lower().map(_SYN)


# -- q5 ------------------------------------------------------------------------------------------


def _cancelled(kind: str = "right") -> pd.Series:
    inv = _raw()["invoice"]
    credit = inv.str.startswith("C")
    if kind == "right":
        return credit | inv.isin(inv[credit].str[1:])
    if kind == "with_returns":
        return credit | inv.isin(inv[credit].str[1:]) | inv.str.startswith("R")
    if kind == "orders_only":
        return inv.isin(inv[credit].str[1:])
    raise ValueError(kind)


def _cancelled_by_number() -> pd.Series:
    """Right, another way: compare invoice numbers without their letter."""
    inv = _raw()["invoice"]
    number = inv.str.extract(r"(\d+)$")[0]
    cancelled_numbers = set(number[inv.str.startswith("C")])
    return number.isin(cancelled_numbers) & ~inv.str.startswith("R")


# -- q6 ------------------------------------------------------------------------------------------


def _ages(fill: str | float = "median") -> pd.Series:
    age = _ages_raw()
    valid = age.where(age.between(18, 100))
    value = {"median": valid.median(), "mean": valid.mean(), "mean_all": age.mean(), "mode": valid.mode()[0]}.get(
        fill, fill
    )
    return valid.fillna(value)


def _ages_two_values() -> pd.Series:
    """Missing ages and impossible ages filled with two different values."""
    age = _ages_raw()
    valid = age.where(age.between(18, 100))
    out = age.fillna(valid.median())
    return out.where(out.between(18, 100), valid.mean())


def _ages_changed_valid() -> pd.Series:
    return _ages().round(-1)


# -- q7 ------------------------------------------------------------------------------------------


def _sql(
    select: str = "channel, COUNT(DISTINCT customer_id) AS n_customers, SUM(quantity * unit_price) AS revenue_gbp",
    tail: str = "GROUP BY channel ORDER BY revenue_gbp DESC",
) -> pd.DataFrame:
    con = connect_db()
    try:
        return pd.read_sql_query(f"SELECT {select} FROM transactions {tail}", con)
    finally:
        con.close()


def _pandas_channels() -> pd.DataFrame:
    tx = load_transactions()
    return (
        tx.assign(revenue_gbp=tx["quantity"] * tx["unit_price"])
        .groupby("channel", observed=True)
        .agg(n_customers=("customer_id", "nunique"), revenue_gbp=("revenue_gbp", "sum"))
        .sort_values("revenue_gbp", ascending=False)
    )


VARIANTS = {
    "q1": [
        Right("rows minus rows after drop_duplicates", lambda: len(_raw()) - len(_raw().drop_duplicates())),
        Right("the NumPy integer that .sum() returns", lambda: _raw().duplicated().sum()),
        Right("a whole float", lambda: float(_n_dup())),
        Wrong("type", "one number", lambda: _raw().duplicated()),
        Wrong("type", "whole number", lambda: _n_dup() + 0.5),
        Wrong("type", "whole number", lambda: str(_n_dup())),
        Wrong("earlier", "keep=False", lambda: int(_raw().duplicated(keep=False).sum())),
        Wrong("every_column", "subset", lambda: int(_raw().duplicated(subset=["invoice", "product_id"]).sum())),
        Wrong("value", "left after removing", lambda: len(_raw().drop_duplicates())),
        Wrong("value", "number of rows", lambda: len(_raw())),
        Wrong("value", "not the number of exact duplicate rows", lambda: off_by_one(_n_dup(), -1)),
    ],
    "q2": [
        Right("formats chosen with masks", _dates_by_mask),
        Right("in microseconds", lambda: _dates().astype("datetime64[us]")),
        Wrong("type", "whole table", lambda: _dates().to_frame("invoice_dates")),
        Wrong("type", "pandas Series", lambda: as_numpy(_dates())),
        Wrong("type", "pandas Series", lambda: as_list(_dates())),
        Wrong("length", "do not drop or add rows", lambda: dropped_row(_dates())),
        Wrong("dtype", "not a date-time", lambda: _raw()["invoice_date"]),
        Wrong("dtype", "not a date-time", lambda: _dates().dt.strftime("%Y-%m-%d %H:%M:%S")),
        Wrong("index", "keep the index of `raw`", lambda: _dates().sort_values()),
        Wrong("index", "not in the rows of `raw`", lambda: reindexed(shuffled(_dates()))),
        Wrong(
            "complete",
            "could not be read",
            lambda: pd.to_datetime(_raw()["invoice_date"], format="ISO8601", errors="coerce"),
        ),
        Wrong("dayfirst", "month-first", _dates_mixed),
        Wrong("value", "dayfirst=True also flips ISO", lambda: _dates_mixed(dayfirst=True)),
        Wrong("value", "dates differ from the text", lambda: _dates() + pd.Timedelta(hours=1)),
    ],
    "q3": [
        Right("rounded to the penny", lambda: rounded(_prices(), 2)),
        Right("a NumPy array in row order", lambda: as_numpy(_prices())),
        Right(
            "replace then multiply",
            lambda: _raw()["unit_price"].astype(float) * _raw()["currency"].replace(FX_TO_GBP).astype(float),
        ),
        Wrong("type", "whole table", lambda: _prices().to_frame("gbp")),
        Wrong("length", "do not drop or add rows", lambda: dropped_row(_prices())),
        Wrong("numeric", "still text", lambda: _raw()["unit_price"]),
        Wrong("numeric", "still text", lambda: wrong_dtype(_prices(), str)),
        Wrong("complete", "rate table cover every currency", _prices_no_usd_rate),
        Wrong("complete", "missing (NaN)", lambda: with_nan(_prices())),
        Wrong("direction", "divided by the rate", lambda: _prices(lambda p, r: p / r)),
        Wrong("converted", "were not converted", lambda: _raw()["unit_price"].astype(float)),
        Wrong("value", "prices are off", _prices_partial),
        Wrong("value", "prices are off", lambda: rounded(_prices(), 1)),
        Wrong("value", "prices are off", lambda: perturbed(_prices(), 0.01)),
    ],
    "q4": [
        Right("each product's clean category", _categories_by_product),
        Right("as a categorical column", lambda: _categories().astype("category")),
        Right("a list in row order", lambda: as_list(_categories())),
        Wrong("type", "whole table", lambda: _categories().to_frame()),
        Wrong("length", "do not drop or add rows", lambda: dropped_row(_categories())),
        Wrong("labels", "map the remaining synonyms", lambda: _raw()["category"].str.strip().str.lower()),
        Wrong("labels", "still has", lambda: _raw()["category"].str.lower().replace(_SYN)),
        Wrong("labels", "still has", lambda: _categories().str.title()),
        Wrong("complete", "became missing", _categories_mapped_only),
        Wrong(
            "value", "wrong category", lambda: relabelled(_categories(), {"gifts": "home decor", "home decor": "gifts"})
        ),
        Wrong("value", "wrong category", lambda: shuffled(_categories()).set_axis(_raw().index)),
    ],
    "q5": [
        Right("invoice numbers compared without their letter", _cancelled_by_number),
        Right("numpy bools in a Series", lambda: pd.Series(as_numpy(_cancelled()), index=_raw().index)),
        Wrong("type", "pandas Series", lambda: as_numpy(_cancelled())),
        Wrong("length", "do not drop or add rows", lambda: dropped_row(_cancelled())),
        Wrong("dtype", "dtype bool", lambda: _cancelled().astype(int)),
        Wrong("dtype", "dtype bool", lambda: relabelled(_cancelled().astype(object), {True: "yes", False: "no"})),
        Wrong("index", "keep the index of `raw`", lambda: _cancelled().sort_values()),
        Wrong("index", "keep the index of `raw`", lambda: reindexed(_cancelled()).set_axis(_raw().index + 1)),
        Wrong("index", "sit in other rows", lambda: reindexed(shuffled(_cancelled()))),
        Wrong("returns", "return lines", lambda: _cancelled("with_returns")),
        Wrong("returns", "return lines", lambda: _raw()["quantity"].astype(int) < 0),
        Wrong("orders", "orders they cancel are still in", lambda: _raw()["invoice"].str.startswith("C")),
        Wrong("value", "not flagged yet", lambda: _cancelled("orders_only")),
        Wrong(
            "value",
            "flagged but were not cancelled",
            lambda: _cancelled() | (_raw()["invoice"] == _raw()["invoice"].iloc[0]),
        ),
    ],
    "q6": [
        Right("the median", lambda: _ages("median")),
        Right("the mean of the valid ages (the task lets the student choose)", lambda: _ages("mean")),
        Right(
            "the mean, rounded to a whole age",
            lambda: _ages(round(_ages_raw().where(_ages_raw().between(18, 100)).mean())),
        ),
        Right("as whole numbers", lambda: _ages("median").astype(int)),
        Right("a NumPy array", lambda: as_numpy(_ages("median"))),
        Wrong("type", "whole table", lambda: _ages().to_frame()),
        Wrong("length", "do not drop or add rows", lambda: dropped_row(_ages())),
        Wrong("numeric", "convert the text to numbers", lambda: _customers_cached()["age"]),
        Wrong("complete", "still missing", lambda: _ages_raw().where(_ages_raw().between(18, 100))),
        Wrong("impossible", "impossible ages are still there", lambda: _ages_raw().fillna(_ages_raw().median())),
        Wrong("unchanged", "ages that were fine have changed", _ages_changed_valid),
        Wrong("one_value", "one* value", _ages_two_values),
        Wrong("defensible", "impossible ones like 999", lambda: _ages("mean_all")),
        Wrong("defensible", "not a typical age", lambda: _ages(22)),
        Wrong("defensible", "not a typical age", lambda: _ages("mode")),
        Wrong("defensible", "not a typical age", lambda: _ages(99.5)),
    ],
    "q7": [
        Right("pandas groupby, reset", lambda: _pandas_channels().reset_index()),
        Right(
            "columns in another order, an extra column",
            lambda: _sql(
                "SUM(quantity * unit_price) AS revenue_gbp, channel, COUNT(DISTINCT customer_id) AS n_customers, "
                "COUNT(*) AS n_lines"
            ),
        ),
        Right(
            "revenue rounded to the penny",
            lambda: _sql(
                "channel, COUNT(DISTINCT customer_id) AS n_customers, ROUND(SUM(quantity * unit_price), 2) AS "
                "revenue_gbp"
            ),
        ),
        Wrong("type", "text of your query", lambda: "SELECT channel FROM transactions"),
        Wrong("type", "should be a DataFrame", lambda: _pandas_channels()["revenue_gbp"]),
        Wrong("columns", "missing the column", lambda: renamed(_sql(), {"revenue_gbp": "revenue"})),
        Wrong("columns", "as its index", _pandas_channels),
        Wrong(
            "rows", "one row per channel", lambda: _sql(tail="GROUP BY channel, customer_id ORDER BY revenue_gbp DESC")
        ),
        Wrong("rows", "one row per channel", lambda: dropped_row(_sql())),
        Wrong(
            "channels",
            "are not those of the transactions table",
            lambda: _sql().assign(channel=lambda d: d["channel"].str.upper()),
        ),
        Wrong(
            "distinct",
            "COUNT(DISTINCT customer_id)",
            lambda: _sql("channel, COUNT(*) AS n_customers, SUM(quantity * unit_price) AS revenue_gbp"),
        ),
        Wrong(
            "distinct",
            "number of different customers",
            lambda: _sql().assign(n_customers=lambda d: d["n_customers"] + 1),
        ),
        Wrong(
            "revenue",
            "revenue_gbp is not right",
            lambda: _sql("channel, COUNT(DISTINCT customer_id) AS n_customers, SUM(unit_price) AS revenue_gbp"),
        ),
        Wrong(
            "revenue",
            "revenue_gbp is not right",
            lambda: _sql(
                "channel, COUNT(DISTINCT customer_id) AS n_customers, SUM(quantity * unit_price) AS revenue_gbp",
                "WHERE quantity > 0 GROUP BY channel ORDER BY revenue_gbp DESC",
            ),
        ),
        Wrong("order", "largest first", lambda: reversed_order(_sql())),
    ],
}
