"""The student runtime of the course *Customer Segmentation with Machine Learning*.

Everything a lesson's or an exercise's kernel imports lives here, and nothing else: the
instructor and maintainer tooling (grading, exercises, the data generator, benchmarks) is
:mod:`course_tools`, which this package never imports (tests/runtime/test_rooms.py). The package does
the plumbing so that notebooks can focus on the concept being taught:

- :mod:`course_utils.paths` finds the course folders from anywhere
  (nbgrader runs notebooks from ``submitted/<student>/<assignment>/``);
- :mod:`course_utils.exercise` gives questions with checks, escalating hints
  and solutions, used by both self-learners and nbgrader;
- :mod:`course_utils.questions` holds each assignment's checks (one module per module);
- :mod:`course_utils.data` loads the course company's files and the real datasets;
- :mod:`course_utils.features`, :mod:`~course_utils.clustering`, :mod:`~course_utils.privacy`,
  :mod:`~course_utils.fairness`, :mod:`~course_utils.nlp`, :mod:`~course_utils.action` and
  :mod:`~course_utils.spark` hold the course-wide definitions the lessons build on;
- :mod:`course_utils.plotting` holds the colour-blind-safe course style;
- :mod:`course_utils.kernel_env` is the kernel provisioner the student's Jupyter uses (no
  gradebook password ever reaches a kernel).

>>> import course_utils
>>> course_utils.__version__
'0.1.0'
"""

__version__ = "0.1.0"
