"""``python -m course_tools notebooks``: lessons and solutions kept as text, notebooks made from it.

Every notebook in ``lessons/`` and ``solutions/`` has a text source under ``notebook-sources/`` at
the same path, with ``.py`` for ``.ipynb``: a jupytext "percent" script. ``# %%`` starts a code
cell, ``# %% [markdown]`` a markdown cell (its lines start with ``# ``), and the rest of the cell's
first line holds its id and metadata, nbgrader's included, as ``key=value`` (JSON values). The
notebooks are generated from the sources and committed (Binder, nbgrader and the site read them);
the generated notebook is byte for byte what nbformat writes, so a source and its notebook agree
exactly or not at all (``tests/content/test_text_sources.py``).

- ``python -m course_tools notebooks`` (``make notebooks``): write every notebook whose source
  changed. It refuses to overwrite a notebook that differs and is newer than its source (edited
  in JupyterLab?): keep those edits with ``--from-ipynb``, or discard them with ``--force``.
- ``python -m course_tools notebooks --from-ipynb [PATH ...]``: the other way, write the sources
  of the given notebooks (all when none given) from the notebooks.
- ``--check``: only list what disagrees; exit 1 if anything does.

A cell written in a source without an ``id=`` gets a stable one made from its position, and the
source is rewritten with it, so the id never changes afterwards.

>>> source_for(course_root() / "lessons/00-welcome/00-welcome.ipynb").relative_to(course_root()).as_posix()
'notebook-sources/lessons/00-welcome/00-welcome.py'
>>> text = notebook_to_text(text_to_notebook("# %% [markdown]\\n# # Title\\n\\n# %%\\nx = 1\\n", "a.ipynb"))
>>> print(text.strip())
# %% [markdown] id="46e57eea"
# # Title
<BLANKLINE>
# %% id="2a7c05e7"
x = 1
"""

from __future__ import annotations

import argparse
import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils.paths import course_root

SOURCES = "notebook-sources"
FOLDERS = ("lessons", "solutions")
FORMAT = "py:percent"
SUFFIX = ".py"
#: Keep every notebook and cell metadata key in the text, except jupytext's own.
_FILTERS = {"notebook_metadata_filter": "all,-jupytext", "cell_metadata_filter": "all"}
#: Cell metadata that jupytext adds when it reads text (blank-line counts...): not for the notebook.
_JUPYTEXT_CELL_KEYS = ("title", "lines_to_next_cell", "cell_depth", "lines_to_end_of_cell_marker")


def source_for(notebook: Path, root: Path | None = None) -> Path:
    """The text source of ``notebook`` (a path under ``lessons/`` or ``solutions/``)."""
    root = root or course_root()
    return root / SOURCES / Path(notebook).resolve().relative_to(root.resolve()).with_suffix(SUFFIX)


def notebook_for(source: Path, root: Path | None = None) -> Path:
    """The notebook generated from ``source`` (a path under ``notebook-sources/``)."""
    root = root or course_root()
    return root / Path(source).resolve().relative_to((root / SOURCES).resolve()).with_suffix(".ipynb")


def render(nb: Any) -> str:
    """The notebook as committed: nbformat's JSON layout and a final newline."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def notebook_to_text(nb: Any) -> str:
    """The py:percent text of notebook ``nb`` (cell ids kept as the first metadata key)."""
    import jupytext

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata = {"id": cell.pop("id"), **cell.metadata}
    nb.metadata["jupytext"] = dict(_FILTERS)
    return jupytext.writes(nb, fmt=FORMAT)


def text_to_notebook(text: str, name: str) -> Any:
    """The notebook the py:percent ``text`` describes; ``name`` seeds the ids of cells that have none."""
    import jupytext
    import nbformat

    nb = jupytext.reads(text, fmt=FORMAT)
    nb.metadata.pop("jupytext", None)
    taken: set[str] = set()
    for i, cell in enumerate(nb.cells, 1):
        if "id" not in cell.metadata:
            continue
        if cell.metadata["id"] in taken:
            raise ValueError(
                f"cell {i} repeats the id {cell.metadata['id']!r} of an earlier cell: "
                "delete the copy's id=..., and `make notebooks` gives it a new one"
            )
        taken.add(cell.metadata["id"])
    for i, cell in enumerate(nb.cells):
        for key in _JUPYTEXT_CELL_KEYS:
            cell.metadata.pop(key, None)
        cell_id, salt = cell.metadata.pop("id", None), 0
        while cell_id is None:  # a new cell: an id from its place, unlike any other in the notebook
            cell_id = hashlib.sha1(f"{name}:{i}:{salt}".encode()).hexdigest()[:8]
            cell_id, salt = (None if cell_id in taken else cell_id), salt + 1
        taken.add(cell_id)
        cell["id"] = cell_id
    nbformat.validate(nb)
    return nb


class Refused(Exception):
    """A notebook was not written, to keep someone's edits; the message says what to run."""


@dataclass(frozen=True)
class Pair:
    """A notebook and its text source; either may be missing."""

    notebook: Path
    source: Path


def pairs(root: Path | None = None) -> list[Pair]:
    """Every notebook of ``lessons/`` and ``solutions/`` and every source, matched, in path order."""
    root = root or course_root()
    found: dict[Path, Pair] = {}
    for folder in FOLDERS:
        for nb in (root / folder).rglob("*.ipynb"):
            if ".ipynb_checkpoints" not in nb.parts:
                found[nb] = Pair(nb, source_for(nb, root))
        for src in (root / SOURCES / folder).rglob(f"*{SUFFIX}"):
            nb = notebook_for(src, root)
            if ".ipynb_checkpoints" not in src.parts and "__pycache__" not in src.parts:
                found[nb] = Pair(nb, src)
    return [found[k] for k in sorted(found)]


def disagreement(pair: Pair, root: Path | None = None) -> str | None:
    """Why ``pair`` is out of step (with the command that fixes it), or ``None`` when it agrees."""
    root = root or course_root()
    nb, src = (str(p.relative_to(root)) for p in (pair.notebook, pair.source))
    if not pair.source.exists():
        return f"{nb} has no text source {src}: run `.venv/bin/python -m course_tools notebooks --from-ipynb {nb}`"
    text = pair.source.read_text(encoding="utf-8")
    try:
        generated = text_to_notebook(text, pair.notebook.name)
    except Exception as err:  # jupytext or nbformat refusing the text: say where
        return f"{src} does not make a valid notebook ({err}): fix it, then run `make notebooks`"
    fix = (
        f"run `make notebooks` if you edited {src}, or "
        f"`.venv/bin/python -m course_tools notebooks --from-ipynb {nb}` if you edited the notebook"
    )
    if not pair.notebook.exists():
        return f"{src} has no notebook {nb}: run `make notebooks`"
    committed = pair.notebook.read_text(encoding="utf-8")
    if render(generated) != committed:
        import nbformat

        where = first_difference(generated, nbformat.reads(committed, as_version=4))
        return f"{nb} differs from its text source {src} ({where}): {fix}"
    if notebook_to_text(generated) != text:
        return f"{src} is not in canonical form (new cells without ids?): run `make notebooks`"
    return None


def _selected(paths: list[Path], root: Path) -> list[Pair]:
    """The pairs a notebook, a source or a folder in ``paths`` names (all pairs when none)."""
    every = pairs(root)
    if not paths:
        return every
    wanted = {Path(p).resolve() for p in paths}

    def named(pair: Pair) -> bool:
        places = {pair.notebook.resolve(), pair.source.resolve()}
        return any(w in places or any(w in p.parents for p in places) for w in wanted)

    chosen = [pair for pair in every if named(pair)]
    if not chosen:
        raise SystemExit(f"no lesson or solution notebook, nor source in {SOURCES}/, in {', '.join(map(str, paths))}")
    return chosen


def first_difference(ours: Any, theirs: Any) -> str:
    """Where notebook ``ours`` first differs from ``theirs``, in words.

    >>> import nbformat
    >>> a = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id="c1")])
    >>> b = copy.deepcopy(a); b.cells[0].source = "x = 2"
    >>> first_difference(a, b)
    'cell 1 (id c1): source differs'
    """
    if ours.metadata != theirs.metadata:
        return "notebook metadata differs"
    for i, (a, b) in enumerate(zip(ours.cells, theirs.cells, strict=False), 1):
        for key in ("id", "cell_type", "source", "metadata", "outputs", "execution_count"):
            if a.get(key) != b.get(key):
                return f"cell {i} (id {b.get('id')}): {key.replace('_', ' ')} differs"
    if len(ours.cells) != len(theirs.cells):
        return f"{len(ours.cells)} cells against {len(theirs.cells)}"
    return "JSON layout differs"


def sync_to_notebooks(pair: Pair, force: bool = False) -> str | None:
    """Write ``pair``'s notebook (and canonical source) from its source; say what was done."""
    if not pair.source.exists():
        return None
    text = pair.source.read_text(encoding="utf-8")
    nb = text_to_notebook(text, pair.notebook.name)
    fresh, said = render(nb), []
    if not pair.notebook.exists() or pair.notebook.read_text(encoding="utf-8") != fresh:
        if pair.notebook.exists() and not force and pair.notebook.stat().st_mtime > pair.source.stat().st_mtime:
            raise Refused(
                f"{pair.notebook} differs from {pair.source} and is newer: did you edit the notebook? "
                f"Keep its edits with `.venv/bin/python -m course_tools notebooks --from-ipynb {pair.notebook}`, "
                f"or discard them with `.venv/bin/python -m course_tools notebooks --force {pair.source}`. "
                "Nothing was written."
            )
        pair.notebook.parent.mkdir(parents=True, exist_ok=True)
        pair.notebook.write_text(fresh, encoding="utf-8")
        said.append(f"wrote {pair.notebook}")
    canonical = notebook_to_text(nb)
    if canonical != text:
        pair.source.write_text(canonical, encoding="utf-8")
        said.append(f"rewrote {pair.source} in canonical form")
    return "; ".join(said) or None


def sync_to_sources(pair: Pair) -> str | None:
    """Write ``pair``'s source from its notebook; say what was done."""
    import nbformat

    if not pair.notebook.exists():
        return None
    text = notebook_to_text(nbformat.read(str(pair.notebook), as_version=4))
    if pair.source.exists() and pair.source.read_text(encoding="utf-8") == text:
        return None
    pair.source.parent.mkdir(parents=True, exist_ok=True)
    pair.source.write_text(text, encoding="utf-8")
    return f"wrote {pair.source}"


def _short(path: Path, root: Path) -> Path:
    """``path`` relative to the course when the current folder is the course (shorter messages)."""
    try:
        return path.relative_to(Path.cwd()) if root.resolve() == Path.cwd().resolve() else path
    except ValueError:
        return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks, sources or folders (default: all)")
    way = parser.add_mutually_exclusive_group()
    way.add_argument("--from-ipynb", action="store_true", help="write the text sources from the notebooks instead")
    way.add_argument("--check", action="store_true", help="only list notebooks and sources that disagree")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks edited after their source")


def run(args: argparse.Namespace) -> int:
    root = course_root()
    chosen = _selected(args.paths, root)
    if not args.check:
        chosen = [Pair(_short(p.notebook, root), _short(p.source, root)) for p in chosen]
    if args.check:
        problems = [why for why in map(disagreement, chosen) if why]
        print("\n".join(problems) or f"{len(chosen)} notebooks agree with their text sources")
        return 1 if problems else 0
    done, refused = [], []
    for pair in chosen:
        try:
            said = sync_to_sources(pair) if args.from_ipynb else sync_to_notebooks(pair, args.force)
        except Refused as err:
            refused.append(str(err))
            continue
        except Exception as err:  # a source jupytext or nbformat rejects: name it, go on with the rest
            refused.append(f"{pair.source}: {err}. Nothing was written for it.")
            continue
        if said:
            done.append(said)
    print("\n".join(done + refused) or f"{len(chosen)} notebooks already agree with their text sources")
    return 2 if refused else 0
