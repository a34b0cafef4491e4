"""The repository's public address, set in one place: ``[tool.course] repository`` in pyproject.toml.

Whoever publishes a copy of the course sets it once, with
``python -m course_tools repository OWNER/NAME``: that writes the setting and the README's Binder
badge together. The website's buttons (``make site``) read the setting when the site is built.
``tests/content/test_site.py`` fails when the README badge and the setting disagree.

>>> binder_url("lessons/00-welcome/00-welcome.ipynb", "me/course")
'https://mybinder.org/v2/gh/me/course/HEAD?urlpath=lab/tree/lessons/00-welcome/00-welcome.ipynb'
>>> github_url("INSTRUCTORS.md", "me/course")
'https://github.com/me/course/blob/HEAD/INSTRUCTORS.md'
>>> check_repository("me/course")
'me/course'
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

from course_utils.paths import course_root

PLACEHOLDER = "YOUR-ORG/customer-segmentation"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
# The README's Binder badge: the part between /gh/ and /HEAD is the repository.
_BADGE = re.compile(r"(mybinder\.org/v2/gh/)([^/\s]+/[^/\s]+)(/HEAD)")


def check_repository(name: str) -> str:
    """Return ``name`` if it looks like a GitHub ``owner/name``, else raise ``ValueError`` saying so."""
    if not _NAME.match(name):
        raise ValueError(
            f"{name!r} is not a GitHub repository name: write it as OWNER/NAME, for example "
            "my-school/customer-segmentation"
        )
    return name


def repository(root: Path | None = None) -> str:
    """The repository's ``owner/name``, from ``[tool.course] repository`` in ``pyproject.toml``."""
    pyproject = (root or course_root()) / "pyproject.toml"
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("course", {})
    name = settings.get("repository")
    if not name:
        raise ValueError(f'{pyproject} has no [tool.course] repository = "OWNER/NAME": add it')
    return check_repository(name)


def binder_url(path: str, name: str | None = None) -> str:
    """Binder link that opens ``path`` (relative to the course root) in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{name or repository()}/HEAD?urlpath=lab/tree/{path}"


def github_url(path: str, name: str | None = None) -> str:
    """The GitHub page of ``path`` (a file of the repository) on the default branch."""
    return f"https://github.com/{name or repository()}/blob/HEAD/{path}"


def readme_badge_repository(root: Path | None = None) -> str | None:
    """The ``owner/name`` the README's Binder badge points at (``None`` if it has no badge)."""
    match = _BADGE.search(((root or course_root()) / "README.md").read_text(encoding="utf-8"))
    return match.group(2) if match else None


def set_repository(name: str, root: Path | None = None) -> None:
    """Write ``name`` into ``pyproject.toml``'s setting and into every Binder link of the README."""
    check_repository(name)
    root = root or course_root()
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    line = f'repository = "{name}"'
    if re.search(r"(?m)^\[tool\.course\]\s*$", text):
        text, count = re.subn(
            r'(?ms)(^\[tool\.course\]\s*\n(?:(?!\[).*\n)*?)repository\s*=\s*"[^"]*"', lambda m: m.group(1) + line, text
        )
        if not count:
            text = re.sub(r"(?m)^\[tool\.course\]\s*$", f"[tool.course]\n{line}", text)
    else:
        text = text.rstrip("\n") + f"\n\n[tool.course]\n{line}\n"
    pyproject.write_text(text, encoding="utf-8")
    readme = root / "README.md"
    readme.write_text(
        _BADGE.sub(lambda m: m.group(1) + name + m.group(3), readme.read_text(encoding="utf-8")), encoding="utf-8"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="OWNER/NAME of your copy on GitHub; omit to print the current one")


def run(args: argparse.Namespace) -> int:
    if args.name:
        try:
            set_repository(args.name)
        except ValueError as err:
            print(err)
            return 2
        print(f"Repository set to {args.name} in pyproject.toml ([tool.course]) and in the README's Binder badge.")
        print("Run `make site` again so the website's buttons use it.")
        return 0
    name = repository()
    print(name)
    if name == PLACEHOLDER:
        print("(the placeholder: set yours with python -m course_tools repository OWNER/NAME)")
    badge = readme_badge_repository()
    if badge != name:
        print(f"The README's Binder badge names {badge}: run python -m course_tools repository {name}")
        return 1
    return 0
