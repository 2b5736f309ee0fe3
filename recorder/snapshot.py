"""A step's observation: the page's screenshot and accessibility snapshot, taken once the step settled.

The recorder takes it while a trainer or an agent works; the proof replay takes it for a recording whose
browser was not ours to photograph (a trainer's own, through the served capture).
"""

from __future__ import annotations

from trajectories.model import Observation
from trajectories.store import SHOTS, TrajectoryDir


def observe(page, folder: TrajectoryDir, index: int, shots: bool = True) -> Observation:
    """Screenshot (shots/NNNN.jpg) and ARIA snapshot of a page; a page mid-navigation gives what it can."""
    observation = Observation()
    try:
        if shots:
            name = f"{SHOTS}/{index:04d}.jpg"
            (folder.path / SHOTS).mkdir(exist_ok=True)
            page.screenshot(path=str(folder.path / name), type="jpeg", quality=70, timeout=5_000)
            observation.screenshot = name
        observation.accessibility = page.locator("body").aria_snapshot(timeout=5_000)
    except Exception:  # a page mid-navigation: the step stands without its picture
        pass
    return observation
