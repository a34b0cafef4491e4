"""Derived features that the lessons share.

>>> f = shape_features()
>>> list(f.columns)
['mean_session_hour', 'mean_session_minutes']
"""

from __future__ import annotations

import pandas as pd


def shape_features(sessions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per customer: mean start hour of their sessions and mean session length in minutes.

    Indexed by ``customer_id``. Plot one against the other to see the shape
    that k-means cannot cut well (the algorithm-choice lesson). The same two
    columns in pandas::

        s = load_sessions()
        hour = s["start_time"].dt.hour + s["start_time"].dt.minute / 60
        s.assign(hour=hour, minutes=s["duration_s"] / 60).groupby("customer_id")[["hour", "minutes"]].mean()

    >>> f = shape_features()
    >>> bool(f["mean_session_hour"].between(0, 24).all())
    True
    """
    from course_utils.data.loaders import load_sessions

    s = load_sessions() if sessions is None else sessions
    start = s["start_time"]
    hour = start.dt.hour + start.dt.minute / 60 + start.dt.second / 3600
    out = (
        pd.DataFrame(
            {"customer_id": s["customer_id"], "mean_session_hour": hour, "mean_session_minutes": s["duration_s"] / 60}
        )
        .groupby("customer_id", sort=True)[["mean_session_hour", "mean_session_minutes"]]
        .mean()
    )
    return out
