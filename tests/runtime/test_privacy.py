"""Tests for course_utils.privacy on small inline tables (no data files needed)."""

from __future__ import annotations

import hashlib
import hmac
import json

import numpy as np
import pandas as pd
import pytest

from course_utils.privacy import (
    MIN_KEY_BYTES,
    age_band,
    apply_retention,
    erase_customer,
    generalise,
    k_anonymity,
    l_diversity,
    postcode_district,
    pseudonymise,
    subject_access_export,
    verify_erased,
)

KEY = "k3y-for-tests-only-0123456789abcdef"


@pytest.fixture
def sources() -> dict[str, pd.DataFrame]:
    customers = pd.DataFrame(
        {
            "customer_id": ["C00001", "C00002", "C00003"],
            "full_name": ["Ada Lovelace", "Bob Stone", "Cy Young"],
            "email": ["ada@example.co.uk", "bob@example.co.uk", "cy@example.co.uk"],
            "phone": ["+44 20 7946 0001", "+44 20 7946 0002", "+44 20 7946 0003"],
            "age": [36, 52, 29],
        }
    )
    transactions = pd.DataFrame(
        {
            "invoice": ["INV1", "INV2", "INV3", "INV4"],
            "customer_id": ["C00001", "C00002", "C00001", "C00003"],
            "amount": [10.0, 20.0, 5.0, 7.0],
            "invoice_date": pd.to_datetime(["2025-01-02", "2025-02-03", "2025-03-04", "2025-04-05"]),
        }
    )
    reviews = pd.DataFrame(
        {
            "review_id": ["R1", "R2", "R3"],
            "customer_id": ["C00001", "C00002", "C00003"],
            "text": ["Lovely mugs", "Ada Lovelace recommended you, thanks ADA@example.co.uk", "Fine"],
        }
    )
    return {"customers": customers, "transactions": transactions, "reviews": reviews}


# -- pseudonymise -----------------------------------------------------------------


def test_pseudonymise_is_hmac_sha256_of_normalised_value() -> None:
    expected = hmac.new(KEY.encode(), b"ada@example.co.uk", hashlib.sha256).hexdigest()
    assert pseudonymise(" Ada@Example.co.uk ", KEY) == expected
    assert pseudonymise(" Ada@Example.co.uk ", KEY, normalise=False) != expected


def test_pseudonymise_is_not_a_plain_hash_and_depends_on_key() -> None:
    email = "ada@example.co.uk"
    plain = hashlib.sha256(email.encode()).hexdigest()
    token = pseudonymise(email, KEY)
    assert token != plain
    assert token != pseudonymise(email, KEY + "x")
    assert pseudonymise(email, KEY.encode()) == token  # bytes and str keys agree


def test_dictionary_attack_reverses_plain_hash_but_not_hmac() -> None:
    guesses = [f"{name}@example.co.uk" for name in ("ada", "bob", "cy", "dee")]
    leaked_plain = hashlib.sha256(b"bob@example.co.uk").hexdigest()
    lookup = {hashlib.sha256(g.encode()).hexdigest(): g for g in guesses}
    assert lookup.get(leaked_plain) == "bob@example.co.uk"
    leaked_token = pseudonymise("bob@example.co.uk", KEY)
    assert leaked_token not in lookup


def test_pseudonymise_series_keeps_missing_and_joins() -> None:
    s = pd.Series(["a@x.uk", None, "A@X.UK"], name="email")
    out = pseudonymise(s, KEY, length=16)
    assert out.name == "email"
    assert pd.isna(out.iloc[1])
    assert out.iloc[0] == out.iloc[2] and len(out.iloc[0]) == 16


@pytest.mark.parametrize("bad_key", ["", "   ", b"", "short", "x" * (MIN_KEY_BYTES - 1)])
def test_pseudonymise_rejects_empty_or_short_key(bad_key: str | bytes) -> None:
    with pytest.raises(ValueError, match="key"):
        pseudonymise("a@x.uk", bad_key)


def test_pseudonymise_rejects_bad_types_and_length() -> None:
    with pytest.raises(TypeError, match="key must be str or bytes"):
        pseudonymise("a@x.uk", 12345678901234567890)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or a pandas Series"):
        pseudonymise(["a@x.uk"], KEY)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="length"):
        pseudonymise("a@x.uk", KEY, length=4)


# -- generalise ---------------------------------------------------------------------


def test_age_band_widths_top_and_missing() -> None:
    ages = pd.Series([0, 19, 20, 35, 69, 70, 95, np.nan])
    assert age_band(ages, 10).tolist()[:5] == ["0-9", "10-19", "20-29", "30-39", "60-69"]
    assert age_band(ages, 5, top=70).tolist()[4:7] == ["65-69", "70+", "70+"]
    assert pd.isna(age_band(ages).iloc[-1])


def test_age_band_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="not numbers"):
        age_band(pd.Series(["thirty"]))
    with pytest.raises(ValueError, match="negative"):
        age_band(pd.Series([-3]))
    with pytest.raises(ValueError, match="width"):
        age_band(pd.Series([30]), width=0)


def test_postcode_district_levels_and_errors() -> None:
    pcs = pd.Series(["SW1A 1AA", "ls5 8fn", "EC1A1BB", "M1 1AE", None])
    assert postcode_district(pcs).tolist()[:4] == ["SW1A", "LS5", "EC1A", "M1"]
    assert postcode_district(pcs, "area").tolist()[:4] == ["SW", "LS", "EC", "M"]
    with pytest.raises(ValueError, match="not a UK postcode"):
        postcode_district(pd.Series(["90210"]))
    with pytest.raises(ValueError, match="level"):
        postcode_district(pcs, "sector")


def test_generalise_names_missing_column_and_copies() -> None:
    df = pd.DataFrame({"age": [31, 38], "postcode": ["LS5 8FN", "LS6 2AB"], "x": [1, 2]})
    out = generalise(df)
    assert out["age"].tolist() == ["30-39", "30-39"] and out["postcode"].tolist() == ["LS5", "LS6"]
    assert df["age"].tolist() == [31, 38]  # input untouched
    assert generalise(df, postcode_col=None)["postcode"].tolist() == ["LS5 8FN", "LS6 2AB"]
    with pytest.raises(KeyError, match="'postcode_area'"):
        generalise(df, postcode_col="postcode_area")
    with pytest.raises(ValueError, match="nothing to generalise"):
        generalise(df, age_col=None, postcode_col=None)


# -- k-anonymity, l-diversity ---------------------------------------------------------


def test_k_anonymity_smallest_class_and_violations() -> None:
    df = pd.DataFrame(
        {
            "band": ["30-39"] * 4 + ["40-49"] * 2 + ["50-59"],
            "area": ["LS"] * 4 + ["M"] * 2 + ["LS"],
            "gender": ["f", "f", "m", "m", "f", "f", "m"],
        }
    )
    r = k_anonymity(df, ["band", "area"])
    assert r.k == 1 and r.n_classes == 3 and r.satisfied is None and r.rows_at_risk == 0
    r3 = k_anonymity(df, ["band", "area"], k=3)
    assert r3.satisfied is False
    assert r3.violations[["band", "size"]].values.tolist() == [["50-59", 1], ["40-49", 2]]
    assert r3.rows_at_risk == 3
    assert k_anonymity(df, ["band", "area", "gender"]).k == 1
    assert k_anonymity(df, "area", k=2).satisfied is True
    assert int(r.class_sizes["size"].sum()) == len(df)


def test_k_anonymity_counts_missing_as_a_value() -> None:
    df = pd.DataFrame({"band": ["30-39", None, None]})
    assert k_anonymity(df, ["band"]).k == 1
    assert k_anonymity(df, ["band"]).n_classes == 2


@pytest.mark.parametrize("bad_k", [1, 0, -2])
def test_k_anonymity_rejects_k_below_2(bad_k: int) -> None:
    with pytest.raises(ValueError, match="at least 2"):
        k_anonymity(pd.DataFrame({"a": [1, 1]}), ["a"], k=bad_k)


def test_k_anonymity_rejects_bad_input() -> None:
    df = pd.DataFrame({"a": [1, 1]})
    with pytest.raises(KeyError, match="'postcode'"):
        k_anonymity(df, ["a", "postcode"])
    with pytest.raises(TypeError, match="whole number"):
        k_anonymity(df, ["a"], k=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one quasi-identifier"):
        k_anonymity(df, [])
    with pytest.raises(ValueError, match="empty"):
        k_anonymity(df.iloc[0:0], ["a"])
    with pytest.raises(TypeError, match="DataFrame"):
        k_anonymity([1, 2], ["a"])  # type: ignore[arg-type]


def test_l_diversity() -> None:
    df = pd.DataFrame({"band": ["a", "a", "a", "b", "b"], "seg": ["x", "y", "z", "x", "y"]})
    assert l_diversity(df, ["band"], "seg").l == 2
    df.loc[4, "seg"] = "x"
    result = l_diversity(df, "band", "seg")
    assert result.l == 1 and result.classes.iloc[0]["band"] == "b"
    with pytest.raises(KeyError, match="'segment'"):
        l_diversity(df, ["band"], "segment")
    with pytest.raises(ValueError, match="both"):
        l_diversity(df, ["band", "seg"], "seg")


# -- subject access ---------------------------------------------------------------------


def test_subject_access_export_everything_on_one_customer(sources: dict[str, pd.DataFrame]) -> None:
    export = subject_access_export("C00001", sources)
    assert isinstance(export, dict) and list(export) == ["customers", "transactions", "reviews"]
    assert len(export["customers"]) == 1 and len(export["transactions"]) == 2 and len(export["reviews"]) == 1
    for rows in export.values():
        assert set(rows["customer_id"]) == {"C00001"}
    doc = json.loads(subject_access_export("C00001", sources, as_json=True))  # type: ignore[arg-type]
    assert doc["customer_id"] == "C00001"
    assert doc["tables"]["customers"][0]["email"] == "ada@example.co.uk"
    assert len(doc["tables"]["transactions"]) == 2
    assert doc["tables"]["transactions"][0]["invoice_date"].startswith("2025-01-02")


def test_subject_access_export_errors(sources: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(KeyError, match="unknown customer id 'C99999'"):
        subject_access_export("C99999", sources)
    with pytest.raises(TypeError, match="non-empty str"):
        subject_access_export(1, sources)  # type: ignore[arg-type]
    broken = dict(sources, sessions=pd.DataFrame({"cust": ["C00001"]}))
    with pytest.raises(KeyError, match="source 'sessions' has no column 'customer_id'"):
        subject_access_export("C00001", broken)
    with pytest.raises(TypeError, match="non-empty dict"):
        subject_access_export("C00001", {})


# -- erasure -----------------------------------------------------------------------------


def test_erase_customer_removes_rows_and_mentions(sources: dict[str, pd.DataFrame]) -> None:
    before = {k: v.copy() for k, v in sources.items()}
    new, report = erase_customer("C00001", sources)
    assert report.complete
    assert report.rows_removed == {"customers": 1, "transactions": 2, "reviews": 1}
    assert report.mentions_redacted == {"customers": 0, "transactions": 0, "reviews": 1}
    assert set(report.remaining.values()) == {0}
    assert len(new["customers"]) == 2 and len(new["transactions"]) == 2
    text = new["reviews"].loc[new["reviews"]["customer_id"] == "C00002", "text"].item()
    assert "ada" not in text.lower() and "[redacted]" in text
    for name, table in sources.items():  # inputs untouched
        pd.testing.assert_frame_equal(table, before[name])
    # other customers are intact
    assert set(new["customers"]["customer_id"]) == {"C00002", "C00003"}
    assert "complete" in str(report)


def test_verify_erased_catches_a_missed_table(sources: dict[str, pd.DataFrame]) -> None:
    half_done = dict(sources)
    half_done["customers"] = sources["customers"][sources["customers"]["customer_id"] != "C00001"]
    half_done["transactions"] = sources["transactions"][sources["transactions"]["customer_id"] != "C00001"]
    remaining = verify_erased("C00001", half_done, ["ada@example.co.uk", "Ada Lovelace"])
    assert remaining == {"customers": 0, "transactions": 0, "reviews": 2}  # own review + the mention


def test_erase_customer_errors(sources: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(KeyError, match="unknown customer id"):
        erase_customer("C00042", sources)
    with pytest.raises(KeyError, match="no column 'customer_id'"):
        erase_customer("C00001", {"t": pd.DataFrame({"id": ["C00001"]})})


# -- retention -----------------------------------------------------------------------------


def test_apply_retention_by_date() -> None:
    df = pd.DataFrame({"d": ["2022-12-31", "2023-01-01", "2025-12-31"], "v": [1, 2, 3]})
    kept, expired = apply_retention(df, "d", keep_days=1095, as_of="2025-12-31")
    assert kept["v"].tolist() == [2, 3] and expired["v"].tolist() == [1]
    assert len(kept) + len(expired) == len(df)


def test_apply_retention_errors() -> None:
    df = pd.DataFrame({"d": ["2025-01-01", "not a date"]})
    with pytest.raises(ValueError, match="not dates"):
        apply_retention(df, "d", keep_days=10, as_of="2025-12-31")
    with pytest.raises(KeyError, match="'date'"):
        apply_retention(df, "date", keep_days=10, as_of="2025-12-31")
    with pytest.raises(ValueError, match="keep_days"):
        apply_retention(df.iloc[:1], "d", keep_days=-1, as_of="2025-12-31")
    with pytest.raises(ValueError, match="missing"):
        apply_retention(pd.DataFrame({"d": [None, "2025-01-01"]}), "d", keep_days=10, as_of="2025-12-31")


def test_erasure_leaves_namesakes_and_substrings_alone() -> None:
    sources = {
        "customers": pd.DataFrame(
            {
                "customer_id": ["C1", "C2", "C3"],
                "full_name": ["Ann Lee", "Ann Lee", "Joann Leeds"],
                "email": ["ann@x.uk", "ann.lee@y.uk", "jo@x.uk"],
            }
        ),
        "reviews": pd.DataFrame(
            {
                "customer_id": ["C2", "C3", "C3"],
                "text": ["I am Ann Lee too", "Joann Leeds here", "my order C1 was for ANN@X.UK"],
            }
        ),
    }
    new, report = erase_customer("C1", sources)
    assert report.complete
    # the other Ann Lee keeps her name in the customers table; her review mentions the name,
    # which is ambiguous and is redacted (names are not unique: a human should check such cases)
    assert new["customers"]["full_name"].tolist() == ["Ann Lee", "Joann Leeds"]
    texts = new["reviews"]["text"].tolist()
    assert texts[1] == "Joann Leeds here"  # not a whole-word match
    assert texts[2] == "my order [redacted] was for [redacted]"
    assert report.mentions_redacted == {"customers": 0, "reviews": 2}


def test_verify_erased_rejects_a_single_string() -> None:
    with pytest.raises(TypeError, match="list of values"):
        verify_erased("C1", {"t": pd.DataFrame({"customer_id": ["C2"]})}, "ann@x.uk")
