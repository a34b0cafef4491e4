"""Data for the course: Larkspur & Co (synthetic) and real data sets, loaded offline.

**Larkspur & Co** is the course's fictional company: a UK online retailer of
home, kitchen and garden goods, trading since 2022. Its data run to the
snapshot date :data:`SNAPSHOT_DATE`; one ``customer_id`` links every table.
``make data`` builds the files from a seed (see :mod:`course_tools.generator`);
``datasets/README.md`` describes every column.

>>> from course_utils.data import load_customers, SNAPSHOT_DATE, FX_TO_GBP
>>> SNAPSHOT_DATE
'2025-12-31'
>>> len(load_customers())
5000
"""

from __future__ import annotations

from course_utils.data.constants import COMPANY, FX_TO_GBP, SNAPSHOT_DATE, START_DATE
from course_utils.data.features import shape_features
from course_utils.data.loaders import (
    DataFileError,
    connect_db,
    db_path,
    load_campaign,
    load_customers,
    load_ground_truth,
    load_reviews,
    load_sessions,
    load_transactions,
)
from course_utils.data.real import load_caravan, load_cdnow, load_credit_card, load_fine_food_reviews

__all__ = [
    "COMPANY",
    "FX_TO_GBP",
    "SNAPSHOT_DATE",
    "START_DATE",
    "DataFileError",
    "connect_db",
    "db_path",
    "load_campaign",
    "load_caravan",
    "load_cdnow",
    "load_credit_card",
    "load_customers",
    "load_fine_food_reviews",
    "load_ground_truth",
    "load_reviews",
    "load_sessions",
    "load_transactions",
    "shape_features",
]
