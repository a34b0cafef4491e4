"""Offline NLTK for the reviews lesson: VADER and stop words without any download.

``nltk.download()`` needs the internet, which classrooms behind firewalls,
Binder builds, nbgrader's sandbox and the course's tests do not have.
``python -m course_tools setup`` (run by ``make setup`` and Binder's
``postBuild``) calls :func:`ensure_nltk_data`, which writes what NLTK needs,
in the layout NLTK expects, into ``<sys.prefix>/share/nltk_data``: a folder
NLTK searches by default (see ``nltk.data.path``), so the standard calls work
in every kernel the course starts with this Python (JupyterLab, Binder,
nbgrader's autograde and the grading sandbox), with or without
``import course_utils``::

    from nltk.corpus import stopwords
    stopwords.words("english")              # NLTK's own list, 179 words
    from nltk.sentiment import SentimentIntensityAnalyzer
    SentimentIntensityAnalyzer()            # VADER

``COURSE_NLTK_DATA`` names another folder (it is then put on
``nltk.data.path`` by this module). Where ``sys.prefix`` cannot be written
(a shared read-only install whose administrator has not run the setup), the
course-local ``nltk_data/`` is used instead, found after ``import
course_utils.nlp``; a kernel that never imports it then gets NLTK's
``LookupError``, and the fix is ``python -m course_tools setup`` by whoever
owns the Python installation, never ``nltk.download``.

Which list is which:

==========================================  ==========================================================
``nltk.corpus.stopwords.words("english")``  NLTK's English list, 179 words (Snowball's list extended
                                            by NLTK), shipped in :mod:`course_utils.nltk_stopwords`
``course_utils.nlp.stop_words()``           the course's list: the ``stop-words`` package's English
                                            list (1,333 words, BSD-3-Clause) minus negations
``stop_words(keep_negations=False)``        that ``stop-words`` list as published, negations included
==========================================  ==========================================================

The lessons and exercise 5 use ``stop_words()``: it removes more filler words
from short reviews and keeps "not", "no" and "never", which carry sentiment.

- ``sentiment/vader_lexicon.zip`` holds ``vader_lexicon/vader_lexicon.txt``,
  copied from the ``vaderSentiment`` package (MIT licence, C.J. Hutto);
- ``corpora/stopwords/english`` is NLTK's list, with a README saying where
  it comes from.

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
import sys
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from course_utils import paths
from course_utils.nltk_stopwords import ENGLISH as NLTK_ENGLISH_STOPWORDS
from course_utils.nltk_stopwords import SOURCE as NLTK_STOPWORDS_SOURCE

STOPWORDS_SOURCE = "stop-words (PyPI, BSD-3-Clause), file stop_words/stop-words/english.txt"
VADER_SOURCE = "vaderSentiment 3.3.2 (PyPI, MIT licence), file vaderSentiment/vader_lexicon.txt"
#: Words kept by :func:`stop_words` by default, because they flip or weaken sentiment.
NEGATIONS = frozenset(
    {
        "no",
        "nor",
        "not",
        "never",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "cannot",
        "n't",
        "aren't",
        "can't",
        "couldn't",
        "didn't",
        "doesn't",
        "don't",
        "hadn't",
        "hasn't",
        "haven't",
        "isn't",
        "mightn't",
        "mustn't",
        "needn't",
        "shan't",
        "shouldn't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "against",
        "without",
    }
)
_README = f"""\
NLTK data for the course, prepared offline by `python -m course_tools setup`
(course_utils.nlp.ensure_nltk_data). Safe to delete: the same command rebuilds it.

sentiment/vader_lexicon.zip
    vader_lexicon/vader_lexicon.txt copied unchanged from the vaderSentiment
    package (MIT licence; Hutto and Gilbert, "VADER: A Parsimonious Rule-based
    Model for Sentiment Analysis of Social Media Text", ICWSM 2014).

corpora/stopwords/english
    NLTK's own English stop-word list (179 words), as nltk.download("stopwords")
    would install it. Source: {NLTK_STOPWORDS_SOURCE}.
    The course's course_utils.nlp.stop_words() is another, longer list (the
    `stop-words` package, BSD-3-Clause) that keeps negations by default.
"""


def default_nltk_dir() -> Path:
    """The folder :func:`ensure_nltk_data` fills: ``COURSE_NLTK_DATA``, else ``<sys.prefix>/share/nltk_data``.

    >>> default_nltk_dir().parts[-2:] == ("share", "nltk_data") or "COURSE_NLTK_DATA" in os.environ
    True
    """
    env = os.environ.get("COURSE_NLTK_DATA")
    if env:
        return Path(env).expanduser().resolve()
    return Path(sys.prefix).resolve() / "share" / "nltk_data"


def _vader_lexicon() -> bytes:
    return (importlib.resources.files("vaderSentiment") / "vader_lexicon.txt").read_bytes()


def _nltk_english_stopwords() -> bytes:
    """NLTK's corpus file ``stopwords/english``: one word per line."""
    return ("\n".join(NLTK_ENGLISH_STOPWORDS) + "\n").encode("utf-8")


@lru_cache(maxsize=1)
def _course_stopwords() -> frozenset[str]:
    """The ``stop-words`` package's English list, as published."""
    text = (importlib.resources.files("stop_words") / "stop-words" / "english.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip())


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


def _fill(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True, mode=0o755)
    _write_if_changed(
        target / "sentiment" / "vader_lexicon.zip", _zip_bytes("vader_lexicon/vader_lexicon.txt", _vader_lexicon())
    )
    _write_if_changed(target / "corpora" / "stopwords" / "english", _nltk_english_stopwords())
    _write_if_changed(target / "corpora" / "stopwords" / "README", _README.encode("utf-8"))
    _write_if_changed(target / "README.txt", _README.encode("utf-8"))
    _make_safe(target)


def _ready(target: Path) -> bool:
    """True when ``target`` already holds exactly what :func:`_fill` writes (nothing to write)."""
    try:
        return (target / "corpora" / "stopwords" / "english").read_bytes() == _nltk_english_stopwords() and (
            target / "sentiment" / "vader_lexicon.zip"
        ).read_bytes() == _zip_bytes("vader_lexicon/vader_lexicon.txt", _vader_lexicon())
    except OSError:
        return False


def ensure_nltk_data(folder: str | Path | None = None) -> Path:
    """Prepare an NLTK data folder (default :func:`default_nltk_dir`) and make sure NLTK searches it.

    Idempotent and offline: files are written only when missing or different,
    and a read-only folder that is already complete is used as it is (the
    grading sandbox). If the default folder cannot be written, the
    course-local ``nltk_data/`` is used instead. Returns the folder.

    >>> ensure_nltk_data() == ensure_nltk_data()
    True
    """
    import nltk

    target = (Path(folder) if folder is not None else default_nltk_dir()).expanduser().resolve()
    if _ready(target):
        try:
            _make_safe(target)
        except OSError:  # read-only and complete (the grading sandbox): NLTK can still read it
            pass
    else:
        try:
            _fill(target)
        except PermissionError:
            if folder is not None or "COURSE_NLTK_DATA" in os.environ:
                raise PermissionError(
                    f"cannot write NLTK data into {target}: choose a folder you can write "
                    "(COURSE_NLTK_DATA=...), then run `python -m course_tools setup` again."
                ) from None
            target = paths.nltk_data_dir()
            if not _ready(target):
                _fill(target)
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
def _tokenizer() -> Any:
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
    """The course's English stop words: the ``stop-words`` package's list (not NLTK's, see above).

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
    words = set(_course_stopwords())
    if keep_negations:
        words -= NEGATIONS
        words = {w for w in words if not w.endswith("n't")}
    return words


def vader() -> Any:
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
