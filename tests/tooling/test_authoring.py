"""course_tools.authoring and the command line: drafts, releases that keep a student's edits, notebooks' layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_tools.authoring import draft, release
from course_utils import paths

# -- draft -------------------------------------------------------------------------------


def test_draft_builds_nbgrader_cells(tmp_path: Path) -> None:
    src = tmp_path / "d.py"
    src.write_text(
        "# %% [markdown]\n# <!--! task q1 -->\n# Question\n\n"
        "# %%\n#! answer q1\nx = 1\n\n# %%\n#! check q1 2\nassert x == 1\n\n"
        "# %% [markdown]\n# <!--! written q2 3 -->\n# model answer\n"
    )
    nb = draft.draft_to_notebook(src, tmp_path / "d.ipynb")
    metas = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert [m["grade_id"] for m in metas] == ["q1-task", "q1-answer", "q1-check", "q2-written"]
    assert metas[2]["points"] == 2 and metas[2]["locked"] and metas[3]["points"] == 3
    assert nb.cells[1].source == "x = 1"  # role line removed
    from nbgrader.nbgraderformat import MetadataValidator

    MetadataValidator().validate_nb(nb)


def test_draft_never_overwrites_without_force(tmp_path: Path) -> None:
    src, dest = tmp_path / "d.py", tmp_path / "d.ipynb"
    src.write_text("# %%\nx = 1\n")
    dest.write_text("precious")
    args = type("A", (), {"src": src, "dest": dest, "force": False})()
    assert draft.run(args) == 2
    assert dest.read_text() == "precious"


def test_draft_cli_explains_a_missing_or_bad_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "d.ipynb"
    args = type("A", (), {"src": tmp_path / "nosuch.py", "dest": dest, "force": False})()
    assert draft.run(args) == 2
    assert "nosuch.py: draft script not found" in capsys.readouterr().out
    bad = tmp_path / "bad.py"
    bad.write_text("# %%\n#! answr q1\nx = 1\n")
    args.src = bad
    assert draft.run(args) == 2
    out = capsys.readouterr().out
    assert "bad.py" in out and "unknown role" in out and "Nothing was written" in out
    assert not dest.exists()


def test_draft_rejects_unknown_role() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        draft.nbgrader_metadata("answr q1")
    with pytest.raises(ValueError, match="needs 2"):
        draft.nbgrader_metadata("check q1")


# -- release: students' edits are never lost ------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_sync_backs_up_edited_exercises(tmp_path: Path) -> None:
    root = tmp_path / "course"
    (root / "exercises" / "a").mkdir(parents=True)
    target = root / "exercises" / "a" / "a.ipynb"
    target.write_text("original")
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x")
    generated = tmp_path / "gen"
    (generated / "a").mkdir(parents=True)
    (generated / "a" / "a.ipynb").write_text("new version")

    target.write_text("my work")  # a self-learner worked in exercises/
    messages = release.sync(generated, root / "exercises", root)
    backups = list((root / "my-work-backups").rglob("a.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == "my work"
    assert target.read_text() == "new version"
    assert any("kept your edited" in m for m in messages)

    # An unedited, committed exercise is replaced without a backup; an identical one is left alone.
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "y")
    (generated / "a" / "a.ipynb").write_text("third")
    release.sync(generated, root / "exercises", root)
    assert len(list((root / "my-work-backups").rglob("a.ipynb"))) == 1
    assert release.sync(generated, root / "exercises", root) == []


def test_cli_lists_commands() -> None:
    out = subprocess.run([sys.executable, "-m", "course_tools", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("setup", "data", "exercises", "bench", "grade", "draft"):
        assert command in out.stdout


def test_cli_rejects_unknown_assignment(capsys: pytest.CaptureFixture[str]) -> None:
    from course_tools.__main__ import main

    assert main(["exercises", "99-nope"]) == 2
    assert "No such assignment" in capsys.readouterr().out


def test_solution_notebooks_round_trip_nbformat() -> None:
    for path in sorted((paths.course_root() / "solutions").rglob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        assert nbformat.writes(nb).strip() == path.read_text(encoding="utf-8").strip(), (
            f"{path.name} is not in nbformat's canonical layout; save it from JupyterLab or the draft tool"
        )
