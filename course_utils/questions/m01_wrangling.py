"""Checks for assignment ``01-wrangling``: cleaning Larkspur's raw data with pandas and SQL.

Every check recomputes its truth from the course loaders (nothing is
hard-coded), so the checks follow the data if ``make data`` is re-run.

>>> q1.var, q7.var
('n_exact_duplicates', 'by_channel')
>>> sorted(QUESTIONS)
['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7']
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercise import EXACT, Incorrect, Question, require_type, tolerance, within

#: The date formats found in ``raw_transactions.invoice_date`` (for the lesson and the checks).
UK_FORMAT = "%d/%m/%Y %H:%M"
#: Prices in pounds are right to the penny (CONTRIBUTING, "Tolerance policy"): a student may round to 2 decimals.
PENNIES = 2
TEXT_FORMAT = "%b %d %Y %H:%M"
#: Ages outside this range are impossible for a customer (the shop sells to adults).
AGE_MIN, AGE_MAX = 18, 100
#: Q6 accepts any one fill value within these quantiles of the valid ages (the median, the mean or
#: another central value a student can defend); the task says "one value you choose and can defend".
TYPICAL = (0.25, 0.75)


#: The course files the checks read (their truths are cached per version of these files).
_FILES = ("raw_transactions", "raw_customers", "transactions")


def _data_key() -> tuple[Any, ...]:
    """Which course files the cached truths come from: the data folder and each file's size and time.

    Every cached truth below takes this key, so a check never judges with the truth of other
    files (another ``COURSE_DATASETS_DIR``, or ``make data`` re-run); it costs a few ``stat`` calls.
    """
    from course_utils import paths
    from course_utils.data.schema import TABLES

    folder = paths.datasets_dir()
    stats: list[tuple[str, int | None, int | None]] = []
    for name in _FILES:
        try:
            st = (folder / TABLES[name].filename).stat()
            stats.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((name, None, None))
    return (str(folder), tuple(stats))


def _frozen(values: Any) -> np.ndarray:
    """A private read-only copy of ``values`` as a numpy array (a cached truth nobody can change)."""
    out = np.array(values, copy=True)
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=1)
def _raw_for(key: tuple[Any, ...]) -> pd.DataFrame:
    from course_utils.data import load_transactions

    return load_transactions(raw=True)


@functools.lru_cache(maxsize=1)
def _raw_customers_for(key: tuple[Any, ...]) -> pd.DataFrame:
    from course_utils.data import load_customers

    return load_customers(raw=True)


@functools.lru_cache(maxsize=1)
def _clean_for(key: tuple[Any, ...]) -> pd.DataFrame:
    from course_utils.data import load_transactions

    return load_transactions()


def _raw() -> pd.DataFrame:
    """The raw export, loaded once per version of the files (the checks only read it)."""
    return _raw_for(_data_key())


def _raw_customers() -> pd.DataFrame:
    return _raw_customers_for(_data_key())


def parse_invoice_dates(text: pd.Series) -> pd.Series:
    """Parse the three date styles of the raw invoices (ISO, UK day-first, 'Jan 29 2022').

    >>> dates = pd.Series(["2022-02-06 12:07:19", "03/01/2022 04:47", "Jan 29 2022 13:13"])
    >>> parse_invoice_dates(dates).dt.strftime("%d %b").tolist()
    ['06 Feb', '03 Jan', '29 Jan']
    """
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    uk = pd.to_datetime(text, format=UK_FORMAT, errors="coerce")
    words = pd.to_datetime(text, format=TEXT_FORMAT, errors="coerce")
    return iso.fillna(uk).fillna(words)


def _series(value: Any, name: str, length: int, *, table: str = "raw", series_only: bool = True) -> pd.Series:
    """Common shape checks for answers that must be one value per row of ``table``.

    Where the task asks for "one value per row" without saying Series (``series_only=False``), a
    1-D array or list of the right length is accepted too, read in row order.
    """
    if isinstance(value, pd.DataFrame):
        raise Incorrect(
            f"`{name}` is a whole table (DataFrame). Give one column, a Series, e.g. {table}['...'] after your changes."
        )
    if isinstance(value, (np.ndarray, list, tuple)) and not series_only and np.ndim(value) == 1:
        value = pd.Series(value)
    if isinstance(value, (np.ndarray, list, tuple)):
        raise Incorrect(
            f"`{name}` should be a pandas Series (one value per row of `{table}`), not a {type(value).__name__}."
        )
    require_type(value, pd.Series, f"`{name}`")
    if len(value) != length:
        raise Incorrect(
            f"`{name}` has {len(value):,} values but `{table}` has {length:,} rows. Do not drop or add rows here: "
            f"transform the column of `{table}` as it is."
        )
    return value


# -- q1: exact duplicates ----------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _duplicates_for(key: tuple[Any, ...]) -> tuple[int, int]:
    """(exact duplicates, rows in a duplicated group counting the first copy too) of the raw export."""
    raw = _raw_for(key)
    return int(raw.duplicated().sum()), int(raw.duplicated(keep=False).sum())


def _check_duplicates(value: Any) -> None:
    raw = _raw()
    truth, every_copy = _duplicates_for(_data_key())
    if isinstance(value, (pd.Series, pd.DataFrame)):
        raise Incorrect("`n_exact_duplicates` should be one number. Add .sum() to count the True values.")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise Incorrect(f"`n_exact_duplicates` should be a whole number (an int), but it is {value!r}.")
    if value == every_copy:
        raise Incorrect(
            "you counted every copy, including the first (keep=False). A duplicate is a row that repeats an "
            "*earlier* row: the default raw.duplicated() marks only the repeats."
        )
    if value == len(raw) - truth:
        raise Incorrect("that is the number of rows left after removing duplicates, not the number of duplicates.")
    if value == len(raw):
        raise Incorrect("that is the number of rows. Count only the rows where raw.duplicated() is True.")
    if value > truth:
        raise Incorrect(
            f"{value:,} is more than the exact duplicates. Did you compare only some columns (subset=...)? "
            "An *exact* duplicate repeats every column."
        )
    if value != truth:
        raise Incorrect(f"{value:,} is not the number of exact duplicate rows. Use raw.duplicated() on all columns.")


q1 = Question(
    "n_exact_duplicates",
    _check_duplicates,
    hints=[
        "pandas has a method that marks each row that repeats an earlier one: DataFrame.duplicated().",
        "raw.duplicated() is a Series of True/False; True counts as 1 when you add them up.",
    ],
    solution="n_exact_duplicates = int(raw.duplicated().sum())",
    praise="duplicated() keeps the first copy unmarked, so this is exactly the number of rows to drop.",
)

# -- q2: mixed date formats ----------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _dates_for(key: tuple[Any, ...]) -> tuple[pd.Series, np.ndarray]:
    """The raw invoice dates parsed right: as a Series (datetime64[us]) and as a read-only array."""
    right = parse_invoice_dates(_raw_for(key)["invoice_date"]).astype("datetime64[us]")
    return right, _frozen(right.to_numpy())


def _check_dates(value: Any) -> None:
    raw = _raw()
    value = _series(value, "invoice_dates", len(raw))
    if not pd.api.types.is_datetime64_any_dtype(value):
        raise Incorrect(
            f"`invoice_dates` has dtype {value.dtype}, not a date-time. Convert the text with pd.to_datetime(...)."
        )
    if not value.index.equals(raw.index):
        raise Incorrect("`invoice_dates` should keep the index of `raw` (do not sort or reset it).")
    missing = int(value.isna().sum())
    if missing:
        example = raw.loc[value.isna(), "invoice_date"].iloc[0]
        raise Incorrect(
            f"{missing:,} dates could not be read (NaT), for example {example!r}. "
            "The column mixes several formats: parse each one, then combine them with .fillna()."
        )
    text = raw["invoice_date"]
    mine = value.astype("datetime64[us]")
    right, right_values = _dates_for(_data_key())
    wrong = mine.to_numpy() != right_values
    if wrong.any():
        slash = text.str.contains("/", regex=False).to_numpy()
        iso = text.str.match(r"\d{4}-").to_numpy()
        example = text[wrong].iloc[0]
        got = pd.Timestamp(value[wrong].iloc[0]).strftime("%d %B %Y")
        # day and month swapped: the mistake the two messages below name
        swapped = wrong & (mine.dt.day == right.dt.month).to_numpy() & (mine.dt.month == right.dt.day).to_numpy()
        if np.array_equal(np.sort(mine.to_numpy()), np.sort(right_values)):
            raise Incorrect(
                "`invoice_dates` holds the right dates, but not in the rows of `raw`: do not sort or shuffle "
                "them, keep each date in its own row."
            )
        if not swapped[wrong].all():
            raise Incorrect(
                f"{int(wrong.sum()):,} dates differ from the text, for example {example!r} became "
                f"{pd.Timestamp(value[wrong].iloc[0]):%d %B %Y %H:%M}."
            )
        if wrong[slash].any() and not wrong[iso].any():
            raise Incorrect(
                f"{int(wrong.sum()):,} UK dates were read month-first: {example!r} became {got}. "
                "A UK shop writes day/month/year: give that format explicitly (format='%d/%m/%Y %H:%M')."
            )
        if wrong[iso].any():
            raise Incorrect(
                f"{int(wrong.sum()):,} ISO dates (year-month-day) were read with day and month swapped: "
                f"{example!r} became {got}. dayfirst=True also flips ISO dates: parse each format on its own."
            )
        raise Incorrect(f"{int(wrong.sum()):,} dates differ from the text, for example {example!r} became {got}.")


q2 = Question(
    "invoice_dates",
    _check_dates,
    hints=[
        "Look at raw['invoice_date'].sample(20, random_state=0): how many different formats do you see?",
        "pd.to_datetime(text, format=..., errors='coerce') gives NaT where the format does not fit. "
        "Parse once per format, then fill the gaps of the first result with the second: a.fillna(b).",
        "Formats: format='ISO8601' (2022-01-03 04:47:28 and 2022-01-03T04:47:28), '%d/%m/%Y %H:%M' and '%b %d %Y "
        "%H:%M'.",
    ],
    solution=(
        "text = raw['invoice_date']\n"
        "iso = pd.to_datetime(text, format='ISO8601', errors='coerce')\n"
        "uk = pd.to_datetime(text, format='%d/%m/%Y %H:%M', errors='coerce')\n"
        "words = pd.to_datetime(text, format='%b %d %Y %H:%M', errors='coerce')\n"
        "invoice_dates = iso.fillna(uk).fillna(words)"
    ),
    praise="each format is parsed on purpose, so no date is silently read the wrong way round.",
)

# -- q3: currencies --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _prices_for(key: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Read-only arrays of the raw export: (price, price in pounds, price divided by the rate, foreign?)."""
    from course_utils.data import FX_TO_GBP

    raw = _raw_for(key)
    price = raw["unit_price"].astype(float)
    rate = raw["currency"].map(FX_TO_GBP)
    return (
        _frozen(price.to_numpy()),
        _frozen((price * rate).to_numpy()),
        _frozen((price / rate).to_numpy()),
        _frozen((raw["currency"] != "GBP").to_numpy()),
    )


def _within_each(got: np.ndarray, ref: np.ndarray, decimals: int | None) -> np.ndarray:
    """``within(g, r, decimals)`` for each pair of elements at once (the same arithmetic, element-wise).

    >>> _within_each(np.array([1.004, 1.006, np.nan]), np.array([1.0, 1.0, 1.0]), PENNIES).tolist()
    [True, False, False]
    """
    slack = 1e-9 * np.maximum(1.0, np.abs(ref))
    return np.abs(got - ref) <= tolerance(decimals) + slack


def _check_prices(value: Any) -> None:
    raw = _raw()
    value = _series(value, "unit_price_gbp", len(raw), series_only=False)
    if not pd.api.types.is_numeric_dtype(value):
        raise Incorrect(
            f"`unit_price_gbp` has dtype {value.dtype}: the prices are still text. Convert them with .astype(float)."
        )
    price, truth, divided, foreign = _prices_for(_data_key())
    got = value.astype(float).to_numpy()
    if np.isnan(got).any():
        raise Incorrect(
            f"{int(np.isnan(got).sum()):,} prices are missing (NaN). Does your rate table cover every currency in "
            "raw['currency']? Look at raw['currency'].value_counts()."
        )
    if within(got, divided, PENNIES) and foreign.any():
        raise Incorrect(
            "you divided by the rate. FX_TO_GBP gives pounds per unit of currency (1 EUR = 0.85 GBP), so "
            "multiply: a 10 EUR price is 8.50 GBP."
        )
    if within(got, price, PENNIES) and foreign.any():
        raise Incorrect(
            f"the {int(foreign.sum()):,} prices in EUR and USD were not converted. Multiply each price by the rate "
            "of its own currency: raw['currency'].map(FX_TO_GBP)."
        )
    bad = ~_within_each(got, truth, PENNIES)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise Incorrect(
            f"{int(bad.sum()):,} prices are off (to the penny), e.g. row {raw.index[i]}: {raw['unit_price'].iloc[i]} "
            f"{raw['currency'].iloc[i]} became {got[i]:.2f} GBP. Multiply each price by the rate of its own "
            "currency, and round at the end if at all, keeping at least 2 decimals (the pennies)."
        )


q3 = Question(
    "unit_price_gbp",
    _check_prices,
    hints=[
        "Two steps: turn the text into numbers, then multiply each price by the rate of its currency.",
        "raw['currency'].map(FX_TO_GBP) gives, for every row, the number of pounds per unit of that currency.",
    ],
    solution="unit_price_gbp = raw['unit_price'].astype(float) * raw['currency'].map(FX_TO_GBP)",
    praise="every price is now in pounds, so lines from different markets can be added up.",
)

# -- q4: category spellings -------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _categories_for(key: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The clean category of every raw row, found through its product (each product has one category).

    Read-only: (the categories, which rows have one, the sorted clean categories).
    """
    clean = _clean_for(key)
    by_product = clean.drop_duplicates("product_id").set_index("product_id")["category"].astype(str)
    truth = _raw_for(key)["product_id"].map(by_product)
    return _frozen(truth.to_numpy()), _frozen(truth.notna().to_numpy()), sorted(truth.dropna().unique())


def _check_categories(value: Any) -> None:
    raw = _raw()
    value = _series(value, "category_clean", len(raw), series_only=False)
    truth, known, allowed = _categories_for(_data_key())
    allowed = list(allowed)
    got = value.astype("object").where(value.notna(), None)
    labels = set(got.dropna().unique())
    extra = sorted(str(x) for x in labels - set(allowed))
    if extra:
        raise Incorrect(
            f"`category_clean` still has {len(labels)} different values, including {extra[:4]}. The five clean "
            f"categories are {allowed}. Strip spaces, lower-case, then map the remaining synonyms."
        )
    if got.isna().any():
        example = raw.loc[got.isna().to_numpy(), "category"].iloc[0]
        raise Incorrect(
            f"{int(got.isna().sum()):,} rows became missing, e.g. the spelling {example!r}. Your mapping must "
            "cover every spelling (or keep the ones that are already right)."
        )
    bad = (got.to_numpy() != truth) & known
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise Incorrect(
            f"{int(bad.sum()):,} rows got the wrong category, e.g. the spelling {raw['category'].iloc[i]!r} became "
            f"{got.iloc[i]!r}. Look at the products sold under that spelling: which of the five is it?"
        )


q4 = Question(
    "category_clean",
    _check_categories,
    hints=[
        "Start with raw['category'].value_counts(): most spellings differ only in capitals and spaces.",
        "raw['category'].str.strip().str.lower() fixes case and spaces. What is left? Look at its value_counts().",
        "Write a dictionary for the synonyms left, e.g. {'kitchenware': 'kitchen', 'bed linen': 'bedding', ...}, "
        "and apply it with .replace(synonyms).",
    ],
    solution=(
        "synonyms = {\n"
        "    'kitchenware': 'kitchen', 'home-decor': 'home decor', 'homedecor': 'home decor',\n"
        "    'home décor': 'home decor', 'gardening': 'garden', 'garden & outdoor': 'garden',\n"
        "    'bed linen': 'bedding', 'gift': 'gifts', 'gift ideas': 'gifts',\n"
        "}\n"
        "category_clean = raw['category'].str.strip().str.lower().replace(synonyms)"
    ),
    praise="five categories again, so sales per category add up correctly.",
)

# -- q5: cancellations -----------------------------------------------------------------


def _cancel_truth(raw: pd.DataFrame) -> pd.Series:
    credit = raw["invoice"].str.startswith("C")
    cancelled_orders = raw.loc[credit, "invoice"].str[1:]
    return credit | raw["invoice"].isin(cancelled_orders)


@functools.lru_cache(maxsize=1)
def _cancellations_for(key: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read-only masks of the raw rows: (to remove, cancellation lines 'C...', return lines 'R...')."""
    raw = _raw_for(key)
    return (
        _frozen(_cancel_truth(raw).to_numpy()),
        _frozen(raw["invoice"].str.startswith("C").to_numpy()),
        _frozen(raw["invoice"].str.startswith("R").to_numpy()),
    )


def _check_cancelled(value: Any) -> None:
    raw = _raw()
    value = _series(value, "is_cancelled", len(raw))
    if not pd.api.types.is_bool_dtype(value):
        raise Incorrect(
            f"`is_cancelled` should be True/False for each row (dtype bool), but its dtype is {value.dtype}."
        )
    if not value.index.equals(raw.index):
        raise Incorrect(
            "`is_cancelled` should keep the index of `raw`, in its order (do not sort, shuffle or reset it): "
            "each True/False belongs to its own row of `raw`."
        )
    got = value.to_numpy(dtype=bool)
    truth, credit, returns = _cancellations_for(_data_key())
    ordinary = ~truth & ~returns  # lines of orders that were neither cancelled nor returns
    if int(got.sum()) == int(truth.sum()) and (got & ordinary).any():
        raise Incorrect(
            "`is_cancelled` has as many True values as there are lines to remove, but they sit in other rows, "
            "ordinary orders among them: were the values reordered (sorted or shuffled, then given a fresh "
            "index)? Keep one True/False per row of `raw`, in the order of `raw`."
        )
    if (got & returns).any():
        raise Incorrect(
            f"you flagged {int((got & returns).sum()):,} return lines (invoices starting with 'R'). A return is real: "
            "the customer bought and sent goods back. A cancellation (invoice 'C...') means the order never happened."
        )
    if np.array_equal(got, credit):
        raise Incorrect(
            "you flagged the 'C' lines, but the orders they cancel are still in: invoice CINV0000123 cancels "
            "INV0000123, whose lines must go too. Strip the 'C' to find those invoices, then use .isin()."
        )
    if (~got & truth).any():
        raise Incorrect(f"{int((~got & truth).sum()):,} cancelled lines are not flagged yet.")
    if (got & ~truth).any():
        raise Incorrect(f"{int((got & ~truth).sum()):,} lines are flagged but were not cancelled.")


q5 = Question(
    "is_cancelled",
    _check_cancelled,
    hints=[
        "Cancellation invoices start with 'C' and hold negative quantities. Which order does 'CINV0000123' cancel?",
        "Flag the 'C' lines with raw['invoice'].str.startswith('C'); then the lines of the cancelled orders with "
        ".isin() on the invoice numbers without their 'C' (.str[1:]).",
    ],
    solution=(
        "credit = raw['invoice'].str.startswith('C')\n"
        "cancelled_orders = raw.loc[credit, 'invoice'].str[1:]\n"
        "is_cancelled = credit | raw['invoice'].isin(cancelled_orders)"
    ),
    praise="both the order and its cancellation go, and returns stay: they are real money back.",
)

# -- q6: impossible and missing ages -----------------------------------------------------


@functools.lru_cache(maxsize=1)
def _ages_for(key: tuple[Any, ...]) -> tuple[pd.Series, pd.Series]:
    """The raw customers' ages as numbers, and only the valid ones (NaN elsewhere), indexed 0..n-1."""
    raw = _raw_customers_for(key)
    age = pd.to_numeric(raw["age"], errors="coerce")
    valid = age.where(age.between(AGE_MIN, AGE_MAX))
    return age.reset_index(drop=True), valid.reset_index(drop=True)


def _check_ages(value: Any) -> None:
    raw = _raw_customers()
    value = _series(value, "age_clean", len(raw), table="raw_customers", series_only=False)
    if not pd.api.types.is_numeric_dtype(value):
        raise Incorrect(f"`age_clean` has dtype {value.dtype}: convert the text to numbers with pd.to_numeric(...).")
    got = value.astype(float).reset_index(drop=True)
    if got.isna().any():
        raise Incorrect(f"{int(got.isna().sum()):,} ages are still missing. Fill them with .fillna(...).")
    age, valid = (s.copy() for s in _ages_for(_data_key()))
    ok = valid.notna().to_numpy()
    filled = got[~ok].to_numpy()
    impossible = (age.notna() & ~age.between(AGE_MIN, AGE_MAX)).to_numpy()
    kept = got[impossible]
    still = kept.to_numpy() == age[impossible].to_numpy()
    if still.any():
        raise Incorrect(
            f"impossible ages are still there (e.g. {kept[still].iloc[0]:g}). Treat ages "
            f"outside {AGE_MIN}-{AGE_MAX} as missing first: age.where(age.between({AGE_MIN}, {AGE_MAX}))."
        )
    if not within(got.to_numpy()[ok], valid.to_numpy()[ok], EXACT):
        raise Incorrect("some ages that were fine have changed. Only the missing and impossible ones should be filled.")
    if np.ptp(filled) > 0:
        raise Incorrect(
            "the gaps are filled with different values. The task asks for *one* value for all of them "
            "(for example a statistic of the valid ages), so that you can say why you chose it."
        )
    fill = float(filled[0])
    if within(fill, age.mean(), 2):
        raise Incorrect(
            "you filled with the mean of all ages, impossible ones like 999 included: they pull it up. "
            "Compute the fill value from the valid ages only."
        )
    low, high = valid.quantile(TYPICAL)
    if not low <= fill <= high:
        raise Incorrect(
            f"{fill:g} is not a typical age of the valid customers (it is outside the middle half of their "
            "ages), so it is hard to defend: it changes the shape of the ages. Use a central value of the "
            "valid ages, such as their median or their mean, and say why."
        )


q6 = Question(
    "age_clean",
    _check_ages,
    hints=[
        "Three steps: text to numbers (pd.to_numeric with errors='coerce'), impossible ages to missing, then fill.",
        f"age.where(age.between({AGE_MIN}, {AGE_MAX})) keeps plausible ages and turns the rest into NaN.",
        "Fill with one central value of the valid ages, e.g. valid.fillna(valid.median()). The ages have a long "
        "right tail: which of the median and the mean is closer to a typical customer?",
    ],
    solution=(
        "age = pd.to_numeric(raw_customers['age'], errors='coerce')\n"
        f"valid = age.where(age.between({AGE_MIN}, {AGE_MAX}))\n"
        "age_clean = valid.fillna(valid.median())"
    ),
    praise="impossible values are removed before computing the fill value, and one central value fills every gap: "
    "the median resists the long right tail, the mean keeps the average age unchanged; say which you chose and why.",
)

# -- q7: the same question in SQL --------------------------------------------------------


def _channel_truth() -> pd.DataFrame:
    """Customers, revenue and rows per channel of the clean transactions (a copy of the cached truth)."""
    return _channels_for(_data_key()).copy()


@functools.lru_cache(maxsize=1)
def _channels_for(key: tuple[Any, ...]) -> pd.DataFrame:
    tx = _clean_for(key)
    out = (
        tx.assign(line=tx["quantity"] * tx["unit_price"])
        .groupby("channel", observed=True)
        .agg(n_customers=("customer_id", "nunique"), revenue_gbp=("line", "sum"), n_rows=("customer_id", "size"))
    )
    out.index = out.index.astype(str)
    return out


def _raw_customers_per_channel() -> pd.Series:
    """Different customers per channel in the *raw* export (cancelled orders, duplicates and all)."""
    return _raw_channels_for(_data_key()).copy()


@functools.lru_cache(maxsize=1)
def _raw_channels_for(key: tuple[Any, ...]) -> pd.Series:
    raw = _raw_for(key)
    return raw.groupby("channel")["customer_id"].nunique().astype(float)


def _check_by_channel(value: Any) -> None:
    if isinstance(value, str):
        raise Incorrect("`by_channel` is the text of your query. Run it: pd.read_sql_query(query, con).")
    require_type(value, pd.DataFrame, "`by_channel`")
    wanted = ["channel", "n_customers", "revenue_gbp"]
    missing = [c for c in wanted if c not in value.columns]
    if missing == ["channel"] and value.index.name == "channel":
        raise Incorrect(
            "`by_channel` has channel as its index, not as a column. pd.read_sql_query(query, con) returns it as "
            "a column; with pandas, add .reset_index()."
        )
    if missing:
        raise Incorrect(
            f"`by_channel` is missing the column(s) {missing}; it has {list(value.columns)}. Name columns in SQL "
            "with AS, e.g. COUNT(DISTINCT customer_id) AS n_customers."
        )
    truth = _channel_truth()
    got = value.assign(channel=value["channel"].astype(str)).set_index("channel")
    if len(value) != len(truth) or got.index.duplicated().any():
        raise Incorrect(
            f"`by_channel` should have one row per channel, but it has {len(value)} rows for "
            f"{got.index.nunique()} channel(s). Group by channel (GROUP BY channel) over the whole table."
        )
    if set(got.index) != set(truth.index):
        raise Incorrect(
            f"the channels {sorted(got.index)} are not those of the transactions table. Select the channel "
            "column itself, unchanged."
        )
    got = got.loc[truth.index]
    if np.allclose(got["n_customers"].astype(float), truth["n_rows"]):
        raise Incorrect(
            "n_customers counts order lines, not customers: COUNT(*) counts rows. Use COUNT(DISTINCT customer_id)."
        )
    if not np.array_equal(got["n_customers"].astype(float).to_numpy(), truth["n_customers"].astype(float).to_numpy()):
        from_raw = _raw_customers_per_channel().reindex(truth.index)
        if np.array_equal(got["n_customers"].astype(float).to_numpy(), from_raw.to_numpy()):
            raise Incorrect(
                "n_customers counts the customers of the *raw* export (cancelled orders and all). The task asks "
                "for the clean `transactions` table of the course database: run your query on it with "
                "pd.read_sql_query(query, con)."
            )
        raise Incorrect("n_customers is not the number of different customers per channel.")
    if not within(got["revenue_gbp"].astype(float).to_numpy(), truth["revenue_gbp"].to_numpy(), PENNIES):
        raise Incorrect(
            "revenue_gbp is not right: it is the sum of quantity * unit_price over all lines of the clean "
            "transactions table (returns included, they are negative)."
        )
    order = value["revenue_gbp"].astype(float).to_numpy()
    if not (np.diff(order) <= 0).all():
        raise Incorrect("the rows should be sorted by revenue, largest first: ORDER BY revenue_gbp DESC.")


q7 = Question(
    "by_channel",
    _check_by_channel,
    hints=[
        "The query has the shape SELECT channel, ... FROM transactions GROUP BY channel ORDER BY ...",
        "COUNT(*) counts rows; COUNT(DISTINCT customer_id) counts customers. SUM(quantity * unit_price) is revenue.",
    ],
    solution=(
        "query = '''\n"
        "SELECT channel,\n"
        "       COUNT(DISTINCT customer_id) AS n_customers,\n"
        "       SUM(quantity * unit_price) AS revenue_gbp\n"
        "FROM transactions\n"
        "GROUP BY channel\n"
        "ORDER BY revenue_gbp DESC\n"
        "'''\n"
        "by_channel = pd.read_sql_query(query, con)"
    ),
    praise="the database did the grouping; the same numbers come out of pandas' groupby.",
)

QUESTIONS = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7}

#: What each task states about its answer (tests/checks/variants/m01_wrangling.py violates each one).
PROPERTIES: dict[str, dict[str, str]] = {
    "q1": {
        "type": "one whole number",
        "earlier": "rows that repeat an *earlier* row: the first copy is not a duplicate",
        "every_column": "exact duplicates: every column equal, not a subset of columns",
        "value": "the number of duplicate rows (not the rows left, not all rows)",
    },
    "q2": {
        "type": "a Series (one column, not a table or an array)",
        "length": "one value per row of raw",
        "dtype": "date-times",
        "index": "the same index as raw",
        "complete": "no missing values",
        "dayfirst": "a date with slashes is day/month/year (a UK shop)",
        "value": "every date as written (ISO dates not flipped)",
    },
    "q3": {
        "type": "one column: a value per row of raw",
        "length": "one value per row of raw",
        "numeric": "numbers, not text",
        "complete": "every currency converted (no missing value)",
        "direction": "pounds per unit of each currency: multiply by the rate",
        "converted": "every unit price converted, EUR and USD included",
        "value": "each price in pounds, to the penny",
    },
    "q4": {
        "type": "one column: a value per row of raw",
        "length": "one value per row of raw",
        "labels": "spelled one of the five ways 'kitchen', 'home decor', 'garden', 'bedding', 'gifts'",
        "complete": "every row keeps a category",
        "value": "the category of every row",
    },
    "q5": {
        "type": "a Series",
        "length": "one value per row of raw",
        "dtype": "True/False",
        "index": "one value per row of raw, in its own row (the index and order of raw)",
        "returns": "returns (invoices starting with 'R') are real and stay",
        "orders": "both the cancellation lines and the lines of the order they cancel are True",
        "value": "True for every line to remove and only those",
    },
    "q6": {
        "type": "one number per row of raw_customers",
        "length": "one value per row of raw_customers",
        "numeric": "numbers",
        "complete": "no missing value left",
        "impossible": "impossible ages (below 18 or above 100) are replaced",
        "unchanged": "the valid ages unchanged",
        "one_value": "the gaps filled with one value",
        "defensible": "a value you can defend: a typical age of the valid customers",
    },
    "q7": {
        "type": "the result of pd.read_sql_query: a DataFrame",
        "columns": "the columns channel, n_customers and revenue_gbp",
        "rows": "one row per channel",
        "channels": "the channels of the transactions table",
        "distinct": "n_customers: the number of *different* customers",
        "revenue": "revenue_gbp: the sum of quantity * unit_price",
        "order": "sorted by revenue, largest first",
    },
}


def warm() -> list[str]:
    """Compute every cached truth of these checks now (the grader does, before it forks kernels).

    >>> warm()[:2]
    ['_raw_for', '_raw_customers_for']
    """
    key = _data_key()
    cached = (
        _raw_for,
        _raw_customers_for,
        _clean_for,
        _duplicates_for,
        _dates_for,
        _prices_for,
        _categories_for,
        _cancellations_for,
        _ages_for,
        _channels_for,
        _raw_channels_for,
    )
    for fn in cached:
        fn(key)
    return [fn.__name__ for fn in cached]
