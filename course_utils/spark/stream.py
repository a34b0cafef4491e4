"""Segments from a stream: Structured Streaming over a folder that receives order files.

:class:`SegmentStream` watches a folder; each new CSV file of order lines becomes a micro-batch
(``maxFilesPerTrigger=1``). For each micro-batch it

1. folds the new lines into running per-customer state (last purchase day, net value, the distinct
   (customer, invoice) pairs): the partial-results pattern of lesson 7b's chunked RFM, exact;
2. recomputes RFM for every customer with the clock at the latest day seen;
3. *scores* every customer with the saved pipeline (scaler and k-means fitted once, never refitted
   on the stream: lesson 7b's rule);
4. compares the segment mix with the reference mix by the population stability index and raises
   a drift alert above :data:`PSI_ALERT`.

Each micro-batch leaves a :class:`BatchReport` in :attr:`SegmentStream.reports`.
:func:`write_order_file` drops a file into the folder the safe way (write elsewhere, then rename),
so the stream never reads a half-written file.

>>> round(segment_psi({0: 50, 1: 50}, {0: 50, 1: 50}), 6)
0.0
>>> round(segment_psi({0: 50, 1: 50}, {0: 80, 1: 20}), 3)
0.416
>>> drift_level(0.05), drift_level(0.15), drift_level(0.4)
('stable', 'watch', 'ALERT')
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["PSI_WATCH", "PSI_ALERT", "BatchReport", "SegmentStream", "segment_psi", "drift_level", "write_order_file"]

#: Lesson 7b's thresholds: below 0.1 stable, 0.1-0.25 worth a look, above 0.25 shifted.
PSI_WATCH, PSI_ALERT = 0.10, 0.25


def segment_psi(expected: Mapping[Any, int], actual: Mapping[Any, int], eps: float = 1e-4) -> float:
    """PSI between two segment mixes given as counts per segment (shares floored at ``eps``, as in 7b)."""
    segments = sorted(set(expected) | set(actual), key=str)
    e_total, a_total = sum(expected.values()), sum(actual.values())
    if e_total <= 0 or a_total <= 0:
        raise ValueError("segment_psi needs two non-empty segment mixes (counts above zero).")
    value = 0.0
    for s in segments:
        e = max(expected.get(s, 0) / e_total, eps)
        a = max(actual.get(s, 0) / a_total, eps)
        value += (a - e) * math.log(a / e)
    return value


def drift_level(psi: float) -> str:
    """``'stable'``, ``'watch'`` or ``'ALERT'`` by lesson 7b's PSI thresholds."""
    return "ALERT" if psi > PSI_ALERT else "watch" if psi > PSI_WATCH else "stable"


def write_order_file(lines: pd.DataFrame, folder: str | Path, name: str) -> Path:
    """Write order lines as ``folder/name`` atomically: to a hidden temporary file, then rename.

    A stream reading a file that is still being written would see half of it; a rename is atomic.
    """
    from course_utils.data.schema import TABLES

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = list(TABLES["transactions"].columns)
    frame = lines[columns].copy()
    frame["invoice_date"] = pd.to_datetime(frame["invoice_date"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", suffix=".csv", dir=folder.parent)
    os.close(fd)
    frame.to_csv(tmp, index=False, float_format="%.2f")
    target = folder / name
    os.replace(tmp, target)
    return target


@dataclass
class BatchReport:
    """What one micro-batch did: lines read, customers scored, the clock, the segment mix, drift."""

    batch_id: int
    lines: int
    customers: int
    as_of: str
    counts: dict[int, int]
    psi: float
    level: str = field(default="stable")

    def line(self) -> str:
        mix = ", ".join(f"{s}: {n}" for s, n in sorted(self.counts.items()))
        return (
            f"batch {self.batch_id}: {self.lines:>6,} new lines, as of {self.as_of}, {self.customers:,} customers "
            f"[{mix}] PSI {self.psi:.3f} {self.level}"
        )


class SegmentStream:
    """Score customers from order files arriving in ``source``, with a saved ``model``.

    ``model`` is a fitted ``pyspark.ml`` ``PipelineModel`` (or the folder it was saved to) whose
    output column is ``segment``; ``reference`` is the segment mix it was fitted on (counts).
    """

    def __init__(
        self, spark: Any, model: Any, source: str | Path, checkpoint: str | Path, reference: Mapping[int, int]
    ) -> None:
        from pyspark.ml import PipelineModel

        self.spark = spark
        self.model = PipelineModel.load(str(model)) if isinstance(model, (str, Path)) else model
        self.source, self.checkpoint = Path(source), Path(checkpoint)
        self.reference = dict(reference)
        self.reports: list[BatchReport] = []
        self._last: Any = None  # per customer: last purchase day, net value
        self._pairs: Any = None  # distinct (customer, invoice) purchase pairs
        self._as_of: Any = None
        self.query: Any = None

    def start(self, trigger_seconds: float = 0.2) -> Any:
        """Start the streaming query (files already in the folder are read first, one per batch)."""
        from course_utils.spark.rfm import TRANSACTIONS_SCHEMA

        self.source.mkdir(parents=True, exist_ok=True)
        lines = (
            self.spark.readStream.schema(TRANSACTIONS_SCHEMA)
            .option("header", True)
            .option("maxFilesPerTrigger", 1)
            .csv(str(self.source))
        )
        self.query = (
            lines.writeStream.foreachBatch(self._on_batch)
            .option("checkpointLocation", str(self.checkpoint))
            .trigger(processingTime=f"{trigger_seconds} seconds")
            .start()
        )
        return self.query

    def process_available(self) -> None:
        """Block until every file now in the folder has been processed."""
        self.query.processAllAvailable()

    def stop(self) -> None:
        if self.query is not None and self.query.isActive:
            self.query.stop()

    def features(self) -> Any:
        """The current RFM of every customer with a purchase, as of the latest day seen."""
        from pyspark.sql import functions as F

        frequency = self._pairs.groupBy("customer_id").agg(F.count("*").alias("frequency"))
        return (
            self._last.where(F.col("last_purchase").isNotNull())
            .join(frequency, "customer_id")
            .select(
                "customer_id",
                F.datediff(F.lit(self._as_of), "last_purchase").alias("recency_days"),
                "frequency",
                F.col("value").cast("double").alias("monetary_gbp"),
            )
        )

    def _on_batch(self, batch: Any, batch_id: int) -> None:
        from pyspark.sql import functions as F

        buys = F.col("quantity") > 0
        lines = batch.withColumn("day", F.to_date("invoice_date")).cache()
        n_lines, latest = lines.agg(F.count("*"), F.max("day")).first()  # one pass for both
        if n_lines == 0:
            lines.unpersist()
            return
        last = lines.groupBy("customer_id").agg(
            F.max(F.when(buys, F.col("day"))).alias("last_purchase"),
            F.sum(F.col("quantity") * F.col("unit_price")).alias("value"),
        )
        pairs = lines.where(buys).select("customer_id", "invoice").distinct()
        if self._last is not None:
            last = (
                self._last.unionByName(last)
                .groupBy("customer_id")
                .agg(F.max("last_purchase").alias("last_purchase"), F.sum("value").alias("value"))
            )
            pairs = self._pairs.unionByName(pairs).distinct()
        # Cut the lineage: state stays one small table, not a growing chain of every past batch.
        self._last, self._pairs = last.localCheckpoint(), pairs.localCheckpoint()
        lines.unpersist()
        self._as_of = latest if self._as_of is None else max(self._as_of, latest)
        scored = self.model.transform(self.features())
        counts = {int(r["segment"]): int(r["count"]) for r in scored.groupBy("segment").count().collect()}
        psi = segment_psi(self.reference, counts)
        self.reports.append(
            BatchReport(batch_id, n_lines, sum(counts.values()), str(self._as_of), counts, psi, drift_level(psi))
        )
