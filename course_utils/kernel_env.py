"""Kernels never inherit the gradebook's password.

A grader's Jupyter server needs ``NBGRADER_DB_URL`` (formgrader reads the gradebook with it), but
every kernel that server starts would inherit it, password included, and a kernel runs whatever
code is in the notebook, a student's submission too. :class:`ScrubbedProvisioner` is jupyter_client's
own local provisioner with those variables removed from the kernel's environment, in the hook
jupyter_client provides for that (``_finalize_env``). It is registered as the kernel provisioner
``course-scrubbed`` (``pyproject.toml``) and made the default in the hub's environment::

    c.KernelProvisionerFactory.default_provisioner_name = "course-scrubbed"

>>> env = {"NBGRADER_DB_URL": "postgresql://grader:secret@db/course", "PATH": "/usr/bin"}
>>> scrub(env)
['NBGRADER_DB_URL']
>>> env
{'PATH': '/usr/bin'}
"""

from __future__ import annotations

from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: What a kernel must never see: the gradebook URL (with its password) and libpq's password.
SECRET_VARIABLES = ("NBGRADER_DB_URL", "PGPASSWORD", "PGPASSFILE", "COURSE_HUB_DB_URL_FILE")


def scrub(env: dict[str, str]) -> list[str]:
    """Remove :data:`SECRET_VARIABLES` from ``env`` in place; return the names removed."""
    removed = [name for name in SECRET_VARIABLES if name in env]
    for name in removed:
        del env[name]
    return removed


class ScrubbedProvisioner(LocalProvisioner):
    """The local provisioner, minus :data:`SECRET_VARIABLES` in the kernel's environment."""

    def _finalize_env(self, env: dict[str, Any]) -> None:
        super()._finalize_env(env)
        scrub(env)
