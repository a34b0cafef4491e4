"""Build the course website (``make site``): lessons with their outputs, exercises, datasheets, guides.

The pages are copied into ``site/_build/src`` (only files whose content changed are rewritten, so
Sphinx re-reads only those), a course map is written as the landing page, and Sphinx with MyST-NB
and sphinx-book-theme (config in ``site/conf.py``) builds ``site/_build/html``. Lessons are
executed through jupyter-cache (``site/_build/jupyter_cache``): a lesson whose code did not change
is never run again, and ``tests/content/test_notebooks.py`` stores each lesson it executes there, so the
test run primes the site build. Exercises are shown as released (not run). Nothing is downloaded.

>>> module_title("03-clustering")
'Module 3: clustering'
>>> rewrite_links("See [the rubric](../solutions/08-capstone/RUBRIC.md).", "exercises/x.md", {"exercises/x.md"}, "me/c")
'See [the rubric](https://github.com/me/c/blob/HEAD/solutions/08-capstone/RUBRIC.md).'
>>> rewrite_links("[data](datasets/README.md#top)", "INSTRUCTORS.md", {"datasets/README.md"}, "me/c")
'[data](datasets/README.md#top)'
"""

from __future__ import annotations

import argparse
import contextlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils.paths import course_root

SITE_DIR = course_root() / "site"
BUILD = SITE_DIR / "_build"
SRC = BUILD / "src"
HTML = BUILD / "html"
DOCTREES = BUILD / "doctrees"
CACHE = BUILD / "jupyter_cache"

# Pages besides the notebooks, as (path in the repository, title in the navigation).
# datasets/INSTRUCTORS.md and datasets/evaluation_only/ are left out: they give the exercises away.
GUIDES = [
    ("datasets/README.md", "Datasheets"),
    ("lessons/glossary.md", "Glossary"),
    ("INSTRUCTORS.md", "Instructor guide"),
    ("CONTRIBUTING.md", "Contributing"),
]
_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s#]+)(#[^)\s]*)?\)")


def module_title(folder: str) -> str:
    """Navigation title of a module folder such as ``03-clustering``."""
    number, _, name = folder.partition("-")
    return f"Module {int(number)}: {name.replace('-', ' ')}"


def rewrite_links(text: str, page: str, staged: set[str], repository: str) -> str:
    """Point relative links of ``page`` that leave the site at the file on GitHub instead."""
    from course_tools.repository import github_url

    def fix(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), match.group(1)))
        if target in staged:
            return match.group(0)
        return f"]({github_url(target, repository)}{match.group(2) or ''})"

    return _LINK.sub(fix, text)


def _learn_lines(readme: str) -> dict[int, str]:
    """Module number -> "You will learn to ..." text, from the README's lesson map (one source)."""
    out = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            out[int(cells[0])] = cells[3]
    return out


def _title(path: Path) -> str:
    """First heading of a notebook or markdown page."""
    import nbformat

    if path.suffix == ".ipynb":
        text = "\n".join(c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^#\s+(.+)$", text, re.M)
    return match.group(1).strip() if match else path.stem


def _pages(root: Path) -> dict[str, list[str]]:
    """Module folder -> its staged pages (lessons first, then the exercise and its extra pages)."""
    modules: dict[str, list[str]] = {}
    for kind in ("lessons", "exercises"):
        for folder in sorted(p for p in (root / kind).iterdir() if p.is_dir() and re.match(r"\d\d-", p.name)):
            files = sorted(p for p in folder.iterdir() if p.suffix in {".ipynb", ".md"})
            files.sort(key=lambda p: p.suffix != ".ipynb")  # the notebook before its rubric
            modules.setdefault(folder.name, []).extend(str(p.relative_to(root)) for p in files)
    return modules


def course_map(root: Path, modules: dict[str, list[str]], guides: list[tuple[str, str]]) -> str:
    """The landing page: what the course is, then each module's lessons and exercise, linked."""
    learn = _learn_lines((root / "README.md").read_text(encoding="utf-8"))
    intro = (SITE_DIR / "index.md").read_text(encoding="utf-8").rstrip()
    parts = [intro, "", "## Course map", ""]
    toctrees = []
    for folder, pages in modules.items():
        number = int(folder.split("-")[0])
        parts += [f"### {module_title(folder)}", ""]
        if number in learn:
            parts += [f"You will learn to {learn[number]}.", ""]
        for page in pages:
            kind = "Exercise" if page.startswith("exercises/") else "Lesson"
            if page.endswith(".md"):
                kind = "Marking rubric"
            parts.append(f"- {kind}: [{_title(root / page)}]({page})")
        parts.append("")
        toctrees += [
            "```{toctree}",
            ":hidden:",
            f":caption: {module_title(folder)}",
            "",
            *(p.rsplit(".", 1)[0] for p in pages),
            "```",
            "",
        ]
    parts += ["## Reference", ""] + [f"- [{title}]({path})" for path, title in guides] + [""]
    toctrees += [
        "```{toctree}",
        ":hidden:",
        ":caption: Reference",
        "",
        *(f"{title} <{path.rsplit('.', 1)[0]}>" for path, title in guides),
        "```",
        "",
    ]
    return "\n".join(parts + toctrees)


def stage(root: Path | None = None, src: Path = SRC) -> list[str]:
    """Copy the site's pages into ``src``, rewriting only what changed; return the page paths."""
    from course_tools.repository import repository

    root = root or course_root()
    modules = _pages(root)
    guides = [(path, title) for path, title in GUIDES if (root / path).is_file()]
    pages = [p for ps in modules.values() for p in ps] + [path for path, _ in guides]
    staged = set(pages)
    name = repository(root)
    wanted: dict[str, bytes] = {}
    for page in pages:
        data = (root / page).read_bytes()
        if page.endswith(".md"):
            data = rewrite_links(data.decode("utf-8"), page, staged, name).encode("utf-8")
        wanted[page] = data
    wanted["index.md"] = course_map(root, modules, guides).encode("utf-8")
    for rel, data in wanted.items():
        target = src / rel
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for old in [p for p in src.rglob("*") if p.is_file() and str(p.relative_to(src)) not in wanted]:
        old.unlink()  # a page removed from the course leaves the site too
    return sorted(wanted)


@dataclass
class Build:
    """What one build did."""

    seconds: float
    pages: int
    megabytes: float
    returncode: int


def build_env() -> dict[str, str]:
    """Environment of the build: one BLAS thread per kernel, figures drawn inline, no network use."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    # The tests set MPLBACKEND=Agg, which draws nothing in a kernel: the site needs the figures.
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@contextlib.contextmanager
def _one_build_at_a_time() -> Iterator[None]:
    """Two builds at once (two terminals, two test workers) wait for each other instead of clashing."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    SITE_DIR.mkdir(exist_ok=True)
    with open(SITE_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(*, fresh: bool = False, quiet: bool = False) -> Build:
    """Stage the pages and run Sphinx; ``fresh`` also forgets every cached execution."""
    with _one_build_at_a_time():
        return _build(fresh=fresh, quiet=quiet)


def _build(*, fresh: bool, quiet: bool) -> Build:
    start = time.perf_counter()
    if fresh and BUILD.exists():
        shutil.rmtree(BUILD)
    stage()
    _drop_old_caches(cache_dir())
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-c",
        str(SITE_DIR),
        "-d",
        str(DOCTREES),
        "-W",
        "--keep-going",
        "-j",
        "1",
        str(SRC),
        str(HTML),
    ]
    if quiet:
        command.insert(3, "-q")
    # Kernels started by jupyter-cache use TCP on 127.0.0.1 and ipykernel warns about it once per
    # lesson: that line says nothing about the site, so it is dropped; everything else is shown.
    with subprocess.Popen(command, env=build_env(), cwd=course_root(), stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "Kernel is running over TCP without encryption" not in line:
                sys.stderr.write(line)
    result = proc
    pages = (
        sum(
            1
            for p in HTML.rglob("*.html")
            if not {"_static", "_sources"} & set(p.relative_to(HTML).parts)
            and p.name not in {"search.html", "genindex.html"}
        )
        if HTML.exists()
        else 0
    )
    size = sum(p.stat().st_size for p in HTML.rglob("*") if p.is_file()) / 2**20 if HTML.exists() else 0.0
    return Build(seconds=time.perf_counter() - start, pages=pages, megabytes=size, returncode=result.returncode)


def cache_dir(root: Path | None = None) -> Path:
    """The execution cache for the current ``course_utils`` code and data.

    jupyter-cache matches a lesson on its code alone, so a change to the helper package or to the
    data (which the lessons import) would otherwise keep showing old outputs: each version of them
    gets its own cache folder, and the folders of older versions are removed.
    """
    import hashlib

    root = root or course_root()
    digest = hashlib.sha256()
    # the student runtime makes the lessons' outputs; course_tools (this builder among them) does not
    files = sorted((root / "course_utils").rglob("*.py")) + sorted(
        p for p in (root / "datasets").rglob("*") if p.is_file() and p.suffix != ".md"
    )
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return CACHE / digest.hexdigest()[:16]


def _drop_old_caches(keep: Path) -> None:
    if CACHE.is_dir():
        for old in CACHE.iterdir():
            if old != keep and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)


def remember_execution(path: Path, notebook: Any) -> bool:
    """Store an executed lesson in the site's execution cache (the tests call this); True if stored.

    The cache is matched on the code cells alone, so the site build reuses this run. It is only a
    time saver: if jupyter-cache is missing or the cache is busy, nothing is stored.
    """
    try:
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn
    except ImportError:
        return False
    import nbformat

    # The file as it is on disk, with the run's outputs: nbclient adds timing metadata to each cell,
    # and the cache matches on cell metadata too.
    clean = nbformat.read(str(path), as_version=4)
    ran = [c for c in notebook.cells if c.cell_type == "code"]
    code = [c for c in clean.cells if c.cell_type == "code"]
    if len(ran) != len(code):
        return False
    for cell, done in zip(code, ran, strict=False):
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
    try:
        get_cache(str(cache_dir())).cache_notebook_bundle(
            CacheBundleIn(nb=clean, uri=str(path), data={"from": "tests"}), check_validity=True, overwrite=True
        )
    except Exception as err:  # noqa: BLE001 - a cache that cannot be written costs time, never a result
        print(f"site cache: {path.name} not stored ({type(err).__name__}: {err})", file=sys.stderr)
        return False
    return True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fresh", action="store_true", help="forget cached executions and rebuild everything")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and the summary")


def run(args: argparse.Namespace) -> int:
    result = build(fresh=args.fresh, quiet=args.quiet)
    where = HTML.relative_to(course_root())
    if result.returncode:
        print(f"The site build reported problems (see the warnings above); pages so far are in {where}/")
        return result.returncode
    print(f"Site built in {result.seconds:.0f} s: {result.pages} pages, {result.megabytes:.1f} MB in {where}/")
    print(f"Look at it: {sys.executable} -m http.server -d {where} 8000, then open http://127.0.0.1:8000/")
    return 0
