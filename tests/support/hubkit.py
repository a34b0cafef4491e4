"""Real parts for tests/grading/test_hub_e2e.py: Unix users, a throwaway PostgreSQL, a JupyterHub, HTTP sessions.

Everything listens on 127.0.0.1 on free ports and is stopped by its process id. Nothing here is a
mock: the users are real accounts (``useradd``), the database a real cluster (``initdb``), the hub the
real ``jupyterhub`` with ``configurable-http-proxy``.

>>> free_port() > 1024
True
"""

from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check: Callable[[], Any], timeout: float, log: Path | None = None) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` (and the log's tail)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as err:  # noqa: BLE001  (not up yet)
            last = err
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"{what} not ready after {timeout:.0f} s ({last!r})\n{tail}")


def stop_pid(pid: int, grace: float = 10) -> None:
    """SIGTERM ``pid``, wait up to ``grace`` seconds, then SIGKILL; quiet if it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:  # not our child: poll for its end instead
            if not Path(f"/proc/{pid}").exists():
                return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def pids_of_user(name: str) -> list[int]:
    """Process ids owned by user ``name`` (from /proc)."""
    uid = pwd.getpwnam(name).pw_uid
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    found.append(int(entry))
            except FileNotFoundError:
                pass
    return found


def environ_of(pid: int) -> dict[str, str]:
    """The environment process ``pid`` started with (root reads anyone's)."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def cmdline_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


@dataclass
class UnixUser:
    name: str
    password: str
    home: Path
    uid: int
    gid: int

    def run(
        self,
        cmd: Sequence[str | os.PathLike],
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        path: str = PLAIN_PATH,
        timeout: float = 300,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` as this user from a plain shell: only PATH, HOME, USER, LANG (plus ``env``)."""
        full = {
            "PATH": path,
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "LANG": "C.UTF-8",
            **(env or {}),
        }
        done = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd or self.home,
            env=full,
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{self.name}$ {' '.join(map(str, cmd))} exited {done.returncode}\n"
                f"--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}"
            )
        return done

    def popen(
        self, cmd: Sequence[str | os.PathLike], *, cwd: Path, env: dict[str, str] | None = None, path: str = PLAIN_PATH
    ) -> subprocess.Popen[str]:
        full = {"PATH": path, "HOME": str(self.home), "USER": self.name, "LANG": "C.UTF-8", **(env or {})}
        return subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env=full,
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def create_user(name: str, private_home: bool = True) -> UnixUser:
    """A real Unix account with a home folder and a random password (``useradd``, ``chpasswd``).

    As INSTRUCTORS.md section 2 says: ``useradd --create-home -K HOME_MODE=0700 NAME`` (useradd's
    default shell, /bin/sh on Debian); ``private_home=False``: plain ``--create-home`` (0755 on Debian).
    """
    mode = ["-K", "HOME_MODE=0700"] if private_home else []
    subprocess.run(["useradd", "--create-home", *mode, name], check=True, capture_output=True)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True)
    entry = pwd.getpwnam(name)
    return UnixUser(name, password, Path(entry.pw_dir), entry.pw_uid, entry.pw_gid)


def remove_user(name: str) -> None:
    """Stop every process the user still has (by pid), then delete the account and its home."""
    try:
        pids = pids_of_user(name)
    except KeyError:
        return
    for pid in pids:
        stop_pid(pid, grace=3)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (``initdb`` in a temp folder, run as ``postgres``)."""

    bindir: Path
    root: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def client_env(self) -> dict[str, str]:
        """PGHOST/PGPORT so that the guide's commands (createdb, psql) reach this cluster as written."""
        return {"PGHOST": str(self.socket_dir), "PGPORT": str(self.port)}

    def start(self) -> None:
        entry = pwd.getpwnam("postgres")
        for folder in (self.root, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o700)
        subprocess.run(
            [
                self.bindir / "initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
            ],
            user=entry.pw_uid,
            group=entry.pw_gid,
            extra_groups=[],
            check=True,
            capture_output=True,
            cwd=self.root,
        )
        log = open(self.root / "postgres.log", "wb")
        self.proc = subprocess.Popen(
            [
                self.bindir / "postgres",
                "-D",
                self.data,
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.socket_dir}",
                "-c",
                "fsync=off",
            ],
            user=entry.pw_uid,
            group=entry.pw_gid,
            extra_groups=[],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.root,
        )
        wait_for(
            "PostgreSQL", lambda: (self.socket_dir / f".s.PGSQL.{self.port}").exists(), 30, self.root / "postgres.log"
        )

    def stop(self) -> None:
        if self.proc is not None:
            stop_pid(self.proc.pid)


@dataclass
class Hub:
    """A running JupyterHub (and, as its child, configurable-http-proxy), reached on 127.0.0.1."""

    proc: subprocess.Popen[bytes]
    url: str
    admin_token: str
    log: Path
    proxy_pid_file: Path

    def api(self, method: str, path: str, **kw: Any) -> requests.Response:
        return requests.request(
            method,
            f"{self.url}/hub/api{path}",
            headers={"Authorization": f"token {self.admin_token}"},
            timeout=30,
            **kw,
        )

    def server_ready(self, name: str) -> bool:
        server = self.api("GET", f"/users/{name}").json().get("servers", {}).get("")
        return bool(server and server.get("ready"))

    def server_pid(self, name: str) -> int:
        return int(self.api("GET", f"/users/{name}").json()["servers"][""]["state"]["pid"])

    def login(self, user: UnixUser) -> requests.Session:
        """Log in through the hub's login form (PAM), as a browser does; return the session."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30).raise_for_status()
        form = {"username": user.name, "password": user.password, "_xsrf": session.cookies.get("_xsrf", "")}
        reply = session.post(f"{self.url}/hub/login?next=/hub/home", data=form, timeout=60)
        reply.raise_for_status()
        assert "jupyterhub-session-id" in session.cookies or any(
            c.name.startswith("jupyterhub-hub-login") for c in session.cookies
        ), f"login of {user.name} failed"
        return session

    def stop(self) -> None:
        stop_pid(self.proc.pid, grace=20)
        if self.proxy_pid_file.exists():
            try:
                stop_pid(int(self.proxy_pid_file.read_text().strip()), grace=5)
            except ValueError:
                pass


def terminal_run(hub: Hub, session: requests.Session, user: str, command: str, marker: str, timeout: float = 60) -> str:
    """Open a terminal on the user's server (JupyterLab's New > Terminal: ``POST api/terminals``), type
    ``command`` in it over the terminal's websocket through the hub's proxy, and return what the
    terminal showed on the line starting with ``marker`` (printed by the command; make sure the
    typed command itself does not contain it, e.g. ``printf 'MARK%s' -OK``). The terminal is closed."""
    import websocket  # websocket-client (a Jupyter dependency)

    made = server_request(hub, session, user, "POST", "api/terminals", data="{}")
    assert made.status_code == 200, made.text
    name = made.json()["name"]
    xsrf = next((c.value for c in session.cookies if c.name == "_xsrf" and c.path.startswith(f"/user/{user}")), "")
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    url = hub.url.replace("http://", "ws://") + f"/user/{user}/terminals/websocket/{name}?_xsrf={xsrf}"
    ws = websocket.create_connection(url, header=[f"Cookie: {cookies}"], origin=hub.url, timeout=2)
    seen = ""
    try:
        ws.send(json.dumps(["stdin", command + "\r"]))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # (the server's pings would keep a long recv timeout from firing)
            try:
                kind, *rest = json.loads(ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if kind == "stdout":
                seen += rest[0]
                found = re.search(re.escape(marker) + r"[^\r\n]*\r?\n", seen)  # after a prompt's escapes
                if found:
                    return found.group(0).strip()
        raise AssertionError(f"{user}'s terminal did not print {marker!r} in {timeout} s: {seen[-2000:]!r}")
    finally:
        ws.close()
        server_request(hub, session, user, "DELETE", f"api/terminals/{name}")


def server_request(
    hub: Hub, session: requests.Session, user: str, method: str, path: str, **kw: Any
) -> requests.Response:
    """A request to the user's own server through the hub's proxy, as JupyterLab makes it.

    The first visit goes through the hub's OAuth redirects (the session's cookies carry the login);
    POSTs carry the server's ``_xsrf`` cookie as ``X-XSRFToken``, like JupyterLab's ServerConnection.
    """
    base = f"{hub.url}/user/{user}"
    if not any(c.name == "_xsrf" and c.path.startswith(f"/user/{user}") for c in session.cookies):
        session.get(f"{base}/lab", timeout=60).raise_for_status()
    xsrf = next((c.value for c in session.cookies if c.name == "_xsrf" and c.path.startswith(f"/user/{user}")), "")
    headers = {"X-XSRFToken": xsrf, **kw.pop("headers", {})}
    return session.request(method, f"{base}/{path.lstrip('/')}", headers=headers, timeout=120, **kw)
