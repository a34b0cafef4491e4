"""Every lesson and solution notebook equals what its text source in notebook-sources/ generates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_tools.authoring import text_sources
from course_tools.authoring.text_sources import (
    Pair,
    Refused,
    disagreement,
    pairs,
    source_for,
    sync_to_notebooks,
    sync_to_sources,
)
from course_tools.notebook_runner import lesson_notebooks, solution_notebooks
from course_utils.paths import course_root

ROOT = course_root()
PAIRS = pairs()


def _id(pair: Pair) -> str:
    return str(pair.notebook.relative_to(ROOT))


def test_every_lesson_and_solution_has_a_source() -> None:
    notebooks = lesson_notebooks() + solution_notebooks()
    assert notebooks, "no notebooks found"
    assert sorted(p.notebook for p in PAIRS) == sorted(notebooks), "a source without its notebook: run `make notebooks`"


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_notebook_equals_its_text_source(pair: Pair) -> None:
    why = disagreement(pair)
    assert why is None, why


def test_generated_notebook_keeps_every_part_cell_for_cell() -> None:
    """Ids, types, sources, nbgrader metadata and notebook metadata survive text and back."""
    path = ROOT / "solutions" / "07-spark" / "07-spark.ipynb"  # nbgrader cells and extra notebook metadata
    ours = nbformat.read(str(path), as_version=4)
    back = text_sources.text_to_notebook(text_sources.notebook_to_text(ours), path.name)
    assert back.metadata == ours.metadata and back.metadata["kernelspec"]["name"] == "python3"
    assert [(c.id, c.cell_type, c.source, c.metadata) for c in back.cells] == [
        (c.id, c.cell_type, c.source, c.metadata) for c in ours.cells
    ]
    assert any("nbgrader" in c.metadata for c in back.cells)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in back.cells if c.cell_type == "code")


def _course(tmp_path: Path) -> tuple[Pair, Path]:
    """A copy of one solution notebook and its source in a course folder of its own."""
    nb = tmp_path / "solutions" / "00-welcome" / "00-welcome.ipynb"
    src = source_for(nb, tmp_path)
    committed = ROOT / "solutions" / "00-welcome" / "00-welcome.ipynb"
    for theirs, ours in ((committed, nb), (source_for(committed), src)):
        ours.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theirs, ours)
    return Pair(nb, src), tmp_path


def _age(path: Path, seconds: int) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_edited_source_is_reported_then_fixed_by_make_notebooks(tmp_path: Path) -> None:
    pair, root = _course(tmp_path)
    assert disagreement(pair, root) is None
    text = pair.source.read_text(encoding="utf-8")
    pair.source.write_text(text.replace("Three small questions", "Four small questions"), encoding="utf-8")
    _age(pair.notebook, 60)
    why = disagreement(pair, root)
    assert why and "solutions/00-welcome/00-welcome.ipynb differs from its text source" in why
    assert "notebook-sources/solutions/00-welcome/00-welcome.py" in why
    assert "cell 1 (id cb5c2d3a): source differs" in why and "`make notebooks`" in why and "--from-ipynb" in why
    assert sync_to_notebooks(pair)
    assert disagreement(pair, root) is None
    assert "Four small questions" in nbformat.read(str(pair.notebook), as_version=4).cells[0].source


def test_notebook_edited_in_lab_is_kept_and_synced_back(tmp_path: Path) -> None:
    pair, root = _course(tmp_path)
    nb = nbformat.read(str(pair.notebook), as_version=4)
    nb.cells[0].metadata["nbgrader"]["locked"] = False  # e.g. a change made in the Property Inspector
    _age(pair.source, 60)
    pair.notebook.write_text(text_sources.render(nb), encoding="utf-8")
    assert "cell 1 (id cb5c2d3a): metadata differs" in (disagreement(pair, root) or "")
    edited = pair.notebook.read_bytes()
    with pytest.raises(Refused, match="--from-ipynb"):
        sync_to_notebooks(pair)
    assert pair.notebook.read_bytes() == edited, "the edited notebook was overwritten"
    assert sync_to_sources(pair)
    assert disagreement(pair, root) is None
    assert '"locked": false, "schema_version": 3, "solution": false}' in pair.source.read_text(encoding="utf-8")


def test_new_cell_without_id_gets_a_stable_one(tmp_path: Path) -> None:
    pair, root = _course(tmp_path)
    pair.source.write_text(pair.source.read_text(encoding="utf-8") + "\n# %%\nprint('new')\n", encoding="utf-8")
    assert "(19 cells against 18)" in (disagreement(pair, root) or "")
    sync_to_notebooks(pair)
    new = nbformat.read(str(pair.notebook), as_version=4).cells[-1]
    assert new.source == "print('new')" and f'# %% id="{new.id}"' in pair.source.read_text(encoding="utf-8")
    assert disagreement(pair, root) is None
    assert sync_to_notebooks(pair) is None, "a second run changes nothing"


def test_a_copied_cell_id_is_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match="cell 2 repeats the id 'a1' of an earlier cell: delete the copy's id"):
        text_sources.text_to_notebook('# %% id="a1"\nx = 1\n\n# %% id="a1"\ny = 2\n', "x.ipynb")


def test_cli_check_names_the_file_and_fails(tmp_path: Path) -> None:
    pair, root = _course(tmp_path)
    (root / "nbgrader_config.py").write_text("")  # what marks a course folder
    pair.notebook.unlink()
    cli = [sys.executable, "-m", "course_tools", "notebooks"]
    env = {**os.environ, "COURSE_ROOT": str(root)}
    run = subprocess.run([*cli, "--check"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "has no notebook solutions/00-welcome/00-welcome.ipynb: run `make notebooks`" in run.stdout
    run = subprocess.run(cli, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "wrote solutions/00-welcome/00-welcome.ipynb" in run.stdout, run.stdout + run.stderr
    assert pair.notebook.read_bytes() == (ROOT / "solutions/00-welcome/00-welcome.ipynb").read_bytes()
