"""Spark's class-data-sharing archive (course_utils.spark.cds): the course JVMs map it, as built."""

from __future__ import annotations

import subprocess
from pathlib import Path

from course_utils.spark import cds
from course_utils.spark.cluster import cluster_jvm_options
from course_utils.spark.session import session_conf
from tests.support.system import missing


def test_without_an_archive_only_relocation_is_turned_off(tmp_path: Path) -> None:
    options = cds.jvm_options(tmp_path / "missing.jsa")
    assert options == cds.NO_RELOCATION and "SharedArchiveFile" not in options


def test_every_course_jvm_gets_the_sharing_options() -> None:
    assert cds.NO_RELOCATION in cluster_jvm_options()
    conf = session_conf()
    assert cds.NO_RELOCATION in conf["spark.driver.extraJavaOptions"]


def test_the_built_archive_maps_in_a_jvm_on_sparks_class_path() -> None:
    # -Xshare:on makes Java fail, instead of silently running without it, when the archive does not fit
    # this Java build or Spark's class path: what the course's JVMs would then lose without a word.
    archive = cds.archive_path()
    if not archive.is_file():
        missing(f"Spark's class-data archive ({archive})", "`make setup` builds it (`python -m course_tools setup`)")
    from course_utils.spark.session import _java_executable

    cmd = [_java_executable() or "java", "-Xshare:on", *cds.jvm_options(archive).split()]
    cmd += [*cds.classpath_options(cds._launch_command()), "-Xlog:cds=info", "-version"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert f"Opened archive {archive}" in out.stdout and "alternative address" not in out.stdout
