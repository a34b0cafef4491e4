"""Customer features: the course-wide RFM table, a joined customer view, and the shared matrix.

Module 2 builds these by hand; later modules call these functions so that
every lesson clusters the *same* features. From module 3 on, the course's
customer table is :func:`course_features`, its clustering columns
:data:`FEATURES`, the skewed ones :data:`SKEWED` (log-transformed by
:func:`log_features`), the prepared matrix :func:`course_matrix`, and the
segmentation modules 4 and 7 build on :func:`segment_labels`.
The course-wide RFM definition:

- purchases are the lines with ``quantity > 0`` (returns have a negative quantity);
- ``recency_days`` = (snapshot date - calendar date of the last purchase) in days;
- ``frequency`` = number of distinct purchase invoices;
- ``monetary_gbp`` = sum of ``quantity * unit_price`` over *all* lines, returns
  included, so it is spend net of returns.

Only lines dated on or before the snapshot date count, and only customers with
at least one purchase by then get a row (a customer who only returned
something has no recency).

>>> import pandas as pd
>>> tx = pd.DataFrame({
...     "invoice": ["INV1", "INV1", "INV2", "R1", "INV3"],
...     "invoice_date": pd.to_datetime(["2025-12-01 10:00", "2025-12-01 10:00",
...                                     "2025-12-21 18:30", "2025-12-24 09:00",
...                                     "2025-06-30 12:00"]),
...     "customer_id": ["C00001", "C00001", "C00001", "C00001", "C00002"],
...     "quantity": [2, 1, 1, -1, 3],
...     "unit_price": [10.0, 5.0, 40.0, 10.0, 2.5],
... })
>>> rfm_table(tx, snapshot_date="2025-12-31")  # doctest: +NORMALIZE_WHITESPACE
             recency_days  frequency  monetary_gbp
customer_id
C00001                 10          2          55.0
C00002                184          1           7.5
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TypeAlias

import numpy as np
import pandas as pd

from course_utils.fresh import fresh

__all__ = [
    "RFM_COLUMNS",
    "rfm_table",
    "customer_features",
    "require_columns",
    "FEATURES",
    "SKEWED",
    "course_features",
    "log_features",
    "course_matrix",
    "segment_labels",
]

#: Columns of :func:`rfm_table`, in order.
RFM_COLUMNS: tuple[str, ...] = ("recency_days", "frequency", "monetary_gbp")

DateLike: TypeAlias = str | _dt.date | pd.Timestamp | np.datetime64


def require_columns(df: object, columns: Iterable[str], table: str) -> None:
    """Raise a clear error unless ``df`` is a DataFrame with all ``columns``.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], "transactions")
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "quantity"], "transactions")
    Traceback (most recent call last):
    ...
    KeyError: "transactions is missing the column(s) 'quantity' (it has: 'a'). Load it with course_utils.data.load_transactions(), or rename your columns to match."
    """  # noqa: E501 - a doctest output line (the exact message) cannot wrap
    loaders = {
        "transactions": "course_utils.data.load_transactions()",
        "sessions": "course_utils.data.load_sessions()",
        "customers": "course_utils.data.load_customers()",
        "campaign": "course_utils.data.load_campaign()",
    }
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{table} should be a pandas DataFrame, but it is a {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(repr(c) for c in df.columns[:12]) + (", ..." if len(df.columns) > 12 else "")
        how = loaders.get(table, "the course_utils.data loader")
        raise KeyError(
            f"{table} is missing the column(s) {', '.join(map(repr, missing))} (it has: {have}). "
            f"Load it with {how}, or rename your columns to match."
        )


def _snapshot(snapshot_date: DateLike | None) -> pd.Timestamp:
    if snapshot_date is None:
        from course_utils.data import SNAPSHOT_DATE  # one source of truth for the course

        snapshot_date = SNAPSHOT_DATE
    try:
        stamp = pd.Timestamp(snapshot_date)
    except (TypeError, ValueError) as err:
        raise ValueError(f"snapshot_date {snapshot_date!r} is not a date; use e.g. '2025-12-31'.") from err
    return stamp.normalize()


def _require_numeric(df: pd.DataFrame, column: str, table: str) -> None:
    if not pd.api.types.is_numeric_dtype(df[column]):
        raise TypeError(
            f"{table}[{column!r}] holds {df[column].dtype} values, not numbers: this looks like the raw "
            f"table. Clean it first (module 2) or use the clean loader, which gives numbers."
        )


def _require_datetime(df: pd.DataFrame, column: str, table: str) -> None:
    if not pd.api.types.is_datetime64_any_dtype(df[column]):
        raise TypeError(
            f"{table}[{column!r}] holds {df[column].dtype} values, not dates. Parse it first, e.g. "
            f"pd.to_datetime({table}[{column!r}]), checking the format, or use the clean loader."
        )


def rfm_table(transactions: pd.DataFrame, snapshot_date: DateLike | None = None) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer (course-wide definition).

    Parameters
    ----------
    transactions:
        Clean order lines with ``customer_id``, ``invoice``, ``invoice_date``
        (datetimes), ``quantity`` and ``unit_price`` (GBP), as from
        ``course_utils.data.load_transactions()``.
    snapshot_date:
        The "today" of the analysis; defaults to ``course_utils.data.SNAPSHOT_DATE``.
        Lines after this date are ignored.

    Returns
    -------
    DataFrame indexed by ``customer_id`` (sorted) with ``recency_days`` (int),
    ``frequency`` (int) and ``monetary_gbp`` (float).

    >>> tx = pd.DataFrame({"invoice": ["INV9"], "invoice_date": pd.to_datetime(["2025-12-31 23:59"]),
    ...                    "customer_id": ["C00009"], "quantity": [1], "unit_price": [4.0]})
    >>> rfm_table(tx, snapshot_date="2025-12-31").loc["C00009"].tolist()
    [0.0, 1.0, 4.0]
    """
    require_columns(transactions, ["customer_id", "invoice", "invoice_date", "quantity", "unit_price"], "transactions")
    _require_numeric(transactions, "quantity", "transactions")
    _require_numeric(transactions, "unit_price", "transactions")
    _require_datetime(transactions, "invoice_date", "transactions")
    n_missing = int(transactions["customer_id"].isna().sum())
    if n_missing:
        raise ValueError(
            f"{n_missing} transaction line(s) have no customer_id, so they cannot be given to a customer. "
            "Drop them first: transactions.dropna(subset=['customer_id'])."
        )
    snap = _snapshot(snapshot_date)
    day = transactions["invoice_date"].dt.normalize()
    lines = transactions.loc[day <= snap, ["customer_id", "invoice", "quantity", "unit_price"]].assign(day=day)
    purchases = lines[lines["quantity"] > 0]
    grouped = purchases.groupby("customer_id", sort=True)
    rfm = pd.DataFrame(
        {
            "recency_days": (snap - grouped["day"].max()).dt.days.astype("int64"),
            "frequency": grouped["invoice"].nunique().astype("int64"),
        }
    )
    value = (lines["quantity"] * lines["unit_price"]).groupby(lines["customer_id"]).sum()
    rfm["monetary_gbp"] = value.reindex(rfm.index).astype("float64")
    rfm.index = pd.Index(rfm.index.astype(str), name="customer_id")
    return rfm


def _session_features(sessions: pd.DataFrame) -> pd.DataFrame:
    require_columns(sessions, ["customer_id", "channel", "page_views", "cart_adds"], "sessions")
    _require_numeric(sessions, "page_views", "sessions")
    _require_numeric(sessions, "cart_adds", "sessions")
    s = sessions.dropna(subset=["customer_id"])
    grouped = s.assign(is_app=(s["channel"].astype(str) == "app").astype(float)).groupby("customer_id")
    return pd.DataFrame(
        {
            "n_sessions": grouped.size().astype("int64"),
            "app_share": grouped["is_app"].mean(),
            "mean_page_views": grouped["page_views"].mean().astype(float),
            "cart_adds_per_session": grouped["cart_adds"].mean().astype(float),
        }
    )


def customer_features(
    transactions: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    campaign: pd.DataFrame | None = None,
    snapshot_date: DateLike | None = None,
) -> pd.DataFrame:
    """One row per purchasing customer: RFM, basket habits, and optional joined sources.

    Columns, in this order (the optional sources add theirs only when given):

    - from transactions: ``recency_days``, ``frequency``, ``monetary_gbp`` (see
      :func:`rfm_table`), ``avg_item_price_gbp`` (mean unit price of purchased
      lines) and ``return_rate`` (units returned / units bought);
    - from ``sessions``: ``n_sessions``, ``app_share`` (share of sessions in the
      app), ``mean_page_views``, ``cart_adds_per_session``; a customer with no
      session gets 0 for all four;
    - from ``customers``: ``tenure_days`` (snapshot - signup_date). Sensitive
      attributes (age, gender, region, income) are deliberately *not* added:
      join them yourself for a fairness audit, not as clustering inputs;
    - from ``campaign``: ``campaign_opened``, ``campaign_clicked`` (0/1; 0 when
      the customer was not mailed).

    The rows are exactly those of :func:`rfm_table` (customers with a purchase).

    >>> tx = pd.DataFrame({
    ...     "invoice": ["INV1", "INV2", "R1", "INV3"],
    ...     "invoice_date": pd.to_datetime(["2025-11-01", "2025-12-01", "2025-12-05", "2025-10-01"]),
    ...     "customer_id": ["C1", "C1", "C1", "C2"],
    ...     "quantity": [2, 2, -1, 1],
    ...     "unit_price": [10.0, 30.0, 30.0, 8.0],
    ... })
    >>> ses = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "channel": ["app", "web", "web"],
    ...                     "page_views": [4, 6, 3], "cart_adds": [1, 0, 2]})
    >>> customer_features(tx, ses, snapshot_date="2025-12-31").round(2).T
    customer_id               C1    C2
    recency_days           30.00  91.0
    frequency               2.00   1.0
    monetary_gbp           50.00   8.0
    avg_item_price_gbp     20.00   8.0
    return_rate             0.25   0.0
    n_sessions              2.00   1.0
    app_share               0.50   0.0
    mean_page_views         5.00   3.0
    cart_adds_per_session   0.50   2.0
    """
    snap = _snapshot(snapshot_date)
    features = rfm_table(transactions, snapshot_date=snap)
    lines = transactions.loc[transactions["invoice_date"].dt.normalize() <= snap]
    bought = lines[lines["quantity"] > 0]
    returned = lines[lines["quantity"] < 0]
    features["avg_item_price_gbp"] = bought.groupby("customer_id")["unit_price"].mean().reindex(features.index)
    units_bought = bought.groupby("customer_id")["quantity"].sum().reindex(features.index)
    units_back = (-returned.groupby("customer_id")["quantity"].sum()).reindex(features.index).fillna(0)
    features["return_rate"] = (units_back / units_bought).astype(float)

    if sessions is not None:
        sess = _session_features(sessions).reindex(features.index)
        features = features.join(sess.fillna(0).astype({"n_sessions": "int64"}))

    if customers is not None:
        require_columns(customers, ["customer_id", "signup_date"], "customers")
        _require_datetime(customers, "signup_date", "customers")
        if customers["customer_id"].duplicated().any():
            raise ValueError(
                "customers has duplicate customer_id values; deduplicate it first (module 2) so that "
                "each customer joins once."
            )
        signup = customers.set_index(customers["customer_id"].astype(str))["signup_date"]
        features["tenure_days"] = (snap - signup.reindex(features.index).dt.normalize()).dt.days.astype(float)

    if campaign is not None:
        require_columns(campaign, ["customer_id", "opened", "clicked"], "campaign")
        camp = campaign.groupby(campaign["customer_id"].astype(str))[["opened", "clicked"]].max()
        camp = camp.reindex(features.index).fillna(0).astype("int64")
        features["campaign_opened"] = camp["opened"]
        features["campaign_clicked"] = camp["clicked"]
    return features


# -- the course's shared customer table and matrix (modules 3, 4 and 7) -----------------------------

#: The clustering columns of :func:`course_features`, in order.
FEATURES = [
    "recency_days",
    "frequency",
    "monetary_gbp",
    "avg_item_price_gbp",
    "app_share",
    "mean_page_views",
    "cart_adds_per_session",
    "return_rate",
    "tenure_days",
]
#: The right-skewed columns of :data:`FEATURES` (counts, money, days): :func:`log_features` takes their log1p.
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]


@fresh
def course_features() -> pd.DataFrame:
    """The course's customer table: ``customer_features`` of transactions, sessions and customers.

    Every call gives a fresh copy (change it freely); the checks read ``course_features.reference()``.
    """
    from course_utils.data import load_customers, load_sessions, load_transactions

    return customer_features(load_transactions(), load_sessions(), load_customers())


def log_features(table: pd.DataFrame) -> pd.DataFrame:
    """``table[FEATURES]`` as floats, with ``log1p`` applied to the :data:`SKEWED` columns.

    >>> log_features(pd.DataFrame({f: [0.0] for f in FEATURES}))["frequency"].tolist()
    [0.0]
    >>> round(float(log_features(pd.DataFrame({f: [np.e - 1] for f in FEATURES}))["monetary_gbp"].iloc[0]), 6)
    1.0
    """
    X = table[FEATURES].astype(float).copy()
    X[SKEWED] = np.log1p(X[SKEWED].clip(lower=0))
    return X


def course_matrix() -> np.ndarray:
    """The correctly prepared matrix: log1p of the skewed features, then standardised."""
    from sklearn.preprocessing import StandardScaler

    return np.asarray(StandardScaler().fit_transform(log_features(course_features.reference())))


@fresh
def segment_labels() -> np.ndarray:
    """The course's segmentation: k-means, k=5, on :func:`course_matrix` (seed 0); a fresh copy per call."""
    from sklearn.cluster import KMeans

    return np.asarray(KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(course_matrix()))
