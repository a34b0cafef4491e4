"""Start a grading kernel with limits, and (as root on Linux) in a sandbox.

nbgrader starts the kernel named in the notebook (``python3``). For grading,
each job gets its own kernel spec whose command is this module wrapped around
the usual ``ipykernel_launcher`` command (see :func:`write_kernelspec`)::

    python -m course_tools.grading.sandbox CONFIG.json -- python -m ipykernel_launcher -f CONN

What it does, in order:

1. Always: resource limits on the kernel: address space (``RLIMIT_AS``, the
   memory cap), CPU seconds (``RLIMIT_CPU``, the per-notebook budget), file
   size, number of processes, no core dumps; a clean environment (no
   database URL, tokens or ``JPY_PARENT_PID``) with ``HOME`` in a private
   ``/tmp``.
2. When the machine allows it (``isolation_support()`` says whether): new
   mount and PID namespaces, as root directly, as an ordinary user inside a
   user namespace of its own (unprivileged user namespaces, see below). Inside them it hides every folder of the course
   except the code, data and Python the kernel needs (so ``solutions/``,
   ``submitted/``, ``autograded/``, ``feedback/``, ``.git``, ``tests/`` and
   the gradebook file look empty), hides the grader's scratch folders (other
   students' jobs, hidden tests, scratch gradebooks) except this job's own
   working folder (mounted read-only), mounts fresh ``/tmp``, ``/dev/shm`` and
   ``/proc``, makes the course folder read-only, then drops to an
   unprivileged user id of its own (no capabilities, ``no_new_privs``), and
   starts the kernel. When the kernel exits, PID 1 of the namespace exits and
   the kernel takes every process it started with it.

3. With ``network=False`` (what the grader asks for): a network namespace of
   its own with no interface up, so student code reaches no host, not even
   other kernels on loopback. The kernel then talks to nbgrader over IPC
   (Unix) sockets in a folder of this job, bound in writable.

As an ordinary user (an instructor on a hub), the same is done in an
*unprivileged user namespace*: the launcher maps its own uid to root of a new
user namespace (which may then mount and unshare, but only over its own
namespaces), builds the same mounts, and starts the kernel in a second,
nested user namespace where it is uid ``cfg.uid`` with no capabilities: the
mounts it inherits are locked (it cannot unmount what hides a folder). Seen
from outside, the kernel runs as the instructor, so the hidden folders, the
scratch folder, ``$HOME``, ``/run`` (local database sockets) and the exchange
are what protects their files. No setuid helper, no apt package.

The launcher writes its own errors (and the kernel's standard error) to
``cfg.error_log``, so that a kernel that could not even start (a Python the
sandbox user may not execute) is reported with the real error.

What it does not do: no seccomp filter, no cgroup. See INSTRUCTORS.md for what was measured.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38

#: Never passed on to a kernel or a worker, even if an allowlist named them.
SECRET_ENV = (
    "NBGRADER_DB_URL",
    "DATABASE_URL",
    "PGPASSWORD",
    "PGPASSFILE",
    "JUPYTERHUB_API_TOKEN",
    "JPY_API_TOKEN",
    "JUPYTER_TOKEN",
    "GITHUB_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "SSH_AUTH_SOCK",
    "GOOGLE_APPLICATION_CREDENTIALS",
)
#: ... nor any variable whose name contains one of these.
SECRET_PARTS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "DB_URL", "CREDENTIAL", "API_KEY", "PRIVATE_KEY")


def scrub_secrets(environ: dict[str, str]) -> dict[str, str]:
    """``environ`` without credentials: :data:`SECRET_ENV` and names containing :data:`SECRET_PARTS`.

    >>> sorted(scrub_secrets({"PATH": "/bin", "NBGRADER_DB_URL": "x", "my_password": "x", "HUB_TOKEN": "x"}))
    ['PATH']
    """
    return {
        k: v for k, v in environ.items() if k not in SECRET_ENV and not any(part in k.upper() for part in SECRET_PARTS)
    }


#: Environment variables the kernel keeps; everything else is dropped.
KEEP_ENV = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "VIRTUAL_ENV",
    "PYTHONHASHSEED",
    "COURSE_ROOT",
    "COURSE_DATASETS_DIR",
    "COURSE_NLTK_DATA",
    "COURSE_HIDE_SOLUTIONS",
    "NBGRADER_EXECUTION",
    "NLTK_DATA",
)


@dataclass
class SandboxConfig:
    """Limits and isolation for one grading kernel (written as JSON per job)."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    file_size_mb: int = 256
    max_processes: int = 256
    tmp_size_mb: int = 512
    isolate: bool = True
    uid: int = 62000
    #: Folders and files to make empty inside the sandbox.
    hide: list[str] = field(default_factory=list)
    #: This job's working folder: visible again (read-only) inside hidden ones.
    workdir: str = ""
    #: Other folders to make visible again (read-only) inside hidden ones (e.g. Python under /root).
    rebind: list[str] = field(default_factory=list)
    #: Folder mounted read-only inside the sandbox (the course).
    readonly: list[str] = field(default_factory=list)
    #: Folder where the kernel binds its IPC sockets: visible again, writable, inside hidden ones.
    sockets: str = ""
    #: Shown (read-only) at the kernel's working folder instead of nbgrader's folder, which holds the
    #: notebook being graded with every test cell restored, hidden tests included. Empty: the real one.
    workdir_source: str = ""
    #: File (opened before anything else) for the launcher's own errors and the kernel's stderr.
    error_log: str = ""
    #: Keep the host network. False: a network namespace of its own, with no interface up (the
    #: kernel must then talk to nbgrader over IPC sockets in ``sockets``, not loopback TCP).
    network: bool = True
    #: With ``network=False``: bring up the namespace's own loopback interface. It reaches nothing
    #: outside this kernel's namespace (no host port, no other kernel); Spark needs it, because
    #: PySpark talks to its own JVM over TCP on 127.0.0.1 (notebooks with ``course.needs = java``).
    loopback: bool = False

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), indent=1))
        return path

    @classmethod
    def load(cls, path: str | Path) -> SandboxConfig:
        return cls(**json.loads(Path(path).read_text()))


_libc = ctypes.CDLL(None, use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _loopback_up() -> None:
    """Set ``lo`` up in the current network namespace (needs CAP_NET_ADMIN there)."""
    import fcntl
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sH14s", b"lo", flags | iff_up, b""))


def _mount(src: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_libc.mount(enc(src), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def _prctl(option: int, arg: int) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), "prctl")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def _enter_user_namespace(flags: int, inner: int, outer_uid: int, outer_gid: int) -> None:
    """Unshare a new user namespace (plus ``flags``) where ``inner`` is this process's uid and gid."""
    _check(_libc.unshare(CLONE_NEWUSER | flags), "unshare (user namespace)")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{inner} {outer_uid} 1")
    _write("/proc/self/gid_map", f"{inner} {outer_gid} 1")


def _try_user_namespace() -> bool:
    """Can this (unprivileged) user build the sandbox: user+mount+PID namespaces, tmpfs, /proc?"""
    pid = os.fork()
    if pid == 0:
        try:
            _enter_user_namespace(CLONE_NEWNS | CLONE_NEWPID, 0, os.geteuid(), os.getegid())
            _mount(None, "/", None, MS_REC | MS_PRIVATE)
            inner = os.fork()
            if inner == 0:
                try:
                    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
                    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k")
                    os._exit(0)
                except BaseException:
                    os._exit(1)
            _, status = os.waitpid(inner, 0)
            os._exit(os.waitstatus_to_exitcode(status))
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


USERNS_REASON = (
    "unprivileged user namespaces (mount+PID namespaces, private /tmp and /proc, "
    "kernel without capabilities in a nested user namespace, rlimits)"
)
NO_USERNS = (
    "grading runs as an ordinary user and this machine refuses unprivileged user namespaces "
    "(sysctl kernel.unprivileged_userns_clone=0 or user.max_user_namespaces=0, or a container "
    "that blocks them): run `make grade` as root or allow user namespaces"
)


@functools.lru_cache(maxsize=1)
def isolation_support() -> tuple[bool, str]:
    """Can kernels be sandboxed here? Returns ``(yes, how, or why not)``.

    As root: namespaces and a uid of its own. As an ordinary user: the same
    in an unprivileged user namespace, where the machine allows them.

    >>> ok, why = isolation_support()
    >>> isinstance(ok, bool) and isinstance(why, str)
    True
    """
    if not sys.platform.startswith("linux"):
        return False, f"namespaces need Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return (True, USERNS_REASON) if _try_user_namespace() else (False, NO_USERNS)
    pid = os.fork()
    if pid == 0:  # try in a throw-away child
        try:
            _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare")
            _mount(None, "/", None, MS_REC | MS_PRIVATE)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return False, "the kernel refused new mount/PID namespaces (a container without CAP_SYS_ADMIN?)"
    return True, "mount+PID namespaces, private /tmp and /proc, unprivileged uid, rlimits"


@functools.lru_cache(maxsize=1)
def network_namespace_support() -> bool:
    """Can a kernel get a network namespace of its own here (root on Linux, allowed by the host)?

    >>> isinstance(network_namespace_support(), bool)
    True
    """
    if not sys.platform.startswith("linux"):
        return False
    pid = os.fork()
    if pid == 0:  # try in a throw-away child
        try:
            if os.geteuid() != 0:
                _enter_user_namespace(0, 0, os.geteuid(), os.getegid())
            os._exit(0 if _libc.unshare(CLONE_NEWNET) == 0 else 1)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def kernel_env(environ: dict[str, str]) -> dict[str, str]:
    """The environment a grading kernel gets: an allowlist plus safe defaults.

    >>> env = kernel_env({"PATH": "/bin", "NBGRADER_DB_URL": "postgresql://secret", "JPY_PARENT_PID": "7"})
    >>> sorted(k for k in env if not k.endswith("THREADS"))
    ['HOME', 'IPYTHONDIR', 'MPLBACKEND', 'MPLCONFIGDIR', 'PATH']
    """
    env = scrub_secrets({k: v for k, v in environ.items() if k in KEEP_ENV})
    env.update(
        HOME="/tmp",
        MPLCONFIGDIR="/tmp/matplotlib",
        IPYTHONDIR="/tmp/ipython",
        MPLBACKEND="agg",
        # one BLAS/OpenMP thread per kernel: the grader already runs one kernel per core
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return env


def write_kernelspec(dest: Path, config_path: Path, python: str = sys.executable) -> Path:
    """Write a ``python3`` kernel spec under ``dest/kernels`` that starts kernels through this module.

    Put ``dest`` first on ``JUPYTER_PATH`` for the nbgrader process.
    """
    spec_dir = dest / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        python,
        "-m",
        "course_tools.grading.sandbox",
        str(config_path),
        "--",
        python,
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
    ]
    spec = {
        "argv": argv,
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return spec_dir


def _set_limits(cfg: SandboxConfig, per_uid: bool = True) -> None:
    mib = 1024 * 1024
    limits = {
        resource.RLIMIT_AS: cfg.memory_mb * mib,
        resource.RLIMIT_CPU: cfg.cpu_seconds,
        resource.RLIMIT_FSIZE: cfg.file_size_mb * mib,
        resource.RLIMIT_CORE: 0,
    }
    if cfg.isolate and per_uid:  # per-uid count: only meaningful with a (host) uid of our own
        limits[resource.RLIMIT_NPROC] = cfg.max_processes
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))


def _hide(path: str) -> None:
    if os.path.isdir(path):
        _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0755")
    elif os.path.exists(path):  # a file: /dev/null over it, on a mount where devices cannot be opened
        _mount("/dev/null", path, None, MS_BIND)
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _locked(fd_or_path: int | str) -> int:
    """The mount flags of what ``fd_or_path`` is on (read-only, nosuid, nodev, noexec).

    A user namespace may not clear them on a bind mount, so every remount keeps them.
    """
    st = os.fstatvfs(fd_or_path) if isinstance(fd_or_path, int) else os.statvfs(fd_or_path)
    return st.f_flag & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _bind_back(path: str, fd: int, hidden: list[str], writable: bool = False) -> None:
    """Make ``path`` (open as ``fd``) visible again, read-only unless ``writable``, under whatever hides it."""
    container = next((h for h in hidden if path.startswith(h.rstrip("/") + "/")), None)
    if container:
        _mount(None, container, None, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755")
    os.makedirs(path, exist_ok=True)
    if container:
        _mount(None, container, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755")
    keep = _locked(fd)
    _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    access = MS_NOEXEC if writable else MS_RDONLY
    _mount(None, path, None, MS_REMOUNT | MS_BIND | access | MS_NOSUID | MS_NODEV | keep)
    os.close(fd)


TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")


def _inside(path: str, folders: list[str]) -> bool:
    """Is ``path`` one of ``folders`` or below one of them?

    >>> _inside("/tmp/course/.venv", ["/tmp"]), _inside("/tmpx", ["/tmp"]), _inside("/tmp", ["/tmp"])
    (True, False, True)
    """
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _build_namespace(cfg: SandboxConfig, conn_text: str | None, owner: int | None) -> None:
    """Inside the new namespaces, as root: fresh /proc and /tmp, hide, bind back, prepare /tmp.

    ``owner``: the uid to give the kernel's files (None: in a user namespace, where root's
    files already belong to the kernel's uid of the nested namespace).
    """
    # opened in *this* namespace, before anything is hidden
    back = [(p, os.open(p, os.O_RDONLY | os.O_DIRECTORY)) for p in cfg.rebind if os.path.isdir(p)]
    shown = cfg.workdir_source or cfg.workdir  # what the kernel sees at its working folder
    if os.path.isdir(shown):
        back.append((cfg.workdir, os.open(shown, os.O_RDONLY | os.O_DIRECTORY)))
    sockets = (cfg.sockets, os.open(cfg.sockets, os.O_RDONLY | os.O_DIRECTORY)) if cfg.sockets else None
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in cfg.readonly:
        if os.path.isdir(path):
            keep = _locked(path)
            _mount(path, path, None, MS_BIND | MS_REC)
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | keep)
    # A course (or its Python) kept under /tmp would vanish under the fresh /tmp: open the
    # outermost such folders now and bind them back right after, *before* anything is hidden.
    tmps = [t for t in TMP_DIRS if os.path.isdir(t)]
    in_tmp = sorted({p for p in cfg.readonly if os.path.isdir(p) and _inside(p, tmps)})
    outermost = [p for p in in_tmp if not _inside(p, [q for q in in_tmp if q != p])]
    kept = [(p, os.open(p, os.O_RDONLY | os.O_DIRECTORY)) for p in outermost]
    for tmp in tmps:
        _mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"size={cfg.tmp_size_mb}m,mode=1777")
    for path, fd in kept:
        _bind_back(path, fd, [])
    hidden = []
    for path in cfg.hide:
        if os.path.lexists(path):
            _hide(path)
            hidden.append(path)
    for path, fd in back:
        _bind_back(path, fd, hidden)
    if sockets:
        _bind_back(*sockets, hidden, writable=True)
    _name_uid(cfg.uid)
    for sub in ("matplotlib", "ipython"):
        os.makedirs(f"/tmp/{sub}", exist_ok=True)
        if owner is not None:
            os.chown(f"/tmp/{sub}", owner, owner)
    if conn_text is not None:
        fd = os.open("/tmp/kernel-connection.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, conn_text.encode())
        os.close(fd)
        if owner is not None:
            os.chown("/tmp/kernel-connection.json", owner, owner)


def _name_uid(uid: int) -> None:
    """Give ``uid`` an entry in the password database: ``/etc/passwd`` plus one line, bound read-only.

    The kernel's uid has no name on the host, and Java asks the database (``getpwuid``), not
    ``$HOME``: Spark's driver then has ``user.home`` "?" and Hadoop's login inside it stops with
    "Invalid UID, could not determine effective user" (PySpark: "Java gateway process exited").
    """
    if not os.path.isfile("/etc/passwd"):
        return
    with open("/etc/passwd") as fh:
        text = fh.read()
    if any(line.split(":")[2:3] == [str(uid)] for line in text.splitlines()):
        return
    path = "/tmp/.sandbox-passwd"
    _write(path, text.rstrip("\n") + f"\ngrader-kernel:x:{uid}:{uid}:grading kernel:/tmp:/usr/sbin/nologin\n")
    os.chmod(path, 0o644)
    _mount(path, "/etc/passwd", None, MS_BIND)
    _mount(None, "/etc/passwd", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | _locked("/etc/passwd"))


def _drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # a non-root uid: all capabilities are dropped with it
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def _wait_and_exit(child: int) -> None:
    """Reap children until ``child`` exits, then exit with its status."""
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
        if pid == child:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _forward(child: int, interrupt: bool = False) -> None:
    """Pass termination signals on to ``child`` (and SIGINT too with ``interrupt``)."""

    def handler(signum: int, _frame: object) -> None:
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    # SIGINT goes to the whole process group (jupyter's interrupt): the kernel gets it itself.
    signal.signal(signal.SIGINT, handler if interrupt else signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, handler)


def launch(cfg: SandboxConfig, cmd: list[str], watch: int | None = None) -> None:
    """Replace this process with the kernel ``cmd``, limited and (if asked) sandboxed.

    Any error on the way (and the kernel's own stderr) goes to ``cfg.error_log``.
    ``watch``: in a child of the zygote (:mod:`course_tools.grading.zygote`), the connection to
    the launcher nbgrader started: signals come in on it, the exit status goes back on it, and
    when it closes the kernel's namespace is killed; an ipykernel ``cmd`` then starts in this
    (pre-imported) process instead of a new Python.
    """
    err_fd = (
        os.open(cfg.error_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600) if cfg.error_log else None
    )
    try:
        _launch(cfg, cmd, err_fd, watch)
    except BaseException as err:  # noqa: BLE001 - every process of the launcher reports here
        import traceback

        text = f"sandbox launcher (pid {os.getpid()}) failed: {type(err).__name__}: {err}\n" + traceback.format_exc()
        if err_fd is not None:
            os.write(err_fd, text.encode(errors="replace"))
        sys.stderr.write(text)
        os._exit(70)


def _exec(cmd: list[str], env: dict[str, str], err_fd: int | None) -> None:
    if err_fd is not None:  # the kernel's low-level stderr (startup errors) is kept for the report
        os.dup2(err_fd, 2)
    os.execvpe(cmd[0], cmd, env)


def is_ipykernel(cmd: list[str]) -> bool:
    """Is ``cmd`` this Python's ``-m ipykernel_launcher`` (what a zygote can start in-process)?

    >>> is_ipykernel([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]), is_ipykernel(["java"])
    (True, False)
    """
    return len(cmd) >= 3 and cmd[0] == sys.executable and cmd[1:3] == ["-m", "ipykernel_launcher"]


def _run_ipykernel(cmd: list[str], env: dict[str, str], err_fd: int | None) -> None:
    """In a zygote's child, as the kernel: what ``exec`` of ``cmd`` would do, without a new Python."""
    if err_fd is not None:
        os.dup2(err_fd, 2)  # (err_fd itself stays open: the launcher's error report uses it)
    os.environ.clear()
    os.environ.update(env)
    if "numpy" in sys.modules:  # numpy's global state was seeded in the zygote: every kernel its own
        sys.modules["numpy"].random.seed()
    from course_tools.grading.zygote import forget_matplotlib_dirs

    forget_matplotlib_dirs()
    import ipykernel_launcher

    sys.argv = [ipykernel_launcher.__file__, *cmd[3:]]
    code = 0
    try:
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=cmd[3:])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - exiting anyway
                pass
    os._exit(code)


def _watch(init: int, conn: int) -> None:
    """Outside the namespace, in a zygote's child: relay signals in, the exit status out."""
    import select

    pidfd = os.pidfd_open(init)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        ready, _, _ = select.select([conn, pidfd], [], [])
        if pidfd in ready:
            _, status = os.waitpid(init, 0)
            code = os.waitstatus_to_exitcode(status)
            code = code & 0xFF if code >= 0 else 128 - code
            try:
                os.write(conn, f"exit {code}\n".encode())
            except OSError:
                pass
            os._exit(code)
        data = os.read(conn, 64)
        if not data:  # the launcher is gone (nbgrader killed it): so is the kernel
            os.kill(init, signal.SIGKILL)
            os.waitpid(init, 0)
            os._exit(137)
        for signum in data:
            try:
                os.kill(init, signum)
            except ProcessLookupError:
                pass


def _launch(cfg: SandboxConfig, cmd: list[str], err_fd: int | None, watch: int | None = None) -> None:
    env = kernel_env(dict(os.environ))
    if cfg.loopback:  # a JVM: few malloc arenas, or its threads reserve 64 MB of address space each
        env["MALLOC_ARENA_MAX"] = "2"
    if watch is None:  # nbgrader gone: the kernel goes too (a zygote's child goes with its launcher's connection)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if not cfg.isolate:
        _set_limits(cfg)
        import tempfile

        env["HOME"] = env["MPLCONFIGDIR"] = env["IPYTHONDIR"] = tempfile.mkdtemp(prefix="grading-kernel-")
        if cfg.workdir_source and os.path.isdir(cfg.workdir_source):
            os.chdir(cfg.workdir_source)  # not nbgrader's folder (the notebook with hidden tests)
        _exec(cmd, env, err_fd)
    conn_text = None
    if "-f" in cmd:
        i = cmd.index("-f") + 1
        conn_text = Path(cmd[i]).read_text()
        cmd = cmd[:i] + ["/tmp/kernel-connection.json"] + cmd[i + 1 :]
    workdir = cfg.workdir = os.path.realpath(cfg.workdir or os.getcwd())
    if cfg.workdir_source:
        cfg.workdir_source = os.path.realpath(cfg.workdir_source)
    as_root = os.geteuid() == 0
    host_uid, host_gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWNS | CLONE_NEWPID | (0 if cfg.network else CLONE_NEWNET)
    if as_root:
        _check(_libc.unshare(flags), "unshare")
    else:  # an ordinary user: root of a user namespace of our own, over our own namespaces only
        _enter_user_namespace(flags, 0, host_uid, host_gid)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    init = os.fork()
    if init:  # outside: wait for the namespace's init, pass on termination signals
        if watch is not None:
            _watch(init, watch)
        _forward(init)
        _wait_and_exit(init)
    # PID 1 of the new namespace
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if watch is not None:
        os.close(watch)
    _build_namespace(cfg, conn_text, cfg.uid if as_root else None)
    if cfg.loopback and not cfg.network:
        _loopback_up()
    kernel = os.fork()
    if kernel:
        _forward(kernel, interrupt=watch is not None)
        _wait_and_exit(kernel)
    os.chdir(workdir)
    _set_limits(cfg, per_uid=as_root)
    if as_root:
        _drop_privileges(cfg.uid)
    else:  # a nested user namespace: uid cfg.uid there, no capabilities after exec, mounts locked
        _enter_user_namespace(CLONE_NEWNS, cfg.uid, 0, 0)
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if watch is not None and is_ipykernel(cmd):
        _run_ipykernel(cmd, env, err_fd)
    _exec(cmd, env, err_fd)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m course_tools.grading.sandbox CONFIG.json -- KERNEL COMMAND...")
    cfg, cmd = SandboxConfig.load(argv[0]), argv[2:]
    if cfg.isolate and not cfg.loopback and is_ipykernel(cmd) and os.environ.get("COURSE_GRADING_ZYGOTE"):
        code = _via_zygote(os.environ["COURSE_GRADING_ZYGOTE"], cfg, cmd)
        if code is not None:
            os._exit(code)
    launch(cfg, cmd)


def _via_zygote(path: str, cfg: SandboxConfig, cmd: list[str]) -> int | None:
    """Have the zygote at ``path`` start the kernel; its exit status, or None if there is no zygote.

    This process stays what nbgrader sees as the kernel: its signals are passed on, and when it
    is killed the kernel is killed (the connection closes).
    """
    import socket

    from course_tools.grading.zygote import send_request

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # nbgrader gone: this goes, and the kernel with it
    request = {"cfg": asdict(cfg), "cmd": cmd, "env": dict(os.environ), "cwd": os.getcwd()}
    try:
        send_request(sock, request, [0, 1, 2])
    except OSError:  # the zygote died with this connection queued: start the kernel the ordinary way
        sock.close()
        return None

    def relay(signum: int, _frame: object) -> None:
        try:
            sock.send(bytes([signum]))
        except OSError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, relay)
    reply = b""
    while b"exit" not in reply or not reply.endswith(b"\n"):
        try:
            chunk = sock.recv(64)
        except OSError:  # reset: the zygote died with this connection queued (or the child went)
            chunk = b""
        if not chunk and not reply:  # the zygote died before it forked: start the kernel the ordinary way
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
                signal.signal(sig, signal.SIG_DFL)
            sock.close()
            return None
        if not chunk:
            return 1  # the zygote's child died before the kernel could report
        reply += chunk
    try:
        return int(reply.split()[-1])
    except ValueError:
        return 1


if __name__ == "__main__":
    main()
