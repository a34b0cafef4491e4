# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="abadd1f8"
# # 3b. Beyond k-means: hierarchical clustering, DBSCAN, mixtures and mixed data
#
# **What you will learn**
# - how [agglomerative](../glossary.md#hierarchical-clustering) (hierarchical) [clustering](../glossary.md#clustering) builds a tree of customers, how to read a **[dendrogram](../glossary.md#dendrogram)**
#   and cut it into [segments](../glossary.md#segment), and why the *[linkage](../glossary.md#linkage)* matters (Ward, complete, average, single);
# - how **[DBSCAN](../glossary.md#dbscan)** finds groups of any shape and flags **[noise](../glossary.md#noise-dbscan)** customers as [outliers](../glossary.md#outlier), how to choose
#   `eps` from a [k-distance plot](../glossary.md#k-distance-plot), and where it fails (groups of different density);
# - (optional) soft membership with a [Gaussian mixture](../glossary.md#gaussian-mixture);
# - why [Euclidean distance](../glossary.md#euclidean-distance) on [one-hot](../glossary.md#one-hot-encoding) **gender** misleads, and what to use for mixed data ([Gower](../glossary.md#gower-distance),
#   [k-prototypes](../glossary.md#k-prototypes));
# - the same tools on a **real** data set: 5,822 Dutch insurance customers (Caravan).
#
# **Prerequisites:** `03a-kmeans` ([scaling](../glossary.md#scaling), [silhouette](../glossary.md#silhouette), `n_init`).
#
# **Time:** about 60 minutes.

# %% [markdown] id="2dd90357"
# ## The scenario
#
# [k-means](../glossary.md#k-means) gave Larkspur five plausible groups, but it assumes round groups of similar size and needs *k*
# in advance. The analytics lead asks three questions: *Is there a natural hierarchy (big families of
# customers that split into sub-groups)? Are there customers who fit no group at all? And can we add
# gender and region to the clustering?* Each question leads to one method below.

# %% id="e6b424a5"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import dendrogram, fcluster, linkage
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from course_utils.data import load_caravan, load_customers, load_sessions, load_transactions, shape_features
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
rng = np.random.default_rng(0)

# Same features and scaling as in 03a: log of the skewed ones, then standardise.
features = customer_features(load_transactions(), load_sessions(), load_customers())
FEATURES = [
    "recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "app_share",
    "mean_page_views", "cart_adds_per_session", "return_rate", "tenure_days",
]
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED].clip(lower=0))
X = StandardScaler().fit_transform(X_log)
X.shape

# %% [markdown] id="9a79484c"
# ## 1. Hierarchical clustering and the dendrogram
#
# **Agglomerative** clustering starts with every customer as its own group and repeatedly merges the
# two closest groups, until one group remains. The record of merges is a tree, the **dendrogram**; the
# height of each merge is the distance between the two groups merged. Cutting the tree at a height gives
# a [segmentation](../glossary.md#customer-segmentation); a long vertical gap means that the groups below it are far apart (a natural cut).
#
# "Distance between two *groups*" needs a rule, the **linkage**:
#
# | linkage | distance between groups A and B | tends to give |
# |---|---|---|
# | single | closest pair of points | long chains, one giant group |
# | complete | farthest pair of points | compact groups, sensitive to outliers |
# | average | mean of all pairs | in between |
# | Ward | increase in within-group variance if merged | round groups of similar size (like k-means) |
#
# The tree needs all pairwise distances: O(n²) memory and at least O(n²) time. A dendrogram of 5,000
# leaves is also unreadable. So we **pilot on a random sample of 300 customers**.

# %% id="a148fa70"
sample = rng.choice(len(X), size=300, replace=False)
X_sample = X[sample]
Z_ward = linkage(X_sample, method="ward")

fig, ax = plt.subplots(figsize=(10, 4.5))
dendrogram(Z_ward, truncate_mode="lastp", p=30, color_threshold=0, above_threshold_color=palette(5)[4], ax=ax)
cut_height = 24
ax.axhline(cut_height, color=palette(6)[5], linestyle="--", label=f"cut at height {cut_height}")
ax.set_title("Ward dendrogram of 300 sampled customers (last 30 merges)")
ax.set_xlabel("group of customers (number in brackets = customers merged below)")
ax.set_ylabel("merge distance (Ward, std. units)")
ax.legend()
plt.show()

# %% [markdown] id="b50d6e65"
# **What to see:** read the tree from the top. The highest merges join a few big families of
# customers; long vertical branches mean those families are well apart. The dashed line cuts the tree
# where the branches are long, giving four groups here. Count the vertical lines the dashed line
# crosses: that is the number of segments at that height. Cutting lower gives more, smaller segments:
# the dendrogram shows *all* choices of k at once, which k-means cannot.
#
# `fcluster` cuts the tree, either at a height or into a fixed number of groups:

# %% id="d1a3f6d9"
labels_height = fcluster(Z_ward, t=cut_height, criterion="distance")
labels_5 = fcluster(Z_ward, t=5, criterion="maxclust")
print("groups when cutting at height", cut_height, ":", len(np.unique(labels_height)))
print("sizes with 5 groups:", np.bincount(labels_5)[1:].tolist())

# the same Ward clustering in scikit-learn, and how it compares with k-means on the same customers
agglo = AgglomerativeClustering(n_clusters=5, linkage="ward").fit_predict(X_sample)
kmeans_sample = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X_sample)
print("ARI scipy vs scikit-learn Ward:", round(adjusted_rand_score(labels_5, agglo), 3))
print("ARI Ward vs k-means:", round(adjusted_rand_score(agglo, kmeans_sample), 3))

# %% [markdown] id="f366b0dc"
# scipy and scikit-learn give the same partition ([adjusted Rand index](../glossary.md#adjusted-rand-index-ari), ARI, of 1: module 4 explains it;
# for now, 1 = identical partitions whatever the label numbers, 0 = no better than chance). Ward and
# k-means agree largely but not fully: they optimise similar, not identical, criteria.
#
# Now the linkage. Same 300 customers, same cut into 5 groups, four rules:

# %% id="3e6e3fa7"
rows = []
for method in ["single", "complete", "average", "ward"]:
    labels = fcluster(linkage(X_sample, method=method), t=5, criterion="maxclust")
    sizes = sorted(np.bincount(labels)[1:].tolist(), reverse=True)
    rows.append({"linkage": method, "sizes of the 5 groups": sizes, "largest group share": sizes[0] / len(labels)})
pd.DataFrame(rows).set_index("linkage")

# %% [markdown] id="04c957bf"
# **What to see:** single linkage puts almost every customer in one group and leaves a few loners:
# it *chains* through the dense cloud. Complete and average do better; Ward gives groups of comparable
# size. For customer segments meant for marketing, Ward is the usual choice; single linkage is useful
# for the opposite job: finding the few customers far from everyone else.

# %% [markdown] id="7375497d"
# ## 2. DBSCAN: shapes that are not round, and noise
#
# Some behaviour does not form round blobs. `shape_features()` gives, per customer, the mean hour of day
# their sessions start and their mean session length. Let us draw it before anything else.

# %% id="bf750523"
shape = shape_features()
S = StandardScaler().fit_transform(shape)
kmeans_shape = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(S)

fig, ax = plt.subplots()
ax.scatter(shape["mean_session_hour"], shape["mean_session_minutes"], c=np.array(palette(2))[kmeans_shape], s=4, alpha=0.5)
ax.set_title("Session habits, coloured by k-means (k=2)")
ax.set_xlabel("mean start time of sessions (hour of day, 0-24)")
ax.set_ylabel("mean session length (minutes)")
ax.set_ylim(0, 40)
plt.show()

# %% [markdown] id="b241a9de"
# **What to see:** two interlocking crescents: one group browses longer, from late morning to mid-afternoon
# (about 10:00-17:00); the other has short sessions from early afternoon into the evening (about
# 13:00-20:00, a "mobile-first" habit), plus scattered customers with odd
# habits. k-means cuts the picture with a straight line, slicing both crescents in half: its groups are
# always convex regions around a centre. No choice of k fixes that.
#
# **DBSCAN** (density-based spatial clustering of applications with noise) thinks differently: a
# customer is a *core point* if at least `min_samples` customers lie within distance `eps`; clusters are
# chains of core points and their neighbours; everything else is **noise** (label `-1`). No k is needed,
# shapes can be anything, and outliers are not forced into a group.
#
# **Choosing `eps`: the k-distance plot.** For each customer, compute the distance to its
# `min_samples`-th nearest neighbour and sort these distances. Inside clusters they are small; for
# isolated customers they jump. `eps` goes just below the point where the curve turns sharply up.

# %% id="67e6a23d"
min_samples = 20
distances, _ = NearestNeighbors(n_neighbors=min_samples).fit(S).kneighbors(S)
k_distance = np.sort(distances[:, -1])
eps = 0.13

fig, ax = plt.subplots()
ax.plot(k_distance, color=palette(5)[4])
ax.axhline(eps, color=palette(6)[5], linestyle="--", label=f"eps = {eps}")
ax.set_ylim(0, 1)
ax.set_title(f"k-distance plot: distance to the {min_samples}th nearest neighbour")
ax.set_xlabel("customers, sorted by that distance (rank)")
ax.set_ylabel("distance (std. units)")
ax.legend()
plt.show()
print(f"95% of customers have their {min_samples}th neighbour within {np.quantile(k_distance, 0.95):.2f} std. units")

# %% [markdown] id="8a30b255"
# **What to see:** about 95% of customers have their 20th neighbour within ~0.16 standard units; then the
# curve shoots up: those are customers in empty regions. We take eps = 0.13, a little below the bend, and
# then check how sensitive the answer is.

# %% id="61481b99"
fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
for ax, e in zip(axes, [0.05, eps, 0.3]):
    labels = DBSCAN(eps=e, min_samples=min_samples).fit_predict(S)
    n_clusters = len(set(labels) - {-1})
    colours = np.where(labels[:, None] == -1, np.array([[0.6, 0.6, 0.6, 1]]), plt.matplotlib.colors.to_rgba_array(np.array(palette(8))[labels % 8]))
    ax.scatter(shape["mean_session_hour"], shape["mean_session_minutes"], c=colours, s=4)
    ax.set_title(f"eps={e}: {n_clusters} cluster(s)\n{np.mean(labels == -1):.0%} noise", fontsize="medium")
    ax.set_xlabel("mean start hour (hour of day)")
    ax.set_ylim(0, 40)
axes[0].set_ylabel("mean session length (minutes)")
fig.suptitle("DBSCAN, min_samples=20; grey = noise")
fig.tight_layout()
plt.show()
dbscan_labels = DBSCAN(eps=eps, min_samples=min_samples).fit_predict(S)

# %% [markdown] id="fd22afe4"
# **What to see:** with eps too small (left), most customers are "noise" and the crescents crumble into
# pieces. With eps = 0.13 (middle) DBSCAN finds exactly the two crescents and marks the scattered
# customers as noise. With eps too large (right), the crescents touch and merge into one cluster. The
# k-distance plot got us into the right range; looking at the result confirmed it.
#
# **Noise is information.** The customers DBSCAN calls noise are the ones with unusual habits: sessions
# at 3 a.m. or lasting over an hour. They are candidates for a closer look (bots? shared accounts?
# resellers?) before any campaign, and they should not distort the centre of a real segment:

# %% id="3bb0b841"
noise = dbscan_labels == -1
pd.DataFrame({
    "customers": [int(noise.sum()), int((~noise).sum())],
    "median start hour": [shape.loc[noise, "mean_session_hour"].median(), shape.loc[~noise, "mean_session_hour"].median()],
    "median minutes": [shape.loc[noise, "mean_session_minutes"].median(), shape.loc[~noise, "mean_session_minutes"].median()],
    "90th pct minutes": [shape.loc[noise, "mean_session_minutes"].quantile(0.9), shape.loc[~noise, "mean_session_minutes"].quantile(0.9)],
}, index=["noise (-1)", "in a cluster"]).round(1)

# %% [markdown] id="bdd95390"
# ### Where DBSCAN fails: groups of different density
#
# One `eps` means one idea of "dense". When a tight group and a diffuse group coexist, no single eps
# serves both. A made-up example: two tight groups of regular buyers next to one spread-out group.

# %% id="de2561cf"
blobs, blob_truth = make_blobs(n_samples=[300, 300, 300], centers=[[0, 0], [2.5, 0], [8, 4]], cluster_std=[0.3, 0.3, 2.0], random_state=0)
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, e in zip(axes, [0.3, 1.0]):
    labels = DBSCAN(eps=e, min_samples=10).fit_predict(blobs)
    colours = np.where(labels[:, None] == -1, np.array([[0.6, 0.6, 0.6, 1]]), plt.matplotlib.colors.to_rgba_array(np.array(palette(8))[labels % 8]))
    ax.scatter(blobs[:, 0], blobs[:, 1], c=colours, s=6)
    ax.set_title(f"eps={e}: {len(set(labels) - {-1})} clusters, {np.mean(labels == -1):.0%} noise\nARI with the true groups = {adjusted_rand_score(blob_truth, labels):.2f}", fontsize="medium")
    ax.set_xlabel("feature 1 (std. units)")
axes[0].set_ylabel("feature 2 (std. units)")
fig.suptitle("Three groups of different density: no single eps works")
fig.tight_layout()
plt.show()

# %% [markdown] id="6fefc024"
# **What to see:** with a small eps, the two tight groups are found but most of the diffuse group is
# called noise. With a larger eps the diffuse group is kept but the two tight groups merge into one.
# (HDBSCAN, `sklearn.cluster.HDBSCAN`, varies the density threshold and handles this case better.)
#
# **Choosing an algorithm by shape:** round groups of similar size: k-means or Ward; a hierarchy you
# want to read: agglomerative with a dendrogram; odd shapes and outliers, similar density: DBSCAN.

# %% [markdown] id="99f1f185"
# ## 3. (Optional) Soft membership with a Gaussian mixture
#
# k-means says "customer 17 is in group 3", full stop. A **Gaussian mixture** models each group as a
# bell-shaped cloud (with its own spread and orientation) and gives each customer a *probability* of
# belonging to each group. Customers between two groups get split probabilities, which is honest: they
# are the ones a campaign might get wrong.

# %% id="c2504797"
gmm = GaussianMixture(n_components=5, covariance_type="full", random_state=0).fit(X)
membership = gmm.predict_proba(X)
confidence = membership.max(axis=1)

fig, ax = plt.subplots()
ax.hist(confidence, bins=40, color=palette(3)[2])
ax.set_title("Gaussian mixture (5 components): how sure is each assignment?")
ax.set_xlabel("highest membership probability of the customer (0-1)")
ax.set_ylabel("number of customers")
plt.show()
print(f"customers with a top probability below 0.8: {np.mean(confidence < 0.8):.1%}")
print("ARI between mixture and k-means (k=5):", round(adjusted_rand_score(gmm.predict(X), KMeans(5, n_init=10, random_state=0).fit_predict(X)), 2))

# %% [markdown] id="d5e4b541"
# **What to see:** most customers are assigned with probability near 1, but a minority sit between
# groups. Those are the customers whose segment might flip with a little more data. Note also the
# moderate ARI with k-means: a mixture lets groups be elongated or of different spread, so it draws
# some boundaries elsewhere. Two reasonable methods, two partly different answers: module 4 is about
# deciding between them with numbers.

# %% [markdown] id="db4e83e2"
# ## 4. Mixed data: why one-hot gender in a Euclidean distance misleads
#
# The lead asked to "add gender and region". Two problems, one technical and one ethical.
#
# **Technical.** A common trick is to one-hot encode gender (one 0/1 column per value) and append it to
# the scaled [features](../glossary.md#feature). Look at what that does to distances, on four made-up customers:

# %% id="fccce678"
toy = pd.DataFrame({
    "customer": ["Ann", "Ben", "Cat", "Dev"],
    "monetary_gbp": [500.0, 510.0, 500.0, 2000.0],
    "gender": ["female", "male", "female", "female"],
}).set_index("customer")
spend_scaled = (toy["monetary_gbp"] - features["monetary_gbp"].mean()) / features["monetary_gbp"].std()
encoded = pd.concat([spend_scaled, pd.get_dummies(toy["gender"], dtype=float)], axis=1)
display(encoded.round(2))
dist = pd.DataFrame(np.linalg.norm(encoded.values[:, None] - encoded.values[None], axis=2), index=toy.index, columns=toy.index)
dist.round(2)

# %% [markdown] id="6a502d16"
# **What to see:** Ann and Ben spend almost the same, yet their distance (1.41 = √2, from two one-hot
# columns that differ) is *bigger* than the distance between Ann and Dev, who spends four times more.
# Every category mismatch costs √2 whatever the scale of the numeric features, so a binary column
# dominates or vanishes depending on how many numeric columns you have. [Label-encoding](../glossary.md#label-encoding) (female=0,
# male=1, non-binary=2, undisclosed=3) is worse: it invents an order and says "undisclosed" is three
# times as far from "female" as "male" is.
#
# **Alternatives for mixed data:**
# - **Gower distance**: for each feature, a dissimilarity in [0, 1] (numeric: absolute difference / range;
#   categorical: 0 if equal, 1 if not), then the average. Every feature gets the same say. It fits
#   hierarchical clustering or k-medoids (any method that accepts a distance matrix).
# - **k-prototypes** (Huang, 1998; in the `kmodes` package): k-means for numbers plus k-modes (matching)
#   for categories, with a weight γ between the two parts.
#
# Gower by hand on the toy table, in three lines:

# %% id="3d8a6103"
spend = toy["monetary_gbp"].to_numpy()
numeric_part = np.abs(spend[:, None] - spend[None]) / (spend.max() - spend.min())
category_part = (toy["gender"].to_numpy()[:, None] != toy["gender"].to_numpy()[None]).astype(float)
gower = pd.DataFrame((numeric_part + category_part) / 2, index=toy.index, columns=toy.index)
gower.round(2)

# %% [markdown] id="0c6f7c63"
# Now gender and spend each contribute up to 0.5 and the *weight* is a visible, deliberate choice.
#
# **Ethical.** Gender is a [protected characteristic](../glossary.md#protected-characteristic) (UK Equality Act 2010) and [personal data](../glossary.md#personal-data); region can
# be a [proxy](../glossary.md#proxy) for ethnicity or income. Segments built *from* them can turn into unequal treatment (prices,
# offers). The course's rule: cluster on **behaviour**, then *audit* the segments' make-up by gender, age
# or region (module 6) instead of feeding those columns to the algorithm. That is why
# `customer_features` leaves them out.

# %% [markdown] id="37906a57"
# ## 5. Real data: Caravan insurance customers
#
# Larkspur is synthetic: its groups were planted. Real customers rarely separate so well. The Caravan
# data (from the CoIL 2000 challenge, via the ISLR book) describe 5,822 Dutch customers of an insurer:
# 41 socio-demographic columns, each coded 0-9 (shares of the customer's postcode area: religion, family
# type, education, income...), plus the insurer's own commercial segment `MOSHOOFD` ("customer main
# type", 10 types) made by a marketing company. We cluster the 41 columns *without* looking at
# `MOSHOOFD`; module 4 compares the result with it.

# %% id="28b85dc8"
caravan = load_caravan()
DEMOGRAPHIC = [c for c in caravan.columns if c.startswith("M") and c not in ("MOSTYPE", "MOSHOOFD")]
C = StandardScaler().fit_transform(caravan[DEMOGRAPHIC])
print(f"{len(caravan):,} customers;", len(DEMOGRAPHIC), "columns, e.g.", DEMOGRAPHIC[:6])

caravan_k = range(2, 11, 2)
caravan_sil = []
for k in caravan_k:
    labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(C)
    caravan_sil.append(silhouette_score(C, labels, sample_size=2000, random_state=0))

fig, ax = plt.subplots()
ax.plot(list(caravan_k), caravan_sil, marker="o", color=palette(1)[0])
ax.set_ylim(0, 0.5)
ax.set_title("Caravan: silhouette of k-means by k (2,000-customer sample)")
ax.set_xlabel("number of clusters k")
ax.set_ylabel("mean silhouette (-1 to 1)")
plt.show()
print("silhouette by k:", dict(zip(caravan_k, np.round(caravan_sil, 2).tolist())))

# %% [markdown] id="ee5dd166"
# **What to see:** the silhouette stays low for every k (0.14 at k=2, then below 0.1), far below Larkspur's 0.34: the
# customers form one continuous cloud with gentle density changes, not separate groups. That is normal for
# real socio-demographic data, and it is a result worth reporting honestly: any segmentation of these
# customers is a *useful partition* of a continuum, not the discovery of natural kinds. Module 4 shows how
# to check whether such a partition is at least [stable](../glossary.md#stability), and how it compares with the commercial segments.

# %% [markdown] id="e98f6f96"
# ## Recap
#
# - **Hierarchical clustering** builds a tree; the dendrogram shows every possible k; cut where branches
#   are long. Ward behaves like k-means; single linkage chains. Pilot on a sample: it is O(n²).
# - **DBSCAN** finds shapes of any kind and labels outliers as noise (-1). Choose `eps` just below the bend
#   of the k-distance plot, then check neighbouring values. It fails when groups differ in density.
# - **Gaussian mixtures** give probabilities: a way to see which customers sit between segments.
# - **Mixed data**: one-hot or label-encoded categories distort Euclidean distance; use Gower or
#   k-prototypes, and keep sensitive attributes for auditing, not clustering.
# - **Real data** often has weak structure: say so, with the numbers.
#
# ## To go further
#
# - scikit-learn user guide, "Clustering": *Hierarchical clustering*, *DBSCAN*, *HDBSCAN*; "Gaussian
#   mixture models".
# - Ester, Kriegel, Sander & Xu (1996), *A density-based algorithm for discovering clusters in large
#   spatial databases with noise*, KDD.
# - Gower (1971), *A general coefficient of similarity and some of its properties*, Biometrics 27.
# - Huang (1998), *Extensions to the k-means algorithm for clustering large data sets with categorical
#   values*, Data Mining and Knowledge Discovery 2.
# - van der Putten & van Someren (2000), *CoIL Challenge 2000: The Insurance Company Case*.
