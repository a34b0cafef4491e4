"""Column contracts of the course company's tables (Larkspur & Co).

One place says which columns each file has, in which order, and what type
each column must parse to. The generator writes files in this order and the
loaders check files against it.

Kinds:

- ``str``: text, never empty in a clean table;
- ``int`` / ``float``: numbers written with ``.`` as decimal separator;
- ``date`` (``YYYY-MM-DD``) / ``datetime`` (``YYYY-MM-DD HH:MM:SS``);
- ``flag``: ``0`` or ``1`` (loaded as ``int``), ``bool``: ``0``/``1`` loaded as ``bool``;
- ``cat``: one of a fixed list of values (loaded as a pandas ``category``).

>>> TABLES["customers"].key
'customer_id'
>>> TABLES["transactions"].columns[:3]
('invoice', 'invoice_date', 'customer_id')
"""

from __future__ import annotations

from dataclasses import dataclass, field

GENDERS = ("female", "male", "non-binary", "undisclosed")
REGIONS = (
    "London",
    "South East",
    "South West",
    "East of England",
    "East Midlands",
    "West Midlands",
    "Yorkshire and the Humber",
    "North West",
    "North East",
    "Scotland",
    "Wales",
    "Northern Ireland",
)
ACQUISITION_CHANNELS = ("organic search", "paid social", "email", "referral", "marketplace")
INCOME_BANDS = ("<25k", "25-50k", "50-100k", "100k+")
CATEGORIES = ("kitchen", "home decor", "garden", "bedding", "gifts")
ORDER_CHANNELS = ("web", "app", "marketplace")
DEVICES = ("desktop", "mobile", "tablet")
SESSION_CHANNELS = ("web", "app")
VARIANTS = ("control", "offer")
SEGMENTS = ("loyal premium", "bargain hunters", "occasional gift buyers", "new customers", "lapsed", "noise")


@dataclass(frozen=True)
class Table:
    """A file's contract: columns in order, their kinds, and the unique key."""

    name: str
    filename: str
    kinds: dict[str, str]
    key: str | None = None
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ordered: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.kinds)


_CUSTOMER_KINDS = {
    "customer_id": "str",
    "signup_date": "date",
    "age": "int",
    "gender": "cat",
    "region": "cat",
    "acquisition_channel": "cat",
    "income_band": "cat",
    "full_name": "str",
    "email": "str",
    "phone": "str",
    "street_address": "str",
    "postcode": "str",
    "date_of_birth": "date",
    "ip_address": "str",
}

_TRANSACTION_KINDS = {
    "invoice": "str",
    "invoice_date": "datetime",
    "customer_id": "str",
    "product_id": "str",
    "product_name": "str",
    "category": "cat",
    "quantity": "int",
    "unit_price": "float",
    "currency": "str",
    "channel": "cat",
}

TABLES: dict[str, Table] = {
    "customers": Table(
        "customers",
        "customers.csv",
        _CUSTOMER_KINDS,
        key="customer_id",
        categories={
            "gender": GENDERS,
            "region": REGIONS,
            "acquisition_channel": ACQUISITION_CHANNELS,
            "income_band": INCOME_BANDS,
        },
        ordered=("income_band",),
    ),
    "raw_customers": Table("raw_customers", "raw_customers.csv", {c: "raw" for c in _CUSTOMER_KINDS}),
    "transactions": Table(
        "transactions",
        "transactions.csv",
        _TRANSACTION_KINDS,
        categories={"category": CATEGORIES, "channel": ORDER_CHANNELS},
    ),
    "raw_transactions": Table("raw_transactions", "raw_transactions.csv", {c: "raw" for c in _TRANSACTION_KINDS}),
    "sessions": Table(
        "sessions",
        "sessions.csv",
        {
            "session_id": "str",
            "customer_id": "str",
            "start_time": "datetime",
            "device": "cat",
            "channel": "cat",
            "page_views": "int",
            "cart_adds": "int",
            "duration_s": "int",
            "purchased": "bool",
        },
        key="session_id",
        categories={"device": DEVICES, "channel": SESSION_CHANNELS},
    ),
    "campaign": Table(
        "campaign",
        "campaign.csv",
        {
            "customer_id": "str",
            "campaign_id": "str",
            "variant": "cat",
            "sent_date": "date",
            "opened": "flag",
            "clicked": "flag",
            "converted": "flag",
            "revenue_gbp": "float",
        },
        key="customer_id",
        categories={"variant": VARIANTS},
    ),
    "reviews": Table(
        "reviews",
        "reviews.csv",
        {
            "review_id": "str",
            "customer_id": "str",
            "review_date": "date",
            "rating": "int",
            "text": "str",
        },
        key="review_id",
    ),
    "ground_truth": Table(
        "ground_truth",
        "evaluation_only/segments.csv",
        {"customer_id": "str", "segment": "cat"},
        key="customer_id",
        categories={"segment": SEGMENTS},
    ),
}

#: Tables written to the SQLite database, in this order (never the ground truth).
DB_TABLES = ("customers", "transactions", "raw_customers", "raw_transactions", "sessions", "campaign", "reviews")
