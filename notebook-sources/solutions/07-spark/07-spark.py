# ---
# jupyter:
#   course:
#     needs:
#     - java
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="1b993313" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 7c: the same segmentation on Apache Spark
#
# Four autograded questions and one written answer (about 45 minutes). They practise lesson
# `07c-spark-beyond-one-machine`: the course-wide RFM computed by Spark where the data is, Spark's
# built-in functions instead of Python code, and collecting only small results to the driver (the
# driver is the Python process you type in; the work runs in Spark's executors).
#
# **How to work:** run the set-up cell (it starts a local Spark session: about 5 to 10 seconds, and it
# needs Java 17; the cell says how to install it if it is missing), then for each question write your
# answer in the cell marked `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`) and run
# the check cell right below it. `q1.hint()` gives a hint (call it again for a stronger one) and
# `q1.solution()` shows one answer.
#
# **Keep every answer a Spark DataFrame until the question says otherwise.** Calling `toPandas()` on
# `lines` would bring every order line to the driver: on the course's default data that works, on a
# real shop's data it is the classic way to run out of memory.

# %% id="f4b436a6" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
from pyspark.sql import functions as F

from course_utils.questions.m07_spark import K, SNAPSHOT, fitted_model, given_rfm, q1, q2, q3, q4
from course_utils.spark import read_transactions, spark_session, stop_session

spark = spark_session()  # local[2], 768 MB for the driver, nothing leaves 127.0.0.1
lines = read_transactions(spark)  # the order lines of transactions.csv, read lazily
lines.printSchema()
print("SNAPSHOT =", SNAPSHOT)

# %% [markdown] id="27dfdb6c" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: invoices per customer (2 points)
#
# An order (an invoice) has several lines, one per product, and returns are lines with a negative
# `quantity`. Build `invoices`: a **Spark DataFrame** with exactly the columns `customer_id` and
# `frequency`, one row per customer who made at least one purchase (`quantity > 0`) in the whole file,
# where `frequency` is the number of **distinct purchase invoices** of that customer. Compute it from
# `lines`, in Spark.

# %% id="96c3fd16" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
invoices = (
    lines.where(F.col("quantity") > 0)
    .groupBy("customer_id")
    .agg(F.countDistinct("invoice").alias("frequency"))
)
invoices.orderBy("customer_id").show(3)
### END SOLUTION

# %% id="b8a4af88" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
from course_utils.data import load_transactions as _load
from course_utils.questions.m07_spark import as_copy as _as_copy

_copy = _as_copy(invoices)  # a Spark DataFrame, or the grader's copy of one: rows, columns, what it reads
assert _copy is not None, "invoices must be a Spark DataFrame"
assert _copy.reads_course_data(), "invoices must be computed by Spark from lines"
_tx = _load()
_ref = _tx[_tx["quantity"] > 0].groupby("customer_id")["invoice"].nunique()
_got = _copy.rows.astype({"customer_id": str}).set_index("customer_id")["frequency"]
assert sorted(_copy.columns) == ["customer_id", "frequency"]
assert _got.sort_index().astype(int).equals(_ref.sort_index().astype(int))
### END HIDDEN TESTS

# %% id="29c1cb9c"
# q1.hint()
# q1.solution()

# %% [markdown] id="05109f82" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: the course-wide RFM at the snapshot (3 points)
#
# Build `rfm`: a **Spark DataFrame** with exactly the columns `customer_id`, `recency_days`,
# `frequency` and `monetary_gbp`, one row per customer with a purchase on or before `SNAPSHOT`
# (`"2025-06-30"`), following the course's definition:
#
# - only lines dated **on or before** `SNAPSHOT` count (the snapshot day included; compare calendar
#   days, `to_date(invoice_date)`, not timestamps);
# - `recency_days`: calendar days from the customer's **last purchase day** to `SNAPSHOT`;
# - `frequency`: distinct **purchase** invoices;
# - `monetary_gbp`: `quantity * unit_price` summed over **all** those lines, returns included (net spend).
#
# Use Spark SQL (`lines.createOrReplaceTempView("transactions")`, then `spark.sql(...)`) or the
# DataFrame API, as you prefer.

# %% id="117b614e" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
lines.createOrReplaceTempView("transactions")
rfm = spark.sql(f"""
    WITH l AS (
        SELECT customer_id, invoice, quantity, to_date(invoice_date) AS day, quantity * unit_price AS value
        FROM transactions
        WHERE to_date(invoice_date) <= DATE '{SNAPSHOT}'
    )
    SELECT customer_id,
           datediff(DATE '{SNAPSHOT}', MAX(day) FILTER (WHERE quantity > 0)) AS recency_days,
           COUNT(DISTINCT invoice) FILTER (WHERE quantity > 0) AS frequency,
           CAST(SUM(value) AS DOUBLE) AS monetary_gbp
    FROM l
    GROUP BY customer_id
    HAVING COUNT(*) FILTER (WHERE quantity > 0) > 0
""")
rfm.orderBy("customer_id").show(3)
### END SOLUTION

# %% id="c19bae5e" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
import numpy as _np
from course_utils.data import load_transactions as _load
from course_utils.features import rfm_table as _rfm_table
from course_utils.questions.m07_spark import as_copy as _as_copy

_copy = _as_copy(rfm)
assert _copy is not None and _copy.reads_course_data(), "rfm must be a Spark DataFrame computed from lines"
_ref = _rfm_table(_load(), snapshot_date=SNAPSHOT).sort_index()
_got = _copy.rows.astype({"customer_id": str}).set_index("customer_id").sort_index()
assert sorted(_copy.columns) == sorted(["customer_id", "recency_days", "frequency", "monetary_gbp"])
assert list(_got.index) == list(_ref.index)
assert (_got["recency_days"].astype(int) == _ref["recency_days"]).all()
assert (_got["frequency"].astype(int) == _ref["frequency"]).all()
assert _np.allclose(_got["monetary_gbp"].astype(float), _ref["monetary_gbp"], atol=0.005)
### END HIDDEN TESTS

# %% id="80152537"
# q2.hint()
# q2.solution()

# %% [markdown] id="293ca1bf" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: the log step, with Spark's own functions (2 points)
#
# The segmentation takes the log of each RFM column, as in module 2: `log1p` (the log of 1 + x, so 0
# stays 0) after clipping negative values to 0 (a customer whose returns outweigh their purchases has
# a negative net spend). So that a slip in question 2 cannot follow you, this question starts from
# `rfm_given`, the course's answer to question 2 (next cell).
#
# Build `logged`: a **Spark DataFrame** with exactly the columns `customer_id`, `log_recency_days`,
# `log_frequency` and `log_monetary_gbp`, one row per customer of `rfm_given`, using Spark's
# **built-in functions** (`pyspark.sql.functions`), **not a Python UDF** (a user-defined function
# written in Python).

# %% id="8743b183" nbgrader={"grade": false, "grade_id": "q3-data", "locked": true, "schema_version": 3, "solution": false}
rfm_given = given_rfm(spark, lines)  # the course's RFM at SNAPSHOT, as a Spark DataFrame
rfm_given.orderBy("customer_id").show(3)

# %% id="7660f23a" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
logged = rfm_given.select(
    "customer_id",
    *[
        F.log1p(F.greatest(F.col(c).cast("double"), F.lit(0.0))).alias(f"log_{c}")
        for c in ["recency_days", "frequency", "monetary_gbp"]
    ],
)
logged.orderBy("customer_id").show(3)
### END SOLUTION

# %% id="84b6124f" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
import numpy as _np
from course_utils.data import load_transactions as _load
from course_utils.features import rfm_table as _rfm_table
from course_utils.questions.m07_spark import as_copy as _as_copy

_copy = _as_copy(logged)
assert _copy is not None, "logged must be a Spark DataFrame"
assert not _copy.python_udf, "no Python UDF"
_ref = _np.log1p(_rfm_table(_load(), snapshot_date=SNAPSHOT).clip(lower=0)).sort_index()
_got = _copy.rows.astype({"customer_id": str}).set_index("customer_id").sort_index()
assert list(_got.index) == list(_ref.index)
for _c in ["recency_days", "frequency", "monetary_gbp"]:
    assert _np.allclose(_got[f"log_{_c}"].astype(float), _ref[_c], atol=1e-6), _c
### END HIDDEN TESTS

# %% id="cdf78522"
# q3.hint()
# q3.solution()

# %% [markdown] id="77e07b16" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: segment sizes, collected small (2 points)
#
# `model` (next cell) is the course's `pyspark.ml` pipeline (log, standard scaling, k-means with
# `K` = 4 segments, seed 0) fitted on `rfm_given`. Score `rfm_given` with it (do not refit), count the
# customers of each segment **in Spark**, and bring only those counts to the driver: `segment_sizes`
# is a **pandas Series** indexed by segment number, 0 to 3 in order, holding the number of customers
# in each segment.

# %% id="4fe598a3" nbgrader={"grade": false, "grade_id": "q4-data", "locked": true, "schema_version": 3, "solution": false}
model = fitted_model(rfm_given)  # fitted once; score with it, do not fit it again
print(model.stages[-1].clusterCenters()[0].round(2), "... the first of", K, "centres (scaled log units)")

# %% id="d34f81d4" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
segment_sizes = (
    model.transform(rfm_given).groupBy("segment").count().orderBy("segment").toPandas().set_index("segment")["count"]
)
segment_sizes
### END SOLUTION

# %% id="3428cf9e" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
import pandas as _pd
from pyspark.sql import functions as _F

assert isinstance(segment_sizes, _pd.Series)
_rows = model.transform(given_rfm(spark, lines)).groupBy("segment").agg(_F.count("*").alias("n")).orderBy("segment").collect()
assert [int(i) for i in segment_sizes.index] == [int(r["segment"]) for r in _rows]
assert [int(v) for v in segment_sizes] == [int(r["n"]) for r in _rows]
from course_utils.questions.m07_spark import counted_on_driver as _counted_on_driver

# In: the code cells the student ran (IPython's history), copied out with the answer
assert not _counted_on_driver(In), "segment_sizes must be counted in Spark, not on the driver"
### END HIDDEN TESTS

# %% id="cad2e665"
# q4.hint()
# q4.solution()

# %% [markdown] id="4bd29667" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: when is Spark worth it? (written, 3 points, graded by your instructor)
#
# Your manager wants the weekly segmentation moved "to big data" now. In 100-200 words, using the
# measured table of lesson 7c (pandas, DuckDB and Spark on the same RFM at three data sizes: seconds
# and peak memory), say **when** you would move the job to Spark and why not earlier, **what stays the
# same** in the code when it moves from `local[2]` to a cloud cluster, and **one mistake** that would
# make the Spark job fail or crawl at scale even though it works on the course's data.

# %% [markdown] id="43cf0b49" nbgrader={"grade": true, "grade_id": "q5-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 3 points. (1) When: not at the course's size. On the default data Spark is slower than pandas and
# DuckDB (JVM start and job scheduling cost seconds that a one-machine library does not pay); move when
# the data no longer fits one machine's memory or a one-machine run no longer finishes in time, using
# the lesson's measured times and peaks (a number from the table is quoted). DuckDB is a sound middle
# step for data that fits one disk. (1) What stays the same: the RFM query (Spark SQL or DataFrame
# code), the pipeline and the scoring; what changes is the master URL (`local[2]` -> the cluster's) and
# the storage path (a local file -> object storage such as s3:// or abfss://), plus memory settings.
# (1) A mistake at scale, with why: `toPandas()` on the order lines (brings every line to the driver,
# out of memory), a Python UDF where a built-in exists (rows shipped to Python and back), far too few or
# too many partitions (idle cores, or scheduling overhead), or refitting the model on every batch
# instead of scoring with the saved one.
# === END MARK SCHEME ===

# %% [markdown] id="fd3419fc" nbgrader={"grade": false, "grade_id": "outro", "locked": true, "schema_version": 3, "solution": false}
# ## Before you leave
#
# Stop the Spark session so its Java process ends and frees its memory (the check cells do not need
# it any more).

# %% id="48a7a265"
stop_session(spark)  # the driver JVM ends and frees its memory
