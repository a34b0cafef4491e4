"""pandas, DuckDB and Spark on the same RFM at several data scales, measured (part of ``make bench``).

Each run is a fresh Python process, so every engine pays its own start-up (imports; for Spark the
JVM), as a user would. The parent measures its wall time, its CPU time (the process and every
descendant it waited for, Spark's JVM included: ``getrusage(RUSAGE_CHILDREN)``, which a busy machine
does not inflate as it does wall time) and the peak of the summed resident memory of the process
*and all its children* (psutil, sampled every 50 ms, as :mod:`course_tools.notebook_runner`
measures notebooks), so Spark's driver JVM counts.
Every engine computes the course-wide RFM twice and returns one row per customer; the child reports
the seconds of each (reading the CSV included), after imports and, for Spark, after the session and
its JVM have started. The *first* RFM is what a fresh process pays (Spark then also loads its query
classes and compiles code for the query); the *repeat* is the same query once warm, what a later
query in a running session (as in lesson 7c's own timings) costs.

Data: scale 1 is the committed data; scale 20 is built by the generator
(``datasets/large/scale-20``); scale 100 would need about 16 GB of RAM in the generator, so it is
built as five scale-20 companies with different seeds side by side (customer and invoice ids
prefixed), which has the same shape per customer and five times the lines.

>>> format_engine_table([Measurement("spark", 1, 10.04, 812.3, 4983, 3.2, "ok", 0.81, 14.2)]).splitlines()[2]
'| 1 | spark | 4,983 | 10.0 | 3.2 | 0.8 | 14.2 | 812 | ok |'
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course_tools.notebook_runner import _RssPoller

__all__ = ["ENGINES", "Measurement", "measure", "bench_engines", "ensure_data", "format_engine_table"]

ENGINES = ("pandas", "duckdb", "spark")


@dataclass
class Measurement:
    engine: str
    scale: float
    #: wall time of the whole fresh process: imports, start-up (Spark: session and JVM), both RFMs
    seconds: float
    peak_mib: float
    customers: int | None
    #: the first RFM after start-up (cold: Spark loads and compiles its query code then)
    rfm_seconds: float | None
    status: str
    #: the same RFM again in the same process (warm)
    repeat_rfm_seconds: float | None = None
    #: CPU time of the process and its children (all cores added up)
    cpu_seconds: float | None = None


def _cell(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def format_engine_table(rows: list[Measurement]) -> str:
    """Markdown table: scale, engine, customers, wall s, first and repeat RFM s, CPU s, peak MiB."""
    lines = [
        "| scale | engine | customers | wall s | first RFM s | repeat RFM s | CPU s | peak MiB | status |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        customers = "" if r.customers is None else f"{r.customers:,}"
        lines.append(
            f"| {r.scale:g} | {r.engine} | {customers} | {r.seconds:.1f} | {_cell(r.rfm_seconds)} | "
            f"{_cell(r.repeat_rfm_seconds)} | {_cell(r.cpu_seconds)} | {r.peak_mib:.0f} | {r.status} |"
        )
    return "\n".join(lines)


def _pandas_rfm(csv: Path) -> int:
    import pandas as pd

    from course_utils.features import rfm_table

    cols = ["invoice", "invoice_date", "customer_id", "quantity", "unit_price"]
    lines = pd.read_csv(csv, usecols=cols, parse_dates=["invoice_date"], dtype={"customer_id": str, "invoice": str})
    return len(rfm_table(lines))


def _duckdb_rfm(csv: Path) -> int:
    import duckdb

    from course_utils.data import SNAPSHOT_DATE
    from course_utils.spark.rfm import RFM_SQL

    query = (
        RFM_SQL.format(snapshot=SNAPSHOT_DATE)
        .replace("FROM transactions", f"FROM read_csv('{csv.as_posix()}', header = true)")
        .replace("to_date(invoice_date)", "CAST(invoice_date AS DATE)")
        .replace(
            f"datediff(DATE '{SNAPSHOT_DATE}', MAX(day) FILTER (WHERE quantity > 0))",
            f"date_diff('day', MAX(day) FILTER (WHERE quantity > 0), DATE '{SNAPSHOT_DATE}')",
        )
    )
    relation = duckdb.sql(query)
    assert relation is not None, "a SELECT always gives a relation"
    return len(relation.df())


def _engine(engine: str) -> tuple[Callable[[Path], int], Callable[[], None]]:
    """The engine's RFM function (in this process, its imports done) and what to call when done; Spark starts here."""
    if engine == "pandas":
        import course_utils.features  # noqa: F401 - imports (pandas) before the clock starts

        return _pandas_rfm, lambda: None
    if engine == "duckdb":
        import duckdb  # noqa: F401 - imported before the clock starts

        return _duckdb_rfm, lambda: None
    if engine == "spark":
        from course_utils.spark import read_transactions, rfm_sql, rfm_to_pandas, spark_session, stop_session

        # The JVM's full optimising compiler: the lesson's quick JVM (C1 only) suits small data, not this.
        spark = spark_session("bench", quick_jvm=False)
        return (lambda csv: len(rfm_to_pandas(rfm_sql(spark, read_transactions(spark, csv))))), (
            lambda: stop_session(spark)
        )
    raise ValueError(f"unknown engine {engine!r}; use one of {ENGINES}")


def _child(engine: str, csv: str) -> None:
    """Start ``engine``, run its RFM twice on ``csv``; print customers and both times as JSON."""
    rfm, done = _engine(engine)
    try:
        t0 = time.perf_counter()
        customers = rfm(Path(csv))
        t1 = time.perf_counter()
        rfm(Path(csv))
        t2 = time.perf_counter()
    finally:
        done()
    print(json.dumps({"customers": customers, "rfm_seconds": t1 - t0, "repeat_rfm_seconds": t2 - t1}))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(engine: str, csv: Path, scale: float, timeout: float = 1800.0) -> Measurement:
    """Run one engine on ``csv`` in a fresh process; wall and CPU time and peak memory of its process tree."""
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "course_tools.rfm_engines", engine, str(csv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    with _RssPoller(proc.pid, tree=True) as peak:  # Spark's JVM counted, its short-lived clones not
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    seconds, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    peak_mib = peak.peak
    if proc.returncode != 0:
        last = (err or "").strip().splitlines()[-1:] or ["no output"]
        status = (
            "out of memory"
            if "MemoryError" in (err or "") or proc.returncode in (-9, 137)
            else f"failed: {last[0][:80]}"
        )
        return Measurement(engine, scale, seconds, peak_mib, None, None, status, cpu_seconds=cpu)
    result = json.loads(out.strip().splitlines()[-1])
    return Measurement(
        engine,
        scale,
        seconds,
        peak_mib,
        result["customers"],
        result["rfm_seconds"],
        "ok",
        result["repeat_rfm_seconds"],
        cpu,
    )


def _stacked_copy(sources: list[Path], target: Path) -> None:
    """Concatenate order-line files, prefixing customer and invoice ids with the file's number."""
    tmp = target.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for n, source in enumerate(sources, start=1):
            with open(source, encoding="utf-8") as f:
                header = f.readline()
                if n == 1:
                    out.write(header)
                for line in f:
                    invoice, date, customer, rest = line.split(",", 3)
                    out.write(f"{invoice}-{n},{date},K{n}{customer},{rest}")
    os.replace(tmp, target)


def ensure_data(scale: float, log: bool = True) -> Path:
    """``transactions.csv`` at ``scale`` (1, 20 or 100), generated first when it is missing."""
    from course_utils.paths import datasets_dir
    from course_utils.spark.rfm import transactions_csv

    target = transactions_csv(scale)
    if target.is_file():
        return target
    if scale == 100:
        parts = []
        for seed in range(42, 47):
            # seed 42 is the default company: its SCALE-20 build is the SCALE-20 row's data
            folder = transactions_csv(20).parent if seed == 42 else datasets_dir() / "large" / f"seed-{seed}-scale-20"
            if not (folder / "transactions.csv").is_file():
                _generate(20, seed, folder, log)
            parts.append(folder / "transactions.csv")
        target.parent.mkdir(parents=True, exist_ok=True)
        _stacked_copy(parts, target)
        return target
    _generate(scale, 42, target.parent, log)
    return target


def _generate(scale: float, seed: int, folder: Path, log: bool) -> None:
    if log:
        print(f"building the course data at scale {scale:g} (seed {seed}) in {folder} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "course_tools",
            "data",
            "--scale",
            f"{scale:g}",
            "--seed",
            str(seed),
            "--out",
            str(folder),
            "--quiet",
            "--no-db",
        ],
        check=True,
    )


def bench_engines(scales: tuple[float, ...] = (1, 20, 100), engines: tuple[str, ...] = ENGINES) -> list[Measurement]:
    """Measure every engine at every scale (data built first where missing)."""
    rows = []
    for scale in scales:
        csv = ensure_data(scale)
        for engine in engines:
            rows.append(measure(engine, csv, scale))
            print(format_engine_table(rows[-1:]).splitlines()[-1], flush=True)
    return rows


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
