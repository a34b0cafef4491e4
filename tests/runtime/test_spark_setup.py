"""Spark set-up without starting Spark: Java is required and explained, Binder installs it."""

from __future__ import annotations

import pytest

from course_utils.paths import course_root
from course_utils.spark import JavaMissing, require_java, session_conf


def test_binder_installs_java_17_from_apt_txt() -> None:
    packages = (course_root() / "apt.txt").read_text().split()
    assert any(p.startswith("openjdk-") and int(p.split("-")[1]) >= 17 for p in packages), packages


def test_missing_java_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java anywhere on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(JavaMissing) as err:
        require_java()
    text = str(err.value)
    assert "sudo apt-get install openjdk-17-jre-headless" in text and "restart the kernel" in text


def test_java_home_pointing_nowhere_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    # Spark's launcher runs $JAVA_HOME/bin/java whenever JAVA_HOME is set, even with a java on PATH
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-such-jdk"))
    with pytest.raises(JavaMissing) as err:
        require_java()
    text = str(err.value)
    assert f"JAVA_HOME is set to {tmp_path / 'no-such-jdk'}, which has no bin/java" in text
    assert "no JAVA_HOME" not in text and "sudo apt-get install openjdk-17-jre-headless" in text


def test_old_java_is_refused_with_its_version(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    fake = tmp_path / "bin" / "java"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(JavaMissing, match="needs Java 17 or newer, but this Java is version 11"):
        require_java()


def test_session_fits_a_small_machine_and_stays_on_localhost() -> None:
    conf = session_conf()
    assert conf["spark.master"] == "local[2]"
    assert conf["spark.driver.memory"] == "768m"
    assert conf["spark.driver.host"] == conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert conf["spark.ui.enabled"] == "false"
    assert int(conf["spark.sql.shuffle.partitions"]) <= 8
