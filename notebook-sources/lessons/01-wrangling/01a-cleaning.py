# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="a7c1e73e"
# # 1a. Cleaning raw order lines with pandas
#
# **What you will learn**
# - to load a table with pandas and look at it: `DataFrame`, `Series`, `head`, `shape`, `dtypes`, `value_counts`;
# - to fix types, and to parse a column that mixes several date formats *without* silently swapping days and months;
# - to put every price in one currency and every category under one spelling;
# - to find exact and [near duplicates](../glossary.md#near-duplicate);
# - to decide when to drop and when to [impute](../glossary.md#imputation) a [missing value](../glossary.md#missing-value), and with what;
# - to handle returns, [cancellations](../glossary.md#return-and-cancellation), wholesale [outliers](../glossary.md#outlier) and test accounts;
# - to keep a **[data-quality report](../glossary.md#data-quality-report)**: how many rows each step removed, and why.
#
# **Prerequisites:** basic Python (variables, lists, dictionaries, functions). No pandas yet: every
# pandas idiom is explained the first time it appears. Module 0 (`lessons/00-welcome`).
#
# **Time:** about 60 minutes. Then `01b-joining-and-sql` (joining the sources, and [SQL](../glossary.md#sql)), the lab
# `01c-lab-cdnow`, and the exercise `exercises/01-wrangling`.

# %% [markdown] id="0b4e014b"
# ## The story: "how much is each customer worth?"
#
# Larkspur's marketing director wants to know how much each customer spends. IT has sent the
# **raw export** of every order line since 2022. Before anyone computes a single average, we must
# answer a simpler question: *can we trust these rows?*
#
# Raw exports are messy for ordinary reasons: a web shop and a marketplace write dates differently,
# a sync job runs twice, staff place test orders, a wholesale buyer orders 2,000 mugs. Every one of
# these quirks would bend the answer. We will find each one, decide what to do, and write the
# decision down. Cleaning is not tidying up: **each step is a decision with consequences**, and the
# data-quality report at the end makes those decisions visible.

# %% [markdown] id="3cc96474"
# ## pandas in five minutes
#
# *pandas* is the Python library for tables. Its two objects:
# - a **[DataFrame](../glossary.md#dataframe)** is a table: rows and named columns (like a spreadsheet);
# - a **[Series](../glossary.md#series)** is one column: values with an *[index](../glossary.md#index-pandas)* (the row labels, `0, 1, 2, ...` by default).
#
# The course never reads files by path: `course_utils.data` has one loader per table (it finds the
# files wherever the notebook runs, and checks them). `load_transactions(raw=True)` returns the raw
# export exactly as IT sent it: **every column is text**.

# %% id="118c0c73"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

from course_utils.data import FX_TO_GBP, load_customers, load_transactions
from course_utils.plotting import palette, use_course_style

use_course_style()  # the course's readable, colour-blind-safe figure style

raw = load_transactions(raw=True)
raw.head()  # .head() shows the first 5 rows; .head(10) the first 10

# %% [markdown] id="c3e3b14c"
# Each row is one **order line**: one product in one order (`invoice`). An order of three products
# has three lines with the same invoice number. Three attributes tell us the size and the types:
# - `raw.shape` is a pair `(number of rows, number of columns)`;
# - `raw.dtypes` gives each column's type: `str` means text.

# %% id="efa6da76"
print("rows, columns:", raw.shape)
raw.dtypes

# %% [markdown] id="1c6b49a8"
# Everything is text, even `quantity` and `unit_price`. Text does not add up: in Python `"2" + "3"`
# is `"23"`, and the largest text is the last in alphabetical order. So the first job is types.
#
# Before that, we set up the **data-quality report**: a list to which each cleaning step appends one
# line (a dictionary) saying what it did and how many rows remain. A small function does the
# bookkeeping; `len(table)` is the number of rows.

# %% id="eb7c3f31"
report = []  # one dictionary per cleaning step


def log_step(step, table, why):
    """Record a cleaning step: its name, the rows left after it, and the reason."""
    report.append({"step": step, "rows_after": len(table), "why": why})


log_step("raw export", raw, "as received from IT")

# %% [markdown] id="8b9eb1b7"
# ## 1. Types: text to numbers
#
# Select a column with `raw["quantity"]` (a Series). `.astype(int)` converts every value, and
# raises an error naming the first value it cannot convert: good, nothing is silently lost.
# Assigning to a column, `tx["quantity"] = ...`, replaces it (or creates it if it is new).
# We work on a **copy** (`raw.copy()`), so that `raw` stays as received and we can compare at the end.

# %% id="0ef9441b"
tx = raw.copy()
tx["quantity"] = tx["quantity"].astype(int)
tx["unit_price"] = tx["unit_price"].astype(float)
tx[["quantity", "unit_price"]].describe()  # count, mean, spread and quantiles of each column

# %% [markdown] id="ff6de731"
# `.describe()` already shows two oddities we will come back to: the smallest quantity is negative
# (returns and cancellations), and the largest is in the thousands while the median (`50%`) is 1.

# %% [markdown] id="33d15449"
# ## 2. Dates written in several formats
#
# Let us look at a random sample of the date column. `.sample(8, random_state=0)` picks 8 rows at
# random; fixing `random_state` makes everyone see the same 8.

# %% id="2ee1014f"
tx["invoice_date"].sample(8, random_state=0)

# %% [markdown] id="bfebd088"
# At least three styles: ISO (`2024-05-24 11:40:20`, sometimes with a `T`), UK (`07/12/2023 19:08`,
# day first) and words (`Nov 03 2025 18:24`). `pd.to_datetime` turns text into date-times; with
# `format="mixed"` it guesses each value's format, and `dayfirst=True` tells it UK-style dates put the
# day first. That sounds right. **Let us try it, and check it.** Guessing is slow (every value is
# examined on its own), so we try it on a random sample of 10,000 lines.

# %% id="71a3d253"
sample = tx["invoice_date"].sample(10_000, random_state=0)
guessed = pd.to_datetime(sample, format="mixed", dayfirst=True)
iso_rows = sample.str.match(r"\d{4}-\d{2}-\d{2}")  # starts with 4 digits, dash, 2 digits, dash, 2 digits
print(f"{iso_rows.sum():,} of the sampled rows are written year-month-day (ISO)")
check = pd.DataFrame({"text": sample, "parsed": guessed})[iso_rows]
check[check["text"].str[5:7].astype(int) != check["parsed"].dt.month].head()


# %% [markdown] id="3a889554"
# Three idioms appeared. `.str` gives text methods to a whole column: `.str.match(pattern)` tests
# each value against a *[regular expression](../glossary.md#regular-expression)* (a text pattern; `\d` means "a digit" and `{4}` "four
# times"), and `.str[5:7]` takes characters 5 and 6, the month of an ISO date. `.dt` does the same
# for dates (`.dt.month`). And `check[condition]` keeps the rows where the condition is True: a **[boolean mask](../glossary.md#boolean-mask)**, the main way to
# filter a table in pandas.
#
# The table above should be empty, and it is not: compare each text with its parsed date. A date
# such as `2022-02-06` (6 February) is read as **2 June**: `dayfirst=True` also flips ISO dates
# whenever the day is 12 or less. No error, no warning. How much
# damage? A figure answers faster than a table: count the order lines per month with each parse.
#
# About the figure code, used all through the course: `fig, ax = plt.subplots()` creates a figure
# (`fig`) with one drawing area (`ax`, for "axes"); we draw into `ax`, then `ax.set(title=...,
# xlabel=..., ylabel=...)` names the figure and its axes. `.dt.to_period("M")` turns each date into
# its month, `value_counts()` counts the lines per month and `.sort_index()` puts the months in order.

# %% id="95dbe263"
def lines_per_month(dates):
    """Number of order lines in each calendar month."""
    return dates.dt.to_period("M").value_counts().sort_index()


iso = pd.to_datetime(tx["invoice_date"], format="ISO8601", errors="coerce")
uk = pd.to_datetime(tx["invoice_date"], format="%d/%m/%Y %H:%M", errors="coerce")
words = pd.to_datetime(tx["invoice_date"], format="%b %d %Y %H:%M", errors="coerce")
parsed = iso.fillna(uk).fillna(words)

colours = palette(2)
fig, ax = plt.subplots(figsize=(9, 4))
lines_per_month(guessed).plot(ax=ax, color=colours[0], label='format="mixed", dayfirst=True (wrong)')
lines_per_month(parsed[sample.index]).plot(ax=ax, color=colours[1], label="each format parsed explicitly")
ax.set(title="The 10,000 sampled order lines per month, parsed two ways", xlabel="month",
       ylabel="order lines per month")
ax.legend();

# %% [markdown] id="9581d3fe"
# **What to see:** the two curves should be identical, but the wrong parse moves orders from the
# first days of each month into other months. Seasonal patterns (the Christmas peak) and every
# [recency](../glossary.md#recency) computed later would be off. The fix is in the code above: parse **each format on purpose**:
# - `pd.to_datetime(text, format=..., errors="coerce")` reads the values that fit that format and
#   gives `NaT` ("not a time", the missing date) for the others;
# - `a.fillna(b)` fills the gaps of `a` with the values of `b`; chaining three parses covers all rows.
#
# Always finish with a check that nothing is left unparsed: `.isna().sum()` counts missing values.

# %% id="505adb54"
print("dates still missing:", parsed.isna().sum())
tx["invoice_date"] = parsed

# %% [markdown] id="a7e22472"
# ## 3. One currency
#
# Marketplace orders are priced in euros or dollars. `value_counts()` counts each distinct value of
# a column, most frequent first: the first thing to run on any text column.

# %% id="5c4b5345"
tx["currency"].value_counts()

# %% [markdown] id="8c845e51"
# The course fixes the exchange rates in `FX_TO_GBP` (pounds per unit of currency, not market rates,
# so that everyone gets the same numbers). `.map(dictionary)` replaces each value by the dictionary's
# value for it: here each row gets the rate of its own currency.

# %% id="5436e2f1"
print(FX_TO_GBP)
tx["unit_price"] = (tx["unit_price"] * tx["currency"].map(FX_TO_GBP)).round(2)
tx["currency"] = "GBP"
print(f"spot check: 10 EUR = {10 * FX_TO_GBP['EUR']:.2f} GBP (dividing would give {10 / FX_TO_GBP['EUR']:.2f})")

# %% [markdown] id="5d358752"
# Dividing instead of multiplying is the classic slip here: 10 EUR is 8.50 GBP (multiply by 0.85),
# not 11.76. Spot-check one converted row against a calculator whenever you convert money.

# %% [markdown] id="794a63b2"
# ## 4. One spelling per category

# %% id="f9b6d6f1"
tx["category"].value_counts()

# %% [markdown] id="ddb4d093"
# Dozens of spellings for five categories. Most differ only in capitals or spaces: `.str.strip()`
# removes spaces at both ends and `.str.lower()` lower-cases. The real synonyms left
# (`kitchenware`, `bed linen`...) need a human decision, written as a dictionary and applied with
# `.replace(dictionary)` (unlike `.map`, `.replace` leaves values that are not in the dictionary as
# they are).

# %% id="9e81600b"
synonyms = {
    "kitchenware": "kitchen",
    "home-decor": "home decor",
    "homedecor": "home decor",
    "home décor": "home decor",
    "gardening": "garden",
    "garden & outdoor": "garden",
    "bed linen": "bedding",
    "gift": "gifts",
    "gift ideas": "gifts",
}
tx["category"] = tx["category"].str.strip().str.lower().replace(synonyms)
tx["category"].value_counts()

# %% [markdown] id="d4b6c32a"
# Five categories. The same product should always have the same category, a cheap consistency
# check: `groupby("product_id")` puts the rows of each product together, and `["category"].nunique()`
# counts the distinct categories within each group.

# %% id="f8886547"
print("products with more than one category:", (tx.groupby("product_id")["category"].nunique() > 1).sum())

# %% [markdown] id="940e6ab8"
# ## 5. Exact and near duplicates
#
# `tx.duplicated()` marks each row that repeats an *earlier* row in every column (the first copy is
# not marked), and `drop_duplicates()` removes the marked rows. True counts as 1, so `.sum()` of a
# boolean column counts the True values.

# %% id="7a97b43d"
print("exact duplicates:", raw.duplicated().sum())
tx = tx.drop_duplicates()
log_step("drop exact duplicates", tx, "the same line exported twice")

# %% [markdown] id="c171420f"
# A **near duplicate** is the same line written slightly differently: another date format, a space
# after the product name, a category in capitals. Because we already parsed the dates and cleaned
# the categories, the text differences are gone, except one: a UK-format date has no seconds. So we
# compare only the columns that *identify* an order line: the invoice, the product and the quantity.
# In a clean order each product appears once per invoice.

# %% id="fb4bf7d8"
key = ["invoice", "product_id", "quantity"]
near = tx.duplicated(subset=key)
print("near duplicates:", near.sum())
example = tx.loc[near, "invoice"].iloc[0]  # .loc[rows, column]; .iloc[0] takes the first value by position
raw[raw["invoice"] == example]

# %% [markdown] id="a3880ac8"
# Above: one order, where a line appears twice, once in ISO and once in UK format, with a trailing
# space in the product name. Which key to compare on is a judgement: too few columns and real
# repeat purchases disappear, too many and near duplicates survive. Here a real order never lists the
# same product twice, so the key is safe.

# %% id="3b22761f"
tx = tx[~near]  # ~ means "not": keep the rows that are not near duplicates
log_step("drop near duplicates", tx, "same invoice, product and quantity written another way")

# %% [markdown] id="083fb1e8"
# ## 6. Missing values: drop or impute?
#
# `.isna()` marks missing values; `.isna().sum()` on a table counts them per column.

# %% id="afe64a9d"
tx.isna().sum()

# %% [markdown] id="a6960f2a"
# Only `customer_id` is missing: guest checkouts. The question we answer is *per customer*, and
# nothing can tell us who these guests were: any value we invented would give their orders to
# someone who did not place them. So we **drop** these rows, and the report records how many.
# (They still count for total revenue: a finance report would keep them.)

# %% id="5ada586e"
tx = tx.dropna(subset=["customer_id"])  # drop rows where customer_id is missing
log_step("drop lines without customer", tx, "guest checkouts cannot be given to a customer")

# %% [markdown] id="d4ce8834"
# **Imputing** (filling in a value) makes sense when the row is worth keeping and a sensible value
# exists. Customers' ages are a good example: a missing age should not remove the customer. But
# which value? Look at the customer table's raw ages.

# %% id="e92fd6ce"
raw_customers = load_customers(raw=True)
age = pd.to_numeric(raw_customers["age"], errors="coerce")  # text to number; unreadable -> NaN
print("missing ages:", age.isna().sum())
age.describe()

# %% [markdown] id="6cfb6b48"
# Ages of `-1`, `0`, `150` and `999` are impossible: they are data-entry errors, so they are missing
# values in disguise. `.between(18, 100)` is True for plausible ages and `.where(condition)` keeps
# values where the condition holds and puts `NaN` elsewhere.
#
# Now the classic mistake: filling the gaps with the **mean**. Compare the mean and median of the
# ages with the impossible values left in, and without.

# %% id="55258d3a"
valid = age.where(age.between(18, 100))
pd.DataFrame(
    {"mean": [age.mean(), valid.mean()], "median": [age.median(), valid.median()]},
    index=["with impossible ages", "valid ages only"],
).round(1)

# %% [markdown] id="bb4222dc"
# The few `999`s drag the mean up by more than a year; the [median](../glossary.md#median) does not move. Even among valid
# ages, the [mean](../glossary.md#mean) sits above the median because ages have a long right tail. The effect is much
# larger for money. Customers' total spend is extremely [skewed](../glossary.md#skewness): a few big spenders, many small ones.
# Here is spend per customer (leaving aside the wholesale lines we meet in section 8). Two pandas
# idioms: `tx["quantity"] * tx["unit_price"]` multiplies two columns row by row, and
# `.groupby(tx["customer_id"]).sum()` adds up the values of each customer: one row per customer.

# %% id="0187f1ea"
retail = tx[tx["quantity"] <= 100]
spend = (retail["quantity"] * retail["unit_price"]).groupby(retail["customer_id"]).sum()  # £ per customer

fig, ax = plt.subplots()
# clip(lower=1) draws spends below £1 at £1 (a log axis cannot show 0); np.logspace makes 50 bins of
# equal width on a log scale, from 10**0 = £1 to the largest spend
ax.hist(spend.clip(lower=1), bins=np.logspace(0, np.log10(spend.max()), 50), color=colours[1])
ax.axvline(spend.mean(), color=colours[0], lw=2, label=f"mean £{spend.mean():,.0f}")
ax.axvline(spend.median(), color="black", lw=2, ls="--", label=f"median £{spend.median():,.0f}")
ax.set_xscale("log")
ax.set(title="Total spend per customer (log scale)", xlabel="spend per customer (£, log scale)",
       ylabel="number of customers")
ax.legend();

# %% id="7ea1a8c1"
print(f"share of customers who spend less than the mean: {(spend < spend.mean()).mean():.0%}")

# %% [markdown] id="d913059e"
# **What to see:** the x axis is logarithmic (each grid step is ten times more money), yet the
# spends still spread over four steps, from a few pounds to tens of thousands. The mean lies well to
# the right of the median, because a few very large spenders pull it up. (The bar at £1 holds
# customers who returned everything: their net spend is zero or less, drawn at £1.) Most customers
# spend less than the mean, so filling a missing spend with the mean would give the customer a value
# *most customers never reach*. The **median** is the typical customer.
#
# We can measure the damage. Pretend that 10% of the spends, chosen at random, were lost; fill them
# with the mean or with the median of the others; compare with the true values we hid.
# (`spend.where(~hidden, fill)` keeps the value where `hidden` is False and puts `fill` elsewhere.)

# %% id="afd072ad"
rng = np.random.default_rng(0)
hidden = rng.random(len(spend)) < 0.10  # True for about 10% of customers, at random
for name, fill in [("mean", spend[~hidden].mean()), ("median", spend[~hidden].median())]:
    filled = spend.where(~hidden, fill)
    typical_error = (filled[hidden] - spend[hidden]).abs().median()
    too_high = (filled[hidden] > spend[hidden]).mean()
    print(f"fill with the {name:6s} (£{fill:,.0f}): typical error £{typical_error:,.0f}; "
          f"overstates {too_high:.0%} of the filled customers; column median becomes £{filled.median():,.0f} "
          f"(true £{spend.median():,.0f})")

# %% [markdown] id="aacbbf1b"
# The mean fill overstates most of the customers it fills, makes a larger typical error, and shifts
# the median of the whole column; the median fill is right "on average" for a typical customer and
# leaves the column's centre where it was. Rules of thumb:
#
# | Situation | What to do |
# |---|---|
# | The row cannot be used without the value (who placed this order?) | drop the row, report how many |
# | Numeric, roughly symmetric | mean or median (about the same) |
# | Numeric, skewed (money, counts, durations) | **median**, never the mean without comment |
# | Categorical | a separate `"unknown"` category (the fact it is missing may mean something) |
# | Missing because "none" (no sessions, no reviews) | 0 or "none": it is not missing at all |
#
# Whatever you fill, keep a flag column (`age_was_missing`) so that later steps can tell real values
# from filled ones. Module 6 asks a further question: do you need the age at all?

# %% id="e556bacb"
age_clean = valid.fillna(valid.median())
print(f"{valid.isna().sum()} ages filled with the median, {valid.median():.0f}")

# %% [markdown] id="0d39a785"
# ## 7. Returns and cancellations
#
# Invoices start with three letters. `.str[0]` takes the first character of each invoice.

# %% id="363437bf"
tx["invoice"].str[0].value_counts()

# %% [markdown] id="ef851852"
# - `INV...` are orders.
# - `R...` are **returns**: real events. The customer bought, received and sent goods back; the
#   negative quantity is money returned. Keep them: later, spend will be *net* of returns.
# - `C...` are **cancellations**: `CINV0001234` cancels the order `INV0001234`, which was never
#   delivered. The order never happened, so both the `C` lines **and the original order's lines**
#   must go. Removing only the `C` lines (the usual mistake) leaves the cancelled orders counted as
#   sales. Keeping both would cancel out in revenue, but the cancelled order would still count as an
#   order when we count how often each customer buys (module 2).

# %% id="e1a9d35f"
credit = tx["invoice"].str.startswith("C")
cancelled_orders = tx.loc[credit, "invoice"].str[1:]  # drop the first character: "CINV0000048" -> "INV0000048"
print("orders cancelled, e.g.:", cancelled_orders.unique()[:3].tolist())
is_cancelled = credit | tx["invoice"].isin(cancelled_orders)  # .isin(values): is each invoice one of them?
def revenue(table):
    """Total money of the lines in `table`, in pounds."""
    return (table["quantity"] * table["unit_price"]).sum()


print(f"revenue if only the C lines go: £{revenue(tx[~credit]):,.0f}")
print(f"revenue if the cancelled orders go too: £{revenue(tx[~is_cancelled]):,.0f}")
tx = tx[~is_cancelled]
log_step("drop cancelled orders", tx, "order and its cancellation: the sale never happened")

# %% [markdown] id="033e6cf4"
# (`credit | other` is "or", element by element; `&` is "and". Python's `and`/`or` do not work on
# whole columns.)
#
# ## 8. Test accounts and wholesale outliers
#
# Staff test the shop with accounts named `TEST...`, at a price of one penny. They are not customers.

# %% id="0b3ff30a"
is_test = tx["customer_id"].str.startswith("TEST")
print("test lines:", is_test.sum(), "| their prices (£):", tx.loc[is_test, "unit_price"].unique().tolist())
tx = tx[~is_test]
log_step("drop test accounts", tx, "staff test orders, not customers")

# %% [markdown] id="6fc07a84"
# Wholesale orders are subtler: real customers, real money, but a different business. Quantities
# per line are usually 1 to 3. A [histogram](../glossary.md#histogram) on a **[log scale](../glossary.md#log-scale)** shows the whole range at once.

# %% id="1bc099c1"
fig, ax = plt.subplots()
ax.hist(tx.loc[tx["quantity"] > 0, "quantity"], bins=np.logspace(0, 4, 40), color=colours[1])
ax.set_xscale("log")
ax.set_yscale("log")
ax.set(title="Units per order line (log-log scale)", xlabel="units on the line (log scale)",
       ylabel="number of lines (log scale)")
ax.axvline(100, color=colours[0], ls="--", label="threshold: 100 units")
ax.legend();

# %% [markdown] id="68357ce2"
# **What to see:** two separate groups: retail lines of at most a dozen units, and a small cluster of
# lines with hundreds or thousands of units, with nothing in between. The gap makes the threshold
# easy to defend here (in other data it would need a conversation with the sales team). A single
# wholesale line can be worth more than a retail customer's whole history, so left in it would
# dominate every average and every cluster. We **set it aside** in its own table rather than delete
# it: it belongs to a B2B report.

# %% id="15c90f0e"
wholesale = tx[tx["quantity"] > 100]
print(f"{len(wholesale)} wholesale lines from {wholesale['customer_id'].nunique()} customers, "
      f"worth £{revenue(wholesale):,.0f}; all other lines together: £{revenue(tx[tx['quantity'] <= 100]):,.0f}")
tx = tx[tx["quantity"] <= 100]
log_step("set aside wholesale lines", tx, "quantity > 100: B2B orders, reported separately")

# %% [markdown] id="c0126d31"
# ## 9. Did we get it right? Compare with the reference
#
# The course ships a cleaned table, `load_transactions()`, made by the same rules. Our table should
# match it: same number of rows, same invoices, same revenue. `set(...)` turns a column into a Python
# set, and `==` on sets ignores order.

# %% id="6346b1a7"
reference = load_transactions()
print("rows:", len(tx), "vs reference", len(reference))
print("same invoices:", set(tx["invoice"]) == set(reference["invoice"]))
print(f"revenue: £{revenue(tx):,.2f} vs reference £{revenue(reference):,.2f}")

# %% [markdown] id="8bc2aa8a"
# ## 10. The data-quality report
#
# `pd.DataFrame(list_of_dictionaries)` makes a table with one row per dictionary. `.diff()`
# subtracts each row's value from the previous one: the rows each step removed.

# %% id="24dd0352"
quality = pd.DataFrame(report)
quality["rows_removed"] = -quality["rows_after"].diff()
quality

# %% [markdown] id="caecfaa7"
# This table is the deliverable as much as the clean data: anyone can see what was removed and why,
# and challenge a decision (should guest orders count? is 100 units the right wholesale line?).
# Re-run it when new data arrives: a step that suddenly removes ten times more rows is a warning.

# %% [markdown] id="6c544beb"
# ## Recap
#
# - Look before you compute: `head`, `shape`, `dtypes`, `value_counts`, `describe`.
# - Convert types explicitly, and check that nothing was lost (`isna().sum()`).
# - Mixed date formats: parse each format on purpose; `dayfirst=True` silently flips ISO dates.
# - Money in one currency (multiply by pounds-per-unit), categories in one spelling (strip, lower, map synonyms).
# - [Exact duplicates](../glossary.md#exact-duplicate) repeat every column; near duplicates repeat the *identifying* columns.
# - Drop what cannot be attributed; impute what is worth keeping, with the **median** for skewed
#   columns, and keep a flag.
# - Returns stay (net spend); cancellations go, **with** the orders they cancel.
# - Test accounts go; wholesale is set aside, not hidden.
# - Every step goes into a data-quality report.
#
# **Next:** `01b-joining-and-sql` cleans the customer table, joins all sources into one [customer
# view](../glossary.md#customer-view), and asks the same questions in SQL.
#
# ## To go further
#
# - pandas user guide, "Working with missing data" and "Time series / date functionality"
#   (pandas.pydata.org/docs/user_guide).
# - Hadley Wickham, "Tidy Data", *Journal of Statistical Software* 59(10), 2014.
# - scikit-learn user guide, "Imputation of missing values" (`SimpleImputer`, `MissingIndicator`).
# - Kaggle Learn, "Data Cleaning" course (parsing dates, inconsistent data entry).
