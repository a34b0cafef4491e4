"""Every number a lesson's prose states is printed by the lesson (CONTRIBUTING: lessons).

The test reads each lesson's markdown, keeps the numbers that state a result (a decimal point, a
percentage, a thousands separator, or three digits or more; not years, dates, headings, code,
references or links) and looks for each among the numbers the executed notebook printed, allowing
for the printed value's formatting: ``0.851`` is found in ``0.8512``, ``1,406`` in ``1406``,
``12%`` in ``0.12`` or ``12.0%``, and a round ``5,000`` in ``4,987``. A number that a code cell
writes literally (``sample(10_000)``, ``quantity > 100``) is the lesson's own setting and counts as
shown. The lessons are executed once per test run (``tests/support/lesson_runs.py``, also across
``pytest -n`` workers), shared with ``tests/content/test_notebooks.py``.

>>> [s.text for s in stated_numbers("ARI 0.851 on 1,406 customers (12%), in 1997, cell 12, `k=123`")]
['0.851', '1,406', '12%']
>>> shown(stated_numbers("about 0.34")[0], printed_values("silhouette 0.3412"))
True
>>> shown(stated_numbers("12%")[0], printed_values("share 0.1203"))
True
>>> shown(stated_numbers("0.851")[0], printed_values("0.85"))
False
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.lesson_runs import lesson_id, lesson_params, lesson_run  # noqa: F401 (lesson_run is a fixture)

# (lesson file name, number as written) -> why the notebook does not need to print it.
_BENCH_7C = (
    "the measured engines table of `make bench` (pandas, DuckDB, Spark at SCALE 1/20/100): "
    "too slow to run in the lesson"
)
_BENCH_7C_SCALE1 = (
    "the SCALE-1 re-run of `course_tools.rfm_engines` (first and repeat RFM, CPU time) quoted in 7c's last "
    "section: fresh processes, too slow to run in the lesson"
)
ALLOWED: dict[tuple[str, str], str] = {
    ("03b-hierarchical-dbscan.ipynb", "0.34"): "Larkspur's k = 5 silhouette, printed by 03a (0.338), quoted to compare",
    ("06b-fairness-transparency.ipynb", "95%"): "the usual confidence level, part of defining a confidence interval",
    ("07c-spark-beyond-one-machine.ipynb", "0.1"): "lesson 7b's PSI thresholds, quoted (7b prints and explains them)",
    ("07c-spark-beyond-one-machine.ipynb", "0.25"): "lesson 7b's PSI thresholds, quoted (7b prints and explains them)",
    (
        "07c-spark-beyond-one-machine.ipynb",
        "0.6",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "1,931",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "1,952,296",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "1.2",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "11.8",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "1239",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "128.5",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "140",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "165.6",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "2.1",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "2.9",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "202.4",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "248.4",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "28.4",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "3.6",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "32.3",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "341",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "4.6",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "43.9",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "467",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "500,000",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "511",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "645",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "753",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "80.2",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "81.6",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "83.4",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "9,732,825",
    ): _BENCH_7C,
    (
        "07c-spark-beyond-one-machine.ipynb",
        "9.7",
    ): _BENCH_7C,
    ("07c-spark-beyond-one-machine.ipynb", "6.6"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "0.9"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "0.5"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "9.8"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "4.9"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "1.7"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "1.8"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "147"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "101.4"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "54.8"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "13.4"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "35.9"): _BENCH_7C_SCALE1,
    ("07c-spark-beyond-one-machine.ipynb", "525"): _BENCH_7C_SCALE1,
}

_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[-−]\s?)?[£$€]?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<pct>\s?%)?(?![\w])"
)
_PRINTED = re.compile(r"(?<![\w.])[-−]?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(\s?%)?")
_CODE_LITERAL = re.compile(r"(?<![\w.])(\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)")
# Text that holds numbers which are not results: dates, times, references, ranges of pages...
_NOT_RESULTS = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"),  # ISO dates
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}(?: \d{2}:\d{2})?"),  # UK dates
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),  # times of day
    re.compile(r"\b\d+\(\d+\)"),  # journal volume(issue)
    re.compile(r"\b\d{4}/\d+\b"),  # EU regulations and directives: 2016/679
    re.compile(r"\b\d+ CFR [\d.]+"),  # US regulations: 29 CFR 1607.4
    re.compile(r"\b[A-Za-z]+-\d+\b"),  # names with a number: SHA-256, CoIL-2000
    re.compile(
        r"\b(?:cells?|figures?|sections?|steps?|modules?|lessons?|questions?|chapters?|q)\s+\d+(?:\s*(?:and|-|,)\s*\d+)*",
        re.I,
    ),
]
_TO_GO_FURTHER = re.compile(r"^#+\s*To go further.*", re.I | re.S | re.M)


@dataclass(frozen=True)
class Stated:
    """A number as the prose writes it."""

    text: str
    value: float  # absolute value, in the unit written (12% -> 12.0)
    step: float  # the precision written: 0.851 -> 0.001, 1,100 -> 100, 12% -> 1
    percent: bool


def _precision(num: str, percent: bool) -> float:
    """The unit of the last digit written; a round integer (not a percentage) is read as rounded."""
    digits = num.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    if percent:
        return 1.0
    trailing = len(digits) - len(digits.rstrip("0"))
    return 10.0 ** min(trailing, len(digits) - 1)


def _is_result(num: str, percent: bool) -> bool:
    """Decimals, percentages, thousands separators and integers of three digits or more, not years."""
    if percent or "." in num or "," in num:
        return True
    return len(num) >= 3 and not (len(num) == 4 and 1900 <= int(num) <= 2100)


def prose(markdown: str) -> str:
    """The running text of a markdown cell: no headings, code, links, dates or references."""
    text = _TO_GO_FURTHER.sub("", markdown)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for pattern in _NOT_RESULTS:
        text = pattern.sub(" ", text)
    return text


def stated_numbers(markdown: str) -> list[Stated]:
    """The result-like numbers of one markdown cell, in order."""
    found = []
    for match in _NUMBER.finditer(prose(markdown)):
        num, percent = match["num"], bool(match["pct"])
        if _is_result(num, percent):
            found.append(Stated(match.group(0).strip(), float(num.replace(",", "")), _precision(num, percent), percent))
    return found


def printed_values(text: str) -> set[float]:
    """Every number in printed text, as absolute values; a percentage also as its fraction."""
    values: set[float] = set()
    for match in _PRINTED.finditer(text):
        value = abs(float(match[1].replace(",", "")))
        values.add(value)
        if match[2]:
            values.add(value / 100)
    return values


def code_values(source: str) -> set[float]:
    """The numeric literals a code cell writes (``10_000``, ``0.999``)."""
    return {abs(float(m[1].replace("_", ""))) for m in _CODE_LITERAL.finditer(source)}


def shown(stated: Stated, values: Iterable[float]) -> bool:
    """True when some value, rounded to the stated precision (or read as a share), is the number."""
    half = stated.step / 2 + 1e-9 * max(1.0, stated.value)
    for value in values:
        for candidate in (value, value * 100) if stated.percent or stated.value < 100 else (value,):
            if abs(candidate - stated.value) <= half:
                return True
    return False


def _outputs_text(cell: Any) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") in {"execute_result", "display_data"}:
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def unprinted(notebook: Any, name: str) -> list[str]:
    """``cell N: number (context)`` for each stated number the notebook neither prints nor sets."""
    values: set[float] = set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            values |= printed_values(_outputs_text(cell)) | code_values(cell.source)
    missing = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        for stated in stated_numbers(cell.source):
            if (name, stated.text) in ALLOWED or shown(stated, values):
                continue
            at = cell.source.find(stated.text)
            context = " ".join(cell.source[max(0, at - 50) : at + len(stated.text) + 30].split())
            missing.append(f"cell {index}: {stated.text} (...{context}...)")
    return missing


@pytest.mark.parametrize("path", lesson_params())
def test_every_stated_number_is_printed(path: Path, lesson_run) -> None:
    result = lesson_run(path)
    assert result.error is None, f"{lesson_id(path)} failed at {result.error}"
    missing = unprinted(result.notebook, path.name)
    assert not missing, (
        f"{lesson_id(path)} states numbers it does not print; fix the prose, or print the number "
        "(or allow-list it in this file with a reason):\n" + "\n".join(missing)
    )


def test_allowed_numbers_are_still_in_the_prose() -> None:
    """An allow-list entry whose number left the prose is stale: remove it."""
    import nbformat

    from tests.support.lesson_runs import LESSONS

    stated = {
        (path.name, s.text)
        for path in LESSONS
        for cell in nbformat.read(str(path), as_version=4).cells
        if cell.cell_type == "markdown"
        for s in stated_numbers(cell.source)
    }
    assert not set(ALLOWED) - stated, f"stale allow-list entries: {sorted(set(ALLOWED) - stated)}"


def test_the_extraction_keeps_results_and_skips_the_rest() -> None:
    text = (
        "## k = 5 is chosen\nThe ARI is 0.851 (85%) for 1,406 of 3,413 columns and 250 days, "
        "2 runs, in 1997, on 1997-11-23, see cell 12 and module 3, `n_init=10`, [doc](a/123.html).\n"
        "Regulation (EU) 2016/679, SHA-256, 29 CFR 1607.4(D).\n"
        "## To go further\n- Fader (2005), *Marketing Science* 24(2), 275-284."
    )
    assert [s.text for s in stated_numbers(text)] == ["0.851", "85%", "1,406", "3,413", "250"]
    assert math.isclose(stated_numbers("£1,100")[0].step, 100)
    assert shown(stated_numbers("1,406")[0], printed_values("(1406, 9)"))
    assert shown(stated_numbers("12%")[0], printed_values("12.0%"))
    assert not shown(stated_numbers("0.869")[0], printed_values("0.851 0.87"))
    assert not shown(stated_numbers("40%")[0], printed_values("0.38"))
