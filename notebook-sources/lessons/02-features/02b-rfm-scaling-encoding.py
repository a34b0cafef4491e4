# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="80eb9ffc"
# # 2b. RFM features, scores, scaling and encoding
#
# **What you will learn**
# - to build **[RFM](../glossary.md#rfm)** ([recency](../glossary.md#recency), [frequency](../glossary.md#frequency), [monetary value](../glossary.md#monetary-value)) by hand from order lines, with a stated
#   [snapshot date](../glossary.md#snapshot-date), distinct invoices and spend net of returns, and to avoid the classic mistakes;
# - [quintile](../glossary.md#quintile) **[RFM scores](../glossary.md#rfm-score)** and rule-based [segments](../glossary.md#segment) ("champions", "at risk", "hibernating"...):
#   the [baseline](../glossary.md#baseline) that machine learning must beat in modules 3 and 4;
# - why distances need **[scaling](../glossary.md#scaling)**, and when to use a standard, robust or [quantile](../glossary.md#quantile) scaler,
#   [fitted on](../glossary.md#fit-and-transform) the right data;
# - **[one-hot encoding](../glossary.md#one-hot-encoding)**, and why [label-encoding](../glossary.md#label-encoding) breaks a distance;
# - one scikit-learn `ColumnTransformer` that does all of it, ready for [clustering](../glossary.md#clustering);
# - clear plots: an RFM [heatmap](../glossary.md#heatmap) and a [pair plot](../glossary.md#pair-plot).
#
# **Prerequisites:** `02a-statistics` (median, skew, `log1p`), module 1 (pandas).
#
# **Time:** about 75 minutes.

# %% [markdown] id="cecfb70d"
# ## The story: three numbers per customer
#
# Marketers have described customers by three numbers since the 1990s: **how recently** they
# bought (recency), **how often** (frequency) and **how much** (monetary value). They are cheap to
# compute, easy to explain, and strongly predict who buys again. Larkspur will use them as the core
# [features](../glossary.md#feature) of every [segmentation](../glossary.md#customer-segmentation) in this course, so we define them once, precisely:
#
# - a **purchase** is an order line with `quantity > 0` (returns have negative quantities; cancelled
#   orders were removed in module 1);
# - `recency_days` = the **snapshot date** minus the calendar date of the last purchase, in days;
# - `frequency` = the number of **distinct purchase invoices**;
# - `monetary_gbp` = the sum of `quantity * unit_price` over **all** lines, returns included: spend
#   **net of returns**.
#
# The snapshot date is the "today" of the analysis, fixed so that anyone re-running gets the same
# numbers: `SNAPSHOT_DATE`, the last day of Larkspur's data.

# %% id="4a9e5906"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)

from matplotlib.colors import LogNorm

from course_utils.data import SNAPSHOT_DATE, load_customers, load_transactions
from course_utils.plotting import palette, use_course_style

use_course_style()
colours = palette(6)

tx = load_transactions()
customers = load_customers().set_index("customer_id")
SNAPSHOT = pd.Timestamp(SNAPSHOT_DATE)
print("snapshot date:", SNAPSHOT.date(), "| last line in the data:", tx["invoice_date"].max())

# %% [markdown] id="ca45425a"
# ## 1. RFM by hand
#
# **Recency.** Keep the purchases, take each customer's latest purchase date, subtract it from the
# snapshot. `.dt.normalize()` sets every time to midnight, so that we count whole calendar days
# (an order at 23:00 on the snapshot day has recency 0, not -1). Subtracting dates gives a
# *time difference*; `.dt.days` turns it into a number of days.

# %% id="f43fe97e"
purchases = tx[tx["quantity"] > 0]
last_day = purchases["invoice_date"].dt.normalize().groupby(purchases["customer_id"]).max()
recency_days = (SNAPSHOT - last_day).dt.days
recency_days.describe().round(1)

# %% [markdown] id="e65e9b1f"
# Two mistakes are common here. Written the other way round, `last_day - SNAPSHOT`, every recency
# is negative. Measured from **today** (`pd.Timestamp.now()`) instead of the snapshot, every value
# grows by the days since the data was extracted, and changes every time the notebook runs:

# %% id="67aa9e8e"
from_today = (pd.Timestamp.now().normalize() - last_day).dt.days
print(f"median recency from the snapshot: {recency_days.median():.0f} days; "
      f"from today ({pd.Timestamp.now():%d %b %Y}): {from_today.median():.0f} days")

# %% [markdown] id="a1e58bf3"
# The gap makes every customer look lapsed, and nobody can reproduce the numbers next week. Always
# state the snapshot date and compute from it.
#
# **Frequency.** An order of three products is three lines but one invoice. Counting rows is the
# most common RFM bug; count **distinct invoices** with `.nunique()`.

# %% id="8f433797"
frequency = purchases.groupby("customer_id")["invoice"].nunique()
rows = purchases.groupby("customer_id").size()
print(f"median orders per customer: {frequency.median():.0f}; median *lines*: {rows.median():.0f}")

# %% [markdown] id="168e0274"
# **Monetary value.** Money of a line is `quantity * unit_price`; returns carry a negative quantity,
# so summing over all lines gives spend net of returns. Summing only the purchases (gross spend)
# overstates customers who send a lot back.

# %% id="8c342391"
line_gbp = tx["quantity"] * tx["unit_price"]
net = line_gbp.groupby(tx["customer_id"]).sum()
gross = line_gbp[tx["quantity"] > 0].groupby(tx["customer_id"]).sum()
print(f"revenue gross: £{gross.sum():,.0f}; net of returns: £{net.sum():,.0f}")

rfm = pd.DataFrame({"recency_days": recency_days, "frequency": frequency, "monetary_gbp": net})
rfm = rfm.dropna(subset=["recency_days"])  # only customers with at least one purchase
rfm = rfm.astype({"recency_days": "int64", "frequency": "int64"})  # a dict converts several columns at once
rfm.head()

# %% [markdown] id="e0741337"
# The course has the same definition in `course_utils.features.rfm_table`, which later modules call
# so that everyone clusters the same features. Our hand-built table should be identical.
# `pd.testing.assert_frame_equal` raises an error at the first difference, and stays silent when
# the tables match.

# %% id="d9987a45"
from course_utils.features import rfm_table

pd.testing.assert_frame_equal(rfm.sort_index(), rfm_table(tx, snapshot_date=SNAPSHOT_DATE), check_names=False)
print("our RFM table equals course_utils.features.rfm_table")


# %% [markdown] id="9d6a962a"
# ## 2. Quintile scores and rule-based segments
#
# RFM **scores** rank customers from 1 to 5 on each feature: the best fifth gets 5. `pd.qcut(values,
# 5, labels=...)` cuts into five groups of equal size (quintiles). Two details:
# - for recency, *small* is good, so the labels run backwards: `[5, 4, 3, 2, 1]`;
# - many customers share the same frequency (1, 2, 3 orders...), and equal values cannot be split
#   into equal groups; `.rank(method="first")` breaks ties by order of appearance. The price: two
#   customers with the same frequency can get neighbouring scores. The scores are a coarse summary.

# %% id="29872170"
def quintile_score(values, high_is_good=True):
    """Score 1-5 by quintile; 5 for the best fifth."""
    labels = [1, 2, 3, 4, 5] if high_is_good else [5, 4, 3, 2, 1]
    return pd.qcut(values.rank(method="first"), 5, labels=labels).astype(int)


rfm["R"] = quintile_score(rfm["recency_days"], high_is_good=False)
rfm["F"] = quintile_score(rfm["frequency"])
rfm["M"] = quintile_score(rfm["monetary_gbp"])
# check the direction: for each R score, the smallest and largest recency and the number of customers
rfm.groupby("R")["recency_days"].agg(["min", "max", "size"])

# %% [markdown] id="33298cd0"
# Marketers then name cells of the R x F grid. Rules vary between companies; these are typical, and
# `np.select(conditions, names, default=...)` gives each customer the name of the first condition
# that is True.

# %% id="ec871e85"
r, f = rfm["R"], rfm["F"]
rules = {
    "champions": (r >= 4) & (f >= 4),
    "loyal": (r >= 3) & (f >= 3),
    "new or promising": (r >= 4) & (f <= 2),
    "at risk": (r <= 2) & (f >= 3),
    "hibernating": (r <= 2) & (f <= 2),
}
rfm["rule_segment"] = np.select(list(rules.values()), list(rules.keys()), default="needs attention")
summary = rfm.groupby("rule_segment").agg(
    customers=("frequency", "size"),
    median_recency_days=("recency_days", "median"),
    median_frequency=("frequency", "median"),
    median_monetary_gbp=("monetary_gbp", "median"),
).sort_values("median_monetary_gbp", ascending=False)
summary

# %% [markdown] id="a955bb2f"
# A heatmap of the R x F grid shows where customers and money sit. Each cell: the median net spend
# of the customers with that R and F score. `pivot_table` builds the grid (rows R, columns F).

# %% id="06468c57"
grid = rfm.pivot_table(index="R", columns="F", values="monetary_gbp", aggfunc="median").sort_index(ascending=False)
counts = rfm.pivot_table(index="R", columns="F", values="monetary_gbp", aggfunc="size").sort_index(ascending=False)
fig, ax = plt.subplots(figsize=(7, 5))
sns.heatmap(grid, annot=True, fmt=".0f", cmap="cividis", norm=LogNorm(), ax=ax,  # log colours: spend is skewed
            cbar_kws={"label": "median net spend (£, log colour scale)"})
ax.set(title="Median spend per R x F cell", xlabel="F score (1 = fewest orders, 5 = most)",
       ylabel="R score (5 = most recent)");

# %% [markdown] id="b22b4db3"
# **What to see:** spend rises steeply from left to right (frequency drives money, partly by
# construction) and hardly changes from bottom to top. The top-right corner is the champions. The
# bottom-right cell (R = 1, F = 5) stands out: customers who used to buy very often, spent by far
# the most, and have gone quiet, the most valuable people to win back. Cell sizes (`counts`, below)
# are very uneven, and that cell is small: check the size before acting on a cell.

# %% id="e97050b7"
counts

# %% [markdown] id="fa304756"
# These rules are the **baseline**. They use two features and fixed cut-offs chosen by habit. A
# clustering (modules 3 and 4) must do better to be worth its complexity: segments that are more
# distinct, as [stable](../glossary.md#stability), and more actionable. Keep `rule_segment`: module 4 compares with it.
#
# ## 3. Why distances need scaling
#
# Clustering compares customers by **distance**: the [Euclidean distance](../glossary.md#euclidean-distance) between two customers is
# the square root of the sum of squared differences, feature by feature. Which feature decides
# the distance? Take 2,000 random pairs of customers and add up, per feature, the squared
# differences. (`rng.integers(0, n, 2000)` draws 2,000 random row positions; `.to_numpy()` turns the
# table into a plain array of numbers, so that rows can be picked by position and subtracted.)

# %% id="601febdb"
cols = ["recency_days", "frequency", "monetary_gbp"]
values = rfm[cols].to_numpy()
rng = np.random.default_rng(0)
first, second = rng.integers(0, len(values), 2000), rng.integers(0, len(values), 2000)
squared = (values[first] - values[second]) ** 2
share = pd.Series(squared.sum(axis=0) / squared.sum(), index=cols)
share.round(4)

# %% [markdown] id="3005ceb5"
# Monetary value takes almost all of the distance, and frequency almost none, only because pounds
# come in bigger numbers than order counts. Pounds, days and order counts are different units, and a distance that adds them is
# meaningless until each is put on a comparable scale. Three scalers, each fitted with `.fit(X)`
# (learn the statistics) and applied with `.transform(X)`:
#
# | Scaler | Does | Fits when |
# |---|---|---|
# | `StandardScaler` | subtract the mean, divide by the std | roughly symmetric features (e.g. after a log) |
# | `RobustScaler` | subtract the median, divide by the [IQR](../glossary.md#interquartile-range-iqr) | [outliers](../glossary.md#outlier) you keep but do not want to set the scale |
# | `QuantileTransformer` | replace each value by its rank, spread evenly (or as a bell curve) | very [skewed](../glossary.md#skewness) features, when only order matters; it erases how far apart the extremes are |
#
# `fit_transform(X)` does both steps at once. The figure applies each scaler to monetary value (a
# box shows the middle half of the customers, the line inside it the median, points the outliers);
# `.ravel()` flattens each one-column result into a plain sequence of numbers.

# %% id="0f52bc4f"
money = rfm[["monetary_gbp"]]
scaled = pd.DataFrame({
    "standard": StandardScaler().fit_transform(money).ravel(),
    "robust": RobustScaler().fit_transform(money).ravel(),
    "quantile": QuantileTransformer(n_quantiles=500, random_state=0).fit_transform(money).ravel(),
    "log1p + standard": StandardScaler().fit_transform(np.log1p(money.clip(lower=0))).ravel(),
})
fig, ax = plt.subplots(figsize=(8, 4.5))
sns.boxplot(data=scaled, orient="h", ax=ax, color=colours[1], fliersize=2)
ax.set(title="Net spend after four scalings", xlabel="scaled value (no unit)", ylabel="scaling");

# %% [markdown] id="a90eec37"
# **What to see:** with the standard scaler, a handful of big spenders stretch the axis to 15+
# [standard deviations](../glossary.md#standard-deviation) while the middle half of customers is squeezed near 0. The robust scaler
# spreads the middle half but the outliers stay very far. The quantile transform squeezes everything
# into 0-1 and forgets *how much* bigger the big spenders are. A log first, then the standard
# scaler, gives a compact, symmetric middle with outliers still visible: our choice for RFM.
#
# **Fit the scaler on the right data.** A scaler learns its centre and spread from the data given
# to `.fit`. Suppose the segments are built on existing customers, and we later want to place the
# customers who joined in 2025. The mistake: fitting a new scaler on the new customers.

# %% id="e0690971"
log_rfm = np.log1p(rfm[["recency_days", "frequency", "monetary_gbp"]].clip(lower=0))
joined = customers.loc[log_rfm.index, "signup_date"]  # sign-up date of each customer with RFM
# comparing a date column with "2025-01-01" compares dates: True for sign-ups before 2025
existing, new = log_rfm[joined < "2025-01-01"], log_rfm[joined >= "2025-01-01"]

right = pd.DataFrame(StandardScaler().fit(existing).transform(new), columns=log_rfm.columns)
wrong = pd.DataFrame(StandardScaler().fit(new).transform(new), columns=log_rfm.columns)
pd.DataFrame({"fitted on existing customers": right.mean(), "fitted on the new customers": wrong.mean()}).round(2)

# %% [markdown] id="32532a61"
# Fitted on existing customers, the new ones show what they are: fewer orders and less money so far
# (negative means), and recent purchases (a negative recency: fewer days since the last purchase
# than the average existing customer). Fitted on themselves, their averages are all exactly 0: they
# look like perfectly average customers, and a clustering model would place them in the wrong
# segments. **Fit on the reference data once; transform everything else with that same fitted
# object.** (The same rule, in supervised learning, is "fit on the [training set](../glossary.md#train-and-test-split) only".)
#
# ## 4. Encoding categories
#
# `acquisition_channel` and `region` are categories, not numbers. The tempting shortcut is to number
# them (label encoding): London = 0, North East = 1, ...

# %% id="dca71879"
codes = customers["region"].cat.codes  # the integer pandas uses internally for each category
lookup = dict(zip(customers["region"], codes))
for x, y in [("London", "South East"), ("London", "Wales"), ("Scotland", "Wales")]:
    print(f"{x} = {lookup[x]}, {y} = {lookup[y]}: distance {abs(lookup[x] - lookup[y])}")

# %% [markdown] id="b8ce9a80"
# The numbers follow the order of the category list, not geography or behaviour: London ends up
# many times farther from Wales than Scotland is, for no reason, and a clustering would use it. Any order we pick invents
# distances. **One-hot encoding** gives one 0/1 column per category, so any two different
# categories are the same distance apart. `pd.get_dummies` does it in pandas:

# %% id="4bcb645a"
pd.get_dummies(customers[["acquisition_channel"]], dtype=int).head()  # dtype=int shows 0/1 instead of False/True

# %% [markdown] id="00ee5239"
# (`drop_first=True` would drop one column per variable, useful in linear regression; for
# distances keep them all, otherwise the dropped category is treated differently.)
#
# ## 5. One pipeline for all of it
#
# scikit-learn's `ColumnTransformer` applies a different transformer to different columns, and a
# `Pipeline` chains steps. One object then holds every choice made above, is fitted once on the
# reference customers, and transforms new customers identically. `FunctionTransformer(np.log1p)`
# wraps a plain function as a step.

# %% id="5a2699f4"
features = rfm[["recency_days", "frequency", "monetary_gbp"]].clip(lower=0).join(customers[["acquisition_channel"]])
numeric = Pipeline([
    ("log", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),  # keeps the column names
    ("scale", StandardScaler()),
])
preprocess = ColumnTransformer(
    [
        ("rfm", numeric, ["recency_days", "frequency", "monetary_gbp"]),
        ("channel", OneHotEncoder(handle_unknown="ignore"), ["acquisition_channel"]),
    ],
    sparse_threshold=0,  # always return a plain (dense) array
)
is_existing = features.index.isin(existing.index)
preprocess.fit(features[is_existing])
X_new = preprocess.transform(features[~is_existing])
print("features out:", list(preprocess.get_feature_names_out()))
print("new customers matrix:", X_new.shape)

# %% [markdown] id="519333dc"
# `handle_unknown="ignore"` lets the [pipeline](../glossary.md#pipeline) accept a channel it did not see when fitted (all
# zeros) instead of crashing on a new customer. Note what is **not** in the features: age, gender
# and region. Whether a segmentation may use them is a question of law and fairness (module 6), not
# only of [accuracy](../glossary.md#accuracy).
#
# ## 6. Looking at the features together
#
# A **pair plot** draws every pair of features as a scatter plot, and each feature's distribution on
# the diagonal. On the [log scale](../glossary.md#log-scale), coloured by rule segment (a random sample of 1,500 customers keeps
# it quick and readable):

# %% id="18a1588e"
sample = log_rfm.join(rfm["rule_segment"]).sample(1500, random_state=0)
order = ["champions", "loyal", "new or promising", "needs attention", "at risk", "hibernating"]
grid_plot = sns.pairplot(sample, hue="rule_segment", hue_order=order, palette=colours,
                         plot_kws={"s": 10, "alpha": 0.6}, height=2.3)
grid_plot.figure.suptitle("log1p of recency (days), frequency (orders) and net spend (£), by rule segment", y=1.02)
for ax in grid_plot.axes.flat:
    if ax is not None:
        ax.set_xlabel(ax.get_xlabel() + " (log1p)" if ax.get_xlabel() else "")
        ax.set_ylabel(ax.get_ylabel() + " (log1p)" if ax.get_ylabel() else "");

# %% [markdown] id="e7d06789"
# **What to see:** frequency and spend rise together (a clear diagonal band); recency is split into
# a large recent group and a long tail of lapsed customers. The rule segments are cut by straight
# lines in R and F, so they slice the clouds rather than follow them. Whether there are natural
# groups here is the question of module 3.
#
# ## Recap
#
# - RFM: purchases are `quantity > 0`; recency from a **stated snapshot**, in calendar days;
#   frequency = **distinct invoices**; monetary = spend **net of returns**. Check against
#   `course_utils.features.rfm_table`.
# - Quintile scores (`qcut` on ranks, recency reversed) and R x F rules give named segments: the
#   **baseline** for machine learning.
# - Distances add up features: scale them. Log then standard for skewed money and counts; robust when
#   outliers must not set the scale; quantile when only order matters.
# - Fit scalers (and encoders) on the reference data, then transform new data with the same object.
# - One-hot encode categories; label encoding invents distances.
# - A `ColumnTransformer` keeps every step in one object.
#
# **Next:** the lab `02c-lab-cdnow-rfm`, then the exercise `exercises/02-features`.
#
# ## To go further
#
# - A. M. Hughes, *Strategic Database Marketing* (McGraw-Hill, 4th ed. 2012): the origin of RFM scoring.
# - scikit-learn user guide, "Preprocessing data" and "Compare the effect of different scalers on
#   data with outliers" (an example in the scikit-learn gallery).
# - scikit-learn MOOC (INRIA), module "Selecting the best model" and the `ColumnTransformer` notebook.
