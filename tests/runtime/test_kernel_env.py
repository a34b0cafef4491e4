"""A real kernel started through the ``course-scrubbed`` provisioner never sees the gradebook URL.

The server that starts it has ``NBGRADER_DB_URL`` (formgrader needs it); the kernel runs notebook
code, a student's included. tests/grading/test_hub_e2e.py checks the same on a hub's grader server.
"""

from __future__ import annotations

import json
import os

import pytest
from jupyter_client.manager import KernelManager
from jupyter_client.provisioning import KernelProvisionerFactory

SECRET = "postgresql://grader:s3cret-pw@127.0.0.1:5432/segmentation"


def _kernel_environ(provisioner: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("NBGRADER_DB_URL", SECRET)
    monkeypatch.setenv("PGPASSWORD", "s3cret-pw")
    outputs: list[dict] = []
    KernelProvisionerFactory.clear_instance()
    factory = KernelProvisionerFactory.instance()
    factory.default_provisioner_name = provisioner
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    try:
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            "import os, json; print(json.dumps({k: os.environ.get(k) for k in ('NBGRADER_DB_URL', 'PGPASSWORD', "
            "'PATH')}))",
            timeout=60,
            output_hook=lambda msg: outputs.append(msg),
        )
        assert reply["content"]["status"] == "ok"
        client.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
        KernelProvisionerFactory.clear_instance()
    text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
    return json.loads(text)


@pytest.mark.slow
def test_scrubbed_provisioner_keeps_the_password_out_of_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _kernel_environ("course-scrubbed", monkeypatch)
    assert seen["NBGRADER_DB_URL"] is None and seen["PGPASSWORD"] is None, seen
    assert seen["PATH"] == os.environ["PATH"], "everything else is inherited as usual"


@pytest.mark.slow
def test_the_default_provisioner_would_leak_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the hub sets the scrubbed one: jupyter_client's own passes the server's environment on."""
    seen = _kernel_environ("local-provisioner", monkeypatch)
    assert seen["NBGRADER_DB_URL"] == SECRET
