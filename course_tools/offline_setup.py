"""``python -m course_tools setup``: prepare everything the course needs offline.

Safe to run again: it only (re)creates missing or outdated resources and
never touches student or instructor files.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    from course_utils import data, nlp

    where = nlp.ensure_nltk_data()
    # The SQLite copy of the data is not committed (30 MB); build it now so that
    # a read-only install (JupyterHub, Binder) already has it.
    data.connect_db().close()
    if not args.quiet:
        print(f"NLTK data ready in {where}")
        print(f"Course database ready at {data.db_path()}")
    return 0
