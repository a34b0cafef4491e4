# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="44944cc0"
# # 5a. From review text to features: tokens, stop words, stems and n-grams
#
# **What you will learn**
# - why [personal data](../glossary.md#personal-data) is masked in free text *before* any analysis, and how to find e-mails,
#   phone numbers and names;
# - how to cut a review into [tokens](../glossary.md#token) with NLTK tokenizers that work offline, and what lower-casing
#   and punctuation do to a [vocabulary](../glossary.md#vocabulary);
# - why the usual [stop-word](../glossary.md#stop-words) lists must not delete **not**, **no** and **never**, and how to check a
#   list against your own domain;
# - what Porter and Snowball [stemming](../glossary.md#stemming) do (and fail to do) to real words;
# - how [n-grams](../glossary.md#n-gram) and frequency distributions (`FreqDist`) show what unhappy and happy customers
#   talk about.
#
# **Prerequisites:** modules 1-2 (pandas: `groupby`, `value_counts`, string methods).
#
# **Time:** about 50 minutes. Lesson `05b-sentiment-topics-segments` continues from here.

# %% [markdown] id="4825fb32"
# ## The story: 2,600 reviews nobody reads
#
# Larkspur & Co asks every customer for a star rating and a few words after an order. The reviews
# pile up; nobody reads them. The marketing director asks:
#
# > "What do our customers actually write about, and do different customers care about different
# > things? If some care about quality and service and others only about price, we should not send
# > them the same email."
#
# A hotel chain asks the same question of its guest reviews: some guests write about the spa and the
# linen, others about the price per night. Customers who *value different things* are [segments](../glossary.md#segment).
#
# A computer cannot read, but it can **count**. This notebook turns raw text into countable pieces
# (tokens), carefully, because each cleaning step can destroy meaning. Lesson 05b then scores
# sentiment, finds [topics](../glossary.md#topic) and clusters customers by what they write.

# %% id="3200d656"
import re
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from course_utils.data import load_customers, load_reviews
from course_utils.plotting import palette, use_course_style

use_course_style()
reviews = load_reviews()
print(f"{len(reviews):,} reviews from {reviews['customer_id'].nunique():,} customers")
reviews.head()

# %% [markdown] id="25a71eab"
# Each row is one review: who wrote it, when, the star rating (1 to 5) and the text. Read a few
# before counting anything: the texts are short, some mix praise and complaint, some have typos.

# %% id="2cad0928"
for _, row in reviews.sample(6, random_state=0).iterrows():
    print(f"{row['rating']}*  {row['text']}")

# %% [markdown] id="43572cdf"
# ## Step 0: personal data first
#
# People write their phone number or e-mail into a review ("call me on ..."), or sign with their
# name. Those are **personal data** under the [GDPR](../glossary.md#gdpr). The analysis does not need them
# (*[data minimisation](../glossary.md#data-minimisation)*), and texts end up printed in notebooks, slides and shared files. So the
# first step, before anyone reads the texts, is to find and **mask** them.
#
# E-mails and phone numbers have a shape, so a [regular expression](../glossary.md#regular-expression) finds them.

# %% id="c5bf5cc8"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# UK numbers: 07700 900123, (0117) 496 0877, +44 (0)20 7946 0123, +441174960098 ...
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w])")

has_email = reviews["text"].str.contains(EMAIL)
has_phone = reviews["text"].str.contains(PHONE)
print(f"reviews with an e-mail: {has_email.sum()}, with a phone number: {has_phone.sum()}")
reviews.loc[has_email | has_phone, "text"].head(3).tolist()

# %% [markdown] id="651762ec"
# Names are harder. **The common mistake** is to guess them from their shape, such as "two words
# with capital letters". Let us try it and look at what it catches:

# %% id="0a5d7ff6"
names = load_customers()["full_name"]  # the names the company already holds
known = set(names.str.lower())

capitalised_pair = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
guesses = Counter(m for text in reviews["text"] for m in capitalised_pair.findall(text))
not_names = {g: n for g, n in guesses.items() if g.lower() not in known}
print(f"{sum(guesses.values())} guesses, {sum(not_names.values())} of them are not customer names:")
sorted(not_names.items(), key=lambda item: -item[1])[:6]

# %% [markdown] id="a3284cbe"
# Why does this fail? Sentences start with a capital letter and brands have one, so "Found Larkspur"
# looks like a name (38 of the 48 guesses). And real names that do not fit the shape are missed: here
# "Louis McDonald" and "Conor O'Connor" (a capital inside a word, an apostrophe); elsewhere a title cuts
# a name in the wrong place ("Mr Adrian" for "Mr Adrian Brown"), and a name written in lower case is
# missed. A shape cannot tell a name from a word.
#
# **The right way:** the company already knows its customers' names (the customer table). Look
# those names up, as whole words and ignoring case. The course packages the three detectors in
# `course_utils.text.mask_pii` (the same patterns as above, plus the name look-up):

# %% id="fd8cac4e"
from course_utils.text import find_pii, mask_pii

found = find_pii(reviews["text"], names)  # one list of (kind, text) per review
print("personal data found:", Counter(kind for pairs in found for kind, _ in pairs))

reviews["text"] = mask_pii(reviews["text"], names)
reviews.loc[found.str.len() > 0, "text"].head(4).tolist()

# %% [markdown] id="fda0cfac"
# From here on, every text is masked: `[EMAIL]`, `[PHONE]` and `[NAME]` remain as placeholders
# (they tell you *that* a customer left contact details, which can itself be a signal of a problem,
# without saying *what* they are). All personal data in the course's data are fake, but treat
# them as real. Module 6 goes further: [pseudonymising](../glossary.md#pseudonymisation) ids, retention, and the right to [erasure](../glossary.md#right-to-erasure).

# %% [markdown] id="b653c865"
# ## Step 1: case, punctuation and tokens
#
# A **token** is a unit we count, usually a word. The simplest tokenizer is `str.split()`. Look at
# what it does to the vocabulary (the set of distinct tokens):

# %% id="878925eb"
split_tokens = [t for text in reviews["text"] for t in text.split()]
vocab_split = Counter(split_tokens)
print(f"{len(vocab_split):,} distinct tokens with str.split()")
# every spelling that str.split() produced for the words "price" and "delivery", with its count
print({t: n for t, n in sorted(vocab_split.items()) if t.lower().strip(".,!?;:") in {"price", "delivery"}})

# %% [markdown] id="3921bf1b"
# "price" and "price." are counted as two different words, and "delivery", "delivery," and
# "Delivery" as three: punctuation sticks to words and capitals split them. Lower-casing and a real tokenizer fix both.
#
# NLTK has several tokenizers. Some need extra data files: the default `word_tokenize` first splits
# text into sentences with a trained model (*punkt*) that is **not** installed with NLTK, so it fails
# on a machine without that data (a classroom behind a firewall, Binder, the course's tests). These
# need no data at all: `RegexpTokenizer`, `TreebankWordTokenizer`, `TweetTokenizer`, and
# `word_tokenize(text, preserve_line=True)` (which skips the sentence model). Compare them on real
# sentences:

# %% id="49304580"
from nltk.tokenize import RegexpTokenizer, TreebankWordTokenizer, TweetTokenizer, word_tokenize

sentence = "Wasn't happy, the discount code didn't work :( Not worth £30!"
tokenizers = {
    "str.split": str.split,
    "RegexpTokenizer (words)": RegexpTokenizer(r"[a-z0-9]+(?:'[a-z]+)*").tokenize,
    "TreebankWordTokenizer": TreebankWordTokenizer().tokenize,
    "word_tokenize(preserve_line=True)": lambda t: word_tokenize(t, preserve_line=True),
    "TweetTokenizer": TweetTokenizer().tokenize,
}
for name, tokenizer in tokenizers.items():
    print(f"{name:35} {tokenizer(sentence.lower())}")

# %% [markdown] id="311c05de"
# What to see:
#
# - **Treebank** (and `word_tokenize`) split "didn't" into "did" + "n't": good for grammar, but then
#   the negation is the odd token "n't".
# - **TweetTokenizer** keeps the emoticon ":(", which carries sentiment in social-media text.
# - The **RegexpTokenizer** keeps words whole ("wasn't", "didn't") and drops punctuation and "£".
#
# There is no single right tokenizer: choose one that keeps what your question needs. For reviews we
# keep contractions whole, so that negations stay visible. `course_utils.nlp.tokenize` is exactly
# that `RegexpTokenizer`, lower-casing included; we use it from now on.

# %% id="661ea07e"
from course_utils.nlp import tokenize

reviews["tokens"] = reviews["text"].map(tokenize)
vocab = Counter(t for tokens in reviews["tokens"] for t in tokens)
print(f"{len(vocab_split):,} distinct tokens with str.split() -> {len(vocab):,} after tokenize()")
print(reviews.loc[0, "text"], "\n->", reviews.loc[0, "tokens"])

# %% [markdown] id="af1ca433"
# ## Step 2: stop words, and the mistake that flips meaning
#
# The most frequent tokens are words like "the", "and", "it": they say nothing about what a customer
# cares about. A **stop-word list** removes them. Let us use a published English list as it is and
# look at what it does to real reviews. (This is the mistake, made on purpose.)

# %% id="2e15995c"
from course_utils.nlp import stop_words

published = stop_words(keep_negations=False)  # the list exactly as published
print(f"{len(published):,} stop words, including: {sorted({'not', 'no', 'never', 'nor'} & published)}")

examples = ["Not worth the price.", "Not what I expected.", "Never received my refund.",
            "The deal was not as good as advertised."]
for text in examples:
    print(f"{text:42} -> {[t for t in tokenize(text) if t not in published]}")

# %% [markdown] id="44b38991"
# "Not worth the price" has become "worth price", the **opposite** of what the customer said. Is
# that a rare accident? Count how often the reviews use a negation, by star rating:

# %% id="736ec07e"
NEGATIONS = {"not", "no", "never", "nor", "nothing", "none"}
uses_negation = reviews["tokens"].map(lambda tokens: bool(NEGATIONS & set(tokens) or any(t.endswith("n't") for t in tokens)))
share = uses_negation.groupby(reviews["rating"]).mean() * 100

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.bar(share.index.astype(str), share.to_numpy(), color=palette(1)[0])
ax.set(title="Negations live in the unhappy reviews",
       xlabel="Star rating (1 = worst, 5 = best)", ylabel="Reviews with a negation (%)")
for x, y in zip(share.index.astype(str), share.to_numpy()):
    ax.annotate(f"{y:.0f}%", (x, y), ha="center", va="bottom")
ax.margins(y=0.1)  # room above the tallest bar for its label
plt.show()

# %% [markdown] id="80f44b88"
# **What to see:** 1- and 2-star reviews contain a negation ("not", "never", "wasn't"...) about twice as
# often as 5-star reviews. Negations are not noise: they are where the complaint is. A stop-word list that
# deletes them deletes the very words that separate unhappy customers from happy ones, and makes
# "not good" look like "good".
#
# **The fix:** remove stop words *but keep negations*. `stop_words()` does this by default
# (`keep_negations=True`).

# %% id="f8a7869b"
STOPS = stop_words(keep_negations=True)
for text in examples:
    print(f"{text:42} -> {[t for t in tokenize(text) if t not in STOPS]}")

# %% [markdown] id="e359af7b"
# ### Check the list against your own domain
#
# A general list was written for general text. Before trusting it, look at which of *your* most
# frequent words it removes:

# %% id="e5bfb802"
top_words = [w for w, _ in vocab.most_common(150)]
removed_but_meaningful = [w for w in top_words if w in STOPS and len(w) > 3]
print(removed_but_meaningful)

# %% [markdown] id="daf68989"
# This long list (about 1,300 words) removes "good", "great", "value", "present" and "order" (and
# earlier it turned "not as good as advertised" into "deal not advertised").
# "Good" and "great" appear in every kind of review, so losing them costs little for *topics*
# (they will matter for *sentiment*, which does not use stop-word removal at all, see 05b). But
# "value" is how bargain hunters talk, and "present" is how gift buyers talk. We put those back:
# a stop-word list is a **choice** to document, not a given.

# %% id="dac3d83b"
DOMAIN_KEEP = {"value", "present", "presents"}
STOPS = STOPS - DOMAIN_KEEP


def clean_tokens(text):
    """Lower-cased word tokens, stop words removed, negations and domain words kept."""
    return [t for t in tokenize(text) if t not in STOPS]


reviews["clean"] = reviews["text"].map(clean_tokens)
print(reviews.loc[3, "text"], "\n->", reviews.loc[3, "clean"])

# %% [markdown] id="8635647f"
# ## Step 3: stemming
#
# "deliver", "delivered", "delivery" and "deliveries" are one idea written four ways. A **stemmer**
# cuts words back to a common stem with rules (no dictionary, so it works offline). NLTK has the
# classic **Porter** stemmer (1980) and its improved version, **Snowball** ("Porter2"):

# %% id="b0955f6c"
from nltk.stem import PorterStemmer, SnowballStemmer

porter, snowball = PorterStemmer(), SnowballStemmer("english")
words = ["delivery", "delivered", "deliveries", "packaging", "packaged", "wrapping", "wrapped",
         "disappointed", "disappointing", "beautifully", "generous", "generously", "university",
         "universe", "delivry"]
pd.DataFrame({"word": words, "Porter": [porter.stem(w) for w in words],
              "Snowball": [snowball.stem(w) for w in words]}).set_index("word").T

# %% [markdown] id="3d9b170f"
# What to see:
#
# - Stems are not words ("deliveri", "disappoint"): fine for counting, but show the *original* words
#   to people.
# - Stemming merges forms of one word ("wrapping", "wrapped"), and sometimes words that differ in
#   meaning ("university" and "universe" both become "univers": *over-stemming*).
# - The typo "delivry" gets its own stem: a stemmer does not correct spelling.
# - Porter and Snowball mostly agree; Snowball is the better-maintained choice ("generously").
#
# How much does it shrink the vocabulary?

# %% id="98ea4dab"
stemmed = reviews["clean"].map(lambda tokens: [snowball.stem(t) for t in tokens])
n_clean = len({t for tokens in reviews["clean"] for t in tokens})
n_stem = len({t for tokens in stemmed for t in tokens})
print(f"distinct tokens: {len(vocab_split):,} (split) -> {len(vocab):,} (tokenize) -> "
      f"{n_clean:,} (stop words out) -> {n_stem:,} (stemmed)")

# %% [markdown] id="9879379e"
# Each step removed variety that did not carry meaning. Fewer distinct tokens means each one has more
# examples, which helps counting and the models of lesson 05b. (For *sentiment* with [VADER](../glossary.md#vader) we keep the
# raw text: VADER needs the capitals, the punctuation and the original words.)

# %% [markdown] id="cb979985"
# ## Step 4: n-grams and frequency distributions
#
# Single words lose their neighbours: "price" is praise in "great price" and a complaint in "not worth
# the price". An **n-gram** is a run of n tokens; bigrams (n = 2) keep the pairs. NLTK's `ngrams` makes
# them and `FreqDist` counts them:

# %% id="b92a5bae"
from nltk import FreqDist, ngrams

print(list(ngrams(clean_tokens("Not worth the price, even with the discount."), 2)))

low = reviews["rating"] <= 2
high = reviews["rating"] >= 4
bigrams_low = FreqDist(bg for tokens in reviews.loc[low, "clean"] for bg in ngrams(tokens, 2))
bigrams_high = FreqDist(bg for tokens in reviews.loc[high, "clean"] for bg in ngrams(tokens, 2))
print(f"{bigrams_low.N():,} bigrams in {low.sum()} low-rated reviews, {bigrams_low.B():,} distinct")
bigrams_low.most_common(5)

# %% id="908b7508"
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))  # colours: Okabe-Ito vermillion (unhappy), bluish green (happy)
for ax, fd, title, colour in [(axes[0], bigrams_low, "1-2 star reviews", "#D55E00"),
                              (axes[1], bigrams_high, "4-5 star reviews", "#009E73")]:
    top = fd.most_common(10)[::-1]
    ax.barh([" ".join(bg) for bg, _ in top], [n for _, n in top], color=colour)
    ax.set(title=f"Top bigrams, {title}", xlabel="Occurrences (count)", ylabel="Bigram")
fig.suptitle("What unhappy and happy customers write about (stop words out, negations kept)")
fig.tight_layout()
plt.show()


# %% [markdown] id="590e54cf"
# **What to see:** unhappy customers write about delivery and returns problems ("late delivery",
# "wrong item", "refund eventually") and use negations ("wasn't happy", "not expected"); happy
# customers write about gifts, customer service, quick delivery, discount codes and craftsmanship.
# Note "never disappoints" on the happy side: a negation can also turn a complaint word into praise,
# so "contains a negation" is not the same as "negative" (VADER handles this in 05b). The bigrams already hint at *different kinds* of customers, not just at good and
# bad experiences: that is what lesson 05b turns into segments.
#
# And the mistake from step 2, seen through bigrams: with the published list, the negations vanish
# and "not worth" becomes a pair that praises.

# %% id="1738da7d"
def is_negation(token):
    return token in NEGATIONS or token.endswith("n't")


for label, stops in [("published list", published), ("negations kept", STOPS)]:
    fd = FreqDist(bg for text in reviews.loc[low, "text"]
                  for bg in ngrams([t for t in tokenize(text) if t not in stops], 2))
    negated = sum(n for bg, n in fd.items() if is_negation(bg[0]))
    print(f"{label:15} {negated:4} of {fd.N():,} bigrams in 1-2 star reviews start with a negation; "
          f"top 3: {[' '.join(bg) for bg, _ in fd.most_common(3)]}")

# %% [markdown] id="d332e216"
# With the published list, not one bigram of the unhappy reviews keeps its negation: "not worth the
# price" is counted as "worth price", a phrase that reads like praise. With negations kept, the same
# reviews say "wasn't happy" and "not expected", which is what the customers wrote.

# %% [markdown] id="b7d4e516"
# ## From tokens to a table
#
# Models need numbers: one row per review, one column per token, the count in each cell. This is the
# **[bag of words](../glossary.md#bag-of-words)**. scikit-learn's `CountVectorizer` builds it, and can use our own tokenizer so that
# every choice above (masking, lower case, negations, domain words) is kept:

# %% id="4136722f"
from sklearn.feature_extraction.text import CountVectorizer

bag = CountVectorizer(tokenizer=clean_tokens, token_pattern=None, lowercase=False, min_df=3)
X = bag.fit_transform(reviews["text"])
print(f"{X.shape[0]:,} reviews x {X.shape[1]:,} tokens, {X.nnz / np.prod(X.shape):.1%} of cells non-zero")
pd.Series(np.asarray(X.sum(axis=0)).ravel(), index=bag.get_feature_names_out()).nlargest(10)

# %% [markdown] id="55fc4292"
# The table is **[sparse](../glossary.md#sparse-matrix)** (almost all zeros): each review uses a handful of the hundreds of tokens.
# Raw counts favour words everybody writes; lesson 05b re-weights them with [TF-IDF](../glossary.md#tf-idf) and finds topics.

# %% [markdown] id="ff436811"
# ## Recap
#
# - **Mask personal data first**: patterns for e-mails and phone numbers, a look-up in the customer
#   table for names (a capitalised-words guess finds "Found Larkspur", not names).
# - **Tokenize** with a tokenizer that works offline (`RegexpTokenizer`, `TreebankWordTokenizer`,
#   `TweetTokenizer`, `word_tokenize(..., preserve_line=True)`), after lower-casing; choose one that
#   keeps what your question needs (here, whole contractions).
# - **Stop words**: never delete negations ("not worth" is not "worth"), and check the list against
#   your domain ("value", "present").
# - **Stemming** merges word forms but makes non-words, over-merges and ignores typos.
# - **N-grams and `FreqDist`** keep neighbouring words and show what each group of customers writes.
#
# **Next:** lesson `05b-sentiment-topics-segments`.
#
# ## To go further
#
# - Steven Bird, Ewan Klein and Edward Loper, *Natural Language Processing with Python* (the NLTK
#   book), chapters 1-3.
# - Christopher Manning, Prabhakar Raghavan and Hinrich Schütze, *Introduction to Information
#   Retrieval* (2008), chapter 2: tokenization, stop words, stemming.
# - Martin Porter (1980), "An algorithm for suffix stripping", *Program* 14(3): the Porter stemmer.
# - The UK ICO's guidance on data minimisation (UK GDPR Article 5(1)(c)).
