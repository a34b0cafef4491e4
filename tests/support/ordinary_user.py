"""An ordinary user for grading tests: a temporary account, a Python it can run, and a grading run as it.

The grader's unprivileged path (user namespaces instead of root's mounts) is only exercised when
an ordinary user runs ``make grade``, so the tests create one (root only, as CI runs), give it a
venv that reuses this checkout's packages, and run ``python -m course_tools grade`` as that user
from an empty environment, as a plain shell would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.support import system


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
    # nbconvert's templates (feedback pages) and nbgrader's data live under the prefix, not site-packages
    (venv / "share").mkdir(exist_ok=True)
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    for path in [where, *where.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o004 | (0o001 if path.is_dir() else 0))
    return str(venv / "bin" / "python")


def grade_as(
    user: str,
    python: str,
    root: Path,
    home: Path,
    assignment: str,
    *,
    jobs: int,
    extra_env: dict[str, str],
    timeout: int,
) -> subprocess.CompletedProcess[str]:
    """``python -m course_tools grade ASSIGNMENT --isolate`` as ``user`` in ``root``, from an empty environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "COURSE_ROOT": str(root), "TMPDIR": "/tmp"}
    env.update(extra_env)
    cmd = ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items())]
    cmd += [python, "-m", "course_tools", "grade", assignment, "--quiet", "--jobs", str(jobs), "--isolate"]
    return _run(cmd, cwd=root, timeout=timeout)
