"""Tests for course_utils.fairness on small inline tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course_utils.fairness import cramers_v, disparate_impact, proxy_audit, selection_rates


@pytest.fixture
def offers() -> pd.DataFrame:
    # women 30/50 selected, men 45/50, non-binary 3/5
    return pd.DataFrame(
        {
            "gender": ["female"] * 50 + ["male"] * 50 + ["non-binary"] * 5,
            "offered": [1] * 30 + [0] * 20 + [1] * 45 + [0] * 5 + [1] * 3 + [0] * 2,
        }
    )


def test_selection_rates(offers: pd.DataFrame) -> None:
    table = selection_rates(offers, "gender", "offered")
    assert table.loc["female"].tolist() == [50, 30, 0.6]
    assert table.loc["male", "selection_rate"] == pytest.approx(0.9)
    assert table["n"].sum() == len(offers)


def test_disparate_impact_against_most_favoured(offers: pd.DataFrame) -> None:
    di = disparate_impact(offers, "gender", "offered")
    assert di.index.tolist() == ["female", "non-binary", "male"]  # lowest ratio first
    assert di.loc["male", "ratio"] == pytest.approx(1.0)
    assert di.loc["female", "ratio"] == pytest.approx(0.6 / 0.9)
    assert di.loc["female", "flag"] and di.loc["non-binary", "flag"] and not di.loc["male", "flag"]
    assert (di["ratio"] <= 1).all()  # never inverted


def test_disparate_impact_reference_and_threshold(offers: pd.DataFrame) -> None:
    di = disparate_impact(offers, "gender", "offered", reference="female")
    assert di.loc["male", "ratio"] == pytest.approx(1.5)
    assert not di.loc["female", "flag"]
    loose = disparate_impact(offers, "gender", "offered", threshold=0.6)
    assert not loose["flag"].any()


def test_disparate_impact_bool_column() -> None:
    df = pd.DataFrame({"g": ["a", "a", "b", "b"], "s": [True, True, True, False]})
    assert disparate_impact(df, "g", "s").loc["b", "ratio"] == pytest.approx(0.5)


def test_disparate_impact_errors(offers: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="'sex'"):
        disparate_impact(offers, "sex", "offered")
    with pytest.raises(KeyError, match="reference group 'other'"):
        disparate_impact(offers, "gender", "offered", reference="other")
    with pytest.raises(ValueError, match="threshold"):
        disparate_impact(offers, "gender", "offered", threshold=0)
    with pytest.raises(ValueError, match="0/1 or True/False"):
        disparate_impact(offers.assign(offered=offers["offered"] * 2), "gender", "offered")
    with pytest.raises(ValueError, match="0/1 or True/False"):
        disparate_impact(offers.assign(offered="yes"), "gender", "offered")
    with pytest.raises(ValueError, match="missing"):
        disparate_impact(offers.assign(offered=np.nan), "gender", "offered")
    with pytest.raises(ValueError, match="selection rate of 0"):
        disparate_impact(offers.assign(offered=0), "gender", "offered")
    with pytest.raises(ValueError, match="empty"):
        disparate_impact(offers.iloc[0:0], "gender", "offered")
    with pytest.raises(ValueError, match="missing values"):
        disparate_impact(offers.assign(gender=None), "gender", "offered")


def test_cramers_v_bounds() -> None:
    rng = np.random.default_rng(0)
    seg = pd.Series(rng.choice(["a", "b", "c"], size=3000))
    independent = pd.Series(rng.choice(["f", "m"], size=3000))
    assert cramers_v(seg, independent) < 0.05
    assert cramers_v(seg, seg.map({"a": "f", "b": "m", "c": "m"})) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same length"):
        cramers_v(seg, independent.iloc[:10])
    with pytest.raises(ValueError, match="two different values"):
        cramers_v(seg, pd.Series(["f"] * 3000))


def test_proxy_audit() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    gender = rng.choice(["female", "male"], size=n)
    age = rng.choice(["<35", "35+"], size=n)
    # segment mirrors age almost exactly, ignores gender
    segment = np.where((age == "<35") ^ (rng.random(n) < 0.05), "young-ish", "older")
    df = pd.DataFrame({"segment": segment, "gender": gender, "age_band": age})
    audit = proxy_audit(df, "segment", ["gender", "age_band"])
    assert audit.loc["age_band", "cramers_v"] > 0.8
    assert audit.loc["gender", "cramers_v"] < 0.1
    assert audit.loc["age_band", "max_share_gap"] > 0.4
    with pytest.raises(KeyError, match="'income'"):
        proxy_audit(df, "segment", ["income"])
