"""``make exercises``: regenerate ``exercises/`` from ``solutions/`` with real nbgrader.

nbgrader runs in a scratch copy of the course (so the gradebook is not
touched), then changed notebooks are copied into ``exercises/``. Running it
twice changes nothing.

A self-learner may have worked in ``exercises/`` directly. Before replacing
a notebook that git shows as edited locally, this command keeps a copy in
``my-work-backups/`` (git-ignored) and says so: nobody's work is lost.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from course_tools.nbgrader_tools import assignments, run_nbgrader, scratch_course
from course_utils.paths import course_root


def generate_into(dest_root: Path, names: list[str] | None = None) -> Path:
    """Generate the student versions into ``dest_root/exercises``; return that folder."""
    scratch_course(dest_root)
    for name in names or assignments():
        run_nbgrader(["generate_assignment", name, "--force"], dest_root)
    return dest_root / "exercises"


def _locally_edited(path: Path, root: Path) -> bool:
    """True when git says ``path`` differs from the committed version (or git is unavailable)."""
    try:
        tracked = (
            subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=root, capture_output=True).returncode
            == 0
        )
        if not tracked:
            return True
        return (
            subprocess.run(
                ["git", "diff", "--quiet", "HEAD", "--", str(path)], cwd=root, capture_output=True
            ).returncode
            != 0
        )
    except OSError:
        return True


def sync(generated: Path, target: Path, root: Path) -> list[str]:
    """Copy ``generated`` over ``target``, backing up locally edited notebooks first."""
    messages: list[str] = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for src in sorted(generated.rglob("*")):
        if src.is_dir() or ".ipynb_checkpoints" in src.parts:
            continue
        rel = src.relative_to(generated)
        dst = target / rel
        if dst.exists() and filecmp.cmp(src, dst, shallow=False):
            continue
        if dst.exists() and _locally_edited(dst, root):
            backup = root / "my-work-backups" / stamp / "exercises" / rel
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dst, backup)
            messages.append(f"kept your edited {dst.relative_to(root)} as {backup.relative_to(root)}")
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        messages.append(f"updated {dst.relative_to(root)}")
    return messages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment names (default: all in solutions/)")


def run(args: argparse.Namespace) -> int:
    root = course_root()
    names = args.assignments or assignments(root)
    unknown = sorted(set(names) - set(assignments(root)))
    if unknown:
        print(f"No such assignment in solutions/: {', '.join(unknown)}. Choose from: {', '.join(assignments(root))}")
        return 2
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        generated = generate_into(Path(tmp), names)
        messages = sync(generated, root / "exercises", root)
    print("\n".join(messages) if messages else "exercises/ is already up to date.")
    return 0
