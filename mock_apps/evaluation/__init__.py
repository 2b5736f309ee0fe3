"""Evaluation: agents run on the tasks in a Gymnasium browser environment and are scored by the tasks' checks.

`gymnasium.make("mock_apps.evaluation:mockapps/<task id>")` works without any prior import (Gymnasium imports
the module named before the colon); after `import mock_apps.evaluation`, `gymnasium.make("mockapps/<task id>")`
works too. Importing this package only fills Gymnasium's registry (entry points are strings): no server, browser
or Playwright is started until an environment is made.
"""

from __future__ import annotations

NAMESPACE = "mockapps"
ENTRY_POINT = "mock_apps.evaluation.env:MockAppsEnv"


def env_id(task_id: str) -> str:
    """The Gymnasium id of a task's environment."""
    return f"{NAMESPACE}/{task_id}"


def register_tasks() -> list[str]:
    """Register `mockapps/<task id>` for every task of the library (idempotent); return the ids."""
    try:
        import gymnasium
    except ImportError:  # the eval extra is not installed: actions and agents still import
        return []
    from mock_apps.tasks import all_tasks

    ids = []
    for task in all_tasks():
        name = env_id(task.id)
        if name not in gymnasium.registry:
            gymnasium.register(id=name, entry_point=ENTRY_POINT, kwargs={"task_id": task.id},
                               disable_env_checker=False, order_enforce=True)
        ids.append(name)
    return ids


register_tasks()
