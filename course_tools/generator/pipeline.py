"""``build()``: the stages of the generator, run in a fixed order from one seeded random generator.

Each stage draws from the one ``numpy.random.Generator`` in a fixed order: that order is what
makes a seed give the same bytes. Moving a draw, or a stage, changes the datasets
(tests/tooling/test_datasets.py compares them with the committed files byte for byte).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from course_tools.generator.campaign import campaign_table
from course_tools.generator.catalogue import catalogue
from course_tools.generator.customers import customers_table
from course_tools.generator.lines import Lines, draw_lines, transactions_table, with_returns
from course_tools.generator.orders import Orders, draw_order_counts, draw_orders
from course_tools.generator.people import Habits, People, draw_habits, draw_people
from course_tools.generator.raw import raw_customers_table, raw_transactions_table
from course_tools.generator.reviews import reviews_table
from course_tools.generator.sessions import sessions_table
from course_utils.data.schema import SEGMENTS

DEFAULT_SEED = 42
DEFAULT_SCALE = 1.0
BASE_CUSTOMERS = 5000

T = TypeVar("T")


def build(seed: int = DEFAULT_SEED, scale: float = DEFAULT_SCALE, progress: bool = False) -> dict[str, pd.DataFrame]:
    """Build every table in memory as string-valued data frames ready to write."""
    from faker import Faker
    from tqdm.auto import tqdm

    steps = tqdm(total=8, desc="Larkspur data", disable=not progress, unit="step")

    def stage(name: str, draw: Callable[..., T], *args: Any) -> T:
        """One step of the progress bar: ``draw(*args)`` under the label ``name``."""
        steps.set_postfix_str(name)
        result = draw(*args)
        steps.update()
        return result

    rng = np.random.default_rng(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    n = max(20, int(round(BASE_CUSTOMERS * scale)))
    products = catalogue(rng)
    people = stage("customers", draw_people, rng, n)
    customers = stage("personal data", customers_table, rng, fake, people)
    habits = draw_habits(rng, people.seg)
    end, orders = stage("orders", _orders, rng, people, habits)
    lines = stage("order lines", draw_lines, rng, products, orders)
    all_lines, clean, transactions = stage("order lines", _transactions, rng, products, orders, lines, people)
    raw_transactions = stage("raw transactions", raw_transactions_table, rng, all_lines, products, people.cust_ids)
    sessions = stage("sessions", sessions_table, rng, people, end, habits, orders, lines.n_lines)
    campaign, reviews, ground_truth, raw_customers = stage(
        "campaign and reviews", _campaign_and_reviews, rng, people, customers, clean, products
    )
    steps.close()
    return {
        "customers": customers,
        "raw_customers": raw_customers,
        "transactions": transactions,
        "raw_transactions": raw_transactions,
        "sessions": sessions,
        "campaign": campaign,
        "reviews": reviews,
        "ground_truth": ground_truth,
    }


def _orders(rng: np.random.Generator, people: People, habits: Habits) -> tuple[np.ndarray, Orders]:
    """Orders per customer and each customer's last active day, then every order."""
    n_orders, end = draw_order_counts(rng, people.seg, people.signup)
    orders = draw_orders(rng, people.seg, people.signup, end, n_orders, habits.mobile_first, habits.pref_hour)
    return end, orders


def _transactions(
    rng: np.random.Generator, products: pd.DataFrame, orders: Orders, lines: Lines, people: People
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every line with the returns added; the clean ones (no cancelled, guest, wholesale or test
    orders); and the transactions table made of the clean ones."""
    all_lines = with_returns(rng, products, orders, lines)
    clean = all_lines[all_lines["kind"] == 0]
    return all_lines, clean, transactions_table(clean, products, people.cust_ids)


def _campaign_and_reviews(
    rng: np.random.Generator, people: People, customers: pd.DataFrame, clean: pd.DataFrame, products: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The campaign, the reviews, the planted segments (evaluation only) and the raw customers export."""
    campaign = campaign_table(rng, people)
    reviews = reviews_table(rng, people, customers, clean, products)
    ground_truth = pd.DataFrame(
        {"customer_id": people.cust_ids, "segment": np.asarray(SEGMENTS, dtype=object)[people.seg]}
    )
    raw_customers = raw_customers_table(rng, customers)
    return campaign, reviews, ground_truth, raw_customers
