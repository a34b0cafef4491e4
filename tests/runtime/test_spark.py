"""Spark, for real (issue 14): RFM equal to ``rfm_table``, a standalone cluster, a stream.

One SparkSession (one driver JVM) serves the whole module and is stopped, JVM included, by its
process id at the end; the cluster's master, workers and executors are stopped by theirs. Off CI
these tests skip with one line when Java 17+ is missing; under ``CI=true`` they are required.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

from course_utils.data import load_transactions
from course_utils.features import rfm_table
from tests.support.system import missing

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]

INSTALL = "sudo apt-get install openjdk-17-jre-headless"


@pytest.fixture(scope="module")
def spark():
    from course_utils.spark import JavaMissing, jvm_pid, require_java, spark_session, stop_session

    try:
        require_java()
    except JavaMissing:
        missing("Java 17 or newer (for Spark)", INSTALL)
    session = spark_session("course-tests")
    pid = jvm_pid(session)
    assert pid is not None and psutil.pid_exists(pid)
    yield session
    stop_session(session)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, (
        f"the driver JVM (pid {pid}) is still running after stop_session()"
    )


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return rfm_table(load_transactions())


def _assert_same_rfm(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index), "not the same customers in the same order"
    assert got.dtypes.equals(want.dtypes), f"{got.dtypes.to_dict()} != {want.dtypes.to_dict()}"
    assert (got["recency_days"] == want["recency_days"]).all()
    assert (got["frequency"] == want["frequency"]).all()
    np.testing.assert_allclose(got["monetary_gbp"], want["monetary_gbp"], rtol=0, atol=1e-6)


def test_rfm_in_spark_sql_equals_rfm_table(spark, reference) -> None:
    from course_utils.spark import read_transactions, rfm_sql, rfm_to_pandas

    _assert_same_rfm(rfm_to_pandas(rfm_sql(spark, read_transactions(spark))), reference)


def test_rfm_with_the_dataframe_api_equals_rfm_table(spark, reference) -> None:
    from course_utils.spark import read_transactions, rfm_dataframe, rfm_to_pandas

    _assert_same_rfm(rfm_to_pandas(rfm_dataframe(read_transactions(spark))), reference)


def test_rfm_respects_the_snapshot_date(spark) -> None:
    from course_utils.spark import read_transactions, rfm_sql, rfm_to_pandas

    tx = load_transactions()
    _assert_same_rfm(rfm_to_pandas(rfm_sql(spark, read_transactions(spark), "2025-06-30")), rfm_table(tx, "2025-06-30"))


def test_spark_segments_agree_with_scikit_learn(spark, reference) -> None:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    from course_utils.spark.job import segments
    from course_utils.spark.rfm import transactions_csv

    got = segments(spark, str(transactions_csv()), k=4, seed=0).toPandas().set_index("customer_id")
    assert got.index.equals(reference.index)
    X = StandardScaler().fit_transform(np.log1p(reference.clip(lower=0)))
    sk = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(X)
    assert sorted(np.bincount(got["segment"])) != [0, 0, 0, len(got)], "one segment holds everyone"
    assert adjusted_rand_score(sk, got["segment"]) > 0.9


def test_job_on_a_standalone_cluster_equals_the_local_run(spark, tmp_path: Path) -> None:
    from course_utils.spark.cluster import JOB_SCRIPT, StandaloneCluster, submit
    from course_utils.spark.job import read_output, segments
    from course_utils.spark.rfm import transactions_csv

    data = str(transactions_csv())
    out = tmp_path / "segments"
    cluster = StandaloneCluster(workers=2)
    with cluster:
        assert cluster.alive_workers() == 2
        daemons = cluster.pids()
        result = submit(JOB_SCRIPT, cluster.master_url, ["--data", data, "--out", str(out)])
        apps = cluster.status().get("completedapps", [])
    assert "segments=4" in result.stdout and f"master={cluster.master_url}" in result.stdout, result.stdout
    assert any(a.get("name") == "larkspur-rfm-segments" and a.get("state") == "FINISHED" for a in apps), apps
    left = [p for p in daemons if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not left, f"cluster processes still running after stop(): {left}"
    on_cluster = read_output(out)
    local = segments(spark, data, k=4, seed=0).toPandas()
    assert len(on_cluster) == len(local) > 4000
    pd.testing.assert_frame_equal(
        on_cluster.reset_index(drop=True),
        local.reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        atol=1e-9,
        rtol=0,
    )


def test_stream_scores_each_micro_batch_like_a_batch_computation(spark, tmp_path: Path) -> None:
    from course_utils.spark import segment_pipeline
    from course_utils.spark.stream import SegmentStream, write_order_file

    tx = load_transactions()
    history = tx[tx["invoice_date"] < "2025-10-01"]
    fitted = spark.createDataFrame(rfm_table(history, "2025-09-30").reset_index())
    model = segment_pipeline(k=4, seed=0).fit(fitted)
    model.write().overwrite().save(str(tmp_path / "model"))
    reference = {
        int(r["segment"]): int(r["count"]) for r in model.transform(fitted).groupBy("segment").count().collect()
    }

    stream = SegmentStream(spark, tmp_path / "model", tmp_path / "incoming", tmp_path / "checkpoint", reference)
    stream.start(trigger_seconds=0.2)
    seen = history
    try:
        write_order_file(history, tmp_path / "incoming", "orders-to-2025-09.csv")
        stream.process_available()
        for month in ("2025-10", "2025-11", "2025-12"):
            lines = tx[tx["invoice_date"].dt.strftime("%Y-%m") == month]
            write_order_file(lines, tmp_path / "incoming", f"orders-{month}.csv")
            stream.process_available()
            seen = pd.concat([seen, lines])
            report = stream.reports[-1]
            assert report.lines == len(lines), "the micro-batch did not read exactly the new file"
            # The same files, in one batch computation: rfm_table, then the saved model.
            batch = rfm_table(seen, report.as_of)
            scored = model.transform(spark.createDataFrame(batch.reset_index())).groupBy("segment").count().collect()
            assert report.counts == {int(r["segment"]): int(r["count"]) for r in scored}, month
            assert report.customers == len(batch)
    finally:
        stream.stop()
    assert len(stream.reports) >= 4 and stream.query.lastProgress is not None
    assert stream.reports[0].psi == pytest.approx(0.0, abs=1e-9), "the reference data itself should not drift"
