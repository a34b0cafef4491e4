"""The loaders: right types on good files, a clear DataFileError on each kind of bad file."""

from __future__ import annotations

import shutil
import sqlite3

import pandas as pd
import pytest

from course_utils import paths
from course_utils.data import (
    DataFileError,
    connect_db,
    db_path,
    load_campaign,
    load_caravan,
    load_cdnow,
    load_credit_card,
    load_customers,
    load_fine_food_reviews,
    load_ground_truth,
    load_reviews,
    load_sessions,
    load_transactions,
)
from course_utils.data.schema import TABLES

SMALL = ["customers.csv", "campaign.csv", "reviews.csv", "evaluation_only/segments.csv"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private copy of the small course files, used through COURSE_DATASETS_DIR."""
    src = paths.datasets_dir()
    for name in SMALL:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / name, tmp_path / name)
    # shorter copies of the big tables (first 300 lines) keep the tests fast
    for name in ("transactions.csv", "sessions.csv", "raw_transactions.csv", "raw_customers.csv"):
        with open(src / name, encoding="utf-8") as fh:
            head = [next(fh) for _ in range(300)]
        (tmp_path / name).write_text("".join(head), encoding="utf-8")
    monkeypatch.setenv("COURSE_DATASETS_DIR", str(tmp_path))
    return tmp_path


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _expect(loader, *fragments, **kwargs):
    with pytest.raises(DataFileError) as info:
        loader(**kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    return message


# ---------------------------------------------------------------- good files
def test_clean_loaders_give_proper_types():
    c = load_customers()
    assert c["customer_id"].is_unique and str(c["customer_id"].dtype) in ("str", "string", "object")
    assert c["signup_date"].dtype.kind == "M" and c["date_of_birth"].dtype.kind == "M"
    assert c["age"].dtype == "int64"
    assert list(c["gender"].cat.categories) == ["female", "male", "non-binary", "undisclosed"]
    assert c["income_band"].cat.ordered and c["income_band"].min() == "<25k"
    tx = load_transactions()
    assert tx["invoice_date"].dtype.kind == "M"
    assert tx["quantity"].dtype == "int64" and tx["unit_price"].dtype == "float64"
    assert set(tx["category"].cat.categories) == {"kitchen", "home decor", "garden", "bedding", "gifts"}
    s = load_sessions()
    assert s["purchased"].dtype == bool and s["duration_s"].dtype == "int64"
    camp = load_campaign()
    assert camp["converted"].dtype == "int64" and set(camp["converted"]) == {0, 1}
    assert camp["sent_date"].dtype.kind == "M"
    r = load_reviews()
    assert r["review_date"].dtype.kind == "M" and r["rating"].dtype == "int64"
    assert load_ground_truth()["segment"].dtype == "category"


def test_raw_loaders_keep_text_as_stored():
    raw = load_transactions(raw=True)
    assert list(raw.columns) == list(TABLES["raw_transactions"].columns)
    assert all(isinstance(v, str) for v in raw["quantity"].head(50))
    assert raw["customer_id"].isna().any()  # empty cells are missing, nothing else is
    assert (raw["category"] == "kitchen ").any()  # trailing spaces kept
    rc = load_customers(raw=True)
    assert rc["gender"].isin(["F", "f"]).any()
    assert rc["age"].isna().any()


def test_path_argument_reads_a_students_own_file(tmp_path):
    own = tmp_path / "my_customers.csv"
    load_customers().head(20).to_csv(own, index=False, date_format="%Y-%m-%d")
    assert len(load_customers(path=own)) == 20
    message = _expect(load_customers, "nope.csv", "not found", path=tmp_path / "nope.csv")
    assert "make data" not in message  # a student's own file: no advice to rebuild the course data


# ---------------------------------------------------------------- bad files
def test_missing_file(data_dir):
    (data_dir / "reviews.csv").unlink()
    _expect(load_reviews, "reviews.csv", "not found", "make data")


def test_folder_instead_of_file(tmp_path):
    _expect(load_customers, "folder, not a file", "customers.csv", path=tmp_path)


def test_empty_file_and_header_only(data_dir):
    (data_dir / "campaign.csv").write_text("", encoding="utf-8")
    _expect(load_campaign, "campaign.csv", "empty", "make data")
    (data_dir / "campaign.csv").write_text(",".join(TABLES["campaign"].columns) + "\n", encoding="utf-8")
    _expect(load_campaign, "campaign.csv", "no rows")


def test_missing_column(data_dir):
    df = pd.read_csv(data_dir / "reviews.csv", dtype=str).drop(columns=["rating"])
    df.to_csv(data_dir / "reviews.csv", index=False)
    _expect(load_reviews, "reviews.csv", "missing column(s) ['rating']", "make data")


def test_extra_column(data_dir):
    df = pd.read_csv(data_dir / "customers.csv", dtype=str).assign(segment="x")
    df.to_csv(data_dir / "customers.csv", index=False)
    _expect(load_customers, "customers.csv", "unexpected column(s) ['segment']")


def test_wrong_type_names_column_and_rows(data_dir):
    path = data_dir / "transactions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[4].split(",")
    fields[6] = "two"  # quantity on file line 5
    lines[4] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    message = _expect(load_transactions, "transactions.csv", "'quantity'", "whole numbers", "lines 5", "'two'")
    assert "Nothing was converted" in message
    assert len(load_transactions(raw=True)) > 0  # the raw file is not affected


def test_wrong_float_date_flag_and_category(data_dir):
    c = data_dir / "campaign.csv"
    text = c.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    c.write_text(text.replace(first, first.rsplit(",", 1)[0] + ",12,50", 1), encoding="utf-8")
    _expect(load_campaign, "campaign.csv")  # a comma decimal makes a 9th field: malformed or bad float
    c.write_text(text.replace(first, first.replace("2025-03-25", "25/03/2025"), 1), encoding="utf-8")
    _expect(load_campaign, "'sent_date'", "YYYY-MM-DD", "lines 2")
    c.write_text(
        text.replace(first, first.replace(",control,", ",Control,").replace(",offer,", ",Offer,"), 1), encoding="utf-8"
    )
    _expect(load_campaign, "'variant'", "['control', 'offer']", "'Control'" if ",control," in first else "'Offer'")
    s = data_dir / "sessions.csv"
    stext = s.read_text(encoding="utf-8")
    row = stext.splitlines()[3]
    s.write_text(stext.replace(row, row[:-1] + "yes", 1), encoding="utf-8")
    _expect(load_sessions, "'purchased'", "0 or 1", "lines 4")


def test_empty_cell_in_clean_table(data_dir):
    path = data_dir / "reviews.csv"
    df = pd.read_csv(path, dtype=str)
    df.loc[2, "customer_id"] = None
    df.to_csv(path, index=False)
    _expect(load_reviews, "'customer_id'", "every row", "lines 4")


def test_semicolon_delimiter(data_dir):
    df = pd.read_csv(data_dir / "customers.csv", dtype=str)
    df.to_csv(data_dir / "customers.csv", index=False, sep=";")
    _expect(load_customers, "customers.csv", "semicolons", "sep=';'")


def test_wrong_encoding(data_dir):
    path = data_dir / "reviews.csv"
    text = path.read_text(encoding="utf-8")
    row = text.splitlines()[5]
    text = text.replace(row, row.replace("Great", "Café great", 1) if "Great" in row else row + " café", 1)
    path.write_bytes(text.encode("cp1252"))
    _expect(load_reviews, "reviews.csv", "not valid UTF-8", "encoding", "line 6")


@pytest.mark.parametrize(
    "loader, filename, key",
    [
        (load_customers, "customers.csv", "customer_id"),
        (load_reviews, "reviews.csv", "review_id"),
        (load_sessions, "sessions.csv", "session_id"),
        (load_ground_truth, "evaluation_only/segments.csv", "customer_id"),
    ],
)
def test_duplicate_keys(data_dir, loader, filename, key):
    path = data_dir / filename
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(lines[3])  # file line 4 again, at the end
    path.write_text("".join(lines), encoding="utf-8")
    message = _expect(loader, filename, f"'{key}' must be unique", "lines 4")
    assert str(len(lines)) in message  # the duplicate's own line number is named too


def test_data_file_error_is_a_value_error():
    assert issubclass(DataFileError, ValueError)


# ---------------------------------------------------------------- database
def test_connect_db_is_read_only_and_rebuilt_when_missing(data_dir):
    for name in ("customers", "transactions", "raw_transactions", "raw_customers", "sessions", "campaign", "reviews"):
        assert (data_dir / TABLES[name].filename).is_file()
    assert db_path() == data_dir / "larkspur.sqlite"
    assert not db_path().exists()
    con = connect_db()  # builds it from the CSV files
    try:
        assert con.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 299
        nulls = con.execute("SELECT COUNT(*) FROM raw_transactions WHERE customer_id IS NULL").fetchone()[0]
        assert nulls == load_transactions(raw=True)["customer_id"].isna().sum()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            con.execute("INSERT INTO campaign VALUES ('x','y','offer','2025-01-01',0,0,0,0.0)")
    finally:
        con.close()
    (data_dir / "larkspur.sqlite").write_bytes(b"this is not a database" * 100)
    _expect(connect_db, "larkspur.sqlite", "not a readable SQLite database")


def test_connect_db_explains_missing_sources(data_dir):
    (data_dir / "sessions.csv").unlink()
    _expect(connect_db, "sessions.csv", "make data")


# ---------------------------------------------------------------- real data (installed packages)
def test_cdnow():
    cd = load_cdnow()
    assert list(cd.columns) == ["customer_id", "date", "quantity", "amount"]
    assert cd.shape == (69659, 4) and cd["customer_id"].nunique() == 23570
    assert cd["date"].min() == pd.Timestamp("1997-01-01") and cd["date"].max() < pd.Timestamp("1998-07-01")
    assert cd["quantity"].dtype == "int64" and cd["amount"].dtype == "float64"


def test_cdnow_bad_path(tmp_path):
    bad = tmp_path / "cd.txt"
    bad.write_text("header\n00001 1997x 1 11.77\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="CDNOW"):
        load_cdnow(path=bad)


def test_cdnow_messages_say_what_to_do(tmp_path):
    message = str(pytest.raises(DataFileError, load_cdnow, path=tmp_path / "nope.txt").value)
    assert "nope.txt" in message and "Check the path" in message and "make setup" not in message
    message = str(pytest.raises(DataFileError, load_cdnow, path=tmp_path).value)
    assert "folder, not a file" in message
    bad = tmp_path / "customers.csv"
    bad.write_text("id,date,cds,amount\n1,19970101,1,11.77,extra,fields\n2,19970102,1,5\n", encoding="utf-8")
    message = str(pytest.raises(DataFileError, load_cdnow, path=bad).value)
    assert "customers.csv" in message and "YYYYMMDD" in message and "without a path" in message


def test_fine_food_reviews():
    r = load_fine_food_reviews()
    assert list(r.columns) == ["product", "review", "score", "split"]
    assert len(r) == 5000 and set(r["score"].cat.categories) == {"great", "other"}
    assert r["review"].str.len().min() > 0


def test_caravan_and_credit_card():
    c = load_caravan()
    assert c.shape == (5822, 86) and c["MOSHOOFD"].between(1, 10).all() and c["MOSTYPE"].nunique() >= 39
    assert set(c["Purchase"].cat.categories) == {"No", "Yes"}
    cc = load_credit_card()
    assert cc.shape == (1319, 12) and cc["card"].dtype == "category"


def test_connect_db_rebuilds_a_database_older_than_its_csv(tmp_path, monkeypatch):
    """After `git pull` brings new CSV files, SQL must not answer from the old data."""
    import os
    import shutil

    from course_utils.data import connect_db
    from course_utils.paths import datasets_dir

    for f in datasets_dir().glob("*.csv"):
        shutil.copy2(f, tmp_path / f.name)
    monkeypatch.setenv("COURSE_DATASETS_DIR", str(tmp_path))
    connect_db().close()
    db = tmp_path / "larkspur.sqlite"
    old = db.stat().st_mtime
    # The CSV changes: one customer fewer.
    lines = (tmp_path / "customers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "customers.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    os.utime(tmp_path / "customers.csv", (old + 10, old + 10))
    con = connect_db()
    try:
        assert con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == len(lines) - 2
    finally:
        con.close()
