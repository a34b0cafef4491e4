"""Offline NLTK for the reviews lesson: VADER and stop words without any download.

``nltk.download()`` needs the internet, which classrooms behind firewalls,
Binder builds and the course's tests do not have. Everything NLTK needs here
ships inside pip packages the course already installs, so
:func:`ensure_nltk_data` copies it into the course-local folder
:func:`course_utils.paths.nltk_data_dir` (``nltk_data/``, git-ignored) in the
layout NLTK expects, and puts that folder on ``nltk.data.path``:

- ``sentiment/vader_lexicon.zip`` holding ``vader_lexicon/vader_lexicon.txt``,
  copied from the ``vaderSentiment`` package (MIT licence, C.J. Hutto);
- ``corpora/stopwords/english``: the English list of the ``stop-words``
  package (BSD-3-Clause licence), with a README saying so.

NLTK 3.10 refuses data folders that other users can write to, so the folder
is created with permissions ``0o755`` (files ``0o644``).

>>> folder = ensure_nltk_data()
>>> (folder / "sentiment" / "vader_lexicon.zip").is_file()
True
>>> vader().polarity_scores("I love it")["compound"] > 0
True
>>> tokenize("Wasn't happy, not worth the price!")
["wasn't", 'happy', 'not', 'worth', 'the', 'price']
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import stat
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from course_utils import paths

STOPWORDS_SOURCE = "stop-words (PyPI, BSD-3-Clause), file stop_words/stop-words/english.txt"
VADER_SOURCE = "vaderSentiment 3.3.2 (PyPI, MIT licence), file vaderSentiment/vader_lexicon.txt"
#: Words kept by :func:`stop_words` by default, because they flip or weaken sentiment.
NEGATIONS = frozenset(
    {
        "no", "nor", "not", "never", "none", "nobody", "nothing", "nowhere", "neither", "cannot",
        "n't", "aren't", "can't", "couldn't", "didn't", "doesn't", "don't", "hadn't", "hasn't",
        "haven't", "isn't", "mightn't", "mustn't", "needn't", "shan't", "shouldn't", "wasn't",
        "weren't", "won't", "wouldn't", "against", "without",
    }
)
_README = """\
Course-local NLTK data, prepared offline by `python -m course_utils setup`
(course_utils.nlp.ensure_nltk_data). Safe to delete: it is rebuilt on demand.

sentiment/vader_lexicon.zip
    vader_lexicon/vader_lexicon.txt copied unchanged from the vaderSentiment
    package (MIT licence; Hutto and Gilbert, "VADER: A Parsimonious Rule-based
    Model for Sentiment Analysis of Social Media Text", ICWSM 2014).

corpora/stopwords/english
    The English stop-word list of the `stop-words` package (BSD-3-Clause
    licence, https://github.com/Alir3z4/stop-words), one word per line,
    unchanged. It is *not* NLTK's own list; it is longer. The course's
    course_utils.nlp.stop_words() removes negations from it by default.
"""


def _vader_lexicon() -> bytes:
    return (importlib.resources.files("vaderSentiment") / "vader_lexicon.txt").read_bytes()


def _english_stopwords() -> bytes:
    text = (importlib.resources.files("stop_words") / "stop-words" / "english.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip()]
    return ("\n".join(words) + "\n").encode("utf-8")


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _zip_bytes(name: str, data: bytes) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: same bytes every time
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, data)
    return buf.getvalue()


def _make_safe(folder: Path) -> None:
    """Remove group/other write permission on the folder tree (NLTK 3.10 refuses it otherwise)."""
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & (stat.S_IWGRP | stat.S_IWOTH):
            path.chmod(mode & ~(stat.S_IWGRP | stat.S_IWOTH))


def ensure_nltk_data(folder: str | Path | None = None) -> Path:
    """Prepare the course-local NLTK data folder and put it on ``nltk.data.path``.

    Idempotent and offline: files are written only when missing or different.
    Returns the folder.

    >>> ensure_nltk_data() == ensure_nltk_data()
    True
    """
    import nltk

    target = Path(folder) if folder is not None else paths.nltk_data_dir()
    target = target.expanduser().resolve()
    target.mkdir(parents=True, exist_ok=True, mode=0o755)
    _write_if_changed(
        target / "sentiment" / "vader_lexicon.zip", _zip_bytes("vader_lexicon/vader_lexicon.txt", _vader_lexicon())
    )
    _write_if_changed(target / "corpora" / "stopwords" / "english", _english_stopwords())
    _write_if_changed(target / "corpora" / "stopwords" / "README", _README.encode("utf-8"))
    _write_if_changed(target / "README.txt", _README.encode("utf-8"))
    _make_safe(target)
    if str(target) not in nltk.data.path:
        nltk.data.path.insert(0, str(target))
    return target


def fingerprint(folder: str | Path | None = None) -> str:
    """A short hash of the prepared files (to check that two set-ups agree).

    >>> len(fingerprint())
    12
    """
    target = Path(folder) if folder is not None else ensure_nltk_data()
    digest = hashlib.sha256()
    for rel in ("sentiment/vader_lexicon.zip", "corpora/stopwords/english"):
        digest.update((target / rel).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _tokenizer():
    from nltk.tokenize import RegexpTokenizer

    # words, keeping apostrophes inside them ("wasn't", "customer's"); punctuation dropped
    return RegexpTokenizer(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


def tokenize(text: str, lower: bool = True) -> list[str]:
    """Split text into word tokens offline (NLTK ``RegexpTokenizer``; no punkt download).

    Contractions stay whole (``"wasn't"``), so negations survive stop-word
    removal; punctuation is dropped; text is lower-cased unless ``lower=False``.

    >>> tokenize("Great quality, but delivry was REALLY slow :(")
    ['great', 'quality', 'but', 'delivry', 'was', 'really', 'slow']
    """
    tokens = _tokenizer().tokenize(text.replace("’", "'"))
    return [t.lower() for t in tokens] if lower else tokens


def stop_words(keep_negations: bool = True) -> set[str]:
    """The English stop-word list (NLTK corpus prepared by :func:`ensure_nltk_data`).

    Negations (``not``, ``no``, ``nor``, ``never``, ``wasn't``, ``n't``...) are
    kept by default (``keep_negations=True``): removing them turns "not worth
    the price" into "worth price", the opposite of what the customer meant,
    which hurts sentiment and topic features built from reviews. Pass
    ``keep_negations=False`` for the list as published.

    >>> "not" in stop_words(), "the" in stop_words()
    (False, True)
    >>> "not" in stop_words(keep_negations=False)
    True
    """
    ensure_nltk_data()
    from nltk.corpus import stopwords

    words = set(stopwords.words("english"))
    if keep_negations:
        words -= NEGATIONS
        words = {w for w in words if not w.endswith("n't")}
    return words


def vader():
    """A ready ``SentimentIntensityAnalyzer`` (VADER), working offline.

    Cheap to call repeatedly: the NLTK folder is prepared once per process
    (and again only if its lexicon has gone missing).

    >>> vader().polarity_scores("not good at all")["compound"] < 0
    True
    """
    from nltk.sentiment import SentimentIntensityAnalyzer

    _prepare_once()
    try:
        return SentimentIntensityAnalyzer()
    except LookupError:  # the folder was removed or damaged since: prepare it again
        _prepare_once.cache_clear()
        _prepare_once()
        return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _prepare_once() -> Path:
    return ensure_nltk_data()
