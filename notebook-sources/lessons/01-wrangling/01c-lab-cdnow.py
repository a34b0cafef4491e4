# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="7766418c"
# # 1c. Lab: cleaning real transactions (CDNOW)
#
# **What you will learn:** to apply the cleaning steps of `01a` on **real** data, where nobody planted the
# problems and some questions have no certain answer.
#
# **Prerequisites:** `01a-cleaning` and `01b-joining-and-sql`.
#
# **Time:** about 40 minutes. Each step asks a question first: **try to answer it in a new cell
# before you run the cell that follows** (insert a cell with the `+` button or `B`). The code given
# is one answer, not the only one.
#
# **The data.** CDNOW was an online CD shop. This file holds every purchase, from January 1997 to
# June 1998, of the 23,570 customers who made their *first* purchase in the first quarter of 1997:
# one **[cohort](../glossary.md#cohort)** of customers followed for 18 months. Source: Fader, Hardie and Lee (2005),
# *Marketing Science* 24(2); shipped in the `lifetimes` package (MIT licence). Columns: `customer_id`,
# `date`, `quantity` (number of CDs) and `amount` (US dollars).

# %% id="185b5dd9"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

from course_utils.data import load_cdnow
from course_utils.plotting import palette, use_course_style

use_course_style()
colours = palette(2)

cd = load_cdnow()
cd.head()

# %% [markdown] id="c94bdb84"
# ## Step 1: inspect
#
# **Your turn:** how many rows and customers? What are the column types? Over which dates? Which
# columns could hide problems? (Hint: `shape`, `dtypes`, `nunique()`, `describe()`.)

# %% id="83aaf122"
print(cd.shape, "| customers:", cd["customer_id"].nunique())
print(cd.dtypes)
cd.describe()

# %% [markdown] id="e056b478"
# The loader already gave proper types (integers, dates, floats): unlike Larkspur's raw export,
# there is no text to convert. But `describe()` shows an `amount` of **0** and a quantity of **99**.
# And there is no invoice number: nothing tells us which rows belong to the same order.
#
# A check of the cohort claim: every customer's first purchase should fall in January-March 1997.

# %% id="3cd7fddc"
first = cd.groupby("customer_id")["date"].min()
print("first purchases from", first.min().date(), "to", first.max().date())

# %% [markdown] id="0f4a1161"
# ## Step 2: duplicates, when there is no order id
#
# **Your turn:** count [exact duplicate](../glossary.md#exact-duplicate) rows. Are they errors?

# %% id="6ffba8ca"
dups = cd[cd.duplicated(keep=False)].sort_values(["customer_id", "date"])
print("exact duplicates:", cd.duplicated().sum())
dups.head(6)

# %% [markdown] id="483fd3ad"
# Without an order id we **cannot tell** a double export from a customer who bought the same CD
# twice in one day (as separate orders). Deleting them would guess one way; keeping them the other.
# Fader, Hardie and Lee, who published this file, sidestep the question: they treat all purchases of
# one customer on one day as **one order**. We do the same, so that a "duplicate" simply becomes part
# of that day's order, and we say so in the report. It is a decision, not a fact.

# %% id="3af7d885"
report = [{"step": "raw file", "rows": len(cd), "note": "one row per purchase line"}]

orders = cd.groupby(["customer_id", "date"], as_index=False).agg(
    n_cds=("quantity", "sum"), amount_usd=("amount", "sum"), n_lines=("quantity", "size")
)
report.append({"step": "one order per customer-day", "rows": len(orders),
               "note": f"{(orders['n_lines'] > 1).sum():,} days had several lines (incl. exact duplicates)"})
orders.head()

# %% [markdown] id="8085707c"
# (`as_index=False` keeps `customer_id` and `date` as ordinary columns instead of the index.)
#
# ## Step 3: zero-amount orders
#
# **Your turn:** how many orders have an amount of 0? What could they be?

# %% id="10fcbed1"
zero = orders[orders["amount_usd"] == 0]
print(f"{len(zero)} orders with amount 0, from {zero['customer_id'].nunique()} customers")
zero.head()

# %% [markdown] id="f4f56925"
# A CD for \$0 is probably a free promotion or a replacement: no money changed hands, so it is not
# a purchase in the sense of "how much is this customer worth". We drop these orders (few) and note
# it; a study of promotions would keep them. Watch the side effect, printed below: a customer whose
# *only* orders were free disappears from the customer table. Every row filter can remove
# customers, not just rows: count both.

# %% id="2589f9ad"
before = orders["customer_id"].nunique()
orders = orders[orders["amount_usd"] > 0]
lost = before - orders["customer_id"].nunique()
print(f"customers whose only orders were free, now gone: {lost}")
report.append({"step": "drop zero-amount orders", "rows": len(orders),
               "note": f"free or replacement CDs; {lost} customers had only free orders"})

# %% [markdown] id="44e2b811"
# ## Step 4: outliers
#
# **Your turn:** plot the order amounts on a [log scale](../glossary.md#log-scale). Is there a separate group of giant orders, as
# with Larkspur's wholesale lines? What is the price per CD of the largest orders?

# %% id="81188957"
fig, ax = plt.subplots()
ax.hist(orders["amount_usd"], bins=np.logspace(0, np.log10(orders["amount_usd"].max()), 50), color=colours[1])
ax.set_xscale("log")
ax.set_yscale("log")
ax.set(title="CDNOW order amounts (log-log scale)", xlabel="order amount (US$, log scale)",
       ylabel="number of orders (log scale)");

# %% [markdown] id="989bab1b"
# **What to see:** one continuous, long right tail; no gap like the one that separated Larkspur's
# wholesale lines. The biggest orders are rare but not a different population. Look at their price
# per CD:

# %% id="cae1132c"
orders["usd_per_cd"] = orders["amount_usd"] / orders["n_cds"]
orders.sort_values("amount_usd", ascending=False).head(5)

# %% [markdown] id="61e0b43a"
# Between about \$13 and \$35 per CD: ordinary CD prices, so these are real customers buying many
# CDs at once, perhaps for a shop or as gifts. There is no gap and no sign of error, so we **keep** them, and flag the customers
# above the 99.9th [percentile](../glossary.md#quantile) so that later steps can check their influence ([RFM](../glossary.md#rfm) in module 2 uses
# [quintiles](../glossary.md#quintile) and logs, which resist them). `.quantile(0.999)` is the value below which 99.9% of the
# orders lie.

# %% id="4c73668c"
limit = orders["amount_usd"].quantile(0.999)
big_customers = orders.loc[orders["amount_usd"] > limit, "customer_id"].unique()
print(f"orders above ${limit:,.0f}: {(orders['amount_usd'] > limit).sum()}, from {len(big_customers)} customers (kept, flagged)")
report.append({"step": "flag very large orders", "rows": len(orders), "note": f"> ${limit:,.0f}: kept, customers flagged"})

# %% [markdown] id="a126dde7"
# ## Step 5: returns, cancellations, currencies, test accounts?
#
# **Your turn:** check for negative quantities or amounts, and think about what the file cannot tell us.

# %% id="52ed80bc"
print("negative quantities:", (cd["quantity"] < 0).sum(), "| negative amounts:", (cd["amount"] < 0).sum())

# %% [markdown] id="1a300de7"
# None. This file records purchases only: returns and [cancellations](../glossary.md#return-and-cancellation), if any, were removed before
# publication, or never recorded. All amounts are in US dollars of 1997-98 (do not compare them with
# Larkspur's pounds). We cannot check for test accounts: ids are anonymous numbers. Writing down
# what the data **cannot** show is part of the quality report.

# %% [markdown] id="8618ceb8"
# ## Step 6: the data-quality report and a customer table

# %% id="786c66d5"
pd.DataFrame(report)

# %% id="42873e00"
customers = orders.groupby("customer_id").agg(
    n_orders=("date", "size"),
    spend_usd=("amount_usd", "sum"),
    first_order=("date", "min"),
    last_order=("date", "max"),
)
customers["big_buyer"] = customers.index.isin(big_customers)
print(f"{len(customers):,} customers; {(customers['n_orders'] == 1).mean():.0%} ordered only once")
late = customers["first_order"] > "1997-03-31"
print(f"first paid orders after March 1997: {late.sum()} customers, the latest on {customers['first_order'].max().date()}")
customers.describe().round(1)

# %% [markdown] id="f6b2e412"
# **Read the table with care:** `first_order` runs up to 1997-11-23, although Step 1 showed that
# every first *purchase* fell in January-March 1997. After Step 3, `first_order` is the first **paid**
# order: the two customers counted above got their first CDs free, and paid only months later. A column
# name is a promise; here `first_paid_order` would have kept it. Every filter changes what the later
# columns mean.
#
# **Your turn (to discuss):** about half of the cohort bought once and never came back. What does
# that mean for a [segmentation](../glossary.md#customer-segmentation) of these customers, and for the "[frequency](../glossary.md#frequency)" [feature](../glossary.md#feature) of module 2?
#
# ## Recap
#
# - Real data has fewer planted errors but more **ambiguity**: without an order id, a duplicate may
#   be real. Choose a rule from the literature or the business (one order per customer-day), apply
#   it consistently, and write it down.
# - [Outliers](../glossary.md#outlier) are decided with a figure: a gap means a different population (Larkspur's wholesale);
#   a continuous tail means real, large customers to keep and flag.
# - The report also lists what the data *cannot* tell (returns, test accounts).
#
# **Next:** module 2 computes RFM on this table in its own lab (`02c-lab-cdnow-rfm`).
#
# ## To go further
#
# - Fader, Hardie and Lee (2005), "Counting your customers the easy way", *Marketing Science* 24(2),
#   275-284: where this data comes from, and what it was used for.
# - The `lifetimes` package documentation: models of repeat buying on this very file.
