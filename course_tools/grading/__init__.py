"""Grade a whole class: parallel, isolated, fault-proof autograding with real nbgrader.

``make grade A=00-welcome`` (``python -m course_tools grade 00-welcome``)
runs :func:`course_tools.grading.runner.grade_assignment`; INSTRUCTORS.md is
the guide. One module per responsibility:

- :mod:`~course_tools.grading.cli`: the command line (``make grade``);
- :mod:`~course_tools.grading.runner`: the batch: set-up, jobs, gradebook, exports, feedback, in order;
- :mod:`~course_tools.grading.pool` and :mod:`~course_tools.grading.worker`: long-lived nbgrader workers;
- :mod:`~course_tools.grading.zygote`: the pre-imported template process kernels are forked from;
- :mod:`~course_tools.grading.jobs`: one submission: read, scan, repair, autograde, re-check;
- :mod:`~course_tools.grading.sandbox` and :mod:`~course_tools.grading.uids`: limits and namespaces for each
  kernel, and the run's own range of user ids;
- :mod:`~course_tools.grading.execute`: nbgrader's Execute with an output cap and answer snapshots;
- :mod:`~course_tools.grading.kernel`: jupyter_client's kernel manager with shorter fixed waits at start and stop;
- :mod:`~course_tools.grading.snapshot`: answers as data;
- :mod:`~course_tools.grading.verify`: clean re-runs of the test cells, hidden tests included;
- :mod:`~course_tools.grading.tamper`: reading submissions and the tamper scan;
- :mod:`~course_tools.grading.results`: per-cell grades, per-student results, the batch;
- :mod:`~course_tools.grading.gradebook`: scratch courses and the course gradebook (hand scores kept);
- :mod:`~course_tools.grading.report`: ``grades.csv``, ``tamper-report.csv``, ``report.md``, nbgrader's CSV;
- :mod:`~course_tools.grading.feedback`: the students' pages (``make feedback`` too);
- :mod:`~course_tools.grading.locking` and :mod:`~course_tools.grading.ownership`: one grader per
  assignment, and what a root run wrote given back to the course's owner;
- :mod:`~course_tools.grading.bench`: this command against serial ``nbgrader autograde``;
- :mod:`~course_tools.grading.speedups`: nbformat's and nbgrader's fixed costs paid once per process.

Kept light on purpose: the sandbox imports this package before each kernel starts. Importing it
defers jsonschema's IRI grammar (:func:`~course_tools.grading.speedups.defer_iri_grammar`, 2.4 s of
CPU in each grader and worker process that imports nbformat after it).

>>> import course_tools.grading
>>> course_tools.grading.__name__
'course_tools.grading'
"""

from course_tools.grading.speedups import defer_iri_grammar

defer_iri_grammar()
