# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="a62a8604" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 6: privacy, erasure and fairness
#
# Six autograded questions and one written answer (about 60 minutes). They practise what lessons
# `06a-privacy-gdpr-ccpa` and `06b-fairness-transparency` showed: you write the privacy and fairness
# steps yourself, and the checks compare your answers with the course's tested helpers in
# `course_utils.privacy` and `course_utils.fairness`. (Those helpers would do it for you: write your own
# version first, that is the point.)
#
# **How to work:** run the setup cell, then for each question write your answer in the cell marked
# `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell under it. The
# check says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet. Stuck?
# Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.
#
# *This exercise is not legal advice; the data is fake.*

# %% id="11541a53" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import hashlib
import hmac

import pandas as pd

from course_utils.questions.m06_ethics import KEY, offers, people, q1, q2, q3, q4, q5, q6

people = people()
offers = offers()
people.head()


# %% [markdown] id="fd0ffd5a" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: pseudonymise with a keyed hash (2 points)
#
# Larkspur's agency needs to match customers by e-mail without seeing the e-mails. The e-mails in `people`
# are as customers typed them at checkout: some have capitals or a trailing space. Make `tokens`, a pandas
# Series with one token per row of `people` (same order): the **HMAC-SHA256** of each e-mail, using the
# secret `KEY` (a `str`, already defined), as a 64-character hex string. Strip spaces and lower-case each
# e-mail first, so that `"Ann@x.uk "` and `"ann@x.uk"` get the same token.
#
# (In real life the key comes from a vault, never from a notebook.)

# %% id="e0ca7ef0" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
def keyed(email):
    return hmac.new(KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


tokens = people["email"].map(keyed)
### END SOLUTION

# %% id="c5b47694" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
_emails = people["email"].str.strip().str.lower()
_plain = [hashlib.sha256(e.encode()).hexdigest() for e in _emails]
assert len(tokens) == len(people)
assert list(tokens) != _plain, "a plain hash is not pseudonymisation"
assert all(isinstance(t, str) and len(t) == 64 for t in tokens)
_i = int(_emails.str.len().idxmax())
assert tokens.iloc[_i] == hmac.new(KEY.encode(), _emails.iloc[_i].encode(), "sha256").hexdigest()
assert tokens.nunique() == _emails.nunique()
### END HIDDEN TESTS

# %% id="c2e1c11f"
# q1.hint()
# q1.solution()

# %% [markdown] id="31a7264a" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: generalise age and postcode (2 points)
#
# Build `release`, a DataFrame with the columns `age`, `gender` and `postcode` of `people` (all rows, same
# order, nothing else), where:
# - `age` is replaced by its **10-year band** as text: 34 becomes `"30-39"`, 18 becomes `"10-19"`, 70 becomes `"70-79"`;
# - `postcode` is replaced by its **postcode area**, the leading letters: `"SR22 1BE"` becomes `"SR"`, `"W8 4GD"` becomes `"W"`;
# - `gender` stays as it is.

# %% id="64fafae8" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
release = people[["age", "gender", "postcode"]].copy()
start = release["age"] // 10 * 10
release["age"] = start.astype(str) + "-" + (start + 9).astype(str)
release["postcode"] = release["postcode"].str.extract(r"^([A-Z]+)")[0]
### END SOLUTION

# %% id="ad8eea1e" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
assert isinstance(release, pd.DataFrame) and len(release) == len(people)
assert set(release["age"].astype(str)) <= {f"{a}-{a + 9}" for a in range(0, 120, 10)}
_row = people.index[people["age"] == people["age"].max()][0]
_top = int(people.loc[_row, "age"]) // 10 * 10
assert str(release["age"].iloc[_row]) == f"{_top}-{_top + 9}"
assert release["postcode"].astype(str).str.fullmatch(r"[A-Z]{1,2}").all()
assert (release["postcode"].astype(str).to_numpy() == people["postcode"].str.extract(r"^([A-Z]+)")[0].to_numpy()).all()
### END HIDDEN TESTS

# %% id="b6e7cc60"
# q2.hint()
# q2.solution()

# %% [markdown] id="27c1225d" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: measure k-anonymity (2 points)
#
# Treat `age`, `gender` and `postcode` of `release` as quasi-identifiers. Group the rows that share all
# three values (an *equivalence class*). Make `k_report`, a dict with two plain Python `int`s:
# - `"k"`: the k-anonymity of `release` (the size of the smallest class);
# - `"at_risk"`: the number of customers who sit in a class with **fewer than 5** rows.

# %% id="73d0d262" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
sizes = release.groupby(["age", "gender", "postcode"], observed=True).size()
k_report = {"k": int(sizes.min()), "at_risk": int(sizes[sizes < 5].sum())}
### END SOLUTION

# %% id="1a2c3313" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
assert type(k_report) is dict and type(k_report["k"]) is int and type(k_report["at_risk"]) is int
_counts = {}
for _key in zip(release["age"].astype(str), release["gender"].astype(str), release["postcode"].astype(str)):
    _counts[_key] = _counts.get(_key, 0) + 1
assert k_report["k"] == min(_counts.values())
assert k_report["at_risk"] == sum(v for v in _counts.values() if v < 5)
assert 0 < k_report["at_risk"] < len(release)
### END HIDDEN TESTS

# %% id="83547607"
# q3.hint()
# q3.solution()

# %% [markdown] id="b25f51c9" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: erase one customer from every source (3 points)
#
# Write a function `erase(customer_id, sources)` where `sources` is a dict of table name -> DataFrame, each
# with a `customer_id` column. It must:
# - return a **new** dict with **every** table of `sources`, each without the rows of `customer_id`
#   (other customers' rows unchanged);
# - not modify `sources` or its tables;
# - raise a `KeyError` if `customer_id` is in none of the tables (a typo must not be reported as "done").
#
# The check runs your function on tables you have not seen. Try it below on Larkspur's data. (The course
# helper `erase_customer` also redacts mentions of the customer in other rows' free text and returns a
# proof; that part is not asked here.)

# %% id="5860031b" nbgrader={"grade": false, "grade_id": "q4-data", "locked": true, "schema_version": 3, "solution": false}
from course_utils.data import load_campaign, load_customers, load_reviews, load_sessions, load_transactions

sources = {
    "customers": load_customers(),
    "transactions": load_transactions(),
    "sessions": load_sessions(),
    "campaign": load_campaign(),
    "reviews": load_reviews(),
}
{name: len(table) for name, table in sources.items()}


# %% id="5cb97a07" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
def erase(customer_id, sources):
    if not any((table["customer_id"] == customer_id).any() for table in sources.values()):
        raise KeyError(f"unknown customer id {customer_id!r}: it is in none of the tables")
    return {name: table[table["customer_id"] != customer_id].copy() for name, table in sources.items()}


after = erase("C01727", sources)
{name: len(sources[name]) - len(after[name]) for name in sources}
### END SOLUTION

# %% id="d6694602" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 3, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
_before = {name: len(t) for name, t in sources.items()}
_out = erase("C00042", sources)
assert set(_out) == set(sources)
for _name, _table in sources.items():
    assert len(_table) == _before[_name], f"{_name} was modified in place"
    assert not (_out[_name]["customer_id"] == "C00042").any(), f"C00042 is still in {_name}"
    assert len(_out[_name]) == _before[_name] - int((_table["customer_id"] == "C00042").sum())
try:
    erase("C0000X", sources)
    raise AssertionError("an unknown id must raise KeyError")
except KeyError:
    pass
### END HIDDEN TESTS

# %% id="72080f9b"
# q4.hint()
# q4.solution()

# %% [markdown] id="b9f01501" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: disparate impact of a targeted offer (2 points)
#
# Marketing sends a "premium regulars" offer to customers who buy items at £20 or more on average and have
# placed at least 8 orders. The table `offers` has one row per customer with their `age_band` and whether
# they were `offered` (True/False). Neither age nor any demographic was used by the rule.
#
# Make `ratios`, a pandas Series indexed by age band: each band's **selection rate** (share of its
# customers offered) divided by the selection rate of the **most-favoured** band.

# %% id="5a20561b"
offers.head()

# %% id="4f8f128a" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
rates = offers.groupby("age_band")["offered"].mean()
ratios = rates / rates.max()
ratios
### END SOLUTION

# %% id="1f962a2f" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
_r = pd.Series(ratios, dtype=float)
assert abs(_r.max() - 1.0) < 1e-9 and (_r > 0).all() and (_r <= 1 + 1e-9).all()
_band = offers["age_band"].iloc[0]
_mine = offers.loc[offers["age_band"] == _band, "offered"]
_best = max(offers.loc[offers["age_band"] == b, "offered"].mean() for b in offers["age_band"].unique())
assert abs(_r[_band] - _mine.mean() / _best) < 1e-9
### END HIDDEN TESTS

# %% id="9b72cd75"
# q5.hint()
# q5.solution()

# %% [markdown] id="b34cb5c0" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 6: the four-fifths rule (1 point)
#
# Make `flagged`, a set of the age bands that fail the four-fifths rule for this offer.

# %% id="3735bee1" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
flagged = set(ratios[ratios < 0.8].index)
flagged
### END SOLUTION

# %% id="4ee4ca75" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
_rates = offers.groupby("age_band")["offered"].mean()
assert {str(b) for b in flagged} == {str(b) for b, r in (_rates / _rates.max()).items() if r < 0.8}
assert str(_rates.idxmax()) not in {str(b) for b in flagged}
### END HIDDEN TESTS

# %% id="d9d18b57"
# q6.hint()
# q6.solution()

# %% [markdown] id="3f40bd15" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 7: a short data-protection impact assessment (written, 6 points, graded by your instructor)
#
# Marketing proposes a new campaign: **"Silver Savers"**. Larkspur would buy a list of local households'
# ages and incomes from a data broker, match it to customers by name and postcode, and send a 20%-off SMS
# to customers aged 60+ with an income under £25k. It also wants to share the matched list with a partner
# insurer "to offer them home insurance".
#
# In 200-350 words, write a short data-protection impact assessment (GDPR Art. 35) of this proposal. Cover:
# 1. the personal data involved and any sensitive or special-category aspects (Art. 4, Art. 9);
# 2. the lawful basis and purpose limitation, including the sharing with the insurer (Art. 5, Art. 6; the
#    CCPA's opt-out of sale or sharing if Californians were involved);
# 3. data minimisation, pseudonymisation, security and retention (Art. 5(1)(c) and (e), Art. 25, Art. 32);
# 4. fairness: who receives the offer and who does not, and how you would measure it;
# 5. your recommendation: go, change (how), or stop.

# %% [markdown] id="201357aa" nbgrader={"grade": true, "grade_id": "q7-written", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# Six points, one per item (5 and 6 are both about the recommendation and its reasoning). Accept any
# well-argued position; reward specific references to the data and the articles.
#
# 1. **Data (1):** names, postcodes, phone numbers (SMS), age, income, purchase history; the broker data is
#    new personal data about customers (and non-customers in the list). Age and income are not Art. 9
#    special categories, but are sensitive (age is a protected characteristic; low income signals
#    vulnerability). Matching by name and postcode is error-prone (namesakes: wrong people profiled).
# 2. **Lawful basis and purpose (1):** legitimate interests needs a balancing test that is hard to pass for
#    covert enrichment with bought data; customers must be told (Art. 14: data not obtained from them, within
#    a month); SMS marketing needs consent or soft opt-in (PECR). Sharing with an insurer is a new,
#    incompatible purpose (Art. 5(1)(b)) needing its own basis (in practice consent); under the CCPA it is a
#    sale or sharing: a "Do Not Sell or Share" opt-out must be honoured.
# 3. **Minimisation and security (1):** is the broker data necessary? Larkspur's own purchase data can target
#    price-sensitive customers without it (lesson 6a: demographics did not improve the segments). If used:
#    keep only the age band and income band, pseudonymise ids (HMAC, key kept apart), restrict access,
#    delete the broker file after matching, set a retention period (Art. 5(1)(e), Art. 25, Art. 32).
# 4. **Fairness (1):** the offer is defined *by* age, so by design it excludes under-60s (direct age
#    differentiation; UK law allows some age-based concessions, but it needs checking); it targets
#    low-income older people, a potentially vulnerable group, with an insurer's sales. Measure selection
#    rates by age band, gender and region, disparate-impact ratios and the four-fifths rule; check error
#    rates of the name/postcode match by group.
# 5-6. **Recommendation (2):** e.g. *change*: drop the broker data and the insurer sharing; target a
#    discount on behaviour (price-sensitive segment) open to all ages; if an age-based concession is wanted,
#    ask customers to opt in and declare it; consult the DPO; document the DPIA and re-audit after the
#    campaign. Or *stop* the insurer sharing outright. 2 points for a clear, justified recommendation that
#    follows from the risks identified; 1 for a recommendation without reasons.
# === END MARK SCHEME ===
