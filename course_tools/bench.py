"""``make bench``: run every lesson and solution notebook; report time and memory.

Prints a table (notebook, wall seconds, peak memory of its kernel) and writes
it to ``bench/results.md``. Where this machine allows it (root, a writable memory cgroup), each
notebook's kernel runs inside a memory cgroup limited to its budget, as a Binder's container is
(:mod:`course_tools.memory_cgroup`): a notebook that does not fit is killed there, and the table
shows what the cgroup was charged next to the sum of the processes' resident sets. Also runs the
class-grading benchmark when the grading package provides one. Speed and memory are *measured*
here, not asserted in timed tests: a notebook over the budget is a bug to fix.

>>> format_table([Row("lessons/x.ipynb", 1.234, 200.0, "ok", 180.4)]).splitlines()[2]
'| lessons/x.ipynb | 1.2 | 200 | 180 | ok |'
"""

from __future__ import annotations

import argparse
import importlib
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_tools import memory_cgroup
from course_utils.paths import course_root

#: Budgets from the course's rules: under 60 s per notebook on 2 cores, and
#: comfortably inside a 2 GB Binder.
SECONDS_BUDGET = 60.0
MEMORY_BUDGET_MIB = 600.0
#: Notebooks that run Spark (metadata ``course.needs`` has ``"java"``): 90 s, and kernel plus JVM
#: inside a 2 GB Binder.
SPARK_SECONDS_BUDGET = 90.0
SPARK_MEMORY_BUDGET_MIB = 1800.0


@dataclass
class Row:
    notebook: str
    seconds: float
    peak_mib: float | None
    status: str
    cgroup_peak_mib: float | None = None


def format_table(rows: list[Row]) -> str:
    """Markdown table of benchmark rows.

    "RSS peak" sums the resident sets of the kernel and its children (a page shared by six JVMs
    counts six times: an upper bound); "cgroup peak" is what the kernel's memory cgroup was charged,
    each page once, file cache included: what a container's limit counts.
    """
    lines = ["| notebook | wall s | RSS peak MiB | cgroup peak MiB | status |", "|---|---:|---:|---:|---|"]
    for r in rows:
        peak = "n/a" if r.peak_mib is None else f"{r.peak_mib:.0f}"
        charged = "n/a" if r.cgroup_peak_mib is None else f"{r.cgroup_peak_mib:.0f}"
        lines.append(f"| {r.notebook} | {r.seconds:.1f} | {peak} | {charged} | {r.status} |")
    return "\n".join(lines)


def bench_notebooks(paths: list[Path]) -> list[Row]:
    """Execute each notebook once and measure it."""
    from tqdm import tqdm

    from course_tools.notebook_runner import execute, needs

    root = course_root()
    limited = memory_cgroup.available()[0]
    rows = []
    for path in tqdm(paths, desc="notebooks", unit="nb"):
        spark = "java" in needs(path)
        seconds_budget = SPARK_SECONDS_BUDGET if spark else SECONDS_BUDGET
        memory_budget = SPARK_MEMORY_BUDGET_MIB if spark else MEMORY_BUDGET_MIB
        result = execute(path, memory_cgroup=limited, memory_limit_mib=memory_budget if limited else None)
        status = _status(result, seconds_budget, memory_budget, limited)
        rows.append(Row(str(path.relative_to(root)), result.seconds, result.peak_mib, status, result.cgroup_peak_mib))
    return rows


def _status(result: Any, seconds_budget: float, memory_budget: float, limited: bool) -> str:
    """``ok``, or what went wrong: an error, a kill at the memory limit, a budget exceeded.

    Inside a limited cgroup a notebook fits when it ran to the end (the limit is the test); without
    one, the sum of resident sets is compared with the budget.
    """
    if result.oom_kills:
        return f"over {memory_budget:.0f} MiB budget: killed at the cgroup's memory limit"
    if result.error is not None:
        return f"ERROR {result.error}"
    if result.seconds > seconds_budget:
        return f"over {seconds_budget:.0f} s budget"
    if not limited and result.peak_mib and result.peak_mib > memory_budget:
        return f"over {memory_budget:.0f} MiB budget"
    return "ok"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all lessons and solutions)")
    parser.add_argument("--no-grading", action="store_true", help="skip the class-grading benchmark")
    parser.add_argument(
        "--grading-only", action="store_true", help="only the class-grading benchmark (bench/results.grading.md)"
    )
    parser.add_argument("--submissions", type=int, default=40, help="submissions for the grading benchmark")
    parser.add_argument("--out", type=Path, default=None, help="where to write the table (default bench/results.md)")
    parser.add_argument(
        "--engines-only",
        action="store_true",
        help="only pandas vs DuckDB vs Spark on the same RFM (no notebooks, no grading)",
    )
    parser.add_argument(
        "--scales",
        type=float,
        nargs="+",
        default=[1, 20, 100],
        help="data scales for the RFM engines benchmark (default 1 20 100)",
    )


def run(args: argparse.Namespace) -> int:
    from course_tools.notebook_runner import lesson_notebooks, solution_notebooks

    root = course_root()
    if args.engines_only:
        return _engines_only(args, root)
    if args.grading_only:
        grading = _grading_benchmark(args.submissions) or "no grading benchmark"
        print(grading)
        out = args.out or root / "bench" / "results.grading.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"# Class grading benchmark, {time.strftime('%Y-%m-%d %H:%M')}\n\n{grading}\n", encoding="utf-8")
        return 0
    paths = [p.resolve() for p in args.notebooks] or lesson_notebooks() + solution_notebooks()
    started = time.strftime("%Y-%m-%d %H:%M")
    rows = bench_notebooks(paths)
    table = format_table(rows)
    parts = [
        f"# Benchmark, {started}",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, {_cores()} cores.",
        f"Budgets: {SECONDS_BUDGET:.0f} s and {MEMORY_BUDGET_MIB:.0f} MiB per notebook "
        f"({SPARK_SECONDS_BUDGET:.0f} s and {SPARK_MEMORY_BUDGET_MIB:.0f} MiB with Spark).",
        _memory_line(),
        "",
        table,
        "",
        f"Total: {sum(r.seconds for r in rows):.1f} s for {len(rows)} notebooks.",
    ]
    print(table)
    if not args.notebooks:
        data = data_benchmark()
        parts += ["", "## Data", "", data]
        print(data)
        engines = _engines_section(tuple(args.scales))
        parts += ["", engines]
    if not args.no_grading and not args.notebooks:
        grading_table = _grading_benchmark(args.submissions)
        if grading_table:
            parts += ["", "## Class grading", "", grading_table]
            print(grading_table)
    out = args.out or root / "bench" / "results.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"\nWritten to {out}")
    return 0 if all(r.status == "ok" for r in rows) else 1


def _memory_line() -> str:
    """How memory was measured on this machine, in one sentence."""
    ok, why = memory_cgroup.available()
    if ok:
        return (
            f"Memory: each kernel ran in a memory cgroup ({why}) limited to its budget, as a container is; "
            "RSS peak is the sum of its processes' resident sets (shared pages counted once per process)."
        )
    return f"Memory: the sum of the kernel's processes' resident sets (no memory cgroup here: {why})."


def _engines_section(scales: tuple[float, ...]) -> str:
    """The RFM on pandas, DuckDB and Spark at each scale (see course_tools.rfm_engines)."""
    from course_tools.rfm_engines import bench_engines, format_engine_table

    rows = bench_engines(scales)
    return "\n".join(
        [
            "## RFM: pandas, DuckDB and Spark",
            "",
            "Each run is a fresh process (start-up included); peak MiB sums the process and its children "
            "(Spark's JVM); RFM s is the computation after start-up.",
            "",
            format_engine_table(rows),
        ]
    )


def _engines_only(args: argparse.Namespace, root: Path) -> int:
    section = _engines_section(tuple(args.scales))
    text = "\n".join(
        [
            f"# RFM engines benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
            f"Machine: {platform.platform()}, Python {platform.python_version()}, {_cores()} cores.",
            "",
            section,
        ]
    )
    out = args.out or root / "bench" / "results.engines.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {out}")
    return 0


def data_benchmark() -> str:
    """Time the generator and each loader (budgets: 30 s and 1 s), and size datasets/."""
    import tempfile

    from course_tools import generator as generate
    from course_utils import data
    from course_utils.paths import datasets_dir

    lines = ["| step | wall s | budget s |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        generate.write(generate.build(), Path(tmp), db=False)
        lines.append(f"| generator (default size, CSV) | {time.perf_counter() - t0:.1f} | 30 |")
    loaders = [
        "load_customers",
        "load_transactions",
        "load_sessions",
        "load_campaign",
        "load_reviews",
        "load_ground_truth",
    ]
    for name in loaders:
        fn = getattr(data, name)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        lines.append(f"| {name}() (best of 3) | {best:.2f} | 1 |")
    files = [p for p in datasets_dir().rglob("*") if p.is_file() and "large" not in p.parts and p.suffix != ".sqlite"]
    size = sum(p.stat().st_size for p in files) / 1e6
    lines += ["", f"datasets/ (committed files): {size:.1f} MB (budget 25 MB)."]
    return "\n".join(lines)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _grading_benchmark(n: int) -> str | None:
    try:
        module = importlib.import_module("course_tools.grading.bench")
    except ModuleNotFoundError:
        return None
    if hasattr(module, "run_both"):  # both assignments side by side, each grader, nbgrader, grader
        results = module.run_both()
        return "\n\n".join([module.table(results), *(module.summary(r) for r in results)])
    result = module.run(n=n)
    return "\n".join(f"- {key}: {value}" for key, value in result.items())
