"""Where the course's folders are, wherever a notebook runs from.

Notebooks never use relative paths such as ``../datasets``: nbgrader runs
them from ``submitted/<student>/<assignment>/`` or from temporary copies.
They ask this module instead.

The course root is the folder that holds ``nbgrader_config.py``. It is found
from this file's location (the package is installed in editable mode), and
can be overridden with the ``COURSE_ROOT`` environment variable, for example
on a JupyterHub where the package is installed system-wide.

>>> (course_root() / "nbgrader_config.py").is_file()
True
>>> datasets_dir().name
'datasets'
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = "nbgrader_config.py"


class CourseRootNotFound(RuntimeError):
    """Raised when the course folder cannot be located."""


def course_root() -> Path:
    """Return the course's top folder (the one with ``nbgrader_config.py``)."""
    env = os.environ.get("COURSE_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / _MARKER).is_file():
            raise CourseRootNotFound(
                f"COURSE_ROOT is set to {root}, but there is no {_MARKER} there. "
                "Point COURSE_ROOT at the top folder of the course (the one with the "
                "README and nbgrader_config.py), or unset it."
            )
        return root
    here = Path(__file__).resolve().parent.parent
    if (here / _MARKER).is_file():
        return here
    raise CourseRootNotFound(
        f"course_utils is installed at {Path(__file__).resolve().parent}, which is not "
        "inside the course folder. Install it with `pip install -e .` from the course "
        "folder (make setup does this), or set COURSE_ROOT to the course folder."
    )


def datasets_dir() -> Path:
    """Return the folder with the course's committed data files.

    ``COURSE_DATASETS_DIR`` overrides it (used by tests and by the large-data
    generator).
    """
    env = os.environ.get("COURSE_DATASETS_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return course_root() / "datasets"


def nltk_data_dir() -> Path:
    """Return the course-local NLTK data folder (prepared by ``make setup``)."""
    env = os.environ.get("COURSE_NLTK_DATA")
    if env:
        return Path(env).expanduser().resolve()
    return course_root() / "nltk_data"
