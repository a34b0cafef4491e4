"""Checks for assignment ``07-action``: from segments to action.

Six small questions: assign new customers with the *saved* scaler and model,
label churn from a time cut-off, judge a segment classifier on held-out
customers, the campaign uplift per segment, item-item recommendations that
skip what a customer already bought, and the population stability index.

Every reference is recomputed here from the loaders with fixed seeds.
Partitions are compared by ARI, per-segment results by name (never by a raw
cluster id), so the checks survive label permutations and library upgrades.

>>> CUT, HORIZON_END
('2025-06-30', '2025-12-31')
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import EXACT, Incorrect, Question, require_number, within
from course_utils.features import FEATURES, course_features, log_features, segment_labels
from course_utils.fresh import fresh

__all__ = [
    "CUT",
    "HORIZON_END",
    "SIGNUP_SPLIT",
    "EARLY_DAYS",
    "WHO",
    "PSI_FEATURE",
    "old_and_new",
    "fitted_segmenter",
    "personas",
    "early_features",
    "segment_split",
    "segment_model",
    "ab_test",
    "purchase_matrix",
    "item_similarity",
]

#: Churn cut-off: features from on or before this day, the label from after it.
CUT = "2025-06-30"
#: End of the churn observation window (the course snapshot date).
HORIZON_END = "2025-12-31"
#: Customers who signed up before this day are the "base" the segmentation was fitted on.
SIGNUP_SPLIT = "2025-01-01"
#: Length of the early window used to predict a new customer's segment.
EARLY_DAYS = 90
#: The feature whose drift question 6 measures.
PSI_FEATURE = "avg_item_price_gbp"
#: The customer whose recommendations question 5 asks for.
WHO = "C00023"


@functools.lru_cache(maxsize=1)
def _signup() -> pd.Series:
    from course_utils.data import load_customers

    customers = load_customers()
    return customers.set_index("customer_id")["signup_date"]


def old_and_new() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customer features of the base (signed up before 2025) and of the 2025 sign-ups."""
    features = course_features()
    signup = _signup().reindex(features.index)
    old = (signup < pd.Timestamp(SIGNUP_SPLIT)).to_numpy()
    return features[old], features[~old]


@fresh
def fitted_segmenter() -> tuple[Any, Any]:
    """``(scaler, kmeans)`` fitted on the base customers: StandardScaler, then KMeans(5, seed 0)."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    old, _ = old_and_new()
    scaler = StandardScaler().fit(log_features(old))
    kmeans = KMeans(n_clusters=5, n_init=10, random_state=0).fit(scaler.transform(log_features(old)))
    return scaler, kmeans


@fresh
def personas() -> pd.Series:
    """Persona of every customer of ``course_features()`` (k-means k=5 on all, module-4 naming rule)."""
    from course_utils.action import name_personas

    return name_personas(course_features(), segment_labels.reference())


@fresh
def early_features(days: int = EARLY_DAYS) -> pd.DataFrame:
    """What Larkspur knows about each customer in the first ``days`` days after sign-up.

    Orders, spend, mean item price and shares of app and marketplace orders, sessions,
    mean page views and cart adds in that window, plus the acquisition channel (one-hot).
    Rows: the customers of ``course_features()``; a customer with no activity gets zeros.
    """
    from course_utils.data import load_customers, load_sessions, load_transactions

    customers = load_customers().set_index("customer_id")
    signup = customers["signup_date"]
    window = pd.Timedelta(days=days)
    tx = load_transactions()
    tx = tx[tx["invoice_date"] < tx["customer_id"].map(signup) + window]
    bought = tx[tx["quantity"] > 0]
    by = bought.groupby("customer_id")
    early = pd.DataFrame(
        {
            "orders": by["invoice"].nunique(),
            "spend_gbp": (bought["quantity"] * bought["unit_price"]).groupby(bought["customer_id"]).sum(),
            "avg_item_price_gbp": by["unit_price"].mean(),
            "app_order_share": (bought["channel"] == "app").groupby(bought["customer_id"]).mean(),
            "marketplace_share": (bought["channel"] == "marketplace").groupby(bought["customer_id"]).mean(),
        }
    )
    sessions = load_sessions()
    sessions = sessions[sessions["start_time"] < sessions["customer_id"].map(signup) + window]
    bs = sessions.groupby("customer_id")
    web = pd.DataFrame(
        {"sessions": bs.size(), "mean_page_views": bs["page_views"].mean(), "mean_cart_adds": bs["cart_adds"].mean()}
    )
    index = course_features().index
    early = early.join(web, how="outer").reindex(index).fillna(0.0).astype(float)
    channel = pd.get_dummies(customers["acquisition_channel"].reindex(index), prefix="came_by", dtype=float)
    return early.join(channel)


@fresh
def segment_split() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Stratified 75/25 split (seed 0) of the base customers' early features and personas.

    The 'New customers' persona is left out: a customer who signed up before 2025 has had a year to
    become something else.
    """
    from sklearn.model_selection import train_test_split

    old, _ = old_and_new()
    y = personas.reference().loc[old.index]
    keep = (y != "New customers").to_numpy()
    X, y = early_features.reference().loc[old.index[keep]], y[keep]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    return X_train, X_test, y_train, y_test


@fresh
def segment_model() -> Any:
    """RandomForestClassifier(200 trees, min_samples_leaf=3, seed 0) fitted on the training split."""
    from sklearn.ensemble import RandomForestClassifier

    X_train, _, y_train, _ = segment_split.reference()
    return RandomForestClassifier(n_estimators=200, min_samples_leaf=3, random_state=0, n_jobs=1).fit(X_train, y_train)


@fresh
def ab_test() -> pd.DataFrame:
    """SPRING25 campaign rows joined with each customer's persona ('New customers' left out: 9 mailed)."""
    from course_utils.data import load_campaign

    campaign = load_campaign().set_index("customer_id")
    table = campaign.join(personas.reference(), how="inner")
    table["variant"] = table["variant"].astype(str)
    return table[table["persona"] != "New customers"].copy()


@fresh
def purchase_matrix() -> pd.DataFrame:
    """Customers x products: 1 if the customer ever bought the product (returns ignored), else 0."""
    from course_utils.data import load_transactions

    tx = load_transactions()
    bought = tx[tx["quantity"] > 0]
    matrix = pd.crosstab(bought["customer_id"], bought["product_id"]).clip(upper=1)
    matrix.columns.name = "product_id"
    return matrix.astype("int64")


@fresh
def item_similarity() -> pd.DataFrame:
    """Cosine similarity between the products' customer columns, diagonal set to 0."""
    from sklearn.metrics.pairwise import cosine_similarity

    matrix = purchase_matrix.reference()
    sim = cosine_similarity(matrix.T.to_numpy(dtype=float))
    np.fill_diagonal(sim, 0.0)
    return pd.DataFrame(sim, index=matrix.columns, columns=matrix.columns)


def _near(got: Any, right: Any, decimals: int | None = 2) -> bool:
    """The course's tolerance policy (CONTRIBUTING): no precision stated means two decimals;
    a diagnosis ("these are the clicks") needs the value itself (EXACT)."""
    return within(got, right, decimals)


def _number(value: Any, name: str) -> float:
    return require_number(value, f"`{name}`", nan_hint="check for empty groups or missing values.")


def _ari(a: Any, b: Any) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


# -- q1: assign new customers with the saved scaler and model ------------------------------


@functools.cache
def _new_labels(variant: str) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    scaler, kmeans = fitted_segmenter.reference()
    _, new = old_and_new()
    X_new = log_features(new)
    if variant == "right":
        return kmeans.predict(scaler.transform(X_new))
    if variant == "refit_scaler":
        return kmeans.predict(StandardScaler().fit_transform(X_new))
    if variant == "refit_kmeans":
        return KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(scaler.transform(X_new))
    if variant == "no_log":
        return kmeans.predict(scaler.transform(new[FEATURES].astype(float)))
    raise ValueError(variant)  # pragma: no cover - programming error


def _check_new_segments(value: Any) -> None:
    _, new = old_and_new()
    if hasattr(value, "fit") and hasattr(value, "get_params"):
        raise Incorrect(
            "`new_segments` is a model; give one segment label per new customer (the output of `.predict`)."
        )
    if not isinstance(value, np.ndarray):
        raise Incorrect(
            "`new_segments` should be a NumPy array of segment numbers (what kmeans.predict returns), but it is a "
            f"{type(value).__name__}."
        )
    labels = value
    if labels.ndim != 1:
        raise Incorrect(f"`new_segments` should be 1-D (one label per new customer), but it has shape {labels.shape}.")
    if len(labels) != len(new):
        raise Incorrect(
            f"`new_segments` has {len(labels)} labels, but `new` has {len(new)} customers: label every new customer, "
            "and only them (not the base customers)."
        )
    if labels.dtype.kind not in "iu":
        raise Incorrect(
            f"`new_segments` should hold whole segment numbers (integers), but its dtype is {labels.dtype}."
        )
    right = _new_labels("right")
    if np.array_equal(labels, right):
        return
    if _ari(labels, right) >= 0.999:
        raise Incorrect(
            "same groups, but other segment numbers: the saved model's numbers are the segments marketing knows. "
            "Keep the labels kmeans.predict gives; do not renumber them."
        )
    if _ari(labels, _new_labels("refit_scaler")) >= 0.999:
        raise Incorrect(
            "you fitted a new scaler on the new customers. Their means differ from the base (shorter tenure, fewer "
            "orders), so the same raw customer lands elsewhere. Reuse the saved `scaler`: scaler.transform(...)."
        )
    if _ari(labels, _new_labels("refit_kmeans")) >= 0.999:
        raise Incorrect(
            "you fitted a new k-means on the new customers: its clusters are not the segments marketing knows. "
            "Use the saved model's `kmeans.predict(...)`, never fit_predict on new data."
        )
    if _ari(labels, _new_labels("no_log")) >= 0.999:
        raise Incorrect(
            "you skipped the log transform: the saved scaler was fitted on `log_features(...)`, so new customers must "
            "go through the same steps in the same order."
        )
    if np.array_equal(np.sort(labels), np.sort(right)):
        raise Incorrect(
            "the right labels, but not in the order of the rows of `new`: keep one label per row of `new`, in the "
            "same order (do not sort or shuffle)."
        )
    raise Incorrect(
        "these labels do not match the saved segmentation. Apply the same steps as at fitting time: "
        "kmeans.predict(scaler.transform(log_features(new)))."
    )


q1 = Question(
    "new_segments",
    _check_new_segments,
    hints=[
        "New customers must go through exactly the steps the base went through, with the *same fitted* objects.",
        "First log_features(new), then the saved scaler's .transform (not fit_transform), then the saved model's "
        ".predict.",
        "new_segments = kmeans.predict(scaler.transform(log_features(new)))",
    ],
    solution="new_segments = kmeans.predict(scaler.transform(log_features(new)))",
    praise="the saved scaler and model put each new customer in an existing segment, the one marketing already knows.",
)

# -- q2: churn label from a time cut-off --------------------------------------------------


@functools.cache
def _churn(variant: str) -> pd.Series:
    from course_utils.data import load_transactions

    tx = load_transactions()
    day = tx["invoice_date"].dt.normalize()
    cut, end = pd.Timestamp(CUT), pd.Timestamp(HORIZON_END)
    before = tx[(day <= cut) & (tx["quantity"] > 0)]
    base = pd.Index(sorted(before["customer_id"].unique()), name="customer_id")
    if variant == "end_exclusive":  # the last day of the window left out
        after = tx[(day > cut) & (day < end) & (tx["quantity"] > 0)]
    else:
        after = tx[(day > cut) & (day <= end) & (tx["quantity"] > 0)]
    if variant == "past":  # "churned" = no purchase in the last 184 days *before* the cut: the past, not the future
        last = before.groupby("customer_id")["invoice_date"].max().dt.normalize().reindex(base)
        return pd.Series(
            ((cut - last).dt.days > (end - cut).days).astype("int64").to_numpy(), index=base, name="churned"
        )
    active = base.isin(after["customer_id"].unique())
    if variant == "all_customers":
        everyone = pd.Index(sorted(tx["customer_id"].unique()), name="customer_id")
        return pd.Series((~everyone.isin(after["customer_id"].unique())).astype("int64"), index=everyone)
    label = active if variant == "inverted" else ~active
    return pd.Series(label.astype("int64"), index=base, name="churned")


def _check_churned(value: Any) -> None:
    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 1:
            value = value.iloc[:, 0]
        else:
            raise Incorrect("`churned` is a table; it should be one Series: customer_id -> 1 (churned) or 0 (stayed).")
    if not isinstance(value, pd.Series):
        raise Incorrect(
            f"`churned` should be a pandas Series indexed by customer_id, but it is a {type(value).__name__}."
        )
    right = _churn("right")
    got = value.copy()
    got.index = got.index.astype(str)
    if got.index.has_duplicates:
        raise Incorrect("`churned` has a customer more than once: one row per customer (group by customer_id).")
    if not pd.api.types.is_bool_dtype(got) and not pd.api.types.is_numeric_dtype(got):
        raise Incorrect(f"`churned` should hold 1/0 (or True/False), but its values are {got.dtype}.")
    if got.isna().any():
        raise Incorrect("`churned` has missing values: a customer with no purchase after the cut-off has churned (1).")
    extra = got.index.difference(right.index)
    missing = right.index.difference(got.index)
    if len(extra) and not len(missing):
        raise Incorrect(
            f"`churned` has {len(extra)} customers who had bought nothing by the cut-off ({CUT}). Only customers "
            "active before the cut can churn: keep those with a purchase (quantity > 0) on or before the cut."
        )
    if len(missing):
        raise Incorrect(
            f"`churned` lacks {len(missing)} customers who bought on or before {CUT}: keep every customer with a "
            "purchase up to the end of the cut-off day (compare by calendar day, .dt.normalize() <= CUT)."
        )
    got = got.reindex(right.index).astype("int64")
    if not set(got.unique()) <= {0, 1}:
        raise Incorrect("`churned` should hold only 1 (churned) and 0 (stayed).")
    if (got == right).all():
        return
    if (got == _churn("inverted")).all():
        raise Incorrect(
            "your labels are inverted: churned = 1 means *no* purchase after the cut-off, 0 means they bought again."
        )
    if (got == _churn("past")).all():
        raise Incorrect(
            "you labelled customers by how long they had been quiet *before* the cut-off. That is a feature (recency "
            "at "
            "the cut), not the future: churned = 1 when they buy nothing *after* the cut, up to the end of the window."
        )
    if (got == _churn("end_exclusive")).all():
        raise Incorrect(
            f"a purchase made on {HORIZON_END} itself counts: the window runs after the cut-off *and up to* "
            f"{HORIZON_END}, that day included (<=, not <)."
        )
    raise Incorrect(
        f"{int((got != right).sum())} labels are wrong. Churned = 1 when the customer has no purchase (quantity > 0) "
        f"after {CUT} and up to {HORIZON_END}; compare dates by calendar day."
    )


q2 = Question(
    "churned",
    _check_churned,
    hints=[
        "Two steps: who was a customer by the cut-off (a purchase on or before it), and who of them bought again "
        "after it.",
        "before = purchases with invoice_date.dt.normalize() <= CUT; after = purchases dated after CUT and up to "
        "HORIZON_END. Churned = in `before` but not in `after`.",
        "purchases = transactions[transactions['quantity'] > 0]; day = purchases['invoice_date'].dt.normalize()\n"
        "base = pd.Index(purchases.loc[day <= CUT, 'customer_id'].unique())\n"
        "again = purchases.loc[(day > CUT) & (day <= HORIZON_END), 'customer_id'].unique()\n"
        "churned = pd.Series(~base.isin(again), index=base).astype(int)",
    ],
    solution=(
        "purchases = transactions[transactions['quantity'] > 0]\n"
        "day = purchases['invoice_date'].dt.normalize()\n"
        "base = pd.Index(sorted(purchases.loc[day <= CUT, 'customer_id'].unique()), name='customer_id')\n"
        "again = purchases.loc[(day > CUT) & (day <= HORIZON_END), 'customer_id'].unique()\n"
        "churned = pd.Series(~base.isin(again), index=base).astype(int)"
    ),
    praise="features from before the cut, label from after it: the model will face the same situation in production.",
)

# -- q3: per-segment recall on held-out customers -----------------------------------------


@functools.cache
def _recalls(kind: str) -> pd.Series:
    from sklearn.metrics import precision_score, recall_score

    X_train, X_test, y_train, y_test = segment_split.reference()
    model = segment_model.reference()
    X, y = (X_train, y_train) if kind == "train" else (X_test, y_test)
    classes = model.classes_
    score = precision_score if kind == "precision" else recall_score
    values = score(y, model.predict(X), labels=classes, average=None, zero_division=0)
    return pd.Series(values, index=[str(c) for c in classes]).sort_index()


def _check_recall(value: Any) -> None:
    right = _recalls("test")
    if isinstance(value, (numbers.Real, np.floating)) and not isinstance(value, bool):
        raise Incorrect(
            "that is one number (an overall accuracy or average). The question asks for the recall of *each* segment: "
            "a Series with one value per persona. An average hides the segment the model misses."
        )
    if isinstance(value, dict):
        value = pd.Series(value)
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            "`recall_by_segment` is a table; keep one Series: persona -> recall (e.g. the 'recall' column)."
        )
    if not isinstance(value, pd.Series):
        raise Incorrect(
            "`recall_by_segment` should be a pandas Series indexed by persona name, but it is a "
            f"{type(value).__name__}. "
            "Wrap the array: pd.Series(values, index=model.classes_)."
        )
    got = value.copy()
    got.index = [str(i) for i in got.index]
    if set(got.index) != set(right.index):
        raise Incorrect(
            f"the index should be the persona names {sorted(right.index)}, but it is {sorted(got.index)[:6]}. "
            "Use labels=model.classes_ and index=model.classes_."
        )
    try:
        got = got.astype(float).sort_index()
    except (TypeError, ValueError):
        raise Incorrect("`recall_by_segment` should hold numbers between 0 and 1.") from None
    if _near(got, right):
        return
    if _near(got, _recalls("train")):
        raise Incorrect(
            "these recalls are measured on the *training* customers, which the forest has memorised. Judge a model on "
            "customers it has never seen: X_test and y_test."
        )
    if _near(got, _recalls("precision")):
        raise Incorrect(
            "that is the precision (of those predicted X, how many are X). Recall is: of the customers truly in X, how "
            "many the model finds. Use recall_score."
        )
    if _near(got, 100 * right, 0):
        raise Incorrect("these are percentages; give recall as a share between 0 and 1.")
    raise Incorrect(
        "the recalls do not match the held-out set. Predict X_test with the fitted `model` and compare with y_test: "
        "recall_score(y_test, pred, labels=model.classes_, average=None)."
    )


q3 = Question(
    "recall_by_segment",
    _check_recall,
    hints=[
        "Predict customers the model has *not* seen (the test split), then measure per segment.",
        "sklearn.metrics.recall_score with average=None gives one recall per class, in the order of `labels`.",
        "pred = model.predict(X_test)\n"
        "recall_by_segment = pd.Series(recall_score(y_test, pred, labels=model.classes_, average=None), "
        "index=model.classes_)",
    ],
    solution=(
        "pred = model.predict(X_test)\n"
        "recall_by_segment = pd.Series(recall_score(y_test, pred, labels=model.classes_, average=None), "
        "index=model.classes_)"
    ),
    praise="held-out recall per segment shows which persona the early signals miss, which one accuracy would hide.",
)

# -- q4: uplift per segment ------------------------------------------------------------------


@functools.cache
def _uplift(outcome: str = "converted", sign: int = 1) -> pd.Series:
    ab = ab_test.reference()
    rates = ab.groupby(["persona", "variant"])[outcome].mean().unstack()
    return (sign * (rates["offer"] - rates["control"])).sort_index()


def _check_uplift(value: Any) -> None:
    right = _uplift()
    if isinstance(value, (numbers.Real, np.floating)) and not isinstance(value, bool):
        pooled = ab_test.reference()
        p = pooled.groupby("variant")["converted"].mean()
        if _near(float(value), p["offer"] - p["control"]):
            raise Incorrect(
                "that is the pooled uplift over all segments. The question asks for one uplift per persona: the "
                "pooled number hides segments where the offer does little (and those where it does a lot)."
            )
        raise Incorrect("`uplift` should be a Series with one value per persona, not one number.")
    if isinstance(value, dict):
        value = pd.Series(value)
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            "`uplift` is a table; keep one Series: persona -> offer rate minus control rate "
            "(e.g. rates['offer'] - rates['control'])."
        )
    if not isinstance(value, pd.Series):
        raise Incorrect(f"`uplift` should be a pandas Series indexed by persona, but it is a {type(value).__name__}.")
    got = value.copy()
    got.index = [str(i) for i in got.index]
    if set(got.index) != set(right.index):
        raise Incorrect(f"the index should be the personas {sorted(right.index)}, but it is {sorted(got.index)[:6]}.")
    try:
        got = got.astype(float).sort_index()
    except (TypeError, ValueError):
        raise Incorrect("`uplift` should hold numbers (differences of conversion rates).") from None
    if _near(got, right):
        return
    if _near(got, -right):
        raise Incorrect(
            "the sign is reversed: uplift is offer minus control, so a helpful offer gives a positive uplift."
        )
    for outcome in ("clicked", "opened"):
        if _near(got, _uplift(outcome), EXACT):
            raise Incorrect(
                f"you used `{outcome}`. The campaign's goal is an order: use `converted`. Clicks and opens are cheap "
                "signals that a discount inflates without any sale."
            )
    if _near(got, 100 * right, 0):
        raise Incorrect("these are percentage points; give the uplift as a difference of proportions (0.05, not 5).")
    raise Incorrect(
        "the uplifts do not match. Per persona: mean of `converted` among 'offer' minus mean among 'control'."
    )


q4 = Question(
    "uplift",
    _check_uplift,
    hints=[
        "Compute the conversion rate of each variant within each persona, then subtract.",
        "ab.groupby(['persona', 'variant'])['converted'].mean().unstack() gives a persona x variant table.",
        "rates = ab.groupby(['persona', 'variant'])['converted'].mean().unstack()\nuplift = rates['offer'] - "
        "rates['control']",
    ],
    solution="rates = ab.groupby(['persona', 'variant'])['converted'].mean().unstack()\nuplift = rates['offer'] - "
    "rates['control']",
    praise="one uplift per segment: now compare each with its confidence interval before you act on it.",
)

# -- q5: item-item recommendations ---------------------------------------------------------------


def _scores() -> pd.Series:
    return purchase_matrix.reference().loc[WHO] @ item_similarity.reference()


def _check_recommended(value: Any) -> None:
    if isinstance(value, pd.Series):
        raise Incorrect(
            "`recommended` is a Series of scores; the question asks for a list of product ids: .index.tolist()."
        )
    if isinstance(value, str) or not isinstance(value, list):
        raise Incorrect(
            f"`recommended` should be a list of 5 product ids (strings like 'P0001'), not a {type(value).__name__}"
            + (": use .tolist()." if hasattr(value, "tolist") else ".")
        )
    if not all(isinstance(v, str) for v in value):
        raise Incorrect("`recommended` should hold product ids as text (strings like 'P0001').")
    value = [str(v) for v in value]
    if len(value) != 5:
        raise Incorrect(f"`recommended` has {len(value)} products; the question asks for the top 5.")
    if len(set(value)) != 5:
        raise Incorrect("`recommended` lists a product twice: five different products.")
    matrix = purchase_matrix.reference()
    unknown = [v for v in value if v not in matrix.columns]
    if unknown:
        raise Incorrect(f"{unknown[:3]} are not product ids of the purchase matrix (they look like 'P0001').")
    owned = matrix.loc[WHO]
    already = [v for v in value if owned[v] == 1]
    scores = _scores()
    if already:
        raise Incorrect(
            f"{len(already)} of your products ({', '.join(already[:3])}) were already bought by {WHO}. Remove the "
            "products the customer owns before taking the top 5: a recommendation should be new to them."
        )
    candidates = scores[owned == 0]
    fifth = candidates.nlargest(5).iloc[-1]
    if all(scores[v] >= fifth - 1e-12 for v in value):
        mine = [float(scores[v]) for v in value]
        if any(a < b - 1e-12 for a, b in zip(mine, mine[1:], strict=False)):
            raise Incorrect(
                "the right five products, but not best first: sort them by score, highest first (nlargest does it)."
            )
        return
    popular = matrix.sum()[owned == 0].nlargest(5).index
    if set(value) == set(popular):
        raise Incorrect(
            "these are the most popular products, the same for everybody. Score each product by its similarity to what "
            f"{WHO} bought: bought.loc[WHO] @ sim."
        )
    if set(value) == set(candidates.nsmallest(5).index):
        raise Incorrect(
            "these are the 5 *lowest*-scored products: take the largest scores (nlargest), not the smallest."
        )
    raise Incorrect(
        "these are not the 5 best-scored products. Score = bought.loc[WHO] @ sim (the sum of similarities to the "
        "products the customer bought); drop the ones already bought; take the 5 largest."
    )


q5 = Question(
    "recommended",
    _check_recommended,
    hints=[
        "A product scores high when it is similar to many of the products this customer bought.",
        "scores = bought.loc[WHO] @ sim  (one score per product); then keep scores[bought.loc[WHO] == 0].",
        "scores = bought.loc[WHO] @ sim\nrecommended = scores[bought.loc[WHO] == 0].nlargest(5).index.tolist()",
    ],
    solution="scores = bought.loc[WHO] @ sim\nrecommended = scores[bought.loc[WHO] == 0].nlargest(5).index.tolist()",
    praise="item-item filtering: 'customers who bought what you bought also bought these', minus what you own.",
)

# -- q6: population stability index ---------------------------------------------------------------


def _psi(reference: np.ndarray, new: np.ndarray, eps: float = 1e-4) -> float:
    edges = np.quantile(reference, np.linspace(0, 1, 11))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.clip(np.histogram(reference, edges)[0] / len(reference), eps, None)
    a = np.clip(np.histogram(new, edges)[0] / len(new), eps, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _monetary() -> tuple[np.ndarray, np.ndarray]:
    old, new = old_and_new()
    return old[PSI_FEATURE].to_numpy(dtype=float), new[PSI_FEATURE].to_numpy(dtype=float)


def _check_psi(value: Any) -> None:
    from scipy.stats import ks_2samp

    got = _number(value, "drift_psi")
    reference, new = _monetary()
    right = _psi(reference, new)
    if _near(got, right):
        return
    if _near(got, _psi(new, reference), EXACT):
        raise Incorrect(
            "your bins come from the new customers. PSI measures how far the new data moved from the *reference*: "
            "take the decile edges from the reference (the base customers) and count the new customers in them."
        )
    if _near(got, -right):
        raise Incorrect("PSI cannot be negative: it is sum((a - e) * ln(a / e)); you have ln(e / a) or (e - a).")
    if _near(got, float(ks_2samp(reference, new).statistic), EXACT):
        raise Incorrect(
            "that is the Kolmogorov-Smirnov statistic, another drift measure. The question asks for the PSI."
        )
    if got < 0:
        raise Incorrect("PSI cannot be negative: each term (a - e) * ln(a / e) is >= 0.")
    raise Incorrect(
        "`drift_psi` does not match the recipe. Decile edges of the reference (np.quantile(reference, "
        "np.linspace(0, 1, 11))), outer edges set to -inf and inf, shares of each sample per bin, floored at 1e-4."
    )


q6 = Question(
    "drift_psi",
    _check_psi,
    hints=[
        "Cut the reference into 10 bins with equal numbers of customers, then see what share of the new customers "
        "falls in each.",
        "edges = np.quantile(reference, np.linspace(0, 1, 11)); set edges[0] = -np.inf and edges[-1] = np.inf; "
        "np.histogram(x, edges)[0] / len(x) gives the shares.",
        "e = np.clip(np.histogram(reference, edges)[0] / len(reference), 1e-4, None); a = the same for new_values;\n"
        "drift_psi = float(np.sum((a - e) * np.log(a / e)))",
    ],
    solution=(
        "edges = np.quantile(reference, np.linspace(0, 1, 11))\n"
        "edges[0], edges[-1] = -np.inf, np.inf\n"
        "e = np.clip(np.histogram(reference, edges)[0] / len(reference), 1e-4, None)\n"
        "a = np.clip(np.histogram(new_values, edges)[0] / len(new_values), 1e-4, None)\n"
        "drift_psi = float(np.sum((a - e) * np.log(a / e)))"
    ),
    praise="between 0.1 and 0.25: the 2025 sign-ups buy at other prices than the base; worth a look, not yet an alarm.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6}

#: What each task states, property by property (the solution notebook's task text is the source).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "`new_segments` is a NumPy array",
        "shape": "1-D, one label per row of `new` (not the base customers)",
        "dtype": "segment numbers (integers)",
        "ids": "the saved model's segment numbers, not renumbered",
        "order": "in the order of the rows of `new`",
        "reuse_scaler": "the saved `scaler` is reused (transform, never fitted again)",
        "reuse_model": "the saved `kmeans` is reused (predict, never fitted again)",
        "steps": "the same steps as at fitting time: log_features first",
    },
    "q2": {
        "type": "`churned` is a pandas Series indexed by customer_id",
        "unique": "one row per customer",
        "rows": "exactly the customers with a purchase (quantity > 0) on or before the cut-off day",
        "cut_day": "dates compared by calendar day: a purchase on the cut-off day counts as before it",
        "values": "1 or 0 (True/False accepted), no missing values",
        "meaning": "1 when the customer made no purchase after the cut-off, 0 when they did (the future, not the past)",
        "window_end": "the window runs up to HORIZON_END, that day included",
    },
    "q3": {
        "type": "`recall_by_segment` is a pandas Series (one value per persona)",
        "index": "indexed by persona name (the model's classes)",
        "metric": "recall (of the customers truly in a persona, the share found), not precision",
        "held_out": "measured on the held-out test split",
        "units": "shares between 0 and 1, to two decimals at least",
    },
    "q4": {
        "type": "`uplift` is a pandas Series",
        "index": "indexed by persona",
        "per_segment": "one uplift per persona, not pooled",
        "value": "conversion rate of the offer group minus that of the control group",
        "outcome": "conversion (`converted`), not clicks or opens",
        "units": "a difference of proportions (to two decimals at least), not percentage points",
    },
    "q5": {
        "type": "`recommended` is a list of product ids (text)",
        "length": "five different products",
        "valid": "ids of the purchase matrix",
        "new": "products WHO has not bought yet",
        "value": "the five best-scored products, score = sum of similarities to WHO's products",
        "order": "best first",
    },
    "q6": {
        "type": "`drift_psi` is one number (a float)",
        "bins": "bins at the deciles of `reference` (outer edges -inf and inf)",
        "formula": "sum((a - e) * ln(a / e)) with shares floored at 1e-4: never negative",
        "measure": "the population stability index, not another drift statistic",
        "value": "the PSI of PSI_FEATURE between the base and the new customers, to two decimals at least",
    },
}
