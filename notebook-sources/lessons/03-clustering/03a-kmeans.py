# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="741288a7"
# # 3a. k-means: finding groups of customers
#
# **What you will learn**
# - how [k-means](../glossary.md#k-means) works, by writing its two steps yourself in ten lines of NumPy;
# - why k-means on **unscaled** [features](../glossary.md#feature) gives nonsense, how to see it in one figure, and how to fix it;
# - how to choose the number of groups *k* with the [elbow](../glossary.md#elbow-method) **and** the [silhouette](../glossary.md#silhouette), and what to do when they disagree;
# - why `n_init`, `random_state` and [k-means++](../glossary.md#k-means-initialisation) matter, so that your [segments](../glossary.md#segment) do not change from run to run.
#
# **Prerequisites:** module 2 (customer features, [log transforms](../glossary.md#log-transform), `StandardScaler`); basic pandas.
#
# **Time:** about 60 minutes. Then `03b` ([hierarchical clustering](../glossary.md#hierarchical-clustering), [DBSCAN](../glossary.md#dbscan), mixed data types) and the
# exercise `exercises/03-clustering`.

# %% [markdown] id="59cb2d30"
# ## The scenario
#
# Larkspur & Co's marketing team sends the same email to all 5,000 customers. The director wants
# "four to six kinds of customer, each with its own plan". Nobody has labelled the customers: there is
# no column saying *who is who*. Finding groups without labels is **[clustering](../glossary.md#clustering)** (unsupervised
# learning). We start with the most used method, k-means, on the [RFM](../glossary.md#rfm) features of module 2 and six more that describe
# how customers shop.

# %% id="13cdd6a7"
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from course_utils.data import load_customers, load_sessions, load_transactions
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
rng = np.random.default_rng(0)

# One row per customer who bought something: module 2's RFM plus six shopping habits (defined below).
features = customer_features(load_transactions(), load_sessions(), load_customers())
FEATURES = [
    "recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "app_share",
    "mean_page_views", "cart_adds_per_session", "return_rate", "tenure_days",
]
features[FEATURES].describe().T.round(2)

# %% [markdown] id="5f11b469"
# `customer_features` (in `course_utils.features`) computes module 2's three RFM features exactly as
# `rfm_table` does, and six more from the same order lines, sessions and customer table. Module 2 did not
# build these six, so here is what each one means:
#
# | Feature | Meaning | Unit |
# |---|---|---|
# | `avg_item_price_gbp` | mean unit price of the lines the customer bought (cheap or premium items?) | £ |
# | `return_rate` | units returned divided by units bought | share, 0-1 |
# | `app_share` | share of the customer's web and app sessions that were in the app | share, 0-1 |
# | `mean_page_views` | pages viewed per session, on average | pages |
# | `cart_adds_per_session` | products added to the basket per session, on average | products |
# | `tenure_days` | days from sign-up to the [snapshot date](../glossary.md#snapshot-date) (how long a customer they are) | days |
#
# A customer with no session gets 0 for the three session features. Age, gender, region and income are
# left out on purpose (03b and module 6 say why).
#
# Nine numbers per customer, in very different units: days (0 to ~1,500), orders (1 to ~100),
# pounds (0 to ~22,000), shares between 0 and 1. Keep that in mind: it will matter soon.
#
# ## 1. Pictures first
#
# Before any model, look at the data. Two features at a time is all a screen can show.

# %% id="b5884db4"
fig, ax = plt.subplots()
ax.scatter(features["recency_days"], features["monetary_gbp"], s=4, alpha=0.4, color=palette(1)[0])
ax.set_yscale("log")
ax.set_title("Larkspur customers: recency against spend")
ax.set_xlabel("days since last purchase (days)")
ax.set_ylabel("net spend, log scale (GBP)")
plt.show()

# %% [markdown] id="924f999d"
# **What to see:** a dense cloud of recent customers on the left (bought in the last ~100 days) and a
# separate band of customers who have not bought for about 250-900 days (lapsed?). Spend spans four orders
# of magnitude, which is why the y-axis is logarithmic. Groups exist, but they are not tidy balls.

# %% [markdown] id="177d51a4"
# ## 2. k-means by hand
#
# k-means looks for *k* centres ("[centroids](../glossary.md#centroid)") and gives each customer to the nearest one. It
# repeats two steps until nothing changes:
#
# 1. **assign**: each point goes to its nearest centre ([Euclidean distance](../glossary.md#euclidean-distance));
# 2. **update**: each centre moves to the [mean](../glossary.md#mean) of its points.
#
# Each round can only lower the total squared distance from points to their centres (the
# **[inertia](../glossary.md#inertia)**), so the loop stops. Here it is on 60 made-up points, so that every step is visible.

# %% id="12648114"
toy = np.vstack([rng.normal(c, 0.6, size=(20, 2)) for c in ([0, 0], [4, 1], [1, 4])])


def kmeans_by_hand(points, k, n_rounds, seed=0):
    """Plain k-means: random points as first centres, then assign / update."""
    local = np.random.default_rng(seed)
    centres = points[local.choice(len(points), size=k, replace=False)]
    history = [centres]
    for _ in range(n_rounds):
        distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)  # (n, k)
        labels = distances.argmin(axis=1)  # 1. assign
        centres = np.array([points[labels == j].mean(axis=0) for j in range(k)])  # 2. update
        history.append(centres)
    return labels, history


labels_toy, history = kmeans_by_hand(toy, k=3, n_rounds=4, seed=3)
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharex=True, sharey=True)
for ax, step in zip(axes, [0, 1, 4]):
    d = np.linalg.norm(toy[:, None, :] - history[step][None, :, :], axis=2).argmin(axis=1)
    ax.scatter(toy[:, 0], toy[:, 1], c=[palette(3)[j] for j in d], s=18)
    ax.scatter(*history[step].T, marker="X", s=180, color="black")
    ax.set_title(f"after {step} update(s)")
    ax.set_xlabel("feature 1 (units)")
axes[0].set_ylabel("feature 2 (units)")
fig.suptitle("k-means by hand: centres (X) move to the mean of their points")
fig.tight_layout()
plt.show()

# %% [markdown] id="7a8a1b06"
# **What to see:** the first centres are random customers, two of them in the same blob. After one
# update the centres already move towards the blobs; after four they sit in the middle of each one.
# That is all k-means does. Note the two weaknesses already visible: the result depends on the
# **starting centres**, and "nearest" means **Euclidean distance**, which adds up differences in every
# feature as if they had the same units.
#
# scikit-learn does the same, faster and with better starting centres:

# %% id="d1484c93"
km_toy = KMeans(n_clusters=3, n_init=10, random_state=0).fit(toy)
print("inertia by hand:", round(sum(((toy[labels_toy == j] - history[-1][j]) ** 2).sum() for j in range(3)), 2))
print("inertia sklearn:", round(km_toy.inertia_, 2))

# %% [markdown] id="fc72bcc3"
# Same answer. From now on we use `KMeans`.
#
# ## 3. The classic mistake: k-means on unscaled features
#
# Let us do what many tutorials do: give k-means the nine features as they are.

# %% id="9f83cc4d"
X_raw = features[FEATURES].to_numpy()
km_raw = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X_raw)
sizes_raw = pd.Series(km_raw.labels_).value_counts().sort_index()
print("customers per cluster:", sizes_raw.tolist())
features[FEATURES].groupby(km_raw.labels_).mean().round(1)

# %% [markdown] id="8748ca9b"
# **Stop and think:** look at the cluster means. Which features differ between clusters, and which are
# almost the same everywhere? Why would the share of app sessions, the page views or the return rate
# play no part at all?
#
# The diagnosis in one figure: how much each feature varies, in its own units.

# %% id="f93dc71f"
spread = features[FEATURES].std().sort_values()
fig, ax = plt.subplots()
ax.barh(spread.index, spread.values, color=palette(1)[0])
ax.set_xscale("log")
ax.set_title("Spread of each feature in its own units")
ax.set_xlabel("standard deviation, log scale (feature units: GBP, days, shares...)")
ax.set_ylabel("feature")
plt.show()

# %% [markdown] id="5811ec18"
# **What to see:** spend varies by about £1,100, tenure and [recency](../glossary.md#recency) by hundreds of days, while shares
# and rates vary by less than 1. A Euclidean distance adds squared differences, so a £100 gap in spend
# weighs as much as a gap of 100 in app share, which cannot even exceed 1. k-means on raw features is
# really "k-means on spend and days": the clusters are slices of spend and recency (two tiny clusters are
# just a few dozen very big spenders), not kinds of customers.
#
# **The fix** has two parts, both from module 2: log-transform the [skewed](../glossary.md#skewness) counts and amounts (so that a
# few huge spenders do not stretch the scale), then [standardise](../glossary.md#scaling) every feature to mean 0 and [standard
# deviation](../glossary.md#standard-deviation) 1, so that each one gets an equal say.

# %% id="f5950050"
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED].clip(lower=0))
scaler = StandardScaler()
X = scaler.fit_transform(X_log)

km_scaled = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X)
print("customers per cluster:", pd.Series(km_scaled.labels_).value_counts().sort_index().tolist())
features[FEATURES].groupby(km_scaled.labels_).mean().round(2)

# %% [markdown] id="21185ea8"
# Now every feature moves between clusters: one cluster has tiny recency and high page views, another
# a high app share and cheap items, another very long recency. The same numbers, read in original units
# (we cluster on `X` but *describe* with `features`), already suggest kinds of customers.
#
# Side by side, on two of the features:

# %% id="b85f67ca"
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, labels, title in [(axes[0], km_raw.labels_, "unscaled features"), (axes[1], km_scaled.labels_, "log + standardised")]:
    colours = np.array(palette(5))[labels]
    ax.scatter(features["recency_days"], features["app_share"], c=colours, s=4, alpha=0.5)
    ax.set_title(f"k-means, k=5, {title}")
    ax.set_xlabel("days since last purchase (days)")
axes[0].set_ylabel("share of sessions in the app (0-1)")
plt.show()

# %% [markdown] id="0216bc25"
# **What to see:** on the left the colours ignore app share completely (every cluster spans 0 to 1):
# they follow recency (the right-hand band of lapsed customers) and spend, which is not even drawn. On
# the right, the lapsed customers still get their own colour, and so do the app-heavy customers (the
# top left of the picture). Module 4 will *measure* how much better the right
# one is; for now the pictures and the cluster means are enough to reject the left one.

# %% [markdown] id="8d45b043"
# ## 4. How many groups? The elbow and the silhouette
#
# k-means needs *k* up front. Two common guides:
#
# - **Elbow:** plot the inertia for k = 2, 3, ... The inertia always falls as k grows (more centres,
#   shorter distances), so we look for the "elbow" where adding a cluster stops helping much.
# - **Silhouette:** for each customer, compare *a* = mean distance to its own cluster with *b* = mean
#   distance to the nearest other cluster: s = (b - a) / max(a, b), from -1 (wrong cluster) to +1
#   (well inside its cluster). The mean over customers is the silhouette score; higher is better.
#
# The silhouette needs all pairwise distances: O(n²) time and memory. On 5,000 customers that is 25
# million distances per k, so we compute it on a random **sample of 2,000** customers
# (`sample_size=2000, random_state=0`): a pilot that gives nearly the same number.

# %% id="770a4d83"
ks = range(2, 9)
inertia, silhouette = [], []
for k in ks:
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    inertia.append(model.inertia_)
    silhouette.append(silhouette_score(X, model.labels_, sample_size=2000, random_state=0))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(ks, inertia, marker="o", color=palette(1)[0])
ax1.set_title("Elbow: inertia by k")
ax1.set_xlabel("number of clusters k")
ax1.set_ylabel("inertia (std. units²)")  # the sum of squared distances to the centres
ax2.plot(ks, silhouette, marker="o", color=palette(2)[1])
ax2.set_title("Silhouette by k (2,000-customer sample)")
ax2.set_xlabel("number of clusters k")
ax2.set_ylabel("mean silhouette (-1 to 1)")
fig.tight_layout()
plt.show()
pd.DataFrame({"k": list(ks), "inertia": np.round(inertia), "silhouette": np.round(silhouette, 3)}).set_index("k").T

# %% [markdown] id="0b4fe11a"
# **What to see:** the inertia curve bends gradually: some readers see an elbow at k=3, others at 4.
# The elbow is a judgement by eye, and on real customers it is rarely sharp. The silhouette has a
# clearer answer: it rises to a peak at **k=5** and falls after. Here the two guides *disagree*: the
# elbow alone would have picked 3 or 4 and merged two kinds of customer. When they disagree, prefer
# the evidence that has a maximum (silhouette), then check the candidates in module 4 for [stability](../glossary.md#stability) and
# for whether the segments make business sense. Read the y-axis too: it does not start at 0, and k = 4, 5 and 6 are within
# 0.01 of each other. The peak at 5 is consistent (other 2,000-customer samples give it too) but small:
# a hint, not a proof. Notice also the scale of the silhouette: about 0.34 is *modest* structure: the groups touch each other. Be honest about that when you present them.

# %% [markdown] id="28b704e5"
# ## 5. Random starts: `n_init`, `random_state` and k-means++
#
# k-means only finds a *local* minimum of the inertia: different starting centres can end in different
# partitions. Two defences:
#
# - **k-means++** (scikit-learn's default `init`) picks starting centres far apart from each other,
#   which avoids the "two centres in one blob" start we saw by hand;
# - **`n_init`** runs the whole algorithm several times and keeps the run with the lowest inertia.
#
# And `random_state` fixes the random numbers, so that you, your colleague and the grader get the same
# segments. Here are 12 single runs with random starting points against 6 runs with k-means++ and
# `n_init=10`, each with a different [seed](../glossary.md#random-seed):

# %% id="0344b95f"
start = time.perf_counter()
single_random = [KMeans(5, init="random", n_init=1, random_state=s).fit(X).inertia_ for s in range(12)]
plus_plus = [KMeans(5, init="k-means++", n_init=10, random_state=s).fit(X).inertia_ for s in range(6)]
print(f"18 fits in {time.perf_counter() - start:.1f} s")
worse = [i for i in single_random if i > min(plus_plus) * 1.01]
print(f"random starts: {len(worse)} of {len(single_random)} runs end above the k-means++ inertia, "
      f"the worst {max(single_random) / min(plus_plus) - 1:.0%} higher; k-means++: {len(set(np.round(plus_plus)))} distinct value(s)")

fig, ax = plt.subplots()
ax.boxplot([single_random, plus_plus])
ax.set_xticks([1, 2], ["random init, n_init=1", "k-means++, n_init=10"])
ax.set_title("Final inertia over several seeds, k=5")
ax.set_xlabel("initialisation")
ax.set_ylabel("inertia (std. units²)")
plt.show()

# %% [markdown] id="fa2f1d59"
# **What to see:** single runs from random starts end at different inertias: some seeds get stuck in a
# worse partition (here 2 of the 12, with an inertia about a quarter higher). With k-means++ and 10 restarts, the 6 seeds land on the same, lowest value.
# Always set `n_init` explicitly (its default changed across scikit-learn versions) and `random_state`
# for reproducible work. Same inertia does not prove the *same partition*; module 4 compares partitions
# directly with the [adjusted Rand index](../glossary.md#adjusted-rand-index-ari).

# %% [markdown] id="2faa7fdb"
# ## Recap
#
# - k-means alternates *assign to nearest centre* and *move centre to the mean*; it minimises inertia
#   and finds round groups of similar size.
# - Distances add up features in their units: **scale first** (log for skewed amounts, then
#   standardise), and describe clusters in **original units**.
# - Choose k with several guides: the elbow is often vague; the silhouette (on a sample) gives a peak;
#   here they disagreed (3-4 versus 5).
# - Fix `random_state`, use k-means++ and `n_init` ≥ 10: a [segmentation](../glossary.md#customer-segmentation) that changes with the seed is
#   not a segmentation.
#
# Next, `03b`: methods for groups that are not round balls, and data that are not all numbers.
#
# ## To go further
#
# - scikit-learn user guide, "Clustering", section *K-means*; and the example *Selecting the number of
#   clusters with silhouette analysis on KMeans clustering*.
# - Arthur & Vassilvitskii (2007), *k-means++: the advantages of careful seeding*, SODA.
# - Rousseeuw (1987), *Silhouettes: a graphical aid to the interpretation and validation of cluster
#   analysis*, Journal of Computational and Applied Mathematics 20.
# - INRIA scikit-learn MOOC, clustering module (k-means on customer data).
