"""course_utils.paths and course_utils.plotting: the course folder from anywhere, the course palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_utils import paths, plotting

# -- paths ------------------------------------------------------------------------


def test_course_root_override_must_be_a_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    with pytest.raises(paths.CourseRootNotFound, match="no nbgrader_config.py there"):
        paths.course_root()
    (tmp_path / "nbgrader_config.py").write_text("")
    assert paths.course_root() == tmp_path.resolve()
    assert paths.datasets_dir() == tmp_path.resolve() / "datasets"


# -- plotting ------------------------------------------------------------------------


def test_palette_refuses_too_many_colours() -> None:
    with pytest.raises(ValueError, match="colour-blind-safe"):
        plotting.palette(9)
    with pytest.raises(ValueError):
        plotting.palette(0)
