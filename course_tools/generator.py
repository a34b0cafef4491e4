"""``python -m course_tools data``: build Larkspur & Co's datasets from a seed.

Everything is drawn from one ``numpy.random.Generator`` and one seeded Faker,
in a fixed order, and written with fixed formatting, so the same seed and
scale give byte-identical files. INSTRUCTORS.md in ``datasets/`` explains
what is planted; this module is the reference for it (spoilers below).

>>> tables = build(seed=1, scale=0.02)
>>> sorted(tables)[:3]
['campaign', 'customers', 'ground_truth']
>>> len(tables["customers"])
100
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from course_tools import generator_text as _text
from course_utils.data.constants import FX_TO_GBP, SNAPSHOT_DATE, START_DATE
from course_utils.data.database import write_db
from course_utils.data.schema import (
    ACQUISITION_CHANNELS,
    CATEGORIES,
    GENDERS,
    INCOME_BANDS,
    REGIONS,
    SEGMENTS,
    TABLES,
)

DEFAULT_SEED = 42
DEFAULT_SCALE = 1.0
BASE_CUSTOMERS = 5000

# ---------------------------------------------------------------- segments
# index in SEGMENTS: 0 loyal premium, 1 bargain hunters, 2 occasional gift buyers,
# 3 new customers, 4 lapsed, 5 noise
SEGMENT_SHARES = np.array([0.18, 0.25, 0.20, 0.15, 0.195, 0.025])
LP, BH, GB, NC, LA, NO = range(6)

_DAY = 86400
_START = np.datetime64(START_DATE, "s")
_SNAP_END = (np.datetime64(SNAPSHOT_DATE, "D") + 1 - np.datetime64(START_DATE, "D")).astype(int) * _DAY - 1
_TOTAL_DAYS = _SNAP_END // _DAY + 1  # days from 2022-01-01 to the snapshot, inclusive

# sign-up window (days since START) per segment
_SIGNUP = {LP: (0, 730), BH: (0, 1280), GB: (0, 1230), NC: (1340, 1440), LA: (0, 640), NO: (0, 1400)}
# orders per customer: fixed + Poisson(mean)
_ORDERS = {LP: (6, 10.0), BH: (5, 6.5), GB: (1, 2.0), NC: (1, 0.7), LA: (2, 4.0)}
_LINES = {LP: 1.0, BH: 1.6, GB: 0.6, NC: 0.8, LA: 1.2}  # lines per order: 1 + Poisson
_BROWSE = {LP: 3.0, BH: 5.0, GB: 2.0, NC: 4.0, LA: 2.0}  # extra sessions without purchase
_RETURN = {LP: 0.02, BH: 0.05, GB: 0.04, NC: 0.05, LA: 0.13, NO: 0.08}
# order channel web/app/marketplace
_CHANNEL = {
    LP: (0.75, 0.20, 0.05),
    BH: (0.25, 0.35, 0.40),
    GB: (0.70, 0.10, 0.20),
    NC: (0.45, 0.45, 0.10),
    LA: (0.60, 0.15, 0.25),
    NO: (0.40, 0.30, 0.30),
}
# price tier budget/mid/premium
_TIER = {
    LP: (0.10, 0.40, 0.50),
    BH: (0.75, 0.23, 0.02),
    GB: (0.15, 0.55, 0.30),
    NC: (0.35, 0.45, 0.20),
    LA: (0.30, 0.50, 0.20),
    NO: (1 / 3, 1 / 3, 1 / 3),
}
# category kitchen/home decor/garden/bedding/gifts
_CAT = {
    LP: (0.30, 0.25, 0.15, 0.25, 0.05),
    BH: (0.35, 0.20, 0.20, 0.15, 0.10),
    GB: (0.08, 0.17, 0.05, 0.05, 0.65),
    NC: (0.25, 0.25, 0.20, 0.20, 0.10),
    LA: (0.25, 0.20, 0.30, 0.15, 0.10),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
_MOBILE_FIRST = {LP: 0.20, BH: 0.75, GB: 0.35, NC: 0.60, LA: 0.40, NO: 0.5}
_AGE = {LP: (55, 9), BH: (29, 7), GB: (43, 12), NC: (34, 10), LA: (45, 14)}
_INCOME = {
    LP: (0.03, 0.17, 0.45, 0.35),
    BH: (0.45, 0.40, 0.13, 0.02),
    GB: (0.15, 0.40, 0.35, 0.10),
    NC: (0.25, 0.40, 0.27, 0.08),
    LA: (0.25, 0.40, 0.28, 0.07),
    NO: (0.25, 0.25, 0.25, 0.25),
}
_GENDER = {GB: (0.70, 0.25, 0.02, 0.03)}  # others: default below
_GENDER_DEFAULT = (0.48, 0.47, 0.02, 0.03)
_ACQ = {
    LP: (0.35, 0.05, 0.30, 0.25, 0.05),
    BH: (0.15, 0.40, 0.10, 0.10, 0.25),
    GB: (0.40, 0.15, 0.15, 0.20, 0.10),
    NC: (0.20, 0.50, 0.05, 0.15, 0.10),
    LA: (0.30, 0.20, 0.20, 0.15, 0.15),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
_REGION_P = np.array([0.16, 0.14, 0.09, 0.09, 0.07, 0.09, 0.08, 0.11, 0.04, 0.07, 0.04, 0.02])
_REVIEW_P = {LP: 0.55, BH: 0.40, GB: 0.35, NC: 0.30, LA: 0.50, NO: 0.30}
_RATING_P = {
    LP: (0.02, 0.03, 0.08, 0.30, 0.57),
    BH: (0.05, 0.08, 0.20, 0.35, 0.32),
    GB: (0.03, 0.05, 0.15, 0.37, 0.40),
    NC: (0.08, 0.10, 0.20, 0.30, 0.32),
    LA: (0.35, 0.25, 0.20, 0.12, 0.08),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
_POSITIVE_SENTENCE_P = {1: 0.08, 2: 0.22, 3: 0.5, 4: 0.82, 5: 0.93}
# campaign SPRING25: P(convert) control, offer
_CAMPAIGN_SENT = "2025-03-25"
_CONVERT = {LP: (0.10, 0.105), BH: (0.03, 0.16), GB: (0.04, 0.07), NC: (0.05, 0.10), LA: (0.01, 0.04), NO: (0.05, 0.05)}
_OPEN = {LP: 0.55, BH: 0.45, GB: 0.30, NC: 0.40, LA: 0.12, NO: 0.3}

# ---------------------------------------------------------------- products
_NOUNS = {
    "kitchen": [
        ("Pie Dish", 9),
        ("Chef's Knife", 18),
        ("Mixing Bowl", 8),
        ("Teapot", 14),
        ("Chopping Board", 10),
        ("Saucepan", 22),
        ("Mug Set", 12),
        ("Utensil Pot", 7),
        ("Tea Towel Set", 6),
        ("Cafetiere", 16),
        ("Casserole Dish", 28),
        ("Spice Rack", 15),
    ],
    "home decor": [
        ("Cushion", 12),
        ("Table Lamp", 30),
        ("Vase", 14),
        ("Wall Mirror", 40),
        ("Candle", 6),
        ("Photo Frame", 8),
        ("Throw", 24),
        ("Wall Clock", 20),
        ("Rug", 45),
        ("Plant Pot", 9),
        ("Storage Basket", 13),
        ("Doormat", 11),
    ],
    "garden": [
        ("Trowel", 7),
        ("Watering Can", 12),
        ("Planter", 18),
        ("Bird Feeder", 10),
        ("Garden Kneeler", 9),
        ("Pruning Shears", 14),
        ("Solar Lantern", 11),
        ("Seed Tray Set", 6),
        ("Hose Reel", 30),
        ("Bistro Chair", 45),
        ("Herb Kit", 8),
        ("Garden Gloves", 5),
    ],
    "bedding": [
        ("Duvet Cover", 30),
        ("Pillowcase Pair", 12),
        ("Fitted Sheet", 16),
        ("Duvet", 40),
        ("Pillow", 14),
        ("Bedspread", 35),
        ("Blanket", 25),
        ("Mattress Topper", 50),
        ("Hot Water Bottle", 9),
        ("Bed Runner", 15),
        ("Cot Bed Set", 22),
        ("Sleep Mask", 5),
    ],
    "gifts": [
        ("Gift Box", 15),
        ("Scented Candle Set", 18),
        ("Hamper", 40),
        ("Tea Gift Set", 16),
        ("Keepsake Box", 12),
        ("Gift Card Holder", 4),
        ("Bath Set", 20),
        ("Notebook Set", 9),
        ("Chocolate Tin", 8),
        ("Photo Album", 17),
        ("Wine Stopper Set", 11),
        ("Advent Calendar", 25),
    ],
}
_ADJ = {
    0: ["Basic", "Value", "Everyday", "Simple"],
    1: ["Enamel", "Linen", "Stoneware", "Bamboo", "Cotton", "Rattan"],
    2: ["Handmade", "Copper", "Oak", "Artisan", "Heritage", "Cashmere"],
}
_TIER_MULT = (0.6, 1.0, 2.6)


def _catalogue(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    pid = 1
    for cat in CATEGORIES:
        for noun, base in _NOUNS[cat]:
            for tier in (0, 1, 2):
                adjs = rng.choice(_ADJ[tier], size=2 if tier == 1 else 1, replace=False)
                for adj in adjs:
                    price = max(1.0, np.round(base * _TIER_MULT[tier] * rng.uniform(0.85, 1.2))) - 0.01
                    rows.append((f"P{pid:04d}", f"{adj} {noun}", cat, tier, round(float(price), 2)))
                    pid += 1
    return pd.DataFrame(rows, columns=["product_id", "product_name", "category", "tier", "price"])


# ---------------------------------------------------------------- PII helpers
_POSTCODE_AREAS = {
    "London": ["E", "N", "NW", "SE", "SW", "W", "EC", "WC"],
    "South East": ["BN", "GU", "ME", "OX", "RG", "TN", "CT", "SO"],
    "South West": ["BS", "EX", "PL", "BA", "TQ", "GL", "TR"],
    "East of England": ["CB", "NR", "IP", "CO", "CM", "LU"],
    "East Midlands": ["NG", "LE", "DE", "NN", "LN"],
    "West Midlands": ["B", "CV", "WV", "ST", "WR", "DY"],
    "Yorkshire and the Humber": ["LS", "S", "YO", "HU", "BD", "HG"],
    "North West": ["M", "L", "PR", "CH", "WA", "BL", "LA"],
    "North East": ["NE", "SR", "DH", "TS"],
    "Scotland": ["EH", "G", "AB", "DD", "KY", "IV"],
    "Wales": ["CF", "SA", "LL", "NP", "SY"],
    "Northern Ireland": ["BT"],
}
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Ofcom numbers reserved for drama and fiction: they can never reach a real person
_PHONE_BLOCKS = [
    "07700 900{:03d}",
    "020 7946 0{:03d}",
    "0113 496 0{:03d}",
    "0114 496 0{:03d}",
    "0115 496 0{:03d}",
    "0116 496 0{:03d}",
    "0117 496 0{:03d}",
    "0118 496 0{:03d}",
    "0121 496 0{:03d}",
    "0131 496 0{:03d}",
    "0141 496 0{:03d}",
    "0151 496 0{:03d}",
    "0161 496 0{:03d}",
    "0191 498 0{:03d}",
    "028 9649 6{:03d}",
    "029 2018 0{:03d}",
    "01632 960{:03d}",
]
# Reserved top-level domain (RFC 2606): no real mailbox exists there
_EMAIL_DOMAINS = ["inbox.example", "mailhub.example", "post.example", "webmail.example", "larkmail.example"]


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for v in values:
        n = seen.get(v, 0)
        seen[v] = n + 1
        out.append(v if n == 0 else f"{v.split('@')[0]}{n + 1}@{v.split('@')[1]}")
    return out


# ---------------------------------------------------------------- helpers
def _fmt_dt(secs: np.ndarray) -> np.ndarray:
    """Seconds since START -> 'YYYY-MM-DD HH:MM:SS' strings."""
    s = np.datetime_as_string(_START + secs.astype("timedelta64[s]"), unit="s")
    return np.char.replace(s, "T", " ")


def _fmt_day(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.datetime64(START_DATE, "D") + days.astype("timedelta64[D]"), unit="D")


def _fmt_money(x: np.ndarray) -> np.ndarray:
    return np.char.mod("%.2f", np.round(x.astype(float), 2))


def _choice_by_segment(rng, seg: np.ndarray, table: dict, values, default=None) -> np.ndarray:
    """Draw one of ``values`` per row with probabilities depending on its segment."""
    out = np.empty(len(seg), dtype=object)
    for s in range(len(SEGMENTS)):
        idx = np.flatnonzero(seg == s)
        if len(idx) == 0:
            continue
        p = np.asarray(table.get(s, default), dtype=float)
        out[idx] = np.asarray(values, dtype=object)[rng.choice(len(values), size=len(idx), p=p / p.sum())]
    return out


# ---------------------------------------------------------------- the build
# build() runs the stages below in a fixed order, and each stage draws from the one generator in a
# fixed order: that order is what makes a seed give the same bytes. Moving a draw changes the
# datasets (tests/tooling/test_datasets.py compares them with the committed files byte for byte).
def build(seed: int = DEFAULT_SEED, scale: float = DEFAULT_SCALE, progress: bool = False) -> dict[str, pd.DataFrame]:
    """Build every table in memory as string-valued data frames ready to write."""
    from faker import Faker
    from tqdm.auto import tqdm

    steps = tqdm(total=8, desc="Larkspur data", disable=not progress, unit="step")
    rng = np.random.default_rng(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    n = max(20, int(round(BASE_CUSTOMERS * scale)))
    products = _catalogue(rng)

    steps.set_postfix_str("customers")
    people = _draw_people(rng, n)
    seg, signup, cust_ids = people.seg, people.signup, people.cust_ids
    steps.update()

    steps.set_postfix_str("personal data")
    customers = _customers_table(rng, fake, people)
    steps.update()

    mobile_first, pref_hour, pref_minutes = _draw_habits(rng, seg)

    steps.set_postfix_str("orders")
    n_orders, end = _draw_order_counts(rng, seg, signup)
    orders = _draw_orders(rng, seg, signup, end, n_orders, mobile_first, pref_hour)
    o_cust, o_sec, o_chan, o_kind = orders.cust, orders.sec, orders.chan, orders.kind
    steps.update()

    steps.set_postfix_str("order lines")
    lines = _draw_lines(rng, products, orders)
    n_lines = lines.n_lines
    steps.update()

    all_lines = _with_returns(rng, products, orders, lines)
    clean = all_lines[all_lines["kind"] == 0]
    transactions = _tx_frame(clean, products, cust_ids)
    steps.update()

    # ---- raw transactions
    steps.set_postfix_str("raw transactions")
    raw_transactions = _raw_transactions(rng, all_lines, products, cust_ids)
    steps.update()

    # ---- sessions
    steps.set_postfix_str("sessions")
    sessions = _sessions(
        rng,
        n,
        seg,
        signup,
        end,
        pref_hour,
        pref_minutes,
        mobile_first,
        o_cust,
        o_sec,
        o_chan,
        o_kind,
        n_lines,
        cust_ids,
    )
    steps.update()

    # ---- campaign, reviews, ground truth
    steps.set_postfix_str("campaign and reviews")
    campaign = _campaign(rng, seg, signup, cust_ids, clean)
    reviews = _reviews(rng, seg, cust_ids, customers, clean, products)
    ground_truth = pd.DataFrame({"customer_id": cust_ids, "segment": np.asarray(SEGMENTS, dtype=object)[seg]})
    raw_customers = _raw_customers(rng, customers, seed)
    steps.update()
    steps.close()
    return {
        "customers": customers,
        "raw_customers": raw_customers,
        "transactions": transactions,
        "raw_transactions": raw_transactions,
        "sessions": sessions,
        "campaign": campaign,
        "reviews": reviews,
        "ground_truth": ground_truth,
    }


@dataclass(frozen=True)
class _People:
    """Who the customers are: one entry per customer, in customer-id (sign-up) order."""

    seg: np.ndarray  # index in SEGMENTS
    signup: np.ndarray  # day of sign-up, counted from START_DATE
    cust_ids: np.ndarray  # "C00001", ...
    age: np.ndarray
    gender: np.ndarray
    region: np.ndarray
    acq: np.ndarray  # acquisition channel
    income: np.ndarray  # income band


def _draw_people(rng: np.random.Generator, n: int) -> _People:
    """Customers: segment, sign-up, demographics."""
    counts = np.floor(SEGMENT_SHARES * n).astype(int)
    counts[1] += n - counts.sum()
    seg = rng.permutation(np.repeat(np.arange(6), counts))
    signup = np.empty(n, dtype=np.int64)
    for s, (lo, hi) in _SIGNUP.items():
        idx = np.flatnonzero(seg == s)
        signup[idx] = rng.integers(lo, hi, size=len(idx))
    order = np.argsort(signup, kind="stable")  # customer ids follow sign-up order
    seg, signup = seg[order], signup[order]
    cust_ids = np.array([f"C{i + 1:05d}" for i in range(n)], dtype=object)

    age = np.empty(n, dtype=np.int64)
    for s, (mu, sd) in _AGE.items():
        idx = np.flatnonzero(seg == s)
        age[idx] = np.clip(np.round(rng.normal(mu, sd, len(idx))), 18, 88)
    idx = np.flatnonzero(seg == NO)
    age[idx] = rng.integers(18, 89, len(idx))
    gender = _choice_by_segment(rng, seg, _GENDER, GENDERS, default=_GENDER_DEFAULT)
    region = np.asarray(REGIONS, dtype=object)[rng.choice(len(REGIONS), size=n, p=_REGION_P)]
    acq = _choice_by_segment(rng, seg, _ACQ, ACQUISITION_CHANNELS)
    income = _choice_by_segment(rng, seg, _INCOME, INCOME_BANDS)
    return _People(seg, signup, cust_ids, age, gender, region, acq, income)


def _customers_table(rng: np.random.Generator, fake: Any, people: _People) -> pd.DataFrame:
    """The customers table: demographics and the fake personal data (PII) drawn with ``fake``."""
    n, gender, region, age = len(people.seg), people.gender, people.region, people.age
    cust_ids, signup, acq, income = people.cust_ids, people.signup, people.acq, people.income
    first, last, street = [], [], []
    for g in gender:
        if g == "female":
            first.append(fake.first_name_female())
        elif g == "male":
            first.append(fake.first_name_male())
        else:
            first.append(fake.first_name())
        last.append(fake.last_name())
        street.append(fake.street_address().replace("\n", ", "))
    full_name = np.array([f"{a} {b}" for a, b in zip(first, last, strict=False)], dtype=object)
    sep = rng.choice([".", "_", ""], size=n, p=[0.6, 0.15, 0.25])
    num = rng.integers(1, 99, size=n)
    use_num = rng.random(n) < 0.5
    dom = rng.choice(_EMAIL_DOMAINS, size=n)
    emails = [
        f"{a.lower()}{s}{b.lower()}{k if u else ''}@{d}".replace("'", "").replace(" ", "")
        for a, b, s, k, u, d in zip(first, last, sep, num, use_num, dom, strict=False)
    ]
    email = np.array(_unique(emails), dtype=object)
    pool = rng.choice(len(_PHONE_BLOCKS) * 1000, size=n, replace=n > len(_PHONE_BLOCKS) * 1000)
    phone = np.array([_PHONE_BLOCKS[p // 1000].format(p % 1000) for p in pool], dtype=object)
    area = [
        _POSTCODE_AREAS[r][i % len(_POSTCODE_AREAS[r])] for r, i in zip(region, rng.integers(0, 100, n), strict=False)
    ]
    d1 = rng.integers(1, 30, n)
    d2 = rng.integers(1, 10, n)
    l1 = rng.integers(0, len(_LETTERS), (n, 2))
    postcode = np.array(
        [f"{a}{x} {y}{_LETTERS[p]}{_LETTERS[q]}" for a, x, y, (p, q) in zip(area, d1, d2, l1, strict=False)],
        dtype=object,
    )
    # date of birth: exactly `age` full years before the snapshot
    snap = pd.Timestamp(SNAPSHOT_DATE)
    into_year = rng.integers(0, 365, n)
    dob = np.array(
        [
            (snap - pd.DateOffset(years=int(a)) - pd.Timedelta(days=int(d))).strftime("%Y-%m-%d")
            for a, d in zip(age, into_year, strict=False)
        ],
        dtype=object,
    )
    ip = np.array(
        [
            f"{['192.0.2', '198.51.100', '203.0.113'][k]}.{h}"
            for k, h in zip(rng.integers(0, 3, n), rng.integers(1, 255, n), strict=False)
        ],
        dtype=object,
    )
    customers = pd.DataFrame(
        {
            "customer_id": cust_ids,
            "signup_date": _fmt_day(signup),
            "age": age.astype(str),
            "gender": gender,
            "region": region,
            "acquisition_channel": acq,
            "income_band": income,
            "full_name": full_name,
            "email": email,
            "phone": phone,
            "street_address": np.array(street, dtype=object),
            "postcode": postcode,
            "date_of_birth": dob,
            "ip_address": ip,
        }
    )
    return customers


def _draw_habits(rng: np.random.Generator, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Behaviour, the two crescents: mobile first or not, mean session hour, mean session minutes."""
    n = len(seg)
    mobile_first = rng.random(n) < np.array([_MOBILE_FIRST[s] for s in seg])
    t = rng.uniform(0, np.pi, n)
    mx = np.where(mobile_first, 1 - np.cos(t), np.cos(t)) + rng.normal(0, 0.06, n)
    my = np.where(mobile_first, 0.5 - np.sin(t), np.sin(t)) + rng.normal(0, 0.06, n)
    pref_hour = 13.5 + 3.0 * mx
    pref_minutes = 12.0 + 10.0 * my
    noise = seg == NO
    pref_hour[noise] = rng.uniform(0.5, 23.5, noise.sum())
    pref_minutes[noise] = np.exp(rng.uniform(np.log(1.5), np.log(90), noise.sum()))
    return mobile_first, pref_hour, pref_minutes


def _draw_order_counts(rng: np.random.Generator, seg: np.ndarray, signup: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orders per customer, and each customer's last active day."""
    n, noise = len(seg), seg == NO
    snap_day = int(_TOTAL_DAYS - 1)  # day index of the snapshot
    n_orders = np.zeros(n, dtype=np.int64)
    for s, (fixed, mean) in _ORDERS.items():
        idx = np.flatnonzero(seg == s)
        n_orders[idx] = fixed + rng.poisson(mean, len(idx))
    idx = np.flatnonzero(noise)
    n_orders[idx] = np.round(np.exp(rng.uniform(0, np.log(120), len(idx)))).astype(np.int64)

    end = np.empty(n, dtype=np.int64)  # last active day
    end[seg == LP] = snap_day - np.minimum(rng.exponential(10, (seg == LP).sum()).astype(int), 200)
    end[seg == BH] = snap_day - np.minimum(rng.exponential(35, (seg == BH).sum()).astype(int), 300)
    end[seg == NC] = snap_day - rng.integers(0, 15, (seg == NC).sum())
    end[seg == LA] = rng.integers(560, 1120, (seg == LA).sum())  # 2023-07 .. 2025-01
    end[seg == NO] = snap_day - rng.integers(0, 900, (seg == NO).sum())
    end[seg == GB] = snap_day
    end = np.maximum(end, signup + 30)
    end = np.minimum(end, snap_day)
    return n_orders, end


@dataclass(frozen=True)
class _Orders:
    """One entry per order, raw-only ones included, in invoice (time) order."""

    cust: np.ndarray  # customer index (row of the customers table)
    sec: np.ndarray  # seconds since START_DATE
    chan: np.ndarray  # 0 web, 1 app, 2 marketplace
    kind: np.ndarray  # 0 normal, 1 cancelled, 2 guest checkout, 3 wholesale, 4 test account
    inv: np.ndarray  # invoice number
    seg: np.ndarray  # the customer's segment


def _order_days(
    rng: np.random.Generator, seg: np.ndarray, signup: np.ndarray, end: np.ndarray, n_orders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Customer index and day of every real order (gift buyers and bargain hunters have seasons)."""
    n = len(seg)
    o_cust, o_day = [], []
    for i in range(n):
        k = int(n_orders[i])
        lo, hi = int(signup[i]), int(end[i])
        s = seg[i]
        if s == GB:
            days = _gift_days(rng, lo, k)
        else:
            days = rng.integers(lo, hi + 1, k)
            days[-1] = hi
            if s == BH:  # bargain hunters pile into the sales
                sale = rng.random(k) < 0.55
                sale[-1] = False
                if sale.any():
                    days[sale] = _sale_days(rng, lo, hi, int(sale.sum()))
        o_cust.append(np.full(k, i))
        o_day.append(days)
    o_cust = np.concatenate(o_cust)
    o_day = np.concatenate(o_day)
    return o_cust, o_day


def _draw_orders(
    rng: np.random.Generator,
    seg: np.ndarray,
    signup: np.ndarray,
    end: np.ndarray,
    n_orders: np.ndarray,
    mobile_first: np.ndarray,
    pref_hour: np.ndarray,
) -> _Orders:
    """Orders: when, on which channel, plus the raw-only guest, wholesale, test and cancelled ones."""
    n = len(seg)
    o_cust, o_day = _order_days(rng, seg, signup, end, n_orders)
    n_o = len(o_cust)
    o_seg = seg[o_cust]
    chan_p = np.array([_CHANNEL[s] for s in o_seg])
    # mobile-first customers use the app more, desktop-first ones less
    app_boost = np.where(mobile_first[o_cust], 1.6, 0.4)
    chan_p[:, 1] *= app_boost
    chan_p /= chan_p.sum(1, keepdims=True)
    u = rng.random(n_o)
    o_chan = (u[:, None] > np.cumsum(chan_p, 1)).sum(1)  # 0 web 1 app 2 marketplace
    hour = np.where(o_chan == 2, rng.uniform(7, 23, n_o), pref_hour[o_cust] + rng.normal(0, 0.5, n_o))
    hour = np.clip(hour, 0, 23.99)
    o_sec = o_day * _DAY + (hour * 3600).astype(np.int64)
    o_sec = np.minimum(o_sec, _SNAP_END - 3600)
    o_sec = np.maximum(o_sec, signup[o_cust] * _DAY)
    o_kind = np.zeros(n_o, dtype=np.int64)  # 0 normal, 1 cancelled (raw only)

    # extra raw-only orders: guest checkouts (no id), wholesale, test accounts
    n_guest = int(round(0.015 * n_o))
    n_whole = max(2, int(round(0.002 * n_o)))
    n_test = max(5, int(round(0.0008 * n_o)))
    g_cust = rng.integers(0, n, n_guest)  # behave like someone, but no id recorded
    w_cust = rng.choice(n, size=max(1, n_whole // 3), replace=False)[rng.integers(0, max(1, n_whole // 3), n_whole)]
    extra_cust = np.concatenate([g_cust, w_cust, np.zeros(n_test, dtype=np.int64)])
    extra_kind = np.concatenate([np.full(n_guest, 2), np.full(n_whole, 3), np.full(n_test, 4)])
    extra_sec = rng.integers(0, _SNAP_END - 3600, len(extra_cust))
    extra_chan = rng.integers(0, 3, len(extra_cust))
    cancelled = rng.random(n_o) < 0.025
    o_kind[cancelled] = 1

    o_cust = np.concatenate([o_cust, extra_cust])
    o_sec = np.concatenate([o_sec, extra_sec])
    o_chan = np.concatenate([o_chan, extra_chan])
    o_kind = np.concatenate([o_kind, extra_kind])
    # invoice numbers follow time
    ordr = np.lexsort((np.arange(len(o_sec)), o_sec))
    o_cust, o_sec, o_chan, o_kind = o_cust[ordr], o_sec[ordr], o_chan[ordr], o_kind[ordr]
    n_o = len(o_cust)
    o_inv = np.array([f"INV{i + 1:07d}" for i in range(n_o)], dtype=object)
    o_seg = seg[o_cust]
    return _Orders(o_cust, o_sec, o_chan, o_kind, o_inv, o_seg)


@dataclass(frozen=True)
class _Lines:
    """One entry per order line (one product in one order), before returns."""

    order: np.ndarray  # index in _Orders
    product: np.ndarray  # row of the product catalogue
    seg: np.ndarray
    kind: np.ndarray  # the order's kind
    sec: np.ndarray
    cust: np.ndarray
    qty: np.ndarray
    price: np.ndarray
    n_lines: np.ndarray  # lines drawn per order (before merging repeated products)


def _draw_lines(rng: np.random.Generator, products: pd.DataFrame, orders: _Orders) -> _Lines:
    """Order lines: how many, which products (by segment taste), quantity and price paid."""
    o_seg, o_kind, o_sec, o_cust, n_o = orders.seg, orders.kind, orders.sec, orders.cust, len(orders.seg)
    lam = np.array([_LINES.get(s, 1.5) for s in o_seg])
    lam[o_seg == NO] = rng.uniform(0, 4, (o_seg == NO).sum())
    n_lines = 1 + rng.poisson(lam)
    l_ord = np.repeat(np.arange(n_o), n_lines)
    l_seg = o_seg[l_ord]
    # product choice: segment's tier and category preferences
    tier_p = np.array([_TIER[s] for s in range(6)])
    cat_p = np.array([_CAT[s] for s in range(6)])
    cat_idx = products["category"].map({c: i for i, c in enumerate(CATEGORIES)}).to_numpy()
    tier_idx = products["tier"].to_numpy()
    prod_p = tier_p[:, tier_idx] * cat_p[:, cat_idx]
    prod_p /= prod_p.sum(1, keepdims=True)
    l_prod = np.empty(len(l_ord), dtype=np.int64)
    for s in range(6):
        idx = np.flatnonzero(l_seg == s)
        l_prod[idx] = rng.choice(len(products), size=len(idx), p=prod_p[s])
    # one line per product within an invoice
    keep = ~pd.DataFrame({"o": l_ord, "p": l_prod}).duplicated().to_numpy()
    l_ord, l_prod, l_seg = l_ord[keep], l_prod[keep], l_seg[keep]
    n_l = len(l_ord)
    qty = np.ones(n_l, dtype=np.int64)
    bh = l_seg == BH
    qty[bh] = np.minimum(rng.geometric(0.45, bh.sum()), 8)
    other = ~bh
    qty[other] = np.minimum(rng.geometric(0.8, other.sum()), 4)
    nq = l_seg == NO
    qty[nq] = np.minimum(rng.geometric(0.3, nq.sum()), 12)
    price = products["price"].to_numpy()[l_prod]
    # bargain hunters buy on discount; everyone sometimes does
    disc_p = np.where(bh, 0.55, 0.08)
    disc = rng.random(n_l) < disc_p
    price = np.where(disc, np.round(price * rng.choice([0.6, 0.7, 0.75, 0.8], n_l), 2), price)
    l_kind = o_kind[l_ord]
    qty[l_kind == 3] = rng.integers(200, 2400, (l_kind == 3).sum())
    price[l_kind == 4] = 0.01
    l_sec = o_sec[l_ord]
    l_cust = o_cust[l_ord]
    return _Lines(l_ord, l_prod, l_seg, l_kind, l_sec, l_cust, qty, price, n_lines)


def _with_returns(rng: np.random.Generator, products: pd.DataFrame, orders: _Orders, drawn: _Lines) -> pd.DataFrame:
    """Every line, returns added as negative quantities on return invoices, in time order."""
    o_inv, o_chan = orders.inv, orders.chan
    l_ord, l_prod, l_seg, l_kind = drawn.order, drawn.product, drawn.seg, drawn.kind
    l_sec, l_cust, qty, price, n_l = drawn.sec, drawn.cust, drawn.qty, drawn.price, len(drawn.order)
    rp = np.array([_RETURN[s] for s in l_seg])
    ret = (rng.random(n_l) < rp) & (l_kind == 0)
    r_sec = l_sec[ret] + rng.integers(3 * _DAY, 25 * _DAY, ret.sum())
    in_time = r_sec <= _SNAP_END
    r_src = np.flatnonzero(ret)[in_time]
    r_sec = r_sec[in_time]
    # a return invoice per (order, return day)
    r_key = pd.DataFrame({"o": l_ord[r_src], "d": r_sec // _DAY})
    r_first = r_key.groupby(["o", "d"], sort=False).ngroup().to_numpy()
    r_group_sec = pd.Series(r_sec).groupby(r_first).transform("min").to_numpy()
    grp_order = np.lexsort(
        (
            np.arange(r_first.max() + 1 if len(r_first) else 0),
            pd.Series(r_group_sec).groupby(r_first).first().to_numpy(),
        )
    )
    grp_rank = np.empty_like(grp_order)
    grp_rank[grp_order] = np.arange(len(grp_order))
    r_inv = np.array([f"R{k + 1:07d}" for k in grp_rank[r_first]], dtype=object)

    chan_names = np.array(["web", "app", "marketplace"], dtype=object)
    lines = pd.DataFrame(
        {
            "invoice": o_inv[l_ord],
            "sec": l_sec,
            "cust": l_cust,
            "kind": l_kind,
            "product": l_prod,
            "quantity": qty,
            "unit_price": price,
            "channel": chan_names[o_chan[l_ord]],
        }
    )
    returns = pd.DataFrame(
        {
            "invoice": r_inv,
            "sec": r_group_sec,
            "cust": l_cust[r_src],
            "kind": 0,
            "product": l_prod[r_src],
            "quantity": -qty[r_src],
            "unit_price": price[r_src],
            "channel": chan_names[o_chan[l_ord[r_src]]],
        }
    )
    all_lines = pd.concat([lines, returns], ignore_index=True)
    all_lines["pid"] = products["product_id"].to_numpy()[all_lines["product"].to_numpy()]
    all_lines = all_lines.sort_values(["sec", "invoice", "pid"], kind="stable").reset_index(drop=True)
    return all_lines


def _gift_days(rng: np.random.Generator, lo: int, k: int) -> np.ndarray:
    """Gift buyers shop before Christmas and, less, before Valentine's/Mother's Day."""
    first_year = 2022 + lo // 365
    out = []
    for j in range(k):
        last = j == k - 1
        if last:
            year = 2025
            season = "xmas" if rng.random() < 0.7 else "spring"
        else:
            year = int(rng.integers(first_year, 2026))
            season = rng.choice(["xmas", "spring", "any"], p=[0.7, 0.2, 0.1])
        base = (np.datetime64(f"{year}-01-01") - np.datetime64(START_DATE, "D")).astype(int)
        if season == "xmas":
            d = base + int(rng.integers(318, 354))  # mid Nov .. 20 Dec
        elif season == "spring":
            d = base + int(rng.integers(31, 85))  # Feb .. late Mar
        else:
            d = base + int(rng.integers(0, 365))
        out.append(d)
    days = np.array(out, dtype=np.int64)
    days = np.clip(np.maximum(days, lo), 0, _TOTAL_DAYS - 1)
    return days


_SALES = [(0, 20), (180, 205), (325, 335)]  # January sale, summer sale, Black Friday week (day of year)


def _sale_days(rng: np.random.Generator, lo: int, hi: int, k: int) -> np.ndarray:
    cand = []
    for year in range(4):
        for a, b in _SALES:
            d0, d1 = year * 365 + a, year * 365 + b
            if d1 >= lo and d0 <= hi:
                cand.append((max(d0, lo), min(d1, hi)))
    if not cand:
        return rng.integers(lo, hi + 1, k)
    pick = rng.integers(0, len(cand), k)
    return np.array([rng.integers(cand[p][0], cand[p][1] + 1) for p in pick], dtype=np.int64)


def _tx_frame(lines: pd.DataFrame, products: pd.DataFrame, cust_ids: np.ndarray) -> pd.DataFrame:
    p = lines["product"].to_numpy()
    return pd.DataFrame(
        {
            "invoice": lines["invoice"].to_numpy(),
            "invoice_date": _fmt_dt(lines["sec"].to_numpy()),
            "customer_id": cust_ids[lines["cust"].to_numpy()],
            "product_id": products["product_id"].to_numpy()[p],
            "product_name": products["product_name"].to_numpy()[p],
            "category": products["category"].to_numpy()[p],
            "quantity": lines["quantity"].to_numpy().astype(str),
            "unit_price": _fmt_money(lines["unit_price"].to_numpy()),
            "currency": "GBP",
            "channel": lines["channel"].to_numpy(),
        }
    )


CATEGORY_VARIANTS = {
    "kitchen": ["Kitchen", "kitchen ", "KITCHEN", "kitchenware", "Kitchenware"],
    "home decor": ["Home Decor", "home-decor", "homedecor", "HOME DECOR", "home décor"],
    "garden": ["Garden", "gardening", "GARDEN ", " garden", "Garden & Outdoor"],
    "bedding": ["Bedding", "bed linen", "BEDDING", "Bed Linen", "bedding "],
    "gifts": ["Gifts", "gift", "GIFTS", "Gift Ideas", "gifts "],
}
DATE_FORMATS = (  # share of raw rows, strftime pattern
    (0.76, "%Y-%m-%d %H:%M:%S"),
    (0.10, "%d/%m/%Y %H:%M"),
    (0.08, "%b %d %Y %H:%M"),
    (0.06, "%Y-%m-%dT%H:%M:%S"),
)


def _format_dates(rng: np.random.Generator, secs: np.ndarray) -> np.ndarray:
    ts = pd.to_datetime(secs, unit="s", origin=pd.Timestamp(START_DATE))
    which = rng.choice(len(DATE_FORMATS), size=len(secs), p=[p for p, _ in DATE_FORMATS])
    out = np.empty(len(secs), dtype=object)
    for k, (_, fmt) in enumerate(DATE_FORMATS):
        idx = np.flatnonzero(which == k)
        out[idx] = ts[idx].strftime(fmt).to_numpy()
    return out


def _raw_transactions(rng, all_lines: pd.DataFrame, products: pd.DataFrame, cust_ids: np.ndarray) -> pd.DataFrame:
    lines = all_lines.copy()
    # cancellations: the cancelled orders' lines stay, plus a "C" invoice with negative quantities
    canc = lines[lines["kind"] == 1].copy()
    canc["invoice"] = "C" + canc["invoice"]
    canc["quantity"] = -canc["quantity"]
    canc["sec"] = canc["sec"] + rng.integers(600, 6 * 3600, len(canc))
    lines = pd.concat([lines, canc], ignore_index=True)
    lines = lines.sort_values(["sec", "invoice", "pid"], kind="stable").reset_index(drop=True)
    m = len(lines)
    p = lines["product"].to_numpy()
    kind = lines["kind"].to_numpy()
    cust = np.where(kind == 2, "", cust_ids[lines["cust"].to_numpy()]).astype(object)
    test_ids = np.array([f"TEST{k:03d}" for k in range(1, 6)], dtype=object)
    is_test = kind == 4
    cust[is_test] = test_ids[rng.integers(0, 5, is_test.sum())]
    # currency per invoice
    inv = lines["invoice"].to_numpy()
    inv_codes, inv_index = np.unique(inv, return_inverse=True)
    chan = lines["channel"].to_numpy()
    mkt = chan == "marketplace"
    u = rng.random(len(inv_codes))[inv_index]
    cur = np.where(
        mkt,
        np.where(u < 0.5, "GBP", np.where(u < 0.8, "EUR", "USD")),
        np.where(u < 0.97, "GBP", np.where(u < 0.99, "EUR", "USD")),
    ).astype(object)
    fx = np.array([FX_TO_GBP[c] for c in cur])
    gbp = lines["unit_price"].to_numpy()
    unit = np.round(gbp / fx, 2)
    cat = products["category"].to_numpy()[p].astype(object)
    vary = rng.random(m) < 0.15
    for c, variants in CATEGORY_VARIANTS.items():
        idx = np.flatnonzero(vary & (cat == c))
        cat[idx] = np.asarray(variants, dtype=object)[rng.integers(0, len(variants), len(idx))]
    raw = pd.DataFrame(
        {
            "invoice": inv,
            "invoice_date": _format_dates(rng, lines["sec"].to_numpy()),
            "customer_id": cust,
            "product_id": products["product_id"].to_numpy()[p],
            "product_name": products["product_name"].to_numpy()[p],
            "category": cat,
            "quantity": lines["quantity"].to_numpy().astype(str),
            "unit_price": _fmt_money(unit),
            "currency": cur,
            "channel": chan,
        }
    )
    # exact duplicates (1.5%) and near duplicates (0.7%: other date format / spelling / spaces)
    exact = np.flatnonzero(rng.random(m) < 0.015)
    near = np.flatnonzero(rng.random(m) < 0.007)
    near_rows = raw.iloc[near].copy()
    secs = lines["sec"].to_numpy()[near]
    ts = pd.to_datetime(secs, unit="s", origin=pd.Timestamp(START_DATE))
    near_rows["invoice_date"] = ts.strftime("%d/%m/%Y %H:%M").to_numpy()
    near_rows["product_name"] = near_rows["product_name"] + " "
    near_rows["category"] = near_rows["category"].str.upper()
    dup = pd.concat([raw.iloc[exact], near_rows])
    raw = pd.concat([raw, dup])
    # duplicates sit right after their original row
    pos = np.concatenate([np.arange(m), exact, near]).astype(float)
    pos[m:] += 0.5
    raw = raw.iloc[np.argsort(pos, kind="stable")].reset_index(drop=True)
    return raw


def _sessions(
    rng, n, seg, signup, end, pref_hour, pref_minutes, mobile_first, o_cust, o_sec, o_chan, o_kind, n_lines, cust_ids
) -> pd.DataFrame:
    # purchase sessions: one per web/app order of a known customer
    web = (o_chan < 2) & ((o_kind == 0) | (o_kind == 1))
    p_cust = o_cust[web]
    p_chan = o_chan[web]
    p_lines = n_lines[web]
    # browse sessions
    n_browse = np.zeros(n, dtype=np.int64)
    for s, lam in _BROWSE.items():
        idx = np.flatnonzero(seg == s)
        n_browse[idx] = rng.poisson(lam, len(idx))
    idx = np.flatnonzero(seg == NO)
    n_browse[idx] = np.round(np.exp(rng.uniform(0, np.log(250), len(idx)))).astype(np.int64)
    have = np.bincount(p_cust, minlength=n)
    n_browse = np.maximum(n_browse, 6 - have)
    b_cust = np.repeat(np.arange(n), n_browse)
    lo = signup[b_cust] * _DAY
    hi = np.minimum(end[b_cust] + 30, _TOTAL_DAYS - 1) * _DAY
    b_day = (lo + (rng.random(len(b_cust)) * (hi - lo)).astype(np.int64)) // _DAY
    b_hour = np.clip(pref_hour[b_cust] + rng.normal(0, 0.5, len(b_cust)), 0, 23.9)
    b_start = b_day * _DAY + (b_hour * 3600).astype(np.int64)
    b_app = rng.random(len(b_cust)) < np.where(mobile_first[b_cust], 0.5, 0.1)

    cust = np.concatenate([p_cust, b_cust])
    is_app = np.concatenate([p_chan == 1, b_app])
    purchased = np.concatenate([np.ones(len(p_cust), dtype=np.int64), np.zeros(len(b_cust), dtype=np.int64)])
    k = len(cust)
    minutes = pref_minutes[cust] * np.exp(rng.normal(0, 0.15, k) - 0.15**2 / 2)
    duration = np.maximum(20, np.round(minutes * 60)).astype(np.int64)
    start = np.concatenate([o_sec[web], b_start])
    start = np.where(purchased == 1, start - duration, start)
    start = np.clip(start, 0, _SNAP_END - duration)
    # device: desktop-first people browse on desktop (tablet sometimes), mobile-first on phones
    u = rng.random(k)
    mf = mobile_first[cust]
    device = np.where(
        mf,
        np.where(u < 0.88, "mobile", np.where(u < 0.96, "tablet", "desktop")),
        np.where(u < 0.82, "desktop", np.where(u < 0.94, "tablet", "mobile")),
    ).astype(object)
    device = np.where(is_app & (device == "desktop"), "tablet", device)
    pv = np.where(purchased == 1, 4 + rng.poisson(5, k), 1 + rng.poisson(3, k))
    pv = pv + (seg[cust] == LP) * rng.poisson(3, k)
    lines_sess = np.concatenate([p_lines, np.zeros(len(b_cust), dtype=np.int64)])
    abandon = np.where(seg[cust] == BH, 0.9, 0.3)
    cart = np.where(purchased == 1, lines_sess + rng.poisson(0.3, k), rng.poisson(abandon, k))
    order = np.lexsort((cust, start))
    sess = pd.DataFrame(
        {
            "session_id": np.array([f"S{i + 1:07d}" for i in range(k)], dtype=object),
            "customer_id": cust_ids[cust[order]],
            "start_time": _fmt_dt(start[order]),
            "device": device[order],
            "channel": np.where(is_app[order], "app", "web").astype(object),
            "page_views": pv[order].astype(str),
            "cart_adds": cart[order].astype(str),
            "duration_s": duration[order].astype(str),
            "purchased": purchased[order].astype(str),
        }
    )
    return sess


def _campaign(rng, seg, signup, cust_ids, clean: pd.DataFrame) -> pd.DataFrame:
    sent_day = (np.datetime64(_CAMPAIGN_SENT) - np.datetime64(START_DATE, "D")).astype(int)
    elig = np.flatnonzero(signup < sent_day - 7)
    m = len(elig)
    variant = np.zeros(m, dtype=np.int64)
    variant[rng.permutation(m)[: m // 2]] = 1
    s = seg[elig]
    p = np.array([_CONVERT[x][0] for x in s])
    p1 = np.array([_CONVERT[x][1] for x in s])
    p = np.where(variant == 1, p1, p)
    converted = rng.random(m) < p
    clicked = converted | (rng.random(m) < 0.5 * np.array([_OPEN[x] for x in s]) * 0.4)
    opened = clicked | (rng.random(m) < np.array([_OPEN[x] for x in s]))
    basket = np.array([{LP: 85.0, BH: 32.0, GB: 45.0, NC: 40.0, LA: 38.0, NO: 50.0}[x] for x in s])
    revenue = np.where(converted, basket * rng.lognormal(0, 0.35, m) * np.where(variant == 1, 0.8, 1.0), 0.0)
    return pd.DataFrame(
        {
            "customer_id": cust_ids[elig],
            "campaign_id": "SPRING25",
            "variant": np.where(variant == 1, "offer", "control").astype(object),
            "sent_date": _CAMPAIGN_SENT,
            "opened": opened.astype(int).astype(str),
            "clicked": clicked.astype(int).astype(str),
            "converted": converted.astype(int).astype(str),
            "revenue_gbp": _fmt_money(revenue),
        }
    )


def _reviews(rng, seg, cust_ids, customers: pd.DataFrame, clean: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    n = len(seg)
    writes = rng.random(n) < np.array([_REVIEW_P[s] for s in seg])
    count = np.where(writes, 1 + rng.poisson(0.25, n), 0)
    buys = clean[clean["quantity"] > 0]
    by_cust = buys.groupby("cust", sort=True)
    first_idx = by_cust.indices
    sec = buys["sec"].to_numpy()
    prod = buys["product"].to_numpy()
    names = products["product_name"].str.lower().to_numpy()
    seg_names = np.asarray(SEGMENTS)
    rows = []
    for i in np.flatnonzero(count):
        idx = first_idx.get(i)
        if idx is None:
            continue
        s = int(seg[i])
        bank_name = seg_names[s] if s != NO else seg_names[int(rng.integers(0, 5))]
        for _ in range(int(count[i])):
            j = idx[int(rng.integers(0, len(idx)))]
            day = int(sec[j] // _DAY + rng.integers(2, 21))
            if day > _TOTAL_DAYS - 1:
                day = _TOTAL_DAYS - 1
            rating = int(rng.choice(5, p=_RATING_P[s])) + 1
            text = _review_text(rng, bank_name, rating, names[prod[j]])
            rows.append((i, day, rating, text))
    rows.sort(key=lambda r: (r[1], r[0]))
    k = len(rows)
    cust = np.array([r[0] for r in rows])
    texts = [r[3] for r in rows]
    # planted personal data in about 1% of reviews
    pii = np.flatnonzero(rng.random(k) < 0.01)
    for j in pii:
        c = customers.iloc[cust[j]]
        tmpl = _text.PII_TEMPLATES[int(rng.integers(0, len(_text.PII_TEMPLATES)))]
        texts[j] = texts[j] + tmpl.format(phone=c["phone"], email=c["email"], full_name=c["full_name"])
    return pd.DataFrame(
        {
            "review_id": np.array([f"RV{i + 1:06d}" for i in range(k)], dtype=object),
            "customer_id": cust_ids[cust] if k else np.array([], dtype=object),
            "review_date": _fmt_day(np.array([r[1] for r in rows], dtype=np.int64)),
            "rating": np.array([r[2] for r in rows]).astype(str),
            "text": np.array(texts, dtype=object),
        }
    )


def _review_text(rng, bank_name: str, rating: int, product: str) -> str:
    bank = _text.BANKS[bank_name]
    generic = _text.BANKS["generic"]
    k = 1 + int(rng.binomial(2, 0.5))
    sentences = []
    overall = "pos" if rng.random() < _POSITIVE_SENTENCE_P[rating] else "neg"
    for _ in range(k):
        b = bank if rng.random() < 0.8 else generic
        pol = overall if rng.random() < 0.85 else {"pos": "neg", "neg": "pos"}[overall]
        sentences.append(b[pol][int(rng.integers(0, len(b[pol])))])
    if rng.random() < 0.15 and 2 <= rating <= 4:
        b = bank if rng.random() < 0.8 else generic
        sentences.insert(int(rng.integers(0, len(sentences) + 1)), b["mixed"][int(rng.integers(0, len(b["mixed"])))])
    # no sentence twice
    sentences = list(dict.fromkeys(sentences))
    out = []
    for s in sentences:
        s = s.replace("{product}", product).replace(
            "{int}", _text.INTENSIFIERS[int(rng.integers(0, len(_text.INTENSIFIERS)))]
        )
        out.append(s[0].upper() + s[1:])
    text = " ".join(out)
    words = text.split(" ")
    for w_i, w in enumerate(words):
        core = w.strip(".,!?").lower()
        if core in _text.TYPOS and rng.random() < 0.12:
            words[w_i] = (
                w.lower().replace(core, _text.TYPOS[core])
                if w[0].islower()
                else w.replace(core.capitalize(), _text.TYPOS[core].capitalize())
            )
    return " ".join(words)


GENDER_VARIANTS = {
    "female": (["F", "f", "Female", "female", "FEMALE", "woman"], [0.25, 0.08, 0.2, 0.4, 0.04, 0.03]),
    "male": (["M", "m", "Male", "male", "MALE", "man"], [0.25, 0.08, 0.2, 0.4, 0.04, 0.03]),
    "non-binary": (["non-binary", "Non-binary", "NB", "nonbinary"], [0.5, 0.2, 0.2, 0.1]),
    "undisclosed": (["", "undisclosed", "prefer not to say", "U"], [0.4, 0.3, 0.2, 0.1]),
}
REGION_VARIANTS = {
    "London": ["london", "LONDON", "Greater London", "London "],
    "South East": ["South-East", "south east", "SE England", "South East England"],
    "South West": ["South-West", "south west", "SW England"],
    "East of England": ["East England", "east of england", "East Of England"],
    "East Midlands": ["E. Midlands", "east midlands", "East-Midlands"],
    "West Midlands": ["W. Midlands", "west midlands", "West-Midlands"],
    "Yorkshire and the Humber": ["Yorkshire & Humber", "Yorkshire", "yorkshire and the humber"],
    "North West": ["North-West", "NW England", "north west"],
    "North East": ["North-East", "NE England", "north east"],
    "Scotland": ["scotland", "SCOTLAND", "Scotland "],
    "Wales": ["wales", "WALES", "Cymru"],
    "Northern Ireland": ["N. Ireland", "NI", "northern ireland"],
}


def _raw_customers(rng, customers: pd.DataFrame, seed: int) -> pd.DataFrame:
    raw = customers.copy()
    n = len(raw)
    g = raw["gender"].to_numpy().astype(object)
    for k, (vals, p) in GENDER_VARIANTS.items():
        idx = np.flatnonzero(g == k)
        g[idx] = np.asarray(vals, dtype=object)[rng.choice(len(vals), size=len(idx), p=p)]
    raw["gender"] = g
    r = raw["region"].to_numpy().astype(object)
    vary = rng.random(n) < 0.12
    for k, vals in REGION_VARIANTS.items():
        idx = np.flatnonzero(vary & (r == k))
        r[idx] = np.asarray(vals, dtype=object)[rng.integers(0, len(vals), len(idx))]
    raw["region"] = r
    a = raw["age"].to_numpy().astype(object)
    u = rng.random(n)
    a[u < 0.05] = ""
    bad = (u >= 0.05) & (u < 0.057)
    a[bad] = np.asarray(["0", "150", "-1", "999", "1"], dtype=object)[rng.integers(0, 5, bad.sum())]
    raw["age"] = a
    e = raw["email"].to_numpy().astype(object)
    upper = rng.random(n) < 0.04
    e[upper] = [x.title() if i % 2 else x.upper() for i, x in enumerate(e[upper])]
    raw["email"] = e
    sd = raw["signup_date"].to_numpy().astype(object)
    uk = rng.random(n) < 0.1
    sd[uk] = pd.to_datetime(pd.Series(sd[uk])).dt.strftime("%d/%m/%Y").to_numpy()
    raw["signup_date"] = sd
    # duplicates: the same customer twice, email case differs (and phone in +44 format)
    dup_idx = np.flatnonzero(rng.random(n) < 0.02)
    dups = raw.iloc[dup_idx].copy()
    dups["email"] = [x.upper() if x.islower() else x.lower() for x in dups["email"]]
    dups["phone"] = ["+44 " + p[1:] for p in dups["phone"]]
    # test accounts
    tests = pd.DataFrame(
        {
            "customer_id": [f"TEST{k:03d}" for k in range(1, 6)],
            "signup_date": ["2022-01-03", "2022-06-01", "2023-02-14", "2024-09-09", "2025-05-05"],
            "age": ["30", "", "99", "0", "42"],
            "gender": ["", "F", "M", "", "U"],
            "region": ["London"] * 5,
            "acquisition_channel": ["email"] * 5,
            "income_band": ["<25k"] * 5,
            "full_name": ["Test User", "QA Tester", "Test Account", "Do Not Ship", "Test User"],
            "email": [f"test{k}@example.com" for k in range(1, 6)],
            "phone": ["07700 900000"] * 5,
            "street_address": ["1 Test Street"] * 5,
            "postcode": ["EC1A 1AA"] * 5,
            "date_of_birth": ["1990-01-01"] * 5,
            "ip_address": ["192.0.2.1"] * 5,
        }
    )
    raw = pd.concat([raw, dups, tests], ignore_index=True)
    raw = raw.iloc[rng.permutation(len(raw))].reset_index(drop=True)
    return raw


# ---------------------------------------------------------------- writing
def write(tables: dict[str, pd.DataFrame], out_dir: Path, db: bool = True) -> list[Path]:
    """Write the tables as CSV (and the SQLite database) into ``out_dir``."""
    out_dir = Path(out_dir)
    written = []
    for name, table in TABLES.items():
        path = out_dir / table.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = tables[name]
        assert tuple(frame.columns) == table.columns, (name, frame.columns)
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    readme = out_dir / "evaluation_only" / "README.md"
    readme.write_text(EVALUATION_README, encoding="utf-8")
    written.append(readme)
    if db:
        written.append(write_db(out_dir, tables))
    return written


EVALUATION_README = """\
# Evaluation only: never use as a feature

`segments.csv` holds the segment that the generator *planted* for every customer
of Larkspur & Co (`customer_id`, `segment`). Real companies never have this file.

Use it only **after** you have built and chosen a segmentation, to measure how
close it came to the truth (adjusted Rand index, normalised mutual information,
a confusion table). Never join it to your features, never use it to choose
features or `k`: that would be like reading the exam answers before the exam.
"""


def _scale(text: str) -> float:
    """``--scale`` value: a positive number (``0.1``, ``1``, ``20``).

    >>> _scale("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive number such as 0.1, 1 or 20, not '0'
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number such as 0.1, 1 or 20, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--scale",
        type=_scale,
        default=DEFAULT_SCALE,
        help="size relative to the default 5,000 customers (20 gives about 2M order lines)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: datasets/ for the default seed and scale, else datasets/large/)",
    )
    parser.add_argument("--no-db", action="store_true", help="skip the SQLite database (default for --scale > 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")


def run(args: argparse.Namespace) -> int:
    from course_utils import paths

    out = args.out
    if out is None:
        default = args.seed == DEFAULT_SEED and args.scale == DEFAULT_SCALE
        out = paths.datasets_dir() if default else paths.datasets_dir() / "large"
    out = Path(out)
    db = not args.no_db and args.scale <= 2
    t0 = time.perf_counter()
    tables = build(seed=args.seed, scale=args.scale, progress=not args.quiet and sys.stderr.isatty())
    files = write(tables, out, db=db)
    if not args.quiet:
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"Wrote {len(files)} files ({size:.1f} MB) to {out} in {time.perf_counter() - t0:.1f} s:")
        for name in TABLES:
            print(f"  {TABLES[name].filename:32s} {len(tables[name]):>10,} rows")
        if not db:
            print("  (no SQLite database: use --scale 2 or less, or DuckDB on the CSV files)")
    return 0
