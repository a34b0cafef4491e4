"""Grade a whole class: parallel, isolated, fault-proof autograding with real nbgrader.

``make grade A=00-welcome`` (``python -m course_utils grade 00-welcome``)
runs :func:`course_utils.grading.runner.grade_assignment`; INSTRUCTORS.md is
the guide. Modules:

- :mod:`~course_utils.grading.runner`: the batch (jobs, gradebook, feedback, exports);
- :mod:`~course_utils.grading.sandbox`: limits and namespaces for each kernel;
- :mod:`~course_utils.grading.execute`: nbgrader's Execute with an output cap and answer snapshots;
- :mod:`~course_utils.grading.tamper`: reading submissions and the tamper scan;
- :mod:`~course_utils.grading.verify`: clean re-runs of passed tests;
- :mod:`~course_utils.grading.snapshot`: answers as data;
- :mod:`~course_utils.grading.bench`: this command against serial ``nbgrader autograde``.

Kept light on purpose: the sandbox imports this package before each kernel starts.

>>> import course_utils.grading
>>> course_utils.grading.__name__
'course_utils.grading'
"""
