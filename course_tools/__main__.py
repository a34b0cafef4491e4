"""Command line: ``python -m course_tools <command>`` (also installed as ``course``).

Each command lives in its own module and registers a function here, so that
``make`` targets stay one line each.

>>> sorted(COMMANDS)[:2]
['bench', 'data']
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command -> (module, help). The module defines ``add_arguments(parser)`` and ``run(args) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "setup": ("course_tools.offline_setup", "prepare offline resources (NLTK data); safe to re-run"),
    "data": ("course_tools.generator", "build the course company's datasets from a seed"),
    "bench": ("course_tools.bench", "execute notebooks; report wall time and kernel peak memory"),
    "exercises": ("course_tools.authoring.release", "regenerate exercises/ from solutions/ with nbgrader"),
    "grade": ("course_tools.grading.cli", "grade a whole assignment in parallel, isolated, with feedback and exports"),
    "draft": ("course_tools.authoring.draft", "turn a draft script into a clean course notebook"),
    "notebooks": (
        "course_tools.authoring.text_sources",
        "write lessons/ and solutions/ notebooks from notebook-sources/ (or back)",
    ),
    "site": ("course_tools.site", "build the course website into site/_build/html (offline, cached executions)"),
    "repository": ("course_tools.repository", "show or set the repository's OWNER/NAME (Binder badge, site buttons)"),
}


#: Import names of the ``tools`` extra (pyproject.toml): a student environment may lack them.
TOOLS_EXTRA = frozenset({"nbgrader", "nbclient", "nbformat", "jupytext", "faker", "tqdm"})


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] not in TOOLS_EXTRA:
            raise
        print(
            f"This command needs the course's instructor tooling, and {err.name} is not installed here. "
            "Run `make setup` in the course folder (it installs everything), "
            "or add the tools to this environment: pip install -e '.[tools]'",
            file=sys.stderr,
        )
        return 2


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m course_tools", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    for name, (module_name, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:  # import only the module that runs: a broken one cannot block the others
            module = importlib.import_module(module_name)
            module.add_arguments(sub_parser)
            sub_parser.set_defaults(_run=module.run)
    args = parser.parse_args(argv)
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
