# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="5165b787"
# # 2c. Lab: RFM on real transactions (CDNOW)
#
# **What you will learn:** to compute [RFM](../glossary.md#rfm), scores and rule-based [segments](../glossary.md#segment) on real data, and
# noticing when a textbook recipe ([quintile](../glossary.md#quintile) scores) does not fit the data.
#
# **Prerequisites:** `01c-lab-cdnow` (the cleaning decisions reused here) and `02b-rfm-scaling-encoding`.
#
# **Time:** about 40 minutes. As in the first lab, **try each "your turn" in a new cell before
# running the cell that follows.**

# %% id="22cbaf68"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns

from course_utils.data import load_cdnow
from course_utils.features import rfm_table
from course_utils.plotting import palette, use_course_style

use_course_style()
colours = palette(6)

# The cleaning decisions of lab 01c: one order per customer-day, free orders dropped.
cd = load_cdnow()
orders = cd.groupby(["customer_id", "date"], as_index=False).agg(n_cds=("quantity", "sum"), amount_usd=("amount", "sum"))
orders = orders[orders["amount_usd"] > 0]
print(f"{len(orders):,} orders from {orders['customer_id'].nunique():,} customers, "
      f"{orders['date'].min().date()} to {orders['date'].max().date()}")

# %% [markdown] id="2c4290a7"
# ## Step 1: choose and state the snapshot date
#
# **Your turn:** which [snapshot date](../glossary.md#snapshot-date) makes sense here, and why not "today"?
#
# The data end on 30 June 1998: that is the last day on which we could have seen a purchase, so it
# is the snapshot. "Today" would add 25+ years to every [recency](../glossary.md#recency).

# %% id="6a417f9d"
SNAPSHOT = pd.Timestamp("1998-06-30")

# %% [markdown] id="21f48b22"
# ## Step 2: RFM by hand
#
# **Your turn:** compute `recency_days`, `frequency` (orders) and `monetary_usd` per customer. There
# are no returns in this file, so monetary is simply the sum of the amounts.

# %% id="7610b45d"
per_customer = orders.groupby("customer_id")
rfm = pd.DataFrame({
    "recency_days": (SNAPSHOT - per_customer["date"].max()).dt.days,
    "frequency": per_customer["date"].nunique(),  # one order per customer-day
    "monetary_usd": per_customer["amount_usd"].sum(),
})
rfm.describe().round(1)

# %% [markdown] id="b1b71e41"
# **The same with the course function.** `rfm_table` expects Larkspur's column names (`invoice`,
# `invoice_date`, `quantity`, `unit_price`). Renaming CDNOW's columns to match, with one invoice per
# customer-day, lets us reuse the exact course definition, and checks our hand-made table.
# (`.astype(str)` turns numbers into text so that they can be joined with `+`.)

# %% id="28527384"
lines = pd.DataFrame({
    "customer_id": orders["customer_id"],
    "invoice": orders["customer_id"].astype(str) + "-" + orders["date"].dt.strftime("%Y%m%d"),
    "invoice_date": orders["date"],
    "quantity": orders["n_cds"],
    "unit_price": orders["amount_usd"] / orders["n_cds"],
})
reference = rfm_table(lines, snapshot_date=SNAPSHOT)
print("recency equal:", (reference["recency_days"].to_numpy() == rfm.sort_index()["recency_days"].to_numpy()).all())
print("frequency equal:", (reference["frequency"].to_numpy() == rfm.sort_index()["frequency"].to_numpy()).all())
print("monetary equal:", np.allclose(reference["monetary_gbp"], rfm.sort_index()["monetary_usd"]))

# %% [markdown] id="4df87672"
# (The course function calls the column `monetary_gbp`; here the money is in US dollars, so we keep
# our own name.)
#
# ## Step 3: look at the distributions
#
# **Your turn:** plot recency and [frequency](../glossary.md#frequency). What do you expect for a single [cohort](../glossary.md#cohort) of customers who
# all started in early 1997?

# %% id="3e889b33"
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].hist(rfm["recency_days"], bins=60, color=colours[1])
axes[0].set(title="Recency at 30 June 1998", xlabel="days since last order (days)", ylabel="number of customers")
counts = rfm["frequency"].clip(upper=15).value_counts().sort_index()
axes[1].bar(counts.index, counts.to_numpy(), color=colours[2])
axes[1].set(title="Orders per customer (15 = 15 or more)", xlabel="number of orders", ylabel="number of customers")
fig.tight_layout()
once = rfm.loc[rfm["frequency"] == 1, "recency_days"]
print(f"recency of 90% of the one-time buyers: {once.quantile(0.05):.0f} to {once.quantile(0.95):.0f} days; "
      f"share of customers with one order: {(rfm['frequency'] == 1).mean():.0%}")


# %% [markdown] id="58fdfff7"
# **What to see:** recency piles up around 466-540 days (where 90% of the one-time buyers lie): the many customers whose last order was
# their first one, in early 1997. A smaller group bought recently. Frequency: about half the
# customers ordered exactly once.
#
# ## Step 4: quintile scores, and where they break
#
# **Your turn:** compute the F score by quintiles as in `02b`. How many of the one-time buyers get
# F = 1? F = 2? F = 3?

# %% id="0b7a8d02"
def quintile_score(values, high_is_good=True):
    labels = [1, 2, 3, 4, 5] if high_is_good else [5, 4, 3, 2, 1]
    return pd.qcut(values.rank(method="first"), 5, labels=labels).astype(int)


rfm["F_quintile"] = quintile_score(rfm["frequency"])
pd.crosstab(rfm["frequency"].clip(upper=5), rfm["F_quintile"])  # rows: orders (5 = 5+), columns: F score

# %% [markdown] id="ee781ebb"
# `pd.crosstab(a, b)` counts the customers for each pair of values. It shows the problem: customers
# who all ordered **once** are spread over F = 1, 2 and 3 by the accident of their position in the
# file. Quintiles assume the values can be split into five equal groups; when half the customers
# share one value, they cannot. Fixed, explainable bins are better here:

# %% id="952e09a0"
rfm["F"] = pd.cut(rfm["frequency"], bins=[0, 1, 2, 4, 9, np.inf], labels=[1, 2, 3, 4, 5]).astype(int)
rfm["R"] = quintile_score(rfm["recency_days"], high_is_good=False)
rfm["F"].value_counts().sort_index()

# %% [markdown] id="696ca092"
# (`pd.cut` uses the bin edges we give: 1 order, 2, 3-4, 5-9, 10 or more. The groups are unequal,
# but every customer with the same number of orders gets the same score.) Recency has fewer ties, so
# quintiles still work for R.
#
# ## Step 5: segments and the heatmap
#
# **Your turn:** apply the rules of `02b` and draw the R x F [heatmap](../glossary.md#heatmap) of the number of customers.

# %% id="e6cceeb1"
r, f = rfm["R"], rfm["F"]
rules = {
    "champions": (r >= 4) & (f >= 4),
    "loyal": (r >= 3) & (f >= 3),
    "new or promising": (r >= 4) & (f <= 2),
    "at risk": (r <= 2) & (f >= 3),
    "hibernating": (r <= 2) & (f <= 2),
}
rfm["rule_segment"] = np.select(list(rules.values()), list(rules.keys()), default="needs attention")
print(rfm["rule_segment"].value_counts(normalize=True).round(3))

grid = pd.crosstab(rfm["R"], rfm["F"]).sort_index(ascending=False)
fig, ax = plt.subplots(figsize=(7, 5))
sns.heatmap(grid, annot=True, fmt="d", cmap="cividis", ax=ax, cbar_kws={"label": "number of customers"})
ax.set(title="CDNOW customers per R x F cell", xlabel="F score (fixed bins: 1, 2, 3-4, 5-9, 10+ orders)",
       ylabel="R score (5 = most recent)");

# %% [markdown] id="d274feb2"
# **What to see:** the largest cells are at the bottom left: one-time buyers who never came back
# ("hibernating"), the typical fate of an acquisition cohort. "New or promising" is misleading here:
# no customer is new in June 1998, they all joined in early 1997, so recent buyers with few orders
# are *returning* after a long gap. **Segment names carry assumptions; check them against the data.**
#
# ## Step 6: compare with Larkspur
#
# **Your turn (to discuss):** Larkspur's customers joined over four years, CDNOW's in three months.
# Which of the rule segments would you expect to be larger at Larkspur, and why? What would you
# change in the rules before showing them to CDNOW's marketing team?
#
# ## Recap
#
# - State the snapshot date: the last day of the data, never "today".
# - Reusing the course's `rfm_table` (by renaming columns) guarantees the same definition
#   everywhere, and checks hand-made code.
# - Quintile scores break when many customers share a value (one-time buyers): use fixed bins with a
#   clear meaning, or a different [feature](../glossary.md#feature).
# - Rule-based segment names embed assumptions (e.g. "new") that may not hold for a given data set.
#
# ## To go further
#
# - Fader, Hardie and Lee (2005), "RFM and CLV: using iso-value curves for customer base analysis",
#   *Journal of Marketing Research* 42(4), 415-430, which uses this very cohort.
