"""Helpers for the course *Customer Segmentation with Machine Learning*.

The package does the plumbing so that notebooks can focus on the concept
being taught:

- :mod:`course_utils.paths` finds the course folders from anywhere
  (nbgrader runs notebooks from ``submitted/<student>/<assignment>/``);
- :mod:`course_utils.exercise` gives questions with checks, escalating hints
  and solutions, used by both self-learners and nbgrader;
- :mod:`course_utils.plotting` holds the colour-blind-safe course style.

>>> import course_utils
>>> course_utils.__version__
'0.1.0'
"""

__version__ = "0.1.0"
