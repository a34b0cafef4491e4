# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="90b9d44e"
# # 8. Capstone brief: segments that sell caravan policies
#
# This is the brief of the course's final project. You [segment](../glossary.md#segment) **real customers of a Dutch insurer**
# from raw data to a plan a marketing team can use, on your own, and it is graded with a rubric.
#
# **What you will learn** (by doing all of it once, end to end, on real data)
# - to frame a [segmentation](../glossary.md#customer-segmentation) around a business decision, and to keep the outcome out of the inputs;
# - to prepare coded survey-style data, choose and scale [features](../glossary.md#feature), choose an algorithm and k with several
#   indices, and check [stability](../glossary.md#stability) and agreement with an existing segmentation;
# - to turn segments into named [profiles](../glossary.md#profile) and actions tied to a measured outcome, with honest uncertainty;
# - to audit the plan for fairness and privacy, and to communicate it to a director.

# %% [markdown] id="86930e2d"
# **Prerequisites:** modules 1 to 7 (cleaning, features and [scaling](../glossary.md#scaling), [clustering](../glossary.md#clustering), evaluation, ethics, from
# segments to action). Every technique you need has been taught; nothing here is new, except that nobody
# tells you which choice to make.
#
# **Time:** about 30 minutes to read this brief and run it; **6 to 8 hours** for the project itself
# (`exercises/08-capstone/08-capstone.ipynb`), over several sittings.

# %% [markdown] id="52657f19"
# ## The business scenario
#
# A Dutch insurer sells car, fire, life and a dozen other policies. Marketing wants to sell more **caravan
# (mobile home) policies** next season with the same budget. Today 348 of its 5,822 customers hold one
# (6%). The marketing director asks you:
#
# > *"Which kinds of customers do we have, which of them are most likely to want caravan cover, and what
# > should we send to whom? I need something my team can use: a few groups with names and sizes, what to
# > do with each, how sure you are, and nothing that gets us into trouble with the regulator."*
#
# The insurer already buys a segmentation from a marketing data vendor: `MOSHOOFD`, ten "customer main
# types" (and `MOSTYPE`, 41 subtypes in the code book, 40 of them present in the data). The director wonders whether your segments say anything new.
#
# ## Objectives of the project
#
# 1. Build a customer segmentation that is **stable**, **readable** (original units, names, sizes) and
#    **useful** for the caravan decision.
# 2. Validate it: [internal indices](../glossary.md#internal-index), stability over resamples, agreement with the vendor's segments.
# 3. Turn it into **one action per segment**, tied to the caravan uptake, with its uncertainty and a test plan.
# 4. Check that the plan is **fair and lawful** ([GDPR](../glossary.md#gdpr)), and **communicate** it.
#
# ## Deliverables
#
# One notebook, `08-capstone.ipynb` (the exercise), run from top to bottom without errors, containing:
# - six **milestones** with automatic checks (your feature matrix, the k table, stability, agreement with
#   the vendor's types, the profile, the uptake per segment);
# - eight **written answers** (framing, data and features, algorithm and k, validation, profiles, actions,
#   ethics, an executive summary for the director);
# - your own exploration and **figures**, each with a title, labelled axes with units, the course's
#   colour-blind-safe palette, and a sentence saying what to see.

# %% [markdown] id="33741889"
# ## The data: a first look
#
# `load_caravan()` returns the **Caravan** data of the CoIL Challenge 2000 (Sentient Machine Research; via
# the ISLR book): one row per customer, 86 columns, all integer **codes**:
#
# | columns | what | codes |
# |---|---|---|
# | `MOSTYPE`, `MOSHOOFD` | the vendor's segments (41 subtypes, 40 present; 10 main types) | categories: [label-encoded](../glossary.md#label-encoding), **not** quantities |
# | `MAANTHUI` ... `MKOOPKLA` (41) | socio-demographics of the customer's **postcode area** | mostly shares in bands: 0 = 0%, 1 = 1-10%, ..., 9 = 100% |
# | `P...` (21) | yearly contribution (premium) to each kind of policy | bands of guilders: 0 = none ... 9 = 20,000 or more |
# | `A...` (21) | number of policies of each kind | counts |
# | `Purchase` | holds a caravan policy (the original `CARAVAN` column) | No / Yes |
#
# `course_utils.caravan` holds the code book: `describe(column)`, `DESCRIPTIONS`, `MAIN_TYPES`,
# `SHARE_BANDS`, `CONTRIBUTION_BANDS`, and `share_percent()` to turn a share code into a percentage.

# %% id="957b9aca"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from course_utils.caravan import CONTRIBUTION_BANDS, MAIN_TYPES, SENSITIVE_COLUMNS, SHARE_BANDS, describe, share_percent
from course_utils.data import load_caravan
from course_utils.plotting import palette, use_course_style

use_course_style()
caravan = load_caravan()
print(caravan.shape, "| missing values:", int(caravan.isna().sum().sum()))
holders = caravan["Purchase"] == "Yes"
print(f"caravan policy holders: {holders.sum()} of {len(caravan):,} ({holders.mean():.0%})")
print("share codes:", SHARE_BANDS)
print("contribution codes (guilders):", CONTRIBUTION_BANDS)
for column in ["MOSHOOFD", "MRELGE", "MKOOPKLA", "PPERSAUT", "APERSAUT", "Purchase"]:
    print(f"{column:9} {describe(column)}")
caravan[["MOSHOOFD", "MRELGE", "MKOOPKLA", "PPERSAUT", "APERSAUT", "Purchase"]].head()


# %% [markdown] id="39925ce2"
# ## A worked start: who holds caravan policies?
#
# Before any clustering, look at the outcome the director cares about against one column you understand.
# Here: the area's **purchasing power class** (`MKOOPKLA`, 1 = lowest, 8 = highest). We show the uptake
# with a 95% interval (Wilson's, which behaves well for small shares), because a share computed on a few
# hundred customers is uncertain, and we print how many customers each bar stands on.

# %% id="0a46a007"
def wilson_interval(buyers, customers, z=1.96):
    """95% Wilson score interval for a share buyers / customers (arrays allowed)."""
    buyers, customers = np.asarray(buyers, dtype=float), np.asarray(customers, dtype=float)
    p = buyers / customers
    centre = (p + z**2 / (2 * customers)) / (1 + z**2 / customers)
    half = z * np.sqrt(p * (1 - p) / customers + z**2 / (4 * customers**2)) / (1 + z**2 / customers)
    return centre - half, centre + half


bought = (caravan["Purchase"] == "Yes").astype(int)
by_power = bought.groupby(caravan["MKOOPKLA"]).agg(customers="size", buyers="sum")
by_power["uptake_pct"] = 100 * by_power["buyers"] / by_power["customers"]
low, high = wilson_interval(by_power["buyers"], by_power["customers"])

fig, ax = plt.subplots()
ax.bar(by_power.index, by_power["uptake_pct"], color=palette(4)[3], label="uptake in the class")
ax.errorbar(by_power.index, by_power["uptake_pct"],
            yerr=[by_power["uptake_pct"] - 100 * low, 100 * high - by_power["uptake_pct"]],
            fmt="none", ecolor=palette(7)[6], capsize=4, label="95% interval")
ax.axhline(100 * bought.mean(), color=palette(1)[0], linestyle="--", label="all customers (6.0%)")
ax.set_title("Caravan policy uptake by purchasing power class of the area")
ax.set_xlabel("purchasing power class (MKOOPKLA: 1 = lowest, 8 = highest)")
ax.set_ylabel("customers with a caravan policy (%)")
ax.legend()
plt.show()
by_power.round(1)

# %% [markdown] id="1af73ae1"
# **What to see:** uptake rises from about 3% in the two lowest purchasing-power classes to 7% in class 6
# and 14% in class 7, then falls back to 8% in class 8: a real pattern, but not a straight line. The
# intervals are wide: class 8 stands on 426 customers and 35 buyers, and its interval overlaps class 6's, so
# "class 8 buys less than class 7" may be true, but "class 8 buys more than class 6" is not shown. Two
# lessons for the project: the outcome does vary with who the customers are, so segments *can* be useful;
# and every rate you report per segment needs its uncertainty next to it.
#
# This is one column. Your segments will combine many, and you must then check that they are more than
# a fancy name for purchasing power.

# %% [markdown] id="3b4ca1a2"
# ## Pitfalls to avoid (each one costs points)
#
# 1. **Unscaled features.** [k-means](../glossary.md#k-means) measures [Euclidean distance](../glossary.md#euclidean-distance): a column in percent (0-100) outweighs a
#    code (1-8) by ten or more, and silently decides the segments. Standardise after any transform
#    (module 3).
# 2. **k by the [elbow](../glossary.md#elbow-method) alone.** The elbow is read by eye and ignores separation and stability. Use the
#    [silhouette](../glossary.md#silhouette) *and* [Davies-Bouldin](../glossary.md#davies-bouldin-index), segment sizes, stability over resamples, and usefulness (module 4).
#    On these data every silhouette is low: say so; it means a continuum, cut usefully, not natural groups.
# 3. **[Leaking](../glossary.md#data-leakage) the target.** `Purchase` is the outcome you will use to judge the segments. If it is among
#    the clustering features, segments "explain" caravan uptake because they were built from it: circular,
#    and useless for customers whose answer you do not know.
# 4. **Label-encoded categories in a Euclidean distance.** `MOSHOOFD` code 10 ("Farmers") is not ten
#    times code 1 ("Successful hedonists"), and code 5 is not "between" them. The vendor's codes are
#    categories; they are also your external check, so they stay out of the features.
# 5. **Raw label ids compared.** Segment numbers are arbitrary names. The second cell below shows what
#    happens when you compare them directly.
#
# First, pitfall 1 in numbers: five columns in their original units, three in percent and two codes.
# k-means adds up squared differences, so each column weighs in proportion to its variance.

# %% id="621644ae"
mixed = share_percent(caravan[["MRELGE", "MHKOOP", "MINKM30"]]).add_suffix("_pct")
mixed["MKOOPKLA"] = caravan["MKOOPKLA"]  # purchasing power class, 1-8
mixed["PPERSAUT"] = caravan["PPERSAUT"]  # car premium band, 0-9
weight = (100 * mixed.var() / mixed.var().sum()).round(1)
print(f"the three percentage columns: {weight.iloc[:3].sum():.1f}% of the squared distance")
pd.DataFrame({"standard deviation": mixed.std().round(1), "share of the squared distance (%)": weight})

# %% [markdown] id="8513befd"
# **What to see:** the three percentage columns take 99.5% of the squared distance (home ownership alone
# more than half); purchasing power, which the figure above linked to caravan uptake, and the car premium
# count for less than 1% together. After standardising, each column weighs the same (20%), and *you*
# decide what matters by choosing the columns.

# %% id="28560344"
vendor = caravan["MOSHOOFD"].to_numpy()
renamed = (vendor % 10) + 1  # the same ten groups, only renumbered (1 -> 2, ..., 10 -> 1)
print("same partition, share of equal ids:", round(float(np.mean(renamed == vendor)), 3))
print("same partition, adjusted Rand index:", round(adjusted_rand_score(vendor, renamed), 3))

# %% [markdown] id="c96eec28"
# **What to see:** renumbering the vendor's own types gives 0% "agreement" by raw ids, yet it is the very
# same partition: the [ARI](../glossary.md#adjusted-rand-index-ari) is exactly 1. Compare partitions with the ARI (or [NMI](../glossary.md#normalised-mutual-information-nmi)), never by ids.
#
# Two more traps specific to these data:
# - **Sensitive columns.** The religion shares (`SENSITIVE_COLUMNS`: `MGODRK`, `MGODPR`, `MGODOV`,
#   `MGODGE`) are [special-category data](../glossary.md#special-category-data) under the GDPR (article 9), and the age band `MGEMLEEF` is a
#   [protected characteristic](../glossary.md#protected-characteristic). Keep them out of the segmentation and use them to audit it (module 6).
# - **Area data, not people.** Every socio-demographic column describes the customer's postcode area
#   (for example `MRELGE` = 6 means 63-75% of the households in that area are married). A segment is a
#   description of neighbourhoods; never present it as a fact about a person.

# %% [markdown] id="d4a4fb33"
# ## How the project is graded: the rubric
#
# **50 points.** Six milestones are checked automatically (2 points each, **12 points**): each check
# recomputes your numbers from *your own* objects (your features, your `X`, your `labels`), so any
# defensible choice passes and only real mistakes fail. Eight written answers are graded by hand against
# the rubric (**38 points**). Your instructor has the same rubric with more detail
# (`solutions/08-capstone/RUBRIC.md`, also copied next to your exercise).
#
# | Criterion | Where | Points | Excellent | Adequate | Missing |
# |---|---|---|---|---|---|
# | Framing | q7 | 4 | objective, decision, users, success measure, constraints | objective only | "find groups" |
# | Data preparation | q8 | 2 | checks with numbers; codes understood and handled | checks without numbers | no look at the data |
# | Features & scaling | q1 + q8 | 2 + 3 | reasoned features; target, vendor codes, sensitive columns out with reasons; standardised, with why | thin reasons | target or vendor codes in; unscaled |
# | Algorithm choice | q9 | 2 | fits data and purpose; [seeds](../glossary.md#random-seed); an alternative tried or argued | generic reason | none |
# | Choosing k with several indices | q2 + q9 | 2 + 3 | ≥ 3 numbers; what each index hides; not the elbow alone | one index | elbow alone |
# | Stability | q3 + q10 | 2 + 2 | lowest resample ARI read correctly; necessary, not sufficient | mean only | not discussed |
# | External validation (MOSHOOFD) | q4 + q10 | 2 + 2 | ARI and cross-table read; low agreement not a failure; why not raw ids | ARI not interpreted | raw ids |
# | Profiles: original units, names, sizes | q5 + q11 | 2 + 5 | every segment named, sized, 2-3 numbers in original units vs overall; a figure read | few or scaled numbers | no names; scaled profiles |
# | Action per segment, uptake, uncertainty | q6 + q12 | 2 + 6 | one concrete action each, tied to uptake and [lift](../glossary.md#lift) with intervals; a test plan; ownership ≠ response | no uncertainty or test | generic actions |
# | Ethics & fairness | q13 | 5 | [proxy audit](../glossary.md#proxy) and [disparate impact](../glossary.md#disparate-impact) with numbers; proportionate response; GDPR points; area-data caveat | audit or GDPR, not both | not addressed |
# | Communication & figures | q14 + notebook | 4 | a summary a director can act on; every figure titled, labelled, colour-blind-safe, read in a sentence | jargon, some unlabelled figures | no summary |
#
# **How grading works in practice.** Run the whole notebook before you submit (*Kernel → Restart and run
# all*): your instructor's grader runs it from the top, with hidden tests that recompute the milestones
# independently, so make the code right, not just the visible check green. Written answers are read by a
# person with the rubric: numbers from *your* notebook, clearly argued, beat length.

# %% [markdown] id="37106c76"
# ## Recap
#
# - The job: segments that are stable, readable and useful for one decision (who gets which caravan
#   offer), validated, tied to the caravan uptake with its uncertainty, audited for fairness, and
#   explained to a director.
# - The data: 5,822 real customers, all columns codes; socio-demographics describe postcode areas.
# - The traps: unscaled features, k by elbow alone, the target among the features, label-encoded
#   categories in a distance, raw label ids compared, sensitive columns used for targeting.
# - The grade: 12 points of milestones checked automatically, 38 points of written answers with the rubric.
#
# ## To go further
#
# - P. van der Putten and M. van Someren (2004), "A bias-variance analysis of a real world learning
#   problem: the CoIL Challenge 2000", *Machine Learning* 57: what the 2000 competitors found about caravan
#   buyers (and how many over-fitted).
# - C. Hennig (2015), "What are the true clusters?", *Pattern Recognition Letters* 64: why "the right k"
#   depends on the purpose, which is the point of the framing question.
# - GDPR (Regulation (EU) 2016/679): article 6 and recital 47 (direct marketing as a legitimate interest),
#   article 9 (special categories, including religion), article 21 (the right to object to direct
#   marketing, including profiling for it).
# - Try another real dataset with the same workflow: AER `CreditCard` (lab 3c) or CDNOW (labs 1c, 2c).
