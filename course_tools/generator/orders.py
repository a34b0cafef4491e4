"""Orders: how many per customer, on which days (gift buyers and bargain hunters have seasons),
at what hour, on which channel, plus the raw-only guest, wholesale, test and cancelled ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_tools.generator.segments import BH, CHANNEL, GB, LA, LP, NC, NO, ORDERS
from course_tools.generator.timeline import DAY, SNAP_END, TOTAL_DAYS
from course_utils.data.constants import START_DATE


def draw_order_counts(rng: np.random.Generator, seg: np.ndarray, signup: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orders per customer, and each customer's last active day."""
    n, noise = len(seg), seg == NO
    snap_day = int(TOTAL_DAYS - 1)  # day index of the snapshot
    n_orders = np.zeros(n, dtype=np.int64)
    for s, (fixed, mean) in ORDERS.items():
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
class Orders:
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
    o_cust: list[np.ndarray] = []
    o_day: list[np.ndarray] = []
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
    return np.concatenate(o_cust), np.concatenate(o_day)


def draw_orders(
    rng: np.random.Generator,
    seg: np.ndarray,
    signup: np.ndarray,
    end: np.ndarray,
    n_orders: np.ndarray,
    mobile_first: np.ndarray,
    pref_hour: np.ndarray,
) -> Orders:
    """Orders: when, on which channel, plus the raw-only guest, wholesale, test and cancelled ones."""
    n = len(seg)
    o_cust, o_day = _order_days(rng, seg, signup, end, n_orders)
    n_o = len(o_cust)
    o_seg = seg[o_cust]
    chan_p = np.array([CHANNEL[s] for s in o_seg])
    # mobile-first customers use the app more, desktop-first ones less
    app_boost = np.where(mobile_first[o_cust], 1.6, 0.4)
    chan_p[:, 1] *= app_boost
    chan_p /= chan_p.sum(1, keepdims=True)
    u = rng.random(n_o)
    o_chan = (u[:, None] > np.cumsum(chan_p, 1)).sum(1)  # 0 web 1 app 2 marketplace
    hour = np.where(o_chan == 2, rng.uniform(7, 23, n_o), pref_hour[o_cust] + rng.normal(0, 0.5, n_o))
    hour = np.clip(hour, 0, 23.99)
    o_sec = o_day * DAY + (hour * 3600).astype(np.int64)
    o_sec = np.minimum(o_sec, SNAP_END - 3600)
    o_sec = np.maximum(o_sec, signup[o_cust] * DAY)
    o_kind = np.zeros(n_o, dtype=np.int64)  # 0 normal, 1 cancelled (raw only)

    # extra raw-only orders: guest checkouts (no id), wholesale, test accounts
    n_guest = int(round(0.015 * n_o))
    n_whole = max(2, int(round(0.002 * n_o)))
    n_test = max(5, int(round(0.0008 * n_o)))
    g_cust = rng.integers(0, n, n_guest)  # behave like someone, but no id recorded
    w_cust = rng.choice(n, size=max(1, n_whole // 3), replace=False)[rng.integers(0, max(1, n_whole // 3), n_whole)]
    extra_cust = np.concatenate([g_cust, w_cust, np.zeros(n_test, dtype=np.int64)])
    extra_kind = np.concatenate([np.full(n_guest, 2), np.full(n_whole, 3), np.full(n_test, 4)])
    extra_sec = rng.integers(0, SNAP_END - 3600, len(extra_cust))
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
    return Orders(o_cust, o_sec, o_chan, o_kind, o_inv, o_seg)


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
    days = np.clip(np.maximum(days, lo), 0, TOTAL_DAYS - 1)
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
