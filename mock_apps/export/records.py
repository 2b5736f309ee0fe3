"""One observation/action record per step, shared by the per-step formats (sft-jsonl, hf).

The observation is what the person saw *before* acting: the URL before the step, and the accessibility snapshot
and screenshot recorded after the previous step in the same tab. The step's own recorded observation (its
result) is there too, as observation_after. The recorder observes a step once the page is quiet, so either may
be null (a step followed at once by the next one).
"""

from __future__ import annotations

from typing import Iterator

from mock_apps.export.action_text import TabTracker, action_text, element_id
from mock_apps.export.source import ExportSource
from trajectories.model import Step

FORMAT_VERSION = 1


def _element(step: Step) -> dict | None:
    target = step.target
    if target is None:
        return None
    return {"id": element_id(target), "role": target.role, "name": target.name, "tag": target.tag,
            "box": target.box.model_dump() if target.box else None}


def step_records(source: ExportSource) -> Iterator[dict]:
    """Each step of a trajectory as an observation/action record (JSON-able)."""
    tabs = TabTracker()
    last_on_page: dict[str, Step] = {}
    for step in source.steps:
        before = last_on_page.get(step.page)
        seen = before.observation if before is not None else None
        screenshot = seen.screenshot if seen is not None and source.existing(seen.screenshot) else None
        record = {
            "id": f"{source.meta.id}-{step.index:04d}",
            "trajectory_id": source.meta.id,
            "trajectory_dir": str(source.path),
            "task": source.meta.task,
            "scenario": source.meta.scenario,
            "trainer": source.meta.trainer,
            "outcome": source.meta.outcome,
            "goal": source.goal,
            "step": step.index,
            "num_steps": len(source.steps),
            "app": step.app,
            "page": step.page,
            "open_pages": list(tabs.open),
            "url": step.url_before,
            "observation": {
                "accessibility": seen.accessibility if seen is not None else None,
                "screenshot": screenshot,
                "from_step": before.index if before is not None else None,
            },
            "observation_after": {
                "accessibility": step.observation.accessibility,
                "screenshot": step.observation.screenshot if source.existing(step.observation.screenshot) else None,
            },
            "action": action_text(step, tabs),
            "action_type": step.action.type,
            "element": _element(step),
            "url_after": step.url_after,
            "changes": [f"{entry.app}:{entry.op}" for entry in step.changes],
        }
        tabs.after(step)
        last_on_page[step.page] = step
        yield record
