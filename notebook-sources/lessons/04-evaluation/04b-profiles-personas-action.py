# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="c667a2aa"
# # 4b. From clusters to personas to actions
#
# **What you will learn**
# - how to **[profile](../glossary.md#profile)** [segments](../glossary.md#segment): size, share and means in original units, and **[lift](../glossary.md#lift)** against the
#   average customer;
# - how to **name** segments as [personas](../glossary.md#persona) from those numbers (and not from wishful thinking);
# - how to **explain** segments with a shallow decision tree used as a [surrogate](../glossary.md#surrogate-tree), and report its
#   **[fidelity](../glossary.md#fidelity)**;
# - how to draw segments in 2-D with **[PCA](../glossary.md#principal-component-analysis-pca)**, and what such a picture cannot show;
# - the workflow **pilot on a subset, then scale**;
# - how to turn segments into **actions**: which segment gets which campaign, and why, with the campaign
#   results to back it.
#
# **Prerequisites:** `04a-internal-metrics-and-stability`.
#
# **Time:** about 50 minutes.

# %% [markdown] id="26f0dc24"
# ## The scenario
#
# The five segments are [stable](../glossary.md#stability) and agree with each other across [seeds](../glossary.md#random-seed). Now the director needs to *use*
# them: *"Who are these people, how do I recognise one, and what do we send each of them?"* Larkspur ran
# a test campaign in March 2025 (the SPRING25 e-mail): half of the mailed customers got a 20%-off offer (`variant = "offer"`), the
# other half a plain newsletter (`"control"`). We will use it to choose an action per segment.

# %% id="f8c3fee7"
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, export_text

from course_utils.clustering import profile_segments
from course_utils.data import load_campaign, load_customers, load_sessions, load_transactions
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
rng = np.random.default_rng(0)

features = customer_features(load_transactions(), load_sessions(), load_customers())
FEATURES = [
    "recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "app_share",
    "mean_page_views", "cart_adds_per_session", "return_rate", "tenure_days",
]
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED].clip(lower=0))
X = StandardScaler().fit_transform(X_log)
labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X)

# %% [markdown] id="07f5ef96"
# ## 1. Profiles in original units
#
# We clustered on [log-transformed](../glossary.md#log-transform), [standardised](../glossary.md#scaling) numbers, but nobody in marketing thinks in [standard
# deviations](../glossary.md#standard-deviation) of log spend. Profiles use the **original** columns: days, orders, pounds, shares. First in
# plain pandas:

# %% id="406c3167"
profile = features[FEATURES].groupby(labels).mean()
profile.insert(0, "customers", pd.Series(labels).value_counts().sort_index())
profile.loc["all customers"] = [len(features), *features[FEATURES].mean()]
profile.round(2)

# %% [markdown] id="6f3c4a21"
# A table of means is hard to read across [features](../glossary.md#feature) with different units. **Lift** divides each segment
# mean by the overall mean: 1.0 is average, 2.0 twice the average, 0.5 half. `profile_segments` (in
# `course_utils.clustering`) does the groupby above and adds size, share and lift. A [heatmap](../glossary.md#heatmap) of the lift,
# annotated with the means in original units, is the figure to show a stakeholder:

# %% id="c4ad767d"
means = profile_segments(features[FEATURES], labels)
lift = profile_segments(features[FEATURES], labels, lift=True)
segments = [s for s in means.index if s != "overall"]

fig, ax = plt.subplots(figsize=(11, 4))
log_lift = np.log2(lift.loc[segments, FEATURES].astype(float))
image = ax.imshow(log_lift, cmap="PuOr_r", vmin=-2, vmax=2, aspect="auto")
ax.grid(False)
for i, s in enumerate(segments):
    for j, column in enumerate(FEATURES):
        value = means.loc[s, column]
        text = f"{value:,.0f}" if abs(value) >= 10 else f"{value:.2f}"
        dark = abs(log_lift.iloc[i, j]) > 1.2
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if dark else "black")
ax.set_xticks(range(len(FEATURES)), FEATURES, rotation=30, ha="right")
ax.set_yticks(range(len(segments)), [f"cluster {s} (n={means.loc[s, 'size']})" for s in segments])
ax.set_title("Segment profiles: colour = lift vs average (log2), text = mean in original units")
ax.set_xlabel("feature (days, orders, GBP, shares, sessions)")
ax.set_ylabel("segment")
fig.colorbar(image, ax=ax, label="log2(lift): +1 = twice the average")
plt.show()
# the numbers behind the colours: lift = segment mean / overall mean
lift.loc[segments, FEATURES].astype(float).round(1)

# %% [markdown] id="21f27d19"
# **What to see:** read each row for its strong colours. One cluster has [recency](../glossary.md#recency) about 3.5 times the
# average (~540 days) and three times the return rate: customers who left. One has almost no tenure
# (~75 days) and about 1.7 orders: newcomers. One has twice the average spend, high page views and dear
# items: the best customers. One lives in the app and buys cheap items, often: deal seekers. The last buys
# rarely and little, at ordinary prices.

# %% [markdown] id="d6851383"
# ## 2. Naming the personas
#
# Names must follow from the numbers, and must not depend on the arbitrary cluster ids (a new scikit-learn
# version may number them differently). So we name them by **rules on the profile**, each rule taking the
# most extreme remaining cluster:

# %% id="adbd1c2f"
remaining = list(segments)
persona = {}
for name, column, pick in [
    ("Lapsed", "recency_days", "max"),
    ("New customers", "tenure_days", "min"),
    ("Loyal premium", "monetary_gbp", "max"),
    ("App bargain hunters", "app_share", "max"),
]:
    values = means.loc[remaining, column].astype(float)
    chosen = values.idxmax() if pick == "max" else values.idxmin()
    persona[chosen] = name
    remaining.remove(chosen)
persona[remaining[0]] = "Occasional buyers"
features["persona"] = pd.Series(labels, index=features.index).map(persona)

summary = pd.DataFrame({
    "customers": features["persona"].value_counts(),
    "share of customers": features["persona"].value_counts(normalize=True),
    "share of revenue": features.groupby("persona")["monetary_gbp"].sum() / features["monetary_gbp"].sum(),
    "median recency (days)": features.groupby("persona")["recency_days"].median(),
    "median orders": features.groupby("persona")["frequency"].median(),
    "median spend (GBP)": features.groupby("persona")["monetary_gbp"].median(),
}).sort_values("share of revenue", ascending=False)
summary.round(2)

# %% [markdown] id="c36dac7d"
# **What to see:** the Loyal premium customers are about a fifth of the customers but bring about 40% of
# the net revenue; App bargain hunters are the largest group and bring almost as much; New customers are
# 15% of customers but about 2% of revenue (so far). Sizes matter: a segment of 30
# customers would not deserve its own campaign, however distinct.
#
# A persona is a short story a team can remember, built on these numbers, e.g. *"Loyal premium: buys
# every few weeks (median 15 orders, last one about a week ago), spends about £1,000 (median), browses at length on the website, pays for
# quality (items ~£27, 1.4 times the average), rarely returns."*

# %% [markdown] id="d8d21332"
# ## 3. Explaining segments with a surrogate decision tree
#
# [k-means](../glossary.md#k-means) assigns a customer by distances in a 9-dimensional scaled space: hard to explain to a call-centre
# agent. A **surrogate model** is a simple, readable model trained to *imitate* the [clustering](../glossary.md#clustering): here a
# decision tree of depth 3 that predicts the persona from the original features. Its **fidelity** is the
# share of customers (held out, not used to train it) for which it gives the same persona as k-means. The
# surrogate explains the *clustering*, not the customers: a low fidelity means the rules are a
# simplification, and you must say so.

# %% id="d57f86a1"
X_train, X_test, y_train, y_test = train_test_split(
    features[FEATURES], features["persona"], test_size=0.25, random_state=0, stratify=features["persona"]
)
fidelity = {}
for depth in [2, 3, 4]:
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    fidelity[depth] = tree.score(X_test, y_test)
print("fidelity on held-out customers by depth:", {d: round(v, 3) for d, v in fidelity.items()})

surrogate = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train)
print(export_text(surrogate, feature_names=FEATURES, decimals=1))

# %% [markdown] id="b0354822"
# **What to see:** a depth-3 tree reproduces the personas for about 80% of held-out customers with rules
# in days, orders and pounds ("more than ~10 page views per session and items above ~£15: Loyal premium");
# depth 4 reaches about 94% but is harder to read. That trade-off, readable versus faithful, is the point
# to report: *"these rules describe our segments correctly for 8 customers in 10"*. The tree also shows
# which features the [segmentation](../glossary.md#customer-segmentation) really uses (page views, [frequency](../glossary.md#frequency), tenure, recency, price).

# %% [markdown] id="7afe4469"
# ## 4. Seeing segments in 2-D with PCA, and its caveats
#
# Principal component analysis finds the two directions along which the (scaled) customers vary most and
# projects everyone onto them. It is the usual way to draw a clustering of many features.

# %% id="c4e7b2b8"
pca = PCA(n_components=2).fit(X)
coords = pca.transform(X)
names = sorted(set(persona.values()))
fig, ax = plt.subplots(figsize=(8, 5.5))
for name, colour in zip(names, palette(len(names))):
    mask = (features["persona"] == name).to_numpy()
    ax.scatter(coords[mask, 0], coords[mask, 1], s=4, alpha=0.5, color=colour, label=name)
ax.set_title(f"Customers on the first two principal components ({pca.explained_variance_ratio_.sum():.0%} of variance)")
ax.set_xlabel(f"PC1 ({pca.explained_variance_ratio_[0]:.0%} of variance, std. units)")
ax.set_ylabel(f"PC2 ({pca.explained_variance_ratio_[1]:.0%} of variance, std. units)")
ax.legend(markerscale=4, fontsize="small")
plt.show()
print(f"variance kept by the two components: {pca.explained_variance_ratio_.sum():.0%}")
pd.DataFrame(pca.components_.T, index=FEATURES, columns=["PC1", "PC2"]).round(2)

# %% [markdown] id="9d7678a2"
# **What to see:** the personas occupy different regions, with overlaps at the borders. **Caveats:** the
# two axes keep only about 58% of the variance, so customers that look mixed here may be well apart in
# the other dimensions (and vice versa); the axes are blends of features (see the loadings table: PC1 is
# mostly frequency, spend, page views and cart adds, "activity"; PC2 mixes recency, return rate, tenure
# and, negatively, app use), not business quantities; and distances on
# the plot are not the distances k-means used. Use PCA to *show* segments, not to judge or find them.

# %% [markdown] id="406a063b"
# ## 5. Pilot on a subset, then scale
#
# Everything expensive in this module ([silhouettes](../glossary.md#silhouette), [dendrograms](../glossary.md#dendrogram), stability loops) we first ran on a
# sample. The same holds for the model itself: develop on a sample, check that the result holds, then fit
# (or simply assign) everyone. Here: fit k-means on 1,000 customers, then `predict` the segment of all
# 4,983, and compare with the full fit.

# %% id="88fba7dc"
pilot_rows = rng.choice(len(X), size=1000, replace=False)
start = time.perf_counter()
pilot = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X[pilot_rows])
pilot_labels = pilot.predict(X)
print(f"pilot fit + assignment: {time.perf_counter() - start:.2f} s")
print("ARI pilot-then-assign vs full fit:", round(adjusted_rand_score(labels, pilot_labels), 3))

# %% [markdown] id="4b17db23"
# An [ARI](../glossary.md#adjusted-rand-index-ari) near 0.97: the 1,000-customer pilot finds the same segments. With millions of customers you
# would pilot like this (and use `MiniBatchKMeans`), and `predict` also scores *new* customers each week
# without refitting. (Watch the scaler too: new customers must be transformed with the scaler [fitted on](../glossary.md#fit-and-transform)
# the pilot, never refitted on themselves; module 7 returns to [drift](../glossary.md#drift).)

# %% [markdown] id="12508d34"
# ## 6. From segments to action
#
# The test campaign tells us, per persona, how much the 20% offer changed the conversion rate compared
# with the plain newsletter. That difference (the **[uplift](../glossary.md#uplift)**) is what a targeted campaign buys.

# %% id="fa623fa4"
campaign = load_campaign().set_index("customer_id")
test = features[["persona"]].join(campaign[["variant", "converted", "revenue_gbp"]], how="inner")
rates = test.pivot_table(index="persona", columns="variant", values="converted", aggfunc="mean", observed=True)
rates["uplift (points)"] = 100 * (rates["offer"] - rates["control"])
rates["customers mailed"] = test.groupby("persona").size()
revenue = test.pivot_table(index="persona", columns="variant", values="revenue_gbp", aggfunc="mean", observed=True)
rates["revenue per mailed, offer - control (GBP)"] = revenue["offer"] - revenue["control"]
rates.round(3)

# %% id="bbcbbf7b"
fig, ax = plt.subplots()
order = rates["uplift (points)"].sort_values().index
ax.barh(order, rates.loc[order, "uplift (points)"], color=palette(3)[2])
ax.set_title("Effect of the 20% offer on conversion, by persona")
ax.set_xlabel("conversion uplift, offer minus control (percentage points)")
ax.set_ylabel("persona")
plt.show()

# %% [markdown] id="5f3572cb"
# **What to see:** the offer works very differently by segment. App bargain hunters respond most (about
# +13 points); Lapsed customers come back with it (from under 1% to about 5%); Loyal premium customers
# convert well *without* it, so a discount mostly gives away margin on sales that would have happened.
# New customers joined after the campaign was sent (only a handful were mailed), so we have no evidence
# for them: the honest answer is to test.
#
# | persona | action | why (numbers above) | measure |
# |---|---|---|---|
# | Loyal premium | no discount; early access, loyalty perks, premium range | highest spend and control conversion; small uplift from the offer | retention, spend per customer |
# | App bargain hunters | in-app offers and flash sales | largest uplift from the offer; 2x average app use; cheap items | conversion, margin after discount |
# | Lapsed | win-back offer, then stop mailing if no response | ~540 days since last order; offer multiplies conversion | reactivation rate |
# | Occasional buyers | seasonal / gift reminders before peak dates | ~3 orders at ordinary prices, modest uplift | conversion at peaks |
# | New customers | welcome series; [A/B test](../glossary.md#ab-test) the offer | no campaign evidence yet; short tenure | second-order rate |
#
# Two honest caveats. The campaign groups are small (about 500 customers per persona in each variant), so
# each uplift has a sampling error of a few points: module 7 tests them properly. And before any segment-specific offer is
# sent, check that the segments are not a [proxy](../glossary.md#proxy) for age, gender or region (module 6): a discount that in
# practice goes mostly to one age group is a fairness question, not only a marketing one.

# %% [markdown] id="11a8b667"
# ## Recap
#
# - **Profile** in original units: size, share, means, and **lift** vs the average; show a lift heatmap
#   with the real values written in.
# - **Name** personas with rules on the profile, never on raw cluster ids; give sizes and revenue shares.
# - A shallow **surrogate tree** explains the segmentation in business terms; always report its
#   **fidelity** on held-out customers (here ~80% at depth 3).
# - **PCA** pictures are for showing, with their caveats (share of variance kept, blended axes).
# - **Pilot, then scale**: a 1,000-customer pilot gave the same segments (ARI ~0.97); `predict` assigns
#   everyone else and new customers.
# - **Action**: one plan per segment, justified by numbers (here the offer uplift), with a measure of
#   success and a fairness check.
#
# You can now argue *why* this segmentation is better than another: higher silhouette at the chosen k,
# stable under resampling, much higher agreement with the truth than the unscaled version, and profiles
# that lead to different actions.
#
# ## To go further
#
# - scikit-learn user guide: "Decision trees", "PCA", "MiniBatchKMeans".
# - Molnar, *Interpretable Machine Learning*, chapter "Global surrogate models" (online book, CC BY-NC-SA).
# - Wedel & Kamakura (2000), *Market Segmentation: Conceptual and Methodological Foundations*, Springer:
#   the criteria of a useful segment (identifiable, substantial, accessible, stable, actionable).
# - Radcliffe & Surry (2011), *Real-world uplift modelling with significance-based uplift trees*: targeting
#   by uplift rather than by response.
