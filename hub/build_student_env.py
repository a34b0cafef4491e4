"""Build the students' side of a JupyterHub class: ``make student-env DEST=/srv/course-student``.

Run it as root on the hub host, from the course folder, with the Python every user will run
(``make student-env DEST=... PYTHON=/usr/bin/python3``; Debian 12's 3.11.2 fits the pins). It makes::

    DEST/course/         what students may read: lessons/, exercises/, datasets/, course_utils/,
                         course_tools/ (the package installs both) and
                         the offline language data; never solutions/, tests/, .git, INSTRUCTORS.md,
                         grades or the gradebook (an allowlist: a new instructor folder is left out)
    DEST/venv/           a venv with the pinned packages, JupyterHub and the course package
                         (installed from DEST/course, not editable), which the hub, every user
                         server and every kernel run; marked shared, so `make setup` refuses to
                         reinstall into it
    DEST/venv/etc/jupyter/nbgrader_config.py
                         the students' nbgrader settings (exchange root, course id): nbgrader reads
                         the exchange from each user's own config, never from the instructor's
    DEST/grader-config/  Jupyter config for graders' servers only (the hub puts it on their
                         JUPYTER_CONFIG_PATH): formgrader on, CSP frame-ancestors 'self'

In the venv the instructor's extensions (formgrader, course list, create assignment) are disabled
and locked at sys-prefix level, as ``postBuild`` does on Binder, and every server's kernels start
through the ``course-scrubbed`` provisioner (no ``NBGRADER_DB_URL`` in any kernel).

Re-run it after ``git pull``: it replaces DEST/course and updates the venv.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE = HERE.parent
sys.path.insert(0, str(COURSE / "course_tools"))
from python_check import blocked_folder  # noqa: E402  (standard library only, like this script)

#: What students get from the course folder. Everything else stays with the instructor.
ALLOWED = (
    "course_utils",
    "course_tools",
    "datasets",
    "lessons",
    "exercises",
    "requirements",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "LICENSE-CONTENT.md",
)
#: Never copied, even from inside an allowed folder.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "large")
#: Instructor-only parts of nbgrader: server extensions and lab plugins.
SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list")

STUDENT_CONFIG = '''"""nbgrader settings for the students of a JupyterHub class (written by hub/build_student_env.py).

nbgrader reads the exchange from each user's own configuration: without this file students get
"Unwritable directory /usr/local/share/nbgrader/exchange" and must pass --course to every command.
"""

c = get_config()  # noqa: F821  (provided by nbgrader/traitlets)
c.Exchange.root = {exchange!r}
c.CourseDirectory.course_id = {course_id!r}
'''


def course_id(course: Path = COURSE) -> str:
    """The course id the instructor's ``nbgrader_config.py`` sets (students must use the same)."""
    found = re.search(r'CourseDirectory\.course_id\s*=\s*"([^"]+)"', (course / "nbgrader_config.py").read_text())
    if not found:
        raise SystemExit(f"{course / 'nbgrader_config.py'} sets no CourseDirectory.course_id")
    return found.group(1)


def _run(*cmd: str | Path, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def copy_course(dest: Path, exchange: str) -> None:
    """``dest`` becomes the students' copy of the course (replaced if it exists)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ALLOWED:
        src = COURSE / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=IGNORED)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    # the marker course_utils.paths looks for; students' nbgrader settings, not the instructor's
    (dest / "nbgrader_config.py").write_text(STUDENT_CONFIG.format(exchange=exchange, course_id=course_id()))


def packages_key(course: Path, python: str) -> str:
    """What the installed packages depend on: the pins, pyproject.toml and the Python."""
    digest = hashlib.sha256(python.encode() + sys.version.encode())
    for name in ("pyproject.toml", "requirements/constraints.txt"):
        digest.update((course / name).read_bytes())
    return digest.hexdigest()


def build_venv(venv: Path, course: Path, exchange: str, python: str) -> None:
    if not (venv / "bin" / "python").exists():
        _run(python, "-m", "venv", venv)
    stamp, key = venv / ".course-installed", packages_key(course, python)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not stamp.is_file() or stamp.read_text().strip() != key:  # else: the pins did not change
        _run(*pip, "-c", course / "requirements" / "constraints.txt", f"{course}[hub]")
    # The course package itself, every time (its code changes without the pins changing). Not
    # editable: an import then never depends on where the copy lies (a grading sandbox shows the
    # venv but not other folders); users' servers get COURSE_ROOT for the data (the hub sets it).
    _run(*pip, "--no-deps", "--force-reinstall", course)
    for leftover in (course / "build", *course.glob("*.egg-info")):  # setuptools' build files, not course material
        shutil.rmtree(leftover, ignore_errors=True)
    _run(
        venv / "bin" / "python",
        "-m",
        "course_tools",
        "setup",
        "--quiet",
        env={**os.environ, "COURSE_ROOT": str(course)},
    )
    etc = venv / "etc" / "jupyter"
    (etc / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(STUDENT_CONFIG.format(exchange=exchange, course_id=course_id()))
    # every kernel of every server started from this venv: no gradebook URL in its environment
    (etc / "jupyter_server_config.d" / "course-kernels.json").write_text(
        json.dumps({"KernelProvisionerFactory": {"default_provisioner_name": "course-scrubbed"}}, indent=2) + "\n"
    )
    # Terminals: without a shell_command jupyter_server starts `$SHELL -l` (useradd's default
    # /bin/sh), and a login shell's /etc/profile resets PATH, dropping this venv: `nbgrader` would
    # be "not found". A non-login bash keeps the PATH the hub gives each server. (A Python config
    # file: ServerApp settings in jupyter_server_config.d/*.json were not applied, measured.)
    shell = shutil.which("bash") or "/bin/sh"
    (etc / "jupyter_server_config.py").write_text(
        '"""Written by hub/build_student_env.py: terminals keep the venv on PATH (no login shell)."""\n'
        "c = get_config()  # noqa: F821\n"
        f"c.ServerApp.terminado_settings = {{'shell_command': [{shell!r}]}}\n"
    )
    # The instructor's extensions off and locked for everyone who runs this venv: the same files
    # `jupyter server extension disable --sys-prefix` and `jupyter labextension disable/lock
    # --level=sys_prefix` write (postBuild runs those on Binder), written directly because each
    # of those commands takes 5-15 s. Graders' servers switch them back on (grader-config/).
    for ext in SERVER_EXTENSIONS:  # loaded after nbgrader.json (alphabetical), so these win
        (etc / "jupyter_server_config.d" / f"{ext}.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {ext: False}}}, indent=2) + "\n"
        )
    (etc / "labconfig").mkdir(exist_ok=True)
    (etc / "labconfig" / "page_config.json").write_text(
        json.dumps(
            {"disabledExtensions": {p: True for p in LAB_PLUGINS}, "lockedExtensions": {p: True for p in LAB_PLUGINS}},
            indent=2,
        )
        + "\n"
    )
    (venv / ".course-shared").write_text("made by hub/build_student_env.py; rebuild with make student-env\n")
    stamp.write_text(key + "\n")


def open_to_all(root: Path) -> None:
    """Everyone may read and enter; only the owner (root) may write."""
    for folder, _dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            if not os.path.islink(name):
                mode = os.stat(name).st_mode
                os.chmod(name, (mode | 0o444 | (0o111 if mode & 0o100 or os.path.isdir(name) else 0)) & ~0o022)


def start_line(dest: Path, exchange: Path, seconds: float) -> str:
    """What to run next, with the settings this build differs from the hub's defaults in.

    >>> print(start_line(Path("/srv/trial"), Path("/srv/x"), 3))  # doctest: +ELLIPSIS
    students' environment ready in /srv/trial (3 s); exchange /srv/x. Start the hub (as root) with:
      COURSE_HUB_VENV=/srv/trial/venv NBGRADER_EXCHANGE=/srv/x /srv/trial/venv/bin/jupyterhub -f ...
    (other settings...
    """
    env = []
    if dest / "venv" != Path("/srv/course-student/venv"):
        env.append(f"COURSE_HUB_VENV={dest / 'venv'}")
    if exchange != Path("/srv/nbgrader/exchange"):
        env.append(f"NBGRADER_EXCHANGE={exchange}")
    return (
        f"students' environment ready in {dest} ({seconds:.0f} s); exchange {exchange}. Start the hub (as root) with:\n"
        f"  {' '.join(env + [''])}{dest / 'venv/bin/jupyterhub'} -f {HERE / 'jupyterhub_config.py'}\n"
        "(other settings, e.g. COURSE_HUB_STATE, COURSE_HUB_PORT, COURSE_HUB_DB_URL_FILE: INSTRUCTORS.md section 2 "
        "step 6)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="where to build it, e.g. /srv/course-student")
    parser.add_argument(
        "--exchange",
        default=os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange"),
        help="nbgrader's exchange folder (default: $NBGRADER_EXCHANGE or /srv/nbgrader/exchange)",
    )
    args = parser.parse_args(argv)
    blocked = blocked_folder(sys.executable)
    if blocked:
        print(
            f"{sys.executable} cannot be run by other users ({blocked} is closed to them); "
            "build the students' environment with a Python everyone can run, e.g. "
            "`make student-env PYTHON=/usr/bin/python3 DEST=...`.",
            file=sys.stderr,
        )
        return 1
    dest = args.dest.resolve()
    start = time.monotonic()
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o755)
    copy_course(dest / "course", args.exchange)
    build_venv(dest / "venv", dest / "course", args.exchange, sys.executable)
    if (dest / "grader-config").exists():
        shutil.rmtree(dest / "grader-config")
    shutil.copytree(HERE / "grader-config", dest / "grader-config")
    open_to_all(dest)
    exchange = Path(args.exchange)
    if not exchange.is_dir():
        exchange.mkdir(parents=True)
        os.chmod(exchange, 0o777)  # nbgrader's exchange: everyone writes (inbound is per-user files)
    print(start_line(dest, exchange, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
