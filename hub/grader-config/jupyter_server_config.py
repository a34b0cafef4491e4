"""Jupyter server settings for graders' servers on the course's hub (instructor and teaching assistants).

The hub (hub/jupyterhub_config.py) puts this folder on JUPYTER_CONFIG_PATH for graders only, so it
wins over the students' settings in the shared venv: formgrader and the course list are switched
back on here (jupyter_server_config.d/course-grader.json, labconfig/page_config.json).
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets)

# The server's own working folder is where terminals open (JupyterLab asks for cwd "", which
# jupyter_server_terminals resolves against the process's folder, and JupyterHub starts the
# process in $HOME): the course folder, like the file browser (the hub sets COURSE_ROOT to it).
if os.path.isdir(os.environ.get("COURSE_ROOT", "")):
    os.chdir(os.environ["COURSE_ROOT"])

# JupyterHub's user servers send `Content-Security-Policy: frame-ancestors 'none'`, which blanks
# formgrader's panel in JupyterLab (the panel is an iframe of /user/<name>/formgrader; nbgrader
# issue 1870). Let pages of this server be framed by this server's own origin only.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}

# Kernels started here never inherit NBGRADER_DB_URL (course_utils/kernel_env.py): the server
# needs it for formgrader, a notebook a student wrote must never see the gradebook's password.
c.KernelProvisionerFactory.default_provisioner_name = "course-scrubbed"
