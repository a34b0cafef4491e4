"""Spark for the course (lesson 7c): a session that fits a 2 GB Binder, RFM and segments on Spark.

Everything here runs on Apache Spark through PySpark and needs Java 17 or newer
(:func:`require_java` says how to install it). The pieces:

- :mod:`course_utils.spark.session`: :func:`spark_session` (``local[2]``, explicit driver memory,
  offline, quiet) and :func:`stop_session` (stops the driver JVM too, by its process id);
- :mod:`course_utils.spark.rfm`: the course-wide RFM in Spark SQL (:func:`rfm_sql`) and in the
  DataFrame API (:func:`rfm_dataframe`), and the ``pyspark.ml`` segmentation (:func:`segment_pipeline`);
- :mod:`course_utils.spark.cluster`: a Spark standalone cluster (a master and workers on 127.0.0.1)
  and ``spark-submit`` to it;
- :mod:`course_utils.spark.stream`: segments updated from a folder of order files with Structured
  Streaming, scored by a saved model, with a drift alert;
- (the benchmark of pandas, DuckDB and Spark on the same RFM, ``make bench``, is tooling:
  :mod:`course_tools.rfm_engines`).

A session, the RFM and segments (needs Java, so not run as a doctest; ``tests/runtime/test_spark.py`` does)::

    >>> from course_utils.spark import spark_session, read_transactions, rfm_sql, segment_pipeline
    >>> spark = spark_session()                                         # doctest: +SKIP
    >>> rfm = rfm_sql(spark, read_transactions(spark))                  # doctest: +SKIP
    >>> model = segment_pipeline(k=4, seed=0).fit(rfm)                  # doctest: +SKIP
    >>> model.transform(rfm).groupBy("segment").count().count()         # doctest: +SKIP
    4

>>> from course_utils.spark import DRIVER_MEMORY
>>> DRIVER_MEMORY
'768m'
"""

from __future__ import annotations

from course_utils.spark.rfm import (
    RFM_SQL,
    SEGMENT_INPUTS,
    TRANSACTIONS_SCHEMA,
    profiles,
    read_transactions,
    rfm_dataframe,
    rfm_sql,
    rfm_sql_text,
    rfm_to_pandas,
    segment_pipeline,
    transactions_csv,
)
from course_utils.spark.session import (
    DRIVER_MEMORY,
    MIN_JAVA,
    SHUFFLE_PARTITIONS,
    JavaMissing,
    java_version,
    jvm_pid,
    require_java,
    session_conf,
    spark_session,
    stop_session,
)

__all__ = [
    "DRIVER_MEMORY",
    "MIN_JAVA",
    "SHUFFLE_PARTITIONS",
    "JavaMissing",
    "java_version",
    "jvm_pid",
    "require_java",
    "session_conf",
    "spark_session",
    "stop_session",
    "RFM_SQL",
    "SEGMENT_INPUTS",
    "TRANSACTIONS_SCHEMA",
    "profiles",
    "read_transactions",
    "rfm_dataframe",
    "rfm_sql",
    "rfm_sql_text",
    "rfm_to_pandas",
    "segment_pipeline",
    "transactions_csv",
]
