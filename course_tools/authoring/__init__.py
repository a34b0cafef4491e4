"""Writing the course: exercises from solutions, notebooks from their text sources, drafts.

- :mod:`~course_tools.authoring.release`: ``make exercises``, ``exercises/`` from ``solutions/`` with real nbgrader;
- :mod:`~course_tools.authoring.text_sources`: ``make notebooks``, notebooks from ``notebook-sources/`` (and back);
- :mod:`~course_tools.authoring.draft`: ``python -m course_tools draft``, a draft script to a clean notebook.
"""
