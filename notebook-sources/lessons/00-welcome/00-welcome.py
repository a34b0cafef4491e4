# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="7f8e6b65"
# # 0. Welcome: why segment customers, and how this course works
#
# **What you will learn**
# - what [customer segmentation](../glossary.md#customer-segmentation) is for, and the business objectives it can serve;
# - how a [segment](../glossary.md#segment) becomes an *action* (a [persona](../glossary.md#persona) with a plan);
# - what makes a segmentation useful: **distinct, [stable](../glossary.md#stability), actionable, lawful**;
# - how to run the course's notebooks and check your own answers.
#
# **Prerequisites:** basic Python (variables, lists, dictionaries). No pandas or machine learning yet.
#
# **Time:** about 30 minutes, plus 20 minutes for the exercise `exercises/00-welcome`.

# %% [markdown] id="9617531c"
# ## The story of this course
#
# *Larkspur & Co* is an online shop selling home, kitchen and garden goods in the UK. It has a few
# thousand customers, a web shop, an app, and a marketing team that sends **the same email to
# everyone**. The marketing director asks you:
#
# > "Who are our customers, and what should we do differently for each kind of customer?"
#
# That question is customer segmentation: splitting customers into groups that behave alike,
# so that each group can be served in its own way. Through the course you will answer it with
# real tools: pandas and [SQL](../glossary.md#sql) to clean Larkspur's data, statistics to build [features](../glossary.md#feature), [clustering](../glossary.md#clustering) to
# find groups, metrics to judge them, text mining on their reviews, and the law and ethics that
# limit what you may do. Each module uses the same company, so the story builds up.

# %% [markdown] id="61917b62"
# ## Course map
#
# | Module | Lesson (`lessons/`) | Exercise (`exercises/`) | The question it answers |
# |---|---|---|---|
# | 0 | `00-welcome` | `00-welcome` | Why segment, and what makes segments useful? |
# | 1 | `01-wrangling` | `01-wrangling` | How do I turn messy data from several sources into one customer table (pandas and SQL)? |
# | 2 | `02-features` | `02-features` | Which numbers describe a customer (statistics, [RFM](../glossary.md#rfm), [scaling](../glossary.md#scaling), encoding)? |
# | 3 | `03-clustering` | `03-clustering` | How do I find groups ([k-means](../glossary.md#k-means), hierarchical, [DBSCAN](../glossary.md#dbscan))? |
# | 4 | `04-evaluation` | `04-evaluation` | Are the groups any good, stable, and what do they mean? |
# | 5 | `05-nlp` | `05-nlp` | What do customers' reviews say about them (NLTK, [VADER](../glossary.md#vader), [TF-IDF](../glossary.md#tf-idf))? |
# | 6 | `06-ethics` | `06-ethics` | What may I do with [personal data](../glossary.md#personal-data) ([GDPR](../glossary.md#gdpr), [CCPA](../glossary.md#ccpa), fairness)? |
# | 7 | `07-action` | `07-action` | How do segments become predictions, campaigns and [A/B tests](../glossary.md#ab-test)? |
# | 8 | `08-capstone` | `08-capstone` | Your own segmentation, end to end, graded with a rubric. |
#
# Modules appear in the folders as they are released; work through them in order.

# %% [markdown] id="ffe7e7c1"
# ## How to work with these notebooks
#
# - Run a cell with **Shift + Enter**. Run cells from the top: later cells use what earlier ones made.
# - **Lessons** (`lessons/`) explain and show. Read them, run them, change things and re-run.
# - **Exercises** (`exercises/`) ask you to write small pieces of code. Each answer cell is followed by
#   a *check* cell. Run it: it says **Correct**, or **Incorrect** with what is wrong, or that you have
#   not answered yet.
# - Stuck? Every question has `.hint()` (call it again for a stronger hint) and, last, `.solution()`.
#
# Here is a check in action, on a tiny made-up question: "how many days are there in a week?"

# %% id="e44e4ea4" tags=["raises-exception"]
from course_utils.exercise import Incorrect, Question


def _check_days(value):
    if value != 7:
        raise Incorrect(f"a week does not have {value!r} days. Count Monday to Sunday.")


demo = Question("days_in_week", _check_days, hints=["Count the days from Monday to Sunday."], solution="days_in_week = 7")

days_in_week = 5  # a wrong answer on purpose
demo.check()  # shows the message an exercise shows; this cell is tagged so that "Run all" goes on

# %% [markdown] id="eb04a283"
# The check says *what* is wrong and nudges you, without giving the answer away. Fix the answer
# and check again:

# %% id="02bbc2c1"
days_in_week = 7
demo.check()
demo.hint()

# %% [markdown] id="67dad651"
# In graded courses your instructor collects the exercise notebook and grades it with *nbgrader*,
# which runs the same checks plus a few hidden ones. If you learn alone, the checks, hints and
# solutions are all you need.

# %% [markdown] id="4e32502c"
# ## Why segment customers?
#
# Treating every customer the same wastes money and annoys people: a discount sent to a customer
# who would have paid full price is lost margin, and a "we miss you" email sent to someone who
# bought yesterday is noise. Segmentation serves a **business objective**. The usual ones are:
#
# | Objective | The question | An example action |
# |---|---|---|
# | **High-value customers** | Who brings most of the revenue? | A loyalty programme, priority service |
# | **Purchasing behaviour** | How, when and through which channel do people buy? | Redesign the app, time the emails |
# | **Targeted marketing** | Who should get which message or offer? | Garden email to gardeners only |
# | **Retention ([churn](../glossary.md#churn))** | Who is drifting away? | A win-back offer before they leave |
#
# Product development is a fifth one: segments show which needs no product meets yet.
#
# **Why before how:** the objective decides which data you use, which features you build and how you
# will judge the result. A segmentation without an objective is just a picture.

# %% [markdown] id="828a2e82"
# ## A first look at customers
#
# Let us make a small, *made-up* table of 300 customers (the real Larkspur data arrives in module 1),
# describing each customer by the number of orders last year and the money spent.
# We fix the [random seed](../glossary.md#random-seed) so that everyone sees the same numbers.

# %% id="b8c8d656"
import numpy as np
import pandas as pd

rng = np.random.default_rng(seed=0)
n = 300
orders = rng.poisson(lam=rng.choice([1.5, 6.0, 14.0], size=n, p=[0.5, 0.35, 0.15]))
basket = rng.lognormal(mean=3.6, sigma=0.5, size=n)  # typical order value, about £37
toy = pd.DataFrame(
    {
        "orders_last_year": orders,
        "spend_gbp": (orders * basket).round(2),
        "days_since_last_order": rng.integers(1, 365, size=n),
    }
)
toy.describe().round(1)


# %% [markdown] id="260f865f"
# ### Personas from simple rules
#
# Before any machine learning, a marketing team often writes rules such as these. They are a
# *[baseline](../glossary.md#baseline)*: later, machine learning has to do better than this to be worth the effort.

# %% id="e07844f0"
def persona(row):
    if row["days_since_last_order"] > 180:
        return "at-risk"
    if row["spend_gbp"] > 500:
        return "high-value"
    if row["orders_last_year"] >= 6:
        return "frequent buyer"
    return "occasional buyer"


toy["persona"] = toy.apply(persona, axis=1)
toy["persona"].value_counts()

# %% id="34174a15"
import matplotlib.pyplot as plt
import seaborn as sns

from course_utils.plotting import palette, use_course_style

use_course_style()
order = ["high-value", "frequent buyer", "occasional buyer", "at-risk"]
ax = sns.scatterplot(
    data=toy, x="orders_last_year", y="spend_gbp", hue="persona", hue_order=order,
    style="persona", style_order=order, markers=["o", "s", "^", "X"], palette=palette(4), alpha=0.8,
)
ax.set(
    title="Rule-based personas of 300 made-up customers",
    xlabel="Orders last year (count)",
    ylabel="Spend last year (£)",
)
ax.legend(title="Persona")
plt.show()

# %% [markdown] id="6bae6b70"
# **What to see:** spend grows with the number of orders, but not in lock-step: some customers
# spend a lot in few orders. The *at-risk* customers are spread everywhere, because the rule used
# a third column (days since the last order) that this picture does not show. A 2-D picture can
# hide what separates groups; keep that in mind when we plot clusters later.
# Colours *and* marker shapes mark the personas, so the figure reads without colour too.

# %% [markdown] id="fade4cef"
# ## A common mistake: "frequent" is not "valuable"
#
# A tempting shortcut is to call the customers with the most orders the most valuable.
# Look at the two definitions side by side on the same data:

# %% id="3fc78221"
top_by_orders = set(toy.nlargest(30, "orders_last_year").index)
top_by_spend = set(toy.nlargest(30, "spend_gbp").index)
overlap = len(top_by_orders & top_by_spend)
print(f"Of the 30 customers with most orders, {overlap} are among the 30 biggest spenders.")
print(f"Revenue share of the top 30 by orders: {toy.loc[list(top_by_orders), 'spend_gbp'].sum() / toy['spend_gbp'].sum():.1%}")
print(f"Revenue share of the top 30 by spend:  {toy.loc[list(top_by_spend), 'spend_gbp'].sum() / toy['spend_gbp'].sum():.1%}")

# %% [markdown] id="bc8932c5"
# **The right way:** let the objective choose the measure. For "high-value customers" that is
# money (and later, money *net of returns*, over a stated period). [Frequency](../glossary.md#frequency) answers a different
# question (purchasing behaviour). In module 2 you will combine both, with [recency](../glossary.md#recency), into the classic
# **RFM** features.

# %% [markdown] id="dbfa58a6"
# ## What makes a segmentation useful
#
# A good segmentation is:
#
# - **Distinct:** the segments really differ in what matters to the objective.
# - **Stable:** they survive a re-run with another random seed, or next month's data
#   (module 4 measures this).
# - **Actionable:** a team can do something different for each segment, and each segment is big
#   enough to be worth it.
# - **Lawful and fair:** it respects data-protection law and does not become a [proxy](../glossary.md#proxy) for sex,
#   age or ethnicity when deciding who gets what (module 6).
#
# Each segment should end as a **persona with an action**, for example:
#
# | Segment | Persona | Action |
# |---|---|---|
# | Many orders, high spend | "high-value customers" | Loyalty perks, no discounts needed |
# | Many small orders | "frequent buyers" | Bundles to raise the basket size |
# | Few orders | "occasional buyers" | Seasonal reminders |
# | No order for months | "at-risk customers" | Win-back offer, ask what went wrong |

# %% [markdown] id="012473f8"
# ## Recap
#
# - Segmentation starts from a **business objective**: high value, behaviour, targeting, retention.
# - Rule-based personas are a baseline; machine learning must beat them.
# - The objective chooses the measure: frequent is not the same as valuable.
# - Useful segments are **distinct, stable, actionable and lawful**, and each gets an action.
# - In exercises, run the check under each answer; use `.hint()` and `.solution()` when stuck.
#
# **Next:** do the exercise `exercises/00-welcome/00-welcome.ipynb`, then module 1.
#
# ## To go further
#
# - Wendell R. Smith (1956), "Product Differentiation and Market Segmentation as Alternative
#   Marketing Strategies", *Journal of Marketing* 21(1): the paper that named market segmentation.
# - Michel Wedel and Wagner Kamakura, *Market Segmentation: Conceptual and Methodological
#   Foundations* (2nd ed., 2000): the criteria for useful segments.
# - The scikit-learn user guide, chapter "Clustering": the algorithms we use from module 3.
