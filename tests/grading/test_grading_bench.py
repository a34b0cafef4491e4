"""The grader's scores equal plain serial ``nbgrader autograde`` on the same submissions.

A small run of the benchmark (``course_tools.grading.bench``); ``make bench``
runs it with 40 submissions and reports the times.
"""

from __future__ import annotations

import pytest

from course_tools.grading import bench


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


def test_table_puts_both_assignments_side_by_side_with_the_load() -> None:
    base = {"jobs": 2, "nbgrader_seconds": 60.0, "scores_equal": True, "interleaved": True}
    rows = [
        dict(
            base,
            assignment="00-welcome",
            n=40,
            grader_runs=[20.0, 22.0],
            grader_seconds=21.0,
            speedup=2.86,
            load="3.1 -> 3.4 -> 3.0 -> 2.9",
        ),
        dict(
            base,
            assignment="01-wrangling",
            n=20,
            grader_runs=[40.0, 44.0],
            grader_seconds=42.0,
            speedup=1.43,
            scores_equal=False,
            load="4.0 -> 4.2 -> 4.1 -> 4.3",
        ),
    ]
    lines = bench.table(rows).splitlines()
    assert len(lines) == 4 and lines[0].startswith("| assignment")
    assert "00-welcome" in lines[2] and "**2.86x**" in lines[2] and "3.1 -> 3.4 -> 3.0 -> 2.9" in lines[2]
    assert "20.0 and 22.0 s" in lines[2] and "| yes |" in lines[2]
    assert "01-wrangling" in lines[3] and "**1.43x**" in lines[3] and "| NO |" in lines[3]
