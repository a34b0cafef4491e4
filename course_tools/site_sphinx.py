"""Sphinx extension of the course website: figure alt text, the "Run this lesson" box, formulas.

Alt text: a lesson figure is a notebook output, so it has no alt text of its own. Each one is
followed by a "**What to see:** ..." paragraph (CONTRIBUTING: Figures); the figure gets the plot's
title(s), read from the code that drew it, and that paragraph as its alternative text.

>>> plot_titles('ax.set_title("Spend by segment")\\nfig.suptitle(f"k = {k}: silhouette")')
['Spend by segment', 'k = …: silhouette']
>>> plot_titles('ax.set_title(f"eps={eps}: {len(set(labels) - {-1})} clusters\\\\n{noise} noise")')
['eps=…: … clusters … noise']
>>> plot_titles('ax.legend(title="age band")\\ndf.plot(kind="bar", title="Offers by age")')
['Offers by age']
>>> alt_text(["Spend by segment"], "What to see: bargain hunters spend least.")
'Figure: Spend by segment. What to see: bargain hunters spend least.'

Formulas are turned into MathML when the site is built (``latex2mathml``), which browsers draw
natively and screen readers read: no MathJax, so no script from a CDN and nothing to download.

>>> print(mathml("x^2", display=False).replace("><", ">\\n<"))
<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">
<mrow>
<msup>
<mi>x</mi>
<mn>2</mn>
</msup>
</mrow>
</math>
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes

_TITLE = re.compile(r"""(?:set_title|suptitle|plt\.title)\(\s*f?(["'])(.+?)\1|\btitle=f?(["'])(.+?)\3""")
SEE = "What to see"


def plot_titles(source: str) -> list[str]:
    """Titles a plotting cell gives its figure (``set_title``, ``suptitle``, ``title=``), in order."""
    titles = []
    for match in _TITLE.finditer(source):
        line = source[source.rfind("\n", 0, match.start()) + 1 : match.start()]
        if match.group(4) and "legend(" in line:
            continue  # a legend's title names the colours, not the figure
        text = (match.group(2) or match.group(4)).replace("\\n", " ")
        while re.search(r"\{[^{}]*\}", text):  # f-string fields, innermost first
            text = re.sub(r"\{[^{}]*\}", "…", text)
        text = re.sub(r"…(?:\s*…)+", "…", text).strip()
        if text and text not in titles:
            titles.append(text)
    return titles


def alt_text(titles: list[str], explanation: str | None) -> str:
    """Alternative text from the figure's titles and its "What to see" sentence."""
    head = "Figure: " + "; ".join(titles) + "." if titles else "Figure."
    return f"{head} {explanation.strip()}" if explanation else head


def _is_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node.get("classes", [])


def _explanation(blocks: list[nodes.Element], index: int) -> str | None:
    """The "What to see" paragraph among the few blocks after cell ``index`` (at most 2 cells on)."""
    cells_seen, first = 0, None
    for block in blocks[index + 1 :]:
        if _is_cell(block):
            cells_seen += 1
            if cells_seen > 2:
                break
            continue
        text = " ".join(block.astext().split())
        if text.startswith(SEE):
            return text
        if first is None and cells_seen == 0:
            first = text  # no "What to see" label: the paragraph right under the figure says it
    return first


def add_figure_alt_text(app: Any, doctree: nodes.document) -> None:
    """Give every notebook figure without alt text its titles and "What to see" sentence."""
    blocks = [
        n
        for n in doctree.findall(
            lambda n: _is_cell(n) or (isinstance(n, nodes.paragraph) and not any(_is_cell(a) for a in _ancestors(n)))
        )
    ]
    for index, block in enumerate(blocks):
        if not _is_cell(block):
            continue
        images = [img for img in block.findall(nodes.image) if not img.get("alt")]
        if not images:
            continue
        source = "\n".join(
            lb.astext()
            for lb in block.findall(nodes.literal_block)
            if any("cell_input" in a.get("classes", []) for a in _ancestors(lb))
        )
        text = alt_text(plot_titles(source), _explanation(blocks, index))
        for image in images:
            image["alt"] = text


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def run_box(context: dict[str, Any], docname: str, repository: str) -> str:
    """HTML of the "Run this lesson" box: Binder, the local command, and the notebook to download."""
    from course_tools.repository import binder_url

    path = f"{docname}.ipynb"
    what = "exercise" if docname.startswith("exercises/") else "lesson"
    download = f"{context['pathto']('_sources', 1)}/{path}"
    return (
        f'<aside class="run-lesson" aria-label="Run this {what}">'
        f'<p class="run-lesson-title">Run this {what}</p><ul>'
        f'<li><a class="run-binder" href="{html.escape(binder_url(path, repository))}">Open it in Binder</a>: '
        "in your browser, nothing to install (it can take a few minutes to start).</li>"
        f"<li>On your computer: <code>git clone https://github.com/{html.escape(repository)}.git</code>, "
        f"then <code>make lab</code> in that folder, and open <code>{html.escape(path)}</code>.</li>"
        f'<li><a class="download-notebook" href="{html.escape(download)}" download>Download the notebook</a> '
        f"(<code>{html.escape(path.rsplit('/', 1)[-1])}</code>, without outputs).</li></ul></aside>"
    )


def add_run_box(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Put the "Run this lesson" box under the title of every lesson and exercise notebook page."""
    if not pagename.startswith(("lessons/", "exercises/")) or "body" not in context:
        return
    if app.env.doc2path(pagename).suffix != ".ipynb":
        return
    box = run_box(context, pagename, app.config.html_context["course_repository"])
    context["body"] = re.sub(r"(</h1>)", lambda m: m.group(1) + box, context["body"], count=1)


def mathml(latex: str, *, display: bool) -> str:
    """MathML for a LaTeX formula (inline or as a block)."""
    from latex2mathml.converter import convert

    return convert(latex.strip(), display="block" if display else "inline")


def _formula(translator: Any, node: nodes.Element, display: bool) -> None:
    latex = node.astext()
    try:
        markup = mathml(latex, display=display)
    except Exception as err:  # noqa: BLE001 - say which formula, keep the page
        from sphinx.util import logging

        logging.getLogger(__name__).warning(f"formula {latex!r} cannot be drawn ({err}): simplify it", location=node)
        markup = f"<code>{html.escape(latex)}</code>"
    tag = "div" if display else "span"
    translator.body.append(f'<{tag} class="math">{markup}</{tag}>')
    raise nodes.SkipNode


def visit_math(translator: Any, node: nodes.Element) -> None:
    _formula(translator, node, display=False)


def visit_displaymath(translator: Any, node: nodes.Element) -> None:
    _formula(translator, node, display=True)


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-read", add_figure_alt_text)
    app.connect("html-page-context", add_run_box)
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
