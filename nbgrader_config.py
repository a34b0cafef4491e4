"""nbgrader configuration: this repository *is* the nbgrader course directory.

- ``solutions/<assignment>/`` is the instructor's source (with solutions and
  hidden tests); ``exercises/<assignment>/`` is what students get, generated
  by ``make exercises`` (``nbgrader generate_assignment``). Never edit
  ``exercises/`` by hand.
- Student work (``submitted/``, ``autograded/``, ``feedback/``) and the
  gradebook (``gradebook.db``) live here too and are git-ignored.

Run nbgrader from this folder, for example::

    nbgrader generate_assignment 00-welcome --force
    nbgrader autograde 00-welcome
    nbgrader generate_feedback 00-welcome
    nbgrader export
"""

import os
import sys

c = get_config()  # noqa: F821  (provided by nbgrader/traitlets)

HERE = os.path.dirname(os.path.abspath(__file__))

# Kernels started by nbgrader (autograde) inherit these: one OpenMP/BLAS thread per kernel, as in
# `make` and on Binder (see the Makefile for the measurements). An instructor's own setting wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# nbgrader starts `alembic` by name: `.venv/bin/nbgrader ...` from a plain shell finds it here.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "customer-segmentation"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Data files live in datasets/ and are read through course_utils, so an
# assignment folder holds only its notebook(s).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Gradebook: SQLite next to this file by default. Several graders on a server
# can share a PostgreSQL one instead, e.g.
#   export NBGRADER_DB_URL=postgresql://grader@dbhost/segmentation
c.CourseDirectory.db_url = os.environ.get("NBGRADER_DB_URL", "sqlite:///" + os.path.join(HERE, "gradebook.db"))

# Starter code students see in place of each solution.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell time limit while autograding (a notebook's cells run in order, so
# an infinite loop costs at most this long and later cells still run).
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120

# A test cell the student deleted is put back and graded, instead of scoring
# zero and asking for manual grading.
c.OverwriteCells.add_missing_cells = True

# Feedback must never show hidden tests. nbgrader shows them by default, and
# even with ClearHiddenTests a failing test cell's traceback prints the hidden
# lines around the error: ClearTestTracebacks keeps only the error message.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "course_tools.nbgrader_ext.ClearTestTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Exchange for a JupyterHub class (see INSTRUCTORS.md); unused locally.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
