"""System parts (servers, browsers, Java) that some tests need, found or reported in one line.

Under ``CI=true`` a missing part is a failure: ``.ci/run`` installs every one of them, so a skip
there would hide a test that never ran. Elsewhere the test is skipped with one line saying what to
install.

>>> find_executable("sh", "the shell", apt="dash") .endswith("sh")
True
"""

from __future__ import annotations

import glob
import os
import shutil

import pytest

__all__ = ["in_ci", "find_executable", "missing"]


def in_ci() -> bool:
    """True when the suite runs in CI (``CI=true``), where every system part is required."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(what: str, install: str) -> None:
    """Skip (or, in CI, fail) the calling test: ``what`` is absent; ``install`` says how to get it."""
    message = f"{what} is not installed: {install}"
    if in_ci():
        pytest.fail(f"{message} (.ci/run should have installed it; under CI=true this test is required)")
    pytest.skip(message)


def find_executable(
    name: str, what: str, *, apt: str | None = None, npm: str | None = None, extra_globs: tuple[str, ...] = ()
) -> str:
    """Path of executable ``name`` (PATH first, then ``extra_globs``), or skip/fail via :func:`missing`.

    ``apt``/``npm`` name the package that provides it, for the one-line install advice.
    """
    found = shutil.which(name)
    if not found:
        for pattern in extra_globs:
            hits = sorted(glob.glob(pattern))
            if hits:
                found = hits[-1]
                break
    if found:
        return found
    how = (
        " or ".join(
            part
            for part in (f"sudo apt-get install {apt}" if apt else "", f"sudo npm install -g {npm}" if npm else "")
            if part
        )
        or f"install {name}"
    )
    missing(what, how)
    raise AssertionError("unreachable")
