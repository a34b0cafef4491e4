"""Known-wrong answers for assignment 07-spark, built with real Spark (Java 17 needed).

Each value is a zero-argument callable, so nothing starts a JVM until the known-wrong test runs one;
without Java the test is skipped (fails under CI=true) by :func:`tests.support.system.find_executable`.
"""

from __future__ import annotations

import atexit
import functools
from typing import Any

import pandas as pd


@functools.lru_cache(maxsize=1)
def _session() -> tuple[Any, Any]:
    from tests.support.system import find_executable

    find_executable("java", "Java 17 (for PySpark)", apt="openjdk-17-jre-headless")
    from course_utils.spark import read_transactions, spark_session, stop_session

    spark = spark_session()
    atexit.register(stop_session, spark)
    return spark, read_transactions(spark)


def _lines() -> Any:
    return _session()[1]


def _rfm_given() -> Any:
    from course_utils.questions.m07_spark import given_rfm

    spark, lines = _session()
    return given_rfm(spark, lines)


# -- q1 ------------------------------------------------------------------------------------


def _invoices(kind: str = "right") -> Any:
    from pyspark.sql import functions as F

    lines = _lines()
    buys = lines.where(F.col("quantity") > 0)
    if kind == "lines":  # order lines, not invoices
        return buys.groupBy("customer_id").agg(F.count("*").alias("frequency"))
    if kind == "returns":  # return invoices counted too
        return lines.groupBy("customer_id").agg(F.countDistinct("invoice").alias("frequency"))
    if kind == "pandas":  # toPandas() before aggregating
        table = lines.toPandas()
        table = table[table["quantity"] > 0]
        return table.groupby("customer_id")["invoice"].nunique().rename("frequency").reset_index()
    if kind == "driver":  # aggregated on the driver, handed back to Spark
        table = lines.toPandas()
        table = table[table["quantity"] > 0]
        frame = table.groupby("customer_id")["invoice"].nunique().rename("frequency").reset_index()
        return _session()[0].createDataFrame(frame)
    if kind == "sql":  # right, in Spark SQL
        lines.createOrReplaceTempView("tx_q1")
        return _session()[0].sql(
            "SELECT customer_id, COUNT(DISTINCT invoice) AS frequency FROM tx_q1 WHERE quantity > 0 GROUP BY "
            "customer_id"
        )
    if kind == "cached_lines":  # right: the purchase lines cached, then aggregated
        return buys.cache().groupBy("customer_id").agg(F.countDistinct("invoice").alias("frequency"))
    if kind == "extra":
        return buys.groupBy("customer_id").agg(
            F.countDistinct("invoice").alias("frequency"), F.count("*").alias("lines")
        )
    return buys.groupBy("customer_id").agg(F.countDistinct("invoice").alias("frequency"))


# -- q2 ------------------------------------------------------------------------------------


def _rfm(kind: str = "right") -> Any:
    from pyspark.sql import functions as F

    from course_utils.questions.m07_spark import SNAPSHOT

    lines = _lines()
    snap = F.lit(SNAPSHOT).cast("date")
    day = F.to_date("invoice_date")
    purchase = F.col("quantity") > 0
    keep = day <= snap
    if kind == "strict":  # the snapshot day left out
        keep = day < snap
    if kind == "all_dates":  # lines after the snapshot kept
        keep = F.lit(True)
    frame = lines.where(keep).withColumn("day", day)
    last = F.max(F.when(purchase, F.col("day"))) if kind != "last_line" else F.max("day")
    freq = F.count_distinct(F.when(purchase, F.col("invoice"))) if kind != "lines" else F.sum(F.when(purchase, 1))
    value = F.col("quantity") * F.col("unit_price")
    money = F.sum(value) if kind != "gross" else F.sum(F.when(purchase, value).otherwise(0))
    out = (
        frame.groupBy("customer_id")
        .agg(
            last.alias("last"),
            freq.alias("frequency"),
            money.cast("double").alias("monetary_gbp"),
            F.max(F.when(purchase, 1)).alias("bought"),
        )
        .where(F.col("bought") == 1)
        .select("customer_id", F.datediff(snap, "last").alias("recency_days"), "frequency", "monetary_gbp")
    )
    return out


# -- q3 ------------------------------------------------------------------------------------


def _logged(kind: str = "right") -> Any:
    from pyspark.sql import functions as F

    rfm = _rfm_given()
    cols = ["recency_days", "frequency", "monetary_gbp"]
    if kind == "udf":
        import math

        @F.udf("double")
        def log1p0(x: float | None) -> float | None:
            return None if x is None else math.log1p(max(float(x), 0.0))

        return rfm.select("customer_id", *[log1p0(F.col(c)).alias(f"log_{c}") for c in cols])
    if kind == "log":
        return rfm.select("customer_id", *[F.log(F.col(c).cast("double")).alias(f"log_{c}") for c in cols])
    if kind == "noclip":
        return rfm.select("customer_id", *[F.log1p(F.col(c).cast("double")).alias(f"log_{c}") for c in cols])
    if kind == "abs":  # a net refund turned into a spend
        return rfm.select("customer_id", *[F.log1p(F.abs(F.col(c))).alias(f"log_{c}") for c in cols])
    if kind == "sql":  # right, in Spark SQL on a temporary view
        rfm.createOrReplaceTempView("rfm_q3")
        return _session()[0].sql(
            "SELECT customer_id, " + ", ".join(f"log1p(greatest({c}, 0)) AS log_{c}" for c in cols) + " FROM rfm_q3"
        )
    if kind == "names":
        return rfm.select(
            "customer_id", *[F.log1p(F.greatest(F.col(c).cast("double"), F.lit(0.0))).alias(c) for c in cols]
        )
    if kind == "withcolumn":  # right, written another way
        out = rfm
        for c in cols:
            out = out.withColumn(f"log_{c}", F.log1p(F.when(F.col(c) < 0, 0).otherwise(F.col(c))))
        return out.select("customer_id", *[f"log_{c}" for c in cols])
    return rfm.select(
        "customer_id", *[F.log1p(F.greatest(F.col(c).cast("double"), F.lit(0.0))).alias(f"log_{c}") for c in cols]
    )


# -- q4 ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    """``model`` of question 4, fitted once per test process (a k-means fit is the slow part)."""
    from course_utils.questions.m07_spark import fitted_model

    return fitted_model(_rfm_given())


@functools.lru_cache(maxsize=2)
def _segment_counts(refit: bool) -> pd.DataFrame:
    """Customers per segment of ``model`` (or of a model refitted with another seed), counted in Spark.

    Fitted once per test process: the check only ever sees the small pandas result (each answer below
    starts from a copy of it).
    """
    from pyspark.sql import functions as F

    rfm = _rfm_given()
    model = _model()
    if refit:  # another seed: refitted, not scored
        from course_utils.spark import segment_pipeline

        model = segment_pipeline(k=4, seed=7).fit(rfm)
    return model.transform(rfm).groupBy("segment").agg(F.count("*").alias("n")).toPandas()


def _sizes(kind: str = "right") -> Any:
    counts = _segment_counts(kind == "refit").copy()
    series = counts.set_index("segment")["n"].sort_index()
    if kind == "unsorted":
        return series.sort_values()
    if kind == "frame":
        return counts
    if kind == "value_counts":  # right, via pandas on the k small rows
        return pd.Series(series.to_dict()).sort_index()
    if kind == "shares":
        return series / series.sum()
    return series


#: Answers to question 4 as a student types them: the check reads the code (IPython's ``In``) too.
COUNTED_IN_SPARK = (
    "segment_sizes = (model.transform(rfm_given).groupBy('segment').count()\n"
    "                 .orderBy('segment').toPandas().set_index('segment')['count'])"
)
COUNTED_IN_SQL = (
    "model.transform(rfm_given).createOrReplaceTempView('scored')\n"
    "counts = spark.sql('SELECT segment, COUNT(*) AS n FROM scored GROUP BY segment ORDER BY segment')\n"
    "segment_sizes = counts.toPandas().set_index('segment')['n']"
)
VALUE_COUNTS = "segment_sizes = model.transform(rfm_given).toPandas()['segment'].value_counts().sort_index()"
COLLECT_COUNTER = (
    "rows = model.transform(rfm_given).select('segment').collect()\n"
    "segment_sizes = pd.Series(Counter(r['segment'] for r in rows)).sort_index()"
)
PANDAS_GROUPBY = (
    "scored = model.transform(rfm_given)\ntable = scored.toPandas()\nsegment_sizes = table.groupby('segment').size()"
)


def _typed(source: str) -> Any:
    """``segment_sizes`` made by running ``source`` (the answer cell), with the code the check reads."""
    from collections import Counter

    from course_utils.exercise import Given

    spark, lines = _session()
    namespace = {"model": _model(), "rfm_given": _rfm_given(), "spark": spark, "pd": pd, "Counter": Counter}
    exec(source, namespace)  # noqa: S102 - the test's own answer code
    history = ["", "rfm_given = given_rfm(spark, lines)", "model = fitted_model(rfm_given)", source, "q4.check()"]
    return Given(namespace["segment_sizes"], In=history)


def _driver_checkpoint() -> Any:
    """The right table computed on the driver, handed to Spark and checkpointed: still built on the driver."""
    return _session()[0].createDataFrame(_invoices().toPandas()).localCheckpoint()


def _lazy_checkpoint_computed() -> Any:
    """A lazy checkpoint that an action computed before the check: its source is no longer recorded."""
    frame = _invoices().localCheckpoint(eager=False)
    frame.count()
    return frame


RIGHT = {
    "q1": [_invoices, lambda: _invoices("sql"), lambda: _invoices().cache(), lambda: _invoices().localCheckpoint()],
    "q2": [_rfm, _rfm_given, lambda: _rfm().persist()],
    "q3": [_logged, lambda: _logged("withcolumn"), lambda: _logged("sql"), lambda: _logged().cache()],
    "q4": [_sizes, lambda: _sizes("value_counts"), lambda: _typed(COUNTED_IN_SPARK), lambda: _typed(COUNTED_IN_SQL)],
}

WRONG = [
    ("q1", lambda: _invoices("lines"), "order lines"),
    ("q1", lambda: _invoices("returns"), "return invoices"),
    ("q1", lambda: _invoices("pandas"), "pandas DataFrame"),
    ("q1", lambda: _invoices("driver"), "does not read transactions.csv"),
    ("q1", lambda: _invoices("extra"), "exactly the columns"),
    # issue 14: a checkpoint of a table built on the driver is still built on the driver
    ("q1", _driver_checkpoint, "does not read transactions.csv"),
    ("q1", _lazy_checkpoint_computed, "no longer records"),
    ("q2", lambda: _rfm("strict"), "SNAPSHOT day"),
    ("q2", lambda: _rfm("all_dates"), "after SNAPSHOT"),
    ("q2", lambda: _rfm("last_line"), "last purchase"),
    ("q2", lambda: _rfm("lines"), "order lines"),
    ("q2", lambda: _rfm("gross"), "returns"),
    # q2 (trial T1): recency with the subtraction the wrong way round
    (
        "q2",
        lambda: _rfm().selectExpr("customer_id", "-recency_days AS recency_days", "frequency", "monetary_gbp"),
        "wrong way round",
    ),
    ("q3", lambda: _logged("udf"), "Python UDF"),
    ("q3", lambda: _logged("log"), "log1p"),
    ("q3", lambda: _logged("names"), "exactly the columns"),
    # q3 (trial T1): no clipping, or abs instead of clipping (rfm_given has no net refund: the check tries some)
    ("q3", lambda: _logged("noclip"), "NaN"),
    ("q3", lambda: _logged("abs"), "(abs)"),
    ("q4", lambda: _sizes("refit"), "do not refit"),
    ("q4", lambda: _sizes("unsorted"), "segment order"),
    ("q4", lambda: _sizes("frame"), "DataFrame"),
    ("q4", lambda: _sizes("shares"), "add up"),
    # issue 14: the whole scored table collected, then counted in pandas or Python
    ("q4", lambda: _typed(VALUE_COUNTS), "counted on the driver"),
    ("q4", lambda: _typed(COLLECT_COUNTER), "counted on the driver"),
    ("q4", lambda: _typed(PANDAS_GROUPBY), "counted on the driver"),
]
