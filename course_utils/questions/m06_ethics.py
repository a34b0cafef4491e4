"""Checks for assignment ``06-ethics``: pseudonymise, generalise, k-anonymity, erasure, disparate impact.

Each check compares the student's answer with the tested helpers of
:mod:`course_utils.privacy` and :mod:`course_utils.fairness`, and recognises
the usual mistakes (a plain hash, a missed table, an inverted ratio...).

>>> import hashlib
>>> q1.check(people()["email"].map(lambda e: hashlib.sha256(e.encode()).hexdigest()))
Traceback (most recent call last):
...
course_utils.exercise.Incorrect: Incorrect: these are plain SHA-256 hashes with no key: anyone can hash a list of guessed e-mails and reverse them (the dictionary attack of lesson 6a). Use hmac.new(KEY.encode(), email.encode(), hashlib.sha256).hexdigest().
"""  # noqa: E501 - a doctest output line (the exact message) cannot wrap

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import Incorrect, Question, require_keys, require_type, within
from course_utils.fairness import FOUR_FIFTHS, disparate_impact
from course_utils.privacy import generalise, k_anonymity, pseudonymise

#: The exercise's secret key. In real life it lives in a vault, never in a notebook.
KEY = "exercise-only-key-1f4c9a2e7b3d5c8e"

QUASI = ["age", "gender", "postcode"]
AGE_BINS = [17, 29, 39, 49, 59, 69, 120]
AGE_LABELS = ["18-29", "30-39", "40-49", "50-59", "60-69", "70+"]

# -- data used by the exercise (the notebook's setup cell calls these) ------------------


@lru_cache(maxsize=1)
def _people() -> pd.DataFrame:
    from course_utils.data import load_customers

    table = load_customers()[["customer_id", "email", "age", "gender", "postcode"]].copy()
    table["gender"] = table["gender"].astype(str)
    # e-mails as customers typed them at checkout: some capitals, some stray spaces
    emails = table["email"].astype(str).to_numpy(dtype=object)
    emails[::7] = [e[:1].upper() + e[1:] for e in emails[::7]]
    emails[3::11] = [e + " " for e in emails[3::11]]
    table["email"] = pd.Series(emails, index=table.index, dtype=object)
    return table.reset_index(drop=True)


def people() -> pd.DataFrame:
    """Larkspur's customers: id, e-mail (as typed), age, gender, postcode (a fresh copy)."""
    return _people().copy()


@lru_cache(maxsize=1)
def _offers() -> pd.DataFrame:
    from course_utils.data import load_customers, load_transactions
    from course_utils.features import customer_features

    features = customer_features(load_transactions())
    ages = load_customers().set_index("customer_id")["age"]
    table = pd.DataFrame({"customer_id": features.index.astype(str)})
    table["age_band"] = pd.cut(ages.loc[features.index].to_numpy(), bins=AGE_BINS, labels=AGE_LABELS).astype(str)
    rule = (features["avg_item_price_gbp"] >= 20) & (features["frequency"] >= 8)
    table["offered"] = rule.to_numpy()
    return table


def offers() -> pd.DataFrame:
    """Who receives the 'premium regulars' offer (item price >= GBP 20 and >= 8 orders), with age band."""
    return _offers().copy()


# -- small helpers ------------------------------------------------------------------------


def _as_series(value: Any, what: str, length: int) -> pd.Series:
    if isinstance(value, pd.DataFrame):
        raise Incorrect(f"{what} is a whole table; it should be one column (a Series), e.g. people['email'].map(...).")
    if isinstance(value, (list, tuple, np.ndarray)):
        raise Incorrect(
            f"{what} should be a pandas Series (one token per row of `people`), but it is a {type(value).__name__}."
        )
    require_type(value, pd.Series, what)
    if len(value) != length:
        raise Incorrect(f"{what} has {len(value)} values, but there are {length} customers: keep one per customer.")
    return value.reset_index(drop=True)


def _hex(func: Callable[[str], str], emails: pd.Series) -> list[str]:
    return [func(e) for e in emails]


def _same(a: Any, b: Any) -> bool:
    """Same values in the same order, whatever the dtype (object vs str) or index."""
    return list(a) == list(b)


def _blame_earlier(
    checker: Callable[[Any], None], earlier: Callable[[Any], None], name: str, number: int
) -> Callable[[Any, dict[str, Any]], None]:
    """``checker`` as a context checker that blames question ``number`` when its ``name`` is wrong too."""

    def run(value: Any, context: dict[str, Any]) -> None:
        try:
            checker(value)
        except Incorrect:
            if name in context:
                try:
                    earlier(context[name])
                except Incorrect as err:
                    raise Incorrect(
                        f"your `{name}` (question {number}) is not right yet, and this answer builds on it: "
                        f"{str(err).removeprefix('Incorrect: ')} Fix question {number} first, then redo this one."
                    ) from None
            raise

    return run


# -- q1: pseudonymise with a keyed hash --------------------------------------------------


def _check_tokens(value: Any) -> None:
    emails = _people()["email"]
    tokens = _as_series(value, "`tokens`", len(emails))
    if tokens.map(lambda t: isinstance(t, bytes)).any():
        raise Incorrect("your tokens are bytes (from .digest()); use .hexdigest() to get 64-character hex text.")
    if not tokens.map(lambda t: isinstance(t, str)).all():
        raise Incorrect("every token should be text (a hex string from .hexdigest()).")
    tokens = tokens.astype(object)
    if _same(tokens, emails) or tokens.str.contains("@").any():
        raise Incorrect("these are still e-mail addresses: replace each one by its keyed hash.")
    expected = pseudonymise(emails, KEY).astype(object).reset_index(drop=True)
    if _same(tokens, expected):
        return
    norm = emails.str.strip().str.lower()

    def sha256(e: str) -> str:
        return hashlib.sha256(e.encode()).hexdigest()

    if _same(tokens, _hex(sha256, norm)) or _same(tokens, _hex(sha256, emails)):
        raise Incorrect(
            "these are plain SHA-256 hashes with no key: anyone can hash a list of guessed e-mails and reverse "
            "them (the dictionary attack of lesson 6a). Use hmac.new(KEY.encode(), email.encode(), "
            "hashlib.sha256).hexdigest()."
        )
    if _same(tokens, _hex(lambda e: hashlib.md5(e.encode()).hexdigest(), norm)) or _same(
        tokens, _hex(lambda e: hashlib.md5(e.encode()).hexdigest(), emails)
    ):
        raise Incorrect("these are plain MD5 hashes: no key, and MD5 is broken. Use HMAC with SHA-256 and KEY.")
    salted = _hex(lambda e: hashlib.sha256((KEY + e).encode()).hexdigest(), norm)
    if _same(tokens, salted) or _same(tokens, _hex(lambda e: hashlib.sha256((e + KEY).encode()).hexdigest(), norm)):
        raise Incorrect(
            "you glued the key to the e-mail and hashed it: close, but not an HMAC (that construction has known "
            "weaknesses). Use hmac.new(KEY.encode(), email.encode(), hashlib.sha256)."
        )
    swapped = _hex(lambda e: hmac.new(e.encode(), KEY.encode(), hashlib.sha256).hexdigest(), norm)
    if _same(tokens, swapped):
        raise Incorrect("you swapped key and message: hmac.new(key, message, ...) takes KEY first, the e-mail second.")
    if _same(tokens, pseudonymise(emails, KEY, normalise=False).astype(object).reset_index(drop=True)):
        raise Incorrect(
            "right method, but the same address typed 'Ann@x.uk ' and 'ann@x.uk' gets two different tokens. "
            "Strip spaces and lower-case each e-mail before hashing."
        )
    if tokens.str.len().lt(64).all() and all(e.startswith(t) for t, e in zip(tokens, expected, strict=False)):
        raise Incorrect("you shortened the tokens; keep the full 64 hex characters of .hexdigest().")
    if sorted(tokens) == sorted(expected):
        raise Incorrect(
            "the right tokens, but in another order: keep one token per row of `people`, in the same order."
        )
    other_sha = _hex(lambda e: hmac.new(KEY.encode(), e.encode(), hashlib.sha1).hexdigest(), norm)
    if _same(tokens, other_sha):
        raise Incorrect("that is HMAC with SHA-1; use hashlib.sha256 as the digest.")
    raise Incorrect(
        "these tokens are not HMAC-SHA256(KEY, e-mail) of the stripped, lower-cased e-mails. Check the key, "
        "the digest (sha256) and .hexdigest()."
    )


q1 = Question(
    "tokens",
    _check_tokens,
    hints=[
        "A keyed hash mixes a secret key into the hash: Python's `hmac` module does it. Normalise each e-mail first.",
        "For one e-mail: `hmac.new(KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()`.",
        "Apply it to every e-mail with `people['email'].map(...)`.",
    ],
    solution=(
        "def keyed(email):\n"
        "    return hmac.new(KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()\n\n"
        "tokens = people['email'].map(keyed)"
    ),
    praise="Without KEY, nobody can rebuild these tokens from guessed e-mails, yet the same e-mail always joins.",
)

# -- q2: generalise ------------------------------------------------------------------------


def _expected_release() -> pd.DataFrame:
    return generalise(_people()[QUASI], postcode_level="area").reset_index(drop=True)


def _check_release(value: Any) -> None:
    require_type(value, pd.DataFrame, "`release`")
    expected = _expected_release()
    missing = [c for c in QUASI if c not in value.columns]
    if missing:
        raise Incorrect(f"`release` has no column(s) {', '.join(map(repr, missing))}; keep age, gender and postcode.")
    extra = [str(c) for c in value.columns if c not in QUASI]
    if extra:
        raise Incorrect(
            f"`release` still holds {', '.join(extra)}: a released table keeps only the generalised columns "
            "age, gender and postcode, nothing else."
        )
    if len(value) != len(expected):
        raise Incorrect(f"`release` has {len(value)} rows; keep all {len(expected)} customers (do not drop any here).")
    got = value[QUASI].reset_index(drop=True)
    ages = got["age"]
    if pd.api.types.is_numeric_dtype(ages):
        raise Incorrect("age is still a number: replace it with its 10-year band, written like '30-39'.")
    if ages.map(lambda a: isinstance(a, pd.Interval)).any():
        raise Incorrect("age holds pd.Interval objects (from pd.cut); write bands as text like '30-39'.")
    ages = ages.astype(str)
    rows = got.astype(str).apply(tuple, axis=1)
    if not _same(rows, expected.astype(str).apply(tuple, axis=1)) and sorted(rows) == sorted(
        expected.astype(str).apply(tuple, axis=1)
    ):
        raise Incorrect("the rows of `release` are not in the order of `people`: keep all rows, in the same order.")
    if not _same(ages, expected["age"].astype(str)):
        first = int(np.argmax(ages.to_numpy() != expected["age"].astype(str).to_numpy()))
        age = int(_people()["age"].iloc[first])
        raise Incorrect(
            f"age {age} is written {ages.iloc[first]!r}, which is not its 10-year band. Bands are 10 years wide, start "
            "at multiples of 10 and are written like '30-39' (34 -> '30-39', 70 -> '70-79')."
        )
    if not _same(got["gender"].astype(str), expected["gender"].astype(str)):
        raise Incorrect("keep gender as it is (it is already coarse).")
    postcodes = got["postcode"].astype(str)
    if _same(postcodes, generalise(_people()[QUASI], age_col=None)["postcode"].astype(str)):
        raise Incorrect(
            "that is the outward code (e.g. 'W8'); the question asks for the postcode *area*: its leading letters "
            "only ('W')."
        )
    if _same(postcodes, _people()["postcode"].astype(str).str[:2]):
        raise Incorrect(
            "the first two characters are not the area: 'W8 4GD' has area 'W', 'SR22 1BE' has 'SR'. Keep the leading "
            "letters."
        )
    if not _same(postcodes, expected["postcode"].astype(str)):
        raise Incorrect("postcode should be the area: the one or two letters at the start (e.g. 'SR' for 'SR22 1BE').")


q2 = Question(
    "release",
    _check_release,
    hints=[
        "Two columns change: age becomes a 10-year band such as '30-39', postcode becomes its area (leading letters).",
        "Band start: `age // 10 * 10`. Area: `postcode.str.extract(r'^([A-Z]+)')[0]`.",
        "`course_utils.privacy.generalise(people[['age', 'gender', 'postcode']], postcode_level='area')` does both; "
        "try writing it yourself first.",
    ],
    solution=(
        "release = people[['age', 'gender', 'postcode']].copy()\n"
        "start = release['age'] // 10 * 10\n"
        "release['age'] = start.astype(str) + '-' + (start + 9).astype(str)\n"
        "release['postcode'] = release['postcode'].str.extract(r'^([A-Z]+)')[0]"
    ),
    praise="Each customer now hides among everyone with the same band, gender and postcode area.",
)

# -- q3: k-anonymity ---------------------------------------------------------------------------


def _check_k_report(value: Any) -> None:
    require_type(value, dict, "`k_report`")
    require_keys(value, ["k", "at_risk"], "`k_report`")
    result = k_anonymity(_expected_release(), QUASI, k=5)
    for key in ("k", "at_risk"):
        got = value[key]
        if isinstance(got, (np.integer,)):
            raise Incorrect(f"k_report[{key!r}] is a NumPy integer; wrap it in int(...) so it is a plain Python int.")
        if isinstance(got, bool) or not isinstance(got, int):
            raise Incorrect(f"k_report[{key!r}] should be a whole number (int), but it is {got!r}.")
    sizes = result.class_sizes["size"]
    k = value["k"]
    if k != result.k:
        if k == result.n_classes:
            raise Incorrect("k is not the number of groups: it is the size of the *smallest* group.")
        if k == int(sizes.max()):
            raise Incorrect("that is the largest group; k-anonymity is set by the *smallest* group.")
        if k == len(sizes) or k == int(round(sizes.mean())):
            raise Incorrect("k is the size of the smallest group, not an average or a count of groups.")
        raise Incorrect("k should be the size of the smallest group of rows sharing age band, gender and area.")
    at_risk = value["at_risk"]
    if at_risk != result.rows_at_risk:
        if at_risk == len(result.violations):
            raise Incorrect("you counted the small *groups*; count the *customers* in them (sum their sizes).")
        if at_risk == int(sizes[sizes <= 5].sum()):
            raise Incorrect("a group of exactly 5 is fine for k = 5: count customers in groups *smaller* than 5.")
        if at_risk == int((sizes == 1).sum()):
            raise Incorrect("that counts only customers alone in their group; count every group smaller than 5.")
        raise Incorrect("at_risk should count the customers whose group has fewer than 5 rows.")


q3 = Question(
    "k_report",
    _blame_earlier(_check_k_report, _check_release, "release", 2),
    optional=("release",),
    hints=[
        "Group `release` by the three columns and count rows: `release.groupby(['age', 'gender', 'postcode']).size()`.",
        "k is the smallest of those sizes. at_risk adds up the sizes that are below 5.",
        "Wrap both in int(...) so they are plain Python ints.",
    ],
    solution=(
        "sizes = release.groupby(['age', 'gender', 'postcode'], observed=True).size()\n"
        "k_report = {'k': int(sizes.min()), 'at_risk': int(sizes[sizes < 5].sum())}"
    ),
    praise="k is set by the smallest group, and those small groups are the customers a linkage can find.",
)

# -- q4: erasure across every table ----------------------------------------------------------


def _test_sources() -> dict[str, pd.DataFrame]:
    return {
        "customers": pd.DataFrame(
            {"customer_id": ["C00001", "C00002", "C00003"], "email": ["a@x.example", "b@x.example", "c@x.example"]}
        ),
        "transactions": pd.DataFrame(
            {
                "invoice": ["INV1", "INV2", "INV3", "INV4"],
                "customer_id": ["C00002", "C00001", "C00002", "C00003"],
                "quantity": [1, 2, 3, 4],
            }
        ),
        "reviews": pd.DataFrame(
            {"review_id": ["R1", "R2"], "customer_id": ["C00002", "C00003"], "text": ["ok", "good"]}
        ),
        "loyalty_cards": pd.DataFrame({"card": ["L1", "L2"], "customer_id": ["C00003", "C00002"]}),
    }


def _check_erase(value: Any) -> None:
    if not callable(value) or isinstance(value, type):
        raise Incorrect("`erase` should be a function: def erase(customer_id, sources): ... return new_sources")
    sources = _test_sources()
    before = {name: table.copy() for name, table in sources.items()}
    try:
        result = value("C00002", sources)
    except Exception as err:  # noqa: BLE001 - the student's code
        raise Incorrect(f"erase('C00002', sources) failed with {type(err).__name__}: {err}") from None
    for name, table in sources.items():
        if not table.equals(before[name]):
            raise Incorrect(
                f"erase changed its input in place (table {name!r} of `sources` is not what it was); build and "
                "return a new dict of new tables instead (e.g. table[table['customer_id'] != customer_id])."
            )
    if not isinstance(result, Mapping):
        raise Incorrect(
            f"erase should return a dict of table name -> DataFrame, but it returned a {type(result).__name__}."
        )
    lost = [name for name in sources if name not in result]
    if lost:
        raise Incorrect(
            f"the result has no table {', '.join(map(repr, lost))}: return every table of `sources`, "
            "with the customer's rows removed (loop over sources.items())."
        )
    for name, table in result.items():
        if not isinstance(table, pd.DataFrame):
            raise Incorrect(f"result[{name!r}] should be a DataFrame, but it is a {type(table).__name__}.")
    for name in sources:
        left = int((result[name]["customer_id"] == "C00002").sum())
        if left:
            raise Incorrect(
                f"table {name!r} still holds {left} row(s) of the customer: erasure must reach *every* table in "
                "sources, not a list you typed. Loop over sources.items()."
            )
    for name, table in sources.items():
        others = table[table["customer_id"] != "C00002"].reset_index(drop=True)
        if not result[name].reset_index(drop=True).equals(others):
            raise Incorrect(
                f"in table {name!r} you also removed or changed other customers' rows; keep them as they were."
            )
    partial = _test_sources()  # C00001 is in `customers` and `transactions` only
    try:
        some = value("C00001", partial)
    except Exception as err:  # noqa: BLE001 - the student's code
        raise Incorrect(
            f"erase('C00001', sources) raised {type(err).__name__}, but C00001 is in two of the tables (customers, "
            "transactions) and in none of the others. A customer need not appear in every table: raise KeyError "
            "only when the id is in *none* of them, and erase it from the tables that have it."
        ) from None
    if not isinstance(some, Mapping) or set(some) != set(partial):
        raise Incorrect("for a customer found in some tables only, erase should still return every table of `sources`.")
    for name, table in partial.items():
        kept = table[table["customer_id"] != "C00001"].reset_index(drop=True)
        result_table = some[name]
        if not isinstance(result_table, pd.DataFrame) or not result_table.reset_index(drop=True).equals(kept):
            raise Incorrect(
                f"erase('C00001', sources) got table {name!r} wrong: C00001 is in customers and transactions only; "
                "remove its rows there and leave the other tables as they were."
            )
    try:
        value("C99999", _test_sources())
    except KeyError:
        return
    except Exception as err:  # noqa: BLE001
        raise Incorrect(
            f"for an id that is in no table, raise KeyError (you raised {type(err).__name__}), so a typo is noticed."
        ) from None
    raise Incorrect(
        "erase('C99999', ...) returned normally, but that id is in no table: raise a KeyError naming it, "
        "so a typo in a deletion request is noticed instead of reported as done."
    )


q4 = Question(
    "erase",
    _check_erase,
    hints=[
        "Loop over every table: `for name, table in sources.items():` and keep the rows whose customer_id is not the "
        "one.",
        "Before deleting, check the id exists somewhere: `if not any((t['customer_id'] == customer_id).any() for t "
        "in sources.values()): raise KeyError(...)`.",
        "Return `{name: table[table['customer_id'] != customer_id].copy() for name, table in sources.items()}`.",
    ],
    solution=(
        "def erase(customer_id, sources):\n"
        "    if not any((t['customer_id'] == customer_id).any() for t in sources.values()):\n"
        "        raise KeyError(f'unknown customer id {customer_id!r}')\n"
        "    return {name: t[t['customer_id'] != customer_id].copy() for name, t in sources.items()}"
    ),
    praise="Every table is reached, other customers are untouched, and a typo in an id is caught.",
)

# -- q5: disparate-impact ratios --------------------------------------------------------------


def _expected_di() -> pd.DataFrame:
    return disparate_impact(_offers(), "age_band", "offered")


def _as_ratio_series(value: Any) -> pd.Series:
    if isinstance(value, pd.DataFrame):
        raise Incorrect("`ratios` is a table; it should be one Series of ratios indexed by age band.")
    require_type(value, pd.Series, "`ratios`")
    try:
        series = value.astype(float)
    except (TypeError, ValueError):
        raise Incorrect("`ratios` should hold numbers (one ratio per age band).") from None
    series.index = series.index.astype(str)
    return series


def _check_ratios(value: Any) -> None:
    got = _as_ratio_series(value)
    table = _expected_di()
    expected = table["ratio"]
    expected.index = expected.index.astype(str)
    if set(got.index) != set(expected.index):
        raise Incorrect(
            f"`ratios` should have one value per age band {sorted(expected.index)}, but its index is "
            f"{sorted(got.index)}."
        )
    got = got.reindex(expected.index)
    rates = table["selection_rate"]
    rates.index = rates.index.astype(str)
    if within(got, expected):  # no precision stated: two decimals (CONTRIBUTING)
        return
    if np.allclose(got, rates.max() / rates, atol=1e-6):
        raise Incorrect(
            "your ratios are inverted (most-favoured rate / group rate, all >= 1). Divide each group's selection "
            "rate by the highest rate, so the ratios are between 0 and 1 and the 0.8 threshold applies."
        )
    if np.allclose(got, rates, atol=1e-6):
        raise Incorrect("these are the selection rates themselves; divide each by the highest selection rate.")
    overall = _offers()["offered"].mean()
    if np.allclose(got, rates / overall, atol=1e-6):
        raise Incorrect("you divided by the overall selection rate; compare with the *most-favoured* group's rate.")
    counts = table["n_selected"] / table["n_selected"].max()
    counts.index = counts.index.astype(str)
    if np.allclose(got, counts, atol=1e-6):
        raise Incorrect(
            "you compared counts of selected customers; groups differ in size, so compare *rates* (share selected)."
        )
    if np.allclose(got, rates / rates.min(), atol=1e-6):
        raise Incorrect("you divided by the *lowest* rate; the reference is the most-favoured (highest-rate) group.")
    if np.allclose(got, 1 - rates, atol=1e-6) or np.allclose(got, (1 - rates) / (1 - rates).max(), atol=1e-6):
        raise Incorrect("you used the share *not* selected; the selection rate is the share who receive the offer.")
    raise Incorrect(
        "the ratios are not right: selection rate = offered customers / customers in the band; ratio = rate / "
        "highest rate."
    )


q5 = Question(
    "ratios",
    _check_ratios,
    hints=[
        "First the selection rate of each age band: the share of its customers with offered == True.",
        "`rates = offers.groupby('age_band')['offered'].mean()`; the most-favoured group has `rates.max()`.",
        "`ratios = rates / rates.max()`.",
    ],
    solution="rates = offers.groupby('age_band')['offered'].mean()\nratios = rates / rates.max()",
    praise="Each ratio says how often a band gets the offer compared with the band that gets it most.",
)

# -- q6: the four-fifths rule ------------------------------------------------------------------


def _check_flagged(value: Any) -> None:
    if isinstance(value, str):
        raise Incorrect("`flagged` should be a collection of age bands, e.g. {'18-29', '30-39'}, not one string.")
    if isinstance(value, pd.Series):
        if value.dtype == bool:
            raise Incorrect(
                "`flagged` is a Series of True/False; keep the band names where it is True: list(s[s].index)."
            )
        value = value.tolist()
    if isinstance(value, pd.Index):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        raise Incorrect(f"`flagged` should be a set of age bands (set(...)), but it is a {type(value).__name__}.")
    require_type(value, (set, frozenset), "`flagged`")
    got = {str(v) for v in value}
    table = _expected_di()
    ratio = table["ratio"]
    ratio.index = ratio.index.astype(str)
    expected = set(ratio[ratio < FOUR_FIFTHS].index)
    unknown = got - set(ratio.index)
    if unknown:
        raise Incorrect(f"{sorted(unknown)} are not age bands; use the bands of `offers`: {sorted(ratio.index)}.")
    if got == expected:
        return
    if got == set(ratio.index) - expected:
        raise Incorrect("you listed the bands that *pass*; flag the bands whose ratio is *below* 0.8.")
    most = ratio.idxmax()
    if most in got:
        raise Incorrect(f"{most!r} is the most-favoured band (ratio 1): it cannot fail the rule.")
    if got < expected:
        raise Incorrect(f"you missed {len(expected - got)} band(s) with a ratio below 0.8.")
    raise Incorrect("some of these bands have a ratio of 0.8 or more; flag only those below 0.8.")


q6 = Question(
    "flagged",
    _blame_earlier(_check_flagged, _check_ratios, "ratios", 5),
    optional=("ratios",),
    hints=[
        "The four-fifths rule flags a group whose ratio to the most-favoured group is below 0.8.",
        "`set(ratios[ratios < 0.8].index)`.",
    ],
    solution="flagged = set(ratios[ratios < 0.8].index)",
    praise="These bands get the offer at less than four-fifths of the best-served band's rate: document a "
    "justification or change the rule.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6}

#: What each task states, property by property (the solution notebook's task text is the source).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "`tokens` is a pandas Series of text",
        "rows": "one token per row of `people`, in the same order",
        "method": "HMAC-SHA256 with the secret KEY (not a plain or salted hash, not another digest)",
        "hex": "each token is the 64-character hex string (.hexdigest(), not bytes, not shortened)",
        "normalise": "each e-mail stripped of spaces and lower-cased before hashing",
    },
    "q2": {
        "type": "`release` is a DataFrame",
        "columns": "the columns age, gender and postcode, nothing else",
        "rows": "all rows of `people`, in the same order",
        "age": "age replaced by its 10-year band as text: 34 -> '30-39', 18 -> '10-19', 70 -> '70-79'",
        "postcode": "postcode replaced by its area, the leading letters: 'SR22 1BE' -> 'SR', 'W8 4GD' -> 'W'",
        "gender": "gender unchanged",
    },
    "q3": {
        "type": "`k_report` is a dict with the keys 'k' and 'at_risk'",
        "ints": "both values are plain Python ints",
        "k": "k is the size of the smallest equivalence class of (age, gender, postcode)",
        "at_risk": "at_risk counts the customers in classes with fewer than 5 rows (5 itself is safe)",
        "depends_q2": "measured on question 2's `release`: a wrong `release` is reported as question 2's fault",
    },
    "q4": {
        "type": "`erase` is a function erase(customer_id, sources)",
        "returns": "it returns a new dict with every table of `sources`",
        "erased": "no table keeps a row of the customer",
        "others": "other customers' rows are unchanged",
        "no_mutation": "`sources` and its tables are not modified",
        "some_tables": "a customer found in some tables only is erased there (no error)",
        "unknown": "a KeyError when the id is in none of the tables",
    },
    "q5": {
        "type": "`ratios` is a pandas Series of numbers",
        "index": "indexed by age band, one value per band of `offers`",
        "value": "each band's selection rate divided by the most-favoured band's rate",
    },
    "q6": {
        "type": "`flagged` is a set of age bands",
        "labels": "the bands as written in `offers`",
        "value": "exactly the bands whose ratio is below 0.8 (the four-fifths rule)",
        "depends_q5": "read from question 5's `ratios`: wrong `ratios` are reported as question 5's fault",
    },
}
