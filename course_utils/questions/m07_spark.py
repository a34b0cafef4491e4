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

import ast
import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import Incorrect, Question, require_type
from course_utils.features import RFM_COLUMNS

__all__ = [
    "SNAPSHOT",
    "K",
    "SEED",
    "PROPERTIES",
    "QUESTIONS",
    "MAX_COPY_ROWS",
    "FrameCopy",
    "as_copy",
    "copy_frame",
    "counted_on_driver",
    "given_rfm",
    "fitted_model",
    "q1",
    "q2",
    "q3",
    "q4",
]

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
        "columns": "exactly the columns customer_id, log_recency_days, log_frequency, log_monetary_gbp",
        "rows": "one row per customer of rfm_given",
        "values": "log1p of each RFM column, negatives clipped to 0 first",
        "builtin": "computed with Spark's built-in functions, no Python UDF",
    },
    "q4": {
        "type": "a pandas Series (only the counts are collected)",
        "index": "indexed by segment number 0 to K-1, in order",
        "values": "the number of customers of rfm_given in each segment of `model`",
        "spark": "counted in Spark: only the counts come to the driver, not one row per customer",
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


# -- a Spark answer as data: what the checks read from it --------------------------------------

#: The most rows :func:`copy_frame` collects for the grader's copy of an answer (the default data has a few
#: thousand customers; every right answer has one row per customer). Beyond it the grader does not copy the
#: frame: its snapshot says "cannot be copied" and the cell goes to a person.
MAX_COPY_ROWS = 200_000
#: Words in an optimised plan that mean a Python UDF runs.
PYTHON_UDF_WORDS = ("BatchEvalPython", "ArrowEvalPython", "PythonUDF")
#: Where a scan of the course's files is named in a physical plan's description (Spark's explain text).
_LOCATION = re.compile(r"Location: \w+FileIndex(?:\(\d+ paths?\))?\s*\[([^\]]*)\]")
#: Scans of data the driver handed to Spark, in a physical plan's description.
_DRIVER_SCANS = ("LocalTableScan", "Scan ExistingRDD", "Scan OneRowRelation")


@dataclass(frozen=True)
class FrameCopy:
    """A Spark DataFrame as data: its columns, rows and lineage, all the checks of this assignment read.

    The checks take a live DataFrame or a copy; the grader's clean process gets copies (see
    ``course_tools.grading.snapshot``), so it needs no Spark session to re-check q1 to q3.

    ``reads``: the files it reads, through caches (``cache``, ``persist``) and checkpoints
    (``localCheckpoint``, ``checkpoint``); ``driver_built``: some of its data was handed to Spark by
    the driver (``createDataFrame`` of pandas or Python rows); ``edge``: for a frame with the columns of
    question 3, the same steps on ``EDGE_CUSTOMERS`` (None when they cannot be replayed); ``lineage_lost``:
    part of it is a checkpoint whose source Spark no longer records (``localCheckpoint(eager=False)``
    computed by another action before the check first saw it).
    """

    columns: tuple[str, ...]
    rows: pd.DataFrame
    more_rows: bool
    reads: tuple[str, ...]
    driver_built: bool
    python_udf: bool
    edge: pd.DataFrame | None = None
    lineage_lost: bool = False

    def reads_course_data(self) -> bool:
        """Whether it was computed by Spark from ``transactions.csv`` and nothing the driver built."""
        return (
            not self.driver_built and not self.lineage_lost and any(f.endswith("transactions.csv") for f in self.reads)
        )


def _jvm_seq(seq: Any) -> list[Any]:
    return [seq.apply(i) for i in range(seq.size())]


def _jvm_set(items: Any) -> list[Any]:
    out, it = [], items.iterator()
    while it.hasNext():
        out.append(it.next())
    return out


#: What the lineage walk finds under a plan: the files read, driver data in it, a checkpoint of unknown source.
Sources = tuple[set[str], bool, bool]
#: Checkpoints already traced, by (Spark application, RDD id): computing a lazy checkpoint cuts its lineage.
_TRACED: dict[tuple[str, int], Sources] = {}


def _plan_text_sources(text: str) -> Sources:
    """Files scanned and whether driver data is scanned, from a physical plan's description."""
    files = {f.strip() for found in _LOCATION.findall(text) for f in found.split(",") if f.strip()}
    return files, any(word in text for word in _DRIVER_SCANS), False


def _checkpoint_sources(spark: Any, rdd: Any) -> Sources:
    """:func:`_trace_checkpoint`, remembered per RDD (a second check sees what the first one saw)."""
    key = (str(spark.sparkContext.applicationId), int(rdd.id()))
    if key not in _TRACED:
        _TRACED[key] = _trace_checkpoint(spark, rdd)
    return _TRACED[key]


def _trace_checkpoint(spark: Any, rdd: Any) -> Sources:
    """What a checkpoint (the RDD of a ``LogicalRDD``) was computed from: ``(files, driver data?)``.

    A checkpoint cuts the plan: the ``LogicalRDD`` no longer says where its rows came from. The SQL
    execution that computed them (``localCheckpoint`` or ``checkpoint``, eager as by default) still
    does: its stages ran this RDD, and its physical plan names what it scanned. A frame Python code
    made (``createDataFrame``) is an RDD of Python rows, found by walking the RDD's own lineage.
    """
    files: set[str] = set()
    pending, seen = [rdd], set()
    while pending:  # the lineage still there (a lazy checkpoint not yet computed, createDataFrame)
        node = pending.pop()
        if node.id() in seen:
            continue
        seen.add(node.id())
        kind = node.getClass().getSimpleName()
        if kind in ("ParallelCollectionRDD", "PythonRDD"):
            return files, True, False
        if kind == "FileScanRDD":
            files |= {str(f.filePath()) for p in _jvm_seq(node.filePartitions()) for f in p.files()}
        pending += [d.rdd() for d in _jvm_seq(node.dependencies())]
    if files:
        return files, False, False
    app, sql = spark._jsparkSession.sparkContext().statusStore(), spark._jsparkSession.sharedState().statusStore()
    for execution in reversed(_jvm_seq(sql.executionsList())):  # the newest first
        if not str(execution.description()).startswith(("localCheckpoint", "checkpoint")):
            continue
        if any(rdd.id() in _stage_rdds(app, stage) for stage in _jvm_set(execution.stages())):
            return _plan_text_sources(str(execution.physicalPlanDescription()))
    return set(), False, True  # nothing says any more where its rows came from


def _stage_rdds(app: Any, stage: Any) -> list[int]:
    """The RDDs a stage ran; none for a stage Spark's status store no longer keeps (it keeps 1,000)."""
    from py4j.protocol import Py4JError

    try:
        return [int(i) for i in _jvm_seq(app.lastStageAttempt(stage).rddIds())]
    except Py4JError:
        return []


def _physical_sources(spark: Any, plan: Any) -> Sources:
    """Files and driver data under a physical plan (a cached frame's plan)."""
    kind = plan.getClass().getSimpleName()
    if kind == "FileSourceScanExec":
        return {str(f) for f in plan.relation().inputFiles()}, False, False
    if kind == "InMemoryTableScanExec":
        return _physical_sources(spark, plan.relation().cacheBuilder().cachedPlan())
    if kind == "RDDScanExec":
        return _checkpoint_sources(spark, plan.rdd())
    if kind == "LocalTableScanExec":
        return set(), True, False
    children = [plan.inputPlan()] if kind == "AdaptiveSparkPlanExec" else _jvm_seq(plan.children())
    return _merge(_physical_sources(spark, c) for c in children)


def _merge(parts: Any) -> Sources:
    files: set[str] = set()
    driver = lost = False
    for found, on_driver, unknown in parts:
        files |= found
        driver, lost = driver or on_driver, lost or unknown
    return files, driver, lost


def _logical_sources(spark: Any, plan: Any) -> Sources:
    """Files and driver data under a logical plan, through caches and checkpoints."""
    kind = plan.getClass().getSimpleName()
    if kind == "LogicalRelation":
        relation = plan.relation()
        return ({str(f) for f in relation.inputFiles()} if hasattr(relation, "inputFiles") else set()), False, False
    if kind == "InMemoryRelation":
        return _physical_sources(spark, plan.cacheBuilder().cachedPlan())
    if kind == "LogicalRDD":
        return _checkpoint_sources(spark, plan.rdd())
    if kind == "LocalRelation":
        return set(), True, False
    return _merge(_logical_sources(spark, c) for c in _jvm_seq(plan.children()))


def frame_sources(frame: Any) -> tuple[tuple[str, ...], bool, bool]:
    """The files a Spark DataFrame reads, whether the driver built part of it, whether a lineage was lost.

    See :class:`FrameCopy`. Walks the analysed plan (a cached frame's plan is its own), through checkpoints.
    """
    files, driver, lost = _logical_sources(frame.sparkSession, frame._jdf.queryExecution().analyzed())
    return tuple(sorted(files)), driver, lost


def _uses_python_udf(frame: Any) -> bool:
    plan = frame._jdf.queryExecution().optimizedPlan().toString()
    return any(word in plan for word in PYTHON_UDF_WORDS)


def copy_frame(frame: Any, max_rows: int = MAX_COPY_ROWS) -> FrameCopy:
    """A live Spark DataFrame as a :class:`FrameCopy`, with at most ``max_rows`` rows collected.

    ``more_rows`` says it has more (one more row is collected to know).
    """
    columns = tuple(str(c) for c in frame.columns)
    reads, driver, lost = frame_sources(frame)  # first: collecting computes a lazy checkpoint, cutting its lineage
    rows: pd.DataFrame = frame.limit(max_rows + 1).toPandas()
    more = len(rows) > max_rows
    edge = None
    if sorted(columns) == sorted(("customer_id", *LOG_COLUMNS)):
        edge = _on_edge_customers(frame)
    return FrameCopy(columns, rows.head(max_rows), more, reads, driver, _uses_python_udf(frame), edge, lost)


def as_copy(value: Any, max_rows: int = MAX_COPY_ROWS) -> FrameCopy | None:
    """``value`` as a :class:`FrameCopy` when it is a Spark DataFrame or already a copy of one, else None."""
    if type(value) is FrameCopy:
        return value
    try:
        from pyspark.sql import DataFrame
    except ImportError:  # pragma: no cover - PySpark is a course dependency
        return None
    return copy_frame(value, max_rows) if isinstance(value, DataFrame) else None


# -- what every Spark answer must be ---------------------------------------------------------


def _spark_frame(value: Any, name: str, *, need_source: bool = True) -> FrameCopy:
    """The answer as a :class:`FrameCopy` (rows up to one more than there are customers), or Incorrect."""
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            f"`{name}` is a pandas DataFrame: do the work in Spark and keep the result a Spark DataFrame "
            "(calling toPandas() before aggregating brings every order line to the driver)."
        )
    copy = as_copy(value, int(_transactions()["customer_id"].nunique()))
    if copy is None:
        from pyspark.sql import DataFrame

        require_type(value, DataFrame, f"`{name}`")
        raise Incorrect(f"`{name}` should be a Spark DataFrame.")  # pragma: no cover - require_type raised
    if need_source and copy.lineage_lost and not copy.driver_built:
        raise Incorrect(
            f"`{name}` is a checkpoint whose source Spark no longer records (localCheckpoint(eager=False), "
            "computed before this check): checkpoint eagerly, as by default, or leave the checkpoint out."
        )
    if need_source and not copy.reads_course_data():
        raise Incorrect(
            f"`{name}` does not read transactions.csv: compute it from `lines` in Spark, not from a table "
            "you built on the driver (spark.createDataFrame of a pandas result)."
        )
    return copy


def _collect(value: FrameCopy, name: str, columns: tuple[str, ...], max_rows: int) -> pd.DataFrame:
    got = list(value.columns)
    if sorted(got) != sorted(columns):
        missing = [c for c in columns if c not in got]
        extra = [c for c in got if c not in columns]
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unexpected {', '.join(extra)}"] if extra else []
        )
        raise Incorrect(f"`{name}` should have exactly the columns {', '.join(columns)} ({'; '.join(parts)}).")
    table = value.rows.copy()
    if value.more_rows or len(table) > max_rows:
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
    copy = _spark_frame(value, "invoices")
    n_customers = _transactions()["customer_id"].nunique()
    table = _collect(copy, "invoices", ("customer_id", "frequency"), n_customers)
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
    copy = _spark_frame(value, "rfm")
    right = _rfm_reference()
    table = _collect(copy, "rfm", ("customer_id", *RFM_COLUMNS), _transactions()["customer_id"].nunique())
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
        "`datediff(DATE '2025-06-30', last_purchase_day)` counts calendar days. Lesson 7c's Spark SQL `query` "
        "(run as `rfm_sql`) is the same query, with its SNAPSHOT_DATE where you use SNAPSHOT.",
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


def _check_edge_customers(value: FrameCopy) -> None:
    """The clipping rule, on customers with a negative net spend (see ``EDGE_CUSTOMERS``)."""
    table = value.edge
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
    copy = _spark_frame(value, "logged")
    right = np.log1p(_rfm_reference().clip(lower=0))
    table = _collect(copy, "logged", ("customer_id", *LOG_COLUMNS), _transactions()["customer_id"].nunique())
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
    _check_edge_customers(copy)
    if copy.python_udf:
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


# -- q4: where were the segments counted? (read from the code that made the answer) -------------

#: Calls that bring a Spark frame's rows to the driver.
COLLECTING = frozenset({"toPandas", "collect", "toLocalIterator", "take", "tail"})
#: Calls after which a frame holds counts, not one row per customer.
AGGREGATING = frozenset({"groupBy", "groupby", "agg", "rollup", "cube", "count", "countByValue", "limit"})


def _statements(history: Any) -> list[ast.stmt]:
    """The statements of the code cells run so far (IPython's ``In``), oldest first; unparsable cells left out."""
    out: list[ast.stmt] = []
    for source in history if isinstance(history, (list, tuple)) else []:
        if not isinstance(source, str):
            continue
        kept = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
        try:
            out += ast.parse(kept).body
        except SyntaxError:
            continue
    return out


def _targets(statement: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _slice(statements: list[ast.stmt], name: str) -> tuple[list[ast.stmt], dict[str, ast.AST]]:
    """The statements the last assignment of ``name`` depends on, and each name's last value before it."""
    wanted, kept = {name}, []
    values: dict[str, ast.AST] = {}
    for statement in reversed(statements):
        bound = _targets(statement) & wanted
        if not bound:
            continue
        kept.append(statement)
        wanted -= bound
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                values.setdefault(target.id, statement.value)
        wanted |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return kept, values


def _aggregated(expr: ast.AST, values: dict[str, ast.AST], depth: int = 0) -> bool:
    """Whether the frame ``expr`` stands for was aggregated in Spark (a groupBy, a count, SQL with GROUP BY)."""
    if depth > 30:
        return True  # too deep to follow: give the benefit of the doubt
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr in AGGREGATING:
            return True
        if expr.func.attr == "sql":
            text = " ".join(str(c.value) for a in expr.args for c in ast.walk(a) if isinstance(c, ast.Constant)).lower()
            return "group by" in text
        return _aggregated(expr.func.value, values, depth + 1)
    if isinstance(expr, (ast.Attribute, ast.Subscript)):
        return _aggregated(expr.value, values, depth + 1)
    if isinstance(expr, ast.Name) and expr.id in values:
        return _aggregated(values[expr.id], values, depth + 1)
    return False


def counted_on_driver(history: Any, name: str = "segment_sizes") -> bool:
    """Whether the code that made ``name`` collected a frame not yet aggregated (one row per customer).

    ``history``: the code cells run so far, oldest first (IPython's ``In``). Follows the last assignment
    of ``name`` back through the variables it uses; a ``toPandas()`` or ``collect()`` on a frame with
    no ``groupBy`` (or count, or SQL ``GROUP BY``) before it means the rows were counted on the driver.
    Without history it returns False (nothing to tell).

    >>> counted_on_driver(["s = model.transform(r).toPandas()['segment'].value_counts().sort_index()"], "s")
    True
    >>> counted_on_driver(["scored = model.transform(r)", "c = scored.groupBy('segment').count()",
    ...                    "s = c.orderBy('segment').toPandas().set_index('segment')['count']"], "s")
    False
    >>> counted_on_driver(["rows = model.transform(r).select('segment').collect()",
    ...                    "s = pd.Series(Counter(x.segment for x in rows)).sort_index()"], "s")
    True
    """
    kept, values = _slice(_statements(history), name)
    for statement in kept:
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in COLLECTING
                and not _aggregated(node.func.value, values)
            ):
                return True
    return False


# -- q4: segment sizes, collected small -------------------------------------------------------


def _check_sizes(value: Any, context: dict[str, Any]) -> None:
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
    if counted_on_driver(context.get("In")):
        raise Incorrect(
            "`segment_sizes` was counted on the driver: toPandas() or collect() brought one row per customer to "
            "Python. Count in Spark (groupBy) and bring only the counts."
        )


q4 = Question(
    "segment_sizes",
    _check_sizes,
    optional=("In",),  # IPython's code cells run so far: where the counting happened
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
