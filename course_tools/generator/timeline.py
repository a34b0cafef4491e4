"""The time axis: seconds and days since ``START_DATE``, and the fixed text formats of dates and money."""

from __future__ import annotations

import numpy as np

from course_utils.data.constants import SNAPSHOT_DATE, START_DATE

DAY = 86400
START = np.datetime64(START_DATE, "s")
SNAP_END = (np.datetime64(SNAPSHOT_DATE, "D") + 1 - np.datetime64(START_DATE, "D")).astype(int) * DAY - 1
TOTAL_DAYS = SNAP_END // DAY + 1  # days from 2022-01-01 to the snapshot, inclusive


def fmt_dt(secs: np.ndarray) -> np.ndarray:
    """Seconds since START -> 'YYYY-MM-DD HH:MM:SS' strings."""
    s = np.datetime_as_string(START + secs.astype("timedelta64[s]"), unit="s")
    return np.char.replace(s, "T", " ")


def fmt_day(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.datetime64(START_DATE, "D") + days.astype("timedelta64[D]"), unit="D")


def fmt_money(x: np.ndarray) -> np.ndarray:
    return np.char.mod("%.2f", np.round(x.astype(float), 2))
