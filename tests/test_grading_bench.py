"""The grader's scores equal plain serial ``nbgrader autograde`` on the same submissions.

A small run of the benchmark (``course_utils.grading.bench``); ``make bench``
runs it with 40 submissions and reports the times.
"""

from __future__ import annotations

import pytest

from course_utils.grading import bench


@pytest.mark.slow
@pytest.mark.xdist_group("grading")
def test_scores_equal_plain_nbgrader() -> None:
    figures = bench.run(n=3, jobs=2)
    assert figures["scores_equal"], figures["mismatches"]
    assert figures["n"] == 3 and figures["grader_seconds"] > 0 and figures["nbgrader_seconds"] > 0
    text = bench.summary(figures)
    assert "scores equal: yes" in text


def test_generated_submissions_cover_right_blank_and_half(tmp_path) -> None:
    import json

    students = bench.make_submissions(tmp_path / "course", "00-welcome", 3)
    assert students == ["student001", "student002", "student003"]
    stubs = []
    for s in students:
        nb = json.loads((tmp_path / "course" / "submitted" / s / "00-welcome" / "00-welcome.ipynb").read_text())
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        stubs.append(sum("raise NotImplementedError()" in src for src in code))
    assert stubs == [0, 3, 1]  # right, blank, every other answer right (q1 and q3)
