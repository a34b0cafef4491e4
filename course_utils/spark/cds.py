"""A class-data-sharing (CDS) archive of Spark's classes: less memory and CPU for every Spark JVM.

Each Spark JVM (lesson 7c's driver; the cluster's master, workers, executors and the submitted
job's driver) reads thousands of classes from Spark's jars, parses and verifies them, and keeps
their metadata in memory of its own: measured here, that metadata was most of each JVM's memory
(126 MiB of the job driver's 365 MiB, 71 of an executor's 232). A CDS archive holds those classes
already parsed, in one file that every JVM maps: read-only pages of a file are kept once for all the
JVMs that map it (a container's memory limit charges them once, too), and no JVM parses them again.
Measured on this machine for the cluster run of lesson 7c (six JVMs, without the notebook): the sum
of their private memory fell from about 1,290 MiB to 970 MiB, and their CPU time from 125-188 s to
77 s. The whole lesson in a 1,800 MiB memory cgroup (``make bench``'s limit), on a busy machine: anon
peak 1,485 -> 1,172-1,176 MiB, cgroup peak 1,775 -> 1,307 MiB (1,423 MiB with the archive's pages
read cold, charged to the lesson), no OOM kill either way.

Two parts:

- :func:`jvm_options`: the options every course JVM gets. ``-XX:ArchiveRelocationMode=0`` maps an
  archive at the address it was built for; Java 17 builds that relocate it by default rewrite every
  pointer in it at start-up, which makes each JVM's copy private (12 MiB for Java's own archive,
  all of it for Spark's) and costs CPU. The price is that the archive's address is not randomised
  (ASLR), acceptable for a course's local JVMs. ``-XX:SharedArchiveFile`` is added when the archive
  exists; a JVM that cannot use it (another Java build) runs without it, as before.
- :func:`build` (``python -m course_utils.spark.cds``, part of the course set-up): records the
  classes the lesson's job loads (it runs once on ``local[2]``), then has Java dump them into the
  archive (about a minute of CPU, 190 MB on disk, in the environment's ``share/course-spark``).

>>> "-XX:ArchiveRelocationMode=0" in jvm_options(Path("/nonexistent.jsa"))
True
>>> "SharedArchiveFile" in jvm_options(Path("/nonexistent.jsa"))
False
>>> classpath_options(["/j/bin/java", "-cp", "/s/conf:/s/jars/*", "-Xmx1g", "--add-modules=jdk.incubator.vector"])
['-cp', '/s/conf:/s/jars/*', '--add-modules=jdk.incubator.vector']
"""

from __future__ import annotations

import functools
import hashlib
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["ARCHIVE_ENV", "archive_path", "jvm_options", "classpath_options", "build"]

#: Environment variable naming another archive file (a hub that keeps it elsewhere).
ARCHIVE_ENV = "COURSE_SPARK_CDS"
#: Map every CDS archive where it was built, so that its pages stay shared (see the module docstring).
NO_RELOCATION = "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"


@functools.lru_cache(maxsize=1)
def _java_build() -> str:
    """A short fingerprint of the Java that runs Spark: an archive fits one Java build only."""
    from course_utils.spark.session import _java_executable

    java = _java_executable() or "java"
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return hashlib.sha256((out.stderr + out.stdout).encode()).hexdigest()[:10]


def archive_path() -> Path:
    """Where the archive is (``$COURSE_SPARK_CDS``, else in this environment, named by Spark and Java)."""
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV])
    import pyspark

    return Path(sys.prefix) / "share" / "course-spark" / f"spark-{pyspark.__version__}-java-{_java_build()}.jsa"


def jvm_options(archive: Path | None = None) -> str:
    """JVM options that share class data: no relocation, and Spark's archive when it exists."""
    path = archive or archive_path()
    return f"{NO_RELOCATION} -XX:SharedArchiveFile={path}" if path.is_file() else NO_RELOCATION


def classpath_options(command: list[str]) -> list[str]:
    """The class path and module options of a Spark launch command: the archive must be built with them."""
    kept = []
    for i, arg in enumerate(command):
        if arg in ("-cp", "-classpath"):
            kept += [arg, command[i + 1]]
        elif arg.startswith("--add-modules"):
            kept.append(arg)
    return kept


def _launch_command() -> list[str]:
    """The ``java`` command Spark's launcher builds (same class path for master, workers, executors, driver)."""
    from course_utils.spark.cluster import spark_home

    env = {**os.environ, "SPARK_PRINT_LAUNCH_COMMAND": "1"}
    cmd = [str(spark_home() / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master", "--help"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    for line in (out.stderr + out.stdout).splitlines():
        if line.startswith("Spark Command: "):
            return shlex.split(line.removeprefix("Spark Command: "))
    raise RuntimeError("Spark's launcher did not print its command; cannot build the class-data archive")


def _class_list(folder: Path) -> Path:
    """Run the lesson's job once on ``local[2]`` (driver and executor in one JVM), listing the classes it loads."""
    from course_utils.spark import cluster
    from course_utils.spark.rfm import transactions_csv

    listing = folder / "spark.classlist"
    # no archive in use while listing: every class the job needs is then loaded from the jars, and listed
    options = f"{cluster.CLUSTER_JVM_OPTIONS} {NO_RELOCATION} -XX:DumpLoadedClassList={listing}"
    conf = {"spark.driver.extraJavaOptions": options}
    cluster.submit(
        cluster.JOB_SCRIPT, "local[2]", ["--data", str(transactions_csv()), "--out", str(folder / "out")], conf
    )
    return listing


def build(target: Path | None = None) -> Path:
    """Build Spark's class-data archive at ``target`` (default :func:`archive_path`) and return its path."""
    from course_utils.spark.session import _java_executable, require_java

    require_java()
    path = target or archive_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="course-spark-cds-") as tmp:
        listing = _class_list(Path(tmp))
        partial = path.with_suffix(".tmp")
        dump = [_java_executable() or "java", "-Xshare:dump", f"-XX:SharedClassListFile={listing}"]
        dump += [f"-XX:SharedArchiveFile={partial}", "-XX:+UseSerialGC", *classpath_options(_launch_command())]
        result = subprocess.run(dump, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
        if result.returncode != 0 or not partial.is_file():
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-10:])
            raise RuntimeError(f"Java could not dump the class-data archive (exit {result.returncode}):\n{tail}")
        os.replace(partial, path)
    return path


if __name__ == "__main__":
    print(f"Spark class-data archive written: {build()}")
