"""Feedback pages: nbgrader's HTML for the students of the run, a short page for the others.

Only the students graded in this run get new pages (``--student alice``
leaves everyone else's page as it was). Every page is checked for hidden-test
lines, also encoded (rot13, base64, hex, reversed: what student code could
print to smuggle them out); a page that shows one is deleted and reported.
Next to each page stay the two files ``nbgrader release_feedback`` needs:
``timestamp.txt`` and ``submission_secret.txt``.

>>> import base64
>>> line = "assert _truth.equals(expected)"
>>> _leaks("<pre>" + base64.b64encode(line.encode()).decode() + "</pre>", [line])
['assert _truth.equals(expected)']
>>> _leaks("<pre>" + line[::-1].encode().hex() + "</pre>", [line])
['assert _truth.equals(expected)']
>>> _leaks("<p>nothing here</p>", [line])
[]
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from course_tools.grading.gradebook import course_env
from course_tools.grading.results import STATUS_MANUAL, Batch, Result
from course_tools.grading.tamper import Finding, Unreadable, _source, read_submission

if TYPE_CHECKING:
    from course_tools.grading.pool import Workers

#: Files of a submission that nbgrader's exchange needs next to the feedback (release_feedback).
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def hidden_test_lines(source_nb: nbformat.NotebookNode) -> list[str]:
    """The lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` (stripped, non-trivial)."""
    out: list[str] = []
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 12:
                out.append(line.strip())
    return out


def _decoded(token: str) -> list[str]:
    """``token`` read as base64 and as hex, forwards and backwards (what decodes to text)."""
    out = []
    for t in (token, token[::-1]):
        for decode in (
            lambda s: base64.b64decode(s + "=" * (-len(s) % 4)),
            lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)),
            bytes.fromhex,
        ):
            try:
                out.append(decode(t).decode("utf-8", errors="ignore"))
            except (ValueError, binascii.Error):
                pass
    return out


def readings(text: str) -> list[str]:
    """``text`` as a reader sees it, plus what encoded runs in it decode to (rot13, reversed, base64, hex).

    >>> any("secret" in r for r in readings("frperg"))
    True
    """
    base = [text, codecs.encode(text, "rot13"), text[::-1]]
    tokens = set(re.findall(r"[A-Za-z0-9+/_-]{16,}={0,2}", text)) | set(re.findall(r"(?:[0-9a-fA-F]{2}){8,}", text))
    for token in tokens:
        for plain in _decoded(token):
            base += [plain, plain[::-1], codecs.encode(plain, "rot13")]
    return base


def _leaks(html_text: str, lines: list[str]) -> list[str]:
    plain = re.sub(r"<[^>]+>", "", html.unescape(html_text))
    seen = readings(plain)
    return [ln for ln in lines if any(ln in r for r in seen)]


FAILED_FEEDBACK = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{assignment}: feedback for {student}</title></head>
<body style="font-family: sans-serif; max-width: 48em; margin: 2em auto">
<h1>{assignment}: your submission</h1>
<p>Your notebook could not be graded automatically, so your instructor will grade it by hand.
Nothing you submitted has been lost.</p>
<p><b>Why:</b> {reason}</p>
</body></html>
"""


def keep_exchange_files(src: Path | None, dest: Path) -> None:
    """Copy ``timestamp.txt`` and ``submission_secret.txt`` from ``src`` into ``dest`` (made if needed)."""
    if src is None:
        return
    for name in EXCHANGE_FILES:
        if not (src / name).is_file():
            continue
        target = dest / name
        if target.is_file():
            if target.read_bytes() == (src / name).read_bytes():
                continue  # nbgrader copied it already (read-only: its permissions)
            target.chmod(0o644)
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / name, target)


def _submitted_sources(root: Path, student: str, assignment: str) -> list[str]:
    """Every cell source the student submitted (a hidden-test line they typed themselves is no leak)."""
    out = []
    for path in (root / "submitted" / student / assignment).glob("*.ipynb"):
        try:
            out += [_source(c) for c in read_submission(path).cells]
        except (Unreadable, OSError):
            pass
    return out


def write_feedback(
    batch: Batch,
    root: Path,
    source_nbs: dict[str, nbformat.NotebookNode],
    workers: Workers,
    given: dict[str, nbformat.NotebookNode],
    all_students: bool,
) -> None:
    """Feedback for the students of ``batch`` only (every student when ``all_students``); check for leaks."""
    graded = [r.student for r in batch.results if _real_page(r)]
    if graded:
        students = _autograded_students(root, batch.assignment) if all_students else graded
        _generate_feedback(batch, root, students or graded, workers)
    hidden = [ln for nb in source_nbs.values() for ln in hidden_test_lines(nb)]
    given_text = "\n".join(c.source for nb in given.values() for c in nb.cells)
    for r in batch.results:
        fb_dir = root / "feedback" / r.student / batch.assignment
        keep_exchange_files(r.exchange_dir, fb_dir)
        if not _real_page(r):
            fb_dir.mkdir(parents=True, exist_ok=True)
            for name in source_nbs:
                (fb_dir / f"{name}.html").write_text(
                    FAILED_FEEDBACK.format(
                        assignment=html.escape(batch.assignment),
                        student=html.escape(r.student),
                        reason=html.escape("; ".join(r.reasons) or "unknown"),
                    )
                )
            continue
        for name in source_nbs:
            page = fb_dir / f"{name}.html"
            if not page.is_file():
                r.findings.append(Finding("no-feedback", f"nbgrader wrote no feedback page {page.name}", "info"))
                continue
            own = given_text + "\n".join(_submitted_sources(root, r.student, batch.assignment))
            leaked = _leaks(page.read_text(errors="replace"), [ln for ln in hidden if ln not in own])
            if leaked:
                page.unlink()
                r.findings.append(Finding("feedback-leak", f"{page.name} showed a hidden-test line and was deleted"))
                batch.warnings.append(f"feedback for {r.student} showed hidden tests and was deleted: {leaked[0]!r}")


def _autograded_students(root: Path, assignment: str) -> list[str]:
    """Every student with an autograded copy of ``assignment`` (whom ``nbgrader generate_feedback`` covers)."""
    return sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}") if p.is_dir())


def _generate_feedback(batch: Batch, root: Path, students: list[str], workers: Workers) -> None:
    """nbgrader's feedback for ``students``, split across the workers (one share each, at once)."""
    import concurrent.futures as cf

    n = max(1, min(workers.size, len(students)))
    shares = [students[i::n] for i in range(n)]
    specs = [
        {
            "kind": "feedback",
            "course": str(root),
            "assignment": batch.assignment,
            "student": "",
            "students": share,
            "env": course_env(),
        }
        for share in shares
    ]
    with cf.ThreadPoolExecutor(max_workers=n) as pool:
        replies = list(pool.map(lambda spec: workers.run(spec, timeout=60 * 60), specs))
    failed = [r for r in replies if r is None or not r["success"]]
    if failed:
        batch.warnings.append(
            "nbgrader generate_feedback reported errors: "
            + " | ".join("" if r is None else r["error"][-300:] for r in failed)
        )


def _real_page(r: Result) -> bool:
    """Does ``r`` get nbgrader's feedback page? (Not autograded: only once a person scored every cell.)"""
    return r.autograded_dir is not None or (r.unexecuted_dir is not None and r.status != STATUS_MANUAL)


def pending_hand_scores(root: Path, assignment: str, students: list[str]) -> dict[str, list[str]]:
    """For each of ``students``: the cells of their submission that still wait for a person (formgrader)."""
    from nbgrader.api import Gradebook, MissingEntry

    from course_tools.grading.gradebook import db_url

    out: dict[str, list[str]] = {}
    with Gradebook(db_url(root)) as gb:
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                out[student] = ["(not in the gradebook: run make grade)"]
                continue
            out[student] = [g.name for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade]
    return out


#: Run in a subprocess by :func:`regenerate`: nbgrader's generate_feedback for the students named in argv.
_GENERATE = """
import json, os, sys
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader
cfg = PyFileConfigLoader("nbgrader_config.py", path=os.getcwd()).load_config()  # ClearHiddenTests for feedback
cfg.CourseDirectory.root = os.getcwd()
api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
out = {}
for student in sys.argv[2:]:
    res = api.generate_feedback(sys.argv[1], student, force=True)
    out[student] = "" if res.get("success") else (res.get("error") or res.get("log") or "failed")[-500:]
print("RESULT " + json.dumps(out))
"""


def regenerate(root: Path, assignment: str, students: list[str], echo: Callable[[str], None] = print) -> list[str]:
    """Rewrite ``students``' feedback pages from the gradebook as it stands (hand scores included).

    ``make grade`` writes feedback before anyone has entered hand scores;
    ``make feedback`` calls this first so the pages it releases carry them.
    The same checks as ``make grade``: every page is searched for hidden-test
    lines (a page showing one is deleted and named), and the exchange's two
    files are put back next to it. Returns the students whose page is ready.
    """
    import json
    import subprocess
    import sys

    from course_tools.nbgrader_tools import nbgrader_env

    if not students:
        return []
    proc = subprocess.run(
        [sys.executable, "-c", _GENERATE, assignment, *students],
        cwd=root,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    errors = json.loads(line[-1][len("RESULT ") :]) if line else {s: proc.stderr[-500:] for s in students}
    sources = {
        p.stem: nbformat.read(p, as_version=4) for p in sorted((root / "solutions" / assignment).glob("*.ipynb"))
    }
    hidden = [ln for nb in sources.values() for ln in hidden_test_lines(nb)]
    released = "\n".join(
        c.source
        for p in sorted((root / "exercises" / assignment).glob("*.ipynb"))
        for c in nbformat.read(p, as_version=4).cells
    )
    ready = []
    for student in students:
        fb_dir = root / "feedback" / student / assignment
        if errors.get(student):
            echo(
                f"{student}: nbgrader generate_feedback failed, their page is the one make grade wrote: "
                f"{errors[student]}"
            )
        keep_exchange_files(root / "submitted" / student / assignment, fb_dir)
        own = released + "\n".join(_submitted_sources(root, student, assignment))
        leaked = False
        for page in fb_dir.glob("*.html"):
            found = _leaks(page.read_text(errors="replace"), [ln for ln in hidden if ln not in own])
            if found:
                page.unlink()
                leaked = True
                echo(f"{student}: {page.name} showed a hidden-test line ({found[0]!r}) and was deleted; not released")
        if not leaked and not errors.get(student):
            ready.append(student)
    return ready


def without_exchange_files(root: Path, assignment: str) -> list[str]:
    """Students whose feedback for ``assignment`` lacks ``submission_secret.txt`` or ``timestamp.txt``.

    Their submission was placed in ``submitted/`` by hand, not collected from the
    exchange: nbgrader names released feedback by a hash of the exchange's secret
    (``notebook_hash(secret, notebook)``), and ``fetch_feedback`` finds it only
    through the student's own exchange submission, so such feedback cannot go
    through the exchange at all (and ``release_feedback`` would stop there).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for s in ("alice", "bob"):
    ...     (root / "feedback" / s / "a1").mkdir(parents=True)
    ...     _ = (root / "feedback" / s / "a1" / "a1.html").write_text("<p>ok</p>")
    ...     _ = (root / "feedback" / s / "a1" / "timestamp.txt").write_text("2026-01-15 12:00:00 UTC")
    >>> _ = (root / "feedback" / "alice" / "a1" / "submission_secret.txt").write_text("s3cr3t")
    >>> without_exchange_files(root, "a1")
    ['bob']
    """
    base = root / "feedback"
    out = []
    for folder in sorted(base.glob(f"*/{assignment}")) if base.is_dir() else []:
        if any(folder.glob("*.html")) and not all((folder / name).is_file() for name in EXCHANGE_FILES):
            out.append(folder.parent.name)
    return out


def release(assignment: str, root: Path, nbgrader_args: list[str], echo: Callable[[str], None] = print) -> int:
    """``nbgrader release_feedback``, skipping (and naming) feedback that cannot go through the exchange.

    What ``make feedback A=...`` runs. Nothing is deleted: a skipped student's
    pages stay in ``feedback/<student>/<assignment>/`` for the instructor to hand over.
    """
    import subprocess
    import sys

    from course_tools.grading.ownership import hand_back
    from course_tools.nbgrader_tools import nbgrader_env

    graded = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}") if any(p.glob("*.ipynb")))
    pending = pending_hand_scores(root, assignment, graded) if graded else {}
    for student, cells in sorted(pending.items()):
        if cells:
            echo(
                f"{student}: {len(cells)} cell(s) still wait for a hand score in formgrader ({', '.join(cells)}): "
                "their page is the one make grade wrote (without those scores); grade them, then run make feedback "
                "again"
            )
    regenerate(root, assignment, [s for s in graded if not pending.get(s)], echo)
    if os.geteuid() == 0:  # run as root: the pages stay the course owner's
        hand_back(root, [root / "feedback"])
    skipped = without_exchange_files(root, assignment)
    for student in skipped:
        folder = root / "feedback" / student / assignment
        missing = " or ".join(name for name in EXCHANGE_FILES if not (folder / name).is_file())
        echo(
            f"{student}: feedback/{student}/{assignment}/ has no {missing}: this "
            "submission was placed in submitted/ by hand, not collected from the exchange, so nbgrader cannot "
            "release its feedback to the exchange (the student could not fetch it). Skipped, nothing deleted: "
            f"give {student} the page(s) feedback/{student}/{assignment}/*.html yourself."
        )
    with_pages = {p.parent.name for p in (root / "feedback").glob(f"*/{assignment}") if any(p.glob("*.html"))}
    if not with_pages - set(skipped):
        echo(
            f"no feedback of {assignment} to release through the exchange"
            + (" (run `make grade` first)" if not with_pages else "")
        )
        return 0 if with_pages else 1
    args = ["release_feedback", assignment, *nbgrader_args]
    if skipped:
        args.append("--CourseDirectory.student_id_exclude=" + ",".join(skipped))
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=nbgrader_env()).returncode


def main(argv: list[str] | None = None) -> int:
    """``python -m course_tools.grading.feedback ASSIGNMENT [nbgrader options]`` (``make feedback A=...``)."""
    import sys

    from course_utils.paths import course_root

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        print("Say which assignment: make feedback A=00-welcome", file=sys.stderr)
        return 2
    return release(args[0], course_root().resolve(), args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
