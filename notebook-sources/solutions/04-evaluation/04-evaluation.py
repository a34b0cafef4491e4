# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="ed077e92" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 4: are Larkspur's segments any good?
#
# Three autograded questions and one written answer (about 45 minutes). They practise the lessons
# `04a-internal-metrics-and-stability` and `04b-profiles-personas-action`: agreement with known labels,
# stability under resampling, and profiles in original units, then a recommendation backed by numbers.
#
# **How to work:** run the set-up cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it.
# The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.

# %% id="c738bcfb" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from course_utils.features import FEATURES, course_features, course_matrix, segment_labels
from course_utils.questions.m04_evaluation import q1, q2, q3, resample_rows, truth

features = course_features()  # the module-3 customer table (original units)
X = course_matrix()  # log of the skewed features, then standardised, as in module 3
labels = segment_labels()  # KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X)
truth = truth()  # the planted segment of each customer (evaluation only!), same order as `features`
print(len(features), "customers; clusters:", np.bincount(labels).tolist())
truth.value_counts()

# %% [markdown] id="87af3174" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: agreement with the planted truth (2 points)
#
# How well do the k-means clusters `labels` recover the planted segments `truth`? Store the **adjusted
# Rand index** between them in `ari_truth` (a float). Why not simply count how often the cluster number
# equals the segment's code? Think about it before you answer; question 4 asks.

# %% id="8904697f" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
ari_truth = adjusted_rand_score(truth, labels)
print(round(ari_truth, 3), "NMI:", round(normalized_mutual_info_score(truth, labels), 3))
### END SOLUTION

# %% id="dcdf5089" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Check your answer (run this cell)
q1.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import adjusted_rand_score as _ari
from course_utils.data import load_ground_truth as _lgt

assert isinstance(ari_truth, float), "ari_truth must be a float"
_t = _lgt().set_index("customer_id")["segment"].reindex(features.index)
_perm = np.array([4, 2, 0, 3, 1])[labels]  # same partition, other label ids
assert abs(ari_truth - _ari(_t, _perm)) < 0.005  # the course's tolerance: two decimals
assert 0.5 < ari_truth <= 1
### END HIDDEN TESTS

# %% id="47eba60e"
# q1.hint()
# q1.solution()

# %% [markdown] id="a440f622" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: one stability resample (2 points)
#
# `rows` below holds a random 80% of the customers. Refit `KMeans(n_clusters=5, n_init=10,
# random_state=1)` on `X[rows]` only (another sample *and* another seed), and compare its labels with the
# full-data `labels` **of the same customers** using the adjusted Rand index. Store it in `resample_ari`.
# Near 1 means the segments survive; near 0 means they were an accident.

# %% id="33523962" nbgrader={"grade": false, "grade_id": "q2-data", "locked": true, "schema_version": 3, "solution": false}
rows = resample_rows(len(X))
print(len(rows), "of", len(X), "customers")

# %% id="8987f2b5" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
labels_sub = KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])
resample_ari = adjusted_rand_score(labels[rows], labels_sub)
print(round(resample_ari, 3))
### END SOLUTION

# %% id="0af536da" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import adjusted_rand_score as _ari

assert isinstance(resample_ari, float)
_sub = KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(X[rows])
assert abs(resample_ari - _ari(labels[rows], _sub)) < 0.005
assert resample_ari > 0.9, "k=5 segments are stable on this data"
### END HIDDEN TESTS

# %% id="6af73ea3"
# q2.hint()
# q2.solution()

# %% [markdown] id="72b029d5" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: profile the segments (2 points)
#
# Build `profile`: a DataFrame with **one row per cluster** and the **mean of every column in `FEATURES`**,
# in original units (days, orders, pounds, shares), for the clusters in `labels`. Then look at it: which
# cluster would you call "Loyal premium", which "Lapsed"?

# %% id="1a38f4c0" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
profile = features[FEATURES].groupby(labels).mean()
lift = profile / features[FEATURES].mean()
profile.round(2)
### END SOLUTION

# %% id="a421ea65" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
assert isinstance(profile, pd.DataFrame)
_p = profile[FEATURES].drop(index=[i for i in profile.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
assert len(_p) == 5
# the biggest spenders' mean spend, and the most lapsed cluster's mean recency, whatever their ids
_spend = pd.Series(features["monetary_gbp"].to_numpy()).groupby(labels).mean()
assert abs(_p["monetary_gbp"].max() - _spend.max()) < 0.005
_rec = pd.Series(features["recency_days"].to_numpy()).groupby(labels).mean()
assert abs(_p["recency_days"].max() - _rec.max()) < 0.005
assert _p["recency_days"].min() >= 0
### END HIDDEN TESTS

# %% id="6c726834"
# q3.hint()
# q3.solution()

# %% [markdown] id="6c4d410e" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: recommend a segmentation (written, 4 points, graded by your instructor)
#
# A colleague proposes k-means with **k = 2 on the unscaled features**, because "its silhouette is 0.94,
# far above your 0.34". In 150-250 words, explain to the marketing director which segmentation Larkspur
# should use and **why**, using at least **three numbers** from this exercise or the module-4 lessons
# (e.g. cluster sizes, silhouette, ARI with the truth, stability ARI, profile means). Then name **two**
# segments as personas (with one number each from your `profile`) and give each one action. Finally,
# explain in one sentence why comparing raw cluster numbers with the truth codes would have been wrong.

# %% [markdown] id="36025d0d" nbgrader={"grade": true, "grade_id": "q4-written", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 4 points. (1) Rejects the colleague's proposal with the reason: on unscaled data the distance is
# essentially spend, and k = 2 splits ~28 extreme spenders from ~4,950 others; the silhouette is high
# because outliers are far from the crowd, and silhouettes are not comparable across different scalings
# or feature sets. (1) At least three correct numbers supporting k = 5 on scaled features: silhouette
# about 0.34 (peak over k = 2..8), ARI with the planted truth about 0.83 (vs about 0.37 unscaled), resample
# ARI about 0.99 (stable), five segments of 750-1,300 customers. (1) Two personas named from the profile
# with a number each and one action each, e.g. Lapsed (recency ~540 days, return rate 0.17): win-back
# offer; Loyal premium (spend ~£1,230, 16 orders, items ~£27): perks, no discount; App bargain hunters (app
# share 0.53, items ~£11): in-app offers; New customers (tenure ~75 days): welcome series. (1) Raw ids:
# cluster numbers are arbitrary names; a renamed but identical partition would score differently, so use
# ARI or NMI, which depend only on which customers are grouped together.
# === END MARK SCHEME ===
