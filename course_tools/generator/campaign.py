"""The SPRING25 e-mail campaign: a randomised offer/control test whose effect differs by segment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_tools.generator.people import People
from course_tools.generator.segments import BH, CAMPAIGN_SENT, CONVERT, GB, LA, LP, NC, NO, OPEN
from course_tools.generator.timeline import fmt_money
from course_utils.data.constants import START_DATE


def campaign_table(rng: np.random.Generator, people: People) -> pd.DataFrame:
    """One row per customer signed up a week before the e-mail went out; half get the offer."""
    seg, signup, cust_ids = people.seg, people.signup, people.cust_ids
    sent_day = (np.datetime64(CAMPAIGN_SENT) - np.datetime64(START_DATE, "D")).astype(int)
    elig = np.flatnonzero(signup < sent_day - 7)
    m = len(elig)
    variant = np.zeros(m, dtype=np.int64)
    variant[rng.permutation(m)[: m // 2]] = 1
    s = seg[elig]
    p = np.array([CONVERT[x][0] for x in s])
    p1 = np.array([CONVERT[x][1] for x in s])
    p = np.where(variant == 1, p1, p)
    converted = rng.random(m) < p
    clicked = converted | (rng.random(m) < 0.5 * np.array([OPEN[x] for x in s]) * 0.4)
    opened = clicked | (rng.random(m) < np.array([OPEN[x] for x in s]))
    basket = np.array([{LP: 85.0, BH: 32.0, GB: 45.0, NC: 40.0, LA: 38.0, NO: 50.0}[x] for x in s])
    revenue = np.where(converted, basket * rng.lognormal(0, 0.35, m) * np.where(variant == 1, 0.8, 1.0), 0.0)
    return pd.DataFrame(
        {
            "customer_id": cust_ids[elig],
            "campaign_id": "SPRING25",
            "variant": np.where(variant == 1, "offer", "control").astype(object),
            "sent_date": CAMPAIGN_SENT,
            "opened": opened.astype(int).astype(str),
            "clicked": clicked.astype(int).astype(str),
            "converted": converted.astype(int).astype(str),
            "revenue_gbp": fmt_money(revenue),
        }
    )
