"""The segmentation job as a script for ``spark-submit``: RFM, log, scaling, k-means, one CSV out.

It runs unchanged on ``--master local[2]``, on the standalone cluster of lesson 7c, or on a cloud
cluster (there, ``--data`` and ``--out`` become ``s3a://``/``gs://``/``abfss://`` paths)::

    spark-submit --master spark://127.0.0.1:7077 course_utils/spark/job.py \\
        --data datasets/transactions.csv --out /tmp/segments

The output folder holds one CSV (``customer_id``, R, F, M, ``segment``) sorted by customer, and
the script prints one line: ``customers=<n> segments=<k> master=<url>``.

>>> parse_args(["--data", "t.csv", "--out", "o"]).k
4
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any

import pandas as pd


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="RFM segments on Spark (course lesson 7c)")
    parser.add_argument("--data", required=True, help="transactions.csv (local path or cloud URL)")
    parser.add_argument("--out", required=True, help="output folder for the segments CSV")
    parser.add_argument("--k", type=int, default=4, help="number of segments (default 4)")
    parser.add_argument("--seed", type=int, default=0, help="k-means|| seed (default 0)")
    parser.add_argument("--snapshot", default=None, help="snapshot date (default the course's)")
    return parser.parse_args(argv)


def segments(spark: Any, data: str, k: int = 4, seed: int = 0, snapshot: str | None = None) -> Any:
    """The job itself: RFM per customer and its segment, sorted by customer (a Spark DataFrame)."""
    from course_utils.spark.rfm import TRANSACTIONS_SCHEMA, rfm_sql, segment_pipeline

    lines = spark.read.csv(data, header=True, schema=TRANSACTIONS_SCHEMA)
    # Fixed partitions, sorted inside: k-means|| then samples the same rows wherever it runs.
    rfm = rfm_sql(spark, lines, snapshot).repartition(2, "customer_id").sortWithinPartitions("customer_id").cache()
    scored = segment_pipeline(k=k, seed=seed).fit(rfm).transform(rfm)
    return scored.select("customer_id", "recency_days", "frequency", "monetary_gbp", "segment").orderBy("customer_id")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # See course_utils.spark.session: this one pandas>=3 notice, nothing else, is hidden.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas >= 3", category=FutureWarning)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("larkspur-rfm-segments").getOrCreate()  # master: from spark-submit
    spark.sparkContext.setLogLevel("ERROR")
    out = segments(spark, args.data, args.k, args.seed, args.snapshot).cache()
    out.coalesce(1).write.mode("overwrite").option("header", True).csv(args.out)
    n, k = out.count(), out.select("segment").distinct().count()
    print(f"customers={n} segments={k} master={spark.sparkContext.master}")
    spark.stop()
    return 0


def read_output(folder: str | Path) -> pd.DataFrame:
    """The job's output folder (Spark writes ``part-*.csv`` files) as one pandas table."""
    parts = sorted(Path(folder).glob("part-*.csv"))
    if not parts:
        raise FileNotFoundError(f"{folder}: no part-*.csv file; did the job finish?")
    return pd.concat([pd.read_csv(p, dtype={"customer_id": str}) for p in parts], ignore_index=True)


if __name__ == "__main__":
    raise SystemExit(main())
