"""Rooms by audience: the student runtime (``course_utils``) never needs the instructor tooling.

A lesson's or an exercise's kernel imports ``course_utils`` and nothing of ``course_tools`` or of the
``tools`` extra (nbgrader, nbclient, nbformat, jupytext, faker, tqdm), so a student environment can
be built from the runtime's dependencies alone. Two views of that promise: every import statement in
the runtime (read, not run), and every runtime module imported for real in a Python where the tooling
cannot be imported at all.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from course_utils.paths import course_root

ROOT = course_root()
RUNTIME = ROOT / "course_utils"

#: Import names of the ``tools`` extra's distributions (pyproject.toml), and the tooling package.
TOOLING_IMPORTS = {"course_tools", "nbgrader", "nbclient", "nbformat", "jupytext", "faker", "tqdm"}


def _imports(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, at any depth (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_tools_extra_is_what_the_blocklist_names() -> None:
    """The blocklist below follows pyproject.toml: a distribution added to the extra is blocked too."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    tools = {re.split(r"[<>=!~ \[;]", d)[0].lower() for d in project["optional-dependencies"]["tools"]}
    assert tools == TOOLING_IMPORTS - {"course_tools"}, f"update TOOLING_IMPORTS to the tools extra: {sorted(tools)}"
    runtime = {re.split(r"[<>=!~ \[;]", d)[0].lower() for d in project["dependencies"]}
    assert not runtime & tools, f"in both the runtime's dependencies and the tools extra: {sorted(runtime & tools)}"


def test_no_runtime_module_imports_the_tooling() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & TOOLING_IMPORTS) for path in sorted(RUNTIME.rglob("*.py"))
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert not offenders, f"the student runtime imports instructor tooling: {offenders}"


BLOCKED_IMPORT = """
import importlib, importlib.abc, json, pkgutil, sys
BLOCKED = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: not in a student environment)")
        return None
sys.meta_path.insert(0, Block())
import course_utils
failed = {}
names = [m.name for m in pkgutil.walk_packages(course_utils.__path__, "course_utils.")]
for name in names:
    try:
        importlib.import_module(name)
    except Exception as err:
        failed[name] = f"{type(err).__name__}: {err}"
print(json.dumps({"imported": len(names) - len(failed), "failed": failed}))
"""


def test_every_runtime_module_imports_without_the_tooling() -> None:
    """Imported for real, with the tooling made unimportable: what a student environment would meet."""
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT, ",".join(sorted(TOOLING_IMPORTS))],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["failed"], f"runtime modules that need the tooling: {result['failed']}"
    assert result["imported"] >= 30, f"only {result['imported']} runtime modules found: is course_utils on the path?"
