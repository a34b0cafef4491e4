"""course_utils.text: personal data in review text is found and masked, nothing else is."""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils.text import find_pii, mask_pii

PHONES = [
    "07700 900123",
    "020 7946 0123",
    "01632 960185",
    "(0117) 4960877",
    "(028) 9018097",
    "01414960593",
    "+44117 4960824",
    "+441174960098",
    "+44(0)1144960510",
    "+44 (0)20 7946 0123",
    "0161-496-0123",
]


@pytest.mark.parametrize("phone", PHONES)
def test_uk_phone_formats_are_masked(phone: str) -> None:
    assert mask_pii(f"Call me on {phone}, thanks.") == "Call me on [PHONE], thanks."


@pytest.mark.parametrize(
    "text",
    [
        "Paid £20 on 12/03/2025 for 2 mugs.",
        "Order INV0012345 arrived in 3 days.",
        "Three for the price of two, 2025 best deal, 100% happy.",
        "Reference 12345678 on the receipt.",
        "Rosemary plant and a rose bush, lovely.",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert find_pii(text, names=["Rose Hill", "Ann Lee"]) == []
    assert mask_pii(text, names=["Rose Hill"]) == text


def test_emails_are_masked_even_when_they_contain_a_known_name() -> None:
    text = "Write to ann.lee@post.example or ANN_LEE+shop@mail.co.uk"
    assert mask_pii(text, names=["Ann Lee"]) == "Write to [EMAIL] or [EMAIL]"


def test_names_are_whole_words_case_insensitive_and_only_from_the_list() -> None:
    names = ["Ann Lee", "Mr Marc Ellis-McKenzie"]
    text = (
        "Thanks, ann lee. Signed Mr Marc Ellis-McKenzie. Annlee and Lee Ann are not names here; Bob Smith is unknown."
    )
    assert mask_pii(text, names) == (
        "Thanks, [NAME]. Signed [NAME]. Annlee and Lee Ann are not names here; Bob Smith is unknown."
    )
    assert [kind for kind, _ in find_pii(text, names)] == ["name", "name"]


def test_series_keeps_index_and_missing_values() -> None:
    texts = pd.Series(["call 07700 900123", None, "fine"], index=["a", "b", "c"])
    out = mask_pii(texts, names=["Nobody Here"])
    assert out.index.tolist() == ["a", "b", "c"]
    assert out["a"] == "call [PHONE]" and out["c"] == "fine" and pd.isna(out["b"])


def test_missing_names_in_the_customer_table_are_skipped() -> None:
    assert mask_pii("hi Ann Lee", names=pd.Series(["Ann Lee", None, float("nan")])) == "hi [NAME]"


def test_bad_input_gets_a_clear_error() -> None:
    with pytest.raises(TypeError, match="list of full names"):
        mask_pii("hi Ann Lee", names="Ann Lee")
    with pytest.raises(TypeError, match="a str"):
        mask_pii(42)
    with pytest.raises(TypeError, match="a str"):
        find_pii(None)


def test_find_pii_on_a_series_is_one_list_per_row() -> None:
    texts = pd.Series(["Ann Lee, 07700 900123", None, "fine"])
    out = find_pii(texts, names=["Ann Lee"])
    assert out.tolist() == [[("name", "Ann Lee"), ("phone", "07700 900123")], [], []]
