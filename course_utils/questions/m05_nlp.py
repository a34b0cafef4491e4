"""Checks for assignment ``05-nlp``: from review text to tokens, sentiment, TF-IDF and customer features.

The checks never compare tokens one by one (tokenizers change between NLTK
versions): they test what must hold whatever the tokenizer (negations kept,
stop words gone, lower case), compare vocabularies as sets, and numbers within
tolerances. Truths are recomputed from the course loaders, never hard-coded.

>>> sorted(QUESTIONS)
['q1', 'q2', 'q3', 'q4', 'q5', 'q6']
>>> to_label_reference(0.6), to_label_reference(0.0), to_label_reference(-0.2)
('positive', 'neutral', 'negative')
"""

from __future__ import annotations

import functools
import numbers
import string
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import EXACT, Incorrect, Question, require_type, within

#: VADER's published thresholds on the compound score (Hutto and Gilbert, 2014).
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


def to_label_reference(compound: float) -> str:
    """VADER's usual reading of a compound score."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


# -- cached truths (recomputed from the loaders) --------------------------------------


@functools.lru_cache(maxsize=1)
def _food() -> pd.DataFrame:
    from course_utils.data import load_fine_food_reviews

    return load_fine_food_reviews()


@functools.lru_cache(maxsize=1)
def _food_compound() -> np.ndarray:
    from course_utils.nlp import vader

    sia = vader()
    return np.array([sia.polarity_scores(t)["compound"] for t in _food()["review"]])


def food_accuracies() -> dict[str, float]:
    """Accuracy of "positive means great" on each split, and the share of "great" (for messages)."""
    food = _food()
    pred = np.where(_food_compound() >= POSITIVE_AT, "great", "other")
    truth = food["score"].astype(str).to_numpy()
    test = (food["split"] == "test").to_numpy()
    return {
        "test": float((pred[test] == truth[test]).mean()),
        "train": float((pred[~test] == truth[~test]).mean()),
        "all": float((pred == truth).mean()),
        "inverted": float((np.where(pred == "great", "other", "great")[test] == truth[test]).mean()),
        "all_great": float((truth[test] == "great").mean()),
        "none_great": float((truth[test] == "other").mean()),
    }


def _accuracy_with(to_label: Callable[[float], Any]) -> float | None:
    """Test accuracy of the question-3 recipe with the student's own ``to_label`` (None if it crashes)."""
    food = _food()
    test = (food["split"] == "test").to_numpy()
    try:
        pred = np.array(["great" if to_label(float(c)) == "positive" else "other" for c in _food_compound()[test]])
    except Exception:  # noqa: BLE001 - the student's function; question 2 reports it
        return None
    return float((pred == food["score"].astype(str).to_numpy()[test]).mean())


@functools.lru_cache(maxsize=1)
def _reviews() -> pd.DataFrame:
    from course_utils.data import load_reviews

    return load_reviews()


@functools.lru_cache(maxsize=1)
def customer_text_reference() -> pd.DataFrame:
    """Per-customer review features: n_reviews, sentiment (mean compound), mean_words."""
    from course_utils.nlp import tokenize, vader

    reviews = _reviews()
    sia = vader()
    per_review = pd.DataFrame(
        {
            "customer_id": reviews["customer_id"],
            "compound": [sia.polarity_scores(t)["compound"] for t in reviews["text"]],
            "n_words": [len(tokenize(t)) for t in reviews["text"]],
        }
    )
    return per_review.groupby("customer_id").agg(
        n_reviews=("compound", "size"), sentiment=("compound", "mean"), mean_words=("n_words", "mean")
    )


def _call(fn: Callable[[Any], Any], arg: Any, name: str) -> Any:
    try:
        return fn(arg)
    except Exception as err:  # the student's function crashed: say where
        raise Incorrect(
            f"calling {name}({arg!r}) raised {type(err).__name__}: {err}. Try that call in a cell to see why."
        ) from None


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# -- q1: stop words that keep negations ------------------------------------------------------


def _check_clean_tokens(fn: Any) -> None:
    if not callable(fn):
        raise Incorrect(
            "`clean_tokens` should be a function: write `def clean_tokens(text):` and return the "
            f"list of tokens, but it is a {type(fn).__name__}."
        )
    first = "This is NOT worth the price."
    out = _call(fn, first, "clean_tokens")
    if isinstance(out, str):
        raise Incorrect(
            f"clean_tokens({first!r}) returned one string ({out!r}). Return a *list* of tokens, "
            "e.g. [t for t in tokens if ...]."
        )
    if isinstance(out, (set, tuple)) or not isinstance(out, list):
        raise Incorrect(
            f"clean_tokens should return a list of tokens (order and repeats matter for n-grams), "
            f"but it returned a {type(out).__name__}."
        )
    if not all(isinstance(t, str) for t in out):
        raise Incorrect(f"every token should be a string, but clean_tokens({first!r}) gave {out!r}.")
    if any(t != t.lower() for t in out):
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: lower-case the text first, otherwise 'NOT', 'Not' "
            "and 'not' count as three different words."
        )
    if any(t and all(ch in string.punctuation for ch in t) for t in out):
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: drop punctuation tokens such as '.' (a tokenizer "
            "that keeps only words, e.g. course_utils.nlp.tokenize, does it for you)."
        )
    stuck = [t for t in out if t.strip(string.punctuation) not in ("", t)]
    if stuck:
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: {stuck[0]!r} still carries punctuation, so it is a "
            f"different word from {stuck[0].strip(string.punctuation)!r}. str.split() cuts at spaces only; "
            "use a tokenizer that keeps words only, such as course_utils.nlp.tokenize."
        )
    tokens = set(out)
    if {"the", "is", "this"} & tokens:
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: stop words such as 'the' and 'is' are still there. "
            "Keep only the tokens that are not in the stop-word list."
        )
    if "not" not in tokens:
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: your stop-word removal deletes negations, so the "
            "customer who wrote 'NOT worth the price' now seems to say 'worth price'. Use "
            "stop_words(keep_negations=True), the course's list that keeps 'not', 'no' and 'never'."
        )
    if not {"worth", "price"} <= tokens:
        raise Incorrect(
            f"clean_tokens({first!r}) gave {out!r}: the words that carry the meaning, 'worth' and "
            "'price', should stay. Remove only stop words."
        )
    second = "I would never order again, no refund yet!"
    out2 = set(_call(fn, second, "clean_tokens"))
    if not {"never", "no"} <= out2:
        raise Incorrect(
            f"clean_tokens({second!r}) lost 'never' or 'no' (it gave {sorted(out2)}): your stop-word "
            "removal deletes negations. Keep all of them: use stop_words(keep_negations=True)."
        )
    if "refund" not in out2:
        raise Incorrect(f"clean_tokens({second!r}) lost the word 'refund': remove only stop words.")


q1 = Question(
    "clean_tokens",
    _check_clean_tokens,
    hints=[
        "Three steps: lower-case, split into word tokens (no punctuation), drop the stop words. "
        "`tokenize` and `stop_words` from course_utils.nlp are imported in the setup cell.",
        "`stop_words()` keeps negations by default; `stop_words(keep_negations=False)` is the list as "
        "published, which deletes 'not', 'no' and 'never'. Which one keeps 'not worth' meaning 'not worth'?",
        "def clean_tokens(text):\n    stops = stop_words(keep_negations=True)\n    return [t for t in tokenize(text) "
        "if t not in stops]",
    ],
    solution=(
        "STOPS = stop_words(keep_negations=True)\n\n"
        "def clean_tokens(text):\n"
        "    return [token for token in tokenize(text.lower()) if token not in STOPS]"
    ),
    praise="negations survive, so 'not worth the price' keeps its meaning for n-grams, sentiment and topics.",
)

# -- q2: from a compound score to a label ------------------------------------------------------

_Q2_CASES = (0.9, 0.3, 0.07, 0.05, 0.0499, 0.0, 0.03, -0.03, -0.0499, -0.05, -0.07, -0.4, -0.9)
_LABELS = ("positive", "negative", "neutral")


def _check_to_label(fn: Any) -> None:
    if not callable(fn):
        raise Incorrect(
            "`to_label` should be a function: `def to_label(compound):` returning 'positive', "
            f"'negative' or 'neutral', but it is a {type(fn).__name__}."
        )
    got = {c: _call(fn, c, "to_label") for c in _Q2_CASES}
    for c, label in got.items():
        if not isinstance(label, str):
            raise Incorrect(
                f"to_label({c}) returned {label!r}. Return a text label: 'positive', 'negative' or 'neutral'."
            )
    norm = {c: label.strip().lower() for c, label in got.items()}
    unknown = {label for label in norm.values()} - set(_LABELS)
    if unknown:
        raise Incorrect(f"to_label returned {sorted(unknown)}; use exactly 'positive', 'negative' and 'neutral'.")
    odd = sorted({label for label in got.values()} - set(_LABELS))
    if odd:
        raise Incorrect(
            f"to_label returned {odd}: write the labels exactly as the task does, 'positive', 'negative' and "
            "'neutral' (lower case, no spaces). Question 3 compares to_label(c) == 'positive', which 'Positive' "
            "never equals."
        )
    if norm[0.9] == "negative" or norm[-0.9] == "positive":
        raise Incorrect(
            f"to_label(0.9) is {got[0.9]!r} and to_label(-0.9) is {got[-0.9]!r}: your thresholds are "
            "inverted. A compound score near +1 is very positive, near -1 very negative."
        )
    if norm[0.0] != "neutral":
        raise Incorrect(
            f"to_label(0.0) is {got[0.0]!r}: a text with no sentiment words scores 0 and is *neutral*. "
            "Keep a neutral band between -0.05 and +0.05 instead of cutting at 0."
        )
    if norm[0.3] != "positive" or norm[-0.4] != "negative":
        raise Incorrect(
            f"to_label(0.3) is {got[0.3]!r} and to_label(-0.4) is {got[-0.4]!r}: your neutral band is too "
            "wide. VADER's authors call a text positive from +0.05 and negative from -0.05."
        )
    for edge in (0.05, -0.05):
        if norm[edge] != to_label_reference(edge):
            raise Incorrect(
                f"to_label({edge}) is {got[edge]!r}: 'from {edge:+.2f}' includes {edge} itself, so use >= 0.05 and "
                "<= -0.05, not > and <."
            )
    expected = {c: to_label_reference(c) for c in _Q2_CASES}
    wrong = [c for c in _Q2_CASES if norm[c] != expected[c]]
    if wrong:
        raise Incorrect(
            f"to_label({wrong[0]}) is {got[wrong[0]]!r}, which is not right. Positive from +0.05, "
            "negative from -0.05, neutral in between."
        )


q2 = Question(
    "to_label",
    _check_to_label,
    hints=[
        "The compound score runs from -1 (very negative) to +1 (very positive). Small scores near 0 are neutral.",
        "VADER's authors use: positive if compound >= 0.05, negative if compound <= -0.05, neutral otherwise.",
        "def to_label(compound):\n    if compound >= 0.05:\n        return 'positive'\n    ...",
    ],
    solution=(
        "def to_label(compound):\n"
        "    if compound >= 0.05:\n"
        "        return 'positive'\n"
        "    if compound <= -0.05:\n"
        "        return 'negative'\n"
        "    return 'neutral'"
    ),
    praise="the neutral band keeps texts with no sentiment words (compound 0) out of both camps.",
)

# -- q3: validating VADER on real reviews ------------------------------------------------------


def _check_food_accuracy(value: Any, context: dict[str, Any]) -> None:
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray, list)):
        raise Incorrect(
            "`food_accuracy` should be one number (the share of test reviews VADER gets right), "
            "not a whole column: take the mean of the True/False comparison."
        )
    if not _is_number(value):
        raise Incorrect(f"`food_accuracy` should be a number between 0 and 1, but it is {value!r}.")
    value = float(value)
    acc = food_accuracies()
    if 1 < value <= 100 and within(value / 100, acc["test"], 2):
        raise Incorrect(f"{value:.1f} looks like a percentage: give a fraction between 0 and 1.")
    if not 0 <= value <= 1:
        raise Incorrect(f"an accuracy is a share between 0 and 1, but `food_accuracy` is {value}.")
    if within(value, acc["test"], 3):  # the task asks for three decimals
        return
    to_label = context.get("to_label")
    if callable(to_label):
        try:
            _check_to_label(to_label)
        except Incorrect as err:
            mine = _accuracy_with(to_label)
            if mine is None or within(value, mine, 3):
                raise Incorrect(
                    "this accuracy follows from your `to_label`, which question 2 does not accept yet: "
                    f"{str(err).removeprefix('Incorrect: ')} Fix question 2 first, then recompute `food_accuracy`."
                ) from None
    if within(value, acc["none_great"], 3):
        raise Incorrect(
            f"{value:.3f} is the share of 'other' reviews: your prediction never says 'great'. Does your "
            "`to_label` (question 2) return exactly 'positive' (lower case)? `to_label(c) == 'positive'` is "
            "False for 'Positive'."
        )
    # the diagnoses below need a close match: train and all-rows accuracies differ by less than 0.001
    if within(value, acc["inverted"], 3):
        raise Incorrect(
            f"{value:.3f} is far below chance: your labels are inverted (positive reviews called 'other'). "
            "Predict 'great' when to_label(compound) is 'positive'."
        )
    if within(value, acc["all_great"], 3):
        raise Incorrect(
            f"{value:.3f} is the share of 'great' reviews: your prediction says 'great' for every review. "
            "Check that the prediction depends on the compound score."
        )
    if within(value, acc["train"], EXACT):
        raise Incorrect(f"{value:.4f} is the accuracy on the *train* split; the question asks for the test split.")
    if within(value, acc["all"], EXACT):
        raise Incorrect(f"{value:.4f} is the accuracy on all 5,000 reviews; keep only the rows where split == 'test'.")
    if within(value, acc["test"], 2):
        raise Incorrect("your value is rounded too coarsely: the task asks for three decimals (or more).")
    raise Incorrect(
        f"{value:.3f} is not the accuracy we get. Predict 'great' when to_label(compound) is 'positive' "
        "(else 'other'), compare with `score` on the test split, and take the mean of the matches."
    )


q3 = Question(
    "food_accuracy",
    _check_food_accuracy,
    optional=("to_label",),
    hints=[
        "Score every test review with `sia.polarity_scores(text)['compound']`, turn each score into "
        "'great' (when to_label says 'positive') or 'other', and compare with the `score` column.",
        "test = food[food['split'] == 'test']; the accuracy is (predicted == test['score']).mean().",
        "pred = np.where([to_label(c) == 'positive' for c in compound], 'great', 'other')",
    ],
    solution=(
        "test = food[food['split'] == 'test']\n"
        "compound = [sia.polarity_scores(text)['compound'] for text in test['review']]\n"
        "pred = np.where([to_label(c) == 'positive' for c in compound], 'great', 'other')\n"
        "food_accuracy = float((pred == test['score'].astype(str)).mean())"
    ),
    praise="now compare it, in the next cell, with the accuracy of always answering 'great'.",
)

# -- q4: TF-IDF fitted on the training text only ---------------------------------------------


def _vocab_idf(vectorizer: Any) -> tuple[frozenset[str], dict[str, float]]:
    vocab = vectorizer.vocabulary_
    idf = vectorizer.idf_ if getattr(vectorizer, "use_idf", True) else np.ones(len(vocab))
    return frozenset(vocab), {w: float(idf[i]) for w, i in vocab.items()}


def _same_fit(a: Any, b: Any) -> bool:
    va, ia = _vocab_idf(a)
    vb, ib = _vocab_idf(b)
    return va == vb and all(abs(ia[w] - ib[w]) < 1e-6 for w in va)


def _check_matrix(matrix: Any, name: str, vectorizer: Any, text: pd.Series, other: int) -> None:
    """``matrix`` must be ``vectorizer.transform(text)``: same rows, same columns, same values."""
    from scipy import sparse

    if isinstance(matrix, (pd.DataFrame, pd.Series)) or not hasattr(matrix, "shape"):
        raise Incorrect(
            f"`{name}` should be the TF-IDF matrix that tfidf.transform(...) returns, but it is a "
            f"{type(matrix).__name__}."
        )
    n_words = len(vectorizer.vocabulary_)
    if len(matrix.shape) != 2:
        raise Incorrect(f"`{name}` should be a 2-D matrix (one row per review), but its shape is {matrix.shape}.")
    rows, cols = matrix.shape
    if rows != len(text):
        which = "training" if name == "X_test" else "test"
        hint = f" (that is the number of {which} reviews)" if rows == other else ""
        raise Incorrect(f"`{name}` has {rows} rows{hint}; it should have one row per review of its split.")
    if cols != n_words:
        raise Incorrect(
            f"`{name}` has {cols} columns, but `tfidf` knows {n_words} words: it was made by another vectorizer "
            f"(one fitted again, on other text). Use the same fitted `tfidf`: {name} = tfidf.transform(...)."
        )
    expected = vectorizer.transform(text)
    try:
        got = sparse.csr_matrix(matrix, dtype=float)
    except (TypeError, ValueError):
        raise Incorrect(f"`{name}` should hold numbers (TF-IDF weights).") from None
    if abs(got - expected).max() > 1e-6:
        raise Incorrect(
            f"`{name}` has the right shape but other weights than `tfidf` gives for the reviews of its split. "
            f"Make it with the fitted vectorizer (tfidf.transform on the {'test' if name == 'X_test' else 'training'} "
            "reviews; never fit again)."
        )


def _check_tfidf(value: Any, context: dict[str, Any]) -> None:
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer

    if isinstance(value, (list, tuple)) and value and all(isinstance(v, TfidfVectorizer) for v in value):
        raise Incorrect(
            f"you made {len(value)} vectorizers, one per review (TF-IDF fitted per document). The idf part "
            "needs the whole training corpus: fit ONE TfidfVectorizer on all training reviews."
        )
    if hasattr(value, "shape") and not isinstance(value, TfidfVectorizer):
        raise Incorrect(
            "`tfidf` should be the fitted TfidfVectorizer itself, not the matrix it returns. "
            "Keep the vectorizer in `tfidf` and the matrices in other variables."
        )
    require_type(value, TfidfVectorizer, "`tfidf`")
    if not hasattr(value, "vocabulary_"):
        raise Incorrect("`tfidf` is not fitted yet: call tfidf.fit(train['review']) (or fit_transform).")
    food = _food()
    train = food.loc[food["split"] == "train", "review"]
    test = food.loc[food["split"] == "test", "review"]
    vocab, idf = _vocab_idf(value)
    if len(set(np.round(list(idf.values()), 6))) == 1 and len(vocab) < 400:
        raise Incorrect(
            f"`tfidf` knows only {len(vocab)} words and gives them all the same idf: it was fitted on a "
            "single review (TF-IDF fitted per document). Then every word looks equally rare. Fit it once "
            "on all the training reviews."
        )
    try:
        on_train = clone(value).fit(train)
    except ValueError as err:
        raise Incorrect(f"these TfidfVectorizer settings cannot be fitted on the training reviews: {err}") from None
    if _same_fit(value, on_train):
        for name, text, other in (("X_train", train, len(test)), ("X_test", test, len(train))):
            if name in context:
                _check_matrix(context[name], name, value, text, other)
        return
    leak = (
        "That leaks the test set into the features. Fit on the training reviews only, then use "
        "tfidf.transform(...) on the test reviews."
    )
    for text, where in (
        (test, "on the test reviews"),
        (pd.concat([train, test]), "on all the reviews, test ones included"),
    ):
        try:
            if _same_fit(value, clone(value).fit(text)):
                raise Incorrect(f"`tfidf` was fitted {where}. {leak}")
        except ValueError:  # settings such as min_df that this text cannot satisfy
            continue
    analyzer = value.build_analyzer()
    train_words = set().union(*(analyzer(t) for t in train))
    test_only = vocab - train_words
    if test_only:
        raise Incorrect(
            f"`tfidf` knows words that appear only in the test reviews (e.g. {sorted(test_only)[:3]}): "
            f"it saw test text when it was fitted. {leak}"
        )
    raise Incorrect(
        "`tfidf` does not match a TfidfVectorizer with your settings fitted on the training reviews "
        "(split == 'train'). Did you fit it on a subset, or fit it again later on other text?"
    )


q4 = Question(
    "tfidf",
    _check_tfidf,
    needs=("X_train", "X_test"),
    hints=[
        "IDF measures how rare a word is across a *corpus*. Which corpus may the model learn from "
        "before it sees the test reviews?",
        "Fit one vectorizer on the training reviews only: tfidf = TfidfVectorizer(min_df=5).fit(train['review']). "
        "Then X_test = tfidf.transform(test['review']): transform, never fit, on test text.",
        "Fitting on a single review makes every word equally rare; fitting on test text leaks the test set.",
    ],
    solution=(
        "train = food[food['split'] == 'train']\n"
        "tfidf = TfidfVectorizer(min_df=5)\n"
        "X_train = tfidf.fit_transform(train['review'])\n"
        "X_test = tfidf.transform(food.loc[food['split'] == 'test', 'review'])"
    ),
    praise="the idf was learned from the training corpus only, so the test reviews stay unseen.",
)

# -- q5: one row per customer --------------------------------------------------------------------


def _check_customer_text(value: Any) -> None:
    if isinstance(value, pd.Series):
        raise Incorrect(
            "`customer_text` should be a table (DataFrame) with the columns n_reviews, sentiment and "
            "mean_words, not a single Series. Use .agg(...) with the three columns."
        )
    require_type(value, pd.DataFrame, "`customer_text`")
    ref = customer_text_reference()
    table = value
    if "customer_id" in table.columns:
        raise Incorrect(
            "`customer_text` has customer_id as a column; the task asks for a table *indexed* by customer_id "
            "(groupby('customer_id') gives that index; or .set_index('customer_id'))."
        )
    missing = [c for c in ("n_reviews", "sentiment", "mean_words") if c not in table.columns]
    if missing:
        raise Incorrect(
            f"`customer_text` has no column(s) {missing}; it has {list(table.columns)[:8]}. Name them "
            "n_reviews, sentiment and mean_words (named aggregation: .agg(n_reviews=(...), ...))."
        )
    if len(table) == len(_reviews()):
        raise Incorrect(
            f"`customer_text` has {len(table)} rows, one per *review*. Group by customer_id so that each "
            "customer is one row."
        )
    if not table.index.is_unique:
        raise Incorrect("some customers appear on more than one row: group by customer_id.")
    if set(map(str, table.index)) != set(ref.index):
        raise Incorrect(
            "`customer_text` should have one row for each customer who wrote a review, indexed by customer_id; "
            f"it has {len(table)} rows with another set of ids."
        )
    table = table.rename(index=str).loc[ref.index]
    try:
        n_reviews = pd.to_numeric(table["n_reviews"])
        sentiment = pd.to_numeric(table["sentiment"])
        words = pd.to_numeric(table["mean_words"])
    except (TypeError, ValueError):
        raise Incorrect("n_reviews, sentiment and mean_words should all be numbers.") from None
    if not np.array_equal(n_reviews.to_numpy(), ref["n_reviews"].to_numpy()):
        raise Incorrect("n_reviews is not the number of reviews each customer wrote: use 'size' or 'count'.")
    if sentiment.abs().max() > 1.0001:
        if sentiment.between(1, 5).all():
            raise Incorrect(
                "sentiment looks like the star rating. Use the mean VADER compound score of each "
                "customer's reviews: the point is to read sentiment from the *text*."
            )
        raise Incorrect(
            "some sentiment values are beyond ±1: you summed the compound scores. Use their mean, so that "
            "a customer who wrote three reviews is comparable with one who wrote one."
        )
    if not within(sentiment.to_numpy(), ref["sentiment"].to_numpy()):  # no precision stated: two decimals
        raise Incorrect(
            "sentiment should be the mean VADER compound score of each customer's reviews "
            "(sia.polarity_scores(text)['compound']), not the 'pos' or 'neg' part, nor the star rating."
        )
    multi = ref["n_reviews"] > 1
    if multi.any():
        off_total = (words - ref["mean_words"] * ref["n_reviews"])[multi].abs().median()
        off_mean = (words - ref["mean_words"])[multi].abs().median()
        if off_total < off_mean and off_total < 2:
            raise Incorrect("mean_words looks like the *total* number of words; use the mean per review.")
    if within(words.to_numpy(), ref["mean_words"].to_numpy()):  # no precision stated: two decimals
        return
    if within(words.to_numpy(), _split_words().reindex(ref.index).to_numpy()):
        raise Incorrect(
            "mean_words counts the pieces of text.split(); the task says to count tokens with `tokenize` "
            "(it drops punctuation and splits 'didn't' the course's way): len(tokenize(text))."
        )
    if (words - ref["mean_words"]).abs().median() > 0.15 * ref["mean_words"].median():
        raise Incorrect(
            "mean_words should be the mean number of words (tokens) per review, e.g. len(tokenize(text)), "
            "not the number of characters."
        )
    raise Incorrect("mean_words should be the mean of len(tokenize(text)) over each customer's reviews.")


@functools.lru_cache(maxsize=1)
def _split_words() -> pd.Series:
    reviews = _reviews()
    n = reviews["text"].str.split().str.len()
    return n.groupby(reviews["customer_id"]).mean()


q5 = Question(
    "customer_text",
    _check_customer_text,
    hints=[
        "First add two columns to a copy of `reviews`, one score per review: the compound score and the "
        "number of tokens. Then group by customer_id.",
        "A customer who wrote three reviews must not count three times more than one who wrote one: "
        "use means, not sums, for sentiment and length; count the reviews with 'size'.",
        "per_review = reviews.assign(compound=[sia.polarity_scores(t)['compound'] for t in reviews['text']], "
        "n_words=[len(tokenize(t)) for t in reviews['text']]); then per_review.groupby('customer_id').agg("
        "n_reviews=('compound', 'size'), sentiment=('compound', 'mean'), mean_words=('n_words', 'mean'))",
    ],
    solution=(
        "per_review = reviews.assign(\n"
        "    compound=[sia.polarity_scores(t)['compound'] for t in reviews['text']],\n"
        "    n_words=[len(tokenize(t)) for t in reviews['text']],\n"
        ")\n"
        "customer_text = per_review.groupby('customer_id').agg(\n"
        "    n_reviews=('compound', 'size'), sentiment=('compound', 'mean'), mean_words=('n_words', 'mean'))"
    ),
    praise="one row per customer: now text can sit next to RFM and be clustered.",
)

# -- q6: clustering customers by what they write -------------------------------------------------

#: Topic names for the exercise's NMF topics, found from their top words (order-proof).
_THEMES = {
    "gift": "gifts",
    "present": "gifts",
    "price": "price",
    "bargain": "price",
    "quality": "quality",
    "craftsmanship": "quality",
    "refund": "problems",
    "late": "problems",
    "expected": "not as expected",
    "advertised": "not as expected",
    "photos": "not as expected",
}
N_SEGMENTS = 5


@functools.lru_cache(maxsize=1)
def customer_text_features() -> pd.DataFrame:
    """Per-customer text features for the exercise: mean topic shares, sentiment and length.

    The recipe of lesson 05b (TF-IDF on tokens that keep negations, NMF with 5
    topics, shares per review averaged per customer), packaged so the exercise
    can focus on clustering. Columns: one per topic (``topic_<name>``), then
    ``sentiment`` and ``mean_words``.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    from course_utils.nlp import stop_words, tokenize

    reviews = _reviews()
    stops = stop_words(keep_negations=True) - {"value", "present", "presents"}
    tfidf = TfidfVectorizer(
        tokenizer=lambda t: [w for w in tokenize(t) if w not in stops], token_pattern=None, lowercase=False, min_df=5
    )
    X = tfidf.fit_transform(reviews["text"])
    nmf = NMF(n_components=5, init="nndsvda", random_state=0, max_iter=400)
    W = nmf.fit_transform(X)
    terms = tfidf.get_feature_names_out()
    names = []
    for i, row in enumerate(nmf.components_):
        top = terms[np.argsort(row)[::-1][:10]]
        name = next((theme for w in top for key, theme in _THEMES.items() if w.startswith(key)), f"topic{i}")
        name = "topic_" + name.replace(" ", "_")
        while name in names:
            name += "_2"
        names.append(name)
    shares = W / np.maximum(W.sum(axis=1, keepdims=True), 1e-12)
    per_review = pd.DataFrame(shares, columns=names, index=reviews.index)
    per_review = per_review[sorted(names)]
    per_review["customer_id"] = reviews["customer_id"].to_numpy()
    table = per_review.groupby("customer_id").mean()
    ref = customer_text_reference()
    table["sentiment"] = ref["sentiment"]
    table["mean_words"] = ref["mean_words"]
    return table


def _kmeans(Z: np.ndarray) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(N_SEGMENTS, n_init=10, random_state=0).fit_predict(Z)


@functools.lru_cache(maxsize=1)
def _segments_without_one_column() -> dict[str, np.ndarray]:
    """k-means on the standardised features with one column left out (the task uses all of them)."""
    from sklearn.preprocessing import StandardScaler

    features = customer_text_features()
    return {c: _kmeans(StandardScaler().fit_transform(features.drop(columns=c))) for c in features.columns}


@functools.lru_cache(maxsize=1)
def segment_references() -> dict[str, np.ndarray]:
    """Reference partitions: k-means on standardised features, and (a known mistake) on raw ones."""
    from sklearn.preprocessing import StandardScaler

    features = customer_text_features()
    return {
        "scaled": _kmeans(StandardScaler().fit_transform(features)),
        "unscaled": _kmeans(features.to_numpy()),
    }


def _check_text_segments(value: Any) -> None:
    from sklearn.metrics import adjusted_rand_score

    features = customer_text_features()
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            "`text_segments` should be one column of cluster labels (a Series indexed by customer_id), "
            "not a whole table: e.g. pd.Series(labels, index=features.index)."
        )
    if isinstance(value, (np.ndarray, list)) and not isinstance(value, pd.Series):
        labels = np.asarray(value)
        if labels.ndim != 1 or len(labels) != len(features):
            raise Incorrect(
                f"`text_segments` has {len(labels)} labels, but there are {len(features)} customers in "
                "`features`. Give one label per customer (one per row of `features`)."
            )
        raise Incorrect(
            "`text_segments` is a bare array: wrap it as pd.Series(labels, index=features.index) so each "
            "label stays attached to its customer_id."
        )
    require_type(value, pd.Series, "`text_segments`")
    n_reviews = len(_reviews())
    if len(value) == n_reviews and len(value) != len(features):
        raise Incorrect(
            f"`text_segments` has {len(value)} labels, one per *review*. Segments are made of customers: "
            "cluster the rows of `features` (one per customer)."
        )
    if len(value) != len(features) or set(map(str, value.index)) != set(features.index):
        raise Incorrect(
            f"`text_segments` should have one label for each of the {len(features)} customers of "
            "`features`, indexed by customer_id (use index=features.index)."
        )
    labels = value.rename(index=str).loc[features.index]
    if labels.isna().any():
        raise Incorrect("some customers have no label (NaN). Cluster every row of `features`.")
    k = labels.nunique()
    if k != N_SEGMENTS:
        raise Incorrect(f"`text_segments` has {k} different labels; the question asks for {N_SEGMENTS} segments.")
    refs = segment_references()
    ari_scaled = adjusted_rand_score(refs["scaled"], labels.to_numpy())
    if ari_scaled >= 0.8:
        # leaving one column out still agrees (ARI 0.80 to 0.96): an answer that is such a partition
        # (and closer to it than to the one on every column) left that column out
        for column, partial in _segments_without_one_column().items():
            ari_partial = adjusted_rand_score(partial, labels.to_numpy())
            if ari_partial >= 0.98 and ari_partial > ari_scaled:
                raise Incorrect(
                    f"your segments follow the features without the column {column}. The task clusters on all "
                    "the columns of `features`: keep every one, standardise, then cluster."
                )
        return
    if adjusted_rand_score(refs["unscaled"], labels.to_numpy()) >= 0.8:
        raise Incorrect(
            "your segments follow the unscaled features: mean_words (tens of words) swamps the topic "
            "shares and the sentiment (between -1 and 1) in k-means' distances. Standardise the columns "
            "first (StandardScaler), then cluster."
        )
    raise Incorrect(
        f"these segments agree poorly with k-means on the standardised features (ARI {ari_scaled:.2f}). "
        f"Use StandardScaler on all the columns of `features`, then KMeans(n_clusters={N_SEGMENTS}, "
        "n_init=10, random_state=0)."
    )


q6 = Question(
    "text_segments",
    _check_text_segments,
    hints=[
        "k-means measures distances. Look at `features.describe()`: are all the columns on the same scale?",
        "Z = StandardScaler().fit_transform(features); labels = KMeans(n_clusters=5, n_init=10, "
        "random_state=0).fit_predict(Z)",
        "Keep the customer ids: text_segments = pd.Series(labels, index=features.index)",
    ],
    solution=(
        "Z = StandardScaler().fit_transform(features)\n"
        "labels = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(Z)\n"
        "text_segments = pd.Series(labels, index=features.index, name='segment')"
    ),
    praise="each column now counts equally, so topics and sentiment, not review length, shape the segments.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6}

#: What each task states, property by property (the solution notebook's task text is the source).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "`clean_tokens` is a function of one text",
        "returns": "it returns a list of tokens (not a string, set or tuple)",
        "lower": "tokens are lower-cased",
        "words": "words only: no punctuation tokens",
        "stop_words": "stop words are removed",
        "negations": "negations (not, no, never) are kept",
        "content": "the other words are kept (e.g. 'worth', 'price', 'refund')",
    },
    "q2": {
        "type": "`to_label` is a function of a compound score",
        "returns": "it returns a text label",
        "spelling": "exactly 'positive', 'negative' or 'neutral' (lower case, as the task writes them)",
        "direction": "near +1 is positive, near -1 negative",
        "neutral": "a neutral band between the thresholds (0 is neutral)",
        "thresholds": "positive from +0.05, negative from -0.05",
        "boundaries": "the thresholds themselves are included: 0.05 is positive, -0.05 negative",
    },
    "q3": {
        "type": "`food_accuracy` is one number, a share between 0 and 1 (not a percentage)",
        "split": "measured on the test split only",
        "prediction": "'great' when to_label(compound) is 'positive', else 'other'",
        "value": "the share of test reviews predicted right",
        "precision": "to three decimals (or more)",
        "depends_q2": "uses question 2's `to_label`: a wrong `to_label` is reported as question 2's fault",
    },
    "q4": {
        "type": "`tfidf` is a TfidfVectorizer (settings of your choice), not the matrix",
        "fitted": "it is fitted",
        "one_fit": "fitted once on a corpus, not per review",
        "train_only": "fitted on the training reviews only (split == 'train'), all of them",
        "x_train": "`X_train` is the TF-IDF matrix of the training reviews made by `tfidf`",
        "x_test": "`X_test` is tfidf.transform(test reviews): the same fitted vectorizer, same columns",
    },
    "q5": {
        "type": "`customer_text` is a DataFrame",
        "index": "indexed by customer_id, one row per customer who wrote a review",
        "columns": "columns n_reviews, sentiment and mean_words",
        "n_reviews": "n_reviews is the number of reviews of the customer",
        "sentiment": "sentiment is the mean VADER compound score of the customer's reviews",
        "mean_words": "mean_words is the mean number of tokens per review, counted with `tokenize`",
    },
    "q6": {
        "type": "`text_segments` is a pandas Series of labels",
        "index": "indexed by customer_id: one label per customer of `features`",
        "k": "5 segments",
        "preparation": "features prepared for k-means (standardised), KMeans(n_clusters=5, n_init=10, random_state=0)",
    },
}
