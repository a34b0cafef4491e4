# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="be290edb" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Capstone: segments that sell caravan policies
#
# **The project.** A Dutch insurer has 5,822 customers and a new marketing budget for its caravan
# (mobile home) policy. You segment the customers on real data, check that the segments are real,
# describe them so that a marketing team can use them, tie each one to the caravan uptake, and check
# that the plan is fair. The project brief, with the business scenario and the pitfalls, is the lesson
# `lessons/08-capstone/08-capstone-brief.ipynb`; the grading rubric is `RUBRIC.md` next to this notebook.
#
# **Time:** 6 to 8 hours, over several sittings. **Prerequisites:** modules 1 to 7.
#
# **Points (50):** six small **milestones** checked automatically (questions 1-6, 2 points each, 12 in
# all) and eight **written answers** graded by hand against the rubric (questions 7-14, 38 points). The
# milestones accept any defensible choice (your features, your k, your labels): each check recomputes
# your numbers from *your own* objects and only rejects real mistakes.
#
# **How to work:** run the set-up cell, then go down the notebook. Write code where it says
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under each
# milestone: it says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`. Add as
# many cells of your own as you like (figures, tables, trials); keep the graded cells where they are.

# %% id="83b74a16" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from course_utils.caravan import DESCRIPTIONS, MAIN_TYPES, SENSITIVE_COLUMNS, SHARE_COLUMNS, describe, share_percent
from course_utils.data import load_caravan
from course_utils.fairness import disparate_impact, proxy_audit
from course_utils.plotting import palette, use_course_style
from course_utils.questions.m08_capstone import (
    K_RANGE,
    N_INIT,
    N_RESAMPLES,
    SILHOUETTE_SAMPLE,
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    resample_rows,
)

use_course_style()
caravan = load_caravan()  # 5,822 customers x 86 columns; `Purchase` is the original CARAVAN column
print(caravan.shape, "| caravan policy holders:", int((caravan["Purchase"] == "Yes").sum()))
caravan.head()

# %% [markdown] id="a1cfced7" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## 1. Framing (question 7, written, 4 points)
#
# Before any code: in 100-200 words, state **the business objective** and **the decision** the
# segmentation serves, **who** will use it, what would make a segmentation **useful** here (how you
# will judge success), and the **constraints** (what data you may use, for what, and what you must
# not do with it). Use the brief's scenario.

# %% [markdown] id="fea58551" nbgrader={"grade": true, "grade_id": "q7-written", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 4 points (rubric: framing). (1) Objective and decision: the insurer wants to market caravan policies
# efficiently: decide which groups of customers get which offer (mailing, channel, message), or none.
# (1) Users: the marketing team, who need a handful of named, sized segments they can address.
# (1) Success: segments that are stable, readable in original units, differ in caravan uptake (lift)
# enough to change the plan, and reach enough people; ideally confirmed later by a test campaign.
# (1) Constraints: the caravan column is the outcome, never an input; the vendor's MOSHOOFD/MOSTYPE are
# for validation; religion is special-category data (GDPR art. 9) and age a protected characteristic:
# audit, do not target; the data are postcode-area averages, not facts about each person.
# Full marks need all four; 2 for a vague "find customer groups" with no decision or success measure.
# === END MARK SCHEME ===
#
# **Model answer.** Objective: the insurer wants to sell more caravan policies with the same marketing
# budget, so the decision is *which customers receive which caravan offer, through which channel, and
# who receives none*. The users are the marketing team: they need three to six named segments with
# sizes, not 86 columns. A segmentation is useful if it is stable (it comes back on other samples),
# readable in the units the team knows (percentages, premium bands), and if the segments differ in
# caravan uptake enough to change the plan; the final proof is a test campaign. Constraints: `Purchase`
# is the outcome, so it must never shape the segments (leakage); the vendor's types MOSHOOFD/MOSTYPE are
# kept to validate against; religion is special-category data under GDPR article 9 and age a protected
# characteristic: I audit the segments against them but do not use them; and every socio-demographic
# column describes the customer's *postcode area*, so a segment says where people live, not who they are.

# %% [markdown] id="fbc0359b" nbgrader={"grade": false, "grade_id": "prep-task", "locked": true, "schema_version": 3, "solution": false}
# ## 2. Data preparation and features
#
# Look at the data (types, ranges, missing values, duplicates, what each code means: see
# `course_utils.caravan.DESCRIPTIONS` and `SHARE_BANDS`), and choose your features. Use as many cells as
# you need; draw at least one figure.

# %% id="8c1aec33" nbgrader={"grade": false, "grade_id": "explore-work", "locked": false, "schema_version": 3, "solution": true}
# Your exploration: checks with numbers, the code book, at least one figure (title, axis labels with units).
### BEGIN SOLUTION
print("missing values:", int(caravan.isna().sum().sum()), "| duplicated rows:", int(caravan.duplicated().sum()))
codes = caravan.drop(columns="Purchase")
print("all columns integer codes:", bool((codes.dtypes == "int64").all()),
      "| share columns within 0-9:", bool(caravan[SHARE_COLUMNS].isin(range(10)).all().all()))
product = caravan.filter(regex="^A").sum(axis=1)
print("policies per customer: median", product.median(), "max", product.max())

fig, ax = plt.subplots(figsize=(7, 4))
uptake_by_type = caravan.groupby("MOSHOOFD", observed=True)["Purchase"].apply(lambda s: (s == "Yes").mean() * 100)
ax.bar([MAIN_TYPES[i] for i in uptake_by_type.index], uptake_by_type, color=palette(1)[0])
ax.axhline(100 * (caravan["Purchase"] == "Yes").mean(), color=palette(7)[6], linestyle="--", label="all customers")
ax.set_title("Caravan policy uptake by the vendor's customer main type")
ax.set_xlabel("customer main type (MOSHOOFD)")
ax.set_ylabel("customers with a caravan policy (%)")
ax.tick_params(axis="x", rotation=60)
ax.legend()
plt.show()
# What to see: Driven growers (13%) and Successful hedonists (9%) hold caravan policies well above the 6%
# average; Career loners none at all (52 customers), Farmers and Cruising seniors about 2%.
### END SOLUTION

# %% [markdown] id="084c7571" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 1: the feature matrix (2 points)
#
# Build `features`, a DataFrame with **one row per customer** (same order as `caravan`) and the columns you
# choose to cluster on, **in original units** (you may convert share codes to percentages with
# `share_percent`, or add engineered columns such as a count of policies). Then build `X`: the same
# columns **standardised** (mean 0, standard deviation 1 each), as a DataFrame with the column names. The
# check rejects the target in the features, label-encoded vendor segments and an unscaled matrix.

# %% id="aa34f2b3" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
# features = ...  # one row per customer, your columns, original units
# X = ...         # the same columns standardised, as a DataFrame
### BEGIN SOLUTION
AREA = ["MRELGE", "MFALLEEN", "MFWEKIND", "MOPLHOOG", "MOPLLAAG", "MBERHOOG", "MBERBOER", "MHKOOP",
        "MAUT0", "MZPART", "MINKM30", "MINK7512"]
features = share_percent(caravan[AREA]).add_suffix("_pct")  # band codes -> % of the postcode area
for col in ["MGEMOMV", "MKOOPKLA", "PPERSAUT", "PBRAND"]:  # household size, purchasing power, car and fire premiums (codes)
    features[col] = caravan[col].astype(float)
features["n_policies"] = caravan.filter(regex="^A").sum(axis=1).astype(float)  # policies of every kind held
X = pd.DataFrame(StandardScaler().fit_transform(features), columns=features.columns, index=features.index)
X.describe().T[["mean", "std"]].round(2).head()
### END SOLUTION

# %% id="57976bc5" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
assert isinstance(X, pd.DataFrame) and X.shape[0] == len(caravan)
assert not {"Purchase", "MOSHOOFD", "MOSTYPE"} & set(map(str, X.columns))
_y = (caravan["Purchase"] == "Yes").astype(float).to_numpy()
assert all(abs(np.corrcoef(X[c].to_numpy(dtype=float), _y)[0, 1]) < 0.9 for c in X.columns)
assert np.allclose(X.mean().to_numpy(dtype=float), 0, atol=0.05)
assert np.allclose(X.std(ddof=0).to_numpy(dtype=float), 1, atol=0.05)
### END HIDDEN TESTS

# %% id="6fc2b8e9"
# q1.hint()
# q1.solution()

# %% [markdown] id="b3ef5396" nbgrader={"grade": false, "grade_id": "q8-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 8: data preparation and features (written, 5 points)
#
# In 150-250 words: what did you check in the raw data and what did you find? Which columns did you
# keep, which did you leave out and **why** (the target, the vendor's segments, sensitive attributes,
# redundant or near-empty columns)? How did you transform and scale them, and why does it matter for
# k-means?

# %% [markdown] id="a699d42b" nbgrader={"grade": true, "grade_id": "q8-written", "locked": false, "points": 5, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 5 points (rubric: data preparation 2, features & scaling 3). (1) Checks reported with numbers: no
# missing values, the duplicated rows and what they mean (identical area profiles, not errors), codes in
# range, the share columns are *bands* (0 = 0%, 5 = 50-62%...), premiums are banded codes. (1) A data
# oddity handled or explicitly accepted (bands converted to percentages or kept as ordinal codes with a
# reason; rare policy columns nearly all zero). (1) Exclusions argued: Purchase (target, leakage),
# MOSHOOFD/MOSTYPE (vendor segments for validation; label-encoded categories mean nothing in a
# Euclidean distance), religion (GDPR special category) and age band (protected) kept for the audit.
# (1) A feature set with a business reason (life stage, affluence, housing, mobility, existing
# policies), not "all 85 columns" without thought. (1) Standardised because k-means uses Euclidean
# distance: otherwise the widest-ranging column (percentages 0-100 vs codes 1-8) decides everything.
# === END MARK SCHEME ===
#
# **Model answer.** The table has no missing values and every column is an integer code in its
# documented range. 602 rows repeat another row exactly: customers of the same postcode area share every
# socio-demographic value and often hold the same few policies, so they are real customers, not errors,
# and I keep them (there is no customer id to tell them apart). The 36 socio-demographic columns are *bands* of a share of the postcode area
# (5 means 50-62%), so I converted the ones I use to the middle of their band in percent, which makes the
# profiles readable; premiums (`PPERSAUT`, `PBRAND`) stay as ordinal band codes, and I summed the 21
# "number of policies" columns into `n_policies`, because most of them are almost always zero. I chose
# 17 features that describe life stage (married, singles, children, household size), affluence
# (education, status, income, purchasing power, private health insurance), housing and mobility (home
# owners, no car, farmers) and the relationship with the insurer (car and fire premiums, policies held).
# I left out `Purchase`, the outcome I want to explain (leakage); MOSHOOFD and MOSTYPE, the vendor's
# segments, which are label-encoded categories (type 10 is not ten times type 1) and my external check;
# the religion shares (special category data, GDPR article 9) and the age band (protected), which I use
# only for the audit. k-means measures Euclidean distance, so I standardised every column: unscaled,
# the percentages (0-100) would outweigh the codes (1-8) by a factor of ten or more.

# %% [markdown] id="6fb70299" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## 3. Algorithm and number of segments
#
# ### Question 2: choose k with several indices (2 points)
#
# Build `k_scores`: one row per k in `K_RANGE` (index `k`), with the columns `silhouette` and
# `davies_bouldin`, for `KMeans(n_clusters=k, n_init=N_INIT, random_state=0)` fitted on your `X`. Compute
# the silhouette on a sample: `silhouette_score(X, labels_k, sample_size=SILHOUETTE_SAMPLE,
# random_state=0)`. Draw both against k. Then set `k`, your chosen number of segments (an int). You will
# argue the choice in question 9, with stability and usefulness as well as these indices.

# %% id="6dad8c9b" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
# k_scores = ...  # index k (K_RANGE), columns 'silhouette' and 'davies_bouldin'; then a figure
# k = ...         # your choice (an int)
### BEGIN SOLUTION
rows = []
for kk in K_RANGE:
    lab = KMeans(n_clusters=kk, n_init=N_INIT, random_state=0).fit_predict(X)
    rows.append({"k": kk, "silhouette": silhouette_score(X, lab, sample_size=SILHOUETTE_SAMPLE, random_state=0),
                 "davies_bouldin": davies_bouldin_score(X, lab), "smallest segment": np.bincount(lab).min()})
k_scores = pd.DataFrame(rows).set_index("k")

fig, ax1 = plt.subplots(layout="constrained")
ax1.plot(k_scores.index, k_scores["silhouette"], marker="o", color=palette(2)[0], label="silhouette (higher is better)")
ax1.set_xlabel("number of segments k")
ax1.set_ylabel("mean silhouette (-1 to 1)")
ax2 = ax1.twinx()
ax2.plot(k_scores.index, k_scores["davies_bouldin"], marker="s", color=palette(4)[3], label="Davies-Bouldin (lower is better)")
ax2.set_ylabel("Davies-Bouldin index (no unit)")
ax2.grid(False)
fig.legend(loc="outside lower center", ncols=2)  # below the axes: clear of both lines
ax1.set_title("Caravan customers: two indices of k-means by k")
plt.show()
# What to see: both indices are best at k = 2 and 3 and worse from k = 4 on; every silhouette is low
# (0.10-0.17): a continuum, not natural groups.
k = 3
k_scores.round(3)
### END SOLUTION

# %% id="efa3b897" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
_t = k_scores.set_index("k") if "k" in k_scores.columns else k_scores
assert set(K_RANGE) <= {int(i) for i in _t.index}
assert int(k) in {int(i) for i in _t.index}
_lab = KMeans(n_clusters=int(k), n_init=N_INIT, random_state=0).fit_predict(np.asarray(X, dtype=float))
_row = _t.loc[[i for i in _t.index if int(i) == int(k)][0]]
assert abs(float(_row["silhouette"]) - silhouette_score(np.asarray(X, dtype=float), _lab, sample_size=SILHOUETTE_SAMPLE, random_state=0)) < 0.005
assert abs(float(_row["davies_bouldin"]) - davies_bouldin_score(np.asarray(X, dtype=float), _lab)) < 0.005
### END HIDDEN TESTS

# %% id="0043d808"
# q2.hint()
# q2.solution()

# %% [markdown] id="4b29a95d" nbgrader={"grade": false, "grade_id": "labels-task", "locked": true, "schema_version": 3, "solution": false}
# ### Your final segmentation
#
# Fit your final model and store one label per customer in `labels` (a NumPy array, same order as
# `caravan`). k-means with your `k` is the default; you may compare it with another algorithm (for
# example Ward's hierarchical clustering on a sample: it is O(n²) in memory) and keep whichever you can
# defend. The next milestones recompute everything from *your* `labels`.

# %% id="224bf189" nbgrader={"grade": false, "grade_id": "labels-work", "locked": false, "schema_version": 3, "solution": true}
# labels = ...  # one segment per customer (a NumPy array); compare with another algorithm if you like
### BEGIN SOLUTION
labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)
print("segment sizes:", np.bincount(labels).tolist())

# Does Ward's hierarchical clustering find the same segments? (2,000-customer sample: Ward is O(n^2))
pilot = np.sort(np.random.default_rng(0).choice(len(X), size=2000, replace=False))
ward = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X.iloc[pilot])
print("ARI between Ward and k-means on the sample:", round(adjusted_rand_score(labels[pilot], ward), 3))
### END SOLUTION

# %% [markdown] id="ad1e0376" nbgrader={"grade": false, "grade_id": "q9-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 9: algorithm and k (written, 5 points)
#
# In 150-250 words: which algorithm did you use and why does it suit these data (shape, size, what the
# marketing team needs)? Which k did you choose? Argue with **at least three numbers** (both indices,
# segment sizes, the stability of question 3 if you like), say what each index can hide, and why you did
# *not* choose k by the elbow alone.

# %% [markdown] id="b5a681f6" nbgrader={"grade": true, "grade_id": "q9-written", "locked": false, "points": 5, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 5 points (rubric: algorithm choice 2, choosing k 3). (1) Algorithm named and fitted to the data: k-means
# suits 5,822 customers on standardised numeric features and gives centroids the team can read; DBSCAN is
# unsuited (no dense groups, one continuous cloud; noise is not a segment); Ward on a sample agrees or not
# (a number; 0.54 in the model). (1) Seeds and n_init stated; the algorithm compared with at least one alternative or the
# limits said. (2) k argued with at least three correct numbers from the student's own table: silhouette and
# Davies-Bouldin (both best or near-best at small k here; silhouettes are low, 0.10-0.17), segment sizes,
# stability. (1) Says what the indices hide (they favour round, separated groups; low values mean a
# continuum; they cannot judge usefulness) and that the elbow alone is subjective and ignores stability.
# 2 of the 3 "k" points for a defensible k without numbers or with one index only.
# === END MARK SCHEME ===
#
# **Model answer.** I used k-means: 5,822 customers on 17 standardised numeric features is what it does
# well, its centroids are averages the marketing team can read, and it scales to the insurer's full
# customer base. DBSCAN would not help: there are no dense groups separated by empty space, only one cloud
# whose density changes gently. Ward's hierarchical clustering on a 2,000-customer sample agrees only
# moderately with k-means (ARI 0.54): where the groups meet, the boundary depends on the algorithm, which
# is what a continuum looks like. I kept k-means for its stability (question 3) and readable centres. I chose
# **k = 3**. Both indices are best at small k (silhouette about 0.17 at k = 2 and 0.15 at k = 3,
# Davies-Bouldin 1.99 and 2.00, both worse from k = 4 on), but k = 2 only splits affluent from the rest,
# while k = 3 also separates two different "less affluent" groups that behave differently towards
# caravans. The three segments hold 1,547, 1,740 and 2,535 customers, all large enough to address, and
# they are stable (question 3). What the indices hide: they reward round, well-separated groups, and their
# low values say the customers form a continuum, so these segments are useful cuts, not natural kinds;
# neither index knows whether a segment is useful. The elbow alone is a judgement by eye that ignores both
# separation and stability, so I did not use it.

# %% [markdown] id="9d0e37ac" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## 4. Are the segments real?
#
# ### Question 3: stability over resamples (2 points)
#
# Refit on resamples and compare with **your** `labels`. For `b` in `range(N_RESAMPLES)`: take
# `rows = resample_rows(len(X), seed=b)` (80% of the customers), fit `KMeans(n_clusters=k,
# n_init=N_INIT, random_state=b + 1)` on `X.iloc[rows]`, and compare its labels with `labels[rows]` by the
# adjusted Rand index. Store the `N_RESAMPLES` values in `stability` (a list).

# %% id="f6a585e1" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
# stability = []  # one ARI per resample, N_RESAMPLES in all
### BEGIN SOLUTION
stability = []
for b in range(N_RESAMPLES):
    rows = resample_rows(len(X), seed=b)
    refit = KMeans(n_clusters=k, n_init=N_INIT, random_state=b + 1).fit_predict(X.iloc[rows])
    stability.append(adjusted_rand_score(labels[rows], refit))
print("stability ARI per resample:", np.round(stability, 3).tolist(), "| lowest:", round(min(stability), 3))
### END SOLUTION

# %% id="6db6a652" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
_s = np.asarray(stability, dtype=float).ravel()
assert isinstance(stability, list)
assert _s.shape == (N_RESAMPLES,) and (_s <= 1 + 1e-9).all()
_rows = resample_rows(len(X), seed=N_RESAMPLES - 1)
_lab = np.asarray(labels)
_refit = KMeans(n_clusters=len(np.unique(_lab)), n_init=N_INIT, random_state=N_RESAMPLES).fit_predict(np.asarray(X, dtype=float)[_rows])
assert abs(_s[-1] - adjusted_rand_score(_lab[_rows], _refit)) < 0.005
### END HIDDEN TESTS

# %% id="db029581"
# q3.hint()
# q3.solution()

# %% [markdown] id="89b369c2" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 4: agreement with the vendor's segments (2 points)
#
# The insurer already buys a segmentation: `MOSHOOFD`, ten customer main types from a marketing data
# vendor. Store the **adjusted Rand index** between `caravan["MOSHOOFD"]` and your `labels` in
# `ari_moshoofd` (a float). Then look at the cross-table of the two:
# which vendor types fall into which of your segments? (`pd.crosstab`, with the names in `MAIN_TYPES`.)

# %% id="0a7d72db" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
# ari_moshoofd = ...  # then the cross-table of MOSHOOFD (names in MAIN_TYPES) against your labels
### BEGIN SOLUTION
ari_moshoofd = adjusted_rand_score(caravan["MOSHOOFD"], labels)
print("ARI with MOSHOOFD:", round(ari_moshoofd, 3))
pd.crosstab(caravan["MOSHOOFD"].map(MAIN_TYPES), labels, rownames=["vendor main type"], colnames=["segment"])
### END SOLUTION

# %% id="cb557ff4" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
assert isinstance(ari_moshoofd, float)
_, _inv = np.unique(np.asarray(labels), return_inverse=True)
assert abs(ari_moshoofd - adjusted_rand_score(caravan["MOSHOOFD"].to_numpy(), _inv * 7 + 3)) < 0.005  # two decimals
assert -0.5 < ari_moshoofd < 1
### END HIDDEN TESTS

# %% id="0d3ca750"
# q4.hint()
# q4.solution()

# %% [markdown] id="d845e73f" nbgrader={"grade": false, "grade_id": "q10-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 10: stability and external validation (written, 4 points)
#
# In 100-200 words: are your segments stable? Quote the lowest of your stability values and say what it
# means. How far do they agree with the vendor's MOSHOOFD (your ARI, and what the cross-table shows)? Is
# low agreement a failure? Why would comparing raw label numbers have been wrong?

# %% [markdown] id="98c1fe38" nbgrader={"grade": true, "grade_id": "q10-written", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 4 points (rubric: stability 2, external validation 2). (1) Quotes the lowest resample ARI (model: about
# 0.93 for k = 3) and interprets it (near 1: the same segments come back on other samples and seeds; below
# about 0.6: the partition is an accident). (1) Stable is necessary, not sufficient: it does not prove the
# segments are useful or natural (low silhouette). (1) ARI with MOSHOOFD quoted (model: about 0.14) and
# read correctly: weak agreement; the cross-table shows which vendor types dominate each segment (e.g.
# "Successful hedonists" and "Driven growers" in the affluent segment, "Living well", "Cruising seniors"
# and "Career loners" in the singles segment, "Family with grown ups" in the working families). Low
# agreement is not a failure: different inputs and purposes (ours includes policies held); the vendor
# types are not truth. (1) Raw ids: segment numbers are arbitrary names; an accuracy of ids changes when
# segments are renamed; ARI depends only on who is grouped together.
# === END MARK SCHEME ===
#
# **Model answer.** The three segments are stable: on five resamples of 80% of the customers, each with a
# new seed, the refitted segments agree with mine with an ARI of at least 0.92 (lowest 0.926). Stability is necessary but
# not sufficient: it shows the cut is reproducible, not that the customers fall into natural groups (the
# silhouette of 0.15 says they do not). Agreement with the vendor's ten main types is weak (ARI about
# 0.14), but readable in the cross-table: nearly all "Driven growers" and most "Successful hedonists" are
# in my affluent segment, "Living well", "Cruising seniors" and "Career loners" mostly in the singles and
# renters, and "Family with grown ups" and "Farmers" mostly in the working families. Low agreement is not
# a failure: the vendor built ten types from other data for other purposes, and my segments also use the
# policies each customer holds; MOSHOOFD is a second opinion, not the truth. Comparing raw label numbers
# would have been wrong because my segment numbers are arbitrary names: renaming them would change such a
# score, while the ARI only looks at who is grouped with whom.

# %% [markdown] id="dd88d797" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## 5. Who is in each segment?
#
# ### Question 5: profile in original units (2 points)
#
# Build `profile`: one row per segment, a `size` column (number of customers) and the **mean of every
# column of your `features`** (original units, not `X`). Then name each segment (question 11).

# %% id="79444760" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
# profile = ...  # one row per segment: 'size' and the mean of every column of `features`; then a figure
### BEGIN SOLUTION
profile = features.groupby(labels).mean()
profile.insert(0, "size", np.bincount(labels))
overall = features.mean()
display(profile.T.assign(overall=overall).round(1))

lift = (profile[features.columns] / overall).T
fig, ax = plt.subplots(figsize=(7, 5.5))
image = ax.imshow(np.log2(lift.to_numpy()), cmap="PuOr_r", vmin=-2, vmax=2, aspect="auto")
ax.set_xticks(range(len(lift.columns)), [f"segment {i}" for i in lift.columns])
ax.set_yticks(range(len(lift.index)), lift.index)
ax.set_title("Segment profiles: mean relative to all customers")
ax.set_xlabel("segment")
ax.set_ylabel("feature (original units)")
fig.colorbar(image, label="log2(segment mean / overall mean)")
plt.show()
# What to see: segment 0's areas have far more high education, high status and high income (orange) and
# fewer low incomes and car-less households (purple); segment 1 is singles, renters, no car, low income;
# segment 2 has fewer highly educated people and more farmers. Premiums and policies barely differ.
### END SOLUTION

# %% id="3656f11b" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
_p = profile.drop(index=[i for i in profile.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
assert int(round(float(_p["size"].sum()))) == len(caravan)
_num = features.select_dtypes("number")
for _col in (_num.columns[0], _num.columns[-1]):
    _m = _num[_col].groupby(np.asarray(labels)).mean()
    assert np.allclose(np.sort(_p[_col].astype(float).to_numpy()), np.sort(_m.to_numpy()))
### END HIDDEN TESTS

# %% id="5a47787d"
# q5.hint()
# q5.solution()

# %% [markdown] id="0dca1c56" nbgrader={"grade": false, "grade_id": "q11-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 11: profiles, names and sizes (written, 5 points)
#
# Give each segment a short, respectful **name**, its **size** (customers and share), and **two or three
# numbers in original units** from `profile` that justify the name. Point the reader to your figure, and
# say what it shows.

# %% [markdown] id="770f244e" nbgrader={"grade": true, "grade_id": "q11-written", "locked": false, "points": 5, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 5 points (rubric: profiles). (2) Every segment named, with size (count and share). (2) Each name backed by
# two or three correct numbers in original units from the student's own profile (percentages of the area,
# codes with their meaning, policies), compared with the overall mean. (1) Names are descriptive and
# respectful (no stereotypes, no religion or age as a label), and a figure of the profiles is read in one
# or two sentences. Model (k = 3): "Affluent home-owning families" (1,547, 27%: home owners ~77% vs ~53%
# overall, high education ~32% vs ~14%, purchasing power class 6.4 of 8); "Urban singles and renters" (1,740,
# 30%: singles ~41%, home owners ~27%, no car ~35%, income under 30,000 ~47%); "Working families"
# (2,535, 44%: households with children ~59%, lower education ~64%, purchasing power 3.7).
# === END MARK SCHEME ===
#
# **Model answer** (segment numbers as in my run; yours may differ). The heat map shows each feature's
# mean in a segment relative to all customers: orange above, purple below average.
# - **Affluent home-owning families**, segment 0: 1,547 customers (27%). In their areas about 77% own their
#   home (53% overall), 32% have a high education (14%), and the average purchasing power class is 6.4 of 8.
# - **Urban singles and renters**, segment 1: 1,740 (30%). About 41% singles (19% overall), only 27% home
#   owners, 35% of households without a car, and 47% with an income under 30,000 guilders.
# - **Working families**, segment 2: 2,535 (44%). Many households with children (59%), lower education
#   (64%), middling purchasing power (3.7 of 8), and slightly more farmers than elsewhere.
#
# These describe the customers' *areas*, not each customer.

# %% [markdown] id="612db040" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## 6. From segments to action
#
# ### Question 6: caravan uptake per segment (2 points)
#
# Build `uptake`: one row per segment with the columns `customers` (number of customers), `buyers` (how
# many of them have `Purchase == "Yes"`), `uptake` (buyers / customers of that segment, a fraction) and
# `lift` (the segment's uptake divided by the uptake of all customers). Then show the uncertainty: with
# about 350 buyers in all, how sure are these rates? (A 95% Wilson interval is one way; see the brief.)

# %% id="727e91b7" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
# uptake = ...  # columns 'customers', 'buyers', 'uptake', 'lift'; then the uncertainty, and a figure
### BEGIN SOLUTION
bought = (caravan["Purchase"] == "Yes").astype(int)
uptake = bought.groupby(labels).agg(customers="size", buyers="sum")
uptake["uptake"] = uptake["buyers"] / uptake["customers"]
uptake["lift"] = uptake["uptake"] / bought.mean()

# 95% Wilson interval for each segment's uptake
z = 1.96
n, p = uptake["customers"], uptake["uptake"]
centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
uptake["low_95"], uptake["high_95"] = centre - half, centre + half
display(uptake.round(3))

fig, ax = plt.subplots()
ax.errorbar(uptake.index, 100 * uptake["uptake"], yerr=100 * np.vstack([uptake["uptake"] - uptake["low_95"], uptake["high_95"] - uptake["uptake"]]),
            fmt="o", capsize=6, color=palette(4)[3], label="segment uptake, 95% interval")
ax.axhline(100 * bought.mean(), color=palette(1)[0], linestyle="--", label="all customers")
ax.set_xticks(uptake.index, [f"segment {i}" for i in uptake.index])
ax.set_xlim(-0.5, len(uptake) - 0.5)  # room around the first and last point
ax.set_title("Caravan policy uptake by segment")
ax.set_xlabel("segment")
ax.set_ylabel("customers with a caravan policy (%)")
ax.legend()
plt.show()
# What to see: segment 0's interval lies wholly above the 6% line, the other two wholly below it, and
# their intervals overlap each other: do not claim that segments 1 and 2 differ.
### END SOLUTION

# %% id="1410c904" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
_u = uptake.drop(index=[i for i in uptake.index if str(i).lower() in {"overall", "all", "all customers", "total"}])
_b = (caravan["Purchase"] == "Yes").to_numpy()
assert int(_u["buyers"].sum()) == int(_b.sum()) and int(_u["customers"].sum()) == len(_b)
assert np.allclose(_u["uptake"].astype(float), _u["buyers"].astype(float) / _u["customers"].astype(float))
assert np.allclose(_u["lift"].astype(float), _u["uptake"].astype(float) / _b.mean())
assert abs(float(_u["uptake"].max()) - pd.Series(_b).groupby(np.asarray(labels)).mean().max()) < 1e-9
### END HIDDEN TESTS

# %% id="f02a99b5"
# q6.hint()
# q6.solution()

# %% [markdown] id="fdd0b97b" nbgrader={"grade": false, "grade_id": "q12-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 12: one action per segment (written, 6 points)
#
# For each segment: one concrete **action** (offer, message, channel, or "do not target"), tied to its
# uptake and lift **with the uncertainty** (interval or buyer counts). Then say how the insurer should
# **test** the plan before rolling it out, and what the data cannot tell (holding a policy today is not
# responding to a new offer).

# %% [markdown] id="794ca1c0" nbgrader={"grade": true, "grade_id": "q12-written", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 6 points (rubric: action per segment). (2) One concrete, distinct action per segment (offer, message,
# channel, budget share, or no targeting), consistent with the profile. (2) Each tied to the segment's
# uptake and lift with honest uncertainty: intervals or buyer counts, overlapping intervals acknowledged;
# model (k = 3): affluent families ~10.3% uptake, lift ~1.7 (95% about 8.9-12.0%); working families ~4.7%,
# lift ~0.8; singles and renters ~3.9%, lift ~0.65. (1) A test plan: randomised hold-out or A/B test per
# segment, a success measure, enough customers. (1) Limits: uptake is ownership today, not response to a
# campaign (correlation, not effect); area-level data; a customer outside the top segment may still buy.
# === END MARK SCHEME ===
#
# **Model answer.** Overall, 6.0% of customers hold a caravan policy (348 of 5,822).
# - **Affluent home-owning families** (uptake about 10.3%, lift 1.7, 95% interval roughly 8.9-12.0%; 160 buyers): the
#   main target. A personal mailing bundling caravan cover with their car and fire policies, a
#   multi-policy discount, at the start of the holiday season.
# - **Working families** (about 4.7%, lift 0.8, 4.0-5.6%; 120 buyers): a lighter, cheaper campaign (e-mail, price-led
#   message, a family holiday angle), because the segment is the largest: even a low rate is many
#   buyers.
# - **Urban singles and renters** (about 3.9%, lift 0.65, 3.1-4.9%; 68 buyers; fewer cars): no caravan campaign; spend the
#   budget on products they need (contents cover) instead.
#
# The intervals of the two lower segments overlap, so I do not claim they differ; the affluent segment is
# clearly above both. Before a roll-out, test it: randomly hold out part of each targeted segment (an A/B
# test per segment), measure new caravan policies sold per customer contacted, and size the test so that
# a difference of a few percentage points can be detected. The data show who *holds* a policy today, not
# who would *respond* to an offer, and they describe postcode areas, not people: the test is what will
# tell whether targeting works.

# %% [markdown] id="9a9415ce" nbgrader={"grade": false, "grade_id": "ethics-task", "locked": true, "schema_version": 3, "solution": false}
# ## 7. Is it fair?
#
# Audit your segments against the sensitive columns you left out (`SENSITIVE_COLUMNS`: the religion shares
# of the area, and the average age band `MGEMLEEF`). Does any segment act as a **proxy** for religion or
# age? If the insurer targets only your best segment, who is left out? Use as many cells as you need
# (`proxy_audit` and `disparate_impact` from module 6 are imported).

# %% id="e2c01cb2" nbgrader={"grade": false, "grade_id": "ethics-work", "locked": false, "schema_version": 3, "solution": true}
# Your audit: proxy_audit(...) against SENSITIVE_COLUMNS and MGEMLEEF; disparate_impact(...) of targeting your best segment.
### BEGIN SOLUTION
audit = caravan[SENSITIVE_COLUMNS + ["MGEMLEEF"]].copy()
audit["segment"] = labels
display(proxy_audit(audit, "segment", SENSITIVE_COLUMNS + ["MGEMLEEF"]).round(2))

# Targeting only the top-lift segment: selection rates by religious make-up of the area and by age band
audit["targeted"] = (labels == uptake["lift"].idxmax()).astype(int)
audit["area mostly without religion"] = np.where(caravan["MGODGE"] >= 5, "yes (50% or more)", "no")
display(disparate_impact(audit, "area mostly without religion", "targeted").round(2))
display(disparate_impact(audit, "MGEMLEEF", "targeted").round(2))
### END SOLUTION

# %% [markdown] id="e40bf6be" nbgrader={"grade": false, "grade_id": "q13-task", "locked": true, "schema_version": 3, "solution": false}
# ### Question 13: ethics and fairness (written, 5 points)
#
# In 150-250 words: what did the audit show (with numbers)? Is any segment a proxy for religion or age,
# and does targeting it have a disparate impact? What would you do about it? What must the insurer
# respect under the GDPR when it uses these segments for marketing (lawful basis, transparency, the right
# to object, data minimisation), and what is the risk of describing people by their postcode area?

# %% [markdown] id="7e040f98" nbgrader={"grade": true, "grade_id": "q13-written", "locked": false, "points": 5, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 5 points (rubric: ethics & fairness). (1) Audit done and reported with numbers (Cramér's V per attribute,
# the most skewed segment; selection-rate ratios of the targeted offer). (1) Correct reading: religion and
# age were not used, yet segments can be proxies (model: V 0.26 with the age band, 0.09-0.17 with the
# religion shares; targeting the top segment flags the 20-30, 60-70 and 70-80 age bands, and the 50-60 band by a hair (ratio
# 0.7999), not religion); a four-fifths ratio below 0.8 is a flag to investigate, not a legal
# verdict. (1) A proportionate response: keep sensitive columns out, check that the offer is one people
# want (a caravan offer is low-stakes, unlike credit or price), offer it to anyone who asks, monitor
# uptake by group, do not vary prices by segment. (1) GDPR: lawful basis for direct marketing (legitimate
# interest with a balancing test, or consent for e-mail), transparency/privacy notice, an unconditional
# right to object to direct marketing (art. 21), minimisation (only needed columns), religion as special
# category (art. 9) never used for targeting. (1) Ecological fallacy: area averages ascribed to
# individuals; wrong for many people and stigmatising if used for decisions that matter.
# === END MARK SCHEME ===
#
# **Model answer.** The segments were built without religion or age, yet they are not independent of
# them: Cramér's V with the segments is 0.09-0.17 for the four religion shares and 0.26 for the age band,
# the strongest link, because age, housing and income go together in Dutch postcode areas. Targeting only
# the affluent families selects customers of areas mostly without religion at 0.87 of the rate of the
# others (24% vs 27%, no flag), but by age band the picture changes: areas with an average age of 60-70
# and 70-80 are selected at about half the rate of the 30-40 areas (13% and 17% vs 29%), and the 20-30
# areas at 8%; the four-fifths rule flags them (small groups: 30 to 193 customers, so the rates are
# uncertain). It also flags the 50-60 areas (1,073 customers, 24%) by a hair: a ratio of 0.7999, which shows
# that 0.8 is a line for investigation, not a cliff. For a caravan mailing, which is low-stakes (nobody is refused a product or charged more), I
# would accept this with safeguards: the offer stays open to every customer who asks, prices never depend
# on the segment, older customers' areas get the working-families campaign rather than nothing, and
# uptake is monitored by age band. I would not use these segments for pricing, credit or claims. Under the
# GDPR the insurer needs a lawful basis for direct marketing (legitimate interest after a balancing test,
# or consent where e-mail marketing law requires it), must say in its privacy notice that it profiles
# customers for marketing, must stop at once when a customer objects (article 21), and should keep only
# the columns it needs. Religion is a special category (article 9): it stays out of targeting. Finally,
# every column describes the postcode area: a segment name is an average of the neighbours, often wrong
# for the person, and must never be presented as a fact about them.

# %% [markdown] id="4cfbb34c" nbgrader={"grade": false, "grade_id": "q14-task", "locked": true, "schema_version": 3, "solution": false}
# ## 8. Communicate
#
# ### Question 14: executive summary (written, 4 points)
#
# Write the summary for the marketing director (120-200 words, no jargon): what you did, the segments
# with names and sizes, the recommendation with its expected effect and uncertainty, the main limits, and
# the next step. Your figures are graded here too: each has a title, labelled axes with units, a
# colour-blind-safe palette, and a sentence saying what to see.

# %% [markdown] id="5be41cfa" nbgrader={"grade": true, "grade_id": "q14-written", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# 4 points (rubric: communication). (1) A director can act on it: plain words, the recommendation first or
# clearly stated, within the length. (1) Segments with names, sizes and the key uptake numbers, consistent
# with the notebook. (1) Uncertainty and limits stated briefly (weak structure, area-level data, ownership
# is not response, test first). (1) Figures across the notebook: titles, labelled axes with units,
# colour-blind-safe colours, a sentence on what to see; tables rounded; no stray debugging output.
# === END MARK SCHEME ===
#
# **Model answer.** *We grouped our 5,822 customers into three segments from where they live and the
# policies they hold. **Affluent home-owning families** (1,547 customers, 27%) hold caravan policies at
# 10.3%, 1.7 times the average of 6.0%; **working families** (2,535, 44%) at about 4.7%; **urban singles and
# renters** (1,740, 30%) at about 3.9%. We recommend focusing the caravan campaign on the affluent families
# (a bundled offer with their car and fire policies), a light e-mail campaign for working families, and no
# caravan campaign for singles and renters. The segments are stable, but they are broad cuts through a
# continuum rather than sharply different groups, and they describe neighbourhoods, not individuals. Today's
# ownership also does not prove who will respond. Next step: a four-week test with a random control group
# in each segment to measure the real gain before the full roll-out; we will also monitor who receives
# offers so that no group is unfairly left out.*
