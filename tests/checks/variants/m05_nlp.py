"""Answer variants for assignment 05-nlp, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
from nltk.tokenize import RegexpTokenizer
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from course_utils.exercise import Given
from course_utils.nlp import stop_words, tokenize, vader
from course_utils.questions.m05_nlp import _food, _reviews, customer_text_features, customer_text_reference
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    as_numpy,
    as_tuple,
    dropped_row,
    perturbed,
    reindexed,
    renamed,
    rounded,
    shuffled,
    wrong_dtype,
)

_KEEP = stop_words(keep_negations=True)


def _clean(text: str) -> list[str]:
    return [t for t in tokenize(text.lower()) if t not in _KEEP]


def _regexp(text: str) -> list[str]:
    """Written differently: NLTK's RegexpTokenizer, a loop."""
    out = []
    for word in RegexpTokenizer(r"[a-z']+").tokenize(text.lower()):
        if word.strip("'") and word not in _KEEP:
            out.append(word.strip("'"))
    return out


def _label(c: float) -> str:
    return "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"


def _label_with(**spell: str):
    return lambda c: spell.get(_label(c), _label(c))


@functools.lru_cache(maxsize=1)
def _compounds() -> tuple[float, ...]:
    sia = vader()
    return tuple(sia.polarity_scores(t)["compound"] for t in _food()["review"])


def _accuracy(split: str = "test", label=_label) -> float:
    food = _food().assign(compound=_compounds())
    part = food[food["split"] == split]
    pred = np.where([label(c) == "positive" for c in part["compound"]], "great", "other")
    return float((pred == part["score"].astype(str).to_numpy()).mean())


def _text(split: str) -> pd.Series:
    food = _food()
    return food.loc[food["split"] == split, "review"]


def _given(vectorizer=None, train=None, test=None) -> Given:
    tfidf = vectorizer or TfidfVectorizer(min_df=5).fit(_text("train"))
    X_train = tfidf.transform(_text("train")) if train is None else train(tfidf)
    X_test = tfidf.transform(_text("test")) if test is None else test(tfidf)
    return Given(tfidf, X_train=X_train, X_test=X_test)


@functools.lru_cache(maxsize=1)
def _per_review() -> pd.DataFrame:
    reviews = _reviews()
    sia = vader()
    return reviews.assign(
        compound=[sia.polarity_scores(t)["compound"] for t in reviews["text"]],
        n_words=[len(tokenize(t)) for t in reviews["text"]],
    )


def _customer_text() -> pd.DataFrame:
    return customer_text_reference().copy()


def _segments(scale=StandardScaler) -> pd.Series:
    features = customer_text_features()
    Z = scale().fit_transform(features) if scale else features.to_numpy()
    return pd.Series(KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(Z), index=features.index)


VARIANTS = {
    "q1": [
        Right("RegexpTokenizer and a loop", lambda: _regexp),
        Right("a set of stop words built inline", lambda: lambda t: [w for w in tokenize(t) if w not in set(_KEEP)]),
        Wrong("type", "should be a function", lambda: _clean("This is NOT worth the price.")),
        Wrong("returns", "one string", lambda: lambda t: " ".join(_clean(t))),
        Wrong("returns", "should return a list", lambda: lambda t: as_tuple(_clean(t))),
        Wrong("returns", "should return a list", lambda: lambda t: set(_clean(t))),
        Wrong("lower", "lower-case", lambda: lambda t: [w for w in tokenize(t, lower=False) if w.lower() not in _KEEP]),
        Wrong(
            "words",
            "punctuation",
            lambda: lambda t: [w for w in re.findall(r"\w+|[^\w\s]", t.lower()) if w not in _KEEP],
        ),
        Wrong("words", "still carries punctuation", lambda: lambda t: [w for w in t.lower().split() if w not in _KEEP]),
        Wrong("stop_words", "stop words", lambda: lambda t: tokenize(t.lower())),
        Wrong(
            "negations",
            "deletes negations",
            lambda: lambda t: [w for w in tokenize(t) if w not in stop_words(keep_negations=False)],
        ),
        Wrong("content", "'price', should stay", lambda: lambda t: [w for w in _clean(t) if w != "price"]),
        Wrong("content", "lost the word 'refund'", lambda: lambda t: [w for w in _clean(t) if w != "refund"]),
    ],
    "q2": [
        Right(
            "chained comparison",
            lambda: lambda c: "neutral" if -0.05 < c < 0.05 else ("positive" if c > 0 else "negative"),
        ),
        Right(
            "a dict lookup", lambda: lambda c: {1: "positive", -1: "negative", 0: "neutral"}[(c >= 0.05) - (c <= -0.05)]
        ),
        Wrong("type", "should be a function", lambda: "positive"),
        Wrong("returns", "text label", lambda: lambda c: (c >= 0.05) - (c <= -0.05)),
        Wrong(
            "spelling",
            "exactly as the task",
            lambda: _label_with(positive="Positive", negative="Negative", neutral="Neutral"),
        ),
        Wrong("spelling", "exactly as the task", lambda: _label_with(positive="positive ")),
        Wrong("spelling", "use exactly", lambda: _label_with(positive="pos")),
        Wrong("direction", "inverted", lambda: _label_with(positive="negative", negative="positive")),
        Wrong("neutral", "neutral band", lambda: lambda c: "positive" if c >= 0 else "negative"),
        Wrong(
            "thresholds",
            "too wide",
            lambda: lambda c: "positive" if c >= 0.5 else "negative" if c <= -0.5 else "neutral",
        ),
        Wrong(
            "thresholds",
            "not right",
            lambda: lambda c: "positive" if c >= 0.04 else "negative" if c <= -0.05 else "neutral",
        ),
        Wrong(
            "boundaries",
            "includes 0.05",
            lambda: lambda c: "positive" if c > 0.05 else "negative" if c < -0.05 else "neutral",
        ),
        Wrong(
            "boundaries",
            "includes -0.05",
            lambda: lambda c: "positive" if c >= 0.05 else "negative" if c < -0.05 else "neutral",
        ),
    ],
    "q3": [
        Right("a NumPy float", lambda: np.float64(_accuracy())),
        Right("rounded to three decimals", lambda: rounded(_accuracy(), 3)),
        Right("with the right to_label as context", lambda: Given(_accuracy(), to_label=_label)),
        Wrong("type", "one number", lambda: as_list([_accuracy()])),
        Wrong("type", "percentage", lambda: 100 * _accuracy()),
        Wrong("type", "number between 0 and 1", lambda: str(_accuracy())),
        Wrong("split", "*train* split", lambda: _accuracy("train")),
        Wrong("prediction", "inverted", lambda: 1 - _accuracy()),
        Wrong("value", "is not the accuracy", lambda: perturbed(_accuracy(), 0.01)),
        Wrong("precision", "three decimals", lambda: rounded(_accuracy(), 2)),
        Wrong(
            "depends_q2",
            "question 2",
            lambda: Given(_accuracy(label=_label_with(positive="Positive")), to_label=_label_with(positive="Positive")),
        ),
        Wrong("depends_q2", "never says 'great'", lambda: _accuracy(label=_label_with(positive="Positive"))),
    ],
    "q4": [
        Right(
            "other settings, fit then transform",
            lambda: _given(TfidfVectorizer(sublinear_tf=True, min_df=3).fit(_text("train"))),
        ),
        Right("fit_transform for X_train", lambda: _given(train=lambda v: v.fit_transform(_text("train")))),
        Right("a dense X_test", lambda: _given(test=lambda v: v.transform(_text("test")).toarray())),
        Wrong("type", "not the matrix", lambda: TfidfVectorizer(min_df=5).fit_transform(_text("train"))),
        Wrong("fitted", "not fitted", lambda: TfidfVectorizer(min_df=5)),
        Wrong("one_fit", "per document", lambda: TfidfVectorizer().fit(_text("train").iloc[:1])),
        Wrong("train_only", "on the test reviews", lambda: TfidfVectorizer(min_df=5).fit(_text("test"))),
        Wrong("train_only", "test ones included", lambda: TfidfVectorizer(min_df=5).fit(_food()["review"])),
        Wrong(
            "train_only", "subset", lambda: TfidfVectorizer(min_df=5).fit(dropped_row(_text("train"), 0).iloc[:1500])
        ),
        Wrong("x_train", "rows", lambda: _given(train=lambda v: v.transform(_text("test")))),
        Wrong("x_train", "other weights", lambda: _given(train=lambda v: v.transform(shuffled(_text("train"))))),
        Wrong(
            "x_test",
            "another vectorizer",
            lambda: _given(test=lambda v: TfidfVectorizer(min_df=5).fit_transform(_text("test"))),
        ),
        Wrong("x_test", "other weights", lambda: _given(test=lambda v: v.transform(_text("test")) * 2)),
        Wrong(
            "x_test",
            "should be the TF-IDF matrix",
            lambda: _given(test=lambda v: pd.DataFrame(v.transform(_text("test")).toarray())),
        ),
    ],
    "q5": [
        Right(
            "rows shuffled, columns reordered",
            lambda: shuffled(_customer_text()[["sentiment", "mean_words", "n_reviews"]]),
        ),
        Right(
            "built with a loop of groups",
            lambda: pd.DataFrame(
                {
                    cid: {"n_reviews": len(g), "sentiment": g["compound"].mean(), "mean_words": g["n_words"].mean()}
                    for cid, g in _per_review().groupby("customer_id")
                }
            ).T.rename_axis("customer_id"),
        ),
        Right("n_reviews as floats", lambda: _customer_text().assign(n_reviews=lambda d: d["n_reviews"].astype(float))),
        Wrong("type", "not a single Series", lambda: _customer_text()["sentiment"]),
        Wrong("type", "should be a DataFrame", lambda: as_numpy(_customer_text())),
        Wrong("index", "indexed", lambda: _customer_text().reset_index()),
        Wrong("index", "one row for each", lambda: reindexed(_customer_text())),
        Wrong("index", "one row for each", lambda: dropped_row(_customer_text())),
        Wrong("columns", "no column", lambda: renamed(_customer_text(), {"mean_words": "words"})),
        Wrong("n_reviews", "number of reviews", lambda: _customer_text().assign(n_reviews=1)),
        Wrong(
            "sentiment",
            "summed",
            lambda: _customer_text().assign(sentiment=lambda d: d["sentiment"] * d["n_reviews"] * 3),
        ),
        Wrong(
            "sentiment",
            "mean VADER compound",
            lambda: perturbed(_customer_text(), 0).assign(sentiment=lambda d: d["sentiment"] / 2),
        ),
        Wrong(
            "mean_words",
            "tokenize",
            lambda: _customer_text().assign(
                mean_words=_reviews()["text"].str.split().str.len().groupby(_reviews()["customer_id"]).mean()
            ),
        ),
        Right(
            "mean_words rounded to two decimals",
            lambda: _customer_text().assign(mean_words=lambda d: d["mean_words"].round(2)),
        ),
        Wrong(
            "mean_words",
            "*total*",
            lambda: _customer_text().assign(mean_words=lambda d: d["mean_words"] * d["n_reviews"]),
        ),
    ],
    "q6": [
        Right("labels as text, rows shuffled", lambda: shuffled(wrong_dtype(_segments(), str))),
        Right("renumbered segments", lambda: (_segments() + 1) % 5),
        Right("columns put on one scale with MinMaxScaler (trial T1)", lambda: _segments(scale=MinMaxScaler)),
        Wrong("type", "bare array", lambda: as_numpy(_segments())),
        Wrong("type", "not a whole table", lambda: _segments().to_frame()),
        Wrong("index", "one label for each", lambda: reindexed(_segments())),
        Wrong("index", "one label for each", lambda: dropped_row(_segments())),
        Wrong("k", "different labels", lambda: _segments().clip(upper=3)),
        Wrong("preparation", "unscaled", lambda: _segments(scale=None)),
        Wrong(
            "preparation",
            "without the column sentiment",
            lambda: pd.Series(
                KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
                    StandardScaler().fit_transform(customer_text_features().drop(columns="sentiment"))
                ),
                index=customer_text_features().index,
            ),
        ),
        Wrong(
            "preparation",
            "agree poorly",
            lambda: pd.Series(np.arange(len(customer_text_features())) % 5, index=customer_text_features().index),
        ),
    ],
}
