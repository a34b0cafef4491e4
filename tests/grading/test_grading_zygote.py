"""Kernels forked from the grader's pre-imported template (``course_tools.grading.zygote``).

Two real kernels are started the way nbgrader starts them (a ``KernelManager``
on the sandbox's kernel spec) while a zygote listens: each must come from the
zygote (pandas already imported) and still be sandboxed on its own: its own
PID namespace, uid, ``/tmp``, hidden folders, random state; an interrupt
reaches it, and killing what nbgrader started kills it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_tools.grading import sandbox
from course_tools.grading.zygote import ZYGOTE_ENV

pytestmark = pytest.mark.xdist_group("grading")

PROBE = """
import os, sys, random
import numpy
print("FROM-ZYGOTE", "pandas" in sys.modules and "seaborn" in sys.modules)
import matplotlib
print("MPLDIR", matplotlib.get_configdir())
print("UID", os.getuid(), "PID", os.getpid())
print("SECRET", os.path.exists({secret!r}))
print("TMP", sorted(os.listdir("/tmp")))
open("/tmp/mark-{name}", "w").write("x")
print("RANDOM", random.random(), numpy.random.rand())
"""


def _start(spec_dir: Path, cwd: Path):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.kernel_spec_manager.kernel_dirs = [str(spec_dir / "kernels")]
    km.start_kernel(cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def _run(kc, code: str) -> dict[str, str]:
    out: list[str] = []
    kc.execute_interactive(
        code,
        timeout=60,
        output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
    )
    lines = "".join(out).splitlines()
    return {ln.split(" ", 1)[0]: ln.split(" ", 1)[1] for ln in lines if " " in ln}


def test_kernels_from_the_zygote_stay_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok, why = sandbox.isolation_support()
    if not ok:
        pytest.skip(f"no sandbox on this machine: {why}")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "secret.txt").write_text("another student's work")
    sock = tmp_path / "z.sock"
    zygote = subprocess.Popen(
        [sys.executable, "-m", "course_tools.grading.zygote", str(sock)],
        env=sandbox.kernel_env(dict(os.environ)),
        cwd=tmp_path,
    )
    kernels = []
    try:
        deadline = time.monotonic() + 120
        while not sock.exists():
            assert zygote.poll() is None and time.monotonic() < deadline, "the zygote did not start listening"
            time.sleep(0.1)
        monkeypatch.setenv(ZYGOTE_ENV, str(sock))
        home = str(Path.home().resolve())
        base = 64000 + 2 * (os.getpid() % 500)  # uids no other grader on this machine uses now
        seen = {}
        for i, name in enumerate(["a", "b"]):
            cwd = tmp_path / f"cwd-{name}"
            cwd.mkdir()
            cfg = sandbox.SandboxConfig(
                uid=base + i,
                workdir=str(cwd),
                error_log=str(tmp_path / f"err-{name}.log"),
                hide=[str(hidden)] + ([home] if home != "/" else []),
                readonly=sorted({str(Path.cwd()), sys.prefix, str(Path(sandbox.__file__).resolve().parents[2])}),
                rebind=sorted({sys.prefix, sys.base_prefix, str(Path(sandbox.__file__).resolve().parents[2])}),
            )
            spec = sandbox.write_kernelspec(tmp_path / f"jupyter-{name}", cfg.save(tmp_path / f"sandbox-{name}.json"))
            km, kc = _start(spec.parents[1], cwd)
            kernels.append((km, kc))
            seen[name] = _run(kc, PROBE.format(secret=str(hidden / "secret.txt"), name=name))
        for name, got in seen.items():
            assert got["FROM-ZYGOTE"] == "True", f"kernel {name} was not forked from the pre-imported zygote: {got}"
            assert got["SECRET"] == "False", "a hidden file is visible in the kernel"
            assert got["MPLDIR"] == "/tmp/matplotlib", "matplotlib kept the zygote's config folder"
            pid = int(got["UID"].split()[-1])
            assert pid < 10, f"not in a PID namespace of its own (pid {pid})"
        assert "mark-a" not in seen["b"]["TMP"], "the second kernel sees the first kernel's /tmp"
        if os.geteuid() == 0:
            assert [seen[n]["UID"].split()[0] for n in "ab"] == [str(base), str(base + 1)]
        assert seen["a"]["RANDOM"] != seen["b"]["RANDOM"], "two kernels share their random state"

        km, kc = kernels[0]
        kc.execute("import time; time.sleep(60)")
        time.sleep(1)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        assert reply["content"].get("ename") == "KeyboardInterrupt", reply["content"]
        launcher = km.provisioner.process
        km.shutdown_kernel(now=True)  # SIGKILL to what nbgrader started: the kernel must go too
        assert launcher.poll() is not None and not km.is_alive()
        if os.geteuid() == 0:  # no process of the killed kernel's uid is left
            deadline = time.monotonic() + 10
            while (
                str(base) in subprocess.run(["ps", "-e", "-o", "uid="], capture_output=True, text=True).stdout.split()
            ):
                assert time.monotonic() < deadline, "the kernel outlived the launcher nbgrader killed"
                time.sleep(0.2)
        assert _run(kernels[1][1], "print('STILL', 'alive')") == {"STILL": "alive"}
    finally:
        for km, kc in kernels:
            kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        zygote.kill()
        zygote.wait()


WARM_PROBE = """
import sys
m = sys.modules.get("course_utils.questions.m01_wrangling")
print("LOADED", m is not None)
info = m._dates_for.cache_info()
print("CACHED", info.currsize, info.misses)
m._dates_for(m._data_key())
print("AFTER", m._dates_for.cache_info().misses)
from course_utils.data import FX_TO_GBP, load_transactions
from course_utils.questions.m01_wrangling import q3
raw = load_transactions(raw=True)
unit_price_gbp = raw["unit_price"].astype(float) * raw["currency"].map(FX_TO_GBP)
raw["currency"] = "GBP"  # the student changes the table their answer came from...
raw["unit_price"] = "0"
print("RIGHT", q3.verdict().__class__.__name__)  # ...and the check still judges against the course file
unit_price_gbp = raw["unit_price"].astype(float)
print("WRONG", q3.verdict().__class__.__name__)
try:
    m._prices_for(m._data_key())[1][0] = 0.0
    print("FROZEN", False)
except ValueError:
    print("FROZEN", True)
"""


def test_the_zygote_computes_the_check_truths_before_it_forks(tmp_path: Path) -> None:
    """01-wrangling's expected answers come from the template's clean state, computed once before any kernel.

    Fails if the warm-up is removed (nothing cached in the new kernel) or if the kernel cannot use
    what it inherited (a cache miss inside the sandbox); a student who changes ``raw`` in place
    still gets the right verdict, and the inherited truths cannot be written to.
    """
    from course_tools.grading.zygote import WARM_ENV

    ok, why = sandbox.isolation_support()
    if not ok:
        pytest.skip(f"no sandbox on this machine: {why}")
    sock = tmp_path / "z.sock"
    env = {**sandbox.kernel_env(dict(os.environ)), WARM_ENV: "01-wrangling"}
    zygote = subprocess.Popen([sys.executable, "-m", "course_tools.grading.zygote", str(sock)], env=env, cwd=tmp_path)
    km = kc = None
    try:
        deadline = time.monotonic() + 180
        while not sock.exists():
            assert zygote.poll() is None and time.monotonic() < deadline, "the zygote did not start listening"
            time.sleep(0.1)
        os.environ[ZYGOTE_ENV] = str(sock)
        home = str(Path.home().resolve())
        cwd = tmp_path / "cwd"
        cwd.mkdir()
        package = str(Path(sandbox.__file__).resolve().parents[2])
        cfg = sandbox.SandboxConfig(
            uid=64000 + 2 * (os.getpid() % 500),
            workdir=str(cwd),
            error_log=str(tmp_path / "err.log"),
            hide=[home] if home != "/" else [],
            readonly=sorted({str(Path.cwd()), sys.prefix, package}),
            rebind=sorted({sys.prefix, sys.base_prefix, package}),
        )
        spec = sandbox.write_kernelspec(tmp_path / "jupyter", cfg.save(tmp_path / "sandbox.json"))
        km, kc = _start(spec.parents[1], cwd)
        got = _run(kc, WARM_PROBE)
        assert got["LOADED"] == "True", f"the checks' module was not imported in the zygote: {got}"
        assert got["CACHED"] == "1 1", f"the truths were not computed before the fork: {got}"
        assert got["AFTER"] == "1", "the kernel computed the truth again instead of using the inherited one"
        assert got["RIGHT"] == "Verdict", "a right answer failed once the student changed `raw`"
        assert got["WRONG"] == "Incorrect", "a wrong answer passed"
        assert got["FROZEN"] == "True", "a cached truth can be written to"
    finally:
        os.environ.pop(ZYGOTE_ENV, None)
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)
        zygote.kill()
        zygote.wait()


def test_one_zygote_serves_both_workers_and_is_restarted_when_killed_mid_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's one template is killed while a kernel it forked is running: it is started again,
    the running kernel finishes, and every submission gets the score plain nbgrader gives it."""
    import signal
    import threading

    from course_tools.grading import pool
    from course_tools.grading.bench import make_submissions
    from course_tools.grading.runner import grade_assignment

    if not sandbox.isolation_support()[0]:
        pytest.skip("no sandbox here: kernels are not forked from a template")
    monkeypatch.delenv("NBGRADER_DB_URL", raising=False)
    monkeypatch.delenv("COURSE_GRADING_NO_ZYGOTE", raising=False)
    students = make_submissions(tmp_path / "course", "00-welcome", 6)
    seen: dict[str, object] = {"calls": 0, "killed": None, "zygotes": set()}
    original = pool.Workers.run

    def run(self: pool.Workers, spec: dict, timeout: float) -> dict | None:
        assert self.zygote is not None, "the run has a kernel template"
        seen["zygotes"].add(id(self.zygote))  # type: ignore[attr-defined]
        if spec.get("kind", "autograde") == "autograde" and spec.get("student", "").startswith("student"):
            seen["calls"] = int(seen["calls"]) + 1  # type: ignore[call-overload]
            if seen["calls"] == 2:  # kill the template while this job's kernel (forked from it) runs
                proc = self.zygote.proc
                assert proc is not None and proc.poll() is None
                seen["killed"] = proc.pid
                threading.Timer(1.0, os.kill, (proc.pid, signal.SIGKILL)).start()
        return original(self, spec, timeout)

    monkeypatch.setattr(pool.Workers, "run", run)
    starts: list[int] = []
    close = pool.SharedZygote.close

    def closing(self: pool.SharedZygote) -> None:
        starts.append(self.starts)
        close(self)

    monkeypatch.setattr(pool.SharedZygote, "close", closing)
    batch = grade_assignment("00-welcome", tmp_path / "course", jobs=2, progress=False)
    expected = {s: (5.0, 0.0, 3.0)[i % 3] for i, s in enumerate(students)}  # right, blank, half right
    assert seen["killed"] is not None and len(seen["zygotes"]) == 1  # type: ignore[arg-type]
    assert starts and starts[0] >= 2, "the killed template was started again"
    assert all(r.status == "graded" for r in batch.results), [(r.student, r.status, r.reasons) for r in batch.results]
    assert batch.scores() == expected
