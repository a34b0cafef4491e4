"""After a run as root: give what the grader wrote back to the owner of the course folder.

Run as root (for the sandbox), the grader would otherwise leave ``grades/``,
``autograded/``, ``feedback/``, the SQLite gradebook and its lock file owned
by root, and the instructor's own next run would fail with ``PermissionError``.
Only files owned by root are changed; a file someone else owns stays theirs.

>>> import tempfile
>>> hand_back(Path(tempfile.mkdtemp()), [])  # not root, or nothing to do: a no-op
0
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def _chown(path: Path, uid: int, gid: int) -> int:
    st = os.lstat(path)
    if st.st_uid != 0:
        return 0
    os.chown(path, uid, gid, follow_symlinks=False)
    return 1


def hand_back(root: Path, paths: Iterable[Path]) -> int:
    """Give ``paths`` (files and folders, recursively) to ``root``'s owner; returns how many changed.

    Does nothing unless this process is root and the course belongs to someone else.
    """
    if os.geteuid() != 0:
        return 0
    st = os.stat(root)
    if st.st_uid == 0:
        return 0
    changed = 0
    for path in paths:
        if not os.path.lexists(path):
            continue
        changed += _chown(path, st.st_uid, st.st_gid)
        if path.is_dir() and not path.is_symlink():
            for dirpath, dirnames, filenames in os.walk(path):
                for name in dirnames + filenames:
                    changed += _chown(Path(dirpath) / name, st.st_uid, st.st_gid)
    return changed


def written_by_grader(root: Path, assignment: str, out_dir: Path, url: str) -> list[Path]:
    """Everything a run writes in the course folder (for :func:`hand_back`)."""
    paths = [out_dir, root / f".grading-{assignment}.lock", root / ".nbgrader.log"]
    for top in ("grades", "autograded", "feedback"):
        if (root / top).is_dir():
            paths.append(root / top)  # the folders themselves (made by the first run) and below
    if url.startswith("sqlite:///"):
        db = Path(url[len("sqlite:///") :])
        paths += [db, db.with_name(db.name + "-journal")]
    return paths
