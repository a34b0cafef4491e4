"""The course-wide RFM and segmentation on Spark, in Spark SQL and in the DataFrame API.

The definition is the one of :func:`course_utils.features.rfm_table`: purchases are lines with
``quantity > 0``; ``recency_days`` counts calendar days from the last purchase to the snapshot;
``frequency`` counts distinct purchase invoices; ``monetary_gbp`` sums ``quantity * unit_price``
over all lines, returns included (net spend). Only lines dated on or before the snapshot count,
and only customers with at least one purchase get a row.

- :func:`transactions_csv`: the course company's order lines at a data scale (1 = the default data);
- :func:`read_transactions`: read them with an explicit schema (no extra pass to guess types);
- :data:`RFM_SQL` / :func:`rfm_sql` and :func:`rfm_dataframe`: the same RFM, two ways;
- :func:`rfm_to_pandas`: the (small) RFM table as :func:`~course_utils.features.rfm_table` lays it out;
- :func:`segment_pipeline`: log, standard scaling and k-means as one ``pyspark.ml`` pipeline;
- :func:`profiles`: size and mean R, F, M per segment, computed in Spark, returned small.

>>> print(rfm_sql_text("2025-06-30").splitlines()[2])
    SELECT customer_id, invoice, quantity, to_date(invoice_date) AS day, quantity * unit_price AS value
>>> "DATE '2025-06-30'" in rfm_sql_text("2025-06-30 18:00")
True
>>> transactions_csv().name
'transactions.csv'
>>> transactions_csv(20).parent.name
'scale-20'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from course_utils.features import RFM_COLUMNS

__all__ = [
    "TRANSACTIONS_SCHEMA",
    "RFM_SQL",
    "SEGMENT_INPUTS",
    "transactions_csv",
    "read_transactions",
    "rfm_sql_text",
    "rfm_sql",
    "rfm_dataframe",
    "rfm_to_pandas",
    "segment_pipeline",
    "profiles",
]

#: Column types of ``transactions.csv``, given to Spark so it need not read the file twice to guess
#: them. Prices are exact decimals (pence), so the monetary sums are exact whatever the order of the
#: additions across partitions.
TRANSACTIONS_SCHEMA = (
    "invoice STRING, invoice_date TIMESTAMP, customer_id STRING, product_id STRING, product_name STRING, "
    "category STRING, quantity INT, unit_price DECIMAL(10,2), currency STRING, channel STRING"
)

#: The course-wide RFM in Spark SQL: the query of lesson 7b's DuckDB section with Spark's spelling
#: (``datediff(end, start)``). ``{snapshot}`` is an ISO date; the view ``transactions`` holds the lines.
RFM_SQL = """
WITH lines AS (
    SELECT customer_id, invoice, quantity, to_date(invoice_date) AS day, quantity * unit_price AS value
    FROM transactions
    WHERE to_date(invoice_date) <= DATE '{snapshot}'
)
SELECT customer_id,
       datediff(DATE '{snapshot}', MAX(day) FILTER (WHERE quantity > 0)) AS recency_days,
       COUNT(DISTINCT invoice) FILTER (WHERE quantity > 0) AS frequency,
       CAST(SUM(value) AS DOUBLE) AS monetary_gbp
FROM lines
GROUP BY customer_id
HAVING COUNT(*) FILTER (WHERE quantity > 0) > 0
ORDER BY customer_id
"""

#: The pipeline's inputs after the log step.
SEGMENT_INPUTS: tuple[str, ...] = tuple(f"log_{c}" for c in RFM_COLUMNS)


def _snapshot(snapshot_date: str | None) -> str:
    from course_utils.features import _snapshot as normalise

    return normalise(snapshot_date).date().isoformat()


def transactions_csv(scale: float = 1) -> Path:
    """Path of the order lines at data ``scale``: 1 is the committed default data.

    Other scales live in ``datasets/large/scale-<scale>/`` (``make bench`` builds them there, or
    ``python -m course_tools data --scale 20 --out datasets/large/scale-20``).
    """
    from course_utils.paths import datasets_dir

    if scale == 1:
        return datasets_dir() / "transactions.csv"
    return datasets_dir() / "large" / f"scale-{scale:g}" / "transactions.csv"


def read_transactions(spark: Any, path: str | Path | None = None) -> Any:
    """The order lines as a Spark DataFrame (lazy: nothing is read until an action needs it).

    Raises ``FileNotFoundError`` naming the file and how to build it when it does not exist.
    """
    file = Path(path) if path is not None else transactions_csv()
    if not file.exists():
        raise FileNotFoundError(
            f"{file}: no such file. The course data is generated: run `make data` for the default data, "
            "or `python -m course_tools data --scale 20 --out datasets/large/scale-20` for a larger scale."
        )
    return spark.read.csv(str(file), header=True, schema=TRANSACTIONS_SCHEMA)


def rfm_sql_text(snapshot_date: str | None = None) -> str:
    """:data:`RFM_SQL` for one snapshot date (default: the course's ``SNAPSHOT_DATE``)."""
    return RFM_SQL.format(snapshot=_snapshot(snapshot_date))


def rfm_sql(spark: Any, lines: Any, snapshot_date: str | None = None) -> Any:
    """RFM per customer in Spark SQL over ``lines`` (registered as the view ``transactions``)."""
    lines.createOrReplaceTempView("transactions")
    return spark.sql(rfm_sql_text(snapshot_date))


def rfm_dataframe(lines: Any, snapshot_date: str | None = None) -> Any:
    """The same RFM with the DataFrame API (same plan as :func:`rfm_sql`, written as method calls)."""
    from pyspark.sql import functions as F

    snap = F.lit(_snapshot(snapshot_date)).cast("date")
    purchase = F.col("quantity") > 0
    return (
        lines.withColumn("day", F.to_date("invoice_date"))
        .where(F.col("day") <= snap)
        .groupBy("customer_id")
        .agg(
            F.max(F.when(purchase, F.col("day"))).alias("last_purchase"),
            F.count_distinct(F.when(purchase, F.col("invoice"))).alias("frequency"),
            F.sum(F.col("quantity") * F.col("unit_price")).cast("double").alias("monetary_gbp"),
        )
        .where(F.col("last_purchase").isNotNull())
        .select("customer_id", F.datediff(snap, "last_purchase").alias("recency_days"), "frequency", "monetary_gbp")
        .orderBy("customer_id")
    )


def rfm_to_pandas(rfm: Any) -> pd.DataFrame:
    """Collect a Spark RFM table (one row per customer: small) laid out like ``rfm_table``."""
    table = rfm.select("customer_id", *RFM_COLUMNS).toPandas()
    table = table.astype({"recency_days": "int64", "frequency": "int64", "monetary_gbp": "float64"})
    table["customer_id"] = table["customer_id"].astype(str)
    return table.set_index("customer_id").sort_index()


def segment_pipeline(k: int = 4, seed: int = 0) -> Any:
    """``pyspark.ml`` pipeline: log1p of R, F, M (negatives clipped to 0), standard scaling, k-means.

    The same preparation as the course's scikit-learn one (``np.log1p(x.clip(lower=0))`` then
    ``StandardScaler``); k-means starts from ``k-means||`` with ``seed``. Its output column is
    ``segment``. Fit it once, save it, and *score* new data with the saved model.
    """
    from pyspark.ml import Pipeline
    from pyspark.ml.clustering import KMeans as SparkKMeans
    from pyspark.ml.feature import SQLTransformer, StandardScaler, VectorAssembler

    logs = ", ".join(f"log1p(greatest(CAST({c} AS DOUBLE), 0D)) AS log_{c}" for c in RFM_COLUMNS)
    return Pipeline(
        stages=[
            SQLTransformer(statement=f"SELECT *, {logs} FROM __THIS__"),
            VectorAssembler(inputCols=list(SEGMENT_INPUTS), outputCol="logs"),
            StandardScaler(inputCol="logs", outputCol="features", withMean=True, withStd=True),
            SparkKMeans(k=k, seed=seed, featuresCol="features", predictionCol="segment", maxIter=50),
        ]
    )


def profiles(scored: Any) -> pd.DataFrame:
    """Customers, share and mean R, F, M per ``segment``: aggregated in Spark, only k rows collected."""
    from pyspark.sql import functions as F

    table = (
        scored.groupBy("segment")
        .agg(F.count("*").alias("customers"), *[F.avg(c).alias(c) for c in RFM_COLUMNS])
        .orderBy("segment")
        .toPandas()
        .set_index("segment")
    )
    table.insert(1, "share", table["customers"] / table["customers"].sum())
    return table
