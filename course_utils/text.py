"""Small text plumbing for module 5: find and mask personal data in free text.

Reviews are written by people, and people write their phone number, their
e-mail address or their name in them. Before any analysis (and before a text
is shown on a slide), replace those by placeholders: ``[EMAIL]``, ``[PHONE]``,
``[NAME]``. Lesson 05a builds the patterns step by step; this module is the
packaged version the later notebooks reuse.

Names cannot be found by a pattern ("Rose" is a flower, "Bath" a city): they
are found by looking up the names the company already holds (the customer
table), as whole words, case-insensitively.

>>> mask_pii("Lovely. Call 07700 900123 or write to ann.lee@post.example - Ann Lee", names=["Ann Lee"])
'Lovely. Call [PHONE] or write to [EMAIL] - [NAME]'
>>> find_pii("mail me: bob@inbox.example")
[('email', 'bob@inbox.example')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["EMAIL_RE", "PHONE_RE", "find_pii", "mask_pii"]

#: An e-mail address: name part, ``@``, a domain with at least one dot.
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

#: A UK phone number as people write it: ``07700 900123``, ``(0117) 496 0877``,
#: ``+44 (0)20 7946 0123``, ``+441174960098``. Digits not preceded or followed by
#: another digit or letter, so prices, dates and order numbers are left alone.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w])")

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*")


class _Names:
    """A set of known full names, looked up as runs of whole words."""

    def __init__(self, names: Iterable[str]) -> None:
        if isinstance(names, str):
            raise TypeError(
                "names should be a list of full names such as ['Ann Lee', 'Bob Stone'], not one "
                f"string ({names[:40]!r}); wrap it in a list."
            )
        keys = set()
        for name in names:
            if not isinstance(name, str):
                continue  # missing names (NaN) in a customer table are skipped
            words = _WORD_RE.findall(name)
            if words:
                keys.add(" ".join(w.lower() for w in words))
        self.keys = keys
        self.longest = max((k.count(" ") + 1 for k in keys), default=0)

    def spans(self, text: str) -> list[tuple[int, int]]:
        words = list(_WORD_RE.finditer(text))
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                key = " ".join(m.group().lower() for m in words[i : i + size])
                if key in self.keys:
                    out.append((words[i].start(), words[i + size - 1].end()))
                    i += size
                    break
            else:
                i += 1
        return out


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(
            f"expected the text of one review (a str), got {type(text).__name__} ({text!r:.40}). "
            "For a whole column, pass the pandas Series: mask_pii(reviews['text'], names)."
        )
    return text


def _find(text: str, names: _Names) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), "email") for m in EMAIL_RE.finditer(text)]
    found += [(m.start(), m.end(), "phone") for m in PHONE_RE.finditer(text)]
    found += [(a, b, "name") for a, b in names.spans(text)]
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in found:  # an e-mail such as ann.lee@... also contains a name: keep the first, longest match
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, kind))
    return kept


def find_pii(text: Any, names: Iterable[str] | _Names = ()) -> Any:
    """List the personal data found in ``text`` as ``(kind, matched text)`` pairs.

    ``kind`` is ``"email"``, ``"phone"`` or ``"name"`` (names only from ``names``).
    ``text`` is one string, or a pandas Series of strings (then the result is a
    Series of lists, and the names are prepared once: much faster).

    >>> find_pii("Thanks, Jo Bloggs (jo@webmail.example), 0161 496 0123", names=["Jo Bloggs"])
    [('name', 'Jo Bloggs'), ('email', 'jo@webmail.example'), ('phone', '0161 496 0123')]
    >>> find_pii("Paid £20 on 12/03/2025 for 2 mugs")
    []
    >>> import pandas as pd
    >>> find_pii(pd.Series(["x@y.example", "nothing"])).tolist()
    [[('email', 'x@y.example')], []]
    """
    prepared = names if isinstance(names, _Names) else _Names(names)
    if hasattr(text, "map") and not isinstance(text, str):  # a pandas Series
        return text.map(lambda t: find_pii(t, prepared) if isinstance(t, str) else [])
    text = _check_text(text)
    return [(kind, text[a:b]) for a, b, kind in _find(text, prepared)]


def mask_pii(text: Any, names: Iterable[str] | _Names = ()) -> Any:
    """Replace e-mails, phone numbers and known names by ``[EMAIL]``, ``[PHONE]``, ``[NAME]``.

    ``text`` is one string or a pandas Series of strings (then the names are
    prepared once, and missing values stay missing).

    >>> mask_pii("Ring me on +44 (0)20 7946 0123, Mr Sam Hill", names=["Mr Sam Hill"])
    'Ring me on [PHONE], [NAME]'
    >>> import pandas as pd
    >>> mask_pii(pd.Series(["no contact details", "x@y.example"])).tolist()
    ['no contact details', '[EMAIL]']
    """
    prepared = names if isinstance(names, _Names) else _Names(names)
    if hasattr(text, "map") and not isinstance(text, str):  # a pandas Series
        return text.map(lambda t: mask_pii(t, prepared) if isinstance(t, str) else t)
    text = _check_text(text)
    out = []
    last = 0
    for start, end, kind in _find(text, prepared):
        out.append(text[last:start])
        out.append(f"[{kind.upper()}]")
        last = end
    out.append(text[last:])
    return "".join(out)
