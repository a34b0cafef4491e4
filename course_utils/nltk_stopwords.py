"""NLTK's own English stop-word list, shipped so that ``stopwords.words('english')`` works offline.

``nltk.corpus.stopwords.words("english")`` reads ``corpora/stopwords/english`` from an NLTK data
folder, which normally comes from ``nltk.download("stopwords")``: impossible offline. This module
holds that file's words, unchanged and in order, so :func:`course_utils.nlp.ensure_nltk_data` can
write the corpus where every kernel of the course finds it.

Source: the ``stopwords`` package of NLTK Data (https://github.com/nltk/nltk_data,
``packages/corpora/stopwords.zip``, file ``stopwords/english``), the 179-word English list NLTK
users know. NLTK Data credits the lists to the Snowball project (http://snowball.tartarus.org/,
BSD-3-Clause, copyright (c) 2001 Dr Martin Porter), the English one extended by the NLTK project
with contractions such as "don't"; it is redistributed here under those terms, with this credit.
It was copied once, by hand, and is checked by ``tests/test_nlp_offline.py`` (179 distinct words,
"i" first, "wouldn't" last).

It is *not* the list :func:`course_utils.nlp.stop_words` returns (the longer ``stop-words``
package list, negations kept): see the table in :mod:`course_utils.nlp`.

>>> len(ENGLISH), ENGLISH[:4], ENGLISH[-1]
(179, ('i', 'me', 'my', 'myself'), "wouldn't")
"""

from __future__ import annotations

__all__ = ["ENGLISH", "SOURCE"]

SOURCE = "NLTK Data, stopwords corpus, file stopwords/english (Snowball stop list, BSD-3-Clause, extended by NLTK)"

ENGLISH: tuple[str, ...] = (
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "you're", "you've", "you'll",
    "you'd", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "she's",
    "her", "hers", "herself", "it", "it's", "its", "itself", "they", "them", "their", "theirs",
    "themselves", "what", "which", "who", "whom", "this", "that", "that'll", "these", "those", "am",
    "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does",
    "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while",
    "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during",
    "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all",
    "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only",
    "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "don't",
    "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "aren't",
    "couldn", "couldn't", "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't", "hasn", "hasn't",
    "haven", "haven't", "isn", "isn't", "ma", "mightn", "mightn't", "mustn", "mustn't", "needn",
    "needn't", "shan", "shan't", "shouldn", "shouldn't", "wasn", "wasn't", "weren", "weren't", "won",
    "won't", "wouldn", "wouldn't",
)
