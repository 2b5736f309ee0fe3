"""Chromium: found in one order everywhere (tests, recorder, replay, evaluation), launched with one set of flags."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mock_apps.core.errors import MockAppsError

SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# A closed network (and running as root in CI) needs these: no sandbox, no background calls home.
LAUNCH_FLAGS = ("--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


class BrowserNotFound(MockAppsError):
    """No Chromium could be found."""

    status = 500
    code = "browser_not_found"


def playwright_chromium() -> str | None:
    """The path of Playwright's own downloaded Chromium, if `playwright install chromium` has run."""
    # Looked up on disk rather than by starting Playwright: callers may already be inside Playwright's loop.
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    candidates = sorted(root.glob("chromium-*/chrome-linux*/chrome"),
                        key=lambda p: int(p.parts[-3].split("-")[-1]) if p.parts[-3].split("-")[-1].isdigit() else 0)
    return str(candidates[-1]) if candidates else None


def find_chromium() -> str:
    """MOCKAPPS_CHROMIUM, else Playwright's downloaded Chromium, else a system Chromium."""
    explicit = os.environ.get("MOCKAPPS_CHROMIUM")
    if explicit:
        if not Path(explicit).exists():
            raise BrowserNotFound(f"MOCKAPPS_CHROMIUM points at {explicit}, which does not exist")
        return explicit
    found = playwright_chromium()
    if found:
        return found
    for path in SYSTEM_CHROMIUM:
        if Path(path).exists():
            return path
    raise BrowserNotFound("no Chromium found: run `mockapps browser install` (or set MOCKAPPS_CHROMIUM)")


def launch_args(headless: bool | None = None, extra_args: tuple[str, ...] = ()) -> dict:
    """Keyword arguments for Playwright's `chromium.launch` with the project's browser and flags."""
    if headless is None:
        headless = os.environ.get("CI") == "true" or not os.environ.get("DISPLAY")
    return {"executable_path": find_chromium(), "headless": headless,
            "args": [*LAUNCH_FLAGS, *(a for a in extra_args if a not in LAUNCH_FLAGS)]}


def launch(playwright, headless: bool | None = None, **kwargs):
    """Launch Chromium from a running sync Playwright with the project's browser and flags."""
    return playwright.chromium.launch(**launch_args(headless), **kwargs)


def install(out=sys.stdout) -> int:
    """Install a browser: Playwright's download where it works, else Debian's chromium as root; 0 on success."""
    if playwright_chromium():
        print(f"Chromium already installed: {playwright_chromium()}", file=out)
        return 0
    result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode == 0 and playwright_chromium():
        print(f"installed Playwright's Chromium: {playwright_chromium()}", file=out)
        return 0
    for path in SYSTEM_CHROMIUM:
        if Path(path).exists():
            print(f"Playwright's download is unavailable; using the system Chromium at {path}", file=out)
            return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Playwright's download is unavailable; installing Debian's chromium package", file=out)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            if subprocess.run(command, env=env).returncode != 0:
                print(f"`{' '.join(command)}` failed", file=out)
                return 1
        print("installed /usr/bin/chromium", file=out)
        return 0
    print("could not install a browser: `playwright install chromium` failed and this is not a root Debian "
          "machine. Install Chromium yourself and set MOCKAPPS_CHROMIUM to its path.", file=out)
    return 1
