"""Privacy helpers for module 6: pseudonymise, generalise, measure, export, erase, retain.

Each helper is small on purpose: the lesson ``lessons/06-ethics`` explains the
idea first and writes it out by hand once; these functions are the tested
version that later modules reuse. None of this is legal advice.

- :func:`pseudonymise` replaces an identifier with a keyed hash (HMAC-SHA256,
  GDPR Art. 4(5) and 32). Without the key nobody can rebuild the table of
  "email -> token", unlike a plain hash that a dictionary attack reverses.
- :func:`age_band`, :func:`postcode_district` and :func:`generalise` coarsen
  quasi-identifiers; :func:`k_anonymity` and :func:`l_diversity` measure what
  is left.
- :func:`subject_access_export` (Art. 15) and :func:`erase_customer` (Art. 17)
  serve the rights of the data subject; :func:`verify_erased` is the proof.
- :func:`apply_retention` drops records older than a retention period (Art. 5(1)(e)).

>>> token = pseudonymise("Ada@Example.com", key="a-long-secret-key-kept-in-a-vault")
>>> token == pseudonymise("ada@example.com ", key="a-long-secret-key-kept-in-a-vault")
True
>>> len(token)
64
>>> age_band(pd.Series([19, 34, 71]), width=10).tolist()
['10-19', '30-39', '70-79']
>>> postcode_district(pd.Series(["SW1A 1AA", "ls5 8fn"])).tolist()
['SW1A', 'LS5']
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import pandas as pd

__all__ = [
    "MIN_KEY_BYTES",
    "pseudonymise",
    "age_band",
    "postcode_district",
    "generalise",
    "KAnonymity",
    "k_anonymity",
    "LDiversity",
    "l_diversity",
    "subject_access_export",
    "ErasureReport",
    "erase_customer",
    "verify_erased",
    "apply_retention",
]

#: Shortest secret key accepted by :func:`pseudonymise` (16 bytes = 128 bits).
MIN_KEY_BYTES = 16

#: Columns of the customers table that identify a person directly.
DEFAULT_PII_COLUMNS: tuple[str, ...] = ("full_name", "email", "phone")


# -- helpers -------------------------------------------------------------------


def _require_frame(df: Any, what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}.")
    return df


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(
            f"{what} has no column(s) {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(repr, df.columns))}. Check the spelling or pass the right name."
        )


def _key_bytes(key: str | bytes) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise TypeError(f"key must be str or bytes, got {type(key).__name__}.")
    if len(key.strip()) == 0:
        raise ValueError(
            "the key is empty: an HMAC with an empty key is just a plain hash, which a dictionary "
            "attack reverses. Generate one with secrets.token_hex(32) and keep it out of the data."
        )
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"the key is only {len(key)} bytes; use at least {MIN_KEY_BYTES} random bytes "
            "(secrets.token_hex(32) gives 64 characters) so it cannot be guessed."
        )
    return key


def _normalise_identifier(value: str) -> str:
    return value.strip().lower()


# -- pseudonymisation ------------------------------------------------------------


@overload
def pseudonymise(values: str, key: str | bytes, *, normalise: bool = ..., length: int | None = ...) -> str: ...
@overload
def pseudonymise(
    values: pd.Series, key: str | bytes, *, normalise: bool = ..., length: int | None = ...
) -> pd.Series: ...


def pseudonymise(
    values: str | pd.Series, key: str | bytes, *, normalise: bool = True, length: int | None = None
) -> str | pd.Series:
    """Replace identifiers with a keyed hash: HMAC-SHA256(key, value) as hex.

    The same value and key always give the same token (so tables still join),
    but without the key the token cannot be recomputed from a list of guesses.
    Keep the key outside the data set (a vault, an environment variable).

    Parameters
    ----------
    values:
        One identifier or a Series of them (e.g. emails). Missing values stay missing.
    key:
        The secret key, at least :data:`MIN_KEY_BYTES` bytes.
    normalise:
        Strip spaces and lower-case first, so ``"Ada@X.com "`` and ``"ada@x.com"``
        get the same token (emails are case-insensitive in practice).
    length:
        Keep only the first ``length`` hex characters (8 to 64); shorter tokens
        are easier to read but collide more often.

    >>> key = "0123456789abcdef0123456789abcdef"
    >>> pseudonymise("ada@example.com", key, length=12)
    'e3e30b4d5022'
    >>> pseudonymise("ada@example.com", key="")
    Traceback (most recent call last):
    ...
    ValueError: the key is empty: an HMAC with an empty key is just a plain hash, which a dictionary attack reverses. Generate one with secrets.token_hex(32) and keep it out of the data.
    """  # noqa: E501 - a doctest output line (the exact message) cannot wrap
    secret = _key_bytes(key)
    if length is not None and not (isinstance(length, int) and 8 <= length <= 64):
        raise ValueError(f"length must be an int from 8 to 64 hex characters, got {length!r}.")

    def one(value: Any) -> Any:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return value
        text = str(value)
        if normalise:
            text = _normalise_identifier(text)
        digest = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
        return digest[:length] if length else digest

    if isinstance(values, str):
        return one(values)
    if isinstance(values, pd.Series):
        return values.map(one)
    raise TypeError(
        f"pseudonymise takes a str or a pandas Series, got {type(values).__name__}; "
        "for a column use pseudonymise(df['email'], key)."
    )


# -- generalisation --------------------------------------------------------------


def age_band(ages: pd.Series, width: int = 10, *, top: int | None = None) -> pd.Series:
    """Coarsen ages into bands of ``width`` years, as text labels like ``'30-39'``.

    ``top`` groups every age from ``top`` up into one open band (``'70+'``),
    where few customers live and each would stand out. Missing ages stay missing.

    >>> age_band(pd.Series([18, 25, 40, 88, None]), width=10, top=70).tolist()
    ['10-19', '20-29', '40-49', '70+', nan]
    """
    if not isinstance(ages, pd.Series):
        raise TypeError(f"ages must be a pandas Series, got {type(ages).__name__}.")
    if not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive whole number of years, got {width!r}.")
    numeric = pd.to_numeric(ages, errors="coerce")
    bad = ages.notna() & numeric.isna()
    if bad.any():
        raise ValueError(f"ages has values that are not numbers, e.g. {ages[bad].iloc[0]!r}; clean the column first.")
    if (numeric < 0).any():
        raise ValueError("ages has negative values; clean the column first.")

    def label(a: float) -> Any:
        if pd.isna(a):
            return float("nan")
        a = int(a)
        if top is not None and a >= top:
            return f"{top}+"
        low = a // width * width
        return f"{low}-{low + width - 1}"

    return numeric.map(label).astype(object).rename(ages.name)


_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def postcode_district(postcodes: pd.Series, level: str = "outward") -> pd.Series:
    """Coarsen UK postcodes: ``'outward'`` (``'SW1A 1AA'`` -> ``'SW1A'``) or ``'area'`` (-> ``'SW'``).

    An outward code covers thousands of addresses, an area hundreds of
    thousands; a full postcode covers about 15. Values that are not UK
    postcodes raise an error naming one of them.

    >>> postcode_district(pd.Series(["SW1A 1AA", "EH5 3YJ"]), level="area").tolist()
    ['SW', 'EH']
    """
    if not isinstance(postcodes, pd.Series):
        raise TypeError(f"postcodes must be a pandas Series, got {type(postcodes).__name__}.")
    if level not in {"outward", "area"}:
        raise ValueError(f"level must be 'outward' or 'area', got {level!r}.")

    def cut(value: Any) -> Any:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return float("nan")
        match = _POSTCODE.match(str(value).strip().upper())
        if match is None:
            raise ValueError(f"{value!r} is not a UK postcode (like 'SW1A 1AA'); clean the column first.")
        area, district, _ = match.groups()
        return area + district if level == "outward" else area

    return postcodes.map(cut).astype(object).rename(postcodes.name)


def generalise(
    df: pd.DataFrame,
    *,
    age_col: str | None = "age",
    postcode_col: str | None = "postcode",
    age_width: int = 10,
    age_top: int | None = None,
    postcode_level: str = "outward",
) -> pd.DataFrame:
    """Return a copy of ``df`` with age in bands and postcode cut to its outward code (or area).

    Pass ``age_col=None`` or ``postcode_col=None`` to leave that column alone.

    >>> people = pd.DataFrame({"age": [34, 36], "postcode": ["LS5 8FN", "LS6 1AB"]})
    >>> generalise(people, postcode_level="area")
         age postcode
    0  30-39       LS
    1  30-39       LS
    """
    _require_frame(df, "df")
    wanted = [c for c in (age_col, postcode_col) if c is not None]
    if not wanted:
        raise ValueError("nothing to generalise: give age_col, postcode_col or both.")
    _require_columns(df, wanted, "the table to generalise")
    out = df.copy()
    if age_col is not None:
        out[age_col] = age_band(df[age_col], age_width, top=age_top)
    if postcode_col is not None:
        out[postcode_col] = postcode_district(df[postcode_col], postcode_level)
    return out


# -- k-anonymity and l-diversity ---------------------------------------------------


@dataclass
class KAnonymity:
    """Result of :func:`k_anonymity`.

    ``k`` is the size of the smallest equivalence class (the group of rows
    sharing all quasi-identifier values): every person hides among at least
    ``k`` rows. ``violations`` lists the classes smaller than the ``required``
    k (empty when none was asked for), smallest first.
    """

    k: int
    n_classes: int
    quasi_identifiers: list[str]
    class_sizes: pd.DataFrame
    required: int | None = None
    violations: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def satisfied(self) -> bool | None:
        """True when ``k >= required`` (None if no ``required`` k was given)."""
        return None if self.required is None else self.k >= self.required

    @property
    def rows_at_risk(self) -> int:
        """Rows that sit in a class smaller than ``required``."""
        return int(self.violations["size"].sum()) if len(self.violations) else 0

    def __repr__(self) -> str:
        text = f"KAnonymity(k={self.k}, n_classes={self.n_classes}, quasi_identifiers={self.quasi_identifiers}"
        if self.required is not None:
            text += f", required={self.required}, satisfied={self.satisfied}, rows_at_risk={self.rows_at_risk}"
        return text + ")"


def _equivalence_classes(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.DataFrame:
    return (
        df.groupby(list(quasi_identifiers), dropna=False, observed=True)
        .size()
        .rename("size")
        .reset_index()
        .sort_values("size", kind="stable")
        .reset_index(drop=True)
    )


def _check_qi(df: Any, quasi_identifiers: Any) -> list[str]:
    _require_frame(df, "df")
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    qis = list(quasi_identifiers)
    if not qis:
        raise ValueError("give at least one quasi-identifier column (e.g. ['age_band', 'postcode_district']).")
    _require_columns(df, qis, "the table")
    if len(df) == 0:
        raise ValueError("the table is empty: k-anonymity needs at least one row.")
    return qis


def k_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str] | str, k: int | None = None) -> KAnonymity:
    """Measure k-anonymity: the smallest group of rows sharing all quasi-identifier values.

    Quasi-identifiers (age, postcode, gender...) do not name anyone alone, but
    together they can single a person out, by linkage with another data set.
    Missing values count as a value of their own.

    Parameters
    ----------
    df:
        The table to release.
    quasi_identifiers:
        The columns an attacker could know from elsewhere.
    k:
        Optional required k (at least 2; k = 1 protects nobody). Classes
        smaller than it are reported in ``violations``.

    >>> people = pd.DataFrame({"band": ["30-39", "30-39", "40-49"], "area": ["LS", "LS", "LS"]})
    >>> result = k_anonymity(people, ["band", "area"], k=2)
    >>> result.k, result.satisfied, result.rows_at_risk
    (1, False, 1)
    >>> result.violations
        band area  size
    0  40-49   LS     1
    """
    qis = _check_qi(df, quasi_identifiers)
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"k must be a whole number, got {k!r}.")
        if k < 2:
            raise ValueError(
                f"k must be at least 2 (k={k} means a person may be alone in their group, i.e. no protection)."
            )
    sizes = _equivalence_classes(df, qis)
    violations = sizes[sizes["size"] < k].reset_index(drop=True) if k is not None else sizes.iloc[0:0]
    return KAnonymity(
        k=int(sizes["size"].min()),
        n_classes=len(sizes),
        quasi_identifiers=qis,
        class_sizes=sizes,
        required=k,
        violations=violations,
    )


@dataclass
class LDiversity:
    """Result of :func:`l_diversity`: ``l`` is the fewest distinct sensitive values in any class."""

    l: int  # noqa: E741 - the name used in the literature
    sensitive: str
    classes: pd.DataFrame

    def __repr__(self) -> str:
        return f"LDiversity(l={self.l}, sensitive={self.sensitive!r}, n_classes={len(self.classes)})"


def l_diversity(df: pd.DataFrame, quasi_identifiers: Sequence[str] | str, sensitive: str) -> LDiversity:
    """Measure (distinct) l-diversity of a ``sensitive`` column within each equivalence class.

    k-anonymity hides *who* a row is, but if everyone in a class shares the same
    sensitive value (l = 1), an attacker who places a person in that class
    learns the value anyway (a homogeneity attack).

    >>> people = pd.DataFrame({"band": ["30-39"] * 3 + ["40-49"] * 2,
    ...                        "segment": ["a", "b", "a", "c", "c"]})
    >>> l_diversity(people, ["band"], "segment").l
    1
    """
    qis = _check_qi(df, quasi_identifiers)
    _require_columns(df, [sensitive], "the table")
    if sensitive in qis:
        raise ValueError(f"{sensitive!r} is both a quasi-identifier and the sensitive column; pick one role.")
    classes = (
        df.groupby(qis, dropna=False, observed=True)[sensitive]
        .agg(size="size", distinct="nunique")
        .reset_index()
        .sort_values("distinct", kind="stable")
        .reset_index(drop=True)
    )
    return LDiversity(l=int(classes["distinct"].min()), sensitive=sensitive, classes=classes)


# -- rights of the data subject --------------------------------------------------


def _check_sources(sources: Any, id_column: str) -> dict[str, pd.DataFrame]:
    if not isinstance(sources, Mapping) or not sources:
        raise TypeError(
            "sources must be a non-empty dict of table name -> DataFrame, e.g. "
            "{'customers': customers, 'transactions': transactions}."
        )
    out: dict[str, pd.DataFrame] = {}
    for name, table in sources.items():
        _require_frame(table, f"source {name!r}")
        if id_column not in table.columns:
            raise KeyError(
                f"source {name!r} has no column {id_column!r}, so its rows cannot be linked to a customer; "
                f"its columns are {', '.join(map(repr, table.columns))}."
            )
        out[str(name)] = table
    return out


def _check_customer_id(customer_id: Any, sources: Mapping[str, pd.DataFrame], id_column: str) -> str:
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise TypeError(f"customer_id must be a non-empty str such as 'C00001', got {customer_id!r}.")
    if not any((table[id_column] == customer_id).any() for table in sources.values()):
        raise KeyError(
            f"unknown customer id {customer_id!r}: it is in none of the sources "
            f"({', '.join(sources)}). Check the id (format like 'C00001')."
        )
    return customer_id


def subject_access_export(
    customer_id: str,
    sources: Mapping[str, pd.DataFrame],
    *,
    id_column: str = "customer_id",
    as_json: bool = False,
) -> dict[str, pd.DataFrame] | str:
    """Everything held on one customer, from every source (GDPR Art. 15, CCPA right to know).

    Returns a dict of table name -> the customer's rows (tables with no row
    are included, empty, so the customer sees what was searched), or with
    ``as_json=True`` one JSON document that can be sent to them.

    >>> sources = {"customers": pd.DataFrame({"customer_id": ["C1", "C2"], "email": ["a@x.uk", "b@x.uk"]}),
    ...            "orders": pd.DataFrame({"customer_id": ["C1", "C1"], "amount": [5.0, 7.5]})}
    >>> {name: len(rows) for name, rows in subject_access_export("C1", sources).items()}
    {'customers': 1, 'orders': 2}
    >>> print(subject_access_export("C2", sources, as_json=True))
    {"customer_id": "C2", "tables": {"customers": [{"customer_id": "C2", "email": "b@x.uk"}], "orders": []}}
    """
    checked = _check_sources(sources, id_column)
    _check_customer_id(customer_id, checked, id_column)
    export = {name: table[table[id_column] == customer_id].reset_index(drop=True) for name, table in checked.items()}
    if not as_json:
        return export
    tables = {name: json.loads(rows.to_json(orient="records", date_format="iso")) for name, rows in export.items()}
    return json.dumps({"customer_id": customer_id, "tables": tables}, ensure_ascii=False)


@dataclass
class ErasureReport:
    """What :func:`erase_customer` removed, and the proof that nothing is left.

    ``rows_removed`` and ``mentions_redacted`` count per source; ``remaining``
    is :func:`verify_erased` run on the new sources: a dict of source -> number
    of rows still holding the id or one of the PII values (all zero when done).
    """

    customer_id: str
    rows_removed: dict[str, int]
    mentions_redacted: dict[str, int]
    remaining: dict[str, int]
    searched_values: int

    @property
    def complete(self) -> bool:
        """True when no source still holds the customer's id or PII."""
        return not any(self.remaining.values())

    def __str__(self) -> str:
        lines = [f"Erasure of {self.customer_id}: {'complete' if self.complete else 'INCOMPLETE'}"]
        for name in self.rows_removed:
            lines.append(
                f"  {name}: {self.rows_removed[name]} row(s) deleted, {self.mentions_redacted.get(name, 0)} "
                f"mention(s) redacted, {self.remaining.get(name, 0)} left"
            )
        return "\n".join(lines)


def _pii_values(
    customer_id: str, sources: Mapping[str, pd.DataFrame], id_column: str, pii_columns: Sequence[str]
) -> list[str]:
    values: set[str] = set()
    for table in sources.values():
        rows = table[table[id_column] == customer_id]
        for column in pii_columns:
            if column in rows.columns:
                values.update(str(v).strip() for v in rows[column].dropna() if len(str(v).strip()) >= 3)
    return sorted(values, key=len, reverse=True)


class _Matcher:
    """Finds values as whole tokens, case-insensitively (``Ann`` not inside ``Joann``)."""

    def __init__(self, values: Sequence[str]) -> None:
        ordered = sorted({v for v in values if v}, key=len, reverse=True)
        self.lowered = [v.lower() for v in ordered]
        self.pattern = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in ordered), re.IGNORECASE)

    def mentions(self, series: pd.Series) -> pd.Series:
        """Boolean Series: which rows mention one of the values."""
        blob = "\n".join(series.dropna().astype(str).tolist()).lower()
        if not any(v in blob for v in self.lowered):  # the usual case: one fast literal scan per column
            return pd.Series(False, index=series.index)
        return series.astype("string").str.contains(self.pattern, regex=True, na=False).astype(bool)


def _free_text_columns(table: pd.DataFrame, skip: Sequence[str]) -> list[str]:
    return [
        c
        for c in table.columns
        if c not in skip and (pd.api.types.is_string_dtype(table[c]) or table[c].dtype == object)
    ]


def verify_erased(
    customer_id: str,
    sources: Mapping[str, pd.DataFrame],
    pii_values: Sequence[str] = (),
    *,
    id_column: str = "customer_id",
    pii_columns: Sequence[str] = DEFAULT_PII_COLUMNS,
) -> dict[str, int]:
    """Count, per source, rows that still hold ``customer_id``, or mention it or a PII value in text.

    A row counts when its ``id_column`` is the customer, or when any other
    text column (a review, a note, a product name...) contains the id or one
    of ``pii_values`` (case-insensitive, as a whole word). The ``pii_columns``
    of *other* customers' rows are not searched: another customer called
    "Ann Lee" is a namesake, not a mention. All zeros is the proof an erasure
    needs; it cannot see backups, logs or copies outside ``sources``.

    >>> sources = {"reviews": pd.DataFrame({"customer_id": ["C2"], "text": ["ask ADA@x.uk for help"]})}
    >>> verify_erased("C1", sources, ["ada@x.uk"])
    {'reviews': 1}
    """
    checked = _check_sources(sources, id_column)
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise TypeError(f"customer_id must be a non-empty str such as 'C00001', got {customer_id!r}.")
    if isinstance(pii_values, str):
        raise TypeError("pii_values must be a list of values such as ['ann@x.uk', 'Ann Lee'], not one string.")
    values = {customer_id, *(str(v).strip() for v in pii_values if str(v).strip())}
    matcher = _Matcher(sorted(values))
    out: dict[str, int] = {}
    for name, table in checked.items():
        hit = (table[id_column] == customer_id).fillna(False).astype(bool)
        for column in _free_text_columns(table, [id_column, *pii_columns]):
            hit = hit | matcher.mentions(table[column])
        out[name] = int(hit.sum())
    return out


def erase_customer(
    customer_id: str,
    sources: Mapping[str, pd.DataFrame],
    *,
    id_column: str = "customer_id",
    pii_columns: Sequence[str] = DEFAULT_PII_COLUMNS,
    redaction: str = "[redacted]",
) -> tuple[dict[str, pd.DataFrame], ErasureReport]:
    """Erase one customer from every source (GDPR Art. 17, CCPA right to delete).

    1. Collect the customer's PII values (``pii_columns``, e.g. name, email, phone)
       from every source before anything is deleted.
    2. Delete every row with their id, in every source.
    3. Redact mentions of their id or PII left in other rows' free text (someone
       else's review naming them). Other customers' own ``pii_columns`` are left
       alone: a namesake is another person.
    4. Run :func:`verify_erased` on the result: the report's ``remaining`` is the proof.

    The inputs are not modified; new tables are returned. Backups, logs and
    copies sent to processors must be handled too: code alone cannot see them.

    >>> sources = {
    ...     "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "email": ["ada@x.uk", "bo@x.uk"]}),
    ...     "reviews": pd.DataFrame({"customer_id": ["C1", "C2"], "text": ["great", "ask ada@x.uk"]}),
    ... }
    >>> new, report = erase_customer("C1", sources)
    >>> report.complete, report.rows_removed, report.mentions_redacted
    (True, {'customers': 1, 'reviews': 1}, {'customers': 0, 'reviews': 1})
    >>> new["reviews"]["text"].tolist()
    ['ask [redacted]']
    """
    checked = _check_sources(sources, id_column)
    _check_customer_id(customer_id, checked, id_column)
    if isinstance(pii_columns, str):
        pii_columns = [pii_columns]
    pii = _pii_values(customer_id, checked, id_column, pii_columns)
    matcher = _Matcher([customer_id, *pii])

    new: dict[str, pd.DataFrame] = {}
    removed: dict[str, int] = {}
    redacted: dict[str, int] = {}
    for name, table in checked.items():
        mine = (table[id_column] == customer_id).fillna(False).astype(bool)
        kept = table.loc[~mine].copy()
        removed[name] = int(mine.sum())
        touched = pd.Series(False, index=kept.index)
        for column in _free_text_columns(kept, [id_column, *pii_columns]):
            hits = matcher.mentions(kept[column])
            if hits.any():
                kept.loc[hits, column] = (
                    kept.loc[hits, column].astype(str).map(lambda text: matcher.pattern.sub(redaction, text))
                )
                touched |= hits
        redacted[name] = int(touched.sum())
        new[name] = kept.reset_index(drop=True)
    remaining = verify_erased(customer_id, new, pii, id_column=id_column, pii_columns=pii_columns)
    report = ErasureReport(customer_id, removed, redacted, remaining, searched_values=len(pii) + 1)
    return new, report


# -- retention --------------------------------------------------------------------


def apply_retention(
    df: pd.DataFrame, date_column: str, *, keep_days: int, as_of: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``df`` into rows within the retention period and rows past it.

    A row is kept when ``as_of - date <= keep_days`` days (GDPR Art. 5(1)(e),
    storage limitation: keep personal data no longer than the purpose needs).
    Returns ``(kept, expired)``; delete or anonymise ``expired``.

    >>> orders = pd.DataFrame({"order_date": ["2019-05-01", "2025-06-30"], "amount": [10.0, 20.0]})
    >>> kept, expired = apply_retention(orders, "order_date", keep_days=3 * 365, as_of="2025-12-31")
    >>> len(kept), len(expired)
    (1, 1)
    """
    _require_frame(df, "df")
    _require_columns(df, [date_column], "the table")
    if isinstance(keep_days, bool) or not isinstance(keep_days, int) or keep_days < 0:
        raise ValueError(f"keep_days must be a whole number of days >= 0, got {keep_days!r}.")
    try:
        cutoff_from = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ValueError(f"as_of must be a date such as '2025-12-31', got {as_of!r}.") from None
    dates = pd.to_datetime(df[date_column], errors="coerce")
    bad = df[date_column].notna() & dates.isna()
    if bad.any():
        raise ValueError(
            f"column {date_column!r} has values that are not dates, e.g. {df.loc[bad, date_column].iloc[0]!r}; "
            "parse or clean it first."
        )
    if dates.isna().any():
        raise ValueError(
            f"column {date_column!r} has {int(dates.isna().sum())} missing date(s): decide what the rule "
            "says for them (usually: expired) before applying it."
        )
    age_days = (cutoff_from - dates).dt.days
    keep = age_days <= keep_days
    return df.loc[keep].copy(), df.loc[~keep].copy()
