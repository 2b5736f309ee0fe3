"""A real Chat server on an ephemeral port over chat-only worlds built from the scenario.

Chat's tests need only this app, so they seed just its database (with the same `seed_app` the
templates use) and copy it per test: a fresh world costs two file copies.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, DEFAULT_STEP_SECONDS, to_us
from mock_apps.core.settings import Settings
from mock_apps.core.template import seed_app

_ids = itertools.count(1)


def build_template(folder: Path) -> None:
    """world.db (clock, change log) and a seeded chat.db."""
    import mock_apps.chat as chat_app
    from mock_apps.scenarios import get_scenario

    folder.mkdir(parents=True, exist_ok=True)
    scenario = get_scenario("meridian")
    conn = sqlite3.connect(folder / "world.db")
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)",
                 (to_us(scenario.now), DEFAULT_STEP_SECONDS * 1_000_000, scenario.facts.company.timezone))
    conn.commit()
    conn.close()
    seed_app(folder / "chat.db", folder / "world.db", chat_app.SPEC, scenario)


@dataclass
class ChatServer:
    """The running app: its base URL, settings and template folder."""

    url: str
    settings: Settings
    template: Path
    app: object

    def new_world(self) -> "ChatWorld":
        """A fresh world copied from the template."""
        world_id = f"chat-{next(_ids)}"
        folder = self.settings.worlds_dir / world_id
        folder.mkdir(parents=True)
        for name in ("world.db", "chat.db"):
            shutil.copyfile(self.template / name, folder / name)
        (folder / "world.json").write_text(json.dumps({"scenario": "meridian"}))
        return ChatWorld(world_id, self)


@dataclass
class ChatWorld:
    """One world on the server."""

    id: str
    server: ChatServer

    @property
    def url(self) -> str:
        """Base URL of the app in this world (path-prefixed, so no cookie is needed)."""
        return f"{self.server.url}/w/{self.id}"

    @property
    def api_url(self) -> str:
        """The Slack Web API base URL slack_sdk wants (with the trailing slash)."""
        return f"{self.url}/api/"

    def changes(self, after: int = 0) -> list[dict]:
        """The world's change log, through the control API."""
        response = requests.get(f"{self.server.url}/_control/worlds/{self.id}/changes", params={"after": after}, timeout=10)
        response.raise_for_status()
        return response.json()["changes"] if isinstance(response.json(), dict) else response.json()

    def state(self) -> dict:
        """Chat's normalized tables, through the control API."""
        response = requests.get(f"{self.server.url}/_control/worlds/{self.id}/state", timeout=10)
        response.raise_for_status()
        return response.json()["tables"]

    def session(self):
        """A WorldSession on this world's chat database (for direct assertions)."""
        from mock_apps.core.world import WorldRegistry

        return WorldRegistry.for_settings(self.server.settings).session(self.id, "chat")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # keep test output readable
        pass


def start(data_dir: Path) -> tuple[ChatServer, callable]:
    """Build the template, start the server in a thread; returns the server and a stop function."""
    from mock_apps.chat import create_app

    template = data_dir / "chat-template"
    build_template(template)
    settings = Settings(data_dir=data_dir)
    app = create_app({"settings": settings, "TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server = ChatServer(f"http://127.0.0.1:{httpd.server_port}", settings, template, app)
    return server, lambda: (httpd.shutdown(), thread.join(5))
