# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="be6d2346"
# # 6b. Fairness and transparency: auditing segments and the offers they drive
#
# **What you will learn**
# - to audit whether [segments](../glossary.md#segment) act as a **[proxy](../glossary.md#proxy)** for a [protected characteristic](../glossary.md#protected-characteristic) such as age or gender,
#   even when that characteristic was never a [feature](../glossary.md#feature);
# - to measure the **[disparate impact](../glossary.md#disparate-impact)** of a segment-targeted offer: [selection rates](../glossary.md#selection-rate), their ratio to the
#   most-favoured group, and the **[four-fifths rule](../glossary.md#four-fifths-rule)**;
# - to try one **mitigation** and state what it costs;
# - to **explain** to one customer why they received an offer, and to document the [segmentation](../glossary.md#customer-segmentation) in a
#   short **[model card](../glossary.md#model-card)**.
#
# **Prerequisites:** lesson 6a, modules 3-4 ([k-means](../glossary.md#k-means), [profiles](../glossary.md#profile), the [adjusted Rand index](../glossary.md#adjusted-rand-index-ari)).
#
# **Time:** about 60 minutes.
#
# > **This lesson is not legal advice.** It uses the [GDPR](../glossary.md#gdpr)'s fairness and transparency principles
# > (Art. 5(1)(a), Art. 12-14, Art. 21-22), the UK Equality Act 2010 and the [CCPA](../glossary.md#ccpa)'s rights as context. Whether
# > a given difference is lawful depends on the facts and the country: ask your DPO and lawyers.

# %% [markdown] id="df8faebd"
# ## The story
#
# Larkspur's marketing team wants to reward its best customers: an **early-access preview with free
# delivery** for the "loyal high spenders" segment. Nobody used age or gender to build the segments, so
# the team says the offer "cannot discriminate". We check that claim with data, because a model can learn
# a protected characteristic from the features that correlate with it. The UK Equality Act 2010 protects
# age, sex, gender reassignment, race, religion or belief, disability and other characteristics; treating
# a group worse *because of* one is direct discrimination (s. 13), and a neutral rule that puts a group at
# a particular disadvantage is **[indirect discrimination](../glossary.md#indirect-discrimination)** (s. 19) unless it is a proportionate means of
# achieving a legitimate aim. The GDPR asks for processing that is *fair* (Art. 5(1)(a)).

# %% id="fe0b8ec9"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from course_utils.data import SNAPSHOT_DATE, load_campaign, load_customers, load_ground_truth, load_transactions
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
customers = load_customers().set_index("customer_id")
features = customer_features(load_transactions())  # RFM (module 2) + basket habits, one row per buyer
campaign = load_campaign().set_index("customer_id")
print(f"{len(features):,} customers with purchases, snapshot {SNAPSHOT_DATE}")


# %% [markdown] id="786f1f42"
# ## 1. The segments (same recipe as lesson 6a)
#
# Behavioural features only, [log-transformed](../glossary.md#log-transform) and [standardised](../glossary.md#scaling), k-means with k = 4 and a fixed [seed](../glossary.md#random-seed). We
# name each segment from its profile in original units (not from its label number, which k-means chooses
# arbitrarily).

# %% id="48349dbc"
def behaviour_matrix(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    logs = {
        "recency_days": np.log1p(table["recency_days"]),
        "frequency": np.log1p(table["frequency"]),
        "monetary_gbp": np.log1p(table["monetary_gbp"].clip(lower=0)),
        "avg_item_price_gbp": np.log(table["avg_item_price_gbp"]),
    }
    return pd.DataFrame({c: logs[c] for c in columns}, index=table.index)


def fit_segments(matrix: pd.DataFrame, k: int = 4, seed: int = 0) -> tuple[pd.Series, KMeans, StandardScaler]:
    scaler = StandardScaler().fit(matrix)
    model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(scaler.transform(matrix))
    return pd.Series(model.labels_, index=matrix.index, name="segment"), model, scaler


def name_segments(labels: pd.Series) -> pd.Series:
    """Name segments from their medians: lapsed = longest recency, then by spend and item price."""
    med = features.groupby(labels)[["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp"]].median()
    names = {med["recency_days"].idxmax(): "lapsed"}
    rest = med.drop(index=list(names))
    names[rest["frequency"].idxmin()] = "occasional"
    rest = rest.drop(index=rest["frequency"].idxmin())
    names[rest["avg_item_price_gbp"].idxmax()] = "loyal high spenders"
    for label in rest.index.drop(rest["avg_item_price_gbp"].idxmax()):
        names[label] = "frequent bargain buyers"
    return labels.map(names).rename("segment")


ALL_FEATURES = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp"]
labels, model, scaler = fit_segments(behaviour_matrix(features, ALL_FEATURES))
segment = name_segments(labels)
profile = features.groupby(segment)[ALL_FEATURES].median().round(1)
profile["customers"] = segment.value_counts()
profile

# %% [markdown] id="00da20ce"
# ## 2. Are the segments a proxy for age or gender?
#
# The mistake on purpose: *"Age and gender are not features, so the segments cannot be about age or
# gender."* Let us look at who is in each segment.

# %% id="1b62d5b2"
audit = customers.loc[features.index, ["age", "gender"]].assign(segment=segment)
audit["age_band"] = pd.cut(audit["age"], bins=[17, 34, 54, 120], labels=["18-34", "35-54", "55+"])

shares = pd.crosstab(audit["segment"], audit["age_band"], normalize="index")
overall = audit["age_band"].value_counts(normalize=True).reindex(shares.columns)
fig, ax = plt.subplots()
shares.mul(100).plot.barh(stacked=True, ax=ax, color=palette(3))
for x in overall.cumsum().iloc[:-1] * 100:
    ax.axvline(x, color="black", linestyle=":", linewidth=1)
ax.set(title="Age make-up of each segment (dotted: all customers)", xlabel="share of the segment's customers (%)",
       ylabel="segment")
ax.legend(title="age band", loc="upper left", bbox_to_anchor=(1.01, 1))
plt.show()

# %% [markdown] id="6a5f6bc1"
# If the segments ignored age, every bar would line up with the dotted lines (the age mix of all
# customers). They do not: **"loyal high spenders" has almost no one under 35**, and "frequent bargain
# buyers" is dominated by under-35s. `course_utils.fairness.proxy_audit` puts a number on it: **[Cramér's V](../glossary.md#cramérs-v)**, a
# measure of association between two categorical columns, computed from their cross-table (the chi-squared
# statistic, rescaled to lie between 0 and 1: 0 = the segment says nothing about the attribute, 1 = it
# determines it) and the largest gap between a
# group's share in a segment and its share overall.

# %% id="da2a000b"
from course_utils.fairness import proxy_audit

proxy_audit(audit.assign(segment=audit["segment"].astype(str)), "segment", ["age_band", "gender"]).round(2)

# %% [markdown] id="b30f9b58"
# The segments carry a lot of information about age and little about gender. **Why?** Some behaviour
# correlates with age. The Spearman [correlation](../glossary.md#correlation) of each feature with age shows which one:

# %% id="9136a6a6"
features.join(customers["age"])[ALL_FEATURES + ["age"]].corr(method="spearman")["age"].drop("age").round(2)

# %% [markdown] id="037aa510"
# The average price of the items bought rises with age: it is the main channel through which the segments
# learned age. This is a *proxy*: a legitimate-looking feature that stands in for a protected one.
#
# ## 3. Disparate impact of the targeted offer
#
# The offer goes to every "loyal high spender". Its **selection rate** in a group is the share of that
# group who receive it. The **disparate-impact ratio** of a group is its selection rate divided by the
# rate of the *most-favoured* group; the **four-fifths rule** flags any group below 0.8. (It comes from
# the US Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D), 1978. It is a screening
# heuristic, not a UK or EU legal test: a flag means "look closer and be able to justify it".)

# %% id="310768a3"
from course_utils.fairness import disparate_impact

audit["offered"] = audit["segment"] == "loyal high spenders"
by_age = disparate_impact(audit, "age_band", "offered")
by_gender = disparate_impact(audit, "gender", "offered")
print(by_age.round(3).to_string())
print()
print(by_gender.round(3).to_string())


# %% [markdown] id="53f0064c"
# By age, the under-35s receive the offer at a few per cent of the over-55s' rate. By gender the gaps are
# smaller, but the non-binary group is flagged on only about a hundred people: with so few, one or two
# customers more or less move the ratio a lot, so confirm on more data (or with a **[confidence interval](../glossary.md#confidence-interval)**: a range around
# the measured rate, computed from the number of people, that would contain the true rate in 95% of
# samples; module 7 computes one by hand) before concluding.
#
# A common mistake is to divide the other way (most-favoured rate / group rate): it gives numbers above 1
# (here 1 / 0.04 is about 25), and the 0.8 threshold then flags nobody. The ratio is always *group /
# most-favoured*, between 0 and 1. Also look at `n`: a ratio computed on a hundred non-binary customers
# is much noisier than one on two thousand women.

# %% id="8247ff46"
def plot_rates(table: pd.DataFrame, title: str) -> None:
    fig, ax = plt.subplots()
    vermillion, blue = "#D55E00", "#0072B2"  # two of the Okabe-Ito colours of course_utils.plotting
    colors = [vermillion if flag else blue for flag in table["flag"]]
    ax.bar(table.index.astype(str), table["selection_rate"] * 100, color=colors)
    ax.axhline(table["selection_rate"].max() * 80, color="black", linestyle="--",
               label="four-fifths of the most-favoured group's rate")
    ax.set(title=title, xlabel="age band (years)", ylabel="customers receiving the offer (%)")
    ax.set_ylim(0, table["selection_rate"].max() * 100 * 1.3)  # room for the legend above the bars
    ax.legend(loc="upper left")
    plt.show()


plot_rates(by_age.sort_index(), "Who receives the loyal-high-spender offer, by age band")

# %% [markdown] id="98d736db"
# Bars below the dashed line (in vermillion) fail the four-fifths rule. Customers under 35 almost never
# receive the offer, and 35-54s get it at well under four-fifths of the rate of the over-55s. Nobody
# decided this; the segments did. Whether it is *unlawful* is a legal question (is rewarding high spenders
# a legitimate aim, and is this a proportionate way to do it?), but the company must be able to answer it,
# and "we did not use age" is not an answer.
#
# ## 4. One mitigation, and its cost
#
# The audit showed that the average item price carries most of the age signal. A mitigation: **remove the
# proxy feature** and segment on [recency](../glossary.md#recency), [frequency](../glossary.md#frequency) and spend only; then send the offer to the segment
# with the highest spend. We measure the new disparate impact, and three costs: how many offers go out,
# how faithful the segments stay to Larkspur's buying styles (ARI with the planted segments, evaluation
# only), and what the spring [A/B](../glossary.md#ab-test) campaign says about the extra revenue per offer in each target group.

# %% id="1f6da4d3"
RFM_ONLY = ["recency_days", "frequency", "monetary_gbp"]
labels_rfm, _, _ = fit_segments(behaviour_matrix(features, RFM_ONLY))
top = features.groupby(labels_rfm)["monetary_gbp"].median().idxmax()
audit["offered_mitigated"] = labels_rfm == top
by_age_mitigated = disparate_impact(audit, "age_band", "offered_mitigated")
print(by_age_mitigated.round(3).to_string())
plot_rates(by_age_mitigated.sort_index(), "Who receives the offer after removing the price feature, by age band")

# %% [markdown] id="53d7a626"
# The under-35s now receive the offer at about the rate of the over-55s; the 35-54s still fall below
# four-fifths (they are over-represented among lapsed and occasional customers, a difference in behaviour
# the offer is *meant* to reflect, which the company would document as its justification). What did it cost?

# %% id="b9095e42"
truth = load_ground_truth().set_index("customer_id").loc[features.index, "segment"]  # evaluation only


def uplift_per_offer(selected: pd.Series) -> float:
    """Mean revenue of 'offer' minus 'control' customers in the spring A/B test, among the selected."""
    tested = campaign.join(selected.rename("selected"), how="inner")
    tested = tested[tested["selected"]]
    means = tested.groupby("variant", observed=True)["revenue_gbp"].mean()
    return float(means["offer"] - means["control"])


costs = pd.DataFrame(
    {
        "offers sent": [int(audit["offered"].sum()), int(audit["offered_mitigated"].sum())],
        "lowest age ratio": [by_age["ratio"].min(), by_age_mitigated["ratio"].min()],
        "ARI with planted segments": [adjusted_rand_score(truth, labels), adjusted_rand_score(truth, labels_rfm)],
        "A/B revenue uplift per offer (GBP)": [uplift_per_offer(audit["offered"]),
                                               uplift_per_offer(audit["offered_mitigated"])],
    },
    index=["original: loyal high spenders", "mitigated: top spenders, no price feature"],
)
costs.round(2)


# %% [markdown] id="f5d727b0"
# The costs are real and measurable:
# - **budget**: about twice as many offers, so twice the free-delivery cost;
# - **segment quality**: without the price feature the segments agree much less with the buying styles
#   planted in Larkspur's data (lower ARI): premium and bargain buyers are merged, and the "premium preview"
#   now reaches price-driven customers, which may not suit the message;
# - **not a full fix**: the 35-54 group is still flagged.
#
# The A/B test adds a twist (on about a thousand tested customers, so a noisy estimate): the per-offer
# revenue [uplift](../glossary.md#uplift) is not lower after the change;
# the most loyal customers buy anyway, with or without the offer (module 7 treats uplift properly). Fairness
# and profit are not always opposed, but you only know by measuring both. Other mitigations: target on an
# explicit rule (for example "ordered in the last 30 days and spent over £500 this year") that you can
# justify; change the offer so that it suits every segment; or, never to be done lightly, use the protected
# attribute to rebalance, which itself can be direct discrimination.

# %% [markdown] id="acfb1536"
# ## 5. Transparency: why did *I* get this offer?
#
# Art. 12-14 require telling people, in clear and plain language, that their data is used for profiling and
# marketing; Art. 21(2)-(3) gives them an absolute right to object to direct marketing (the CCPA adds the
# right to opt out of sale or sharing). Art. 22 restricts decisions *solely* by automated means with legal or
# similarly significant effects; a marketing offer usually falls short of that, but a plain explanation is
# good practice and builds trust. For a k-means segmentation the honest explanation is simple: *your
# numbers are closest to this group's typical numbers.*

# %% id="697a73b9"
def explain(customer_id: str) -> str:
    row = features.loc[customer_id]
    z = scaler.transform(behaviour_matrix(features.loc[[customer_id]], ALL_FEATURES))
    centre_names = pd.Series(segment.to_numpy(), index=labels.to_numpy()).groupby(level=0).first()
    distances = pd.Series(np.linalg.norm(model.cluster_centers_ - z, axis=1), index=centre_names.sort_index())
    typical = profile.loc[segment[customer_id]]
    return (
        f"You received our early-access preview because your recent shopping is most like our "
        f"'{segment[customer_id]}' group: your last order was {row['recency_days']:.0f} days ago "
        f"(typical for the group: {typical['recency_days']:.0f}), you placed {row['frequency']:.0f} orders "
        f"(typical: {typical['frequency']:.0f}), spent £{row['monetary_gbp']:,.0f} in total (typical: "
        f"£{typical['monetary_gbp']:,.0f}) at £{row['avg_item_price_gbp']:.2f} per item on average "
        f"(typical: £{typical['avg_item_price_gbp']:.2f}). The next-closest group was "
        f"'{distances.drop(segment[customer_id]).idxmin()}'. We used only your orders with us: not your "
        f"age, gender, address or income. You can object to marketing at any time (reply STOP or use the "
        f"link in your account), and ask for a copy of the data we hold about you."
    )


chosen = audit.index[audit["offered"]][0]
print(explain(chosen))

# %% [markdown] id="83f23090"
# Note what the explanation honestly leaves out: the group itself is mostly older customers. The fairness
# audit belongs in the company's own documentation, which is next.
#
# ## 6. A model card for the segmentation
#
# A *model card* (Mitchell et al., 2019) is a short document that travels with a model: what it is for,
# what it was trained on, how well it works, for whom it may fail, and what it must not be used for. For
# the data, a *datasheet* (Gebru et al., 2021) does the same. Writing it from the computed numbers keeps it
# honest and up to date.

# %% id="6bc83d48"
seeds = [fit_segments(behaviour_matrix(features, ALL_FEATURES), seed=s)[0] for s in (1, 2)]
stability = min(adjusted_rand_score(labels, other) for other in seeds)
sizes = ", ".join(f"{name} {n:,}" for name, n in segment.value_counts().items())
flags = ", ".join(f"{g} {r:.2f}" for g, r in by_age["ratio"].items())
failing = ", ".join(str(g) for g in by_age.index[by_age["flag"]]) or "no band"

card = f"""
### Model card: Larkspur customer segments (behavioural k-means), version {SNAPSHOT_DATE}

| | |
|---|---|
| **Purpose** | Group customers by buying behaviour to choose marketing messages. Lawful basis: legitimate interests (assessment on file); e-mail only to customers who did not opt out. |
| **Not for** | Pricing, credit, employment, or any decision with legal or similarly significant effect (Art. 22); sale or sharing of profiles. |
| **Data** | Larkspur order lines to {SNAPSHOT_DATE} (clean table, returns netted), {len(features):,} customers with a purchase. No demographics, no free text, no direct identifiers. Retention: 3 years of order lines (lesson 6a's rule, applied before each refit). |
| **Features** | log recency (days), log frequency (orders), log net spend (GBP), log average item price (GBP); standardised. |
| **Method** | k-means, k = 4, n_init = 4, random_state = 0 (scikit-learn). |
| **Segments** | {sizes}. |
| **Quality** | Stability across seeds: ARI >= {stability:.2f}. Agreement with the planted segments of the teaching data: ARI {adjusted_rand_score(truth, labels):.2f}. |
| **Fairness audit** | Segments are a strong proxy for age (see the age make-up figure), weak for gender. The loyal-high-spender offer has age-band selection-rate ratios {flags}: fails the four-fifths rule for {failing}. Mitigation tried: no price feature (lowest ratio {by_age_mitigated['ratio'].min():.2f}, about twice the offers). |
| **Transparency** | Customers can get a plain-language reason for an offer and object to marketing at any time (Art. 21). |
| **Owner / review** | Data team; DPO sign-off before each new campaign; re-audit every quarter and after any change of features. |
"""
display(Markdown(card))

# %% [markdown] id="08a88253"
# The card says in one screen what the segments are for, what they must not be used for, and what the
# audit found, so the next team that picks them up does not rediscover the age proxy the hard way.
#
# ## Recap
#
# - Leaving a protected attribute out of the features does **not** make segments neutral: Larkspur's
#   segments were a strong proxy for age, mostly through the average item price.
# - Audit every targeted action: selection rate per group, ratio to the most-favoured group (always group /
#   most-favoured), the four-fifths flag, and the group sizes. A flag calls for a justification, not panic.
# - A mitigation has a cost; measure it (budget, segment quality, remaining gaps, uplift) and write it down.
# - Explain an offer in plain language from the model's own numbers, and say what was not used.
# - Document the segmentation in a model card: purpose, out-of-scope uses, data, method, quality, fairness
#   audit, owner.
#
# ## To go further
#
# - GDPR Art. 5(1)(a) (fairness, transparency), Art. 12-14, 21, 22; ICO, *Guidance on AI and data protection*.
# - Equality Act 2010 (UK), sections 4-12 (protected characteristics), 13 and 19; EHRC services code of practice.
# - US Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D) (the four-fifths rule).
# - S. Barocas, M. Hardt and A. Narayanan, *Fairness and Machine Learning*, 2023 (fairmlbook.org).
# - M. Feldman et al., "Certifying and removing disparate impact", KDD 2015.
# - M. Mitchell et al., "Model cards for model reporting", FAT* 2019; T. Gebru et al., "Datasheets for
#   datasets", *Communications of the ACM*, 2021.
# - Fairlearn (fairlearn.org) for fairness metrics and mitigations on supervised models.
