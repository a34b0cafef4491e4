"""A Spark session that fits the course: ``local[2]``, offline, quiet, inside a 2 GB Binder.

:func:`spark_session` starts (or reuses) one SparkSession with every setting the course relies on
spelled out, because Spark's defaults suit a cluster, not a laptop or a 2 GB Binder:

- ``master="local[2]"``: one JVM on this machine with two worker threads (the course's 2 cores);
- ``spark.driver.memory`` set explicitly (:data:`DRIVER_MEMORY`): the JVM's heap is fixed when it
  starts, so it must be chosen *before* the first session, never afterwards;
- ``spark.sql.shuffle.partitions`` small (:data:`SHUFFLE_PARTITIONS`): Spark's default of 200 is
  made for clusters and costs ~200 tiny tasks per shuffle here (lesson 7c measures it);
- everything on 127.0.0.1, no web UI, no download of any package: the course runs offline;
- logs at ERROR and no progress bars, so notebook output shows results, not Spark's chatter;
- a JVM tuned for short jobs on a small machine (``-XX:TieredStopAtLevel=1 -XX:+UseSerialGC``: the
  quick compiler only, one garbage-collector thread): measured here, session start plus RFM plus
  k-means on the default data took 27 s of CPU and 526 MiB instead of 54 s and 712 MiB. On a real
  cluster with long jobs, leave the JVM's defaults;
- Spark's classes mapped from a class-data-sharing archive when the set-up built one
  (:mod:`course_utils.spark.cds`): less memory and CPU per JVM;
- Arrow transfer off (pyarrow is not one of the course's packages) and the session time zone UTC,
  so that a timestamp such as ``2025-12-01 10:00`` falls on the same calendar day everywhere.

Spark needs Java 17 or newer. Where it is missing, :func:`require_java` raises :class:`JavaMissing`
whose message says exactly how to install it.

>>> java_major('openjdk version "17.0.15" 2025-04-15')
17
>>> java_major('java version "1.8.0_392"')
8
>>> conf = session_conf(driver_memory="768m")
>>> conf["spark.master"], conf["spark.driver.memory"], conf["spark.driver.host"]
('local[2]', '768m', '127.0.0.1')

Starting one (needs Java; the tests in ``tests/runtime/test_spark.py`` run this for real)::

    >>> spark = spark_session()                       # doctest: +SKIP
    >>> spark.range(3).count()                        # doctest: +SKIP
    3
    >>> stop_session(spark)                           # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

__all__ = [
    "DRIVER_MEMORY",
    "JVM_OPTIONS",
    "SHUFFLE_PARTITIONS",
    "MIN_JAVA",
    "JavaMissing",
    "java_major",
    "java_version",
    "require_java",
    "session_conf",
    "spark_session",
    "stop_session",
    "jvm_pid",
    "log4j_config",
]

#: The driver JVM's heap. The kernel (pandas, scikit-learn, matplotlib: about 350 MiB) plus this JVM
#: (heap plus about 250 MiB of its own) must stay well inside a 2 GB Binder.
DRIVER_MEMORY = "768m"
#: Partitions after a shuffle (groupBy, join): a few per core, not Spark's cluster default of 200.
SHUFFLE_PARTITIONS = 4
#: JVM options for short jobs on a small machine (see the module docstring); logs set apart.
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m"
#: Spark 4 runs on Java 17 or newer.
MIN_JAVA = 17

INSTALL_JAVA = (
    "Install Java {need} or newer, then restart the kernel:\n"
    "  Debian/Ubuntu:  sudo apt-get install openjdk-17-jre-headless\n"
    "  macOS:          brew install openjdk@17   (then follow brew's note to put it on PATH)\n"
    "  conda:          conda install -c conda-forge openjdk=17\n"
    "  Windows/other:  install Temurin 17 from adoptium.net and set JAVA_HOME\n"
    "Binder installs it from apt.txt; the rest of the course does not need Java."
)


class JavaMissing(RuntimeError):
    """Java 17+ is not installed (or too old); the message says how to install it."""


def java_major(version_text: str) -> int | None:
    """The major version in ``java -version`` output (``1.8`` counts as 8), or ``None``."""
    m = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def _java_executable() -> str | None:
    """The ``java`` Spark's launcher runs: ``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else PATH's."""
    home = os.environ.get("JAVA_HOME")
    if home:  # spark-class then runs $JAVA_HOME/bin/java and never looks at PATH
        java = Path(home) / "bin" / "java"
        return str(java) if java.is_file() else None
    return shutil.which("java")


def _not_found_message() -> str:
    """Why no Java was found, in the user's terms: a JAVA_HOME that points nowhere, or none at all."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return (
            f"Spark needs Java, and JAVA_HOME is set to {home}, which has no bin/java: "
            "point JAVA_HOME at a Java installation (the folder that holds bin/java), or unset it "
            "to use the `java` on PATH."
        )
    return "Spark needs Java, and none was found (no JAVA_HOME, no `java` on PATH)."


def java_version() -> int | None:
    """Major version of the Java that Spark will use (``JAVA_HOME``'s if set, else PATH's), or ``None``."""
    java = _java_executable()
    if java is None:
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return java_major(out.stderr + out.stdout)


def require_java(minimum: int = MIN_JAVA) -> int:
    """Return Java's major version, or raise :class:`JavaMissing` saying how to install it."""
    found = java_version()
    how = INSTALL_JAVA.format(need=minimum)
    if found is None:
        raise JavaMissing(f"{_not_found_message()}\n{how}")
    if found < minimum:
        raise JavaMissing(f"Spark 4 needs Java {minimum} or newer, but this Java is version {found}.\n{how}")
    return found


def log4j_config(level: str = "error") -> Path:
    """A log4j2 file that sends Spark's logs at ``level`` and above to stderr (written once, in /tmp)."""
    folder = Path(tempfile.gettempdir()) / f"course-spark-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"log4j2-{level}.properties"
    text = (
        f"rootLogger.level = {level}\n"
        "rootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\n"
        "appender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
        # PySpark's shell sets the root level to this logger's (WARN by default) and says so on stderr.
        "logger.repl.name = org.apache.spark.repl.Main\n"
        f"logger.repl.level = {level}\n"
    )
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


def session_conf(
    *,
    master: str = "local[2]",
    app_name: str = "course",
    driver_memory: str = DRIVER_MEMORY,
    shuffle_partitions: int = SHUFFLE_PARTITIONS,
    quick_jvm: bool = True,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every setting :func:`spark_session` passes to Spark (see the module's docstring for why).

    ``quick_jvm=False`` keeps the JVM's full optimising compiler, which pays off on large data.
    """
    from course_utils.spark.cds import jvm_options

    jvm = JVM_OPTIONS if quick_jvm else "-XX:+UseSerialGC -Xms64m"
    # Spark's classes shared from one archive file, when the set-up built it (course_utils.spark.cds)
    java_opts = f"{jvm} {jvm_options()} -Dlog4j2.configurationFile=file:{log4j_config()}"
    conf = {
        "spark.master": master,
        "spark.app.name": app_name,
        "spark.driver.memory": driver_memory,
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": java_opts,
        "spark.executor.extraJavaOptions": java_opts,
        "spark.sql.execution.arrow.pyspark.enabled": "false",
        "spark.sql.execution.pythonUDF.arrow.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": str(Path(tempfile.gettempdir()) / "course-spark-warehouse"),
        "spark.sql.adaptive.enabled": "true",
        # Python workers (for UDFs) run this interpreter, with the course's packages, not any `python3` on PATH.
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
    }
    conf.update(extra or {})
    return conf


def spark_session(
    app_name: str = "course",
    *,
    master: str = "local[2]",
    driver_memory: str = DRIVER_MEMORY,
    shuffle_partitions: int = SHUFFLE_PARTITIONS,
    quick_jvm: bool = True,
    extra: dict[str, str] | None = None,
) -> Any:
    """Start (or return the running) SparkSession with the course's settings.

    Raises :class:`JavaMissing`, with install instructions, when Java 17+ is absent. A session that
    is already running is returned as it is: the driver's memory cannot change after the JVM starts,
    so call :func:`stop_session` first to start afresh with other settings.
    """
    require_java()
    # Spark binds to the machine's own name unless told otherwise; the course stays on 127.0.0.1.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # PySpark 4.3 warns on every pandas conversion that it "does not yet fully support pandas >= 3";
    # the course converts only small tables of numbers and strings, which work (tests/runtime/test_spark.py
    # compares them row for row), so these messages from PySpark's code, and no other warning, are hidden.
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas >= 3", category=FutureWarning, module=r"pyspark\."
    )
    # ...and pandas 3's notice that PySpark's own conversion code still passes `copy=False`.
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module=r"pyspark\.")
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is None:
        settings = session_conf(
            master=master,
            app_name=app_name,
            driver_memory=driver_memory,
            shuffle_partitions=shuffle_partitions,
            quick_jvm=quick_jvm,
            extra=extra,
        )
        conf = SparkConf().setAll(list(settings.items()))
        # The JVM's own start-up notices (and native-library chatter) go to a log file, not into the
        # notebook: a Jupyter kernel forwards everything written to its stderr into the cell's output.
        log = log4j_config().parent / f"driver-{os.getpid()}.log"
        with open(log, "ab") as sink:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": sink, "stderr": sink})
        SparkContext(conf=conf, gateway=gateway)
    spark = SparkSession.builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def jvm_pid(spark: Any | None = None) -> int | None:
    """Process id of the driver JVM this Python process started (``None`` if none is running)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None) if gateway is not None else None
    return proc.pid if proc is not None and proc.poll() is None else None


def stop_session(spark: Any | None = None, timeout: float = 20.0) -> None:
    """Stop the session *and* its driver JVM (by process id), freeing its memory now.

    ``spark.stop()`` alone leaves the JVM running until Python exits; the lesson stops it before
    starting a cluster, so that both never hold memory at once. Safe to call twice.
    """
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    active = spark or SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None) if gateway is not None else None
    if gateway is not None:
        try:
            gateway.shutdown()
        except Exception:  # the JVM may already be gone; we still end the process below
            pass
    if proc is not None and proc.poll() is None:
        try:
            proc.stdin.close()  # the gateway exits when its stdin closes
        except (OSError, AttributeError):
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=timeout)
    SparkContext._gateway = None
    SparkContext._jvm = None
