"""``python -m course_tools data``: the command line of the generator."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from course_tools.generator.pipeline import DEFAULT_SCALE, DEFAULT_SEED, build
from course_tools.generator.writing import write
from course_utils.data.schema import TABLES


def _scale(text: str) -> float:
    """``--scale`` value: a positive number (``0.1``, ``1``, ``20``).

    >>> _scale("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive number such as 0.1, 1 or 20, not '0'
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number such as 0.1, 1 or 20, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--scale",
        type=_scale,
        default=DEFAULT_SCALE,
        help="size relative to the default 5,000 customers (20 gives about 2M order lines)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: datasets/ for the default seed and scale, else datasets/large/)",
    )
    parser.add_argument("--no-db", action="store_true", help="skip the SQLite database (default for --scale > 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")


def run(args: argparse.Namespace) -> int:
    from course_utils import paths

    out = args.out
    if out is None:
        default = args.seed == DEFAULT_SEED and args.scale == DEFAULT_SCALE
        out = paths.datasets_dir() if default else paths.datasets_dir() / "large"
    out = Path(out)
    db = not args.no_db and args.scale <= 2
    t0 = time.perf_counter()
    tables = build(seed=args.seed, scale=args.scale, progress=not args.quiet and sys.stderr.isatty())
    files = write(tables, out, db=db)
    if not args.quiet:
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"Wrote {len(files)} files ({size:.1f} MB) to {out} in {time.perf_counter() - t0:.1f} s:")
        for name in TABLES:
            print(f"  {TABLES[name].filename:32s} {len(tables[name]):>10,} rows")
        if not db:
            print("  (no SQLite database: use --scale 2 or less, or DuckDB on the CSV files)")
    return 0
