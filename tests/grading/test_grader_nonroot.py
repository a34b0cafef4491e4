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

import shutil
from pathlib import Path

import nbformat
import pytest

from course_tools.nbgrader_tools import scratch_course
from tests.grading.submissions import corpus
from tests.support.ordinary_user import _python_for, grade_as, instructor  # noqa: F401 - a fixture

A = corpus.ASSIGNMENT
CASES = {c.student: c for c in corpus.cases()}
SECRETS = {"PGPASSWORD": "pw-2b7c", "JUPYTERHUB_API_TOKEN": "tok-55e0", "COURSE_SMTP_PASSWORD": "pw-aa31"}
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]


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
    done = grade_as(user, python, root, home, A, jobs=2, extra_env=secrets, timeout=900)
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
