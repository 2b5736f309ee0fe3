"""Demonstrations of chat-only tasks."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import post_in_channel
from mock_apps.tasks.model import Task


@demo("announce-in-channel")
def announce_in_channel(page, task: Task) -> None:
    """Open the channel from the sidebar and post the message with Enter."""
    post_in_channel(page, task.params["channel"], f"Heads up: {task.params['what']} ({task.params['words']}).")
