"""Start-up and per-notebook costs of nbformat and nbgrader, paid once per process instead of each time.

Three things, none changing what is validated or stored (measured with cProfile on a worker):

- :func:`defer_iri_grammar`: importing ``jsonschema`` (which ``nbformat`` does) registers its
  ``iri`` format checkers by importing ``rfc3987_syntax``, which builds 39 Earley parsers from its
  grammar at import time: about 2.4 s of CPU in every process that imports nbformat (the grader,
  each worker), for a checker nothing here uses (nbformat and nbgrader validate without a format
  checker). A stand-in module imports the real one the first time an IRI is checked, so the
  checkers stay registered and check exactly what they did.
- :func:`stamp_in_process`: when nbgrader creates a gradebook it runs ``alembic heads`` as a new
  process to learn the schema's revision to stamp (a Python importing nbgrader: 4.3-4.8 s of CPU,
  twice on a first run). The same head is read in-process from nbgrader's own migration scripts.
- :func:`validate_schema_once`: nbgrader's cell-metadata validation calls ``jsonschema.validate``
  per cell, which checks the *schema* against its meta-schema every time (0.08 s per notebook);
  the schema is checked once per process and its validator kept. Every cell's metadata is still
  validated, with the same errors.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import sys
import types
from collections.abc import Callable
from typing import Any

#: The module whose import builds the IRI grammar.
IRI_MODULE = "rfc3987_syntax"


def _real_iri_module() -> types.ModuleType:
    """Import the real ``rfc3987_syntax`` in place of the stand-in (the first IRI checked pays it)."""
    stub = sys.modules.get(IRI_MODULE)
    if getattr(stub, "_course_stand_in", False):
        del sys.modules[IRI_MODULE]
    try:
        return importlib.import_module(IRI_MODULE)
    except BaseException:
        if stub is not None and IRI_MODULE not in sys.modules:
            sys.modules[IRI_MODULE] = stub
        raise


def _lazy_is_valid_syntax(term: str, value: str) -> Any:
    """``rfc3987_syntax.is_valid_syntax``, importing the real module on the first call."""
    return _real_iri_module().is_valid_syntax(term, value)


def _stand_in_getattr(name: str) -> Any:
    """The stand-in's attributes: ``is_valid_syntax`` lazily, anything else from the real module."""
    if name == "is_valid_syntax":
        return _lazy_is_valid_syntax
    if name.startswith("__"):  # the import system asks for __path__ and the like: not a reason to load
        raise AttributeError(name)
    return getattr(_real_iri_module(), name)


def defer_iri_grammar() -> bool:
    """Put the stand-in for ``rfc3987_syntax`` in place if jsonschema has not loaded yet; True if it did.

    Only when the real package is installed (without it jsonschema registers no IRI checker, and
    neither does it with the stand-in absent).

    >>> import sys
    >>> "jsonschema" in sys.modules or defer_iri_grammar() is not None
    True
    """
    if IRI_MODULE in sys.modules or "jsonschema._format" in sys.modules:
        return False
    if importlib.util.find_spec(IRI_MODULE) is None:
        return False
    stub = types.ModuleType(IRI_MODULE, "stand-in: the real module is imported on first use")
    stub._course_stand_in = True  # type: ignore[attr-defined]
    stub.__getattr__ = _stand_in_getattr  # type: ignore[method-assign]
    sys.modules[IRI_MODULE] = stub
    return True


@functools.lru_cache(maxsize=1)
def alembic_head() -> str:
    """The revision nbgrader's ``alembic heads`` prints, read in-process from its migration scripts.

    >>> len(alembic_head()) == 12
    True
    """
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head is None:
        raise RuntimeError(f"no alembic head in {ALEMBIC_DIR}")
    return str(head)


def stamp_in_process() -> None:
    """nbgrader's ``Gradebook`` stamps a new gradebook with :func:`alembic_head`, not a subprocess."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head  # the same value, no new Python


@functools.cache
def _validator_for(schema_text: str) -> Any:
    """A validator for the schema (checked against its meta-schema once)."""
    import jsonschema

    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """``jsonschema.validate`` with the schema's own check done once per schema: the same error raised.

    >>> validate({"grade": True}, {"type": "object", "properties": {"grade": {"type": "boolean"}}})
    >>> validate({"grade": 1}, {"type": "object", "properties": {"grade": {"type": "boolean"}}})
    Traceback (most recent call last):
    ...
    jsonschema.exceptions.ValidationError: 1 is not of type 'boolean'
    ...
    """
    import jsonschema

    validator = _validator_for(json.dumps(schema, sort_keys=True))
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


class _JsonschemaOnce(types.SimpleNamespace):
    """What nbgrader's metadata validator sees as ``jsonschema``: its ``validate`` checks the schema once."""

    validate: Callable[[Any, dict[str, Any]], None]


def validate_schema_once() -> None:
    """nbgrader's cell-metadata validation uses :func:`validate` (per cell still, schema checked once)."""
    import jsonschema
    import nbgrader.nbgraderformat.common as common

    if isinstance(common.jsonschema, _JsonschemaOnce):
        return
    names = {k: getattr(jsonschema, k) for k in dir(jsonschema) if not k.startswith("__")}
    common.jsonschema = _JsonschemaOnce(**{**names, "validate": validate})


def patch_nbgrader() -> None:
    """Both nbgrader levers (:func:`stamp_in_process`, :func:`validate_schema_once`) in this process."""
    stamp_in_process()
    validate_schema_once()
