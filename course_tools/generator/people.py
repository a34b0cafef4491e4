"""Who the customers are: segment, sign-up day, demographics, and their habits online."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_tools.generator.segments import (
    ACQ,
    AGE,
    GENDER,
    GENDER_DEFAULT,
    INCOME,
    MOBILE_FIRST,
    NO,
    REGION_P,
    SEGMENT_SHARES,
    SIGNUP,
    choice_by_segment,
)
from course_utils.data.schema import ACQUISITION_CHANNELS, GENDERS, INCOME_BANDS, REGIONS


@dataclass(frozen=True)
class People:
    """Who the customers are: one entry per customer, in customer-id (sign-up) order."""

    seg: np.ndarray  # index in SEGMENTS
    signup: np.ndarray  # day of sign-up, counted from START_DATE
    cust_ids: np.ndarray  # "C00001", ...
    age: np.ndarray
    gender: np.ndarray
    region: np.ndarray
    acq: np.ndarray  # acquisition channel
    income: np.ndarray  # income band


def draw_people(rng: np.random.Generator, n: int) -> People:
    """Customers: segment, sign-up, demographics."""
    counts = np.floor(SEGMENT_SHARES * n).astype(int)
    counts[1] += n - counts.sum()
    seg = rng.permutation(np.repeat(np.arange(6), counts))
    signup = np.empty(n, dtype=np.int64)
    for s, (lo, hi) in SIGNUP.items():
        idx = np.flatnonzero(seg == s)
        signup[idx] = rng.integers(lo, hi, size=len(idx))
    order = np.argsort(signup, kind="stable")  # customer ids follow sign-up order
    seg, signup = seg[order], signup[order]
    cust_ids = np.array([f"C{i + 1:05d}" for i in range(n)], dtype=object)

    age = np.empty(n, dtype=np.int64)
    for s, (mu, sd) in AGE.items():
        idx = np.flatnonzero(seg == s)
        age[idx] = np.clip(np.round(rng.normal(mu, sd, len(idx))), 18, 88)
    idx = np.flatnonzero(seg == NO)
    age[idx] = rng.integers(18, 89, len(idx))
    gender = choice_by_segment(rng, seg, GENDER, GENDERS, default=GENDER_DEFAULT)
    region = np.asarray(REGIONS, dtype=object)[rng.choice(len(REGIONS), size=n, p=REGION_P)]
    acq = choice_by_segment(rng, seg, ACQ, ACQUISITION_CHANNELS)
    income = choice_by_segment(rng, seg, INCOME, INCOME_BANDS)
    return People(seg, signup, cust_ids, age, gender, region, acq, income)


@dataclass(frozen=True)
class Habits:
    """How each customer uses the shop online (the two crescents of the lessons)."""

    mobile_first: np.ndarray  # bool: mostly on a phone, or on the app
    pref_hour: np.ndarray  # mean hour of day of their sessions
    pref_minutes: np.ndarray  # mean session length in minutes


def draw_habits(rng: np.random.Generator, seg: np.ndarray) -> Habits:
    """Behaviour, the two crescents: mobile first or not, mean session hour, mean session minutes."""
    n = len(seg)
    mobile_first = rng.random(n) < np.array([MOBILE_FIRST[s] for s in seg])
    t = rng.uniform(0, np.pi, n)
    mx = np.where(mobile_first, 1 - np.cos(t), np.cos(t)) + rng.normal(0, 0.06, n)
    my = np.where(mobile_first, 0.5 - np.sin(t), np.sin(t)) + rng.normal(0, 0.06, n)
    pref_hour = 13.5 + 3.0 * mx
    pref_minutes = 12.0 + 10.0 * my
    noise = seg == NO
    pref_hour[noise] = rng.uniform(0.5, 23.5, noise.sum())
    pref_minutes[noise] = np.exp(rng.uniform(np.log(1.5), np.log(90), noise.sum()))
    return Habits(mobile_first, pref_hour, pref_minutes)
