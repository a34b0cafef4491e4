# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="77c97691" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 7: from segments to action
#
# Six autograded questions and one written answer (about 60 minutes). They practise the lessons
# `07a-predict-and-explain` and `07b-test-recommend-monitor`: assigning new customers to the saved
# segments, a churn label from a time cut-off, judging a classifier on held-out customers, the campaign
# uplift per segment, recommendations, and drift. The last question asks you to decide who gets the
# SPRING25 offer, with numbers.
#
# **How to work:** run the set-up cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it.
# The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.

# %% id="61b4ddf8" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd
from sklearn.metrics import recall_score

from course_utils.data import load_transactions
from course_utils.features import FEATURES, log_features
from course_utils.questions.m07_action import (
    CUT,
    HORIZON_END,
    PSI_FEATURE,
    WHO,
    ab_test,
    fitted_segmenter,
    item_similarity,
    old_and_new,
    purchase_matrix,
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    segment_model,
    segment_split,
)

transactions = load_transactions()
old, new = old_and_new()  # customer features (module 3): signed up before 2025 / during 2025
scaler, kmeans = fitted_segmenter()  # StandardScaler and KMeans(5) fitted on log_features(old)
print(len(old), "base customers,", len(new), "customers who signed up in 2025")

# %% [markdown] id="e2e7f6c3" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: put the new customers in the saved segments (2 points)
#
# Larkspur fitted its segmentation on the base customers: `scaler` on `log_features(old)`, then `kmeans`
# on the scaled result. Assign each of the 2025 sign-ups in `new` to one of **those** segments and store
# the labels in `new_segments`: a NumPy array of segment numbers, one per row of `new`, in the same order. Think about which objects you may fit again, and
# which you must reuse.

# %% id="5793cafd" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
new_segments = kmeans.predict(scaler.transform(log_features(new)))
print(np.bincount(new_segments, minlength=5))
### END SOLUTION

# %% id="1d83f3e2" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Check your answer (run this cell)
q1.check()
### BEGIN HIDDEN TESTS
from sklearn.cluster import KMeans as _KMeans
from sklearn.preprocessing import StandardScaler as _SS

_X = log_features(new)
assert isinstance(new_segments, np.ndarray) and len(new_segments) == len(new)
_base = _SS().fit(log_features(old))
_km = _KMeans(n_clusters=5, n_init=10, random_state=0).fit(_base.transform(log_features(old)))
assert np.array_equal(np.asarray(new_segments), _km.predict(_base.transform(_X))), "labels must come from the saved model"
### END HIDDEN TESTS

# %% id="234b8ef4"
# q1.hint()
# q1.solution()

# %% [markdown] id="c1b6463e" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: a churn label from a time cut-off (2 points)
#
# To train a churn model we need a label that lies in the **future** of the features. Take `CUT`
# (`"2025-06-30"`) as the cut-off and `HORIZON_END` (`"2025-12-31"`) as the end of the window. Build
# `churned`: a Series indexed by `customer_id`, with **one row per customer who made a purchase
# (quantity > 0) on or before the cut-off day**, holding `1` if that customer made **no purchase** after
# the cut-off and up to `HORIZON_END`, else `0`. Compare dates by calendar day (`.dt.normalize()`).
# Use `transactions`.

# %% id="f79ed877" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
purchases = transactions[transactions["quantity"] > 0]
day = purchases["invoice_date"].dt.normalize()
base = pd.Index(sorted(purchases.loc[day <= CUT, "customer_id"].unique()), name="customer_id")
again = purchases.loc[(day > CUT) & (day <= HORIZON_END), "customer_id"].unique()
churned = pd.Series(~base.isin(again), index=base).astype(int)
print(f"{len(churned)} customers, churn rate {churned.mean():.1%}")
### END SOLUTION

# %% id="d9b78720" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
from course_utils.features import rfm_table as _rfm

_at_cut = _rfm(transactions, snapshot_date=CUT)
assert set(churned.index.astype(str)) == set(_at_cut.index)
_at_end = _rfm(transactions, snapshot_date=HORIZON_END)
_days = (pd.Timestamp(HORIZON_END) - pd.Timestamp(CUT)).days
_expected = (_at_end.loc[_at_cut.index, "recency_days"] >= _days).astype(int)  # last purchase on or before the cut
_got = churned.copy()
_got.index = _got.index.astype(str)
assert (_got.reindex(_expected.index).astype(int) == _expected).all()
assert 0.2 < float(_got.astype(int).mean()) < 0.5
### END HIDDEN TESTS

# %% id="0ecad66d"
# q2.hint()
# q2.solution()

# %% [markdown] id="56b23765" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: is the segment predictable from the first 90 days? (2 points)
#
# `model` (below) is a random forest trained to predict a base customer's persona from what Larkspur saw
# in their **first 90 days** (orders, spend, sessions, acquisition channel). Store the **recall of each
# persona** in `recall_by_segment`: a Series indexed by persona name. Measure it where it means
# something. Which persona does the model miss most often?

# %% id="1102dd64" nbgrader={"grade": false, "grade_id": "q3-data", "locked": true, "schema_version": 3, "solution": false}
X_train, X_test, y_train, y_test = segment_split()  # stratified 75/25, random_state=0
model = segment_model()  # RandomForestClassifier(n_estimators=200, min_samples_leaf=3, random_state=0)
print(len(X_train), "training and", len(X_test), "test customers;", list(model.classes_))

# %% id="67e5d63f" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
pred = model.predict(X_test)
recall_by_segment = pd.Series(recall_score(y_test, pred, labels=model.classes_, average=None), index=model.classes_)
recall_by_segment.round(3)
### END SOLUTION

# %% id="888aff93" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import confusion_matrix as _cm

assert isinstance(recall_by_segment, pd.Series)
_m = _cm(y_test, model.predict(X_test), labels=model.classes_)
_r = pd.Series(_m.diagonal() / _m.sum(axis=1), index=model.classes_)
for _name, _value in _r.items():
    assert abs(float(recall_by_segment[_name]) - _value) < 0.005, _name  # two decimals
assert float(recall_by_segment.min()) < 0.5 < float(recall_by_segment.max())
### END HIDDEN TESTS

# %% id="986c65ce"
# q3.hint()
# q3.solution()

# %% [markdown] id="b4f4a737" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: the campaign's uplift per segment (2 points)
#
# `ab` holds the SPRING25 e-mail test: one row per customer mailed, with their `persona`, the `variant`
# they got at random (`"control"`: the usual newsletter, `"offer"`: 20% off), and whether they `opened`,
# `clicked` and `converted` (ordered within 14 days). Store in `uplift` a Series indexed by persona: the
# conversion rate of the offer group **minus** that of the control group, as a proportion.

# %% id="d62f30a7" nbgrader={"grade": false, "grade_id": "q4-data", "locked": true, "schema_version": 3, "solution": false}
ab = ab_test()
ab.groupby(["persona", "variant"]).size().unstack()

# %% id="3de6d83f" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
rates = ab.groupby(["persona", "variant"])["converted"].mean().unstack()
uplift = rates["offer"] - rates["control"]
uplift.round(3)
### END SOLUTION

# %% id="4018acbb" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
from course_utils.data import load_campaign as _lc

assert isinstance(uplift, pd.Series)
_c = _lc().set_index("customer_id").join(ab[["persona"]], how="inner")
for _p, _g in _c.groupby("persona"):
    _u = _g.loc[_g["variant"] == "offer", "converted"].mean() - _g.loc[_g["variant"] == "control", "converted"].mean()
    assert abs(float(uplift[_p]) - _u) < 0.005, _p  # two decimals
assert (uplift > 0).all()
### END HIDDEN TESTS

# %% id="1335669c"
# q4.hint()
# q4.solution()

# %% [markdown] id="d02e17b9" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: recommend five products (2 points)
#
# `bought` is the customer x product purchase matrix (1 = bought at least once), and `sim` the
# item-item cosine similarity of its columns (diagonal set to 0). Score every product for customer
# `WHO` by the sum of its similarities to the products `WHO` bought, and store the ids of the **five
# best products `WHO` has not bought yet** in `recommended` (a list of product ids, best first).

# %% id="3989ef75" nbgrader={"grade": false, "grade_id": "q5-data", "locked": true, "schema_version": 3, "solution": false}
bought = purchase_matrix()
sim = item_similarity()
print(bought.shape, "customer", WHO, "bought", int(bought.loc[WHO].sum()), "different products")

# %% id="41104e96" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
scores = bought.loc[WHO] @ sim
recommended = scores[bought.loc[WHO] == 0].nlargest(5).index.tolist()
recommended
### END SOLUTION

# %% id="edc3a62b" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics.pairwise import cosine_similarity as _cos

assert isinstance(recommended, list) and len(recommended) == 5
_tx = transactions[(transactions["quantity"] > 0)]
_mine = set(_tx.loc[_tx["customer_id"] == WHO, "product_id"])
assert not _mine & set(recommended), "already-bought products recommended"
_M = pd.crosstab(_tx["customer_id"], _tx["product_id"]).clip(upper=1)
_S = _cos(_M.T.to_numpy(dtype=float))
np.fill_diagonal(_S, 0)
_score = pd.Series(_M.loc[WHO].to_numpy(dtype=float) @ _S, index=_M.columns)
_best = _score.drop(index=list(_mine)).nlargest(5)
assert min(_score[p] for p in recommended) >= _best.iloc[-1] - 1e-9
### END HIDDEN TESTS

# %% id="b38f7b58"
# q5.hint()
# q5.solution()

# %% [markdown] id="89b2e79e" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 6: has the new cohort drifted? (2 points)
#
# Before trusting the saved segmentation on the 2025 sign-ups, compare one feature, the mean item price
# (`PSI_FEATURE`), between the base (`reference`) and the new customers (`new_values`) with the
# **population stability index**: cut `reference` into 10 bins at its deciles
# (`np.quantile(reference, np.linspace(0, 1, 11))`, with the outer edges set to `-np.inf` and `np.inf`),
# compute the share `e` of `reference` and the share `a` of `new_values` in each bin (floor both at
# `1e-4`), and store `sum((a - e) * ln(a / e))` as a float in `drift_psi`.

# %% id="61c2eda8" nbgrader={"grade": false, "grade_id": "q6-data", "locked": true, "schema_version": 3, "solution": false}
reference = old[PSI_FEATURE].to_numpy()
new_values = new[PSI_FEATURE].to_numpy()
print(f"median item price: base GBP {np.median(reference):.2f}, 2025 sign-ups GBP {np.median(new_values):.2f}")

# %% id="76fb7c9b" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
edges = np.quantile(reference, np.linspace(0, 1, 11))
edges[0], edges[-1] = -np.inf, np.inf
e = np.clip(np.histogram(reference, edges)[0] / len(reference), 1e-4, None)
a = np.clip(np.histogram(new_values, edges)[0] / len(new_values), 1e-4, None)
drift_psi = float(np.sum((a - e) * np.log(a / e)))
round(drift_psi, 3)
### END SOLUTION

# %% id="f4a9919a" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
from course_utils.action import psi as _psi

assert isinstance(drift_psi, float), "drift_psi must be a number (float)"
assert abs(drift_psi - _psi(reference, new_values, bins=10)) < 0.005  # two decimals
assert 0.1 < drift_psi < 0.25
### END HIDDEN TESTS

# %% id="124730a6"
# q6.hint()
# q6.solution()

# %% [markdown] id="96d7bd1f" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 7: who gets the offer? (written, 4 points, graded by your instructor)
#
# The offer costs Larkspur 20% of the order value on every converted order. In 150-250 words, recommend
# to the marketing director **which personas should get the SPRING25 offer next time, and which should
# not**, using at least **three numbers** from question 4 and a **95% confidence interval** for at least
# two personas (compute them below: `uplift_table` in `course_utils.action` does it, or use the
# two-proportion formula). Say what you would do about the 'New customers' persona, which is missing
# here, and why testing four personas at once calls for some caution before you trust the smallest
# effect.

# %% id="2bb5eb71"
from course_utils.action import uplift_table

uplift_table(ab, "persona").round(3)

# %% [markdown] id="e95ea51c" nbgrader={"grade": true, "grade_id": "q7-written", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 4 points. (1) Sends the offer to App bargain hunters: uplift about +12.8 points (2.4% -> 15.2%), 95% CI
# roughly +9.7 to +16.0, far from 0. (1) Does not send a blanket discount to Loyal premium: highest
# control conversion (~9.3%) and the smallest uplift (~+3.1 points, CI about -1.0 to +7.1, includes 0), so
# the 20% mostly discounts orders that would have happened; a perk without a discount, or a new test.
# (1) Lapsed (+4.5 points, 0.8% -> 5.3%, CI ~+2.3 to +6.6) and Occasional buyers (+4.1, CI ~+1.4 to +6.8):
# a real but small effect; worth it only if the margin on the extra orders exceeds the discount given to
# those who would have bought anyway (a win-back for Lapsed is reasonable). (1) New customers were barely
# mailed (9), so no evidence: run a test for them, do not extrapolate. Multiple comparisons: with four
# tests at 5% one false positive is not unlikely; the strong effects survive a Bonferroni threshold
# (0.05 / 4 = 0.0125), Loyal premium's does not. Accept other well-argued conclusions backed by numbers.
# === END MARK SCHEME ===
