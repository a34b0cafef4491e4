"""The product catalogue: twelve products per category, each in up to three price tiers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_utils.data.schema import CATEGORIES

_NOUNS = {
    "kitchen": [
        ("Pie Dish", 9),
        ("Chef's Knife", 18),
        ("Mixing Bowl", 8),
        ("Teapot", 14),
        ("Chopping Board", 10),
        ("Saucepan", 22),
        ("Mug Set", 12),
        ("Utensil Pot", 7),
        ("Tea Towel Set", 6),
        ("Cafetiere", 16),
        ("Casserole Dish", 28),
        ("Spice Rack", 15),
    ],
    "home decor": [
        ("Cushion", 12),
        ("Table Lamp", 30),
        ("Vase", 14),
        ("Wall Mirror", 40),
        ("Candle", 6),
        ("Photo Frame", 8),
        ("Throw", 24),
        ("Wall Clock", 20),
        ("Rug", 45),
        ("Plant Pot", 9),
        ("Storage Basket", 13),
        ("Doormat", 11),
    ],
    "garden": [
        ("Trowel", 7),
        ("Watering Can", 12),
        ("Planter", 18),
        ("Bird Feeder", 10),
        ("Garden Kneeler", 9),
        ("Pruning Shears", 14),
        ("Solar Lantern", 11),
        ("Seed Tray Set", 6),
        ("Hose Reel", 30),
        ("Bistro Chair", 45),
        ("Herb Kit", 8),
        ("Garden Gloves", 5),
    ],
    "bedding": [
        ("Duvet Cover", 30),
        ("Pillowcase Pair", 12),
        ("Fitted Sheet", 16),
        ("Duvet", 40),
        ("Pillow", 14),
        ("Bedspread", 35),
        ("Blanket", 25),
        ("Mattress Topper", 50),
        ("Hot Water Bottle", 9),
        ("Bed Runner", 15),
        ("Cot Bed Set", 22),
        ("Sleep Mask", 5),
    ],
    "gifts": [
        ("Gift Box", 15),
        ("Scented Candle Set", 18),
        ("Hamper", 40),
        ("Tea Gift Set", 16),
        ("Keepsake Box", 12),
        ("Gift Card Holder", 4),
        ("Bath Set", 20),
        ("Notebook Set", 9),
        ("Chocolate Tin", 8),
        ("Photo Album", 17),
        ("Wine Stopper Set", 11),
        ("Advent Calendar", 25),
    ],
}
_ADJ = {
    0: ["Basic", "Value", "Everyday", "Simple"],
    1: ["Enamel", "Linen", "Stoneware", "Bamboo", "Cotton", "Rattan"],
    2: ["Handmade", "Copper", "Oak", "Artisan", "Heritage", "Cashmere"],
}
_TIER_MULT = (0.6, 1.0, 2.6)


def catalogue(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    pid = 1
    for cat in CATEGORIES:
        for noun, base in _NOUNS[cat]:
            for tier in (0, 1, 2):
                adjs = rng.choice(_ADJ[tier], size=2 if tier == 1 else 1, replace=False)
                for adj in adjs:
                    price = max(1.0, np.round(base * _TIER_MULT[tier] * rng.uniform(0.85, 1.2))) - 0.01
                    rows.append((f"P{pid:04d}", f"{adj} {noun}", cat, tier, round(float(price), 2)))
                    pid += 1
    return pd.DataFrame(rows, columns=["product_id", "product_name", "category", "tier", "price"])
