# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="851e6811" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 3: clustering Larkspur's customers
#
# Three autograded questions and one short written answer (about 45 minutes). They practise the
# lessons `03a-kmeans` and `03b-hierarchical-dbscan`: scaling before k-means, choosing k, and DBSCAN
# on a shape k-means cannot cut.
#
# **How to work:** run the set-up cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it.
# The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.
# Always use `random_state=0`: the checks compare partitions with the adjusted Rand index, so the
# label *numbers* do not matter, but the seed keeps everyone's work reproducible.

# %% id="291baff3" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from course_utils.data import shape_features
from course_utils.features import FEATURES, SKEWED, course_features
from course_utils.questions.m03_clustering import q1, q2, q3

features = course_features()  # customer_features(transactions, sessions, customers), as in the lessons
print(len(features), "customers; FEATURES =", FEATURES)
print("SKEWED =", SKEWED)

# %% [markdown] id="933d48de" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: scale, then cluster (2 points)
#
# Cluster the customers into **5** groups with k-means on the columns `FEATURES`, prepared the right
# way: first `np.log1p` on the `SKEWED` columns, then `StandardScaler`. Use
# `KMeans(n_clusters=5, n_init=10, random_state=0)`. Store the cluster label of every customer (an array
# with one label per row of `features`) in `labels_q1`.

# %% id="f8eb9de4" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED])
X_scaled = StandardScaler().fit_transform(X_log)
labels_q1 = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_scaled)
### END SOLUTION

# %% id="2905f4e1" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Check your answer (run this cell)
q1.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import adjusted_rand_score as _ari
from course_utils.data import load_customers as _lc, load_sessions as _ls, load_transactions as _lt
from course_utils.features import customer_features as _cf

_f = _cf(_lt(), _ls(), _lc())[FEATURES]
_f[SKEWED] = np.log1p(_f[SKEWED])
_ref = KMeans(n_clusters=5, n_init=10, random_state=1).fit_predict(StandardScaler().fit_transform(_f))
_lab = np.asarray(labels_q1)
assert _lab.shape == (len(_f),), "one label per customer"
assert len(np.unique(_lab)) == 5
assert _ari(_ref, _lab) > 0.9, "partition differs from scaled k-means"
# label ids do not matter: a permutation scores the same
assert _ari(_ref, (_lab + 1) % 5) == _ari(_ref, _lab)
### END HIDDEN TESTS

# %% id="131d9968"
# q1.hint()
# q1.solution()

# %% [markdown] id="7513ade5" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: how many clusters? (2 points)
#
# The cell below gives you `X`, the correctly scaled matrix (so that a slip in question 1 does not carry
# over). For every k from 2 to 8, fit `KMeans(n_clusters=k, n_init=10, random_state=0)` on `X` and compute
# the silhouette with `silhouette_score(X, labels, sample_size=2000, random_state=0)` (a 2,000-customer
# sample: the full silhouette is O(n²)). Store in `best_k` (an `int`) the k with the **highest
# silhouette**. Also look at the inertia: does the elbow point at the same k?

# %% id="df16744e" nbgrader={"grade": false, "grade_id": "q2-data", "locked": true, "schema_version": 3, "solution": false}
from course_utils.features import course_matrix

X = course_matrix()

# %% id="11b1362c" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
scores, inertia = {}, {}
for k in range(2, 9):
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    inertia[k] = model.inertia_
    scores[k] = silhouette_score(X, model.labels_, sample_size=2000, random_state=0)
best_k = max(scores, key=scores.get)
print(pd.DataFrame({"inertia": inertia, "silhouette": scores}).round(3))
### END SOLUTION

# %% id="05611d74" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
assert type(best_k) in (int, np.int64), "best_k must be an int"
_sil = {}
for _k in {int(best_k), 4}:
    _m = KMeans(n_clusters=_k, n_init=10, random_state=0).fit(X)
    _sil[_k] = silhouette_score(X, _m.labels_, sample_size=2000, random_state=0)
assert _sil[int(best_k)] >= max(_sil.values()) - 0.005, "best_k does not have the highest silhouette"
assert 2 <= int(best_k) <= 8
### END HIDDEN TESTS

# %% id="5dd6e3b3"
# q2.hint()
# q2.solution()

# %% [markdown] id="2d1840ef" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: DBSCAN on session habits (2 points)
#
# `shape` below holds two behavioural features per customer (mean session start hour, mean session
# length in minutes). Standardise them, draw the k-distance plot for `min_samples=20` to choose `eps`,
# then run `DBSCAN(eps=..., min_samples=20)`. Store the labels (noise = `-1`) in `dbscan_labels`.
# The check expects the two crescents as two clusters and only a few percent of noise.

# %% id="6d6167ab" nbgrader={"grade": false, "grade_id": "q3-data", "locked": true, "schema_version": 3, "solution": false}
import matplotlib.pyplot as plt

from course_utils.plotting import use_course_style

use_course_style()
shape = shape_features()
shape.describe().round(1)

# %% id="5a5d01c5" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
S = StandardScaler().fit_transform(shape)
distances, _ = NearestNeighbors(n_neighbors=20).fit(S).kneighbors(S)
fig, ax = plt.subplots()
ax.plot(np.sort(distances[:, -1]))
ax.set_ylim(0, 1)
ax.set_title("k-distance plot, min_samples=20")
ax.set_xlabel("customers sorted by distance (rank)")
ax.set_ylabel("distance to 20th neighbour (std. units)")
plt.show()
dbscan_labels = DBSCAN(eps=0.13, min_samples=20).fit_predict(S)
print("clusters:", sorted(set(dbscan_labels.tolist()) - {-1}), "noise share:", round(float(np.mean(dbscan_labels == -1)), 3))
### END SOLUTION

# %% id="d0a4ca39" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import adjusted_rand_score as _ari

_S = (shape - shape.mean()) / shape.std(ddof=0)
_ref = DBSCAN(eps=0.12, min_samples=20).fit_predict(_S.to_numpy())
_lab = np.asarray(dbscan_labels)
assert _lab.shape == (len(shape),)
assert len(set(_lab.tolist()) - {-1}) == 2, "two crescents expected"
assert 0 < np.mean(_lab == -1) < 0.1, "a few percent of noise expected"
assert _ari(_ref, _lab) > 0.9
### END HIDDEN TESTS

# %% id="887c4f3b"
# q3.hint()
# q3.solution()

# %% [markdown] id="769426d3" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: defend your segmentation (written, 3 points, graded by your instructor)
#
# In 100-180 words, explain to Larkspur's marketing director **why the scaled segmentation of question 1
# is better than k-means on the raw features**. Use at least **two numbers** from this exercise or the
# lessons (for example cluster sizes, cluster means in original units, a silhouette, the spread of a
# feature). Then say in one or two sentences why you would **not** add one-hot encoded gender to the
# features, naming one alternative for mixed data.

# %% [markdown] id="2964f2e3" nbgrader={"grade": true, "grade_id": "q4-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 3 points: (1) the mechanism: Euclidean distance adds squared differences in each feature's units, so
# spend (std about £1,100) and days (hundreds) swamp shares and rates (std below 1); (1) at least two
# correct numbers as evidence, e.g. raw k-means gives two tiny clusters (about 30 and 16 customers) of big
# spenders while the other features barely differ between clusters, whereas scaled k-means gives five
# groups of 750-1,300 customers that differ in app share (0.15 vs 0.53), page views or recency, and the
# scaled silhouette peaks at k = 5 (about 0.34); (1) gender: one-hot columns add √2 to the distance for any
# mismatch whatever the behaviour, and gender is a protected characteristic that should be audited, not
# clustered on; alternative named: Gower distance or k-prototypes.
# === END MARK SCHEME ===
