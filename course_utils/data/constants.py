"""Facts about the course company, Larkspur & Co, shared by the generator and the loaders.

>>> SNAPSHOT_DATE
'2025-12-31'
>>> round(100 * FX_TO_GBP["EUR"], 2)
85.0
"""

from __future__ import annotations

COMPANY = "Larkspur & Co"
#: The data run from the first trading day to the end of this day (the "today" of every analysis).
START_DATE = "2022-01-01"
SNAPSHOT_DATE = "2025-12-31"
#: Fixed course exchange rates, GBP per unit of currency (not market rates; never change them:
#: the raw -> clean rules and the tests depend on them).
FX_TO_GBP: dict[str, float] = {"GBP": 1.0, "EUR": 0.85, "USD": 0.79}
