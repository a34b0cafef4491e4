"""The course's instructor and maintainer tooling: what ``make`` runs, never what a kernel imports.

The student runtime is :mod:`course_utils`: data loaders, features, plotting, the checks. This
package holds the commands around it (``python -m course_tools <command>``; each ``make`` target
calls one), with its dependencies in the ``tools`` extra (nbgrader, nbclient, jupytext, faker, tqdm):

- :mod:`course_tools.grading`: ``make grade`` / ``make feedback``, a whole class in parallel, sandboxed;
- :mod:`course_tools.authoring`: ``make exercises`` (release), ``make notebooks`` (text sources), drafts;
- :mod:`course_tools.generator`: ``make data``, the course company's datasets from a seed;
- :mod:`course_tools.notebook_runner` and :mod:`course_tools.bench`: executing notebooks, ``make bench``;
- :mod:`course_tools.nbgrader_tools` and :mod:`course_tools.nbgrader_ext`: nbgrader set-up and add-ons;
- :mod:`course_tools.offline_setup`, :mod:`course_tools.python_check`: ``make setup``;
- :mod:`course_tools.site`, :mod:`course_tools.site_sphinx`: ``make site``;
- :mod:`course_tools.repository`: the repository's public address.

Tooling may import the runtime; the runtime never imports tooling (tests/runtime/test_rooms.py).
Kept light on purpose: the grading sandbox imports this package before each kernel starts.

>>> import course_tools
>>> course_tools.__name__
'course_tools'
"""
