"""The capstone's code book matches the data, and its checks follow the student's own choices.

``tests/checks/known_wrong/m08_capstone.py`` judges answers against the model solution's objects. Here a
student makes *other* defensible choices (other features, k = 4, a Gaussian mixture for the final
labels): every milestone computed from those objects must pass, looked up from the notebook's
namespace as in a real notebook, and the real mistakes must still fail.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from course_utils.caravan import DESCRIPTIONS, SENSITIVE_COLUMNS, SHARE_COLUMNS, describe, share_percent
from course_utils.data import load_caravan
from course_utils.exercise import Incorrect, NotAttempted
from course_utils.questions import m08_capstone as m08


def test_code_book_covers_every_column_and_the_codes_fit() -> None:
    caravan = load_caravan()
    assert set(DESCRIPTIONS) == set(caravan.columns)
    assert len(SHARE_COLUMNS) == 36 and set(SENSITIVE_COLUMNS) <= set(SHARE_COLUMNS)
    assert caravan[SHARE_COLUMNS].isin(range(10)).all().all()
    assert share_percent(caravan["MRELGE"]).between(0, 100).all()
    with pytest.raises(ValueError, match="0-9"):
        share_percent(12)
    with pytest.raises(KeyError, match="not a Caravan column"):
        describe("CARAVAN")


@pytest.fixture(scope="module")
def student() -> dict[str, Any]:
    """Another student's defensible choices, and their milestone answers computed by hand."""
    caravan = load_caravan()
    cols = [c for c in SHARE_COLUMNS if c not in SENSITIVE_COLUMNS] + ["MKOOPKLA", "PPERSAUT", "PBRAND"]
    features = caravan[cols].astype(float)
    X = pd.DataFrame(StandardScaler().fit_transform(features), columns=cols)
    rows = []
    for k in m08.K_RANGE:
        lab = KMeans(n_clusters=k, n_init=m08.N_INIT, random_state=0).fit_predict(X)
        rows.append(
            {
                "k": k,
                "silhouette": silhouette_score(X, lab, sample_size=m08.SILHOUETTE_SAMPLE, random_state=0),
                "davies_bouldin": davies_bouldin_score(X, lab),
            }
        )
    k = 4
    labels = GaussianMixture(n_components=k, covariance_type="diag", random_state=0).fit(X).predict(X)
    stability = []
    for b in range(m08.N_RESAMPLES):
        part = m08.resample_rows(len(X), seed=b)
        refit = KMeans(n_clusters=k, n_init=m08.N_INIT, random_state=b + 1).fit_predict(X.iloc[part])
        stability.append(adjusted_rand_score(labels[part], refit))
    profile = features.groupby(labels).mean()
    profile.insert(0, "size", np.bincount(labels))
    bought = (caravan["Purchase"] == "Yes").astype(int)
    uptake = bought.groupby(labels).agg(customers="size", buyers="sum")
    uptake["uptake"] = uptake["buyers"] / uptake["customers"]
    uptake["lift"] = uptake["uptake"] / bought.mean()
    return {
        "features": features,
        "X": X,
        "k": k,
        "labels": labels,
        "k_scores": pd.DataFrame(rows).set_index("k"),
        "stability": stability,
        "ari_moshoofd": adjusted_rand_score(caravan["MOSHOOFD"], labels),
        "profile": profile,
        "uptake": uptake,
    }


@pytest.mark.parametrize("qname", sorted(m08.QUESTIONS))
def test_other_choices_pass_when_looked_up_in_the_notebook(
    qname: str, student: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = {**student, "question": m08.QUESTIONS[qname]}
    exec("question.check()", namespace)  # noqa: S102 - the call a check cell makes, in a notebook-like namespace
    assert capsys.readouterr().out.startswith("Correct!")


def test_checks_use_the_students_objects_not_the_model_solution(student: dict[str, Any]) -> None:
    # The model solution's profile is right for the model's labels, wrong for this student's.
    model_profile = m08.reference_features().groupby(m08.reference_labels()).mean()
    model_profile.insert(0, "size", np.bincount(m08.reference_labels()))
    with pytest.raises(Incorrect):
        m08.q5.check(model_profile, labels=student["labels"], features=student["features"])
    # The student's own ARI, checked against the model's labels, is wrong.
    with pytest.raises(Incorrect, match="not the ARI"):
        m08.q4.check(student["ari_moshoofd"])
    # Mistakes are still caught on the student's objects: inverted lift, profile of the scaled matrix.
    inverted = student["uptake"].assign(lift=1 / student["uptake"]["lift"])
    with pytest.raises(Incorrect, match="inverted"):
        m08.q6.check(inverted, labels=student["labels"])
    scaled = student["X"].groupby(student["labels"]).mean()
    scaled.insert(0, "size", np.bincount(student["labels"]))
    with pytest.raises(Incorrect, match="scaled"):
        m08.q5.check(scaled, labels=student["labels"], features=student["features"], X=student["X"])


def test_a_missing_earlier_object_is_not_attempted(student: dict[str, Any]) -> None:
    namespace = {"stability": student["stability"], "X": student["X"], "question": m08.q3}
    with pytest.raises(NotAttempted, match="`labels` is not defined"):
        exec("question.check()", namespace)  # noqa: S102
