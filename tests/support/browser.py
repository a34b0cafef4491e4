"""A real Chromium for the browser tests, driven by Playwright for Python (shared fixture module).

The browser is Debian's ``/usr/bin/chromium``: Playwright's own browser builds are never
downloaded (``executable_path`` points at the system one, and nothing here calls
``playwright install``). Each launch gets a fresh profile folder, so no cookie, cache or
extension of a person's own Chromium leaks in, and the flags below switch off every
background request Chromium would make (updates, sync, field trials): the only traffic is
to the 127.0.0.1 servers the tests start.

Use it from a test module::

    from tests.support.browser import browser_context, shoot  # noqa: F401 (pytest fixture)

    def test_page(browser_context):
        page = browser_context.new_page()
        errors = watch_console(page)
        page.goto(url)
        shoot(page, "site", "01-landing")   # fails on a blank or error page
        assert not errors

Off CI a missing Chromium or Playwright skips with one line saying what to install; under
``CI=true`` it fails (``tests/support/system.py``). Screenshots go to ``test-artifacts/screenshots/``
(git-ignored) for a person to look at.

>>> CHROMIUM_FLAGS[:2]
['--headless', '--no-sandbox']
>>> screenshot_path("lab", "01 Welcome page").name
'01-welcome-page.png'
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from course_utils.paths import course_root
from tests.support.system import find_executable, missing

if TYPE_CHECKING:  # Playwright is a dev dependency: imported lazily so doctests run without it
    from playwright.sync_api import BrowserContext, Page

__all__ = [
    "CHROMIUM_FLAGS",
    "SCREENSHOTS",
    "chromium_executable",
    "sync_playwright",
    "chromium_context",
    "browser_context",
    "watch_console",
    "assert_not_blank",
    "screenshot_path",
    "shoot",
    "free_port",
    "wait_for_http",
    "stop_process",
    "static_server",
]

#: Headless, no sandbox (CI runs as root), no GPU, and no request to anywhere but the page's host.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

#: Where screenshots go (git-ignored): one sub-folder per test module, e.g. ``lab/``, ``site/``.
SCREENSHOTS = course_root() / "test-artifacts" / "screenshots"

#: A generous wait for one UI step on a shared 2-core machine (milliseconds).
DEFAULT_TIMEOUT_MS = 30_000


def chromium_executable() -> str:
    """Path of the system Chromium, or skip (fail under CI) saying how to install it."""
    return find_executable(
        "chromium",
        "Chromium (the browser the browser tests drive)",
        apt="chromium",
        extra_globs=("/usr/bin/chromium", "/usr/bin/chromium-browser"),
    )


def sync_playwright() -> Any:
    """Playwright's ``sync_playwright`` (a dev dependency), or skip/fail saying how to install it."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        missing("Playwright for Python", "make setup (it is in the dev extra: pip install -e '.[dev]')")
        raise AssertionError("unreachable") from None
    return start


@contextlib.contextmanager
def chromium_context(profile_dir: Path, *, width: int = 1366, height: int = 900) -> Iterator[BrowserContext]:
    """A Chromium with a fresh profile in ``profile_dir``; closed (and its process gone) on exit."""
    executable = chromium_executable()
    start = sync_playwright()
    profile_dir.mkdir(parents=True, exist_ok=True)
    # Playwright never fetches a browser by itself; this makes sure no helper of it tries either.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with start() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height},
            accept_downloads=False,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """One Chromium per test module (start-up costs about a second), with a fresh profile."""
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def watch_console(page: Page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions, as they happen."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors


def screenshot_path(group: str, name: str) -> Path:
    """``test-artifacts/screenshots/<group>/<name>.png``, the name made file-safe."""
    safe = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return SCREENSHOTS / group / f"{safe}.png"


def _is_one_colour(png: Path) -> bool:
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(png) as image:
        low, high = image.convert("L").getextrema()
    return low == high


def assert_not_blank(page: Page, *, forbid: Sequence[str] = (), min_text: int = 20) -> None:
    """Fail unless the page shows some text and none of the ``forbid`` selectors is visible.

    ``forbid`` names error elements (a JupyterLab error dialog, a 404 banner...).
    """
    text = page.locator("body").inner_text(timeout=DEFAULT_TIMEOUT_MS).strip()
    assert len(text) >= min_text, f"{page.url} looks blank: its visible text is {text!r}"
    for selector in forbid:
        shown = page.locator(selector)
        if shown.count() and shown.first.is_visible():
            raise AssertionError(f"{page.url} shows an error ({selector}): {shown.first.inner_text()[:500]!r}")


def shoot(page: Page, group: str, name: str, *, forbid: Sequence[str] = (), full_page: bool = False) -> Path:
    """Check the page is not blank nor an error, then save a screenshot and return its path."""
    assert_not_blank(page, forbid=forbid)
    path = screenshot_path(group, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    assert not _is_one_colour(path), f"the screenshot {path} is a single colour: a blank page"
    return path


# -- servers on 127.0.0.1, started by the test and stopped by process id ---------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, proc: subprocess.Popen[Any], log: Path | None = None, timeout: float = 90) -> int:
    """Poll ``url`` until it answers (any HTTP status); fail early if ``proc`` exits. Returns the status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"the server exited with code {proc.returncode} before answering {url}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:  # loopback only
                return int(reply.status)
        except urllib.error.HTTPError as err:
            return int(err.code)
        except OSError:
            time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s:\n{tail}")


def stop_process(proc: subprocess.Popen[Any], timeout: float = 15) -> None:
    """Stop a server we started, by its pid: SIGINT (Jupyter's clean stop), then SIGKILL."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    assert proc.poll() is not None, f"process {proc.pid} did not stop"


@contextlib.contextmanager
def static_server(directory: Path, log_dir: Path) -> Iterator[str]:
    """Serve ``directory`` with Python's ``http.server`` on 127.0.0.1; yields the base URL."""
    port = free_port()
    log = log_dir / f"http-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_http(base + "/", proc, log, timeout=30)
            yield base
        finally:
            stop_process(proc)
