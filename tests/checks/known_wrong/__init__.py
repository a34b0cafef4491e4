"""Known-wrong answers: the mistakes students really make, one module per assignment.

Each module ``tests/checks/known_wrong/mNN_name.py`` mirrors
``course_utils/questions/mNN_name.py`` and defines:

- ``RIGHT``: ``{"q1": [value, ...]}``, answers that must pass;
- ``WRONG``: ``[("q1", value, "fragment of the expected message"), ...]``, at
  least two per question; each must raise ``Incorrect`` whose message contains
  the fragment (case-insensitive), and the checker must not crash on it.

A value may be a zero-argument callable (e.g. ``lambda: load_transactions()``)
when it is costly or must be built fresh for each case.
"""
