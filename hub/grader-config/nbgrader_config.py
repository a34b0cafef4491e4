"""nbgrader settings for graders' servers on the hub: the instructor's course, whatever the folder.

A user's server runs in their home folder (LocalProcessSpawner starts it there), and formgrader
reads nbgrader_config.py from the server's working folder, not from its root: without this file
it finds the students' settings only, takes the home folder for the course and shows an error
page ("the course directory root is not a subdirectory of the notebook server root"). The hub
puts this folder on graders' JUPYTER_CONFIG_PATH and sets COURSE_ROOT to the course folder; the
course's own nbgrader_config.py then sets the course root, the gradebook (NBGRADER_DB_URL) and
the exchange.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader/traitlets)
load_subconfig(os.path.join(os.environ["COURSE_ROOT"], "nbgrader_config.py"))  # noqa: F821
