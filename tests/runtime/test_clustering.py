"""course_utils.clustering: stability by resampling, and segment profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from course_utils.clustering import profile_segments, stability_ari


def _blobs(spread: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [4, 0], [0, 4]])
    return np.vstack([rng.normal(c, spread, (60, 2)) for c in centres])


def test_stable_on_separated_blobs() -> None:
    scores = stability_ari(_blobs(0.3), lambda s: KMeans(3, n_init=3, random_state=s), n_resamples=4)
    assert scores.shape == (4,)
    assert scores.min() > 0.95


def test_unstable_on_structureless_data() -> None:
    """Uniform noise cut into 6 parts: the cuts move between resamples."""
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(300, 2))
    scores = stability_ari(X, lambda s: KMeans(6, n_init=1, random_state=s), n_resamples=6)
    stable = stability_ari(_blobs(0.3), lambda s: KMeans(3, n_init=1, random_state=s), n_resamples=6)
    assert scores.mean() < stable.mean() - 0.2


def test_stability_is_reproducible_and_permutation_free() -> None:
    X = _blobs(1.0)
    a = stability_ari(X, lambda s: KMeans(3, n_init=2, random_state=s), n_resamples=3, seed=5)
    b = stability_ari(X, lambda s: KMeans(3, n_init=2, random_state=s), n_resamples=3, seed=5)
    np.testing.assert_allclose(a, b)


@pytest.mark.parametrize(
    ("X", "kwargs", "message"),
    [
        (np.zeros(10), {}, "2-D"),
        (np.zeros((10, 2)), {"fraction": 0}, "fraction"),
        (np.zeros((10, 2)), {"n_resamples": 0}, "n_resamples"),
        (np.array([[0.0, np.nan], [1.0, 1.0]]), {}, "NaN"),
    ],
)
def test_stability_bad_input(X: np.ndarray, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        stability_ari(X, lambda s: KMeans(2, n_init=1, random_state=s), **kwargs)


def test_profile_by_hand() -> None:
    df = pd.DataFrame(
        {"orders": [1, 3, 10, 20, 30], "spend_gbp": [10.0, 30.0, 100.0, 200.0, 300.0], "name": list("abcde")}
    )
    table = profile_segments(df, np.array([1, 1, 0, 0, 0]))
    assert list(table.index) == [0, 1, "overall"]
    assert list(table.columns) == ["size", "share", "orders", "spend_gbp"]  # text column skipped
    assert table.loc[0, "size"] == 3 and table.loc[1, "share"] == pytest.approx(0.4)
    assert table.loc[0, "orders"] == pytest.approx(20.0)
    assert table.loc["overall", "spend_gbp"] == pytest.approx(128.0)
    lift = profile_segments(df, np.array([1, 1, 0, 0, 0]), lift=True)
    assert lift.loc[1, "spend_gbp"] == pytest.approx(20.0 / 128.0)
    assert lift.loc["overall", "orders"] == pytest.approx(1.0)


def test_profile_bad_input() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="one entry per row"):
        profile_segments(df, [0, 1, 1])
    with pytest.raises(TypeError, match="DataFrame"):
        profile_segments(df["x"], [0, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no numeric"):
        profile_segments(pd.DataFrame({"t": ["a", "b"]}), [0, 1])
