"""``python -m course_tools draft SRC.py DEST.ipynb``: turn a draft script into a clean notebook.

Optional help for authors who start a notebook in a text editor, with short
role markers instead of nbgrader's JSON metadata. The draft is not kept: the
notebook it writes (in ``lessons/`` or ``solutions/``) gets its kept text
source with ``python -m course_tools notebooks --from-ipynb DEST``
(``course_tools/authoring/text_sources.py``), and that source is edited from then on.

The draft is a jupytext "percent" script: ``# %%`` starts a code cell and
``# %% [markdown]`` a markdown cell. The first line of a cell may give its
nbgrader role, and is removed:

=======================  ==========================================================
``#! setup NAME``        locked code cell that runs set-up (not graded)
``#! answer qN``         the student's answer cell (``### BEGIN/END SOLUTION`` inside)
``#! check qN POINTS``   locked, autograded test cell (``q1.check()`` + hidden tests)
``<!--! task qN -->``    locked markdown cell holding the question text
``<!--! written qN P``   markdown answer graded by hand, worth ``P`` points
=======================  ==========================================================

It never overwrites an existing notebook unless ``--force`` is given.

>>> meta = nbgrader_metadata("check q1 2")
>>> meta["grade_id"], meta["points"], meta["locked"]
('q1-check', 2, True)
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any


def nbgrader_metadata(role_line: str) -> dict[str, Any]:
    """nbgrader cell metadata for a role line such as ``"answer q1"``."""
    parts = role_line.split()
    if not parts:
        raise ValueError("empty role line: write e.g. `#! answer q1`")
    role, rest = parts[0], parts[1:]

    def need(n: int) -> None:
        if len(rest) < n:
            raise ValueError(f"role `{role_line}` needs {n} value(s) after `{role}`")

    if role == "setup":
        meta = dict(grade=False, grade_id=rest[0] if rest else "setup", locked=True, solution=False)
    elif role == "answer":
        need(1)
        meta = dict(grade=False, grade_id=f"{rest[0]}-answer", locked=False, solution=True)
    elif role == "check":
        need(2)
        meta = dict(grade=True, grade_id=f"{rest[0]}-check", locked=True, points=int(rest[1]), solution=False)
    elif role == "written":
        need(2)
        meta = dict(grade=True, grade_id=f"{rest[0]}-written", locked=False, points=int(rest[1]), solution=True)
    elif role == "task":
        need(1)
        meta = dict(grade=False, grade_id=f"{rest[0]}-task", locked=True, solution=False)
    else:
        raise ValueError(f"unknown role `{role}` in `{role_line}`: use setup, answer, check, written or task")
    meta["schema_version"] = 3
    return meta


def draft_to_notebook(src: Path, dest: Path) -> Any:
    """Read the draft script ``src`` and return the clean notebook for ``dest``."""
    import jupytext
    import nbformat

    draft = jupytext.read(src, fmt="py:percent")
    cells = []
    for cell in draft.cells:
        lines = cell.source.split("\n")
        first = lines[0] if lines else ""
        if cell.cell_type == "markdown" and first.startswith("<!--!"):
            first = "#!" + first[5:].replace("-->", "")
        if cell.cell_type == "code" and first.startswith("! "):  # jupytext turns `#!` into `!`
            first = "#" + first
        metadata: dict[str, Any] = {}
        if first.startswith("#!"):
            metadata["nbgrader"] = nbgrader_metadata(first[2:])
            lines = lines[1:]
        text = "\n".join(lines).strip("\n")
        new = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        cells.append(new(text, metadata=metadata))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):  # stable ids: re-drafting changes nothing
        cell["id"] = hashlib.sha1(f"{dest.name}:{i}".encode()).hexdigest()[:8]
    nbformat.validate(nb)
    return nb


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", type=Path, help="draft script (jupytext percent format)")
    parser.add_argument("dest", type=Path, help="notebook to write")
    parser.add_argument("--force", action="store_true", help="overwrite DEST if it exists")


def run(args: argparse.Namespace) -> int:
    import nbformat

    if not args.src.is_file():
        print(f"{args.src}: draft script not found. Give the path of a jupytext percent script (`# %%` cells).")
        return 2
    if args.dest.exists() and not args.force:
        print(f"{args.dest} exists; not overwriting it. Add --force to replace it.")
        return 2
    try:
        nb = draft_to_notebook(args.src, args.dest)
    except ValueError as err:  # a bad role line, or a notebook nbformat rejects
        print(f"{args.src}: {err}. Nothing was written.")
        return 2
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(args.dest))
    print(f"wrote {args.dest} ({len(nb.cells)} cells)")
    return 0
