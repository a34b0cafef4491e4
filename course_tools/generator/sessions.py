"""Web and app sessions: one per web or app order, plus browsing sessions without a purchase."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_tools.generator.orders import Orders
from course_tools.generator.people import Habits, People
from course_tools.generator.segments import BH, BROWSE, LP, NO
from course_tools.generator.timeline import DAY, SNAP_END, TOTAL_DAYS, fmt_dt


def sessions_table(
    rng: np.random.Generator, people: People, end: np.ndarray, habits: Habits, orders: Orders, n_lines: np.ndarray
) -> pd.DataFrame:
    """Sessions in time order; ``end`` is each customer's last active day, ``n_lines`` the lines of each order."""
    n, seg, signup, cust_ids = len(people.seg), people.seg, people.signup, people.cust_ids
    pref_hour, pref_minutes, mobile_first = habits.pref_hour, habits.pref_minutes, habits.mobile_first
    o_cust, o_sec, o_chan, o_kind = orders.cust, orders.sec, orders.chan, orders.kind
    # purchase sessions: one per web/app order of a known customer
    web = (o_chan < 2) & ((o_kind == 0) | (o_kind == 1))
    p_cust = o_cust[web]
    p_chan = o_chan[web]
    p_lines = n_lines[web]
    # browse sessions
    n_browse = np.zeros(n, dtype=np.int64)
    for s, lam in BROWSE.items():
        idx = np.flatnonzero(seg == s)
        n_browse[idx] = rng.poisson(lam, len(idx))
    idx = np.flatnonzero(seg == NO)
    n_browse[idx] = np.round(np.exp(rng.uniform(0, np.log(250), len(idx)))).astype(np.int64)
    have = np.bincount(p_cust, minlength=n)
    n_browse = np.maximum(n_browse, 6 - have)
    b_cust = np.repeat(np.arange(n), n_browse)
    lo = signup[b_cust] * DAY
    hi = np.minimum(end[b_cust] + 30, TOTAL_DAYS - 1) * DAY
    b_day = (lo + (rng.random(len(b_cust)) * (hi - lo)).astype(np.int64)) // DAY
    b_hour = np.clip(pref_hour[b_cust] + rng.normal(0, 0.5, len(b_cust)), 0, 23.9)
    b_start = b_day * DAY + (b_hour * 3600).astype(np.int64)
    b_app = rng.random(len(b_cust)) < np.where(mobile_first[b_cust], 0.5, 0.1)

    cust = np.concatenate([p_cust, b_cust])
    is_app = np.concatenate([p_chan == 1, b_app])
    purchased = np.concatenate([np.ones(len(p_cust), dtype=np.int64), np.zeros(len(b_cust), dtype=np.int64)])
    k = len(cust)
    minutes = pref_minutes[cust] * np.exp(rng.normal(0, 0.15, k) - 0.15**2 / 2)
    duration = np.maximum(20, np.round(minutes * 60)).astype(np.int64)
    start = np.concatenate([o_sec[web], b_start])
    start = np.where(purchased == 1, start - duration, start)
    start = np.clip(start, 0, SNAP_END - duration)
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
            "start_time": fmt_dt(start[order]),
            "device": device[order],
            "channel": np.where(is_app[order], "app", "web").astype(object),
            "page_views": pv[order].astype(str),
            "cart_adds": cart[order].astype(str),
            "duration_s": duration[order].astype(str),
            "purchased": purchased[order].astype(str),
        }
    )
    return sess
