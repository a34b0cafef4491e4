"""Is this Python new enough for the pins, and can other users run it?

Run by the Makefile *before* any package is installed (standard library only), as a file:
``python3 course_tools/python_check.py --min 3.11 [--shared]``. Exit 0 when the Python is fine,
1 (with one clear message) when it is too old, or, with ``--shared``, when other users cannot
execute it: a JupyterHub's users and the grading sandbox's user run the venv's ``bin/python``,
which is a link to this interpreter, so every folder above it must be traversable by others.
pyenv's Python under ``/root`` (mode 0700) is the usual trap: the venv then fails for everyone
else with ``.venv/bin/python: Permission denied``.

>>> too_old((3, 11, 2), "3.11")
False
>>> too_old((3, 10, 12), "3.11")
True
>>> blocked_folder("/")   # the root folder is traversable by everyone
"""

from __future__ import annotations

import argparse
import os
import stat
import sys


def too_old(version: tuple[int, ...], minimum: str) -> bool:
    """True when ``version`` (``sys.version_info[:3]``) is below ``minimum`` ("3.11" or "3.11.5")."""
    want = tuple(int(part) for part in minimum.split("."))
    return tuple(version[: len(want)]) < want


def blocked_folder(path: str) -> str | None:
    """The first folder on the way to ``path`` that other users cannot enter, or ``None``.

    Both the path as given (a venv's ``bin/python`` link) and where it leads are walked: running
    a link needs every folder of both. Also reports ``path`` itself when others may not execute it.
    """
    for target in (os.path.abspath(path), os.path.realpath(path)):
        parts = target.split(os.sep)
        for i in range(1, len(parts) + 1):
            here = os.sep.join(parts[:i]) or os.sep
            try:
                mode = os.stat(here).st_mode
            except OSError:
                return here
            if not mode & stat.S_IXOTH:
                return here
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", required=True, help="lowest Python the pins allow, e.g. 3.11")
    parser.add_argument(
        "--shared", action="store_true", help="fail (not only warn) when other users cannot execute this Python"
    )
    args = parser.parse_args(argv)
    here = ".".join(map(str, sys.version_info[:3]))
    if too_old(sys.version_info[:3], args.min):
        print(
            f"Python {args.min} or newer is needed (the pinned packages require it), but "
            f"{sys.executable} is {here}. Install a newer Python and run e.g. "
            f"`make PYTHON=python3.12 setup`.",
            file=sys.stderr,
        )
        return 1
    blocked = blocked_folder(sys.executable)
    if blocked:
        message = (
            f"{sys.executable} ({os.path.realpath(sys.executable)}) cannot be run by other users: "
            f"{blocked} is not open to them (mode {stat.S_IMODE(os.stat(blocked).st_mode):o}). A venv made "
            "from it works for you only; JupyterHub users and the grading sandbox get "
            "'Permission denied'. Use a Python every user can run, e.g. "
            "`make PYTHON=/usr/bin/python3 setup` (Debian 12's Python 3.11.2 fits the pins)."
        )
        if args.shared:
            print(message, file=sys.stderr)
            return 1
        if os.geteuid() == 0:  # as root, others will run the grading kernels: say so, go on
            print(f"Warning: {message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
