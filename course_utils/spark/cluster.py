"""A real Spark standalone cluster on this machine, and ``spark-submit`` to it.

:class:`StandaloneCluster` starts a *master* and ``workers`` worker daemons, each its own JVM,
listening on 127.0.0.1 only, waits until every worker has registered, and stops them all by process
id (workers first, then their executors if any are left, then the master). :func:`submit` runs a
Python script with ``spark-submit`` against any master URL: ``local[2]``, ``spark://127.0.0.1:7077``
or, on a cloud cluster, the URL its provider gives.

PySpark's pip package ships ``bin/spark-class`` and ``bin/spark-submit`` but not the
``sbin/start-master.sh`` scripts of the full download, so the daemons are started with
``spark-class org.apache.spark.deploy.master.Master`` (and ``...worker.Worker``), as those scripts do.

>>> cmd = master_command(Path("/opt/spark"), port=7077, webui_port=8080)
>>> cmd[1:3], cmd[-4:]
(['org.apache.spark.deploy.master.Master', '--host'], ['--port', '7077', '--webui-port', '8080'])
>>> submit_command(Path("/opt/spark"), "job.py", "local[2]", ["--k", "4"], conf={"spark.executor.memory": "512m"})[1:6]
['--master', 'local[2]', '--conf', 'spark.executor.memory=512m', 'job.py']

Starting one (needs Java; ``tests/runtime/test_spark.py`` does it for real)::

    >>> with StandaloneCluster(workers=2) as cluster:                     # doctest: +SKIP
    ...     result = submit(JOB_SCRIPT, cluster.master_url, ["--out", "/tmp/out"])
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from course_utils.spark.session import JVM_OPTIONS, log4j_config, require_java

__all__ = [
    "JOB_SCRIPT",
    "CLUSTER_CONF",
    "CLUSTER_JVM_OPTIONS",
    "cluster_jvm_options",
    "StandaloneCluster",
    "spark_home",
    "master_command",
    "worker_command",
    "submit_command",
    "submit",
]

#: JVM options for the cluster's six JVMs (master, workers, executors, the job's driver): the course's
#: short-job options (:data:`~course_utils.spark.session.JVM_OPTIONS`) plus a small young generation
#: (``-Xmn8m``) and a heap that grows only to a quarter above what is live (``Min/MaxHeapFreeRatio``).
#: The serial collector otherwise lets each heap grow to what start-up garbage needed and keeps it:
#: measured on this machine, master and workers held ~78 MB of heap for ~31 MB live data, and the six
#: JVMs together took about 100 MiB more memory than with these options, for the same job time.
CLUSTER_JVM_OPTIONS = f"{JVM_OPTIONS} -Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"


def cluster_jvm_options() -> str:
    """:data:`CLUSTER_JVM_OPTIONS` plus shared class data (:mod:`course_utils.spark.cds`): the six JVMs
    map Spark's parsed classes from one file instead of each parsing and keeping its own copy."""
    from course_utils.spark.cds import jvm_options

    return f"{CLUSTER_JVM_OPTIONS} {jvm_options()}"


#: The segmentation job that lesson 7c submits (a plain script: spark-submit runs a file).
JOB_SCRIPT = Path(__file__).with_name("job.py")

#: Small executors, so that master, two workers, their executors and the driver fit a 2 GB machine.
CLUSTER_CONF: dict[str, str] = {
    "spark.executor.memory": "512m",
    "spark.executor.cores": "1",
    "spark.cores.max": "2",
    "spark.driver.memory": "512m",
    # One partition per executor core: 4 would cost twice the tasks for the same 2 cores.
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "false",
}


def spark_home() -> Path:
    """The Spark installation inside the pyspark package."""
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def master_command(home: Path, port: int, webui_port: int) -> list[str]:
    """The command that starts a standalone master on 127.0.0.1."""
    return [
        str(home / "bin" / "spark-class"),
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--webui-port",
        str(webui_port),
    ]


def worker_command(home: Path, master_url: str, work_dir: Path, cores: int = 1, memory: str = "1g") -> list[str]:
    """The command that starts one worker that offers ``cores`` and ``memory`` to ``master_url``."""
    return [
        str(home / "bin" / "spark-class"),
        "org.apache.spark.deploy.worker.Worker",
        master_url,
        "--host",
        "127.0.0.1",
        "--webui-port",
        str(_free_port()),
        "--cores",
        str(cores),
        "--memory",
        memory,
        "--work-dir",
        str(work_dir),
    ]


def _daemon_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    # Master and worker only book-keep: a small heap each, starting at 16 MB (the last -Xms wins).
    env["SPARK_DAEMON_MEMORY"] = "128m"
    env["SPARK_DAEMON_JAVA_OPTS"] = (
        f"{cluster_jvm_options()} -Xms16m -Dlog4j2.configurationFile=file:{log4j_config('warn')}"
    )
    env["PYSPARK_PYTHON"] = sys.executable  # executors start this Python for Python code
    return env


class StandaloneCluster:
    """A master and ``workers`` workers on 127.0.0.1, started and stopped by process id.

    Use it as a context manager (it stops everything on exit, also after an error), or call
    :meth:`start` and :meth:`stop`. ``master_url`` is what ``spark-submit --master`` takes.
    """

    def __init__(
        self, workers: int = 2, cores_per_worker: int = 1, memory_per_worker: str = "1g", timeout: float = 120.0
    ) -> None:
        self.workers, self.cores, self.memory, self.timeout = workers, cores_per_worker, memory_per_worker, timeout
        self.port, self.webui_port = _free_port(), _free_port()
        self.master_url = f"spark://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.log_dir: Path | None = None

    def _spawn(self, cmd: list[str], name: str) -> subprocess.Popen[bytes]:
        assert self.log_dir is not None
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_daemon_env(), cwd=self.log_dir
        )
        log.close()
        self.processes.append(proc)
        return proc

    def status(self) -> dict[str, Any]:
        """The master's own JSON status (workers, their state, running applications)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.webui_port}/json/", timeout=5) as r:  # noqa: S310
            return json.loads(r.read().decode())

    def alive_workers(self) -> int:
        try:
            return sum(1 for w in self.status().get("workers", []) if w.get("state") == "ALIVE")
        except OSError:
            return 0

    def start(self) -> StandaloneCluster:
        require_java()
        self._tmp = tempfile.TemporaryDirectory(prefix="course-spark-cluster-")
        self.log_dir = Path(self._tmp.name)
        home = spark_home()
        try:
            self._spawn(master_command(home, self.port, self.webui_port), "master")
            for i in range(self.workers):
                work = self.log_dir / f"worker-{i + 1}"
                work.mkdir()
                self._spawn(worker_command(home, self.master_url, work, self.cores, self.memory), f"worker-{i + 1}")
            deadline = time.monotonic() + self.timeout
            while self.alive_workers() < self.workers:
                dead = [p for p in self.processes if p.poll() is not None]
                if dead or time.monotonic() > deadline:
                    raise RuntimeError(self._failure("exited" if dead else f"not ready after {self.timeout:.0f} s"))
                time.sleep(0.5)
        except BaseException:
            self.stop()
            raise
        return self

    def _failure(self, what: str) -> str:
        assert self.log_dir is not None
        tails = []
        for log in sorted(self.log_dir.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-5:]
            tails.append(f"--- {log.name}:\n" + "\n".join(lines))
        return f"the Spark standalone cluster {what}; its logs end with:\n" + "\n".join(tails)

    def pids(self) -> list[int]:
        """Process ids of the master and the workers (and, while a job runs, the workers' executors)."""
        import psutil

        pids = []
        for proc in self.processes:
            if proc.poll() is None:
                pids.append(proc.pid)
                try:
                    pids += [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
                except psutil.NoSuchProcess:
                    pass
        return pids

    def stop(self, timeout: float = 20.0) -> None:
        """Stop workers (and any executor they left), then the master, each by its process id."""
        import psutil

        for proc in reversed(self.processes):  # workers first, the master last
            if proc.poll() is not None:
                continue
            try:
                children = psutil.Process(proc.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                children = []
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
            for child in children:
                try:
                    child.terminate()
                    child.wait(timeout=timeout)
                except psutil.NoSuchProcess:
                    pass
                except psutil.TimeoutExpired:
                    child.kill()
        self.processes.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def submit_command(
    home: Path, script: str | Path, master: str, args: list[str] | None = None, conf: dict[str, str] | None = None
) -> list[str]:
    """``spark-submit --master <master> --conf k=v ... <script> <args>``."""
    cmd = [str(home / "bin" / "spark-submit"), "--master", master]
    for key, value in (conf or {}).items():
        cmd += ["--conf", f"{key}={value}"]
    return cmd + [str(script), *(args or [])]


def submit(
    script: str | Path,
    master: str,
    args: list[str] | None = None,
    conf: dict[str, str] | None = None,
    timeout: float = 600.0,
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with ``spark-submit`` against ``master``; raise with its output if it fails.

    The driver runs here (client mode), with :data:`CLUSTER_CONF` plus ``conf``; Spark's logs go
    to the returned ``stderr``, the script's own prints to ``stdout``.
    """
    require_java()
    java_opts = f"{cluster_jvm_options()} -Dlog4j2.configurationFile=file:{log4j_config('warn')}"
    settings = {
        **CLUSTER_CONF,
        "spark.driver.extraJavaOptions": java_opts,
        "spark.executor.extraJavaOptions": java_opts,
        "spark.pyspark.python": sys.executable,
        **(conf or {}),
    }
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    cmd = submit_command(spark_home(), script, master, args, settings)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or "").splitlines()[-15:])
        raise RuntimeError(f"spark-submit to {master} failed (exit {result.returncode}); its last lines:\n{tail}")
    return result
