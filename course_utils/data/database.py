"""The course company's SQLite database, ``datasets/larkspur.sqlite``, built from its CSV files.

The generator (``make data``) writes it with the CSV files, and :func:`course_utils.data.connect_db`
rebuilds it when it is missing or older than the CSV files: both use :func:`write_db`, so SQL and
pandas always answer from the same data.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from course_utils.data.schema import DB_TABLES, TABLES

_SQL_TYPES = {
    "str": "TEXT",
    "date": "TEXT",
    "datetime": "TEXT",
    "int": "INTEGER",
    "flag": "INTEGER",
    "bool": "INTEGER",
    "float": "REAL",
    "cat": "TEXT",
    "raw": "TEXT",
}
_PRIMARY = {
    "customers": "customer_id",
    "sessions": "session_id",
    "reviews": "review_id",
    "campaign": "customer_id, campaign_id",
}
_INDEXES = {
    "transactions": ["customer_id"],
    "raw_transactions": ["customer_id"],
    "sessions": ["customer_id"],
    "reviews": ["customer_id"],
}


def write_db(out_dir: Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write ``larkspur.sqlite`` from the tables (or from the CSV files in ``out_dir``).

    Deterministic: built in memory in a fixed order, then copied with
    ``VACUUM INTO`` (fixed page size, no WAL), so the same data give the same bytes.
    """
    out_dir = Path(out_dir)
    path = out_dir / "larkspur.sqlite"
    if tables is None:
        tables = {
            name: pd.read_csv(out_dir / TABLES[name].filename, dtype=str, keep_default_na=False) for name in DB_TABLES
        }
    con = sqlite3.connect(":memory:")
    try:
        con.execute("PRAGMA page_size = 4096")
        for name in DB_TABLES:
            spec = TABLES[name]
            cols = ", ".join(f'"{c}" {_SQL_TYPES[k]}' for c, k in spec.kinds.items())
            pk = f", PRIMARY KEY ({_PRIMARY[name]})" if name in _PRIMARY else ""
            con.execute(f'CREATE TABLE "{name}" ({cols}{pk})')
            frame = tables[name]
            data = []
            converters: list[list[Any]] = []
            for c, k in spec.kinds.items():
                col = frame[c].tolist()
                if k in ("int", "flag", "bool"):
                    converters.append([int(v) for v in col])
                elif k == "float":
                    converters.append([float(v) for v in col])
                elif k == "raw":  # empty cells of the raw exports become NULL
                    converters.append([v if v == v and v != "" else None for v in col])
                else:
                    converters.append([v if v == v else None for v in col])
            data = list(zip(*converters, strict=False))
            marks = ", ".join("?" * len(spec.kinds))
            con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', data)
            for c in _INDEXES.get(name, []):
                con.execute(f'CREATE INDEX "idx_{name}_{c}" ON "{name}" ("{c}")')
        con.commit()
        # write next to the target, then rename: readers never see a half-written file
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        if tmp.exists():
            tmp.unlink()
        con.execute("VACUUM INTO ?", (str(tmp),))
    finally:
        con.close()
    os.replace(tmp, path)
    return path
