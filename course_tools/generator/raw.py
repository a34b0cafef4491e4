"""The raw exports: the transactions and customers as a real company's systems would hand them over
(duplicates, cancellations, test accounts, foreign currencies, spelling and date-format variants)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_tools.generator.timeline import fmt_money
from course_utils.data.constants import FX_TO_GBP, START_DATE

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


def raw_transactions_table(
    rng: np.random.Generator, all_lines: pd.DataFrame, products: pd.DataFrame, cust_ids: np.ndarray
) -> pd.DataFrame:
    """The transactions export: cancellations, guest and test orders, currencies, spelling and date
    variants, exact and near duplicates."""
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
            "unit_price": fmt_money(unit),
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


def raw_customers_table(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """The customers export: spelling variants, bad ages, UK dates, duplicates, test accounts, shuffled."""
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
