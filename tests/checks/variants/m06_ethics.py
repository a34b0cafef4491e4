"""Answer variants for assignment 06-ethics, derived from ``PROPERTIES`` in its checks."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from course_utils.exercise import Given
from course_utils.questions.m06_ethics import KEY, offers, people
from tests.checks.variants import (
    Right,
    Wrong,
    as_list,
    dropped_key,
    dropped_row,
    extra_key,
    off_by_one,
    replaced,
    reversed_order,
    rounded,
    shuffled,
    wrong_dtype,
)


def _keyed(email: str) -> str:
    return hmac.new(KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _tokens() -> pd.Series:
    return people()["email"].map(_keyed)


def _release() -> pd.DataFrame:
    p = people()
    band = p["age"] // 10 * 10
    return pd.DataFrame(
        {
            "age": band.astype(str) + "-" + (band + 9).astype(str),
            "gender": p["gender"],
            "postcode": p["postcode"].str.extract(r"^([A-Z]+)")[0],
        }
    )


def _sizes() -> pd.Series:
    return _release().groupby(["age", "gender", "postcode"]).size()


def _report() -> dict[str, int]:
    s = _sizes()
    return {"k": int(s.min()), "at_risk": int(s[s < 5].sum())}


def _erase(customer_id, sources):
    hits = {name: t["customer_id"].eq(customer_id) for name, t in sources.items()}
    if not any(h.any() for h in hits.values()):
        raise KeyError(customer_id)
    return {name: t.loc[~hits[name]] for name, t in sources.items()}


def _erase_set(customer_id, sources):
    """Written differently: a set of ids seen, query()."""
    seen = set().union(*(set(t["customer_id"]) for t in sources.values()))
    if customer_id not in seen:
        raise KeyError(f"no customer {customer_id}")
    out = {}
    for name, table in sources.items():
        out[name] = table.query("customer_id != @customer_id").copy()
    return out


def _rates() -> pd.Series:
    return offers().groupby("age_band")["offered"].mean()


def _ratios() -> pd.Series:
    r = _rates()
    return r / r.max()


def _flagged() -> set[str]:
    r = _ratios()
    return set(r[r < 0.8].index)


VARIANTS = {
    "q1": [
        Right(
            "hmac.digest with a named digest, in a loop",
            lambda: pd.Series(
                [hmac.digest(KEY.encode(), e.strip().lower().encode(), "sha256").hex() for e in people()["email"]]
            ),
        ),
        Right(
            "str accessor normalisation then map",
            lambda: (
                people()["email"]
                .str.strip()
                .str.lower()
                .map(lambda e: hmac.new(KEY.encode(), e.encode(), hashlib.sha256).hexdigest())
            ),
        ),
        Wrong("type", "pandas Series", lambda: as_list(_tokens())),
        Wrong("type", "whole table", lambda: _tokens().to_frame()),
        Wrong("rows", "another order", lambda: reversed_order(_tokens())),
        Wrong("rows", "keep one per customer", lambda: dropped_row(_tokens())),
        Wrong(
            "method",
            "no key",
            lambda: people()["email"].map(lambda e: hashlib.sha256(e.strip().lower().encode()).hexdigest()),
        ),
        Wrong(
            "method",
            "not an HMAC",
            lambda: people()["email"].map(lambda e: hashlib.sha256((KEY + e.strip().lower()).encode()).hexdigest()),
        ),
        Wrong(
            "method",
            "SHA-1",
            lambda: people()["email"].map(
                lambda e: hmac.new(KEY.encode(), e.strip().lower().encode(), hashlib.sha1).hexdigest()
            ),
        ),
        Wrong(
            "hex",
            "bytes",
            lambda: people()["email"].map(
                lambda e: hmac.new(KEY.encode(), e.strip().lower().encode(), hashlib.sha256).digest()
            ),
        ),
        Wrong("hex", "shortened", lambda: _tokens().str[:20]),
        Wrong(
            "normalise",
            "lower-case each e-mail",
            lambda: people()["email"].map(lambda e: hmac.new(KEY.encode(), e.encode(), hashlib.sha256).hexdigest()),
        ),
    ],
    "q2": [
        Right(
            "pd.cut with text labels",
            lambda: _release().assign(
                age=pd.cut(
                    people()["age"],
                    bins=range(0, 130, 10),
                    right=False,
                    labels=[f"{a}-{a + 9}" for a in range(0, 120, 10)],
                ).astype(str)
            ),
        ),
        Right("columns in another order", lambda: _release()[["postcode", "age", "gender"]]),
        Wrong("type", "should be a DataFrame", lambda: _release().to_dict("list")),
        Wrong("columns", "still holds", lambda: _release().assign(customer_id=people()["customer_id"])),
        Wrong("columns", "nothing else", lambda: _release().assign(age_start=people()["age"] // 10 * 10)),
        Wrong("columns", "no column", lambda: _release().drop(columns="postcode")),
        Wrong("rows", "keep all", lambda: dropped_row(_release())),
        Wrong("rows", "same order", lambda: shuffled(_release()).reset_index(drop=True)),
        Wrong("age", "still a number", lambda: _release().assign(age=people()["age"])),
        Wrong(
            "age",
            "not its 10-year band",
            lambda: _release().assign(
                age=(people()["age"] // 10 * 10 + 1).astype(str) + "-" + (people()["age"] // 10 * 10 + 10).astype(str)
            ),
        ),
        Wrong("postcode", "outward code", lambda: _release().assign(postcode=people()["postcode"].str.split().str[0])),
        Wrong("postcode", "first two characters", lambda: _release().assign(postcode=people()["postcode"].str[:2])),
        Wrong("gender", "keep gender", lambda: _release().assign(gender=people()["gender"].str.lower().str[0])),
    ],
    "q3": [
        Right(
            "counted with value_counts",
            lambda: (lambda c: {"at_risk": int(c[c < 5].sum()), "k": int(c.min())})(_release().value_counts()),
        ),
        Wrong("type", "should be a dict", lambda: list(_report().values())),
        Wrong("type", "missing the key", lambda: dropped_key(_report(), "at_risk")),
        Wrong("type", "unexpected key", lambda: extra_key(_report(), "n_classes", 3)),
        Wrong("ints", "NumPy integer", lambda: replaced(_report(), "k", np.int64(_report()["k"]))),
        Wrong("ints", "whole number", lambda: replaced(_report(), "k", float(_report()["k"]))),
        Wrong("k", "smallest group", lambda: replaced(_report(), "k", off_by_one(_report()["k"]))),
        Wrong("k", "largest group", lambda: replaced(_report(), "k", int(_sizes().max()))),
        Wrong("at_risk", "exactly 5", lambda: replaced(_report(), "at_risk", int(_sizes()[_sizes() <= 5].sum()))),
        Wrong("at_risk", "small *groups*", lambda: replaced(_report(), "at_risk", int((_sizes() < 5).sum()))),
        Right("with the right release as context", lambda: Given(_report(), release=_release())),
        Wrong(
            "depends_q2",
            "question 2",
            lambda: (
                lambda r: Given(
                    (lambda c: {"k": int(c.min()), "at_risk": int(c[c < 5].sum())})(
                        r.groupby(["age", "gender", "postcode"]).size()
                    ),
                    release=r,
                )
            )(_release().assign(postcode=people()["postcode"].str.split().str[0])),
        ),
    ],
    "q4": [
        Right("boolean masks kept per table", lambda: _erase),
        Right("query() and a set of ids", lambda: _erase_set),
        Wrong(
            "type", "should be a function", lambda: _erase("C00001", {"t": pd.DataFrame({"customer_id": ["C00001"]})})
        ),
        Wrong("returns", "should return a dict", lambda: lambda cid, s: list(_erase(cid, s).values())),
        Wrong("returns", "the result has no table", lambda: lambda cid, s: dropped_key(_erase(cid, s), "reviews")),
        Wrong(
            "erased", "still holds", lambda: lambda cid, s: replaced(_erase(cid, s), "transactions", s["transactions"])
        ),
        Wrong("others", "other customers", lambda: lambda cid, s: {n: t.iloc[1:] for n, t in _erase(cid, s).items()}),
        Wrong(
            "no_mutation",
            "in place",
            lambda: lambda cid, s: [s.__setitem__(n, t) for n, t in _erase(cid, s).items()] and s,
        ),
        Wrong(
            "some_tables",
            "only when the id is in",
            lambda: (
                lambda cid, s: (
                    _erase(cid, s)
                    if all(t["customer_id"].eq(cid).any() for t in s.values())
                    else (_ for _ in ()).throw(KeyError(cid))
                )
            ),
        ),
        Wrong(
            "unknown", "raise a KeyError", lambda: lambda cid, s: {n: t[t["customer_id"] != cid] for n, t in s.items()}
        ),
        Wrong(
            "unknown",
            "you raised ValueError",
            lambda: (
                lambda cid, s: (
                    _erase(cid, s)
                    if any(t["customer_id"].eq(cid).any() for t in s.values())
                    else (_ for _ in ()).throw(ValueError(cid))
                )
            ),
        ),
    ],
    "q5": [
        Right(
            "rates by sum/count, then divided",
            lambda: (lambda g: (g.sum() / g.count()) / (g.sum() / g.count()).max())(
                offers().groupby("age_band")["offered"]
            ),
        ),
        Right("bands in another order", lambda: shuffled(_ratios())),
        Right("rounded to three decimals", lambda: rounded(_ratios(), 3)),
        Wrong("type", "should be a Series", lambda: _ratios().to_dict()),
        Wrong("type", "table", lambda: _ratios().to_frame("ratio")),
        Wrong("type", "hold numbers", lambda: wrong_dtype(_ratios(), str).str.replace(".", ",")),
        Wrong("index", "one value per age band", lambda: dropped_row(_ratios())),
        Wrong("index", "one value per age band", lambda: _ratios().reset_index(drop=True)),
        Wrong("value", "inverted", lambda: 1 / _ratios()),
        Wrong("value", "selection rates themselves", lambda: _rates()),
        Wrong("value", "overall", lambda: _rates() / offers()["offered"].mean()),
    ],
    "q6": [
        Right("a frozenset from a comprehension", lambda: frozenset(b for b, r in _ratios().items() if r < 0.8)),
        Wrong("type", "should be a set", lambda: sorted(_flagged())),
        Wrong("type", "not one string", lambda: next(iter(_flagged()))),
        Wrong("type", "True/False", lambda: _ratios() < 0.8),
        Wrong("labels", "not age bands", lambda: {b.replace("-", " to ") for b in _flagged()}),
        Wrong("value", "*pass*", lambda: set(_ratios().index) - _flagged()),
        Wrong("value", "missed", lambda: set(sorted(_flagged())[:-1])),
        Wrong("value", "most-favoured", lambda: _flagged() | {_ratios().idxmax()}),
        Right("with the right ratios as context", lambda: Given(_flagged(), ratios=_ratios())),
        Wrong("depends_q5", "question 5", lambda: Given(set(_ratios().index) - {_ratios().idxmax()}, ratios=_rates())),
    ],
}
