"""Known-wrong answers for assignment 06-ethics (and right ones that must pass)."""

import hashlib
import hmac

import pandas as pd

from course_utils.questions.m06_ethics import KEY, offers, people


def _keyed(email: str) -> str:
    return hmac.new(KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _tokens(func):
    return lambda: people()["email"].map(func)


def _release() -> pd.DataFrame:
    release = people()[["age", "gender", "postcode"]].copy()
    start = release["age"] // 10 * 10
    release["age"] = start.astype(str) + "-" + (start + 9).astype(str)
    release["postcode"] = release["postcode"].str.extract(r"^([A-Z]+)")[0]
    return release


def _sizes() -> pd.Series:
    return _release().groupby(["age", "gender", "postcode"]).size()


def _k_report(k, at_risk):
    return lambda: {"k": k(_sizes()), "at_risk": at_risk(_sizes())}


def _erase_right(customer_id, sources):
    if not any((t["customer_id"] == customer_id).any() for t in sources.values()):
        raise KeyError(customer_id)
    return {name: t[t["customer_id"] != customer_id].copy() for name, t in sources.items()}


def _erase_right_loop(customer_id, sources):
    found = False
    out = {}
    for name, table in sources.items():
        mine = table["customer_id"] == customer_id
        found = found or bool(mine.any())
        out[name] = table.loc[~mine].reset_index(drop=True)
    if not found:
        raise KeyError(f"unknown customer {customer_id}")
    return out


def _erase_missing_table(customer_id, sources):
    # the real mistake: a hard-coded list of the tables the author knew about
    out = dict(sources)
    for name in ("customers", "transactions", "reviews"):
        out[name] = sources[name][sources[name]["customer_id"] != customer_id]
    return out


def _erase_customers_only(customer_id, sources):
    out = dict(sources)
    out["customers"] = sources["customers"][sources["customers"]["customer_id"] != customer_id]
    return out


def _erase_in_place(customer_id, sources):
    for name in list(sources):  # overwrites the caller's dict: their copy is gone too
        sources[name] = sources[name][sources[name]["customer_id"] != customer_id]
    return sources


def _erase_no_keyerror(customer_id, sources):
    return {name: t[t["customer_id"] != customer_id] for name, t in sources.items()}


def _erase_drops_table(customer_id, sources):
    return {name: t[t["customer_id"] != customer_id] for name, t in sources.items() if name != "loyalty_cards"}


def _erase_too_much(customer_id, sources):
    if not any((t["customer_id"] == customer_id).any() for t in sources.values()):
        raise KeyError(customer_id)
    return {name: t.iloc[0:0] for name, t in sources.items()}


def _erase_every_table_must_have_it(customer_id, sources):
    # issue 13: raises KeyError as soon as one table lacks the customer
    out = {}
    for name, table in sources.items():
        if not (table["customer_id"] == customer_id).any():
            raise KeyError(f"{customer_id} not in {name}")
        out[name] = table[table["customer_id"] != customer_id].copy()
    return out


def _rates() -> pd.Series:
    return offers().groupby("age_band")["offered"].mean()


RIGHT = {
    "q1": [
        _tokens(_keyed),
    ],
    "q2": [_release],
    "q3": [_k_report(lambda s: int(s.min()), lambda s: int(s[s < 5].sum()))],
    "q4": [lambda: _erase_right, lambda: _erase_right_loop],
    "q5": [
        lambda: _rates() / _rates().max(),
    ],
    "q6": [
        lambda: set((_rates() / _rates().max()).loc[lambda r: r < 0.8].index),
        lambda: frozenset((_rates() / _rates().max()).loc[lambda r: r < 0.8].index.astype(str)),
    ],
}

WRONG = [
    # q1: an unkeyed hash, MD5, key glued on, no normalisation, swapped arguments, the e-mails themselves
    ("q1", _tokens(lambda e: hashlib.sha256(e.strip().lower().encode()).hexdigest()), "no key"),
    ("q1", _tokens(lambda e: hashlib.sha256(e.encode()).hexdigest()), "dictionary attack"),
    ("q1", _tokens(lambda e: hashlib.md5(e.strip().lower().encode()).hexdigest()), "MD5"),
    ("q1", _tokens(lambda e: hashlib.sha256((KEY + e.strip().lower()).encode()).hexdigest()), "not an HMAC"),
    ("q1", _tokens(lambda e: hmac.new(KEY.encode(), e.encode(), hashlib.sha256).hexdigest()), "lower-case"),
    (
        "q1",
        _tokens(lambda e: hmac.new(e.strip().lower().encode(), KEY.encode(), hashlib.sha256).hexdigest()),
        "swapped",
    ),
    ("q1", _tokens(lambda e: _keyed(e)[:16]), "shortened"),
    ("q1", _tokens(lambda e: hmac.new(KEY.encode(), e.strip().lower().encode(), hashlib.sha256).digest()), "bytes"),
    ("q1", lambda: people()["email"], "still e-mail"),
    ("q1", lambda: people()[["email"]], "whole table"),
    ("q1", lambda: people()["email"].map(_keyed).iloc[::-1], "another order"),
    ("q1", lambda: people()["email"].map(_keyed).iloc[:10], "keep one per customer"),
    # q2: numbers left, pd.cut intervals, outward code, first two characters, 5-year bands, identifiers kept
    ("q2", lambda: _release().assign(age=people()["age"]), "still a number"),
    ("q2", lambda: _release().assign(age=pd.cut(people()["age"], range(10, 100, 10), right=False)), "Interval"),
    ("q2", lambda: _release().assign(postcode=people()["postcode"].str.split().str[0]), "outward code"),
    ("q2", lambda: _release().assign(postcode=people()["postcode"].str[:2]), "first two characters"),
    (
        "q2",
        lambda: _release().assign(
            age=(people()["age"] // 5 * 5).astype(str) + "-" + (people()["age"] // 5 * 5 + 4).astype(str)
        ),
        "not its 10-year band",
    ),
    ("q2", lambda: _release().assign(email=people()["email"]), "still holds email"),
    ("q2", lambda: _release().drop(columns="gender"), "no column(s) 'gender'"),
    ("q2", lambda: _release().iloc[:100], "keep all"),
    # q3: number of groups, largest group, counting groups not customers, <= 5, numpy ints
    ("q3", _k_report(lambda s: int(len(s)), lambda s: int(s[s < 5].sum())), "number of groups"),
    ("q3", _k_report(lambda s: int(s.max()), lambda s: int(s[s < 5].sum())), "largest group"),
    ("q3", _k_report(lambda s: int(s.min()), lambda s: int((s < 5).sum())), "small *groups*"),
    ("q3", _k_report(lambda s: int(s.min()), lambda s: int(s[s <= 5].sum())), "exactly 5"),
    ("q3", _k_report(lambda s: s.min(), lambda s: s[s < 5].sum()), "NumPy integer"),
    ("q3", lambda: {"k": 1}, "missing the key"),
    # q4: erasure that misses one table, customers only, in place, no KeyError, drops a table, deletes everyone
    ("q4", lambda: _erase_missing_table, "reach *every* table"),
    ("q4", lambda: _erase_customers_only, "still holds"),
    ("q4", lambda: _erase_in_place, "in place"),
    ("q4", lambda: _erase_no_keyerror, "KeyError"),
    ("q4", lambda: _erase_drops_table, "'loyalty_cards'"),
    ("q4", lambda: _erase_too_much, "other customers"),
    ("q4", "erase", "should be a function"),
    ("q4", lambda: _erase_every_table_must_have_it, "only when the id is in"),
    # q5: the inverted ratio, raw rates, overall rate, counts, lowest rate, share not selected
    ("q5", lambda: _rates().max() / _rates(), "inverted"),
    ("q5", _rates, "selection rates themselves"),
    ("q5", lambda: _rates() / offers()["offered"].mean(), "overall"),
    (
        "q5",
        lambda: offers().groupby("age_band")["offered"].sum() / offers().groupby("age_band")["offered"].sum().max(),
        "counts",
    ),
    ("q5", lambda: _rates() / _rates().min(), "lowest"),
    ("q5", lambda: (1 - _rates()) / (1 - _rates()).max(), "not* selected"),
    ("q5", lambda: pd.DataFrame({"ratio": _rates() / _rates().max()}), "table"),
    # q6: the bands that pass, including the most favoured, a boolean Series, one string
    ("q6", lambda: set((_rates() / _rates().max()).loc[lambda r: r >= 0.8].index), "*pass*"),
    ("q6", lambda: set((_rates() / _rates().max()).loc[lambda r: r <= 1].index), "most-favoured"),
    ("q6", lambda: (_rates() / _rates().max()) < 0.8, "True/False"),
    ("q6", "18-29", "not one string"),
    ("q6", lambda: sorted((_rates() / _rates().max()).loc[lambda r: r < 0.8].index), "should be a set"),
    ("q5", lambda: (_rates() / _rates().max()).to_dict(), "should be a Series"),
    ("q1", lambda: list(people()["email"].map(_keyed)), "pandas Series"),
    ("q6", lambda: {"18-29"}, "missed"),
    ("q6", lambda: {"teens"}, "not age bands"),
]
