# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="161205c9" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 5: what customers write (NLP with NLTK)
#
# Six short coding questions and one written answer (about 50 minutes). They practise what the
# lessons `lessons/05-nlp/05a-text-to-features` and `05b-sentiment-topics-segments` showed:
# cleaning tokens without losing negations, reading VADER's compound score, checking VADER against
# real labels, fitting TF-IDF without leaking the test set, turning reviews into one row per
# customer, and clustering customers by what they write.
#
# **How to work:** run the set-up cell first, then for each question write your answer in the cell
# marked `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell
# under it. It says **Correct**, **Incorrect** with what is wrong, or that you have not answered yet.
# Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.
#
# Everything runs offline: the course prepares NLTK's data for you (`course_utils.nlp`), so no
# download is ever needed.

# %% id="46bbdbb2" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from course_utils.data import load_fine_food_reviews, load_reviews
from course_utils.nlp import stop_words, tokenize, vader
from course_utils.questions.m05_nlp import q1, q2, q3, q4, q5, q6

reviews = load_reviews()  # Larkspur & Co's customer reviews (synthetic)
food = load_fine_food_reviews()  # 5,000 real Amazon Fine Food reviews, score great/other
sia = vader()  # NLTK's VADER sentiment analyser, ready offline
print(f"{len(reviews):,} Larkspur reviews, {len(food):,} Fine Food reviews")
reviews.head(3)

# %% [markdown] id="ad6cea68" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: tokens that keep their meaning (2 points)
#
# Write a function `clean_tokens(text)` that returns the **list** of tokens of one review:
# lower-cased, words only (no punctuation), with stop words removed, **but negations kept**, so that
# `"This is NOT worth the price."` becomes something like `['not', 'worth', 'price']`.
#
# You may use `tokenize` and `stop_words` from `course_utils.nlp` (imported above).

# %% id="e6c6b821" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
STOPS = stop_words(keep_negations=True)


def clean_tokens(text):
    return [token for token in tokenize(text.lower()) if token not in STOPS]
### END SOLUTION

print(clean_tokens("This is NOT worth the price."))

# %% id="685c9084" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q1.check()
### BEGIN HIDDEN TESTS
_sample = reviews["text"].head(300)
_out = [clean_tokens(t) for t in _sample]
assert all(type(o) is list for o in _out)
_negated = [o for t, o in zip(_sample, _out) if " not " in f" {t.lower()} "]
assert _negated, "the sample should contain reviews with 'not'"
assert all("not" in o for o in _negated), "a review with 'not' lost it"
assert not any({"the", "and", "is"} & set(o) for o in _out)
assert "never" in clean_tokens("Never received my refund.")
### END HIDDEN TESTS

# %% id="6ce4b602"
# q1.hint()
# q1.solution()

# %% [markdown] id="ad599fb8" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: from a compound score to a label (2 points)
#
# VADER's `compound` score runs from -1 (very negative) to +1 (very positive). Write a function
# `to_label(compound)` that returns `"positive"`, `"negative"` or `"neutral"` (exactly these words, in lower
# case: question 3 builds on them) with the thresholds
# VADER's authors recommend: positive from **+0.05**, negative from **-0.05**, neutral in between.

# %% id="da520351" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
def to_label(compound):
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"
### END SOLUTION


for example in ["Lovely gift, she loved it.", "Not worth the price.", "Arrived on Tuesday."]:
    score = sia.polarity_scores(example)["compound"]
    print(f"{score:+.3f}  {to_label(score):8}  {example}")

# %% id="e7f6fb25" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
assert to_label(0.95) == "positive" and to_label(-0.95) == "negative" and to_label(0.0) == "neutral"
assert to_label(0.05) == "positive" and to_label(-0.05) == "negative"
for _text in reviews["text"].head(50):
    _c = sia.polarity_scores(_text)["compound"]
    _want = "positive" if _c >= 0.05 else ("negative" if _c <= -0.05 else "neutral")
    assert to_label(_c) == _want, _text  # exactly as the task spells it
### END HIDDEN TESTS

# %% id="604e3dfd"
# q2.hint()
# q2.solution()

# %% [markdown] id="097dc7ea" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: does VADER agree with real customers? (2 points)
#
# The Fine Food reviews in `food` have a `score`: `"great"` (5 stars) or `"other"`, and a `split`
# column (`"train"` or `"test"`). On the **test** split only, predict `"great"` when
# `to_label(compound)` is `"positive"` and `"other"` otherwise, and store the **accuracy** (the share
# of test reviews predicted right, a number between 0 and 1, to three decimals or more) in `food_accuracy`.
#
# Then compare it, in the cell after the check, with the accuracy of always answering `"great"`.

# %% id="3d7a8aba" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
test = food[food["split"] == "test"]
compound = [sia.polarity_scores(text)["compound"] for text in test["review"]]
predicted = np.where([to_label(c) == "positive" for c in compound], "great", "other")
food_accuracy = float((predicted == test["score"].astype(str)).mean())
### END SOLUTION
print(f"VADER accuracy on the test reviews: {food_accuracy:.3f}")

# %% id="920fe029" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
assert isinstance(food_accuracy, float) and 0.5 < food_accuracy < 0.95
_t = food[food["split"] == "test"]
_p = np.array(["great" if sia.polarity_scores(r)["compound"] >= 0.05 else "other" for r in _t["review"]])
assert abs(food_accuracy - float((_p == _t["score"].astype(str).to_numpy()).mean())) <= 0.0005 + 1e-9  # three decimals
### END HIDDEN TESTS

# %% id="669964de"
# q3.hint()
# q3.solution()

# %% id="7cfbd25b"
if "food_accuracy" not in globals():
    print("Answer question 3 first: this cell compares your food_accuracy with always answering 'great'.")
else:
    baseline = float((food.loc[food["split"] == "test", "score"] == "great").mean())
    print(f"always 'great': {baseline:.3f}   VADER: {food_accuracy:.3f}")

# %% [markdown] id="c11c39b3" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: TF-IDF without peeking at the test set (2 points)
#
# Build a `TfidfVectorizer` (for example `TfidfVectorizer(min_df=5)`), **fit it** so that it can be
# used to turn the Fine Food test reviews into features later, and store the fitted vectorizer in
# `tfidf`. Also make `X_train` and `X_test`, the TF-IDF matrices of the train and test reviews.

# %% id="b1fe31f8" nbgrader={"grade": false, "grade_id": "q4-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
train = food[food["split"] == "train"]
tfidf = TfidfVectorizer(min_df=5)
X_train = tfidf.fit_transform(train["review"])
X_test = tfidf.transform(food.loc[food["split"] == "test", "review"])
### END SOLUTION
print(f"X_train {X_train.shape}, X_test {X_test.shape}")

# %% id="9a4acc1d" nbgrader={"grade": true, "grade_id": "q4-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q4.check()
### BEGIN HIDDEN TESTS
_an = tfidf.build_analyzer()
_train_words = set().union(*(_an(t) for t in food.loc[food["split"] == "train", "review"]))
assert set(tfidf.vocabulary_) <= _train_words, "the vocabulary must come from the training reviews"
assert len(tfidf.vocabulary_) > 1000
assert len(set(np.round(tfidf.idf_, 6))) > 10, "idf must differ between rare and common words"
_n_test = int((food["split"] == "test").sum())
assert X_test.shape == (_n_test, len(tfidf.vocabulary_)), "X_test must come from tfidf.transform"
assert X_train.shape == (len(food) - _n_test, len(tfidf.vocabulary_))
### END HIDDEN TESTS

# %% id="a6e7b635"
# q4.hint()
# q4.solution()

# %% [markdown] id="1fc2c038" nbgrader={"grade": false, "grade_id": "q5-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 5: one row per customer (2 points)
#
# To cluster *customers* by what they write, each customer needs one row. From Larkspur's
# `reviews`, build a DataFrame `customer_text`, indexed by `customer_id`, with three columns:
#
# - `n_reviews`: how many reviews the customer wrote;
# - `sentiment`: the **mean** VADER compound score of their reviews;
# - `mean_words`: the mean number of tokens per review (use `tokenize`).

# %% id="0174cad4" nbgrader={"grade": false, "grade_id": "q5-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
per_review = reviews.assign(
    compound=[sia.polarity_scores(t)["compound"] for t in reviews["text"]],
    n_words=[len(tokenize(t)) for t in reviews["text"]],
)
customer_text = per_review.groupby("customer_id").agg(
    n_reviews=("compound", "size"), sentiment=("compound", "mean"), mean_words=("n_words", "mean")
)
### END SOLUTION
customer_text.describe().round(2)

# %% id="b00a8742" nbgrader={"grade": true, "grade_id": "q5-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q5.check()
### BEGIN HIDDEN TESTS
_ct = customer_text.set_index("customer_id") if "customer_id" in customer_text.columns else customer_text
assert _ct.index.is_unique and len(_ct) == reviews["customer_id"].nunique()
assert _ct["n_reviews"].sum() == len(reviews)
assert _ct["sentiment"].between(-1, 1).all()
_one = reviews["customer_id"].value_counts().idxmax()
_mine = reviews.loc[reviews["customer_id"] == _one, "text"]
assert abs(_ct.loc[_one, "sentiment"] - np.mean([sia.polarity_scores(t)["compound"] for t in _mine])) < 0.02
### END HIDDEN TESTS

# %% id="3cfb29db"
# q5.hint()
# q5.solution()

# %% [markdown] id="a2a3cc4f" nbgrader={"grade": false, "grade_id": "q6-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 6: segment customers by what they write (2 points)
#
# The set-up cell below gives `features`: one row per customer who wrote a review, with the mean
# share of each review topic (found with TF-IDF and NMF as in lesson 05b), the mean `sentiment` and
# `mean_words`. Cluster the customers into **5** segments with
# `KMeans(n_clusters=5, n_init=10, random_state=0)`, on features prepared the right way for
# k-means, and store the labels in `text_segments`: a pandas Series indexed by `customer_id`.

# %% id="e413eb5f" nbgrader={"grade": false, "grade_id": "q6-setup", "locked": true, "schema_version": 3, "solution": false}
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from course_utils.questions.m05_nlp import customer_text_features

features = customer_text_features()
features.describe().round(2)

# %% id="b2b0bdee" nbgrader={"grade": false, "grade_id": "q6-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
Z = StandardScaler().fit_transform(features)
labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(Z)
text_segments = pd.Series(labels, index=features.index, name="segment")
### END SOLUTION
features.groupby(text_segments).mean().round(2)

# %% id="78aeced4" nbgrader={"grade": true, "grade_id": "q6-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q6.check()
### BEGIN HIDDEN TESTS
from sklearn.metrics import adjusted_rand_score as _ari

assert isinstance(text_segments, pd.Series) and set(text_segments.index) == set(features.index)
_ref = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(StandardScaler().fit_transform(features))
assert _ari(_ref, text_segments.loc[features.index].to_numpy()) > 0.8
assert text_segments.nunique() == 5
### END HIDDEN TESTS

# %% id="f1a1fe23"
# q6.hint()
# q6.solution()

# %% [markdown] id="c5540911"
# How close are these text segments to the segments planted in Larkspur's data (known only because
# the data are synthetic)? The adjusted Rand index says it whatever the label numbers. Compare it
# with the lesson's result, where joining the text with behaviour (RFM) did better.

# %% id="0479ba44"
from sklearn.metrics import adjusted_rand_score

from course_utils.data import load_ground_truth

if "text_segments" not in globals():
    print("Answer question 6 first: this cell compares your text_segments with the planted segments.")
else:
    planted = load_ground_truth().set_index("customer_id")["segment"].loc[text_segments.index]
    print(f"ARI, text segments vs planted segments: {adjusted_rand_score(planted, text_segments):.2f}")
    display(pd.crosstab(planted, text_segments, rownames=["planted segment"], colnames=["text segment"]))

# %% [markdown] id="5b63740d" nbgrader={"grade": false, "grade_id": "q7-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 7: from words to a decision (written, 3 points, graded by your instructor)
#
# In 100-180 words, for Larkspur's marketing director:
#
# 1. Name **two** segments of customers that their reviews can reveal (use the profiles of your
#    `text_segments` from question 6, or the lesson's) and propose **one action** for each.
# 2. Give **one** kind of review VADER misreads (with an example sentence) and say what it would
#    do to a segmentation built on sentiment.
# 3. About 1% of reviews contain a phone number, an e-mail or a name. Say what must happen to them
#    before the analysis, and why.

# %% [markdown] id="3cf0b590" nbgrader={"grade": true, "grade_id": "q7-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# One point per part.
# 1. Two segments grounded in the review topics, each with a concrete, different action, e.g.
#    *"quality and service seekers"* (write about craftsmanship, packaging, service: premium range,
#    early access, no discounts needed) and *"price-sensitive bargain hunters"* (write about sales,
#    discount codes, value: price alerts and bundles). Gift buyers (gift-wrap reminders before
#    Christmas) or unhappy delivery complainers (service recovery) are also fine.
# 2. A real failure mode with an example: sarcasm ("Great, it broke on day two"), domain words VADER
#    does not know or reads wrongly ("cheap" can be praise for a bargain hunter, "sweet" for food,
#    "the price went up"), mixed reviews ("great quality but late"), or mild negative facts with no
#    sentiment words ("Wrong item delivered, had to send it back" scores near 0). Consequence: unhappy
#    customers are placed with satisfied ones (or the reverse), so actions (win-back, service
#    recovery) miss them; sentiment should be validated against ratings before use.
# 3. Detect and mask (or remove) the personal data before analysis, e.g. replace by [EMAIL], [PHONE],
#    [NAME]: data minimisation (GDPR Art. 5(1)(c)): the analysis does not need them, the texts may be
#    shared with colleagues, shown in slides or printed in a notebook; names cannot be found by a pattern,
#    so use the customer table's names. Deleting whole reviews is acceptable if justified.
# === END MARK SCHEME ===
