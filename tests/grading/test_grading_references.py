"""The checks' cached truths (01-wrangling) and the snapshots' byte form: faster, and judging the same.

- A truth is computed once per version of the course files and cannot be changed: a student who
  changes the table their answer came from still gets the right verdict, and another data folder
  gets its own truth.
- A Series or DataFrame of numbers, bools or date-times travels as its bytes: it decodes to
  exactly what the value-by-value form gave (values, dtypes, index type), and a forged byte
  snapshot (an object dtype, a wrong size) is refused, never turned into objects.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_tools.grading.snapshot import decode, encode
from course_utils import paths
from course_utils.data import FX_TO_GBP, load_transactions
from course_utils.exercise import Incorrect
from course_utils.questions import m01_wrangling as m01
from course_utils.questions import warm


def test_a_student_changing_raw_changes_no_truth() -> None:
    warm("01-wrangling")
    raw = load_transactions(raw=True)
    answer = raw["unit_price"].astype(float) * raw["currency"].map(FX_TO_GBP)
    unconverted = raw["unit_price"].astype(float)
    raw["currency"] = "GBP"  # the student's own table, changed in place after answering
    raw.loc[raw.index[:10], "unit_price"] = "0"
    m01.q3.judge(answer)
    with pytest.raises(Incorrect, match="not converted"):
        m01.q3.judge(unconverted)
    truth = m01._prices_for(m01._data_key())[1]
    with pytest.raises(ValueError):
        truth[0] = 0.0
    ages = m01._ages_for(m01._data_key())[1]
    before = ages.copy()
    valid = pd.to_numeric(m01._raw_customers()["age"], errors="coerce")
    valid = valid.where(valid.between(m01.AGE_MIN, m01.AGE_MAX))
    m01.q6.judge(valid.fillna(valid.median()))
    pd.testing.assert_series_equal(m01._ages_for(m01._data_key())[1], before)


def test_a_truth_follows_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n = len(m01._raw())
    folder = tmp_path / "datasets"
    shutil.copytree(paths.datasets_dir(), folder)
    lines = (folder / "raw_transactions.csv").read_text().splitlines(keepends=True)
    (folder / "raw_transactions.csv").write_text("".join(lines[:-5]))
    monkeypatch.setenv("COURSE_DATASETS_DIR", str(folder))
    assert len(m01._raw()) == n - 5
    assert len(m01._prices_for(m01._data_key())[1]) == n - 5
    monkeypatch.delenv("COURSE_DATASETS_DIR")
    assert len(m01._raw()) == n


@pytest.mark.parametrize(
    "value",
    [
        pd.Series([1.5, np.nan, -np.inf], index=[4, 2, 9], name="p"),
        pd.Series(pd.to_datetime(["2022-01-03 04:47:28", "2022-02-06 12:07:19"]).astype("datetime64[us]")),
        pd.Series([True, False], index=pd.RangeIndex(10, 0, -5)),
        pd.DataFrame({"channel": ["web", "app"], "n": [3, 4], "revenue": [1.25, 2.5]}),
        pd.Series([], dtype="int64"),
        np.arange(6.0).reshape(2, 3),
    ],
)
def test_bytes_decode_to_what_the_values_gave(value: object) -> None:
    text = encode(value)
    assert "__buffer__" in text or "__range__" in text or len(value) == 0  # type: ignore[arg-type]
    back = decode(text)
    if isinstance(value, (pd.Series, pd.DataFrame)):  # the index, as its values one by one gave it
        value = value.set_axis(pd.Index(value.index.tolist()), axis=0)
    if isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value, check_exact=True, check_index_type=True)
    elif isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_exact=True, check_index_type=True)
    else:
        assert back.dtype == value.dtype and np.array_equal(back, value)  # type: ignore[attr-defined]
        assert back.flags.writeable


def test_a_forged_byte_snapshot_is_refused() -> None:
    good = json.loads(encode(pd.Series([1.0, 2.0])))
    objects = {**good, "__series__": {**good["__series__"], "dtype": "|O"}}
    with pytest.raises(ValueError, match="not a dtype"):
        decode(json.dumps(objects))
    short = {**good, "__series__": {**good["__series__"], "shape": [3]}}
    with pytest.raises(ValueError, match="do not match"):
        decode(json.dumps(short))
    structured = {**good, "__series__": {**good["__series__"], "dtype": "i4,O"}}
    with pytest.raises((ValueError, TypeError)):
        decode(json.dumps(structured))
