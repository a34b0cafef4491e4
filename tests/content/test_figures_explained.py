"""Every figure in a lesson is followed by text saying what to see (CONTRIBUTING: Figures).

A static check: a code cell that draws (``plt.subplots``, ``.plot(``, ``sns.*plot``...) must be
followed, within the next two cells, by a markdown cell. It cannot judge whether the text is
right (a person must look at the figure), only that it is there.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course_tools.notebook_runner import lesson_notebooks
from course_utils.paths import course_root

DRAWS = re.compile(
    r"plt\.show\(\)|plt\.subplots|\.plot\(|\.plot\.\w+\(|sns\.\w+plot\(|sns\.heatmap\(|\.hist\(|\.scatter\(|"
    r"dendrogram\("
)


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: str(p.relative_to(course_root())))
def test_each_figure_is_followed_by_text(path: Path) -> None:
    cells = nbformat.read(str(path), as_version=4).cells
    silent = [
        index + 1
        for index, cell in enumerate(cells)
        if cell.cell_type == "code"
        and DRAWS.search(cell.source)
        and not any(c.cell_type == "markdown" for c in cells[index + 1 : index + 3])
    ]
    assert not silent, (
        f"code cell(s) {silent} draw a figure with no markdown in the next two cells: "
        "add a few lines saying what to see"
    )
