"""Grade a whole class: parallel, isolated, fault-proof autograding with real nbgrader.

``make grade A=00-welcome`` (``python -m course_tools grade 00-welcome``)
runs :func:`course_tools.grading.runner.grade_assignment`; INSTRUCTORS.md is
the guide. Modules:

- :mod:`~course_tools.grading.runner`: the batch (jobs, gradebook, feedback, exports);
- :mod:`~course_tools.grading.sandbox`: limits and namespaces for each kernel;
- :mod:`~course_tools.grading.execute`: nbgrader's Execute with an output cap and answer snapshots;
- :mod:`~course_tools.grading.tamper`: reading submissions and the tamper scan;
- :mod:`~course_tools.grading.verify`: clean re-runs of passed tests;
- :mod:`~course_tools.grading.snapshot`: answers as data;
- :mod:`~course_tools.grading.bench`: this command against serial ``nbgrader autograde``.

Kept light on purpose: the sandbox imports this package before each kernel starts.

>>> import course_tools.grading
>>> course_tools.grading.__name__
'course_tools.grading'
"""
