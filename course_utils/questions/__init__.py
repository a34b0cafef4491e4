"""Exercise checks, one module per assignment (``m00_welcome`` for ``00-welcome``).

Each module defines ``Question`` objects (``q1``, ``q2``...) and a
``QUESTIONS`` dict naming them. Known-wrong answers for every question live
in ``tests/checks/known_wrong/`` and are tested against these checks.
"""
