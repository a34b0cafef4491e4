"""``python -m course_tools data``: build Larkspur & Co's datasets from a seed.

Everything is drawn from one ``numpy.random.Generator`` and one seeded Faker,
in a fixed order, and written with fixed formatting, so the same seed and
scale give byte-identical files. INSTRUCTORS.md in ``datasets/`` explains
what is planted; this package is the reference for it (spoilers in every module).

One module per stage, in the order :func:`build` runs them:

- :mod:`~course_tools.generator.segments`: the planted segments and their parameters;
- :mod:`~course_tools.generator.catalogue`: the products;
- :mod:`~course_tools.generator.people`: customers' segments, sign-up, demographics, habits;
- :mod:`~course_tools.generator.customers`: the customers table with its fake personal data;
- :mod:`~course_tools.generator.orders`: orders, their days, hours and channels;
- :mod:`~course_tools.generator.lines`: order lines, returns, the transactions table;
- :mod:`~course_tools.generator.raw`: the raw transactions and customers exports;
- :mod:`~course_tools.generator.sessions`: web and app sessions;
- :mod:`~course_tools.generator.campaign`: the SPRING25 campaign;
- :mod:`~course_tools.generator.reviews` and :mod:`~course_tools.generator.text`: reviews;
- :mod:`~course_tools.generator.pipeline`: :func:`build`, the stages in order;
- :mod:`~course_tools.generator.writing` and :mod:`~course_tools.generator.cli`: files and command line;
- :mod:`~course_tools.generator.timeline`: the time axis and the text formats of dates and money.

>>> tables = build(seed=1, scale=0.02)
>>> sorted(tables)[:3]
['campaign', 'customers', 'ground_truth']
>>> len(tables["customers"])
100
"""

from __future__ import annotations

from course_tools.generator.cli import add_arguments, run
from course_tools.generator.pipeline import BASE_CUSTOMERS, DEFAULT_SCALE, DEFAULT_SEED, build
from course_tools.generator.writing import EVALUATION_README, write, write_db

__all__ = [
    "BASE_CUSTOMERS",
    "DEFAULT_SCALE",
    "DEFAULT_SEED",
    "EVALUATION_README",
    "add_arguments",
    "build",
    "run",
    "write",
    "write_db",
]
