"""Known-wrong answers for assignment 05-nlp: the real mistakes students make with text."""

import functools
import re

import numpy as np
import pandas as pd
from nltk.tokenize import TreebankWordTokenizer
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import StandardScaler

from course_utils.exercise import Given
from course_utils.nlp import stop_words, tokenize, vader
from course_utils.questions.m05_nlp import (
    _food,
    _reviews,
    customer_text_features,
    customer_text_reference,
    food_accuracies,
)

_KEEP = stop_words(keep_negations=True)
_ALL = stop_words(keep_negations=False)


@functools.lru_cache(maxsize=1)
def _sia():
    return vader()


def _right_tokens(text):
    return [t for t in tokenize(text) if t not in _KEEP]


def _treebank_tokens(text):
    # another tokenizer ("did", "n't", punctuation dropped): must pass too, checks compare sets
    words = TreebankWordTokenizer().tokenize(text.lower())
    return [w for w in words if re.search(r"[a-z]", w) and w not in _KEEP]


def _sklearn_list_minus_negations(text):
    stops = set(ENGLISH_STOP_WORDS) - {"not", "no", "never", "nor"}
    return [t for t in re.findall(r"[a-z']+", text.lower()) if t not in stops]


def _label(c):
    return "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"


@functools.cache
def _food_compounds():
    sia = _sia()
    return tuple(sia.polarity_scores(t)["compound"] for t in _food()["review"])


def _food_acc(split=("test",), flip=False):
    food = _food().assign(compound=_food_compounds())
    part = food[food["split"].isin(split)]
    pred = np.array(["great" if _label(c) == "positive" else "other" for c in part["compound"]])
    if flip:
        pred = np.where(pred == "great", "other", "great")
    return float((pred == part["score"].astype(str).to_numpy()).mean())


def _train_text():
    food = _food()
    return food.loc[food["split"] == "train", "review"]


def _test_text():
    food = _food()
    return food.loc[food["split"] == "test", "review"]


@functools.lru_cache(maxsize=1)
def _per_review_cached():
    reviews = _reviews()
    sia = _sia()
    return reviews.assign(
        compound=[sia.polarity_scores(t)["compound"] for t in reviews["text"]],
        n_words=[len(tokenize(t)) for t in reviews["text"]],
    )


def _per_review():
    return _per_review_cached().copy()


def _agg(**spec):
    return lambda: _per_review().groupby("customer_id").agg(**spec)


def _with_matrices(test_vectorizer=None, swap=False):
    tfidf = TfidfVectorizer(min_df=5).fit(_train_text())
    X_train, X_test = tfidf.transform(_train_text()), (test_vectorizer or tfidf).transform(_test_text())
    if swap:
        X_train, X_test = X_test, X_train
    return Given(tfidf, X_train=X_train, X_test=X_test)


RIGHT = {
    "q1": [lambda: _right_tokens, lambda: _treebank_tokens, lambda: _sklearn_list_minus_negations],
    "q2": [
        lambda: _label,
        lambda: lambda c: "neutral" if -0.05 < c < 0.05 else ("positive" if c > 0 else "negative"),
    ],
    "q3": [lambda: _food_acc(), lambda: np.float64(_food_acc())],
    "q4": [
        lambda: TfidfVectorizer(min_df=5).fit(_train_text()),
        lambda: TfidfVectorizer(stop_words="english", sublinear_tf=True),  # replaced below by a fitted one
    ],
    "q5": [
        customer_text_reference,
        # count instead of size, columns in another order, rows shuffled
        lambda: (
            _per_review()
            .groupby("customer_id")
            .agg(mean_words=("n_words", "mean"), sentiment=("compound", "mean"), n_reviews=("compound", "count"))
            .sample(frac=1, random_state=0)
        ),
    ],
}


def _segments(k=5, scale=True, permute=False):
    features = customer_text_features()
    Z = StandardScaler().fit_transform(features) if scale else features.to_numpy()
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(Z)
    if permute:  # the same partition with other label numbers must pass
        labels = (labels + 2) % k
    return pd.Series(labels, index=features.index, name="segment")


RIGHT["q6"] = [
    _segments,
    lambda: _segments(permute=True),
    lambda: _segments().astype(str).sample(frac=1, random_state=0),  # shuffled rows, text labels
]

# a vectorizer with other settings, fitted on the training text, is right too
RIGHT["q4"][1] = lambda: TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(_train_text())
RIGHT["q4"].append(_with_matrices)

WRONG = [
    # q1: the published stop-word list deletes the negations
    ("q1", lambda: lambda text: [t for t in tokenize(text) if t not in _ALL], "deletes negations"),
    (
        "q1",
        lambda: lambda text: [t for t in re.findall(r"[a-z']+", text.lower()) if t not in ENGLISH_STOP_WORDS],
        "deletes negations",
    ),
    # q1: no lower-casing, punctuation kept, stop words kept, a string returned, not a function
    ("q1", lambda: lambda text: [t for t in tokenize(text, lower=False) if t.lower() not in _KEEP], "lower-case"),
    (
        "q1",
        lambda: lambda text: [t for t in TreebankWordTokenizer().tokenize(text.lower()) if t not in _KEEP],
        "punctuation",
    ),
    ("q1", lambda: tokenize, "stop words"),
    # q1 (trial T1): str.split() keeps the full stop on 'price.'
    ("q1", lambda: lambda t: [w for w in t.lower().split() if w not in stop_words()], "still carries punctuation"),
    ("q1", lambda: lambda text: " ".join(_right_tokens(text)), "list"),
    ("q1", lambda: lambda text: set(_right_tokens(text)), "list"),
    ("q1", ["not", "worth", "price"], "should be a function"),
    ("q1", lambda: lambda text: 1 / 0, "ZeroDivisionError"),
    # q2: thresholds inverted, no neutral band, band too wide, numbers instead of labels
    ("q2", lambda: lambda c: "negative" if c >= 0.05 else "positive" if c <= -0.05 else "neutral", "inverted"),
    ("q2", lambda: lambda c: "positive" if c > 0 else "negative", "neutral band"),
    ("q2", lambda: lambda c: "positive" if c >= 0.5 else "negative" if c <= -0.5 else "neutral", "too wide"),
    ("q2", lambda: lambda c: 1 if c >= 0.05 else -1 if c <= -0.05 else 0, "text label"),
    ("q2", lambda: lambda c: "pos" if c >= 0.05 else "neg" if c <= -0.05 else "neu", "exactly"),
    ("q2", "positive", "should be a function"),
    # q2: the task's spelling is 'positive'; 'Positive' breaks question 3 (issue 13)
    (
        "q2",
        lambda: lambda c: "Positive" if c >= 0.05 else ("Negative" if c <= -0.05 else "Neutral"),
        "exactly as the task",
    ),
    # q2: 'from +0.05' includes 0.05
    ("q2", lambda: lambda c: "positive" if c > 0.05 else ("negative" if c < -0.05 else "neutral"), "includes 0.05"),
    # q3: the official recipe run with q2's 'Positive' labels scores the share of 'other': blame question 2
    (
        "q3",
        lambda: Given(food_accuracies()["none_great"], to_label=lambda c: "Positive" if c >= 0.05 else "Neutral"),
        "question 2",
    ),
    ("q3", lambda: food_accuracies()["none_great"], "never says 'great'"),
    # q3: inverted labels, a percentage, the train split, all rows, always "great", a column
    ("q3", lambda: _food_acc(flip=True), "inverted"),
    ("q3", lambda: 100 * _food_acc(), "percentage"),
    ("q3", lambda: _food_acc(split=("train",)), "*train* split"),
    ("q3", lambda: _food_acc(split=("train", "test")), "all 5,000"),
    ("q3", lambda: food_accuracies()["all_great"], "every review"),
    ("q3", lambda: pd.Series([True, False, True]), "one number"),
    ("q3", "0.73", "number"),
    # q4: TF-IDF fitted per document, on the test text, on everything; not fitted; the matrix
    ("q4", lambda: [TfidfVectorizer().fit([t]) for t in _train_text().iloc[:5]], "per review"),
    ("q4", lambda: TfidfVectorizer().fit(_train_text().iloc[:1]), "fitted per document"),
    ("q4", lambda: TfidfVectorizer(min_df=5).fit(_test_text()), "on the test reviews"),
    ("q4", lambda: TfidfVectorizer(min_df=2).fit(pd.concat([_train_text(), _test_text()])), "test ones included"),
    ("q4", lambda: TfidfVectorizer(min_df=5), "not fitted"),
    ("q4", lambda: TfidfVectorizer(min_df=5).fit_transform(_train_text()), "not the matrix"),
    ("q4", lambda: TfidfVectorizer(min_df=5).fit(_train_text().iloc[:2000]), "subset"),
    # q4: right tfidf, but X_test from a second vectorizer fitted on the test text (issue 13)
    ("q4", lambda: _with_matrices(test_vectorizer=TfidfVectorizer(min_df=5).fit(_test_text())), "another vectorizer"),
    ("q4", lambda: _with_matrices(swap=True), "rows"),
    # q5: one row per review, sums instead of means, the 'pos' part, a Series, missing columns
    (
        "q5",
        lambda: (
            _per_review()
            .set_index("customer_id")[["compound", "n_words"]]
            .rename(columns={"compound": "sentiment", "n_words": "mean_words"})
            .assign(n_reviews=1)
        ),
        "one per *review*",
    ),
    (
        "q5",
        _agg(n_reviews=("compound", "size"), sentiment=("compound", "sum"), mean_words=("n_words", "mean")),
        "summed",
    ),
    (
        "q5",
        _agg(n_reviews=("compound", "size"), sentiment=("compound", "mean"), mean_words=("n_words", "sum")),
        "*total*",
    ),
    (
        "q5",
        _agg(n_reviews=("compound", "size"), sentiment=("rating", "mean"), mean_words=("n_words", "mean")),
        "star rating",
    ),
    (
        "q5",
        lambda: (
            _per_review()
            .assign(pos=lambda d: [_sia().polarity_scores(t)["pos"] for t in d["text"]])
            .groupby("customer_id")
            .agg(n_reviews=("pos", "size"), sentiment=("pos", "mean"), mean_words=("n_words", "mean"))
        ),
        "not the 'pos'",
    ),
    (
        "q5",
        _agg(
            n_reviews=("compound", "size"),
            sentiment=("compound", "mean"),
            mean_words=("text", lambda s: s.str.len().mean()),
        ),
        "characters",
    ),
    ("q5", lambda: _per_review().groupby("customer_id")["compound"].mean(), "not a single Series"),
    ("q5", _agg(n=("compound", "size"), sentiment=("compound", "mean")), "no column"),
    ("q5", lambda: customer_text_reference().reset_index(), "indexed"),
    # q5: str.split instead of tokenize (the task says "use tokenize")
    (
        "q5",
        lambda: (
            _reviews()
            .assign(
                compound=lambda d: [_sia().polarity_scores(t)["compound"] for t in d["text"]],
                n_words=lambda d: d["text"].str.split().str.len(),
            )
            .groupby("customer_id")
            .agg(n_reviews=("compound", "count"), sentiment=("compound", "mean"), mean_words=("n_words", "mean"))
        ),
        "tokenize",
    ),
    # q6: unscaled features, one label per review, a bare array, a table, the wrong k
    ("q6", lambda: _segments(scale=False), "unscaled"),
    # q6 (trial T1): mean_words dropped before clustering
    (
        "q6",
        lambda: pd.Series(
            KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
                StandardScaler().fit_transform(customer_text_features().drop(columns="mean_words"))
            ),
            index=customer_text_features().index,
        ),
        "without the column mean_words",
    ),
    ("q6", lambda: pd.Series(np.arange(len(_reviews())) % 5, index=_reviews()["review_id"]), "per *review*"),
    ("q6", lambda: _segments().to_numpy(), "bare array"),
    ("q6", lambda: _segments().to_numpy()[:100], "100 labels"),
    ("q6", lambda: _segments().to_frame(), "not a whole table"),
    ("q6", lambda: _segments(k=4), "4 different labels"),
    ("q6", lambda: _segments().iloc[:500], "one label for each"),
    (
        "q6",
        lambda: pd.Series(np.arange(len(customer_text_features())) % 5, index=customer_text_features().index),
        "agree poorly",
    ),
]
