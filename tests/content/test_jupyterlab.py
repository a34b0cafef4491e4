"""JupyterLab starts headless, serves /lab, and has nbgrader's server extensions on."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course_utils.paths import course_root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # loopback only
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.mark.slow
def test_jupyterlab_serves_lab_with_nbgrader(tmp_path: Path) -> None:
    port, token = _free_port(), secrets.token_hex(16)
    lab = Path(sys.executable).parent / "jupyter-lab"
    cmd = [
        str(lab),
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={course_root()}",
        "--ServerApp.open_browser=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"jupyter-lab exited early:\n{(tmp_path / 'lab.log').read_text()[-2000:]}"
            try:
                status, body = _get(f"{base}/lab?token={token}")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, f"/lab answered {status}"
        assert "JupyterLab" in body
        # The notebook opened by `make lab` and the Binder badge is served.
        status, _ = _get(f"{base}/api/contents/lessons/00-welcome/00-welcome.ipynb?token={token}&content=0")
        assert status == 200
        # nbgrader's server extensions are loaded (formgrader for instructors).
        status, _ = _get(f"{base}/formgrader?token={token}")
        assert status in (200, 302), f"/formgrader answered {status}: nbgrader server extension not enabled?"
        log.flush()
        text = (tmp_path / "lab.log").read_text()
        assert "nbgrader.server_extensions.formgrader" in text or status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert proc.poll() is not None, "jupyter-lab did not stop"


def test_make_lab_opens_the_start_page_and_starts_as_root() -> None:
    """`make lab` (dry run) opens the welcome lesson, which exists, and passes --allow-root only as root."""
    out = subprocess.run(["make", "-n", "lab"], cwd=course_root(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if "jupyter lab" in ln)
    start = line.split("--LabApp.default_url=/lab/tree/")[1].split()[0]
    assert (course_root() / start).is_file(), f"`make lab` opens {start}, which does not exist"
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert ("--allow-root" in line) == is_root, line
