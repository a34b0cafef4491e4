"""environment.yml (Binder, conda) agrees with the package, and Binder set-up is complete."""

from __future__ import annotations

import re
import tomllib

from course_utils.paths import course_root

ROOT = course_root()


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_deps() -> set[str]:
    """The student runtime's dependencies and the tools extra: Binder has both (environment.yml says why)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["tools"]
    return {_key(re.split(r"[<>=!~ \[;]", d)[0]) for d in deps}


def _environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s+-\s+([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if m:
            pins[_key(m.group(1))] = m.group(2)
    return pins


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_key(name)] = version.strip()
    return pins


def test_environment_lists_exactly_the_package_dependencies() -> None:
    env, deps = set(_environment_pins()), _pyproject_deps()
    assert env == deps, f"environment.yml lacks {sorted(deps - env)} and has extra {sorted(env - deps)}"


def test_environment_pins_match_constraints() -> None:
    constraints = _constraints()
    for name, version in _environment_pins().items():
        assert constraints.get(name) == version, (
            f"{name}=={version} in environment.yml but {constraints.get(name)} in requirements/constraints.txt"
        )


def test_environment_python_is_exact() -> None:
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- python=3\.1[1-9]\s*$", text, re.M), "repo2docker needs an exact python=3.X"


def test_binder_postbuild_installs_course_and_student_side_nbgrader_only() -> None:
    post = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post
    assert "course_tools setup" in post
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert "@jupyter/nbgrader:${plugin}" in post and plugin in post
    assert "nbgrader.server_extensions.formgrader" in post
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the top-level files"


def test_readme_binder_badge_opens_start_page() -> None:
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"mybinder\.org/v2/\S+?urlpath=lab(?:%2F|/)tree(?:%2F|/)(\S+?\.ipynb)", readme)
    assert m, "README needs a Binder badge that opens the start page"
    start = m.group(1).replace("%2F", "/")
    assert (ROOT / start).is_file(), f"the Binder badge opens {start}, which does not exist"
    assert start in (ROOT / "Makefile").read_text(), "make lab and Binder should open the same start page"


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _env_without_thread_vars() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in THREAD_VARS}


def test_binder_start_sets_one_thread_per_kernel_and_runs_the_command() -> None:
    import subprocess

    start = ROOT / "start"
    assert start.stat().st_mode & 0o111, "start must be executable"
    probe = ["sh", "-c", 'echo "$OMP_NUM_THREADS $OPENBLAS_NUM_THREADS $MKL_NUM_THREADS"']
    out = subprocess.run(
        [str(start), *probe], env=_env_without_thread_vars(), capture_output=True, text=True, timeout=30
    )
    assert out.stdout.split() == ["1", "1", "1"], out
    mine = subprocess.run(
        [str(start), *probe],
        env={**_env_without_thread_vars(), "OMP_NUM_THREADS": "4"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert mine.stdout.split()[0] == "4", "a learner's own setting must win"


def test_make_gives_every_command_one_thread_per_kernel() -> None:
    import subprocess

    rule = 'threads-probe: ; @echo "$$OMP_NUM_THREADS $$OPENBLAS_NUM_THREADS $$MKL_NUM_THREADS"'
    out = subprocess.run(
        ["make", "-s", "--eval", rule, "threads-probe"],
        cwd=ROOT,
        env=_env_without_thread_vars(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.stdout.split() == ["1", "1", "1"], out
    mine = subprocess.run(
        ["make", "-s", "--eval", rule, "threads-probe"],
        cwd=ROOT,
        env={**_env_without_thread_vars(), "OMP_NUM_THREADS": "4"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert mine.stdout.split()[0] == "4", "an instructor's own setting must win"


def test_nbgrader_config_gives_grading_kernels_one_thread() -> None:
    import subprocess
    import sys

    code = (
        "import os, runpy; from traitlets.config import Config; "
        "runpy.run_path('nbgrader_config.py', {'get_config': Config}); print(os.environ['OMP_NUM_THREADS'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env_without_thread_vars(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "1", out
