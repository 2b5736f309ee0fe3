"""Chat's fixtures on the shared sandbox (tests/conftest.py): the test's world as Chat sees it. Browser tests
use pytest-playwright's `world_page` from there."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mock_apps.core.world import WorldRegistry


@dataclass
class ChatWorld:
    """Chat's side of a world: path-prefixed URLs (no cookie needed), the Slack API base, state and log."""

    world: object  # tests/conftest.py's SandboxWorld

    @property
    def id(self) -> str:
        """The world id."""
        return self.world.id

    @property
    def url(self) -> str:
        """Base URL of the app in this world (path-prefixed, so no cookie is needed)."""
        return self.world.api_url("chat")

    @property
    def api_url(self) -> str:
        """The Slack Web API base URL slack_sdk wants (with the trailing slash)."""
        return f"{self.url}/api/"

    def changes(self, after: int = 0) -> list[dict]:
        """Chat's entries in the world's change log, through the control API."""
        return self.world.changes(after=after, app="chat")

    def state(self) -> dict:
        """Chat's normalized tables, through the control API."""
        return self.world.state("chat")["tables"]

    def session(self):
        """A WorldSession on this world's chat database (for direct assertions)."""
        return WorldRegistry.for_settings(self.world.sandbox.settings).session(self.world.id, "chat")


@pytest.fixture
def chat_world(world) -> ChatWorld:
    """The test's fresh world, seen from Chat."""
    return ChatWorld(world)
