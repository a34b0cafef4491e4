"""Code book of the Caravan insurance data (CoIL Challenge 2000), for the capstone.

The columns of :func:`course_utils.data.load_caravan` have Dutch abbreviations and hold *codes*,
not amounts. This module gives each column an English description and says what its codes mean,
following the data dictionary published with the CoIL Challenge 2000 data (P. van der Putten and
M. van Someren, Sentient Machine Research, 2000; also in the documentation of R's ``ISLR::Caravan``).

- Columns 6-41 (``MGODRK`` ... ``MINK123M``) are **shares of the customer's postcode area**, coded
  0-9 in bands: 0 = 0%, 1 = 1-10%, 2 = 11-23%, ..., 8 = 89-99%, 9 = 100%. :func:`share_percent`
  turns a code into the middle of its band, in percent.
- ``P...`` columns are the **contribution** (yearly premium) to a kind of policy, coded 0-9 in
  bands of Dutch guilders (:data:`CONTRIBUTION_BANDS`); ``A...`` columns are **numbers of policies**.
- ``MOSHOOFD`` (10 main types) and ``MOSTYPE`` (41 subtypes) are the data vendor's commercial
  segments: categories, not quantities.
- ``Purchase`` is the original ``CARAVAN`` column: does the customer hold a caravan policy?

>>> share_percent(0), share_percent(5), share_percent(9)
(0.0, 56.0, 100.0)
>>> MAIN_TYPES[8]
'Family with grown ups'
>>> describe("PPERSAUT")
'contribution to car policies (code 0-9, bands of guilders)'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MAIN_TYPES",
    "AGE_BANDS",
    "SHARE_BANDS",
    "CONTRIBUTION_BANDS",
    "SHARE_COLUMNS",
    "SENSITIVE_COLUMNS",
    "DESCRIPTIONS",
    "share_percent",
    "describe",
]

#: ``MOSHOOFD``, the vendor's customer main type (code -> name, as published).
MAIN_TYPES: dict[int, str] = {
    1: "Successful hedonists",
    2: "Driven growers",
    3: "Average family",
    4: "Career loners",
    5: "Living well",
    6: "Cruising seniors",
    7: "Retired and religious",
    8: "Family with grown ups",
    9: "Conservative families",
    10: "Farmers",
}

#: ``MGEMLEEF``, average age band of the postcode area.
AGE_BANDS: dict[int, str] = {1: "20-30", 2: "30-40", 3: "40-50", 4: "50-60", 5: "60-70", 6: "70-80"}

#: Codes of the postcode-area shares (columns 6-41): code -> band of percentages.
SHARE_BANDS: dict[int, str] = {
    0: "0%",
    1: "1-10%",
    2: "11-23%",
    3: "24-36%",
    4: "37-49%",
    5: "50-62%",
    6: "63-75%",
    7: "76-88%",
    8: "89-99%",
    9: "100%",
}
_SHARE_MID: dict[int, float] = {0: 0.0, 1: 5.5, 2: 17.0, 3: 30.0, 4: 43.0, 5: 56.0, 6: 69.0, 7: 82.0, 8: 94.0, 9: 100.0}

#: Codes of the ``P...`` contribution columns: code -> yearly premium band in Dutch guilders.
CONTRIBUTION_BANDS: dict[int, str] = {
    0: "f 0",
    1: "f 1-49",
    2: "f 50-99",
    3: "f 100-199",
    4: "f 200-499",
    5: "f 500-999",
    6: "f 1,000-4,999",
    7: "f 5,000-9,999",
    8: "f 10,000-19,999",
    9: "f 20,000 or more",
}

_AREA = {
    "MGODRK": "Roman Catholic",
    "MGODPR": "Protestant",
    "MGODOV": "other religion",
    "MGODGE": "no religion",
    "MRELGE": "married",
    "MRELSA": "living together",
    "MRELOV": "other relation",
    "MFALLEEN": "singles",
    "MFGEKIND": "households without children",
    "MFWEKIND": "households with children",
    "MOPLHOOG": "high education",
    "MOPLMIDD": "medium education",
    "MOPLLAAG": "lower education",
    "MBERHOOG": "high status",
    "MBERZELF": "entrepreneurs",
    "MBERBOER": "farmers",
    "MBERMIDD": "middle management",
    "MBERARBG": "skilled labourers",
    "MBERARBO": "unskilled labourers",
    "MSKA": "social class A",
    "MSKB1": "social class B1",
    "MSKB2": "social class B2",
    "MSKC": "social class C",
    "MSKD": "social class D",
    "MHHUUR": "rented homes",
    "MHKOOP": "home owners",
    "MAUT1": "1 car",
    "MAUT2": "2 cars",
    "MAUT0": "no car",
    "MZFONDS": "national health service",
    "MZPART": "private health insurance",
    "MINKM30": "income < 30,000",
    "MINK3045": "income 30,000-45,000",
    "MINK4575": "income 45,000-75,000",
    "MINK7512": "income 75,000-122,000",
    "MINK123M": "income > 123,000",
}
_POLICIES = {
    "WAPART": "private third-party",
    "WABEDR": "third-party (firms)",
    "WALAND": "third-party (agriculture)",
    "PERSAUT": "car",
    "BESAUT": "delivery van",
    "MOTSCO": "motorcycle/scooter",
    "VRAAUT": "lorry",
    "AANHANG": "trailer",
    "TRACTOR": "tractor",
    "WERKT": "agricultural machine",
    "BROM": "moped",
    "LEVEN": "life",
    "PERSONG": "private accident",
    "GEZONG": "family accident",
    "WAOREG": "disability",
    "BRAND": "fire",
    "ZEILPL": "surfboard",
    "PLEZIER": "boat",
    "FIETS": "bicycle",
    "INBOED": "property",
    "BYSTAND": "social security",
}

#: The 36 postcode-area share columns coded with :data:`SHARE_BANDS`.
SHARE_COLUMNS: list[str] = list(_AREA)

#: Columns describing religion: a special category of personal data under GDPR article 9. Audit
#: segments against them; do not target with them.
SENSITIVE_COLUMNS: list[str] = ["MGODRK", "MGODPR", "MGODOV", "MGODGE"]

#: English description of every column of ``load_caravan()``.
DESCRIPTIONS: dict[str, str] = {
    "MOSTYPE": "customer subtype (vendor segment, 41 categories)",
    "MAANTHUI": "number of houses (1-10)",
    "MGEMOMV": "average household size (1-6)",
    "MGEMLEEF": "average age band (code 1-6, see AGE_BANDS)",
    "MOSHOOFD": "customer main type (vendor segment, 10 categories, see MAIN_TYPES)",
    **{col: f"share of area: {text} (code 0-9, see SHARE_BANDS)" for col, text in _AREA.items()},
    "MINKGEM": "average income (code 0-9)",
    "MKOOPKLA": "purchasing power class (1-8)",
    **{f"P{key}": f"contribution to {text} policies (code 0-9, bands of guilders)" for key, text in _POLICIES.items()},
    **{f"A{key}": f"number of {text} policies" for key, text in _POLICIES.items()},
    "Purchase": "holds a caravan (mobile home) policy: the original CARAVAN column (No/Yes)",
}


def share_percent(code: Any) -> Any:
    """The middle of a share code's band, in percent (a number, an array or a pandas object).

    >>> share_percent(pd.Series([0, 3, 9])).tolist()
    [0.0, 30.0, 100.0]
    """
    if isinstance(code, pd.DataFrame):
        return code.apply(share_percent)
    if isinstance(code, pd.Series):
        bad = ~code.isin(list(_SHARE_MID))
        if bad.any():
            raise ValueError(f"share codes are 0-9; {code.name!r} holds {code[bad].iloc[0]!r}.")
        return code.map(_SHARE_MID).astype(float)
    values = np.asarray(code)
    if values.ndim == 0:
        key = int(values)
        if key not in _SHARE_MID:
            raise ValueError(f"share codes are 0-9, got {code!r}.")
        return _SHARE_MID[key]
    return np.vectorize(share_percent, otypes=[float])(values)


def describe(column: str) -> str:
    """English description of a Caravan column (``KeyError`` with the valid names if unknown)."""
    try:
        return DESCRIPTIONS[column]
    except KeyError:
        raise KeyError(
            f"{column!r} is not a Caravan column; valid names include {', '.join(list(DESCRIPTIONS)[:6])}, ..."
        ) from None
