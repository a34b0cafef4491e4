"""An ordinary user's grading run is sandboxed too (unprivileged user namespaces), end to end.

Creates a temporary Unix user (removed afterwards) who owns a scratch copy of the course and runs
``python -m course_tools grade 00-welcome`` exactly as an instructor on a hub would, with
credentials in the environment, on the corpus' isolation probe (``s14-isolation``) and the
environment dump (``s24-environ``). Every probe must be DENIED (as for root), the kernel must see no
credential (not in its environment, not in any ``/proc/*/environ``), and ``report.md`` must say
which isolation was used.

The user must be able to run a Python with the course's packages: this checkout's Python may sit
under root's private home, so the test builds a small virtual environment from the system Python
3.11 that reads the same ``site-packages`` (as a shared install on a hub would).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
import pytest

from course_tools.nbgrader_tools import scratch_course
from tests.grading.submissions import corpus
from tests.support import system

A = corpus.ASSIGNMENT
CASES = {c.student: c for c in corpus.cases()}
SECRETS = {"PGPASSWORD": "pw-2b7c", "JUPYTERHUB_API_TOKEN": "tok-55e0", "COURSE_SMTP_PASSWORD": "pw-aa31"}
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)  # type: ignore[call-overload]


@pytest.fixture
def instructor():
    """A temporary ordinary user and a folder of theirs (its home inside); both removed afterwards."""
    if os.geteuid() != 0:
        system.missing("root (to create a temporary user)", "run the suite as root, as CI does")
    useradd = system.find_executable("useradd", "useradd (to create a temporary user)", apt="passwd")
    name = "cg" + uuid.uuid4().hex[:8]
    base = Path(tempfile.mkdtemp(prefix="grader-user-"))  # not under pytest's private tmp folder
    base.chmod(0o755)
    home = base / "home"
    made = _run([useradd, "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh", "--user-group", name])
    if made.returncode != 0:
        system.missing(
            f"a temporary user ({made.stderr.strip()})", "run the suite as root on a machine that allows useradd"
        )
    try:
        home.mkdir()
        shutil.chown(home, name, name)
        yield name, home, base
    finally:
        _run(["userdel", name])
        _run(["groupdel", name])
        shutil.rmtree(base, ignore_errors=True)


def _python_for(user: str, where: Path) -> str:
    """A Python ``user`` can run, with this checkout's packages."""
    probe = [sys.executable, "-c", "import nbgrader, course_utils"]
    if _run(["runuser", "-u", user, "--", *probe]).returncode == 0:
        return sys.executable
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = next(
        (
            p
            for p in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}")
            if _run(["runuser", "-u", user, "--", p, "-c", "pass"]).returncode == 0
        ),
        None,
    )
    if base is None:
        system.missing(f"a Python {version} other users can run", f"sudo apt-get install python{version}")
    venv = where / "venv"
    _run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "nbgrader").is_dir())
    (site / "_course.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    alembic = venv / "bin" / "alembic"  # what pip would have installed next to python
    alembic.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom alembic.config import main\nsys.exit(main())\n")
    alembic.chmod(0o755)
    for path in [where, *where.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o004 | (0o001 if path.is_dir() else 0))
    return str(venv / "bin" / "python")


def test_ordinary_users_grader_is_sandboxed(instructor: tuple[str, Path, Path]) -> None:
    user, home, base = instructor
    root = scratch_course(base / "course", with_exercises=True)
    corpus.write(root, [CASES["s14-isolation"], CASES["s24-environ"]])
    for path in [root, *root.rglob("*")]:
        shutil.chown(path, user, user)
    python = _python_for(user, base / "py")
    secrets = {
        **SECRETS,
        "NBGRADER_DB_URL": f"sqlite:///{root}/gradebook.db",
    }  # the grader uses it; kernels never see it
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "COURSE_ROOT": str(root),
        "TMPDIR": "/tmp",
        **secrets,
    }
    done = _run(
        [
            "runuser",
            "-u",
            user,
            "--",
            "env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            python,
            "-m",
            "course_tools",
            "grade",
            A,
            "--quiet",
            "--jobs",
            "2",
            "--isolate",
        ],
        cwd=root,
        timeout=900,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    report = (root / "grades" / A / "report.md").read_text()
    assert "isolation: unprivileged user namespaces" in report, report
    assert "NOT sandboxed" not in report + out

    def outputs(student: str) -> str:
        # A submission sent to manual grading (say a kernel that did not start in time on a loaded
        # machine) has no autograded notebook: say so with the report's reason, not a bare
        # FileNotFoundError from nbformat (how this test once failed).
        path = root / "autograded" / student / A / f"{A}.ipynb"
        assert path.is_file(), f"{student} was not autograded; the grader's report says:\n{report}"
        nb = nbformat.read(path, as_version=4)
        return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))

    lines = [ln for ln in outputs("s14-isolation").splitlines() if ln.startswith("SNOOP ")]
    assert len(lines) == 12, lines
    probes = lines[:-1]
    if "no network" not in report:  # the host refuses network namespaces: only that stays open
        probes = [ln for ln in probes if "use-network" not in ln]
    assert all("DENIED" in ln for ln in probes), lines
    assert int(lines[-1].split()[-1]) >= 62000, lines  # not the instructor's uid inside
    seen = outputs("s24-environ")
    assert "ENVIRON [" in seen
    for name, value in secrets.items():
        assert value not in seen and name not in seen, f"student code saw {name}"
    assert all(p.owner() == user for p in (root / "grades").rglob("*"))
