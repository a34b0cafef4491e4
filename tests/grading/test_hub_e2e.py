"""A class on a real JupyterHub, end to end: the shipped hub/ deployment, as root, no mocks.

What it builds (module fixture ``hub_class``), all in a world-traversable folder under /tmp:

- three real Unix users with random names (an instructor, two students) and PAM passwords;
- the instructor's copy of the course (owned by them, mode 0700) and, from it, the students'
  environment with ``make student-env`` (a venv from a Python every user can run, Debian's
  /usr/bin/python3; the course without solutions/, tests/, .git), linked as the course's ``.venv``;
- a throwaway PostgreSQL 15 cluster on 127.0.0.1 with the guide's role and database commands;
- JupyterHub 6.1 with configurable-http-proxy on free 127.0.0.1 ports, from hub/jupyterhub_config.py;
  the three servers spawned through the hub's API, each user logged in through the PAM login form.

Then, as the course says: the instructor releases two assignments (``make release``); student A
lists, fetches and submits through the nbgrader lab extension's REST endpoints via the hub (as the
Assignments tab does), student B with the command line (``nbgrader fetch_assignment``/``submit``,
no ``--course``); ``make collect``; ``make grade`` into PostgreSQL as the (non-root) instructor,
scores read back from PostgreSQL; a hand score entered; two graders at once on disjoint students;
``make feedback`` (it names and skips the probe, placed in ``submitted/`` by hand without an
exchange secret, and keeps its page); both students fetch their feedback (REST and command line)
and it holds no hidden-test line. Checked on the side: formgrader loads through the hub for the instructor with
the course's assignments and ``frame-ancestors 'self'``, and is off (and locked) for students; the
instructor's server has ``NBGRADER_DB_URL`` and its kernels do not; students' servers have one
BLAS thread and ``COURSE_HIDE_SOLUTIONS=1``; a non-root grader's kernel is sandboxed (the corpus
probe ``s14-isolation``). From the instructor trial (T2): students cannot list, read or copy each
other's work (bob's account is made with plain ``useradd --create-home``, 0755, and the hub closes
it); student B's commands are typed into a real terminal of their server (its websocket, through
the hub; useradd's default /bin/sh), which finds ``nbgrader`` and opens in their home, the
instructor's in the course folder; a hand score entered after ``make grade`` is in the released
feedback; a submission whose kernel dies (corpus ``s06-os-exit``) is listed by formgrader's
``submitted_notebooks`` API, its page opens, and once every cell is scored by hand its feedback is
real; ``make student-env`` prints the settings the hub needs for these non-default folders.

Every process is stopped by its pid and the users are removed in the fixture's teardown (even
on failure). The students' environment is built in ``/tmp/course-hub-e2e-env-<hash of the pins>``
and kept: a re-run only recopies the course and reinstalls the course package.

Measured on the 2-core build machine shared with 7 other jobs (load 7-18), 2026-12-01, printed as
``hub e2e times`` at the end of the module: 105 s in all under ``make test`` when the load had
dropped (117 s for pytest), 226-295 s while the others ran, with the venv already built
(students' env 7-37 s, PostgreSQL 1-7 s, hub start 2-16 s, three spawns 14-33 s, two releases
23-26 s, fetch and submit 13-17 s, collect 16-31 s, grading two students 29-68 s, two graders at
once 37-79 s, feedback 35 s); building the venv the first time adds 4-7 minutes at that load
(pip from the local cache; about 1 minute on a quiet machine).

With the T2 checks (2026-12-02, load 8-12, the grader tests running beside it): 547 s for pytest
(521 s fixture total; fetch and submit with two terminals 32 s, grading two graders at once with
the dying submission added 93 s, feedback with regeneration 37 s), against 528 s for the run
before them at load 11: the added checks cost about 20-40 s.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools.python_check import blocked_folder
from course_utils.paths import course_root
from tests.support.hubkit import (
    Hub,
    Postgres,
    UnixUser,
    cmdline_of,
    create_user,
    environ_of,
    free_port,
    pids_of_user,
    remove_user,
    server_request,
    terminal_run,
    wait_for,
)
from tests.support.system import find_executable, missing

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub-e2e")]

ROOT = course_root()
COURSE_ID = "customer-segmentation"
GRADED, OTHER = "00-welcome", "06-ethics"
#: q1-q3 right (5 points) for student A; student B gets q3 wrong (3 points).
RIGHT = {
    "q1-answer": 'top_spender = customers.loc[customers["spend_gbp"].idxmax(), "customer_id"]',
    "q2-answer": 'objective_for = {"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing '
    'behaviour"}',
    "q3-answer": 'fails = {"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}',
    "q4-written": "Objective: retention. Segments: loyal regulars (perks), drifting regulars (win-back offer).",
}
Q3_WRONG = 'fails = {"S1": "stable", "S2": "lawful", "S3": "actionable", "S4": "distinct"}'
TIMES: dict[str, float] = {}


def _answer(nb: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return nb


def hidden_lines(assignment: str) -> list[str]:
    """The non-blank lines between nbgrader's hidden-test markers in the source notebook."""
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    lines, inside = [], False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def _shared_python() -> str:
    """A Python every user can execute, fitting the pins (COURSE_E2E_PYTHON, else Debian's)."""
    for candidate in (os.environ.get("COURSE_E2E_PYTHON"), "/usr/bin/python3"):
        if candidate and os.access(candidate, os.X_OK) and not blocked_folder(candidate):
            ok = subprocess.run(
                [candidate, str(ROOT / "course_tools" / "python_check.py"), "--min", "3.11", "--shared"],
                capture_output=True,
            )
            venv = subprocess.run([candidate, "-c", "import ensurepip, venv"], capture_output=True)
            if ok.returncode == 0 and venv.returncode == 0:
                return candidate
    missing("a Python 3.11+ with venv that every user can run", "sudo apt-get install python3 python3-venv")
    raise AssertionError("unreachable")


def _copy_course(dest: Path) -> None:
    """The instructor's course: the files git tracks (what a fresh clone has), nothing generated."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = raw.decode()
        src, dst = ROOT / rel, dest / rel
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    # uncommitted work of this checkout (new files of a branch under test) comes along too
    extra = subprocess.run(
        ["git", "ls-files", "-z", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for raw in extra:
        rel = raw.decode()
        if rel and (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)


@pytest.fixture(scope="module")
def hub_class() -> Iterator[dict[str, Any]]:
    if os.geteuid() != 0:
        missing("root (the end-to-end hub test creates Unix users)", "run the suite as root, as .ci/run does in CI")
    bindir = Path(
        os.path.realpath(
            find_executable("initdb", "PostgreSQL", apt="postgresql", extra_globs=("/usr/lib/postgresql/*/bin/initdb",))
        )
    ).parent
    find_executable("configurable-http-proxy", "JupyterHub's proxy", npm="configurable-http-proxy")
    for tool, pkg in (("useradd", "passwd"), ("chpasswd", "passwd"), ("git", "git"), ("make", "make")):
        find_executable(tool, tool, apt=pkg)
    python = _shared_python()
    t0 = time.monotonic()
    top = Path(tempfile.mkdtemp(prefix="course-hub-e2e-", dir="/tmp"))
    top.chmod(0o755)
    suffix = secrets.token_hex(3)
    names = {"instructor": f"cs{suffix}t", "alice": f"cs{suffix}a", "bob": f"cs{suffix}b"}
    users: dict[str, UnixUser] = {}
    pg: Postgres | None = None
    hub: Hub | None = None
    lock = None
    try:
        for role, name in names.items():  # bob's home as plain Debian useradd makes it (0755): the hub closes it
            users[role] = create_user(name, private_home=role != "bob")
        teacher = users["instructor"]
        course = top / "course"
        _copy_course(course)
        exchange = top / "exchange"
        # the students' side, exactly as the guide says (as root, from the course folder). Built in a
        # folder named after the pins and kept between runs (the venv is most of this test's time;
        # re-running make student-env there skips pip when nothing changed), locked against a
        # second run at the same time.
        key = hashlib.sha256(
            (ROOT / "pyproject.toml").read_bytes()
            + (ROOT / "requirements" / "constraints.txt").read_bytes()
            + python.encode()
        ).hexdigest()[:12]
        student_env = Path(f"/tmp/course-hub-e2e-env-{key}")
        student_env.mkdir(mode=0o755, exist_ok=True)
        lock = open(student_env / ".lock", "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        t = time.monotonic()
        done = subprocess.run(
            ["make", "student-env", f"DEST={student_env}", f"PYTHON={python}", f"EXCHANGE={exchange}"],
            cwd=course,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"},
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        TIMES["student-env"] = time.monotonic() - t
        start_hint = done.stdout
        venv = student_env / "venv"
        (course / ".venv").symlink_to(venv)  # the instructor grades with the hub's shared environment
        subprocess.run(["chown", "-R", f"{teacher.uid}:{teacher.gid}", course], check=True)
        course.chmod(0o700)  # solutions, submissions and grades stay the instructor's

        # PostgreSQL: the guide's commands, reaching this cluster through PGHOST/PGPORT
        t = time.monotonic()
        pg = Postgres(bindir, top / "pg")
        pg.start()
        password = secrets.token_urlsafe(12)
        pg_env = {**pg.client_env(), "PATH": f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp"}
        for cmd in (
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                f"CREATE ROLE grader LOGIN PASSWORD '{password}'",
            ],
            ["runuser", "-u", "postgres", "--", "createdb", "-O", "grader", "segmentation"],
        ):
            subprocess.run(cmd, env=pg_env, check=True, capture_output=True, cwd="/tmp")
        db_url = f"postgresql://grader:{password}@127.0.0.1:{pg.port}/segmentation"
        TIMES["postgres"] = time.monotonic() - t

        # the hub, from the shipped config; the settings it reads from the environment
        state = top / "state"
        state.mkdir(mode=0o700)
        (state / "db_url").write_text(db_url + "\n")
        (state / "db_url").chmod(0o600)
        port, admin_token = free_port(), secrets.token_hex(16)
        hub_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "COURSE_DIR": str(course),
            "COURSE_HUB_VENV": str(venv),
            "NBGRADER_EXCHANGE": str(exchange),
            "COURSE_HUB_STATE": str(state),
            "COURSE_HUB_DB_URL_FILE": str(state / "db_url"),
            "COURSE_HUB_GRADERS": teacher.name,
            "COURSE_HUB_STUDENTS": f"{users['alice'].name},{users['bob'].name}",
            "COURSE_HUB_PORT": str(port),
            "COURSE_HUB_API_PORT": str(free_port()),
            "COURSE_HUB_PROXY_API_PORT": str(free_port()),
            "COURSE_HUB_ADMIN_TOKEN": admin_token,
        }
        t = time.monotonic()
        log = state / "hub.log"
        proc = subprocess.Popen(
            [venv / "bin" / "jupyterhub", "-f", course / "hub" / "jupyterhub_config.py"],
            cwd=state,
            env=hub_env,
            stdout=open(log, "wb"),
            stderr=subprocess.STDOUT,
        )
        hub = Hub(proc, f"http://127.0.0.1:{port}", admin_token, log, state / "jupyterhub-proxy.pid")
        wait_for("JupyterHub", lambda: hub.api("GET", "/").status_code == 200, 60, log)
        TIMES["hub-start"] = time.monotonic() - t
        t = time.monotonic()
        for user in users.values():
            assert hub.api("POST", f"/users/{user.name}/server").status_code in (201, 202), log.read_text()[-3000:]
        for user in users.values():
            wait_for(f"{user.name}'s server", lambda u=user: hub.server_ready(u.name), 120, log)
        TIMES["spawn-3-servers"] = time.monotonic() - t
        sessions = {role: hub.login(user) for role, user in users.items()}
        yield {
            "start_hint": start_hint,
            "top": top,
            "student_env": student_env,
            "course": course,
            "venv": venv,
            "exchange": exchange,
            "users": users,
            "hub": hub,
            "sessions": sessions,
            "pg": pg,
            "db_url": db_url,
            "teacher": teacher,
            "make_env": {"NBGRADER_DB_URL": db_url, "NBGRADER_EXCHANGE": str(exchange)},
        }
    finally:
        TIMES["total"] = time.monotonic() - t0
        print(f"\nhub e2e times (s): { {k: round(v, 1) for k, v in TIMES.items()} }", file=sys.stderr)
        if hub is not None:
            hub.stop()
        for user in users.values():
            remove_user(user.name)
        if pg is not None:
            pg.stop()
        shutil.rmtree(top, ignore_errors=True)
        if lock is not None:
            lock.close()


def _make(ctx: dict[str, Any], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` as the instructor, in the course folder, from a plain shell (nothing activated)."""
    return ctx["teacher"].run(["make", *args], cwd=ctx["course"], env=ctx["make_env"], timeout=timeout)


def _psql(ctx: dict[str, Any], sql: str) -> list[list[str]]:
    """Rows of ``sql`` run as the grader role over TCP with its password (what graders use)."""
    pg: Postgres = ctx["pg"]
    done = subprocess.run(
        [pg.bindir / "psql", ctx["db_url"], "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"psql: {done.stderr}"
    return [line.split("\t") for line in done.stdout.splitlines() if line]


SCORES_SQL = """
SELECT s.id, round(sum(coalesce(g.manual_score, g.auto_score, 0))::numeric, 2),
       round(sum(CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score ELSE 0 END)::numeric, 2)
FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id
JOIN submitted_assignment a ON n.assignment_id = a.id JOIN assignment aa ON a.assignment_id = aa.id
JOIN student s ON a.student_id = s.id WHERE aa.name = '{a}' GROUP BY s.id ORDER BY s.id
"""


@pytest.fixture(scope="module")
def graded(hub_class: dict[str, Any]) -> dict[str, Any]:
    """Release, fetch, submit, collect, grade (twice, the second with two graders at once), feedback."""
    ctx = hub_class
    hub: Hub = ctx["hub"]
    alice, bob, teacher = ctx["users"]["alice"], ctx["users"]["bob"], ctx["teacher"]
    out: dict[str, Any] = {}
    t = time.monotonic()
    for assignment in (GRADED, OTHER):
        _make(ctx, "release", f"A={assignment}")
    TIMES["release-2"] = time.monotonic() - t

    # student A: the Assignments tab's REST calls, through the hub's proxy
    t = time.monotonic()
    s = ctx["sessions"]["alice"]
    listed = server_request(hub, s, alice.name, "GET", f"assignments?course_id={COURSE_ID}").json()
    out["alice_listed"] = listed
    body = {"course_id": COURSE_ID, "assignment_id": GRADED}
    out["alice_fetch"] = server_request(hub, s, alice.name, "POST", "assignments/fetch", data=json.dumps(body)).json()
    path = f"api/contents/{GRADED}/{GRADED}.ipynb"
    model = server_request(hub, s, alice.name, "GET", path).json()
    nb = _answer(model["content"], RIGHT)
    saved = server_request(hub, s, alice.name, "PUT", path, data=json.dumps({"type": "notebook", "content": nb}))
    assert saved.status_code in (200, 201), saved.text
    out["alice_submit"] = server_request(hub, s, alice.name, "POST", "assignments/submit", data=json.dumps(body)).json()

    # student B: the command line, typed into a terminal of their hub server (JupyterLab's terminal,
    # over its websocket through the hub), as the guide says; their login shell is useradd's /bin/sh
    bob_path = f"{ctx['venv'] / 'bin'}:/usr/local/bin:/usr/bin:/bin"
    out["bob_terminal"] = terminal_run(
        hub,
        ctx["sessions"]["bob"],
        bob.name,
        f"nbgrader fetch_assignment {GRADED}; printf 'TERM%s %s %s\\n' -OK $? $PWD",
        "TERM-OK",
    )
    out["teacher_terminal"] = terminal_run(
        hub,
        ctx["sessions"]["instructor"],
        teacher.name,
        "printf 'TERM%s %s %s\\n' -OK $(command -v nbgrader) $PWD",
        "TERM-OK",
    )
    file = bob.home / GRADED / f"{GRADED}.ipynb"
    nb = _answer(json.loads(file.read_text()), {**RIGHT, "q3-answer": Q3_WRONG})
    file.write_text(json.dumps(nb))  # what the student typed into the notebook
    os.chown(file, bob.uid, bob.gid)
    out["bob_submit"] = bob.run(["nbgrader", "submit", GRADED], path=bob_path)
    # each student's work is theirs: another student can neither list, read nor copy it
    out["cross_reads"] = {
        "bob reads alice's notebook": bob.run(["cat", alice.home / GRADED / f"{GRADED}.ipynb"], check=False).returncode,
        "bob copies alice's notebook": bob.run(
            ["cp", alice.home / GRADED / f"{GRADED}.ipynb", "/tmp/"], check=False
        ).returncode,
        "alice lists bob's home": alice.run(["ls", bob.home], check=False).returncode,
        "alice lists the instructor's home": alice.run(["ls", teacher.home], check=False).returncode,
    }
    out["home_modes"] = {u.name: oct(u.home.stat().st_mode & 0o777) for u in (alice, bob, teacher)}
    TIMES["fetch-submit-2-students"] = time.monotonic() - t

    t = time.monotonic()
    _make(ctx, "collect", f"A={GRADED}")
    TIMES["collect"] = time.monotonic() - t
    t = time.monotonic()
    out["grade1"] = _make(ctx, "grade", f"A={GRADED}")
    TIMES["grade-2-students"] = time.monotonic() - t
    out["scores1"] = {row[0]: float(row[1]) for row in _psql(ctx, SCORES_SQL.format(a=GRADED))}

    # a grader types a hand score for the written answer of both students (formgrader's table)
    hand = {alice.name: 1.5, bob.name: 2.0}
    set_hand = (
        "import sys\nfrom nbgrader.api import Gradebook\n"
        "with Gradebook(sys.argv[1]) as gb:\n"
        "    for student, score in zip(sys.argv[2::2], sys.argv[3::2]):\n"
        f"        grade = gb.find_grade('q4-written', {GRADED!r}, {GRADED!r}, student)\n"
        "        grade.manual_score = float(score)\n"
        "    gb.db.commit()\n"
    )
    done = subprocess.run(
        [
            ctx["venv"] / "bin" / "python",
            "-c",
            set_hand,
            ctx["db_url"],
            *[str(x) for pair in hand.items() for x in pair],
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out["hand"] = hand

    # the isolation probe of the corpus, as a third submission, graded by the non-root instructor
    from tests.grading.submissions import corpus

    probe = next(c for c in corpus.cases() if c.student == "s14-isolation")
    probe_dir = ctx["course"] / "submitted" / "s14-isolation" / GRADED
    probe_dir.mkdir(parents=True)
    (probe_dir / f"{GRADED}.ipynb").write_text(probe.build().replace("{root}", str(ctx["course"])))
    (probe_dir / "timestamp.txt").write_text("2026-01-15 12:00:00.000000 UTC")
    # and one whose kernel dies (os._exit in q3): a person grades it in formgrader, then feedback is real
    died = next(c for c in corpus.cases() if c.student == "s06-os-exit")
    died_dir = ctx["course"] / "submitted" / died.student / GRADED
    died_dir.mkdir(parents=True)
    (died_dir / f"{GRADED}.ipynb").write_text(died.build())
    subprocess.run(["chown", "-R", f"{teacher.uid}:{teacher.gid}", ctx["course"] / "submitted"], check=True)

    # two graders at once, on disjoint students
    t = time.monotonic()
    runs = [
        teacher.popen(
            ["make", "grade", f"A={GRADED}", f"GRADE_ARGS=--student {who}"], cwd=ctx["course"], env=ctx["make_env"]
        )
        for who in (f"{alice.name} --student s14-isolation --student s06-os-exit", bob.name)
    ]
    results = []
    for proc in runs:
        text, _ = proc.communicate(timeout=600)
        results.append((proc.returncode, text))
    out["parallel"] = results
    TIMES["grade-2-graders-at-once"] = time.monotonic() - t
    out["scores2"] = {row[0]: (float(row[1]), float(row[2])) for row in _psql(ctx, SCORES_SQL.format(a=GRADED))}

    # after grading, hand scores: alice's written answer re-marked, every cell of the dead kernel's
    # submission scored (formgrader's grade API does the same); make feedback must carry them
    set_all = (
        "import sys\nfrom nbgrader.api import Gradebook\n"
        "with Gradebook(sys.argv[1]) as gb:\n"
        "    for student, gid, score in zip(sys.argv[2::3], sys.argv[3::3], sys.argv[4::3]):\n"
        f"        grade = gb.find_grade(gid, {GRADED!r}, {GRADED!r}, student)\n"
        "        grade.manual_score, grade.needs_manual_grade = float(score), False\n"
        "    gb.db.commit()\n"
    )
    later = [
        (alice.name, "q4-written", 2.5),
        ("s06-os-exit", "q1-check", 1),
        ("s06-os-exit", "q2-check", 2),
        ("s06-os-exit", "q3-check", 0),
        ("s06-os-exit", "q4-written", 2),
    ]
    done = subprocess.run(
        [ctx["venv"] / "bin" / "python", "-c", set_all, ctx["db_url"], *[str(x) for row in later for x in row]],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    t = time.monotonic()
    # The probe came into submitted/ by hand, not through the exchange: it has no submission_secret.txt,
    # so make feedback must release the others, name it and leave its page where it is.
    out["feedback"] = _make(ctx, "feedback", f"A={GRADED}")
    out["alice_feedback"] = server_request(
        hub, s, alice.name, "POST", "assignments/fetch_feedback", data=json.dumps(body)
    ).json()
    bob.run(["nbgrader", "fetch_feedback", GRADED], path=bob_path)
    TIMES["feedback"] = time.monotonic() - t
    out["alice_page"] = "".join(p.read_text() for p in (alice.home / GRADED / "feedback").rglob(f"{GRADED}.html"))
    out["cross_reads"]["alice reads bob's feedback"] = alice.run(
        ["sh", "-c", f"cat {bob.home}/{GRADED}/feedback/*/{GRADED}.html"], check=False
    ).returncode
    return out


def _check_students_fetch_and_submit_through_the_exchange(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    listed = graded["alice_listed"]
    assert listed["success"], listed
    released = {a["assignment_id"] for a in listed["value"] if a["status"] == "released"}
    assert released == {GRADED, OTHER}, listed
    assert graded["alice_fetch"]["success"], graded["alice_fetch"]
    assert graded["alice_submit"]["success"], graded["alice_submit"]
    course = hub_class["course"]
    for user in (hub_class["users"]["alice"], hub_class["users"]["bob"]):
        folder = course / "submitted" / user.name / GRADED
        assert (folder / f"{GRADED}.ipynb").is_file(), f"make collect did not bring {user.name}'s submission"
        assert (folder / "timestamp.txt").read_text().strip(), "nbgrader's submission time is kept"


def _check_grades_land_in_postgresql(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    alice, bob = hub_class["users"]["alice"].name, hub_class["users"]["bob"].name
    assert graded["scores1"] == {alice: 5.0, bob: 3.0}, (graded["scores1"], graded["grade1"].stdout[-3000:])
    # nothing went into a stray SQLite file beside the course
    assert not (hub_class["course"] / "gradebook.db").exists(), "make grade wrote a SQLite gradebook"


def _check_two_graders_at_once_lose_no_grade_and_no_hand_score(
    hub_class: dict[str, Any], graded: dict[str, Any]
) -> None:
    for code, text in graded["parallel"]:
        assert code == 0, text[-4000:]
    alice, bob = hub_class["users"]["alice"].name, hub_class["users"]["bob"].name
    hand = graded["hand"]
    scores = graded["scores2"]
    assert scores[alice] == (5.0 + hand[alice], hand[alice]), scores
    assert scores[bob] == (3.0 + hand[bob], hand[bob]), scores


def _check_feedback_reaches_both_students_without_hidden_tests(
    hub_class: dict[str, Any], graded: dict[str, Any]
) -> None:
    assert graded["alice_feedback"]["success"], graded["alice_feedback"]
    done = graded["feedback"]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "s14-isolation: feedback/s14-isolation/" in done.stdout and "by hand" in done.stdout, done.stdout[-2000:]
    assert (hub_class["course"] / "feedback" / "s14-isolation" / GRADED / f"{GRADED}.html").is_file()
    hidden = hidden_lines(GRADED)
    assert hidden, "the assignment has hidden tests"
    for role in ("alice", "bob"):
        user = hub_class["users"][role]
        pages = list((user.home / GRADED / "feedback").rglob(f"{GRADED}.html"))
        assert pages, f"{user.name} got no feedback page"
        text = pages[0].read_text()
        leaked = [line for line in hidden if line in text and line not in RIGHT.values()]
        assert not leaked, f"{user.name}'s feedback shows hidden-test lines {leaked[:3]}"
    # alice's written answer was re-marked (2.5) after make grade wrote her page: make feedback regenerated it
    assert "Score: 7.5 / 8.0" in graded["alice_page"], re.findall(r"Score: [0-9.]+ / [0-9.]+", graded["alice_page"])
    # the dead kernel's submission, every cell scored by hand: real feedback (kept here: placed by hand)
    died = (hub_class["course"] / "feedback" / "s06-os-exit" / GRADED / f"{GRADED}.html").read_text()
    assert "could not be graded automatically" not in died and "Score: 5.0 / 8.0" in died, (
        re.findall(r"Score: [0-9.]+ / [0-9.]+", died) or died[:1500]
    )
    assert not [line for line in hidden if line in died and line not in RIGHT.values()]


def _check_students_cannot_read_each_others_work(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    allowed = [what for what, code in graded["cross_reads"].items() if code == 0]
    assert not allowed, f"{allowed} succeeded; home modes {graded['home_modes']}"
    bob = hub_class["users"]["bob"].name
    assert set(graded["home_modes"].values()) == {"0o700"}, graded["home_modes"]
    assert f"{bob}'s home" in hub_class["hub"].log.read_text(), "the hub says it closed bob's 0755 home"


def _check_terminals_find_nbgrader_and_open_where_the_server_does(
    hub_class: dict[str, Any], graded: dict[str, Any]
) -> None:
    bob = hub_class["users"]["bob"]
    assert graded["bob_terminal"] == f"TERM-OK 0 {bob.home}", graded["bob_terminal"]
    assert graded["teacher_terminal"] == f"TERM-OK {hub_class['venv'] / 'bin' / 'nbgrader'} {hub_class['course']}", (
        graded["teacher_terminal"]
    )


def _check_make_student_env_prints_the_hub_settings(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    hint = hub_class["start_hint"]
    assert f"COURSE_HUB_VENV={hub_class['venv']}" in hint and f"NBGRADER_EXCHANGE={hub_class['exchange']}" in hint, hint


def _page_config(html: str) -> dict[str, Any]:
    """JupyterLab's page config, as the page hands it to the browser."""
    found = re.search(r'<script[^>]*id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S)
    assert found, html[:1500]
    return json.loads(found.group(1))


def _check_formgrader_loads_through_the_hub_for_the_instructor_only(
    hub_class: dict[str, Any], graded: dict[str, Any]
) -> None:
    hub: Hub = hub_class["hub"]
    teacher, alice = hub_class["teacher"], hub_class["users"]["alice"]
    s = hub_class["sessions"]["instructor"]
    page = server_request(hub, s, teacher.name, "GET", "formgrader")
    assert page.status_code == 200 and 'id="error-' not in page.text, (
        f"formgrader's page:\n{page.text[-1500:]}\n--- hub log\n{hub.log.read_text()[-6000:]}"
    )
    assert "frame-ancestors 'self'" in page.headers.get("Content-Security-Policy", ""), page.headers
    api = server_request(hub, s, teacher.name, "GET", "formgrader/api/assignments")
    assert api.text.lstrip().startswith("["), (
        f"formgrader's API answered {api.status_code}:\n{api.text[-1500:]}\n--- hub log\n{hub.log.read_text()[-6000:]}"
    )
    names = {a["name"] for a in api.json()}
    assert {GRADED, OTHER} <= names, names
    # the submission whose kernel died is there to grade by hand (its unexecuted notebook)
    listed = server_request(hub, s, teacher.name, "GET", f"formgrader/api/submitted_notebooks/{GRADED}/{GRADED}").json()
    died = [n for n in listed if n.get("student") == "s06-os-exit"]
    assert died, [n.get("student") for n in listed]
    page = server_request(hub, s, teacher.name, "GET", f"formgrader/submissions/{died[0]['id']}/")
    assert page.status_code == 200 and 'id="error-' not in page.text, (page.status_code, page.text[-1500:])
    teacher_config = _page_config(server_request(hub, s, teacher.name, "GET", "lab").text)
    assert "@jupyter/nbgrader:formgrader" not in teacher_config.get("disabledExtensions", []), "graders keep formgrader"
    student = server_request(hub, hub_class["sessions"]["alice"], alice.name, "GET", "formgrader")
    assert student.status_code == 404, "formgrader must be off on students' servers"
    config = _page_config(server_request(hub, hub_class["sessions"]["alice"], alice.name, "GET", "lab").text)
    for plugin in (
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
    ):
        assert plugin in config.get("disabledExtensions", []), config.get("disabledExtensions")
        assert plugin in json.dumps(config.get("lockedExtensions", [])), ("students cannot switch it back on", config)


def _check_server_environments_by_role_and_no_password_in_kernels(
    hub_class: dict[str, Any], graded: dict[str, Any]
) -> None:
    hub: Hub = hub_class["hub"]
    teacher, alice = hub_class["teacher"], hub_class["users"]["alice"]
    server_env = environ_of(hub.server_pid(teacher.name))
    assert server_env.get("NBGRADER_DB_URL") == hub_class["db_url"]
    assert server_env["OMP_NUM_THREADS"] == "1" and "COURSE_HIDE_SOLUTIONS" not in server_env
    student_env = environ_of(hub.server_pid(alice.name))
    assert "NBGRADER_DB_URL" not in student_env
    assert student_env["COURSE_HIDE_SOLUTIONS"] == "1" and student_env["OPENBLAS_NUM_THREADS"] == "1"
    # a kernel of the instructor's own server, started as JupyterLab starts one
    s = hub_class["sessions"]["instructor"]
    kernel = server_request(hub, s, teacher.name, "POST", "api/kernels", data=json.dumps({"name": "python3"})).json()
    try:
        pid = wait_for(
            "the instructor's kernel",
            lambda: next((p for p in pids_of_user(teacher.name) if kernel["id"] in cmdline_of(p)), None),
            30,
        )
        kernel_env = environ_of(pid)
        assert "NBGRADER_DB_URL" not in kernel_env, "the gradebook password reached a kernel"
        assert kernel_env.get("OMP_NUM_THREADS") == "1"
    finally:
        server_request(hub, s, teacher.name, "DELETE", f"api/kernels/{kernel['id']}")


def _check_students_environment_has_no_instructor_files(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    student = hub_class["student_env"] / "course"
    for name in (
        "solutions",
        "tests",
        ".git",
        "INSTRUCTORS.md",
        "submitted",
        "gradebook.db",
        "hub",
        "build",
        "course_utils.egg-info",
    ):
        assert not (student / name).exists(), f"the students' copy holds {name}"
    assert (student / "exercises" / GRADED / f"{GRADED}.ipynb").is_file()
    config = (hub_class["venv"] / "etc" / "jupyter" / "nbgrader_config.py").read_text()
    assert str(hub_class["exchange"]) in config and COURSE_ID in config
    # a student imports the course package and loads data, as a lesson does
    alice = hub_class["users"]["alice"]
    env = environ_of(hub_class["hub"].server_pid(alice.name))
    assert env["COURSE_ROOT"] == str(student), "students' servers point course_utils at their copy"
    done = alice.run(
        [
            hub_class["venv"] / "bin" / "python",
            "-c",
            "from course_utils.paths import course_root, datasets_dir; print(course_root());"
            "print(sorted(p.name for p in datasets_dir().iterdir())[:1])",
        ],
        env={"COURSE_ROOT": env["COURSE_ROOT"]},
    )
    assert done.stdout.splitlines()[0] == str(student) and done.stdout.splitlines()[1] != "[]", done.stdout


def _check_non_root_grader_is_sandboxed(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    path = hub_class["course"] / "autograded" / "s14-isolation" / GRADED / f"{GRADED}.ipynb"
    assert path.is_file(), "the probe was not graded: " + graded["parallel"][0][1][-3000:]
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    lines = [ln for ln in text.splitlines() if ln.startswith("SNOOP ")]
    assert len(lines) >= 10, text[:2000]
    allowed = [ln for ln in lines if "ALLOWED" in ln]
    assert not allowed, f"a non-root grader's kernel could: {allowed}"


CHECKS = [
    _check_students_fetch_and_submit_through_the_exchange,
    _check_grades_land_in_postgresql,
    _check_two_graders_at_once_lose_no_grade_and_no_hand_score,
    _check_feedback_reaches_both_students_without_hidden_tests,
    _check_formgrader_loads_through_the_hub_for_the_instructor_only,
    _check_server_environments_by_role_and_no_password_in_kernels,
    _check_students_environment_has_no_instructor_files,
    _check_non_root_grader_is_sandboxed,
    _check_students_cannot_read_each_others_work,
    _check_terminals_find_nbgrader_and_open_where_the_server_does,
    _check_make_student_env_prints_the_hub_settings,
]


def test_class_on_jupyterhub(hub_class: dict[str, Any], graded: dict[str, Any]) -> None:
    """Every check above, in one test: pytest-xdist tears a module fixture down between the
    items of a batch, which started the whole hub twice under ``make test``. A failing check does
    not hide the others: all failures are reported together."""
    failures = []
    for check in CHECKS:
        try:
            check(hub_class, graded)
        except AssertionError as err:
            failures.append(f"{check.__name__}: {err}")
    assert not failures, "\n\n".join(failures)
