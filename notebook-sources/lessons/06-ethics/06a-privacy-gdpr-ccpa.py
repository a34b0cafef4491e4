# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="811867de"
# # 6a. Privacy and the law: personal data, GDPR and CCPA in a segmentation project
#
# **What you will learn**
# - what counts as *[personal data](../glossary.md#personal-data)* and *[special-category data](../glossary.md#special-category-data)*, which *[lawful basis](../glossary.md#lawful-basis)* a [segmentation](../glossary.md#customer-segmentation)
#   can rest on, and why *[purpose limitation](../glossary.md#purpose-limitation)* matters;
# - where the EU/UK [GDPR](../glossary.md#gdpr) and California's [CCPA](../glossary.md#ccpa) differ (for example the right to opt out of "sale or sharing");
# - **[data minimisation](../glossary.md#data-minimisation)**: drop what the objective does not need, and measure that the [segments](../glossary.md#segment) barely change;
# - **[pseudonymisation](../glossary.md#pseudonymisation)** with a [keyed hash](../glossary.md#keyed-hash-hmac) (HMAC), and why a plain hash of an e-mail is *not* pseudonymous;
# - **[anonymisation](../glossary.md#anonymisation) and its limits**: generalising age and postcode, measuring [k-anonymity](../glossary.md#k-anonymity), a re-identification by linkage;
# - a **[retention rule](../glossary.md#storage-limitation)** applied by date;
# - the **rights of the [data subject](../glossary.md#data-subject)**: exporting everything held on one customer, and erasing one customer
#   from every source with proof that nothing of them remains.
#
# **Prerequisites:** modules 1-4 (pandas, the [RFM](../glossary.md#rfm) [features](../glossary.md#feature), [k-means](../glossary.md#k-means) on scaled features, the [adjusted Rand index](../glossary.md#adjusted-rand-index-ari)).
#
# **Time:** about 75 minutes, then lesson 6b (fairness and transparency) and the exercise `exercises/06-ethics`.
#
# > **This lesson is not legal advice.** It teaches the ideas a data scientist needs to work well with a
# > data-protection officer (DPO) and lawyers. Article numbers refer to the GDPR (Regulation (EU) 2016/679,
# > kept in UK law as the "UK GDPR"); the CCPA is the California Consumer Privacy Act as amended by the
# > CPRA. Real projects need advice for their own facts and country.

# %% [markdown] id="a25e2301"
# ## The story
#
# Larkspur & Co's marketing director liked the segments of module 4 and now wants to go further:
# *"Let's put everything we know about every customer into one table, send it to our agency, and keep it
# for ever, you never know."* The company's new DPO disagrees. In this lesson you take the DPO's side with
# code: each principle of the law becomes a measurement on Larkspur's data.
#
# All names, e-mails, phone numbers and addresses in Larkspur's data are **fake** (generated), so we can
# show them. With real customers you would not print them in a notebook at all.

# %% id="d0393d8f"
import hashlib
import hmac
import secrets

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from course_utils.data import (
    SNAPSHOT_DATE,
    load_campaign,
    load_customers,
    load_ground_truth,
    load_reviews,
    load_sessions,
    load_transactions,
)
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
customers = load_customers()
transactions = load_transactions()
sessions = load_sessions()
campaign = load_campaign()
reviews = load_reviews()
print(f"{len(customers):,} customers, {len(transactions):,} order lines, {len(sessions):,} sessions, "
      f"{len(campaign):,} campaign rows, {len(reviews):,} reviews; snapshot {SNAPSHOT_DATE}")

# %% [markdown] id="796e0c3b"
# ## 1. What is personal data?
#
# **Personal data** (GDPR **Art. 4(1)**) is *any information relating to an identified or identifiable
# natural person*. "Identifiable" is the key word: a customer id, an IP address, or "a 34-year-old man in
# postcode W8 4GD" all relate to someone who can be singled out, even without a name. Recital 26 adds that
# you must consider the means *reasonably likely* to be used to identify someone, including joining with
# other data.
#
# **Special-category data** (**Art. 9**) is personal data revealing racial or ethnic origin, political
# opinions, religious or philosophical beliefs, trade-union membership, genetic or biometric data, health,
# sex life or sexual orientation. Processing it is *prohibited* unless one of Art. 9(2)'s exceptions applies
# (for marketing, in practice: explicit consent). Larkspur holds none directly, but free text can reveal it
# ("a gift for my wife's chemo days") and purchases can hint at it (a shop selling mobility aids would).
#
# Columns that identify people come in two kinds. A **[direct identifier](../glossary.md#direct-identifier)** names one person on its own (a
# name, an e-mail address, a phone number). A **[quasi-identifier](../glossary.md#quasi-identifier)** does not, but a few of them together can
# single a person out: date of birth, postcode and sex together are unique for most people. Removing the
# direct identifiers leaves the quasi-identifiers, which is why section 4 needs more than that.
#
# Let us sort Larkspur's customer columns by what they are. This inventory is the first page of any
# privacy review.

# %% id="977f4fe4"
inventory = pd.DataFrame(
    [
        ("customer_id", "pseudonymous identifier", "links every table; personal data (Art. 4(1), 4(5))"),
        ("full_name", "direct identifier", "names the person"),
        ("email", "direct identifier", "unique; often reused across services"),
        ("phone", "direct identifier", "unique"),
        ("street_address", "direct identifier", "with the postcode, locates the home"),
        ("ip_address", "online identifier", "named in Art. 4(1) itself"),
        ("date_of_birth", "quasi-identifier", "with postcode and sex, unique for most people"),
        ("postcode", "quasi-identifier", "a full UK postcode covers about 15 addresses"),
        ("age", "quasi-identifier", "protected characteristic (UK Equality Act 2010)"),
        ("gender", "quasi-identifier", "protected characteristic; not Art. 9, but sensitive"),
        ("region", "quasi-identifier", "coarse location"),
        ("income_band", "personal data", "inferred or declared; sensitive for pricing"),
        ("signup_date, acquisition_channel", "personal data", "behavioural history"),
    ],
    columns=["column", "kind", "why it matters"],
)
inventory

# %% [markdown] id="0e70b9fb"
# ### Lawful basis and purpose limitation
#
# Every processing of personal data needs one of the six **lawful bases** of **Art. 6(1)**: consent,
# contract, legal obligation, vital interests, public task, or *legitimate interests* balanced against the
# person's rights. Segmenting your own customers for your own marketing usually rests on legitimate
# interests (Recital 47 names direct marketing as a possible one), *documented* in a legitimate-interests
# assessment; e-mail marketing also needs consent or the "soft opt-in" under the e-privacy rules (PECR in
# the UK). Special-category data would need an Art. 9(2) exception on top.
#
# **Purpose limitation** (**Art. 5(1)(b)**): data collected for one purpose (delivering an order) may not be
# reused for an incompatible one (selling a [profile](../glossary.md#profile) to an insurer). The other principles of **Art. 5(1)**
# are the structure of this lesson: lawfulness, fairness and transparency (a), purpose limitation (b),
# **data minimisation** (c), accuracy (d), **storage limitation** (e), integrity and confidentiality (f),
# plus accountability (Art. 5(2)): you must be able to *show* compliance, which is why we measure.
#
# ### GDPR and CCPA side by side
#
# | | EU / UK GDPR | California CCPA (as amended by the CPRA) |
# |---|---|---|
# | Who it protects | anyone whose data is processed by an organisation in the EU/UK, or offered goods there | California residents ("consumers") |
# | Who must comply | every controller and processor, any size | for-profit businesses above thresholds (revenue, or volume of consumers' data, or share of revenue from selling/sharing data) |
# | Starting point | processing needs a lawful basis (Art. 6) | processing is allowed; consumers get rights to limit it |
# | Sensitive data | special categories prohibited unless Art. 9(2) applies | "sensitive personal information": right to *limit* its use |
# | Access | right of access, Art. 15 | right to know what is collected, used, sold or shared |
# | [Erasure](../glossary.md#right-to-erasure) | right to erasure, Art. 17 (with exceptions) | right to delete (with exceptions) |
# | Correction | rectification, Art. 16 | right to correct |
# | Selling data | needs a lawful basis; objecting to direct marketing is absolute (Art. 21(3)) | **right to opt out of sale or sharing** ("Do Not Sell or Share My Personal Information" link); opt-in for under-16s |
# | Automated decisions | Art. 22 limits solely automated decisions with legal or similarly significant effects | regulations on automated decision-making technology |
# | Non-discrimination | fairness principle (Art. 5(1)(a)) | right not to be discriminated against for exercising rights |
# | Deadline to answer a request | one month (extendable) | 45 days (extendable) |
#
# For Larkspur, the CCPA matters only if it sells to enough Californians; the GDPR/UK GDPR applies to
# every UK customer. The marketing director's idea of "sending everything to the agency" is *sharing*:
# under the CCPA it triggers the opt-out; under the GDPR the agency must be a processor under contract
# (Art. 28), or the transfer needs its own lawful basis.

# %% [markdown] id="377cae57"
# ## 2. Data minimisation: does the segmentation need all this?
#
# **Art. 5(1)(c)**: personal data must be *adequate, relevant and limited to what is necessary* for the
# purpose; **Art. 25** (data protection by design and by default) asks you to build that into the system.
# The purpose here is **behavioural segmentation for marketing**: group customers by how they buy.
#
# The marketing director's "everything" table joins the customer file to the behavioural features. We
# build it, then cluster twice: once on the behavioural features alone, once with age and income band
# added. The recipe is module 3's ([log transform](../glossary.md#log-transform), standard [scaling](../glossary.md#scaling), k-means with a fixed [seed](../glossary.md#random-seed)), made
# smaller so that the comparison is easy to read: four behavioural features instead of nine, and
# k = 4 instead of the k = 5 that module 3 chose. The question is only whether adding age and income
# changes the segments, and a smaller model answers it as well.
# Here we use `course_utils.features.customer_features` (the RFM table of module 2 plus basket habits).

# %% id="371bb959"
features = customer_features(transactions)  # one row per customer who bought something
everything = customers.set_index("customer_id").join(features, how="inner")
print(f"{everything.shape[1]} columns for {len(everything):,} customers:")
print(", ".join(everything.columns))

BEHAVIOUR = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp"]


def behaviour_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Log-transform the skewed behavioural features (as in module 2)."""
    return pd.DataFrame(
        {
            "log_recency": np.log1p(table["recency_days"]),
            "log_frequency": np.log1p(table["frequency"]),
            "log_monetary": np.log1p(table["monetary_gbp"].clip(lower=0)),
            "log_item_price": np.log(table["avg_item_price_gbp"]),
        },
        index=table.index,
    )


def segment(matrix: pd.DataFrame, k: int = 4) -> pd.Series:
    """k-means on standardised features; n_init=4 keeps it fast, the seed keeps it reproducible."""
    labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(StandardScaler().fit_transform(matrix))
    return pd.Series(labels, index=matrix.index, name="segment")


minimal = behaviour_matrix(everything)
with_demographics = minimal.assign(
    age=everything["age"], income_band=everything["income_band"].cat.codes  # ordered: <25k=0 ... 100k+=3
)
seg_minimal = segment(minimal)
seg_demographics = segment(with_demographics)
truth = load_ground_truth().set_index("customer_id").loc[everything.index, "segment"]  # evaluation only

ari_between = adjusted_rand_score(seg_minimal, seg_demographics)
print(f"features: {minimal.shape[1]} behavioural vs {with_demographics.shape[1]} with demographics")
print(f"ARI between the two segmentations: {ari_between:.2f}")
print(f"ARI with the planted segments: behaviour only {adjusted_rand_score(truth, seg_minimal):.2f}, "
      f"with demographics {adjusted_rand_score(truth, seg_demographics):.2f}")


# %% [markdown] id="bef47802"
# The adjusted Rand index (module 4) compares two partitions whatever their label numbers: 1 means the same
# groups. Adding age and income moves a few customers (the ARI is a little below 1) but buys nothing:
# agreement with Larkspur's planted segments does not improve. Let us compare the segment profiles, in
# original units, to see what the marketing team would lose by dropping them.

# %% id="caec5968"
def profile(labels: pd.Series) -> pd.DataFrame:
    table = everything.assign(segment=labels).groupby("segment")[BEHAVIOUR].median()
    table["customers"] = labels.value_counts().sort_index()
    return table.sort_values("monetary_gbp").round(1).reset_index(drop=True)


print("behaviour only:")
print(profile(seg_minimal).to_string())
print("\nwith age and income band:")
print(profile(seg_demographics).to_string())

# %% [markdown] id="ee310ed9"
# The four profiles (occasional, lapsed, frequent low-price buyers, frequent high-value buyers) are
# almost the same in both, and so are their sizes: **the demographic columns are not necessary for this
# purpose**, so minimisation says: do not use them, and do not copy them into the analysis table at all.
#
# More personal data can even make things worse. Add gender, [one-hot encoded](../glossary.md#one-hot-encoding) as module 2 taught for
# categories, and watch what happens to the segments:

# %% id="96434503"
with_gender = with_demographics.join(pd.get_dummies(everything["gender"], prefix="gender", dtype=float))
seg_gender = segment(with_gender)
print(f"ARI with the behaviour-only segments: {adjusted_rand_score(seg_minimal, seg_gender):.2f}; "
      f"with the planted segments: {adjusted_rand_score(truth, seg_gender):.2f}")
print(pd.crosstab(seg_gender, everything["gender"]).to_string())

# %% [markdown] id="b1b8e10f"
# After scaling, the rare categories (non-binary, undisclosed: 2-3% of customers each) get huge values,
# and k-means spends its clusters on them: the "segments" are now largely gender groups, useless for the
# behavioural purpose and a fairness problem (lesson 6b). Minimisation protects customers *and* the analysis.
#
# The direct identifiers (name, e-mail, phone, address, IP) were never features, yet they sat in the table;
# a leak of the analysis file would have leaked them. The minimised table keeps only the customer id (for
# joining back) and the behavioural features.
#
# *Note:* minimisation is judged against the purpose. If Larkspur's objective were "design products for
# older gardeners", age would be necessary and its use would have to be justified.

# %% id="a0d53e99"
analysis_table = everything[BEHAVIOUR].copy()
print(f"analysis table: {analysis_table.shape[1]} columns instead of {everything.shape[1]}")


# %% [markdown] id="bcd39e41"
# ## 3. Pseudonymisation: a keyed hash, and the common mistake
#
# **Pseudonymisation** (**Art. 4(5)**) replaces identifiers so that the data can no longer be attributed to
# a person *without additional information kept separately*. It is a safeguard named in **Art. 25** and
# **Art. 32** (security of processing). Pseudonymised data is **still personal data** (Recital 26): whoever
# holds the key can re-identify.
#
# Suppose the agency needs to deduplicate customers across Larkspur and its own lists by e-mail. The
# tempting shortcut: send `sha256(email)` instead of the e-mail. Let us make that mistake on purpose.

# %% id="d105ffcf"
def plain_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


shared = pd.DataFrame({"email_hash": customers["email"].map(plain_hash), "monetary_gbp": 0.0})
shared["monetary_gbp"] = customers["customer_id"].map(features["monetary_gbp"]).fillna(0).to_numpy()
shared.head(3)

# %% [markdown] id="0d87150f"
# No e-mail in sight. **Is it anonymous?** Think like an attacker who gets the file. A hash is deterministic
# and public: anyone can hash guesses and compare. E-mail addresses are guessable: most are built from a
# name. The attacker only needs a list of names (a social network, a leaked list, the electoral roll) and
# the common formats.

# %% id="c8a24679"
names = customers["full_name"].str.lower().str.split()  # the attacker's list of people's names
domains = ["mailhub.example", "webmail.example", "post.example", "larkmail.example", "inbox.example"]
guesses = {
    f"{first}{sep}{last}@{domain}"
    for first, last in names
    for sep in (".", "", "_")
    for domain in domains
}
lookup = {plain_hash(guess): guess for guess in guesses}  # the "rainbow table"
recovered = shared["email_hash"].map(lookup)
print(f"{len(guesses):,} guesses hashed; {recovered.notna().sum():,} of {len(shared):,} "
      f"e-mails recovered ({recovered.notna().mean():.0%}), each with its spend")

# %% [markdown] id="435f3671"
# Half of the "hashed" e-mails are reversed in well under a second by a dictionary attack with no
# numbers in the guesses. Adding two-digit suffixes (`julie.cunningham49`) multiplies the guesses by 100:
# still a few seconds on a laptop, and graphics cards compute billions of SHA-256 per second. **A plain hash
# of a guessable identifier is not pseudonymisation.**
#
# The fix is a **keyed hash**: HMAC-SHA256 mixes a secret key into the hash. Without the key, hashing
# guesses produces different values, so the dictionary is useless. The key lives outside the data set (a
# secrets vault, an environment variable), never in the notebook or next to the file: whoever holds it can
# run the same attack. A random per-row salt would also stop the attack, but then the same e-mail gets a
# different [token](../glossary.md#token) in every table and joins break; HMAC keeps them consistent.

# %% id="c4d17c95"
key = secrets.token_hex(32)  # in production: read it from a vault, e.g. os.environ["LARKSPUR_PSEUDO_KEY"]


def keyed_hash(email: str) -> str:
    return hmac.new(key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


shared_keyed = shared.assign(email_hash=customers["email"].map(keyed_hash))
recovered_keyed = shared_keyed["email_hash"].map(lookup)
print(f"same {len(guesses):,} guesses against the keyed hashes: {recovered_keyed.notna().sum()} recovered")

# %% [markdown] id="da72a075"
# Zero. The course's tested version is `course_utils.privacy.pseudonymise`: the same HMAC, plus checks (it
# refuses an empty or short key) and normalisation (spaces and case), so `Ann@X.uk ` and `ann@x.uk` join.

# %% id="a26240ad"
from course_utils.privacy import pseudonymise

tokens = pseudonymise(customers["email"], key)
assert tokens.iloc[0] == keyed_hash(customers["email"].iloc[0])
try:
    pseudonymise(customers["email"], key="")
except ValueError as error:
    print("refused:", error)

# %% [markdown] id="0db78744"
# ## 4. Anonymisation and its limits
#
# Truly **anonymous** data (Recital 26) falls outside the GDPR, because nobody can be identified "by means
# reasonably likely to be used". Dropping names is not enough. Suppose Larkspur publishes an "anonymised"
# table for a university: no name, no e-mail, no id; just age, gender, postcode and the customer's segment
# and spend.

# %% id="66fabd1d"
release = customers[["age", "gender", "postcode"]].assign(
    segment=customers["customer_id"].map(seg_minimal).fillna(-1).astype(int),
    monetary_gbp=customers["customer_id"].map(features["monetary_gbp"]).fillna(0).round(2),
)
release.head()

# %% [markdown] id="deccb9d7"
# ### A re-identification by linkage
#
# An attacker knows a few facts about some people from elsewhere: a neighbour, a social-media profile, a
# leaked list from another shop. Here the attacker knows name, age, gender and postcode of 300 people
# (sampled from Larkspur's customers to play that role). A simple join on the **quasi-identifiers** does
# the rest.

# %% id="8853ea16"
attacker_knows = customers.sample(300, random_state=0)[["full_name", "age", "gender", "postcode"]]
quasi = ["age", "gender", "postcode"]
matches = attacker_knows.merge(release, on=quasi, how="inner")
per_person = matches.groupby("full_name").size()
print(f"{(per_person == 1).sum()} of {len(attacker_knows)} people matched exactly one released row")
matches[["full_name", "age", "gender", "postcode", "segment", "monetary_gbp"]].head(3)

# %% [markdown] id="63f2f6bb"
# Almost all of the 300 are re-identified, with their spend (the few others share their name with another
# customer in the sample, which the count above treats as ambiguous). Latanya Sweeney showed the same in 1997 with real
# hospital records: ZIP code, birth date and sex were unique for most Americans.
#
# ### Generalise, then measure k-anonymity
#
# **k-anonymity**: every row shares its quasi-identifier values with at least k - 1 others (its
# *equivalence class* has at least k rows), so a linkage can only narrow a person down to k candidates. We
# **generalise**: age into 10-year bands, postcode to its outward code (`W8 4GD` -> `W8`) or its area
# (`W`), and measure k with `course_utils.privacy.k_anonymity`.

# %% id="9bc2febc"
from course_utils.privacy import generalise, k_anonymity

options = {
    "exact age, full postcode": release,
    "10-year band, outward code": generalise(release, postcode_level="outward"),
    "10-year band, postcode area": generalise(release, postcode_level="area"),
    "10-year band (70+), area": generalise(release, postcode_level="area", age_top=70),
}
rows = []
for name, table in options.items():
    result = k_anonymity(table, quasi, k=5)
    rows.append({"generalisation": name, "k": result.k, "classes": result.n_classes,
                 "unique rows": int((result.class_sizes["size"] == 1).sum()),
                 "rows in classes < 5": result.rows_at_risk})
pd.DataFrame(rows)

# %% id="3ed88313"
coarse = options["10-year band (70+), area"]
sizes = k_anonymity(coarse, quasi).class_sizes["size"]
row_sizes = sizes.repeat(sizes)  # each row counts once, with the size of its class
fig, ax = plt.subplots()
ax.hist(row_sizes, bins=np.arange(1, row_sizes.max() + 2), color=palette(1)[0])
ax.axvline(5, color="black", linestyle="--", label="k = 5")
ax.set(title="How many customers share each customer's (age band, gender, area)",
       xlabel="size of the customer's equivalence class (customers)",
       ylabel="number of customers")
ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))  # class sizes are whole numbers
ax.legend()
plt.show()

# %% [markdown] id="98ac0a2d"
# A typical customer now shares their values with a handful of others (the bars to the right of the
# dashed line), but a tail remains on the left: about a quarter of customers sit in classes smaller than
# 5, some of them alone. Which ones?

# %% id="6550e489"
result = k_anonymity(coarse, quasi, k=5)
print(result)
at_risk = result.violations.groupby("gender", observed=True)["size"].sum()
share_at_risk = (at_risk / coarse["gender"].value_counts()).sort_values(ascending=False)
print("share of each gender's customers in a class smaller than 5:")
print(share_at_risk.map("{:.0%}".format).to_string())

# %% [markdown] id="90ae4103"
# Almost every **non-binary and undisclosed** customer sits in a class smaller than 5, against about one
# in five men or women: small groups are the easiest to re-identify. Reaching k = 5 means suppressing
# those rows (losing minorities from the analysis, a fairness cost), generalising further (gender into
# two values, which erases them), or releasing aggregates instead of rows. Let us suppress and re-run the attack on the generalised release.

# %% id="6be46d5d"
small = coarse.merge(result.violations[quasi], on=quasi, how="left", indicator=True)["_merge"] == "both"
safe_release = coarse.loc[~small.to_numpy()]
print(f"suppressed {small.sum()} rows ({small.mean():.0%}); k = {k_anonymity(safe_release, quasi).k}")

known = generalise(attacker_knows, postcode_level="area", age_top=70)
linked = known.merge(safe_release, on=quasi, how="inner").groupby("full_name").size()
print(f"the attacker now gets {linked.min()} to {linked.max()} candidate rows per person "
      f"(median {linked.median():.0f}); exact re-identifications: {(linked == 1).sum()}")

# %% [markdown] id="91334c43"
# **k-anonymity is not the end.** If all the candidates of a class share the same sensitive value, the
# attacker learns it anyway (a *homogeneity attack*). **[l-diversity](../glossary.md#l-diversity)** asks that each class holds at least l
# different sensitive values; `course_utils.privacy.l_diversity` measures it. And a determined attacker
# with richer background knowledge can still go further; this is why modern releases of statistics use
# *differential privacy* (to go further, below). For the GDPR, the safest reading is: generalised
# row-level data about customers is usually still personal data, so keep protecting it.

# %% id="41cb6edd"
from course_utils.privacy import l_diversity

diversity = l_diversity(safe_release, quasi, "segment")
print(diversity)
print(f"{(diversity.classes['distinct'] == 1).sum()} classes have one segment only: "
      "everyone in them is known to be in that segment")

# %% [markdown] id="f5a9a586"
# ## 5. Storage limitation: a retention rule applied by date
#
# **Art. 5(1)(e)**: keep personal data *no longer than necessary* for the purpose. Larkspur's DPO writes
# a retention schedule; the data team applies it by date, every month. (UK tax rules typically require
# invoices to be kept for 6 years, but for *that* purpose, in the finance system, not in the marketing data.)
#
# | Data | Kept for | Why this long |
# |---|---|---|
# | order lines (marketing copy) | 3 years | long enough to see a customer lapse and come back |
# | web and app sessions | 13 months | one year of seasonality plus a month; a common web-analytics choice |
# | campaign responses | 2 years | to compare a campaign with the same one last year |
# | published reviews | while published | the customer chose to publish them; deleted on request |

# %% id="1357c88f"
from course_utils.privacy import apply_retention

RETENTION_DAYS = {"transactions": 3 * 365, "sessions": 13 * 30}
kept_tx, expired_tx = apply_retention(transactions, "invoice_date", keep_days=RETENTION_DAYS["transactions"],
                                      as_of=SNAPSHOT_DATE)
kept_sessions, expired_sessions = apply_retention(sessions, "start_time", keep_days=RETENTION_DAYS["sessions"],
                                                  as_of=SNAPSHOT_DATE)
print(f"transactions: {len(expired_tx):,} of {len(transactions):,} lines are past 3 years")
print(f"sessions: {len(expired_sessions):,} of {len(sessions):,} are past 13 months")

monthly = transactions.groupby(transactions["invoice_date"].dt.to_period("M")).size()
monthly.index = monthly.index.to_timestamp()  # first day of each month
cutoff = pd.Timestamp(SNAPSHOT_DATE) - pd.Timedelta(days=RETENTION_DAYS["transactions"])
fig, ax = plt.subplots()
ax.plot(monthly.index, monthly.to_numpy(), color=palette(1)[0])
ax.axvspan(monthly.index.min(), cutoff, color="grey", alpha=0.3, label="past retention: delete")
ax.set(title="Order lines per month, and what the 3-year rule deletes", xlabel="month",
       ylabel="order lines per month (count)")
ax.legend()
fig.autofmt_xdate()  # slanted dates do not overlap
plt.show()

# %% [markdown] id="b301fe57"
# The grey band is the part of the history the rule removes (Larkspur was small in its first year, so it
# is a small share of the lines). What does it do to the analysis? Every customer's [frequency](../glossary.md#frequency) and spend
# now cover three years at most, and customers whose only purchases are older than three years disappear
# from the marketing data: the rule decides that a customer silent for three years is no longer a
# *customer* for marketing purposes.

# %% id="69ac0c20"
features_kept = customer_features(kept_tx)
gone = everything.index.difference(features_kept.index)
print(f"{len(gone)} customers have no purchase left after the rule; their median recency was "
      f"{everything.loc[gone, 'recency_days'].median():.0f} days")

# %% [markdown] id="adb7255d"
# ## 6. The rights of the data subject
#
# ### Access (Art. 15; CCPA right to know)
#
# A customer writes: *"Send me everything you hold about me."* Larkspur has one month. The answer must cover
# **every** source, including derived data such as the segment (a profile is personal data), plus the
# purposes, recipients, retention periods and source of the data (Art. 15(1)). Our data subject is a
# customer who, like about one reviewer in a hundred, wrote their own e-mail address into a review.

# %% id="0cde6996"
from course_utils.privacy import subject_access_export

own = reviews.merge(customers[["customer_id", "email"]], on="customer_id")
wrote_email = own.loc[[email in text for email, text in zip(own["email"], own["text"])], "customer_id"]
subject = wrote_email[wrote_email.isin(campaign["customer_id"])].iloc[0]
print("the data subject:", subject)

segments_table = seg_minimal.rename("segment").reset_index()  # derived data is personal data too
# customer-service notes (a small made-up table): one on the subject's own record, and one on another
# customer's record that mentions the subject by e-mail
subject_email = customers.set_index("customer_id").loc[subject, "email"]
other = customers.loc[customers["customer_id"] != subject, "customer_id"].iloc[0]
support_notes = pd.DataFrame(
    {
        "note_id": ["N0001", "N0002"],
        "customer_id": [subject, other],
        "text": ["Called about a late parcel; resent with tracking.",
                 f"Gift bought for them by a friend ({subject_email}) arrived damaged; refunded."],
    }
)
sources = {
    "customers": customers,
    "transactions": transactions,
    "sessions": sessions,
    "campaign": campaign,
    "reviews": reviews,
    "raw_customers": load_customers(raw=True),
    "raw_transactions": load_transactions(raw=True),
    "segments": segments_table,
    "support_notes": support_notes,
}
export = subject_access_export(subject, sources)
print({name: len(rows) for name, rows in export.items()})
export["reviews"][["review_date", "rating", "text"]]

# %% [markdown] id="f4143f1f"
# Their review holds their e-mail address: free text holds personal data too. The same helper returns one
# JSON document to send to them (`as_json=True`).

# %% id="6dfce2e3"
document = subject_access_export(subject, sources, as_json=True)
print(f"{len(document):,} characters of JSON; it starts: {document[:160]}...")

# %% [markdown] id="18bad9e8"
# ### Erasure (Art. 17; CCPA right to delete)
#
# Now the same customer asks to be forgotten. The common mistake: delete their row from the customer table
# and stop.

# %% id="d1b9df13"
from course_utils.privacy import verify_erased

their_pii = customers.loc[customers["customer_id"] == subject, ["full_name", "email", "phone"]].iloc[0].tolist()
naive = dict(sources, customers=customers[customers["customer_id"] != subject])
print(verify_erased(subject, naive, their_pii))

# %% [markdown] id="c81622b2"
# **Why is that not enough?** Orders, sessions, the campaign log, the review with their e-mail, the raw
# copies, their segment and the support notes all remain (one of them on *another* customer's record,
# found only because it contains their e-mail): anyone can still [join them](../glossary.md#join) back to a person. `erase_customer`
# deletes their rows from *every* source, redacts mentions of their id, name, e-mail or phone left in
# other rows' free text, and returns a report whose `remaining` counts are the proof (computed by
# `verify_erased` on the result).

# %% id="34f13c9c"
from course_utils.privacy import erase_customer

erased, report = erase_customer(subject, sources)
print(report)
print("anything left anywhere?", verify_erased(subject, erased, their_pii))
print("the other customer's note now reads:", erased["support_notes"]["text"].iloc[0])

# %% [markdown] id="ee9408b6"
# Then **recompute what was derived from their data**: the segments. Other customers should barely move.

# %% id="b21697c9"
features_after = customer_features(erased["transactions"])
seg_after = segment(behaviour_matrix(features_after))
common = seg_after.index
print(f"{subject} in the new features?", subject in features_after.index)
print(f"ARI of the other {len(common):,} customers' segments, before vs after: "
      f"{adjusted_rand_score(seg_minimal.loc[common], seg_after):.3f}")

# %% [markdown] id="bf3c1809"
# The proof covers what the code can see. A real erasure must also reach the database of record, the
# CSV files and the SQLite copy (`datasets/` is untouched here: we worked on copies in memory), backups
# (deleted when they expire, and not restored), logs, and every processor the data was sent to
# (Art. 17(2) and Art. 19). Erasure is not absolute (Art. 17(3)): Larkspur keeps their invoices for the tax
# authority, under a legal obligation, in the finance system only.

# %% [markdown] id="a08b8f7c"
# ## Recap
#
# - Personal data is anything that relates to an *identifiable* person (Art. 4(1)); special categories
#   (Art. 9) are off limits without an exception. Each processing needs a lawful basis (Art. 6) and a
#   purpose it stays within (Art. 5(1)(b)).
# - **Minimise**: the behavioural segmentation did not need age or income: the segments barely changed
#   without them (ARI printed above) and matched the planted truth as well; adding one-hot gender turned
#   them into gender groups (Art. 5(1)(c), Art. 25).
# - **Pseudonymise with a key** (HMAC), never with a plain hash of a guessable value: the dictionary attack
#   reversed half the e-mails in under a second. Keep the key apart (Art. 4(5), Art. 32).
# - **Anonymisation is hard**: exact age, gender and postcode re-identified almost all of 300 people by linkage.
#   Generalising and suppressing reached k = 5, at the cost of the smallest groups; l-diversity and
#   differential privacy go further.
# - **Retention** is a rule applied by date, with consequences for the analysis (Art. 5(1)(e)).
# - **Access and erasure** cover every source, derived data included, and erasure comes with a proof
#   (Art. 15, Art. 17; CCPA rights to know and to delete).
#
# Next, lesson 6b asks whether the segments treat groups of customers fairly, and how to explain them.
#
# ## To go further
#
# - Regulation (EU) 2016/679 (GDPR), Articles 4, 5, 6, 9, 15, 17, 21, 22, 25, 28, 32 and Recitals 26, 47;
#   the UK GDPR and Data Protection Act 2018.
# - California Civil Code sections 1798.100-1798.199.100 (CCPA, as amended by the CPRA), and the California
#   Privacy Protection Agency's regulations.
# - ICO (UK), *Guide to the UK GDPR*: lawful basis, legitimate interests, the right of access, the right
#   to erasure; and its guidance on anonymisation and pseudonymisation.
# - EDPB Guidelines 01/2025 on pseudonymisation.
# - L. Sweeney, "k-anonymity: a model for protecting privacy", *Int. J. Uncertainty, Fuzziness and
#   Knowledge-Based Systems*, 2002.
# - A. Machanavajjhala et al., "l-diversity: privacy beyond k-anonymity", *ACM TKDD*, 2007.
# - C. Dwork and A. Roth, *The Algorithmic Foundations of Differential Privacy*, 2014.
# - RFC 2104, *HMAC: keyed-hashing for message authentication*.
