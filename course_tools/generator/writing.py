"""Writing the tables: CSV files with fixed formatting, the evaluation-only README, the SQLite database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from course_utils.data.database import write_db
from course_utils.data.schema import TABLES

__all__ = ["EVALUATION_README", "write", "write_db"]


def write(tables: dict[str, pd.DataFrame], out_dir: Path, db: bool = True) -> list[Path]:
    """Write the tables as CSV (and the SQLite database) into ``out_dir``."""
    out_dir = Path(out_dir)
    written = []
    for name, table in TABLES.items():
        path = out_dir / table.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = tables[name]
        assert tuple(frame.columns) == table.columns, (name, frame.columns)
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    readme = out_dir / "evaluation_only" / "README.md"
    readme.write_text(EVALUATION_README, encoding="utf-8")
    written.append(readme)
    if db:
        written.append(write_db(out_dir, tables))
    return written


EVALUATION_README = """\
# Evaluation only: never use as a feature

`segments.csv` holds the segment that the generator *planted* for every customer
of Larkspur & Co (`customer_id`, `segment`). Real companies never have this file.

Use it only **after** you have built and chosen a segmentation, to measure how
close it came to the truth (adjusted Rand index, normalised mutual information,
a confusion table). Never join it to your features, never use it to choose
features or `k`: that would be like reading the exam answers before the exam.
"""
