"""Tasks: what trainers perform and agents are scored on, with checks on the apps' state and change log."""

from mock_apps.tasks.model import Task  # noqa: F401
from mock_apps.tasks.registry import TaskError, all_tasks, get_task  # noqa: F401
