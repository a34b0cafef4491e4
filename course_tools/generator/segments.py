"""The five planted segments (plus noise) and how each one behaves: the generator's parameters.

Every table here is indexed by segment (its index in ``SEGMENTS``). INSTRUCTORS.md in
``datasets/`` explains what is planted; these numbers are the reference for it (spoilers).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils.data.schema import SEGMENTS

# index in SEGMENTS: 0 loyal premium, 1 bargain hunters, 2 occasional gift buyers,
# 3 new customers, 4 lapsed, 5 noise
SEGMENT_SHARES = np.array([0.18, 0.25, 0.20, 0.15, 0.195, 0.025])
LP, BH, GB, NC, LA, NO = range(6)

# sign-up window (days since START) per segment
SIGNUP = {LP: (0, 730), BH: (0, 1280), GB: (0, 1230), NC: (1340, 1440), LA: (0, 640), NO: (0, 1400)}
# orders per customer: fixed + Poisson(mean)
ORDERS = {LP: (6, 10.0), BH: (5, 6.5), GB: (1, 2.0), NC: (1, 0.7), LA: (2, 4.0)}
LINES = {LP: 1.0, BH: 1.6, GB: 0.6, NC: 0.8, LA: 1.2}  # lines per order: 1 + Poisson
BROWSE = {LP: 3.0, BH: 5.0, GB: 2.0, NC: 4.0, LA: 2.0}  # extra sessions without purchase
RETURN = {LP: 0.02, BH: 0.05, GB: 0.04, NC: 0.05, LA: 0.13, NO: 0.08}
# order channel web/app/marketplace
CHANNEL = {
    LP: (0.75, 0.20, 0.05),
    BH: (0.25, 0.35, 0.40),
    GB: (0.70, 0.10, 0.20),
    NC: (0.45, 0.45, 0.10),
    LA: (0.60, 0.15, 0.25),
    NO: (0.40, 0.30, 0.30),
}
# price tier budget/mid/premium
TIER = {
    LP: (0.10, 0.40, 0.50),
    BH: (0.75, 0.23, 0.02),
    GB: (0.15, 0.55, 0.30),
    NC: (0.35, 0.45, 0.20),
    LA: (0.30, 0.50, 0.20),
    NO: (1 / 3, 1 / 3, 1 / 3),
}
# category kitchen/home decor/garden/bedding/gifts
CAT = {
    LP: (0.30, 0.25, 0.15, 0.25, 0.05),
    BH: (0.35, 0.20, 0.20, 0.15, 0.10),
    GB: (0.08, 0.17, 0.05, 0.05, 0.65),
    NC: (0.25, 0.25, 0.20, 0.20, 0.10),
    LA: (0.25, 0.20, 0.30, 0.15, 0.10),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
MOBILE_FIRST = {LP: 0.20, BH: 0.75, GB: 0.35, NC: 0.60, LA: 0.40, NO: 0.5}
AGE = {LP: (55, 9), BH: (29, 7), GB: (43, 12), NC: (34, 10), LA: (45, 14)}
INCOME = {
    LP: (0.03, 0.17, 0.45, 0.35),
    BH: (0.45, 0.40, 0.13, 0.02),
    GB: (0.15, 0.40, 0.35, 0.10),
    NC: (0.25, 0.40, 0.27, 0.08),
    LA: (0.25, 0.40, 0.28, 0.07),
    NO: (0.25, 0.25, 0.25, 0.25),
}
GENDER = {GB: (0.70, 0.25, 0.02, 0.03)}  # others: default below
GENDER_DEFAULT = (0.48, 0.47, 0.02, 0.03)
ACQ = {
    LP: (0.35, 0.05, 0.30, 0.25, 0.05),
    BH: (0.15, 0.40, 0.10, 0.10, 0.25),
    GB: (0.40, 0.15, 0.15, 0.20, 0.10),
    NC: (0.20, 0.50, 0.05, 0.15, 0.10),
    LA: (0.30, 0.20, 0.20, 0.15, 0.15),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
REGION_P = np.array([0.16, 0.14, 0.09, 0.09, 0.07, 0.09, 0.08, 0.11, 0.04, 0.07, 0.04, 0.02])
REVIEW_P = {LP: 0.55, BH: 0.40, GB: 0.35, NC: 0.30, LA: 0.50, NO: 0.30}
RATING_P = {
    LP: (0.02, 0.03, 0.08, 0.30, 0.57),
    BH: (0.05, 0.08, 0.20, 0.35, 0.32),
    GB: (0.03, 0.05, 0.15, 0.37, 0.40),
    NC: (0.08, 0.10, 0.20, 0.30, 0.32),
    LA: (0.35, 0.25, 0.20, 0.12, 0.08),
    NO: (0.2, 0.2, 0.2, 0.2, 0.2),
}
POSITIVE_SENTENCE_P = {1: 0.08, 2: 0.22, 3: 0.5, 4: 0.82, 5: 0.93}
# campaign SPRING25: P(convert) control, offer
CAMPAIGN_SENT = "2025-03-25"
CONVERT = {LP: (0.10, 0.105), BH: (0.03, 0.16), GB: (0.04, 0.07), NC: (0.05, 0.10), LA: (0.01, 0.04), NO: (0.05, 0.05)}
OPEN = {LP: 0.55, BH: 0.45, GB: 0.30, NC: 0.40, LA: 0.12, NO: 0.3}


def choice_by_segment(
    rng: np.random.Generator, seg: np.ndarray, table: dict, values: Any, default: Any = None
) -> np.ndarray:
    """Draw one of ``values`` per row with probabilities depending on its segment."""
    out = np.empty(len(seg), dtype=object)
    for s in range(len(SEGMENTS)):
        idx = np.flatnonzero(seg == s)
        if len(idx) == 0:
            continue
        p = np.asarray(table.get(s, default), dtype=float)
        out[idx] = np.asarray(values, dtype=object)[rng.choice(len(values), size=len(idx), p=p / p.sum())]
    return out
