# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="d9ae6f72"
# # 7a. Predict and explain segments, and find the customers at risk
#
# **What you will learn**
# - why we **predict** a [segment](../glossary.md#segment) instead of [clustering](../glossary.md#clustering) again: a new customer has no purchase history yet;
# - to train **[random forests](../glossary.md#random-forest)** and **[gradient boosting](../glossary.md#gradient-boosting)** (scikit-learn) to predict the [k-means](../glossary.md#k-means) segment from
#   what Larkspur knows in a customer's first 90 days, with a **[stratified](../glossary.md#stratified-split) split**, **[cross-validation](../glossary.md#cross-validation)**, a
#   **[confusion matrix](../glossary.md#confusion-matrix)** and **per-class [recall](../glossary.md#recall)**;
# - two classic mistakes next to the right way: predicting the segment from the very [features](../glossary.md#feature) that defined it,
#   and judging a model on its training data;
# - to **explain** the model: **[permutation importance](../glossary.md#permutation-importance)** on held-out data versus [impurity importance](../glossary.md#impurity-importance) (and why
#   the latter misleads), and a **[surrogate tree](../glossary.md#surrogate-tree)** with its **[fidelity](../glossary.md#fidelity)**;
# - to build **churn-risk segments** with a time cut-off (features before the cut, label after it), and to
#   recognise [label leakage](../glossary.md#data-leakage).
#
# **Prerequisites:** `03a-kmeans` ([scaling](../glossary.md#scaling), k-means) and `04b-profiles-personas-action` ([personas](../glossary.md#persona), surrogate
# tree). You know what a train/test split is, or will learn it here.
#
# **Time:** about 60 minutes.

# %% [markdown] id="6a7c8013"
# ## The scenario
#
# Larkspur's five segments (module 4) were found from **years** of history: [recency](../glossary.md#recency), number of orders, spend,
# basket prices, app use, returns, tenure. The marketing director now asks: *"A customer signed up last month.
# Which welcome e-mails should they get: the app deals, the premium range, the gift reminders?"* k-means cannot
# answer: this customer has one order or none, so their recency, [frequency](../glossary.md#frequency) and spend say nothing yet.
#
# What we *can* do is learn from the past. For every customer who signed up before 2025 we know two things:
# what they did in their **first 90 days**, and which segment they **ended up in**. A [classifier](../glossary.md#classification) learns the link;
# then it can guess the future segment of anyone who has just had their first 90 days.
#
# First we rebuild the [segmentation](../glossary.md#customer-segmentation) exactly as in module 4.

# %% id="0215424a"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import classification_report, confusion_matrix, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, export_text

from course_utils.action import name_personas
from course_utils.data import load_customers, load_sessions, load_transactions
from course_utils.features import customer_features
from course_utils.plotting import palette, use_course_style

use_course_style()
transactions, sessions, customers = load_transactions(), load_sessions(), load_customers()

features = customer_features(transactions, sessions, customers)
FEATURES = [
    "recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "app_share",
    "mean_page_views", "cart_adds_per_session", "return_rate", "tenure_days",
]
SKEWED = ["recency_days", "frequency", "monetary_gbp", "avg_item_price_gbp", "tenure_days"]
X_log = features[FEATURES].copy()
X_log[SKEWED] = np.log1p(X_log[SKEWED].clip(lower=0))
labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(StandardScaler().fit_transform(X_log))
# the module-4 naming rule (highest recency = "Lapsed", lowest tenure = "New customers", ...), as a function
features["persona"] = name_personas(features, labels)
features["persona"].value_counts()

# %% [markdown] id="f71ce55a"
# ## 1. What do we know about a customer in their first 90 days?
#
# For each customer we keep only the order lines and web/app sessions dated within 90 days of their sign-up,
# and summarise them: number of orders, spend, mean item price, share of orders in the app and on the
# marketplace, sessions, page views and basket adds per session. We add the **acquisition channel**, known
# at sign-up. We deliberately leave out age, gender and income band: module 6 explained why a segment must
# not become a [proxy](../glossary.md#proxy) for them, and a welcome e-mail does not need them.

# %% id="df02a544"
EARLY_DAYS = 90
signup = customers.set_index("customer_id")["signup_date"]
# .map(signup) looks up each order line's customer in `signup` (customer_id -> sign-up date)
window_end = transactions["customer_id"].map(signup) + pd.Timedelta(days=EARLY_DAYS)
early_lines = transactions[transactions["invoice_date"] < window_end]
buys = early_lines[early_lines["quantity"] > 0]
by_customer = buys.groupby("customer_id")
early = pd.DataFrame({
    "orders": by_customer["invoice"].nunique(),
    "spend_gbp": (buys["quantity"] * buys["unit_price"]).groupby(buys["customer_id"]).sum(),
    "avg_item_price_gbp": by_customer["unit_price"].mean(),
    "app_order_share": (buys["channel"] == "app").groupby(buys["customer_id"]).mean(),
    "marketplace_share": (buys["channel"] == "marketplace").groupby(buys["customer_id"]).mean(),
})
early_sessions = sessions[sessions["start_time"] < sessions["customer_id"].map(signup) + pd.Timedelta(days=EARLY_DAYS)]
by_session = early_sessions.groupby("customer_id")
web = pd.DataFrame({
    "sessions": by_session.size(),
    "mean_page_views": by_session["page_views"].mean(),
    "mean_cart_adds": by_session["cart_adds"].mean(),
})
# customers with no early order or session get 0 (how="outer" keeps both kinds, reindex adds the silent ones)
early = early.join(web, how="outer").reindex(features.index).fillna(0.0).astype(float)
channel = pd.get_dummies(customers.set_index("customer_id")["acquisition_channel"].reindex(features.index),
                         prefix="came_by", dtype=float)
early = early.join(channel)
EARLY = list(early.columns)

# Training population: customers with at least a year of history (signed up before 2025).
# The 'New customers' persona is about having just arrived; among them it is a handful, so we drop it.
old = (signup.reindex(features.index) < "2025-01-01").to_numpy() & (features["persona"] != "New customers").to_numpy()
X_early, y = early[old], features.loc[old, "persona"]
print(f"{old.sum()} customers; {(X_early['orders'] > 0).mean():.0%} ordered in their first {EARLY_DAYS} days")
y.value_counts(normalize=True).round(3)

# %% [markdown] id="2d1a0137"
# Pictures before models. Does the acquisition channel alone already hint at the segment?

# %% id="b55c4c23"
# normalize="index": each row (channel) is divided by its total, so a row is that channel's persona mix
mix = pd.crosstab(customers.set_index("customer_id")["acquisition_channel"].reindex(y.index), y, normalize="index")
fig, ax = plt.subplots(figsize=(8, 4))
left = np.zeros(len(mix))
for name, colour in zip(mix.columns, palette(len(mix.columns))):
    ax.barh(mix.index.astype(str), mix[name], left=left, color=colour, label=name)
    left += mix[name].to_numpy()
ax.set_title("Which segment customers end up in, by how they first came")
ax.set_xlabel("share of the channel's customers (0-1)")
ax.set_ylabel("acquisition channel")
ax.legend(fontsize="small", bbox_to_anchor=(1.01, 1), loc="upper left")
plt.show()

# %% [markdown] id="f50fcf13"
# **What to see:** the mix differs by channel (compare the width of each colour across the rows): the
# marketplace and paid social bring about half App bargain hunters and very few Loyal premium, while e-mail and
# referral bring the most Loyal premium (nearly 40%). But every channel brings every segment. The channel is a clue, not an answer: we need the early behaviour too.
#
# ## 2. The tempting mistake: predict the segment from the features that made it
#
# Our classifier is a **random forest**: a few hundred decision trees (the kind of tree you met as a surrogate
# in module 4), each grown on a random resample of the customers and choosing among a random subset of the
# features at each split; the forest predicts the persona most trees vote for. One deep tree memorises its
# training customers; averaging many different trees cancels much of that noise. `min_samples_leaf=3` stops
# a tree from making a rule for fewer than three customers. Later we also try **gradient boosting**, which
# grows small trees one after another, each one correcting the errors the previous ones still make.
#
# A first attempt trains a forest on the nine clustering features. Cross-validated [accuracy](../glossary.md#accuracy):

# %% id="6aefed75"
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
forest = RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=0, n_jobs=1)
wrong_scores = cross_val_score(forest, features.loc[old, FEATURES], y, cv=cv)
print(f"accuracy from the clustering features: {wrong_scores.mean():.3f}")

# %% [markdown] id="09d6b158"
# Nearly perfect, and useless. The segments *are* a function of those nine numbers (k-means drew the borders),
# so the forest only re-learns the borders. And for the customer who signed up last month, those numbers do not
# exist yet: a spend of 30 pounds after 40 days says "low spender" whatever they become. Whenever a model looks
# too good, ask: **would I have these inputs at the moment I need the prediction?**
#
# ## 3. The right way: early signals, a held-out test set, a baseline
#
# We keep 25% of the customers aside as a **[test set](../glossary.md#train-and-test-split)** and never train on it. `stratify=y` keeps the same
# share of each persona in both parts. A **[baseline](../glossary.md#baseline)** that always answers the most common persona tells us what
# "no skill" scores.

# %% id="bc0c6a77"
X_train, X_test, y_train, y_test = train_test_split(X_early, y, test_size=0.25, stratify=y, random_state=0)
baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=3, random_state=0, n_jobs=1).fit(X_train, y_train)
boosting = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, random_state=0).fit(X_train, y_train)
cv_scores = cross_val_score(
    RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=0, n_jobs=1), X_train, y_train, cv=cv
)
print(f"baseline (always the largest persona): test accuracy {baseline.score(X_test, y_test):.3f}")
print(f"random forest: 5-fold CV on the training set {cv_scores.mean():.3f} +/- {cv_scores.std():.3f}, "
      f"test {forest.score(X_test, y_test):.3f}")
print(f"gradient boosting: test {boosting.score(X_test, y_test):.3f}")
print(f"random forest on its own TRAINING customers: {forest.score(X_train, y_train):.3f}   <- the second mistake")

# %% [markdown] id="802da9df"
# Four things to read here. The baseline scores about 0.28 (four personas of similar size). The forest and the
# boosted trees both reach about 0.57-0.58 on customers they never saw: twice the baseline, far from perfect,
# and the two ensembles agree, which is reassuring. **Cross-validation** (five different splits of the
# training set) gives about the same number with a spread of a point or two: that spread is the uncertainty of
# any single split. And the forest scores much higher on its own *training* customers, because it has partly
# memorised them: **never judge a model on the data it was [fitted on](../glossary.md#fit-and-transform)**.
#
# One number hides where the model fails. The **confusion matrix** counts, for each true persona (row), which
# persona the model predicted (column); dividing each row by its total gives the **recall** on the diagonal:
# of the customers truly in a persona, the share the model finds.

# %% id="af84dfbd"
pred = forest.predict(X_test)
names = list(forest.classes_)
matrix = confusion_matrix(y_test, pred, labels=names, normalize="true")
fig, ax = plt.subplots(figsize=(6.5, 5))
image = ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
ax.grid(False)
for i in range(len(names)):
    for j in range(len(names)):
        ax.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center", color="white" if matrix[i, j] > 0.5 else "black")
ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
ax.set_yticks(range(len(names)), names)
ax.set_title("Held-out customers: true vs predicted persona")
ax.set_xlabel("predicted persona (from the first 90 days)")
ax.set_ylabel("true persona (k-means on full history)")
fig.colorbar(image, ax=ax, label="share of the row (recall on the diagonal)")
plt.show()
print(classification_report(y_test, pred, digits=3))

# %% [markdown] id="cd076b19"
# The report below the figure gives three numbers per persona. **Recall** is the share of the customers who
# really are in that persona that the model finds (the diagonal of the figure). **[Precision](../glossary.md#precision)** is the other
# direction: of the customers the model *puts* in that persona, the share who really are in it. A model that
# calls everyone "Lapsed" has a recall of 1 for Lapsed and a poor precision. The **[F1](../glossary.md#f1-score)** score is the harmonic
# mean of the two, 2 x precision x recall / (precision + recall): high only when both are. `support` is the
# number of test customers in each true persona, and `accuracy` the share of all test customers put in the
# right persona.
#
# **What to see:** the diagonal is the recall. App bargain hunters and Loyal premium are found most of the
# time: their first baskets already show it (cheap items in the app; dear items, several orders). Lapsed is
# the weakest: in their first 90 days future lapsers look like occasional buyers, and the model cannot know who
# will stop. The practical use follows: a confident "App bargain hunter" guess can pick the welcome e-mails; a
# "Lapsed" guess should not drive anything expensive.
#
# **Another leak to avoid.** If a model needs scaled inputs (a logistic regression, k-NN), fit the scaler on the
# training rows only, inside a `Pipeline`; a scaler fitted on all rows before the split has seen the test set.
# Trees do not need scaling, which is one reason they are a good default for tables like this one.
#
# ## 4. Explaining the model: which early signals matter?
#
# A forest reports an **impurity importance** (`feature_importances_`): how much each feature's splits purified
# the training data. It is computed on the *training* set and favours features with many distinct values. To see
# it mislead, we add a column of pure noise, a random number per customer, and refit.

# %% id="f92419de"
rng = np.random.default_rng(0)
X_train_noise = X_train.assign(random_noise=rng.uniform(size=len(X_train)))
X_test_noise = X_test.assign(random_noise=rng.uniform(size=len(X_test)))
forest_noise = RandomForestClassifier(n_estimators=200, min_samples_leaf=3, random_state=0, n_jobs=1)
forest_noise.fit(X_train_noise, y_train)
impurity = pd.Series(forest_noise.feature_importances_, index=X_train_noise.columns)
perm = permutation_importance(forest_noise, X_test_noise, y_test, n_repeats=5, random_state=0, n_jobs=1)
permuted = pd.Series(perm.importances_mean, index=X_train_noise.columns)
order = permuted.sort_values().index

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
axes[0].barh(order, impurity[order], color=palette(2)[0])
axes[0].set_title("Impurity (training data)")
axes[0].set_xlabel("mean decrease in impurity (share, sums to 1)")
axes[0].set_ylabel("early feature")
axes[1].barh(order, permuted[order], xerr=perm.importances_std[[list(X_test_noise.columns).index(c) for c in order]],
             color=palette(2)[1])
axes[1].set_title("Permutation (held-out data)")
axes[1].set_xlabel("drop in test accuracy when the column is shuffled")
fig.suptitle("Which early signals does the forest use?")
plt.show()

# %% [markdown] id="30d85ebb"
# **What to see:** on the left, the random noise column comes **first**, with about a quarter of the impurity
# importance: with thousands of distinct values it always offers some split that purifies the *training* data.
# On the right, shuffling it costs nothing on the test set (about 0), exactly what noise deserves. Permutation
# importance asks the question we care about: *how much worse does the model predict new customers without this
# information?* Early page views per session lead (shuffling them costs about 12 points of accuracy), then the
# mean item price, early spend, coming by paid social and the app share of orders. Several features score about
# 0: the forest can do without them. Two caveats:
# correlated features share their importance (shuffle one, the model leans on the other), and importance is
# about the model, not about cause.
#
# ### A surrogate tree: the model as three questions
#
# A forest of 200 trees is not something to show a director. A **surrogate** is a small tree trained to imitate
# the forest's *predictions* (not the truth). Its **fidelity**, the share of held-out customers on which it
# agrees with the forest, says how far to trust the simple story.

# %% id="8b2de4a0"
surrogate = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, forest.predict(X_train))
fidelity = (surrogate.predict(X_test) == forest.predict(X_test)).mean()
print(f"fidelity (agreement with the forest on held-out customers): {fidelity:.2f}")
print(f"surrogate's own accuracy against the true personas: {surrogate.score(X_test, y_test):.2f}")
print(export_text(surrogate, feature_names=EARLY, decimals=1))

# %% [markdown] id="70e94742"
# The rules read like a briefing. The first question is how many pages a customer views per session in their
# first 90 days: keen browsers become Loyal premium, or App bargain hunters when they came by paid social. Among
# the others, early buyers of cheap items lean to bargain hunters and of dearer items to Lapsed, and those with no
# early order to occasional buyers (or Loyal premium when they came by e-mail). Some splits end in the same persona on both sides (`avg_item_price_gbp <= 12.8` under the keen browsers):
# the tree split there because the *mix* of personas changed, not the majority, so read such a pair as one
# leaf. Fidelity about 0.67 means the three questions tell the forest's story for two customers in
# three, not all of it: report the fidelity with the rules, always.
#
# ## 5. Churn-risk segments: the future must stay in the future
#
# A second prediction the director wants: *who is about to leave?* "[Churn](../glossary.md#churn)" needs a definition. We pick a
# **cut-off** day, 30 June 2025. A customer who bought on or before the cut is **churned** if they buy nothing
# in the next six months (to 31 December 2025). Features must use only what was known **at the cut**.
#
# Churn is a yes/no outcome, and we care about *ranking* customers by risk, so we judge the models by the
# **[ROC AUC](../glossary.md#roc-auc)** (`roc_auc_score`): the chance that a randomly chosen customer who churned gets a higher risk score
# than a randomly chosen one who stayed. 0.5 is a coin toss, 1 a perfect ranking. Unlike accuracy it needs no
# threshold and is not flattered by the majority who stay. The risk score is `predict_proba(X)[:, 1]`: one
# column per class in the order of `model.classes_` (0, then 1), so column 1 is the predicted probability of churn.
#
# The mistake first: compute the features on the full data, at the [snapshot date](../glossary.md#snapshot-date), as in every earlier module.

# %% id="07c0801c"
CUT, END = pd.Timestamp("2025-06-30"), pd.Timestamp("2025-12-31")


def churn_labels(cut: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """1 if a customer who bought on or before `cut` buys nothing in (cut, end]."""
    purchases = transactions[transactions["quantity"] > 0]
    day = purchases["invoice_date"].dt.normalize()
    base = pd.Index(sorted(purchases.loc[day <= cut, "customer_id"].unique()), name="customer_id")
    again = purchases.loc[(day > cut) & (day <= end), "customer_id"].unique()
    return pd.Series(~base.isin(again), index=base).astype(int)


churned = churn_labels(CUT, END)
print(f"{len(churned)} customers active by the cut; {churned.mean():.1%} churned in the next six months "
      f"({(END - CUT).days} days)")

leaky = features.loc[churned.index, FEATURES]  # computed at 31 Dec 2025: AFTER the cut
Xl_train, Xl_test, yl_train, yl_test = train_test_split(leaky, churned, test_size=0.25, stratify=churned, random_state=0)
leaky_model = RandomForestClassifier(n_estimators=100, min_samples_leaf=5, random_state=0, n_jobs=1)
leaky_model.fit(Xl_train, yl_train)
print(f"ROC AUC with features from the full data: {roc_auc_score(yl_test, leaky_model.predict_proba(Xl_test)[:, 1]):.3f}")


# %% [markdown] id="7f152c32"
# An AUC of about 1: perfect. Of course: `recency_days` measured on 31 December is 184 days or more *exactly* for
# the customers who bought nothing after 30 June. The label leaked into a feature. In production, on the day you
# must act, that future is unknown.
#
# The right way computes every feature **as of the cut** (`snapshot_date=CUT`, and only sessions before it), and
# validates **[out of time](../glossary.md#out-of-time-validation)**: train on an earlier cut (31 December 2024, label from the first half of 2025), test on
# the later one. That is exactly how the model will be used: fitted on the past, applied to the next period.

# %% id="cb95d29f"
def churn_features(cut: pd.Timestamp) -> pd.DataFrame:
    """Customer features as they were known at the end of `cut` (no later lines, no later sessions)."""
    sessions_before = sessions[sessions["start_time"].dt.normalize() <= cut]
    table = customer_features(transactions, sessions_before, customers, snapshot_date=cut)
    return table[FEATURES]


EARLIER = pd.Timestamp("2024-12-31")
train_X, train_y = churn_features(EARLIER), churn_labels(EARLIER, CUT)
test_X, test_y = churn_features(CUT), churned
train_X = train_X.loc[train_y.index]
test_X = test_X.loc[test_y.index]

churn_model = RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=0, n_jobs=1)
churn_model.fit(train_X, train_y)
risk = pd.Series(churn_model.predict_proba(test_X)[:, 1], index=test_X.index)
print(f"out-of-time ROC AUC (train on the 2024 cut, test on the 2025 cut): {roc_auc_score(test_y, risk):.3f}")

r_train, r_test, ry_train, ry_test = train_test_split(test_X, test_y, test_size=0.25, stratify=test_y, random_state=0)
random_split = RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=0, n_jobs=1)
random_split.fit(r_train, ry_train)
print(f"random split within the 2025 cut: {roc_auc_score(ry_test, random_split.predict_proba(r_test)[:, 1]):.3f}")

# %% [markdown] id="74079e9e"
# An AUC of about 0.96 is high but honest: recency *at the cut* is a strong, legitimate signal (a customer who
# has been silent for a year rarely comes back). The random split within one cut says about 0.98: a little
# optimistic, because it tests on customers from the same period as the training ones and never checks that what
# was learnt in one period holds in the next (seasons, prices, new campaigns change). When features and labels
# come from time, split by time, and report the out-of-time number.
#
# A score is not yet an action. We cut the risk into three bands and cross them with the personas: the cells
# that are both valuable and at risk are the retention list. Careful: the personas of section 1 were found on
# the full history, to 31 December, so there "Lapsed" partly *means* "bought nothing after June", the very
# label we predict. On 30 June we only know the personas **as of the cut**: the same recipe (log, scale,
# k-means, naming rule) applied to the features at the cut.

# %% id="d0e44037"
band = pd.cut(risk, [0, 0.3, 0.6, 1], labels=["low", "medium", "high"], include_lowest=True).rename("risk band")
observed = 100 * test_y.groupby(band, observed=True).mean()
fig, ax = plt.subplots(figsize=(7, 4))
bars = ax.bar(observed.index.astype(str), observed.to_numpy(), color=palette(3))
ax.bar_label(bars, fmt="%.1f%%", padding=2)  # write each bar's value on top of it
ax.set_title("Predicted risk vs churn that really happened")
ax.set_xlabel("predicted churn-risk band (probability <0.3, 0.3-0.6, >0.6)")
ax.set_ylabel("customers who churned in H2 2025 (%)")
ax.set_ylim(0, 100)
plt.show()
print("churn observed in each band (%):", observed.round(1).to_dict())

# personas as of the cut (not the full-history ones: those would leak the outcome)
X_cut = test_X.copy()
X_cut[SKEWED] = np.log1p(X_cut[SKEWED].clip(lower=0))
cut_labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(StandardScaler().fit_transform(X_cut))
persona_at_cut = name_personas(test_X, cut_labels)
pd.crosstab(persona_at_cut, band, margins=True)

# %% [markdown] id="0b6f722e"
# **What to see:** the observed churn climbs from under 1% in the low band to about 9% in the medium band and
# about 72% in the high band, so the score ranks customers usefully. The table says who to call first. Nearly
# every customer already Lapsed at the cut is high risk (955 of 1,000): they had been silent for a long time; a
# cheap win-back e-mail is the most they justify. The hundred or so Loyal premium customers in the medium and
# high bands are the valuable retention list: a personal offer is worth it there. Occasional buyers are the
# second group of the high band (about 500): the next campaign's target.

# %% [markdown] id="409a1336"
# ## Recap
#
# - Predict a segment when the inputs that define it are not available yet: a new customer's first 90 days
#   recover the future persona about 57% of the time against a 28% baseline; honest, and useful for some
#   personas more than others.
# - **Mistakes shown:** predicting the segment from its own defining features (0.97, and useless);
#   accuracy on the training set (0.71 against 0.57 held out); a scaler fitted before the split; churn features
#   computed after the cut-off (AUC 1.0, pure leakage, against an honest out-of-time 0.96).
# - **Right way:** stratified train/test split, cross-validation for the spread, a baseline, the confusion
#   matrix and per-class recall, and out-of-time validation when time is involved.
# - **Explain** with permutation importance on held-out data (impurity importance rewarded pure noise), and a
#   surrogate tree reported with its fidelity.
# - **Churn-risk segments** = risk band x persona (the persona as known at the cut, not from the full history):
#   a retention list with a reason.
#
# ## To go further
#
# - scikit-learn user guide: "Ensembles: gradient boosting, random forests", "Permutation feature importance",
#   "Cross-validation: evaluating estimator performance", "Common pitfalls and recommended practices" (data
#   leakage).
# - Strobl, Boulesteix, Zeileis & Hothorn (2007), *Bias in random forest variable importance measures*, BMC
#   Bioinformatics 8:25 (why impurity importance favours features with many values).
# - Molnar, *Interpretable Machine Learning* (online book): permutation importance, global surrogates, SHAP.
# - Kaufman, Rosset & Perlich (2012), *Leakage in data mining*, ACM TKDD 6(4).
# - Survival analysis (the `lifetimes` package used in module 2's CDNOW lab, or `lifelines`) models *when* a
#   customer leaves, not just whether.
