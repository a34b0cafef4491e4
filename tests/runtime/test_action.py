"""course_utils.action: persona names, A/B uplift table, population stability index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from course_utils.action import name_personas, psi, uplift_table


def _ab(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 4000
    seg = rng.choice(["a", "b"], n)
    variant = rng.choice(["control", "offer"], n)
    p = np.where(seg == "a", 0.05, 0.20) + np.where(variant == "offer", np.where(seg == "a", 0.10, 0.0), 0)
    return pd.DataFrame({"seg": seg, "variant": variant, "converted": (rng.uniform(size=n) < p).astype(int)})


def test_uplift_is_treatment_minus_control_per_segment() -> None:
    ab = _ab()
    table = uplift_table(ab, "seg")
    rates = ab.groupby(["seg", "variant"])["converted"].mean().unstack()
    np.testing.assert_allclose(table.loc[["a", "b"], "uplift"], rates["offer"] - rates["control"])
    assert list(table.index) == ["a", "b", "all"]
    assert table.loc["a", "ci_low"] > 0 > table.loc["b", "ci_low"]
    assert table.loc["a", "p_value"] < 0.001 < table.loc["b", "p_value"]


def test_uplift_interval_and_p_value_match_the_formulas() -> None:
    ab = _ab(1)
    row = uplift_table(ab, "seg", confidence=0.9).loc["all"]
    t = ab.loc[ab.variant == "offer", "converted"]
    c = ab.loc[ab.variant == "control", "converted"]
    se = np.sqrt(t.mean() * (1 - t.mean()) / len(t) + c.mean() * (1 - c.mean()) / len(c))
    assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * norm.ppf(0.95) * se)
    pooled = ab["converted"].mean()
    z = (t.mean() - c.mean()) / np.sqrt(pooled * (1 - pooled) * (1 / len(t) + 1 / len(c)))
    assert row["p_value"] == pytest.approx(2 * norm.sf(abs(z)))


def test_uplift_table_names_a_missing_column() -> None:
    with pytest.raises(KeyError, match="converted"):
        uplift_table(pd.DataFrame({"seg": ["a"], "variant": ["offer"]}), "seg")


def test_psi_detects_shift_and_uses_reference_bins() -> None:
    rng = np.random.default_rng(0)
    ref = rng.lognormal(3, 1, 3000)
    assert psi(ref, rng.lognormal(3, 1, 3000)) < 0.02
    assert psi(ref, rng.lognormal(3.5, 1, 3000)) > 0.1
    # bins come from the first argument: swapping the samples gives another number
    new = rng.lognormal(3.5, 1.5, 3000)
    assert psi(ref, new) != pytest.approx(psi(new, ref), abs=1e-6)


def test_psi_is_finite_with_empty_bins_and_rejects_nan() -> None:
    assert np.isfinite(psi(np.arange(100), np.full(50, 1000.0)))
    with pytest.raises(ValueError, match="NaN"):
        psi([1.0, np.nan], [1.0, 2.0])


def test_personas_ignore_label_ids() -> None:
    rng = np.random.default_rng(0)
    f = pd.DataFrame(
        {
            "recency_days": [500, 10, 20, 30, 40] * 4,
            "tenure_days": [900, 50, 800, 700, 600] * 4,
            "monetary_gbp": [90, 80, 900, 100, 70] * 4,
            "app_share": [0, 0.1, 0.2, 0.9, 0.3] * 4,
        }
    )
    labels = np.tile(np.arange(5), 4)
    permuted = rng.permutation(5)[labels]
    pd.testing.assert_series_equal(name_personas(f, labels), name_personas(f, permuted))
    with pytest.raises(ValueError, match="five|segments"):
        name_personas(f, labels % 3)
