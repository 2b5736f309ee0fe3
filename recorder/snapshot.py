"""A step's observation: the page's screenshot and accessibility snapshot, taken once the step settled.

The recorder takes it while a trainer or an agent works; the proof replay takes it for a recording whose
browser was not ours to photograph (a trainer's own, through the served capture).
"""

from __future__ import annotations

import base64
import weakref
from pathlib import Path

from trajectories.model import Observation
from trajectories.store import SHOTS, TrajectoryDir

# One DevTools session per page, opened on its first screenshot and gone with the page
_devtools: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def observe(page, folder: TrajectoryDir, index: int, shots: bool = True) -> Observation:
    """Screenshot (shots/NNNN.jpg) and ARIA snapshot of a page; a page mid-navigation gives what it can."""
    observation = Observation()
    try:
        if shots:
            name = f"{SHOTS}/{index:04d}.jpg"
            (folder.path / SHOTS).mkdir(exist_ok=True)
            screenshot(page, folder.path / name)
            observation.screenshot = name
        observation.accessibility = page.locator("body").aria_snapshot(timeout=5_000)
    except Exception:  # a page mid-navigation: the step stands without its picture
        pass
    return observation


def screenshot(page, path: Path) -> None:
    """The page's viewport as a JPEG, asked of Chromium over a DevTools session kept for the page.

    Playwright's own screenshot opens a session each time and first waits for fonts and hides the caret: about
    17 ms more a step, a second of a 50-step proof replay.
    """
    for attempt in range(2):
        session = _devtools.get(page)
        if session is None:
            session = _devtools[page] = page.context.new_cdp_session(page)
        try:
            shot = session.send("Page.captureScreenshot", {"format": "jpeg", "quality": 70})
            break
        except Exception:
            # a session detached by a navigation fails every time: drop it and ask once more on a new one,
            # so the step keeps its picture (a proof replay needs one for every step)
            _devtools.pop(page, None)
            if attempt:
                raise
    path.write_bytes(base64.b64decode(shot["data"]))
