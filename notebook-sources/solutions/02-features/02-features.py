# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="2a4ebe65" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 2: customer features (RFM, scores, scaling, encoding)
#
# Seven small questions and one short written answer (about 60 minutes). They practise what the
# lessons `lessons/02-features` showed: RFM built by hand from order lines, quintile scores,
# fitting a scaler on the right data, one-hot encoding and a scikit-learn `ColumnTransformer`.
#
# **How to work:** run the set-up cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it.
# The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.
#
# The course-wide RFM definition, used by every later module:
# - a **purchase** is a line with `quantity > 0` (returns have negative quantities);
# - `recency_days` = snapshot date minus the calendar date of the customer's last purchase, in days;
# - `frequency` = the number of **distinct purchase invoices**;
# - `monetary_gbp` = the sum of `quantity * unit_price` over **all** lines, returns included (net spend).

# %% id="5a0b2a37" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from course_utils.data import SNAPSHOT_DATE, load_customers, load_transactions
from course_utils.questions.m02_features import practice_rfm, q1, q2, q3, q4, q5, q6, q7, scaling_split

tx = load_transactions()  # clean order lines: cancellations removed, returns kept, prices in GBP
customers = load_customers()
SNAPSHOT = pd.Timestamp(SNAPSHOT_DATE)  # the "today" of this analysis
print(f"{len(tx):,} order lines; snapshot date {SNAPSHOT:%d %B %Y}")
tx.head()

# %% [markdown] id="7b9a2efd" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: recency (2 points)
#
# Make `recency_days`: a Series indexed by `customer_id`, one value per customer with at least one
# purchase, holding the number of days from the calendar date of their **last purchase** to
# `SNAPSHOT`. Count whole calendar days: an order at 18:30 on the snapshot day has recency 0
# (`.dt.normalize()` sets a date-time to midnight of its day).

# %% id="2b7ceaed" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
purchases = tx[tx["quantity"] > 0]
last_day = purchases["invoice_date"].dt.normalize().groupby(purchases["customer_id"]).max()
recency_days = (SNAPSHOT - last_day).dt.days
### END SOLUTION

# %% id="a345b1ad" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
_p = tx[tx["quantity"] > 0]
_last = _p.groupby("customer_id")["invoice_date"].max().dt.floor("D")
_r = pd.Series(recency_days)
assert (_r >= 0).all()
assert (_r.sort_index().to_numpy() == (SNAPSHOT - _last.sort_index()).dt.days.to_numpy()).all()
### END HIDDEN TESTS

# %% id="45a7597b"
# q1.hint()
# q1.solution()

# %% [markdown] id="066f97d1" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: frequency (1 point)
#
# Make `frequency`: a Series indexed by `customer_id` with the number of distinct purchase invoices
# of each customer who bought something.

# %% id="b959df93" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
frequency = tx[tx["quantity"] > 0].groupby("customer_id")["invoice"].nunique()
### END SOLUTION

# %% id="628b91a2" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
_inv = tx.loc[tx["quantity"] > 0, ["customer_id", "invoice"]].drop_duplicates()
assert (pd.Series(frequency).sort_index().to_numpy() == _inv["customer_id"].value_counts().sort_index().to_numpy()).all()
### END HIDDEN TESTS

# %% id="66c5c0c3"
# q2.hint()
# q2.solution()

# %% [markdown] id="10579da0" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: monetary value (1 point)
#
# Make `monetary_gbp`: a Series indexed by `customer_id` (the customers who bought something) with
# their net spend in pounds, returns subtracted.

# %% id="f38f3636" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
line = tx["quantity"] * tx["unit_price"]
net = line.groupby(tx["customer_id"]).sum()
monetary_gbp = net.loc[tx.loc[tx["quantity"] > 0, "customer_id"].unique()].sort_index()
### END SOLUTION

# %% id="3e9d2b86" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
_m = pd.Series(monetary_gbp, dtype=float)
_total = float((tx["quantity"] * tx["unit_price"]).sum())
_only_returners = set(tx["customer_id"]) - set(tx.loc[tx["quantity"] > 0, "customer_id"])
_theirs = float((tx["quantity"] * tx["unit_price"])[tx["customer_id"].isin(_only_returners)].sum())
assert abs(_m.sum() - (_total - _theirs)) < 0.5
### END HIDDEN TESTS

# %% id="957bfb82"
# q3.hint()
# q3.solution()

# %% [markdown] id="48a7dc84" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: a recency score from 1 to 5 (2 points)
#
# The table `practice` (made up, 500 customers) has RFM columns. Make `r_score`: a Series with the
# index of `practice` and the **quintile** score of `recency_days`: 5 for the fifth of customers who
# bought most recently, 1 for the fifth who bought longest ago.

# %% id="843a430a"
practice = practice_rfm()
practice.head()

# %% id="95158a95" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
r_score = pd.qcut(practice["recency_days"].rank(method="first"), 5, labels=[5, 4, 3, 2, 1]).astype(int)
### END SOLUTION

# %% id="8077d5af" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
_s = pd.Series(r_score).astype(int)
assert sorted(_s.unique()) == [1, 2, 3, 4, 5]
assert practice["recency_days"][_s.to_numpy() == 5].max() <= practice["recency_days"][_s.to_numpy() == 1].min()
assert _s.value_counts().between(90, 110).all()
### END HIDDEN TESTS

# %% id="ccd61c99"
# q4.hint()
# q4.solution()

# %% [markdown] id="86681b06" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: fit the scaler on the right data (2 points)
#
# `train` holds the log-RFM features of 400 existing customers, on which Larkspur's segments were
# built. `new` holds 100 customers who joined since. Standardise `new` **on the same ruler as the
# existing customers**: a `StandardScaler` that learns its means and standard deviations from `train`
# only. Store the transformed `new` in `new_scaled`.

# %% id="ce5b12a7"
train, new = scaling_split()
train.describe().round(2)

# %% id="73047e39" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
scaler = StandardScaler().fit(train)
new_scaled = scaler.transform(new)
### END SOLUTION

# %% id="a32d9516" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
_ns = np.asarray(new_scaled, dtype=float)
_expected = (new.to_numpy() - train.to_numpy().mean(axis=0)) / train.to_numpy().std(axis=0)
assert np.allclose(_ns, _expected)
### END HIDDEN TESTS

# %% id="275ee581"
# q5.hint()
# q5.solution()

# %% [markdown] id="5b736812" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 6: one-hot encoding (1 point)
#
# Make `encoded`: a DataFrame with one 0/1 (or False/True) column per category of `region` and of
# `acquisition_channel` in `customers`, one row per customer.

# %% id="c05bfa6e" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
encoded = pd.get_dummies(customers[["region", "acquisition_channel"]])
### END SOLUTION

# %% id="0c240255" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
_e = pd.DataFrame(encoded).astype(int)
assert _e.shape == (len(customers), customers["region"].nunique() + customers["acquisition_channel"].nunique())
assert (_e.sum(axis=1) == 2).all()
### END HIDDEN TESTS

# %% id="09b1e482"
# q6.hint()
# q6.solution()

# %% [markdown] id="133ba935" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 7: one preprocessing object (2 points)
#
# Build `preprocess`, a scikit-learn `ColumnTransformer` that, fitted on a table like `practice`:
# - takes `recency_days`, `frequency` and `monetary_gbp`, applies `np.log1p` and then a
#   `StandardScaler` (chain the two steps in a `Pipeline`, the log as a `FunctionTransformer`);
# - one-hot encodes `region` and `acquisition_channel` with `OneHotEncoder`.
#
# Do not fit it: the check fits it on `practice`.

# %% id="13a9613a" nbgrader={"grade": false, "grade_id": "q7-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
numeric = Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())])
preprocess = ColumnTransformer([
    ("num", numeric, ["recency_days", "frequency", "monetary_gbp"]),
    ("cat", OneHotEncoder(), ["region", "acquisition_channel"]),
])
### END SOLUTION

# %% id="fed8bc71" nbgrader={"grade": true, "grade_id": "q7-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q7.check()
### BEGIN HIDDEN TESTS
from sklearn.base import clone

_out = clone(preprocess).fit_transform(practice)
_out = _out.toarray() if hasattr(_out, "toarray") else np.asarray(_out)
assert _out.shape == (500, 3 + practice["region"].nunique() + practice["acquisition_channel"].nunique())
assert np.isclose(np.sort(np.abs(_out.mean(axis=0)))[:3], 0, atol=1e-9).all()
### END HIDDEN TESTS

# %% id="a7f1f1c2"
# q7.hint()
# q7.solution()

# %% [markdown] id="4fc6560a" nbgrader={"grade": false, "grade_id": "q8-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 8: reading RFM scores (written, 3 points, graded by your instructor)
#
# The lesson built rule-based segments from R and F scores. In 80-150 words: (a) describe the
# customers with R = 1 and F = 5 and say what Larkspur should do for them; (b) the correlation
# between `frequency` and `monetary_gbp` is strong. Does it show that getting customers to order
# more often *causes* them to spend more in total? Give one reason why not.

# %% [markdown] id="4ad27ae4" nbgrader={"grade": true, "grade_id": "q8-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# Full marks (3): (a) R = 1, F = 5: customers who used to order very often but have not bought for a
# long time, the classic "at risk" / "can't lose them" group (1); a concrete retention action,
# e.g. a personal win-back offer or a survey asking what went wrong, sent soon and before they lapse
# completely (1). (b) No (1 for a valid reason): correlation is not causation; monetary is *built*
# from the same orders (more invoices mechanically add more money), so part of the correlation is
# arithmetic; a third factor (e.g. being a loyal, high-income customer, or the segment) can drive
# both; pushing extra orders may only split the same spending into smaller baskets. Only an
# experiment (A/B test) could show a causal effect.
# === END MARK SCHEME ===
