"""The course website (``make site``): it builds offline, and a real Chromium finds every page whole.

The build is the real one (``course_tools.site.build``, what ``make site`` runs). Lessons come out
of the execution cache that ``tests/content/test_notebooks.py`` fills as it runs them, so in a full
``make test`` the site costs Sphinx's time plus whatever lesson it had not reached yet.

The browser test serves the built site with ``python -m http.server`` on 127.0.0.1 and opens every
page in Debian's Chromium (``tests/support/browser.py``): no console error, no request leaves 127.0.0.1,
every image loads and has real alt text, every internal link and anchor resolves, headings go in
order, each lesson shows its objectives, its figures and a "Run this lesson" box whose Binder link
and download point at the right notebook, and search finds "silhouette". Screenshots of every
page: ``test-artifacts/screenshots/site/``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_tools import site
from course_tools.notebook_runner import lesson_notebooks
from course_tools.repository import (
    PLACEHOLDER,
    binder_url,
    readme_badge_repository,
    repository,
    set_repository,
)
from course_utils.paths import course_root
from course_utils.plotting import EDGE, OKABE_ITO, contrast_ratio
from tests.support.browser import chromium_context, shoot, static_server, watch_console

ROOT = course_root()
LESSONS = [str(p.relative_to(ROOT)) for p in lesson_notebooks()]
EXERCISES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "exercises").glob("*/*.ipynb"))
# Lessons whose code draws a figure (the same test as tests/content/test_figures_explained.py).
DRAWS = re.compile(
    r"plt\.subplots|\.plot\(|\.plot\.\w+\(|sns\.\w+plot\(|sns\.heatmap\(|\.hist\(|\.scatter\(|dendrogram\("
)


def _html(page: str) -> str:
    return page.rsplit(".", 1)[0] + ".html"


# --- the one repository setting -------------------------------------------------------------------


def test_readme_binder_badge_names_the_repository_setting() -> None:
    assert readme_badge_repository() == repository(), (
        "the README's Binder badge and [tool.course] repository in pyproject.toml disagree: "
        f"run python -m course_tools repository {repository()}"
    )


def test_setting_the_repository_rewrites_setting_and_badge(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "README.md"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    set_repository("my-school/segments", tmp_path)
    assert repository(tmp_path) == "my-school/segments"
    assert readme_badge_repository(tmp_path) == "my-school/segments"
    assert PLACEHOLDER not in (tmp_path / "README.md").read_text()
    with pytest.raises(ValueError, match="OWNER/NAME"):
        set_repository("not a repository", tmp_path)


# --- contrast of the course's colours -------------------------------------------------------------


def test_course_palette_contrast_on_figure_background() -> None:
    import matplotlib as mpl

    from course_utils.plotting import use_course_style

    with mpl.rc_context():
        use_course_style()
        rc = mpl.rcParams
        background = mpl.colors.to_hex(rc["axes.facecolor"])
        for key in ("text.color", "axes.labelcolor", "xtick.labelcolor", "ytick.labelcolor"):
            colour = rc[key] if rc[key] != "inherit" else rc[key.replace("labelcolor", "color")]
            ratio = contrast_ratio(mpl.colors.to_hex(colour), background)
            assert ratio >= 4.5, f"{key} {colour} has contrast {ratio:.1f}:1 on {background}; text needs 4.5:1"
        light = [c for c in OKABE_ITO if contrast_ratio(c, background) < 3]
        if light:  # WCAG 1.4.11: graphics need 3:1; light fills must then be outlined
            assert rc["patch.force_edgecolor"], f"{light} are below 3:1 on {background} and bars are not outlined"
            edge = mpl.colors.to_hex(rc["patch.edgecolor"])
            assert edge == EDGE and contrast_ratio(edge, background) >= 3, f"bar outline {edge} is too light"
    dark = [c for c in OKABE_ITO if contrast_ratio(c, "#FFFFFF") >= 3]
    assert len(dark) >= 4, "fewer than four palette colours reach 3:1 for lines and markers"


# --- the build ------------------------------------------------------------------------------------


def _build() -> Path:
    result = site.build(quiet=True)
    assert result.returncode == 0, "make site failed: the Sphinx warnings and errors are printed above"
    print(f"site built in {result.seconds:.1f} s: {result.pages} pages, {result.megabytes:.1f} MB")
    return site.HTML


def _check_every_page_and_no_solution(built: Path) -> None:
    pages = [*LESSONS, *EXERCISES, "datasets/README.md", "INSTRUCTORS.md", "CONTRIBUTING.md"]
    if (ROOT / "lessons" / "glossary.md").is_file():
        pages.append("lessons/glossary.md")
    absent = [p for p in pages if not (built / _html(p)).is_file()]
    assert not absent, f"the site has no page for {absent}"
    assert (built / "index.html").is_file() and (built / "search.html").is_file()
    leaked = [
        str(p.relative_to(built))
        for p in built.rglob("*")
        if "solutions" in p.parts or p.name == "segments.csv" or "evaluation_only" in p.parts
    ]
    assert not leaked, f"solutions or evaluation-only data on the public site: {leaked}"
    for exercise in EXERCISES:
        text = (built / _html(exercise)).read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, exercise
        assert 'class="cell_output' not in text, f"{exercise} was executed: the site shows exercises as released"


def _check_lessons_executed_with_figures_and_cached(built: Path) -> None:
    from jupyter_cache import get_cache

    cache = get_cache(str(site.cache_dir()))
    for lesson in LESSONS:
        text = (built / _html(lesson)).read_text()
        assert 'class="cell_output' in text, f"{lesson} shows no outputs"
        source = nbformat.read(str(ROOT / lesson), as_version=4)
        if any(c.cell_type == "code" and DRAWS.search(c.source) for c in source.cells):
            assert re.search(r'<img[^>]+alt="Figure', text), f"{lesson} draws figures but its page shows none"
        # A rebuild (new theme, fresh html folder) would run nothing: every lesson is in the cache.
        assert cache.match_cache_notebook(source), f"{lesson} is not in the execution cache"


# --- in a real browser ----------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """Every id of an HTML page (for checking #anchors)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k in {"id", "name"} and v)


def _ids(path: Path, memo: dict[Path, set[str]]) -> set[str]:
    if path not in memo:
        parser = _Anchors()
        parser.feed(path.read_text(errors="replace"))
        memo[path] = parser.ids
    return memo[path]


PAGE_FACTS = """() => {
  const main = document.querySelector('main') || document.body;
  return {
    images: [...document.images].map(i => ({src: i.currentSrc || i.src, alt: i.getAttribute('alt'),
      ok: i.complete && i.naturalWidth > 0, inMain: main.contains(i)})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    headings: [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.offsetParent !== null)
      .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
    text: main.innerText,
    binder: [...document.querySelectorAll('a.run-binder')].map(a => a.href),
    download: [...document.querySelectorAll('a.download-notebook')].map(a => a.href),
    colours: [getComputedStyle(main.querySelector('p') || main).color,
              getComputedStyle(document.body).backgroundColor],
  };
}"""


def _rgb_hex(css: str) -> str:
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


@pytest.mark.slow
def test_site_builds_and_every_page_works_in_chromium(tmp_path: Path) -> None:
    """One test, so that one worker builds the site (pytest 9.2 broke xdist's loadgroup).

    The build and its checks run first: without Chromium (off CI) only the browser part skips.
    """
    built = _build()
    _check_every_page_and_no_solution(built)
    _check_lessons_executed_with_figures_and_cached(built)
    with chromium_context(tmp_path / "chromium-profile") as browser_context:
        _walk_every_page(built, browser_context, tmp_path)


def _walk_every_page(built: Path, browser_context: Any, tmp_path: Path) -> None:
    pages = sorted(
        str(p.relative_to(built))
        for p in built.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(built).parts)
    )
    start = time.perf_counter()
    problems: list[str] = []
    memo: dict[Path, set[str]] = {}
    with static_server(built, tmp_path) as base:
        page = browser_context.new_page()
        errors = watch_console(page)
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
        for number, rel in enumerate(pages, 1):
            errors.clear()
            reply = page.goto(f"{base}/{rel}", wait_until="load")
            assert reply and reply.ok, f"{rel}: HTTP {reply.status if reply else 'no reply'}"
            page.wait_for_timeout(150)  # let the theme's scripts run (errors show up here)
            shoot(page, "site", f"{number:02d} {rel.removesuffix('.html')}", forbid=(".error-page",))
            facts = page.evaluate(PAGE_FACTS)
            problems += [f"{rel}: {e}" for e in errors]
            for image in facts["images"]:
                if not image["ok"]:
                    problems.append(f"{rel}: image {image['src']} did not load")
                alt = (image["alt"] or "").strip()
                if image["inMain"] and (len(alt) < 10 or re.search(r"\.(png|svg|jpe?g)$", alt)):
                    problems.append(f"{rel}: image {image['src']} has no real alt text ({alt!r})")
            levels = [h[0] for h in facts["headings"]]
            if levels.count(1) != 1:
                problems.append(f"{rel}: {levels.count(1)} h1 headings (one title per page)")
            problems += [
                f"{rel}: heading {title!r} jumps from h{before} to h{level}"
                for (before, _), (level, title) in zip(facts["headings"], facts["headings"][1:], strict=False)
                if level > before + 1
            ]
            for link in facts["links"]:
                url = urllib.parse.urlsplit(link)
                if not link.startswith(base):
                    continue
                target = built / urllib.parse.unquote(url.path.lstrip("/"))
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    problems.append(f"{rel}: link to missing {url.path}")
                elif url.fragment and target.suffix == ".html" and url.fragment not in _ids(target, memo):
                    problems.append(f"{rel}: link to missing anchor {url.path}#{url.fragment}")
            text_colour, background = (_rgb_hex(c) for c in facts["colours"])
            if contrast_ratio(text_colour, background) < 4.5:
                problems.append(f"{rel}: text {text_colour} on {background} is below 4.5:1")
            source = rel.removesuffix(".html") + ".ipynb"
            figure = page.locator(".cell_output img").first
            if source in LESSONS and figure.count():
                figure.scroll_into_view_if_needed()
                shoot(page, "site", f"{number:02d} {rel.removesuffix('.html')} first figure")
            if source in LESSONS or source in EXERCISES:
                if source in LESSONS and "What you will learn" not in facts["text"]:
                    problems.append(f"{rel}: the lesson's objectives ('What you will learn') are not shown")
                if facts["binder"] != [binder_url(source)]:
                    problems.append(f"{rel}: Binder link {facts['binder']} should open {source}")
                if len(facts["download"]) != 1:
                    problems.append(f"{rel}: {len(facts['download'])} download links")
                else:
                    got = page.request.get(facts["download"][0])
                    if not got.ok or json.loads(got.body()) != json.loads((ROOT / source).read_bytes()):
                        problems.append(f"{rel}: the download is not {source} as in the repository")
        problems += [f"a request left 127.0.0.1: {u}" for u in sorted(set(outside))]

        page.goto(f"{base}/search.html?q=silhouette", wait_until="load")
        hits = page.locator("#search-results li a")
        hits.first.wait_for(state="visible")
        found = [hits.nth(i).get_attribute("href") or "" for i in range(hits.count())]
        shoot(page, "site", "99 search silhouette")
        assert any("04a-internal-metrics-and-stability" in h for h in found), f"search for silhouette found {found}"
    print(f"{len(pages)} pages checked in Chromium in {time.perf_counter() - start:.1f} s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
