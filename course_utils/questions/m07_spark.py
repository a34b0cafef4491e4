"""Checks for assignment ``07-spark``: the course-wide RFM and segments on Apache Spark.

Every reference is computed here with pandas from the loaders (:func:`course_utils.features.rfm_table`),
never from the student's Spark objects, so a slip in a student's session cannot move it. A Spark
answer is collected (it is one row per customer: small) and compared row by row after sorting by
``customer_id``; how it was computed is read from its plan (which files it reads, whether a Python
UDF runs).

>>> PROPERTIES["q1"]["invoices"]
'frequency counts distinct purchase invoices, not order lines'
>>> sorted(QUESTIONS)
['q1', 'q2', 'q3', 'q4']
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import Incorrect, Question, require_type
from course_utils.features import RFM_COLUMNS

__all__ = ["SNAPSHOT", "K", "SEED", "PROPERTIES", "QUESTIONS", "given_rfm", "fitted_model", "q1", "q2", "q3", "q4"]

#: The snapshot ("today") of questions 2 to 4: mid-2025, so later lines exist and must be left out.
SNAPSHOT = "2025-06-30"
#: Segments and seed of the ``pyspark.ml`` pipeline of question 4.
K, SEED = 4, 0
#: The log columns question 3 asks for.
LOG_COLUMNS = tuple(f"log_{c}" for c in RFM_COLUMNS)

#: What each task states, property by property (the checks test each one, in this order).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "a Spark DataFrame (aggregated by Spark, not a pandas table)",
        "source": "computed by Spark from `lines` (it reads transactions.csv)",
        "columns": "exactly the columns customer_id and frequency",
        "rows": "one row per customer with at least one purchase",
        "purchases": "returns (quantity <= 0) are not counted",
        "invoices": "frequency counts distinct purchase invoices, not order lines",
    },
    "q2": {
        "type": "a Spark DataFrame",
        "source": "computed by Spark from `lines`",
        "columns": "exactly customer_id, recency_days, frequency, monetary_gbp",
        "rows": "one row per customer with a purchase on or before SNAPSHOT",
        "snapshot": "only lines dated on or before SNAPSHOT (the snapshot day included) count",
        "recency": "recency_days: calendar days from the last purchase day to SNAPSHOT",
        "frequency": "frequency: distinct purchase invoices",
        "monetary": "monetary_gbp: quantity * unit_price summed over all lines, returns included (net)",
    },
    "q3": {
        "type": "a Spark DataFrame",
        "columns": "customer_id and log_recency_days, log_frequency, log_monetary_gbp",
        "rows": "one row per customer of rfm_given",
        "values": "log1p of each RFM column, negatives clipped to 0 first",
        "builtin": "computed with Spark's built-in functions, no Python UDF",
    },
    "q4": {
        "type": "a pandas Series (only the counts are collected)",
        "index": "indexed by segment number 0 to K-1, in order",
        "values": "the number of customers of rfm_given in each segment of `model`",
    },
}


# -- references (pandas, from the loaders; fresh copies every time) -------------------------


@functools.lru_cache(maxsize=1)
def _transactions() -> pd.DataFrame:
    from course_utils.data import load_transactions

    return load_transactions()


def _purchases() -> pd.DataFrame:
    tx = _transactions()
    return tx[tx["quantity"] > 0]


@functools.lru_cache(maxsize=1)
def _rfm_reference() -> pd.DataFrame:
    from course_utils.features import rfm_table

    return rfm_table(_transactions(), snapshot_date=SNAPSHOT)


def given_rfm(spark: Any, lines: Any) -> Any:
    """``rfm_given`` of questions 3 and 4: the course's answer to question 2, built in Spark."""
    from course_utils.spark import rfm_sql

    return rfm_sql(spark, lines, SNAPSHOT)


def fitted_model(rfm: Any) -> Any:
    """``model`` of question 4: log, scaling and k-means (k = 4, seed 0) fitted on ``rfm`` (a fresh fit)."""
    from course_utils.spark import segment_pipeline

    return segment_pipeline(k=K, seed=SEED).fit(rfm)


@functools.lru_cache(maxsize=1)
def _segment_counts_reference() -> tuple[int, ...]:
    """Customers per segment of the reference model, in a session of its own data (computed once)."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from course_utils.spark import read_transactions

    spark = SparkSession.getActiveSession()
    if spark is None:
        from course_utils.spark import spark_session

        spark = spark_session()
    rfm = given_rfm(spark, read_transactions(spark))
    scored = fitted_model(rfm).transform(rfm)
    rows = scored.groupBy("segment").agg(F.count("*").alias("n")).orderBy("segment").collect()
    return tuple(int(r["n"]) for r in rows)


# -- what every Spark answer must be ---------------------------------------------------------


def _spark_frame(value: Any, name: str, *, need_source: bool = True) -> None:
    try:
        from pyspark.sql import DataFrame
    except ImportError:  # pragma: no cover - PySpark is a course dependency
        raise Incorrect("PySpark is not installed in this kernel; run `make setup`.") from None
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            f"`{name}` is a pandas DataFrame: do the work in Spark and keep the result a Spark DataFrame "
            "(calling toPandas() before aggregating brings every order line to the driver)."
        )
    require_type(value, DataFrame, f"`{name}`")
    if need_source and not any(str(f).endswith("transactions.csv") for f in value.inputFiles()):
        raise Incorrect(
            f"`{name}` does not read transactions.csv: compute it from `lines` in Spark, not from a table "
            "you built on the driver (spark.createDataFrame of a pandas result)."
        )


def _collect(value: Any, name: str, columns: tuple[str, ...], max_rows: int) -> pd.DataFrame:
    got = list(value.columns)
    if sorted(got) != sorted(columns):
        missing = [c for c in columns if c not in got]
        extra = [c for c in got if c not in columns]
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unexpected {', '.join(extra)}"] if extra else []
        )
        raise Incorrect(f"`{name}` should have exactly the columns {', '.join(columns)} ({'; '.join(parts)}).")
    table = value.limit(max_rows + 1).toPandas()
    if len(table) > max_rows:
        raise Incorrect(f"`{name}` has more rows than there are customers: one row per customer, please.")
    if table["customer_id"].duplicated().any():
        raise Incorrect(f"`{name}` has several rows for some customers: group by customer_id.")
    table["customer_id"] = table["customer_id"].astype(str)
    return table.set_index("customer_id").sort_index()


def _same(a: pd.Series, b: pd.Series, tol: float = 1e-6) -> bool:
    a = pd.to_numeric(a, errors="coerce").astype(float)
    b = pd.to_numeric(b.reindex(a.index), errors="coerce").astype(float)
    return bool(np.allclose(a.to_numpy(), b.to_numpy(), rtol=0, atol=tol, equal_nan=False))


# -- q1: invoices per customer -----------------------------------------------------------


def _check_frequency(value: Any) -> None:
    _spark_frame(value, "invoices")
    n_customers = _transactions()["customer_id"].nunique()
    table = _collect(value, "invoices", ("customer_id", "frequency"), n_customers)
    buys = _purchases()
    right = buys.groupby("customer_id")["invoice"].nunique()
    if set(table.index) != set(right.index):
        if set(right.index) < set(table.index):
            raise Incorrect("`invoices` has customers who only returned goods: keep purchases (quantity > 0).")
        raise Incorrect("`invoices` should have one row for every customer with at least one purchase.")
    got = table["frequency"]
    if _same(got, right):
        return
    tx = _transactions()
    if _same(got, buys.groupby("customer_id").size()):
        raise Incorrect("`frequency` counts order lines: count distinct invoices (an order has several lines).")
    if _same(got, tx.groupby("customer_id")["invoice"].nunique()):
        raise Incorrect("`frequency` counts return invoices too: count purchases only (quantity > 0).")
    raise Incorrect("`frequency` is not the number of distinct purchase invoices of each customer.")


q1 = Question(
    "invoices",
    _check_frequency,
    hints=[
        "Filter `lines` to purchases, group by customer_id and count the distinct invoices.",
        "`F.countDistinct('invoice')` (or `COUNT(DISTINCT invoice)` in Spark SQL) counts invoices; "
        "`F.count('*')` would count order lines.",
        "`lines.where('quantity > 0').groupBy('customer_id').agg(F.countDistinct('invoice').alias('frequency'))`",
    ],
    solution=(
        "invoices = (lines.where(F.col('quantity') > 0)\n"
        "            .groupBy('customer_id')\n"
        "            .agg(F.countDistinct('invoice').alias('frequency')))"
    ),
    praise="Spark counted the invoices where the data is; only the answer (one row per customer) came back.",
)


# -- q2: the course-wide RFM at SNAPSHOT ---------------------------------------------------


def _check_rfm(value: Any) -> None:
    _spark_frame(value, "rfm")
    right = _rfm_reference()
    table = _collect(value, "rfm", ("customer_id", *RFM_COLUMNS), _transactions()["customer_id"].nunique())
    tx = _transactions()
    day = tx["invoice_date"].dt.normalize()
    snap = pd.Timestamp(SNAPSHOT)
    if set(table.index) != set(right.index):
        ever = set(_purchases()["customer_id"])
        before_day = set(_purchases().loc[_purchases()["invoice_date"].dt.normalize() < snap, "customer_id"])
        if set(table.index) == ever:
            raise Incorrect("`rfm` has customers whose first purchase came after SNAPSHOT: keep lines on or before it.")
        if set(table.index) == before_day:
            raise Incorrect("`rfm` leaves out purchases made on the SNAPSHOT day itself: 'on or before' includes it.")
        raise Incorrect("`rfm` should have one row for every customer with a purchase on or before SNAPSHOT.")
    if not _same(table["recency_days"], right["recency_days"]):
        buys = _purchases()
        last_any = tx[day <= snap].groupby("customer_id")["invoice_date"].max().dt.normalize()
        if _same(table["recency_days"], (snap - last_any).dt.days):
            raise Incorrect(
                "`recency_days` counts from the last line, returns included: use the last purchase (quantity > 0)."
            )
        exact = snap - buys[buys["invoice_date"].dt.normalize() <= snap].groupby("customer_id")["invoice_date"].max()
        if _same(table["recency_days"], exact.dt.days) or _same(
            table["recency_days"], exact.dt.total_seconds() / 86400
        ):
            raise Incorrect(
                "`recency_days` counts 24-hour periods from the time of day: count calendar days (to_date first)."
            )
        if _same(-table["recency_days"].astype(float), right["recency_days"]):
            raise Incorrect(
                "`recency_days` is negative: the subtraction is the wrong way round. Recency counts the days "
                "*since* the last purchase: datediff(SNAPSHOT, last purchase day), the later date first."
            )
        raise Incorrect("`recency_days` is not the number of calendar days from the last purchase to SNAPSHOT.")
    if not _same(table["frequency"], right["frequency"]):
        buys = _purchases()
        upto = buys[buys["invoice_date"].dt.normalize() <= snap]
        if _same(table["frequency"], upto.groupby("customer_id").size()):
            raise Incorrect("`frequency` counts order lines: count distinct purchase invoices.")
        raise Incorrect("`frequency` is not the number of distinct purchase invoices on or before SNAPSHOT.")
    if not _same(table["monetary_gbp"], right["monetary_gbp"], tol=0.005):
        lines = tx[day <= snap]
        gross = (lines["quantity"].clip(lower=0) * lines["unit_price"]).groupby(lines["customer_id"]).sum()
        if _same(table["monetary_gbp"], gross, tol=0.005):
            raise Incorrect(
                "`monetary_gbp` leaves out the returns: sum quantity * unit_price over all lines (net spend)."
            )
        raise Incorrect("`monetary_gbp` is not the net spend (quantity * unit_price, all lines up to SNAPSHOT).")


q2 = Question(
    "rfm",
    _check_rfm,
    hints=[
        "Keep the lines dated on or before SNAPSHOT (compare `to_date(invoice_date)`, not the timestamp), "
        "then one aggregation per customer gives the three numbers.",
        "Recency uses purchases only: `MAX(day) FILTER (WHERE quantity > 0)`; frequency counts distinct "
        "purchase invoices; monetary sums `quantity * unit_price` over every line (returns are negative).",
        "`datediff(DATE '2025-06-30', last_purchase_day)` counts calendar days. Lesson 7c's RFM_SQL is the "
        "same query with the snapshot written in.",
    ],
    solution=(
        "lines.createOrReplaceTempView('transactions')\n"
        "rfm = spark.sql(f'''\n"
        "    WITH l AS (SELECT customer_id, invoice, quantity, to_date(invoice_date) AS day,\n"
        "                      quantity * unit_price AS value\n"
        "               FROM transactions WHERE to_date(invoice_date) <= DATE '{SNAPSHOT}')\n"
        "    SELECT customer_id,\n"
        "           datediff(DATE '{SNAPSHOT}', MAX(day) FILTER (WHERE quantity > 0)) AS recency_days,\n"
        "           COUNT(DISTINCT invoice) FILTER (WHERE quantity > 0) AS frequency,\n"
        "           CAST(SUM(value) AS DOUBLE) AS monetary_gbp\n"
        "    FROM l GROUP BY customer_id\n"
        "    HAVING COUNT(*) FILTER (WHERE quantity > 0) > 0''')"
    ),
    praise="The same RFM as rfm_table in pandas, row for row, computed where the data lives.",
)


# -- q3: the log step with built-in functions ------------------------------------------------


def _uses_python_udf(frame: Any) -> bool:
    plan = frame._jdf.queryExecution().optimizedPlan().toString()
    return any(word in plan for word in ("BatchEvalPython", "ArrowEvalPython", "PythonUDF"))


#: Made-up rows like ``rfm_given``'s for the clipping rule: no customer of ``rfm_given`` has a negative
#: net spend, so the check also runs the student's ``logged`` with these rows in its place.
EDGE_CUSTOMERS = (("X1", 10, 2, -25.0), ("X2", 0, 1, 0.0), ("X3", 5, 3, -0.5), ("X4", 3, 1, 120.0))


def _seq(jvm: Any, items: list[Any]) -> Any:
    java_list = jvm.java.util.ArrayList()
    for item in items:
        java_list.add(item)
    return jvm.scala.jdk.javaapi.CollectionConverters.asScala(java_list).toSeq()


def _on_edge_customers(frame: Any) -> pd.DataFrame | None:
    """``frame`` computed again with ``EDGE_CUSTOMERS`` instead of the rows of ``rfm_given``.

    The plan of ``frame`` is walked down (one input per step) to the part whose columns are exactly
    those of ``rfm_given``; that part is replaced by a local table of the edge rows, with the same
    column ids, and the student's own steps above it run again. Returns None when the plan has another
    shape (a join, several inputs) or this Spark does not offer these internals: the check then
    relies on ``rfm_given`` alone.
    """
    import json

    from pyspark.sql import DataFrame
    from pyspark.sql.types import FractionalType, IntegralType, StructType

    try:
        spark = frame.sparkSession
        jvm = spark._jvm
        wanted = ["customer_id", *RFM_COLUMNS]

        def names(node: Any) -> list[str]:
            out = node.output()
            return [out.apply(i).name() for i in range(out.size())]

        chain = [frame._jdf.queryExecution().analyzed()]
        while names(chain[-1]) != wanted:
            if chain[-1].children().size() != 1:
                return None
            chain.append(chain[-1].children().apply(0))
        given = chain.pop()
        schema = StructType.fromJson(json.loads(given.schema().json()))
        cast: list[Any] = [
            int if isinstance(f.dataType, IntegralType) else float if isinstance(f.dataType, FractionalType) else str
            for f in schema.fields
        ]
        rows = [tuple(c(v) for c, v in zip(cast, row, strict=False)) for row in EDGE_CUSTOMERS]
        collected = spark.createDataFrame(rows, schema=schema)._jdf.queryExecution().executedPlan().executeCollect()
        local_class = jvm.org.apache.spark.sql.catalyst.plans.logical.LocalRelation
        data = _seq(jvm, [collected[i].copy() for i in range(len(collected))])
        plan = local_class(given.output(), data, False, jvm.scala.Option.empty())
        for node in reversed(chain):
            plan = node.withNewChildren(_seq(jvm, [plan]))
        jdf = jvm.org.apache.spark.sql.classic.Dataset.ofRows(spark._jsparkSession, plan)
        local: Any = DataFrame(jdf, spark).toPandas()
        return local.set_index("customer_id").sort_index()
    except Exception:  # noqa: BLE001 - Spark internals differ between versions: fall back to rfm_given alone
        return None


def _check_edge_customers(value: Any) -> None:
    """The clipping rule, on customers with a negative net spend (see ``EDGE_CUSTOMERS``)."""
    table = _on_edge_customers(value)
    if table is None:
        return
    given = pd.DataFrame(EDGE_CUSTOMERS, columns=["customer_id", *RFM_COLUMNS]).set_index("customer_id")
    for column in RFM_COLUMNS:
        got = pd.to_numeric(table[f"log_{column}"], errors="coerce").astype(float)
        if _same(got, np.log1p(given[column].clip(lower=0))):
            continue
        negative = given.index[(given[column] < 0).to_numpy()]
        mine = got.reindex(negative)
        if mine.isna().any():
            raise Incorrect(
                f"`log_{column}` is empty (NaN) for a customer whose {column} is negative, a net refund: clip "
                "negative values to 0 before log1p. rfm_given has no such customer; the check tried one."
            )
        if _same(mine, np.log1p(given[column].abs().reindex(negative))):
            raise Incorrect(
                f"`log_{column}` turns a net refund into a spend of the same size (abs): clip negative values "
                "to 0 instead, e.g. F.greatest(F.col(c), F.lit(0))."
            )
        raise Incorrect(
            f"`log_{column}` is not log1p of {column} with negatives clipped to 0 for customers with a "
            "negative net spend (rfm_given has none; the check tried a few)."
        )


def _check_logged(value: Any) -> None:
    _spark_frame(value, "logged")
    right = np.log1p(_rfm_reference().clip(lower=0))
    table = _collect(value, "logged", ("customer_id", *LOG_COLUMNS), _transactions()["customer_id"].nunique())
    if set(table.index) != set(right.index):
        raise Incorrect("`logged` should have one row for every customer of `rfm_given`.")
    for column in RFM_COLUMNS:
        got = table[f"log_{column}"]
        if _same(got, right[column]):
            continue
        raw = _rfm_reference()[column]
        if _same(got, np.log(raw.where(raw > 0))):
            raise Incorrect(f"`log_{column}` uses log, not log1p: log(0) is minus infinity; use log1p.")
        kept = raw.index[(raw >= 0).to_numpy()]
        if len(kept) < len(raw) and _same(got.reindex(kept), right[column].reindex(kept)):
            raise Incorrect(f"`log_{column}`: clip negative values to 0 before log1p (a net refund has no log).")
        raise Incorrect(f"`log_{column}` is not log1p of {column} (negatives clipped to 0 first).")
    _check_edge_customers(value)
    if _uses_python_udf(value):
        raise Incorrect(
            "`logged` runs a Python UDF: Spark then ships every row to Python and back. "
            "The built-in F.log1p and F.greatest do the same inside the JVM."
        )


q3 = Question(
    "logged",
    _check_logged,
    hints=[
        "Select customer_id and one new column per RFM column from `rfm_given`.",
        "`pyspark.sql.functions` has `log1p` and `greatest`; a column `F.greatest(F.col(c), F.lit(0))` clips at 0.",
        "`rfm_given.select('customer_id', *[F.log1p(F.greatest(F.col(c).cast('double'), F.lit(0.0))).alias('log_' + c) "
        "for c in ['recency_days', 'frequency', 'monetary_gbp']])`",
    ],
    solution=(
        "logged = rfm_given.select(\n"
        "    'customer_id',\n"
        "    *[F.log1p(F.greatest(F.col(c).cast('double'), F.lit(0.0))).alias(f'log_{c}')\n"
        "      for c in ['recency_days', 'frequency', 'monetary_gbp']])"
    ),
    praise="Built-in functions run inside the JVM, so Spark never ships a row to Python.",
)


# -- q4: segment sizes, collected small -------------------------------------------------------


def _check_sizes(value: Any) -> None:
    if not isinstance(value, pd.Series):
        if isinstance(value, pd.DataFrame):
            raise Incorrect("`segment_sizes` is a DataFrame: make it a Series (one count per segment).")
        require_type(value, pd.Series, "`segment_sizes`")
    right = _segment_counts_reference()
    index = list(value.index)
    try:
        as_ints = [int(i) for i in index]
    except (TypeError, ValueError):
        raise Incorrect("`segment_sizes` should be indexed by segment number (0, 1, 2, 3).") from None
    if sorted(as_ints) != list(range(K)) or any(float(i) != int(i) for i in index):
        raise Incorrect(f"`segment_sizes` should be indexed by the segment numbers 0 to {K - 1}, one row each.")
    if as_ints != list(range(K)):
        raise Incorrect("`segment_sizes` should be in segment order (0, 1, 2, 3): sort by segment.")
    got = pd.to_numeric(pd.Series(list(value)), errors="coerce").to_numpy(dtype=float)
    if np.isnan(got).any():
        raise Incorrect("`segment_sizes` should hold counts (numbers).")
    if int(got.sum()) != sum(right):
        raise Incorrect(
            "`segment_sizes` does not add up to the number of customers in `rfm_given`: score every customer once."
        )
    if not np.array_equal(got, np.asarray(right, dtype=float)):
        raise Incorrect(
            "`segment_sizes` does not hold the customers per segment of `model` (score with `model`, do not refit)."
        )


q4 = Question(
    "segment_sizes",
    _check_sizes,
    hints=[
        "`model.transform(rfm_given)` adds a column `segment`; count the customers per segment in Spark.",
        "groupBy('segment').count() is four rows: only those should come to the driver (toPandas on the small result).",
        "`model.transform(rfm_given).groupBy('segment').count().orderBy('segment').toPandas().set_index('segment')['count']`",
    ],
    solution=(
        "segment_sizes = (model.transform(rfm_given).groupBy('segment').count()\n"
        "                 .orderBy('segment').toPandas().set_index('segment')['count'])"
    ),
    praise="These are the customers per segment of `model`. Counted in Spark (groupBy), only these four numbers "
    "need to come to the driver, not one row per customer.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4}
