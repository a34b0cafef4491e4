"""``python -m course_utils setup``: prepare everything the course needs offline.

Safe to run again: it only (re)creates missing or outdated resources and
never touches student or instructor files.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    from course_utils import nlp

    where = nlp.ensure_nltk_data()
    if not args.quiet:
        print(f"NLTK data ready in {where}")
    return 0
