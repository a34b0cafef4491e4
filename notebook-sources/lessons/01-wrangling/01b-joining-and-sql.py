# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="0cbed574"
# # 1b. One customer view from several sources, in pandas and in SQL
#
# **What you will learn**
# - to clean a second source (customers): codes and spellings of categories, duplicate people;
# - to summarise each source to **one row per customer** with `groupby`, then [join them](../glossary.md#join) with `merge`;
# - why the type of join (left or inner) and the shape of the tables (one-to-one or one-to-many)
#   change the answer, and how to make pandas check it for you;
# - what a [missing value](../glossary.md#missing-value) *after* a join means, and how to fill it;
# - to ask the same questions in **[SQL](../glossary.md#sql)** against the course database, and show that pandas and SQL agree.
#
# **Prerequisites:** `01a-cleaning` ([DataFrame](../glossary.md#dataframe), [Series](../glossary.md#series), [boolean masks](../glossary.md#boolean-mask), `value_counts`, `groupby`).
# No SQL needed: each clause is explained.
#
# **Time:** about 50 minutes.

# %% [markdown] id="fe6a9dec"
# ## The story: one row per customer
#
# A [segmentation](../glossary.md#customer-segmentation) needs one row per customer, and Larkspur knows its customers through five
# sources: who they are (customers), what they buy (transactions), how they browse (web and app
# sessions), how they answered the spring campaign (campaign) and what they write (reviews). The
# column `customer_id` links them all. Our job: build a **[customer view](../glossary.md#customer-view)**, one tidy row per customer,
# with a column for each fact, and be sure that no customer was lost or counted twice on the way.

# %% id="4974b814"
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

from course_utils.data import (
    connect_db,
    load_campaign,
    load_customers,
    load_reviews,
    load_sessions,
    load_transactions,
)
from course_utils.plotting import palette, use_course_style

use_course_style()

# %% [markdown] id="f43e13b3"
# ## 1. Cleaning the customer table
#
# The raw customer export has the same kinds of problems as the orders. Look at the gender column:
# `value_counts(dropna=False)` also counts the missing values (`NaN`), which it skips by default.

# %% id="014570a8"
raw_customers = load_customers(raw=True)
print("rows:", len(raw_customers))
raw_customers["gender"].value_counts(dropna=False)

# %% [markdown] id="d2d7fd76"
# Twenty spellings for four answers. A dictionary maps each code to its meaning; `.map(dictionary)`
# gives `NaN` for anything the dictionary does not know, which lets us **check** that we covered
# every code. A missing gender means the customer did not say: it becomes `"undisclosed"`, an
# answer in its own right, rather than a guess (module 6 will ask whether we should use gender at all).

# %% id="56752248"
gender_codes = {
    "f": "female", "female": "female", "woman": "female",
    "m": "male", "male": "male", "man": "male",
    "non-binary": "non-binary", "nonbinary": "non-binary", "nb": "non-binary",
    "u": "undisclosed", "undisclosed": "undisclosed", "prefer not to say": "undisclosed",
}
cust = raw_customers.copy()
gender = cust["gender"].str.strip().str.lower()
cust["gender"] = gender.map(gender_codes)
print("codes not covered:", gender[cust["gender"].isna() & gender.notna()].unique().tolist())
cust["gender"] = cust["gender"].fillna("undisclosed")
cust["gender"].value_counts()

# %% [markdown] id="0c7fe479"
# Regions: same method. Normalise what can be normalised by rule (case, spaces, hyphens, "&"),
# then a small dictionary for the true synonyms (`Cymru` is Welsh for Wales). `.str.replace(a, b)`
# replaces text inside each value; `.str.title()` capitalises each word.

# %% id="e7e75ce7"
region = (
    cust["region"].str.strip().str.lower()
    .str.replace("-", " ").str.replace(".", "").str.replace("&", "and")
)
region_synonyms = {
    "greater london": "london", "se england": "south east", "south east england": "south east",
    "sw england": "south west", "east england": "east of england", "e midlands": "east midlands",
    "w midlands": "west midlands", "yorkshire and humber": "yorkshire and the humber",
    "yorkshire": "yorkshire and the humber", "nw england": "north west", "ne england": "north east",
    "cymru": "wales", "n ireland": "northern ireland", "ni": "northern ireland",
}
# .str.title() also capitalises "of" and "and the": put those back in lower case
cust["region"] = region.replace(region_synonyms).str.title().str.replace(" Of ", " of ").str.replace(" And The ", " and the ")
cust["region"].value_counts()

# %% [markdown] id="2c2b2184"
# Twelve UK regions. Next, **duplicate people**. The same customer can appear twice when an account
# was re-imported: here the e-mail's capitals differ, so the rows are not [exact duplicates](../glossary.md#exact-duplicate).
# `duplicated(subset=[...], keep=False)` marks *every* row of a repeated id, so we can look at them;
# `.sort_values(column)` puts the pairs next to each other.

# %% id="f2c5a943"
repeated = cust[cust.duplicated(subset=["customer_id"], keep=False)].sort_values("customer_id")
print("rows that share a customer_id:", len(repeated))
repeated[["customer_id", "email", "phone", "age"]].head(4)

# %% [markdown] id="9a163192"
# Same person: the e-mail differs only in case and the phone only in format. E-mail addresses are
# case-insensitive in practice, so a lower-cased e-mail is a second, independent key: it finds the
# same pairs. We keep the first row of each person. Test accounts go, as in the orders, and the ages
# are cleaned as in `01a` (impossible values to missing, then the median, with a flag), and so
# are the sign-up dates, which mix two formats.

# %% id="acd818f7"
cust["email"] = cust["email"].str.lower()
print("same e-mail twice:", cust.duplicated(subset=["email"]).sum(),
      "| same id twice:", cust.duplicated(subset=["customer_id"]).sum())
cust = cust.drop_duplicates(subset=["customer_id"])
cust = cust[~cust["customer_id"].str.startswith("TEST")]

age = pd.to_numeric(cust["age"], errors="coerce")
valid = age.where(age.between(18, 100))
# sign-up dates mix ISO (2022-11-10) and UK (12/05/2022) formats: parse each on purpose, as in 01a
iso = pd.to_datetime(cust["signup_date"], format="%Y-%m-%d", errors="coerce")
uk = pd.to_datetime(cust["signup_date"], format="%d/%m/%Y", errors="coerce")
cust["signup_date"] = iso.fillna(uk)
print("sign-up dates not parsed:", cust["signup_date"].isna().sum())
cust["age_was_missing"] = valid.isna()
cust["age"] = valid.fillna(valid.median())
print("customers:", len(cust))

# %% [markdown] id="4f498885"
# Compare with the course's clean customer table (`load_customers()`): same people, same genders,
# same regions? `.set_index("customer_id")` makes the id the row label, so two tables line up by
# customer rather than by position; `(a == b).mean()` is the share of rows where they agree.

# %% id="26fab114"
customers = load_customers()
ours = cust.set_index("customer_id").sort_index()
ref = customers.set_index("customer_id").sort_index()
print("same customers:", ours.index.equals(ref.index))
for column in ["gender", "region"]:
    print(f"{column}: {(ours[column] == ref[column].astype(str)).mean():.1%} agree")
print(f"signup_date: {(ours['signup_date'] == ref['signup_date']).mean():.1%} agree")

# %% [markdown] id="f7d79e13"
# ## 2. One row per customer from each source
#
# The other sources have **many rows per customer**: many order lines, many sessions, many reviews.
# Before joining, summarise each one to one row per customer. `groupby("customer_id").agg(...)`
# does that: each argument `new_name=("column", "function")` makes one output column.
# (From here on we use the course's clean tables: `01a` showed how they are made.)

# %% id="32998332"
tx = load_transactions()
sessions = load_sessions()
campaign = load_campaign()
reviews = load_reviews()
for name, table in [("customers", customers), ("transactions", tx), ("sessions", sessions),
                    ("campaign", campaign), ("reviews", reviews)]:
    print(f"{name:13s} {len(table):>7,} rows, {table['customer_id'].nunique():>5,} customers")

# %% id="1c73acca"
tx["line_gbp"] = tx["quantity"] * tx["unit_price"]
orders = tx.groupby("customer_id").agg(
    n_invoices=("invoice", "nunique"),  # distinct invoices (orders and returns), not lines
    spend_gbp=("line_gbp", "sum"),  # net of returns
    last_invoice=("invoice_date", "max"),
)
browsing = sessions.groupby("customer_id").agg(
    n_sessions=("session_id", "size"),  # "size" counts rows
    mean_page_views=("page_views", "mean"),
)
opinions = reviews.groupby("customer_id").agg(n_reviews=("review_id", "size"), mean_rating=("rating", "mean"))
orders.head()

# %% [markdown] id="da695670"
# ## 3. Joining: which rows survive, and how many
#
# `left.merge(right, on="customer_id", how=...)` joins two tables on the key. `how` decides which
# rows survive:
# - `how="inner"` keeps only customers present in **both** tables;
# - `how="left"` keeps **every** row of the left table, with `NaN` where the right has nothing.
#
# The common mistake: an inner join with reviews, which silently keeps only the customers who wrote
# a review.

# %% id="569cf7da"
inner = customers.merge(opinions, on="customer_id", how="inner")
left = customers.merge(opinions, on="customer_id", how="left")
print(f"customers: {len(customers):,} | after inner join: {len(inner):,} | after left join: {len(left):,}")

# %% [markdown] id="aeb0221e"
# An inner join lost more than half of the customers, and with them everyone who never writes
# reviews: a segmentation built on it would describe only reviewers. **Start from the table that
# defines your population (customers) and left-join everything else.**
#
# The second mistake is joining tables that both have many rows per customer, e.g. order *lines*
# with *reviews*: every line of a customer is paired with every review of that customer, and the
# rows multiply (a customer with 3 reviews has each order line three times).

# %% id="d7c1c143"
exploded = tx.merge(reviews, on="customer_id", how="left")
print(f"{len(tx):,} order lines, joined with reviews -> {len(exploded):,} rows")
print(f"revenue counted: £{exploded['line_gbp'].sum():,.0f} instead of £{tx['line_gbp'].sum():,.0f}")

# %% [markdown] id="33ac4f5d"
# Every sum over the joined table is now wrong. The defence: summarise first (one row per
# customer), and let pandas **check** the shape with `validate="one_to_one"`: it raises an error
# if the key repeats on either side, instead of silently multiplying rows.

# %% id="c76796da"
view = (
    customers.set_index("customer_id")[["age", "gender", "region", "acquisition_channel", "income_band"]]
    .join(orders, how="left", validate="one_to_one")
    .join(browsing, how="left", validate="one_to_one")
    .join(campaign.set_index("customer_id")[["variant", "opened", "clicked", "converted"]], how="left", validate="one_to_one")
    .join(opinions, how="left", validate="one_to_one")
)
print(view.shape)
view.isna().sum()

# %% [markdown] id="d5c0ca13"
# (`.join` is `merge` on the index; both take `how` and `validate`.) The view keeps all customers.
# Now the missing values, and here *why* a value is missing decides how to fill it:
#
# | Column | Why missing after the join | Fill with |
# |---|---|---|
# | `n_reviews`, `n_invoices`, `n_sessions` | the customer has none | **0**: it is a count, and none is zero |
# | `spend_gbp` | no order | **0** |
# | `mean_rating`, `mean_page_views` | no review / session, so no average exists | leave `NaN` (or a flag); 0 stars would be a lie |
# | `variant`, `opened`... | not in the campaign | a category `"not mailed"`, not 0: "not sent" is not "did not open" |
# | `last_invoice` | never ordered | leave missing; [recency](../glossary.md#recency) is undefined |
#
# None of these is a job for the mean: a missing count is a known zero, not an unknown number.

# %% id="7489fb2f"
for column in ["n_invoices", "spend_gbp", "n_sessions", "n_reviews"]:
    view[column] = view[column].fillna(0)
view["variant"] = view["variant"].astype(str).replace("nan", "not mailed")
view["mailed"] = view["variant"] != "not mailed"
view.isna().sum()[lambda s: s > 0]  # show only the columns that still have missing values

# %% [markdown] id="0287c5da"
# The last line used a small trick: `[lambda s: s > 0]` filters a Series by a condition on itself.
#
# ## 4. A data-quality report for the customer view
#
# Before handing the view over, summarise what each source contributes: how many customers it
# covers, and what share of the view has a real (not filled) value.

# %% id="5f39cfc0"
coverage = pd.DataFrame({
    "customers covered": [len(customers), orders.index.nunique(), browsing.index.nunique(),
                          campaign["customer_id"].nunique(), opinions.index.nunique()],
}, index=["customers", "transactions", "sessions", "campaign", "reviews"])
coverage["share of view"] = coverage["customers covered"] / len(view)
coverage.round(2)

# %% id="b53485c9"
colours = palette(2)
fig, ax = plt.subplots()
ax.barh(coverage.index[::-1], coverage["share of view"][::-1] * 100, color=colours[1])
ax.set(title="Share of customers each source covers", xlabel="customers covered (% of the customer view)",
       ylabel="source", xlim=(0, 105));

# %% [markdown] id="29870c65"
# **What to see:** transactions, sessions and customers cover almost everyone; the campaign reached
# about four customers in five; fewer than half the customers wrote a review. Any [segment](../glossary.md#segment) defined
# on review text will describe that minority only: remember it in module 5.

# %% [markdown] id="546d732b"
# ## 5. The same questions in SQL
#
# The same tables live in a database file, `larkspur.sqlite`. SQL (Structured Query Language) is how
# most companies query their data, and a data scientist reads and writes it every day.
# `connect_db()` opens a read-only connection; `pd.read_sql_query(query, connection)` runs a query
# and returns a DataFrame. A first query: `SELECT` columns `FROM` a table, `LIMIT` the rows shown.

# %% id="85a15754"
con = connect_db()
pd.read_sql_query("SELECT invoice, customer_id, quantity, unit_price FROM transactions LIMIT 3", con)

# %% [markdown] id="07214c56"
# **Question 1: how much did each customer spend?** In SQL, `GROUP BY` plays the role of
# pandas' `groupby`, `SUM(...)` and `COUNT(DISTINCT ...)` the role of `.sum()` and `.nunique()`,
# and `AS` names the result column. `ORDER BY customer_id` sorts.

# %% id="d3d51993"
spend_sql = pd.read_sql_query(
    """
    SELECT customer_id,
           COUNT(DISTINCT invoice) AS n_invoices,
           SUM(quantity * unit_price) AS spend_gbp
    FROM transactions
    GROUP BY customer_id
    ORDER BY customer_id
    """,
    con,
).set_index("customer_id")
spend_sql.head(3)

# %% [markdown] id="4a48a63c"
# Do pandas and SQL agree? Never eyeball it: compare every row. `np.allclose(a, b)` is True when all
# numbers are equal up to rounding (sums of floats can differ in the last digits, depending on the
# order of addition).

# %% id="7fbae64a"
both = orders.join(spend_sql.add_suffix("_sql"))  # add_suffix renames the SQL columns, e.g. spend_gbp_sql
print("same customers:", orders.index.equals(spend_sql.index))
print("same invoice counts:", (both["n_invoices"] == both["n_invoices_sql"]).all())
print("same spend:", np.allclose(both["spend_gbp"], both["spend_gbp_sql"]))

# %% [markdown] id="a33fde90"
# **Question 2: the cleaning, in SQL.** The raw table is in the database too. `WHERE` keeps rows
# that match a condition; `LIKE 'C%'` means "starts with C"; `IS NULL` is SQL's missing value.
# `HAVING` filters groups after `GROUP BY` (here: groups of identical rows that appear more than once).

# %% id="fb5c4ae9"
checks_sql = pd.read_sql_query(
    """
    SELECT
      (SELECT COUNT(*) FROM raw_transactions) AS raw_rows,
      (SELECT COUNT(*) FROM raw_transactions WHERE invoice LIKE 'C%') AS cancellation_lines,
      (SELECT COUNT(*) FROM raw_transactions WHERE customer_id IS NULL) AS no_customer,
      (SELECT COALESCE(SUM(n - 1), 0) FROM (
          SELECT COUNT(*) AS n FROM raw_transactions
          GROUP BY invoice, invoice_date, customer_id, product_id, product_name,
                   category, quantity, unit_price, currency, channel
          HAVING COUNT(*) > 1)) AS exact_duplicates
    """,
    con,
)
raw = load_transactions(raw=True)
checks_pandas = pd.DataFrame([{
    "raw_rows": len(raw),
    "cancellation_lines": raw["invoice"].str.startswith("C").sum(),
    "no_customer": raw["customer_id"].isna().sum(),
    "exact_duplicates": raw.duplicated().sum(),
}])
comparison = pd.concat([checks_sql, checks_pandas])  # pd.concat stacks tables vertically
comparison.index = ["SQL", "pandas"]  # name the two rows
comparison

# %% [markdown] id="c2b71ec0"
# Same four numbers. (`GROUP BY` treats missing values as equal, as `duplicated()` does, so the
# duplicate counts match.)
#
# **Question 3: the join, in SQL.** `LEFT JOIN ... ON` is `merge(how="left")`. Each source is
# summarised first in a sub-query (the `( ... ) AS name` blocks), exactly as we did in pandas, and
# `COALESCE(x, 0)` replaces a missing value by 0.

# %% id="7712b130"
view_sql = pd.read_sql_query(
    """
    SELECT c.customer_id,
           c.region,
           COALESCE(o.spend_gbp, 0) AS spend_gbp,
           COALESCE(s.n_sessions, 0) AS n_sessions,
           COALESCE(r.n_reviews, 0) AS n_reviews
    FROM customers AS c
    LEFT JOIN (SELECT customer_id, SUM(quantity * unit_price) AS spend_gbp
               FROM transactions GROUP BY customer_id) AS o ON o.customer_id = c.customer_id
    LEFT JOIN (SELECT customer_id, COUNT(*) AS n_sessions
               FROM sessions GROUP BY customer_id) AS s ON s.customer_id = c.customer_id
    LEFT JOIN (SELECT customer_id, COUNT(*) AS n_reviews
               FROM reviews GROUP BY customer_id) AS r ON r.customer_id = c.customer_id
    ORDER BY c.customer_id
    """,
    con,
).set_index("customer_id")
con.close()  # close the connection when done

ours = view.sort_index()
print("rows:", len(view_sql), "vs", len(view))
for column in ["spend_gbp", "n_sessions", "n_reviews"]:
    print(f"{column}: agree = {np.allclose(view_sql[column], ours[column])}")

# %% [markdown] id="6bbecdbc"
# pandas and SQL build the same customer view. Which to use? SQL runs *inside* the database, next
# to data that may be far too big for a laptop, and is the common language with data engineers;
# pandas is handier for the exploratory steps and plots that follow. A good habit is the one we just
# practised: compute a key number both ways and check they agree.
#
# *Option:* `duckdb` (installed with the course) runs the same SQL directly on pandas DataFrames
# and on CSV or Parquet files, fast on tables of hundreds of millions of rows. For example
# `duckdb.sql("SELECT channel, SUM(line_gbp) FROM tx GROUP BY channel").df()` queries the
# DataFrame `tx` by its Python name.

# %% [markdown] id="92b6fd49"
# ## Recap
#
# - Clean each source with the same tools: normalise text, map codes with a dictionary, check that
#   nothing was left unmapped, find duplicates on a normalised key.
# - Summarise every many-rows-per-customer source to one row per customer **before** joining.
# - Start from the customer table and **left-join**; an inner join silently drops customers.
# - Use `validate="one_to_one"` so that pandas refuses a join that would multiply rows.
# - After a join, fill by meaning: counts with 0, "not mailed" as its own category, averages left
#   missing. Never the mean.
# - SQL: `SELECT`, `FROM`, `WHERE`, `GROUP BY`, `HAVING`, `LEFT JOIN`, `COALESCE`; check pandas and
#   SQL agree on the same question.
#
# **Next:** the lab `01c-lab-cdnow` cleans real transactions, then module 2 turns the customer view
# into [features](../glossary.md#feature).
#
# ## To go further
#
# - pandas user guide, "Merge, join, concatenate and compare" (the `validate` and `indicator` options).
# - pandas documentation, "Comparison with SQL" (each SQL clause and its pandas equivalent).
# - SQLite documentation, "SELECT" (sqlite.org/lang_select.html); DuckDB documentation, "Python API".
# - Kimball and Ross, *The Data Warehouse Toolkit* (3rd ed., Wiley 2013): facts, dimensions and grain.
