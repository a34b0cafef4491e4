"""Loaders for Larkspur & Co's files that check them and explain bad input.

Every loader reads one CSV file from :func:`course_utils.paths.datasets_dir`
(or the ``path`` you pass), checks it against its contract in
:mod:`course_utils.data.schema`, and returns a data frame with proper types.
A file that does not match raises :class:`DataFileError`, whose message says
which file, which columns or rows, and what to do. Nothing is silently
coerced: a value that does not parse is an error, not a ``NaN``.

>>> customers = load_customers()
>>> customers["age"].dtype
dtype('int64')
>>> raw = load_transactions(raw=True)  # raw files stay text, as stored
>>> isinstance(raw.loc[0, "quantity"], str)
True
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from course_utils import paths
from course_utils.data.schema import TABLES, Table

REBUILD = "Run `make data` (or `python -m course_tools data`) to rebuild the course files"
_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d+(\.\d+)?")


class DataFileError(ValueError):
    """A course data file is missing or does not match its contract.

    The message names the file, what is wrong (columns, rows) and what to do.
    """


def _resolve(table: Table, path: str | Path | None) -> tuple[Path, bool]:
    if path is not None:
        return Path(path).expanduser(), False
    return paths.datasets_dir() / table.filename, True


def _advice(own: bool) -> str:
    return REBUILD + "." if own else "Check the file, or compare it with the course's own file in datasets/."


def _read_text(table: Table, path: Path, own: bool) -> str:
    if path.is_dir():
        raise DataFileError(
            f"{path}: this is a folder, not a file. Give the path of the CSV file itself "
            f"(for example {path / table.filename})."
        )
    if not path.is_file():
        raise DataFileError(
            f"{path}: file not found. {'The course files are generated, not downloaded. ' if own else ''}"
            + _advice(own)
        )
    data = path.read_bytes()
    if not data.strip():
        raise DataFileError(f"{path}: the file is empty (0 rows, no header). " + _advice(own))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataFileError(
            f"{path}: not valid UTF-8 (byte {data[err.start]:#04x} on line {line}). The file was probably saved "
            "in another encoding (for example Windows-1252/Latin-1 by Excel). Save it again as 'CSV UTF-8', "
            f"or read it yourself with pandas.read_csv(..., encoding='latin-1'). " + (REBUILD + "." if own else "")
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _check_header(table: Table, path: Path, text: str, own: bool) -> None:
    header = text.split("\n", 1)[0].rstrip("\r")
    expected = list(table.columns)
    if "," not in header and len(expected) > 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in header:
                raise DataFileError(
                    f"{path}: columns are separated by {name}, not commas (header: {header[:80]!r}). "
                    "Course files are comma-separated; save it again as CSV with commas, "
                    f"or read it yourself with pandas.read_csv(..., sep={sep!r}). " + _advice(own)
                )
    found = [c.strip('"') for c in header.split(",")]
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {missing}")
        if extra:
            parts.append(f"unexpected column(s) {extra}")
        raise DataFileError(f"{path}: {' and '.join(parts)}. Expected exactly {expected}. " + _advice(own))
    if found != expected:
        raise DataFileError(f"{path}: columns are in the order {found}, expected {expected}. " + _advice(own))


def _rows(mask: np.ndarray, limit: int = 5) -> str:
    # +2: one for the header line, one because files count lines from 1
    bad = np.flatnonzero(mask)[:limit] + 2
    return ", ".join(str(b) for b in bad) + (" ..." if mask.sum() > limit else "")


def _bad(path: Path, column: str, what: str, values: pd.Series, mask: np.ndarray, own: bool) -> DataFileError:
    examples = ", ".join(repr(v) for v in values[mask].head(3).tolist())
    return DataFileError(
        f"{path}: column '{column}' should hold {what}, but {int(mask.sum())} row(s) do not "
        f"(file lines {_rows(mask)}; values {examples}). Nothing was converted. " + _advice(own)
    )


def _load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    table = TABLES[name]
    file, own = _resolve(table, path)
    text = _read_text(table, file, own)
    _check_header(table, file, text, own)
    import io

    raw = all(k == "raw" for k in table.kinds.values())
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""] if raw else [],
            na_filter=raw,
        )
    except pd.errors.ParserError as err:
        raise DataFileError(f"{file}: the CSV is malformed ({err}). " + _advice(own)) from None
    if len(frame) == 0:
        raise DataFileError(f"{file}: the file has a header but no rows. " + _advice(own))
    if raw:
        return frame
    for col, kind in table.kinds.items():
        values = frame[col]
        empty = (values == "").to_numpy()
        if empty.any():
            raise _bad(file, col, "a value in every row (this table has no missing values)", values, empty, own)
        if kind == "int":
            try:  # fast path; strict: "1.5", "" or "abc" raise
                frame[col] = values.astype("int64")
            except (ValueError, TypeError, OverflowError):
                ok = values.str.fullmatch(_INT).to_numpy(dtype=bool, copy=True)
                raise _bad(file, col, "whole numbers", values, ~ok, own) from None
        elif kind in ("flag", "bool"):
            ok = values.isin(["0", "1"]).to_numpy()
            if not ok.all():
                raise _bad(file, col, "0 or 1", values, ~ok, own)
            frame[col] = values == "1" if kind == "bool" else values.astype("int64")
        elif kind == "float":
            try:
                number = values.astype("float64")
                ok = np.isfinite(number.to_numpy())
            except (ValueError, TypeError):
                ok = values.str.fullmatch(_FLOAT).to_numpy(dtype=bool, copy=True)
            if not ok.all():
                raise _bad(file, col, "numbers written like 12.50", values, ~ok, own)
            frame[col] = number
        elif kind in ("date", "datetime"):
            fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
            parsed = pd.to_datetime(values, format=fmt, errors="coerce")
            ok = parsed.notna().to_numpy(copy=True)
            if not ok.all():
                shape = "YYYY-MM-DD" if kind == "date" else "YYYY-MM-DD HH:MM:SS"
                raise _bad(file, col, f"dates written {shape}", values, ~ok, own)
            frame[col] = parsed.astype("datetime64[us]")
        elif kind == "cat":
            allowed = table.categories[col]
            ok = values.isin(allowed).to_numpy()
            if not ok.all():
                raise _bad(file, col, f"one of {list(allowed)}", values, ~ok, own)
            frame[col] = pd.Categorical(values, categories=list(allowed), ordered=col in table.ordered)
    if table.key is not None:
        dup = frame[table.key].duplicated(keep=False).to_numpy()
        if dup.any():
            raise DataFileError(
                f"{file}: '{table.key}' must be unique, but {int(dup.sum())} rows share a value "
                f"(file lines {_rows(dup)}; values {frame[table.key][dup].head(3).tolist()}). "
                "Drop the duplicates deliberately (see the wrangling lesson). " + _advice(own)
            )
    return frame


def load_customers(raw: bool = False, path: str | Path | None = None) -> pd.DataFrame:
    """Larkspur & Co's customers: demographics and (fake) personal data, one row per customer.

    ``raw=True`` gives the messy export (``raw_customers.csv``) as text, as stored.

    >>> load_customers().loc[0, "customer_id"]
    'C00001'
    """
    return _load("raw_customers" if raw else "customers", path)


def load_transactions(raw: bool = False, path: str | Path | None = None) -> pd.DataFrame:
    """Order lines (returns have invoice ``R...`` and negative quantity; cancellations removed).

    ``raw=True`` gives the messy export (``raw_transactions.csv``) as text, as stored.

    >>> tx = load_transactions()
    >>> (tx["unit_price"] > 0).all()
    np.True_
    """
    return _load("raw_transactions" if raw else "transactions", path)


def load_sessions(path: str | Path | None = None) -> pd.DataFrame:
    """Web and app sessions, one row per session (``purchased`` is a bool).

    >>> load_sessions()["purchased"].dtype
    dtype('bool')
    """
    return _load("sessions", path)


def load_campaign(path: str | Path | None = None) -> pd.DataFrame:
    """The SPRING25 e-mail A/B test: variant and response, one row per customer e-mailed.

    >>> sorted(load_campaign()["variant"].unique())
    ['control', 'offer']
    """
    return _load("campaign", path)


def load_reviews(path: str | Path | None = None) -> pd.DataFrame:
    """Product reviews: star rating (1-5) and free text, one row per review.

    >>> load_reviews()["rating"].between(1, 5).all()
    np.True_
    """
    return _load("reviews", path)


def load_ground_truth(path: str | Path | None = None) -> pd.DataFrame:
    """The planted segment of every customer. **For evaluation only: never use as a feature.**

    >>> load_ground_truth()["segment"].nunique()
    6
    """
    return _load("ground_truth", path)


def db_path() -> Path:
    """Where the SQLite copy of the tables lives (``datasets/larkspur.sqlite``).

    >>> db_path().name
    'larkspur.sqlite'
    """
    return paths.datasets_dir() / "larkspur.sqlite"


def connect_db(path: str | Path | None = None) -> sqlite3.Connection:
    """Open the course database read-only (``sqlite3``; tables as in the CSV files).

    The database is built from the CSV files by ``make data``. If it is missing
    (it is not committed, to keep the repository small), it is built here first
    from the CSV files in ``datasets/``, which takes a few seconds once.

    >>> con = connect_db()
    >>> con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] > 0
    True
    >>> con.close()
    """
    file = Path(path).expanduser() if path is not None else db_path()
    sources = ("customers", "transactions", "raw_transactions", "raw_customers", "sessions", "campaign", "reviews")
    if path is None and file.is_file():
        # Rebuild a database older than its CSV files (e.g. after `git pull`), so
        # that SQL and pandas never answer from different data.
        built = file.stat().st_mtime
        if any(
            (file.parent / TABLES[n].filename).stat().st_mtime > built
            for n in sources
            if (file.parent / TABLES[n].filename).is_file()
        ):
            file.unlink()
    if not file.is_file():
        if path is not None:
            raise DataFileError(
                f"{file}: database file not found. Check the path, or use connect_db() for the course's own."
            )
        from course_utils.data.database import write_db

        for name in sources:
            t = TABLES[name]
            if not (file.parent / t.filename).is_file():
                raise DataFileError(
                    f"{file}: database not found, and {t.filename} to build it from is missing too. " + REBUILD + "."
                )
        try:
            write_db(file.parent)
        except (OSError, sqlite3.Error) as err:
            raise DataFileError(
                f"{file}: the database is missing and could not be built here ({err}). "
                "Ask whoever installed the course to run `make data` in the course folder."
            ) from err
    con = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        con.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as err:
        con.close()
        raise DataFileError(f"{file}: not a readable SQLite database ({err}). " + REBUILD + ".") from None
    return con
