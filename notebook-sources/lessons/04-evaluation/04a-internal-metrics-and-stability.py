# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="2b43f33f"
# # 4a. Are the segments any good? Internal indices, stability and external agreement
#
# **What you will learn**
# - what the [silhouette](../glossary.md#silhouette), [Davies-Bouldin](../glossary.md#davies-bouldin-index) and [Calinski-Harabasz](../glossary.md#calinski-harabasz-index) indices reward, and how each one can fool you;
# - how to read a **per-customer silhouette plot**;
# - how to test **[stability](../glossary.md#stability)** by resampling customers and re-seeding, comparing partitions with the
#   [adjusted Rand index](../glossary.md#adjusted-rand-index-ari) (ARI): [clustering](../glossary.md#clustering)'s counterpart of [cross-validation](../glossary.md#cross-validation);
# - how to measure **agreement with known labels** (ARI, [NMI](../glossary.md#normalised-mutual-information-nmi)), and why comparing raw label ids is wrong;
# - how to report honestly when structure is weak (the Caravan insurance customers).
#
# **Prerequisites:** `03a-kmeans` and `03b-hierarchical-dbscan`.
#
# **Time:** about 60 minutes. Then `04b` ([profiles](../glossary.md#profile), [personas](../glossary.md#persona) and actions) and the exercise
# `exercises/04-evaluation`.

# %% [markdown] id="450d52dd"
# ## The scenario
#
# You present five [segments](../glossary.md#segment) to Larkspur's director. Her first question: *"Why five, why these, and would
# we get the same ones next month?"* A clustering algorithm always returns clusters, even on pure noise.
# This lesson gives you the numbers to answer: how compact and separated the segments are ([internal
# indices](../glossary.md#internal-index)), whether they survive a change of sample or [seed](../glossary.md#random-seed) (stability), and, when some truth is known,
# whether they match it (external indices).

# %% id="d423d9f2"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
)
from sklearn.preprocessing import StandardScaler

from course_utils.clustering import stability_ari
from course_utils.data import load_caravan, load_customers, load_ground_truth, load_sessions, load_transactions, shape_features
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
rng = np.random.default_rng(0)

# Features and scaling exactly as in module 3.
features = customer_features(load_transactions(), load_sessions(), load_customers())
FEATURES = [
    "recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "app_share",
    "mean_page_views", "cart_adds_per_session", "return_rate", "tenure_days",
]
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED].clip(lower=0))
X = StandardScaler().fit_transform(X_log)

# %% [markdown] id="ba867373"
# ## 1. Three internal indices
#
# *Internal* means: computed from the data and the labels only, no truth needed.
#
# | index | what it measures | better | rewards |
# |---|---|---|---|
# | silhouette | per customer, (b - a) / max(a, b): a = mean distance to own cluster, b = to the nearest other | higher (max 1) | tight, well-separated clusters |
# | Davies-Bouldin | average, over clusters, of the worst ratio (spread_i + spread_j) / distance between centres | lower (min 0) | compact clusters with far-apart centres |
# | Calinski-Harabasz | between-cluster variance / within-cluster variance, corrected for k and n | higher | dense, convex, well-separated clusters |
#
# All three use distances, so all three depend on the [scaling](../glossary.md#scaling), and all three are happiest with round
# blobs. Let us compute them for k = 2 to 8.

# %% id="df15ff87"
rows, kmeans_labels = [], {}
for k in range(2, 9):
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)
    kmeans_labels[k] = labels  # kept: the sections below reuse these fits
    rows.append({
        "k": k,
        "silhouette (higher better)": silhouette_score(X, labels, sample_size=2000, random_state=0),
        "Davies-Bouldin (lower better)": davies_bouldin_score(X, labels),
        "Calinski-Harabasz (higher better)": calinski_harabasz_score(X, labels),
    })
indices = pd.DataFrame(rows).set_index("k")

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
for ax, column, colour in zip(axes, indices.columns, palette(3)):
    ax.plot(indices.index, indices[column], marker="o", color=colour)
    best = indices[column].idxmin() if "lower" in column else indices[column].idxmax()
    ax.axvline(best, color="grey", linestyle=":")
    ax.set_title(f"{column.split(' (')[0]}: best k = {best}", fontsize="medium")
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"index value ({column.split('(')[1].rstrip(')')})")
fig.suptitle("Three internal indices for k-means on Larkspur's customers")
fig.tight_layout()
plt.show()
indices.round(3).T

# %% [markdown] id="440252c2"
# **What to see:** the three indices do not agree. The silhouette peaks at 5, Davies-Bouldin prefers 4,
# and Calinski-Harabasz is highest at k = 2, with k = 4 and 5 close behind, then falls. None is "the" right answer: each
# rewards a different notion of good. The differences are also small (silhouette 0.33 vs 0.34), which
# itself is information: several values of k are defensible, and the choice must also rest on stability
# and on business meaning.
#
# ### How an index can fool you (1): outliers
#
# Back to the mistake of module 3: [k-means](../glossary.md#k-means) on the *unscaled* [features](../glossary.md#feature), k = 2.

# %% id="190b582e"
X_raw = features[FEATURES].to_numpy()
labels_raw2 = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(X_raw)
print("cluster sizes:", np.bincount(labels_raw2).tolist())
print("silhouette:", round(silhouette_score(X_raw, labels_raw2, sample_size=2000, random_state=0), 3))
print("Davies-Bouldin:", round(davies_bouldin_score(X_raw, labels_raw2), 3))

# %% [markdown] id="6350c435"
# A silhouette of 0.94 and a Davies-Bouldin of 0.37: far "better" than our scaled segments. But the two
# clusters are ~28 huge spenders against everyone else. On unscaled data the distances are spend; a
# handful of extreme spenders are very far from the crowd, so "crowd + [outliers](../glossary.md#outlier)" *is* a compact,
# well-separated split. **An index only judges the geometry you gave it.** It cannot tell you that the
# geometry (the scaling, the features) is meaningless for marketing, and comparing indices across
# different feature sets or scalings is comparing different rulers.
#
# ### How an index can fool you (2): shapes
#
# On the crescents of `03b`, [DBSCAN](../glossary.md#dbscan) found the two real groups and k-means cut them with a straight line.
# What do the indices say? ([Noise points](../glossary.md#noise-dbscan) removed so that both partitions cover the same customers.)

# %% id="093e2ae3"
S = StandardScaler().fit_transform(shape_features())
dbscan = DBSCAN(eps=0.13, min_samples=20).fit_predict(S)
kmeans2 = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(S)
kept = dbscan != -1
pd.DataFrame({
    method: {
        "silhouette": silhouette_score(S[kept], labels[kept], sample_size=2000, random_state=0),
        "Davies-Bouldin": davies_bouldin_score(S[kept], labels[kept]),
        "Calinski-Harabasz": calinski_harabasz_score(S[kept], labels[kept]),
    }
    for method, labels in [("DBSCAN (the true crescents)", dbscan), ("k-means (straight cut)", kmeans2)]
}).round(3)

# %% [markdown] id="2a79b0a5"
# **What to see:** all three indices prefer the *wrong* k-means cut. They measure compactness around a
# centre, and a crescent is not compact around its centre. So: use internal indices to compare settings
# of the *same* method on the *same* features, look at the pictures, and never let one index decide alone.

# %% [markdown] id="65ff8901"
# ## 2. The per-customer silhouette plot
#
# The mean silhouette hides the distribution. Plotting every customer's silhouette, sorted within each
# cluster, shows which clusters are solid and which contain many misfits (negative values: closer to
# another cluster than to their own). We use the same 2,000-customer sample (O(n²) again).

# %% id="8ca5eff9"
sample = rng.choice(len(X), size=2000, replace=False)
fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharex=True)
for ax, k in zip(axes, [4, 5]):
    labels = kmeans_labels[k]
    values = silhouette_samples(X[sample], labels[sample])
    y = 0
    for j, colour in zip(range(k), palette(k)):
        v = np.sort(values[labels[sample] == j])
        ax.fill_betweenx(np.arange(y, y + len(v)), 0, v, color=colour)
        ax.text(-0.08, y + len(v) / 2, str(j))
        y += len(v) + 20
    ax.axvline(values.mean(), color="black", linestyle="--", label=f"mean = {values.mean():.2f}")
    ax.set_title(f"k = {k}: silhouette of each sampled customer", fontsize="medium")
    ax.set_xlabel("silhouette value (-1 to 1)")
    ax.set_ylabel("customers, grouped by cluster (count)")
    ax.legend(loc="lower right")
fig.suptitle("Per-customer silhouette plots")
fig.tight_layout()
plt.show()

# %% [markdown] id="2aaadcf0"
# **What to see:** each coloured band is a cluster; its width along the x-axis is how well its customers
# fit. With k = 5 the bands are more even and fewer customers fall below zero than with k = 4, where one
# large band mixes two kinds of customer (a long tail near or below 0). A cluster whose whole band sits
# left of the dashed mean line is a weak segment, whatever the overall score.

# %% [markdown] id="c4f4c0f8"
# ## 3. Stability: clustering's cross-validation
#
# In supervised learning we check a model on data it has not seen. In clustering there is no target, but
# we can ask: **if we had a slightly different sample of customers, or another random seed, would we find
# the same segments?** Segments that change are an accident of the sample, and marketing built on them
# would change every month.
#
# To compare two partitions we need a measure that ignores label *numbers* (cluster "3" in one run may be
# cluster "0" in another). The **adjusted Rand index** looks at every pair of customers: are they together
# in both partitions, apart in both, or together in one and apart in the other? It is 1 for identical
# partitions (whatever the numbering), about 0 for agreement no better than chance, and can be negative.
#
# The recipe, written out once in plain scikit-learn:

# %% id="31289f5e"
reference = kmeans_labels[5]  # KMeans(n_clusters=5, n_init=10, random_state=0) on all customers
scores = []
for b in range(5):
    rows_b = np.sort(rng.choice(len(X), size=int(0.8 * len(X)), replace=False))  # 80% of customers
    labels_b = KMeans(n_clusters=5, n_init=10, random_state=b + 1).fit_predict(X[rows_b])  # new seed too
    scores.append(adjusted_rand_score(reference[rows_b], labels_b))  # same customers, two partitions
print("ARI of 5 resamples against the full fit:", np.round(scores, 3))

# %% [markdown] id="f0ddf18e"
# All close to 1: the five segments come back on every subsample. `course_utils.clustering.stability_ari`
# wraps exactly this loop; with it we compare a few values of k on Larkspur, and k = 10 on Caravan.

# %% id="ae4ec97b"
stability = {
    k: stability_ari(X, lambda seed, k=k: KMeans(n_clusters=k, n_init=10, random_state=seed), n_resamples=5)
    for k in [3, 4, 5, 6, 8]
}
fig, ax = plt.subplots()
ax.boxplot(list(stability.values()))
ax.set_xticks(range(1, len(stability) + 1), [str(k) for k in stability])
ax.set_ylim(0.5, 1.01)
ax.set_title("Stability of k-means segments under resampling (5 resamples of 80%)")
ax.set_xlabel("number of clusters k")
ax.set_ylabel("ARI with the full-data partition (0-1)")
plt.show()
print("lowest ARI of the 5 resamples, per k:", {k: round(float(ari.min()), 3) for k, ari in stability.items()})

# %% [markdown] id="a2992096"
# **What to see:** k = 5 is the most stable (every resample above 0.98); k = 4 is a little less stable,
# and at k = 8 one resample drops to about 0.8: extra clusters start to split customers arbitrarily. On
# Larkspur's data stability does not separate the candidates much, so the decision between 4 and 5 rests
# on the silhouette and on meaning (04b). Stability is a *necessary* condition, not a sufficient one: a
# stable split of a continuum is still a split of a continuum.
#
# **Seeds, not only samples.** With a single random start, k-means can land in different local minima
# (03a). The ARI between runs with different seeds shows it directly:

# %% id="9c32808b"
single_runs = [KMeans(n_clusters=5, init="random", n_init=1, random_state=s).fit_predict(X) for s in range(8)]
pairwise = [adjusted_rand_score(single_runs[i], single_runs[j]) for i in range(8) for j in range(i + 1, 8)]
print(f"n_init=1, random init: pairwise ARI between 8 seeds ranges {min(pairwise):.2f} to {max(pairwise):.2f}")

# %% [markdown] id="577a0c53"
# Some pairs of seeds give visibly different segments (ARI well below 1). That is why the course always
# uses [k-means++](../glossary.md#k-means-initialisation) with `n_init=10` *and* a fixed `random_state`.

# %% [markdown] id="e6b4ad55"
# ## 4. External agreement: the planted truth
#
# Larkspur is synthetic, so we know the five segments its generator planted (plus 2.5% "noise"
# customers). The file is in `datasets/evaluation_only/`: a real company never has it, and we use it only
# to grade methods, never to build features.
#
# **First, the mistake on purpose:** compare label ids directly.

# %% id="5ec59386"
truth = load_ground_truth().set_index("customer_id")["segment"].reindex(features.index)
truth_codes = truth.cat.codes.to_numpy()  # loyal premium = 0, bargain hunters = 1, ...
print(f"planted 'noise' customers: {(truth == 'noise').mean():.1%}")
labels5 = kmeans_labels[5]  # k-means, k=5, fitted in section 1
print("share of customers whose cluster id equals their truth code:", round(float(np.mean(labels5 == truth_codes)), 3))
print("the same clusters, ids renamed 0->1->2->3->4->0:", round(float(np.mean((labels5 + 1) % 5 == truth_codes)), 3))

# %% [markdown] id="92695ff0"
# **Why is this wrong?** Cluster numbers are arbitrary names: k-means might call the loyal customers "3"
# today and "0" after an upgrade. Renaming the clusters (same partition!) changes this "[accuracy](../glossary.md#accuracy)"
# completely. We need scores that depend only on *which customers are grouped together*:
#
# - **ARI** (adjusted Rand index), pair counting, corrected for chance: 0 = random, 1 = identical;
# - **NMI** (normalised mutual information): how much knowing the cluster tells you about the true
#   segment, from 0 to 1.

# %% id="de50c70e"
pd.DataFrame({
    "ARI": [adjusted_rand_score(truth, labels5), adjusted_rand_score(truth, (labels5 + 1) % 5)],
    "NMI": [normalized_mutual_info_score(truth, labels5), normalized_mutual_info_score(truth, (labels5 + 1) % 5)],
}, index=["k-means k=5", "same, ids renamed"]).round(3)

# %% [markdown] id="1906114f"
# Renaming changes nothing, as it should. An ARI of about 0.83 is high: k-means recovers most of the
# planted structure. The cross-table shows where it errs:

# %% id="f8b02e5a"
pd.crosstab(truth, labels5, rownames=["planted segment"], colnames=["k-means cluster"])

# %% [markdown] id="7c3c2a6b"
# Each planted segment sits mostly in one cluster; the planted "noise" customers are spread over all of
# them (k-means must put everyone somewhere), and about a tenth of the occasional gift buyers and of the
# lapsed customers swap places: both buy rarely and have long gaps between orders.
# And the unscaled k-means of module 3? Its ARI with the truth is much lower:

# %% id="04ea2b8b"
labels_raw5 = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_raw)
print("ARI with the truth, unscaled features:", round(adjusted_rand_score(truth, labels_raw5), 3))
print("ARI with the truth, log + standardised:", round(adjusted_rand_score(truth, labels5), 3))

# %% [markdown] id="92bcbc5e"
# That is the number that settles the scaling argument of module 3 when a truth exists.
#
# ## 5. Real data, honest result: Caravan and its commercial segments
#
# Caravan's customers come with `MOSHOOFD`, the insurer's 10 "customer main types" (made by a marketing
# bureau from postcode data). Do our k-means clusters of the 41 socio-demographic columns recover them?
# Is the partition even stable?

# %% id="16e7b371"
caravan = load_caravan()
DEMOGRAPHIC = [c for c in caravan.columns if c.startswith("M") and c not in ("MOSTYPE", "MOSHOOFD")]
C = StandardScaler().fit_transform(caravan[DEMOGRAPHIC])
caravan_labels = KMeans(n_clusters=10, n_init=4, random_state=0).fit_predict(C)
caravan_stability = stability_ari(C, lambda seed: KMeans(n_clusters=10, n_init=4, random_state=seed), n_resamples=4)
pd.Series({
    "ARI with MOSHOOFD": adjusted_rand_score(caravan["MOSHOOFD"], caravan_labels),
    "NMI with MOSHOOFD": normalized_mutual_info_score(caravan["MOSHOOFD"], caravan_labels),
    "silhouette (2,000 sample)": silhouette_score(C, caravan_labels, sample_size=2000, random_state=0),
    "stability ARI, mean of 4 resamples": caravan_stability.mean(),
}).round(3)

# %% [markdown] id="6249f5e3"
# **What to see, and how to report it:** the agreement with the commercial types is weak (ARI about 0.1,
# NMI about 0.2), the silhouette is below 0.1, and the partition is *unstable* (resampled fits agree with
# ARI around 0.5). Honest conclusion: *"These 41 socio-demographic columns do not contain well-separated
# groups; our 10 clusters are one of many equally good cuts of a continuum and do not reproduce the
# bureau's customer types. We would not base a campaign on them without more (behavioural) data."* A
# negative result stated with numbers is worth more than ten confident personas built on sand.

# %% [markdown] id="9bc13b66"
# ## Recap
#
# - **Internal indices** (silhouette ↑, Davies-Bouldin ↓, Calinski-Harabasz ↑) reward compact, round,
#   separated clusters; they disagree with each other, are fooled by outliers and non-convex shapes, and
#   only compare settings on the same features and scaling.
# - The **per-customer silhouette plot** shows weak clusters and misfits that the mean hides.
# - **Stability**: refit on resamples and new seeds, compare with **ARI**; unstable segments are not
#   segments. Stable is necessary, not sufficient.
# - **External agreement**: ARI and NMI, never raw label ids (they change when clusters are renamed).
# - On real data (Caravan) structure can be weak: report it with the numbers.
#
# ## To go further
#
# - scikit-learn user guide, "Clustering performance evaluation" (all indices used here).
# - Hubert & Arabie (1985), *Comparing partitions*, Journal of Classification 2 (the ARI).
# - Davies & Bouldin (1979), *A cluster separation measure*, IEEE PAMI; Caliński & Harabasz (1974),
#   *A dendrite method for cluster analysis*, Communications in Statistics.
# - von Luxburg (2010), *Clustering stability: an overview*, Foundations and Trends in Machine Learning.
# - Hennig (2007), *Cluster-wise assessment of cluster stability*, Computational Statistics & Data
#   Analysis (the idea behind R's `fpc::clusterboot`).
