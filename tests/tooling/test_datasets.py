"""Larkspur & Co's data: reproducible, within budget, and with the planted structure and mess.

The raw -> clean rules below are the reference for datasets/INSTRUCTORS.md:
if one changes, change the other.
"""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from course_tools import generator as generate
from course_utils import paths
from course_utils.data import (
    FX_TO_GBP,
    SNAPSHOT_DATE,
    connect_db,
    load_campaign,
    load_customers,
    load_ground_truth,
    load_reviews,
    load_sessions,
    load_transactions,
    shape_features,
)
from course_utils.data.schema import DB_TABLES, TABLES

SNAP = pd.Timestamp(SNAPSHOT_DATE)


# ---------------------------------------------------------------- reproducibility and budgets
@pytest.mark.slow
@pytest.mark.xdist_group("datagen")
def test_committed_files_equal_generator_output_and_db_is_deterministic(tmp_path):
    # Its speed (budget 30 s) is measured by `make bench`, not asserted here.
    tables = generate.build()
    generate.write(tables, tmp_path / "a", db=False)
    committed = paths.datasets_dir()
    names = [t.filename for t in TABLES.values()] + ["evaluation_only/README.md"]
    for name in names:
        assert filecmp.cmp(tmp_path / "a" / name, committed / name, shallow=False), (
            f"datasets/{name} differs from what `make data` generates: run `make data` and commit"
        )
    # the SQLite file: same tables, same bytes
    (tmp_path / "b").mkdir()
    first = generate.write_db(tmp_path / "a", tables)
    second = generate.write_db(tmp_path / "b", tables)
    assert first.read_bytes() == second.read_bytes()
    # and the same bytes when built from the CSV files (what connect_db() does when it is missing)
    assert generate.write_db(tmp_path / "a").read_bytes() == first.read_bytes()


@pytest.mark.xdist_group("datagen")
def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    for out in ("a", "b"):
        generate.write(generate.build(seed=7, scale=0.1), tmp_path / out)
    for name in [t.filename for t in TABLES.values()] + ["larkspur.sqlite"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = generate.build(seed=8, scale=0.1)
    generate.write(other, tmp_path / "c", db=False)
    assert (tmp_path / "a" / "transactions.csv").read_bytes() != (tmp_path / "c" / "transactions.csv").read_bytes()


def test_scale_grows_rows_linearly():
    small, big = generate.build(seed=3, scale=0.1), generate.build(seed=3, scale=0.3)
    assert len(small["customers"]) == 500 and len(big["customers"]) == 1500
    for name in ("transactions", "sessions", "reviews"):
        ratio = len(big[name]) / len(small[name])
        assert 2.5 < ratio < 3.5, (name, ratio)
    # 20x gives 1M+ order lines (extrapolated from the default size, not generated here)
    assert 20 * len(load_transactions()) > 1_000_000


def test_cli_writes_a_small_copy_elsewhere(tmp_path):
    from course_tools.__main__ import main

    assert main(["data", "--seed", "5", "--scale", "0.05", "--out", str(tmp_path), "--quiet"]) == 0
    assert len(load_customers(path=tmp_path / "customers.csv")) == 250
    assert (tmp_path / "larkspur.sqlite").is_file()


def test_committed_size_budget():
    """datasets/ stays under 25 MB (loader and generator speed are measured by `make bench`)."""
    committed = paths.datasets_dir()
    files = [p for p in committed.rglob("*") if p.is_file() and "large" not in p.parts and p.suffix != ".sqlite"]
    total = sum(f.stat().st_size for f in files) / 1e6
    assert total < 25, f"datasets/ takes {total:.1f} MB (budget 25 MB)"


# ---------------------------------------------------------------- the contract
def test_sizes_ids_and_links():
    customers, tx, sessions = load_customers(), load_transactions(), load_sessions()
    campaign, reviews, truth = load_campaign(), load_reviews(), load_ground_truth()
    assert len(customers) == 5000
    assert 90_000 <= len(tx) <= 110_000
    assert 2000 <= len(reviews) <= 4000
    assert customers["customer_id"].str.fullmatch(r"C\d{5}").all()
    ids = set(customers["customer_id"])
    for frame in (tx, sessions, campaign, reviews, truth):
        assert set(frame["customer_id"]) <= ids
    assert set(truth["customer_id"]) == ids
    assert tx["invoice"].str.fullmatch(r"(INV|R)\d{7}").all()
    returns = tx["invoice"].str.startswith("R")
    assert (tx.loc[returns, "quantity"] < 0).all() and (tx.loc[~returns, "quantity"] > 0).all()
    assert 0.02 < returns.mean() < 0.1
    assert (tx["currency"] == "GBP").all()
    assert tx["invoice_date"].max() <= SNAP + pd.Timedelta(days=1)
    assert not tx.duplicated(["invoice", "product_id"]).any()
    assert (customers["signup_date"] >= "2022-01-01").all()


def test_fake_pii_cannot_reach_real_people():
    c = load_customers()
    assert c["email"].str.endswith(".example").all()
    assert c["email"].is_unique
    drama = r"07700 900\d{3}|020 7946 0\d{3}|01\d{2,3} 49[68] 0\d{3}|01632 960\d{3}|028 9649 6\d{3}|029 2018 0\d{3}"
    assert c["phone"].str.fullmatch(drama).all()
    assert c["ip_address"].str.match(r"(192\.0\.2|198\.51\.100|203\.0\.113)\.").all()
    # date of birth agrees with age at the snapshot
    dob = c["date_of_birth"]
    age = (
        SNAP.year
        - dob.dt.year
        - ((dob.dt.month > SNAP.month) | ((dob.dt.month == SNAP.month) & (dob.dt.day > SNAP.day)))
    )
    assert (age == c["age"]).all()


def test_database_has_the_tables_read_only(tmp_path):
    con = connect_db()
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert names == set(DB_TABLES)
        n = con.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
        assert n == len(load_transactions())
        net = con.execute("SELECT SUM(quantity * unit_price) FROM transactions").fetchone()[0]
        tx = load_transactions()
        assert net == pytest.approx((tx["quantity"] * tx["unit_price"]).sum())
        with pytest.raises(Exception, match="readonly"):
            con.execute("DELETE FROM customers")
    finally:
        con.close()


# ---------------------------------------------------------------- raw -> clean (reference rules)
CATEGORY_MAP = {
    "kitchenware": "kitchen",
    "home-decor": "home decor",
    "homedecor": "home decor",
    "home décor": "home decor",
    "gardening": "garden",
    "garden & outdoor": "garden",
    "bed linen": "bedding",
    "gift": "gifts",
    "gift ideas": "gifts",
}


def clean_transactions(raw: pd.DataFrame) -> pd.DataFrame:
    """The documented rules (INSTRUCTORS.md) applied with pandas."""
    df = raw.copy()
    df = df[df["customer_id"].notna()]  # 1 guest checkouts
    df = df[~df["customer_id"].str.startswith("TEST")]  # 2 test accounts
    cancelled = df.loc[df["invoice"].str.startswith("C"), "invoice"].str[1:]
    df = df[~df["invoice"].str.startswith("C") & ~df["invoice"].isin(cancelled)]  # 3 cancellations
    df["quantity"] = df["quantity"].astype(int)
    wholesale = df.loc[df["quantity"].abs() >= 100, "invoice"]
    df = df[~df["invoice"].isin(wholesale)]  # 4 wholesale
    d = df["invoice_date"]
    parsed = pd.to_datetime(d, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%b %d %Y %H:%M"):
        parsed = parsed.fillna(pd.to_datetime(d, format=fmt, errors="coerce"))
    assert parsed.notna().all()
    df["invoice_date"] = parsed  # 5 dates
    cat = df["category"].str.strip().str.lower()
    df["category"] = cat.replace(CATEGORY_MAP)  # 6 categories
    df["product_name"] = df["product_name"].str.strip()
    fx = df["currency"].map(FX_TO_GBP)
    assert fx.notna().all()
    df["unit_price"] = (df["unit_price"].astype(float) * fx).round(2)  # 7 currency
    df["currency"] = "GBP"
    df = df.drop_duplicates(subset=["invoice", "product_id"])  # 8 exact and near duplicates
    return df.reset_index(drop=True)


def test_rules_turn_raw_transactions_into_the_clean_table():
    raw = load_transactions(raw=True)
    clean = load_transactions()
    ours = clean_transactions(raw)
    assert len(raw) > len(clean) * 1.05  # there is mess to remove
    assert len(ours) == len(clean)
    assert set(ours["customer_id"]) == set(clean["customer_id"])
    assert set(ours["invoice"]) == set(clean["invoice"])
    assert set(ours["category"]) == set(clean["category"].astype(str))
    net_ours = (ours["quantity"] * ours["unit_price"]).sum()
    net_clean = (clean["quantity"] * clean["unit_price"]).sum()
    assert net_ours == pytest.approx(net_clean, rel=1e-3)  # currency round trips: pennies
    merged = ours.merge(clean, on=["invoice", "product_id"], suffixes=("", "_c"))
    assert len(merged) == len(clean)
    assert (merged["invoice_date"].dt.floor("min") == merged["invoice_date_c"].dt.floor("min")).all()
    assert (merged["quantity"] == merged["quantity_c"]).all()
    assert (merged["unit_price"] - merged["unit_price_c"]).abs().max() <= 0.011


def test_raw_transactions_contain_each_kind_of_mess():
    raw = load_transactions(raw=True)
    assert raw["invoice"].str.startswith("C").mean() > 0.01
    assert raw["customer_id"].isna().mean() > 0.005
    assert raw["customer_id"].str.startswith("TEST", na=False).any()
    assert raw.duplicated().sum() > 500
    assert (raw["quantity"].astype(int) >= 100).sum() > 10
    assert set(raw["currency"]) == {"GBP", "EUR", "USD"}
    assert raw["category"].nunique() > 20
    assert raw["invoice_date"].str.contains("/").any() and raw["invoice_date"].str.contains("T").any()
    assert raw["invoice_date"].str.match(r"[A-Z][a-z]{2} ").any()


GENDER_MAP = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "non-binary": "non-binary",
    "nb": "non-binary",
    "nonbinary": "non-binary",
    "undisclosed": "undisclosed",
    "prefer not to say": "undisclosed",
    "u": "undisclosed",
}


def clean_customers(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.copy()
    df = df[~df["customer_id"].str.startswith("TEST") & ~df["email"].str.lower().str.endswith("@example.com")]
    df["email"] = df["email"].str.strip().str.lower()
    df["phone"] = df["phone"].str.replace(r"^\+44 ", "0", regex=True)
    df["gender"] = df["gender"].fillna("undisclosed").str.strip().str.lower().map(GENDER_MAP)
    regions = {r.lower(): r for r in TABLES["customers"].categories["region"]}
    regions.update(
        {
            "greater london": "London",
            "se england": "South East",
            "south east england": "South East",
            "sw england": "South West",
            "east england": "East of England",
            "e. midlands": "East Midlands",
            "w. midlands": "West Midlands",
            "yorkshire & humber": "Yorkshire and the Humber",
            "yorkshire": "Yorkshire and the Humber",
            "nw england": "North West",
            "ne england": "North East",
            "cymru": "Wales",
            "n. ireland": "Northern Ireland",
            "ni": "Northern Ireland",
        }
    )
    key = df["region"].str.strip().str.lower().str.replace("-", " ")
    df["region"] = key.map(regions)
    df["signup_date"] = pd.to_datetime(df["signup_date"], format="%Y-%m-%d", errors="coerce").fillna(
        pd.to_datetime(df["signup_date"], format="%d/%m/%Y", errors="coerce")
    )
    dob = pd.to_datetime(df["date_of_birth"], format="%Y-%m-%d")
    from_dob = (
        SNAP.year
        - dob.dt.year
        - ((dob.dt.month > SNAP.month) | ((dob.dt.month == SNAP.month) & (dob.dt.day > SNAP.day)))
    )
    age = pd.to_numeric(df["age"], errors="coerce")
    df["age"] = age.where(age.between(18, 100), from_dob).astype(int)
    df = df.drop_duplicates()
    return df.sort_values("customer_id").reset_index(drop=True)


def test_rules_turn_raw_customers_into_the_clean_table():
    raw = load_customers(raw=True)
    clean = load_customers()
    assert raw["customer_id"].duplicated().sum() > 50
    assert raw["age"].isna().sum() > 100
    ours = clean_customers(raw)
    assert ours["customer_id"].is_unique
    assert set(ours["customer_id"]) == set(clean["customer_id"])
    for col in ("gender", "region"):
        assert ours[col].notna().all(), col
        assert (ours[col].to_numpy() == clean[col].astype(str).to_numpy()).all(), col
    for col in ("age", "email", "phone", "signup_date"):
        assert (ours[col].to_numpy() == clean[col].to_numpy()).all(), col


# ---------------------------------------------------------------- planted structure
def _standard_features() -> pd.DataFrame:
    """RFM + behaviour, computed plainly (as a lesson would), one row per customer."""
    tx, s = load_transactions(), load_sessions()
    tx = tx.assign(amount=tx["quantity"] * tx["unit_price"])
    buys = tx[tx["quantity"] > 0]
    g = buys.groupby("customer_id")
    f = pd.DataFrame(
        {
            "recency": (SNAP - g["invoice_date"].max().dt.normalize()).dt.days,
            "frequency": g["invoice"].nunique(),
            "monetary": tx.groupby("customer_id")["amount"].sum().clip(lower=0),
            "mean_price": g["unit_price"].mean(),
            "app_share": s.assign(a=s["channel"] == "app").groupby("customer_id")["a"].mean(),
            "n_sessions": s.groupby("customer_id").size(),
        }
    ).dropna()
    for col in ("recency", "frequency", "monetary", "mean_price", "n_sessions"):
        f[col] = np.log1p(f[col])
    return f


def test_kmeans_recovers_the_segments_partly():
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    f = _standard_features()
    truth = load_ground_truth().set_index("customer_id").loc[f.index, "segment"]
    labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(StandardScaler().fit_transform(f))
    ari = adjusted_rand_score(truth, labels)
    assert 0.4 <= ari <= 0.85, ari
    rfm_only = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
        StandardScaler().fit_transform(f[["recency", "frequency", "monetary"]])
    )
    assert 0.3 <= adjusted_rand_score(truth, rfm_only) <= 0.85


def test_segments_differ_in_rfm_and_channel():
    f = _standard_features()
    truth = load_ground_truth().set_index("customer_id")["segment"]
    med = f.join(truth).groupby("segment", observed=True).median()
    assert med.loc["lapsed", "recency"] > med.loc["loyal premium", "recency"] + 2  # log days
    assert med.loc["loyal premium", "mean_price"] > med.loc["bargain hunters", "mean_price"]
    assert med.loc["loyal premium", "frequency"] > med.loc["occasional gift buyers", "frequency"]
    counts = truth.value_counts()
    assert len(counts) == 6 and 0.02 <= counts["noise"] / counts.sum() <= 0.03


def test_shape_features_defeat_kmeans_but_not_dbscan():
    from sklearn.cluster import DBSCAN, KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    sf = shape_features()
    assert list(sf.columns) == ["mean_session_hour", "mean_session_minutes"] and len(sf) == 5000
    s = load_sessions()
    mobile_first = s.groupby("customer_id")["device"].agg(lambda d: (d == "mobile").mean() > 0.5).loc[sf.index]
    z = StandardScaler().fit_transform(sf)
    km = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(z)
    db = DBSCAN(eps=0.1, min_samples=10).fit_predict(z)
    assert adjusted_rand_score(mobile_first, km) < 0.6
    assert len(set(db) - {-1}) == 2
    core = db >= 0
    assert adjusted_rand_score(mobile_first[core], db[core]) > 0.9
    noise = (load_ground_truth().set_index("customer_id").loc[sf.index, "segment"] == "noise").to_numpy()
    assert (db[noise] == -1).mean() > 0.8  # DBSCAN calls the noise customers outliers
    assert (db[~noise] == -1).mean() < 0.03


def test_targeting_bargain_hunters_has_disparate_impact_by_age():
    c = load_customers().set_index("customer_id")
    truth = load_ground_truth().set_index("customer_id")["segment"]
    selected = truth == "bargain hunters"
    band = pd.cut(c["age"], [17, 34, 54, 120], labels=["18-34", "35-54", "55+"])
    rates = selected.groupby(band, observed=True).mean()
    assert rates.min() / rates.max() < 0.8
    female = (c["gender"] == "female").groupby(truth).mean()
    assert female["occasional gift buyers"] > female.drop("occasional gift buyers").max() + 0.1
    assert c.loc[truth == "loyal premium", "age"].median() > c.loc[truth == "bargain hunters", "age"].median() + 15


def test_campaign_lift_differs_by_segment():
    camp = load_campaign().set_index("customer_id")
    assert 0.45 < (camp["variant"] == "offer").mean() < 0.55
    assert (camp["converted"] <= camp["clicked"]).all() and (camp["clicked"] <= camp["opened"]).all()
    seg = load_ground_truth().set_index("customer_id").loc[camp.index, "segment"]
    rate = camp["converted"].groupby([seg, camp["variant"]], observed=True).mean().unstack()
    lift = rate["offer"] - rate["control"]
    assert lift["bargain hunters"] > 0.07
    assert abs(lift["loyal premium"]) < 0.04
    assert (camp.loc[camp["converted"] == 0, "revenue_gbp"] == 0).all()


def test_reviews_speak_like_their_segment():
    r = load_reviews()
    seg = load_ground_truth().set_index("customer_id").loc[r["customer_id"], "segment"].to_numpy()
    text = r["text"].str.lower()
    price = text.str.contains(r"price|discount|cheap|deal|value|bargain|sale|offer")
    quality = text.str.contains(r"quality|craftsmanship|service|packag|made")
    assert price[seg == "bargain hunters"].mean() > price[seg == "loyal premium"].mean() + 0.3
    assert quality[seg == "loyal premium"].mean() > quality[seg == "bargain hunters"].mean() + 0.3
    assert text.str.contains(r"gift|present|wrap")[seg == "occasional gift buyers"].mean() > 0.5
    assert r["rating"][seg == "lapsed"].mean() < r["rating"][seg == "loyal premium"].mean() - 1.5
    assert text.str.contains(r"\bnot\b|n't").mean() > 0.1
    assert text.str.contains(r"qualty|delivry|recieved").any()
    assert text.str.contains(r"\bbut\b").mean() > 0.03
    pii = r["text"].str.contains(r"@\w+\.example|07700 900|\d{3,4} \d{3} \d{4}|^- |Thanks, ", regex=True)
    assert 0.003 < pii.mean() < 0.02


def test_rating_follows_vader_sentiment_noisily():
    from course_utils.nlp import vader

    r = load_reviews().sample(600, random_state=0)
    sia = vader()
    compound = r["text"].map(lambda t: sia.polarity_scores(t)["compound"])
    corr = np.corrcoef(compound, r["rating"])[0, 1]
    assert 0.3 < corr < 0.9, corr
