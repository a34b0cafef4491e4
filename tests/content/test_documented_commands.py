"""Every command README.md and INSTRUCTORS.md show can be run as written from a plain shell.

A plain shell: nothing activated, only ``PATH=/usr/bin:/bin``. Fast checks, not the commands'
full effect (tests/grading/test_hub_e2e.py and the grading tests run them for real):

- each ``make TARGET ...`` names a target of the Makefile and ``make -n`` accepts it as written;
- each ``.venv/bin/TOOL ...`` exists and ``.venv/bin/TOOL [subcommand] --help`` starts and exits 0;
- no bare ``python``/``pip``/``nbgrader``/``jupyter`` in a command block, where a reader's shell
  would run some other Python, except in the conda block (after ``conda activate``) and the lines
  the guide says run in a hub server's terminal (the hub puts the venv first on PATH there).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from functools import lru_cache

import pytest

from course_utils.paths import course_root

ROOT = course_root()
DOCS = ("README.md", "INSTRUCTORS.md")
PLAIN = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"}
BARE = re.compile(r"^(python3?|pip3?|nbgrader|jupyter)\b")


def _blocks(text: str) -> list[list[str]]:
    """The lines of each fenced code block that holds shell commands (not ```python)."""
    blocks, current, lang = [], None, ""
    for line in text.splitlines():
        fence = re.match(r"\s*```(\w*)", line)
        if fence:
            if current is None:
                current, lang = [], fence.group(1)
            else:
                if lang in ("", "bash", "sh", "shell"):
                    blocks.append(current)
                current = None
            continue
        if current is not None:
            current.append(line.strip())
    return blocks


def _commands(doc: str) -> list[tuple[str, bool]]:
    """(command, in_block) for every command-looking line or inline span of ``doc``."""
    text = (ROOT / doc).read_text()
    found: list[tuple[str, bool]] = []
    for block in _blocks(text):
        if any("conda activate" in line for line in block):
            continue  # an activated conda environment: bare python/pip are meant
        for line in block:
            command = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            if command and not command.startswith("#"):
                found.append((command, True))
    for span in re.findall(r"`([^`\n]+)`", text):
        if re.match(r"(make [a-z]|\.venv/bin/|python3? -m course_utils)", span):
            found.append((span.strip(), False))
    return found


def _all(prefix: str) -> list[str]:
    return sorted({cmd for doc in DOCS for cmd, _ in _commands(doc) if cmd.startswith(prefix)})


@lru_cache(maxsize=1)
def _targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_the_docs_show_commands() -> None:
    assert len(_all("make ")) >= 10 and _all(".venv/bin/"), "the command extraction found too little"


@pytest.mark.parametrize("command", _all("make "))
def test_make_command_exists_and_parses(command: str) -> None:
    words = shlex.split(command)
    target = words[1]
    assert target in _targets(), f"`{command}`: the Makefile has no target {target!r}"
    if any("<" in w or "..." in w for w in words):
        return  # a placeholder (make grade A=<assignment>): the target is all we can check
    done = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, env=PLAIN, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"`{command}` from a plain shell: {done.stdout[-800:]}{done.stderr[-800:]}"


@pytest.mark.parametrize("command", _all(".venv/bin/"))
def test_venv_command_starts_from_a_plain_shell(command: str) -> None:
    words = shlex.split(command)
    tool = ROOT / words[0]
    assert tool.is_file(), f"`{command}`: {words[0]} does not exist after make setup"
    if tool.name.startswith("python"):
        probe = words[:3] + ["--help"] if words[1:2] == ["-m"] else words[:1] + ["--version"]
    else:  # nbgrader export, jupyter lab, ...: the tool and its subcommand
        probe = words[:2] + ["--help"] if len(words) > 1 and not words[1].startswith("-") else words[:1] + ["--help"]
    done = subprocess.run(probe, cwd=ROOT, env=PLAIN, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"`{' '.join(probe)}` from a plain shell: {done.stderr[-1500:]}"


@pytest.mark.parametrize("doc", DOCS)
def test_no_bare_python_or_nbgrader_in_command_blocks(doc: str) -> None:
    text = (ROOT / doc).read_text()
    bare = [cmd for cmd, in_block in _commands(doc) if in_block and BARE.match(cmd)]
    bare += [cmd for cmd, in_block in _commands(doc) if not in_block and cmd.startswith("python")]
    # the hub section's student commands run in a hub server's terminal (the venv is first on PATH)
    hub_terminal = re.findall(r"in a terminal of their\s+hub server, `([^`]+)`, then `([^`]+)`", text)
    allowed = {c for pair in hub_terminal for c in pair} | set(
        re.findall(r"or\s+`(nbgrader fetch_feedback [^`]+)`", text)
    )
    wrong = [cmd for cmd in bare if cmd not in allowed]
    assert not wrong, f"{doc}: write .venv/bin/... (or a make target) instead of {wrong}"


def test_every_hub_setting_is_in_the_guide() -> None:
    """Each environment variable hub/jupyterhub_config.py reads is named in INSTRUCTORS.md (section 2
    step 6 lists them with their defaults), and each default port too: a hub started somewhere other
    than the defaults must not need reading the config file."""
    config = (ROOT / "hub" / "jupyterhub_config.py").read_text()
    guide = (ROOT / "INSTRUCTORS.md").read_text()
    read = set(re.findall(r"""os\.environ(?:\.get\(|\[)["']([A-Z_]+)["']""", config))
    assert {"COURSE_HUB_VENV", "COURSE_HUB_PROXY_API_PORT", "NBGRADER_EXCHANGE"} <= read, read
    step6 = guide[guide.index("6. Start the hub") : guide.index("**Each assignment")]
    missing = sorted(v for v in read if f"`{v}`" not in step6)
    assert not missing, f"INSTRUCTORS.md section 2 step 6 does not name {missing}"
    for port in re.findall(r"""PORT["'], ["'](\d+)["']""", config):
        assert f"`{port}`" in step6, f"the default port {port} is not in step 6"
