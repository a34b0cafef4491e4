"""The glossary (``lessons/glossary.md``) and the lessons' links to it (CONTRIBUTING: lessons).

Every term is defined before first use: a lesson links a term's first use to its glossary entry,
``[term](../glossary.md#anchor)``. Static checks, no notebook is run:

- each entry is a ``### Heading`` followed by ``<a id="anchor"></a>``, the anchor being the heading's
  GitHub-style slug, so the link works on GitHub, in JupyterLab (the explicit id) and on the
  website (MyST heading anchors);
- every glossary link in a lesson points at an entry that exists;
- each entry names the lesson that introduces the term, and that lesson links to it;
- the key terms below are linked to the glossary at their first use in every lesson that uses them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course_tools.notebook_runner import lesson_notebooks
from course_utils.paths import course_root

GLOSSARY = course_root() / "lessons" / "glossary.md"
LESSONS = lesson_notebooks()
ENTRY = re.compile(
    r"^### (?P<heading>[^\n]+)\n<a id=\"(?P<anchor>[^\"]+)\"></a>\n\n(?P<text>.+?)(?=\n### |\n## |\Z)", re.M | re.S
)
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]*glossary\.md)#(?P<anchor>[^)\s]+)\)")
# Text that is not prose: code, links' targets, HTML, maths, headings and further reading.
NOT_PROSE = re.compile(
    r"^#+\s*To go further[\s\S]*|```.*?```|`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]+>|(?<!\\)\$[^$\n]+?(?<!\\)\$|^#+ [^\n]*$",
    re.S | re.M,
)

# Key terms: (glossary anchor, how the lessons write the term). The first use of each, in every
# lesson that uses it, must be linked to its entry.
KEY_TERMS: dict[str, str] = {
    "confusion-matrix": r"confusion\s+matri(?:x|ces)",
    "frobenius-norm": r"Frobenius\s+norm",
    "precision": r"precision",
    "f1-score": r"(?-i:F1)(?:\s+score)?",
    "quasi-identifier": r"quasi-identifiers?",
    "cramérs-v": r"Cramér's\s+V",
    "confidence-interval": r"confidence\s+intervals?",
    "silhouette": r"silhouettes?",
    "davies-bouldin-index": r"Davies-Bouldin(?:\s+index)?",
    "adjusted-rand-index-ari": r"adjusted\s+Rand\s+index|(?-i:ARIs?)",
    "rfm": r"(?-i:RFM)",
    "tf-idf": r"(?-i:TF-IDF)",
    "population-stability-index-psi": r"population\s+stability\s+index|(?-i:PSI)",
    "k-anonymity": r"k-anonym\w+",
    "dbscan": r"(?-i:DBSCAN)",
    "k-means": r"k-means(?!\+\+)",
    "inertia": r"inertia",
    "dendrogram": r"dendrograms?",
    "one-hot-encoding": r"one-hot(?:\s+encod\w+)?",
    "pseudonymisation": r"pseudonymi[sz]\w+",
    "disparate-impact": r"disparate[- ]impact",
    "permutation-importance": r"permutation\s+importances?",
    "roc-auc": r"(?-i:ROC\s+AUC)",
    "p-value": r"p-values?",
}


def glossary_entries() -> dict[str, tuple[str, str]]:
    """anchor -> (heading, definition text) of every glossary entry."""
    return {m["anchor"]: (m["heading"], m["text"]) for m in ENTRY.finditer(GLOSSARY.read_text(encoding="utf-8"))}


def slug(heading: str) -> str:
    """GitHub's heading anchor (MyST uses the same rule).

    >>> slug("Cramér's V"), slug("Adjusted Rand index (ARI)"), slug("k-means++")
    ('cramérs-v', 'adjusted-rand-index-ari', 'k-means')
    """
    text = "".join(ch for ch in heading.strip().lower() if ch.isalnum() or ch in " -_")
    return text.replace(" ", "-")


def markdown_cells(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "markdown"]


def first_use(cells: list[str], pattern: str) -> tuple[str, int, re.Match[str]] | None:
    """The first prose occurrence of ``pattern``: (cell text, cell number, match), or None."""
    term = re.compile(r"(?<![\w\-#/])(?:" + pattern + r")(?![\w\-])", re.I)
    for number, text in enumerate(cells, start=1):
        hidden = [m.span() for m in NOT_PROSE.finditer(text)]
        for match in term.finditer(text):
            if not any(a <= match.start() < b for a, b in hidden):
                return text, number, match
    return None


def linked_to(text: str, match: re.Match[str]) -> str | None:
    """The glossary anchor of the link whose text holds ``match``, if any."""
    for link in LINK.finditer(text):
        if link.start("text") <= match.start() and match.end() <= link.end("text"):
            return link["anchor"]
    return None


def test_the_glossary_has_entries_with_portable_anchors() -> None:
    entries = glossary_entries()
    assert len(entries) >= 100, f"only {len(entries)} entries parsed from {GLOSSARY.name}"
    headings = re.findall(r"^### (.+)$", GLOSSARY.read_text(encoding="utf-8"), re.M)
    assert len(headings) == len(entries), "an entry is not '### Heading' + '<a id=...></a>' + blank line + text"
    wrong = {anchor: heading for anchor, (heading, _) in entries.items() if slug(heading) != anchor}
    assert not wrong, f"anchors that differ from their heading's slug (links break on GitHub or the site): {wrong}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_glossary_link_resolves(path: Path) -> None:
    entries = glossary_entries()
    for text in markdown_cells(path):
        for link in LINK.finditer(text):
            resolved = (path.parent / link["target"]).resolve()
            assert resolved == GLOSSARY.resolve(), (
                f"{path.stem}: {link.group(0)} points at {link['target']}, not ../glossary.md"
            )
            if link["anchor"] not in entries:
                pytest.fail(f"{path.stem}: {link.group(0)} links to a glossary entry that does not exist")


def test_each_entry_names_the_lesson_that_introduces_it() -> None:
    links = {p.stem: {m["anchor"] for text in markdown_cells(p) for m in LINK.finditer(text)} for p in LESSONS}
    for anchor, (heading, text) in glossary_entries().items():
        met = re.search(r"\*Introduced in\* \[(?P<stem>[^\]]+)\]\((?P<rel>[^)]+\.ipynb)\)", text)
        if not met:
            pytest.fail(f"glossary entry {heading!r} does not say which lesson introduces it")
        if not (GLOSSARY.parent / met["rel"]).is_file() or Path(met["rel"]).stem != met["stem"]:
            pytest.fail(f"glossary entry {heading!r}: no lesson {met['rel']}")
        if anchor not in links[met["stem"]]:
            pytest.fail(f"glossary entry {heading!r} names {met['stem']}, which never links to it")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_key_terms_are_linked_at_first_use(path: Path) -> None:
    entries = glossary_entries()
    cells = markdown_cells(path)
    unlinked = []
    for anchor, pattern in KEY_TERMS.items():
        if anchor not in entries:
            pytest.fail(f"key term {anchor!r} has no glossary entry")
        found = first_use(cells, pattern)
        if found and linked_to(found[0], found[2]) != anchor:
            text, number, match = found
            context = " ".join(text[max(0, match.start() - 40) : match.end() + 20].split())
            unlinked.append(f"markdown cell {number}: {match.group(0)!r} (...{context}...)")
    assert not unlinked, (
        f"{path.stem} uses key terms before defining them; link the first use to the glossary "
        f"([term](../glossary.md#anchor)):\n" + "\n".join(unlinked)
    )


def test_first_use_finds_prose_and_skips_code() -> None:
    cells = [
        "## Silhouette\nThe `silhouette_score` and [silhouette](../glossary.md#silhouette) here.",
        "A silhouette again.",
    ]
    text, number, match = first_use(cells, KEY_TERMS["silhouette"])
    assert number == 1 and linked_to(text, match) == "silhouette"
    text, number, match = first_use(["We use the ARI, then the ARI."], KEY_TERMS["adjusted-rand-index-ari"])
    assert linked_to(text, match) is None
