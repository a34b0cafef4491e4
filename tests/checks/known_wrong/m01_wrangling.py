"""Known-wrong answers for assignment 01-wrangling (the real mistakes seen when cleaning raw data)."""

import pandas as pd

from course_utils.data import FX_TO_GBP, connect_db, load_customers, load_transactions


def _raw() -> pd.DataFrame:
    return load_transactions(raw=True)


def _dates(**kwargs):
    return lambda: pd.to_datetime(_raw()["invoice_date"], **kwargs)


def _dates_right():
    text = _raw()["invoice_date"]
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    uk = pd.to_datetime(text, format="%d/%m/%Y %H:%M", errors="coerce")
    words = pd.to_datetime(text, format="%b %d %Y %H:%M", errors="coerce")
    return iso.fillna(uk).fillna(words)


def _dates_split():
    """Another right answer: UK dates first, then let pandas infer the rest."""
    text = _raw()["invoice_date"]
    uk = text.str.contains("/", regex=False)
    out = pd.to_datetime(text.where(~uk), format="mixed")
    out[uk] = pd.to_datetime(text[uk], format="%d/%m/%Y %H:%M")
    return out


def _price(op):
    def f():
        raw = _raw()
        price = raw["unit_price"].astype(float)
        rate = raw["currency"].map(FX_TO_GBP)
        return op(price, rate)

    return f


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


def _categories(strip=True, syn=True):
    def f():
        s = _raw()["category"]
        s = s.str.strip().str.lower() if strip else s.str.lower()
        return s.replace(_SYN) if syn else s

    return f


def _cancel(kind):
    def f():
        inv = _raw()["invoice"]
        credit = inv.str.startswith("C")
        if kind == "right":
            return credit | inv.isin(inv[credit].str[1:])
        if kind == "credit_only":
            return credit
        if kind == "negative":
            return _raw()["quantity"].astype(int) < 0
        if kind == "isin_values":  # right, written another way
            return inv.str.startswith("C") | inv.isin(set(inv[credit].str.replace("C", "", n=1)))
        raise ValueError(kind)

    return f


def _ages(how):
    def f():
        age = pd.to_numeric(load_customers(raw=True)["age"], errors="coerce")
        valid = age.where(age.between(18, 100))
        if how == "median":
            return valid.fillna(valid.median())
        if how == "median_int":
            return valid.fillna(valid.median()).astype(int)
        if how == "mean":
            return valid.fillna(valid.mean())
        if how == "mean_all":
            return age.where(age.between(18, 100)).fillna(age.mean())
        if how == "no_range":
            return age.fillna(age.median())
        if how == "zero":
            return valid.fillna(0)
        if how == "not_filled":
            return valid
        raise ValueError(how)

    return f


def _sql(count="COUNT(DISTINCT customer_id)", order="DESC"):
    def f():
        con = connect_db()
        try:
            return pd.read_sql_query(
                f"SELECT channel, {count} AS n_customers, SUM(quantity * unit_price) AS revenue_gbp "
                f"FROM transactions GROUP BY channel ORDER BY revenue_gbp {order}",
                con,
            )
        finally:
            con.close()

    return f


def _pandas_channel():
    tx = load_transactions()
    out = (
        tx.assign(revenue_gbp=tx["quantity"] * tx["unit_price"])
        .groupby("channel", observed=True)
        .agg(n_customers=("customer_id", "nunique"), revenue_gbp=("revenue_gbp", "sum"))
        .reset_index()
        .sort_values("revenue_gbp", ascending=False)
    )
    return out


RIGHT = {
    "q1": [lambda: int(_raw().duplicated().sum()), lambda: _raw().duplicated().sum()],
    "q2": [_dates_right, _dates_split],
    "q3": [_price(lambda p, r: p * r), _price(lambda p, r: (p * r).round(2))],
    "q4": [_categories(), lambda: _categories()().astype("category")],
    "q5": [_cancel("right"), _cancel("isin_values")],
    "q6": [_ages("median"), _ages("median_int"), _ages("mean")],
    "q7": [_sql(), _pandas_channel],
}

WRONG = [
    ("q1", lambda: int(_raw().duplicated(keep=False).sum()), "keep=False"),
    ("q1", lambda: len(_raw().drop_duplicates()), "left after removing"),
    ("q1", lambda: int(_raw().duplicated(subset=["invoice", "product_id"]).sum()), "subset"),
    ("q1", lambda: _raw().duplicated(), "one number"),
    ("q2", _dates(format="mixed"), "month-first"),
    ("q2", _dates(format="mixed", dayfirst=True), "dayfirst=True also flips ISO"),
    ("q2", _dates(format="ISO8601", errors="coerce"), "could not be read"),
    ("q2", lambda: _raw()["invoice_date"], "not a date-time"),
    ("q3", _price(lambda p, r: p / r), "divided by the rate"),
    ("q3", _price(lambda p, r: p), "not converted"),
    ("q3", lambda: _raw()["unit_price"], "still text"),
    ("q4", lambda: _raw()["category"].str.lower(), "still has"),
    ("q4", _categories(syn=False), "map the remaining synonyms"),
    ("q4", _categories(strip=False), "' garden'"),
    ("q5", _cancel("credit_only"), "orders they cancel are still in"),
    ("q5", _cancel("negative"), "return lines"),
    ("q5", lambda: _raw()["invoice"].str.startswith("C").astype(int), "dtype bool"),
    # q5 (trial T1): the right flags, re-ordered
    ("q5", lambda: _cancel("right")().sort_values(), "keep the index of `raw`"),
    ("q5", lambda: _cancel("right")().reset_index(drop=True).sample(frac=1, random_state=0), "keep the index of `raw`"),
    ("q5", lambda: _cancel("right")().sample(frac=1, random_state=0).reset_index(drop=True), "sit in other rows"),
    ("q6", _ages("mean_all"), "impossible ones like 999"),
    ("q6", _ages("no_range"), "impossible ages are still there"),
    ("q6", _ages("zero"), "impossible ages are still there"),
    ("q6", _ages("not_filled"), "still missing"),
    ("q7", _sql(count="COUNT(*)"), "COUNT(DISTINCT customer_id)"),
    ("q7", _sql(order="ASC"), "largest first"),
    ("q7", lambda: "SELECT channel FROM transactions", "text of your query"),
    # q7 (trial T1): the same table computed with pandas from the raw export
    (
        "q7",
        lambda: (
            _raw()
            .assign(line=_raw()["quantity"].astype(float) * _raw()["unit_price"].astype(float))
            .groupby("channel")
            .agg(n_customers=("customer_id", "nunique"), revenue_gbp=("line", "sum"))
            .sort_values("revenue_gbp", ascending=False)
            .reset_index()
        ),
        "*raw* export",
    ),
]
