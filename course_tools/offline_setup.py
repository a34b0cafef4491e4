"""``python -m course_tools setup``: prepare everything the course needs offline.

Safe to run again: it only (re)creates missing or outdated resources and
never touches student or instructor files.
"""

from __future__ import annotations

import argparse
import time


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
    _ensure_spark_archive(quiet=args.quiet)
    return 0


def _ensure_spark_archive(*, quiet: bool) -> None:
    """Build Spark's class-data archive (:mod:`course_utils.spark.cds`) once, where Java is installed.

    Without it the Spark lesson still runs, with about 300 MiB more memory across its JVMs, so a
    missing Java or a failed build is one line of explanation, never a failed set-up.
    """
    from course_utils.spark import cds
    from course_utils.spark.session import JavaMissing, require_java

    archive = cds.archive_path()
    if archive.is_file():
        return
    try:
        require_java()
    except JavaMissing as missing:
        if not quiet:
            print(f"Spark class-data archive not built: {str(missing).splitlines()[0]} (only lesson 7c needs it)")
        return
    print("Building Spark's class-data archive once (about a minute; it lets the Spark JVMs share memory)...")
    start = time.perf_counter()
    try:
        cds.build(archive)
    except (RuntimeError, OSError) as err:
        print(f"warning: Spark's class-data archive could not be built; Spark still runs without it: {err}")
        return
    print(f"Spark class-data archive ready at {archive} ({time.perf_counter() - start:.0f} s)")
