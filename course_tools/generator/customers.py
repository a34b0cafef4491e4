"""The customers table: demographics and fake personal data (PII) that can never reach a real person."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from course_tools.generator.people import People
from course_tools.generator.timeline import fmt_day
from course_utils.data.constants import SNAPSHOT_DATE

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


def customers_table(rng: np.random.Generator, fake: Any, people: People) -> pd.DataFrame:
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
            "signup_date": fmt_day(signup),
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
