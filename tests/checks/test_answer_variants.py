"""Answer variants derived from each question's stated properties (in-process, fast).

For every question module ``course_utils/questions/mNN_*.py``:

- it declares ``PROPERTIES[qname]``: property id -> the property as the task text states it;
- ``tests/checks/variants/mNN_*.py`` has, for each question, at least one ``Right`` variant and, for
  each stated property, at least one ``Wrong`` variant;
- every ``Wrong`` is rejected with ``Incorrect`` (not a crash of the checker, not "not
  answered"), its message contains the variant's fragment, has one "Incorrect:" prefix and does
  not reveal the expected value;
- every ``Right`` is accepted.

``PENDING`` lists the modules whose property lists are not written yet. Those cases are marked
``xfail(strict=True)``: a module that becomes complete XPASSes, which fails, so the list can
only shrink. The finished course has an empty ``PENDING``.
"""

from __future__ import annotations

import importlib
import numbers
import pkgutil
from types import ModuleType
from typing import Any

import pytest

import course_utils.questions as questions_pkg
from course_utils.exercise import Incorrect, NotAttempted, Question
from tests.checks.variants import Right, Wrong

MODULES = sorted(m.name for m in pkgutil.iter_modules(questions_pkg.__path__) if m.name.startswith("m"))

#: Modules whose PROPERTIES / VARIANTS are not written yet. Remove a module as soon as it is done.
PENDING: set[str] = set()  # every module is done: keep it empty

_pending_mark = pytest.mark.xfail(strict=True, reason="PROPERTIES/VARIANTS not written yet (see PENDING)")


def _questions(mod: str) -> dict[str, Question]:
    return importlib.import_module(f"course_utils.questions.{mod}").QUESTIONS


def _variants_module(mod: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"tests.checks.variants.{mod}")
    except ModuleNotFoundError as err:
        if err.name == f"tests.checks.variants.{mod}":
            return None
        raise


def _variants(mod: str) -> dict[str, list[Right | Wrong]]:
    module = _variants_module(mod)
    return getattr(module, "VARIANTS", {}) if module else {}


def _marks(mod: str) -> list[pytest.MarkDecorator]:
    return [_pending_mark] if mod in PENDING else []


def _cases(kind: type) -> list[Any]:
    out = []
    for mod in MODULES:
        for qname, variants in _variants(mod).items():
            for i, v in enumerate(variants):
                if isinstance(v, kind):
                    label = v.property_id if isinstance(v, Wrong) else "right"
                    out.append(pytest.param(mod, qname, v, id=f"{mod}.{qname}.{label}{i}"))
    return out


def _secrets(mod: str, qname: str) -> list[str]:
    """Texts a message must not contain: the right answers as a student would type them back."""
    module = _variants_module(mod)
    texts = list(getattr(module, "SECRETS", {}).get(qname, [])) if module else []
    for v in _variants(mod).get(qname, []):
        if not isinstance(v, Right):
            continue
        value = v.factory()
        if isinstance(value, str) and len(value.strip()) >= 2:
            texts.append(value.strip())
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = float(value)
            if number.is_integer() and abs(number) < 10:
                continue  # small whole numbers appear in ordinary prose ("2 of 4")
            texts += [f"{number:.2f}", f"{number:.3f}", f"{number:.4g}"]
            if number.is_integer():
                texts += [f"{int(number)}", f"{int(number):,}"]
    return sorted(set(texts))


def _shown(value: Any) -> str:
    try:
        return repr(value) + str(value)
    except Exception:  # noqa: BLE001 - a value that cannot print shows nothing
        return ""


@pytest.mark.parametrize("mod", [pytest.param(m, marks=_marks(m)) for m in MODULES])
def test_every_question_has_properties_and_variants(mod: str) -> None:
    """Each question lists its stated properties; each property is violated by a Wrong variant."""
    module = importlib.import_module(f"course_utils.questions.{mod}")
    properties = getattr(module, "PROPERTIES", None)
    assert isinstance(properties, dict), f"course_utils/questions/{mod}.py has no PROPERTIES dict"
    variants = _variants(mod)
    assert variants, f"tests/checks/variants/{mod}.py is missing or defines no VARIANTS"
    for qname in _questions(mod):
        stated = properties.get(qname)
        assert stated, f"{mod}.PROPERTIES has no properties for {qname}"
        assert all(isinstance(k, str) and isinstance(t, str) and t for k, t in stated.items())
        mine = variants.get(qname, [])
        assert any(isinstance(v, Right) for v in mine), f"{mod}.{qname} has no Right variant"
        covered = {v.property_id for v in mine if isinstance(v, Wrong)}
        unknown = covered - set(stated)
        assert not unknown, f"{mod}.{qname}: Wrong variants name properties not in PROPERTIES: {unknown}"
        missing = set(stated) - covered
        assert not missing, f"{mod}.{qname}: no Wrong variant violates {sorted(missing)}"
    extra = set(variants) - set(_questions(mod))
    assert not extra, f"tests/checks/variants/{mod}.py names questions that do not exist: {extra}"


def test_pending_lists_only_real_modules() -> None:
    assert PENDING <= set(MODULES), f"PENDING names unknown modules: {PENDING - set(MODULES)}"


@pytest.mark.parametrize(("mod", "qname", "variant"), _cases(Wrong))
def test_wrong_variant_is_rejected_with_its_property_message(mod: str, qname: str, variant: Wrong) -> None:
    value = variant.factory()
    try:
        _questions(mod)[qname].check(value)
    except NotAttempted as err:
        pytest.fail(f"{variant.property_id}: reported as not answered: {err}")
    except Incorrect as err:
        message = str(err)
        assert not err.unexpected, f"the checker crashed instead of explaining: {message}"
        assert message.startswith("Incorrect: ") and message.count("Incorrect:") == 1, message
        assert variant.message_fragment.lower() in message.lower(), (
            f"{mod}.{qname} [{variant.property_id}] expected {variant.message_fragment!r} in: {message}"
        )
        # echoing the student's own answer back reveals nothing they do not have
        leaked = [s for s in _secrets(mod, qname) if s in message and s not in _shown(value)]
        assert not leaked, f"{mod}.{qname}: the message reveals the expected value {leaked}: {message}"
    else:
        pytest.fail(f"{mod}.{qname} accepted a Wrong variant [{variant.property_id}] {variant.description}")


@pytest.mark.parametrize(("mod", "qname", "variant"), _cases(Right))
def test_right_variant_is_accepted(mod: str, qname: str, variant: Right, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        _questions(mod)[qname].check(variant.factory())
    except AssertionError as err:
        pytest.fail(f"{mod}.{qname} rejected a right answer ({variant.description}): {err}")
    assert capsys.readouterr().out.startswith("Correct!")


# -- no shared state: what the notebook hands the student is never the checks' reference ----------


def test_m00_editing_the_imported_table_does_not_move_the_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from course_utils.questions import m00_welcome as m

    monkeypatch.setitem(m.CUSTOMERS, "spend_gbp", sorted(m.CUSTOMERS["spend_gbp"]))  # a student's in-place sort
    monkeypatch.delitem(m.SCENARIOS, "D")
    m.q1.check("C03")
    m.q2.check({"A": "retention", "B": "high-value", "C": "targeted marketing", "D": "purchasing behaviour"})
    assert capsys.readouterr().out.count("Correct!") == 2


def test_m03_an_in_place_change_to_features_does_not_move_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    from course_utils.features import SKEWED
    from course_utils.questions import m03_clustering as m

    before = m.course_features.reference().copy()
    features = m.course_features()  # what the set-up cell gives the student
    features[SKEWED] = np.log1p(features[SKEWED])  # in place: the student's table is now logged
    del features[features.columns[0]]
    assert m.course_features.reference().equals(before) and m.course_features().equals(before)
    m._kmeans_labels.cache_clear()  # the reference is recomputed after the student's change
    right = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(
        StandardScaler().fit_transform(m.log_features(m.course_features()))
    )
    m.q1.check(right)
    assert capsys.readouterr().out.startswith("Correct!")
