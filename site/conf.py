"""Sphinx configuration of the course website (``make site``; see ``course_tools/site.py``).

Sphinx + MyST-NB + sphinx-book-theme build offline (Jupyter Book 2 / mystmd downloads its theme
at build time). ``course_tools.site`` copies the pages into ``site/_build/src`` and runs
``sphinx-build -c site site/_build/src site/_build/html``.
"""

from __future__ import annotations

from course_tools.repository import repository
from course_tools.site import SITE_DIR, cache_dir

project = "Customer Segmentation with Machine Learning"
author = "Customer Segmentation course authors"
copyright = "the course authors; text CC BY 4.0, code MIT"
language = "en"

extensions = ["myst_nb", "sphinx.ext.githubpages", "course_tools.site_sphinx"]  # githubpages: .nojekyll
root_doc = "index"
exclude_patterns = ["**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- notebooks: executed through jupyter-cache, so unchanged lessons are never run again -----------
nb_execution_mode = "cache"
nb_execution_cache_path = str(cache_dir())  # one per version of course_utils and the data
nb_execution_excludepatterns = ["exercises/*/*.ipynb"]  # student notebooks are shown as released, unrun
nb_execution_in_temp = True  # as the tests and nbgrader run them: not from their own folder
nb_execution_timeout = 300
nb_execution_raise_on_error = True  # a lesson that fails breaks the build, not a page with a traceback
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3

# Formulas: MathML made at build time (course_tools.site_sphinx), not MathJax from a CDN.
html_math_renderer = "mathml"
myst_update_mathjax = False

# --- theme ----------------------------------------------------------------------------------------
REPOSITORY = repository()
html_theme = "sphinx_book_theme"
html_title = "Customer Segmentation with Machine Learning"
html_static_path = [str(SITE_DIR / "_static")]
html_css_files = ["course.css"]
html_favicon = str(SITE_DIR / "_static" / "favicon.svg")  # without one, Chromium logs a 404 for /favicon.ico
html_last_updated_fmt = None
html_use_index = False  # the course has no index entries: the page would be empty
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": "HEAD",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
# default_mode: a fresh browser gets the light theme (the figures are drawn on white), and the
# theme logs no "invalid theme mode" error.
html_context = {"course_repository": REPOSITORY, "default_mode": "light"}
