"""The Makefile's Python minimum is exactly what the pins allow, and its message for a bad Python is clear.

Each pinned package's ``Requires-Python`` is read from its installed metadata (``make setup``
installs every pin, the hub extras included). The Makefile's ``PYTHON_MIN`` must satisfy all of
them (else ``make setup`` accepts a Python the install then fails on, as 3.11.2 with soupsieve 4.1
did) and must be the lowest version that does (else it refuses a Python that would work).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from course_tools.python_check import blocked_folder, too_old
from course_utils.paths import course_root

ROOT = course_root()
#: Python releases a pin's lower bound can name (3.11.0 ... 3.13.x): enough to find the tightest.
CANDIDATES = [Version(f"3.{minor}.{patch}") for minor in range(11, 15) for patch in range(0, 15)]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[_key(name)] = version.strip()
    return pins


def _makefile_minimum() -> Version:
    found = re.search(r"^PYTHON_MIN\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert found, "the Makefile must state PYTHON_MIN"
    return Version(found.group(1))


def _requires_python() -> dict[str, str]:
    found = {}
    for dist in metadata.distributions():
        name = _key(dist.metadata["Name"])
        if name in _pins():
            found[name] = (dist.version, dist.metadata.get("Requires-Python") or "")
    return found


def test_every_pin_is_installed_at_its_pinned_version() -> None:
    installed = _requires_python()
    wrong = {
        n: (v, installed.get(n, ("missing",))[0])
        for n, v in _pins().items()
        if n not in installed or installed[n][0] != v
    }
    assert not wrong, f"pinned vs installed (run make setup): {wrong}"


def test_makefile_minimum_is_the_lowest_python_every_pin_accepts() -> None:
    minimum = _makefile_minimum()
    specs = {n: SpecifierSet(rp) for n, (_, rp) in _requires_python().items() if rp}
    refused = {n: str(s) for n, s in specs.items() if not s.contains(minimum, prereleases=True)}
    assert not refused, f"make setup accepts Python {minimum}, but these pins refuse it: {refused}"
    lowest = next(v for v in CANDIDATES if all(s.contains(v, prereleases=True) for s in specs.values()))
    assert lowest == minimum, f"the pins allow Python {lowest}, but the Makefile asks for {minimum}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert SpecifierSet(requires).contains(minimum) and not SpecifierSet(requires).contains(
        Version(f"{minimum.major}.{minimum.minor - 1}")
    ), f"pyproject.toml says {requires}, the Makefile {minimum}"


def test_debian12_python_fits_the_pins() -> None:
    """Debian 12's /usr/bin/python3 is 3.11.2: the Python every user on such a hub can run."""
    assert not too_old((3, 11, 2), str(_makefile_minimum()))


def test_check_refuses_an_old_python_with_a_clear_message() -> None:
    done = subprocess.run(
        [sys.executable, ROOT / "course_tools" / "python_check.py", "--min", "9.0"], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Python 9.0 or newer is needed" in done.stderr and "make PYTHON=" in done.stderr


def test_check_names_the_closed_folder_of_a_python_others_cannot_run() -> None:
    top = Path(tempfile.mkdtemp(prefix="course-pycheck-", dir="/tmp"))  # pytest's own tmp is 0700
    top.chmod(0o755)
    closed = top / "closed"
    (closed / "bin").mkdir(parents=True)
    python = closed / "bin" / "python3"
    python.symlink_to(sys.executable)  # a venv's bin/python is such a link
    closed.chmod(0o700)
    try:
        assert blocked_folder(str(python)) == str(closed)
        done = subprocess.run(
            [str(python), ROOT / "course_tools" / "python_check.py", "--min", "3.11", "--shared"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1, done.stderr
        assert f"{closed} is not open to them (mode 700)" in done.stderr
        assert "PYTHON=/usr/bin/python3" in done.stderr
    finally:
        shutil.rmtree(top)
