"""Command-line mistakes end with one line that names what is wrong and says what to do.

In-process through ``course_tools.__main__.main`` (no subprocess, nothing graded or
generated): each case fails before any real work starts.
"""

from __future__ import annotations

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
