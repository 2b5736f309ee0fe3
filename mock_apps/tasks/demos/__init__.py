"""Reference demonstrations: each task done through the UI as a trainer would, recorded into golden
trajectories (`mockapps tasks record-golden`) that CI replays and checks.

A demonstration is a function `(page, task)` registered with `@demo("<template or task id>", ...)` in a module
of this package; modules are imported on first lookup, so adding a module is all it takes. A task that asks
a question gets its final answer from the demonstration's return value (the text a trainer would type)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Callable

from mock_apps.tasks.model import Task

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
Demo = Callable[[object, Task], "str | None"]
_DEMOS: dict[str, Demo] = {}


def demo(*keys: str) -> Callable[[Demo], Demo]:
    """Register a demonstration for tasks of these templates or ids (an id wins over its template)."""
    def register(function: Demo) -> Demo:
        for key in keys:
            if key in _DEMOS and _DEMOS[key] is not function:
                raise ValueError(f"two demonstrations registered for {key!r}")
            _DEMOS[key] = function
        return function
    return register


def facts_of(task: Task):
    """The facts of a task's scenario (what a demonstration may read beyond its parameters)."""
    from mock_apps.scenarios import get_scenario

    return get_scenario(task.scenario).facts


def company_of(task: Task) -> dict:
    """The scenario-wide parameters of a task's company (owner, controller, bank, workbooks: selectors/company.py)."""
    from mock_apps.tasks.selectors.company import company

    return company(facts_of(task))


_BROKEN: dict[str, str] = {}  # module -> why it did not import


def demo_for(task: Task) -> Demo | None:
    """The reference demonstration of a task, or None (DemoMissing says why when a module failed to import)."""
    for module in pkgutil.iter_modules(__path__):
        name = f"{__name__}.{module.name}"
        if module.name not in _BROKEN:
            try:
                importlib.import_module(name)
            except Exception as error:  # one broken module must not take every other task's demonstration with it
                _BROKEN[module.name] = f"{type(error).__name__}: {error}"
    return _DEMOS.get(task.id) or (_DEMOS.get(task.template) if task.template else None)


def missing_reason() -> str:
    """Why a demonstration may be missing: the demonstration modules that failed to import."""
    return "; ".join(f"demos/{name}.py failed to import ({why})" for name, why in sorted(_BROKEN.items()))


def record_golden(task: Task, browser, app_urls: dict[str, str], world_id: str, out: Path) -> Path:
    """Perform a task's demonstration through the recorder into `out` (no screenshots: it lives in git)."""
    from recorder.session import begin

    perform = demo_for(task)
    if perform is None:
        raise ValueError(f"task {task.id!r} has no reference demonstration")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        recorder = begin(context, out, app_urls, world_id, scenario=task.scenario, task=task.id,
                         trainer="reference", start_pages=tuple(task.start_pages[:1]), shots=False)
        answer = perform(context.pages[0], task)
        if task.needs_answer != (answer is not None):
            raise ValueError(f"the demonstration of {task.id!r} must return a final answer exactly when the task asks for one")
        recorder.meta.final_answer = answer
        recorder.settle()
        recorder.stop()
    finally:
        context.close()
    return out
