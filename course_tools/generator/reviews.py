"""Product reviews: who writes them, the star rating, and the text drawn from the phrase banks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_tools.generator import text as _text
from course_tools.generator.people import People
from course_tools.generator.segments import NO, POSITIVE_SENTENCE_P, RATING_P, REVIEW_P
from course_tools.generator.timeline import DAY, TOTAL_DAYS, fmt_day
from course_utils.data.schema import SEGMENTS


def reviews_table(
    rng: np.random.Generator, people: People, customers: pd.DataFrame, clean: pd.DataFrame, products: pd.DataFrame
) -> pd.DataFrame:
    """Reviews in date order, of products each writer bought; about 1% carry planted personal data."""
    seg, cust_ids = people.seg, people.cust_ids
    n = len(seg)
    writes = rng.random(n) < np.array([REVIEW_P[s] for s in seg])
    count = np.where(writes, 1 + rng.poisson(0.25, n), 0)
    buys = clean[clean["quantity"] > 0]
    by_cust = buys.groupby("cust", sort=True)
    first_idx = by_cust.indices
    sec = buys["sec"].to_numpy()
    prod = buys["product"].to_numpy()
    names = products["product_name"].str.lower().to_numpy()
    seg_names = np.asarray(SEGMENTS)
    rows = []
    for i in np.flatnonzero(count):
        idx = first_idx.get(i)
        if idx is None:
            continue
        s = int(seg[i])
        bank_name = seg_names[s] if s != NO else seg_names[int(rng.integers(0, 5))]
        for _ in range(int(count[i])):
            j = idx[int(rng.integers(0, len(idx)))]
            day = int(sec[j] // DAY + rng.integers(2, 21))
            if day > TOTAL_DAYS - 1:
                day = TOTAL_DAYS - 1
            rating = int(rng.choice(5, p=RATING_P[s])) + 1
            text = _review_text(rng, bank_name, rating, names[prod[j]])
            rows.append((i, day, rating, text))
    rows.sort(key=lambda r: (r[1], r[0]))
    k = len(rows)
    cust = np.array([r[0] for r in rows])
    texts = [r[3] for r in rows]
    # planted personal data in about 1% of reviews
    pii = np.flatnonzero(rng.random(k) < 0.01)
    for j in pii:
        c = customers.iloc[cust[j]]
        tmpl = _text.PII_TEMPLATES[int(rng.integers(0, len(_text.PII_TEMPLATES)))]
        texts[j] = texts[j] + tmpl.format(phone=c["phone"], email=c["email"], full_name=c["full_name"])
    return pd.DataFrame(
        {
            "review_id": np.array([f"RV{i + 1:06d}" for i in range(k)], dtype=object),
            "customer_id": cust_ids[cust] if k else np.array([], dtype=object),
            "review_date": fmt_day(np.array([r[1] for r in rows], dtype=np.int64)),
            "rating": np.array([r[2] for r in rows]).astype(str),
            "text": np.array(texts, dtype=object),
        }
    )


def _review_text(rng: np.random.Generator, bank_name: str, rating: int, product: str) -> str:
    bank = _text.BANKS[bank_name]
    generic = _text.BANKS["generic"]
    k = 1 + int(rng.binomial(2, 0.5))
    sentences = []
    overall = "pos" if rng.random() < POSITIVE_SENTENCE_P[rating] else "neg"
    for _ in range(k):
        b = bank if rng.random() < 0.8 else generic
        pol = overall if rng.random() < 0.85 else {"pos": "neg", "neg": "pos"}[overall]
        sentences.append(b[pol][int(rng.integers(0, len(b[pol])))])
    if rng.random() < 0.15 and 2 <= rating <= 4:
        b = bank if rng.random() < 0.8 else generic
        sentences.insert(int(rng.integers(0, len(sentences) + 1)), b["mixed"][int(rng.integers(0, len(b["mixed"])))])
    # no sentence twice
    sentences = list(dict.fromkeys(sentences))
    out = []
    for s in sentences:
        s = s.replace("{product}", product).replace(
            "{int}", _text.INTENSIFIERS[int(rng.integers(0, len(_text.INTENSIFIERS)))]
        )
        out.append(s[0].upper() + s[1:])
    text = " ".join(out)
    words = text.split(" ")
    for w_i, w in enumerate(words):
        core = w.strip(".,!?").lower()
        if core in _text.TYPOS and rng.random() < 0.12:
            words[w_i] = (
                w.lower().replace(core, _text.TYPOS[core])
                if w[0].islower()
                else w.replace(core.capitalize(), _text.TYPOS[core].capitalize())
            )
    return " ".join(words)
