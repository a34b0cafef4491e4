"""JupyterHub for a class taking this course, with nbgrader's exchange and a PostgreSQL gradebook.

Tested end to end by tests/grading/test_hub_e2e.py (a real hub, proxy, users, exchange and PostgreSQL).
INSTRUCTORS.md section 2 is the walk-through. In short, as root on the hub host::

    make student-env DEST=/srv/course-student PYTHON=/usr/bin/python3
    /srv/course-student/venv/bin/jupyterhub -f /home/teacher/customer-segmentation/hub/jupyterhub_config.py

Who is who:
- **Students** log in with their Unix account (PAM); their server starts in their home folder from
  the shared venv, whose nbgrader settings (exchange, course id) are the students' ones and whose
  instructor extensions are disabled and locked. ``COURSE_HIDE_SOLUTIONS=1``: ``q.solution()``
  shows nothing.
- **Graders** (the instructor and teaching assistants, ``COURSE_HUB_GRADERS`` or the Unix group
  ``course-graders``): their server starts in the course folder (formgrader finds the course only
  there), with ``NBGRADER_DB_URL`` (the PostgreSQL gradebook), formgrader switched on and the CSP
  ``frame-ancestors 'self'`` (hub/grader-config/). Their kernels never see ``NBGRADER_DB_URL``.

Everything here listens on 127.0.0.1 unless you say otherwise (``COURSE_HUB_IP``); put a TLS
reverse proxy (nginx, Caddy) in front for a real class. Every setting below can be changed with the
environment variable named next to it, so the file itself stays as shipped (the test uses that).
"""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub)

HERE = Path(__file__).resolve().parent
#: The instructor's course folder (the one holding this file): graders' servers start here.
COURSE_DIR = Path(os.environ.get("COURSE_DIR", HERE.parent))
#: The shared environment made by `make student-env` (the hub, every server and kernel run it).
VENV = Path(os.environ.get("COURSE_HUB_VENV", "/srv/course-student/venv"))
GRADER_CONFIG = VENV.parent / "grader-config"
#: nbgrader's exchange; the same folder `make student-env EXCHANGE=...` wrote into the venv.
EXCHANGE = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
#: Where the hub keeps its own state (its SQLite database, cookie secret, proxy pid file); not the
#: folder the hub is started from.
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/jupyterhub"))
#: A file only root can read holding the gradebook URL, e.g. postgresql://grader:PASSWORD@dbhost/segmentation
DB_URL_FILE = os.environ.get("COURSE_HUB_DB_URL_FILE", "/etc/course-hub/db_url")


def _names(variable: str, group: str) -> set[str]:
    """Users listed in ``variable`` (comma-separated), else the members of Unix group ``group``."""
    listed = os.environ.get(variable)
    if listed is not None:
        return {name.strip() for name in listed.split(",") if name.strip()}
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return set()
    return set(entry.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == entry.gr_gid}


GRADERS = _names("COURSE_HUB_GRADERS", "course-graders")
STUDENTS = _names("COURSE_HUB_STUDENTS", "course-students")

# --- Network: the public proxy, the hub's API and the proxy's API all on 127.0.0.1 ------------
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
# configurable-http-proxy (npm): the hub starts it and stops it with itself.
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- State --------------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# --- Who may log in ----------------------------------------------------------------------------
# PAM: the machine's own Unix accounts and passwords. It works offline, needs nothing but the
# accounts LocalProcessSpawner needs anyway (each server runs as its user), and the hub runs as
# root for both. An OAuth authenticator (your university's login) is the usual next step; the
# spawner settings below do not change with it, as long as each user has a Unix account.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no systemd-logind session per server (containers lack it)
if GRADERS | STUDENTS:
    c.Authenticator.allowed_users = GRADERS | STUDENTS
else:  # nobody listed: the Unix groups decide when they exist
    c.PAMAuthenticator.allowed_groups = {"course-graders", "course-students"}

# A service token for scripts (and the end-to-end test): start servers, make tokens, list users.
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services = [{"name": "course-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]}]
    c.JupyterHub.load_roles = [
        {
            "name": "course-admin",
            "services": ["course-admin"],
            "scopes": ["admin:users", "admin:servers", "admin:server_state", "tokens", "list:users", "read:users"],
        }
    ]

# --- Servers: one local process per user, from the shared venv ---------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

#: Everyone: the venv first on PATH (nbgrader runs `alembic` by name), one OpenMP/BLAS thread
#: per kernel (the Makefile says what was measured), the exchange.
COMMON_ENV = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NBGRADER_EXCHANGE": EXCHANGE,
}


def _db_url() -> str:
    """The gradebook URL for graders' servers, read when each server starts (rotate it freely)."""
    try:
        return Path(DB_URL_FILE).read_text().strip()
    except OSError:
        return ""  # no file: formgrader and `make grade` fall back to the course's SQLite gradebook


def role_environment(spawner) -> None:
    """Per-role settings, applied to each server just before it starts (``pre_spawn_hook``)."""
    env = dict(COMMON_ENV)
    if spawner.user.name in GRADERS:
        env["COURSE_ROOT"] = str(COURSE_DIR)  # the course_utils checks see the instructor's course
        env["JUPYTER_CONFIG_PATH"] = str(GRADER_CONFIG)  # formgrader on, CSP frame-ancestors 'self'
        url = _db_url()
        if url:
            env["NBGRADER_DB_URL"] = url  # the server's own environment only: kernels are scrubbed
        spawner.notebook_dir = str(COURSE_DIR)
    else:
        env["COURSE_ROOT"] = str(VENV.parent / "course")  # the students' copy: lessons, data, no solutions
        env["COURSE_HIDE_SOLUTIONS"] = "1"
        spawner.notebook_dir = "~"
    private_home(spawner)
    spawner.environment.update(env)


def private_home(spawner) -> None:
    """A home folder others may read or enter is closed (0700) before the server starts, with a warning.

    Debian's ``useradd --create-home`` makes homes 0755: every student could read and
    copy every other student's notebooks and feedback. INSTRUCTORS.md says
    ``useradd --create-home -K HOME_MODE=0700``; this catches accounts made otherwise.
    ``COURSE_HUB_PRIVATE_HOMES=0`` turns it off (you manage permissions yourself).
    """
    if os.environ.get("COURSE_HUB_PRIVATE_HOMES", "1") == "0":
        return
    try:
        home = pwd.getpwnam(spawner.user.name).pw_dir
        mode = os.stat(home).st_mode & 0o777
    except (KeyError, OSError):
        return
    if mode & 0o077:
        os.chmod(home, mode & 0o700)
        spawner.log.warning(
            "%s's home %s was readable by other users (mode %o): set to %o so nobody else "
            "reads their work (create accounts with useradd --create-home -K HOME_MODE=0700)",
            spawner.user.name,
            home,
            mode,
            mode & 0o700,
        )


c.Spawner.pre_spawn_hook = role_environment
