"""Order lines (which products, how many, at what price), returns, and the clean transactions table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_tools.generator.orders import Orders
from course_tools.generator.segments import BH, CAT, LINES, NO, RETURN, TIER
from course_tools.generator.timeline import DAY, SNAP_END, fmt_dt, fmt_money
from course_utils.data.schema import CATEGORIES


@dataclass(frozen=True)
class Lines:
    """One entry per order line (one product in one order), before returns."""

    order: np.ndarray  # index in Orders
    product: np.ndarray  # row of the product catalogue
    seg: np.ndarray
    kind: np.ndarray  # the order's kind
    sec: np.ndarray
    cust: np.ndarray
    qty: np.ndarray
    price: np.ndarray
    n_lines: np.ndarray  # lines drawn per order (before merging repeated products)


def draw_lines(rng: np.random.Generator, products: pd.DataFrame, orders: Orders) -> Lines:
    """Order lines: how many, which products (by segment taste), quantity and price paid."""
    o_seg, o_kind, o_sec, o_cust, n_o = orders.seg, orders.kind, orders.sec, orders.cust, len(orders.seg)
    lam = np.array([LINES.get(s, 1.5) for s in o_seg])
    lam[o_seg == NO] = rng.uniform(0, 4, (o_seg == NO).sum())
    n_lines = 1 + rng.poisson(lam)
    l_ord = np.repeat(np.arange(n_o), n_lines)
    l_seg = o_seg[l_ord]
    # product choice: segment's tier and category preferences
    tier_p = np.array([TIER[s] for s in range(6)])
    cat_p = np.array([CAT[s] for s in range(6)])
    cat_idx = products["category"].map({c: i for i, c in enumerate(CATEGORIES)}).to_numpy()
    tier_idx = products["tier"].to_numpy()
    prod_p = tier_p[:, tier_idx] * cat_p[:, cat_idx]
    prod_p /= prod_p.sum(1, keepdims=True)
    l_prod = np.empty(len(l_ord), dtype=np.int64)
    for s in range(6):
        idx = np.flatnonzero(l_seg == s)
        l_prod[idx] = rng.choice(len(products), size=len(idx), p=prod_p[s])
    # one line per product within an invoice
    keep = ~pd.DataFrame({"o": l_ord, "p": l_prod}).duplicated().to_numpy()
    l_ord, l_prod, l_seg = l_ord[keep], l_prod[keep], l_seg[keep]
    n_l = len(l_ord)
    qty = np.ones(n_l, dtype=np.int64)
    bh = l_seg == BH
    qty[bh] = np.minimum(rng.geometric(0.45, bh.sum()), 8)
    other = ~bh
    qty[other] = np.minimum(rng.geometric(0.8, other.sum()), 4)
    nq = l_seg == NO
    qty[nq] = np.minimum(rng.geometric(0.3, nq.sum()), 12)
    price = products["price"].to_numpy()[l_prod]
    # bargain hunters buy on discount; everyone sometimes does
    disc_p = np.where(bh, 0.55, 0.08)
    disc = rng.random(n_l) < disc_p
    price = np.where(disc, np.round(price * rng.choice([0.6, 0.7, 0.75, 0.8], n_l), 2), price)
    l_kind = o_kind[l_ord]
    qty[l_kind == 3] = rng.integers(200, 2400, (l_kind == 3).sum())
    price[l_kind == 4] = 0.01
    l_sec = o_sec[l_ord]
    l_cust = o_cust[l_ord]
    return Lines(l_ord, l_prod, l_seg, l_kind, l_sec, l_cust, qty, price, n_lines)


def with_returns(rng: np.random.Generator, products: pd.DataFrame, orders: Orders, drawn: Lines) -> pd.DataFrame:
    """Every line, returns added as negative quantities on return invoices, in time order."""
    o_inv, o_chan = orders.inv, orders.chan
    l_ord, l_prod, l_seg, l_kind = drawn.order, drawn.product, drawn.seg, drawn.kind
    l_sec, l_cust, qty, price, n_l = drawn.sec, drawn.cust, drawn.qty, drawn.price, len(drawn.order)
    rp = np.array([RETURN[s] for s in l_seg])
    ret = (rng.random(n_l) < rp) & (l_kind == 0)
    r_sec = l_sec[ret] + rng.integers(3 * DAY, 25 * DAY, ret.sum())
    in_time = r_sec <= SNAP_END
    r_src = np.flatnonzero(ret)[in_time]
    r_sec = r_sec[in_time]
    # a return invoice per (order, return day)
    r_key = pd.DataFrame({"o": l_ord[r_src], "d": r_sec // DAY})
    r_first = r_key.groupby(["o", "d"], sort=False).ngroup().to_numpy()
    r_group_sec = pd.Series(r_sec).groupby(r_first).transform("min").to_numpy()
    grp_order = np.lexsort(
        (
            np.arange(r_first.max() + 1 if len(r_first) else 0),
            pd.Series(r_group_sec).groupby(r_first).first().to_numpy(),
        )
    )
    grp_rank = np.empty_like(grp_order)
    grp_rank[grp_order] = np.arange(len(grp_order))
    r_inv = np.array([f"R{k + 1:07d}" for k in grp_rank[r_first]], dtype=object)

    chan_names = np.array(["web", "app", "marketplace"], dtype=object)
    lines = pd.DataFrame(
        {
            "invoice": o_inv[l_ord],
            "sec": l_sec,
            "cust": l_cust,
            "kind": l_kind,
            "product": l_prod,
            "quantity": qty,
            "unit_price": price,
            "channel": chan_names[o_chan[l_ord]],
        }
    )
    returns = pd.DataFrame(
        {
            "invoice": r_inv,
            "sec": r_group_sec,
            "cust": l_cust[r_src],
            "kind": 0,
            "product": l_prod[r_src],
            "quantity": -qty[r_src],
            "unit_price": price[r_src],
            "channel": chan_names[o_chan[l_ord[r_src]]],
        }
    )
    all_lines = pd.concat([lines, returns], ignore_index=True)
    all_lines["pid"] = products["product_id"].to_numpy()[all_lines["product"].to_numpy()]
    all_lines = all_lines.sort_values(["sec", "invoice", "pid"], kind="stable").reset_index(drop=True)
    return all_lines


def transactions_table(lines: pd.DataFrame, products: pd.DataFrame, cust_ids: np.ndarray) -> pd.DataFrame:
    p = lines["product"].to_numpy()
    return pd.DataFrame(
        {
            "invoice": lines["invoice"].to_numpy(),
            "invoice_date": fmt_dt(lines["sec"].to_numpy()),
            "customer_id": cust_ids[lines["cust"].to_numpy()],
            "product_id": products["product_id"].to_numpy()[p],
            "product_name": products["product_name"].to_numpy()[p],
            "category": products["category"].to_numpy()[p],
            "quantity": lines["quantity"].to_numpy().astype(str),
            "unit_price": fmt_money(lines["unit_price"].to_numpy()),
            "currency": "GBP",
            "channel": lines["channel"].to_numpy(),
        }
    )
