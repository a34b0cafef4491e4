"""Shared test set-up."""

from __future__ import annotations

import os

import pytest

# Figures render off-screen in tests and CI.
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Collecting no test at all is a failure (pytest's exit code 5), not a pass."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
