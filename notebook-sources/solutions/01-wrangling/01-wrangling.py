# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="f5bf6bfe" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 1: cleaning Larkspur's raw data with pandas and SQL
#
# Seven small questions and one short written answer (about 60 minutes). They practise what the
# lessons `lessons/01-wrangling` showed: duplicates, mixed date formats, currencies, category
# spellings, cancellations, missing values, and the same question asked in SQL.
#
# **How to work:** run the set-up cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it.
# The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.
#
# Work on the tables as they are loaded: each answer is one column or one number, so one mistake
# does not spoil the next question.

# %% id="4edf4981" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd

from course_utils.data import FX_TO_GBP, connect_db, load_customers, load_transactions
from course_utils.plotting import use_course_style
from course_utils.questions.m01_wrangling import q1, q2, q3, q4, q5, q6, q7

use_course_style()

raw = load_transactions(raw=True)  # every column is text, exactly as exported
raw_customers = load_customers(raw=True)
print(f"{len(raw):,} raw order lines, {len(raw_customers):,} raw customer rows")
raw.head()

# %% [markdown] id="0e141ba2" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: exact duplicates (1 point)
#
# Some order lines were exported twice. How many rows of `raw` are **exact duplicates** of an
# earlier row (every column equal)? Store the number in `n_exact_duplicates`.

# %% id="0dc2f30f" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
n_exact_duplicates = int(raw.duplicated().sum())
### END SOLUTION

# %% id="a343f1ea" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
_fresh = load_transactions(raw=True)
assert int(n_exact_duplicates) == len(_fresh) - len(_fresh.drop_duplicates())
### END HIDDEN TESTS

# %% id="e1505a8e"
# q1.hint()
# q1.solution()

# %% [markdown] id="9df8cc3c" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: mixed date formats (2 points)
#
# `raw["invoice_date"]` mixes several formats. Parse it into a column of date-times named
# `invoice_dates` (a Series with the same index as `raw`, no missing values). Larkspur is a UK
# shop: a date written with slashes is day/month/year.

# %% id="cc61524b"
raw["invoice_date"].sample(8, random_state=0)

# %% id="1694272a" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
text = raw["invoice_date"]
iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
uk = pd.to_datetime(text, format="%d/%m/%Y %H:%M", errors="coerce")
words = pd.to_datetime(text, format="%b %d %Y %H:%M", errors="coerce")
invoice_dates = iso.fillna(uk).fillna(words)
### END SOLUTION

# %% id="d95dd491" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
assert isinstance(invoice_dates, pd.Series) and invoice_dates.notna().all()
_uk = raw["invoice_date"].str.contains("/", regex=False)
assert (invoice_dates[_uk] == pd.to_datetime(raw.loc[_uk, "invoice_date"], format="%d/%m/%Y %H:%M")).all()
_iso = raw["invoice_date"].str.match(r"\d{4}-\d{2}-\d{2}")
assert (invoice_dates[_iso].dt.strftime("%Y-%m-%d") == raw.loc[_iso, "invoice_date"].str[:10]).all()
### END HIDDEN TESTS

# %% id="07a95e96"
# q2.hint()
# q2.solution()

# %% [markdown] id="074084a1" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: one currency (1 point)
#
# Marketplace orders are priced in EUR or USD. Make `unit_price_gbp`: every unit price converted to
# pounds with the course's fixed rates `FX_TO_GBP` (pounds per unit of each currency).

# %% id="ee00ec4f"
FX_TO_GBP

# %% id="6993a6d2" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
unit_price_gbp = raw["unit_price"].astype(float) * raw["currency"].map(FX_TO_GBP)
### END SOLUTION

# %% id="4586ef6f" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
_eur = (raw["currency"] == "EUR").to_numpy()
assert np.allclose(np.asarray(unit_price_gbp, dtype=float)[_eur], raw.loc[_eur, "unit_price"].astype(float) * 0.85, atol=0.011)
_gbp = (raw["currency"] == "GBP").to_numpy()
assert np.allclose(np.asarray(unit_price_gbp, dtype=float)[_gbp], raw.loc[_gbp, "unit_price"].astype(float))
### END HIDDEN TESTS

# %% id="73371c1e"
# q3.hint()
# q3.solution()

# %% [markdown] id="5685841d" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: category spellings (2 points)
#
# The clean data has five categories: `"kitchen"`, `"home decor"`, `"garden"`, `"bedding"` and
# `"gifts"`. Make `category_clean`, the category of every row of `raw` spelled one of those five ways.

# %% id="0187017b"
raw["category"].value_counts()

# %% id="6830b14b" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
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
category_clean = raw["category"].str.strip().str.lower().replace(synonyms)
### END SOLUTION

# %% id="7c793ada" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
assert set(pd.Series(category_clean).astype(str)) == {"kitchen", "home decor", "garden", "bedding", "gifts"}
_one_per_product = pd.DataFrame({"p": raw["product_id"], "c": pd.Series(category_clean).astype(str).to_numpy()})
assert (_one_per_product.groupby("p")["c"].nunique() == 1).all(), "a product must keep one category"
### END HIDDEN TESTS

# %% id="43ba4fbc"
# q4.hint()
# q4.solution()

# %% [markdown] id="03a7c79f" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: cancellations (2 points)
#
# An invoice starting with `"C"` cancels an order: `CINV0001234` cancels `INV0001234`. The cancelled
# order never happened, so **both** the cancellation lines and the lines of the order it cancels must
# go. Returns (invoices starting with `"R"`) are real and stay. Make `is_cancelled`: a True/False
# Series, one value per row of `raw`, True for every line to remove.

# %% id="ab3c8374" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
credit = raw["invoice"].str.startswith("C")
cancelled_orders = raw.loc[credit, "invoice"].str[1:]
is_cancelled = credit | raw["invoice"].isin(cancelled_orders)
### END SOLUTION

# %% id="556757c0" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
_flag = pd.Series(np.asarray(is_cancelled, dtype=bool), index=raw.index)
assert not _flag[raw["invoice"].str.startswith("R")].any(), "returns must stay"
_inv = raw.loc[_flag, "invoice"].str.lstrip("C")
assert set(_inv) == set(raw.loc[raw["invoice"].str.startswith("C"), "invoice"].str[1:])
### END HIDDEN TESTS

# %% id="0388ae38"
# q5.hint()
# q5.solution()

# %% [markdown] id="bd6e3c96" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 6: missing and impossible ages (2 points)
#
# In `raw_customers["age"]` some ages are missing and some are impossible (below 18 or above 100).
# Make `age_clean`, one number per row of `raw_customers`: the valid ages unchanged, and the missing
# and impossible ones filled with **one value you choose and can defend**. Before you choose, look at
# the shape of the valid ages (the cell below draws it).

# %% id="7d30c7a8"
_age = pd.to_numeric(raw_customers["age"], errors="coerce")
_age[_age.between(18, 100)].plot.hist(bins=40, title="Valid ages of Larkspur customers",
                                       xlabel="age (years)", ylabel="number of customers");

# %% [markdown] id="b053fd64"
# The histogram has a long right tail: many customers in their thirties, fewer and fewer older ones.

# %% id="32e8562d" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
age = pd.to_numeric(raw_customers["age"], errors="coerce")
valid = age.where(age.between(18, 100))
age_clean = valid.fillna(valid.median())
### END SOLUTION

# %% id="d925dc89" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
_a = pd.Series(np.asarray(age_clean, dtype=float))
assert _a.between(18, 100).all() and _a.notna().all()
_raw_age = pd.to_numeric(raw_customers["age"], errors="coerce")
_gap = (~_raw_age.between(18, 100)).to_numpy()
_fill = _a[_gap].to_numpy()
assert np.allclose(_fill, _fill[0]), "one fill value"
assert _raw_age[~_gap].quantile(0.25) <= _fill[0] <= _raw_age[~_gap].quantile(0.75), "a typical age of the valid customers"
assert abs(_fill[0] - _raw_age.mean()) > 0.005, "not the mean of all ages, impossible ones included"
assert np.allclose(_a[~_gap], _raw_age[~_gap]), "valid ages must not change"
### END HIDDEN TESTS

# %% id="e353a4da"
# q6.hint()
# q6.solution()

# %% [markdown] id="971c5481" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 7: the same question in SQL (2 points)
#
# The course database holds the **clean** tables. Write a SQL query on its `transactions` table
# that returns one row per `channel` with the columns `channel`, `n_customers` (the number of
# *different* customers) and `revenue_gbp` (the sum of `quantity * unit_price`), sorted by revenue,
# largest first. Run it with `pd.read_sql_query(query, con)` and store the result in `by_channel`.

# %% id="62667fa2"
con = connect_db()
pd.read_sql_query("SELECT * FROM transactions LIMIT 3", con)

# %% id="b01013cf" nbgrader={"grade": false, "grade_id": "q7-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
query = """
SELECT channel,
       COUNT(DISTINCT customer_id) AS n_customers,
       SUM(quantity * unit_price) AS revenue_gbp
FROM transactions
GROUP BY channel
ORDER BY revenue_gbp DESC
"""
by_channel = pd.read_sql_query(query, con)
### END SOLUTION

# %% id="72c75a01" nbgrader={"grade": true, "grade_id": "q7-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q7.check()
### BEGIN HIDDEN TESTS
_tx = load_transactions()
_expected = _tx.groupby("channel", observed=True)["customer_id"].nunique()
_got = by_channel.set_index(by_channel["channel"].astype(str))["n_customers"]
assert all(int(_got[str(k)]) == int(v) for k, v in _expected.items())
### END HIDDEN TESTS

# %% id="34ce7b5d"
# q7.hint()
# q7.solution()

# %% [markdown] id="3d438be9" nbgrader={"grade": false, "grade_id": "q8-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 8: your data-quality note (written, 3 points, graded by your instructor)
#
# In 80-150 words, write the note you would send the marketing director with the clean data. Say
# (a) which problem in the raw data would have distorted *revenue per customer* most if left in,
# and why; (b) one cleaning decision that was a **judgement call** rather than a fact (for example
# the age fill value, or what counts as a wholesale order), what you chose, and what the other
# choice would change.

# %% [markdown] id="704434c9" nbgrader={"grade": true, "grade_id": "q8-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# Full marks (3): (a) names a problem and its effect on revenue per customer with a reason (1), e.g.
# wholesale orders of hundreds of units from a few accounts inflate those customers' spend and the
# average; or cancelled orders counted as sales (both the order and the "C" lines must go);
# or EUR/USD prices added as if they were pounds. (b) names a judgement call and the choice made (1)
# and what the alternative would change (1): e.g. filling missing ages with the median (39) rather
# than the mean (pulled up by the tail) keeps a typical value but shrinks the spread of ages and
# hides that the age was unknown (a "missing" flag would keep that information); or the wholesale
# threshold (quantity > 100) decides whether 29 real customers look like giants or are set aside.
# === END MARK SCHEME ===

# %% id="9dc69cb0"
con.close()
