"""A pre-imported template process that grading kernels are forked from (a "zygote").

Starting a kernel the ordinary way costs a fresh Python that imports
``ipykernel`` and then the course's heavy libraries (pandas, numpy): about a
second of CPU per submission, more than most notebooks' own work. The grader
(:mod:`course_tools.grading.pool`) therefore starts one of
these processes, which imports them once and then waits on a Unix socket in
the grader's scratch folder (hidden from every kernel). One serves all workers
of a run (:class:`course_tools.grading.pool.SharedZygote`, started again if it dies).

For each kernel, the sandbox launcher nbgrader starts
(``python -m course_tools.grading.sandbox CONFIG.json -- python -m ipykernel_launcher -f CONN``)
connects, sends its standard streams, environment, working folder and
configuration, and waits. The zygote forks *at once*, before reading
anything (so it never holds one job's data when the next one forks), and
the child does exactly what the launcher does (:func:`course_tools.grading.sandbox.launch`):
fresh mount, PID and network namespaces, its own ``/tmp`` and ``/proc``,
the kernel's own uid, limits, no capabilities; only the last step differs:
instead of executing a new Python, the already-imported ``ipykernel`` is
started in the child. No student code ever runs in the zygote itself, so
every kernel starts from the same pristine state and no kernel sees
another's memory, files or processes. numpy's global random state is
reseeded in each kernel (Python's ``random`` reseeds itself after a fork), and
matplotlib (imported with a private config folder) looks its folders up again
in the kernel's own ``/tmp``.

The launcher passes the kernel's death back as its own exit status, passes
on the signals nbgrader sends it (interrupt, terminate), and when nbgrader
kills it, the connection closes and the kernel's namespace is killed.
If the zygote is not there (not started yet, or a Spark kernel, whose JVM
needs its environment from the start), the launcher starts the kernel the
ordinary way.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

#: The environment variable that tells the sandbox launcher where the zygote listens.
ZYGOTE_ENV = "COURSE_GRADING_ZYGOTE"
#: The zygote's environment variable naming the assignment whose checks' truths it computes first.
WARM_ENV = "COURSE_GRADING_WARM"

#: What the zygote imports before the first kernel (the course notebooks' heavy imports).
PREIMPORT = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "course_tools.grading.snapshot",
    "course_utils.paths",
)


def forget_matplotlib_dirs() -> None:
    """In a kernel forked from the zygote: matplotlib looks up its config and cache folders again.

    The zygote imported matplotlib with a private config folder of its own (not the host's
    shared ``/tmp``); matplotlib memoises the folder, so the kernel would keep the zygote's
    path. This resets the memo: the kernel then uses ``MPLCONFIGDIR`` (``/tmp/matplotlib`` of
    its own ``/tmp``), as a kernel started the ordinary way does.
    """
    mpl = sys.modules.get("matplotlib")
    for name in ("get_configdir", "get_cachedir"):
        fn = getattr(mpl, name, None)
        code = getattr(fn, "__code__", None)
        if fn is None or code is None or not fn.__closure__:
            continue
        for var, cell in zip(code.co_freevars, fn.__closure__, strict=False):
            if var == "called":
                cell.cell_contents = False


def warm_checks(assignment: str) -> list[str]:
    """Compute ``assignment``'s check truths in the zygote, before any fork (:func:`course_utils.questions.warm`).

    Only the course's own check code runs, on the course files, and no student code has run
    in this process: every kernel inherits truths computed from the template's clean state (a
    copy of them in its own memory after the fork), instead of recomputing them in each kernel
    (5.8 s per ``01-wrangling`` submission). A truth is keyed by the data folder and its files'
    sizes and times, so a kernel that reads other files computes its own. Fails softly: the
    checks then compute their truths in the kernel, as without a zygote.
    """
    if not assignment:
        return []
    try:
        from course_utils.questions import warm

        return warm(assignment)
    except Exception as err:
        sys.stderr.write(f"grading zygote: could not compute the checks' truths of {assignment}: {err}\n")
        return []


def send_request(sock: socket.socket, request: dict, fds: list[int]) -> None:
    """Send one request (length-prefixed JSON) with ``fds`` attached."""
    data = json.dumps(request).encode()
    socket.send_fds(sock, [struct.pack("!Q", len(data))], fds)
    sock.sendall(data)


def _recv_request(sock: socket.socket) -> tuple[dict, list[int]]:
    head, fds, _, _ = socket.recv_fds(sock, 8, 8)
    if len(head) < 8:
        head += _recv_exact(sock, 8 - len(head))
    (size,) = struct.unpack("!Q", head)
    return json.loads(_recv_exact(sock, size)), fds


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("the sandbox launcher went away")
        buf += chunk
    return buf


def _child(conn: socket.socket) -> None:
    """In the forked child: read the request, then become the sandboxed kernel (never returns)."""
    from course_tools.grading import sandbox

    try:
        conn.sendall(b"forked\n")  # the launcher knows a kernel is on its way (no fallback start now)
        fd = conn.fileno()
        os.closerange(3, fd)
        os.closerange(fd + 1, 4096)
        request, fds = _recv_request(conn)
        for target, got in enumerate(fds[:3]):
            os.dup2(got, target)
        for got in fds:
            if got > 2:
                os.close(got)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        cfg = sandbox.SandboxConfig(**request["cfg"])
    except BaseException as err:  # noqa: BLE001 - the launcher sees the connection close
        sys.stderr.write(f"grading zygote: bad request: {type(err).__name__}: {err}\n")
        os._exit(71)
    sandbox.launch(cfg, request["cmd"], watch=fd)
    os._exit(70)


def serve(path: str) -> None:
    """Import the heavy modules, then fork one child per connection on ``path``."""
    import importlib
    import threading

    from course_tools.grading.sandbox import PR_SET_PDEATHSIG, _prctl

    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the grader gone: so is the zygote
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.getcwd():
        del sys.path[0]  # as ipykernel_launcher does: the kernel's folder is added back by IPython
    import tempfile

    # matplotlib reads and writes its config and font cache at import: in a folder of the zygote's
    # own, never the host's shared /tmp (each kernel gets its own /tmp/matplotlib afterwards)
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="grading-zygote-mpl-")
    for name in PREIMPORT:
        try:
            importlib.import_module(name)
        except Exception as err:  # a course without pandas still grades; just slower
            sys.stderr.write(f"grading zygote: could not pre-import {name}: {err}\n")
    warm_checks(os.environ.pop(WARM_ENV, ""))
    import gc

    gc.freeze()  # what the zygote holds stays out of every kernel's garbage collection (and copy-on-write)
    if threading.active_count() != 1:  # forking a threaded process is unsafe: launchers fall back
        sys.stderr.write("grading zygote: an import started a thread; not serving\n")
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = path + ".new"
    if os.path.exists(tmp):
        os.unlink(tmp)
    listener.bind(tmp)
    os.chmod(tmp, 0o600)
    listener.listen(16)
    os.rename(tmp, path)  # appears only once it accepts
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    while True:
        conn, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            listener.close()
            _child(conn)
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1])
