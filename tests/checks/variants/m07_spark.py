"""Variants for assignment 07-spark: every stated property violated once, other right spellings.

The Spark answers are built with a real session (Java 17 needed; without it the cases skip with one
line, and fail under CI=true), from the factories of ``tests/checks/known_wrong/m07_spark.py``.
"""

from __future__ import annotations

from typing import Any

from tests.checks.known_wrong.m07_spark import (
    COUNTED_IN_SPARK,
    PANDAS_GROUPBY,
    VALUE_COUNTS,
    _invoices,
    _logged,
    _rfm,
    _rfm_given,
    _session,
    _sizes,
    _typed,
)
from tests.checks.variants import Right, Wrong, reindexed


def _without_first_customer(frame: Any) -> Any:
    from pyspark.sql import functions as F

    first = frame.orderBy("customer_id").first()["customer_id"]
    return frame.where(F.col("customer_id") != first)


def _as_driver_frame(frame: Any) -> Any:
    """The right table, collected and handed back to Spark: it no longer reads transactions.csv."""
    return _session()[0].createDataFrame(frame.toPandas())


def _sizes_from_one() -> Any:
    series = _sizes()
    series.index = series.index + 1
    return series


VARIANTS = {
    "q1": [
        Right("Spark SQL with COUNT(DISTINCT invoice)", lambda: _invoices("sql")),
        Right("cached (cache what you reuse)", lambda: _invoices().cache()),
        Right("persisted", lambda: _invoices().persist()),
        Right("checkpointed (localCheckpoint)", lambda: _invoices().localCheckpoint()),
        Right("computed from cached purchase lines", lambda: _invoices("cached_lines")),
        Wrong("type", "pandas DataFrame", lambda: _invoices("pandas")),
        Wrong("source", "does not read transactions.csv", lambda: _as_driver_frame(_invoices())),
        Wrong("source", "does not read transactions.csv", lambda: _as_driver_frame(_invoices()).localCheckpoint()),
        Wrong("columns", "exactly the columns", lambda: _invoices("extra")),
        Wrong("rows", "one row for every customer", lambda: _without_first_customer(_invoices())),
        Wrong("purchases", "return invoices", lambda: _invoices("returns")),
        Wrong("invoices", "order lines", lambda: _invoices("lines")),
    ],
    "q2": [
        Right("the DataFrame API (course_utils' Spark SQL query)", _rfm_given),
        Right("the DataFrame API written out", _rfm),
        Right("cached", lambda: _rfm().cache()),
        Right("checkpointed", lambda: _rfm().localCheckpoint()),
        Wrong("type", "pandas DataFrame", lambda: _rfm().toPandas()),
        Wrong("source", "does not read transactions.csv", lambda: _as_driver_frame(_rfm())),
        Wrong("columns", "exactly the columns", lambda: _rfm().withColumnRenamed("monetary_gbp", "monetary")),
        Wrong("rows", "one row for every customer", lambda: _without_first_customer(_rfm())),
        Wrong("snapshot", "SNAPSHOT day", lambda: _rfm("strict")),
        Wrong("snapshot", "after SNAPSHOT", lambda: _rfm("all_dates")),
        Wrong("recency", "last purchase", lambda: _rfm("last_line")),
        Wrong("frequency", "order lines", lambda: _rfm("lines")),
        Wrong("monetary", "returns", lambda: _rfm("gross")),
        Wrong(
            "recency",
            "wrong way round",
            lambda: _rfm().selectExpr("customer_id", "-recency_days AS recency_days", "frequency", "monetary_gbp"),
        ),
    ],
    "q3": [
        Right("withColumn and when(...) for the clip", lambda: _logged("withcolumn")),
        Right("Spark SQL on a temporary view", lambda: _logged("sql")),
        Right("persisted", lambda: _logged().persist()),
        Wrong("type", "pandas DataFrame", lambda: _logged().toPandas()),
        Wrong("columns", "exactly the columns", lambda: _logged("names")),
        Wrong("rows", "one row for every customer", lambda: _without_first_customer(_logged())),
        Wrong("values", "log1p", lambda: _logged("log")),
        Wrong("values", "clip negative values to 0", lambda: _logged("noclip")),
        Wrong("values", "(abs)", lambda: _logged("abs")),
        Wrong("builtin", "Python UDF", lambda: _logged("udf")),
    ],
    "q4": [
        Right("a Series built from a dict of the k counts", lambda: _sizes("value_counts")),
        Right("counts as floats", lambda: _sizes().astype(float)),
        Right("groupBy in Spark, as typed in the notebook", lambda: _typed(COUNTED_IN_SPARK)),
        Wrong("type", "DataFrame", lambda: _sizes("frame")),
        Wrong("index", "segment numbers", lambda: _sizes_from_one()),
        Wrong("index", "segment order", lambda: _sizes("unsorted")),
        Wrong("index", "segment number", lambda: reindexed(_sizes()).set_axis(["a", "b", "c", "d"])),
        Wrong("values", "do not refit", lambda: _sizes("refit")),
        Wrong("values", "add up", lambda: _sizes("shares")),
        Wrong("spark", "counted on the driver", lambda: _typed(VALUE_COUNTS)),
        Wrong("spark", "counted on the driver", lambda: _typed(PANDAS_GROUPBY)),
    ],
}
