"""Command-line mistakes end with one line that names what is wrong and says what to do.

In-process through ``course_tools.__main__.main`` (no subprocess, nothing graded or
generated): each case fails before any real work starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.__main__ import main


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["grade"], ["Say which assignment", "grade 00-welcome"]),
        (["grade", "NOSUCH"], ["'NOSUCH'", "Choose from", "00-welcome"]),
        (["exercises", "NOSUCH"], ["NOSUCH", "Choose from", "00-welcome"]),
    ],
    ids=["grade-no-assignment", "grade-unknown", "exercises-unknown"],
)
def test_unknown_or_missing_assignment(
    argv: list[str], fragments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out = capsys.readouterr().out
    for fragment in fragments:
        assert fragment in out, f"{fragment!r} not in: {out}"


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["grade", "00-welcome", "--jobs", "0"], ["--jobs", "at least 1", "'0'"]),
        (["grade", "00-welcome", "--memory-mb", "-5"], ["--memory-mb", "at least 1"]),
        (["data", "--scale", "0"], ["--scale", "positive number", "'0'"]),
        (["data", "--scale", "lots"], ["--scale", "positive number", "'lots'"]),
    ],
    ids=["jobs-0", "memory-negative", "scale-0", "scale-text"],
)
def test_bad_option_values_are_refused(
    argv: list[str], fragments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in: {err}"


def test_draft_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(tmp_path / "nosuch.py"), str(tmp_path / "out.ipynb")]) == 2
    assert "nosuch.py: draft script not found" in capsys.readouterr().out
    assert not (tmp_path / "out.ipynb").exists()


WITHOUT_FAKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "faker":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
from course_tools.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_tooling_command_without_the_tools_extra_says_what_to_install(tmp_path: Path) -> None:
    """A student environment (no tools extra) running `course data`: one message, no traceback."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_FAKER, "data", "--scale", "0.05", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "faker is not installed" in done.stderr and "make setup" in done.stderr and ".[tools]" in done.stderr
    assert not any(tmp_path.iterdir()), "nothing is written when the command cannot run"
