# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="63bc4b28"
# # 2a. Describing customers with statistics
#
# **What you will learn**
# - the mean, the median, the [standard deviation](../glossary.md#standard-deviation) and [quantiles](../glossary.md#quantile), and which one describes a "typical" customer;
# - to read a distribution: symmetric or **[skewed](../glossary.md#skewness)**, with a long tail;
# - why and how to take a **[log](../glossary.md#log-transform)** (and the trap of `log(0)` and negative values);
# - [correlation](../glossary.md#correlation) (Pearson and Spearman), what it measures, and what it does **not** prove.
#
# **Prerequisites:** module 1 (pandas: `groupby`, [boolean masks](../glossary.md#boolean-mask), joins).
#
# **Time:** about 45 minutes. Then `02b-rfm-scaling-encoding`, the lab `02c-lab-cdnow-rfm` and the
# exercise `exercises/02-features`.

# %% [markdown] id="9cf7d8f0"
# ## The story: "what does a typical customer look like?"
#
# Larkspur's marketing director asks for "the average customer" to plan a loyalty programme. Before
# we build [features](../glossary.md#feature) for [clustering](../glossary.md#clustering), we need to know how each number behaves: where its centre is,
# how spread out it is, whether a few customers dominate it. The answers decide which transforms
# the features need in `02b`, and they stop us from reporting a misleading average.
#
# We start from the clean order lines and sessions, and build a small table with one row per
# customer (as in `01b`).

# %% id="26760de9"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns

from course_utils.data import load_customers, load_sessions, load_transactions
from course_utils.plotting import palette, use_course_style

use_course_style()
colours = palette(3)

tx = load_transactions()
tx["line_gbp"] = tx["quantity"] * tx["unit_price"]
bought = tx[tx["quantity"] > 0]  # purchase lines (returns have negative quantities)

people = pd.DataFrame({
    "spend_gbp": tx.groupby("customer_id")["line_gbp"].sum(),  # net of returns
    "n_orders": bought.groupby("customer_id")["invoice"].nunique(),
    "n_sessions": load_sessions().groupby("customer_id").size(),
})
people["basket_gbp"] = people["spend_gbp"] / people["n_orders"]  # average net spend per order
people["age"] = load_customers().set_index("customer_id")["age"]
people = people.dropna(subset=["n_orders"])  # customers who bought at least once
people.head()

# %% [markdown] id="f852b04f"
# `pd.DataFrame({name: series, ...})` builds a table from several [Series](../glossary.md#series), lining them up **by their
# index** (here the customer id), so each customer's values land on the same row.
#
# ## 1. Centre and spread
#
# - The **mean** is the sum divided by the count: the value everyone would have if the total were
#   shared equally.
# - The **median** is the middle value: half the customers are below, half above.
# - The **standard deviation** (std) measures how far values typically are from the mean.
# - **Quantiles**: the 25% quantile (first quartile) has a quarter of the customers below it; the
#   range between the 25% and 75% quantiles, the **[interquartile range](../glossary.md#interquartile-range-iqr)** (IQR), holds the middle half.
#
# `describe()` gives them all at once.

# %% id="98b3dfa5"
people.describe().round(1)

# %% [markdown] id="39fa1c99"
# For **age**, mean and median are close: the distribution is roughly balanced. For **spend**, the
# [mean](../glossary.md#mean) is far above the median, and the standard deviation is larger than the mean itself: a sign
# of a long tail of big spenders. Which number should the director see?

# %% id="a2b5bfdf"
spend = people["spend_gbp"]
print(f"mean spend:   £{spend.mean():,.0f}")
print(f"median spend: £{spend.median():,.0f}")
print(f"customers below the mean: {(spend < spend.mean()).mean():.0%}")
top = spend.sort_values(ascending=False)
print(f"share of revenue from the top 10% of customers: {top.head(len(top) // 10).sum() / top.sum():.0%}")

# %% [markdown] id="1cb2ed92"
# A loyalty threshold set at the "average spend" would exclude most customers, because the mean is
# pulled up by a minority who bring a large share of revenue. Report the **median** as the typical
# customer, and the quantiles to show the spread; keep the mean for totals (total revenue = mean x
# number of customers).

# %% [markdown] id="0bab4939"
# ## 2. Distributions and skew
#
# A [histogram](../glossary.md#histogram) shows the whole distribution: it cuts the range into bins and counts the customers in
# each. We draw spend on an ordinary axis and on a **[log axis](../glossary.md#log-scale)**, where each step multiplies the value
# by 10.

# %% id="09158cc9"
positive = spend[spend > 0]
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].hist(positive, bins=60, color=colours[1])
axes[0].set(title="Spend per customer", xlabel="net spend (£)", ylabel="number of customers")
axes[1].hist(positive, bins=np.logspace(np.log10(positive.min()), np.log10(positive.max()), 60), color=colours[1])
axes[1].set_xscale("log")
axes[1].set(title="The same, on a log axis", xlabel="net spend (£, log scale)", ylabel="number of customers")
fig.tight_layout()

# %% [markdown] id="76d12fe1"
# **What to see:** on the ordinary axis almost everyone is squeezed into the first few bars and the
# tail runs far to the right: this is a **right-skewed** distribution. On the log axis the shape
# becomes readable: most customers spend between £30 and £1,000, with a smaller group of big
# spenders. Money, counts and durations are almost always right-skewed.
#
# **Skewness** puts a number on it: 0 for a symmetric distribution, above 1 strongly right-skewed.
# `.skew()` computes it for each column.

# %% id="7c56cf18"
people.skew().round(2)

# %% [markdown] id="96777dc4"
# ## 3. Log transforms, and their trap
#
# Taking the logarithm turns multiplication into addition: £10 → £100 and £100 → £1,000 become equal
# steps. That is how customers experience money, and it pulls in the long tail. But try it:

# %% id="f57dd1b3"
with np.errstate(divide="ignore", invalid="ignore"):  # let numpy compute -inf and NaN so we can count them
    naive = np.log(spend)
print("customers with spend <= 0:", (spend <= 0).sum())
print("log gives -inf:", np.isinf(naive).sum(), "| log gives NaN:", naive.isna().sum())

# %% [markdown] id="ebc8c398"
# Customers who returned everything have a net spend of zero or less. `log(0)` is minus infinity and
# the log of a negative number does not exist (NaN): the next step (a mean, a [scaler](../glossary.md#scaling), [k-means](../glossary.md#k-means))
# would break or silently drop them. Two fixes together:
# - `np.log1p(x)` computes `log(1 + x)`: it is defined at 0 (gives 0) and almost equal to `log(x)`
#   for large values;
# - clip negative values to 0 first (`.clip(lower=0)`): a customer who returned more than they kept
#   is worth nothing to us, not less than nothing, for this purpose. Say so in the report.

# %% id="e44c4d19"
log_spend = np.log1p(spend.clip(lower=0))
print("missing or infinite after the fix:", (~np.isfinite(log_spend)).sum())
print(f"skew before: {spend.skew():.2f}, after log1p: {log_spend.skew():.2f}")

fig, ax = plt.subplots()
ax.hist(log_spend, bins=50, color=colours[2])
ax.set(title="log1p of net spend per customer", xlabel="log(1 + net spend in £)", ylabel="number of customers");

# %% [markdown] id="6dbd77ab"
# **What to see:** the log compresses the tail so that the spend of big and small customers can be
# compared on one scale. Here the result is even skewed slightly to the *left* (a tail of very small
# spenders): the log is a tool to make distances sensible, not a guarantee of a bell curve.
#
# ## 4. Correlation, and what it does not prove
#
# The **correlation** between two columns measures how closely they move together, from -1 (one goes
# up exactly when the other goes down) through 0 (no straight-line relation) to +1.
# - **Pearson** correlation measures a *straight-line* relation on the values themselves, so a few
#   huge values can dominate it;
# - **Spearman** correlation is Pearson on the *ranks* (1st, 2nd, ...): it measures whether one goes
#   up when the other does, in any shape, and resists [outliers](../glossary.md#outlier).
#
# `.corr(method=...)` gives the matrix of correlations between all pairs of columns. We draw it as
# a *[heatmap](../glossary.md#heatmap)* with seaborn (`sns`), a library of statistical plots built on matplotlib: one coloured,
# annotated square per pair.

# %% id="6c018b24"
numeric = people[["spend_gbp", "n_orders", "basket_gbp", "n_sessions", "age"]]
pearson = numeric.corr(method="pearson")
spearman = numeric.corr(method="spearman")

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for ax, matrix, name in zip(axes, [pearson, spearman], ["Pearson", "Spearman (rank)"]):
    sns.heatmap(matrix, vmin=-1, vmax=1, cmap="PuOr", annot=True, fmt=".2f", ax=ax,
                cbar_kws={"label": "correlation (no unit, -1 to 1)"})
    ax.set(title=f"{name} correlation", xlabel="feature", ylabel="feature")
fig.tight_layout()
gap = spearman - pearson
print(f"Spearman - Pearson: at most {gap.max().max():.2f}; spend and basket {gap.loc['spend_gbp', 'basket_gbp']:.2f}, "
      f"orders and sessions {gap.loc['n_orders', 'n_sessions']:.2f}")

# %% [markdown] id="b5e7f36f"
# **What to see:** spend, orders and sessions are strongly correlated with each other; age hardly
# correlates with anything. Pearson is lower than Spearman for every pair of the skewed columns
# (spend, orders, basket, sessions; by up to 0.27, for spend and basket and for orders and sessions): Pearson is pulled around by the
# few extreme customers. On skewed data, prefer Spearman (or Pearson on the logs).
#
# **Does this prove that browsing more *[causes](../glossary.md#causation)* customers to spend more?** No. Three reasons, each
# common in customer data:
# 1. **A third factor**: loyal customers both browse more and buy more; loyalty drives both.
# 2. **Reverse direction**: customers who bought come back to track the delivery and to review,
#    so buying causes sessions, not the other way round.
# 3. **Construction**: spend is a sum over orders, so spend and order count are correlated by
#    arithmetic alone.
#
# Only an experiment (module 7's [A/B tests](../glossary.md#ab-test)) can show that changing one thing changes the other.
#
# And a correlation near 0 does not mean "no relation", only "no straight-line relation". A
# made-up example: the satisfaction of customers whose delivery was very early or very late
# (a U-shape).

# %% id="edcefb34"
rng = np.random.default_rng(0)
days_off = rng.uniform(-5, 5, 300)  # delivery days before (-) or after (+) the promised date
complaints = days_off**2 + rng.normal(0, 2, 300)
# np.corrcoef returns the 2 x 2 correlation matrix; [0, 1] is the correlation between the two
print(f"Pearson correlation: {np.corrcoef(days_off, complaints)[0, 1]:.2f}")

fig, ax = plt.subplots()
ax.scatter(days_off, complaints, s=12, color=colours[0])
ax.set(title="A strong relation with a correlation near zero (made-up data)",
       xlabel="delivery: days early (-) or late (+) (days)", ylabel="complaint score (points)");

# %% [markdown] id="a5323f94"
# **What to see:** complaints clearly depend on the delivery day, but symmetrically, so the
# correlation is about zero. Always look at the scatter plot, not just the number.
#
# ## Recap
#
# - Mean, median, std, quantiles: on skewed data, the **median** and quantiles describe the
#   typical customer; the mean is for totals.
# - Money, counts and durations are right-skewed; plot them on a **log axis**.
# - `np.log1p` after clipping at 0 tames the tail without breaking on zero or negative values.
# - Correlation measures association, straight-line (Pearson) or monotone (Spearman). It does not
#   prove causation, and a zero correlation does not prove independence.
#
# **Next:** `02b-rfm-scaling-encoding` turns order lines into the [RFM](../glossary.md#rfm) features and prepares them for
# clustering.
#
# ## To go further
#
# - D. Spiegelhalter, *The Art of Statistics* (Pelican, 2019), chapters 2 and 4 (summaries, causation).
# - F. Anscombe, "Graphs in statistical analysis", *The American Statistician* 27(1), 1973.
# - pandas user guide, "Descriptive statistics"; seaborn tutorial, "Visualizing distributions of data".
