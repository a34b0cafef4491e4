"""exercises/ equals what nbgrader generates from solutions/ right now."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from course_tools.authoring.release import generate_into
from course_utils.paths import course_root


def _files(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


@pytest.mark.slow
@pytest.mark.xdist_group("drift")
def test_exercises_match_generation(tmp_path: Path) -> None:
    generated = generate_into(tmp_path / "course")
    committed = course_root() / "exercises"
    fresh, ours = _files(generated), _files(committed)
    assert fresh == ours, (
        f"exercises/ has extra {sorted(ours - fresh)} or lacks {sorted(fresh - ours)}: run `make exercises`"
    )
    drifted = [name for name in sorted(fresh) if not filecmp.cmp(generated / name, committed / name, shallow=False)]
    assert not drifted, f"exercises/ drifted from solutions/ in {drifted}: run `make exercises` and commit"
