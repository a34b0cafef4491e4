"""course_utils.features: the course-wide RFM definition and the joined customer view.

Tiny inline frames whose answers can be worked out by hand, so every number
asserted here follows from the definition in the docstring, not from a run.
"""

from __future__ import annotations

import pandas as pd
import pytest

from course_utils.features import RFM_COLUMNS, customer_features, require_columns, rfm_table

SNAP = "2025-12-31"


@pytest.fixture
def tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "invoice": ["INV1", "INV1", "INV2", "R1", "INV3", "INV4", "INV5"],
            "invoice_date": pd.to_datetime(
                [
                    "2025-12-01 10:00",
                    "2025-12-01 10:00",
                    "2025-12-30 23:30",  # late in the evening: recency counts calendar days
                    "2025-12-31 08:00",  # a return on the snapshot day
                    "2025-06-30 12:00",
                    "2026-01-05 09:00",  # after the snapshot: ignored
                    "2025-12-20 09:00",
                ]
            ),
            "customer_id": ["C1", "C1", "C1", "C1", "C2", "C2", "C3"],
            "product_id": ["P1", "P2", "P3", "P3", "P1", "P1", "P4"],
            "quantity": [2, 1, 1, -1, 3, 5, 4],
            "unit_price": [10.0, 5.0, 40.0, 40.0, 2.5, 2.5, 1.0],
        }
    )


def test_rfm_by_hand(tx: pd.DataFrame) -> None:
    rfm = rfm_table(tx, snapshot_date=SNAP)
    assert list(rfm.columns) == list(RFM_COLUMNS)
    assert rfm.index.name == "customer_id"
    assert list(rfm.index) == ["C1", "C2", "C3"]
    # C1: last purchase 2025-12-30 (the return on 12-31 is not a purchase) -> 1 day
    assert rfm.loc["C1", "recency_days"] == 1
    # two purchase invoices (INV1 has two lines), the return R1 is not counted
    assert rfm.loc["C1", "frequency"] == 2
    # 2*10 + 1*5 + 1*40 - 1*40 = 25: net of the return
    assert rfm.loc["C1", "monetary_gbp"] == pytest.approx(25.0)
    # C2: the January 2026 invoice is after the snapshot
    assert rfm.loc["C2"].tolist() == [184, 1, 7.5]
    assert rfm.loc["C3", "recency_days"] == 11


def test_rfm_dtypes(tx: pd.DataFrame) -> None:
    rfm = rfm_table(tx, snapshot_date=SNAP)
    assert rfm["recency_days"].dtype == "int64"
    assert rfm["frequency"].dtype == "int64"
    assert rfm["monetary_gbp"].dtype == "float64"


def test_rfm_snapshot_moves_recency(tx: pd.DataFrame) -> None:
    early = rfm_table(tx, snapshot_date=pd.Timestamp("2025-12-25"))
    # INV2 (12-30) is now in the future: C1's last purchase is 12-01
    assert early.loc["C1"].tolist() == [24, 1, 25.0]
    # before C3's only purchase: C3 has no row
    assert "C3" in early.index
    before_c3 = rfm_table(tx, snapshot_date="2025-12-19")
    assert "C3" not in before_c3.index


def test_customer_with_only_returns_has_no_row() -> None:
    tx = pd.DataFrame(
        {
            "invoice": ["R9"],
            "invoice_date": pd.to_datetime(["2025-12-01"]),
            "customer_id": ["C9"],
            "quantity": [-1],
            "unit_price": [3.0],
        }
    )
    assert rfm_table(tx, snapshot_date=SNAP).empty


def test_missing_column_is_named(tx: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="'unit_price'.*load_transactions"):
        rfm_table(tx.drop(columns="unit_price"), snapshot_date=SNAP)


def test_raw_strings_are_refused(tx: pd.DataFrame) -> None:
    raw = tx.astype({"quantity": str})
    with pytest.raises(TypeError, match="quantity.*raw"):
        rfm_table(raw, snapshot_date=SNAP)
    with pytest.raises(TypeError, match="invoice_date.*not dates"):
        rfm_table(tx.astype({"invoice_date": str}), snapshot_date=SNAP)


def test_missing_customer_id_is_refused(tx: pd.DataFrame) -> None:
    tx.loc[0, "customer_id"] = None
    with pytest.raises(ValueError, match="1 transaction line.*dropna"):
        rfm_table(tx, snapshot_date=SNAP)


def test_not_a_dataframe() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        rfm_table([1, 2, 3], snapshot_date=SNAP)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="sessions is missing"):
        require_columns(pd.DataFrame({"x": [1]}), ["customer_id"], "sessions")


def test_bad_snapshot(tx: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="snapshot_date"):
        rfm_table(tx, snapshot_date="not a date")


def test_customer_features_joins(tx: pd.DataFrame) -> None:
    sessions = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C1", "C1", "C2"],
            "channel": pd.Categorical(["app", "app", "web", "app", "web"], categories=["web", "app"]),
            "page_views": [2, 4, 6, 8, 10],
            "cart_adds": [0, 1, 1, 2, 3],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4"],
            "signup_date": pd.to_datetime(["2025-12-01", "2024-12-31", "2025-01-01", "2025-01-01"]),
            "gender": ["female", "male", "female", "male"],
        }
    )
    campaign = pd.DataFrame({"customer_id": ["C1", "C3"], "opened": [1, 0], "clicked": [1, 0]})
    f = customer_features(tx, sessions, customers, campaign, snapshot_date=SNAP)
    assert list(f.index) == ["C1", "C2", "C3"]  # C4 never bought
    assert f.loc["C1", "avg_item_price_gbp"] == pytest.approx((10 + 5 + 40) / 3)
    assert f.loc["C1", "return_rate"] == pytest.approx(1 / 4)
    assert f.loc["C2", "return_rate"] == 0
    assert f.loc["C1", "n_sessions"] == 4
    assert f.loc["C1", "app_share"] == pytest.approx(0.75)
    assert f.loc["C1", "mean_page_views"] == pytest.approx(5.0)
    assert f.loc["C1", "cart_adds_per_session"] == pytest.approx(1.0)
    # C3 had no session: zeros, not NaN (clustering cannot take NaN)
    assert f.loc["C3", ["n_sessions", "app_share", "mean_page_views", "cart_adds_per_session"]].tolist() == [0, 0, 0, 0]
    assert f.loc["C2", "tenure_days"] == 365
    assert f.loc["C1", "campaign_clicked"] == 1 and f.loc["C2", "campaign_opened"] == 0
    assert "gender" not in f.columns  # sensitive attributes are not clustering inputs
    assert not f.isna().any().any()
    # RFM columns agree with rfm_table
    pd.testing.assert_frame_equal(f[list(RFM_COLUMNS)], rfm_table(tx, snapshot_date=SNAP))


def test_customer_features_minimal(tx: pd.DataFrame) -> None:
    f = customer_features(tx, snapshot_date=SNAP)
    assert list(f.columns) == [*RFM_COLUMNS, "avg_item_price_gbp", "return_rate"]


def test_customer_features_refuses_duplicate_customers(tx: pd.DataFrame) -> None:
    customers = pd.DataFrame({"customer_id": ["C1", "C1"], "signup_date": pd.to_datetime(["2025-01-01"] * 2)})
    with pytest.raises(ValueError, match="duplicate customer_id"):
        customer_features(tx, customers=customers, snapshot_date=SNAP)


def test_on_course_data_if_present() -> None:
    """Against the real files, once they exist: shape and sanity of the course-wide RFM."""
    data = pytest.importorskip("course_utils.data")
    try:
        tx = data.load_transactions()
    except FileNotFoundError:
        pytest.skip("datasets not generated yet")
    rfm = rfm_table(tx)
    assert rfm.index.is_unique and len(rfm) > 1000
    assert (rfm["recency_days"] >= 0).all()
    assert (rfm["frequency"] >= 1).all()
    purchases = tx[tx["quantity"] > 0]
    assert rfm["frequency"].sum() == purchases.groupby("customer_id")["invoice"].nunique().sum()
    assert rfm["monetary_gbp"].sum() == pytest.approx(
        (tx["quantity"] * tx["unit_price"])[tx["customer_id"].isin(rfm.index)].sum(), rel=1e-9
    )
